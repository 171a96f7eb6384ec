import json
import subprocess
import sys
from pathlib import Path

import pytest

from soc25_tui.cli import main
from soc25_tui.core.drafts import dumps

from ..conftest import LOMELLINA, SONDRIO, TORTONA, held_by_a_colleague
from ..factories import make

PY = sys.executable


def run(*args, cwd=None):
    return subprocess.run([PY, "-m", "soc25_tui.cli", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_check_text_and_exit_zero(examples_dir, capsys):
    assert main(["check", str(examples_dir / "sondrio.toml")]) == 0
    out = capsys.readouterr().out
    assert "Caso A" in out and "Comune SONDRIO (SO)" in out and "[Quadro 2]" in out
    assert "1 assistente ogni : 1331" in out and "33,63%" in out


def test_exit_one_when_a_draft_has_errors(tmp_path, examples_dir, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(dumps(make(R03=None)), encoding="utf-8")
    assert main(["check", str(examples_dir / "sondrio.toml"), str(bad)]) == 1
    assert "R03: manca il numero di abitanti" in capsys.readouterr().out


def test_exit_two_for_unreadable_files_and_bad_arguments(tmp_path, capsys):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1\n", encoding="utf-8")
    assert main(["check", str(broken)]) == 2
    assert "riga 1" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "manca.toml")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "errore negli argomenti" in capsys.readouterr().err


def test_json_one_draft(examples_dir, capsys):
    assert main(["check", "--json", str(examples_dir / "tortona.toml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case"] == "D" and data["quadro3_required"] is True
    assert data["quadro4_block"] == ["R34", "R35", "R36", "R37", "R38", "R39"]
    cells = data["cells"]
    assert cells["R09"] == 2420.47 and cells["R06"] == 53895.69 and cells["M12_2019"] == 15
    assert cells["R0B_2024"] == 28 and cells["R01B"] == 0 and cells["R04"] == 2.5
    assert cells["R39"] == "SI" and cells["comune"] is None and cells["R10_modalita"] is None
    # 3 header + 12x4 + 9x2 user cells + R0B x2 + 3 ATS + 9 staff/population + 4 spending
    # + 11 Quadro 3 + 24 Quadro 4 items + R40
    assert len(cells) == 3 + 48 + 18 + 2 + 3 + 9 + 4 + 11 + 24 + 1
    assert [m["quadro"] for m in data["messages"]] == [1, 1, 1, 1, 2, 2, 3, 3]
    assert {m["kind"] for m in data["messages"]} == {"verbatim"}
    assert {"severity": "avviso", "cell": "comune", "text": "manca il nome del Comune."} in data["problems"]


def test_json_many_drafts_is_a_list(examples_dir, capsys):
    paths = [str(p) for p in sorted(examples_dir.glob("*.toml"))]
    assert main(["check", "--json", *paths]) == 1  # the blank draft has errors
    data = json.loads(capsys.readouterr().out)
    assert [d["draft"] for d in data] == paths
    blank = data[-1]
    # Nothing to tell from a blank draft: quadro3_required is null (not yet known), not false.
    assert blank["case"] is None and blank["quadro3_required"] is None and blank["quadro4_block"] == []


def test_json_names_the_drafts_that_cannot_be_read_in_their_place(tmp_path, examples_dir, capsys):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1\n", encoding="utf-8")
    missing = tmp_path / "manca.toml"
    sondrio, tortona = str(examples_dir / "sondrio.toml"), str(examples_dir / "tortona.toml")
    paths = [sondrio, str(broken), tortona, str(missing)]
    assert main(["check", "--json", *paths]) == 2
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [d["draft"] for d in data] == paths
    assert data[0]["case"] == "A" and data[2]["case"] == "D" and "error" not in data[0]
    assert set(data[1]) == {"draft", "error"} and set(data[3]) == {"draft", "error"}
    assert data[1]["error"].startswith(f"{broken}: non è un file TOML valido (riga 1, colonna 9): ")
    assert data[3]["error"] == f"{missing}: il file non esiste."
    assert data[1]["error"] in captured.err and data[3]["error"] in captured.err  # and for people


def test_json_one_draft_that_cannot_be_read_is_the_error_object(tmp_path, capsys):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1]\nR03 = tremila\n", encoding="utf-8")
    assert main(["check", "--json", str(broken)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "draft": str(broken),
        "error": f"{broken}: non è un file TOML valido (riga 2, colonna 7): valore non valido: un testo "
                 "va tra virgolette (\"Sondrio\"), un numero con il punto per i decimali (1984440.83). "
                 "Il file non è stato modificato.",
    }


def test_text_output_keeps_unreadable_drafts_on_stderr(tmp_path, examples_dir, capsys):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1\n", encoding="utf-8")
    assert main(["check", str(broken), str(examples_dir / "sondrio.toml")]) == 2
    captured = capsys.readouterr()
    assert "non è un file TOML valido" in captured.err and "non è un file TOML valido" not in captured.out
    assert "Caso A" in captured.out


@pytest.mark.parametrize("options", [[], ["--json"]], ids=["text", "json"])
def test_check_does_not_import_textual(examples_dir, options):
    """Nor any other library it does not need: Rich, pydantic (validation), tomlkit and
    tomli_w (saving), argparse (plain arguments are read without it: its help machinery
    costs a tenth of check's start)."""
    drafts = [str(examples_dir / "sondrio.toml"), str(examples_dir / "vuota.toml")]
    code = (
        "import sys, io; from soc25_tui.cli import main; sys.stdout = io.StringIO(); "
        f"rc = main(['check', *{options!r}, *{drafts!r}]); sys.stdout = sys.__stdout__; "
        "print(rc, sorted(m for m in ('textual', 'rich', 'pydantic', 'tomlkit', 'tomli_w', 'argparse', 'pdfminer') "
        "if m in sys.modules))"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "[]"]  # the blank draft has errors


def test_import_writes_a_draft_and_refuses_to_overwrite(tmp_path):
    dst = tmp_path / "t.toml"
    r = run("import", str(TORTONA), "-o", str(dst), "--comune", "Paese", "--provincia", "al")
    assert r.returncode == 0, r.stderr
    first = dst.read_bytes()
    assert 'comune = "Paese"' in first.decode() and 'provincia = "AL"' in first.decode()
    r = run("import", str(TORTONA), "-o", str(dst))
    assert r.returncode == 2 and "esiste già" in r.stderr and "--force" in r.stderr
    assert dst.read_bytes() == first
    r = run("import", str(TORTONA), "-o", str(dst), "--force")
    assert r.returncode == 0 and dst.with_name("t.toml.bak").read_bytes() == first


def test_import_of_something_else_fails_cleanly(tmp_path):
    src = tmp_path / "lettera.txt"
    src.write_text("Gentile Sindaco,\nin allegato la fattura.\n", encoding="utf-8")
    r = run("import", str(src), "-o", str(tmp_path / "x.toml"))
    assert r.returncode == 2 and "non sembra una scheda SOC25" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.toml").exists()


def test_import_tells_printed_and_recomputed_figures_in_italian(tmp_path, capsys):
    text = TORTONA.read_text(encoding="utf-8")
    for old, new in (("\n15 13 845 65,00\n", "\n15 13 845 64,00\n"), ("\n21 28\n", "\n21 1029\n"),
                     ("\n2,50\n", "\n3,75\n")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    src = tmp_path / "stampa.txt"
    src.write_text(text, encoding="utf-8")
    assert main(["import", str(src), "-o", str(tmp_path / "t.toml")]) == 0
    out = capsys.readouterr().out
    warnings = [line.strip() for line in out.splitlines() if "attenzione:" in line]
    assert warnings == [
        "attenzione: M12_media stampato 64,00, ricalcolato 65,00",
        "attenzione: R0B_2024 stampato 1.029, ricalcolato 28",  # a count: no ",00"
        "attenzione: R04 stampato 3,75, ricalcolato 2,50",  # not "3.75"
    ]



@pytest.mark.parametrize("seed", [SONDRIO, LOMELLINA, TORTONA], ids=["sondrio", "lomellina", "tortona"])
def test_import_does_not_import_pydantic(tmp_path, seed):
    """pydantic's import costs about as much as the rest of `soc25 import`: the printed
    values are typed by the loader's own `coerce`, the header options too."""
    dst = tmp_path / "t.toml"
    code = (
        "import sys; from soc25_tui.cli import main; "
        f"rc = main(['import', {str(seed)!r}, '-o', {str(dst)!r}, '--comune', 'Paese', '--provincia', 'al', "
        "'--istat', '006174']); "
        "print(rc, 'PYDANTIC' if 'pydantic' in sys.modules else 'NO-PYDANTIC')"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "0 NO-PYDANTIC", out
    from soc25_tui.core.drafts import load

    draft = load(dst)
    assert (draft.comune, draft.provincia, draft.istat) == ("Paese", "AL", "006174")


@pytest.mark.parametrize("seed", [SONDRIO, LOMELLINA, TORTONA], ids=["sondrio", "lomellina", "tortona"])
def test_imported_values_have_the_types_pydantic_would_give(seed):
    """Typing without pydantic changes nothing: each imported value is what validating it
    with pydantic (Draft(**cells)) gives, of the same type (12, not Decimal("12"))."""
    from soc25_tui.core.importer import parse_printed
    from soc25_tui.core.model import Draft

    draft = parse_printed(seed.read_text(encoding="utf-8")).draft
    validated = Draft(**draft.inputs())
    got = {name: (type(v), v) for name, v in draft.inputs().items()}
    assert got == {name: (type(v), v) for name, v in validated.inputs().items()}
    assert draft.invalid == {}


def test_import_force_refuses_a_draft_open_in_the_tui(tmp_path, monkeypatch, capsys):
    dst = tmp_path / "t.toml"
    assert main(["import", str(TORTONA), "-o", str(dst)]) == 0
    before = dst.read_bytes()
    other, lock_file = held_by_a_colleague(monkeypatch, dst)
    capsys.readouterr()

    assert main(["import", str(TORTONA), "-o", str(dst), "--force", "--comune", "Altro"]) == 2
    err = capsys.readouterr().err
    assert f"la bozza è aperta da {other.describe()}" in err and lock_file in err
    assert dst.read_bytes() == before
    assert not dst.with_name("t.toml.bak").exists()
    from soc25_tui.core import session

    assert session.read_holder(dst) == other


def test_import_refuses_a_new_draft_being_created_in_the_tui(tmp_path, monkeypatch, capsys):
    dst = tmp_path / "nuova.toml"  # the TUI holds it, not saved yet
    _other, lock_file = held_by_a_colleague(monkeypatch, dst)
    assert main(["import", str(TORTONA), "-o", str(dst)]) == 2
    assert lock_file in capsys.readouterr().err
    assert not dst.exists()


def test_import_releases_its_lock(tmp_path):
    from soc25_tui.core import session

    dst = tmp_path / "t.toml"
    assert main(["import", str(TORTONA), "-o", str(dst)]) == 0
    assert not Path(session.lock_path(dst)).exists()


def test_help_of_the_tui_names_the_other_commands():
    r = run("--help")
    assert r.returncode == 0
    for command in ("check", "import", "summary", "r40"):
        assert f"soc25 {command} " in r.stdout
    assert r.stdout.startswith("uso: soc25 ")
