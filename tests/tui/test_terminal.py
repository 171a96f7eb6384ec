"""The real `soc25` in a pseudo-terminal, as over SSH: keys go in as bytes, the screen comes
out as escape sequences, and the terminal can be dropped (SIGHUP) under it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

from soc25_tui.core import session
from soc25_tui.core.drafts import load
from soc25_tui.core.layout import CELL_BY_NAME

from ..conftest import EXAMPLES

pty = pytest.importorskip("pty", reason="pseudo-terminals are Unix only")  # Windows: no SIGHUP either
import fcntl  # noqa: E402  (Unix only, like pty)
import struct  # noqa: E402
import termios  # noqa: E402

TIMEOUT = 30.0  # seconds: generous, a 2-core CI machine may be busy


class Terminal:
    """`soc25 ARGS` on an 80x24 pseudo-terminal; what it writes is collected in a thread."""

    def __init__(self, args: list[str], cwd, prelude: str = "") -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
        env.pop("TEXTUAL", None)
        main = f"import sys\n{prelude}\nfrom soc25_tui.cli import main\nsys.exit(main(sys.argv[1:]))"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", main, *args],
            stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            self.output += data

    def text(self) -> str:
        """What was written, without escape sequences (enough to find a word on screen)."""
        return re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]", "", self.output.decode("utf-8", "replace"))

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if self.proc.poll() is not None:
                raise AssertionError(f"soc25 ended ({self.proc.returncode}) waiting for {what}:\n{self.text()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.text()[-2000:]}")
            time.sleep(0.02)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal():
    opened = []

    def start(args, cwd, prelude=""):
        t = Terminal([str(a) for a in args], cwd, prelude)
        opened.append(t)
        return t

    yield start
    for t in opened:
        t.close()


def tortona_on_screen(tmp_path, terminal):
    """A copy of examples/tortona.toml open in `soc25`, its Quadro 1 on screen."""
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    t = terminal([path.name], tmp_path)
    t.wait_for(lambda: "Caso D" in t.text(), "Quadro 1")
    return path, t


def test_a_dropped_terminal_keeps_what_was_typed_and_frees_the_draft(tmp_path, terminal):
    """SIGHUP (the SSH connection dropped) before the recovery timer (made 10 minutes long
    here, so that only the handler can write the file): the handler writes the recovery file
    with the figure being typed, removes the lock and exits 129."""
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    original = path.read_bytes()
    t = terminal([path.name], tmp_path, prelude="import soc25_tui.app; soc25_tui.app.RECOVERY_DELAY = 600")
    t.wait_for(lambda: "Caso D" in t.text() and os.path.exists(session.lock_path(path)), "Quadro 1")

    t.type(b"\t\t\t")  # comune -> provincia -> istat -> M12_2019
    t.wait_for(lambda: "M12_2019 ·" in t.text(), "M12_2019 highlighted")
    t.type(b"78")
    t.wait_for(lambda: "* Comune" in t.text() and re.search(r"\b78\b", t.text()), "78 in the draft")
    assert not os.path.exists(session.recovery_path(path))
    t.proc.send_signal(signal.SIGHUP)
    assert t.proc.wait(timeout=TIMEOUT) == 129

    assert load(session.recovery_path(path)).M12_2019 == 78
    assert not os.path.exists(session.lock_path(path))
    assert path.read_bytes() == original  # the draft itself is untouched


def test_quitting_from_the_keyboard_after_saving(tmp_path, terminal):
    """Ctrl+S then Ctrl+Q in a real terminal: the draft holds the new figure, a .bak the old
    version, and nothing is left behind (no lock, no recovery file)."""
    path, t = tortona_on_screen(tmp_path, terminal)
    t.type(b"\t\t\t")
    t.wait_for(lambda: "M12_2019 ·" in t.text(), "M12_2019 highlighted")
    t.type(b"42\r")
    t.wait_for(lambda: "* Comune" in t.text(), "the figure in the draft")
    t.type(b"\x13")  # Ctrl+S
    t.wait_for(lambda: "Bozza salvata" in t.text(), "the save notice")
    t.type(b"\x11")  # Ctrl+Q
    assert t.proc.wait(timeout=TIMEOUT) == 0

    assert load(path).M12_2019 == 42
    assert load(str(path) + ".bak").M12_2019 == 15
    assert not os.path.exists(session.lock_path(path))
    assert not os.path.exists(session.recovery_path(path))


def test_quitting_without_saving_leaves_no_recovery_to_offer(tmp_path, terminal):
    """«Esci senza salvare»: the recovery file written meanwhile is set aside, none is written
    on the way out, and the next opening offers nothing back."""
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    original = path.read_bytes()
    t = terminal([path.name], tmp_path, prelude="import soc25_tui.app; soc25_tui.app.RECOVERY_DELAY = 0.05")
    t.wait_for(lambda: "Caso D" in t.text(), "Quadro 1")
    t.type(b"\t\t\t")
    t.wait_for(lambda: "M12_2019 ·" in t.text(), "M12_2019 highlighted")
    t.type(b"42\r")
    t.wait_for(lambda: os.path.exists(session.recovery_path(path)), "the recovery file")
    t.type(b"\x11")  # Ctrl+Q
    t.wait_for(lambda: "Esci senza salvare" in t.text(), "the question")
    t.type(b"e")
    assert t.proc.wait(timeout=TIMEOUT) == 0

    assert path.read_bytes() == original
    assert not os.path.exists(session.recovery_path(path))
    assert len(list(tmp_path.glob(".tortona.toml.recupero.*.bak"))) == 1  # set aside, not lost
    assert not os.path.exists(session.lock_path(path))


@pytest.mark.parametrize("per_key", [0.0, 0.05, 0.12], ids=["0ms", "50ms", "120ms"])
def test_figures_typed_right_after_ctrl_g_land_in_the_cell_named(tmp_path, terminal, per_key):
    """Ctrl+G to a cell of a Quadro not yet shown, the figure typed at once, Enter, the same
    for two more cells, Ctrl+S: the saved draft holds exactly those figures in those cells,
    and nothing else changed (keys sent as bytes, at 0, 50 and 120 ms per key)."""
    path, t = tortona_on_screen(tmp_path, terminal)
    before = load(path)
    typed = {"R12": "7777", "R07_2021": "320000", "R08": "26000"}  # R12 while Quadro 3 applies
    keys = b"".join(b"\x07" + name.encode() + b"\r" + figure.encode() + b"\r"
                    for name, figure in typed.items()) + b"\x13"  # Ctrl+G ... Ctrl+S
    for i in range(len(keys)) if per_key else [None]:
        t.type(keys if i is None else keys[i:i + 1])
        if per_key:
            time.sleep(per_key)
    t.wait_for(lambda: "Bozza salvata" in t.text(), "the save notice")

    after = load(path).inputs()
    changed = {name: value for name, value in after.items() if value != before.inputs()[name]}
    assert changed == {name: Decimal(figure).quantize(Decimal("0.01")) for name, figure in typed.items()}


def test_kill_9_half_a_second_after_a_confirmed_change_leaves_it_in_the_recovery_file(tmp_path, terminal):
    """No chance to save anything at the end (SIGKILL): what was confirmed 0,5 s before is
    in the recovery file, and so is the text of an edit still open that is not valid yet."""
    path, t = tortona_on_screen(tmp_path, terminal)
    for key in b"\x07R07_2021\r320000\r":
        t.type(bytes([key]))
        time.sleep(0.12)
    t.wait_for(lambda: "* Comune" in t.text(), "the figure in the draft")
    time.sleep(0.5)
    t.proc.send_signal(signal.SIGKILL)
    t.proc.wait(timeout=TIMEOUT)
    assert load(session.recovery_path(path)).R07_2021 == Decimal("320000.00")


def test_kill_9_keeps_the_text_of_an_edit_still_open(tmp_path, terminal):
    path, t = tortona_on_screen(tmp_path, terminal)
    t.type(b"\x07R08\r")
    t.wait_for(lambda: "R08 ·" in t.text(), "R08 highlighted")
    t.type(b"2600o")  # a slip: not in the draft, but typed
    t.wait_for(lambda: "non è un numero valido" in t.text(), "the refusal")
    time.sleep(0.5)
    t.proc.send_signal(signal.SIGKILL)
    t.proc.wait(timeout=TIMEOUT)
    recovered = load(session.recovery_path(path))
    assert recovered.R08 is None and recovered.invalid == {"R08": "2600o"}


@pytest.mark.parametrize("per_key", [0.0, 0.05], ids=["0ms", "50ms"])
def test_figures_typed_right_after_an_f_key_or_a_dialog_closing(tmp_path, terminal, per_key):
    """F3 to Quadro 2 (built now) and a figure into the cell its cursor starts on; F1 then
    Esc and a figure into the cell under the cursor; Ctrl+S: those cells, nothing else."""
    path, t = tortona_on_screen(tmp_path, terminal)
    before = load(path).inputs()
    keys = [b"\x1bOR", *b"12", b"\r", b"\x1bOP", b"\x1b", *b"34", b"\r", b"\x13"]  # F3 … F1 Esc … Ctrl+S
    keys = [k if isinstance(k, bytes) else bytes([k]) for k in keys]
    if per_key:
        for key in keys:
            t.type(key)
            time.sleep(0.3 if key == b"\x1b" else per_key)  # a lone Esc needs a pause to be Esc
    else:  # all at once, but for the lone Esc (with anything after it, it would be Alt+key)
        t.type(b"".join(keys[:5]))
        t.type(keys[5])
        time.sleep(0.3)
        t.type(b"".join(keys[6:]))
    t.wait_for(lambda: "Bozza salvata" in t.text(), "the save notice")
    after = load(path).inputs()
    changed = {name: value for name, value in after.items() if value != before[name]}
    # The first figure in Quadro 2's first cell, the second in the cell Enter moved to.
    assert sorted(changed.values()) == [Decimal("12.00"), Decimal("34.00")]
    assert all(CELL_BY_NAME[name].quadro == 2 for name in changed)


def test_ctrl_z_then_ctrl_s_saves_the_value_before_and_ctrl_y_brings_the_change_back(tmp_path, terminal):
    path, t = tortona_on_screen(tmp_path, terminal)
    t.type(b"\x07R07_2021\r320000\r")
    t.wait_for(lambda: "* Comune" in t.text(), "the figure in the draft")
    t.type(b"\x1a\x13")  # Ctrl+Z, Ctrl+S
    t.wait_for(lambda: "Bozza salvata" in t.text(), "the save notice")
    assert load(path).R07_2021 == Decimal("51475.22")
    def stamp():
        st = path.stat()
        return st.st_ino, st.st_mtime_ns, st.st_size

    saved = stamp()
    t.type(b"\x19\x13")  # Ctrl+Y, Ctrl+S
    # The file itself, not the notice: the first save's notice is still on screen, and a repaint
    # of its corner would write it again before the second save has happened.
    t.wait_for(lambda: stamp() != saved, "the second save")
    assert load(path).R07_2021 == Decimal("320000.00")


def test_an_internal_error_keeps_the_work_and_ends_with_one_line_and_status_3(tmp_path, terminal, monkeypatch):
    """An unexpected exception in the TUI (here F1's action, made to fail): the figure being
    typed is kept in the recovery file first, the terminal is given back with one Italian
    line naming the log file (never Textual's traceback), the status is 3, the lock is freed."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    original = path.read_bytes()
    prelude = (
        "import soc25_tui.app as a; a.RECOVERY_DELAY = 600\n"
        "def boom(self): raise RuntimeError('guasto di prova')\n"
        "a.Soc25App.action_help = boom"
    )
    t = terminal([path.name], tmp_path, prelude=prelude)
    t.wait_for(lambda: "Caso D" in t.text(), "Quadro 1")
    t.type(b"\t\t\t")  # comune -> provincia -> istat -> M12_2019
    t.wait_for(lambda: "M12_2019 ·" in t.text(), "M12_2019 highlighted")
    t.type(b"78")
    t.wait_for(lambda: re.search(r"\b78\b", t.text()), "78 typed")
    t.type(b"\x1bOP")  # F1
    assert t.proc.wait(timeout=TIMEOUT) == 3
    t._reader.join(TIMEOUT)  # everything it wrote has been read
    said = t.text()
    assert "Traceback" not in said and "guasto di prova" in said
    line = next(x for x in said.splitlines() if "errore interno di soc25" in x)
    assert "soc25: errore interno di soc25: RuntimeError: guasto di prova; dettagli in " in line
    log = line.split("dettagli in ", 1)[1].strip()
    assert "RuntimeError: guasto di prova" in open(log, encoding="utf-8").read()
    assert "le modifiche non salvate sono nel file di recupero" in said
    assert load(session.recovery_path(path)).M12_2019 == 78
    assert path.read_bytes() == original
    assert not os.path.exists(session.lock_path(path))
