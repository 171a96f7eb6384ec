"""The guarded entrance (core/limits.py): every figure, text and file from outside passes the
same bounds before a rule or a formatter sees it; what is refused is a problem on the named
cell (kept verbatim and written back) or a clear Italian refusal of the file, never an
exception."""

from __future__ import annotations

import os
import threading
from decimal import Decimal

import pytest

from soc25_tui.core import values
from soc25_tui.core.assess import assess
from soc25_tui.core.drafts import DraftError, dumps, load, loads
from soc25_tui.core.layout import INPUT_CELLS, Kind
from soc25_tui.core.limits import LARGEST_FIGURE, MAX_DRAFT_BYTES, R40_MAX_KEPT, TEXT_MAX_CHARS
from soc25_tui.core.model import Draft
from soc25_tui.core.r40 import propose
from soc25_tui.core.report import as_json, as_text
from soc25_tui.core.outputs import FORMATS, render

from ..factories import largest

def _everything(draft: Draft) -> None:
    """Every output a draft reaches: check (text and JSON), the summary in every format, R40."""
    a = assess(draft)
    as_text("bozza.toml", draft, a)
    as_json("bozza.toml", draft, a)
    for fmt in FORMATS:
        render(draft, fmt)
    propose(draft)


# --- figures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "toml_value",
    [
        "10000000000000000000000000000",  # 29 digits: was decimal.InvalidOperation in quantize
        '"1' + "0" * 50 + '"',  # a string of 51 digits in a money cell
        "1e40",
        "1000000000000000",  # 16 digits: one past the bound
    ],
)
@pytest.mark.parametrize("cell", ["M12_2024", "M12_ore", "R06", "R03", "R0E"])
def test_a_figure_past_15_digits_is_a_problem_on_its_cell_shown_shortened(cell, toml_value):
    section = "quadro2" if cell == "R06" else "quadro1"
    text = f"[{section}]\n{cell} = {toml_value}\n"
    draft = loads(text)
    assert cell in draft.invalid and draft.get(cell) is None
    _everything(draft)  # nothing raises past the entrance
    problems = [p for p in assess(draft).problems if p.cell == cell]
    assert len(problems) == 1 and problems[0].severity == "errore"
    said = problems[0].text
    assert "15 cifre prima della virgola" in said
    shown = values.raw_text(draft.invalid[cell])
    if len(shown) > 40:  # shortened, with its length
        assert f"«{shown[:40]}… ({len(shown)} caratteri)»" in said
        assert shown not in said
    # Kept verbatim: written back as the file had it.
    assert f"{cell} = {toml_value}" in dumps(draft) or f"{cell} = {values.raw_text_toml(draft.invalid[cell])}" in dumps(draft)
    assert loads(dumps(draft)).invalid == draft.invalid


def test_15_digits_are_a_figure_and_every_rule_and_output_copes_with_them_everywhere():
    """The bound is inclusive: every figure at 999.999.999.999.999 (money with ,99) is read,
    and the rules, checks, summaries and the R40 proposal compute with it without an error."""
    cells = {}
    for cell in INPUT_CELLS:
        if cell.kind is Kind.INT or cell.kind is Kind.ATS_RATIO:
            cells[cell.name] = LARGEST_FIGURE
        elif cell.kind is Kind.DEC:
            cells[cell.name] = Decimal(LARGEST_FIGURE) + Decimal("0.99") if cell.places == 2 else Decimal(LARGEST_FIGURE)
    text = dumps(Draft(**cells))
    draft = loads(text)
    assert not draft.invalid
    _everything(draft)
    # And the same for the smallest figures that are not zero.
    small = {name: (Decimal("0.01") if isinstance(v, Decimal) else 1) for name, v in cells.items()}
    _everything(loads(dumps(Draft(**small))))


@pytest.mark.parametrize("case", "ABCD")
def test_the_largest_drafts_of_the_tests_are_within_the_bounds(case):
    """tests/factories.largest is what the layout tests call "every field at its largest":
    every value of it must pass the entrance, or those tests test a draft no file can give."""
    draft = largest(case)
    assert not loads(dumps(draft)).invalid


# --- texts -------------------------------------------------------------------------------


