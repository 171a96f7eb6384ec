"""The R40 drafting assistant: facts from the draft, never over 6.000 characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soc25_tui.core import r40
from soc25_tui.cli import main
from soc25_tui.core.drafts import backup_path, load
from soc25_tui.core.layout import (
    INPUT_CELLS,
)

from ..conftest import EXAMPLES, held_by_a_colleague
from ..factories import example


def test_cli_prints_the_proposal(capsys):
    assert main(["r40", str(EXAMPLES / "tortona.toml")]) == 0
    out, err = capsys.readouterr()
    assert out == r40.propose(example("tortona")) + "\n"
    assert "/ 6.000 caratteri" in err


def test_cli_write_refuses_when_r40_is_not_empty(tmp_path, capsys):
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    before = path.read_bytes()
    assert main(["r40", str(path), "--write"]) == 1
    err = capsys.readouterr().err
    assert "R40 contiene già una relazione" in err and "non la sovrascrivo" in err
    assert path.read_bytes() == before
    assert not Path(backup_path(path)).exists()


def test_cli_write_fills_an_empty_r40(tmp_path, capsys):
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    before = path.read_bytes()
    assert main(["r40", str(path), "--write"]) == 0
    saved = load(path)
    assert saved.R40 == r40.propose(example("sondrio"))
    assert Path(backup_path(path)).read_bytes() == before  # drafts.save kept the previous version
    # Everything else is unchanged.
    original = example("sondrio")
    for cell in INPUT_CELLS:
        if cell.name != "R40":
            assert saved.get(cell.name) == original.get(cell.name), cell.name
    # Now R40 is not empty: a second --write refuses and leaves the file alone.
    after = path.read_bytes()
    capsys.readouterr()
    assert main(["r40", str(path), "--write"]) == 1
    assert path.read_bytes() == after


def test_cli_write_keeps_the_placeholder_and_says_so(tmp_path, capsys):
    path = tmp_path / "tortona.toml"
    draft = example("tortona")
    draft.set("R40", None)
    from soc25_tui.core.drafts import save

    save(path, draft, backup=False)
    assert main(["r40", str(path), "--write"]) == 0
    assert "[Completare:" in load(path).R40
    assert "completare i punti segnati" in capsys.readouterr().err



def test_cli_write_refuses_a_draft_open_in_the_tui(tmp_path, monkeypatch, capsys):
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)  # R40 empty: --write would fill it
    before = path.read_bytes()
    other, lock_file = held_by_a_colleague(monkeypatch, path)
    lock_before = Path(lock_file).read_bytes()

    assert main(["r40", str(path), "--write"]) == 1
    out, err = capsys.readouterr()
    assert f"la bozza è aperta da {other.describe()}" in err and lock_file in err
    assert "non la modifico" in err
    assert out == ""
    assert path.read_bytes() == before
    assert not Path(backup_path(path)).exists()
    assert Path(lock_file).read_bytes() == lock_before  # the TUI's lock is left alone

    assert main(["r40", str(path)]) == 0  # only reading: fine while it is open
    assert capsys.readouterr().out == r40.propose(example("sondrio")) + "\n"


def test_cli_write_holds_the_lock_while_writing_and_releases_it(tmp_path, monkeypatch, capsys):
    from soc25_tui.core import drafts, session

    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    holders = []
    real_save = drafts.save

    def save(p, draft, **kw):
        holders.append(session.read_holder(p))
        real_save(p, draft, **kw)

    monkeypatch.setattr(drafts, "save", save)
    assert main(["r40", str(path), "--write"]) == 0
    assert holders and holders[0].pid == __import__("os").getpid()
    assert session.read_holder(path) is None and not Path(session.lock_path(path)).exists()


def test_cli_missing_file_and_bad_args(tmp_path, capsys):
    assert main(["r40", str(tmp_path / "manca.toml")]) == 2
    assert "il file non esiste" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["r40"])
    assert exc.value.code == 2
    assert "errore negli argomenti" in capsys.readouterr().err


def test_cli_empty_draft(capsys):
    assert main(["r40", str(EXAMPLES / "vuota.toml")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nessuna frase proponibile" in captured.err


def test_cli_write_on_an_approved_draft_says_the_approval_is_gone(tmp_path, capsys):
    """r40 --write changes a cell: an approval given before goes back to da-rivedere, with the
    note naming R40, and the command says so; the .bak is named where it is (beside the real
    file, through a link)."""
    from soc25_tui.core.drafts import save

    real = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", real)
    draft = load(real)
    draft.review = draft.review.with_state("approvata", draft)
    save(real, draft)
    link = tmp_path / "collegamento.toml"
    link.symlink_to(real)
    capsys.readouterr()
    assert main(["r40", str(link), "--write"]) == 0
    err = capsys.readouterr().err
    assert f"versione precedente in {backup_path(real)})" in err
    assert "la bozza era approvata" in err and "«da rivedere»" in err
    review = load(real).review
    assert review.state == "da-rivedere"
    assert review.notes[-1].text.startswith("Modificata dopo l'approvazione:\nR40:")
