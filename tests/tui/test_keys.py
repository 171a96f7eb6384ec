"""Keys in one table: a person's keymap remaps any binding by its id, and the footer, the F1
help, the Quadri tabs and the command palette follow it; a keymap that cannot be used is
said in Italian and ignored as a whole. Screens never reach into the App."""

from __future__ import annotations

import ast
import io
import os
import threading
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Footer

from soc25_tui import keys
from soc25_tui.core.drafts import load
from soc25_tui.screens.dialogs import HelpScreen
from soc25_tui.screens.quadro1 import Quadro1Screen
from soc25_tui.screens.quadro2 import Quadro2Screen
from soc25_tui.widgets.panels import NavBar

from ..conftest import ROOT
from .test_tui import copy_example, from_the_palette, open_app

SIZE = (80, 24)


def keymap_file(tmp_path: Path, monkeypatch, text: str) -> Path:
    path = tmp_path / "tasti.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SOC25_TASTI", str(path))
    return path


def rendered(widget) -> str:
    """What a Static or NavBar shows, as plain text on one line."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return " ".join(console.export_text().split())


def test_labels_of_the_keys():
    assert keys.key_label("ctrl+s") == "Ctrl+S" and keys.key_label("delete") == "Canc"
    assert keys.label("chiudi-aiuto") == "Esc / F1 / Q"
    assert keys.label("salva", {"salva": "ctrl+w,f9"}) == "Ctrl+W / F9"
    rows = dict(keys.help_rows())
    assert rows["F2 … F5"] == "Quadro 1 … Quadro 4" and rows["Ctrl+S"] == "salva la bozza"
    rows = dict(keys.help_rows({"quadro2": "f9", "salva": "ctrl+w"}))
    assert rows["F2 / F9 / F4 / F5"] == "Quadro 1 … Quadro 4"  # not a range any more
    assert "Ctrl+W" in rows and "Ctrl+S" not in rows


@pytest.mark.parametrize(
    "text, said",
    [
        ('salvare = "ctrl+w"', "«salvare» non è un comando"),
        ('salva = 3', "salva: atteso un testo con i tasti"),
        ('salva = "ctrl+ w"', "«ctrl+ w» non è il nome di un tasto"),
        ('salva = "ctrl+q"', "il tasto ctrl+q sarebbe sia «salva» sia «esci»"),
        ('salva = "ctrl+w', "non è un file TOML valido (riga 2, colonna 16): testo non chiuso"),
        ('vai = "f10"', "non è un file TOML valido (riga 2, colonna 12): valore già assegnato"),
        ('frecce = "up"', "«frecce» non è un comando"),
        ('salva = "s"', "salva: il tasto s serve per scrivere o per spostarsi"),
        ('svuota = "question_mark"', "svuota: il tasto question_mark serve per scrivere"),
        ('aiuto = "left"', "aiuto: il tasto left serve per scrivere o per spostarsi"),
    ],
)
def test_a_keymap_that_cannot_be_used_is_refused_whole_in_italian(tmp_path, monkeypatch, text, said):
    path = keymap_file(tmp_path, monkeypatch, f'vai = "f9"\n{text}\n')
    keymap, problem = keys.load_keymap()
    assert keymap == {}
    assert problem.startswith(f"{path}: ") and said in problem and problem.endswith("uso i tasti predefiniti.")


def test_no_keymap_file_is_no_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("SOC25_TASTI", str(tmp_path / "manca.toml"))
    assert keys.load_keymap() == ({}, "")


def load_keymap_within(seconds: float) -> tuple[dict[str, str], str]:
    """keys.load_keymap(), failing the test if it does not return in time (a FIFO blocked it)."""
    result: list = []
    reader = threading.Thread(target=lambda: result.append(keys.load_keymap()), daemon=True)
    reader.start()
    reader.join(seconds)
    assert result, f"load_keymap did not return within {seconds} s"
    return result[0]


@pytest.mark.parametrize(
    "make, said",
    [
        (lambda p: p.mkdir(), "è una cartella; atteso un file di tasti TOML"),
        (lambda p: os.mkfifo(p), "è una pipe (FIFO), non un file; atteso un file di tasti TOML"),
        (lambda p: p.write_text("# " + "x" * 70_000 + '\nsalva = "ctrl+w"\n'), "il file è troppo grande"),
        (lambda p: p.write_text("salva = " + "[" * 5000 + "]" * 5000 + "\n"), "annidato troppo in profondità"),
        (lambda p: p.write_text("salva = " + "9" * 5000 + "\n"), "un numero di migliaia di cifre"),
    ],
    ids=["directory", "fifo", "too-big", "deep", "long-integer"],
)
def test_a_keymap_path_that_is_no_keymap_is_refused_in_italian_without_hanging(tmp_path, monkeypatch, make, said):
    path = tmp_path / "tasti.toml"
    make(path)
    monkeypatch.setenv("SOC25_TASTI", str(path))
    keymap, problem = load_keymap_within(5)
    assert keymap == {}
    assert problem.startswith(f"{path}: ") and said in problem and problem.endswith("uso i tasti predefiniti.")


async def test_a_keymap_remaps_keys_and_everything_that_names_them_follows(tmp_path, monkeypatch):
    keymap_file(tmp_path, monkeypatch, 'salva = "ctrl+w"\nquadro2 = "f9"\nannulla = "f10"\n')
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.keymap == {"salva": "ctrl+w", "quadro2": "f9", "annulla": "f10"}
        # The edit line names the keys as remapped, and F10 cancels an edit.
        app.jump_to("M12_2019")
        await pilot.pause()
        assert app.screen.edit_line.query_one("#editor-status").content.plain.endswith("F10 annulla")
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.edit_line.editing and app.editor.dirty
        await pilot.press("f10")
        await pilot.pause()
        assert not app.screen.edit_line.editing and not app.editor.dirty
        # The tabs name the new key; F3 no longer goes to Quadro 2, F9 does.
        assert "F9 Quadro 2" in rendered(app.screen.query_one(NavBar))
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, Quadro2Screen)
        # The footer shows Ctrl+W for «Salva», and Ctrl+W saves.
        footer = app.screen.query_one(Footer)
        shown = {child.description: child.key for child in footer.query("FooterKey")}
        assert shown["Salva"] == "ctrl+w"
        app.editor.set("M12_2019", 99)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(path).M12_2019 == 15 and app.editor.dirty
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert load(path).M12_2019 == 99 and not app.editor.dirty
        # The help (F1) lists the keys as remapped.
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(rendered(s) for s in app.screen.query("Static"))
        assert "Ctrl+W salva la bozza" in text and "F2 / F9 / F4 / F5 Quadro 1 … Quadro 4" in text
        await pilot.press("escape")
        await pilot.pause()
        # The palette's commands name it too.
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Salva"] == "Salva la bozza (Ctrl+W)"


async def test_a_bad_keymap_is_said_at_start_and_the_default_keys_work(tmp_path, monkeypatch):
    keymap_file(tmp_path, monkeypatch, 'salva = "ctrl+q"\n')
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert any("il tasto ctrl+q sarebbe sia «salva» sia «esci»" in n for n in notices), notices
        app.editor.set("M12_2019", 99)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(path).M12_2019 == 99


def test_screens_never_reach_into_the_app():
    """A screen is built with the editor: it never imports the App and uses only Textual's
    own App API through `self.app` (push_screen, bell, call_from_thread, ...)."""
    textual_api = set(dir(App))
    for module in sorted((ROOT / "src" / "soc25_tui" / "screens").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("app", "soc25_tui.app") and not (
                    node.level == 2 and node.module == "app"), f"{module.name} imports the App"
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "app" and isinstance(node.value.value, ast.Name)
                    and node.value.value.id == "self"):
                assert node.attr in textual_api, f"{module.name}: self.app.{node.attr} is not Textual's"


async def test_the_palette_runs_the_commands_of_the_table(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.editor.set("M12_2019", 42)
        await from_the_palette(pilot, "Salva")
        assert load(path).M12_2019 == 42 and not app.editor.dirty


async def test_only_the_screen_on_top_redraws_and_the_others_catch_up_when_shown(tmp_path):
    """Quadro 1 stays under Quadro 2 on Textual's stack (and counts as "current" there): a
    change typed on Quadro 2 redraws Quadro 2 alone; Quadro 1 shows it when it comes back."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        q1, q2 = app.get_screen("q1"), app.get_screen("q2")
        assert app.screen is q2 and q1.is_current  # Textual's view: Q1 is below, "current"
        synced = []
        for screen in (q1, q2):
            original = screen.sync
            screen.sync = lambda original=original, screen=screen: (synced.append(screen), original())
        app.editor.set("M12_2019", 321)
        assert synced == [q2]
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is q1 and q1 in synced
        assert q1.grid._shown["M12_2019"] == "321"


def test_the_readme_lists_the_keys_of_the_f1_help():
    """The README's table of keys is written by hand: every line of the F1 help (built from
    the table of keys) is a line of it, in the same order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| tasto | cosa fa |"):]
    table = table[:table.index("\n\n")]
    listed = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
    assert listed == [label for label, _ in keys.help_rows()]
