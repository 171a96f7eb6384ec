"""The review table (`soc25 CARTELLA`): one row per draft with the figures `check --json` gives
for it, sorted and filtered from the keyboard; a draft opened from it (editable, or read-only
when someone else holds it) goes back to it with Ctrl+Q, on the same row, read again; rows
and a read-only viewer follow what another program saves."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from soc25_tui import app as app_module
from soc25_tui.app import Soc25App
from soc25_tui.core import session
from soc25_tui.core.drafts import load, save
from soc25_tui.screens import review_table
from soc25_tui.screens.dialogs import Choice
from soc25_tui.screens.quadro1 import Quadro1Screen
from soc25_tui.screens.review_table import ReviewTableScreen

from ..conftest import EXAMPLES
from .test_terminal import terminal  # noqa: F401 - the pseudo-terminal fixture
from .test_tui import status_line, type_cell

SIZE = (80, 24)
NAMES = ("lomellina", "sondrio", "tortona", "vuota")


def ats(tmp_path: Path, *, broken: bool = True) -> Path:
    """A folder of the example drafts (and one that is not a draft)."""
    where = tmp_path / "ats"
    where.mkdir()
    for name in NAMES:
        shutil.copy(EXAMPLES / f"{name}.toml", where / f"{name}.toml")
    if broken:
        (where / "rotta.toml").write_text("[quadro1\n", encoding="utf-8")
    return where


def italian(value: float) -> str:
    """A figure with two decimals as the printed forms write it, worked out here."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def table_of(app) -> ReviewTableScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ReviewTableScreen)
    return screen


async def until(pilot, condition, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def all_read(pilot, app, n: int) -> ReviewTableScreen:
    screen = table_of(app)
    await until(pilot, lambda: screen.read is None and len(screen.table.rows) == n, f"{n} rows read")
    return screen


def order(screen: ReviewTableScreen) -> list[str]:
    return [Path(row.path).stem for row in screen.table.rows]


def line(screen: ReviewTableScreen, name: str) -> str:
    """The row of draft `name` as the table draws it (all its columns; the cursor's mark «▸»
    left out)."""
    i = order(screen).index(name)
    return screen.table.line_text(i).replace("▸", " ")


def said(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def since(t, mark: int) -> str:
    """What the terminal got after `mark` bytes, without escape sequences."""
    return re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]", "",
                  bytes(t.output[mark:]).decode("utf-8", "replace"))


def put_cursor_on(screen: ReviewTableScreen, name: str) -> None:
    screen.table.move_to(order(screen).index(name))


# --- the rows ------------------------------------------------------------------------------


async def test_each_row_shows_the_figures_check_json_gives(tmp_path):
    folder = ats(tmp_path)
    out = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "check", "--json",
                          *(str(folder / f"{n}.toml") for n in NAMES)], capture_output=True, text=True)
    checked = {Path(d["draft"]).stem: d for d in json.loads(out.stdout)}
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        header = screen.table.line_text(-1).split()
        assert header[:3] == ["Comune", "↑", "Prov."] and "Salvata" in header and "Stato" in header
        for name, data in checked.items():
            cells = data["cells"]
            words = line(screen, name)
            errors = sum(p["severity"] == "errore" for p in data["problems"])
            r04 = f"{italian(cells['R04'])}%" if cells["R04"] is not None else "—"
            r05 = f"{italian(cells['R05'])}%" if cells["R05"] is not None else "—"
            r09 = italian(cells["R09"]) if cells["R09"] is not None else "—"
            q3 = {True: "sì", False: "no", None: "?"}[data["quadro3_required"]]
            expected = [data["case"] or "?", q3, r04, "/", r05, r09, italian(cells["R15"])]
            row = words.split()
            at = row.index(data["case"] or "?")
            assert row[at:at + len(expected)] == expected, (name, words)
            missing = len({p["cell"] for p in data["problems"] if cells.get(p["cell"], 0) is None})
            assert row[at + len(expected):at + len(expected) + 5] == [
                str(missing), str(errors), str(len(data["problems"]) - errors), "0", "da"], (name, words)
            assert words.rstrip().endswith(f"{name}.toml")
        assert line(screen, "sondrio").split()[:2] == ["SONDRIO", "SO"]
        assert line(screen, "rotta").split()[:2] == ["non", "leggibile"]
        assert "5 di 5 bozze" in str(screen.query_one("#status").render())


