from decimal import Decimal

import pytest

from soc25_tui.core.checks import ERROR, WARNING, check
from soc25_tui.core.model import Draft

from ..factories import TO_CASE, answer_block, make, make_case

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


# --- plausibility: figures that can only be a slip of the keyboard (warnings) ----------------

SLIP = "probabilmente un errore di battitura"
TO_D = dict(TO_CASE["D"], R12=D("30000.00"), **answer_block("D"))  # Quadro 3 to fill in


def warnings_of(draft, cell):
    return [p.text for p in check(draft) if p.cell == cell and p.severity == WARNING]


@pytest.mark.parametrize(
    "changes,cell,text",
    [
        # More than one social worker per 100 inhabitants; a whole number read as thousandths.
        ({"R01A_2024": D("125"), "R03": 4200}, "R01A_2024",
         f"125 assistenti sociali per 4.200 abitanti (R03): più di uno ogni 100 abitanti, {SLIP} (0,125?)."),
        ({"R01_2024": D("43"), "R03": 4200}, "R01_2024",
         f"43 assistenti sociali per 4.200 abitanti (R03): più di uno ogni 100 abitanti, {SLIP} (0,043?)."),
        ({"R01_2020": D("1"), "R03": 99}, "R01_2020",
         f"1 assistente sociale per 99 abitanti (R03): più di uno ogni 100 abitanti, {SLIP}."),
        ({"R01_2024": D("1.5"), "R03": 149}, "R01_2024",
         f"1,50 assistenti sociali per 149 abitanti (R03): più di uno ogni 100 abitanti, {SLIP}."),
        ({**TO_D, "R10_numero": D("60"), "R03": 5000}, "R10_numero",
         f"60 assistenti sociali aggiuntivi per 5.000 abitanti (R03): più di uno ogni 100 abitanti, {SLIP} (0,060?)."),
        # R0E: the same limit at the level of the ATS.
        ({"R0E": 99}, "R0E",
         f"1 assistente sociale ogni 99 abitanti a livello di ATS: più di uno ogni 100 abitanti, {SLIP}."),
        # More users of one kind than inhabitants.
        ({"M12_2024": 4201, "R03": 4200}, "M12_2024",
         (f"4.201 utenti famiglia e minori (interventi e servizi) per 4.200 abitanti (R03): più utenti "
          f"che abitanti, {SLIP}.")),
        ({"M53_2019": 1001}, "M53_2019",
         f"1.001 utenti anziani (strutture) per 1.000 abitanti (R03): più utenti che abitanti, {SLIP}."),
        # More hours per user than the 8.784 hours of 2024 (a leap year).
        ({"M12_2024": 100, "M12_ore": 878401}, "M12_ore",
         (f"878.401 ore di assistenza per 100 utenti (M12_2024): in media 8.784,01 ore per utente, più "
          f"delle 8.784 ore dell'anno 2024; {SLIP}.")),
        ({"M44_2024": 1, "M44_ore": 8785}, "M44_ore",
         (f"8.785 ore di assistenza per 1 utente (M44_2024): in media 8.785,00 ore per utente, più "
          f"delle 8.784 ore dell'anno 2024; {SLIP}.")),
        # A percentage of the population above 100.
        ({"R05": D("100.01")}, "R05",
         f"livello di servizio di riferimento 100,01%: più del 100% della popolazione, {SLIP}."),
    ],
)
def test_a_slip_is_a_warning_with_the_figures(changes, cell, text):
    draft = make(**changes)
    assert warnings_of(draft, cell) == [text]
    assert [p for p in check(draft) if p.cell == cell and p.severity == ERROR] == []


@pytest.mark.parametrize(
    "changes,cell",
    [
        ({"R01A_2024": D("42"), "R03": 4200}, "R01A_2024"),  # exactly one per 100 inhabitants
        ({"R01_2020": D("0.99"), "R03": 99}, "R01_2020"),
        ({"R01_2024": D("1.49"), "R03": 149}, "R01_2024"),
        ({**TO_D, "R10_numero": D("50"), "R03": 5000}, "R10_numero"),
        ({"R0E": 100}, "R0E"),
        ({"M12_2024": 4200, "R03": 4200}, "M12_2024"),  # as many users as inhabitants
        ({"M53_2019": 1000}, "M53_2019"),
        ({"M12_2024": 100, "M12_ore": 878400}, "M12_ore"),  # 8.784 hours each: all year round
        ({"M44_2024": 1, "M44_ore": 8784}, "M44_ore"),
        ({"R05": D("100.00")}, "R05"),
    ],
)
def test_just_under_the_limit_there_is_no_warning(changes, cell):
    assert warnings_of(make(**changes), cell) == []


def test_no_slip_warning_without_the_population_or_with_errors():
    # Without R03 (an error of its own) there is nothing to compare with.
    assert warnings_of(make(R03=None, R01A_2024=D("125")), "R01A_2024") == []
    assert warnings_of(make(R03=0, M12_2024=5000), "M12_2024") == []
    # Hours without users are an error, not also a warning.
    assert [p.severity for p in find(make(M44_2024=0, M44_ore=10**6), "M44_ore")] == [ERROR]


def test_no_slip_warning_on_the_shipped_examples_nor_the_printed_forms():
    """The real figures of real Comuni are never taken for slips: every example draft, every
    printed form in tests/seeds (imported as `soc25 import` does), and the case C variant."""
    from soc25_tui.core.drafts import load
    from soc25_tui.core.importer import parse_printed

    from ..conftest import EXAMPLES, SEEDS, seed_text
    from ..factories import case_c

    drafts = {path.name: load(path) for path in sorted(EXAMPLES.glob("*.toml"))}
    drafts.update({path.name: parse_printed(seed_text(path)).draft for path in sorted(SEEDS.glob("*.txt"))})
    drafts["tortona, caso C"] = case_c()
    assert len(drafts) >= 8
    for name, draft in drafts.items():
        assert [str(p) for p in check(draft) if SLIP in p.text] == [], name
