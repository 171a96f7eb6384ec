"""The R40 drafting assistant: facts from the draft, never over 6.000 characters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soc25_tui.core import messages, r40, values
from soc25_tui.core.layout import (
    INPUT_CELLS,
    Q3_INPUTS,
    Q4_BLOCK_BY_CASE,
    R40_MAX_CHARS,
    Kind,
)
from soc25_tui.core.model import Draft
from soc25_tui.core.numbers import format_money, format_number
from soc25_tui.core.rules import evaluate

from ..factories import DRAFTS, example, largest


def test_counter_and_count_chars():
    assert values.count_chars("àèìòù") == 5  # characters, not the 10 UTF-8 bytes
    assert values.count_chars(None) == 0
    assert messages.counter_text(1234) == "1.234 / 6.000 caratteri"
    assert messages.counter_text(0) == "0 / 6.000 caratteri"


@pytest.mark.parametrize("case", "ABCD")
def test_examples_give_their_case_and_fit(case):
    draft = DRAFTS[case]()
    outcome = evaluate(draft)
    assert outcome.case == case
    text = r40.propose(draft, outcome)
    assert 0 < r40.count_chars(text) <= R40_MAX_CHARS


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_cited_figures_are_the_drafts(name):
    draft = example(name)
    o = evaluate(draft)
    text = r40.propose(draft, o)
    v = o.values
    assert f"da {format_number(v['R0B_2019'])} a {format_number(v['R0B_2024'])}" in text
    if o.staff_total:
        assert f"1 assistente sociale ogni {format_number(v['R01B'])} abitanti (R01B)" in text
    assert f"pari a {format_number(v['R04'], 2)}%" in text
    assert f"(R05) pari a {format_number(draft.R05, 2)}%" in text
    assert f"è pari a {format_money(o.reference_spending)} euro" in text
    assert f"(R06) di {format_money(draft.R06)} euro" in text


def test_sondrio_sentences():
    text = r40.propose(example("sondrio"))
    assert "aumentato da 6.355 a 7.162 (+807 utenti, +12,70%)" in text
    # Kinds summed over the three areas: famiglia 327+77+400 -> 1131+103+240.
    assert "gli utenti famiglia e minori, aumentati da 804 a 1.474 (+670)" in text
    assert "gli utenti anziani, aumentati da 350 a 552 (+202)" in text
    assert "gli utenti povertà, disagio adulti e senza dimora, diminuiti da 1.168 a 990 (-178)" in text
    assert "migliore sia del LEP di un assistente sociale ogni 5.000 abitanti" in text
    assert "non inferiore al livello di servizio di riferimento (R05) pari a 8,69%" in text
    # Quadro 4: the SI answers with their labels, none of the NO ones, no placeholder.
    for code in ("R16", "R17", "R18", "R20", "R21"):
        assert f"({code})" in text
    assert "(R19)" not in text and "[Completare" not in text
    # Case A: nothing about Quadro 3 spending.
    assert "R15" not in text


def test_tortona_case_d_quadro3_and_nullo():
    draft = example("tortona")
    text = r40.propose(draft)
    assert "risulta nullo" in text
    assert "ogni 0 abitanti" not in text
    assert "1 assistente sociale ogni 4.718 abitanti" in text  # the ATS estimate, R0E
    assert "(R09) pari a 2.420,47 euro" in text
    assert "(R14) per 3.396,00 euro" in text
    assert "(R10" not in text and "(R12)" not in text  # zero amounts are not listed
    assert "copre interamente le risorse da rendicontare" in text
    assert "[Completare: specificare il motivo indicato in R39 «Altro».]" in text


def test_shortfall_is_stated():
    draft = example("tortona")
    draft.set("R14", Decimal("1000.00"))
    text = r40.propose(draft)
    assert "non copre ancora le risorse da rendicontare: mancano 1.420,47 euro." in text


def test_lomellina_placeholder_and_unanswered_items():
    text = r40.propose(example("lomellina"))
    assert "[Completare: specificare il motivo indicato in R28 «Altro».]" in text
    assert "(R23)" not in text  # answered NO


@pytest.mark.parametrize("case", "ABCD")
def test_one_placeholder_per_altro_si(case):
    draft = DRAFTS[case]()
    block = Q4_BLOCK_BY_CASE[case]
    for item in block.items:
        draft.set(item.code, "SI")
    text = r40.propose(draft)
    altro = [item.code for item in block.items if item.altro]
    for code in altro:
        assert text.count(f"[Completare: specificare il motivo indicato in {code} «Altro».]") == 1
    for item in block.items:
        if not item.altro:
            assert f"({item.code})" in text


def test_no_case_no_case_sentences():
    draft = example("sondrio")
    draft.set("R06", None)
    o = evaluate(draft)
    assert o.case is None
    text = r40.propose(draft, o)
    assert "R16" not in text and "a causa di" not in text and "R09" not in text
    assert "(R06)" not in text
    assert "aumentato da 6.355 a 7.162" in text  # what the data does support stays


def test_missing_inputs_skip_sentences():
    draft = example("sondrio")
    draft.set("M12_2019", None)
    draft.set("R05", None)
    text = r40.propose(draft)
    assert "R0B" not in text  # the 2019 total would be partial
    assert "R04" not in text and "R05" not in text
    assert r40.propose(Draft()) == ""


@pytest.mark.parametrize("case", "ABCD")
@pytest.mark.parametrize("shortfall", [False, True])
def test_largest_draft_fits_and_keeps_whole_sentences(case, shortfall):
    draft = largest(case, shortfall=shortfall)
    o = evaluate(draft)
    assert o.case == case
    text = r40.propose(draft, o)
    assert r40.count_chars(text) <= R40_MAX_CHARS
    # Made only of whole sentences: rebuilding from those present gives the same text.
    sentences = r40._sentences(draft, o)
    kept = [s for s in sentences if s.text in text]
    assert r40._join(kept) == text
    assert len(kept) < len(sentences)  # something had to go...
    # ...but never the main facts nor the placeholder.
    assert "R0B" in text and "R04" in text and "(R06)" in text
    for item in Q4_BLOCK_BY_CASE[case].items:
        if item.altro:
            assert f"[Completare: specificare il motivo indicato in {item.code} «Altro».]" in text
    if case in ("C", "D"):
        assert f"(R09) pari a {format_money(o.values['R09'])} euro" in text
        assert ("mancano" in text) is shortfall


# --- no draft makes it crash or overflow -----------------------------------------------------------

def _value(cell):
    if cell.kind is Kind.INT:
        return st.none() | st.integers(min_value=-5, max_value=10**15)
    if cell.kind is Kind.ATS_RATIO:
        return st.none() | st.integers(min_value=0, max_value=10**9)
    if cell.kind is Kind.DEC:
        return st.none() | st.decimals(
            min_value=Decimal("-10"), max_value=Decimal("99999999999.99"), places=2,
            allow_nan=False, allow_infinity=False,
        )
    if cell.kind is Kind.SINO:
        return st.sampled_from([None, "SI", "NO"])
    return st.none() | st.text(max_size=3000)


_INTERESTING = [c for c in INPUT_CELLS if c.quadro in (1, 2) or c.name in Q3_INPUTS or c.kind is Kind.SINO]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({c.name: _value(c) for c in _INTERESTING}))
def test_any_draft_gives_a_bounded_proposal(fields):
    draft = Draft(**fields)
    text = r40.propose(draft)
    assert r40.count_chars(text) <= R40_MAX_CHARS


# --- soc25 r40 ---------------------------------------------------------------------------------------

