"""Text for a stream whose encoding cannot hold it: a readable stand-in, never a crash.

Under `LC_ALL=C PYTHONUTF8=0` (an old server) Python's standard streams are ASCII; a console or
a pipe on Windows may be cp1252 or cp850. Writing «Povertà — 1.000 €» there raises
UnicodeEncodeError (stdout) or prints «Povert\\xe0» (stderr). soc25 registers two codec error
handlers and gives them to its streams, so that what the encoding cannot hold is written as a
stand-in a person reads, and what it can hold is written as it is:

- READABLE ("soc25-readable"), for line output (`check`, `summary`, `diff`, messages):
  à → a', è → e', «» → ", — → -, … → ..., € → EUR, → → ->, ✗ → X, ␛ → ^[ (as `cat -v`),
  ⟨U+009B⟩ → <U+009B>; other accents dropped (NFKD), the rest → ?.
- NARROW ("soc25-narrow"), for the full screen: the same, but every stand-in is exactly as
  wide as what it replaces (one column for one character: à → a, € → E, → → >), because
  Textual has placed everything after it on the line already.

Only the standard library: the core never imports Textual, and `soc25 check` stays light
(unicodedata is imported at the first character that needs a stand-in).
"""

from __future__ import annotations

import codecs
import contextlib
from typing import Any

READABLE = "soc25-readable"
NARROW = "soc25-narrow"

# Wider stand-ins, for line output; NARROW uses the first character of each (see _NARROW).
_STAND_INS = {
    # The Italian accented vowels: the apostrophe of ASCII-only keyboards («perche'», «citta'»).
    "à": "a'", "è": "e'", "é": "e'", "ì": "i'", "í": "i'", "ò": "o'", "ó": "o'", "ù": "u'", "ú": "u'",
    "À": "A'", "È": "E'", "É": "E'", "Ì": "I'", "Í": "I'", "Ò": "O'", "Ó": "O'", "Ù": "U'", "Ú": "U'",
    # Letters that do not decompose.
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ı": "i",
    # Punctuation.
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "‹": "<", "›": ">",
    "—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "…": "...", "·": "-", "•": "*", "°": "o",
    "×": "x", "÷": ":", "±": "+-", "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~",
    "€": "EUR", "£": "GBP", "§": "S.", "¶": "P", "©": "(c)", "®": "(R)", "™": "TM",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\ufeff": "", "\u200b": "",
    "⟨": "<", "⟩": ">", "\ufffd": "?",
    # The program's marks: errors, notes, states, arrows, triangles.
    "✗": "X", "✘": "X", "✓": "v", "✔": "v", "✎": "N", "↺": "@", "⏎": "<-", "↵": "<-",
    "→": "->", "←": "<-", "↑": "^", "↓": "v", "↔": "<->", "⇒": "=>", "⇐": "<=",
    "▸": ">", "▶": ">", "►": ">", "◂": "<", "◀": "<", "◄": "<", "▴": "^", "▲": "^", "▾": "v", "▼": "v",
    "●": "*", "○": "o", "◆": "*", "◇": "o", "■": "#", "□": "o", "★": "*", "☆": "*", "⚠": "!",
    # Control pictures (core/visible.py) that are not "^" plus a letter: see _control_picture.
    "\u2421": "^?",  # ␡ DEL
    "\u2424": "^J",  # ␤ newline
}

# Narrow stand-ins that are not the first letter of the wider one.
_NARROW = {"…": ".", "€": "E", "→": ">", "←": "<", "⏎": "<", "↵": "<", "↔": "-", "⇒": ">", "⇐": "<",
           "±": "+", "≥": ">", "≤": "<", "≠": "#", "©": "c", "®": "R", "™": "T", "§": "S"}


def _box(name: str) -> str:
    """A box-drawing character (U+2500-U+257F) by its shape: ─ ━ → -, ═ → =, │ ║ → |,
    corners and junctions → +, ╱ ╲ ╳ → / \\ X."""
    if "DIAGONAL" in name:
        return "X" if "CROSS" in name else ("/" if "UPPER RIGHT TO LOWER LEFT" in name else "\\")
    upright = any(word in name for word in ("VERTICAL", " UP", " DOWN"))
    across = any(word in name for word in ("HORIZONTAL", " LEFT", " RIGHT"))
    if across and not upright:
        return "=" if "DOUBLE" in name else "-"
    if upright and not across:
        return "|"
    return "+"


