"""Ctrl+Z / Ctrl+Y in the TUI: every change to the draft can be taken back and made again,
the notice names the cell and the value restored, and the cursor goes to it; F8 shows the
proposal before anything is replaced."""

from __future__ import annotations

import os
from decimal import Decimal

from textual.widgets import Static

from soc25_tui.core.drafts import load
from soc25_tui.core.r40 import propose
from soc25_tui.screens.dialogs import Choice
from soc25_tui.screens.final import FinalScreen, R40Area

from .test_tui import (
    SIZE,
    copy_example,
    from_the_palette,
    goto,
    grid,
    last_notice,
    open_app,
    type_cell,
    with_recovery,
)


async def test_ctrl_z_takes_back_a_figure_from_another_quadro_and_ctrl_y_brings_it_back(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "R07_2021", "320000")
        assert app.editor.draft.R07_2021 == Decimal("320000.00")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.R07_2021 == Decimal("51475.22") and not app.editor.dirty
        assert last_notice(app) == "Annullata la modifica di R07_2021: torna a 51.475,22."
        assert type(app.screen).__name__ == "Quadro2Screen" and grid(app).current == "R07_2021"
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.editor.draft.R07_2021 == Decimal("320000.00")
        assert last_notice(app) == "Ripetuta la modifica di R07_2021: di nuovo 320.000,00."
        await pilot.press("ctrl+z", "ctrl+s")
        await pilot.pause()
        assert load(path).R07_2021 == Decimal("51475.22")


async def test_ctrl_z_while_typing_takes_back_the_whole_edit(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2024")
        before = app.editor.draft.M12_2024
        await pilot.press(*"777")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == 777
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == before and not app.screen.edit_line.editing
        assert last_notice(app) == f"Annullata la modifica di M12_2024: torna a {before}."


async def test_nothing_to_undo_is_said(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert last_notice(app) == "Niente da annullare."


async def test_undo_and_redo_are_in_the_palette(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2024", "5")
        await from_the_palette(pilot, "Annulla modifica")
        assert app.editor.draft.M12_2024 == 13
        await from_the_palette(pilot, "Ripeti modifica")
        assert app.editor.draft.M12_2024 == 5


async def test_f8_shows_the_proposal_first_and_ctrl_z_brings_the_written_text_back(tmp_path):
    """A hand-written R40 (with the explanation of an «Altro» item) is never lost to F8."""
    path = copy_example(tmp_path, "lomellina")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        written = app.editor.draft.R40
        await pilot.press("f6")
        await pilot.pause()
        area = app.screen.query_one(R40Area)
        assert area.cursor_location == area.document.end  # typing goes on after the text
        await pilot.press(*" Fine.")
        await pilot.pause()
        assert app.editor.draft.R40 == written + " Fine."

        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        proposal = propose(app.editor.draft, app.editor.outcome)
        shown = str(app.screen.query_one("#detail Static", Static).content)
        assert shown == proposal  # the whole proposal, before anything is replaced
        assert app.editor.draft.R40 == written + " Fine."
        await pilot.press("s")
        await pilot.pause()
        assert app.editor.draft.R40 == proposal

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.R40 == written + " Fine."
        assert isinstance(app.screen, FinalScreen) and area.text == written + " Fine."
        await pilot.press("ctrl+z")  # the typing, as one step
        await pilot.pause()
        assert app.editor.draft.R40 == written
        await pilot.press("ctrl+y", "ctrl+y")
        await pilot.pause()
        assert app.editor.draft.R40 == proposal


async def test_a_restored_recovery_can_be_undone(tmp_path):

    path = with_recovery(copy_example(tmp_path, "tortona"), M12_2024=99)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("r")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == 99
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == 13 and not app.editor.dirty
        assert last_notice(app).startswith("Annullato: ripristino del recupero del ")


async def test_a_recovery_set_aside_is_offered_again_from_the_palette(tmp_path):
    """«Non ora» sets the recovery aside; Ctrl+P lists it with when it was written, and
    restoring it shows first which cells it changes."""
    from soc25_tui.core import session

    path = with_recovery(copy_example(tmp_path, "tortona"), M12_2024=99)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")  # «Non ora»
        await pilot.pause()
        assert not isinstance(app.screen, Choice) and app.editor.draft.M12_2024 == 13
        (aside, _), = session.recoveries_aside(path)
        await from_the_palette(pilot, "Ripristina un recupero")
        assert isinstance(app.screen, Choice)
        question = str(app.screen.query_one(Static).content)
        assert "messo da parte" in question and "una cella diversa" in question
        # The cell, then the figures computed from it (R0B 2024: 28 - 13 + 99 = 114).
        detail = str(app.screen.query_one("#detail Static", Static).content).splitlines()
        assert detail[0] == "M12_2024: 13 → 99" and "R0B_2024 (calcolata): 28 → 114" in detail[1:]
        await pilot.press("r")
        await pilot.pause()
        assert app.editor.draft.M12_2024 == 99 and app.editor.dirty
        assert os.path.exists(aside)  # kept: restoring takes nothing away
