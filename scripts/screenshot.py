"""Regenerate docs/quadro1.svg, the README's screenshot (Quadro 1 of the Sondrio example).

    python scripts/screenshot.py
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from soc25_tui.app import Soc25App  # noqa: E402
from soc25_tui.core.drafts import load  # noqa: E402


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sondrio.toml"
        shutil.copy(ROOT / "examples" / "sondrio.toml", path)
        app = Soc25App(str(path), load(path))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.jump_to("M12_2024")
            await pilot.pause()
            for widget in app.screen.query("Input"):
                widget.cursor_blink = False
            await pilot.pause()
            app.save_screenshot(filename="quadro1.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
