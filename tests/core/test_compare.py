"""What differs between two versions of a draft, as the recovery question shows it."""

from __future__ import annotations

from decimal import Decimal

from soc25_tui.core.compare import Difference, describe, differences
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
