"""`soc25 import TABELLA.xlsx|TABELLA.csv [--write]`: a folder exported by `soc25 export`, cells
changed in the XLSX with openpyxl and in the CSV with the csv module, imported back. Every
cell of every draft is compared before and after by reading the drafts back: exactly the cells
changed in the table change, in exactly those drafts; the others stay byte for byte."""

from __future__ import annotations

import csv
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from soc25_tui.cli import main
from soc25_tui.core.drafts import dumps, load
from soc25_tui.core.layout import NON_CALCOLABILE
from soc25_tui.core.review import EMPTY, Note, Review

from ..conftest import EXAMPLES, held_by_a_colleague
from ..factories import make, make_case
from .test_export import CONTROLS, HYPERLINK, WHEN


def _write(path: Path, draft) -> None:
    path.write_text(dumps(draft), encoding="utf-8")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """Examples, factory drafts, a value kept unreadable, an approved draft, a reviewed one and
    hostile texts, in one folder (the current directory)."""
    here = tmp_path / "bozze"
    here.mkdir()
    for name in ("lomellina", "sondrio", "tortona", "vuota"):
        shutil.copy(EXAMPLES / f"{name}.toml", here / f"{name}.toml")
    _write(here / "alfa.toml", make(comune="ALFA", istat="014061"))
    _write(here / "beta.toml", make_case("C", comune="BETA", istat="018001"))
    (here / "non_valida.toml").write_text(
        dumps(make(comune="NON VALIDA")).replace("R03 = 1000", 'R03 = "molti"'), encoding="utf-8")
    _write(here / "approvata.toml", make(comune="GAMMA", provincia="SO"))
    approved = load(here / "approvata.toml")  # approved as read back: its cells as the file has them
    approved.review = EMPTY.with_state("approvata", approved)
    _write(here / "approvata.toml", approved)
    assert load(here / "approvata.toml").review.state == "approvata"
    reviewed = make(comune="RIVISTA", provincia="PV")
    reviewed.review = Review("da-correggere", (Note("R06", "Il fabbisogno", "mrossi", WHEN, False),))
    _write(here / "rivista.toml", reviewed)
    _write(here / "ostile.toml", make(
        comune=HYPERLINK, provincia="+39", R0C="@SUM(1+1)*cmd|' /C calc'!A0", M12_2019=-5,
        R40="-2+3 righe\nseconda riga\tcon tab", R10_modalita="\tTabulata"))
    _write(here / "controlli.toml", make(comune=CONTROLS, R40="a\x00b\x7fc\uffffd", R0E=NON_CALCOLABILE))
    monkeypatch.chdir(here)
    return here


def _drafts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.toml"))


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith((".xlsx", ".csv"))}


def _state(path: Path) -> dict:
    """Every input cell of the draft as read back, the values kept unreadable, the verdict."""
    draft = load(path)
    return {"cells": draft.inputs(), "invalid": dict(draft.invalid), "state": draft.review.state}


def _export(folder: Path, out: str, capsys) -> None:
    assert main(["export", *_drafts(folder), "-o", out, "--jobs", "1"]) == 0
    capsys.readouterr()


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *args, "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _set_xlsx(path: str, out: str, changes: dict[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """Change cells (draft file, column name) -> value in the sheet «Bozze»; returns where
    each one is, as openpyxl names it («L5»)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Bozze"]
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    where = {}
    for (draft, name), value in changes.items():
        cell = ws.cell(rows[draft], header.index(name) + 1)
        cell.value = value
        where[(draft, name)] = cell.coordinate
    wb.save(out)
    return where


