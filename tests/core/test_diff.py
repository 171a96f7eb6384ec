"""What differs between two versions of a draft (core/compare.py): every kind of change that
`soc25 diff`, the TUI's «Confronta…» commands and the recovery question report.

Expected figures are those of Tortona's printed form (case D: R06 53.895,69, R07 2021
51.475,22, R08 4.391,81, R09 2.420,47, R0B 21 / 28, R03 1.120, R04 2,50% against R05 4,49%,
M12 13 users in 2024 and 845 hours, an average of 65,00), and what the form's rules make of
them when a cell changes, worked out by hand here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from soc25_tui.core import messages
from soc25_tui.core.compare import Difference, as_json, as_text, brief, compare, differences, lines
from soc25_tui.core.layout import CASE_WORDS
from soc25_tui.core.review import Note, Review

from ..conftest import EXAMPLES
from ..factories import example

WHEN = dt.datetime(2026, 12, 2, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def tortona():
    return example("tortona")


def test_the_same_draft_is_equal_and_says_so():
    c = compare(tortona(), tortona())
    assert c.equal and c.cells == () and c.case is None and c.quadro3 is None
    assert c.count_text() == "nessuna differenza"
    assert [line.text for line in lines(c, "a.toml", "b.toml")] == [
        "Confronto: a.toml → b.toml",
        "Nessuna differenza: le celle e la revisione sono le stesse.",
    ]
    assert brief(c) == "nessuna differenza"


def test_a_given_cell_and_the_derived_figures_it_moves_in_the_forms_order():
    before, after = tortona(), tortona()
    after.M12_2024 = 5  # 13 -> 5 users: 845 hours over 5 = 169,00; R0B 2024 28 -> 20
    c = compare(before, after)
    # R04 = 20 / 1.120 = 1,7857...% -> 1,79% (printed with two decimals)
    assert c.cells == (
        Difference("M12_2024", "13", "5"),
        Difference("M12_media", "65,00", "169,00", derived=True),
        Difference("R0B_2024", "28", "20", derived=True),
        Difference("R04", "2,50%", "1,79%", derived=True),
    )
    assert c.given == (Difference("M12_2024", "13", "5"),)
    assert c.count_text() == "una cella diversa"
    assert not c.equal and c.case is None and c.quadro3 is None  # still case D, R09 unchanged


def test_a_derived_figure_is_compared_as_the_portal_prints_it():
    after = tortona()
    after.R03 = 1121  # R04 = 28 / 1.121 = 2,4977...%: still 2,50% on the form
    assert compare(tortona(), after).cells == (Difference("R03", "1.120", "1.121"),)


def test_a_value_kept_unreadable_counts_and_brings_its_problem():
    after = tortona()
    after.M15_2024 = None
    after.invalid["M15_2024"] = "tanti"
    c = compare(tortona(), after)
    assert c.cells[0] == Difference("M15_2024", "5", "il valore non valido «tanti»")
    assert [(p.severity, p.cell) for p in c.problems_added][:1] == [("errore", "M15_2024")]
    assert "«tanti» non è un valore valido" in c.problems_added[0].text
    # The same unreadable value on both sides is no difference; another one is.
    again = tortona()
    again.M15_2024 = None
    again.invalid["M15_2024"] = "tanti"
    assert compare(after, again).equal
    again.invalid["M15_2024"] = "molti"
    assert compare(after, again).cells[:1] == (
        Difference("M15_2024", "il valore non valido «tanti»", "il valore non valido «molti»"),)


def test_unreadable_values_equal_to_python_but_not_in_the_file_differ():
    """R34 = 1 then R34 = true (both kept unreadable: SI or NO is expected): Python holds
    1 == True, the file does not. The cell differs, as the approval's fingerprint says."""
    from soc25_tui.core.drafts import loads
    from soc25_tui.core.review import fingerprint

    text = (EXAMPLES / "tortona.toml").read_text(encoding="utf-8")
    assert 'R34 = "NO"' in text
    one, true = (loads(text.replace('R34 = "NO"', f"R34 = {v}")) for v in ("1", "true"))
    assert fingerprint(one) != fingerprint(true)
    c = compare(one, true)
    assert c.cells == (Difference("R34", "il valore non valido «1»", "il valore non valido «true»"),)
    assert differences(one, true) == list(c.given)
    # and 1 against 1.0 (a decimal where a whole number is expected), the same way
    dec = loads(text.replace('R34 = "NO"', "R34 = 1.0"))
    assert [d.name for d in compare(one, dec).cells] == ["R34"]
    # and a kept «nan», never equal to itself in Python, is the same in the same file
    nan = text.replace("M12_2019 = 15", "M12_2019 = nan")
    assert "M12_2019 = nan" in nan and compare(loads(nan), loads(nan)).equal


