"""`soc25 web` in a real browser: Debian's Chromium, headless, driven by Playwright (never
Playwright's own browser download: the machine's network is closed). The screen is read from
xterm.js's own buffer (the terminal in textual-serve's page), the draft from the disk."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from ..conftest import EXAMPLES

pytestmark = pytest.mark.tui

CHROMIUM = "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keeps it from reaching the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

# xterm.js keeps its Terminal inside textual-serve's bundle; its constructor sets
# `_publicOptions` on the new Terminal, and this setter, installed before the page's script
# runs, keeps a reference to it: its buffer is what the page shows.
CATCH_TERMINAL = """
(() => {
  window.__terminals = [];
  Object.defineProperty(Object.prototype, '_publicOptions', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, '_publicOptions', {value, writable: true, configurable: true, enumerable: true});
      window.__terminals.push(this);
    },
  });
})();
"""

SCREEN_TEXT = """() => {
  const t = window.__terminals && window.__terminals[0];
  if (!t) return '';
  const buffer = t.buffer.active, lines = [];
  for (let y = 0; y < t.rows; y++) { const line = buffer.getLine(y); lines.push(line ? line.translateToString(true) : ''); }
  return lines.join('\\n');
}"""


@pytest.fixture
def chromium() -> str:
    """The path of Chromium, or the test skipped saying what is missing (before anything is
    started)."""
    return chromium_or_skip()


def chromium_or_skip() -> str:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright (Python) is missing: pip install -e '.[test]'")
    del sync_api
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not found:
        pytest.skip(f"no Chromium: neither {CHROMIUM} nor `chromium` on PATH. Install Debian's "
                    "package (as root: apt-get update && apt-get install -y chromium); .ci/run "
                    "does it when it can")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`soc25 web DRAFT --port P --no-browser` on a copy of Sondrio's example; yields (url,
    draft path, process); stopped with Ctrl+C (SIGINT) at the end."""
    draft = tmp_path / "sondrio prova.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", draft)
    out = tmp_path / "web.out"
    # No user keymap; internal-error logs where the test can look (platformdirs' user_log_dir).
    env = dict(os.environ, SOC25_TASTI=str(tmp_path / "nessun-tasto.toml"), XDG_STATE_HOME=str(tmp_path / "state"))
    env.pop("NO_COLOR", None)
    port = free_port()
    with open(out, "w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "soc25_tui.cli", "web", draft.name,
                                    "--port", str(port), "--no-browser"],
                                   cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:
        url = None
        for _ in range(200):
            found = re.search(r"http://\S+/", out.read_text())
            if found or process.poll() is not None:
                url = found and found.group(0)
                break
            time.sleep(0.05)
        assert url == f"http://127.0.0.1:{port}/", out.read_text()
        yield url, draft, process, out
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_text(page, text: str, timeout: float = 60_000) -> str:
    page.wait_for_function(f"(want) => ({SCREEN_TEXT})().includes(want)", arg=text, timeout=timeout)
    return page.evaluate(SCREEN_TEXT)


def wait_for_line(page, pattern: str, timeout: float = 60_000) -> str:
    """The screen once one of its lines matches `pattern` (a JavaScript regular expression)."""
    page.wait_for_function(f"(want) => new RegExp(want, 'm').test(({SCREEN_TEXT})())", arg=pattern,
                           timeout=timeout)
    return page.evaluate(SCREEN_TEXT)


