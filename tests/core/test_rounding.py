"""Rounding where the portal prints a figure: R01B (a whole number), the averages of Quadro 1
(2 decimals), and every figure a person reads (numbers.format_number, values.display).

Which rule. SOC25.md says "rounded to a whole number" (R01B) and "2 decimals" (averages, R04)
without naming a rule for ties. The printed forms round to the NEAREST figure, not down:
Lomellina's 7-page print (tests/seeds/002_…) has R04 = 84 / 1.748 × 100 = 4,8054… printed
4,81 (truncation would print 4,80), and Sondrio's compact print (000_…) rounds its averages
to whole hours the same way, e.g. M15 48.797 / 313 = 155,90… printed 156. None of them holds
an exact tie. For a tie the project rounds HALF UP (numbers.py and rules.py say so), the rule
of Italian public accounts for euro amounts: Reg. (CE) 1103/97, art. 5, "se … dà un
risultato che si trova esattamente a metà, la somma viene arrotondata per eccesso".

So each test below has an exact tie (which tells half-up from half-even and half-down) and,
beside it, a figure just below and just above the half (which tell it from ceiling/up and
from floor/down/truncation). Every input goes through the real computation (rules.evaluate),
and every expected value is worked out by hand in the comment next to it.
"""

from decimal import Decimal

import pytest

from soc25_tui.core.assess import assess
from soc25_tui.core.numbers import format_money, format_number
from soc25_tui.core.report import as_text
from soc25_tui.core.rules import evaluate
from soc25_tui.core.values import display

from ..factories import make

D = Decimal

RATIO = (
    "Nel 2024 per il Comune il numero di assistenti sociali in rapporto alla popolazione è "
    "risultato pari a 1 ogni {} abitanti."
)


# --- R01B = R03 / (R01 2024 + R01A), a whole number ------------------------------------------


@pytest.mark.parametrize(
    "r03, r01, r01a, expected",
    [
        # 1.001 / 2 = 500,5 exactly: a tie, half up -> 501 (half-even and down -> 500).
        (1001, D("2"), D("0"), 501),
        # 1.003 / (1 + 1) = 501,5 exactly: a tie above an odd figure, half up -> 502
        # (half-down -> 501); R01A counts in the staff.
        (1003, D("1"), D("1"), 502),
        # 5 / 0,40 = 12,5 exactly (staff in full-time equivalents): half up -> 13 (even -> 12).
        (5, D("0.40"), D("0"), 13),
        # 1.000 / 3 = 333,33…: below the half -> 333 (ceiling / away from zero -> 334).
        (1000, D("3"), D("0"), 333),
        # 2.000 / 3 = 666,66…: above the half -> 667 (down / floor -> 666).
        (2000, D("3"), D("0"), 667),
    ],
)
def test_r01b_rounds_half_up_at_a_tie(r03, r01, r01a, expected):
    draft = make(R03=r03, R01_2024=r01, R01A_2024=r01a)
    a = assess(draft)
    assert a.outcome.values["R01B"] == expected
    # As the form prints it, and in the portal's sentence.
    assert display("R01B", draft, a.outcome) == f"1 assistente ogni : {expected}"
    assert a.messages[0].text == RATIO.format(expected)


def test_r01b_tie_at_6500_and_a_half_rounds_up_past_6500_and_adds_the_paragraph():
    # 13.001 / 2 = 6.500,5 exactly -> 6.501 half up, more than 1 every 6.500 inhabitants: the
    # 2022 budget law paragraph follows the LEP one. Half-even or down would give 6.500 and
    # leave it out.
    a = assess(make(R03=13001, R01_2024=D("2"), R01A_2024=D("0")))
    assert a.outcome.values["R01B"] == 6501
    assert [m.key for m in a.messages[:2]] == ["q1_assistenti_rapporto", "q1_lep+q1_lep_6500"]
    assert a.messages[0].text == RATIO.format(6501)


# --- Media annua ore di assistenza = ore / utenti 2024, 2 decimals ---------------------------


