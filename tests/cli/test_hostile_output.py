"""No control sequence from a draft or a file name reaches the reader's terminal: `soc25
check`, `check --json`, `summary` in every format (to the terminal, to a pipe, to a file) and
`r40` show them escaped (␛, ␇, ⟨U+009B⟩), and the draft keeps them as they were."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from soc25_tui.core.drafts import dumps, load
from soc25_tui.core.outputs import BINARY, FORMATS

from ..core.test_visible import HOSTILE, HOSTILE_R40, HOSTILE_SHOWN
from ..factories import make

# Raw in the output: ESC, BEL, any other C0 but newline and tab, DEL, C1 (U+0080-U+009F, as
# UTF-8 bytes C2 80 - C2 9F) and the bidirectional controls (E2 80 AA-AE, E2 81 A6-A9).
_RAW = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# To a terminal the summary is in colour: SGR sequences (ESC [ digits m) are its own, and
# nothing else may start with ESC.
_COLOUR = re.compile(rb"\x1b\[[0-9;]*m")


def raw_controls(data: bytes, *, colours: bool = False) -> list[bytes]:
    if colours:
        data = _COLOUR.sub(b"", data)
    return _RAW.findall(data)


def soc25(*args: str, cwd) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "soc25_tui.cli", *args], capture_output=True,
                          cwd=cwd, check=False)


@pytest.fixture
def hostile(tmp_path):
    """A draft whose Comune, ATS and R40 hold terminal escapes and markup, saved under a file
    name holding a screen clear."""
    draft = make(comune=HOSTILE, R0C=HOSTILE, R40=HOSTILE_R40, M12_2024=None)
    draft.invalid["M12_2024"] = "cento\x1b]52;c;cHduZWQ=\x07"  # OSC 52: the clipboard
    path = tmp_path / "a\x1b[2J.toml"
    path.write_text(dumps(draft), encoding="utf-8")
    return path


def test_check_shows_the_escapes_and_sends_none(hostile, tmp_path):
    done = soc25("check", hostile.name, cwd=tmp_path)
    assert done.returncode == 1  # M12_2024 cannot be read
    assert raw_controls(done.stdout) == [] and raw_controls(done.stderr) == []
    out = done.stdout.decode("utf-8")
    assert f"== a␛[2J.toml — Comune {HOSTILE_SHOWN} (MI)" in out
    assert "M12_2024: «cento␛]52;c;cHduZWQ=␇» non è un valore valido" in out


def test_check_json_escapes_every_control_character_as_json_and_keeps_the_value(hostile, tmp_path):
    done = soc25("check", "--json", hostile.name, cwd=tmp_path)
    assert raw_controls(done.stdout) == []
    data = json.loads(done.stdout)
    assert data["draft"] == hostile.name
    assert data["cells"]["comune"] == HOSTILE and data["cells"]["R40"] == HOSTILE_R40
    assert "\\u009b31m" in done.stdout.decode("utf-8")
    # Many drafts: one compact object a line, escaped the same way.
    done = soc25("check", "--json", hostile.name, hostile.name, cwd=tmp_path)
    assert raw_controls(done.stdout) == []
    assert [d["cells"]["comune"] for d in json.loads(done.stdout)] == [HOSTILE, HOSTILE]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in BINARY])  # the PDF: tests/core/test_summary_pdf.py
def test_summary_in_every_format_to_a_pipe_and_to_a_file(hostile, tmp_path, fmt):
    piped = soc25("summary", hostile.name, "--format", fmt, cwd=tmp_path)
    written = soc25("summary", hostile.name, "--format", fmt, "-o", "out\x07.txt", cwd=tmp_path)
    assert piped.returncode == written.returncode == 0
    saved = (tmp_path / "out\x07.txt").read_bytes()
    for data in (piped.stdout, piped.stderr, saved, written.stdout, written.stderr):
        assert raw_controls(data) == []
    assert saved == piped.stdout
    text = saved.decode("utf-8").replace("&#160;", " ")
    if fmt == "md":
        text = text.replace("\\", "")
    assert "X␛]0;pwned␇Y␛[2J" in text and "⟨U+009B⟩31m" in text
    assert "Riepilogo scritto in out␇.txt" in written.stderr.decode("utf-8")


def test_summary_to_a_terminal_is_in_colour_with_no_other_escape(hostile, tmp_path):
    pty = pytest.importorskip("pty", reason="pseudo-terminals are Unix only")
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "soc25_tui.cli", "summary", hostile.name],
                            stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=env)
    os.close(slave)
    output = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert proc.wait(timeout=30) == 0
    assert _COLOUR.search(output)  # it is the terminal's output, in colour
    output = output.replace(b"\r\n", b"\n")  # the terminal's own line ends
    assert raw_controls(bytes(output), colours=True) == []
    assert "X␛]0;pwned␇Y␛[2J".encode() in output


def test_r40_proposal_and_messages_show_the_escapes(hostile, tmp_path):
    done = soc25("r40", hostile.name, cwd=tmp_path)
    assert raw_controls(done.stdout) == [] and raw_controls(done.stderr) == []
    assert f"«{HOSTILE_SHOWN}»" in done.stdout.decode("utf-8")  # the ATS, quoted
    # Written into an R40 that is not empty: refused, the file name in the message shown.
    done = soc25("r40", hostile.name, "--write", cwd=tmp_path)
    assert done.returncode == 1 and raw_controls(done.stderr) == []
    assert "a␛[2J.toml: R40 contiene già una relazione" in done.stderr.decode("utf-8")
    assert load(hostile).R40 == HOSTILE_R40  # and the draft keeps its text as it was


def test_a_file_that_cannot_be_read_is_named_shown(tmp_path):
    (tmp_path / "b\x1b]0;x\x07.toml").write_text("[quadro1\n", encoding="utf-8")
    for name in ("b\x1b]0;x\x07.toml", "manca\x9b2J.toml"):
        done = soc25("check", name, cwd=tmp_path)
        assert done.returncode == 2
        assert raw_controls(done.stderr) == [] and raw_controls(done.stdout) == []
    assert "soc25: manca⟨U+009B⟩2J.toml: il file non esiste." in done.stderr.decode("utf-8")


def test_import_names_the_draft_it_wrote_shown(tmp_path):
    from ..conftest import SONDRIO

    done = soc25("import", str(SONDRIO), "-o", "c\x1b]0;x\x07.toml", cwd=tmp_path)
    assert done.returncode == 0
    assert raw_controls(done.stdout) == [] and raw_controls(done.stderr) == []
    assert done.stdout.decode("utf-8").startswith("Creata c␛]0;x␇.toml (stampa in formato")
    assert load(tmp_path / "c\x1b]0;x\x07.toml").comune == "SONDRIO"
