"""Benchmark the form-filler as a person sees it (run by hand; tests never assert times).

    .venv/bin/python benchmarks/bench_tui.py [--runs 15] [--breakdown-runs 5] [--keys 40]

Every program runs in a real pseudo-terminal, 80x24, TERM=xterm-256color, as `soc25 DRAFT.toml`
would in a terminal window. Everything it writes is read in a thread (each chunk stamped with
the time it arrived) and fed to a terminal emulator (pyte: Screen + ByteStream); a clock stops
at the arrival of the chunk after which the *screen* shows what a person waits for, checked
after every chunk read. Output after the stop is drained before the next measurement.

1. First paint: from spawning the process to the first complete screen. soc25 on a fresh
   copy of examples/sondrio.toml (through the `soc25` command): the Comune in the status
   line, the last visible grid row's computed average (M27 media 62,56), the Quadro 1
   message (1 ogni 1331 abitanti) and the edit line's hint; next to a minimal Textual app
   (benchmarks/minimal_app.py: one Static) until its word shows. Taken in turns (A, B, A,
   B, ...) so that the machine's load weighs on both alike. Target: median <= 1.3x.

2. Keystroke -> recomputed figure on screen, in one running soc25 (a fresh copy of
   sondrio.toml), each key measured from a quiet screen until the *derived* figure (not the
   echoed digit) shows:
   (a) Quadro 1, an edit of M12_ore holding 81489: "0" -> M12's average hours 720,50 in the
       grid (814890 h / 1131 users), Backspace -> 72,05;
   (b) Quadro 2, an edit of R07_2021 holding 1000000: "0" -> the reference spending (the
       greater of R07 2017 and 2021) 10.000.000,00 "non inferiore" to R06 and Caso A in the
       status line; Backspace -> 1.831.062,70 (R07 2017 becomes the greater) "inferiore"
       and Caso C;
   (c) Quadro 4, Caso A, the «Altro» item R22 with R40 empty: "s" -> the status line's
       counter says 1 errore (an «Altro» answered SI must be explained in R40), "n" -> 0
       errori.
   The peer, measured in turns with soc25 in the same run the same way: a plain Textual app
   (benchmarks/peer_input.py), one Input whose Changed handler recomputes one figure
   (hours / users) into a Static: "0" -> Media: 720,50, Backspace -> Media: 72,05.
   Ratios: soc25 median / peer median (target <= 1.1x) and soc25 p95 / peer median (target
   <= 1.6x), the peer's median taken over the samples interleaved with that case.

3. Breakdown (in-process, headless; the apps time themselves, no terminal): launch -> first
   paint, launch -> validators ready (pydantic is imported in a thread after the paint), a
   key typed the moment Quadro 1 is painted -> messages updated, launch -> process ended,
   and a running app's key -> Quadro 2 message updated. These read soc25's internals; if
   they change, the section says "unavailable" and the rest still runs.

Needs pyte (`pip install -e .[test]`, or `pip install pyte`) and pseudo-terminals (Unix).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT / "src"))

COLS, LINES = 80, 24
TIMEOUT = 30.0  # seconds for anything awaited on screen: generous, a 2-core machine may be busy
QUIET = 0.05  # a screen is quiet after this long without output
SCROLLBAR = "▁▂▃▄▅▆▇█▉▊▋▌▍▎▏"  # Textual's scrollbar glyphs, at the right edge of a row

# Keys as an xterm sends them.
CTRL_G, ENTER, ESC, BACKSPACE = b"\x07", b"\r", b"\x1b", b"\x7f"
F3, F5 = b"\x1bOR", b"\x1b[15~"


class BenchError(RuntimeError):
    pass


# --- a program in a pseudo-terminal, its screen read by a terminal emulator -----------------


class Terminal:
    """`argv` on an 80x24 pseudo-terminal. A thread reads what it writes, stamping each chunk
    with its arrival time (perf_counter); `wait` feeds the chunks to a pyte screen in order and
    checks a condition on the screen after each one."""

    def __init__(self, name: str, argv: list[str], cwd: str, env: dict[str, str]) -> None:
        import fcntl
        import pty
        import struct
        import termios

        import pyte

        self.name = name
        self.screen = pyte.Screen(COLS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self._chunks: queue.SimpleQueue = queue.SimpleQueue()
        self.ended = False
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLS, 0, 0))
        self.master = master
        self.spawned = time.perf_counter()
        try:
            self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                                         start_new_session=True, close_fds=True)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, name=f"pty-{name}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # EIO: the program closed the terminal (ended)
                    break
                if not data:
                    break
                self._chunks.put((time.perf_counter(), data))
        finally:
            self._chunks.put(None)

    def _feed(self, item) -> None:
        if item is None:
            self.ended = True
            self.proc.poll()
            return
        self.stream.feed(item[1])

    # what is on screen

    def rows(self) -> list[str]:
        return self.screen.display

    def flat(self) -> str:
        """The screen as one line of words: rows without their scrollbar, wrapped words joined."""
        return " ".join(" ".join(row.rstrip(" " + SCROLLBAR) for row in self.screen.display).split())

    def dump(self) -> str:
        return "\n".join(f"  |{row}|" for row in self.screen.display)

    # waiting and typing

    def wait(self, condition: Callable[[Terminal], bool], what: str, timeout: float = TIMEOUT) -> float:
        """Feed the output until `condition(self)` holds; the arrival time of the chunk that made
        it hold (of the last chunk fed, if it already held)."""
        arrived = self.spawned
        if condition(self):
            return arrived
        deadline = time.monotonic() + timeout
        while True:
            if self.ended:
                raise BenchError(f"{self.name} ended (exit code {self.proc.returncode}) while waiting "
                                 f"for {what}; the screen:\n{self.dump()}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BenchError(f"{self.name}: timed out after {timeout:.0f} s waiting for {what} on "
                                 f"screen; the screen:\n{self.dump()}")
            try:
                item = self._chunks.get(timeout=remaining)
            except queue.Empty:
                continue
            self._feed(item)
            if item is not None:
                arrived = item[0]
                if condition(self):
                    return arrived

    def settle(self, quiet: float = QUIET, limit: float = 3.0) -> None:
        """Feed the output until none comes for `quiet` seconds (a blinking cursor writes twice
        a second: `limit` bounds the wait)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not self.ended:
            try:
                item = self._chunks.get(timeout=quiet)
            except queue.Empty:
                return
            self._feed(item)

    def type(self, keys: bytes) -> float:
        sent = time.perf_counter()
        os.write(self.master, keys)
        return sent

    def measure(self, keys: bytes, condition: Callable[[Terminal], bool], what: str) -> float:
        """Milliseconds from writing `keys` to the screen showing `what` (which must not show
        before), from a quiet screen."""
        self.settle()
        if condition(self):
            raise BenchError(f"{self.name}: {what} shows before the key is typed; the screen:\n{self.dump()}")
        sent = self.type(keys)
        return (self.wait(condition, what) - sent) * 1000

    def close(self) -> None:
        """Kill the program (and whatever it started: its own session) and free the terminal."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._reader.join(timeout=5)  # the read ends with EIO once the program is gone
        if not self._reader.is_alive():
            os.close(self.master)


class Programs:
    """Starts the programs measured, each in its own terminal, and kills them all at the end."""

    def __init__(self, tmp: str) -> None:
        self.tmp = tmp
        self.open: list[Terminal] = []
        self.count = 0
        self.env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(LINES),
                        SOC25_TASTI=os.path.join(tmp, "no-keymap.toml"))  # default keys
        for name in ("TEXTUAL", "TEXTUAL_DEBUG", "NO_COLOR", "TEXTUAL_FPS"):
            self.env.pop(name, None)
        soc25 = Path(sys.executable).with_name("soc25")  # the command a person runs
        self.soc25_cmd = [str(soc25)] if soc25.exists() else [
            sys.executable, "-c", "import sys; from soc25_tui.cli import main; sys.exit(main())"]

    def start(self, name: str, argv: list[str], cwd: str) -> Terminal:
        term = Terminal(name, argv, cwd, self.env)
        self.open.append(term)
        return term

    def soc25(self) -> Terminal:
        """`soc25 sondrio.toml` on a fresh copy, in a folder of its own (its lock and recovery
        files stay there)."""
        self.count += 1
        folder = os.path.join(self.tmp, f"soc25-{self.count}")
        os.mkdir(folder)
        shutil.copy(ROOT / "examples" / "sondrio.toml", os.path.join(folder, "sondrio.toml"))
        return self.start("soc25", [*self.soc25_cmd, "sondrio.toml"], folder)

    def minimal(self) -> Terminal:
        return self.start("minimal app", [sys.executable, str(BENCH / "minimal_app.py")], self.tmp)

    def peer(self) -> Terminal:
        return self.start("peer app", [sys.executable, str(BENCH / "peer_input.py")], self.tmp)

    def close(self, term: Terminal) -> None:
        term.close()
        self.open.remove(term)

    def close_all(self) -> None:
        for term in list(self.open):
            self.close(term)


# --- what the screen shows -------------------------------------------------------------------


def row_of(t: Terminal, code: str) -> list[str]:
    """The words of the grid row of `code` (" M12   Famiglia e minori   327 ..."), [] if none."""
    for row in t.rows():
        if row.startswith(f" {code} "):
            return row.rstrip(" " + SCROLLBAR).split()
    return []


def has_line(t: Terminal, text: str) -> bool:
    """A row holding just `text` (the edit line's value)."""
    return any(row.strip(" " + SCROLLBAR) == text for row in t.rows())


def status(t: Terminal) -> str:
    return t.rows()[0]


def editing(t: Terminal, name: str) -> bool:
    """The edit line names `name` (its title: "M12_ore · ...")."""
    return any(row.startswith(f" {name} · ") for row in t.rows())


def jump_dialog(t: Terminal) -> bool:
    return "Vai al campo:" in t.flat()


SOC25_PAINTED = "the first complete Quadro 1 (SONDRIO, M27 media 62,56, its message, the edit line)"


def soc25_painted(t: Terminal) -> bool:
    return ("SONDRIO (SO)" in status(t) and "62,56" in row_of(t, "M27")
            and "1 ogni 1331 abitanti" in t.flat() and "Scrivere per modificare" in t.flat())


def minimal_painted(t: Terminal) -> bool:
    return "Minimal Textual app" in t.flat()


def peer_media(value: str) -> Callable[[Terminal], bool]:
    return lambda t: f"Media: {value}" in t.flat()


PEER_KEYS = ((b"0", peer_media("720,50"), "Media: 720,50"), (BACKSPACE, peer_media("72,05"), "Media: 72,05"))


def go_to(t: Terminal, cell: str) -> None:
    """Ctrl+G, the cell's name, Enter: the cursor on `cell` (named by the edit line)."""
    t.settle()
    t.type(CTRL_G)
    t.wait(jump_dialog, "the «Vai al campo» dialog")
    t.type(cell.encode() + ENTER)
    t.wait(lambda t: not jump_dialog(t) and editing(t, cell), f"the cursor on {cell}")


# --- the keystroke cases ---------------------------------------------------------------------


class Case(NamedTuple):
    label: str
    setup: Callable[[Terminal], None]
    keys: tuple  # two (bytes, condition, what), typed in turns
    teardown: Callable[[Terminal], None]


def setup_q1(t: Terminal) -> None:
    go_to(t, "M12_ore")
    t.type(b"81489")  # the first digit opens the edit, the others are typed into it
    t.wait(lambda t: has_line(t, "81489") and "72,05" in row_of(t, "M12") and "Esc annulla" in t.flat(),
           "the edit of M12_ore holding 81489")


def setup_q2(t: Terminal) -> None:
    t.type(F3)
    t.wait(lambda t: "[F3 Quadro 2]" in t.flat(), "Quadro 2")
    go_to(t, "R07_2021")
    t.type(b"1000000")
    t.wait(lambda t: has_line(t, "1000000") and Q2_BELOW(t), "the edit of R07_2021 holding 1000000")


def setup_q4(t: Terminal) -> None:
    t.type(F5)
    t.wait(lambda t: "[F5 Quadro 4]" in t.flat(), "Quadro 4")
    go_to(t, "R22")
    t.wait(lambda t: "NO" in row_of(t, "R22") and "0 errori" in status(t), "R22 = NO, 0 errori")


def cancel_edit(t: Terminal) -> None:
    t.settle()
    t.type(ESC)
    t.wait(lambda t: "Scrivere per modificare" in t.flat() and "Caso A" in status(t), "the edit cancelled")


def on_r22(condition: Callable[[Terminal], bool]) -> Callable[[Terminal], bool]:
    return lambda t: condition(t) and editing(t, "R22")


def Q2_ABOVE(t: Terminal) -> bool:
    return "R07 2021: 10.000.000,00 euro, non inferiore" in t.flat() and "Caso A" in status(t)


def Q2_BELOW(t: Terminal) -> bool:
    return "R07 2021: 1.831.062,70 euro, inferiore" in t.flat() and "Caso C" in status(t)


CASES = (
    Case("(a) Q1 digit in M12_ore -> M12 media", setup_q1,
         ((b"0", lambda t: "720,50" in row_of(t, "M12"), "M12 media 720,50"),
          (BACKSPACE, lambda t: "72,05" in row_of(t, "M12"), "M12 media 72,05")), cancel_edit),
    Case("(b) Q2 digit in R07_2021 -> ref. spending, Caso", setup_q2,
         ((b"0", Q2_ABOVE, "spending 10.000.000,00 non inferiore, Caso A"),
          (BACKSPACE, Q2_BELOW, "spending 1.831.062,70 (R07 2017) inferiore, Caso C")), cancel_edit),
    Case("(c) Q4 S/N on R22 -> error counter", setup_q4,
         ((b"s", on_r22(lambda t: "1 errore" in status(t) and "SI" in row_of(t, "R22")), "1 errore"),
          (b"n", on_r22(lambda t: "0 errori" in status(t) and "NO" in row_of(t, "R22")), "0 errori")),
         lambda t: None),
)


# --- the screen-based measurements -----------------------------------------------------------


def first_paint(programs: Programs, runs: int) -> tuple[list[float], list[float]]:
    """Spawn -> first complete screen (ms), minimal app and soc25 in turns."""

    def once(start, condition, what) -> float:
        term = start()
        try:
            return (term.wait(condition, what) - term.spawned) * 1000
        finally:
            programs.close(term)

    once(programs.minimal, minimal_painted, "the minimal app's Static")  # warm the caches
    once(programs.soc25, soc25_painted, SOC25_PAINTED)
    minimal, soc25 = [], []
    for _ in range(runs):
        minimal.append(once(programs.minimal, minimal_painted, "the minimal app's Static"))
        soc25.append(once(programs.soc25, soc25_painted, SOC25_PAINTED))
    return minimal, soc25


def keystrokes(programs: Programs, runs: int) -> list[tuple[str, list[float], list[float]]]:
    """For each case, `runs` pairs of keys in soc25 and in the peer, taken in turns."""
    soc25 = programs.soc25()
    soc25.wait(soc25_painted, SOC25_PAINTED)
    peer = programs.peer()
    peer.wait(PEER_KEYS[1][1], "the peer's Media: 72,05")
    results = []
    for case in CASES:
        case.setup(soc25)
        ours, theirs = [], []
        for _ in range(runs):
            for (keys, condition, what), (pkeys, pcondition, pwhat) in zip(case.keys, PEER_KEYS):
                ours.append(soc25.measure(keys, condition, what))
                theirs.append(peer.measure(pkeys, pcondition, pwhat))
        case.teardown(soc25)
        results.append((case.label, ours, theirs))
    programs.close(soc25)
    programs.close(peer)
    return results


# --- the breakdown: in-process figures, headless ---------------------------------------------

# Each child appends {"what": time.time() or seconds} lines to $BENCH_REPORT.
_REPORT = """
import json, os, sys, time
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
Minimal().run(headless=True, size=(80, 24))
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
        return super().run(headless=True, size=(80, 24))
app_module.Soc25App = Timed  # what `soc25 DRAFT.toml` starts
sys.exit(cli.main(sys.argv[1:]))
"""


def launch(code: str, args: list[str], tmp: str, **env: str) -> dict[str, float]:
    """Run one child headless; its report, with times counted from the launch (seconds), and
    "ended"."""
    out = os.path.join(tmp, "report")
    if os.path.exists(out):
        os.remove(out)
    full_env = dict(os.environ, BENCH_REPORT=out, SOC25_TASTI=os.path.join(tmp, "no-keymap.toml"), **env)
    t0 = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], env=full_env, cwd=tmp, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode:
        raise BenchError(f"exit code {done.returncode}: {done.stderr.strip()[-300:]}")
    result = {"ended": time.time() - t0}
    with open(out) as fh:
        for line in fh:
            for what, value in json.loads(line).items():
                result[what] = value - t0 if what in ("painted", "validators") else value
    return result


async def key_latency(keys: int, tmp: str) -> list[float]:
    """Send keys as the terminal driver does (not through Pilot.press, whose waits for idle
    add ~80 ms of its own) and time each until the message has changed and the screen has
    repainted (no dirty widgets, no pending layout): each key flips R07_2021 across R06."""
    from textual import events

    from soc25_tui.app import Soc25App
    from soc25_tui.core.drafts import load
    from soc25_tui.widgets.panels import MessagePanel

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
            deadline = t0 + TIMEOUT
            while panel.texts() == before or screen._dirty_widgets or screen._layout_required:
                if time.perf_counter() > deadline:
                    raise BenchError("the Quadro 2 message did not change")
                await asyncio.sleep(0.0005)
            times.append(time.perf_counter() - t0)
            await pilot.pause()
        app.dirty = False
    return times


def breakdown(runs: int, keys: int, tmp: str) -> list[str]:
    lines = [f"breakdown (in-process, headless: the apps time themselves, no terminal), median of {runs}:"]
    try:
        def soc25(mode: str) -> dict[str, float]:
            draft = os.path.join(tmp, f"sondrio-{mode}.toml")
            shutil.copy(ROOT / "examples" / "sondrio.toml", draft)  # a fresh copy each time
            return launch(SOC25, [draft], tmp, BENCH_MODE=mode)

        launch(MINIMAL, [], tmp)
        soc25("paint")  # warm the caches
        runs_ = [(launch(MINIMAL, [], tmp), soc25("paint"), soc25("key")) for _ in range(runs)]
        minimal, ours, keyed = zip(*runs_)

        def med(results, what: str) -> float:
            return statistics.median(r[what] for r in results) * 1000

        mp, op = med(minimal, "painted"), med(ours, "painted")
        me, oe = med(minimal, "ended"), med(ours, "ended")
        lines += [
            f"  launch -> first paint done: minimal {mp:6.1f} ms, soc25 {op:6.1f} ms = {op / mp:.2f}x",
            f"  launch -> validators ready (pydantic imported in a thread)   {med(ours, 'validators'):6.1f} ms",
            f"  a key typed the moment Quadro 1 is painted -> messages updated  {med(keyed, 'first_key') :6.1f} ms",
            f"  launch -> process ended: minimal {me:6.1f} ms, soc25 {oe:6.1f} ms = {oe / me:.2f}x",
        ]
    except Exception as exc:  # noqa: BLE001 - soc25's internals changed: say so, go on
        lines.append(f"  launches: unavailable ({type(exc).__name__}: {str(exc).strip()[:300]})")
    try:
        ms = sorted(t * 1000 for t in asyncio.run(key_latency(keys, tmp)))
        lines.append(f"  running app, key -> Quadro 2 message updated (Pilot, headless), {len(ms)} keys: "
                     f"median {statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms")
    except Exception as exc:  # noqa: BLE001
        lines.append(f"  key latency: unavailable ({type(exc).__name__}: {str(exc).strip()[:300]})")
    return lines


# --- report ----------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:5.2f}x {'ok' if ratio <= target else 'OVER'} (<= {target}x)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15,
                    help="first paints per app; digit+Backspace pairs per keystroke case (default 15)")
    ap.add_argument("--breakdown-runs", type=int, default=None,
                    help="runs of the in-process breakdown (default: min(--runs, 5); 0 skips it)")
    ap.add_argument("--keys", type=int, default=40, help="keys of the in-process key latency (default 40)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    breakdown_runs = min(args.runs, 5) if args.breakdown_runs is None else args.breakdown_runs
    try:
        import pty  # noqa: F401

        import pyte  # noqa: F401
    except ImportError as exc:
        print(f"bench_tui needs pseudo-terminals (Unix) and pyte (pip install pyte): {exc}", file=sys.stderr)
        return 2
    for sig in (signal.SIGTERM, signal.SIGHUP):  # stopped from outside: still kill the programs
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    sys.setswitchinterval(0.0005)  # the reader thread stamps a chunk soon after it arrives
    # Bytecode for both sides (an editable install under PYTHONDONTWRITEBYTECODE has none).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False,
                   stdout=subprocess.DEVNULL)

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench_tui-", ignore_cleanup_errors=True) as tmp:
        programs = Programs(tmp)
        try:
            minimal, soc25 = first_paint(programs, args.runs)
            cases = keystrokes(programs, args.runs)
        except BenchError as exc:
            print(f"bench_tui: {exc}", file=sys.stderr)
            return 1
        finally:
            programs.close_all()
        extra = breakdown(breakdown_runs, args.keys, tmp) if breakdown_runs > 0 else [
            "breakdown (in-process, headless): skipped (--breakdown-runs 0)"]

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"soc25 as a person sees it: real pseudo-terminal {COLS}x{LINES}, TERM=xterm-256color, the screen "
          f"read with pyte\n({os.cpu_count()} CPUs, load average {load}; {time.monotonic() - started:.0f} s)")
    print()
    mm, sm = statistics.median(minimal), statistics.median(soc25)
    print(f"first paint: spawn -> first complete screen, {args.runs} runs each, taken in turns")
    print(f"  {'program':54} {'n':>3} {'median ms':>10} {'p95 ms':>8}  ratio (median)")
    print(f"  {'minimal Textual app (one Static)':54} {len(minimal):3} {mm:10.1f} {p95(minimal):8.1f}")
    print(f"  {'soc25 sondrio.toml: Quadro 1 complete':54} {len(soc25):3} {sm:10.1f} {p95(soc25):8.1f}  "
          f"{verdict(sm / mm, 1.3)}")
    print()
    print("keystroke -> recomputed figure on screen (each key from a quiet screen; soc25 and peer in turns)")
    print(f"  {'case':54} {'n':>3} {'median ms':>10} {'p95 ms':>8}  {'median/peer median':21}  p95/peer median")
    peer_all = [ms for _, _, theirs in cases for ms in theirs]
    print(f"  {'peer: Input digit/Backspace -> Static figure (all)':54} {len(peer_all):3} "
          f"{statistics.median(peer_all):10.1f} {p95(peer_all):8.1f}")
    for label, ours, theirs in cases:
        pm = statistics.median(theirs)
        om = statistics.median(ours)
        print(f"  {'  peer, in turns with ' + label[:3]:54} {len(theirs):3} {pm:10.1f} {p95(theirs):8.1f}")
        print(f"  {'soc25 ' + label:54} {len(ours):3} {om:10.1f} {p95(ours):8.1f}  "
              f"{verdict(om / pm, 1.1):21}  {verdict(p95(ours) / pm, 1.6)}")
    print()
    print("\n".join(extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
