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
    editor.adopt(recovered, "ripristino del recupero")  # a recovery over the file's draft
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


# --- undo and redo -------------------------------------------------------------------------


def test_an_edit_typed_key_by_key_is_one_step_of_undo_and_redo_brings_it_back():
    editor, seen = editor_of(example("tortona"))
    assert editor.draft.R07_2021 == D("51475.22") and not editor.can_undo
    edit = editor.begin("R07_2021")
    for text in ("3", "32", "320", "320x", "3200", "32000", "320000"):  # 320x is refused
        edit.type(text)
    assert editor.draft.R07_2021 == D("320000.00")
    seen.clear()

    travel = editor.undo()
    assert travel.done and travel.cell == "R07_2021"
    assert travel.notice == "Annullata la modifica di R07_2021: torna a 51.475,22."
    assert editor.draft.R07_2021 == D("51475.22") and not editor.dirty
    assert seen == [Change(frozenset({"R07_2021"}))]
    assert not editor.can_undo and editor.can_redo

    travel = editor.redo()
    assert travel.notice == "Ripetuta la modifica di R07_2021: di nuovo 320.000,00."
    assert editor.draft.R07_2021 == D("320000.00") and editor.dirty
    assert editor.redo() == ("Niente da ripetere.", None, False)


def test_an_edit_cancelled_or_typed_back_to_its_value_leaves_nothing_to_undo():
    editor, _ = editor_of(example("tortona"))
    edit = editor.begin("M12_2024")
    edit.type("99")
    edit.cancel()
    assert not editor.can_undo
    edit = editor.begin("M12_2024")
    edit.type("9")
    edit.type(str(example("tortona").M12_2024))
    assert not editor.can_undo
    assert editor.undo() == ("Niente da annullare.", None, False)


def test_each_kind_of_change_is_undone_in_turn():
    """A cell, a Quadro 4 answer, a leftover emptied, R40 appended: undone last first."""
    draft = example("tortona")
    editor, _ = editor_of(draft)
    assert editor.try_set_text("M12_2024", "7") == ""
    item = editor.outcome.block.codes[0]
    answer = "NO" if editor.draft.get(item) == "SI" else "SI"
    assert editor.set(item, answer) == ""
    assert editor.append_r40(" Aggiunta.") == ""
    notices = [editor.undo().notice for _ in range(3)]
    assert notices[0].startswith("Annullata la modifica di R40: torna a un testo di ")
    assert notices[1].startswith(f"Annullata la modifica di {item}: torna a ")
    assert notices[2] == f"Annullata la modifica di M12_2024: torna a {draft.M12_2024}."
    assert editor.draft == draft and not editor.dirty


def test_a_leftover_emptied_can_be_had_back():
    draft = make_case("A")  # Quadro 3 does not apply: a value left there may be emptied
    draft.R12 = D("10.00")
    editor, _ = editor_of(draft)
    assert editor.can_empty("R12")
    assert editor.empty_leftover("R12")
    assert editor.draft.R12 is None
    assert editor.undo().notice == "Annullata la modifica di R12: torna a 10,00."
    assert editor.draft.R12 == D("10.00")


def test_an_unreadable_value_kept_from_the_file_comes_back_with_undo():
    draft = example("tortona")
    draft.invalid["M12_2024"] = "tanti"
    draft.M12_2024 = None
    editor, _ = editor_of(draft)
    assert editor.try_set_text("M12_2024", "12") == ""
    assert "M12_2024" not in editor.draft.invalid
    assert editor.undo().notice == "Annullata la modifica di M12_2024: torna al valore non valido «tanti»."
    assert editor.draft.invalid["M12_2024"] == "tanti" and editor.draft.M12_2024 is None


def test_r40_typed_without_a_pause_is_one_step_and_a_pause_starts_another(monkeypatch):
    from soc25_tui.core import editing

    clock = [100.0]
    monkeypatch.setattr(editing, "monotonic", lambda: clock[0])
    draft = example("tortona")
    editor, _ = editor_of(draft)
    typing = object()
    text = draft.R40 or ""
    for ch in "abc":
        text += ch
        clock[0] += 0.3
        editor.set("R40", text, group=typing)
    clock[0] += editing.TYPING_PAUSE + 0.1
    editor.set("R40", text + "d", group=typing)
    editor.undo()
    assert editor.draft.R40 == text
    editor.undo()
    assert editor.draft.R40 == draft.R40
    assert not editor.can_undo


def test_a_restored_recovery_is_undone_as_a_whole():
    saved = example("tortona")
    recovered = saved.copy()
    recovered.M12_2024 = 1
    recovered.R08 = D("1.00")
    editor, seen = editor_of(saved)
    editor.adopt(recovered, "ripristino del recupero")
    assert editor.dirty
    seen.clear()
    assert editor.undo() == ("Annullato: ripristino del recupero.", None, True)
    assert editor.draft == saved and not editor.dirty and seen[0].whole
    assert editor.redo().notice == "Ripetuto: ripristino del recupero."
    assert editor.draft == recovered


def test_opening_another_draft_forgets_the_history_and_a_new_change_the_redo():
    editor, _ = editor_of(example("tortona"))
    editor.try_set_text("M12_2024", "7")
    editor.try_set_text("M15_2024", "8")
    editor.undo()
    assert editor.can_redo
    editor.try_set_text("M18_2024", "9")  # a new change: the undone one cannot come back
    assert not editor.can_redo
    editor.load(example("sondrio"))
    assert not editor.can_undo and not editor.can_redo


def test_at_least_two_hundred_steps_are_kept():
    draft = example("tortona")
    editor, _ = editor_of(draft)
    for i in range(1, 251):
        assert editor.try_set_text("M12_2024", str(i)) == ""
    for _ in range(250):
        assert editor.undo().done
    assert editor.draft == draft and not editor.dirty


def test_a_read_only_draft_undoes_nothing():
    editor, _ = editor_of(example("tortona"))
    editor.try_set_text("M12_2024", "7")
    editor.set_read_only("bozza già aperta da un altro.")
    travel = editor.undo()
    assert travel == ("Sola lettura: bozza già aperta da un altro.", None, False)
    assert editor.draft.M12_2024 == 7
