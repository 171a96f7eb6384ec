"""The TUI under an ASCII locale (`LC_ALL=C PYTHONUTF8=0`, an old server): it starts, draws
every character as ASCII one column wide («Poverta», not «Povert\\xe0» nor a crash), and
quits with Ctrl+Q."""

from __future__ import annotations

import os
import shutil

from ..conftest import EXAMPLES
from .test_terminal import Terminal  # skips this module where there is no pty (Windows)


def test_the_tui_in_an_ascii_locale_is_readable_and_quits(tmp_path, monkeypatch):
    for name in [k for k in os.environ if k.startswith("LC_") or k in ("LANG", "LANGUAGE")]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("PYTHONUTF8", "0")
    shutil.copy(EXAMPLES / "tortona.toml", tmp_path / "tortona.toml")
    t = Terminal(["tortona.toml"], tmp_path)  # its environment is os.environ's
    try:
        t.wait_for(lambda: "Caso D" in t.text() and "Poverta, disagio" in t.text(), "Quadro 1")
        t.wait_for(lambda: "e risultato nullo" in t.text(), "the messages")
        t.type(b"\x11")  # Ctrl+Q, nothing changed: quits at once
        assert t.proc.wait(timeout=30) == 0
        out = bytes(t.output)
        assert out.isascii(), sorted({b for b in out if b > 127})
        assert b"\\x" not in out and b"\\u" not in out and b"Traceback" not in out
        assert b"Povert?" not in out
    finally:
        t.close()
