from decimal import Decimal

import pytest

from soc25_tui.core.checks import ERROR, WARNING, check
from soc25_tui.core.model import Draft

from ..factories import make, make_case

D = Decimal


def problems(draft):
    return [(p.severity, p.cell) for p in check(draft)]


def find(draft, cell):
    return [p for p in check(draft) if p.cell == cell]


@pytest.mark.parametrize("case", ["A", "B", "C", "D"])
def test_complete_drafts_have_no_problems(case):
    extra = {"R12": D("30000.00")} if case in "CD" else {}
    assert problems(make_case(case, **extra)) == []


def test_negative_user_count():
    (p,) = find(make(M15_2019=-3), "M15_2019")
    assert p.severity == ERROR and "negativo" in p.text and "≥ 0" in p.text


def test_negative_money_and_staff():
    assert find(make(R06=D("-1.00")), "R06")[0].severity == ERROR
    assert find(make(R01_2024=D("-0.50")), "R01_2024")[0].severity == ERROR
    assert find(make_case("D", R13=D("-5.00")), "R13")[0].severity == ERROR


def test_unreadable_value_is_reported_with_what_was_typed():
    d = make(M12_2019=None)
    d.invalid["M12_2019"] = "dieci"
    (p,) = find(d, "M12_2019")
    assert p.severity == ERROR and "«dieci»" in p.text and "numero intero" in p.text


def test_empty_quadro1_cells_are_errors():
    # The portal wants every figure (0 when there is none): a blank is not a zero.
    (p,) = find(make(M21_2024=None), "M21_2024")
    assert p.severity == ERROR and "0 se nessuno" in p.text
    (p,) = find(make(R01A_2024=None), "R01A_2024")
    assert p.severity == ERROR


def test_r0e_missing_is_a_warning_non_calcolabile_is_fine():
    (p,) = find(make(R0E=None), "R0E")
    assert p.severity == WARNING and "NON CALCOLABILE" in p.text
    assert find(make(R0E="NON CALCOLABILE"), "R0E") == []
    assert find(make(R0E=0), "R0E")[0].severity == ERROR


def test_hours_without_users():
    (p,) = find(make(M44_2024=0, M44_ore=120), "M44_ore")
    assert p.severity == ERROR and "120 ore" in p.text and "M44_2024" in p.text
    assert find(make(M44_2024=3, M44_ore=120), "M44_ore") == []


@pytest.mark.parametrize("value,fragment", [(None, "manca il numero di abitanti"), (0, "> 0")])
def test_population_missing_or_zero(value, fragment):
    (p,) = find(make(R03=value), "R03")
    assert p.severity == ERROR and fragment in p.text


@pytest.mark.parametrize("name", ["R05", "R06", "R07_2017", "R08"])
def test_required_official_figures(name):
    (p,) = find(make(**{name: None}), name)
    assert p.severity == ERROR and "dato ufficiale" in p.text


def test_quadro3_filled_when_not_required_is_a_warning_and_kept():
    d = make_case("A", R13=D("250.00"), R10_modalita="convenzione")
    found = {p.cell: p for p in check(d) if p.cell.startswith(("R10", "R13"))}
    assert set(found) == {"R13", "R10_modalita"}
    assert all(p.severity == WARNING for p in found.values())
    assert "250,00" in found["R13"].text
    assert d.R13 == D("250.00")  # kept


def test_quadro3_below_threshold_counts_as_not_required():
    d = make_case("D", R08=D("500.00"), R12=D("500.00"))
    assert [(p.severity, p.cell) for p in check(d)] == [(WARNING, "R12")]


def test_r15_below_r09_is_an_error_with_the_amount():
    d = make_case("D", R08=D("2000.00"), R12=D("1000.00"))
    (p,) = find(d, "R15")
    assert p.severity == ERROR and "mancano 1.000,00 euro" in p.text


def test_modalita_missing_when_spesa_given():
    d = make_case("D", R08=D("2000.00"), R10_numero=D("1"), R10_spesa=D("2000.00"))
    (p,) = find(d, "R10_modalita")
    assert p.severity == WARNING


def test_answers_in_the_wrong_block_are_flagged_not_dropped():
    d = make_case("A", R29="SI")
    (p,) = find(d, "R29")
    assert p.severity == WARNING and "caso C" in p.text and "conservata" in p.text
    assert d.R29 == "SI"


def test_unanswered_items_of_the_right_block():
    d = make_case("B", R25=None)
    (p,) = find(d, "R25")
    assert p.severity == WARNING and "SI o NO" in p.text


@pytest.mark.parametrize("case,altro", [("A", "R22"), ("B", "R28"), ("C", "R33"), ("D", "R39")])
def test_altro_si_needs_r40(case, altro):
    extra = {"R12": D("30000.00")} if case in "CD" else {}
    d = make_case(case, **{altro: "SI"}, **extra)
    (p,) = find(d, "R40")
    assert p.severity == ERROR and altro in p.text
    d.set("R40", "Motivo: ...")
    assert find(d, "R40") == []
    d.set("R40", "   ")
    assert find(d, "R40")


def test_altro_in_another_block_does_not_need_r40():
    d = make_case("A", R39="SI")
    assert [p.cell for p in check(d)] == ["R39"]


def test_r40_longer_than_6000_characters():
    d = make(R40="à" * 6000)  # characters, not bytes: 12.000 bytes in UTF-8 is fine
    assert find(d, "R40") == []
    d.set("R40", "à" * 6001)
    (p,) = find(d, "R40")
    assert p.severity == ERROR and "6.001 caratteri" in p.text and "6.000" in p.text


def test_header_problems():
    assert find(make(comune=""), "comune")[0].severity == WARNING
    assert "due lettere" in find(make(provincia="Milano"), "provincia")[0].text
    assert find(make(istat="014061"), "istat") == [] and find(make(istat=None), "istat") == []
    for wrong in ("abc", "14061", "0140610"):
        (p,) = find(make(istat=wrong), "istat")
        assert p.severity == WARNING and f"«{wrong}»" in p.text and "sei cifre" in p.text


def test_r40_with_parts_of_the_proposal_still_to_write():
    (p,) = find(make(R40="Nel 2024... [Completare: specificare il motivo indicato in R22 «Altro».]"), "R40")
    assert p.severity == WARNING and "[Completare: ...]" in p.text
    assert find(make(R40="Relazione completa."), "R40") == []


def test_blank_draft_reports_what_is_missing_without_crashing():
    ps = check(Draft())
    cells = {p.cell for p in ps if p.severity == ERROR}
    assert {"R03", "R05", "R06", "R07_2017", "R08"} <= cells


def test_r08_missing_does_not_flag_quadro3_values_as_leftovers():
    d = make_case("D", R08=None, R14=D("3396.00"))
    cells = [(p.severity, p.cell) for p in check(d)]
    assert cells == [(ERROR, "R08")]
    assert "Quadro 3" in find(d, "R08")[0].text