def _read_csv(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _write_csv(path: str, rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ";") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    Path(path).write_bytes(out.getvalue().encode(encoding))


def _set_csv(rows: list[list[str]], changes: dict[tuple[str, str], str]) -> None:
    header = rows[0]
    index = {row[0]: row for row in rows[1:]}
    for (draft, name), value in changes.items():
        index[draft][header.index(name)] = value


def _expect(before: dict[str, dict], changed: dict[tuple[str, str], object]) -> dict[str, dict]:
    """The drafts' states after the import: `before` with exactly `changed` put in."""
    after = {name: {"cells": dict(s["cells"]), "invalid": dict(s["invalid"]), "state": s["state"]}
             for name, s in before.items()}
    for (draft, cell), value in changed.items():
        after[draft]["cells"][cell] = value
        after[draft]["invalid"].pop(cell, None)
    return after


# What the tests change, and what each change is once typed (read independently: the form's
# types, Italian numbers with the thousands dot and the decimal comma).
XLSX_CHANGES = {
    ("alfa.toml", "R03"): 2000,
    ("alfa.toml", "M12_2019"): "1.234",
    ("beta.toml", "R07_2017"): 60000.5,
    ("beta.toml", "comune"): "Beta Nuova",
    ("tortona.toml", "R40"): "-",
    ("sondrio.toml", "R0E"): "NON CALCOLABILE",
    ("non_valida.toml", "R03"): "2.500",
    ("sondrio.toml", "R10_modalita"): "Quota parte",
}
TYPED = {
    ("alfa.toml", "R03"): 2000,
    ("alfa.toml", "M12_2019"): 1234,
    ("beta.toml", "R07_2017"): Decimal("60000.50"),
    ("beta.toml", "comune"): "Beta Nuova",
    ("tortona.toml", "R40"): None,
    ("sondrio.toml", "R0E"): NON_CALCOLABILE,
    ("non_valida.toml", "R03"): 2500,
    ("sondrio.toml", "R10_modalita"): "Quota parte",
}


def test_an_exported_table_imported_back_unchanged_changes_nothing(folder, capsys):
    before = _bytes(folder)
    for table in ("tabella.xlsx", "tabella.csv"):
        _export(folder, table, capsys)
        code, out, err = _run(capsys, table, "--write")
        assert code == 0, err
        assert out == ""
        assert f"{len(_drafts(folder))} senza differenze" in err
        assert _bytes(folder) == before  # hostile texts, control characters, NON CALCOLABILE, -5 included


def test_xlsx_round_trip_changes_exactly_the_cells_changed(folder, capsys):
    _export(folder, "tabella.xlsx", capsys)
    states = {name: _state(folder / name) for name in _drafts(folder)}
    before = _bytes(folder)
    _set_xlsx("tabella.xlsx", "cambiata.xlsx", XLSX_CHANGES)

    code, out, err = _run(capsys, "cambiata.xlsx")
    assert code == 1, err  # changes pending, nothing written
    assert _bytes(folder) == before
    assert "aggiungere --write" in err.splitlines()[-1]
    assert "alfa.toml (riga" in out and "R03: 1.000 → 2.000" in out and "M12_2019: 10 → 1.234" in out
    assert "R07_2017: 50.000,00 → 60.000,50" in out
    assert "R40: un testo di" in out and "→ vuota" in out
    assert "R03: il valore non valido «molti» → 2.500" in out

    code, out, err = _run(capsys, "cambiata.xlsx", "--write")
    assert code == 0, err
    after = {name: _state(folder / name) for name in _drafts(folder)}
    expected = _expect(states, TYPED)
    touched = {draft for draft, _ in TYPED}
    for name in _drafts(folder):
        assert after[name] == expected[name], name
        if name not in touched:
            assert (folder / name).read_bytes() == before[name], name
            assert not (folder / f"{name}.bak").exists()
        else:
            assert (folder / f"{name}.bak").read_bytes() == before[name]
    # Imported again: nothing left to change.
    assert _run(capsys, "cambiata.xlsx")[0] == 0


def test_csv_round_trip_changes_exactly_the_cells_changed(folder, capsys):
    _export(folder, "tabella.csv", capsys)
    states = {name: _state(folder / name) for name in _drafts(folder)}
    before = _bytes(folder)
    rows = _read_csv("tabella.csv")
    changes = {
        ("alfa.toml", "R03"): "2000",
        ("beta.toml", "R07_2017"): "60000,5",
        ("beta.toml", "R06"): "1.234.567,89",  # as an Italian spreadsheet saves it, grouped
        ("tortona.toml", "R40"): "-",
        ("rivista.toml", "R39"): "si",
        ("rivista.toml", "comune"): "'=1+1",  # the export's escape of a text: the text is «=1+1»
    }
    typed = {
        ("alfa.toml", "R03"): 2000,
        ("beta.toml", "R07_2017"): Decimal("60000.50"),
        ("beta.toml", "R06"): Decimal("1234567.89"),
        ("tortona.toml", "R40"): None,
        ("rivista.toml", "R39"): "SI",
        ("rivista.toml", "comune"): "=1+1",
    }
    _set_csv(rows, changes)
    _write_csv("cambiata.csv", rows)

    code, out, err = _run(capsys, "cambiata.csv")
    assert code == 1 and _bytes(folder) == before
    assert "R06: 100.000,00 → 1.234.567,89" in out

    code, out, err = _run(capsys, "cambiata.csv", "--write")
    assert code == 0, err
    expected = _expect(states, typed)
    for name in _drafts(folder):
        assert _state(folder / name) == expected[name], name
        if name not in {d for d, _ in typed}:
            assert (folder / name).read_bytes() == before[name], name


def test_a_bad_value_leaves_its_draft_untouched_and_names_row_and_column(folder, capsys):
    _export(folder, "tabella.xlsx", capsys)
    before = _bytes(folder)
    where = _set_xlsx("tabella.xlsx", "cambiata.xlsx", {
        ("alfa.toml", "R03"): 2000,  # in the same row as the bad value: not written either
        ("alfa.toml", "R06"): "12,345",  # three decimals where two are allowed
        ("beta.toml", "R03"): 3000,
    })
    code, out, err = _run(capsys, "cambiata.xlsx", "--write")
    assert code == 2
    assert (folder / "alfa.toml").read_bytes() == before["alfa.toml"]
    assert load(folder / "beta.toml").R03 == 3000
    coordinate = where[("alfa.toml", "R06")]  # «X3»: the letters and the row openpyxl names
    letters, row = coordinate.rstrip("0123456789"), coordinate.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    line = next(line for line in err.splitlines() if "12,345" in line)
    assert f"riga {row}, colonna {letters} «R06»" in line
    assert "al massimo 2 decimali" in line
    assert "alfa.toml" not in out


def test_a_formula_is_refused_for_its_cell(folder, capsys):
    _export(folder, "tabella.xlsx", capsys)
    before = _bytes(folder)
    where = _set_xlsx("tabella.xlsx", "cambiata.xlsx", {("alfa.toml", "R03"): "=2*1000"})
    code, _, err = _run(capsys, "cambiata.xlsx", "--write")
    assert code == 2
    assert _bytes(folder) == before
    row = where[("alfa.toml", "R03")].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert f"riga {row}, colonna" in err and "formula" in err and "=2*1000" in err


def test_a_new_draft_is_created_from_an_istat_row(folder, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["istat", "comune", "provincia", "R03", "R06"])
    ws.append(["017179", "Sant'Angelo à Lomellina", "PV", 8800, 123456.78])
    wb.save("ufficiali.xlsx")
    before = _bytes(folder)
    code, out, err = _run(capsys, "ufficiali.xlsx")
    assert code == 1 and _bytes(folder) == before
    assert "017179-sant-angelo-a-lomellina.toml (riga 2): da creare" in out
    code, out, err = _run(capsys, "ufficiali.xlsx", "--write")
    assert code == 0, err
    created = load(folder / "017179-sant-angelo-a-lomellina.toml")
    assert (created.istat, created.comune, created.provincia) == ("017179", "Sant'Angelo à Lomellina", "PV")
    assert created.R03 == 8800 and created.R06 == Decimal("123456.78")
    assert sum(v is not None for v in created.inputs().values()) == 5
    # The others are as they were; again, the row finds the new draft by its code.
    assert all(_bytes(folder)[k] == v for k, v in before.items())
    assert _run(capsys, "ufficiali.xlsx")[0] == 0


def test_a_row_finds_its_draft_by_istat_even_as_a_number(folder, capsys):
    before = _bytes(folder)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["istat", "R03"])
    ws.append([18001, 4321])  # «018001» read by a spreadsheet as a number
    ws.append(["099999", 10])  # no such draft, and no Comune to create one with
    wb.save("ufficiali.xlsx")
    code, out, err = _run(capsys, "ufficiali.xlsx", "--write")
    assert code == 2
    assert "riga 3: nessuna bozza corrisponde e per crearne una servono Comune e provincia" in err
    assert not list(folder.glob("099999*"))
    assert "beta.toml (riga 2, trovata dal codice ISTAT)" in out
    assert load(folder / "beta.toml").R03 == 4321
    assert load(folder / "beta.toml").istat == "018001"
    assert {k: v for k, v in _bytes(folder).items() if not k.startswith("beta")} == \
        {k: v for k, v in before.items() if not k.startswith("beta")}  # nothing created either


