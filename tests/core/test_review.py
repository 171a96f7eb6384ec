"""The reviewer's verdict and notes in the draft's [revisione] section (core/review.py)."""

from __future__ import annotations

import shutil

import pytest

from soc25_tui.core import drafts
from soc25_tui.core import review as rv
from soc25_tui.core.drafts import DraftError

from ..conftest import EXAMPLES


@pytest.fixture
def draft_file(tmp_path):
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    return path


def test_notes_and_verdict_survive_a_save(draft_file):
    d = drafts.load(draft_file)
    assert d.review.state == "da-rivedere" and d.review.notes == ()
    d.review = d.review.with_note(rv.new_note("R07_2021", 'La spesa "2021"\nva rivista', author="ats1"))
    d.review = d.review.with_note(rv.new_note("bozza", "Manca la relazione", author="ats1"))
    d.review = d.review.with_resolved(1).with_state("da-correggere", d)
    drafts.save(draft_file, d)
    again = drafts.load(draft_file)
    assert again.review == d.review
    assert [n.where for n in again.review.notes] == ["R07_2021", "bozza"]
    assert again.review.notes[0].text == 'La spesa "2021"\nva rivista'
    assert [n.resolved for n in again.review.notes] == [False, True]
    assert again.review.state == "da-correggere"
    assert len(again.review.open_notes) == 1


def test_a_draft_without_review_gets_no_section(draft_file):
    d = drafts.load(draft_file)
    drafts.save(draft_file, d)
    assert "[revisione]" not in draft_file.read_text(encoding="utf-8")


def test_approved_then_changed_goes_back_with_a_note_naming_the_cell(draft_file):
    d = drafts.load(draft_file)
    d.review = d.review.with_state("approvata", d)
    drafts.save(draft_file, d)
    assert drafts.load(draft_file).review.state == "approvata"
    d = drafts.load(draft_file)
    d.set("R07_2021", 1)
    drafts.save(draft_file, d)
    after = drafts.load(draft_file).review
    assert after.state == "da-rivedere"
    # the example's R07_2021 as the printed form of Sondrio shows it, then the new value
    assert "R07_2021: 3.827.129,97 → 1,00" in after.notes[-1].text
    assert after.notes[-1].text.startswith("Modificata dopo l'approvazione")


def test_approved_then_edited_by_hand_reads_as_da_rivedere(draft_file):
    d = drafts.load(draft_file)
    d.review = d.review.with_state("approvata", d)
    drafts.save(draft_file, d)
    text = draft_file.read_text(encoding="utf-8").replace("R03 = 21297", "R03 = 21298")
    draft_file.write_text(text, encoding="utf-8")
    review = drafts.load(draft_file).review
    assert review.state == "da-rivedere"
    assert review.notes[-1].text == rv.CHANGED_OUTSIDE


def test_approved_by_hand_without_soc25s_fingerprint_says_so(draft_file):
    """«stato = "approvata"» written in the file: no cell changed, the approval was never
    given by soc25; the note says that, not that cells changed."""
    with open(draft_file, "a", encoding="utf-8") as fh:
        fh.write('\n[revisione]\nstato = "approvata"\n')
    review = drafts.load(draft_file).review
    assert review.state == "da-rivedere"
    assert review.notes[-1].text == rv.APPROVED_BY_HAND
    assert "scritta a mano" in rv.APPROVED_BY_HAND and "soc25 review" in rv.APPROVED_BY_HAND
    assert "modificata" not in rv.APPROVED_BY_HAND.lower()


def test_notes_alone_do_not_undo_an_approval(draft_file):
    d = drafts.load(draft_file)
    d.review = d.review.with_state("approvata", d).with_note(rv.new_note(None, "Vista", author="x"))
    drafts.save(draft_file, d)
    assert drafts.load(draft_file).review.state == "approvata"


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('stato = "ok"', "stato"),
        ('stato = 3', "stato"),
        ('colore = "rosso"', "colore: chiave sconosciuta"),
        ('note = "x"', "note"),
        ('[[revisione.note]]\ntesto = 3', "nota 1: testo"),
        ('[[revisione.note]]\ncella = "R99"\ntesto = "x"', "nota 1: cella «R99» sconosciuta"),
        ('[[revisione.note]]\ntesto = "x"\nrisolta = "si"', "nota 1: risolta"),
        ('[[revisione.note]]\ntesto = "x"\nquando = "ieri"', "nota 1: quando"),
        ('[[revisione.note]]\ntesto = "   "', "nota 1: il testo della nota è vuoto"),
    ],
)
def test_a_bad_review_section_is_named_and_the_file_untouched(draft_file, section, expected):
    text = draft_file.read_text(encoding="utf-8") + "\n[revisione]\n" + section + "\n"
    draft_file.write_text(text, encoding="utf-8")
    with pytest.raises(DraftError) as info:
        drafts.load(draft_file)
    assert "revisione" in str(info.value) and expected in str(info.value)
    assert draft_file.read_text(encoding="utf-8") == text


def test_cells_are_named_by_public_name_or_bozza():
    assert rv.check_cell("r07_2021") == "R07_2021"
    assert rv.check_cell("R09") == "R09"  # a derived cell takes notes too
    assert rv.check_cell("bozza") is None
    # in any case, as a person types them (the names mix cases: M12_ore, R10_modalita, comune)
    assert rv.check_cell("m12_ore") == "M12_ore" and rv.check_cell("M12_ORE") == "M12_ore"
    assert rv.check_cell("r10_Modalita") == "R10_modalita" and rv.check_cell("Comune") == "comune"
    assert rv.check_cell(" BOZZA ") is None
    with pytest.raises(rv.ReviewError):
        rv.check_cell("R07_2099")
    with pytest.raises(rv.ReviewError):
        rv.new_note("R40", "x" * 6001)


def test_a_bad_review_section_names_its_line(draft_file):
    text = draft_file.read_text(encoding="utf-8") + '\n[revisione]\nstato = "ok"\n'
    draft_file.write_text(text, encoding="utf-8")
    header = text.splitlines().index("[revisione]") + 1
    with pytest.raises(DraftError) as info:
        drafts.load(draft_file)
    assert f"(riga {header}): revisione: stato" in str(info.value)


def test_an_r40_of_one_character_is_worded_in_the_singular():
    from soc25_tui.core.model import Draft
    from soc25_tui.core.rules import evaluate
    from soc25_tui.core.values import described

    draft = Draft(R40="x")
    assert described("R40", draft, evaluate(draft)) == "un testo di un carattere"
    draft = Draft(R40="xy")
    assert described("R40", draft, evaluate(draft)) == "un testo di 2 caratteri"
