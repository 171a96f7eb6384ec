"""What a reviewer found attacking `soc25` from outside the drafts: file names, arguments, the
terminal's encoding, an output that cannot be written. Each ends with an Italian line and
status 0/1/2, never a traceback, and nothing from a name reaches the terminal raw."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from soc25_tui.cli import main
from soc25_tui.core.drafts import dumps, loads

from ..conftest import EXAMPLES, SONDRIO

RAW = ("\x1b", "\x07", "\x9b")


def _no_raw(text: str) -> None:
    for ch in RAW:
        assert ch not in text
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)  # no byte smuggled as a surrogate
    assert "Traceback" not in text


def test_an_argument_that_is_not_an_option_is_quoted_visibly(tmp_path, capsys):
    """A file named «--x ESC]0;PWNED BEL.toml» in the folder, reached by `check *.toml`."""
    with pytest.raises(SystemExit) as exc:
        main(["check", str(EXAMPLES / "sondrio.toml"), "--x\x1b]0;PWNED\x07.toml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    _no_raw(err)
    assert "--x␛]0;PWNED␇.toml" in err


def test_a_file_name_that_is_not_utf8_is_shown_by_its_bytes(tmp_path, capsys):
    name = os.fsdecode(b"x\x9b31mROSSO.toml")
    path = tmp_path / name
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    _no_raw(out)
    assert "x⟨0x9B⟩31mROSSO.toml" in out


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path, capsys):
    forged = str(tmp_path / "no\nsoc25: OK, nessun errore.toml")
    assert main(["check", forged]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no␊soc25: OK" in err


def test_import_with_a_name_too_long_is_said_not_a_crash(tmp_path, capsys):
    long_name = str(tmp_path / ("n" * 300 + ".txt"))
    assert main(["import", long_name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("soc25: ") and "errore interno" not in err
    assert main(["import", str(SONDRIO), "-o", str(tmp_path / ("b" * 300 + ".toml"))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("soc25: ") and "errore interno" not in err


def test_import_into_a_folder_says_it_is_a_folder_not_to_force(tmp_path, capsys):
    assert main(["import", str(SONDRIO), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"soc25: {tmp_path}: è una cartella: indicare con -o il nome della bozza da creare.\n"


@pytest.mark.parametrize("r40", ['["prima parte", "seconda parte"]', '"' + "Relazione. " * 6000 + '"'],
                         ids=["un-elenco", "oltre-60000-caratteri"])
def test_r40_write_never_replaces_an_r40_kept_as_invalid(tmp_path, capsys, r40):
    path = tmp_path / "b.toml"
    draft = loads((EXAMPLES / "sondrio.toml").read_text(encoding="utf-8"))
    draft.set("R40", None)
    body = dumps(draft).replace("[quadro4]\n", f"[quadro4]\nR40 = {r40}\n", 1)  # unreadable
    path.write_text(body, encoding="utf-8")
    assert "R40" in loads(body).invalid
    assert main(["r40", str(path), "--write"]) == 1
    assert "R40 contiene un valore non valido" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == body


def _soc25(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "soc25_tui.cli", *args], capture_output=True, timeout=60, **kwargs)


def test_a_terminal_that_cannot_show_every_character_gets_stand_ins_not_a_crash():
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    done = _soc25(["check", str(EXAMPLES / "sondrio.toml")], env=env)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"sondrio.toml - Comune SONDRIO" in done.stdout  # «—» cannot be Latin-1: «-»
    assert "L'ente locale può procedere".encode("latin-1") in done.stdout  # «ò» can


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_an_output_that_cannot_be_written_is_said_with_status_2():
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "check", str(EXAMPLES / "sondrio.toml")],
                              stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode() == "soc25: impossibile scrivere l'uscita (disco pieno).\n"


def test_a_long_text_in_a_figure_cell_is_not_called_too_many_digits():
    draft = loads('[quadro1]\nM12_2019 = "circa trecentoventisette utenti, come negli anni precedenti, più o meno"\n')
    assert "M12_2019" in draft.invalid
    from soc25_tui.core.assess import assess

    said = next(p.text for p in assess(draft).problems if p.cell == "M12_2019")
    assert "15 cifre" not in said and "atteso un numero intero" in said
