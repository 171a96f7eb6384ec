"""Ctrl+E on the final screen: R40 in the person's own text editor ($VISUAL, $EDITOR), the
interface suspended meanwhile, the text back into R40 as one step of undo, within 6.000
characters as typing is. The editors here are small Python scripts run as $EDITOR: one in a
real pseudo-terminal with the real program, the others under Pilot with Textual's suspend
replaced (the headless driver cannot suspend: that case is tested as it is)."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from soc25_tui.app import Soc25App
from soc25_tui.core.drafts import load
from soc25_tui.screens.final import FinalScreen

from ..conftest import EXAMPLES

WRITTEN = "Relazione scritta nel mio editor: «servizi» e 100 €.\nSeconda riga, con àccènti."


def editor_script(tmp_path: Path, *, text: str | None = None, status: int = 0, raw: bytes | None = None) -> str:
    """An $EDITOR command: a script that records what it was given (the file's text, its mode)
    in seen.json, then writes `text` (or the bytes `raw`) into the file, and exits `status`."""
    script = tmp_path / "editor.py"
    seen = tmp_path / "seen.json"
    lines = [
        "import json, os, stat, sys",
        "path = sys.argv[-1]",
        "with open(path, encoding='utf-8') as f:",
        "    before = f.read()",
        "seen = {'text': before, 'mode': stat.S_IMODE(os.stat(path).st_mode), 'path': path,",
        "        'args': sys.argv[1:-1]}",
        f"json.dump(seen, open({str(seen)!r}, 'w', encoding='utf-8'))",
    ]
    if text is not None:
        lines.append(f"open(path, 'w', encoding='utf-8', newline='').write({text!r})")
    if raw is not None:
        lines.append(f"open(path, 'wb').write({raw!r})")
    lines.append(f"sys.exit({status})")
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return as_command(sys.executable, str(script))


def as_command(*args: str) -> str:
    """Arguments as $EDITOR holds them, quoted as the platform's shell would quote them."""
    return subprocess.list2cmdline(args) if sys.platform == "win32" else shlex.join(args)


def seen(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))


# --- the real program in a pseudo-terminal ---------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are Unix only")
def test_ctrl_e_in_a_real_terminal_puts_the_editors_text_into_r40(tmp_path, monkeypatch):
    from .test_terminal import Terminal

    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    before = load(path).R40
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text=WRITTEN + "\n") + " --wait")
    t = Terminal([path.name], tmp_path)
    try:
        t.wait_for(lambda: "Caso D" in t.text(), "Quadro 1")
        t.type(b"\x1b[17~")  # F6
        t.wait_for(lambda: "472 / 6.000 caratteri" in t.text(), "the final screen")
        t.type(b"\x05")  # Ctrl+E
        t.wait_for(lambda: "R40 scritta nell'editor" in t.text(), "R40 back from the editor")
        t.type(b"\x13")  # Ctrl+S
        t.wait_for(lambda: "Bozza salvata" in t.text(), "the save notice")
        t.type(b"\x11")  # Ctrl+Q
        assert t.proc.wait(timeout=30) == 0
    finally:
        t.close()

    assert load(path).R40 == WRITTEN  # the line end every editor adds is not R40's
    got = seen(tmp_path)
    assert got["text"] == before + "\n"  # the editor was given R40 as it was
    assert got["args"] == ["--wait"]  # $EDITOR's own arguments, split, before the file
    assert got["mode"] == 0o600  # private to its owner
    assert not os.path.exists(got["path"])  # and removed once its text is in R40


# --- under Pilot ---------------------------------------------------------------------------


def open_final(tmp_path: Path) -> Soc25App:
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    return Soc25App(str(path), load(path))


@pytest.fixture
def suspendable(monkeypatch):
    """Textual's suspend as a terminal gives it (the headless driver of the tests has none):
    the editor runs while it is held; how many times it was, counted."""
    held = []

    @contextlib.contextmanager
    def suspend(self):
        held.append(True)
        yield

    monkeypatch.setattr(Soc25App, "suspend", suspend)
    monkeypatch.delenv("VISUAL", raising=False)
    return held


async def on_final(pilot) -> FinalScreen:
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FinalScreen)
    return pilot.app.screen


async def ctrl_e(pilot) -> list[str]:
    """Ctrl+E, and the notices said after it."""
    app = pilot.app
    before = len(app._notifications)
    await pilot.press("ctrl+e")
    await pilot.pause()
    await pilot.pause()
    return [n.message for n in list(app._notifications)[before:]]


async def test_the_editors_text_is_one_step_of_undo(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text=WRITTEN))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_final(pilot)
        before = app.editor.draft.R40
        said = await ctrl_e(pilot)
        assert suspendable == [True]
        assert app.editor.draft.R40 == WRITTEN
        assert screen.area.text == WRITTEN  # shown, not only in the draft
        assert any("R40 scritta nell'editor" in s for s in said)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.R40 == before
        assert screen.area.text == before
        assert not app.editor.dirty
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.editor.draft.R40 == WRITTEN


