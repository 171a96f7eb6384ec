"""Benchmark the form-filler (run by hand; tests never assert wall-clock times).

    python benchmarks/bench_tui.py [--runs 9] [--keys 40]

Reports, in one run on the same machine:
- time to the first interactive screen: a whole process that opens examples/sondrio.toml and
  exits as soon as the Quadro 1 grid is painted, next to a minimal Textual app (one Static)
  started and stopped the same way (target: within 1.5x of it);
- the median time from a key press in a cell to the updated Quadro 2 message on screen
  (target: under 50 ms): each key flips R07_2021 across R06, so each one changes the message.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("SOC25")
    def on_ready(self):
        self.call_after_refresh(self.exit)
Minimal().run(headless=True, size=(80, 24))
"""

SOC25 = """
import sys
from soc25_tui.app import Soc25App, run
from soc25_tui.screens.base import QuadroScreen
class Timed(Soc25App):
    def on_ready(self):
        self._poll()
    def _poll(self):
        screen = self.screen
        if isinstance(screen, QuadroScreen) and screen.is_mounted and screen.grid.row_count:
            self.call_after_refresh(self.exit)
        else:
            self.set_timer(0.001, self._poll)
from soc25_tui.drafts import load
path = sys.argv[1]
Timed(path, load(path), read_only=True).run(headless=True, size=(80, 24))
"""


def process_times(code: str, args: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True)
        out.append(time.perf_counter() - t0)
    return out


async def key_latency(keys: int) -> list[float]:
    """Send keys as the terminal driver does (not through Pilot.press, whose waits for idle
    add ~80 ms of its own) and time each until the message has changed and the screen has
    repainted (no dirty widgets, no pending layout)."""
    from textual import events

    from soc25_tui.app import Soc25App
    from soc25_tui.drafts import load
    from soc25_tui.widgets.panels import MessagePanel

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tortona.toml"
        shutil.copy(ROOT / "examples" / "tortona.toml", path)
        app = Soc25App(str(path), load(path))
        times = []
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.jump_to("R07_2021")
            await pilot.pause()
            for key in "6000":  # R07_2021 = 6.000: case D
                await pilot.press(key)
            await pilot.pause()
            panel = app.screen.query_one(MessagePanel)
            screen = app.screen
            for i in range(keys):
                before = panel.texts()
                key, char = ("0", "0") if i % 2 == 0 else ("backspace", None)  # 60.000 (B) <-> 6.000 (D)
                event = events.Key(key, char)
                event.set_sender(app)
                t0 = time.perf_counter()
                app._driver.send_message(event)
                while panel.texts() == before:
                    await asyncio.sleep(0.0005)
                while screen._dirty_widgets or screen._layout_required:
                    await asyncio.sleep(0.0005)
                times.append(time.perf_counter() - t0)
                await pilot.pause()
        return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--keys", type=int, default=40)
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    example = str(ROOT / "examples" / "sondrio.toml")
    process_times(MINIMAL, [], 1)
    process_times(SOC25, [example], 1)  # warm caches
    minimal = statistics.median(process_times(MINIMAL, [], args.runs)) * 1000
    ours = statistics.median(process_times(SOC25, [example], args.runs)) * 1000
    print(f"minimal Textual app, start to first paint and exit: median {minimal:6.1f} ms")
    print(f"soc25 on sondrio.toml, Quadro 1 painted and exit:   median {ours:6.1f} ms"
          f"  = {ours / minimal:.2f}x (target <= 1.5x)")
    lat = asyncio.run(key_latency(args.keys))
    ms = sorted(t * 1000 for t in lat)
    print(f"key press -> Quadro 2 message updated on screen, {len(ms)} keys: median "
          f"{statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms (target: median < 50 ms)")


if __name__ == "__main__":
    main()
