"""The draft editor, driven as any face drives it, without Textual."""

from __future__ import annotations

from decimal import Decimal

from soc25_tui.core.assess import assess
from soc25_tui.core.editing import Change, DraftEditor
from soc25_tui.core.layout import R40_MAX_CHARS
from soc25_tui.core.model import Draft

from ..factories import example, make, make_case

D = Decimal


def editor_of(draft, **kwargs) -> tuple[DraftEditor, list[Change]]:
    editor = DraftEditor(draft, **kwargs)
    seen: list[Change] = []
    editor.subscribe(seen.append)
    return editor, seen


def test_a_new_editor_is_the_draft_as_its_file_holds_it():
    draft = example("tortona")
    editor, seen = editor_of(draft)
    assert not editor.dirty and not editor.read_only and seen == []
    assert editor.assessment == assess(draft)
    assert editor.outcome.case == "D"


def test_typed_text_goes_in_and_everything_derived_follows():
    editor, seen = editor_of(example("tortona"))
    total = editor.outcome.values["R0B_2024"]
    assert editor.try_set_text("M12_2024", "1.013") == ""
    assert editor.draft.M12_2024 == 1013 and editor.dirty
    assert editor.outcome.values["R0B_2024"] == total - 13 + 1013
    assert editor.display("M12_2024") == "1.013"
    assert seen == [Change(frozenset({"M12_2024"}))]
    # Typing the value from the file again: no longer modified.
    assert editor.try_set_text("M12_2024", "13") == ""
    assert not editor.dirty


def test_a_figure_that_cannot_be_read_is_refused_and_nothing_changes():
    editor, seen = editor_of(example("tortona"))
    before = editor.draft.copy()
    error = editor.try_set_text("R06", "12,345")
    assert error.startswith("R06: ") and "decimali" in error
    assert editor.draft == before and not editor.dirty and seen == []


def test_read_only_refuses_every_change_and_says_why():
    editor, seen = editor_of(example("sondrio"), read_only_reason="aperta con --view.")
    assert editor.try_set_text("M12_2019", "1") == "Sola lettura: aperta con --view."
    assert editor.set("R40", "x") == "Sola lettura: aperta con --view."
    assert editor.append_r40("x").startswith("Sola lettura")
    assert editor.why_locked("M12_2019") == "Sola lettura: aperta con --view."
    assert editor.draft == example("sondrio") and seen == []
    editor.set_read_only("")
    assert seen == [Change(frozenset(), state=True)] and editor.try_set_text("M12_2019", "1") == ""


def test_a_cell_edit_keeps_the_value_from_before_while_the_text_is_invalid():
    """1,23 on the way to 1.234 is valid; 1.2 is not a whole number: the draft keeps 15."""
    editor, _ = editor_of(example("tortona"))
    edit = editor.begin("M12_2019")
    assert edit.type("1") == "" and editor.draft.M12_2019 == 1
    assert edit.type("1.2") and editor.draft.M12_2019 == 15
    assert edit.reason().startswith("«1.2»") and not edit.reason().startswith("M12_2019")
    assert edit.type("1.234") == "" and editor.draft.M12_2019 == 1234 and edit.error == ""
    edit.cancel()
    assert editor.draft.M12_2019 == 15 and not editor.dirty


def test_cancelling_an_edit_puts_back_a_value_kept_unreadable_from_the_file():
    draft = Draft(invalid={"R06": "dieci"})
    editor, _ = editor_of(draft)
    edit = editor.begin("R06")
    assert edit.type("100") == "" and editor.draft.R06 == D("100.00") and "R06" not in editor.draft.invalid
    edit.cancel()
    assert editor.draft.R06 is None and editor.draft.invalid == {"R06": "dieci"}


