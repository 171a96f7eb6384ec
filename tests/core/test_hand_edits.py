"""A draft a person edited by hand (comments, blank lines, their own order) keeps those edits
when soc25 saves it: only the cells that changed change.

Every expected text is written here by hand from the file before and the change made."""

import re
import subprocess
import sys
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings

from soc25_tui.cli import main
from soc25_tui.core import keeping
from soc25_tui.core.drafts import dumps, load, loads, save
from soc25_tui.core.r40 import propose

from ..conftest import EXAMPLES
from ..factories import example
from ..strategies import drafts as any_draft


def _save_over(tmp_path, before: str, **changes) -> str:
    """Write `before`, load it, set `changes`, save; the text saved."""
    path = tmp_path / "bozza.toml"
    path.write_text(before, encoding="utf-8")
    draft = load(path)
    for name, value in changes.items():
        draft.set(name, value)
    save(path, draft)
    assert load(path) == draft
    return path.read_text(encoding="utf-8")


ANNOTATED = """\
# Bozza di Sondrio, rivista da Anna il 3 marzo
schema_version = 1

[intestazione]  # dati del Comune
comune = "SONDRIO"
provincia = "SO"

# Quadro 1: numeri dal gestionale
[quadro1]
M12_2019 = 327   # dal registro 2019
M12_2024 = 1131

# le ore vanno ricontrollate
M12_ore = 81489

[quadro2]
R06 = 1984440.83

[quadro3]

[quadro4]
R16 = "SI"

# fine: da rivedere con l'ATS
"""


def test_comments_and_blank_lines_survive_a_change(tmp_path):
    saved = _save_over(tmp_path, ANNOTATED, M12_2019=330, M12_ore=81500)
    assert saved == ANNOTATED.replace(
        "M12_2019 = 327   # dal registro 2019", "M12_2019 = 330   # dal registro 2019"
    ).replace("M12_ore = 81489", "M12_ore = 81500")


def test_a_save_with_nothing_changed_leaves_the_file_as_it_was(tmp_path):
    assert _save_over(tmp_path, ANNOTATED) == ANNOTATED


def test_removed_cell_goes_with_its_comment_and_new_cells_follow_the_form(tmp_path):
    before = """\
schema_version = 1

[intestazione]
comune = "SONDRIO"

[quadro1]
# bambini di 0-2 anni
M12_2019 = 327  # dal registro
M12_2024 = 1131 # da togliere
M15_2019 = 183

[quadro2]

[quadro3]

[quadro4]
R40 = "Relazione"  # scritta da Anna
"""
    saved = _save_over(
        tmp_path, before,
        M12_2024=None,  # removed
        M12_ore=81489,  # after M12_2019: M12_2024, before it in the form, is gone
        provincia="SO",  # after comune
        R06=Decimal("1984440.83"),  # into an empty section
        R16="SI",  # before R40: no cell of Quadro 4 before it is in the file
    )
    assert saved == """\
schema_version = 1

[intestazione]
comune = "SONDRIO"
provincia = "SO"

[quadro1]
# bambini di 0-2 anni
M12_2019 = 327  # dal registro
M12_ore = 81489
M15_2019 = 183

[quadro2]
R06 = 1984440.83

[quadro3]

[quadro4]
R16 = "SI"
R40 = "Relazione"  # scritta da Anna
"""


def test_a_hand_reordered_file_keeps_its_order(tmp_path):
    before = """\
schema_version = 1

[quadro4]

[quadro2]
R07_2017 = 1831062.70
R06 = 1984440.83

[quadro1]
M15_2019 = 183
M12_2019 = 327

[intestazione]
provincia = "SO"
comune = "SONDRIO"

[quadro3]
"""
    saved = _save_over(tmp_path, before, M12_2019=330, R06=Decimal("1984441.00"), M15_2024=313)
    assert saved == """\
schema_version = 1

[quadro4]

[quadro2]
R07_2017 = 1831062.70
R06 = 1984441.00

[quadro1]
M15_2019 = 183
M15_2024 = 313
M12_2019 = 330

[intestazione]
provincia = "SO"
comune = "SONDRIO"

[quadro3]
"""


