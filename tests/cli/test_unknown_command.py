"""`soc25 chek`: a mistyped command is said, with the nearest one, and creates nothing; a
draft's name (.toml, a path, a file or folder that exists) still opens the TUI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import soc25_tui.cli as cli


@pytest.fixture
def tui_calls(monkeypatch, tmp_path):
    """main() in an empty folder, the TUI replaced by a recorder of its arguments."""
    monkeypatch.chdir(tmp_path)
    calls: list[tuple[str | None, list[str]]] = []

    def loaded(name):
        return lambda argv: calls.append((name, argv)) or 0

    monkeypatch.setattr(cli, "_loaded", loaded)
    return calls


def test_a_mistyped_command_suggests_the_nearest_and_opens_nothing(tui_calls, tmp_path, capsys):
    assert cli.main(["chek", "bozza.toml"]) == 2
    err = capsys.readouterr().err
    assert 'soc25: comando sconosciuto "chek": forse "check"?' in err
    assert "soc25 chek.toml" in err  # how to mean a new draft of that name
    assert tui_calls == [] and os.listdir(tmp_path) == []
    for typed, meant in (("CHEK", "check"), ("sumary", "summary"), ("exprot", "export"), ("reveiw", "review")):
        assert cli.main([typed]) == 2
        assert f'comando sconosciuto "{typed}": forse "{meant}"?' in capsys.readouterr().err
    assert tui_calls == [] and os.listdir(tmp_path) == []


def test_a_word_like_no_command_lists_them(tui_calls, tmp_path, capsys):
    """`soc25 bozza` (no .toml) is not taken for a new draft named «bozza» any more."""
    assert cli.main(["bozza"]) == 2
    err = capsys.readouterr().err
    assert 'comando sconosciuto "bozza"' in err and "forse" not in err
    assert all(command in err for command in cli.SUBCOMMANDS)
    assert "per aprire o creare una bozza con questo nome: soc25 bozza.toml" in err
    assert tui_calls == [] and os.listdir(tmp_path) == []


def test_a_name_with_control_characters_is_shown_not_obeyed(tui_calls, capsys):
    assert cli.main(["ch\x1b]0;titolo\x07ek"]) == 2
    err = capsys.readouterr().err
    assert 'comando sconosciuto "ch␛]0;titolo␇ek"' in err and "\x1b" not in err and "\x07" not in err
    assert "soc25 ch" not in err  # no hint that would need quoting
    assert tui_calls == []


def test_only_a_word_that_names_nothing_is_taken_for_a_command(tui_calls, tmp_path, capsys):
    """The same word is refused alone, and opens the TUI as a draft's name, a path, after
    `--`, or when a file or folder of that name exists; a command stays a command even where
    a file has its name."""
    (tmp_path / "esistente").write_text("", encoding="utf-8")
    (tmp_path / "cartella").mkdir()
    (tmp_path / "check").write_text("", encoding="utf-8")
    for refused in (["chek"], ["--view", "chek"], ["esistenti"]):
        assert cli.main(refused) == 2, refused
    assert "comando sconosciuto" in capsys.readouterr().err
    opened = [
        ["chek.toml"],                 # a new draft
        ["CHEK.TOML"],
        [os.path.join(".", "chek")],   # a path: the person means a file
        ["--", "chek"],                # after --, a name is a file's
        ["--view", "esistente"],       # a file that exists, named like no command
        ["cartella"],                  # a folder that exists: its review table
        [],                            # the current folder
    ]
    for argv in opened:
        assert cli.main(argv) == 0, argv
    assert "comando sconosciuto" not in capsys.readouterr().err
    assert cli.main(["check", "x.toml"]) == 0
    assert tui_calls == [(None, argv) for argv in opened] + [("check", ["x.toml"])]


def test_the_real_program_exits_2_and_leaves_no_file(tmp_path):
    """No draft, lock or recovery file; and no interface started (it would wait for keys)."""
    proc = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "chek"], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith('soc25: comando sconosciuto "chek": forse "check"?\n')
    assert proc.stdout == "" and os.listdir(tmp_path) == []
