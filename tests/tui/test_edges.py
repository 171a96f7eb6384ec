"""Edges found by a review of the key gate, undo and the recovery file: each test failed on the
code before its fix."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest

from soc25_tui.core import session
from soc25_tui.core.drafts import load
from soc25_tui.screens.dialogs import Choice

from ..conftest import EXAMPLES
from .test_tui import (
    SIZE,
    _burst,
    caught_up,
    copy_example,
    goto,
    open_app,
    type_cell,
    with_recovery,
)

# --- a key that acts at once never overtakes characters typed before it ---------------------


@pytest.mark.parametrize("then", ["ctrl+s", "f3"])
async def test_digits_then_a_priority_key_in_one_burst(tmp_path, then):
    """Ctrl+S and the F-keys are the App's priority bindings, run the moment they are let in:
    the digits sent before them straight to the edit line must be typed first."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("7")  # the edit is open: 8 and 9 go straight into it
        await caught_up(pilot)
        _burst(app, "8", "9", then)
        await caught_up(pilot)
        assert app.editor.draft.M12_2019 == 789
        if then == "ctrl+s":
            assert load(path).M12_2019 == 789


async def test_digits_then_ctrl_z_in_one_burst_takes_back_the_whole_edit(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        _burst(app, "7", "8", "9", "ctrl+z")
        await caught_up(pilot)
        assert app.editor.draft.M12_2019 == 15 and not app.editor.dirty
        assert not app.screen.edit_line.editing and app.screen.edit_line.input.value == "15"


async def test_enter_in_the_palette_waits_for_its_search(tmp_path):
    """The palette searches in a worker: Enter right after the name chooses the cell it
    finds, and the figure goes there (not into Quadro 1's first cell)."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        comune = app.editor.draft.comune
        _burst(app, "ctrl+p", *"R07_2021", "enter", *"32000", "enter")
        await caught_up(pilot)
        assert app.editor.draft.R07_2021 == Decimal("32000.00")
        assert app.editor.draft.comune == comune


# --- undo with edits still open -----------------------------------------------------------


async def test_undo_of_a_figure_whose_edit_stays_open_on_a_quadro_left(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R07_2021")
        await pilot.press(*"320000")
        await caught_up(pilot)
        assert app.screen.edit_line.editing
        await pilot.press("f2")  # the edit stays open on Quadro 2
        await caught_up(pilot)
        await pilot.press("ctrl+z")
        await caught_up(pilot)
        assert app.editor.draft.R07_2021 == Decimal("51475.22")
        assert app.editor.can_redo and not app.editor.dirty


async def test_ctrl_z_on_an_edit_not_valid_drops_only_that_text(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "R07_2021", "320000")  # an earlier change, on Quadro 2
        await goto(pilot, "M12_2019")
        await pilot.press(*"26o")  # a slip: not valid, never in the draft
        await caught_up(pilot)
        await pilot.press("ctrl+z")
        await caught_up(pilot)
        assert app.editor.draft.R07_2021 == Decimal("320000.00")  # not taken back as well
        assert app.editor.draft.M12_2019 == 15 and not app.screen.edit_line.editing
        assert type(app.screen).__name__ == "Quadro1Screen"


# --- the recovery file ----------------------------------------------------------------------


async def test_keys_typed_before_the_recovery_question_never_replace_the_recovery(tmp_path):
    path = with_recovery(copy_example(tmp_path, "tortona"), R07_2021=Decimal(999999))
    later = time.time() + 5
    os.utime(session.recovery_path(path), (later, later))
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        _burst(app, "5", "enter")  # typed ahead, before the question shows
        await caught_up(pilot)
        await pilot.pause(0.6)  # this session's recovery file is written meanwhile
        assert isinstance(app.screen, Choice)
        await pilot.press("i")
        await caught_up(pilot)
    assert any(load(f).R07_2021 == Decimal(999999) for f, _ in session.recoveries_aside(path))


async def test_saving_keeps_the_recovery_of_an_edit_still_open(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "R07_2021", "320000")  # something to save
        await goto(pilot, "R08")
        await pilot.press(*"2600o")  # not valid: only the recovery file holds it
        await caught_up(pilot)
        await pilot.pause(0.5)  # its recovery written: no write is pending any more
        await pilot.press("ctrl+s")
        await caught_up(pilot)
        for _ in range(40):
            await pilot.pause(0.05)
            if os.path.exists(session.recovery_path(path)):
                break
        await app.workers.wait_for_complete()
        assert load(session.recovery_path(path)).invalid == {"R08": "2600o"}
        assert load(path).R07_2021 == Decimal("320000.00")


async def test_quitting_with_an_edit_not_valid_asks_first(tmp_path):
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "R08")
        await pilot.press(*"2600o")
        await caught_up(pilot)
        assert not app.editor.dirty  # the draft itself did not change
        await pilot.press("ctrl+q")
        await caught_up(pilot)
        assert isinstance(app.screen, Choice) and app.is_running


async def test_undoing_a_restored_recovery_back_to_the_file_leaves_no_recovery(tmp_path):
    path = with_recovery(copy_example(tmp_path, "tortona"), M12_2024=99)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await caught_up(pilot)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        assert load(session.recovery_path(path)).M12_2024 == 99  # this session's, restored
        await pilot.press("ctrl+z")
        await caught_up(pilot)
        assert not app.editor.dirty and not os.path.exists(session.recovery_path(path))


async def test_backspace_and_characters_in_one_burst_keep_their_order(tmp_path):
    """Backspace is the field's binding, run when the key reaches the App: a character sent
    after it must not be inserted before it acts."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("7")
        await caught_up(pilot)
        _burst(app, "8", "backspace", "9", "backspace", "backspace", "5", "1")
        await caught_up(pilot)
        assert app.screen.edit_line.input.value == "51" and app.editor.draft.M12_2019 == 51
        _burst(app, "backspace", "4")  # a Backspace from a quiet field, then a character
        await caught_up(pilot)
        assert app.editor.draft.M12_2019 == 54


async def test_a_probe_left_over_after_the_key_was_let_go_does_nothing(tmp_path):
    """The watchdog can start a round while the one it gave up still has a probe on its way;
    a probe that fires once the key has been let go must not settle (and end the repaint
    batch) a second time: Textual asserts on a batch ended more times than begun, and under
    load that crashed the app."""
    app = open_app(copy_example(tmp_path, "tortona"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.keys_pending
        app._gate_probe()  # as the left-over probe would, with nothing to settle
        for _ in range(5):
            await pilot.pause(0.01)
        await pilot.press("f3")
        await pilot.pause()
        assert app.is_running and app.screen.__class__.__name__ == "Quadro2Screen"


async def test_a_paste_past_what_the_cell_holds_is_refused_whole_and_said(tmp_path):
    """A megabyte pasted into the edit line (a file copied by mistake, or on purpose) is not
    put into the line and then refused by the check: it is refused at once, whole (never
    cut to fit), and the notice says the cell and the bound; a paste that fits goes in."""
    from textual import events

    from soc25_tui.widgets.editor import EditorInput

    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, "M12_2019")
        await pilot.press("enter")
        await pilot.pause()
        line = app.focused
        assert isinstance(line, EditorInput) and line.editing_name == "M12_2019"
        before = line.value
        line.post_message(events.Paste("1" * 65))  # a figure is at most 64 characters long
        await pilot.pause()
        assert line.value == before
        said = [n.message for n in app._notifications]
        assert said[-1] == (f"Testo rifiutato: M12_2019 ne conterrebbe {len(before) + 65} caratteri, "
                            "al massimo 64.")
        line.post_message(events.Paste("12"))
        await pilot.pause()
        assert line.value == before + "12"
    assert path.read_bytes() == (EXAMPLES / "tortona.toml").read_bytes()
