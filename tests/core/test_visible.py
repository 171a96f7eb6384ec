"""Text from files is data, never instructions: control characters are shown, not obeyed,
in everything the core writes for a person; the draft keeps them as they were."""

from __future__ import annotations

import json
import re

import pytest

from soc25_tui.core.assess import assess
from soc25_tui.core.drafts import dumps, loads
from soc25_tui.core.editing import DraftEditor
from soc25_tui.core.r40 import propose
from soc25_tui.core.report import as_json, as_text, json_text
from soc25_tui.core.outputs import BINARY, FORMATS, render
from soc25_tui.core.values import display, edit_text
from soc25_tui.core.visible import json_safe, visible

from ..factories import make

# What a hostile draft holds: an OSC title, a BEL, a screen clear, Rich markup, an OSC 8
# link in markup, and a C1 CSI (U+009B, the one-byte ESC [).
HOSTILE = "X\x1b]0;pwned\x07Y\x1b[2J[bold red]Z[/][link=file:///etc/passwd]L[/link]\x9b31m"
# As a person reads it: ESC, BEL as their control pictures, U+009B by its code.
HOSTILE_SHOWN = "X␛]0;pwned␇Y␛[2J[bold red]Z[/][link=file:///etc/passwd]L[/link]⟨U+009B⟩31m"
HOSTILE_R40 = (HOSTILE + "\nSeconda riga\tcon tab [l](javascript:alert(1)) <script>alert(1)</script>"
               " \u202eabc")

# Every character a terminal may obey or that reorders text: C0, DEL, C1, the bidirectional
# embeddings, overrides and isolates.
UNSAFE = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
RAW = re.compile("[" + "".join(re.escape(c) for c in UNSAFE) + "]")
RAW_BUT_LINES = re.compile("[" + "".join(re.escape(c) for c in UNSAFE if c not in "\n\t") + "]")


def hostile_draft():
    return make(comune=HOSTILE, provincia="S\x1bO", R0C=HOSTILE, R40=HOSTILE_R40)


# --- the function -------------------------------------------------------------------------


def test_each_control_character_is_shown_by_its_picture_or_its_code():
    # C0: the Unicode control pictures U+2400-U+241F, in the same order; DEL: U+2421.
    for code in range(0x20):
        assert visible(chr(code)) == chr(0x2400 + code)
    assert visible("\x1b") == "␛" and visible("\x07") == "␇" and visible("\x00") == "␀"
    assert visible("\x7f") == "␡"
    # C1 and the bidirectional controls: the code point between angle brackets.
    assert visible("\x9b") == "⟨U+009B⟩" and visible("\x80") == "⟨U+0080⟩"
    assert visible("\u202e") == "⟨U+202E⟩" and visible("\u2066") == "⟨U+2066⟩"
    assert visible(HOSTILE) == HOSTILE_SHOWN
    for char in UNSAFE:
        assert RAW.search(visible(char)) is None, repr(char)


def test_newline_and_tab_are_kept_only_in_text_shown_on_several_lines():
    assert visible("a\nb\tc") == "a␊b␉c"
    assert visible("a\nb\tc", multiline=True) == "a\nb\tc"
    # A carriage return rewrites the line on a terminal: shown even in multi-line text.
    assert visible("a\rb\x1bc", multiline=True) == "a␍b␛c"


def test_ordinary_text_is_untouched_and_showing_twice_changes_nothing():
    text = "Città di Forlì «Sant'Agata» € 1.234,56 — [nota] <b> ␛ già visibile"
    assert visible(text) == text
    assert visible(visible(HOSTILE_R40)) == visible(HOSTILE_R40)
    assert visible(visible(HOSTILE_R40, multiline=True), multiline=True) == visible(HOSTILE_R40, multiline=True)


def test_json_escapes_what_json_leaves_raw_and_keeps_the_value():
    value = {"comune": HOSTILE_R40, "x": "\x7f\x85"}
    raw = json.dumps(value, ensure_ascii=False)
    assert "\x9b" in raw and "\u202e" in raw  # json keeps C1 and bidi raw with ensure_ascii=False
    safe = json_safe(raw)
    assert RAW.search(safe) is None
    assert "\\u009b" in safe and "\\u202e" in safe and "\\u007f" in safe
    assert json.loads(safe) == value


# --- the draft keeps its text; every output shows it -------------------------------------


