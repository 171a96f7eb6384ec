from decimal import Decimal

import pytest

from soc25_tui.core import messages
from soc25_tui.core.assess import assess
from soc25_tui.core.rules import evaluate, reference_spending

from soc25_tui.core.model import Draft

from ..factories import example, make, make_case

D = Decimal


def keys(assessment):
    return [m.key for m in assessment.messages]


@pytest.mark.parametrize(
    "case,block,q3",
    [("A", ("R16", "R22"), False), ("B", ("R23", "R28"), False),
     ("C", ("R29", "R33"), True), ("D", ("R34", "R39"), True)],
)
def test_each_case_its_block_and_quadro3(case, block, q3):
    o = evaluate(make_case(case))
    assert o.case == case
    assert (o.block.codes[0], o.block.codes[-1]) == block
    assert o.quadro3_required is q3


def test_messages_in_portal_order_case_a():
    o = assess(make_case("A"))
    assert keys(o) == [
        "q1_assistenti_rapporto", "q1_lep", "q1_livello_non_inferiore", "q1_vai_quadro2",
        "q2_caso_A", "q2_vai_quadro4", "q3_vai_quadro4",
    ]
    assert [m.quadro for m in o.messages] == [1, 1, 1, 1, 2, 2, 3]


def test_case_b_message():
    o = assess(make_case("B"))
    assert keys(o)[2:6] == ["q1_livello_inferiore", "q1_vai_quadro2", "q2_caso_B", "q2_vai_quadro4"]


def test_case_d_verbatim_and_case_c_composed():
    d = assess(make_case("D"))
    c = assess(make_case("C"))
    md = next(m for m in d.messages if m.key == "q2_caso_D")
    mc = next(m for m in c.messages if m.key == "q2_caso_C")
    assert md.kind == messages.VERBATIM and mc.kind == messages.COMPOSED
    assert "e il numero di utenti serviti risulta inferiore allo standard" in md.text
    assert "mentre il numero di utenti serviti risulta non inferiore allo standard" in mc.text
    # The codes R08 and R09 stand in the text as written.
    assert "pari a R08" in md.text and "corrispondente a R09" in md.text
    assert mc.text.replace("mentre il numero di utenti serviti risulta non inferiore",
                           "e il numero di utenti serviti risulta inferiore") == md.text
    assert "q2_vai_quadro3" in keys(d) and "q2_vai_quadro3" in keys(c)


def test_r09_spec_example():
    o = evaluate(make_case("D", R06=D("53895.69"), R07_2017=D("34786.95"),
                           R07_2021=D("51475.22"), R08=D("4391.81")))
    assert o.values["R09"] == D("2420.47")
    assert o.quadro3_required


def test_r09_is_r08_when_the_gap_is_larger():
    o = evaluate(make_case("C", R08=D("30000.00")))  # gap 50.000
    assert o.values["R09"] == D("30000.00")


@pytest.mark.parametrize("case", ["C", "D"])
def test_below_1000_quadro3_not_required_composed_message(case):
    o = assess(make_case(case, R08=D("999.99")))
    assert o.outcome.values["R09"] == D("999.99")
    assert not o.outcome.quadro3_required
    q2 = [m for m in o.messages if m.quadro == 2]
    assert q2[0].kind == messages.COMPOSED
    assert q2[0].text.startswith(messages.text(f"q2_caso_{case}_sotto_soglia"))
    assert "inferiori a 1.000 euro" in q2[0].text
    assert q2[1].key == "q2_vai_quadro4"
    assert keys(o)[-1] == "q3_vai_quadro4" and "q3_coerente" not in keys(o)


def test_exactly_1000_requires_quadro3():
    assert evaluate(make_case("D", R08=D("1000.00"))).quadro3_required


def test_r15_covers_r09():
    o = assess(make_case("D", R08=D("2000.00"), R12=D("1500.00"), R14=D("500.00")))
    assert o.outcome.values["R15"] == D("2000.00")
    assert keys(o)[-2:] == ["q3_coerente", "q3_vai_quadro4"]


def test_r15_below_r09_says_how_much_is_missing():
    o = assess(make_case("D", R08=D("2000.00"), R10_spesa=D("750.50")))
    last = [m for m in o.messages if m.quadro == 3]
    assert last[0].key == "q3_mancante" and last[0].kind == messages.COMPOSED
    assert "mancano 1.249,50 euro" in last[0].text
    assert last[1].key == "q3_vai_quadro4"


def test_no_social_workers():
    o = assess(make(R01_2024=D("0"), R01A_2024=D("0")))
    assert o.outcome.values["R01B"] == 0
    assert o.messages[0].text == "Nel 2024 per il Comune il numero di assistenti sociali è risultato nullo."
    assert o.messages[1].key == "q1_lep+q1_lep_6500"
    assert o.messages[1].text.endswith("pari a 1 a 6.500.")


