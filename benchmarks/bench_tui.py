"""Benchmark the form-filler (run by hand; tests never assert wall-clock times).

    python benchmarks/bench_tui.py [--runs 11] [--keys 40]

Reports, in one run on the same machine:
- time to the first interactive screen: from launching a process until its first screen is
  painted and the frame after it is done (DataTable sizes itself on the first idle), for
  `soc25 DRAFT.toml` on a copy of examples/sondrio.toml, through the real command line (the
  draft's values on Quadro 1, the lock taken, the recovery check done), next to a minimal
  Textual app (one Static) measured the same way (target: within 1.5x of it). The whole
  process, start to exit, is reported too;
- the median time from a key press in a cell to the updated Quadro 2 message on screen
  (target: under 50 ms): each key flips R07_2021 across R06, so each one changes the message;
- the first key typed right after the screen appears (pydantic, which validates typed
  values, is imported in a worker thread after the first paint: this shows whether a fast
  typist waits for it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Each child writes time.time() to $BENCH_PAINTED once its first screen is painted, then exits.
_REPORT = """
import os, time
def painted():
    with open(os.environ["BENCH_PAINTED"], "w") as fh:
        fh.write(repr(time.time()))
"""

MINIMAL = _REPORT + """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("SOC25")
    def on_ready(self):
        self.call_after_refresh(self.done)
    def done(self):
        painted()
        self.exit()
Minimal().run(headless=True, size=(80, 24))
"""

SOC25 = _REPORT + """
import sys
from soc25_tui import app as app_module, cli
from soc25_tui.screens.base import QuadroScreen
class Timed(app_module.Soc25App):
    def on_ready(self):
        screen = self.screen
        assert isinstance(screen, QuadroScreen) and screen.grid.row_count, screen
        assert screen.grid._shown.get("R03") == "21.297", "Quadro 1 without the draft's values"
        self.call_after_refresh(self.done)
    def done(self):
        painted()
        self._leave()
    def run(self, **kwargs):
        return super().run(headless=True, size=(80, 24))
app_module.Soc25App = Timed  # what `soc25 DRAFT.toml` starts
sys.exit(cli.main(sys.argv[1:]))
"""


def launch(code: str, args: list[str]) -> tuple[float, float]:
    """(launch -> first screen painted, launch -> process ended), in seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        mark = os.path.join(tmp, "painted")
        t0 = time.time()
        subprocess.run([sys.executable, "-c", code, *args], check=True, env=dict(os.environ, BENCH_PAINTED=mark))
        ended = time.time() - t0
        with open(mark) as fh:
            return float(fh.read()) - t0, ended


async def key_latency(keys: int) -> tuple[float, list[float]]:
    """Send keys as the terminal driver does (not through Pilot.press, whose waits for idle
    add ~80 ms of its own) and time each until the message has changed and the screen has
    repainted (no dirty widgets, no pending layout). Returns (the first key, typed as soon as
    the screen is painted; the others)."""
    from textual import events

    from soc25_tui.app import Soc25App
    from soc25_tui.drafts import load
    from soc25_tui.widgets.panels import MessagePanel

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tortona.toml"
        shutil.copy(ROOT / "examples" / "tortona.toml", path)
        app = Soc25App(str(path), load(path))
        times = []
        async with app.run_test(size=(80, 24)):
            screen = app.screen

            async def press(key: str, char: str | None) -> float:
                panel = screen.query_one(MessagePanel)
                before = panel.texts()
                event = events.Key(key, char)
                event.set_sender(app)
                t0 = time.perf_counter()
                app._driver.send_message(event)
                while panel.texts() == before:
                    await asyncio.sleep(0.0005)
                while screen._dirty_widgets or screen._layout_required:
                    await asyncio.sleep(0.0005)
                return time.perf_counter() - t0

            while not app._dom_ready:
                await asyncio.sleep(0.0005)
            screen.grid.go_to("R03")  # 21.297 -> 1: the Quadro 1 messages change
            first = await press("1", "1")
            await press("escape", None)
            app.jump_to("R07_2021")
            while app.screen is screen:
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.1)
            screen = app.screen
            for key in "6000":  # R07_2021 = 6.000: case D
                app._driver.send_message(events.Key(key, key))
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)
            for i in range(keys):
                key, char = ("0", "0") if i % 2 == 0 else ("backspace", None)  # 60.000 (B) <-> 6.000 (D)
                times.append(await press(key, char))
                await asyncio.sleep(0.02)
        return first, times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--keys", type=int, default=40)
    args = ap.parse_args()
    # Bytecode for both sides (an editable install under PYTHONDONTWRITEBYTECODE has none).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    with tempfile.TemporaryDirectory() as tmp:
        draft = os.path.join(tmp, "sondrio.toml")
        shutil.copy(ROOT / "examples" / "sondrio.toml", draft)
        launch(MINIMAL, [])
        launch(SOC25, [draft])  # warm caches
        # Taken in turns, so that a change in the machine's load weighs on both alike.
        minimal, ours = zip(*((launch(MINIMAL, []), launch(SOC25, [draft])) for _ in range(args.runs)))
    minimal_painted, minimal_ended = zip(*minimal)
    ours_painted, ours_ended = zip(*ours)
    mp, op = statistics.median(minimal_painted) * 1000, statistics.median(ours_painted) * 1000
    me, oe = statistics.median(minimal_ended) * 1000, statistics.median(ours_ended) * 1000
    print(f"launch -> first screen painted, median of {args.runs}:")
    print(f"  minimal Textual app            {mp:6.1f} ms")
    print(f"  soc25 sondrio.toml (Quadro 1)  {op:6.1f} ms  = {op / mp:.2f}x (target <= 1.5x)")
    pairs = sorted(o / m for o, m in zip(ours_painted, minimal_painted))
    print(f"  run by run: {pairs[0]:.2f}x to {pairs[-1]:.2f}x, median {statistics.median(pairs):.2f}x")
    print(f"launch -> process ended: minimal {me:6.1f} ms, soc25 {oe:6.1f} ms = {oe / me:.2f}x")
    first, lat = asyncio.run(key_latency(args.keys))
    ms = sorted(t * 1000 for t in lat)
    print(f"key press -> Quadro 2 message updated on screen, {len(ms)} keys: median "
          f"{statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms (target: median < 50 ms)")
    print(f"first key typed as soon as Quadro 1 is painted -> R04 updated: {first * 1000:.1f} ms")


if __name__ == "__main__":
    main()
