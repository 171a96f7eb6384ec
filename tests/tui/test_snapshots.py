"""SVG snapshots of every screen at 80x24, for the Sondrio (case A) and Tortona (case D)
examples. Review changes with `pytest --snapshot-update` and the report it writes."""

from __future__ import annotations

import shutil

import pytest

from soc25_tui.app import Soc25App
from soc25_tui.core.drafts import load

from ..conftest import EXAMPLES

SCREENS = {"q1": "f2", "q2": "f3", "q3": "f4", "q4": "f5", "final": "f6"}
CLASSES = {"q1": "Quadro1Screen", "q2": "Quadro2Screen", "q3": "Quadro3Screen",
           "q4": "Quadro4Screen", "final": "FinalScreen"}


def make_app(tmp_path, name: str) -> Soc25App:
    path = tmp_path / f"{name}.toml"
    shutil.copy(EXAMPLES / f"{name}.toml", path)
    return Soc25App(str(path), load(path))


async def _steady(pilot) -> None:
    """No blinking cursors in a snapshot (the autouse fixture `steady_cursors` makes every
    Input and TextArea so): check it, then let the screen settle."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert widget.cursor_blink is False
    await pilot.pause()


@pytest.mark.parametrize("example", ["sondrio", "tortona"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, tmp_path, example, screen):
    app = make_app(tmp_path, example)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(SCREENS[screen])
        await pilot.pause(0.5)  # the final screen renders its summary after a short delay
        # A screen that failed to open must fail the test, not be photographed.
        assert type(pilot.app.screen).__name__ == CLASSES[screen]
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_quadro1_editing_an_invalid_figure(snap_compare, tmp_path):
    """The error is text next to the cell, not only a colour."""
    app = make_app(tmp_path, "tortona")

    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.jump_to("M12_2019")
        await pilot.pause()
        await pilot.press("1", "2", "a")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_quadro4_without_colour(snap_compare, tmp_path, monkeypatch):
    """NO_COLOR=1: the cursor, the block that applies and the answers still read as text."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path, "tortona")

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