def test_missing_sections_and_schema_version_are_added(tmp_path):
    before = """\
# scritta a mano
[quadro1]
M12_2019 = 327

[intestazione]
comune = "SONDRIO"
"""
    # schema_version after the comments at the top, before the first section; a section
    # after the nearest one before it in the form that the file has.
    saved = _save_over(tmp_path, before, R06=Decimal("1984440.83"))
    assert saved == """\
# scritta a mano
schema_version = 1

[quadro1]
M12_2019 = 327

[quadro2]
R06 = 1984440.83

[quadro3]

[quadro4]

[intestazione]
comune = "SONDRIO"
"""


def test_unchanged_values_keep_their_spelling_changed_ones_take_soc25s(tmp_path):
    before = """\
schema_version = 1

[intestazione]
comune = 'SONDRIO'   # tra apici: un testo letterale

[quadro1]
R01_2020 = 7   # senza decimali
R01_2024 = 16

[quadro2]

[quadro3]

[quadro4]
R40 = "Prima riga\\nseconda riga"
"""
    # R01_2024 = 16 reads as 16.00 and stays as written; R01_2020, changed, is written as
    # soc25 writes an amount.
    saved = _save_over(tmp_path, before, R01_2020=Decimal("7.50"))
    assert saved == before.replace("R01_2020 = 7   #", "R01_2020 = 7.50   #")


def test_r40_on_many_lines_with_quotes_and_backslashes(tmp_path):
    before = """\
schema_version = 1

[intestazione]
comune = "SONDRIO"

[quadro1]

[quadro2]

[quadro3]

[quadro4]
# la relazione è di Anna
R40 = \"\"\"
Prima versione\"\"\"  # da completare
"""
    r40 = 'Il "Piano di zona" 2024\nusa C:\\dati\\soc25 e tre virgolette """ di fila.'
    saved = _save_over(tmp_path, before, R40=r40)
    assert saved == before.replace(
        'R40 = """\nPrima versione"""',
        'R40 = """\nIl \\"Piano di zona\\" 2024\nusa C:\\\\dati\\\\soc25 e tre virgolette \\"\\"\\" di fila."""',
    )


def test_amounts_stay_exact(tmp_path):
    before = """\
schema_version = 1

[quadro2]
R06 = 1984440.83  # da delibera
R07_2017 = 1.10
"""
    # 999999999999999.99 has 17 digits: a float would write 1000000000000000.0.
    saved = _save_over(tmp_path, before, R07_2017=Decimal("999999999999999.99"))
    assert "R06 = 1984440.83  # da delibera\nR07_2017 = 999999999999999.99\n" in saved


def test_unreadable_values_are_kept_as_they_were_written(tmp_path):
    before = """\
schema_version = 1

[intestazione]

[quadro1]
M12_2019 = "dieci"  # da chiedere al servizio
M12_2024 = [1, 2]
M15_2019 = 183

[quadro2]

[quadro3]

[quadro4]
"""
    saved = _save_over(tmp_path, before, M15_2019=184)
    assert saved == before.replace("M15_2019 = 183", "M15_2019 = 184")


# --- the safety net ---------------------------------------------------------------------


ODD = """\
# una tabella dentro una cella di testo (illeggibile, conservata), scritta fuori posto
schema_version = 1

[intestazione]
comune = "SONDRIO"

[quadro1]
M12_2019 = 327

[intestazione.istat]
codice = 14061
"""


def test_an_odd_file_is_saved_as_a_new_draft_would_be(tmp_path):
    path = tmp_path / "bozza.toml"
    path.write_text(ODD, encoding="utf-8")
    draft = load(path)
    draft.set("provincia", "SO")  # a new cell in the section written in two parts
    save(path, draft)
    assert path.read_text(encoding="utf-8") == dumps(draft)
    assert load(path) == draft


