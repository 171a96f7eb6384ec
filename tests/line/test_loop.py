"""The line mode's dialogue in the test's own process: input and output are io.StringIO.

Expected texts come from the core (the catalog, the layout, the editor's refusals), never
from the line mode's own output."""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from soc25_tui.core import session
from soc25_tui.core.checks import new_draft_refusal
from soc25_tui.core.drafts import dumps, load
from soc25_tui.core.editing import DraftEditor
from soc25_tui.core.layout import (
    CELLS,
    Q3_INPUTS,
    Q4_BLOCK_BY_CASE,
    R40_MAX_CHARS,
    cell_heading,
)
from soc25_tui.core.messages import text
from soc25_tui.line.prompt import run

from ..conftest import held_by_a_colleague
from ..factories import make, make_case


def line_mode(path: Path | str | None, typed: str, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    status = run(None if path is None else str(path), inp=io.StringIO(typed), out=out, **kwargs)
    return status, out.getvalue()


def asked(out: str) -> list[str]:
    """The cells the prompts asked, in order («R03> »)."""
    return [m.group(1) for m in re.finditer(r"^(\S+)> ", out, re.MULTILINE)]


def write(tmp_path: Path, draft, name: str = "prova.toml") -> Path:
    path = tmp_path / name
    path.write_text(dumps(draft), encoding="utf-8")
    return path


def test_cells_are_asked_in_the_form_order_computed_ones_skipped(tmp_path):
    path = write(tmp_path, make())
    status, out = line_mode(path, "\n" * 14)
    assert status == 0
    expected = [c.name for c in CELLS if not c.derived][:15]
    assert asked(out)[:15] == expected
    assert "M12_media" not in asked(out) and "R0B_2019" not in asked(out)


def test_each_cell_shows_its_heading_and_value_as_the_portal_prints_it(tmp_path):
    path = write(tmp_path, make(R07_2017=Decimal("1984440.83")))
    _, out = line_mode(path, "vai R07\n")
    assert cell_heading("R07_2017") in out
    assert "1.984.440,83" in out


def test_quadro3_and_other_blocks_of_quadro4_are_skipped_when_they_do_not_apply(tmp_path):
    path = write(tmp_path, make())  # case A: no Quadro 3, block R16-R22
    _, out = line_mode(path, "vai R08\n" + "\n" * 10)
    cells = asked(out)
    after = cells[cells.index("R08") + 1:]
    assert after[:7] == list(Q4_BLOCK_BY_CASE["A"].codes)
    assert after[7] == "R40"
    assert not set(after) & set(Q3_INPUTS)
    assert text("q3_intestazione") in out  # the Quadro passed over is said, with why


def test_case_d_asks_quadro3_and_its_own_block(tmp_path):
    path = write(tmp_path, make_case("D"))
    _, out = line_mode(path, "vai R08\n" + "\n" * 20)
    cells = asked(out)
    after = cells[cells.index("R08") + 1:]
    assert after[:len(Q3_INPUTS)] == list(Q3_INPUTS)
    assert after[len(Q3_INPUTS):len(Q3_INPUTS) + 6] == list(Q4_BLOCK_BY_CASE["D"].codes)


def test_a_jump_to_a_cell_that_does_not_apply_says_why_and_a_value_is_refused(tmp_path):
    path = write(tmp_path, make())
    _, out = line_mode(path, "vai R09\n5\n")
    why = DraftEditor(make()).why_locked("R09")
    assert out.count(why) == 2  # shown on arriving, and as the refusal of the value
    assert asked(out)[-1] == "R09"


def test_unknown_cell_name(tmp_path):
    path = write(tmp_path, make())
    _, out = line_mode(path, "vai R99\n")
    assert "«R99» non è il nome di una cella" in out


def test_quadro4_answers_s_and_n_and_svuota(tmp_path):
    path = write(tmp_path, make(R16=None, R17="SI"))
    status, _ = line_mode(path, "vai R16\ns\nn\nindietro\nindietro\nsvuota\nsalva\nesci\n")
    assert status == 0
    saved = load(path)
    assert saved.R16 is None and saved.R17 == "NO"


def test_undo_and_redo_go_through_the_editor(tmp_path):
    path = write(tmp_path, make())
    _, out = line_mode(path, "vai R03\n2000\nannulla\nripeti\nannulla\nsalva\nesci\n")
    assert load(path).R03 == 1000
    assert "Annullata la modifica di R03: torna a 1.000." in out


def test_a_word_of_a_command_is_a_value_after_equals(tmp_path):
    path = write(tmp_path, make())
    line_mode(path, "=esci\nsalva\nesci\n")
    assert load(path).comune == "esci"


def test_r40_on_several_lines_and_its_limit(tmp_path):
    path = write(tmp_path, make())
    too_long = "x" * (R40_MAX_CHARS + 1)
    _, out = line_mode(path, f"vai R40\n{too_long}\ntesto\nPrima riga\nSeconda riga\n.\nsalva\nesci\n")
    assert load(path).R40 == "Prima riga\nSeconda riga"
    assert DraftEditor(make()).r40_refusal(R40_MAX_CHARS + 1) in out


def test_messaggi_lists_every_message_and_problem(tmp_path):
    path = write(tmp_path, make(R0E=None))
    _, out = line_mode(path, "messaggi\n")
    assert text("q1_lep") in out and text("q2_caso_A") in out
    assert "R0E" in out.split(text("q2_caso_A"), 1)[1]  # the problems, after the messages


def test_help_lists_the_commands_and_the_quadro_guide(tmp_path):
    path = write(tmp_path, make())
    _, out = line_mode(path, "vai M12\n?\n")
    help_text = out.split("M12_2019> ?\n", 1)[1]
    for command in ("vai", "salva", "esci", "annulla", "messaggi"):
        assert command in help_text
    assert text("q1_nota") in help_text


def test_a_new_draft_asks_comune_and_provincia(tmp_path):
    path = tmp_path / "nuova.toml"
    status, out = line_mode(path, "Sondrio\nsondrio\nSondrio\nso\nesci\n")
    assert status == 0
    assert new_draft_refusal("Sondrio", "SONDRIO") in out
    saved = load(path)
    assert (saved.comune, saved.provincia) == ("Sondrio", "SO")


def test_a_new_draft_not_given_is_not_created(tmp_path):
    path = tmp_path / "nuova.toml"
    status, _ = line_mode(path, "\n")
    assert status == 0 and not path.exists()


def test_view_of_a_missing_draft_is_refused(tmp_path, capsys):
    status, _ = line_mode(tmp_path / "manca.toml", "", read_only=True)
    assert status == 2 and "il file non esiste" in capsys.readouterr().err


def test_an_unreadable_draft_is_said_on_stderr(tmp_path, capsys):
    path = tmp_path / "rotta.toml"
    path.write_text("[quadro1\n", encoding="utf-8")
    status, _ = line_mode(path, "")
    assert status == 2 and "rotta.toml" in capsys.readouterr().err


def test_a_draft_held_by_a_colleague_is_read_only(tmp_path, monkeypatch):
    path = write(tmp_path, make())
    before = path.read_bytes()
    holder, lock_file = held_by_a_colleague(monkeypatch, path)
    _, out = line_mode(path, "ROMA\nsalva\n")
    assert f"già aperta da {holder.describe(lock_file)}" in out
    assert path.read_bytes() == before
    assert session.read_holder(path) == holder  # the colleague's lock is left alone


def test_a_folder_lists_its_drafts_by_number(tmp_path):
    write(tmp_path, make(comune="UNO"), "a.toml")
    write(tmp_path, make(comune="DUE"), "b.toml")
    status, out = line_mode(tmp_path, "3\n2\nROMA\nsalva\nesci\n\n")
    assert status == 0
    assert "1. a.toml" in out and "2. b.toml" in out
    assert load(tmp_path / "b.toml").comune == "ROMA" and load(tmp_path / "a.toml").comune == "UNO"


def test_control_characters_typed_are_kept_shown_not_raw(tmp_path):
    path = write(tmp_path, make())
    _, out = line_mode(path, "A\x1b[2JB\nsalva\nesci\n")
    assert "\x1b" not in out
    assert load(path).comune == "A␛[2JB"  # as the TUI's edit line takes it


def test_an_approved_draft_changed_goes_back_to_review(tmp_path):
    from soc25_tui.core.review import Review

    draft = make()
    draft.review = Review().with_state("approvata", draft)
    path = write(tmp_path, draft)
    _, out = line_mode(path, "ROMA\nsalva\nesci\n")
    assert load(path).review.state == "da-rivedere"
    assert "da rivedere" in out


def test_a_save_after_another_program_wrote_the_file_asks_first(tmp_path):
    path = write(tmp_path, make())
    out = io.StringIO()

    class Writer(io.StringIO):
        """Input that, when the person types salva, has another program write the draft."""

        def readline(self, *args):
            line = super().readline(*args)
            if line == "salva\n":
                path.write_text(dumps(make(comune="ALTRO", istat="999999")), encoding="utf-8")
                os.utime(path, (1, 1))
            return line

    run(str(path), inp=Writer("ROMA\nsalva\na\nesci\ne\n"), out=out)
    assert load(path).comune == "ALTRO"  # not written over
    assert "modificata da un altro programma" in out.getvalue()


@pytest.mark.parametrize("answer", ["m", "l"])
def test_no_lock_file_can_be_created_asks(tmp_path, monkeypatch, answer):
    from ..conftest import refuse_to_create_in

    path = write(tmp_path, make())
    refuse_to_create_in(monkeypatch, tmp_path)
    _, out = line_mode(path, f"{answer}\nROMA\nesci\ne\n")
    assert "non si può creare il file di blocco" in out
    if answer == "l":
        assert "Sola lettura" in out


def test_a_draft_read_only_is_walked_through_the_same_cells(tmp_path):
    path = write(tmp_path, make())
    typed = "\n" * 40
    _, editable = line_mode(path, typed)
    _, viewed = line_mode(path, typed, read_only=True)
    assert asked(viewed) == asked(editable)
    assert "R0B_2019" not in asked(viewed)
