"""`soc25 import` on whatever it is given: a folder, a FIFO, a file of 50 MB, text
saved by Windows Notepad, a truncated print, figures no Comune has. A clear Italian line and
exit status 2, or a draft and a warning; never a traceback, a hang, or a changed draft."""

import errno
import os
import subprocess
import sys

import pytest

from soc25_tui.cli import main
from soc25_tui.core import reading
from soc25_tui.core.limits import text_limit

from ..conftest import LOMELLINA, SONDRIO, TORTONA, seed_text

EXPECTED = "la stampa di una scheda SOC25: il PDF del portale o il suo testo (un file .pdf o .txt)"


def refused(capsys, src, dst, reason, *extra):
    """Import `src` into `dst`; assert exit 2, the one Italian line, and nothing written."""
    assert main(["import", str(src), "-o", str(dst), *extra]) == 2
    out, err = capsys.readouterr()
    assert err == f"soc25: {src}: {reason}; atteso {EXPECTED}.\n" and out == ""
    return err


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "il file non è testo (contiene dati binari)"),
        ("Città".encode("cp1252") + b" \x81\x8d\x8f\x90\x9d", "il file non è testo (né UTF-8 né Windows-1252)"),
    ],
    ids=["binary", "not-cp1252"],  # a PDF is read: tests/core/test_pdf_import.py
)
def test_what_is_not_text(tmp_path, capsys, content, reason):
    src = tmp_path / "stampa.txt"
    src.write_bytes(content)
    refused(capsys, src, tmp_path / "b.toml", reason)
    assert files_in(tmp_path) == ["stampa.txt"]


def test_a_folder(tmp_path, capsys):
    refused(capsys, tmp_path, tmp_path / "b.toml", "è una cartella")
    assert files_in(tmp_path) == []


