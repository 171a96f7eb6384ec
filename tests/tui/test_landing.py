"""Keys land where they were aimed: a burst typed right after a jump, a screen switch or a
dialog closing goes, every key and in order, to the cell under the cursor when it was typed,
and nowhere else; at 0 ms per key (keys delivered together, as over a slow SSH link) and at
50 ms per key (a quick typist)."""

from __future__ import annotations

import asyncio

import pytest

from soc25_tui.core.layout import CELL_BY_NAME
from soc25_tui.core.values import parse_input

from .test_tui import SIZE, _burst, caught_up, copy_example, grid, open_app


async def _type(app, keys, delay: float) -> None:
    """Keys as the terminal delivers them: all at once (delay 0) or one every `delay` s."""
    if not delay:
        _burst(app, *keys)
    for key in keys if delay else ():
        _burst(app, key)
        await asyncio.sleep(delay)


def _changed(before: dict, draft) -> dict:
    after = draft.inputs()
    return {name: after[name] for name in after if after[name] != before[name]}


DELAYS = [0.0, 0.05]

# (what the person does before typing, the cell the figure is aimed at: None for the cell
# under the cursor once the screen is shown)
JUMPS = {
    "ctrl+g to a Quadro not yet shown": (["ctrl+g", *"R07_2021", "enter"], "R07_2021"),
    "ctrl+g to Quadro 3 not yet shown": (["ctrl+g", *"R12", "enter"], "R12"),
    "ctrl+g on the same screen": (["ctrl+g", *"M18_2024", "enter"], "M18_2024"),
    "f3 to a Quadro not yet shown": (["f3"], None),
    "help closed with Esc": (["f1", "escape", "tab", "tab", "tab"], "M12_2019"),
    "messages closed with Esc": (["f7", "escape", "tab", "tab", "tab"], "M12_2019"),
}


@pytest.mark.parametrize("delay", DELAYS, ids=["0ms", "50ms"])
@pytest.mark.parametrize("jump", list(JUMPS))
async def test_a_figure_typed_right_after_a_jump_lands_whole_in_the_aimed_cell(tmp_path, jump, delay):
    keys, aimed = JUMPS[jump]
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.editor.draft.inputs()
        await _type(app, [*keys, *"32000", "enter"], delay)
        await caught_up(pilot)
        changed = _changed(before, app.editor.draft)
        if aimed is None:  # the cell the new screen put its cursor on (before Enter moved it)
            aimed = next(iter(changed), None)
            assert aimed in app.screen.query_one("FormGrid").cell_names
        assert changed == {aimed: parse_input(aimed, "32000")}


@pytest.mark.parametrize("delay", DELAYS, ids=["0ms", "50ms"])
async def test_keys_after_jumping_to_a_screen_already_built_but_not_shown(tmp_path, delay):
    """Quadro 2 was built on an earlier visit and its cursor left elsewhere: the jump puts it
    on R08 before any key reaches the grid."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        grid(app).go_to("R07_2017")
        await pilot.press("f2")
        await pilot.pause()
        before = app.editor.draft.inputs()
        await _type(app, ["ctrl+g", *"R08", "enter", *"26000", "enter"], delay)
        await caught_up(pilot)
        assert _changed(before, app.editor.draft) == {"R08": parse_input("R08", "26000")}


@pytest.mark.parametrize("delay", DELAYS, ids=["0ms", "50ms"])
async def test_keys_after_choosing_a_cell_in_the_palette(tmp_path, delay):
    """The palette lists its hits as it searches: once R08 shows, Enter and the figure."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        before = app.editor.draft.inputs()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"R08")
        for _ in range(40):
            await pilot.pause(0.05)
            options = app.screen.query("CommandList")
            if options and options.first().option_count:
                break
        await _type(app, ["enter", *"26000", "enter"], delay)
        await caught_up(pilot)
        assert _changed(before, app.editor.draft) == {"R08": parse_input("R08", "26000")}


@pytest.mark.parametrize("delay", DELAYS, ids=["0ms", "50ms"])
async def test_three_jumps_and_figures_in_one_burst(tmp_path, delay):
    """Jump, figure, jump, figure…: each figure in its own cell, across three screens."""
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.editor.draft.inputs()
        typed = {"R08": "26000", "M15_ore": "41", "R12": "7777"}
        keys = []
        for name, figure in typed.items():
            keys += ["ctrl+g", *name, "enter", *figure, "enter"]
        await _type(app, keys, delay)
        await caught_up(pilot)
        assert _changed(before, app.editor.draft) == {n: parse_input(n, f) for n, f in typed.items()}
        assert CELL_BY_NAME["R12"].quadro == 3 and type(app.screen).__name__ == "Quadro3Screen"
