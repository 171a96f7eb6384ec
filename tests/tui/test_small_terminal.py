"""A terminal smaller than 80x24: a notice gives its size and the size needed, the code of
every row stays on screen when the grid scrolls sideways, and every screen's key stays on
the tabs line. Read from what is drawn, as a person sees it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from soc25_tui.app import Soc25App
from soc25_tui.core.drafts import load

from ..conftest import EXAMPLES


def open_example(tmp_path: Path, name: str = "tortona") -> Soc25App:
    path = tmp_path / f"{name}.toml"
    shutil.copy(EXAMPLES / f"{name}.toml", path)
    return Soc25App(str(path), load(path))


def drawn(app: Soc25App) -> list[str]:
    """The lines of the screen as drawn (Textual's compositor: what the terminal gets)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def notice_in(lines: list[str]) -> str:
    """The notice of the terminal's size, its lines joined (it wraps on a small terminal)."""
    text = " ".join(" ".join(line.split()) for line in lines)
    found = re.search(r"Il terminale è \S+: per vedere tutto servono almeno \S+", text)
    return found.group(0) if found else ""


async def test_a_small_terminal_says_the_size_needed_until_it_is_large_enough(tmp_path):
    app = open_example(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        lines = drawn(app)
        assert notice_in(lines) == "Il terminale è 60×20: per vedere tutto servono almeno 80×24"
        # The notice takes no room from what is typed: the edit line and the footer are there.
        assert any(line.strip().startswith("comune · Comune") for line in lines)
        assert "Esci" in lines[-1]

        await pilot.resize_terminal(80, 23)  # one line short is still too small
        await pilot.pause()
        assert notice_in(drawn(app)) == "Il terminale è 80×23: per vedere tutto servono almeno 80×24"

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        lines = drawn(app)
        assert notice_in(lines) == "" and not any("Il terminale è" in line for line in lines)
        assert lines[2].split()[:2] == ["Cod.", "Descrizione"]  # the grid where it always was


async def test_the_notice_follows_a_resize_made_while_another_screen_was_shown(tmp_path):
    """Resized on Quadro 1 and back on Quadro 1, then F6: the final screen, built and shown
    after the resize, has no notice; made small again there, Quadro 1 says so when shown."""
    app = open_example(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "FinalScreen"
        assert notice_in(drawn(app)) == ""
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        assert notice_in(drawn(app)) == "Il terminale è 70×24: per vedere tutto servono almeno 80×24"
        await pilot.press("f2")
        await pilot.pause()
        assert notice_in(drawn(app)) == "Il terminale è 70×24: per vedere tutto servono almeno 80×24"


async def test_the_review_table_says_it_too(tmp_path):
    folder = tmp_path / "ats"
    folder.mkdir()
    shutil.copy(EXAMPLES / "sondrio.toml", folder / "sondrio.toml")
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause(0.5)
        assert notice_in(drawn(app)) == "Il terminale è 60×20: per vedere tutto servono almeno 80×24"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert notice_in(drawn(app)) == ""


def grid_rows(lines: list[str], last_title: str) -> list[str]:
    """The grid's lines, from its header (found by the title of its last column, on screen
    once the grid has scrolled to it) to the messages' top border."""
    start = next(i for i, line in enumerate(lines) if line.split()[-1:] == [last_title])
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("─"))
    return lines[start:end]


async def test_quadro4_keeps_the_codes_on_screen_when_it_scrolls_sideways(tmp_path):
    """At 60 columns Quadro 4's answer column is right of the labels: the grid scrolls to it,
    and the code of the item being answered stays at the start of its line."""
    app = open_example(tmp_path)  # Tortona: case D, items R34-R39
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("right")
        await pilot.pause()
        rows = grid_rows(drawn(app), "Risposta")  # scrolled to the answers
        assert rows[0].split()[0] == "Cod."
        assert any(line.startswith(" R34 ") and " NO " in line for line in rows)
        await pilot.press("down", "down")  # R35, R36: each one's code beside its answer
        await pilot.pause()
        codes = [line.split()[0] for line in grid_rows(drawn(app), "Risposta")[1:] if re.match(r" R3\d ", line)]
        assert codes and all(code in {"R34", "R35", "R36", "R37", "R38", "R39"} for code in codes)
        assert "R36" in codes


async def test_quadro1_keeps_the_codes_on_screen_at_its_last_column(tmp_path):
    app = open_example(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "tab")  # comune -> provincia -> istat -> M12_2019
        await pilot.press("right", "right", "right", "right")  # to M12's last column, Media
        await pilot.pause()
        rows = grid_rows(drawn(app), "Media")  # the last column is on screen
        assert rows[0].split()[0] == "Cod."
        assert any(line.startswith(" M12 ") for line in rows)


async def test_every_screens_key_stays_on_the_tabs_line(tmp_path):
    app = open_example(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        tabs = drawn(app)[1]
        assert [tabs.find(f"F{n}") >= 0 for n in range(2, 7)] == [True] * 5
        assert "R40" in tabs
        await pilot.press("f6")  # it works from there too
        await pilot.pause()
        assert type(app.screen).__name__ == "FinalScreen"
        await pilot.resize_terminal(80, 24)  # wide enough: the titles whole, as before
        await pilot.pause()
        assert "F6 R40 e riepilogo" in drawn(app)[1]
