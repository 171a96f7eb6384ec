"""A draft written by someone else, opened in the TUI: terminal escapes and Rich markup in
its text are shown as written, never obeyed nor interpreted; typing markup crashes nothing;
the draft keeps its text byte for byte."""

from __future__ import annotations

import re

from textual import events

from soc25_tui.app import Soc25App
from soc25_tui.core.drafts import dumps, load
from soc25_tui.core.visible import visible
from soc25_tui.screens.dialogs import Choice, JumpDialog
from soc25_tui.screens.final import FinalScreen
from soc25_tui.screens.quadro1 import Quadro1Screen
from soc25_tui.widgets.editor import EditorInput

from ..core.test_visible import HOSTILE, HOSTILE_R40, HOSTILE_SHOWN
from ..factories import make
from .test_tui import SIZE, goto, grid, open_app, shown, status_line, with_recovery

# On screen: any C0 but newline, DEL, C1 or bidirectional control is raw text sent to the
# terminal (Textual writes a widget's text as it is).
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def on_screen(app) -> str:
    """Every character the screen shows (an SVG of it: its text as the terminal gets it)."""
    return app.export_screenshot()


async def test_a_hostile_draft_is_shown_as_written_and_kept_byte_for_byte(tmp_path):
    path = tmp_path / "ostile.toml"
    draft = make(comune=HOSTILE, R0C=HOSTILE, R40=HOSTILE_R40)
    path.write_text(dumps(draft), encoding="utf-8")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        # The escapes as pictures (the name is cut at 80 columns; its markup: below).
        assert status_line(app).startswith("X␛]0;pwned␇Y␛[2J[…")
        assert shown(grid(app), "comune").startswith("Comune: X␛]0;pwned␇Y")
        assert _RAW.search(on_screen(app)) is None
        # Enter on the Comune and Enter again: the edit line showed the name, nothing changes.
        await goto(pilot, "comune")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(EditorInput).value == HOSTILE_SHOWN  # "[bold red]" too
        assert _RAW.search(on_screen(app)) is None
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.draft.comune == HOSTILE and not app.editor.dirty
        # A control character pasted into the edit line is shown as what it is.
        await goto(pilot, "comune")  # Enter moved on to the next cell
        await pilot.press("enter", "end")
        app.post_message(events.Paste("\x1b[2J\x9b"))
        await pilot.pause()
        assert app.screen.query_one(EditorInput).value == HOSTILE_SHOWN + "␛[2J⟨U+009B⟩"
        await pilot.press("escape")
        await pilot.pause()
        # R40 and the summary on the final screen.
        await pilot.press("f6")
        await pilot.pause(0.6)  # the summary is drawn after a pause
        assert isinstance(app.screen, FinalScreen)
        assert app.screen.area.text == visible(HOSTILE_R40, multiline=True)
        assert _RAW.search(on_screen(app)) is None
        await pilot.press("ctrl+s")
        await pilot.pause()
    again = load(path)
    assert (again.comune, again.R0C, again.R40) == (HOSTILE, HOSTILE, HOSTILE_R40)
    assert again == draft


async def test_markup_typed_or_recovered_is_text_and_crashes_nothing(tmp_path):
    path = tmp_path / "prova.toml"
    path.write_text(dumps(make()), encoding="utf-8")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, "comune")
        await pilot.press("delete", *"X[/]", "enter")
        await pilot.pause()
        assert app.editor.draft.comune == "X[/]"
        assert status_line(app).startswith("* X[/] (MI) · ")
        # A cell name with markup, typed into «Vai al campo».
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, JumpDialog)
        await pilot.press(*"[/]", "enter")
        await pilot.pause()
        assert "✗ «[/]» non è il nome di una cella" in on_screen(app).replace("&#160;", " ")
        await pilot.press("escape")
        await pilot.pause()
    # The recovery of that session, offered and restored at the next opening.
    with_recovery(path, comune="[bold]X[/]", R0D="[link=file:///etc/passwd]L[/link]")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        screen = on_screen(app).replace("&#160;", " ")  # as drawn: markup would not show
        assert "comune: PROVA → [bold]X[/]" in screen
        assert "R0D: CAPOFILA → [link=file:///etc/passwd]L[/link]" in screen
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert status_line(app).startswith("* [bold]X[/] (MI) · ")
        assert "Recupero del" in " ".join(str(n.message) for n in app._notifications)


async def test_the_list_of_drafts_shows_file_names_and_comuni_as_written(tmp_path, monkeypatch):
    (tmp_path / "a\x1b[2J.toml").write_text(dumps(make(comune="[bold]X[/]\x1b]0;t\x07")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    app = Soc25App(None)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):  # the folder is read in a worker thread
            await pilot.pause(0.05)
            if app.screen.table.rows:
                break
        screen = on_screen(app).replace("&#160;", " ")
        # The Comune in its column, the file's name on the line about the row under the cursor.
        assert "./a␛[2J.toml" in screen and "[bold]X[/]␛]0;t␇" in screen
        assert _RAW.search(screen) is None
        await pilot.press("right", "right", "right", "right", "right", "right", "right", "right",
                          "right", "right", "right", "right")  # as far as the File column
        await pilot.pause()
        screen = on_screen(app).replace("&#160;", " ")
        assert "[bold]X[/]␛]0;t␇" in screen and " a␛[2J.toml" in screen
        assert _RAW.search(screen) is None


async def test_a_paste_into_a_dialog_line_is_shown_as_written(tmp_path):
    """«Vai al campo» (and every other dialog's line: new draft, compare with, notes): a pasted
    escape sequence is shown as what it is, never sent to the terminal."""
    path = tmp_path / "bozza.toml"
    path.write_text(dumps(make(comune="SONDRIO")), encoding="utf-8")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, JumpDialog)
        app.post_message(events.Paste("\x1b]0;pwned\x07R07\x9b"))
        await pilot.pause()
        assert app.screen.query_one("#jump").value == "␛]0;pwned␇R07⟨U+009B⟩"
        assert _RAW.search(on_screen(app)) is None