@pytest.mark.parametrize(
    "ore, utenti, expected, shown",
    [
        # 469 / 200 = 2,345 exactly: a tie, half up -> 2,35 (half-even and down -> 2,34).
        (469, 200, D("2.35"), "2,35"),
        # 11 / 8 = 1,375 exactly: a tie above an odd cent, half up -> 1,38 (half-down -> 1,37).
        (11, 8, D("1.38"), "1,38"),
        # 1 / 8 = 0,125 exactly -> 0,13 (half-even -> 0,12).
        (1, 8, D("0.13"), "0,13"),
        # 7 / 3 = 2,333…: below the half -> 2,33 (ceiling -> 2,34).
        (7, 3, D("2.33"), "2,33"),
        # 2 / 3 = 0,666…: above the half -> 0,67 (down -> 0,66).
        (2, 3, D("0.67"), "0,67"),
        # 81.489 / 1.131 = 72,0503…: Sondrio's M12 (its print shows 72, rounded to whole hours).
        (81489, 1131, D("72.05"), "72,05"),
    ],
)
def test_averages_round_half_up_at_a_tie(ore, utenti, expected, shown):
    draft = make(M12_2024=utenti, M12_ore=ore)
    outcome = evaluate(draft)
    assert outcome.values["M12_media"] == expected
    assert display("M12_media", draft, outcome) == shown


def test_averages_tie_as_soc25_check_prints_them():
    # M12: 469 / 200 = 2,345 -> 2,35; M15: 11 / 8 = 1,375 -> 1,38 (both ties, half up).
    draft = make(M12_2024=200, M12_ore=469, M15_2024=8, M15_ore=11)
    lines = as_text("bozza.toml", draft, assess(draft)).splitlines()
    assert "  Media annua ore di assistenza: M12 2,35 · M15 1,38" in lines


# --- figures as a person reads them -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, places, expected",
    [
        ("2.345", 2, "2,35"),  # tie: half up (half-even, down -> 2,34)
        ("2.335", 2, "2,34"),  # tie above an odd cent: half up (half-down -> 2,33)
        ("1234.565", 2, "1.234,57"),  # tie, with the thousands separator
        ("2.344", 2, "2,34"),  # below the half (ceiling -> 2,35)
        ("2.346", 2, "2,35"),  # above the half (down -> 2,34)
        ("0.5", 0, "1"),  # tie to a whole number (half-even -> 0)
        ("2.5", 0, "3"),  # (half-even -> 2)
        ("3.5", 0, "4"),  # above an odd figure (half-down -> 3)
        ("1499.5", 0, "1.500"),  # a tie that carries into the thousands
    ],
)
def test_format_number_rounds_half_up_at_a_tie(value, places, expected):
    assert format_number(D(value), places) == expected


def test_format_money_rounds_half_up_at_a_tie():
    # 0,125 euro and 19.999,995 euro are ties: half up -> 0,13 and 20.000,00.
    assert format_money(D("0.125")) == "0,13"
    assert format_money(D("19999.995")) == "20.000,00"


def test_r04_tie_is_displayed_half_up_but_compared_unrounded():
    # R04 = R0B 2024 / R03 × 100 = 93 / 4.000 × 100 = 2,325 exactly: shown 2,33% half up
    # (half-even and down -> 2,32%). Against R05 = 2,33 the comparison uses 2,325, below it:
    # «inferiore» although both read 2,33%.
    draft = make(M12_2024=93, R03=4000, R05=D("2.33"))
    a = assess(draft)
    assert a.outcome.r04_exact == D("2.325")
    assert display("R04", draft, a.outcome) == "2,33%"
    assert a.outcome.service_ok is False
    assert [m.text for m in a.messages if m.key.startswith("q1_livello")] == [
        (
            "Nel 2024 il livello di servizio effettivo dell'ente locale è risultato inferiore al "
            "livello di servizio di riferimento."
        )
    ]
    lines = as_text("bozza.toml", draft, a).splitlines()
    assert "  R04  Livello di servizio effettivo: 2,33% (R05 riferimento: 2,33%)" in lines


def test_r04_of_a_printed_form_rounds_to_nearest():
    # Lomellina (tests/seeds/002_…): R0B 2024 = 84, R03 = 1.748: 84 / 1.748 × 100 = 4,8054…,
    # printed 4,81 (not truncated to 4,80).
    draft = make(M12_2024=84, R03=1748)
    assert display("R04", draft, evaluate(draft)) == "4,81%"
