"""A quick path for the plain TOML that soc25 itself writes, in front of tomllib.

Reading the TOML is most of what `soc25 check` does per draft (tomllib is pure Python). A
draft as soc25 writes it is a handful of `[sections]` and `NAME = value` lines whose values are
whole numbers, decimals with a point, texts without escapes and multi-line texts (R40). For
exactly those, `read` builds the same dictionary tomllib would, several times faster; for
anything else, however valid, it returns None and the caller asks tomllib, which also gives
every error. So there is still one TOML reader, and this is a shortcut for its commonest input:

- `read(text)` is either None or equal to `tomllib.loads(text)` (with the same `parse_float`);
  tests/core/test_quicktoml.py checks it on drafts soc25 writes and on hostile texts.
- It takes nothing it would have to interpret: no escape (a backslash anywhere in a text), no
  control character anywhere, no quoted or dotted name, no array, table array, inline table,
  date, exponent, `+`, underscore in a number, `\\r`, or a name given twice: any of them, and it
  is tomllib's file.
- It is linear in the text: one regular expression takes it line by line, and backtracks no
  more than a line's worth.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Characters TOML refuses raw (tab and newline aside), and a backslash (an escape to interpret),
# and \r (a Windows line end): any of them, and tomllib reads the text.
_DECLINE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f\\\r]')

# One line (a multi-line text spans several): blank or a comment, a [section], NAME = value;
# or, last, any other line (`other`): then the text is not of the plain kind. Every line
# matches one of them, so the matches follow each other from the first character to the last.
_LINES = re.compile(
    r"[ \t]*(?:"
    r"\[([A-Za-z0-9_-]+)\]"
    r"|([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"
    r"(-?(?:0|[1-9][0-9]{0,17}))"
    r"|(-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,20})"
    r"|\"([^\"\n]*)\""
    r"|(true|false)"
    r"|\"\"\"((?:[^\"]|\"(?!\"\"))*)\"\"\"(?!\"))"
    r")?[ \t]*(?:#[^\n]*)?\n"
    r"|([^\n]*\n)"
)


def read(text: str, parse_float: Callable[[str], Any] = float) -> dict[str, Any] | None:
    """`text` as tomllib.loads(text, parse_float=parse_float) reads it, or None when the text
    is not of the plain kind this reads (then tomllib must)."""
    if _DECLINE.search(text):
        return None
    if not text.endswith("\n"):
        text += "\n"
    root: dict[str, Any] = {}
    table = root
    for name, key, whole, decimal, plain, truth, long, other in _LINES.findall(text):
        if other:
            return None
        if name:
            if name in root:
                return None  # a section given twice, or a name that is already a value
            table = root[name] = {}
        elif key:
            if key in table:
                return None  # tomllib: «Cannot overwrite a value»
            if whole:
                table[key] = int(whole)
            elif decimal:
                table[key] = parse_float(decimal)
            elif truth:
                table[key] = truth == "true"
            elif long:
                # the newline right after the opening quotes is not in the text
                table[key] = long[1:] if long.startswith("\n") else long
            else:
                table[key] = plain  # "" too: the one value with every group empty
    return root
