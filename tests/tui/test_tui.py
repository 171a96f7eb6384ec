"""The TUI driven through real key presses (Textual Pilot, 80x24).

Every test works on a copy of an example in tmp_path: the files in examples/ are never
opened for writing. Tortona is case D (Quadro 3 required), Sondrio case A, Lomellina case B.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import socket
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import Static

from soc25_tui import app as app_module
from soc25_tui import keys
from soc25_tui.core import messages, session
from soc25_tui.app import CellCommands, Soc25App
from soc25_tui.core.drafts import backup_path, load
from soc25_tui.core.layout import QUADRO_TITLES
from soc25_tui.core.messages import counter_text
from soc25_tui.core.r40 import propose
from soc25_tui.screens.base import QuadroScreen
from soc25_tui.screens.dialogs import Choice, HelpScreen, JumpDialog
from soc25_tui.screens.final import FinalScreen, R40Area
from soc25_tui.screens.quadro1 import Quadro1Screen
from soc25_tui.screens.quadro2 import Quadro2Screen
from soc25_tui.screens.quadro3 import Quadro3Screen
from soc25_tui.screens.quadro4 import Quadro4Screen
from soc25_tui.widgets.editor import EditorInput
from soc25_tui.widgets.grid import FormGrid
from soc25_tui.widgets.panels import HeaderBar, MessagePanel

from ..conftest import EXAMPLES

SIZE = (80, 24)


# --- helpers -------------------------------------------------------------------------------


def copy_example(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.toml"
    shutil.copy(EXAMPLES / f"{name}.toml", path)
    return path


def with_recovery(path: Path, **cells) -> Path:
    """A recovery file beside `path`, left by an earlier session that changed `cells`."""
    draft = load(path)
    for name, value in cells.items():
        draft.set(name, value)
    session.write_recovery(str(path), draft)
    return path


def open_app(path: Path, **kwargs) -> Soc25App:
    return Soc25App(str(path), load(path), **kwargs)


def plain(widget) -> str:
    """What a Static shows, as plain text (whatever renderable it was given)."""
    content = widget.content
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return " ".join(console.export_text().split())


def status_line(app: Soc25App) -> str:
    """The status line as the terminal shows it (at its width: a cut part ends in "…")."""
    bar = app.screen.query_one(HeaderBar)
    console = Console(width=bar.content_size.width, file=io.StringIO(), record=True, color_system=None)
    console.print(bar.content)
    return console.export_text().rstrip("\n")


def edit_line(app: Soc25App) -> str:
    return plain(app.screen.query_one("#editor-status", Static))


def grid(app: Soc25App) -> FormGrid:
    return app.screen.query_one(FormGrid)


def find(g: FormGrid, name: str) -> Coordinate:
    for row in range(g.row_count):
        for col in range(len(g.columns)):
            coord = Coordinate(row, col)
            if g.name_at(coord) == name:
                return coord
    raise AssertionError(f"{name} is not in the grid")


def shown(g: FormGrid, name: str) -> str:
    """The text the grid shows for cell `name` (an inline text cell shows "Label: value")."""
    return g.get_cell_at(find(g, name)).plain


def row_label(g: FormGrid, name: str) -> str:
    return g.get_cell_at(Coordinate(find(g, name).row, 1)).plain


def notices(app: Soc25App) -> list[str]:
    """Every notification shown so far, as text."""
    return [str(n.message) for n in app._notifications]


def last_notice(app: Soc25App) -> str:
    return list(app._notifications)[-1].message


def dialog_text(app: Soc25App) -> str:
    return "\n".join(plain(s) for s in app.screen.query(Static))


async def jump(pilot, name: str) -> None:
    """Ctrl+G, the cell's public name typed key by key, Enter."""
    await pilot.press("ctrl+g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, JumpDialog)
    await pilot.press(*name, "enter")
    await pilot.pause()
    await pilot.pause()


async def goto(pilot, name: str) -> None:
    """What Ctrl+G does once a name is entered (the dialog itself is tested on its own):
    keeps the other tests short, as every key press costs ~0.1 s under Pilot."""
    pilot.app.jump_to(name)
    await pilot.pause()
    await pilot.pause()


async def from_the_palette(pilot, query: str) -> None:
    """Ctrl+P, the query typed, Enter on the best hit once the palette lists it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    for _ in range(20):
        await pilot.pause(0.05)
        options = pilot.app.screen.query("CommandList")
        if options and options.first().option_count:
            break
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def type_cell(pilot, name: str, text: str) -> None:
    """Reach `name`, type `text` on it and confirm with Enter."""
    await goto(pilot, name)
    assert grid(pilot.app).current == name
    await pilot.press(*text, "enter")
    await pilot.pause()


# --- 1. the case follows a changed R07_2021 -------------------------------------------------


async def test_r07_rising_above_r06_turns_case_d_into_b(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)
        panel = app.screen.query_one(MessagePanel)
        assert app.editor.outcome.case == "D"
        assert panel.texts() == [messages.text("q2_caso_D"), messages.text("q2_vai_quadro3")]

        g = grid(app)
        assert g.current == "R06"
        await pilot.press("down", "right")
        assert g.current == "R07_2021"
        await pilot.press(*"60000", "enter")
        await pilot.pause()

        assert app.editor.draft.R07_2021 == 60000
        assert app.editor.outcome.case == "B"
        assert [m.key for m in app.editor.assessment.messages if m.quadro == 2] == ["q2_caso_B", "q2_vai_quadro4"]
        assert panel.texts() == [messages.text("q2_caso_B"), messages.text("q2_vai_quadro4")]
        body = plain(panel.query_one(".messages-body", Static))
        assert messages.text("q2_caso_B") in body
        assert messages.text("q2_caso_D") not in body
        assert "Caso B" in status_line(app)

        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, Quadro4Screen)
        g = grid(app)
        editable = [n for n in g.cell_names if g.editable(n)]
        assert editable == ["R23", "R24", "R25", "R26", "R27", "R28"]
        assert g.current == "R23"
        # The answers given for block D are kept in the draft and still shown, flagged.
        d_items = ["R34", "R35", "R36", "R37", "R38", "R39"]
        assert [app.editor.draft.get(n) for n in d_items] == ["NO"] * 5 + ["SI"]
        for name in d_items:
            assert name in g.cell_names
            assert row_label(g, name).startswith("(non si applica)")
            assert shown(g, name) in ("! SI", "! NO")  # marked: a warning until removed
        headings = [g.get_row_at(r)[1].plain for r in range(g.row_count)]
        assert any(h.startswith("▸ Blocco D (R34-R39): non si applica, il caso è B") for h in headings)
        assert any(h.startswith("BLOCCO B (R23-R28)") for h in headings)


# --- 2. an invalid figure ------------------------------------------------------------------


async def test_invalid_figure_is_refused_with_text_and_esc_restores(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        assert app.editor.draft.M12_2019 == 15
        await pilot.press("enter")  # edit, starting from the current value
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.edit_line.input.value == "15a"
        status = edit_line(app)
        assert "«15a»" in status and "valido" in status
        assert "valore precedente" in status
        assert app.editor.draft.M12_2019 == 15
        # Enter on an invalid figure does not confirm it: still editing, value kept.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.edit_line.editing
        assert app.editor.draft.M12_2019 == 15
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.edit_line.editing
        assert app.editor.draft.M12_2019 == 15
        assert "M12_2019" not in app.editor.draft.invalid

        # Typing over the cell: "1", "2" are valid and live, "a" is not.
        await pilot.press("1", "2", "a")
        await pilot.pause()
        assert "«12a»" in edit_line(app)
        # While the text is invalid the draft holds the value from before this edit, never
        # a half-typed prefix (a Ctrl+S or a recovery file now would save 15, not 12).
        assert app.editor.draft.M12_2019 == 15
        await pilot.press("escape")
        await pilot.pause()
        assert app.editor.draft.M12_2019 == 15  # the value from before editing
        assert app.screen.edit_line.input.value == "15"
        assert shown(grid(app), "M12_2019") == "15"
        assert grid(app).current == "M12_2019"


# --- 3. jump to a cell ---------------------------------------------------------------------


async def test_jump_dialog_reaches_a_cell_on_another_screen(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, Quadro1Screen)
        await jump(pilot, "r07_2021")  # lower case, as typed
        assert isinstance(app.screen, Quadro2Screen)
        assert grid(app).current == "R07_2021"
        assert app.focused is grid(app)
        assert "R07_2021" in plain(app.screen.query_one("#editor-title", Static))

        # A name that is not a cell is refused in the dialog.
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"zz9", "enter")
        await pilot.pause()
        assert isinstance(app.screen, JumpDialog)
        assert "non è il nome di una cella" in plain(app.screen.query_one("#jump-error", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)

        await jump(pilot, "r40")  # the final screen: the cursor goes into the text area
        assert isinstance(app.screen, FinalScreen)
        assert isinstance(app.focused, R40Area)


async def test_jump_dialog_takes_the_start_of_one_name(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await jump(pilot, "M12_o")  # as the suggestion shows it: M12_ore
        assert isinstance(app.screen, Quadro1Screen) and grid(app).current == "M12_ore"
        await jump(pilot, "R0")  # R0A_2019, R0B_2019, R0C...: not one name
        assert isinstance(app.screen, JumpDialog)
        assert "non è il nome di una cella" in dialog_text(app)


async def test_command_palette_offers_jump_to_cell(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        provider = CellCommands(app.screen)
        hits = [hit async for hit in provider.search("R07_2021")]
        texts = [hit.text for hit in hits]
        assert any(t.startswith("Vai a R07_2021") for t in texts), texts
        best = max(hits, key=lambda h: h.score)
        assert best.text.startswith("Vai a R07_2021")
        for query in ("R03", "r03"):  # R01B's label mentions R03: the cell named comes first
            hits = [hit async for hit in provider.search(query)]
            assert any("R01B" in str(h.text) for h in hits)
            assert str(max(hits, key=lambda h: h.score).text).startswith("Vai a R03 ")

        await from_the_palette(pilot, "R07_2021")  # through the palette itself
        assert isinstance(app.screen, Quadro2Screen)
        assert grid(app).current == "R07_2021"


# --- 4. save and reopen --------------------------------------------------------------------


async def test_save_then_reopen_gives_the_same_draft_and_a_backup(tmp_path):
    path = copy_example(tmp_path, "tortona")
    original = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "99")
        await type_cell(pilot, "R08", "4.500,5")
        assert app.editor.dirty and status_line(app).startswith("* ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.editor.dirty
        assert not status_line(app).startswith("*")
        saved = app.editor.draft.copy()

    assert saved.M12_2019 == 99 and str(saved.R08) == "4500.50"
    assert load(path) == saved
    assert Path(backup_path(path)).read_bytes() == original
    assert not os.path.exists(session.recovery_path(path))

    app2 = Soc25App(str(path))  # a new app, reading the file itself
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app2.editor.draft == saved
        assert not app2.editor.dirty
        assert isinstance(app2.screen, Quadro1Screen)  # no recovery question
        assert shown(grid(app2), "M12_2019") == "99"


# --- 5. quitting with unsaved changes ------------------------------------------------------


async def test_quit_with_changes_asks_cancel_keeps_running_discard_leaves_file(tmp_path):
    path = copy_example(tmp_path, "tortona")
    original = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "7")
        assert app.editor.dirty
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        text = dialog_text(app)
        assert "modifiche non salvate" in text
        assert "[A] Annulla" in text and "[E] Esci senza salvare" in text

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.is_running and app.return_code is None
        assert app.editor.dirty and app.editor.draft.M12_2019 == 7

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("e")
        await pilot.pause()
    assert app.return_code == 0
    assert path.read_bytes() == original
    assert not os.path.exists(session.lock_path(path))  # released on the way out


async def test_quit_with_changes_save_and_exit(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "7")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    assert app.return_code == 0
    assert load(path).M12_2019 == 7


async def test_save_and_exit_over_a_file_changed_meanwhile_asks_then_exits(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "7")
        time.sleep(0.01)
        path.write_text(path.read_text(encoding="utf-8").replace("M15_2019 = 1\n", "M15_2019 = 99\n"),
                        encoding="utf-8")  # another program writes the draft
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")  # Salva ed esci
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "modificata da un altro programma" in dialog_text(app)
        assert app.return_code is None
        await pilot.press("s")  # Sovrascrivi
        await pilot.pause()
    assert app.return_code == 0  # saved, and gone as asked
    assert load(path).M12_2019 == 7 and load(path).M15_2019 == 1
    assert load(backup_path(path)).M15_2019 == 99  # the other program's version, kept


async def test_quit_without_changes_asks_nothing(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


# --- 6. recovery ---------------------------------------------------------------------------


async def _leave_a_recovery(path: Path, monkeypatch) -> None:
    """Change M12_2019 to 42 and let the recovery file be written; then the session dies
    (no save, no quit)."""
    monkeypatch.setattr(app_module, "RECOVERY_DELAY", 0.05)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert not os.path.exists(session.recovery_path(path))  # nothing changed yet
        await type_cell(pilot, "M12_2019", "42")
        for _ in range(40):
            await pilot.pause(0.05)
            if os.path.exists(session.recovery_path(path)):
                break
        await app.workers.wait_for_complete()
    assert load(session.recovery_path(path)).M12_2019 == 42
    assert load(path).M12_2019 == 15
    assert session.recovery_is_newer(path)


async def test_recovery_written_and_restored(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    await _leave_a_recovery(path, monkeypatch)
    changed = os.stat(session.recovery_path(path)).st_mtime

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        # Set aside before the question: this session's own recovery never replaces it.
        (aside, _), = session.recoveries_aside(path)
        assert not os.path.exists(session.recovery_path(path))
        assert load(aside).M12_2019 == 42
        text = dialog_text(app)
        # When it was written and what it would change: the draft's value -> the recovered one.
        written = time.strftime("%d/%m/%Y alle %H:%M:%S", time.localtime(changed))
        assert f"scritto il {written}: una cella diversa" in text
        assert "\nM12_2019: 15 → 42\n" in text
        assert "[R] Ripristina" in text and "[I] Non ora" in text
        # The question first: saving, jumping, the palette and the Quadro keys wait for it
        # (Ctrl+S would save over the recovery file and delete it unanswered).
        for key in ("ctrl+s", "ctrl+p", "ctrl+g", "f3"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, Choice), key
        assert os.path.exists(aside) and load(path).M12_2019 == 15
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.editor.draft.M12_2019 == 42
        assert app.editor.dirty
        assert status_line(app).startswith("* ")
        assert shown(grid(app), "M12_2019") == "42"
    assert load(path).M12_2019 == 15  # restoring does not save by itself


async def test_recovery_ignored_is_set_aside(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    await _leave_a_recovery(path, monkeypatch)

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.editor.draft.M12_2019 == 15
        assert not app.editor.dirty
    rec = session.recovery_path(path)
    assert not os.path.exists(rec)
    [aside] = tmp_path.glob(".tortona.toml.recupero.*.bak")  # timestamped, never overwritten
    assert load(aside).M12_2019 == 42


# --- 7. read-only --------------------------------------------------------------------------


async def test_read_only_refuses_edits_and_save(tmp_path):
    path = copy_example(tmp_path, "tortona")
    original = path.read_bytes()
    before = load(path)
    app = open_app(path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert status_line(app).startswith("[SOLA LETTURA]")
        await goto(pilot, "M12_2019")
        await pilot.press("5")
        await pilot.pause()
        assert "Sola lettura" in edit_line(app)
        assert not app.screen.edit_line.editing
        await pilot.press("enter")
        await pilot.pause()
        assert "Sola lettura" in edit_line(app)
        assert not app.screen.edit_line.editing

        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "Sola lettura" in edit_line(app)

        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("x", "y")
        await pilot.press("f8")
        await pilot.pause()

        assert app.editor.draft == before
        assert not app.editor.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert path.read_bytes() == original
    assert not os.path.exists(backup_path(path))
    assert not os.path.exists(session.lock_path(path))  # --view does not hold the draft


# --- 8. a draft held by someone else -------------------------------------------------------


async def test_lock_from_another_host_opens_read_only(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    other = session.Holder("mrossi", "ufficio-ragioneria", 4242, time.time())
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: other)
        assert session.Lock(path).acquire() is None
    lock_before = Path(session.lock_path(path)).read_bytes()

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.editor.read_only
        assert "mrossi su ufficio-ragioneria (processo 4242)" in app.editor.read_only_reason
        assert status_line(app).startswith("[SOLA LETTURA]")
        await pilot.press("1")
        await pilot.pause()
        assert "Sola lettura: bozza già aperta da mrossi su ufficio-ragioneria" in edit_line(app)
    assert Path(session.lock_path(path)).read_bytes() == lock_before  # not ours to remove


async def test_lock_of_a_live_process_on_this_host_opens_read_only(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "sondrio")
    live = os.getppid()  # the parent of this process: alive, and not us
    other = session.Holder("collega", socket.gethostname(), live, time.time())
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: other)
        assert session.Lock(path).acquire() is None

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.editor.read_only
        assert f"collega su {socket.gethostname()} (processo {live})" in app.editor.read_only_reason
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert not os.path.exists(backup_path(path))
    assert session.read_holder(path).pid == live


async def test_second_app_in_same_folder_gets_the_lock_when_free(tmp_path):
    """The first app holds the lock while open; a clean quit frees it."""
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.editor.read_only
        holder = session.read_holder(path)
        assert holder is not None and holder.pid == os.getpid()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert session.read_holder(path) is None


# --- 9. opening does not modify --------------------------------------------------------------


@pytest.mark.parametrize("example", ["tortona", "sondrio", "vuota"])
async def test_opening_and_looking_around_does_not_mark_modified(tmp_path, example):
    path = copy_example(tmp_path, example)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.editor.dirty
        assert not status_line(app).startswith("*")
        for key in ("f3", "f4", "f5", "f6", "f2"):
            await pilot.press(key)
            await pilot.pause()
            assert not app.editor.dirty, key
            assert not status_line(app).startswith("*"), key
        await pilot.press("tab", "tab", "down", "up")
        await pilot.pause()
        assert not app.editor.dirty


# --- 10. keyboard movement, SI/NO, locked cells --------------------------------------------


async def test_enter_confirms_and_moves_tab_skips_derived_cells(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        g = grid(app)
        await pilot.press("enter", "backspace", "backspace", "1", "7", "enter")
        await pilot.pause()
        assert app.editor.draft.M12_2019 == 17
        assert g.current == "M12_2024"
        assert not app.screen.edit_line.editing
        assert app.focused is g

        await pilot.press("tab")
        assert g.current == "M12_ore"
        await pilot.press("tab")  # M12_media is computed: skipped
        assert g.current == "M15_2019"
        await pilot.press("shift+tab")
        assert g.current == "M12_ore"

        # Tab and Shift+Tab in the edit line confirm and move too.
        await pilot.press("9", "tab")
        await pilot.pause()
        assert app.editor.draft.M12_ore == 9
        assert g.current == "M15_2019"
        await pilot.press("3", "shift+tab")
        await pilot.pause()
        assert app.editor.draft.M15_2019 == 3
        assert g.current == "M12_ore"

        await pilot.press("f3")
        await pilot.pause()
        g = grid(app)
        order = [g.current]
        for _ in range(4):
            await pilot.press("tab")
            order.append(g.current)
        assert order == ["R06", "R07_2017", "R07_2021", "R08", "R06"]  # wraps around
        await pilot.press("shift+tab")
        assert g.current == "R08"


async def test_typing_on_a_rows_label_edits_its_first_cell(tmp_path):
    """Up/Down from an inline text cell (Comune, Provincia...) walk the label column: a figure
    typed on a row's label goes into the row's first cell, it is not lost."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        g = grid(app)
        assert g.current == "comune"
        for _ in range(4):  # provincia, istat, the heading, the M12 label
            await pilot.press("down")
        assert g.current is None and row_label(g, "M12_2019") == "Famiglia e minori"
        assert g.cursor_coordinate.row == find(g, "M12_2019").row
        await pilot.press("2", "1", "enter")
        await pilot.pause()
        assert app.editor.draft.M12_2019 == 21 and shown(g, "M12_2019") == "21"
        assert g.current == "M12_2024"

        # Space on a label must not empty the row's first cell; on a heading no key does anything.
        label = Coordinate(find(g, "M12_2019").row, 1)
        for coord, key in ((label, "space"), (Coordinate(label.row - 1, 1), "5")):
            g.move_cursor(row=coord.row, column=coord.column)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert g.cursor_coordinate == coord
            assert not app.screen.edit_line.editing and app.editor.draft.M12_2019 == 21 and not app.editor.draft.invalid

        # Quadro 4: S or N on an item's label answers it; another letter does nothing.
        await pilot.press("f5")
        await pilot.pause()
        g = grid(app)
        label = Coordinate(find(g, "R34").row, 1)
        g.move_cursor(row=label.row, column=1)
        await pilot.pause()
        assert app.editor.draft.R34 == "NO"
        await pilot.press("x")
        await pilot.pause()
        assert g.cursor_coordinate == label and app.editor.draft.R34 == "NO"
        g.go_to("R34")
        await pilot.pause()
        await pilot.press("x")  # on the item itself: which keys answer, as text
        await pilot.pause()
        assert app.editor.draft.R34 == "NO" and g.current == "R34" and not app.screen.edit_line.editing
        assert edit_line(app) == "✗ «x» non è una risposta: S = SI · N = NO · Spazio = nessuna risposta"
        g.move_cursor(row=label.row, column=1)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert app.editor.draft.R34 == "SI"


async def test_quadro4_answers_on_active_block_refused_on_inactive(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        g = grid(app)
        assert g.current == "R34"
        await pilot.press("s")
        await pilot.pause()
        assert app.editor.draft.R34 == "SI"
        assert g.current == "R35"
        await pilot.press("s", "n")
        await pilot.pause()
        assert app.editor.draft.R35 == "SI" and app.editor.draft.R36 == "NO"
        assert g.current == "R37"
        await pilot.press("space")
        await pilot.pause()
        assert app.editor.draft.R37 is None
        assert shown(g, "R34") == "SI"

        # Case D -> B: block D no longer applies.
        await type_cell(pilot, "R07_2021", "60000")
        assert app.editor.outcome.case == "B"
        await pilot.press("f5")
        await pilot.pause()
        g = grid(app)
        await goto(pilot, "R35")
        assert isinstance(app.screen, Quadro4Screen)
        assert g.current == "R35"
        await pilot.press("n")
        await pilot.pause()
        assert app.editor.draft.R35 == "SI"  # refused
        status = edit_line(app)
        assert "R35 non si applica al caso B" in status
        assert g.current == "R35"
        # Space removes a kept answer of a block that does not apply (and its row goes).
        await pilot.press("space")
        await pilot.pause()
        assert app.editor.draft.R35 is None
        assert "R35" not in grid(app).cell_names
        assert "R36" in grid(app).cell_names
        assert "non si applica" not in edit_line(app)

        await goto(pilot, "R23")
        await pilot.press("s")
        await pilot.pause()
        assert app.editor.draft.R23 == "SI"
        assert grid(app).current == "R24"


async def test_quadro3_is_read_only_in_case_a(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    before = load(path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.editor.outcome.case == "A"
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, Quadro3Screen)
        g = grid(app)
        await goto(pilot, "R10_numero")
        assert g.current == "R10_numero"
        await pilot.press("1")
        await pilot.pause()
        assert "Il Quadro 3 non va compilato: la spesa non è inferiore al fabbisogno." in edit_line(app)
        assert not app.screen.edit_line.editing
        await pilot.press("enter")
        await pilot.pause()
        assert "Il Quadro 3 non va compilato" in edit_line(app)
        assert app.editor.draft == before
        assert not app.editor.dirty


async def test_cells_with_problems_are_marked_in_the_grid_as_text(tmp_path):
    path = copy_example(tmp_path, "vuota")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        g = grid(app)
        assert shown(g, "M12_2019") == "✗"  # required and empty: an error
        assert shown(g, "comune") == "Comune: !"  # a warning
        assert shown(g, "istat") == "Codice ISTAT: ·"  # optional: nothing to say
        assert shown(g, "M12_media") == ""  # computed
        await type_cell(pilot, "R03", "0")
        assert shown(g, "R03") == "✗ 0" and app.editor.assessment.marks["R03"] == "✗"
        await type_cell(pilot, "R03", "1.234")
        assert shown(g, "R03") == "1.234" and "R03" not in app.editor.assessment.marks

        # A value too long for its mark beside it is underlined, and the underline follows the
        # problem although the text does not change.
        await type_cell(pilot, "M12_ore", "1234567")
        await type_cell(pilot, "M12_2024", "500")  # 2.469 hours each: plausible, no mark
        await pilot.pause()
        cell = g.get_cell_at(find(g, "M12_ore"))
        assert cell.plain == "1.234.567" and "underline" not in str(cell.style)
        await type_cell(pilot, "M12_2024", "0")  # hours without users: an error on M12_ore
        cell = g.get_cell_at(find(g, "M12_ore"))
        assert app.editor.assessment.marks.get("M12_ore") == "✗"
        assert cell.plain == "1.234.567" and "underline" in str(cell.style)

        # The problem of a computed cell is said on the edit line when the cursor is on it.
        await goto(pilot, "M12_ore")
        assert edit_line(app).startswith("✗ Errore: ")


async def test_the_figures_of_the_largest_comuni_fit_their_columns(tmp_path):
    """Roma: 2.748.109 inhabitants, hours of assistance in the millions, spending in the
    hundreds of millions. At 80 columns every figure is shown whole, never cut with "…"."""
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    big = {"R03": 9_999_999, "M12_2019": 999_999, "M12_2024": 999_999, "M12_ore": 9_999_999,
           "R06": Decimal("999999999.99"), "R07_2017": Decimal("999999999.99"),
           "R07_2021": Decimal("999999999.99"), "R08": Decimal("99999999.99"),
           "R12": Decimal("99999999.99"), "R10_numero": Decimal("999.99")}
    async with app.run_test(size=SIZE) as pilot:
        for name, value in big.items():
            app.editor.set(name, value)
        for key in ("f2", "f3", "f4"):
            await pilot.press(key)
            await pilot.pause()
            g = grid(app)
            for name in g.cell_names:
                if name in big or name in ("M12_media", "R0B_2024", "R09", "R15", "R01B", "R04"):
                    text = app.editor.display(name, short=True)
                    assert len(text) <= g.width_of(name), (name, text, g.width_of(name))


async def test_the_status_line_keeps_the_case_and_the_counts_whole(tmp_path):
    path = copy_example(tmp_path, "lomellina")  # no Comune, case B, warnings
    app = open_app(path, read_only=False)
    async with app.run_test(size=SIZE) as pilot:
        line = status_line(app)
        left, right = app.editor.status_text(78)
        assert left.endswith(" · Caso B: servizi inferiori al riferimento")
        assert right == "0 errori · 6 avvisi"
        assert len(left) + 1 + len(right) <= 78  # 80 less the padding: nothing cut by Rich
        assert left.startswith("Comune non ind") and "…" in left  # the name gives way
        assert line.endswith("0 errori · 6 avvisi")
        assert " · Caso B: servizi inferiori al riferimento " in line
        app.editor.set("comune", "Mede")
        await pilot.pause()
        assert status_line(app).startswith("* Mede · Caso B: servizi inferiori al riferimento")

        # 60 columns: the case's words cannot fit even without the name: its letter, and the
        # counts whole. Wider again, the words come back.
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        line = status_line(app)
        assert line.startswith("* Mede · Caso B ") and line.endswith(" 0 errori · 5 avvisi")
        assert "…" not in line
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        line = status_line(app)
        assert line.startswith("* Mede · Caso B: servizi inferiori al riferimento")
        assert line.endswith(" 0 errori · 5 avvisi")


async def test_a_long_text_with_a_problem_is_marked_too(tmp_path):
    path = copy_example(tmp_path, "tortona")  # case D: Quadro 3 to be filled
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.editor.set("R10_modalita", "assunzione a tempo determinato per un anno")
        app.editor.set("R06", Decimal("1000"))  # spending above need: Quadro 3 no longer applies
        await pilot.press("f4")
        await pilot.pause()
        assert app.editor.assessment.marks.get("R10_modalita") == "!"
        assert shown(grid(app), "R10_modalita").startswith("! assunzione")  # cut at its end


async def test_confirming_or_answering_the_last_cell_stays_there(tmp_path):
    """Enter on R05 (Quadro 1's last cell) or an answer to the block's last item does not
    send the cursor back to the top of the form, away from what the answer changed."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R05")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert grid(app).current == "R05"
        await goto(pilot, "R39")
        await pilot.press("s")
        await pilot.pause()
        assert app.editor.draft.R39 == "SI" and grid(app).current == "R39"
        await pilot.press("tab")  # Tab still goes round, as the help says
        assert grid(app).current == "R34"


async def test_a_message_panel_too_short_for_its_text_says_so(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(MessagePanel)
        assert panel.border_title == "continua: F7 per tutto il testo ▼"  # Q1 at 80x24: the LEP text
    app = open_app(path)
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(MessagePanel).border_title is None  # room for all of it


async def test_derived_cell_is_refused_with_reason(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R0B_2024")
        await pilot.press("5")
        await pilot.pause()
        assert "R0B_2024 è calcolata dal programma" in edit_line(app)
        assert not app.editor.dirty


# --- 11. derived cells follow typing -------------------------------------------------------


async def test_derived_cells_update_after_each_digit(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2024")
        g = grid(app)
        total = app.editor.outcome.values["R0B_2024"]
        assert app.editor.draft.M12_2024 == 13 and app.editor.draft.M12_ore == 845
        assert shown(g, "M12_media") == "65,00"

        await pilot.press("2")
        await pilot.pause()
        assert app.screen.edit_line.editing
        assert app.editor.outcome.values["R0B_2024"] == total - 13 + 2
        assert shown(g, "R0B_2024") == str(total - 13 + 2)
        assert shown(g, "M12_media") == "422,50"

        await pilot.press("6")
        await pilot.pause()
        assert app.screen.edit_line.editing
        assert app.editor.outcome.values["R0B_2024"] == total - 13 + 26
        assert shown(g, "R0B_2024") == str(total - 13 + 26)
        assert shown(g, "M12_media") == "32,50"

        await pilot.press("backspace")
        await pilot.pause()
        assert shown(g, "M12_media") == "422,50"


# --- 12. the final screen: R40 -------------------------------------------------------------


def counter(app: Soc25App) -> str:
    return plain(app.screen.query_one("#r40-counter", Static))


async def test_r40_counter_follows_typing_and_paste_and_limit_is_enforced(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        area = app.screen.query_one(R40Area)
        assert app.focused is area
        assert counter(app).startswith("0 / 6.000 caratteri")

        await pilot.press("a", "b", "c")
        await pilot.pause()
        assert app.editor.draft.R40 == "abc"
        assert counter(app).startswith("3 / 6.000 caratteri")

        app.post_message(events.Paste("x" * 1997))  # as the terminal driver does
        await pilot.pause()
        assert len(app.editor.draft.R40) == 2000
        assert counter(app).startswith("2.000 / 6.000 caratteri")

        # Past 6.000: refused, with a message; the draft is unchanged.
        app.post_message(events.Paste("y" * 4001))
        await pilot.pause()
        assert len(app.editor.draft.R40) == 2000
        assert area.text == app.editor.draft.R40
        line = counter(app)
        assert line.startswith("2.000 / 6.000 caratteri")
        assert "Testo rifiutato: R40 arriverebbe a 6.001 caratteri, il massimo è 6.000." in line

        area.insert("z" * 4000)  # exactly 6.000: allowed
        await pilot.pause()
        assert len(app.editor.draft.R40) == 6000
        assert counter(app).startswith(counter_text(6000))
        assert "rifiutato" not in counter(app)

        await pilot.press("q")  # one more character
        await pilot.pause()
        assert len(app.editor.draft.R40) == 6000
        assert "q" not in app.editor.draft.R40
        assert "arriverebbe a 6.001 caratteri" in counter(app)

        await pilot.press("f8", "g")  # the proposal added at the end: too long, refused
        await pilot.pause()
        assert len(app.editor.draft.R40) == 6000 and "rifiutato" in counter(app)
        await pilot.press("f8", "s")  # the proposal instead: the refusal no longer applies
        await pilot.pause()
        assert app.editor.draft.R40 == propose(app.editor.draft, app.editor.outcome)
        assert "rifiutato" not in counter(app)
        area.insert("z" * (6000 - len(app.editor.draft.R40)))
        await pilot.pause()

        await pilot.press("backspace")  # shrinking is always allowed
        await pilot.pause()
        assert len(app.editor.draft.R40) == 5999
        assert counter(app).startswith(counter_text(5999))


async def test_a_key_typed_on_the_r40_row_of_quadro4_continues_r40(tmp_path):
    """R40 is written on the final screen: keys typed on its row in Quadro 4 go to the end of
    R40, in order, whether they come before the final screen is shown or right after."""
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        before = app.editor.draft.R40
        assert before

        async def type_on_r40_row(first: str, then: str) -> None:
            await pilot.press("f5")
            await pilot.pause()
            assert grid(app).go_to("R40")
            await pilot.pause()
            _burst(app, first)
            while not isinstance(app.screen, FinalScreen):  # the next key as soon as it shows
                await asyncio.sleep(0.001)
            _burst(app, *then)
            await pilot.pause()
            await pilot.pause()

        await type_on_r40_row("X", "y")  # first visit: the final screen is built now
        assert app.editor.draft.R40 == before + "Xy"
        area = app.screen.query_one(R40Area)
        assert area.text == app.editor.draft.R40 and app.focused is area

        await type_on_r40_row(" ", "ab")  # a later visit
        assert app.editor.draft.R40 == before + "Xy ab"

        # A burst that reaches Quadro 4 before the switch: every key, in order.
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        await pilot.pause()
        _burst(app, *"cde")
        await pilot.pause()
        await pilot.pause()
        assert app.editor.draft.R40 == before + "Xy abcde"
        assert app.screen.query_one(R40Area).text == app.editor.draft.R40

        # Pasted on the R40 row: paragraphs stay paragraphs (a one-line cell would join them).
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        await pilot.pause()
        app.post_message(events.Paste("\n\nSecondo paragrafo.\nRiga."))
        await pilot.pause()
        await pilot.pause()
        assert app.editor.draft.R40 == before + "Xy abcde\n\nSecondo paragrafo.\nRiga."


async def test_keys_from_quadro4_cannot_take_r40_past_6000_characters(tmp_path):
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.editor.set("R40", "x" * 6000)
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        assert app.editor.draft.R40 == "x" * 6000
        assert "Testo rifiutato: R40 arriverebbe a 6.001 caratteri, il massimo è 6.000." in counter(app)


async def test_f8_inserts_the_proposal_when_r40_is_empty(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.editor.draft.R40
        expected = propose(app.editor.draft, app.editor.outcome)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)  # no question
        assert app.editor.draft.R40 == expected
        assert app.screen.query_one(R40Area).text == expected
        assert counter(app).startswith(counter_text(len(expected)))
        assert app.editor.dirty


async def test_f8_asks_before_replacing_a_written_r40(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        written = app.editor.draft.R40
        assert written
        expected = propose(app.editor.draft, app.editor.outcome)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "R40 contiene già" in dialog_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        assert app.editor.draft.R40 == written
        assert app.screen.query_one(R40Area).text == written
        assert not app.editor.dirty

        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        assert app.editor.draft.R40 == expected
        assert app.screen.query_one(R40Area).text == expected
        assert app.editor.dirty


# --- 13. app keys while the edit line has focus --------------------------------------------


async def test_app_keys_work_while_editing(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, EditorInput)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(path).M12_2019 == 4
        assert not app.editor.dirty
        assert isinstance(app.focused, EditorInput)

        await pilot.press("1")  # 41, still editing
        await pilot.pause()
        assert app.editor.dirty and app.editor.draft.M12_2019 == 41
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert isinstance(app.focused, EditorInput)

        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, JumpDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, EditorInput)

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("a")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.focused, EditorInput)

        # The same keys from the R40 text area of the final screen.
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.focused, R40Area)
        await pilot.press("!")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(path).R40.endswith("!")  # the cursor is after the text on entering
        assert not app.editor.dirty
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, Quadro4Screen)


def test_app_keys_are_priority_bindings():
    """So that no focused widget (Input, TextArea, DataTable) can take them."""
    keys = {b.key: b for b in Soc25App.BINDINGS}
    for key in ("f1", "f2", "f3", "f4", "f5", "f6", "ctrl+g", "ctrl+s", "ctrl+q"):
        assert keys[key].priority, key
    (f8,) = [b for b in FinalScreen.BINDINGS if b.key == "f8"]
    assert f8.priority


def test_every_key_is_in_the_table_and_in_the_footer_or_in_the_help():
    """Every binding of the app, its screens, dialogs and widgets comes from the one table of
    keys (with its id, for a keymap), and every key of the table is bound somewhere; a key
    of a draft's screens that the footer does not show is in the F1 help."""
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    import soc25_tui
    from soc25_tui import keys

    owners = set()
    for info in pkgutil.walk_packages(soc25_tui.__path__, "soc25_tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__ and "BINDINGS" in vars(cls):
                owners.add(cls)
    assert {Soc25App, QuadroScreen, FinalScreen, FormGrid, EditorInput, HelpScreen} <= owners
    bound = set()
    in_help = " ".join(label for label, _ in keys.help_rows())
    for owner in owners:
        for binding in owner.BINDINGS:
            entry = keys.BY_ID.get(binding.id)
            assert entry is not None, f"{owner.__name__}: {binding.key} has no id in keys.TABLE"
            assert (entry.keys, entry.action) == (binding.key, binding.action), binding.id
            bound.add(binding.id)
            if entry.scope in (keys.APP, keys.QUADRO, keys.FINAL, keys.GRID, keys.EDIT):
                for key in binding.key.split(","):
                    assert binding.show or keys.key_label(key) in in_help or entry.row in ("quadri", "frecce"), \
                        f"{owner.__name__}: {key} is shown nowhere"
    assert bound == {key.id for key in keys.TABLE if key.keys}


async def test_f1_shows_the_keys_and_the_guide_of_the_current_screen(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screens = (("f2", Quadro1Screen, QUADRO_TITLES[1]), ("f3", Quadro2Screen, QUADRO_TITLES[2]),
                   ("f4", Quadro3Screen, QUADRO_TITLES[3]), ("f5", Quadro4Screen, QUADRO_TITLES[4]),
                   ("f6", FinalScreen, "R40 e riepilogo"))
        for key, kind, title in screens:
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = " ".join(dialog_text(app).split())
            assert title in text and f"bozza {path}" in text
            assert " ".join(kind.HELP.split())[:60] in text  # the guide of this screen
            for label, what in keys.help_rows():
                assert label in text and what in text
            await pilot.press("f1")  # F1 again closes it
            await pilot.pause()
            assert isinstance(app.screen, kind)


async def test_jumping_away_while_editing_keeps_the_typed_value(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("4")
        await pilot.pause()
        assert app.screen.edit_line.editing
        await jump(pilot, "M15_2019")  # Ctrl+G while the edit line has focus
        assert grid(app).current == "M15_2019"
        assert not app.screen.edit_line.editing
        assert app.editor.draft.M12_2019 == 4
        assert shown(grid(app), "M12_2019") == "4"

        # An invalid figure is not kept: back to the value before editing.
        await pilot.press("9", "x")
        await pilot.pause()
        await goto(pilot, "M21_2019")
        assert not app.screen.edit_line.editing
        assert app.editor.draft.M15_2019 == 1


# --- review fixes: bursts, half-typed figures, start screen, Quadro 3 leftovers, F7 ------------


async def test_a_burst_of_keys_faster_than_the_focus_keeps_every_digit(tmp_path):
    """Keys posted with no pause (a fast typist over SSH, a keypad macro) all land in the
    edit, in order, and Esc still restores the value from before the edit."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2024")
        assert app.editor.draft.M12_2024 == 13
        for ch in "4321":
            event = events.Key(ch, ch)
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
        assert app.screen.edit_line.input.value == "4321"
        assert app.editor.draft.M12_2024 == 4321
        await pilot.press("escape")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == 13


async def test_leaving_the_screen_with_an_invalid_figure_says_so_and_keeps_the_edit(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("5", "x")
        await pilot.pause()
        assert app.screen.edit_line.editing and app.editor.draft.M12_2019 == 15
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)
        notices = [n.message for n in app._notifications]
        assert ("M12_2019: «5x» non è valido e non è nella bozza (resta 15); la modifica resta "
                "aperta in questa schermata.") in notices
        await pilot.press("f2")  # back to the edit, to correct it
        await pilot.pause()
        assert app.screen.edit_line.editing and app.screen.edit_line.input.value == "5x"
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert app.editor.draft.M12_2019 == 5

        # A jump within the screen cancels an invalid figure: it says so too.
        await goto(pilot, "M15_2019")
        await pilot.press("9", "y")
        await pilot.pause()
        await jump(pilot, "M18_2019")
        assert grid(app).current == "M18_2019" and app.editor.draft.M15_2019 == 1
        assert ("M15_2019: «9y» non è valido e non è nella bozza (resta 1); modifica annullata."
                in [n.message for n in app._notifications])

        # An invalid figure given up with Esc, then another cell opened as it is: leaving says
        # nothing (the earlier refusal is not this edit's).
        await goto(pilot, "M18_2024")
        await pilot.press("x", "escape")
        await goto(pilot, "M21_2019")
        before = len(app._notifications)
        await pilot.press("enter", "f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen) and len(app._notifications) == before
        await pilot.press("f2", "escape")
        await pilot.pause()
        # A valid figure being typed: nothing to say.
        before = len(app._notifications)
        await goto(pilot, "M12_2024")
        await pilot.press("7", "f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen) and app.editor.draft.M12_2024 == 7
        assert len(app._notifications) == before


async def test_pasting_on_a_cell_fills_it(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await jump(pilot, "R06")
        app.post_message(events.Paste("1.984.440,83\n"))  # as copied from a spreadsheet
        await pilot.pause()
        assert app.editor.draft.R06 == Decimal("1984440.83")
        await pilot.press("enter")
        await pilot.pause()
        assert grid(app).current == "R07_2017" and not app.screen.edit_line.editing

        await pilot.press("enter")  # an edit open: the paste goes where the cursor is
        await pilot.press("end")
        app.post_message(events.Paste("5"))
        await pilot.pause()
        assert app.screen.edit_line.input.value == "34.786,955"
        assert "decimali" in edit_line(app)  # and it is checked as typing is


async def test_saving_while_a_figure_is_invalid_saves_the_previous_value(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R06")
        await pilot.press("5", "0", "0", "0", ",", "2", ",")  # "5000,2," is not a number
        await pilot.pause()
        assert "«5000,2,»" in edit_line(app)
        assert app.editor.draft.R06 == load(path).R06  # not 5.000,20 on the way
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(path).R06 == load(tmp_path / "tortona.toml.bak").R06


async def test_start_screen_offers_no_cells_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "tortona.toml", tmp_path / "tortona.toml")
    app = Soc25App(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = CellCommands(app.screen)
        hits = [hit async for hit in provider.search("R06")]
        assert hits == []
        await pilot.press("ctrl+s", "ctrl+g")
        await pilot.pause()
        assert app.path is None and not app.editor.dirty
        assert sorted(p.name for p in tmp_path.iterdir()) == ["tortona.toml"]


async def test_quadro3_leftovers_can_be_emptied_with_canc(tmp_path):
    """Case B does not fill Quadro 3; a value left there is flagged and Canc empties it."""
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.editor.set("R12", __import__("decimal").Decimal("500.00"))
        await pilot.pause()
        assert any(p.cell == "R12" for p in app.editor.assessment.problems)
        await goto(pilot, "R12")
        await pilot.press("5")  # typing is refused: Quadro 3 does not apply
        await pilot.pause()
        assert "non va compilato" in edit_line(app) and "Canc" in edit_line(app)
        await pilot.press("delete")
        await pilot.pause()
        assert app.editor.draft.R12 is None
        assert not any(p.cell == "R12" for p in app.editor.assessment.problems)


async def test_f7_shows_every_message_of_the_quadro_whole(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        shown = str(app.screen.query(Static)[1].render())
        q2 = [m for m in app.editor.assessment.messages if m.quadro == 2]
        assert len(q2) == 2
        for m in q2:
            assert m.text in shown  # whole, not cut at the panel's height
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)


# --- start screen and new drafts ------------------------------------------------------------


async def _wait_for(pilot, condition, tries: int = 50) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def test_start_screen_lists_drafts_and_opens_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "sondrio.toml", tmp_path / "sondrio.toml")
    (tmp_path / "rotta.toml").write_text("[quadro1\n", encoding="utf-8")
    app = Soc25App(None)
    async with app.run_test(size=SIZE) as pilot:
        from soc25_tui.screens.review_table import ReviewTableScreen

        screen = app.screen
        assert isinstance(screen, ReviewTableScreen)
        await _wait_for(pilot, lambda: len(screen.table.rows) == 2)
        table = screen.table
        rows = {row.path: table.line_text(i).split() for i, row in enumerate(table.rows)}
        assert rows["./rotta.toml"][:2] == ["non", "leggibile"]
        assert rows["./sondrio.toml"][1:4] == ["SONDRIO", "SO", "A"]
        table.move_to([row.path for row in table.rows].index("./sondrio.toml"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.path == "./sondrio.toml" and app.editor.draft.comune == "SONDRIO"
        await pilot.press("f3")  # the Quadro keys work from here on
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)


async def test_a_new_draft_asks_comune_and_provincia_and_is_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = Soc25App("nuova.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Bormio", "enter")
        await pilot.press(*"1x", "enter")  # not a provincia: refused, the form stays
        await pilot.pause()
        assert "due lettere" in dialog_text(app)
        for _ in range(2):
            await pilot.press("backspace")
        await pilot.press(*"so", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert (app.editor.draft.comune, app.editor.draft.provincia) == ("Bormio", "SO")
        assert not app.editor.dirty
    assert load(tmp_path / "nuova.toml").comune == "Bormio"


async def test_new_draft_from_the_start_screen_refuses_an_existing_file(tmp_path, monkeypatch):
    """The name of a draft that exists is said in the form, with the Comune just typed still
    there; it is not silently opened instead."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "tortona.toml", tmp_path / "tortona.toml")
    original = (tmp_path / "tortona.toml").read_bytes()
    app = Soc25App(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"tortona", "enter", *"Castelnuovo Scrivia", "enter", *"AL", "enter")
        await pilot.pause()
        assert "tortona.toml esiste già" in dialog_text(app)
        assert app.path is None
        await pilot.press("shift+tab", "shift+tab", *["backspace"] * 7, *"cast", "enter", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.path == "cast.toml" and app.editor.draft.comune == "Castelnuovo Scrivia"
    assert (tmp_path / "tortona.toml").read_bytes() == original


def test_a_new_draft_in_a_missing_folder_is_refused_at_once(tmp_path, capsys):
    from soc25_tui.app import run

    assert run(str(tmp_path / "manca" / "nuova.toml")) == 2
    err = capsys.readouterr().err
    assert f"la cartella {tmp_path / 'manca'} non esiste" in err
    assert not (tmp_path / "manca").exists()


async def caught_up(pilot) -> None:
    """Wait until every key sent has been let in and has settled (see `gate`)."""
    for _ in range(300):
        await pilot.pause(0.01)
        if not pilot.app.keys_pending:
            break
    await pilot.pause()


def _burst(app, *keys: str) -> None:
    """Keys as a terminal delivers them when they come faster than the app (no pauses)."""
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_a_burst_with_tabs_fills_three_cells(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        _burst(app, "7", "tab", "8", "tab", "9", "tab")
        await pilot.pause()
        assert (app.editor.draft.M12_2019, app.editor.draft.M12_2024, app.editor.draft.M12_ore) == (7, 8, 9)
        assert not app.screen.edit_line.editing
        assert app.screen.grid.current == "M15_2019"


async def test_a_burst_with_a_correction_and_enter_does_not_crash(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        _burst(app, "5", "enter", "1", "backspace", "2", "enter")
        await caught_up(pilot)
        assert (app.editor.draft.M12_2019, app.editor.draft.M12_2024) == (5, 2)
        assert not app.screen.edit_line.editing


async def test_fast_answers_in_quadro4_each_reach_their_item(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await goto(pilot, "R34")
        _burst(app, "s", "s", "s", "s")
        await pilot.pause()
        assert [app.editor.draft.get(c) for c in ("R34", "R35", "R36", "R37", "R38")] == ["SI", "SI", "SI", "SI", "NO"]


async def test_going_back_to_the_saved_value_drops_the_recovery_file(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    monkeypatch.setattr(app_module, "RECOVERY_DELAY", 0.05)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        for _ in range(40):
            await pilot.pause(0.05)
            if os.path.exists(session.recovery_path(path)):
                break
        await app.workers.wait_for_complete()
        assert os.path.exists(session.recovery_path(path)) and app.editor.dirty
        await type_cell(pilot, "M12_2019", "15")
        await pilot.pause()
        assert not app.editor.dirty
        assert not os.path.exists(session.recovery_path(path))  # nothing stale offered later


async def test_a_recovery_older_than_the_draft_is_set_aside_not_offered(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    await _leave_a_recovery(path, monkeypatch)
    later = time.time() + 60
    os.utime(path, (later, later))  # another program wrote the draft afterwards
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, Choice)
        assert not os.path.exists(session.recovery_path(path))
        [aside] = tmp_path.glob(".tortona.toml.recupero.*.bak")
        assert load(aside).M12_2019 == 42  # the earlier work is still there


async def test_a_dangling_link_does_not_stop_the_start_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLES / "sondrio.toml", tmp_path / "sondrio.toml")
    os.symlink(tmp_path / "gone.toml", tmp_path / "link.toml")
    app = Soc25App(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _wait_for(pilot, lambda: len(screen.rows) == 2)
        problems = {row.path: row.problem for row in screen.rows.values()}
        assert "non leggibile" in problems["./link.toml"] and problems["./sondrio.toml"] == ""


async def test_dialog_keys_work_with_caps_lock(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("ctrl+q")  # asking twice does not stack a second question
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, Choice)]) == 1
        await pilot.press("A")  # Annulla, typed with Caps Lock on
        await pilot.pause()
        assert not isinstance(app.screen, Choice) and app.is_running


def test_a_crash_keeps_unsaved_work_and_frees_the_draft(tmp_path, monkeypatch):
    """If Textual stops on an unexpected error, `soc25` still writes the recovery file,
    releases the lock and exits with Textual's non-zero status."""
    from soc25_tui.app import run

    path = copy_example(tmp_path, "tortona")

    def crashing_run(self, *args, **kwargs):
        self._take_lock()
        self.editor.draft.set("M12_2019", 77)  # typed, and then the crash: no timer ran
        self.editor.dirty = True
        self._return_code = 1  # what Textual sets after printing a traceback
        return None

    monkeypatch.setattr(Soc25App, "run", crashing_run)
    assert run(str(path)) == 1
    assert load(session.recovery_path(path)).M12_2019 == 77
    assert not os.path.exists(session.lock_path(path))
    assert load(path).M12_2019 == 15


# --- found in review of the headless editor ---------------------------------------------


async def test_a_draft_that_appears_while_the_new_draft_form_is_open_is_opened_not_overwritten(tmp_path):
    path = tmp_path / "nuova.toml"
    app = Soc25App(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shutil.copy(EXAMPLES / "sondrio.toml", path)  # another program, meanwhile
        original = path.read_bytes()
        await pilot.press(*"Mede", "enter", *"PV", "enter")
        await pilot.pause()
        assert path.read_bytes() == original and not os.path.exists(backup_path(path))
        assert app.editor.draft.comune == "SONDRIO" and isinstance(app.screen, Quadro1Screen)
        assert any("nuova.toml esiste già: la apro." in n.message for n in app._notifications)


async def test_a_jump_to_r40_puts_the_cursor_in_r40(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "tab")  # the focus goes on to the summary
        await pilot.pause()
        assert not isinstance(app.focused, R40Area)
        await pilot.press("f2")
        await pilot.pause()
        await jump(pilot, "R40")
        assert isinstance(app.screen, FinalScreen) and isinstance(app.focused, R40Area)
        before = app.editor.draft.R40
        await pilot.press("x")
        await pilot.pause()
        assert app.editor.draft.R40 != before and "x" in app.editor.draft.R40


async def test_a_key_on_the_r40_row_of_a_read_only_draft_says_read_only_once(tmp_path):
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        await pilot.press("z")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FinalScreen)
        assert counter(app).count("Sola lettura: aperta con --view.") == 1
        assert "rifiutato" not in counter(app) and load(path).R40 == app.editor.draft.R40


async def test_a_refusal_from_the_r40_row_gives_way_to_a_key_that_is_taken(tmp_path):
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.editor.set("R40", "x" * 5999)
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        app.post_message(events.Paste("ab"))  # 6.001: refused
        await pilot.pause()
        await pilot.pause()
        assert "arriverebbe a 6.001 caratteri" in counter(app)
        await pilot.press("f5")
        await pilot.pause()
        assert grid(app).go_to("R40")
        await pilot.press("c")  # 6.000: taken
        await pilot.pause()
        await pilot.pause()
        assert app.editor.draft.R40 == "x" * 5999 + "c"
        assert "rifiutato" not in counter(app)
