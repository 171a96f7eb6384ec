"""Bytes from the terminal that are not UTF-8 (typed or pasted in a Latin-1 terminal, or sent
by `tmux send-keys -H e0`): the real `soc25` keeps running and shows each as «�»."""

from __future__ import annotations

import pytest

from .test_terminal import TIMEOUT, terminal, tortona_on_screen  # noqa: F401  (terminal: a fixture)

pytest.importorskip("pty", reason="pseudo-terminals are Unix only")


@pytest.mark.parametrize(
    "typed",
    [b"\xe0x", b"\x1b[200~ab\x9bcd\x1b[201~", b"\xff"],
    ids=["latin1-a-grave", "paste-with-0x9b", "lone-0xff"],
)
def test_bytes_that_are_not_utf8_do_not_end_the_program(tmp_path, terminal, typed):  # noqa: F811
    _, t = tortona_on_screen(tmp_path, terminal)
    t.type(typed)
    if typed == b"\xe0x":  # typed on Comune, the cell first highlighted: its edit line shows it
        t.wait_for(lambda: "\ufffdx" in t.text(), "«�x» in the edit line")
    t.type(b"\x1bOP")  # F1: the help opens, so the keys after the bad bytes are still read
    t.wait_for(lambda: "questo aiuto" in t.text(), "the F1 help")
    t.type(b"\x1b")  # Esc closes the help
    t.type(b"\x11")  # Ctrl+Q
    t.wait_for(lambda: t.proc.poll() is not None or "Esci senza salvare" in t.text(), "the end or the question")
    if t.proc.poll() is None:  # the bad bytes were typed into a cell: leave it unsaved
        t.type(b"e")
    assert t.proc.wait(timeout=TIMEOUT) == 0
    assert "Traceback" not in t.text() and "UnicodeDecodeError" not in t.text()