def test_why_a_cell_is_locked_comes_from_the_rules_facts():
    editor, _ = editor_of(make_case("A", R12=D("500.00")))  # Quadro 3 does not apply
    assert editor.why_locked("R04") == "R04 è calcolata dal programma: si aggiorna da sola."
    assert editor.why_locked("R12") == (
        "Il Quadro 3 non va compilato: la spesa non è inferiore al fabbisogno.")
    assert editor.why_locked("R13") == editor.why_locked("R12")
    assert editor.can_empty("R12") and not editor.can_empty("R13")  # R13 holds nothing
    assert editor.why_locked("R16") == ""
    assert editor.why_locked("R23") == (
        "R23 non si applica al caso A: la risposta è conservata ma non va compilata.")
    editor, _ = editor_of(make_case("D", R08=D("999.99")))  # R09 below the threshold
    assert editor.why_locked("R12") == ("Il Quadro 3 non va compilato: le risorse da "
                                        "rendicontare (R09 = 999,99 euro) sono inferiori a 1.000 euro.")
    editor, _ = editor_of(make_case("D", R08=None))  # R08 missing: it may well apply
    assert editor.why_locked("R12") == ""
    editor, _ = editor_of(make(R03=None))  # no case
    assert editor.why_locked("R12") == editor.why_locked("R16") == (
        "Caso non determinabile: completare prima i Quadri 1 e 2.")


def test_a_value_left_where_its_section_does_not_apply_can_be_emptied():
    editor, seen = editor_of(make_case("A", R12=D("500.00"), R23="SI"))
    assert editor.empty_leftover("R12") == "R12 svuotata: la sezione non si applica a questa bozza."
    assert editor.draft.R12 is None and seen[-1].cells == {"R12"}
    assert editor.empty_leftover("R12") == ""  # nothing left
    assert editor.empty_leftover("R23").startswith("R23 svuotata")
    assert editor.draft.R23 is None
    assert editor.empty_leftover("R16") == ""  # in the block of the case: not a leftover


def test_r40_grows_at_its_end_within_6000_characters():
    editor, _ = editor_of(make_case("A", R40="Inizio"))
    assert editor.append_r40(" e seguito") == "" and editor.draft.R40 == "Inizio e seguito"
    editor.set("R40", "x" * R40_MAX_CHARS)
    assert editor.append_r40("z") == "Testo rifiutato: R40 arriverebbe a 6.001 caratteri, il massimo è 6.000."
    assert editor.draft.R40 == "x" * R40_MAX_CHARS


def test_loading_another_draft_and_saving_it():
    editor, seen = editor_of(example("sondrio"))
    recovered = example("sondrio")
    recovered.set("M12_2019", 1)
    editor.load(recovered, saved=editor.draft)  # a recovery restored over the file's draft
    assert editor.dirty and editor.draft.M12_2019 == 1 and seen[-1].whole
    editor.mark_saved()
    assert not editor.dirty and seen[-1] == Change(frozenset(), state=True)
    editor.load(example("tortona"))  # another file
    assert not editor.dirty and editor.outcome.case == "D"


def test_the_status_line_says_comune_case_and_counts_and_keeps_them_whole():
    editor, _ = editor_of(example("tortona"))  # no Comune in the print
    left, right = editor.status_text(78)
    assert left == "Comune non indicato · Caso D: spesa e servizi inferiori"
    assert right == f"{editor.assessment.errors} errori · {editor.assessment.warnings} avvisi"
    editor.set("comune", "Tortona " * 10)
    left, right = editor.status_text(78)
    assert left.startswith("* Tortona") and "…" in left and left.endswith("Caso D: spesa e servizi inferiori")
    assert len(left) + 1 + len(right) <= 78
    left, _ = editor.status_text(40)  # too narrow for the case in words: its letter
    assert left.endswith(" · Caso D")
    editor.set_read_only("bozza già aperta da un collega.")
    assert editor.status_text(78)[0].startswith("[SOLA LETTURA] ")


def test_a_listener_that_stops_hears_nothing_more():
    editor = DraftEditor(example("sondrio"))
    seen: list[Change] = []
    stop = editor.subscribe(seen.append)
    editor.set("M12_2019", 1)
    stop()
    editor.set("M12_2019", 2)
    assert len(seen) == 1


def test_an_unreadable_value_left_where_quadro3_does_not_apply_can_be_emptied():
    """The checks ask to correct it, but the cell is locked: Canc must be able to remove it."""
    draft = make_case("A")
    draft.invalid["R12"] = "tanto"
    editor, _ = editor_of(draft)
    assert editor.can_empty("R12")
    assert editor.empty_leftover("R12").startswith("R12 svuotata")
    assert "R12" not in editor.draft.invalid and not any(p.cell == "R12" for p in editor.assessment.problems)
