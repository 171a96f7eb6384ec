"""The reviewer in the TUI: a note on a cell (its mark ✎ in the grid, its text in the edit
line), the list of the notes (resolve, delete, jump to the cell), the verdict, undo, saving and
reloading; an approval taken away by a change of a cell; a read-only draft takes no note."""

from __future__ import annotations

import os

import pytest
from textual.widgets import OptionList, Static

from soc25_tui import app as app_module
from soc25_tui.core import review as rv
from soc25_tui.core import session
from soc25_tui.core.drafts import load
from soc25_tui.screens.dialogs import Choice, NoteDialog, NotesDialog
from soc25_tui.screens.final import FinalScreen
from soc25_tui.screens.quadro2 import Quadro2Screen

from .test_tui import SIZE, copy_example, goto, grid, last_notice, open_app, plain, shown, status_line


@pytest.fixture(autouse=True)
def reviewer(monkeypatch):
    monkeypatch.setattr(rv, "who", lambda: "ats1")


def note_line(app) -> str:
    """The edit line's note ("" while hidden)."""
    widget = app.screen.query_one("#editor-note", Static)
    return plain(widget) if widget.display else ""


async def add_note(pilot, text: str) -> None:
    """Ctrl+N on the cell under the cursor, the text typed, Enter."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteDialog)
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_a_note_on_a_cell_is_marked_shown_resolved_deleted_and_undone(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R07_2021")
        assert shown(grid(app), "R07_2021") == "3.827.129,97" and note_line(app) == ""
        await add_note(pilot, "Manca [bold]la delibera[/]")
        assert isinstance(app.screen, Quadro2Screen)
        assert last_notice(app) == "Nota aggiunta su R07_2021."
        assert shown(grid(app), "R07_2021") == "✎ 3.827.129,97"  # a text mark: no colour needed
        assert note_line(app).startswith("✎ Nota di ats1, ")
        assert note_line(app).endswith(": Manca [bold]la delibera[/]")  # data, never markup
        assert "da rivedere · ✎ 1 · 0 errori" in status_line(app)
        assert status_line(app).startswith("* SONDRIO (SO)")  # modified: saved with Ctrl+S
        # the list: resolve the note
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, NotesDialog)
        await pilot.press("r")
        await pilot.pause()
        assert app.editor.draft.review.notes[0].resolved
        prompt = app.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        assert prompt.startswith("1. R07_2021 · ats1 · ") and " · risolta\n" in prompt
        await pilot.press("escape")
        await pilot.pause()
        assert shown(grid(app), "R07_2021") == "3.827.129,97" and note_line(app) == ""
        # delete it, then take the deletion back
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert app.editor.draft.review.notes == ()
        await pilot.press("escape", "ctrl+z")
        await pilot.pause()
        assert last_notice(app) == "Annullato: nota 1 su R07_2021 eliminata."
        assert [n.resolved for n in app.editor.draft.review.notes] == [True]
        await pilot.press("ctrl+z")  # and the resolution: the note is open again
        await pilot.pause()
        assert shown(grid(app), "R07_2021") == "✎ 3.827.129,97"


async def test_a_verdict_and_notes_are_saved_and_found_again(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        await add_note(pilot, "Da verificare")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("c")
        await pilot.pause()
        assert last_notice(app) == "Verdetto: da correggere."
        assert "da correggere · ✎ 1" in status_line(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.editor.dirty
    saved = load(path).review
    assert saved.state == "da-correggere"
    assert [(n.cell, n.text, n.author, n.resolved) for n in saved.notes] == [("R06", "Da verificare", "ats1", False)]
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        assert shown(grid(app), "R06").startswith("✎ ")
        assert note_line(app).endswith(": Da verificare")
        assert "da correggere · ✎ 1" in status_line(app)


async def test_the_final_screen_lists_the_notes_and_a_note_leads_to_its_cell(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.editor.add_note("R07_2021", "Spesa da rivedere")
        app.editor.add_note(None, "Allegare la relazione")
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        app.screen._render_summary()
        body = plain(app.screen.query_one("#summary-body", Static))
        assert "Note della revisione" in body
        assert body.index("Note della revisione") < body.index("Problemi da risolvere")
        assert "1. R07_2021 · ats1 · " in body and "Spesa da rivedere" in body
        assert "2. bozza · ats1 · " in body and "Allegare la relazione" in body
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, NotesDialog)
        await pilot.press("enter")  # the first note: on R07_2021, in Quadro 2
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen) and grid(app).current == "R07_2021"
        assert note_line(app).endswith(": Spesa da rivedere")


async def test_a_note_on_the_whole_draft_from_the_summary(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        app.screen.query_one("#summary").focus()
        await pilot.pause()
        await add_note(pilot, "Tutto in ordine")
        assert app.editor.draft.review.notes[0].cell is None
        assert last_notice(app) == "Nota aggiunta sulla bozza intera."


async def test_a_read_only_draft_takes_no_note_and_says_why(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    before = path.read_bytes()
    app = open_app(path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
        assert last_notice(app) == "Sola lettura: aperta con --view."
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not isinstance(app.screen, Choice)
        await pilot.press("ctrl+r")  # the notes can still be read
        await pilot.pause()
        assert isinstance(app.screen, NotesDialog)
    assert path.read_bytes() == before


async def test_changing_an_approved_draft_unapproves_it_live_and_undo_gives_it_back(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    draft = load(path)
    draft.review = draft.review.with_state("approvata", draft)
    from soc25_tui.core.drafts import save

    save(path, draft)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert "approvata · 0 errori" in status_line(app)
        await goto(pilot, "R08")
        await pilot.press(*"1", "enter")
        await pilot.pause()
        review = app.editor.draft.review
        assert review.state == "da-rivedere"
        # R08 as the example (the printed form of Sondrio) has it, then the value typed
        assert review.notes[-1].text == "Modificata dopo l'approvazione:\nR08: 140.850,26 → 1,00"
        assert "da rivedere · ✎ 1" in status_line(app)
        assert any("La bozza era approvata" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.review.state == "approvata" and not app.editor.dirty
        assert "Il verdetto torna «approvata»" in last_notice(app)


async def test_the_recovery_file_keeps_the_notes(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "RECOVERY_DELAY", 0.05)
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        await add_note(pilot, "Nota non salvata")
        for _ in range(40):
            await pilot.pause(0.05)
            if os.path.exists(session.recovery_path(path)):
                break
        await app.workers.wait_for_complete()
    recovered = load(session.recovery_path(path)).review
    assert [n.text for n in recovered.notes] == ["Nota non salvata"]
    assert load(path).review.notes == ()  # not saved: only in the recovery file


async def test_the_help_names_the_mark_and_the_keys_of_the_review(tmp_path):
    from .test_tui import dialog_text

    app = open_app(copy_example(tmp_path, "sondrio"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = " ".join(dialog_text(app).split())
        assert "✎ segna una cella con una nota della revisione aperta" in text
        assert "Ctrl+N nota della revisione sulla cella" in text
        assert "Ctrl+T verdetto della revisione" in text


async def test_a_note_from_the_file_is_shown_as_data_everywhere(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    hostile = "[red]rosso[/] \x1b]0;titolo\x07 \u202edestra\n[link=x]y[/link]"
    draft = load(path)
    draft.review = draft.review.with_note(rv.Note("R06", hostile, "\x1b[2Jx"))  # no time: as a file may say
    from soc25_tui.core.drafts import save

    save(path, draft)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        line = note_line(app)
        assert "[red]rosso[/] ␛]0;titolo␇ ⟨U+202E⟩destra [link=x]y[/link]" in line
        assert "Nota di ␛[2Jx, data non indicata" in line
        await pilot.press("ctrl+r")
        await pilot.pause()
        prompt = app.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        assert prompt == ("1. R06 · ␛[2Jx · data non indicata · aperta\n"
                          "   [red]rosso[/] ␛]0;titolo␇ ⟨U+202E⟩destra\n   [link=x]y[/link]")
        for text in (line, prompt):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


async def test_the_edit_line_counts_the_other_open_notes_in_italian(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    with open(path, "a", encoding="utf-8") as fh:
        for text in ("Prima", "Seconda", "Terza"):
            fh.write(f'\n[[revisione.note]]\ncella = "R07_2021"\ntesto = "{text}"\nautore = "ats2"\n')
        fh.write('\n[[revisione.note]]\ncella = "R08"\ntesto = "Quarta"\n')
        fh.write('\n[[revisione.note]]\ncella = "R08"\ntesto = "Quinta"\n')
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R07_2021")
        assert note_line(app) == "✎ Nota di ats2, data non indicata (e altre 2: Ctrl+R): Prima"
        await goto(pilot, "R08")
        assert note_line(app) == "✎ Nota di autore non indicato, data non indicata (e un'altra: Ctrl+R): Quarta"