def test_ratio_above_6500_adds_the_paragraph_and_6500_exactly_does_not():
    above = assess(make(R03=6501, R01_2024=D("1")))
    at = assess(make(R03=6500, R01_2024=D("1")))
    assert above.outcome.values["R01B"] == 6501 and "q1_lep+q1_lep_6500" in keys(above)
    assert at.outcome.values["R01B"] == 6500 and "q1_lep" in keys(at) and "q1_lep+q1_lep_6500" not in keys(at)


def test_r01b_needs_both_staff_figures_and_a_population():
    # An empty R01A is unknown, not zero: no "nullo" message from half the data.
    o = assess(make(R01_2024=D("0"), R01A_2024=None))
    assert o.outcome.values["R01B"] is None and not [m for m in o.messages if m.key.startswith("q1_assistenti")]
    o = assess(make(R03=0))
    assert o.outcome.values["R01B"] is None and o.outcome.values["R04"] is None
    assert not any("1 ogni 0 abitanti" in m.text for m in o.messages)


def test_r01b_rounds_and_counts_r01a():
    o = assess(make(R03=21297, R01_2024=D("16"), R01A_2024=D("0")))
    assert o.outcome.values["R01B"] == 1331
    o = assess(make(R03=1000, R01_2024=D("0.59"), R01A_2024=D("0.41")))
    assert o.outcome.values["R01B"] == 1000
    assert "1 ogni 1000 abitanti" in o.messages[0].text


def test_averages_two_decimals_and_zero_without_users():
    o = evaluate(make(M12_2024=3, M12_ore=10, M15_2024=0, M15_ore=0))
    assert o.values["M12_media"] == D("3.33")
    assert o.values["M15_media"] == D("0.00")


def test_totals_sum_all_21_rows():
    o = evaluate(make(M41_2019=5, R0A_2024=7, M59_2024=1))
    assert o.values["R0B_2019"] == 15 and o.values["R0B_2024"] == 108


def test_comparisons_use_unrounded_figures():
    # R04 = 4999/100000 = 4,999% prints as 5,00 but is below R05 = 5,00.
    o = evaluate(make(M12_2024=4999, R03=100000, R05=D("5.00")))
    assert o.service_ok is False and o.case == "B"
    assert evaluate(make(M12_2024=5000, R03=100000, R05=D("5.00"))).service_ok is True


def test_reference_spending_is_the_greater_and_equal_is_not_below():
    assert reference_spending(D("10"), D("20")) == D("20")
    assert reference_spending(D("30"), D("20")) == D("30")
    assert reference_spending(D("30"), None) == D("30")
    o = evaluate(make(R06=D("100.00"), R07_2017=D("50.00"), R07_2021=D("100.00")))
    assert o.below_need is False and o.case == "A"
    o = evaluate(make(R06=D("100.00"), R07_2017=D("50.00"), R07_2021=D("99.99")))
    assert o.below_need is True


def test_rising_r07_2021_changes_the_case():
    d = make_case("D")
    assert evaluate(d).case == "D"
    d.set("R07_2021", D("150000.00"))
    assert evaluate(d).case == "B"


def test_missing_inputs_leave_the_case_undetermined():
    o = assess(make(R03=None))
    assert o.outcome.case is None and o.outcome.values["R04"] is None and o.outcome.block is None
    assert o.outcome.values["R01B"] is None
    assert o.messages == []  # no ratio, no service level, no case: nothing to say yet
    o = assess(make(R06=None))
    assert o.outcome.case is None and [m.quadro for m in o.messages] == [1, 1, 1, 1]


def test_r08_missing_in_case_d_leaves_quadro3_undetermined():
    # Without R08 there is no R09: neither "fill Quadro 3" nor "go on to Quadro 4" is true.
    o = assess(make_case("D", R08=None))
    assert o.outcome.case == "D" and o.outcome.values["R09"] is None
    assert not o.outcome.quadro3_known and not o.outcome.quadro3_required
    assert [m for m in o.messages if m.quadro in (2, 3)] == []
    assert evaluate(make_case("D")).quadro3_known
    assert evaluate(make_case("A", R08=None)).quadro3_known  # A/B never fill Quadro 3


def missing_altro(draft):
    """The block's «Altro» items answered SI while R40 is blank: R40 must explain them."""
    return list(evaluate(draft).altro_unexplained)


def test_missing_altro():
    draft = example("tortona")
    assert missing_altro(draft) == []  # R40 already explains R39
    draft.set("R40", "   \n")
    assert missing_altro(draft) == ["R39"]
    draft.set("R39", "NO")
    assert missing_altro(draft) == []
    draft.set("R28", "SI")  # another block's Altro does not count
    assert missing_altro(draft) == []
    assert missing_altro(Draft(R22="SI")) == []  # no case, no block
