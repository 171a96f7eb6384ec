"""Pictures of the figures a person would rather look at than read: users 2019 → 2024 by row
of Quadro 1, the service level R04 against R05, the reference spending against the need R06,
and (when Quadro 3 applies) R15 against R09.

`pictures()` gives each picture as plain data (groups of bars, each with its figure as the
portal prints it and a text alternative in words); `svg()` draws one as an inline accessible
SVG (the HTML and PDF documents), `bars()` as compact text bars (the terminal summary, the
final screen, Markdown). Every fact comes from `rules.Outcome` (computed once), every figure
is formatted by `values.display` (as the summary shows the cell), every code and label comes
from `layout`.

No Textual, no Rich, only the standard library: the core's summary imports it.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any, NamedTuple

from . import messages
from .layout import CELL_BY_NAME, LABELS, SHORT_LABELS, USER_ROWS
from .numbers import format_money
from .rules import Outcome
from .values import display
from .visible import visible


class Bar(NamedTuple):
    label: str  # e.g. "2019", "R04 - Livello servizio effettivo"
    value: Decimal | None  # None: not given / not computable (no bar, said in words)
    shown: str  # the figure as the portal prints it ("1.234", "8,69%"), or the words for None


class Group(NamedTuple):
    label: str  # e.g. "M12 - Utenti famiglia e minori (Interventi e servizi)", "" for one group
    bars: tuple[Bar, ...]


class Picture(NamedTuple):
    key: str  # "utenti", "servizio", "spesa", "quadro3"
    title: str  # Italian title
    quadro: int  # the Quadro it belongs to (1, 2 or 3)
    unit: str  # "utenti", "%", "euro"
    groups: tuple[Group, ...]
    alt: str  # the text alternative: every figure of the picture in words


# What a bar with no figure says: an input cell left empty, a derived one that cannot be
# computed yet (R04 without R03, R09 without R08).
NOT_GIVEN = "non indicato"
NOT_COMPUTABLE = "non calcolabile"
INVALID = "(non valido)"  # after the value kept from the file, as the summary writes it


# --- the figures --------------------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    value = Decimal(value)
    return value if value.is_finite() else None


def _cell(draft: Any, o: Outcome, name: str, label: str, value: Any = None) -> Bar:
    """A bar for the cell `name`: its value (given, or derived from the outcome; `value`
    overrides it, e.g. R04 unrounded) and the figure as the summary shows it."""
    cell = CELL_BY_NAME[name]
    if name in draft.invalid:
        return Bar(label, None, f"{display(name, draft, o)} {INVALID}")
    if value is None:
        value = o.values.get(name) if cell.derived else draft.get(name)
    number = _number(value)
    if number is None:
        return Bar(label, None, NOT_COMPUTABLE if cell.derived else NOT_GIVEN)
    return Bar(label, number, display(name, draft, o))


def _said(bar: Bar, unit: str = "") -> str:
    """A figure in a sentence: «12,30%», «1.984.440,83 euro», «non indicato»."""
    if bar.value is None or not unit:
        return bar.shown
    return f"{bar.shown} {unit}"


def _users(draft: Any, o: Outcome) -> Picture:
    groups: list[Group] = []
    empty: list[str] = []
    for row in USER_ROWS:
        b19 = _cell(draft, o, f"{row.code}_2019", "2019")
        b24 = _cell(draft, o, f"{row.code}_2024", "2024")
        if not (b19.value or b24.value) and INVALID not in b19.shown + b24.shown:
            empty.append(row.code)  # 0 or not given both years: named in the text alternative
            continue
        label = CELL_BY_NAME[f"{row.code}_2019"].label  # "Utenti ... (Interventi e servizi)"
        groups.append(Group(f"{row.code} - {label}", (b19, b24)))
    total = Group(
        f"R0B - {LABELS['R0B']}",
        (_cell(draft, o, "R0B_2019", "2019"), _cell(draft, o, "R0B_2024", "2024")),
    )
    groups.append(total)
    parts = [f"{g.label} {_said(g.bars[0])} nel 2019, {_said(g.bars[1])} nel 2024" for g in groups]
    alt = "Utenti serviti, 2019 e 2024: " + "; ".join(parts) + "."
    if empty:
        alt += f" Righe senza utenti nel 2019 e nel 2024 (0 o non indicati), non disegnate: {', '.join(empty)}."
    return Picture("utenti", "Utenti serviti, 2019 e 2024", 1, "utenti", tuple(groups), alt)


def _service(draft: Any, o: Outcome) -> Picture:
    r04 = _cell(draft, o, "R04", f"R04 - {SHORT_LABELS['R04']}", o.r04_exact)
    r05 = _cell(draft, o, "R05", f"R05 - {SHORT_LABELS['R05']}")
    alt = f"Livello di servizio 2024 (R04) {_said(r04)} contro il riferimento (R05) {_said(r05)}."
    if o.service_ok is not None:  # the portal's own words for the comparison
        key = "q1_livello_non_inferiore" if o.service_ok else "q1_livello_inferiore"
        alt += " " + messages.text(key)
    return Picture("servizio", "Livello di servizio 2024: effettivo (R04) e di riferimento (R05)",
                   1, "%", (Group("", (r04, r05)),), alt)


def _spending(draft: Any, o: Outcome) -> Picture:
    year = o.reference_year
    if year is None:  # neither R07 is given
        ref = _cell(draft, o, "R07_2017", "R07 - Spesa storica di riferimento")
        if "R07_2021" in draft.invalid and "R07_2017" not in draft.invalid:
            ref = _cell(draft, o, "R07_2021", ref.label)
    else:
        ref = _cell(draft, o, f"R07_{year}", f"R07 - Spesa storica di riferimento ({year})",
                    o.reference_spending)
    need = _cell(draft, o, "R06", "R06 - Fabbisogno standard monetario")
    # The summary's own sentence (every figure and the verdict), after the figures.
    alt = (f"Spesa storica di riferimento (R07{' ' + year if year else ''}) {_said(ref, 'euro')} "
           f"contro il fabbisogno standard (R06) {_said(need, 'euro')}. "
           + messages.spending_verdict(o, draft.R06 if "R06" not in draft.invalid else None))
    return Picture("spesa", "Spesa di riferimento e fabbisogno standard, in euro", 2, "euro",
                   (Group("", (ref, need)),), alt)


def _quadro3(draft: Any, o: Outcome) -> Picture:
    r15 = _cell(draft, o, "R15", f"R15 - {LABELS['R15'].capitalize()}")
    r09 = _cell(draft, o, "R09", "R09 - Risorse aggiuntive da rendicontare")
    alt = (f"Totale obiettivi di servizio (R15) {_said(r15, 'euro')} contro le risorse aggiuntive "
           f"da rendicontare (R09) {_said(r09, 'euro')}. ")
    if o.shortfall is None:
        alt += messages.text("q3_coerente")
    else:
        alt += f"{messages.COMPOSED_MARK} " + messages.text("q3_mancante", mancano=format_money(o.shortfall))
    return Picture("quadro3", "Obiettivi di servizio (R15) e risorse da rendicontare (R09), in euro",
                   3, "euro", (Group("", (r15, r09)),), alt)


def pictures(draft: Any, outcome: Outcome) -> list[Picture]:
    """The pictures that apply to the draft, in the form's order: Quadro 3's only when
    Quadro 3 is to be filled in."""
    out = [_users(draft, outcome), _service(draft, outcome), _spending(draft, outcome)]
    if outcome.quadro3 is True:
        out.append(_quadro3(draft, outcome))
    return out


# --- scale --------------------------------------------------------------------------------------


def greatest(picture: Picture) -> Decimal:
    """The greatest figure of the picture (the full length of a bar); 0 when none is > 0. One
    scale for every drawing of it: the SVG, the text bars, the PDF (core/summary_pdf.py)."""
    values = [b.value for g in picture.groups for b in g.bars if b.value is not None and b.value > 0]
    return max(values, default=Decimal(0))


def fraction(value: Decimal | None, top: Decimal) -> float:
    """The share of the full length, from 0 (scale from 0; a negative figure has no bar)."""
    if value is None or value <= 0 or top <= 0:
        return 0.0
    return min(1.0, float(value / top))


# --- SVG ----------------------------------------------------------------------------------------

_WIDTH = 640  # the viewBox's width; the SVG scales to its container (width 100%)
_LINE = 22  # height of a line of text or of a bar
_FONT = 14
_FIGURE_ROOM = 150  # room after the longest bar for its figure
_SHORT = 6  # bar labels up to this long sit beside the bar ("2019"), longer ones above it
_PAD = 4


def _xml(text: str) -> str:
    """Text for an SVG element or attribute: control characters shown, markup escaped."""
    return html.escape(visible(text), quote=True)


def _id(picture: Picture) -> str:
    key = "".join(c if c.isascii() and c.isalnum() else "-" for c in picture.key.lower())
    return f"soc25-grafico-{key}"


def svg(picture: Picture, *, titled: bool = True) -> str:
    """The picture as an inline SVG: role="img" named by its <title> and described by its
    <desc> (the text alternative); horizontal bars from 0, each with its label (code first)
    and its figure written beside it; colours by currentColor only (high contrast, print);
    sized by its viewBox (zoom); no script, no link, no external resource. `titled`: the
    title drawn above the bars too (not where a <figcaption> already shows it)."""
    ident = _id(picture)
    top = greatest(picture)
    short = all(len(b.label) <= _SHORT for g in picture.groups for b in g.bars)
    bar_x = 56 if short else 0
    room = _WIDTH - bar_x - _FIGURE_ROOM
    body: list[str] = []
    y = 0

    def text(x: float, y_line: float, content: str, extra: str = "") -> None:
        body.append(f'<text x="{x:g}" y="{y_line + _FONT:g}"{extra}>{_xml(content)}</text>')

    if titled:
        text(0, y, picture.title, ' font-weight="bold"')
        y += _LINE + _PAD
    for gi, group in enumerate(picture.groups):
        if group.label:
            text(0, y, group.label, ' font-weight="bold"')
            y += _LINE
        for bi, bar in enumerate(group.bars):
            if not short:
                text(0, y, bar.label)
                y += _LINE
            else:
                text(0, y, bar.label)
            length = round(fraction(bar.value, top) * room, 1)
            # The first bar of a group lighter than the second (2019 and 2024): the
            # difference is a help, never the meaning, which the labels carry.
            opacity = ' fill-opacity="0.6"' if bi == 0 and len(group.bars) > 1 else ""
            # The axis (0) beside each bar, so that «0» or «non indicato» sits on it.
            body.append(f'<line x1="{bar_x}" y1="{y}" x2="{bar_x}" y2="{y + _LINE}" stroke="currentColor"/>')
            if length > 0:
                body.append(f'<rect x="{bar_x}" y="{y + 3}" width="{length:g}" height="{_LINE - 6}" '
                            f'fill="currentColor"{opacity}/>')
            text(bar_x + length + 6, y, bar.shown)
            y += _LINE
        if gi + 1 < len(picture.groups):
            y += _PAD
    height = y + _PAD
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="soc25-grafico" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-titolo {ident}-desc" '
        f'font-family="sans-serif" font-size="{_FONT}" fill="currentColor" style="max-width:{_WIDTH * 2}px">'
        f'<title id="{ident}-titolo">{_xml(picture.title)}</title>'
        f'<desc id="{ident}-desc">{_xml(picture.alt)}</desc>'
        + "".join(body)
        + "</svg>"
    )


# --- text bars ----------------------------------------------------------------------------------

FULL = "█"  # a whole character of bar (its stand-in tells an output that cannot hold it)
_EIGHTHS = " ▏▎▍▌▋▊▉"  # 0/8 ... 7/8 of a character


def _code(label: str) -> str:
    """The code of a label ("R04 - Livello ..." -> "R04"); the label itself when short."""
    head = label.split(" - ", 1)[0]
    return head


def _bar_text(fraction: float, room: int, ascii: bool) -> str:
    if ascii:
        n = round(fraction * room)
        if fraction > 0 and n == 0:
            n = 1
        return "#" * n
    eighths = round(fraction * room * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1  # a figure above 0 always shows
    return FULL * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def bars(picture: Picture, width: int, *, ascii: bool = False) -> list[str]:
    """The picture as compact text bars, one line a bar, with its code and its figure:

        M12 2019 ████████▏ 327
            2024 ██████████ 412

    characters only (NO_COLOR-safe: nothing depends on colour), every line at most `width`
    characters; `ascii`: «#» only (a terminal that cannot show the block characters)."""
    width = max(width, 1)
    rows: list[tuple[str, str, Bar]] = []  # (code column, bar label column, bar)
    for group in picture.groups:
        code = _code(group.label) if group.label else ""
        for i, bar in enumerate(group.bars):
            if group.label:
                rows.append((code if i == 0 else "", bar.label, bar))
            else:
                rows.append((_code(bar.label), _year_of(bar.label), bar))
    code_w = max((len(c) for c, _, _ in rows), default=0)
    label_w = max((len(lb) for _, lb, _ in rows), default=0)
    prefix_w = code_w + (1 + label_w if label_w else 0)
    shown_w = max((len(b.shown) for _, _, b in rows), default=0)
    room = width - prefix_w - 2 - shown_w
    if room < 4:  # a long figure: bars of at least a few characters, the figure cut instead
        room = max(1, min(10, width - prefix_w - 2 - 4))
    top = greatest(picture)
    out = []
    for code, label, bar in rows:
        prefix = code.ljust(code_w) + (" " + label.ljust(label_w) if label_w else "")
        drawn = _bar_text(fraction(bar.value, top), room, ascii)
        line = f"{prefix} {drawn + ' ' if drawn else ''}{bar.shown}"
        out.append(_fit(line.rstrip(), width))
    return out


def _year_of(label: str) -> str:
    """The year in a single group's bar label ("R07 - Spesa ... (2021)" -> "2021"), else ""."""
    if label.endswith(")") and label[-6:-5] == "(" and label[-5:-1].isdigit():
        return label[-5:-1]
    return ""


__all__ = ["Bar", "Group", "Picture", "bars", "fraction", "greatest", "pictures", "svg"]
