"""The rows of the review table, headless (core/folder.py): one per draft, with the figures
`soc25 check --json` gives for the same drafts; the folder listed with how each file looks on
disk; the columns' order and the filters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from soc25_tui.core import folder
from soc25_tui.core.batch import map_ordered
from soc25_tui.core.drafts import load, save
from soc25_tui.core.review import STATE_WORDS, new_note

from ..conftest import EXAMPLES

NAMES = ("lomellina", "sondrio", "tortona", "vuota")


def italian(value: float | None, places: int = 2) -> str:
    """A figure as an Italian form prints it (thousands «.», decimals «,»), worked out here
    without the program's own formatting."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, dict]:
    """`soc25 check --json` of the example drafts, by file name."""
    where = tmp_path_factory.mktemp("examples")
    for name in NAMES:
        shutil.copy(EXAMPLES / f"{name}.toml", where / f"{name}.toml")
    out = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "check", "--json",
                          *(str(where / f"{n}.toml") for n in NAMES)],
                         capture_output=True, text=True, check=False)
    assert out.returncode in (0, 1), out.stderr
    return {Path(d["draft"]).stem: d for d in json.loads(out.stdout)}


@pytest.mark.parametrize("name", NAMES)
def test_a_row_has_the_figures_check_json_gives(name, checked):
    data = checked[name]
    row = folder.read_row(data["draft"])
    cells = data["cells"]
    assert row.problem == ""
    assert row.case == data["case"]
    assert row.quadro3 == data["quadro3_required"]
    errors = [p for p in data["problems"] if p["severity"] == "errore"]
    assert (row.errors, row.warnings) == (len(errors), len(data["problems"]) - len(errors))
    # Missing: the cells with a problem that are empty (null) in the draft.
    missing = list(dict.fromkeys(p["cell"] for p in data["problems"] if cells.get(p["cell"], 0) is None))
    assert row.missing == len(missing) and row.missing_cells == tuple(missing[:folder.MISSING_NAMED])
    assert row.state == data["review"]["state"]
    assert row.notes_open == sum(not n["resolved"] for n in data["review"]["notes"])

    shown = dict(zip(folder.COLUMN_IDS, folder.cells(row)))
    r04 = italian(cells["R04"]) + "%" if cells["R04"] is not None else "—"
    r05 = italian(cells["R05"]) + "%" if cells["R05"] is not None else "—"
    assert shown["r04"] == f"{r04} / {r05}"
    assert shown["r09"] == italian(cells["R09"]) and shown["r15"] == italian(cells["R15"])
    assert shown["caso"] == (data["case"] or "?")
    assert shown["q3"] == {True: "sì", False: "no", None: "?"}[data["quadro3_required"]]
    assert shown["errori"] == str(len(errors)) and shown["mancano"] == str(len(missing))
    assert shown["stato"] == STATE_WORDS[data["review"]["state"]]
    assert shown["file"] == f"{name}.toml"


def test_the_example_rows_as_the_printed_forms_give_them(checked):
    """The figures themselves, read off the example drafts (tortona: R09 2.420,47, R15
    3.396,00, Quadro 3 to fill; vuota: everything missing)."""
    rows = {name: folder.read_row(checked[name]["draft"]) for name in NAMES}
    assert folder.cells(rows["tortona"])[2:7] == ("D", "sì", "2,50% / 4,49%", "2.420,47", "3.396,00")
    assert folder.cells(rows["sondrio"])[:5] == ("SONDRIO", "SO", "A", "no", "33,63% / 8,69%")
    assert folder.cells(rows["lomellina"])[0] == "(lomellina.toml)"  # no Comune: the file
    assert folder.missing_text(rows["lomellina"]) == "Mancano: comune, provincia, R24, R25, R26, R27"
    assert rows["vuota"].case is None and rows["vuota"].quadro3 is None and rows["vuota"].missing == 67
    assert folder.missing_text(rows["vuota"]).endswith(" e altre 61")
    assert folder.missing_text(rows["sondrio"]) == ""


def test_the_review_state_and_open_notes_of_a_draft(tmp_path):
    path = tmp_path / "sondrio.toml"
    draft = load(EXAMPLES / "sondrio.toml")
    review = draft.review.with_state("da-correggere", draft)
    review = review.with_note(new_note("R07_2021", "Manca la spesa del 2021", author="ats"))
    review = review.with_note(new_note(None, "Ricontrollare", author="ats"))
    draft.review = review.with_resolved(1)
    save(path, draft, backup=False)
    row = folder.read_row(str(path))
    assert (row.state, row.notes_open) == ("da-correggere", 1)
    shown = dict(zip(folder.COLUMN_IDS, folder.cells(row)))
    assert (shown["stato"], shown["note"]) == ("da correggere", "1")


def test_an_unreadable_draft_is_a_row_with_its_reason(tmp_path):
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1\n", encoding="utf-8")
    os.symlink(tmp_path / "sparita.toml", tmp_path / "link.toml")
    (tmp_path / "cartella.toml").mkdir()
    rows = {Path(p).name: folder.read_row(p) for p in folder.scan(tmp_path)}
    assert sorted(rows) == ["cartella.toml", "link.toml", "rotta.toml"]
    assert "non è un file TOML valido" in rows["rotta.toml"].problem
    assert "non leggibile" in rows["link.toml"].problem and rows["link.toml"].stamp is None
    assert "cartella" in rows["cartella.toml"].problem
    for row in rows.values():
        assert folder.cells(row)[0] == "non leggibile" and folder.cells(row)[-1] == Path(row.path).name


