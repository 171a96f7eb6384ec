"""The summary of the whole scheda: golden text, HTML/SVG/Markdown exports, `soc25 summary`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from soc25_tui.core import summary
from soc25_tui.cli import main

from ..conftest import EXAMPLES, GOLDEN
from ..factories import example

PY = sys.executable


def text_of(draft, width: int = 100) -> str:
    return summary.export(draft, "text", width)


def flat(text: str) -> str:
    """Paragraphs are wrapped to the width: compare them with single spaces."""
    return " ".join(text.split())


# --- golden text ---------------------------------------------------------------------------------
# tests/golden/summary_*.txt were read line by line against the printed forms in tests/seeds/
# (figures, messages, SI/NO answers, R40). Do not regenerate them without doing that again.


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_golden_text(name, capsys):
    path = EXAMPLES / f"{name}.toml"
    assert main(["summary", str(path), "--format", "text", "--width", "100"]) == 0
    out = capsys.readouterr().out
    expected = (GOLDEN / f"summary_{name}.txt").read_text(encoding="utf-8")
    assert out == expected


def test_text_is_the_same_through_export_and_pipe(tmp_path):
    """`soc25 summary` into a pipe prints the text export (what `| less -R` shows)."""
    proc = subprocess.run(
        [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml")],
        capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "COLUMNS": "70"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == text_of(example("tortona"), 80)  # not a tty: 80 columns, whatever COLUMNS says
    assert max(map(len, proc.stdout.splitlines())) == 80
    proc = subprocess.run(
        [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml"), "--width", "100"],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.stdout == text_of(example("tortona"), 100)


def test_width_out_of_bounds_is_said(capsys):
    """A width no terminal has is a slip, said before anything is drawn (a rule 10^20 wide
    would not fit in memory)."""
    for width, said in (
        ("0", "larghezza 0 troppo piccola: almeno 40 colonne"),
        ("-5", "larghezza -5 troppo piccola: almeno 40 colonne"),
        ("1001", "larghezza 1001 troppo grande: al massimo 1000 colonne"),
        ("99999999999999999999", "larghezza 99999999999999999999 troppo grande: al massimo 1000 colonne"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(["summary", str(EXAMPLES / "sondrio.toml"), "--width", width])
        assert exc.value.code == 2
        assert said in capsys.readouterr().err


def test_summary_does_not_import_textual():
    code = (
        "import sys, io, contextlib\n"
        "import soc25_tui.core.summary, soc25_tui.core.r40\n"
        "assert 'textual' not in sys.modules, 'import'\n"
        "from soc25_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['summary', {str(EXAMPLES / 'tortona.toml')!r}, '--format', 'html'])\n"
        f"    rc += main(['r40', {str(EXAMPLES / 'tortona.toml')!r}])\n"
        "assert rc == 0, rc\n"
        "assert 'textual' not in sys.modules, 'run'\n"
    )
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "manca.toml")]) == 2
    assert "il file non esiste" in capsys.readouterr().err
    proc = subprocess.run(
        [PY, "-m", "soc25_tui.cli", "summary", str(tmp_path / "manca.toml")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2 and "il file non esiste" in proc.stderr and proc.stdout == ""


def test_unreadable_draft_exits_2(tmp_path, capsys):
    bad = tmp_path / "rotta.toml"
    bad.write_text("[quadro1\n", encoding="utf-8")
    assert main(["summary", str(bad)]) == 2
    assert "non è un file TOML valido" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args", [["--format", "odt"], ["--width", "10"], ["--width", "tanti"], []]
)
def test_bad_arguments_exit_2(args, capsys):
    argv = ["summary"] + ([str(EXAMPLES / "sondrio.toml")] if args else []) + args
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "soc25: errore negli argomenti" in capsys.readouterr().err


def test_output_file_and_format_from_suffix(tmp_path, capsys):
    out = tmp_path / "riepilogo.html"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Riepilogo scritto in" in capsys.readouterr().err
    txt = tmp_path / "riepilogo.txt"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(txt), "--width", "90"]) == 0
    assert txt.read_text(encoding="utf-8") == text_of(example("sondrio"), 90)
    md = tmp_path / "riepilogo.out"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(md), "--format", "md"]) == 0
    assert md.read_text(encoding="utf-8").startswith("# SOC25")
    # The draft itself is never touched.
    assert not list(EXAMPLES.glob("*.bak"))


def test_output_into_missing_folder_exits_2(tmp_path, capsys):
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(tmp_path / "no" / "x.txt")]) == 2
    assert "impossibile salvare" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_terminal_output_colour_only_without_no_color(no_color):
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    env["COLUMNS"] = "90"
    if no_color:
        env["NO_COLOR"] = "1"
    proc = subprocess.Popen(
        [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml")],
        stdout=slave, stderr=subprocess.PIPE, env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "Quadro 3 - Obiettivi di servizio 2024" in out
    assert "2.420,47" in out
    params = {p for sgr in re.findall(r"\x1b\[([0-9;]*)m", out) for p in sgr.split(";")}
    colour = any(p.isdigit() and (30 <= int(p) <= 38 or 90 <= int(p) <= 97) for p in params)
    assert colour is (not no_color)
    assert "\x1b[1" in out  # bold headings either way


@pytest.mark.parametrize("target", ["sondrio.toml", "altra.toml", "altra.toml.bak", "link.txt"])
def test_output_never_written_over_a_draft(tmp_path, capsys, target):
    """`-o` on the draft itself (or another, its .bak, a link to one) would replace the draft
    with its summary: refused, status 2, every file as it was."""
    draft = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", draft)
    shutil.copy(EXAMPLES / "tortona.toml", tmp_path / "altra.toml")
    shutil.copy(EXAMPLES / "tortona.toml", tmp_path / "altra.toml.bak")
    os.symlink(tmp_path / "altra.toml", tmp_path / "link.txt")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main(["summary", str(draft), "-o", str(tmp_path / target)]) == 2
    assert "il riepilogo non si scrive su una bozza" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_dash_as_output_is_standard_output(tmp_path, fmt):
    """`-o -` sends every format to standard output (as it does the PDF, and as export does):
    no file named «-» appears, and the pipe gets what `--format` alone gives."""
    base = [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml"), "--format", fmt]
    dashed = subprocess.run([*base, "-o", "-"], capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    plain = subprocess.run(base, capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert dashed.returncode == plain.returncode == 0, dashed.stderr
    assert not (tmp_path / "-").exists()
    assert dashed.stdout == plain.stdout and "R09" in dashed.stdout


def test_the_html_summary_loads_no_rich():
    """The HTML document has its own renderer: Rich (the terminal's) is not loaded for it."""
    code = (
        "import sys, io, contextlib\n"
        "from soc25_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['summary', {str(EXAMPLES / 'tortona.toml')!r}, '--format', 'html'])\n"
        "assert rc == 0, rc\n"
        "assert not [m for m in sys.modules if m == 'rich' or m.startswith('rich.')], 'rich loaded'\n"
    )
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