def test_a_change_of_case_of_quadro_3_and_of_the_portals_messages():
    before, after = tortona(), tortona()
    after.R07_2021 = Decimal("60000.00")  # above R06 53.895,69: spending no longer below need
    c = compare(before, after)
    assert c.case == ("D", "B")
    assert c.quadro3 == (True, False)
    # R09 is 0,00 outside cases C and D
    assert Difference("R07_2021", "51.475,22", "60.000,00") in c.cells
    assert Difference("R09", "2.420,47", "0,00", derived=True) in c.cells
    assert [m.text for m in c.messages_removed] == [
        messages.text("q2_caso_D"), messages.text("q2_vai_quadro3"), messages.text("q3_coerente")]
    assert [m.text for m in c.messages_added] == [messages.text("q2_caso_B"), messages.text("q2_vai_quadro4")]
    assert {m.quadro for m in c.messages_added} == {2}
    words = [line.text for line in lines(c, "a", "b")]
    assert f"Caso: D ({CASE_WORDS['D']}) → B ({CASE_WORDS['B']})" in words
    assert ("Quadro 3: da compilare (R09 = 2.420,47 euro, non inferiore a 1.000 euro) → "
            "da non compilare (spesa non inferiore al fabbisogno)") in words
    assert f"+ [Quadro 2] {messages.text('q2_caso_B')}" in words
    assert f"- [Quadro 3] {messages.text('q3_coerente')}" in words
    # Block D's answers are now outside the block, block B's are missing: problems appear.
    added = {(p.severity, p.cell) for p in c.problems_added}
    assert {("avviso", "R39"), ("avviso", "R23"), ("avviso", "R14")} <= added
    # Backwards, what appeared disappears.
    back = compare(after, before)
    assert back.case == ("B", "D") and back.quadro3 == (False, True)
    assert back.messages_added == c.messages_removed and back.problems_removed == c.problems_added


def test_quadro_3_that_cannot_be_told_yet():
    after = tortona()
    after.R08 = None  # case D without R08: R09, and so Quadro 3, cannot be told
    c = compare(tortona(), after)
    assert c.quadro3 == (True, None)
    assert c.case is None
    assert Difference("R08", "4.391,81", "vuota") in c.cells


def test_problems_that_disappear():
    after = tortona()
    after.comune, after.provincia = "TORTONA", "AL"
    c = compare(tortona(), after)
    assert [(p.severity, p.cell) for p in c.problems_removed] == [("avviso", "comune"), ("avviso", "provincia")]
    assert c.problems_added == () and c.messages_added == c.messages_removed == ()
    words = [line.text for line in lines(c, "a", "b")]
    assert "Problemi scomparsi: 2" in words
    assert "- avviso  comune: manca il nome del Comune." in words
    assert c.cells == (Difference("comune", "vuota", "TORTONA"), Difference("provincia", "vuota", "AL"))


def test_r40_is_counted_and_a_text_of_the_same_length_is_still_a_change():
    after = tortona()
    text = after.R40
    after.R40 = text[:-1] + ("!" if text[-1] != "!" else "?")
    [d] = compare(tortona(), after).cells
    assert d == Difference("R40", "un testo di 472 caratteri", "un testo di 472 caratteri (testo diverso)")
    after.R40 = "Breve."
    assert compare(tortona(), after).cells == (Difference("R40", "un testo di 472 caratteri", "un testo di 6 caratteri"),)


