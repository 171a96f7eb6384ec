"""Benchmark the form-filler (run by hand; tests never assert wall-clock times).

    python benchmarks/bench_tui.py [--runs 11] [--keys 40]

Every process runs in an 80x24 pseudo-terminal with Textual's real driver (headless where
there are no pseudo-terminals), so writing the screen counts. Reports, in one run on the
same machine, the two apps taken in turns:

- time to the first interactive screen: from launching the process until its first screen
  is painted and the frame after it is done (DataTable sizes itself on the first idle), for
  `soc25 DRAFT.toml` on a copy of examples/sondrio.toml through the real command line (the
  draft's values on Quadro 1, the lock taken, the recovery check done), next to a minimal
  Textual app (one Static) measured the same way (target: within 1.5x of it);
- what comes after that paint: pydantic, which validates typed values, is imported in a
  worker thread once the screen is painted. Reported: launch -> validators ready, and a key
  typed the moment the screen is painted -> the Quadro 1 messages updated on screen (the
  worst case: a typist who does not wait for the screen), and launch -> process ended;
- the median time from a key press in a cell to the updated Quadro 2 message on screen, in
  a running app (target: under 50 ms): each key flips R07_2021 across R06.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Each child appends {"what": time.time() or seconds} lines to $BENCH_REPORT.
_REPORT = """
import json, os, sys, time
HEADLESS = dict(headless=True, size=(80, 24)) if os.environ.get("BENCH_HEADLESS") else {}
def report(**what):
    with open(os.environ["BENCH_REPORT"], "a") as fh:
        fh.write(json.dumps(what) + "\\n")
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
        report(painted=time.time())
        self.exit()
Minimal().run(**HEADLESS)
"""

SOC25 = _REPORT + """
from textual import events
from soc25_tui import app as app_module, cli
from soc25_tui.core import model
from soc25_tui.screens.base import QuadroScreen
from soc25_tui.widgets.panels import MessagePanel
MODE = os.environ["BENCH_MODE"]
class Timed(app_module.Soc25App):
    def on_ready(self):
        screen = self.screen
        assert isinstance(screen, QuadroScreen) and screen.grid.row_count, screen
        assert screen.grid._shown.get("R03") == "21.297", "Quadro 1 without the draft's values"
        self.call_after_refresh(self.painted)
    def painted(self):
        report(painted=time.time())
        (self.first_key if MODE == "key" else self.wait_for_validators)()
    def wait_for_validators(self):
        # (a version of soc25 that imports pydantic before the first paint has no _ADAPTERS)
        if not hasattr(model, "_ADAPTERS") or len(model._ADAPTERS) == len(model._PY_TYPES):
            report(validators=time.time())
            self._leave()
        else:
            self.set_timer(0.001, self.wait_for_validators)
    def first_key(self):
        screen = self.screen
        screen.grid.go_to("R03")
        panel = screen.query_one(MessagePanel)
        before = panel.texts()
        event = events.Key("1", "1")
        event.set_sender(self)
        t0 = time.time()
        self._driver.send_message(event)
        def poll():
            if panel.texts() != before and not (screen._dirty_widgets or screen._layout_required):
                report(first_key=time.time() - t0)
                self.dirty = False  # a throw-away copy: no question, no recovery file
                self._leave()
            else:
                self.set_timer(0.0005, poll)
        poll()
    def run(self, **kwargs):
        return super().run(**HEADLESS)
app_module.Soc25App = Timed  # what `soc25 DRAFT.toml` starts
sys.exit(cli.main(sys.argv[1:]))
"""


def _run_in_terminal(argv: list[str], env: dict[str, str]) -> None:
    """Run `argv` on an 80x24 pseudo-terminal, reading what it writes as a terminal would."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        if proc.wait(timeout=60) != 0:
            raise RuntimeError(f"{argv[:2]} exited with {proc.returncode}")
    finally:
        os.close(master)


