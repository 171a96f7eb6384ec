"""`soc25 review`: the verdict and the notes of a draft, headless, under the TUI's lock."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from soc25_tui.cli import main
from soc25_tui.core import review as rv
from soc25_tui.core.drafts import backup_path, load

from ..conftest import EXAMPLES, held_by_a_colleague
from ..factories import example


@pytest.fixture
def draft_file(tmp_path, monkeypatch):
    monkeypatch.setattr(rv, "who", lambda: "ats1")
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    return path


def review_of(path: Path, capsys) -> dict:
    """The review as `soc25 check --json` reports it (the issue's shape)."""
    capsys.readouterr()
    main(["check", str(path), "--json"])
    return json.loads(capsys.readouterr().out)["review"]


def test_a_draft_without_review_lists_the_default_verdict(draft_file, capsys):
    assert main(["review", str(draft_file)]) == 0
    out, err = capsys.readouterr()
    assert out == "Verdetto: da rivedere\nNote: nessuna nota\n" and err == ""


def test_notes_and_a_verdict_are_written_and_listed_numbered(draft_file, capsys):
    before = draft_file.read_bytes()
    assert main(["review", str(draft_file), "--note", "r07_2021", "La spesa 2021\nva rivista",
                 "--note", "bozza", "Allegare la delibera", "--state", "da-correggere"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "revisione di" in err and "aggiornata" in err
    assert Path(backup_path(draft_file)).read_bytes() == before
    # the cells are those of the example: only the review changed
    assert load(draft_file).inputs() == example("sondrio").inputs()
    review = review_of(draft_file, capsys)
    assert review["state"] == "da-correggere"
    assert [(n["cell"], n["text"], n["author"], n["resolved"]) for n in review["notes"]] == [
        ("R07_2021", "La spesa 2021\nva rivista", "ats1", False),
        (None, "Allegare la delibera", "ats1", False),
    ]
    assert main(["review", str(draft_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Verdetto: da correggere", "Note: 2 note, 2 aperte"]
    assert lines[2].startswith("  1. R07_2021 · ats1 · ") and lines[2].endswith(" · aperta")
    assert lines[3:5] == ["     La spesa 2021", "     va rivista"]
    assert lines[5].startswith("  2. bozza · ats1 · ")
    assert lines[6] == "     Allegare la delibera"


def test_the_time_is_italian_and_json_equals_check_json(draft_file, capsys):
    main(["review", str(draft_file), "--note", "R06", "x"])
    stored = load(draft_file).review.notes[0].time
    assert main(["review", str(draft_file)]) == 0
    heading = capsys.readouterr().out.splitlines()[2]
    assert heading == f"  1. R06 · ats1 · {stored:%d/%m/%Y %H:%M} · aperta"
    assert stored.tzinfo is not None
    assert main(["review", str(draft_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == review_of(draft_file, capsys)


def test_resolve_reopen_and_delete_by_the_numbers_as_listed(draft_file, capsys):
    main(["review", str(draft_file), "--note", "R06", "uno", "--note", "R08", "due", "--note", "R09", "tre"])
    assert main(["review", str(draft_file), "--resolve", "3", "--delete", "1", "--delete", "2"]) == 0
    notes = review_of(draft_file, capsys)["notes"]
    assert [(n["text"], n["resolved"]) for n in notes] == [("tre", True)]
    assert main(["review", str(draft_file), "--reopen", "1"]) == 0
    assert review_of(draft_file, capsys)["notes"][0]["resolved"] is False


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--state", "ok"], "stato «ok» non valido: atteso uno tra da-rivedere, da-correggere, approvata"),
        (["--note", "R07_2099", "x"], "cella «R07_2099» sconosciuta"),
        (["--note", "R06", "  "], "il testo della nota è vuoto"),
        (["--resolve", "1"], "nota 1 inesistente: la bozza non ha note"),
        (["--delete", "1", "--resolve", "1"], "la stessa nota è indicata più volte"),
        (["--resolve", "0"], "le note si contano da 1"),
        (["--delete", "due"], "«due» non è il numero di una nota"),
    ],
)
def test_a_bad_request_changes_nothing(draft_file, capsys, args, said):
    before = draft_file.read_bytes()
    try:
        status = main(["review", str(draft_file), *args])
    except SystemExit as exc:  # argparse's own refusal (a number that is no number)
        status = exc.code
    assert status == 2
    out, err = capsys.readouterr()
    assert said in err and out == ""
    assert draft_file.read_bytes() == before
    assert not Path(backup_path(draft_file)).exists()


def test_a_draft_open_in_the_tui_is_left_untouched(draft_file, capsys, monkeypatch):
    before = draft_file.read_bytes()
    other, lock_file = held_by_a_colleague(monkeypatch, draft_file)
    lock_before = Path(lock_file).read_bytes()
    assert main(["review", str(draft_file), "--state", "approvata"]) == 2
    out, err = capsys.readouterr()
    assert f"la bozza è aperta da {other.describe()}" in err and "collega" in err
    assert "non la modifico" in err and out == ""
    assert draft_file.read_bytes() == before and not Path(backup_path(draft_file)).exists()
    assert Path(lock_file).read_bytes() == lock_before
    # reading is no change: the list is shown while the draft is open elsewhere
    assert main(["review", str(draft_file)]) == 0
    assert capsys.readouterr().out.startswith("Verdetto: da rivedere")


def test_an_approval_given_headless_is_undone_by_a_later_change(draft_file, capsys):
    assert main(["review", str(draft_file), "--state", "approvata"]) == 0
    assert review_of(draft_file, capsys)["state"] == "approvata"
    draft = load(draft_file)
    draft.set("R08", None)
    from soc25_tui.core.drafts import save

    save(draft_file, draft)
    review = review_of(draft_file, capsys)
    assert review["state"] == "da-rivedere"
    # R08 as the example (and the printed form of Sondrio) has it, then empty
    assert review["notes"][-1]["text"] == "Modificata dopo l'approvazione:\nR08: 140.850,26 → vuota"


def test_an_unreadable_draft_is_status_2(tmp_path, capsys):
    bad = tmp_path / "rotta.toml"
    bad.write_text("comune = [", encoding="utf-8")
    assert main(["review", str(bad)]) == 2
    assert main(["review", str(bad), "--state", "approvata"]) == 2
    assert bad.read_text(encoding="utf-8") == "comune = ["
    assert main(["review", str(tmp_path / "manca.toml")]) == 2
    assert "il file non esiste" in capsys.readouterr().err


def test_the_help_names_the_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "soc25 review BOZZA.toml" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    out = capsys.readouterr().out
    assert "--resolve N" in out and "soc25 review sondrio.toml --note R07_2021" in out


def test_approving_a_draft_with_errors_warns_as_the_tui_does(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(rv, "who", lambda: "ats1")
    path = tmp_path / "vuota.toml"
    shutil.copy(EXAMPLES / "vuota.toml", path)
    capsys.readouterr()
    main(["check", str(path), "--json"])
    errors = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["severity"] == "errore"]
    assert len(errors) > 1
    assert main(["review", str(path), "--state", "approvata"]) == 0  # the reviewer decides
    err = capsys.readouterr().err
    assert f"attenzione: la bozza approvata ha {len(errors)} errori" in err
    assert review_of(path, capsys)["state"] == "approvata"
    # a draft without errors: no warning
    assert main(["review", str(tmp_path / "vuota.toml"), "--state", "da-rivedere"]) == 0
    assert "attenzione" not in capsys.readouterr().err
    sondrio = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", sondrio)
    assert main(["review", str(sondrio), "--state", "approvata"]) == 0
    assert "attenzione" not in capsys.readouterr().err


def test_import_force_keeps_the_review_and_a_changed_print_takes_the_approval_away(tmp_path, capsys, monkeypatch):
    from ..conftest import TORTONA, seed_text

    monkeypatch.setattr(rv, "who", lambda: "ats1")
    dst = tmp_path / "tortona.toml"
    assert main(["import", str(TORTONA), "-o", str(dst)]) == 0
    assert main(["review", str(dst), "--note", "R07_2021", "Verificata", "--state", "approvata"]) == 0
    # the same print again: nothing changed, the approval holds
    assert main(["import", str(TORTONA), "-o", str(dst), "--force"]) == 0
    review = review_of(dst, capsys)
    assert review["state"] == "approvata"
    assert [(n["cell"], n["text"]) for n in review["notes"]] == [("R07_2021", "Verificata")]
    # a print with R07 2021 at 60.000,00 instead of Tortona's 51.475,22
    other = tmp_path / "tortona-nuova.txt"
    other.write_text(seed_text(TORTONA).replace("34786,95 51475,22", "34786,95 60000,00", 1), encoding="utf-8")
    assert main(["import", str(other), "-o", str(dst), "--force"]) == 0
    assert "approvata" in capsys.readouterr().out  # the import says the approval is gone
    review = review_of(dst, capsys)
    assert review["state"] == "da-rivedere"
    assert [(n["cell"], n["text"]) for n in review["notes"]] == [
        ("R07_2021", "Verificata"),
        (None, "Modificata dopo l'approvazione:\nR07_2021: 51.475,22 → 60.000,00"),
    ]


def test_the_message_names_the_backup_where_it_is(draft_file, tmp_path, capsys):
    """A draft reached by a link: the .bak is beside the real file, and the message says so."""
    link = tmp_path / "collegamento.toml"
    link.symlink_to(draft_file)
    assert main(["review", str(link), "--note", "bozza", "Vista"]) == 0
    err = capsys.readouterr().err
    assert f"versione precedente in {backup_path(draft_file)})" in err
    assert Path(backup_path(draft_file)).exists() and not Path(f"{link}.bak").exists()


def test_import_force_over_a_draft_that_does_not_read_says_its_review_is_in_the_bak(tmp_path, capsys):
    from ..conftest import TORTONA

    dst = tmp_path / "tortona.toml"
    broken = '[revisione]\nstato = "approvata"\ncolore = "rosso"\n'  # a key [revisione] does not have
    dst.write_text(broken, encoding="utf-8")
    assert main(["import", str(TORTONA), "-o", str(dst), "--force"]) == 0
    assert "restano solo nella copia .bak" in capsys.readouterr().out
    assert Path(backup_path(dst)).read_text(encoding="utf-8") == broken
    assert main(["import", str(TORTONA), "-o", str(tmp_path / "nuova.toml"), "--force"]) == 0
    assert "copia .bak" not in capsys.readouterr().out  # nothing was there
