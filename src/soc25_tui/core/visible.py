"""Text from a file is data, never instructions: control characters shown, not obeyed.

A draft, a printed form, a lock file or a file name is someone else's text. Written raw to a
terminal, `ESC ] 0 ; ... BEL` retitles the reader's window, `ESC [ 2J` clears it, OSC 8 and
OSC 52 make links and fill the clipboard; the bidirectional overrides reorder what a reader
sees. Every output (the terminal, text, Markdown, HTML, SVG, JSON, the TUI) shows such
characters by `visible`, and the draft keeps them as they were.

How they are shown (one character or one bracketed code each, never confused with text):

- C0 controls U+0000-U+001F as their Unicode control pictures: ESC as ␛, BEL as ␇, NUL as
  ␀, a line feed as ␊, a tab as ␉ (newline and tab are kept where multi-line text is shown);
- DEL U+007F as ␡;
- C1 controls U+0080-U+009F and the bidirectional embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069) as their code point in angle brackets: ⟨U+009B⟩, ⟨U+202E⟩;
- a byte of a file name that is not UTF-8 (Python's surrogateescape) as ⟨0x9B⟩.

`visible` is idempotent: what it returns holds none of these characters, so text already
shown may pass again (a message quoting a value, then the line that prints the message).
"""

from __future__ import annotations

import re

# Every character that a terminal may obey or that reorders text on screen.
# Lone surrogates too: a file name that is not UTF-8 reaches Python as U+DC80-U+DCFF
# (surrogateescape), and written out it would be the raw byte again (0x9B: a C1 CSI).
# The patterns of this module are compiled on first use (re's cache): most text has none of
# these characters, and compiling them would cost `soc25 check` two milliseconds of its start.
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_UNSAFE_MULTILINE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"

_CONTROL_PICTURES = 0x2400  # U+2400 ␀ ... U+241F ␟
_DEL_PICTURE = "\u2421"  # ␡


def _shown(match: re.Match[str]) -> str:
    """One unsafe character as a person reads it: ␛, ␡, ⟨U+009B⟩."""
    code = ord(match.group())
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DEL_PICTURE
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8, as surrogateescape keeps it
        return f"⟨0x{code - 0xDC00:02X}⟩"
    return f"⟨U+{code:04X}⟩"


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character (and bidirectional override) shown, not obeyed.

    `multiline`: keep newline and tab, for text shown on several lines (R40, the final note,
    a message of several lines); elsewhere they are shown too (␊, ␉)."""
    if text.isprintable():  # the usual case, and quick: no control character at all
        return text
    return re.sub(_UNSAFE_MULTILINE if multiline else _UNSAFE, _shown, text)


_JSON_UNSAFE = "[\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def json_safe(document: str) -> str:
    """A JSON text (json.dumps with ensure_ascii=False) with the characters json leaves raw
    escaped as \\uXXXX: DEL, the C1 controls and the bidirectional overrides. json escapes
    C0 itself; these can only be inside strings, so the result is the same JSON value."""
    if document.isprintable() or re.search(_JSON_UNSAFE, document) is None:  # quick, then sure
        return document
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", document)


__all__ = ["json_safe", "visible"]