def test_a_file_of_50_mb_is_refused_before_it_is_read(tmp_path, capsys):
    src = tmp_path / "stampa.txt"
    with open(src, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    refused(capsys, src, tmp_path / "b.toml", "il file è troppo grande (50 MB): al massimo 4 MB")


def test_an_unreadable_file(tmp_path, capsys, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(reading.os, "open", denied)  # tests may run as root, whom chmod does not stop
    refused(capsys, TORTONA, tmp_path / "b.toml", "permesso di lettura negato")


def test_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "stampa.txt"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait for ever
    r = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "import", str(fifo), "-o", str(tmp_path / "b.toml")],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 2
    assert r.stderr == f"soc25: {fifo}: è una pipe (FIFO), non un file; atteso {EXPECTED}.\n"


# --- What Windows Notepad saves ------------------------------------------------------------


def notepad_text():
    """Tortona's print with curly quotes and «€» in R40; «≥», which Windows-1252 lacks (Notepad
    would ask), written «>=»."""
    t = seed_text(TORTONA).replace("≥", ">=")
    assert t.count("Il trasferimento statale") == 1
    return t.replace("Il trasferimento statale", "Il “trasferimento” statale (€ 3,00 l’anno)")


@pytest.mark.parametrize(
    ("encoding", "note"),
    [("utf-8-sig", None), ("cp1252", "il file non è in UTF-8: letto come testo Windows-1252."),
     ("utf-16", "il file non è in UTF-8: letto come testo UTF-16.")],
    ids=["utf8-bom", "cp1252", "utf16"],
)
def test_notepad_encodings_give_the_draft_utf8_gives(tmp_path, capsys, encoding, note):
    text = notepad_text()
    (tmp_path / "utf8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "other.txt").write_bytes(text.encode(encoding))
    assert main(["import", str(tmp_path / "utf8.txt"), "-o", str(tmp_path / "utf8.toml")]) == 0
    assert "nota: il file non è in UTF-8" not in capsys.readouterr().out
    assert main(["import", str(tmp_path / "other.txt"), "-o", str(tmp_path / "other.toml")]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "other.toml").read_bytes() == (tmp_path / "utf8.toml").read_bytes()
    assert "Il “trasferimento” statale (€ 3,00 l’anno)" in (tmp_path / "other.toml").read_text("utf-8")
    notes = [line.strip() for line in out.splitlines() if "UTF-8" in line]
    assert notes == ([f"nota: {note}"] if note else [])


# --- Truncated prints ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [SONDRIO, LOMELLINA, TORTONA], ids=["sondrio", "lomellina", "tortona"])
def test_a_complete_print_imports_without_warnings(tmp_path, capsys, seed):
    assert main(["import", str(seed), "-o", str(tmp_path / "b.toml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Creata ")
    # Only the portal's print lacks the Comune's name (it is not on its pages).
    assert out[1:] in ([], ["  nota: la stampa non riporta il Comune: indicarlo con --comune o nell'interfaccia."])


def test_a_truncated_print_imports_with_a_warning_listing_what_it_lacks(tmp_path, capsys):
    t = seed_text(TORTONA)
    src = tmp_path / "stampa.txt"
    src.write_text(t[: t.index("R34 - Scelta dell'")], encoding="utf-8")  # cut from R34 to the end
    assert main(["import", str(src), "-o", str(tmp_path / "b.toml"), "--comune", "Tortona"]) == 0
    out = capsys.readouterr().out
    assert (
        "  attenzione: la stampa sembra incompleta: mancano R34-R39, R40 (Quadro 4). Le loro "
        "celle restano vuote nella bozza: verificare che il testo sia stato estratto per intero "
        "dal PDF.\n"
    ) in out
    assert "R39 = " not in (tmp_path / "b.toml").read_text("utf-8")


# --- A failing import changes nothing ------------------------------------------------------


@pytest.fixture
def existing(tmp_path):
    """A draft already there, to be replaced with --force."""
    dst = tmp_path / "b.toml"
    assert main(["import", str(SONDRIO), "-o", str(dst)]) == 0
    return dst, dst.read_bytes()


def test_figures_too_long_fail_before_the_draft_is_replaced(tmp_path, capsys, existing):
    dst, before = existing
    src = tmp_path / "stampa.txt"
    t = seed_text(TORTONA)
    assert t.count("\n15 13 845 65,00\n") == 1
    src.write_text(t.replace("\n15 13 845 65,00\n", "\n15 13 " + "9" * 50 + " 65,00\n"), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(src), "-o", str(dst), "--force"]) == 2
    assert "M12: «" in capsys.readouterr().err
    assert dst.read_bytes() == before
    assert files_in(tmp_path) == ["b.toml", "stampa.txt"]  # no .bak, no temporary file


def test_whatever_fails_fails_before_the_save(tmp_path, existing, monkeypatch):
    """The evaluation, the differences and the warnings are made before the draft is
    written: an unexpected failure in any of them leaves the existing draft as it was."""
    from soc25_tui.core import rules

    dst, before = existing

    def broken(draft):
        raise RuntimeError("guasto")

    monkeypatch.setattr(rules, "evaluate", broken)
    try:
        status = main(["import", str(TORTONA), "-o", str(dst), "--force"])
    except RuntimeError:
        status = None  # no handler for internal errors around main() in this test
    assert status != 0
    assert dst.read_bytes() == before
    assert files_in(tmp_path) == ["b.toml"]


def test_a_header_option_that_is_not_valid_is_said(tmp_path, capsys, existing):
    dst, before = existing
    capsys.readouterr()
    too_long = "x" * (text_limit("comune") + 1)
    assert main(["import", str(TORTONA), "-o", str(dst), "--force", "--comune", too_long]) == 2
    err = capsys.readouterr().err
    assert err.startswith("soc25: argomento non valido: comune: ") and too_long not in err
    assert dst.read_bytes() == before


# --- Prints made to be slow -----------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda t: "Comune a" + " " * 1_000_000 + "b\n" + t,  # a header line
        lambda t: t.replace("ogni:  4718", "ogni" + " " * 1_000_000 + "x", 1),  # R0E's figure
    ],
    ids=["header", "r0e"],
)
def test_a_print_made_to_be_slow_is_read_in_linear_time(tmp_path, make):
    src = tmp_path / "stampa.txt"
    src.write_text(make(seed_text(TORTONA)), encoding="utf-8")
    # Patterns that backtracked took hours on these (quadratic in a megabyte); now < 1 s.
    r = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "import", str(src), "-o", str(tmp_path / "b.toml")],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr
