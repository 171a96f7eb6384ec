"""What a person types into a cell: every refusal, word for word, and what is accepted.

The expected texts below are written from what a refusal must say (the cell's name, what
was typed between «», what is wrong, what is expected), not copied from the code: a change
in the wording, or in which input is refused, makes one of these tests fail.

Numbers are read one way (see `core.numbers`): dots in groups of three are thousands, a dot
that cannot separate thousands is a decimal point, a leading "0." is always a decimal point,
and a single dot followed by exactly three digits typed into a figure with decimals is
ambiguous and refused with both readings.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soc25_tui.core.layout import CELL_BY_NAME, NON_CALCOLABILE, Kind
from soc25_tui.core.values import coerce, parse_input

D = Decimal

DEC = "atteso un numero con al massimo 2 decimali, es. 1.984.440,83"
INT = "atteso un numero intero, es. 1234 o 1.234"
R0E = "atteso il numero di abitanti per assistente sociale, es. 5000 o 1:5000, oppure NON CALCOLABILE"
COMMA = " (usare la virgola solo per i decimali)"
GROUPS = " (i punti separano le migliaia a gruppi di tre cifre)"
AMBIGUOUS = "usare la virgola per i decimali (al massimo 2)"

REFUSALS = [
    # A dot followed by exactly three digits, in a figure with decimals: both readings.
    ("R01A_2024", "1.234", f"R01A_2024: «1.234» è ambiguo: si intende 1,234 o 1234? {AMBIGUOUS}"),
    ("R01_2024", "2.500", f"R01_2024: «2.500» è ambiguo: si intende 2,500 o 2500? {AMBIGUOUS}"),
    ("R06", "12.345", f"R06: «12.345» è ambiguo: si intende 12,345 o 12345? {AMBIGUOUS}"),
    ("R08", "€ 123.456", f"R08: «€ 123.456» è ambiguo: si intende 123,456 o 123456? {AMBIGUOUS}"),
    ("R10_numero", "-1.500", f"R10_numero: «-1.500» è ambiguo: si intende -1,500 o -1500? {AMBIGUOUS}"),
    ("R11_numero", "1. 234", f"R11_numero: «1. 234» è ambiguo: si intende 1,234 o 1234? {AMBIGUOUS}"),
    # A leading "0." is a decimal point, never thousands: the answer of "0,125".
    ("R01A_2024", "0.125", f"R01A_2024: «0.125» ha troppi decimali: {DEC}"),
    ("R01A_2024", "0,125", f"R01A_2024: «0,125» ha troppi decimali: {DEC}"),
    ("R02_2024", "0.5001", f"R02_2024: «0.5001» ha troppi decimali: {DEC}"),
    ("M12_2019", "0.125", f"M12_2019: «0.125» non è un numero intero: {INT}"),
    ("R06", "0.125.000", f"R06: «0.125.000» non è un numero valido: {DEC}{GROUPS}"),
    ("R06", "0 125", f"R06: «0 125» non è un numero valido: {DEC}"),
    # Too many decimals.
    ("R06", "10,555", f"R06: «10,555» ha troppi decimali: {DEC}"),
    ("R06", "1.234,567", f"R06: «1.234,567» ha troppi decimali: {DEC}"),
    ("R06", "1234.567", f"R06: «1234.567» ha troppi decimali: {DEC}"),
    ("R05", "8,695", f"R05: «8,695» ha troppi decimali: {DEC}"),
    # More digits than a figure can hold.
    ("R06", "9" * 30, f"R06: «{'9' * 30}» ha troppe cifre: al massimo 15 cifre prima della virgola, cioè 999.999.999.999.999"),
    ("M12_ore", "1" + "0" * 39, f"M12_ore: «1{'0' * 39}» ha troppe cifre: al massimo 15 cifre prima della virgola, cioè 999.999.999.999.999"),
    # Not a number.
    ("R06", "12a", f"R06: «12a» non è un numero valido: {DEC}"),
    ("R06", "1e5", f"R06: «1e5» non è un numero valido: {DEC}"),
    ("R06", "-", f"R06: «-» non è un numero valido: {DEC}"),
    ("R06", "€", f"R06: «€» non è un numero valido: {DEC}"),
    ("R06", ",5", f"R06: «,5» non è un numero valido: {DEC}"),
    ("R06", ".5", f"R06: «.5» non è un numero valido: {DEC}"),
    ("R06", "12,", f"R06: «12,» non è un numero valido: {DEC}"),
    ("R06", "12 34", f"R06: «12 34» non è un numero valido: {DEC}"),
    ("R06", "12.3 4", f"R06: «12.3 4» non è un numero valido: {DEC}"),
    ("M12_2019", "dieci", f"M12_2019: «dieci» non è un numero valido: {INT}"),
    ("R03", "1.2.3", f"R03: «1.2.3» non è un numero valido: {INT}{GROUPS}"),
    # Commas and dots the wrong way round.
    ("R06", "1,2,3", f"R06: «1,2,3» non è un numero valido: {DEC}{COMMA}"),
    ("R06", "1,984,440.83", f"R06: «1,984,440.83» non è un numero valido: {DEC}{COMMA}"),
    ("R06", "1.234,5.6", f"R06: «1.234,5.6» non è un numero valido: {DEC}{COMMA}"),
    ("R06", "1,5 0", f"R06: «1,5 0» non è un numero valido: {DEC}{COMMA}"),
    ("R06", "1.98.440,83", f"R06: «1.98.440,83» non è un numero valido: {DEC}{GROUPS}"),
    # Whole numbers.
    ("M12_2019", "3,5", f"M12_2019: «3,5» non è un numero intero: {INT}"),
    ("M12_ore", "2.5", f"M12_ore: «2.5» non è un numero intero: {INT}"),
    ("R03", "1234.567", f"R03: «1234.567» non è un numero intero: {INT}"),
    # Negative figures.
    ("M12_2019", "-3", "M12_2019: «-3» è negativo: atteso un valore ≥ 0"),
    ("R06", "-1.234,50", "R06: «-1.234,50» è negativo: atteso un valore ≥ 0"),
    ("R01_2024", "-0,5", "R01_2024: «-0,5» è negativo: atteso un valore ≥ 0"),
    # R0E: a whole number of inhabitants per social worker, as N or 1:N, or NON CALCOLABILE.
    ("R0E", "0", f"R0E: «0» non valido: il numero di abitanti deve essere maggiore di 0; {R0E}"),
    ("R0E", "1:0", f"R0E: «1:0» non valido: il numero di abitanti deve essere maggiore di 0; {R0E}"),
    ("R0E", "2:5000", f"R0E: «2:5000» non valido: il rapporto si scrive 1:N (1 assistente sociale ogni N abitanti); {R0E}"),
    ("R0E", ":5000", f"R0E: «:5000» non valido: il rapporto si scrive 1:N (1 assistente sociale ogni N abitanti); {R0E}"),
    ("R0E", "-1:5000", f"R0E: «-1:5000» non valido: il rapporto si scrive 1:N (1 assistente sociale ogni N abitanti); {R0E}"),
    ("R0E", "-5000", f"R0E: «-5000» è negativo: {R0E}"),
    ("R0E", "1:-5000", f"R0E: «1:-5000» è negativo: {R0E}"),
    ("R0E", "4718,5", f"R0E: «4718,5» non è un numero intero: {R0E}"),
    ("R0E", "1:4.7", f"R0E: «1:4.7» non è un numero intero: {R0E}"),
    ("R0E", "abc", f"R0E: «abc» non valido: {R0E}"),
    ("R0E", "1:", f"R0E: «1:» non valido: {R0E}"),
    ("R0E", "1:2:3", f"R0E: «1:2:3» non valido: {R0E}"),
    ("R0E", "N.D.", f"R0E: «N.D.» non valido: {R0E}"),
    # SI / NO.
    ("R16", "forse", "R16: «forse» non valido: atteso SI o NO"),
    ("R39", "1", "R39: «1» non valido: atteso SI o NO"),
]


@pytest.mark.parametrize("name,typed,refusal", REFUSALS, ids=[f"{n}={t}" for n, t, _ in REFUSALS])
def test_every_refusal_word_for_word(name, typed, refusal):
    with pytest.raises(ValueError) as exc:
        parse_input(name, typed)
    assert str(exc.value) == refusal


def test_0_125_and_0_comma_125_get_the_same_answer():
    """Never 125: the dot is a decimal point, and both have one decimal too many."""
    answers = []
    for typed in ("0.125", "0,125"):
        with pytest.raises(ValueError) as exc:
            parse_input("R01A_2024", typed)
        answers.append(str(exc.value).replace(typed, "…"))
    assert answers[0] == answers[1] and "125 " not in answers[0]


ACCEPTED = [
    # Thousands: several groups, or groups then the decimal comma.
    ("R06", "1.234.567", D("1234567.00")),
    ("R06", "1.234,5", D("1234.50")),
    ("R06", "1.984.440,83", D("1984440.83")),
    ("R06", "1 984 440,83", D("1984440.83")),
    ("R06", "€ 1.984.440,83", D("1984440.83")),
    # A dot that cannot separate thousands is a decimal point.
    ("R06", "1984440.83", D("1984440.83")),
    ("R01_2024", "2.5", D("2.50")),
    ("R01_2024", "2.50", D("2.50")),
    ("R01A_2024", "0.59", D("0.59")),
    ("R01A_2024", "0,59", D("0.59")),
    ("R01A_2024", "0.120", D("0.12")),  # 0,120 has two decimals that count
    ("R02_2024", "3,00", D("3.00")),
    # Whole numbers have no decimals: a dot there is thousands.
    ("M12_2019", "2.500", 2500),
    ("R03", "21.297", 21297),
    ("R03", "1.234.567", 1234567),
    ("M12_ore", "3,00", 3),
    ("M12_2019", "0.000", 0),
    # R0E.
    ("R0E", "5000", 5000),
    ("R0E", "5.000", 5000),
    ("R0E", "1:5000", 5000),
    ("R0E", "1 : 5.000", 5000),
    ("R0E", " 1:4718 ", 4718),
    ("R0E", "NON CALCOLABILE", NON_CALCOLABILE),
    ("R0E", "non  calcolabile", NON_CALCOLABILE),
    ("R0E", "NC", NON_CALCOLABILE),
    ("R0E", "n.c.", NON_CALCOLABILE),
    ("R0E", "N. C.", NON_CALCOLABILE),
    # SI / NO, text, empty.
    ("R16", "sì", "SI"),
    ("R16", " no ", "NO"),
    ("R40", "  Relazione.  ", "Relazione."),
    ("R06", "   ", None),
    ("R0E", "", None),
]


@pytest.mark.parametrize("name,typed,value", ACCEPTED, ids=[f"{n}={t}" for n, t, _ in ACCEPTED])
def test_accepted(name, typed, value):
    got = parse_input(name, typed)
    assert got == value and type(got) is type(value)


def test_a_draft_file_is_read_as_before():
    """TOML values are not typed by a person: a number is unambiguous, and a string keeps
    "1.234" as thousands. Only "0.125", which was read as 125, is now refused."""
    assert coerce("R06", "1.234") == D("1234.00")
    assert coerce("R06", "1.234,50") == D("1234.50")
    assert coerce("M12_2019", "2.500") == 2500
    assert coerce("R01A_2024", D("0.12")) == D("0.12")
    with pytest.raises(ValueError, match="^al massimo 2 decimali$"):
        coerce("R01A_2024", D("0.125"))
    with pytest.raises(ValueError) as exc:
        coerce("R01A_2024", "0.125")
    assert str(exc.value) == f"«0.125» ha troppi decimali: {DEC}"
    assert coerce("R0E", "N.C.") == NON_CALCOLABILE and coerce("R0E", 4718) == 4718


DEC_CELLS = sorted(c.name for c in CELL_BY_NAME.values() if c.kind is Kind.DEC and not c.derived)


@given(st.sampled_from(DEC_CELLS), st.integers(1, 999), st.integers(0, 999))
def test_a_dot_and_three_digits_is_never_read_as_thousands_when_typed(name, head, tail):
    typed = f"{head}.{tail:03d}"
    with pytest.raises(ValueError) as exc:
        parse_input(name, typed)
    assert str(exc.value) == (
        f"{name}: «{typed}» è ambiguo: si intende {head},{tail:03d} o {head}{tail:03d}? {AMBIGUOUS}"
    )


@given(st.sampled_from(DEC_CELLS), st.integers(0, 10**9), st.integers(0, 99))
def test_a_dot_and_two_digits_is_a_decimal_point(name, units, cents):
    assert parse_input(name, f"{units}.{cents:02d}") == D(f"{units}.{cents:02d}")
