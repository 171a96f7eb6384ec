"""The headless commands under an ASCII locale (`LC_ALL=C PYTHONUTF8=0`, an old server): they
run as usual, and what ASCII cannot hold is written as a readable stand-in («Poverta'»),
not a traceback, a «?» or a «\\xe0»."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ..conftest import EXAMPLES, TORTONA

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="LC_ALL is how a Unix locale is chosen")


def ascii_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "PYTHONIOENCODING", "PYTHONUTF8")}
    return {**env, "LC_ALL": "C", "PYTHONUTF8": "0"}


def soc25(*args: str, cwd) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "soc25_tui.cli", *args], capture_output=True,
                          env=ascii_env(), cwd=cwd, timeout=120)


def readable(proc: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    """stdout and stderr, which must be ASCII through and through, with no traceback and no
    escaped or unknown character."""
    out, err = proc.stdout.decode("ascii"), proc.stderr.decode("ascii")
    for text in (out, err):
        assert "Traceback" not in text and "\\x" not in text and "\\u" not in text
        assert "?" not in text.replace("forse", "")  # no «Povert?»
    return out, err


@pytest.fixture
def drafts(tmp_path):
    for name in ("tortona", "sondrio"):
        shutil.copy(EXAMPLES / f"{name}.toml", tmp_path / f"{name}.toml")
    return tmp_path


def test_check(drafts):
    # What these tests stand on: Python's streams in that environment are ASCII.
    proc = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding, sys.stderr.encoding)"],
                          capture_output=True, env=ascii_env(), text=True, encoding="ascii")
    assert proc.stdout.split() == ["ascii", "ascii"]
    proc = soc25("check", "tortona.toml", cwd=drafts)
    out, _ = readable(proc)
    assert proc.returncode == 0
    assert "== tortona.toml - Comune (Comune non indicato)" in out
    assert "assistenti sociali e' risultato nullo" in out and "un piu' avanzato obiettivo" in out


def test_summary(drafts):
    proc = soc25("summary", "tortona.toml", cwd=drafts)
    out, _ = readable(proc)
    assert proc.returncode == 0
    assert "Utenti poverta', disagio" in out
    # The stand-ins were laid out with the tables: no line is wider than the 80 columns of a pipe.
    assert max(map(len, out.splitlines())) == 80


def test_diff(drafts):
    proc = soc25("diff", "sondrio.toml", "tortona.toml", cwd=drafts)
    out, _ = readable(proc)
    assert proc.returncode == 1  # they differ
    assert "Confronto: sondrio.toml -> tortona.toml" in out


def test_review(drafts):
    proc = soc25("review", "tortona.toml", "--note", "M27_2024", "Perché è così? Più utenti", cwd=drafts)
    readable(proc)
    assert proc.returncode == 0
    proc = soc25("review", "tortona.toml", cwd=drafts)
    out = proc.stdout.decode("ascii")
    assert proc.returncode == 0 and "Traceback" not in out and "\\x" not in out
    assert "Perche' e' cosi'? Piu' utenti" in out
    # The draft keeps what was typed, accents and all: only the screen gets stand-ins.
    assert "Perché è così? Più utenti" in (drafts / "tortona.toml").read_text(encoding="utf-8")


def test_import_and_export(drafts):
    """Files do not depend on the locale: the draft and the CSV are UTF-8, accents kept."""
    proc = soc25("import", str(TORTONA), "-o", "importata.toml", "--comune", "Forlì", cwd=drafts)
    out, _ = readable(proc)
    assert proc.returncode == 0 and "Creata importata.toml" in out
    # The name typed on the command line (UTF-8 bytes that Python could not decode as ASCII)
    # is the name in the draft.
    assert 'comune = "Forlì"' in (drafts / "importata.toml").read_text(encoding="utf-8")
    assert 'R40 = "Il trasferimento statale è stato utilizzato' in (drafts / "importata.toml").read_text(encoding="utf-8")
    proc = soc25("export", "importata.toml", "--format", "csv", "-o", "tabella.csv", cwd=drafts)
    readable(proc)
    assert proc.returncode == 0
    assert "statale è stato utilizzato" in (drafts / "tabella.csv").read_text(encoding="utf-8-sig")
