"""Benchmark the new faces as a person meets them (run by hand; tests never assert times).

    .venv/bin/python benchmarks/bench_faces.py [--runs 9] [--web]

Each figure is taken in turns with a peer in the same run, medians and ratios reported:

1. First screen: `soc25 sondrio.toml --semplice` until its first prompt («comune>») shows,
   against the full-screen `soc25 sondrio.toml` until Quadro 1 is painted (bench_tui's
   condition), both in a real 80x24 pseudo-terminal read by pyte.
2. A figure typed -> the recomputed message on screen: in the line mode, R03 typed and Enter
   until the portal's message «1 ogni N abitanti» for the new figure is printed; in the TUI,
   the last digit of R03 until the message panel shows the same. Alternating 30000 / 3000.
3. `soc25 import` of the same print as a 7-page PDF (a Comune of case D laid out as the portal
   prints it, made with the tests' generator) against its text, as whole processes.
4. `soc25 check` under LC_ALL=C PYTHONUTF8=0 (every accent through the stand-in handler)
   against the same command under C.UTF-8, as whole processes.
5. With --web (needs /usr/bin/chromium and Playwright): `soc25 web` page opened until Quadro 1
   is on the page (xterm.js's buffer), against the TUI's first paint in a pty.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_tui import (  # noqa: E402
    BACKSPACE,
    ENTER,
    SOC25_PAINTED,
    Programs,
    Terminal,
    go_to,
    soc25_painted,
)

MESSAGE = re.compile(r"1 ogni (\d+) abitanti")


class Recorded(Terminal):
    """A Terminal that also keeps everything written as text, to count what scrolled away."""

    def __init__(self, *args, **kwargs) -> None:
        self.raw = ""
        super().__init__(*args, **kwargs)

    def _feed(self, item) -> None:
        if item is not None:
            self.raw += item[1].decode("utf-8", "replace")
        super()._feed(item)


class Faces(Programs):
    def start(self, name: str, argv: list[str], cwd: str) -> Terminal:
        term = Recorded(name, argv, cwd, self.env)
        self.open.append(term)
        return term

    def line(self) -> Terminal:
        self.count += 1
        folder = os.path.join(self.tmp, f"line-{self.count}")
        os.mkdir(folder)
        shutil.copy(ROOT / "examples" / "sondrio.toml", os.path.join(folder, "sondrio.toml"))
        return self.start("line mode", [*self.soc25_cmd, "sondrio.toml", "--semplice"], folder)


def line_ready(t: Terminal) -> bool:
    return "comune>" in t.flat()


def ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.2f}x"


def row(label: str, values: list[float]) -> str:
    return f"  {label:<44} median {statistics.median(values):8.1f} ms  (min {min(values):.1f}, max {max(values):.1f})"


def spawn_to(programs: Faces, start, condition, what: str) -> float:
    """Spawn -> `condition` on the screen (ms), the program closed after."""
    term = start()
    try:
        return (term.wait(condition, what) - term.spawned) * 1000
    finally:
        programs.close(term)


def first_screen(programs: Faces, runs: int) -> tuple[list[float], list[float]]:
    return in_turns(lambda: spawn_to(programs, programs.line, line_ready, "the first prompt"),
                    lambda: spawn_to(programs, programs.soc25, soc25_painted, SOC25_PAINTED), runs)


def report(pair: tuple[list[float], list[float]], ours: str, peer: str, names: str) -> None:
    """A measurement against its peer: each one's row, then their ratio."""
    a, b = pair
    print(row(ours, a))
    print(row(peer, b))
    print(f"  ratio {names}: {ratio(a, b)}")


def printed_again(t: Recorded, text: str):
    """A condition: `text` written once more than it has been so far."""
    before = t.raw.count(text)
    return lambda term: term.raw.count(text) > before


def typed_figure(programs: Faces, runs: int) -> tuple[list[float], list[float]]:
    line = programs.line()
    line.wait(line_ready, "the first prompt")
    tui = programs.soc25()
    tui.wait(soc25_painted, SOC25_PAINTED)
    go_to(tui, "R03")
    tui.type(b"3000")
    tui.wait(lambda t: "3000" in t.flat() and "Esc annulla" in t.flat(), "the edit of R03 holding 3000")
    low = MESSAGE.search(tui.flat())  # the message for 3000
    ours_line, ours_tui = [], []
    values = [("30000", "1875"), ("3000", low.group(1) if low else "")]
    for i in range(runs):
        figure, expected = values[i % 2]
        # line mode: to R03, then the figure and Enter
        line.settle()
        line.type(b"vai R03\r")
        line.wait(lambda t: t.flat().endswith("R03>"), "the R03 prompt")
        line.settle()
        target = f"1 ogni {expected} abitanti"
        condition = printed_again(line, target)
        sent = line.type(figure.encode() + ENTER)
        ours_line.append((line.wait(condition, target) - sent) * 1000)
        # TUI: the last digit of the same figure (or Backspace back to 3000)
        key = b"0" if figure == "30000" else BACKSPACE
        ours_tui.append(tui.measure(key, lambda t, target=target: target in t.flat(), target))
    programs.close(line)
    programs.close(tui)
    return ours_line, ours_tui