async def test_a_text_over_6000_characters_is_refused_as_typing_is_and_kept(tmp_path, monkeypatch, suspendable):
    long = "x" * 6001
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text=long))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_final(pilot)
        before = app.editor.draft.R40
        said = " ".join(await ctrl_e(pilot))
        assert app.editor.draft.R40 == before and not app.editor.dirty  # nothing cut, nothing put
        # The refusal typing and pasting give (R40Area), beside the counter and in the notice.
        refusal = "Testo rifiutato: R40 arriverebbe a 6.001 caratteri, il massimo è 6.000."
        counter = str(screen.query_one("#r40-counter").render())
        assert refusal in counter and refusal in said
        kept = seen(tmp_path)["path"]
        assert kept in said and Path(kept).read_text(encoding="utf-8") == long  # nothing lost

        # Ctrl+E again opens that text, to shorten it: then it is taken, and its file goes.
        monkeypatch.setenv("EDITOR", editor_script(tmp_path, text="x" * 6000))
        await ctrl_e(pilot)
        assert seen(tmp_path)["text"] == long and seen(tmp_path)["path"] == kept
        assert app.editor.draft.R40 == "x" * 6000
        assert not os.path.exists(kept)


async def test_the_same_limit_as_typing_lets_an_over_long_r40_get_shorter(tmp_path, monkeypatch, suspendable):
    """A draft whose R40 is already over 6.000 (read from a file): a shorter text, still
    over, is taken, as deleting in the text area is."""
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text="y" * 6500))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        app.editor.set("R40", "y" * 7000)
        await pilot.pause()
        await ctrl_e(pilot)
        assert app.editor.draft.R40 == "y" * 6500


async def test_an_editor_that_cannot_be_found_is_said_and_r40_stays(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", as_command(str(tmp_path / "non-esiste" / "editor")))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        before = app.editor.draft.R40
        said = " ".join(await ctrl_e(pilot))
        assert "$EDITOR" in said and "non si trova" in said
        assert suspendable == []  # the terminal was never handed over
        assert app.editor.draft.R40 == before and not app.editor.dirty


async def test_no_editor_at_all_says_what_to_set(tmp_path, monkeypatch, suspendable):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # neither nano nor vi
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        said = " ".join(await ctrl_e(pilot))
        assert "Nessun editor" in said and "EDITOR=nano" in said
        assert suspendable == []


async def test_an_editor_failing_leaves_r40_as_it_was(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text="mezzo testo", status=3))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        before = app.editor.draft.R40
        said = " ".join(await ctrl_e(pilot))
        assert "stato 3" in said and "R40 non cambia" in said
        assert app.editor.draft.R40 == before and not app.editor.dirty
        kept = seen(tmp_path)["path"]
        assert kept in said and Path(kept).read_text(encoding="utf-8") == "mezzo testo"
        os.unlink(kept)


async def test_an_unchanged_text_changes_nothing(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path))  # writes nothing
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        said = " ".join(await ctrl_e(pilot))
        assert "R40 non cambia" in said
        assert not app.editor.dirty and not app.editor.can_undo
        assert not os.path.exists(seen(tmp_path)["path"])


async def test_a_file_not_utf8_is_said_and_kept(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, raw="Città".encode("cp1252")))
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        before = app.editor.draft.R40
        said = " ".join(await ctrl_e(pilot))
        assert "UTF-8" in said and "R40 non cambia" in said
        assert app.editor.draft.R40 == before
        kept = seen(tmp_path)["path"]
        assert kept in said and Path(kept).read_bytes() == "Città".encode("cp1252")
        os.unlink(kept)


async def test_without_a_terminal_to_hand_over_it_is_said(tmp_path, monkeypatch):
    """The headless driver (as the browser's, through soc25 web) cannot suspend the
    interface: an Italian notice, no traceback, R40 as it was, no file left behind."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text=WRITTEN))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where a file would be left
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        before = app.editor.draft.R40
        said = " ".join(await ctrl_e(pilot))
        assert "non si può aprire un editor" in said
        assert app.editor.draft.R40 == before
        assert not (tmp_path / "seen.json").exists()  # the editor never ran
    assert not list(tmp_path.glob("soc25-R40-*"))


async def test_a_read_only_draft_refuses(tmp_path, monkeypatch, suspendable):
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, text=WRITTEN))
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    app = Soc25App(str(path), load(path), read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_final(pilot)
        said = " ".join(await ctrl_e(pilot))
        assert "Sola lettura" in said
        assert suspendable == [] and not (tmp_path / "seen.json").exists()


async def test_ctrl_e_is_in_the_help_and_in_the_palette_of_the_final_screen(tmp_path):
    from soc25_tui import keys

    rows = dict(keys.help_rows())
    assert "R40" in rows["Ctrl+E"] and "editor" in rows["Ctrl+E"]
    app = open_final(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quadro = [c.title for c in app.get_system_commands(app.screen)]
        screen = await on_final(pilot)
        final = [c.title for c in app.get_system_commands(screen)]
        assert "Editor esterno" in final and "Editor esterno" not in quadro
