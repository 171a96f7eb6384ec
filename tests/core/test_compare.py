"""What differs between two versions of a draft, as the recovery question shows it."""

from __future__ import annotations

from decimal import Decimal

from soc25_tui.core.compare import Difference, brief, compare, describe, differences
from soc25_tui.core.editing import DraftEditor

from ..factories import example


def test_each_changed_cell_in_the_forms_order_as_a_person_reads_it():
    draft = example("tortona")
    other = draft.copy()
    other.R07_2021 = Decimal("320000.00")
    other.M12_2024 = None
    other.invalid["M15_2024"] = "tanti"
    other.M15_2024 = None
    other.R40 = "Breve."
    assert differences(draft, other) == [
        Difference("M12_2024", "13", "vuota"),
        Difference("M15_2024", "5", "il valore non valido «tanti»"),
        Difference("R07_2021", "51.475,22", "320.000,00"),
        Difference("R40", "un testo di 472 caratteri", "un testo di 6 caratteri"),
    ]
    assert describe(differences(draft, other), limit=2) == (
        "M12_2024: 13 → vuota\nM15_2024: 5 → il valore non valido «tanti»\n… e altre 2 celle")
    assert differences(draft, draft.copy()) == []
    assert describe([]) == "nessuna cella diversa"


def test_a_recovery_keeps_the_text_of_an_edit_not_valid_yet():
    editor = DraftEditor(example("tortona"))
    edit = editor.begin("R08")
    edit.type("2600o")
    assert editor.pending_text == ("R08", "2600o")
    kept = editor.recovery_draft()
    assert kept.R08 is None and kept.invalid == {"R08": "2600o"}
    assert editor.draft.R08 == Decimal("4391.81")  # the draft itself keeps the valid value
    edit.type("26000")
    assert editor.pending_text is None and editor.recovery_draft().R08 == Decimal("26000.00")
    edit.type("x")
    edit.cancel()
    assert editor.pending_text is None and editor.recovery_draft() == example("tortona")


def test_one_more_cell_is_said_in_the_singular():
    draft = example("tortona")
    other = draft.copy()
    other.M12_2024, other.M15_2024 = 14, 6
    assert describe(differences(draft, other), limit=1) == "M12_2024: 13 → 14\n… e un'altra cella"
    # The recovery question shows max(1, limit // 2) derived figures, then how many more:
    # M12 hours 845 -> 900 over 13 users: 69,23; 1.000 inhabitants: R04 = 28 / 1.000 = 2,80%.
    other = draft.copy()
    other.M12_ore, other.R03 = 900, 1000
    assert brief(compare(draft, other), limit=2).splitlines() == [
        "M12_ore: 845 → 900",
        "R03: 1.120 → 1.000",
        "M12_media (calcolata): 65,00 → 69,23",
        "… e un'altra cella calcolata",
    ]