def test_paths_leaving_the_folder_or_through_links_are_refused(folder, tmp_path, capsys):
    outside = tmp_path / "fuori.toml"
    _write(outside, make(comune="FUORI"))
    os.symlink(outside, folder / "collegamento.toml")
    os.symlink(tmp_path, folder / "su")
    outside_bytes = outside.read_bytes()
    rows = [["draft", "R03"], ["../fuori.toml", "7"], [str(outside), "7"], ["collegamento.toml", "7"],
            ["su/fuori.toml", "7"], ["../nuova.toml", "7"], [".nascosta.toml", "7"], ["alfa.toml.bak", "7"]]
    _write_csv("tabella.csv", rows)
    before = _bytes(folder)
    code, out, err = _run(capsys, "tabella.csv", "--write")
    assert code == 2
    assert outside.read_bytes() == outside_bytes and not (tmp_path / "nuova.toml").exists()
    assert _bytes(folder) == before
    for row in range(2, 9):
        assert f"riga {row}:" in err
    assert "collegamento simbolico" in err and "esce dalla cartella" in err and "percorso assoluto" in err
    assert out == ""


def test_a_draft_open_elsewhere_is_left_alone_and_the_others_go(folder, monkeypatch, capsys):
    _export(folder, "tabella.xlsx", capsys)
    _set_xlsx("tabella.xlsx", "cambiata.xlsx", {("alfa.toml", "R03"): 2000, ("beta.toml", "R03"): 3000})
    before = (folder / "alfa.toml").read_bytes()
    held_by_a_colleague(monkeypatch, str(folder / "alfa.toml"))
    code, _, err = _run(capsys, "cambiata.xlsx", "--write")
    assert code == 2
    assert "è aperta da" in err and "collega" in err
    assert (folder / "alfa.toml").read_bytes() == before
    assert load(folder / "beta.toml").R03 == 3000