async def test_an_unreadable_draft_says_why_on_enter(tmp_path):
    app = Soc25App(None, folder=str(ats(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        put_cursor_on(screen, "rotta")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and app.path is None
        assert "rotta.toml" in said(app) and "non è un file TOML valido" in said(app)


# --- sorting and filtering ------------------------------------------------------------------


async def test_sort_by_any_column_and_reverse_it_from_the_keyboard(tmp_path):
    app = Soc25App(None, folder=str(ats(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        assert order(screen) == ["sondrio", "lomellina", "tortona", "vuota", "rotta"]  # Comune
        await pilot.press("s", "s", "s", "s")  # Prov., Caso, Q3, R04 / R05
        await pilot.pause()
        assert screen.table.line_text(-1).split()[4:8] == ["R04", "/", "R05", "↑"]
        assert "Ordine: R04 / R05 ↑ crescente" in str(screen.query_one("#table-filters").render())
        assert order(screen) == ["tortona", "lomellina", "sondrio", "vuota", "rotta"]  # 2,50 4,81 33,63
        await pilot.press("i")
        await pilot.pause()
        assert "R05 ↓" in screen.table.line_text(-1)
        assert "Ordine: R04 / R05 ↓ decrescente" in str(screen.query_one("#table-filters").render())
        assert order(screen) == ["sondrio", "lomellina", "tortona", "vuota", "rotta"]
        await pilot.press(*["s"] * 10)  # round to the first column again
        await pilot.pause()
        assert "Comune ↑" in screen.table.line_text(-1) and order(screen)[0] == "sondrio"


async def test_filter_by_text_case_and_state(tmp_path):
    app = Soc25App(None, folder=str(ats(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        status = lambda: str(screen.query_one("#status").render())  # noqa: E731
        await pilot.press("slash", "t", "o", "r")  # the file's name (tortona has no Comune)
        await pilot.pause()
        assert order(screen) == ["tortona"] and "1 di 5 bozze" in status()
        assert "Filtro: tor" in str(screen.query_one("#table-filter").render())
        await pilot.press("enter", "c")  # the text kept; «c» is a key again: case A
        await pilot.pause()
        assert order(screen) == [] and "Nessuna bozza corrisponde ai filtri" in str(
            screen.query_one("#table-detail").render())
        await pilot.press("escape")  # every filter off
        await pilot.pause()
        assert len(order(screen)) == 5 and "5 di 5 bozze" in status()
        await pilot.press("c")
        await pilot.pause()
        assert order(screen) == ["sondrio"] and "Caso: A" in str(screen.query_one("#table-filters").render())
        await pilot.press("c", "c", "c", "c")  # B, C, D, not determinable
        await pilot.pause()
        assert order(screen) == ["vuota"] and "Caso: non determinabile" in str(screen.query_one("#table-filters").render())
        await pilot.press("c", "v")  # every case; state «da rivedere»: every draft read
        await pilot.pause()
        assert sorted(order(screen)) == ["lomellina", "sondrio", "tortona", "vuota"]
        await pilot.press("v")  # «da correggere»: none
        await pilot.pause()
        assert order(screen) == [] and "Stato: da correggere" in str(screen.query_one("#table-filters").render())
        await pilot.press("escape", "slash", "S", "O", "backspace", "backspace", "s", "o", "escape")
        await pilot.pause()  # typed, erased, typed again, then Esc: the text filter off
        assert len(order(screen)) == 5


# --- opening a draft and coming back ---------------------------------------------------------


async def test_open_a_draft_and_come_back_to_its_row_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(review_table, "POLL_SECONDS", 600)  # read again on the way back, not later
    folder = ats(tmp_path)
    path = folder / "tortona.toml"
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        await pilot.press("s", "s")  # by case: tortona (D) is not the first row
        await pilot.pause()
        put_cursor_on(screen, "tortona")
        at = screen.table.cursor
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen) and app.path == str(path)
        assert os.path.exists(session.lock_path(path)) and not app.editor.read_only
        await type_cell(pilot, "R08", "1000")  # R09 = min(R08, R06 - R07 2021)
        await pilot.press("ctrl+s", "ctrl+q")
        await pilot.pause()
        assert app.screen is screen and app.path is None
        assert not os.path.exists(session.lock_path(path))  # released
        assert screen.table.cursor == at and screen.table.current.path == str(path)
        await until(pilot, lambda: "1.000,00" in line(screen, "tortona"), "the row read again")
        assert "2.420,47" not in line(screen, "tortona")

        # Another draft after it: a new editor and new screens, the recovery offered as ever.
        put_cursor_on(screen, "sondrio")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen) and app.editor.draft.comune == "SONDRIO"
        assert "SONDRIO" in status_line(app) and not app.editor.dirty
        await type_cell(pilot, "M12_2019", "42")
        await pilot.press("ctrl+q")  # changes not saved: asked, as ever
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        await pilot.press("e")  # back to the list without saving
        await pilot.pause()
        assert app.screen is screen and screen.table.current.path.endswith("sondrio.toml")
        assert load(folder / "sondrio.toml").M12_2019 == load(EXAMPLES / "sondrio.toml").M12_2019
        await pilot.press("ctrl+q")  # from the table: the program ends
        await pilot.pause()
    assert app.return_code == 0
    assert not any(p.name.endswith(".lock") for p in folder.iterdir())


async def test_a_draft_held_by_someone_else_opens_read_only_and_follows_their_saves(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.05)
    folder = ats(tmp_path, broken=False)
    path = folder / "tortona.toml"
    other = session.Holder("comune", socket.gethostname(), os.getppid(), time.time())
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: other)
        assert session.Lock(path).acquire() is None
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 4)
        put_cursor_on(screen, "tortona")
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.read_only and status_line(app).startswith("[SOLA LETTURA]")
        assert "comune su" in app.editor.read_only_reason

        draft = load(path)  # the Comune saves a new version meanwhile
        draft.set("R08", Decimal("1000.00"))
        save(path, draft)
        await until(pilot, lambda: app.editor.draft.R08 == Decimal("1000.00"), "the new version shown")
        assert "La bozza è stata salvata da un altro programma: mostrata la nuova versione" in said(app)
        assert app.editor.outcome.values["R09"] == Decimal("1000.00") and not app.editor.dirty

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.screen is screen
    assert session.read_holder(path).user == "comune"  # their lock, never ours to remove


async def test_an_editable_draft_with_changes_is_not_replaced_by_a_version_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.05)
    folder = ats(tmp_path, broken=False)
    path = folder / "tortona.toml"
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 4)
        put_cursor_on(screen, "tortona")
        await pilot.press("enter")
        await pilot.pause()
        await type_cell(pilot, "M12_2019", "42")
        draft = load(path)
        draft.set("R08", Decimal("1000.00"))
        save(path, draft)  # a program that does not ask for the lock
        await until(pilot, lambda: "Le modifiche fatte qui non sono salvate" in said(app), "the notice")
        assert app.editor.draft.M12_2019 == 42 and app.editor.draft.R08 == Decimal("4391.81")
        await pilot.press("ctrl+s")  # saving asks before writing over the other version
        await pilot.pause()
        assert isinstance(app.screen, Choice)
    assert load(path).R08 == Decimal("1000.00")


# --- the folder changes on disk ----------------------------------------------------------------


async def test_rows_follow_the_folder_saved_new_and_removed_drafts(tmp_path, monkeypatch):
    monkeypatch.setattr(review_table, "POLL_SECONDS", 0.05)
    folder = ats(tmp_path)
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        put_cursor_on(screen, "lomellina")
        draft = load(folder / "tortona.toml")
        draft.set("R08", Decimal("1000.00"))
        save(folder / "tortona.toml", draft)  # another program saves
        await until(pilot, lambda: "1.000,00" in line(screen, "tortona"), "the row updated")
        shutil.copy(EXAMPLES / "sondrio.toml", folder / "nuova.toml")
        await until(pilot, lambda: "nuova" in order(screen), "the new draft")
        os.unlink(folder / "rotta.toml")
        await until(pilot, lambda: "rotta" not in order(screen), "the removed draft gone")
        assert len(order(screen)) == 5 and screen.table.current.path.endswith("lomellina.toml")


# --- the real program -------------------------------------------------------------------------


def test_soc25_folder_in_a_pseudo_terminal(tmp_path, terminal):  # noqa: F811
    """`soc25 ats`: the table, Enter opens the row's draft, Ctrl+Q comes back to the table on
    that row, a second process saves a draft and its row changes, Ctrl+Q ends the program."""
    folder = ats(tmp_path, broken=False)
    t = terminal(["ats"], tmp_path)
    t.wait_for(lambda: "4 di 4 bozze" in t.text() and "SONDRIO" in t.text(), "the table")
    lock = session.lock_path(folder / "tortona.toml")
    mark = len(t.output)
    t.type(b"\x1b[B\x1b[B")  # ↓ ↓: lomellina, then tortona (by Comune: SONDRIO first)
    t.wait_for(lambda: "tortona.toml · Mancano" in since(t, mark), "the cursor on tortona")
    mark = len(t.output)
    t.type(b"\r")
    t.wait_for(lambda: "Caso D" in since(t, mark) and os.path.exists(lock), "the draft open")
    mark = len(t.output)
    t.type(b"\x11")  # Ctrl+Q: back to the table
    t.wait_for(lambda: "quadro d'insieme" in since(t, mark) and "tortona.toml · Mancano" in since(t, mark)
               and not os.path.exists(lock), "back on the tortona row")
    mark = len(t.output)
    subprocess.run([sys.executable, "-c", (
        "from decimal import Decimal; from soc25_tui.core.drafts import load, save; "
        f"d = load({str(folder / 'tortona.toml')!r}); d.set('R08', Decimal('1000.00')); "
        f"save({str(folder / 'tortona.toml')!r}, d)")], check=True)
    t.wait_for(lambda: "1.000,00" in since(t, mark), "the row of the draft saved by another process")
    t.type(b"\x11")
    t.proc.wait(timeout=30)
    assert t.proc.returncode == 0


async def test_a_new_draft_from_the_table_is_made_in_its_folder_and_shown_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the table's folder
    folder = ats(tmp_path, broken=False)
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 4)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"bormio", "enter", *"Bormio", "enter", *"SO", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Quadro1Screen) and app.path == str(folder / "bormio.toml")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await until(pilot, lambda: "bormio" in order(screen), "the new draft's row")
        assert screen.table.current.path == str(folder / "bormio.toml")  # the cursor on it
        assert line(screen, "bormio").split()[:2] == ["Bormio", "SO"]
    assert not (tmp_path / "bormio.toml").exists()


async def test_view_only_opens_every_draft_read_only_and_makes_none(tmp_path):
    folder = ats(tmp_path, broken=False)
    app = Soc25App(None, folder=str(folder), read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 4)
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.read_only and not os.path.exists(session.lock_path(screen.table.current.path))
        await pilot.press("ctrl+q", "n")
        await pilot.pause()
        assert app.screen is screen and "--view" in said(app)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.toml" for n in NAMES)


async def test_the_table_with_no_color_says_everything_in_text(tmp_path, monkeypatch):
    """NO_COLOR: the cursor's row is marked «▸», the sort column named with its arrow, an
    unreadable draft in words (Textual's NO_COLOR filter needs a style on every piece drawn:
    the table once crashed it)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = Soc25App(None, folder=str(ats(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_read(pilot, app, 5)
        await pilot.press("down", "i")  # on lomellina; then by Comune, descending
        await pilot.pause()
        drawn = app.export_screenshot().replace("&#160;", " ")  # drawn, through the filter
        assert app.no_color and "non leggibile" in drawn and "↓" in drawn
        table = screen.table
        assert table.line_text(-1).split()[:2] == ["Comune", "↓"]
        assert table.current.path.endswith("lomellina.toml")
        assert table.line_text(table.cursor).startswith("▸ (lomellina.toml)")
        assert [table.line_text(i)[0] for i in range(5)].count("▸") == 1


async def test_the_palette_of_the_table_offers_only_what_means_something_without_a_draft(tmp_path):
    """On the table no draft is open: no «Salva», no review note or verdict, no compare; in a
    draft opened from it they are there."""
    folder = ats(tmp_path, broken=False)
    app = Soc25App(None, folder=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        await all_read(pilot, app, 4)
        on_table = [c.title for c in app.get_system_commands(app.screen)]
        assert sorted(on_table) == ["Aiuto", "Esci"]
        for absent in ("Salva", "Nota", "Note", "Verdetto", "Annulla modifica", "Confronta con la copia .bak"):
            assert absent not in on_table
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Quadro1Screen), "the draft")
        in_draft = [c.title for c in app.get_system_commands(app.screen)]
        assert "Salva" in in_draft and "Verdetto" in in_draft and "Nota" in in_draft
        assert "Confronta con la copia .bak" in in_draft