def test_r40_past_ten_times_its_limit_is_kept_verbatim_and_refused_as_a_value():
    ok = "a" * R40_MAX_KEPT
    assert loads(dumps(Draft(R40=ok))).R40 == ok  # too long for the portal: an error, still a value
    huge = "Relazione. " * 20_000  # 220.000 characters
    draft = loads(f"[quadro4]\nR40 = '''{huge}'''\n")
    assert draft.R40 is None and draft.invalid["R40"] == huge
    said = [p.text for p in assess(draft).problems if p.cell == "R40"]
    assert said and "troppo lungo" in said[0] and "220.000 caratteri" in said[0]
    assert len(said[0]) < 400  # the text is quoted shortened, not 220.000 characters
    _everything(draft)
    assert loads(dumps(draft)).invalid["R40"] == huge


def test_a_short_text_cell_past_its_bound_is_refused_typed_or_read():
    long = "X" * (TEXT_MAX_CHARS + 1)
    with pytest.raises(ValueError) as exc:
        values.parse_input("comune", long)
    assert str(exc.value) == "comune: testo di 6.001 caratteri, troppo lungo: al massimo 6.000"
    assert loads(f'[intestazione]\ncomune = "{long}"\n').invalid == {"comune": long}
    assert values.parse_input("comune", "X" * TEXT_MAX_CHARS) == "X" * TEXT_MAX_CHARS


def test_a_typed_figure_of_40_digits_is_refused_not_a_crash():
    with pytest.raises(ValueError, match="troppe cifre"):
        values.parse_input("M12_ore", "1" + "0" * 39)


def test_r0e_written_as_a_ratio_in_the_file_is_read_as_typed():
    assert loads('[quadro1]\nR0E = "1:5.000"\n').R0E == 5000
    assert loads('[quadro1]\nR0E = "N.C."\n').R0E == "NON CALCOLABILE"


def test_a_dot_with_nothing_after_it_is_refused_as_a_comma_is():
    for typed in ("12.", "12,"):
        with pytest.raises(ValueError, match="non è un numero valido"):
            values.parse_input("R06", typed)


# --- the file ----------------------------------------------------------------------------


def test_an_array_nested_a_thousand_deep_is_a_clear_refusal():
    with pytest.raises(DraftError) as exc:
        loads("[quadro1]\nM12_2024 = " + "[" * 1000 + "]" * 1000 + "\n")
    assert "annidato troppo in profondità" in str(exc.value)


def test_an_array_nested_twenty_deep_names_its_cell():
    with pytest.raises(DraftError) as exc:
        loads("[quadro1]\nM12_2024 = " + "[" * 20 + "]" * 20 + "\n")
    assert "(riga 2): M12_2024: valore annidato troppo in profondità" in str(exc.value)
    # A shallow list is an unreadable value like any other: kept.
    assert loads("[quadro1]\nM12_2024 = [[1], 2]\n").invalid == {"M12_2024": [[1], 2]}


def test_an_integer_of_thousands_of_digits_names_its_line():
    """Past 4.300 digits Python refuses to read an integer at all (ValueError in tomllib)."""
    with pytest.raises(DraftError) as exc:
        loads("[quadro1]\nM12_2019 = 1\nM12_2024 = " + "9" * 5000 + "\n")
    assert "(riga 3): un numero di migliaia di cifre" in str(exc.value)


def test_a_draft_over_the_size_bound_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "grande.toml"
    with open(big, "wb") as fh:
        fh.write(b"# " + b"x" * (MAX_DRAFT_BYTES + 10) + b"\n")
    with pytest.raises(DraftError) as exc:
        load(big)
    assert str(exc.value) == f"{big}: il file è troppo grande: al massimo 4 MB; atteso un file .toml di una bozza SOC25 (pochi kB)."


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "coda.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            load(fifo)
        except DraftError as exc:
            outcome.append(exc)

    t = threading.Thread(target=attempt, daemon=True)
    t.start()
    t.join(5)
    if t.is_alive():  # let the thread end: a writer opens the other side
        with open(fifo, "wb"):
            pass
        pytest.fail("load() waited on a FIFO")
    assert outcome and str(outcome[0]) == f"{fifo}: è una pipe (FIFO), non un file; atteso un file .toml di una bozza SOC25 (pochi kB)."


def test_a_directory_is_refused_in_italian(tmp_path):
    with pytest.raises(DraftError, match="è una cartella"):
        load(tmp_path)