def test_the_review_verdict_and_notes():
    kept = Note("R07_2021", "Manca la spesa del 2021", "mrossi", WHEN)
    gone = Note(None, "Controllare la provincia", "mrossi", WHEN)
    reopened = Note("R03", "Popolazione?", "mrossi", WHEN, resolved=True)
    before, after = tortona(), tortona()
    before.review = Review("da-rivedere", (kept, gone, reopened))
    new = Note("R09", "Va bene", "lbianchi", WHEN)
    after.review = Review("approvata", (Note(kept.cell, kept.text, kept.author, kept.time, True),
                                        Note("R03", "Popolazione?", "mrossi", WHEN, False), new))
    c = compare(before, after)
    assert c.cells == () and not c.equal
    assert c.state == ("da-rivedere", "approvata")
    assert c.notes_added == (new,)
    assert c.notes_removed == (gone,)
    assert [n.text for n in c.notes_resolved] == ["Manca la spesa del 2021"]
    assert [n.text for n in c.notes_reopened] == ["Popolazione?"]
    assert c.count_text() == "la revisione diversa"
    words = [line.text for line in lines(c, "a", "b")]
    assert words[1:] == [
        "Revisione:",
        "verdetto: da rivedere → approvata",
        "+ nota aggiunta su R09, di lbianchi, 02/12/2026 10:15: «Va bene»",
        "- nota tolta sulla bozza, di mrossi, 02/12/2026 10:15: «Controllare la provincia»",
        "✓ nota risolta su R07_2021, di mrossi, 02/12/2026 10:15: «Manca la spesa del 2021»",
        "↺ nota riaperta su R03, di mrossi, 02/12/2026 10:15: «Popolazione?»",
    ]
    assert "Verdetto: da rivedere → approvata" in brief(c)
    assert "Note della revisione: 1 aggiunta, 1 tolta, 1 risolta, 1 riaperta" in brief(c)
    review = as_json(c, "a", "b")["review"]
    assert review["state"] == {"before": "da-rivedere", "after": "approvata"}
    assert review["notes"]["added"] == [{"cell": "R09", "text": "Va bene", "author": "lbianchi",
                                         "time": "2026-12-02T10:15:00+01:00", "resolved": False}]
    assert [n["text"] for n in review["notes"]["removed"]] == ["Controllare la provincia"]


def test_two_equal_notes_one_removed_is_one_removal():
    note = Note(None, "Ok", "mrossi", WHEN)
    before, after = tortona(), tortona()
    before.review = Review("da-rivedere", (note, note))
    after.review = Review("da-rivedere", (note,))
    c = compare(before, after)
    assert c.notes_removed == (note,) and c.notes_added == ()


def test_json_object():
    before, after = tortona(), tortona()
    after.R07_2021 = Decimal("60000.00")
    after.M15_2024 = None
    after.invalid["M15_2024"] = "tanti"
    data = as_json(compare(before, after), "a.toml", "b.toml")
    assert list(data) == ["a", "b", "equal", "cells", "messages", "problems", "case",
                          "quadro3_required", "review"]
    assert data["a"] == "a.toml" and data["b"] == "b.toml" and data["equal"] is False
    cells = {c["cell"]: c for c in data["cells"]}
    assert cells["R07_2021"] == {"cell": "R07_2021", "derived": False, "before": 51475.22, "after": 60000.0,
                                 "before_text": "51.475,22", "after_text": "60.000,00",
                                 "before_invalid": None, "after_invalid": None}
    assert cells["R09"]["derived"] is True and (cells["R09"]["before"], cells["R09"]["after"]) == (2420.47, 0.0)
    assert cells["M15_2024"]["before"] == 5 and cells["M15_2024"]["after"] is None
    assert cells["M15_2024"]["after_invalid"] == "tanti"
    assert data["case"] == {"before": "D", "after": "B"}
    assert data["quadro3_required"] == {"before": True, "after": False}
    assert {"quadro": 2, "kind": "verbatim", "text": messages.text("q2_caso_B")} in data["messages"]["added"]
    assert data["problems"]["added"][0]["cell"] == "M15_2024"
    assert data["review"] == {"state": None, "notes": {"added": [], "removed": [], "resolved": [], "reopened": []}}
    same = as_json(compare(before, before.copy()), "a", "a")
    assert same["equal"] is True and same["cells"] == [] and same["case"] is None


def test_text_shows_control_characters_of_the_drafts():
    after = tortona()
    after.comune = "\x1b]0;preso\x07TORTONA"
    text = as_text(compare(tortona(), after), "a", "b")
    assert "\x1b" not in text and "\x07" not in text
    assert "comune: vuota → ␛]0;preso␇TORTONA" in text


def test_brief_for_the_recovery_question():
    after = tortona()
    after.M12_2019 = 42  # R0B 2019: 21 - 15 + 42 = 48
    assert brief(compare(tortona(), after)) == "M12_2019: 15 → 42\nR0B_2019 (calcolata): 21 → 48"
    after.R07_2021 = Decimal("60000.00")
    text = brief(compare(tortona(), after))
    assert "Caso: D → B" in text
    assert "Messaggi del portale: 2 comparsi, 3 scomparsi" in text


@pytest.mark.parametrize("changed", ["R05", "R08"])
def test_differences_is_the_given_cells_of_the_comparison(changed):
    after = tortona()
    after.set(changed, Decimal("1.00"))
    c = compare(tortona(), after)
    assert differences(tortona(), after) == list(c.given) and len(c.given) == 1