def test_an_approved_draft_changed_goes_back_to_review(folder, capsys):
    _export(folder, "tabella.csv", capsys)
    rows = _read_csv("tabella.csv")
    _set_csv(rows, {("approvata.toml", "R03"): "1500"})
    _write_csv("cambiata.csv", rows)
    code, out, err = _run(capsys, "cambiata.csv")
    assert "verdetto: approvata → da rivedere" in out  # the preview says it, as the save does it
    code, out, err = _run(capsys, "cambiata.csv", "--write")
    assert code == 0, err
    review = load(folder / "approvata.toml").review
    assert review.state == "da-rivedere"
    assert "R03: 1.000 → 1.500" in review.notes[-1].text


def test_a_csv_saved_by_excel_in_windows_1252_with_commas(folder, capsys):
    rows = [["draft", "comune", "R06", "R03"], ["alfa.toml", "Città di Prova", "1234.5", "1200"]]
    _write_csv("excel.csv", rows, encoding="cp1252", delimiter=",")
    code, _, err = _run(capsys, "excel.csv", "--write")
    assert code == 0, err
    draft = load(folder / "alfa.toml")
    assert draft.comune == "Città di Prova" and draft.R06 == Decimal("1234.50") and draft.R03 == 1200
    assert "Windows-1252" in err
    # With «,» between fields a «1.234» in a figure with decimals is asked, not guessed.
    _write_csv("ambiguo.csv", [["draft", "R06"], ["beta.toml", "1.234"]], delimiter=",")
    before = (folder / "beta.toml").read_bytes()
    code, _, err = _run(capsys, "ambiguo.csv", "--write")
    assert code == 2 and "ambiguo" in err and (folder / "beta.toml").read_bytes() == before


