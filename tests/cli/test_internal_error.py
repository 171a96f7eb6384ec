"""An internal error ends every command the same way: exit status 3 (not 1, "drafts with
errors", nor 2, "unreadable input"), one Italian line on stderr naming a log file, the
traceback in that file and never on the screen."""

from __future__ import annotations

import os
import stat
import shutil

import pytest

from soc25_tui.cli import main
from soc25_tui.core import crash

from ..conftest import EXAMPLES


@pytest.fixture
def log_home(tmp_path, monkeypatch):
    """platformdirs puts the log folder under XDG_STATE_HOME on Linux."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


def _boom(*args, **kwargs):
    raise RuntimeError("guasto di prova \x1b]0;titolo\x07 nel calcolo")


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["check"], "soc25_tui.core.assess.assess"),
        (["check", "--json"], "soc25_tui.core.assess.assess"),
        (["summary"], "soc25_tui.core.summary.export"),
        (["r40"], "soc25_tui.core.r40.propose"),
    ],
)
def test_an_unexpected_error_is_one_line_exit_3_and_a_log(tmp_path, log_home, monkeypatch, capsys, command, target):
    draft = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", draft)
    before = draft.read_bytes()
    monkeypatch.setattr(target, _boom)
    assert main([*command, str(draft)]) == crash.EXIT_INTERNAL
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("soc25: errore interno di soc25: RuntimeError: guasto di prova ")
    assert "\x1b" not in line and "\x07" not in line  # the message is data: shown, not obeyed
    log = line.split("; dettagli in ", 1)[1]
    assert os.path.dirname(log) == str(log_home / "soc25" / "log")
    text = open(log, encoding="utf-8").read()
    assert "Traceback (most recent call last)" in text and "_boom" in text
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(os.stat(log).st_mode) == 0o600  # it may quote a draft's figures
    assert draft.read_bytes() == before


def test_with_no_writable_log_folder_the_line_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(crash, "_folders", lambda: [str(tmp_path / "file")])
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr("soc25_tui.core.assess.assess", _boom)
    shutil.copy(EXAMPLES / "sondrio.toml", tmp_path / "s.toml")
    assert main(["check", str(tmp_path / "s.toml")]) == 3
    err = capsys.readouterr().err
    assert err.strip().endswith("; impossibile scrivere il file con i dettagli")
