"""`soc25 diff A.toml B.toml [--json]`: text, JSON and exit statuses (0 equal, 1 different,
2 a file that cannot be read or bad arguments), never a traceback."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from soc25_tui.cli import main
from soc25_tui.core import messages
from soc25_tui.core.drafts import dumps, load

from ..conftest import EXAMPLES

TORTONA = EXAMPLES / "tortona.toml"


def changed_copy(tmp_path, name="dopo.toml", **cells):
    draft = load(TORTONA)
    for cell, value in cells.items():
        draft.set(cell, value)
    path = tmp_path / name
    path.write_text(dumps(draft), encoding="utf-8")
    return path


def check_json(path, capsys):
    main(["check", "--json", str(path)])
    return json.loads(capsys.readouterr().out)


def test_text_grouped_in_italian_and_status_one(tmp_path, capsys):
    after = changed_copy(tmp_path, R07_2021=Decimal("60000.00"))
    assert main(["diff", str(TORTONA), str(after)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"Confronto: {TORTONA} → {after}"
    assert ("Caso: D (spesa inferiore al fabbisogno, servizi inferiori al riferimento) → "
            "B (spesa non inferiore al fabbisogno, servizi inferiori al riferimento)") in lines
    assert ("Quadro 3: da compilare (R09 = 2.420,47 euro, non inferiore a 1.000 euro) → "
            "da non compilare (spesa non inferiore al fabbisogno)") in lines
    assert "Celle diverse: 2 (1 inserita, 1 calcolata)" in lines
    assert "  R07_2021: 51.475,22 → 60.000,00" in lines
    assert "  R09 (calcolata): 2.420,47 → 0,00" in lines
    assert "Messaggi del portale comparsi: 2" in lines and "Messaggi del portale scomparsi: 3" in lines
    assert f"  + [Quadro 2] {messages.text('q2_caso_B')}" in lines
    assert f"  - [Quadro 2] {messages.text('q2_caso_D')}" in lines
    assert "  + avviso  R23: voce senza risposta: indicare SI o NO." in lines


def test_identical_files_and_the_same_file_twice_are_status_zero(tmp_path, capsys):
    copy = tmp_path / "copia.toml"
    # Comments and blank lines are not compared: only what the draft holds.
    copy.write_text("# una copia con un commento in più\n\n" + TORTONA.read_text(encoding="utf-8"), encoding="utf-8")
    for a, b in ((TORTONA, copy), (TORTONA, TORTONA)):
        assert main(["diff", str(a), str(b)]) == 0
        out, err = capsys.readouterr()
        assert out.splitlines()[1] == "Nessuna differenza: le celle e la revisione sono le stesse."
        assert err == ""
        assert main(["diff", "--json", str(a), str(b)]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["equal"] is True and data["cells"] == [] and data["case"] is None


def test_json_values_are_those_of_check_json(tmp_path, capsys):
    after = changed_copy(tmp_path, M12_2024=5, R07_2021=Decimal("60000.00"))
    after_text = after.read_text(encoding="utf-8").replace("M15_2024 = 5", 'M15_2024 = "tanti"')
    after.write_text(after_text, encoding="utf-8")
    assert main(["diff", str(TORTONA), str(after), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    a, b = check_json(TORTONA, capsys), check_json(after, capsys)
    assert data["a"] == str(TORTONA) and data["b"] == str(after) and data["equal"] is False
    names = [c["cell"] for c in data["cells"]]
    assert names == ["M12_2024", "M12_media", "M15_2024", "M15_media", "R0B_2024", "R04", "R07_2021", "R09"]
    for cell in data["cells"]:
        assert cell["before"] == a["cells"][cell["cell"]] and cell["after"] == b["cells"][cell["cell"]]
    # The figures as Tortona's printed form has them, and as they become.
    by = {c["cell"]: c for c in data["cells"]}
    assert (by["M12_2024"]["before"], by["M12_2024"]["after"]) == (13, 5)
    assert (by["R04"]["before_text"], by["R04"]["after_text"]) == ("2,50%", "1,34%")  # 15 / 1.120
    assert (by["M15_2024"]["after"], by["M15_2024"]["after_invalid"]) == (None, "tanti")
    assert by["M15_2024"]["after_text"] == "il valore non valido «tanti»"
    assert data["case"] == {"before": a["case"], "after": b["case"]} == {"before": "D", "after": "B"}
    assert data["quadro3_required"] == {"before": True, "after": False}
    assert [m for m in b["messages"] if m not in a["messages"]] == data["messages"]["added"]
    assert [m for m in a["messages"] if m not in b["messages"]] == data["messages"]["removed"]
    assert [p for p in b["problems"] if p not in a["problems"]] == data["problems"]["added"]
    assert data["problems"]["removed"] == []


def test_review_changes_in_text_and_json(tmp_path, capsys):
    after = changed_copy(tmp_path)
    after.write_text(after.read_text(encoding="utf-8") + (
        '\n[revisione]\nstato = "da-correggere"\n\n[[revisione.note]]\ncella = "R07_2021"\n'
        'testo = "Manca la spesa del 2021"\nautore = "mrossi"\nquando = 2026-12-02T10:15:00+01:00\n'
        "risolta = false\n"), encoding="utf-8")
    assert main(["diff", str(TORTONA), str(after)]) == 1
    out = capsys.readouterr().out
    assert "Revisione:\n  verdetto: da rivedere → da correggere\n" in out
    assert "  + nota aggiunta su R07_2021, di mrossi, 02/12/2026 10:15: «Manca la spesa del 2021»" in out
    assert "Celle diverse" not in out
    assert main(["diff", "--json", str(after), str(TORTONA)]) == 1
    review = json.loads(capsys.readouterr().out)["review"]
    assert review["state"] == {"before": "da-correggere", "after": "da-rivedere"}
    assert review["notes"]["removed"] == [{"cell": "R07_2021", "text": "Manca la spesa del 2021",
                                           "author": "mrossi", "time": "2026-12-02T10:15:00+01:00",
                                           "resolved": False}]


def test_a_file_that_cannot_be_read_is_status_two_named_in_italian(tmp_path, capsys):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1\n", encoding="utf-8")
    missing = tmp_path / "manca.toml"
    assert main(["diff", str(TORTONA), str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"soc25: {missing}: il file non esiste.\n"
    assert main(["diff", str(broken), str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}" in err and "riga 1" in err and f"{missing}: il file non esiste." in err
    assert "Traceback" not in err
    assert main(["diff", "--json", str(broken), str(TORTONA)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["equal"] is None and [e["draft"] for e in data["errors"]] == [str(broken)]
    assert "riga 1" in data["errors"][0]["error"]
    assert main(["diff", str(tmp_path), str(TORTONA)]) == 2  # a folder
    assert "cartella" in capsys.readouterr().err


def test_bad_arguments_are_status_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(TORTONA)])
    assert exc.value.code == 2
    assert "argomenti obbligatori mancanti" in capsys.readouterr().err


def test_text_from_the_drafts_is_shown_not_obeyed(tmp_path, capsys):
    after = changed_copy(tmp_path, comune="\x1b]0;preso\x07X")
    odd = tmp_path / "nome\x1b[2J.toml"
    shutil.copy(after, odd)
    assert main(["diff", str(TORTONA), str(odd)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "  comune: vuota → ␛]0;preso␇X" in out and "nome␛[2J.toml" in out
    assert main(["diff", "--json", str(TORTONA), str(odd)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert json.loads(out)["cells"][0]["after"] == "\x1b]0;preso\x07X"


def test_help_names_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["diff", "-h"])
    assert "0 bozze uguali, 1 bozze diverse, 2 file illeggibile" in capsys.readouterr().out