def test_hostile_cells(folder, capsys):
    huge = "x" * 10_000_000
    rows = [["draft", "comune", "R0C", "R03", "R40", "R06", huge],
            ["alfa.toml", "Borgo\x1b]0;titolo\x07", "=cmd|' /C calc'!A0", "", "", "", ""],
            ["beta.toml", "", "", "=cmd|' /C calc'!A0", "", "", ""],
            ["sondrio.toml", "", "", "", huge, "", ""],
            ["lomellina.toml", "", "", "", "", huge, ""]]
    _write_csv("ostile.csv", rows)
    before = _bytes(folder)
    code, out, err = _run(capsys, "ostile.csv", "--write")
    assert code == 2
    # Texts are data: kept as they are, shown (never obeyed) on the terminal.
    draft = load(folder / "alfa.toml")
    assert draft.comune == "Borgo\x1b]0;titolo\x07" and draft.R0C == "=cmd|' /C calc'!A0"
    assert "\x1b" not in out + err and "\x07" not in out + err and "Borgo␛]0;titolo␇" in out
    # A formula where a figure goes, a text of 10 MB: refused, their drafts untouched.
    for name in ("beta.toml", "sondrio.toml", "lomellina.toml"):
        assert (folder / name).read_bytes() == before[name]
    assert "riga 3, colonna D «R03»" in err and "troppo lungo" in err
    assert "riga 5, colonna F «R06»" in err
    assert max(len(line) for line in err.splitlines()) < 600  # the huge values are quoted shortened
    assert "colonne che non sono di soc25 export" in err


def test_two_rows_for_one_draft_refuse_both(folder, capsys):
    _write_csv("doppia.csv", [["draft", "istat", "R03"], ["alfa.toml", "", "5"], ["", "014061", "6"],
                              ["beta.toml", "", "7"]])
    before = (folder / "alfa.toml").read_bytes()
    code, _, err = _run(capsys, "doppia.csv", "--write")
    assert code == 2
    assert (folder / "alfa.toml").read_bytes() == before
    assert "le righe 2, 3 riguardano la stessa bozza" in err
    assert load(folder / "beta.toml").R03 == 7


def test_a_table_known_by_its_content_and_a_column_named_twice(folder, capsys):
    _export(folder, "tabella.xlsx", capsys)
    shutil.copy("tabella.xlsx", "tabella.dat")  # no extension: known as a workbook by its content
    code, _, err = _run(capsys, "tabella.dat")
    assert code == 0, err
    _write_csv("doppia.txt", [["draft", "R03", "R03"], ["alfa.toml", "5", "6"]])
    before = _bytes(folder)
    code, _, err = _run(capsys, "doppia.txt", "--write")
    assert code == 2 and "compare due volte (colonne B e C)" in err
    assert _bytes(folder) == before


def test_column_names_retyped_in_another_case_or_with_spaces_are_the_exports(folder, capsys):
    """A Comune retyping the header in its spreadsheet («r03», «ISTAT », «Draft»): the
    column is still the export's, not an unknown one whose figures are silently left out."""
    _write_csv("minuscole.csv", [["Draft", " r03 ", "ISTAT ", "m12_2019"], ["alfa.toml", "2500", "", "7"]])
    code, _, err = _run(capsys, "minuscole.csv", "--write")
    assert code == 0, err
    assert "non sono di soc25 export" not in err
    alfa = load(folder / "alfa.toml")
    assert (alfa.R03, alfa.M12_2019) == (2500, 7)


def test_a_refused_new_draft_is_said_not_created_and_a_sheet_number_named(folder, capsys):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["istat", "comune", "provincia", "R03", "M12_2019"])
    ws.append(["099999", "Nuovo", "PV", 1120.5, datetime.datetime(2024, 1, 2)])
    wb.save("ufficiali.xlsx")
    before = _bytes(folder)
    code, _, err = _run(capsys, "ufficiali.xlsx", "--write")
    assert code == 2 and _bytes(folder) == before
    assert "099999-nuovo.toml (riga 2): non creata." in err
    assert "non modificata" not in err
    # The figure the sheet holds, as an Italian reads it, and the date as one writes it.
    assert "colonna D «R03»: 1.120,5: atteso un numero intero" in err
    assert "colonna E «M12_2019»: il foglio la legge come data o ora (02/01/2024)" in err