def type_into(page, cell: str, value: str) -> None:
    """Ctrl+G to `cell`, then `value` typed and Enter."""
    page.keyboard.press("Control+g")
    wait_for_text(page, "Vai al campo")
    page.keyboard.type(cell)
    page.keyboard.press("Enter")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_a_figure_typed_in_the_browser_changes_the_message_and_is_saved(chromium, served):
    from playwright.sync_api import sync_playwright

    url, draft, process, out = served
    lock = draft.parent / f".{draft.name}.lock"
    recovery = draft.parent / f".{draft.name}.recupero"
    # The spec: R01B = R03 / (R01_2024 + R01A), rounded; Sondrio has 16 + 0 social workers.
    before = "pari a 1 ogni 1331 abitanti"
    after = f"pari a 1 ogni {round(26620 / 16)} abitanti"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(CATCH_TERMINAL)
            page.goto(url)
            assert page.title() == "soc25 — sondrio prova.toml"
            screen = wait_for_text(page, before)
            assert "SONDRIO (SO)" in screen and "Quadro 1" in screen
            assert lock.exists()  # the tab's app holds the draft like the TUI

            page.locator(".xterm-helper-textarea").focus()
            type_into(page, "R03", "26620")
            screen = wait_for_text(page, after)
            assert before not in screen
            assert "R03 = 21297" in draft.read_text(encoding="utf-8")  # not saved yet

            page.keyboard.press("Control+s")  # reaches the app: the browser does not keep it
            deadline = time.monotonic() + 30
            while "R03 = 26620" not in draft.read_text(encoding="utf-8") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "R03 = 26620" in draft.read_text(encoding="utf-8")

            # A change not saved, then the tab closed: the recovery file keeps it, the lock goes.
            type_into(page, "R05", "7")
            wait_for_line(page, r"^ R05 .* 7,00%")
            page.close()
            deadline = time.monotonic() + 30
            while (lock.exists() or not recovery.exists()) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert recovery.exists() and not lock.exists()
            text = recovery.read_text(encoding="utf-8")
            assert re.search(r"^R05 = 7(\.0+)?$", text, re.MULTILINE) and "R03 = 26620" in text
            assert "R05 = 8.69" in draft.read_text(encoding="utf-8")
        finally:
            browser.close()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 130
    log = out.read_text()
    assert "Traceback" not in log and "Serving" not in log, log
    assert not list((draft.parent / "state").rglob("soc25-errore-*")), "an internal error was logged"


def children_of(pid: int) -> list[int]:
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(word) for word in done.stdout.split()]


@pytest.mark.skipif(not shutil.which("pgrep"), reason="needs pgrep (procps) to find the tab's process")
def test_a_tab_app_whose_server_is_killed_quits_and_frees_the_draft(served):
    """The server killed (kill -9, a crash): the tab's app is not left running for ever with
    the draft locked; it quits as when its tab is closed, its changes in the recovery file."""
    import asyncio

    import aiohttp

    url, draft, process, _out = served
    lock = draft.parent / f".{draft.name}.lock"
    recovery = draft.parent / f".{draft.name}.recupero"
    apps: list[int] = []

    async def drive() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(
                url + "ws?width=80&height=24", headers={"Origin": url.rstrip("/")}) as ws:
            for _ in range(300):  # the app has started: it holds the draft
                if lock.exists():
                    break
                await asyncio.sleep(0.1)
            for keys in ("\x07", "R05", "\r", "7", "\r"):  # Ctrl+G R05 Invio 7 Invio
                await asyncio.sleep(0.5)
                await ws.send_json(["stdin", keys])
            for _ in range(300):
                if recovery.exists():
                    break
                await asyncio.sleep(0.1)
            assert lock.exists() and recovery.exists()
            apps.extend(children_of(process.pid))
            process.kill()
            process.wait()

    try:
        asyncio.run(drive())
        assert len(apps) == 1
        deadline = time.monotonic() + 30
        while (lock.exists() or _alive(apps)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not lock.exists() and not _alive(apps)
        assert not list((draft.parent / "state").rglob("soc25-errore-*")), "an internal error was logged"
        assert re.search(r"^R05 = 7(\.0+)?$", recovery.read_text(encoding="utf-8"), re.MULTILINE)
    finally:
        for pid in _alive(apps):
            os.kill(pid, signal.SIGKILL)


def _alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (an ended one not yet reaped, a zombie, is not)."""
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except OSError:
            pass
        alive.append(pid)
    return alive
