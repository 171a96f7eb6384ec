"""`soc25 summary --format pdf`: into a file (named with -o, or known by .pdf), or into a pipe
with «-o -»; never to the terminal; fpdf2 imported only for it."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from pdfminer.high_level import extract_text

from soc25_tui.cli import main

from ..conftest import EXAMPLES

PY = sys.executable
DRAFT = str(EXAMPLES / "tortona.toml")


def test_without_an_output_file_it_says_so_in_italian(capsys):
    assert main(["summary", DRAFT, "--format", "pdf"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "il riepilogo in PDF va scritto in un file: aggiungere -o RIEPILOGO.pdf" in err


def test_not_to_a_terminal_even_with_dash(capsys, monkeypatch):
    monkeypatch.setattr("soc25_tui.cli.summary.isatty", lambda stream: True)
    assert main(["summary", DRAFT, "--format", "pdf", "-o", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "va scritto in un file" in err


def test_into_a_file_known_by_its_suffix(tmp_path, capsys):
    target = tmp_path / "riepilogo.PDF"
    target.write_text("la versione di prima")
    assert main(["summary", DRAFT, "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert "Pagina 1 di" in extract_text(io.BytesIO(data))
    assert f"Riepilogo scritto in {target} (formato pdf)." in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riepilogo.PDF"]  # no temporary left


def test_into_a_missing_folder_exits_2_and_writes_nothing(tmp_path, capsys):
    assert main(["summary", DRAFT, "--format", "pdf", "-o", str(tmp_path / "manca" / "r.pdf")]) == 2
    assert "soc25:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_never_over_a_draft(tmp_path, capsys):
    draft = tmp_path / "bozza.toml"
    draft.write_bytes((EXAMPLES / "tortona.toml").read_bytes())
    assert main(["summary", str(draft), "--format", "pdf", "-o", str(draft)]) == 2
    assert "il riepilogo non si scrive su una bozza" in " ".join(capsys.readouterr().err.split())
    assert draft.read_bytes() == (EXAMPLES / "tortona.toml").read_bytes()


def test_into_a_pipe_with_dash():
    proc = subprocess.run([PY, "-m", "soc25_tui.cli", "summary", DRAFT, "--format", "pdf", "-o", "-"],
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"%PDF-") and proc.stderr == b""
    assert "Quadro 1" in extract_text(io.BytesIO(proc.stdout))


def test_a_wrong_format_names_pdf_among_the_formats(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summary", DRAFT, "--format", "odt"])
    assert exc.value.code == 2
    assert "usare text, html, svg, md, pdf" in capsys.readouterr().err


def test_fpdf_is_imported_only_for_the_pdf(tmp_path):
    code = (
        "import sys, contextlib, io\n"
        "from soc25_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['summary', {DRAFT!r}, '--format', 'text'])\n"
        f"    main(['summary', {DRAFT!r}, '--format', 'md'])\n"
        f"    main(['check', {DRAFT!r}])\n"
        "print('fpdf' in sys.modules)\n"
        f"main(['summary', {DRAFT!r}, '-o', {str(tmp_path / 'r.pdf')!r}])\n"
        "print('fpdf' in sys.modules)\n"
    )
    proc = subprocess.run([PY, "-c", code], check=False, capture_output=True, text=True, env={**os.environ, "COLUMNS": "100"})
    assert proc.stdout.split() == ["False", "True"], proc.stderr