def launch(code: str, args: list[str], **env: str) -> dict[str, float]:
    """Run one child; its report, with times counted from the launch (seconds), and "ended"."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report")
        full_env = dict(os.environ, BENCH_REPORT=out, TERM="xterm-256color", **env)
        argv = [sys.executable, "-c", code, *args]
        t0 = time.time()
        if _HAS_PTY and not full_env.get("BENCH_HEADLESS"):
            _run_in_terminal(argv, full_env)
        else:
            subprocess.run(argv, check=True, env=full_env)
        result = {"ended": time.time() - t0}
        with open(out) as fh:
            for line in fh:
                for what, value in json.loads(line).items():
                    result[what] = value - t0 if what in ("painted", "validators") else value
        return result


try:
    import pty  # noqa: F401

    _HAS_PTY = True
except ImportError:  # Windows
    _HAS_PTY = False


async def key_latency(keys: int) -> list[float]:
    """Send keys as the terminal driver does (not through Pilot.press, whose waits for idle
    add ~80 ms of its own) and time each until the message has changed and the screen has
    repainted (no dirty widgets, no pending layout)."""
    from textual import events

    from soc25_tui.app import Soc25App
    from soc25_tui.core.drafts import load
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
            screen = app.screen
            panel = screen.query_one(MessagePanel)
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
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--keys", type=int, default=40)
    ap.add_argument("--headless", action="store_true", help="no pseudo-terminal (as on Windows)")
    args = ap.parse_args()
    if args.headless:
        os.environ["BENCH_HEADLESS"] = "1"
    # Bytecode for both sides (an editable install under PYTHONDONTWRITEBYTECODE has none).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    with tempfile.TemporaryDirectory() as tmp:

        def soc25(mode: str) -> dict[str, float]:
            draft = os.path.join(tmp, f"sondrio-{mode}.toml")  # a fresh copy each time
            shutil.copy(ROOT / "examples" / "sondrio.toml", draft)
            return launch(SOC25, [draft], BENCH_MODE=mode)

        launch(MINIMAL, [])
        soc25("paint")  # warm the caches
        # Taken in turns, so that a change in the machine's load weighs on all alike.
        runs = [(launch(MINIMAL, []), soc25("paint"), soc25("key")) for _ in range(args.runs)]
    minimal, ours, keyed = zip(*runs)

    def median(results, what: str) -> float:
        return statistics.median(r[what] for r in results) * 1000

    mp, op = median(minimal, "painted"), median(ours, "painted")
    where = "headless" if args.headless or not _HAS_PTY else "an 80x24 pseudo-terminal"
    print(f"launch -> first screen painted, in {where}, median of {args.runs}:")
    print(f"  minimal Textual app            {mp:6.1f} ms")
    print(f"  soc25 sondrio.toml (Quadro 1)  {op:6.1f} ms  = {op / mp:.2f}x (target <= 1.5x)")
    pairs = sorted(o["painted"] / m["painted"] for o, m in zip(ours, minimal))
    print(f"  run by run: {pairs[0]:.2f}x to {pairs[-1]:.2f}x, median {statistics.median(pairs):.2f}x")
    print("after the first paint, soc25:")
    print(f"  launch -> validators ready (pydantic imported in a thread)  {median(ours, 'validators'):6.1f} ms")
    print(f"  a key typed the moment Quadro 1 is painted -> messages updated  {median(keyed, 'first_key'):5.1f} ms")
    me, oe = median(minimal, "ended"), median(ours, "ended")
    print(f"  launch -> process ended: minimal {me:6.1f} ms, soc25 {oe:6.1f} ms = {oe / me:.2f}x")
    ms = sorted(t * 1000 for t in asyncio.run(key_latency(args.keys)))
    print(f"key press -> Quadro 2 message updated on screen, {len(ms)} keys: median "
          f"{statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms (target: median < 50 ms)")


if __name__ == "__main__":
    main()
