"""The reviewer's notes and verdict through the draft editor (undo, change notices, the
approval taken away live by a cell change) and in the summary («Note della revisione»)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from soc25_tui.core import review as rv
from soc25_tui.core import outputs, summary
from soc25_tui.core.drafts import dumps, loads
from soc25_tui.core.editing import Change, DraftEditor

from ..factories import example

AT = dt.datetime(2026, 12, 2, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def reviewer(monkeypatch):
    """Notes written by «ats1» (the OS user where the tests run is anybody)."""
    monkeypatch.setattr(rv, "who", lambda: "ats1")


def editor_of(name: str = "sondrio", **kwargs) -> tuple[DraftEditor, list[Change]]:
    editor = DraftEditor(example(name), **kwargs)
    seen: list[Change] = []
    editor.subscribe(seen.append)
    return editor, seen


# --- notes ---------------------------------------------------------------------------------


def test_a_note_is_a_change_of_the_draft_told_and_undone_like_a_cell():
    editor, seen = editor_of()
    done = editor.add_note("r07_2021", "Manca la delibera")
    assert done.done and done.cell == "R07_2021" and done.notice == "Nota aggiunta su R07_2021."
    note = editor.draft.review.notes[0]
    assert (note.cell, note.text, note.author, note.resolved) == ("R07_2021", "Manca la delibera", "ats1", False)
    assert note.time is not None and note.time.tzinfo is not None  # now, with its time zone
    assert editor.dirty
    assert seen == [Change(frozenset(), review=True)]
    assert editor.open_notes_on("R07_2021") == [(0, note)]
    travel = editor.undo()
    assert travel.notice == "Annullato: nota aggiunta su R07_2021." and travel.cell == "R07_2021"
    assert editor.draft.review.notes == () and not editor.dirty
    assert editor.redo().notice == "Ripetuto: nota aggiunta su R07_2021."
    assert editor.draft.review.notes == (note,)


def test_resolve_reopen_and_delete_each_a_step_of_undo():
    editor, _ = editor_of()
    editor.add_note("R06", "Controllare")
    editor.add_note(None, "Allegare la relazione")
    assert editor.resolve_note(1).notice == "Nota 2 sulla bozza intera segnata come risolta."
    assert [n.resolved for n in editor.draft.review.notes] == [False, True]
    assert editor.resolve_note(1).notice == "La nota 2 è già risolta."
    assert editor.resolve_note(1, False).notice == "Nota 2 sulla bozza intera riaperta."
    assert editor.delete_note(0).notice == "Nota 1 su R06 eliminata."
    assert [n.text for n in editor.draft.review.notes] == ["Allegare la relazione"]
    assert editor.undo().notice == "Annullato: nota 1 su R06 eliminata."
    assert [n.text for n in editor.draft.review.notes] == ["Controllare", "Allegare la relazione"]
    editor.undo()
    assert [n.resolved for n in editor.draft.review.notes] == [False, True]
    assert editor.delete_note(5).notice == "Nota 6 inesistente: la bozza ha 2 note."


def test_a_bad_note_is_refused_and_nothing_changes():
    editor, seen = editor_of()
    assert editor.add_note("R07_2099", "x").notice.startswith("Nota non aggiunta: cella «R07_2099» sconosciuta")
    assert editor.add_note("R06", "   ").notice == "Nota non aggiunta: il testo della nota è vuoto."
    assert editor.set_verdict("ok").notice.startswith("Stato «ok» non valido")
    assert editor.draft.review == rv.EMPTY and seen == [] and not editor.dirty and not editor.can_undo


def test_read_only_takes_no_note_and_says_why():
    editor, seen = editor_of(read_only_reason="bozza già aperta da collega su pc1.")
    editor.draft.review = editor.draft.review.with_note(rv.new_note("R06", "vecchia"))
    for done in (editor.add_note("R06", "x"), editor.resolve_note(0), editor.delete_note(0),
                 editor.set_verdict("approvata")):
        assert done.notice == "Sola lettura: bozza già aperta da collega su pc1." and not done.done
    assert len(editor.draft.review.notes) == 1 and editor.draft.review.state == "da-rivedere"
    assert seen == []


def test_the_verdict_is_a_step_and_an_approval_with_errors_is_warned():
    editor, seen = editor_of("vuota")
    errors = editor.assessment.errors
    assert errors > 1
    done = editor.set_verdict("approvata")
    assert done.notice == f"Verdetto: approvata. Attenzione: la bozza ha {errors} errori."
    assert editor.draft.review.approved == rv.fingerprint(editor.draft)
    assert editor.set_verdict("approvata").notice == "Il verdetto è già «approvata»."
    assert editor.undo().notice == "Annullato: verdetto da «da rivedere» a «approvata»."
    assert editor.draft.review.state == "da-rivedere"


def test_the_status_line_says_the_verdict_and_the_open_notes_and_keeps_the_comune_whole():
    editor, _ = editor_of()
    assert editor.status_text(80) == ("SONDRIO (SO) · Caso A: spesa e servizi non inferiori",
                                      "0 errori · 0 avvisi")
    editor.add_note("R06", "a")
    editor.add_note("R08", "b")
    editor.resolve_note(0)
    editor.set_verdict("da-correggere")
    left, right = editor.status_text(80)
    assert right == "da correggere · ✎ 1 · 0 errori · 0 avvisi"
    assert left == "* SONDRIO (SO) · Caso A"  # the name whole, the case by its letter
    assert len(left) + 1 + len(right) <= 80


# --- an approval taken away by a change of the cells ---------------------------------------


def test_changing_a_cell_of_an_approved_draft_unapproves_it_at_once_in_the_same_step():
    editor, seen = editor_of()
    editor.set_verdict("approvata")
    seen.clear()
    assert editor.try_set_text("R07_2021", "1") == ""
    review = editor.draft.review
    assert review.state == "da-rivedere" and review.approved == ""
    # R07_2021 as the printed form of Sondrio shows it, then the new value
    assert review.notes[-1].text == "Modificata dopo l'approvazione:\nR07_2021: 3.827.129,97 → 1,00"
    assert review.notes[-1].author == "ats1" and review.notes[-1].cell is None
    assert seen[-1] == Change(frozenset({"R07_2021"}), review=True, unapproved=True)
    # a second change: the same note lists both cells against the approved version
    assert editor.try_set_text("R06", "5") == ""
    assert len(editor.draft.review.notes) == 1
    assert editor.draft.review.notes[-1].text == (
        "Modificata dopo l'approvazione:\nR06: 1.984.440,83 → 5,00\nR07_2021: 3.827.129,97 → 1,00")
    assert not seen[-1].unapproved
    editor.undo()
    assert editor.draft.review.notes[-1].text.endswith("\nR07_2021: 3.827.129,97 → 1,00")
    travel = editor.undo()  # the change that took the approval away: the approval is back
    assert travel.notice == ("Annullata la modifica di R07_2021: torna a 3.827.129,97. "
                             "Il verdetto torna «approvata».")
    assert editor.draft.review.state == "approvata" and editor.draft.review.notes == ()
    assert editor.draft.R07_2021 == Decimal("3827129.97")
    editor.redo()
    assert editor.draft.review.state == "da-rivedere" and len(editor.draft.review.notes) == 1


def test_typing_back_the_approved_value_gives_the_approval_back():
    editor, _ = editor_of()
    editor.set_verdict("approvata")
    edit = editor.begin("R06")
    assert edit.type("7") == "" and editor.draft.review.state == "da-rivedere"
    assert edit.type("7x") != "" and editor.draft.review.state == "approvata"  # not in the draft
    assert edit.type("1984440,83") == "" and editor.draft.review.state == "approvata"
    assert editor.draft.review.notes == ()


def test_a_note_from_the_reviewer_stops_the_note_of_the_lost_approval_from_growing():
    editor, _ = editor_of()
    editor.set_verdict("approvata")
    editor.try_set_text("R06", "5")
    editor.add_note(None, "Visto")
    editor.try_set_text("R08", "1")
    notes = editor.draft.review.notes
    assert [n.text for n in notes] == ["Modificata dopo l'approvazione:\nR06: 1.984.440,83 → 5,00", "Visto"]


def test_the_recovery_file_keeps_the_review_and_an_unapproval_being_typed():
    editor, _ = editor_of()
    editor.add_note("R06", "Da verificare")
    editor.set_verdict("approvata")
    again = loads(dumps(editor.recovery_draft()), "recupero")
    assert again.review == editor.draft.review
    edit = editor.begin("R06")
    edit.type("12,345")  # not valid: kept by the recovery file as typed
    again = loads(dumps(editor.recovery_draft()), "recupero")
    assert again.invalid["R06"] == "12,345"
    assert again.review.state == "da-rivedere"
    assert again.review.notes[-1].text.startswith("Modificata dopo l'approvazione:\nR06: 1.984.440,83 → ")
    assert editor.draft.review.state == "approvata"  # the draft itself is still as approved


# --- the summary ---------------------------------------------------------------------------


def reviewed():
    draft = example("sondrio")
    review = draft.review.with_note(rv.new_note("R07_2021", "La spesa *2021*\nva [bold]rivista[/] \x1b[31m",
                                                author="ats1", time=AT))
    review = review.with_note(rv.new_note(None, "Allegare la delibera", author="ats2", time=AT))
    draft.review = review.with_resolved(1).with_state("da-correggere", draft)
    return draft


def test_a_draft_without_review_has_no_review_section():
    for fmt in ("text", "svg", "md", "html"):
        assert "Note della revisione" not in outputs.render(example("sondrio"), fmt, 100)


def test_the_review_section_in_the_text_summary_after_the_problems():
    text = summary.export(reviewed(), "text", 100)
    assert text.index("Problemi da risolvere") < text.index("Note della revisione")
    section = text[text.index("Note della revisione"):]
    lines = [line.strip() for line in section.splitlines() if line.strip()]
    assert lines[1:] == [
        "Verdetto: da correggere",
        "Note:     2 note, 1 aperta",
        "1. R07_2021 · ats1 · 02/12/2026 10:15 · aperta",
        "La spesa *2021*",
        "va [bold]rivista[/] ␛[31m",  # data: no markup, no escape sequence
        "2. bozza · ats2 · 02/12/2026 10:15 · risolta",
        "Allegare la delibera",
    ]


def test_the_review_section_in_markdown_html_and_svg():
    md = summary.export(reviewed(), "md", 100)
    assert "## Note della revisione" in md
    assert "**Verdetto:** da correggere" in md
    assert "**1\\. R07\\_2021 · ats1 · 02/12/2026 10:15 · aperta**" in md
    assert "La spesa \\*2021\\*  \nva \\[bold\\]rivista\\[/\\] ␛\\[31m" in md
    html = outputs.render(reviewed(), "html", 100)
    assert "Note della revisione" in html and "02/12/2026 10:15" in html and "\x1b" not in html
    svg = summary.export(reviewed(), "svg", 100)
    assert "Note&#160;della&#160;revisione" in svg and "02/12/2026&#160;10:15" in svg  # Rich's spaces


def test_on_the_final_screen_the_notes_come_before_the_problems():
    import io

    from rich.console import Console

    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(summary.build(reviewed(), problems_first=True))
    text = console.export_text()
    assert text.index("Note della revisione") < text.index("Problemi da risolvere") < text.index("Quadro 1")