def _block(name: str) -> str:
    """A block element (U+2580-U+259F): bars of a scroll bar or a border, shades."""
    if "SHADE" in name or "FULL BLOCK" in name or "QUADRANT" in name:
        return "#"
    if "LEFT" in name or "RIGHT" in name:
        return "|"
    if "LOWER" in name:
        return "_"
    return "-"  # upper half, upper one eighth


def _control_picture(code: int) -> str:
    """␀-␟ (U+2400-U+241F), which core/visible.py shows for a control character: its caret
    notation, as `cat -v` writes it (␛ → ^[, ␊ → ^J, ␀ → ^@)."""
    return "^" + chr(code - 0x2400 + 0x40)


def stand_in(char: str, *, narrow: bool = False) -> str:
    """What to write for `char` where it cannot be written: ASCII, never empty for a visible
    character (an invisible one, a zero-width space, may vanish); `narrow`: exactly one
    character for a character one column wide (the full screen)."""
    text = _wide(char)
    if not narrow:
        return text
    if char in _NARROW:
        return _NARROW[char]
    if char in ("\ufeff", "\u200b"):
        return ""
    import unicodedata

    width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return (text or "?")[:1] * width


def _wide(char: str) -> str:
    found = _STAND_INS.get(char)
    if found is not None:
        return found
    code = ord(char)
    if 0x2400 <= code <= 0x241F:
        return _control_picture(code)
    import unicodedata

    name = unicodedata.name(char, "")
    if 0x2500 <= code <= 0x257F:
        return _box(name)
    if 0x2580 <= code <= 0x259F:
        return _block(name)
    # Other accents dropped: ā ç ñ ő → a c n o; ﬁ → fi; ½ → 1/2 (the decomposition's own
    # non-ASCII characters, like the fraction slash, through the table once).
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if decomposed and decomposed != char:
        out = "".join(c if c.isascii() else _STAND_INS.get(c, "/" if c == "\u2044" else "?") for c in decomposed)
        if out.strip("?"):
            return out
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category == "Pd":
        return "-"
    if category in ("Pi", "Pf"):
        return '"'
    if category in ("Cf", "Mn", "Me"):  # invisible: format characters, lone combining marks
        return ""
    return "?"


def _replacing(narrow: bool) -> Any:
    def handler(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        part = exc.object[exc.start:exc.end]
        return "".join(stand_in(c, narrow=narrow) for c in part), exc.end

    return handler


_registered = False


def register() -> None:
    """Make READABLE and NARROW known to the codecs (once; cheap)."""
    global _registered
    if not _registered:
        codecs.register_error(READABLE, _replacing(False))
        codecs.register_error(NARROW, _replacing(True))
        _registered = True


def give(stream: Any, handler: str = READABLE) -> None:
    """Let `stream` (a text stream: sys.stdout, sys.__stderr__) write what its encoding cannot
    hold as `handler`'s stand-ins. Nothing for a stream that cannot be reconfigured (a test's
    capture, a StringIO, a closed stream)."""
    register()
    with contextlib.suppress(AttributeError, ValueError, OSError):
        stream.reconfigure(errors=handler)


def readable(text: str, encoding: str, *, narrow: bool = False) -> str:
    """`text` as `encoding` can hold it (the stand-ins where it cannot): for a width computed
    before writing, or a test."""
    register()
    return text.encode(encoding, NARROW if narrow else READABLE).decode(encoding)


def typed(text: str) -> str:
    """A command-line argument that is text, not a file's name (a note, a Comune), as the
    person typed it. Under an ASCII locale Python keeps each byte it could not decode as a lone
    surrogate (surrogateescape: «Perché» arrives as «Perch\\udcc3\\udca9»), which no draft can
    hold; the terminal almost always sent UTF-8, so the bytes are read as UTF-8 (what is not
    UTF-8 becomes «\\ufffd», seen and retyped). A file's name keeps its bytes: not for those."""
    if text.isascii() or not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    import os

    try:
        raw = os.fsencode(text)
    except UnicodeError:  # a surrogate the file system's encoding did not make
        raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")