def test_a_kept_layout_that_reads_differently_is_not_used(monkeypatch):
    before = ANNOTATED.encode()
    fresh = ANNOTATED.replace("M12_2024 = 1131", "M12_2024 = 1132")
    # Whatever goes wrong in the merge (a value lost, a type changed, an exception): the
    # fresh text is written.
    monkeypatch.setattr(keeping, "_merge", lambda *a: fresh.replace("M12_2024 = 1132\n", ""))
    assert keeping.keep_layout(before, fresh, loads) == fresh
    monkeypatch.setattr(keeping, "_merge", lambda *a: fresh.replace('R16 = "SI"', "R16 = true"))
    assert keeping.keep_layout(before, fresh, loads) == fresh

    def broken(*a):
        raise KeyError("tomlkit")

    monkeypatch.setattr(keeping, "_merge", broken)
    assert keeping.keep_layout(before, fresh, loads) == fresh


def _annotated(text: str) -> str:
    """`text` with a comment above and beside every section header and one at the end."""
    return re.sub(r"^(\[\w+\])$", r"# nota\n\1  # accanto", text, flags=re.MULTILINE) + "# fine\n"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(any_draft(fill=0.3), any_draft(fill=0.3))
def test_any_draft_saved_over_any_annotated_draft_keeps_the_comments(tmp_path_factory, first, second):
    # A table in a text cell (kept unreadable) is written as a [section.cell] of its own:
    # the odd structure of the fallback above.
    assume(not any(isinstance(v, dict) for d in (first, second) for v in d.invalid.values()))
    path = tmp_path_factory.mktemp("h") / "bozza.toml"
    path.write_text(_annotated(dumps(first)), encoding="utf-8")
    save(path, second)
    saved = path.read_text(encoding="utf-8")
    assert load(path) == second
    assert saved.count("# nota\n[") == 5 and saved.count("]  # accanto\n") == 5 and saved.endswith("# fine\n")


def test_reading_a_draft_does_not_import_tomlkit(examples_dir):
    code = (
        "import sys; from soc25_tui.core.drafts import load; "
        f"load({str(examples_dir / 'sondrio.toml')!r}); print('tomlkit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_r40_write_keeps_the_comments_of_the_draft(tmp_path, capsys):
    before = (EXAMPLES / "sondrio.toml").read_text(encoding="utf-8").replace(
        "[quadro2]\n", "# importi dal rendiconto 2024\n[quadro2]  # verificati\n"
    ).replace("R06 = 1984440.83\n", "R06 = 1984440.83  # delibera 12/2024\n")
    path = tmp_path / "sondrio.toml"
    path.write_text(before, encoding="utf-8")
    assert main(["r40", str(path), "--write"]) == 0
    saved = path.read_text(encoding="utf-8")
    lines = iter(saved.splitlines())
    assert all(line in lines for line in before.splitlines())  # every line, in its order
    assert load(path).R40 == propose(example("sondrio"))


def test_a_file_far_bigger_than_a_draft_is_rewritten_whole_at_once(tmp_path):
    """tomlkit takes time quadratic in blank lines: 200.000 of them are not kept (a draft has
    some 150 lines), the save writes the draft as new."""
    path = tmp_path / "bozza.toml"
    text = (EXAMPLES / "sondrio.toml").read_text(encoding="utf-8")
    path.write_text(text + "\n" * 200_000, encoding="utf-8")
    draft = load(path)
    save(path, draft)
    assert path.read_text(encoding="utf-8") == dumps(draft)


def test_a_draft_of_a_few_hundred_lines_keeps_its_layout(tmp_path):
    text = (EXAMPLES / "sondrio.toml").read_text(encoding="utf-8")
    before = "# nota\n" * 300 + text
    after = _save_over(tmp_path, before)
    assert after.startswith("# nota\n" * 300)
