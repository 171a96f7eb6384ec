"""The comparison in the TUI: the palette's «Confronta con la copia .bak» and «Confronta con
un'altra bozza…» (the open draft as the editor holds it, unsaved changes included), and the
recovery question showing the figures a recovery would change.

Figures from Tortona's printed form: M12 15 users in 2019 and 13 in 2024, M15 1 in 2019,
R0B 21 in 2019; R0B 2019 = 21 - 15 + 42 = 48 once M12_2019 is 42, 54 once M15_2019 is 7 too."""

from __future__ import annotations

import io
import shutil

from rich.console import Console

from textual.widgets import Input, Static

from soc25_tui.core.drafts import backup_path, load
from soc25_tui.screens.compare import CompareScreen, CompareWithDialog
from soc25_tui.screens.dialogs import Choice
from soc25_tui.screens.quadro1 import Quadro1Screen

from ..conftest import EXAMPLES
from .test_tui import (
    SIZE,
    copy_example,
    dialog_text,
    from_the_palette,
    notices,
    open_app,
    type_cell,
    with_recovery,
)


def comparison(app) -> str:
    """The comparison screen's text, one line a line (none of them wrapped at this width)."""
    console = Console(width=1000, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen.query_one("#compare-body", Static).content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def test_compare_with_the_bak_after_two_saves_unsaved_changes_included(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_cell(pilot, "M12_2024", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load(backup_path(path)).M12_2019 == 42 and load(backup_path(path)).M12_2024 == 13
        await type_cell(pilot, "M15_2019", "7")  # not saved
        assert app.editor.dirty

        await from_the_palette(pilot, "Confronta con la copia .bak")
        assert isinstance(app.screen, CompareScreen)
        lines = comparison(app).splitlines()
        assert lines[0].startswith("Confronto: copia .bak (scritta il ")
        assert lines[0].endswith("→ bozza aperta, com'è ora (modifiche non salvate comprese)")
        # The second save's change and the unsaved one; the first save's is in the .bak too.
        assert "  M12_2024: 13 → 5" in lines
        assert "  M15_2019: 1 → 7" in lines
        assert "  R0B_2019 (calcolata): 48 → 54" in lines
        assert not any("M12_2019" in line for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert app.editor.draft.M15_2019 == 7 and app.editor.dirty  # nothing changed by looking


async def test_no_bak_yet_is_said(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await from_the_palette(pilot, "Confronta con la copia .bak")
        assert isinstance(app.screen, Quadro1Screen)
        assert any(n.startswith(f"Nessuna copia .bak di {path}") for n in notices(app))


async def test_compare_with_another_draft(tmp_path):
    path = copy_example(tmp_path, "tortona")
    other = tmp_path / "approvata.toml"
    shutil.copy(EXAMPLES / "tortona.toml", other)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        await from_the_palette(pilot, "Confronta con un'altra bozza")
        assert isinstance(app.screen, CompareWithDialog)
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "manca.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)
        assert any("Confronto impossibile" in n and "manca.toml: il file non esiste." in n for n in notices(app))

        await from_the_palette(pilot, "Confronta con un'altra bozza")
        app.screen.query_one(Input).value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        lines = comparison(app).splitlines()
        assert lines[0].startswith(f"Confronto: {other} (scritta il ")
        assert "  M12_2019: 15 → 42" in lines and "  R0B_2019 (calcolata): 21 → 48" in lines
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)

        # Another Comune's draft: a long list, that scrolls.
        await from_the_palette(pilot, "Confronta con un'altra bozza")
        app.screen.query_one(Input).value = str(EXAMPLES / "sondrio.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert "  comune: SONDRIO → vuota" in comparison(app).splitlines()
        scroll = app.screen.query_one("#compare")
        assert scroll.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen)


async def test_the_recovery_question_shows_the_figures_it_would_change(tmp_path):
    path = with_recovery(copy_example(tmp_path, "tortona"), M12_2019=42)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        text = dialog_text(app)
        assert ": una cella diversa (valore nella bozza → valore recuperato)" in text
        assert "\nM12_2019: 15 → 42\nR0B_2019 (calcolata): 21 → 48\n" in text


def test_the_screen_shows_text_from_the_drafts_as_written():
    """Markup and control characters in a Comune's name or a file's are shown, not obeyed."""
    from soc25_tui.core.compare import Line
    from soc25_tui.screens.compare import body

    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(body([Line("title", "Confronto: [red]a.toml → b\x1b]0;x\x07.toml"),
                        Line("heading", "Celle diverse: 1 (1 inserita, 0 calcolate)"),
                        Line("item", "comune: vuota → [bold]X[/]")]))
    text = console.export_text()
    assert "\x1b" not in text and "\x07" not in text
    assert [line.rstrip() for line in text.splitlines()] == ["Confronto: [red]a.toml → b␛]0;x␇.toml", "",
                                 "Celle diverse: 1 (1 inserita, 0 calcolate)", "  comune: vuota → [bold]X[/]"]


async def test_compare_with_a_path_from_the_home_folder(tmp_path, monkeypatch):
    """«~/approvata.toml», as a person over SSH types it: the home folder's file."""
    home = tmp_path / "casa"
    home.mkdir()
    shutil.copy(EXAMPLES / "tortona.toml", home / "approvata.toml")
    monkeypatch.setenv("HOME", str(home))
    app = open_app(copy_example(tmp_path, "tortona"))
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        await from_the_palette(pilot, "Confronta con un'altra bozza")
        app.screen.query_one(Input).value = "~/approvata.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen), notices(app)
        assert "  M12_2019: 15 → 42" in comparison(app).splitlines()