def test_scan_lists_drafts_only_and_sees_a_save(tmp_path):
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    for other in (".tortona.toml.lock", ".tortona.toml.recupero", "tortona.toml.bak", "note.txt"):
        (tmp_path / other).write_text("x", encoding="utf-8")
    before = folder.scan(tmp_path)
    assert list(before) == [str(path)]
    draft = load(path)
    draft.set("R08", Decimal("1000.00"))
    save(path, draft)  # another program saving: a new file in place of the old one
    after = folder.scan(tmp_path)
    assert after[str(path)] != before[str(path)]
    assert folder.read_row(str(path)).r09 == Decimal("1000.00")  # R09 = min(R08, R06 - R07 2021)


def _rows(tmp_path) -> list[folder.Row]:
    rows = []
    for name in NAMES:
        shutil.copy(EXAMPLES / f"{name}.toml", tmp_path / f"{name}.toml")
        rows.append(folder.read_row(str(tmp_path / f"{name}.toml")))
    (tmp_path / "rotta.toml").write_text("[", encoding="utf-8")
    rows.append(folder.read_row(str(tmp_path / "rotta.toml")))
    return rows


def names(rows) -> list[str]:
    return [Path(r.path).stem for r in rows]


def test_sorting_by_any_column_keeps_the_drafts_without_a_value_last(tmp_path):
    rows = _rows(tmp_path)
    assert names(folder.sort_rows(rows, "r04")) == ["tortona", "lomellina", "sondrio", "vuota", "rotta"]
    assert names(folder.sort_rows(rows, "r04", reverse=True)) == ["sondrio", "lomellina", "tortona", "vuota", "rotta"]
    # Ties (R09 0,00) by file name in either direction.
    assert names(folder.sort_rows(rows, "comune")) == ["sondrio", "lomellina", "tortona", "vuota", "rotta"]
    assert names(folder.sort_rows(rows, "r09", reverse=True)) == ["tortona", "lomellina", "sondrio", "vuota", "rotta"]
    assert names(folder.sort_rows(rows, "r09")) == ["lomellina", "sondrio", "tortona", "vuota", "rotta"]
    assert names(folder.sort_rows(rows, "mancano", reverse=True))[:2] == ["vuota", "lomellina"]
    assert names(folder.sort_rows(rows, "file")) == ["lomellina", "rotta", "sondrio", "tortona", "vuota"]
    for column in folder.COLUMN_IDS:  # every column sorts, none raises
        assert sorted(names(folder.sort_rows(rows, column))) == sorted(names(rows))


def test_an_order_kept_as_rows_come_is_the_order_of_all_of_them(tmp_path):
    rows = _rows(tmp_path)
    for column in folder.COLUMN_IDS:
        order = folder.Order(column)
        for row in reversed(rows):
            order.add([row])
        order.add([rows[2]])  # read again: replaced, not twice
        assert order.rows() == folder.sort_rows(rows, column) and len(order) == len(rows)
        order.remove([rows[0].path])
        assert order.rows(reverse=True) == folder.sort_rows(rows[1:], column, reverse=True)


def test_filters_by_text_case_and_state(tmp_path):
    rows = _rows(tmp_path)
    only = lambda **f: names(r for r in rows if folder.matches(r, **f))  # noqa: E731
    assert only(text="sondr") == ["sondrio"]  # the Comune (SONDRIO) and the file, any case
    assert only(text="so") == ["sondrio"]  # the provincia
    assert only(text="TORT") == ["tortona"]  # the file's name: tortona has no Comune
    assert only(text="rott") == ["rotta"]  # an unreadable draft is found by its name
    assert only(case="B") == ["lomellina"] and only(case="?") == ["vuota"]
    assert only(state="da-rivedere") == list(NAMES) and only(state="approvata") == []


def test_rows_read_in_worker_processes_are_the_rows_read_here(tmp_path):
    """Enough drafts for `map_ordered` to use worker processes: the rows come back whole and
    in order (picklable), the same as read in this process."""
    paths = []
    for i in range(70):
        path = tmp_path / f"c{i:02d}.toml"
        shutil.copy(EXAMPLES / f"{NAMES[i % 4]}.toml", path)
        paths.append(str(path))
    here = [folder.read_row(p) for p in paths]
    assert list(map_ordered(folder.read_row_aside, paths, 2)) == here
    priority = os.nice(0)
    assert list(map_ordered(folder.read_row_aside, paths[:3], 1)) == here[:3]  # in this process
    assert os.nice(0) == priority  # which is not made to give way: only workers are


def test_saved_at_is_the_files_time():
    when = time.mktime((2026, 11, 30, 9, 5, 0, 0, 0, -1))
    assert folder.saved_at(when) == "30/11/2026 09:05" and folder.saved_at(0.0) == "—"