def whole(argv: list[str], cwd: str, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv} ended with {done.returncode}")
    return (time.perf_counter() - started) * 1000


def in_turns(a, b, runs: int) -> tuple[list[float], list[float]]:
    a(), b()  # warm
    xs, ys = [], []
    for _ in range(runs):
        xs.append(a())
        ys.append(b())
    return xs, ys


def imports(programs: Faces, runs: int) -> tuple[list[float], list[float]]:
    from tests.core.test_pdf_import import comune  # a Comune with every quadro printed
    from tests.pdfgen import pdf
    from tests.printed import portal

    folder = Path(programs.tmp) / "import"
    folder.mkdir()
    form = portal(comune())
    (folder / "scheda.txt").write_text(form.text(), encoding="utf-8")
    (folder / "scheda.pdf").write_bytes(pdf(form.texts()))
    cmd = programs.soc25_cmd
    pdf_run = lambda: whole([*cmd, "import", "scheda.pdf", "-o", "da-pdf.toml", "--force"], str(folder))  # noqa: E731
    txt_run = lambda: whole([*cmd, "import", "scheda.txt", "-o", "da-testo.toml", "--force"], str(folder))  # noqa: E731
    result = in_turns(pdf_run, txt_run, runs)
    same = (folder / "da-pdf.toml").read_bytes() == (folder / "da-testo.toml").read_bytes()
    print(f"  (the two drafts are {'byte-identical' if same else 'DIFFERENT'}; "
          f"PDF {len(form.pages)} pages, {(folder / 'scheda.pdf').stat().st_size // 1024} kB)")
    return result


def locales(programs: Faces, runs: int) -> tuple[list[float], list[float]]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_CTYPE")}
    ascii_env = dict(env, LC_ALL="C", PYTHONUTF8="0")
    utf8_env = dict(env, LC_ALL="C.UTF-8")
    drafts = [str(p) for p in sorted((ROOT / "examples").glob("*.toml"))]
    cmd = [*programs.soc25_cmd, "check", *drafts]
    return in_turns(lambda: whole(cmd, programs.tmp, ascii_env), lambda: whole(cmd, programs.tmp, utf8_env), runs)


def web(programs: Faces, runs: int) -> tuple[list[float], list[float]] | None:
    if not os.access("/usr/bin/chromium", os.X_OK):
        print("  (skipped: no /usr/bin/chromium)")
        return None
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import CATCH_TERMINAL, CHROMIUM_ARGS, SCREEN_TEXT, free_port

    folder = Path(programs.tmp) / "web"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "sondrio.toml", folder / "sondrio.toml")
    port = free_port()
    server = subprocess.Popen([*programs.soc25_cmd, "web", "sondrio.toml", "--port", str(port), "--no-browser"],
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page_times, tui_times = [], []
    try:
        time.sleep(1.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for i in range(runs + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_init_script(CATCH_TERMINAL)
                page = context.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                try:  # the TUI's own first-paint condition, as xterm.js shows it
                    page.wait_for_function(
                        f"() => {{ const s = ({SCREEN_TEXT})().split(/\\s+/).join(' '); "
                        "return s.includes('SONDRIO (SO)') && s.includes('1 ogni 1331 abitanti') "
                        "&& s.includes('Scrivere per modificare'); }",
                        timeout=60_000)
                except Exception:
                    print(page.evaluate(SCREEN_TEXT))
                    raise
                elapsed = (time.perf_counter() - started) * 1000
                context.close()
                time.sleep(0.5)  # the tab's app ends and frees the draft
                tui = spawn_to(programs, programs.soc25, soc25_painted, SOC25_PAINTED)
                if i:  # the first pair warms Chromium and the caches
                    page_times.append(elapsed)
                    tui_times.append(tui)
            browser.close()
    finally:
        server.send_signal(2)
        server.wait(timeout=20)
    return page_times, tui_times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--web", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-faces-") as tmp:
        programs = Faces(tmp)
        try:
            print("1. First screen (spawn -> first usable screen, 80x24 pty)")
            report(first_screen(programs, args.runs), "line mode: first prompt", "TUI: Quadro 1 painted (peer)",
                   "line / TUI")
            print("2. A figure typed -> the recomputed message on screen")
            report(typed_figure(programs, args.runs * 2), "line mode: R03 + Enter -> «1 ogni N abitanti»",
                   "TUI: last key of R03 -> the same (peer)", "line / TUI")
            print("3. soc25 import, whole process")
            report(imports(programs, args.runs), "from the PDF", "from its text (peer)", "PDF / text")
            print("4. soc25 check of the four examples, whole process")
            report(locales(programs, args.runs), "LC_ALL=C PYTHONUTF8=0", "LC_ALL=C.UTF-8 (peer)", "C / UTF-8")
            if args.web:
                print("5. Browser: page opened -> Quadro 1 on the page")
                found = web(programs, max(3, args.runs // 2))
                if found:
                    report(found, "soc25 web in headless Chromium", "TUI first paint in a pty (peer)",
                           "browser / TUI")
        finally:
            programs.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
