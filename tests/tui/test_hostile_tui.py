"""Property: any draft that loads opens in the TUI, every screen shows it (F2-F7, help,
the palette), nothing raises, no control character from the data reaches what is drawn, and
the file is not changed by looking at it."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings

from soc25_tui.app import Soc25App
from soc25_tui.core.drafts import DraftError, load

from ..hostile import draft_texts

SIZE = (80, 24)
# Characters that must never be drawn raw (the data's; Textual draws its own box characters).
_RAW = ["\x1b", "\x07", "\x9b", "\x9c", "\u202e"]


async def _look_at_everything(app: Soc25App) -> list[str]:
    drawn = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "escape", "f1", "escape"):
            await pilot.press(key)
            await pilot.pause()
            drawn.append(app.export_screenshot())
        await pilot.press("ctrl+q")
        await pilot.pause()
    return drawn


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=draft_texts())
def test_any_draft_that_loads_opens_and_is_shown_not_obeyed(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("tui")
    path = folder / "ostile.toml"
    path.write_text(text, encoding="utf-8")
    try:
        draft = load(path)
    except DraftError:
        return  # refused before the TUI starts (soc25 says why and exits 2): tests/cli
    before = path.read_bytes()
    drawn = asyncio.run(_look_at_everything(Soc25App(str(path), draft)))
    for screen in drawn:
        for raw in _RAW:
            assert raw not in screen, f"raw {raw!r} drawn"
    assert path.read_bytes() == before
