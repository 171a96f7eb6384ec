"""Text for a stream that cannot hold it (LC_ALL=C: ASCII; a cp1252 pipe on Windows): every
character the program can show has a readable stand-in, and a stream given soc25's handler
writes it instead of failing."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

import soc25_tui
from soc25_tui.core import layout, messages, terminal
from soc25_tui.core.visible import visible

SRC = Path(soc25_tui.__file__).parent


def shown_characters() -> set[str]:
    """Every non-ASCII character of the program's text: the form's labels (core/layout), the
    message catalog (core/messages), every other module's words and marks, and what
    `visible` writes for a control character."""
    chars: set[str] = set()
    for path in [Path(layout.__file__), Path(messages.__file__), *SRC.rglob("*.py"), *SRC.rglob("*.tcss")]:
        chars.update(c for c in path.read_text(encoding="utf-8") if not c.isascii())
    chars.update(c for c in visible("".join(map(chr, range(0x00, 0xA0)))) if not c.isascii())
    chars.update(visible("\u202e\udc9b"))
    return {c for c in chars if not c.isascii()}


def test_the_labels_and_messages_hold_accents_to_replace():
    """The test below has work to do: the form's texts are not ASCII."""
    found = shown_characters()
    assert {"à", "è", "ò", "ù", "«", "»", "—", "…", "€", "␛"} <= found


@pytest.mark.parametrize("narrow", [False, True], ids=["readable", "narrow"])
def test_every_character_the_program_shows_has_a_readable_stand_in(narrow):
    missing = {}
    for char in sorted(shown_characters()):
        out = terminal.stand_in(char, narrow=narrow)
        visible_char = unicodedata.category(char) not in ("Cf", "Zs")
        unknown = out.strip("?") == "" and char != "\ufffd"  # only «?»: the stand-in of nothing known
        if not out.isascii() or (visible_char and unknown):
            missing[f"U+{ord(char):04X} {unicodedata.name(char, '?')}"] = out
        if narrow:  # one column for one column: Textual has placed the rest of the line already
            assert len(out) == 1, (char, out)
    assert missing == {}


def test_what_textual_draws_with_has_a_stand_in_one_column_wide():
    """Borders, rules, scroll bars and shades (box drawing and block elements)."""
    for code in range(0x2500, 0x25A0):
        out = terminal.stand_in(chr(code), narrow=True)
        assert len(out) == 1 and out.isascii() and out not in "? ", hex(code)


def test_italian_text_in_ascii_reads_as_on_an_old_keyboard():
    text = "Utenti povertà — «perché» è così… 1.000 € · R09 → R15 ✗ X␛]0;t␇"
    assert terminal.readable(text, "ascii") == (
        "Utenti poverta' - \"perche'\" e' cosi'... 1.000 EUR - R09 -> R15 X X^[]0;t^G"
    )
    assert terminal.readable("Più è", "ascii", narrow=True) == "Piu e"
    # What the encoding holds stays: Latin-1 has the accents, not the dash nor the euro.
    assert terminal.readable("città — 5 €", "latin-1") == "città - 5 EUR"
    # Other accents dropped, the rest a question mark.
    assert terminal.readable("Ñoño ﬁne ½ 漢", "ascii") == "Nono fine 1/2 ?"


def test_a_stream_given_the_handler_writes_stand_ins_instead_of_failing():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    with pytest.raises(UnicodeEncodeError):
        stream.write("è")
        stream.flush()
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    terminal.give(stream)
    stream.write("Quadro 3 — è")
    stream.flush()
    assert raw.getvalue().endswith(b"Quadro 3 - e'")
    terminal.give(stream, terminal.NARROW)
    stream.write("|è|")
    stream.flush()
    assert raw.getvalue().endswith(b"|e|")
    terminal.give(io.StringIO())  # a stream that cannot be reconfigured: left as it is
