"""Hostile files, as hypothesis strategies: drafts and printed forms written by someone else,
carelessly or on purpose. Each is the file's bytes, not a Draft: what a reviewer's `soc25`
meets on a shared server.

- figures: past 15 digits, of thousands of digits (Python's 4.300-digit int limit), with
  exponents (1e400), inf/nan, negative, as strings in Italian format;
- structure: arrays nested up to 1.200 deep, tables where a value goes, unknown sections
  and cells, a cell twice, wrong types;
- text: terminal control sequences (OSC title, clear screen, OSC 8 link, OSC 52 clipboard,
  C1 CSI), Rich markup, Markdown links and HTML tags, bidirectional overrides, megabytes;
- bytes: a byte-order mark, Windows-1252, invalid UTF-8, NUL, random binary.
"""

from __future__ import annotations

from hypothesis import strategies as st

from soc25_tui.core.layout import INPUT_CELLS, SECTION_BY_QUADRO

from .conftest import SEEDS

# What a terminal obeys and a renderer interprets: every output must show these, not act.
ESCAPES = [
    "\x1b]0;titolo rubato\x07",  # OSC 0: the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # OSC 52: the clipboard
    "\x9b31m",  # C1 CSI
    "\x1bP+q\x1b\\",  # DCS
    "\u202eesrever",  # right-to-left override
]
MARKUP = [
    "[bold red]X[/]",
    "X[/]",
    "[link=file:///etc/passwd]L[/link]",
    "[@click=app.quit]q[/]",
    "[l](javascript:alert(1))",
    "<script>alert(1)</script>",
    "![i](http://x/y.png)",
    "**grassetto** _c_ `codice` | a | b |",
    "&amp; &lt;",
]
# Bytes a terminal obeys: none may reach stdout or stderr from data. (ESC, BEL, C1 CSI, the
# string terminator, the RLO override as UTF-8.)
RAW_FORBIDDEN = [b"\x1b", b"\x07", "\x9b".encode(), "\x9c".encode(), "\u202e".encode()]

_CELLS = [c for c in INPUT_CELLS]
_NAMES = [c.name for c in _CELLS]
_SECTION = {c.name: SECTION_BY_QUADRO[c.quadro] for c in _CELLS}


def _toml_string(text: str) -> str:
    """A basic TOML string holding any text (control characters as \\u escapes)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_hostile_text = st.lists(
    st.one_of(st.sampled_from(ESCAPES), st.sampled_from(MARKUP), st.text(max_size=12)), min_size=1, max_size=6
).map("".join)

_figures = st.one_of(
    st.integers(min_value=15, max_value=60).map(lambda n: "9" * n),
    st.integers(min_value=4301, max_value=5000).map(lambda n: "1" * n),
    st.sampled_from(["1e400", "1e-400", "-1e40", "inf", "-inf", "nan", "-0.0", "1e15", "999999999999999.999"]),
    st.integers(min_value=16, max_value=80).map(lambda n: '"1' + "0" * n + '"'),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str).filter(lambda s: "E" not in s),
)
_nested = st.integers(min_value=1, max_value=1200).map(lambda n: "[" * n + "1" + "]" * n)
_wrong_types = st.sampled_from(["true", "[1, 2]", '{ a = 1 }', "1979-05-27", "[]", "{}", '"SI"', '"NO"', '"NC"', '"1:5000"'])


@st.composite
def _value(draw) -> str:
    kind = draw(st.sampled_from(["figure", "nested", "wrong", "text", "long"]))
    if kind == "figure":
        return draw(_figures)
    if kind == "nested":
        return draw(_nested)
    if kind == "wrong":
        return draw(_wrong_types)
    if kind == "long":
        return _toml_string(draw(_hostile_text) * draw(st.integers(min_value=100, max_value=20_000)))
    return _toml_string(draw(_hostile_text))


_SCHEMAS = ["0", "99", '"1"', "1.5", "[1]"]


@st.composite
def draft_texts(draw) -> str:
    """A draft's TOML text, each cell hostile or not, sometimes with odd structure."""
    cells = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=8, unique=True))
    by_section: dict[str, list[str]] = {}
    for name in cells:
        by_section.setdefault(_SECTION[name], []).append(f"{name} = {draw(_value())}")
    odd = draw(st.sampled_from(["", "", "", "unknown-section", "twice", "schema", "top-level"]))
    if odd == "unknown-section":
        by_section["quadro9"] = ["X = 1"]
    elif odd == "twice":
        first = next(iter(by_section))
        by_section[first].append(by_section[first][0])
    lines = []
    if odd == "schema":
        lines.append("schema_version = " + draw(st.sampled_from(_SCHEMAS)))
    if odd == "top-level":
        lines.append(f"comune = {_toml_string(draw(_hostile_text))}")
    for section, entries in by_section.items():
        lines.append(f"[{section}]")
        lines.extend(entries)
    return "\n".join(lines) + "\n"


@st.composite
def draft_bytes(draw) -> bytes:
    """A draft file's bytes: mostly TOML text, sometimes with a BOM, in Windows-1252, cut in
    half, or binary."""
    text = draw(draft_texts())
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "cp1252", "cut", "binary", "nul"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if how == "cp1252":
        return ("# città perché €\n" + text).encode("cp1252", "replace")
    if how == "cut":
        raw = text.encode()
        return raw[: draw(st.integers(min_value=0, max_value=len(raw)))]
    if how == "binary":
        return draw(st.binary(min_size=1, max_size=400))
    if how == "nul":
        return text.encode().replace(b"\n", b"\n\x00", 1)
    return text.encode()


def _seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@st.composite
def form_bytes(draw) -> bytes:
    """A printed form's text, mangled: cut short, lines dropped, figures made huge, hostile
    text inserted, re-encoded, or replaced by binary."""
    text = draw(st.sampled_from(_seeds()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        how = draw(st.sampled_from(["cut", "drop", "huge", "insert", "replace-line"]))
        if not lines:
            break
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if how == "cut":
            lines = lines[:at]
        elif how == "drop":
            del lines[at]
        elif how == "huge":
            lines[at] = "".join("9" * 40 if ch.isdigit() else ch for ch in lines[at])
        elif how == "insert":
            lines.insert(at, draw(_hostile_text))
        else:
            lines[at] = draw(_hostile_text)
    out = "\n".join(lines) + "\n"
    how = draw(st.sampled_from(["utf-8", "utf-8", "bom", "cp1252", "binary"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + out.encode()
    if how == "cp1252":
        return out.encode("cp1252", "replace")
    if how == "binary":
        return draw(st.binary(min_size=1, max_size=2000))
    return out.encode()