def test_the_draft_keeps_its_text_values_and_problems_show_it():
    draft = loads(dumps(hostile_draft()))  # saved and read back: kept as it was
    assert draft.comune == HOSTILE and draft.R40 == HOSTILE_R40 and draft.provincia == "S\x1bO"
    outcome = assess(draft).outcome
    assert display("comune", draft, outcome) == HOSTILE_SHOWN
    assert edit_text("comune", draft, outcome) == HOSTILE  # what an edit keeps if unchanged
    problems = {p.cell: p.text for p in assess(draft).problems}
    assert problems["provincia"].startswith("«S␛O» non è una sigla di provincia")
    # A value kept unreadable from the file is quoted shown, and kept as it was.
    bad = loads('[quadro1]\nM12_2019 = "dieci\\u001b]0;x\\u0007"\n')
    assert bad.invalid["M12_2019"] == "dieci\x1b]0;x\x07"
    outcome = assess(bad).outcome
    assert display("M12_2019", bad, outcome) == "«dieci␛]0;x␇»"
    [text] = [p.text for p in assess(bad).problems if p.cell == "M12_2019"]
    assert text.startswith("«dieci␛]0;x␇» non è un valore valido")


def test_typed_text_is_refused_with_what_was_typed_shown():
    editor = DraftEditor(make())
    refusal = editor.try_set_text("M12_2019", "1\x1b[2J")
    assert refusal.startswith("M12_2019: «1␛[2J» non è un numero valido")


def test_check_text_and_json_hold_no_raw_control_character():
    draft = hostile_draft()
    a = assess(draft)
    text = as_text("a\x1b[2Jb.toml", draft, a)
    assert RAW_BUT_LINES.search(text) is None
    assert f"== a␛[2Jb.toml — Comune {HOSTILE_SHOWN} (S␛O)" in text
    document = json_text(as_json("a\x1b[2Jb.toml", draft, a), indent=1)
    assert RAW_BUT_LINES.search(document) is None
    data = json.loads(document)
    assert data["draft"] == "a\x1b[2Jb.toml"  # JSON keeps the data, escaped as JSON
    assert data["cells"]["comune"] == HOSTILE and data["cells"]["R40"] == HOSTILE_R40


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in BINARY])  # the PDF: test_summary_pdf
def test_the_summary_in_every_format_shows_control_characters(fmt):
    out = render(hostile_draft(), fmt, 100)
    assert RAW_BUT_LINES.search(out) is None  # R40's line breaks and tab are its own
    if fmt == "md":
        out = out.replace("\\", "")  # Markdown's escapes of [ ] and the like
    assert "␛]0;pwned␇" in out and "⟨U+009B⟩31m" in out


def test_markdown_escapes_links_images_tags_and_entities_from_data():
    draft = make(comune="[l](javascript:alert(1)) ![i](http://x/i.png) <script>&amp; ~~s~~",
                 R40="Riga [l](javascript:alert(1))\n<img src=x onerror=alert(1)>")
    md = render(draft, "md")
    assert "**Comune:** \\[l\\](javascript:alert(1)) !\\[i\\](http://x/i.png) \\<script\\>\\&amp; \\~\\~s\\~\\~" in md
    assert "Riga \\[l\\](javascript:alert(1))  \n\\<img src=x onerror=alert(1)\\>" in md
    # Not one tag, nor a "](" that Markdown reads as a link, unescaped.
    assert re.search(r"(?<!\\)<", md) is None and re.search(r"(?<!\\)\]\(", md) is None


def test_html_and_svg_escape_tags_and_quote_no_data_raw():
    draft = make(comune='"><script>alert(1)</script>', R40="<b onmouseover=x>\x1b[2J</b>")
    page = render(draft, "html")
    assert "<script>" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>SOC25 2024 - &quot;&gt;&lt;script&gt;" in page
    assert "\x1b" not in page and "␛[2J" in page
    svg = render(draft, "svg")
    assert "<script>" not in svg and "\x1b" not in svg


def test_the_proposal_for_r40_quotes_the_ats_shown():
    draft = make(R0C="ATS\x1b]0;x\x07", R0E=4718)
    text = propose(draft, assess(draft).outcome)
    assert "«ATS␛]0;x␇»" in text and "\x1b" not in text


def test_the_status_line_shows_the_comune_with_its_control_characters_visible():
    left, _ = DraftEditor(hostile_draft()).status_text(200)
    assert left.startswith(f"{HOSTILE_SHOWN} (S␛O) · ")


def test_an_edit_confirmed_as_shown_keeps_the_text_as_it_was():
    editor = DraftEditor(hostile_draft())
    edit = editor.begin("comune")
    assert edit.shown == HOSTILE_SHOWN
    assert edit.type(edit.shown) == ""  # Enter on the edit line as it showed the name
    assert editor.draft.comune == HOSTILE and not editor.dirty
    # Changed, the cell holds what was shown and typed: no hidden character goes in.
    assert edit.type(edit.shown + "!") == ""
    assert editor.draft.comune == HOSTILE_SHOWN + "!"


def test_text_appended_to_r40_is_taken_as_shown():
    editor = DraftEditor(make(R40="Inizio"))
    assert editor.append_r40(" fine\x1b[2J") == ""
    assert editor.draft.R40 == "Inizio fine␛[2J"
