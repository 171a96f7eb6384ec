"""The pictures on the final screen: the summary there shows the text bars of each Quadro, at
the screen's width, and redraws them when the draft changes while the screen is shown."""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.widgets import Static

from soc25_tui.screens.final import FinalScreen

from .test_tui import SIZE, copy_example, open_app, type_cell

BAR = r"[█▉▊▋▌▍▎▏]+"


def summary_lines(app) -> list[str]:
    """The final screen's summary as it is drawn, line by line, at the widget's width."""
    widget = app.screen.query_one("#summary-body", Static)
    width = widget.content_size.width
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    lines = console.export_text().splitlines()
    assert all(len(line) <= width for line in lines)
    return lines


def bar_of(lines: list[str], code: str) -> tuple[int, str]:
    """The length (characters) and the figure of the bar of `code`."""
    for line in lines:
        m = re.fullmatch(rf"{code} ({BAR}) (\S+)\s*", line)
        if m:
            return len(m.group(1)), m.group(2)
    raise AssertionError(f"no bar of {code} in the summary")


async def test_final_screen_shows_the_bars_and_redraws_them_after_an_edit(tmp_path):
    app = open_app(copy_example(tmp_path, "tortona"))  # R0B 2024 = 28, R03 = 1.120, R05 = 4,49%
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause(FinalScreen.SUMMARY_DELAY + 0.2)
        assert isinstance(app.screen, FinalScreen)
        lines = summary_lines(app)
        assert "Utenti serviti, 2019 e 2024" in lines
        r04, r05 = bar_of(lines, "R04"), bar_of(lines, "R05")
        assert r04[1] == "2,50%" and r05[1] == "4,49%"  # 28 / 1.120 x 100
        assert r04[0] < r05[0]
        assert bar_of(lines, "R09")[1] == "2.420,47"  # case D: Quadro 3's picture

        # A change made while the screen is shown (a recovery, an undo elsewhere): the
        # editor tells the screen, which redraws its summary.
        assert app.editor.set("R03", 560) == ""  # R04 = 28 / 560 x 100 = 5,00%
        await pilot.pause(FinalScreen.SUMMARY_DELAY + 0.2)
        assert isinstance(app.screen, FinalScreen)
        lines = summary_lines(app)
        r04, r05 = bar_of(lines, "R04"), bar_of(lines, "R05")
        assert r04[1] == "5,00%" and r04[0] > r05[0]

        await type_cell(pilot, "R03", "2240")  # typed in Quadro 1: R04 = 28 / 2.240 x 100 = 1,25%
        await pilot.press("f6")
        await pilot.pause(FinalScreen.SUMMARY_DELAY + 0.2)
        lines = summary_lines(app)
        r04, r05 = bar_of(lines, "R04"), bar_of(lines, "R05")
        assert r04[1] == "1,25%" and r04[0] < r05[0]
