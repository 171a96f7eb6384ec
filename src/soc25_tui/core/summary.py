"""The whole scheda as Rich renderables, in the printed form's order; text/SVG/Markdown.

The content is built once as a small document (headings, paragraphs, messages, tables,
lists) from the draft, its evaluation and its problems; `build()` turns it into Rich
renderables and `export(..., "md")` into Markdown, so both show the same data.

No Textual here: `soc25 summary` must start fast (a subprocess test checks it).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Union

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from . import charts, messages
from .assess import Assessment, assess
from .checks import ERROR, WARNING, Problem
from .layout import (
    AREAS,
    CASE_WORDS,
    CELL_BY_NAME,
    LABELS,
    Q3_GROUPS,
    Q3_INPUTS,
    Q3_SPESA,
    Q4_BLOCK_OF,
    QUADRO_TITLES,
    SECTION_ATS,
    SECTION_COMUNE,
    USER_ROWS,
)
from .numbers import format_money, format_number
from .review import STATE_WORDS, note_heading, open_text
from .rules import Q3_BELOW_THRESHOLD, Q3_REQUIRED, Q3_SPENDING, Outcome
from .values import count_chars, display, raw_shown
from .visible import visible

FORMATS = ("text", "svg", "md")  # rendered here; outputs.FORMATS has them all
TITLE = "SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024"
MISSING = "—"  # a cell with no value
MIN_WIDTH = 40

# --- the document -------------------------------------------------------------------------


@dataclass
class _Heading:
    text: str
    level: int = 2  # 1 title, 2 quadro, 3 block inside a quadro


@dataclass
class _Para:
    text: str
    style: str = ""  # "", "note" (verbatim form text), "dim", "flag" (needs attention)


@dataclass
class _Msg:
    text: str
    composed: bool


@dataclass
class _Col:
    header: str
    justify: str = "left"
    min_width: int | None = None
    ratio: int | None = None


@dataclass
class _Row:
    cells: list[str]
    kind: str = ""  # "", "section" (area heading), "total", "sub" (Quadro 4 sub-heading)


@dataclass
class _Table:
    columns: list[_Col]
    rows: list[_Row] = field(default_factory=list)
    title: str = ""


@dataclass
class _Fields:
    """Label: value pairs (the header)."""

    pairs: list[tuple[str, str]]


@dataclass
class _List:
    items: list[str]


@dataclass
class _Picture:
    """A picture of figures (core/charts.py): bars in the terminal and Markdown, SVG in HTML."""

    picture: charts.Picture
    ascii: bool = False  # the output cannot hold the block characters: «#» bars


_Block = Union[_Heading, _Para, _Msg, _Table, _Fields, _List, _Picture]

# --- values as the person reads them ----------------------------------------------------------


def _invalid(draft: Any, name: str) -> str | None:
    raw = draft.invalid.get(name)
    return None if raw is None else f"«{raw_shown(raw)}» (non valido)"


def _money(value: Decimal | None) -> str:
    return format_money(value, MISSING)


def _text(draft: Any, name: str, empty: str = MISSING) -> str:
    bad = _invalid(draft, name)
    if bad:
        return bad
    value = (draft.get(name) or "").strip()
    return value or empty


def _shown(draft: Any, o: Outcome, name: str, empty: str = MISSING) -> str:
    """As the portal prints it (R0E and R01B as ratios, R04/R05 with %), the invalid marked."""
    return _invalid(draft, name) or display(name, draft, o) or empty


def _messages(a: Assessment, quadro: int) -> list[_Block]:
    return [_Msg(m.text, m.kind == messages.COMPOSED) for m in a.messages_of(quadro)]


# --- the sections --------------------------------------------------------------------------------


def _header(draft: Any, o: Outcome) -> list[_Block]:
    if o.case is None:
        case = messages.CASE_UNKNOWN
    else:
        case = f"{o.case} - {CASE_WORDS[o.case]}"
    q3 = messages.quadro3_line(o)
    if o.block is not None:
        q4 = f"blocco {o.block.span} (caso {o.case})"
    else:
        q4 = "blocco non determinabile"
    return [
        _Heading(TITLE, 1),
        _Para("Riepilogo della bozza: non sostituisce la stampa del portale.", "dim"),
        _Fields(
            [
                ("Comune", _text(draft, "comune", "(non indicato)")),
                ("Provincia", _text(draft, "provincia", "(non indicata)")),
                ("Codice ISTAT", _text(draft, "istat", "(non indicato)")),
                ("Caso", case),
                ("Quadro 3", q3),
                ("Quadro 4", q4),
            ]
        ),
    ]


def _quadro1(draft: Any, a: Assessment) -> list[_Block]:
    o = a.outcome
    v = o.values
    users = _Table(
        [
            _Col("Codice", min_width=4),
            _Col("Tipologia di utenza", ratio=1),
            _Col("Utenti\n2019", "right"),
            _Col("Utenti\n2024", "right"),
            _Col("Ore annue\n2024", "right"),
            _Col("Media ore\n2024", "right"),
        ]
    )
    for area in AREAS:
        users.rows.append(_Row(["", area.label, "", "", "", ""], "section"))
        for row in USER_ROWS:
            if row.area is not area:
                continue
            cells = [row.code, row.label, _shown(draft, o, f"{row.code}_2019"), _shown(draft, o, f"{row.code}_2024")]
            if row.has_hours:
                cells += [_shown(draft, o, f"{row.code}_ore"), _shown(draft, o, f"{row.code}_media")]
            else:
                cells += ["", ""]
            users.rows.append(_Row(cells))
    users.rows.append(
        _Row(
            ["R0B", LABELS["R0B"], format_number(v["R0B_2019"]), format_number(v["R0B_2024"]), "", ""],
            "total",
        )
    )

    ats = _Table([_Col("Codice", min_width=4), _Col("Voce", ratio=3), _Col("Valore", ratio=2)])
    ats.rows += [
        _Row(["R0C", LABELS["R0C"], _text(draft, "R0C")]),
        _Row(["R0D", LABELS["R0D"], _text(draft, "R0D")]),
        _Row(["R0E", LABELS["R0E"], _shown(draft, o, "R0E", "")]),
    ]

    comune = _Table(
        [
            _Col("Codice", min_width=4),
            _Col("Voce", ratio=1),
            _Col("2020", "right"),
            _Col("2024", "right"),
        ]
    )
    comune.rows += [
        _Row(["R01", LABELS["R01"], _shown(draft, o, "R01_2020"), _shown(draft, o, "R01_2024")]),
        _Row(["R01A", LABELS["R01A"], "", _shown(draft, o, "R01A_2024")]),
        _Row(["R01B", LABELS["R01B"], "", _shown(draft, o, "R01B")]),
        _Row(["R02", LABELS["R02"], _shown(draft, o, "R02_2020"), _shown(draft, o, "R02_2024")]),
        _Row(["R03", LABELS["R03"], "", _shown(draft, o, "R03")]),
        _Row(["R04", LABELS["R04"], "", _shown(draft, o, "R04")]),
        _Row(["R05", LABELS["R05"], "", _shown(draft, o, "R05")]),
    ]
    return [
        _Heading(QUADRO_TITLES[1]),
        _Para(messages.text("q1_nota"), "note"),
        users,
        _Heading(SECTION_ATS, 3),
        ats,
        _Heading(SECTION_COMUNE, 3),
        comune,
        *_messages(a, 1),
    ]


def _quadro2(draft: Any, a: Assessment) -> list[_Block]:
    o = a.outcome
    table = _Table([_Col("Codice", min_width=4), _Col("Voce", ratio=1), _Col("Importo\n(euro)", "right")])
    table.rows += [
        _Row(["R06", LABELS["R06"], _shown(draft, o, "R06")]),
        _Row(["R07", f"{LABELS['R07']} - 2017", _shown(draft, o, "R07_2017")]),
        _Row(["R07", f"{LABELS['R07']} - 2021", _shown(draft, o, "R07_2021")]),
        _Row(["R08", LABELS["R08"], _shown(draft, o, "R08")]),
    ]
    verdict = messages.spending_verdict(o, draft.R06)
    out: list[_Block] = [_Heading(QUADRO_TITLES[2]), table, _Para(verdict), *_messages(a, 2)]
    if o.quadro3_reason in (Q3_REQUIRED, Q3_BELOW_THRESHOLD):
        out.append(
            _Para(
                f"Valori citati nel messaggio: R08 = {_money(draft.R08)} euro; "
                f"R09 = {_money(o.values['R09'])} euro.",
                "dim",
            )
        )
    return out


_Q3_CODES = tuple(name.split("_")[0] for name in Q3_SPESA)  # R10 ... R14, in the form's order


def _q3_table(draft: Any, o: Outcome, codes: Iterable[str], *, total: bool) -> _Table:
    modalita = any(_text(draft, name, "") for name in CELL_BY_NAME if name.endswith("_modalita"))
    table = _Table(
        [
            _Col("Codice", min_width=4),
            _Col("Voce", ratio=3),
            _Col("Numero", "right"),
            # A wide column only when some modalità is written.
            _Col("Modalità di\ndeterminazione\ndella spesa\naggiuntiva", ratio=2 if modalita else None),
            _Col("Spesa aggiuntiva\n(euro)", "right"),
        ]
    )
    wanted = set(codes)
    for code in _Q3_CODES:
        if code not in wanted:
            continue
        if f"{code}_modalita" in CELL_BY_NAME:
            cells = [
                code,
                LABELS[code],
                _shown(draft, o, f"{code}_numero"),
                _text(draft, f"{code}_modalita", ""),
                _shown(draft, o, f"{code}_spesa"),
            ]
        else:
            cells = [code, LABELS[code], "", "", _shown(draft, o, code)]
        table.rows.append(_Row(cells))
    if total:
        # The two groups of objectives, as printed.
        rows = table.rows
        table.rows = []
        for title, codes in Q3_GROUPS:
            table.rows.append(_Row(["", title, "", "", ""], "section"))
            table.rows += [r for r in rows if r.cells[0] in codes]
        table.rows.append(_Row(["R15", LABELS["R15"], "", "", _money(o.values["R15"])], "total"))
    return table


def _quadro3(draft: Any, a: Assessment) -> list[_Block]:
    o = a.outcome
    r09 = o.values.get("R09")
    out: list[_Block] = [
        _Heading(QUADRO_TITLES[3]),
        _Para(messages.text("q3_intestazione"), "note"),
        _Para(f"R09 - {LABELS['R09']}: {_money(r09)}" + ("" if r09 is None else " euro")),
    ]
    if o.quadro3_required:
        out.append(_q3_table(draft, o, _Q3_CODES, total=True))
        out += _messages(a, 3)
        return out
    if o.quadro3_reason in (Q3_SPENDING, Q3_BELOW_THRESHOLD):
        in_case = f"nel caso {o.case} " if o.quadro3_reason == Q3_SPENDING else ""
        reason = (f"Il Quadro 3 non va compilato: {in_case}{messages.quadro3_why(o)} "
                  "(vedi il messaggio del Quadro 2).")
    else:
        reason = "Non si può ancora stabilire se il Quadro 3 vada compilato: mancano dati (vedi i problemi)."
    out.append(_Para(reason))
    out += _messages(a, 3)
    nonzero = [name for name in Q3_INPUTS if name in o.q3_filled or name in draft.invalid]
    if nonzero:
        codes = {name.split("_")[0] for name in nonzero}
        if o.case is None:
            flag = "Valori già inseriti nel Quadro 3 (conservati nella bozza):"
        else:
            flag = (
                "ATTENZIONE: il Quadro 3 non va compilato, ma contiene questi valori "
                "(conservati nella bozza; azzerarli o verificare i dati dei Quadri 1 e 2):"
            )
        out.append(_Para(flag, "flag"))
        out.append(_q3_table(draft, o, sorted(codes), total=False))
    return out


def _answer(value: str | None) -> str:
    return value if value in ("SI", "NO") else MISSING


def _quadro4(draft: Any, o: Outcome) -> list[_Block]:
    out: list[_Block] = [_Heading(QUADRO_TITLES[4])]
    block = o.block
    if block is None:
        out.append(
            _Para(messages.BLOCK_UNKNOWN)
        )
    else:
        out.append(_Para(block.condition, "note"))
        out.append(_Para(block.intro, "note"))
        table = _Table([_Col("Codice", min_width=4), _Col("Risposta", min_width=8), _Col("Voce", ratio=1)])
        for item in block.items:
            if item.subheading:
                table.rows.append(_Row(["", "", item.subheading], "sub"))
            table.rows.append(_Row([item.code, _answer(draft.get(item.code)), item.label]))
        out.append(table)
        if any(draft.get(item.code) is None for item in block.items):
            out.append(_Para(f"{MISSING} = voce senza risposta.", "dim"))
    kept = [f"{code} = {draft.get(code)} (blocco {Q4_BLOCK_OF[code].case})" for code in o.answers_elsewhere]
    if kept:
        if block is None:
            lead = "Risposte già date (conservate nella bozza): "
        else:
            lead = (
                f"Risposte date in blocchi che non si applicano al caso {o.case} "
                "(conservate nella bozza, da non compilare): "
            )
        out.append(_Para(lead + "; ".join(kept) + ".", "flag"))

    r40 = draft.R40 or ""
    out.append(_Heading(f"R40 - {LABELS['R40']}", 3))
    out.append(_Para(r40.strip("\n") if r40.strip() else "(vuota)", "" if r40.strip() else "dim"))
    out.append(_Para(f"Lunghezza: {messages.counter_text(count_chars(r40))}", "dim"))
    missing = o.altro_unexplained
    if missing:
        out.append(
            _Para(
                f"ATTENZIONE: {', '.join(missing)} «Altro» è SI: la relazione R40 deve spiegarlo.",
                "flag",
            )
        )
    return out


def _nota() -> list[_Block]:
    return [_Heading("NOTA BENE", 3), _Para(messages.text("nota_finale"), "note")]


def _problems(problems: list[Problem]) -> list[_Block]:
    out: list[_Block] = [_Heading("Problemi da risolvere")]
    errs = [p for p in problems if p.severity == ERROR]
    warns = [p for p in problems if p.severity == WARNING]
    if not errs and not warns:
        out.append(_Para("Nessun problema rilevato."))
        return out
    if errs:
        out.append(_Heading(f"Errori ({len(errs)})", 3))
        out.append(_List([str(p) for p in errs]))
    if warns:
        out.append(_Heading(f"Avvisi ({len(warns)})", 3))
        out.append(_List([str(p) for p in warns]))
    return out


REVIEW_TITLE = "Note della revisione"


def _review(draft: Any) -> list[_Block]:
    """The reviewer's verdict, then each note (numbered as `soc25 review` numbers them): its
    cell or «bozza», author, time, whether resolved, and its text. Nothing for a draft with
    no notes and the default verdict (a Comune's own draft)."""
    review = draft.review
    if review.empty:
        return []
    out: list[_Block] = [
        _Heading(REVIEW_TITLE),
        _Fields([("Verdetto", STATE_WORDS[review.state]), ("Note", open_text(review))]),
    ]
    for i, note in enumerate(review.notes, 1):
        out.append(_Para(f"{i}. {note_heading(note)}", "section"))
        out.append(_Para(note.text))
    return out


def document(draft: Any, assessment: Assessment | None = None, *, problems_first: bool = False,
             encoding: str | None = None) -> list[_Block]:
    """The summary's content, in the printed form's order, independent of the output format;
    the problems at the end, or first (the TUI's final screen: seen without scrolling); the
    reviewer's notes after the problems, or before them on the final screen. Every text in
    it has its control characters shown (`visible`): it is what every format prints.
    `encoding`: the one it will be written in (an ASCII terminal: LC_ALL=C); what that cannot
    hold is replaced here by its stand-in (core/terminal.py: «à» → «a'»), before the tables are
    laid out, so that their columns stay aligned."""
    a = assessment or assess(draft)
    o = a.outcome
    probs = _problems(a.problems)
    review = _review(draft)
    pics = charts.pictures(draft, o)

    def pictures(quadro: int) -> list[_Block]:  # at the end of their Quadro's section
        return [_Picture(p) for p in pics if p.quadro == quadro]

    form = [*_header(draft, o), *_quadro1(draft, a), *pictures(1), *_quadro2(draft, a), *pictures(2),
            *_quadro3(draft, a), *pictures(3), *_quadro4(draft, o)]
    if problems_first:
        blocks = [*review, *probs, *form, *_nota()]
    else:
        blocks = [*form, *_nota(), *probs, *review]
    if encoding is not None and _holds_all(encoding):
        encoding = None
    show = visible if encoding is None else _shown_in(encoding)
    return [_visible_block(b, show) for b in blocks]


def _holds_all(encoding: str) -> bool:
    """Whether `encoding` holds any text (UTF-8, UTF-16...): nothing to replace then."""
    try:
        "\U0010ffff".encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def _shown_in(encoding: str) -> Callable[..., str]:
    from .terminal import readable

    try:
        "".encode(encoding)
    except LookupError:  # an encoding Python does not know: ASCII is safe
        encoding = "ascii"

    def show(text: str, *, multiline: bool = False) -> str:
        return readable(visible(text, multiline=multiline), encoding)

    return show


def _visible_block(b: _Block, show: Callable[..., str] = visible) -> _Block:
    """`b` with the control characters of its texts shown (`show`: `visible`, and the stand-ins
    of an encoding); newline and tab kept only in paragraphs and messages (R40, the notes),
    the only texts shown on several lines. Column headers are the program's own (their line
    breaks are meant)."""
    if isinstance(b, _Para):
        return _Para(show(b.text, multiline=True), b.style)
    if isinstance(b, _Msg):
        return _Msg(show(b.text, multiline=True), b.composed)
    if isinstance(b, _Heading):
        return _Heading(show(b.text), b.level)
    if isinstance(b, _Fields):
        return _Fields([(show(label), show(value)) for label, value in b.pairs])
    if isinstance(b, _List):
        return _List([show(item) for item in b.items])
    if isinstance(b, _Picture):
        return _Picture(_shown_picture(b.picture, show), show is not visible and show(charts.FULL) != charts.FULL)
    rows = [_Row([show(cell) for cell in row.cells], row.kind) for row in b.rows]
    columns = b.columns
    if show is not visible:
        columns = [_Col(show(c.header, multiline=True), c.justify, c.min_width, c.ratio) for c in columns]
    return _Table(columns, rows, show(b.title))


def _shown_picture(p: charts.Picture, show: Callable[..., str]) -> charts.Picture:
    groups = tuple(
        charts.Group(show(g.label), tuple(charts.Bar(show(b.label), b.value, show(b.shown)) for b in g.bars))
        for g in p.groups
    )
    return p._replace(title=show(p.title), groups=groups, alt=show(p.alt))


# --- Rich -----------------------------------------------------------------------------------------

_STYLES = {
    "note": "italic",
    "dim": "dim",
    "flag": "bold yellow",
    "section": "bold",
    "total": "bold",
    "sub": "italic",
}
_ANSWER_STYLES = {"SI": "bold green", "NO": "bold", MISSING: "yellow"}


def _rich_table(t: _Table, plain: bool) -> Table:
    table = Table(
        box=box.ASCII2 if plain else box.SQUARE,
        show_header=True,
        header_style="bold",
        expand=True,
        pad_edge=True,
        show_lines=False,
    )
    for col in t.columns:
        table.add_column(
            Text(col.header),
            justify=col.justify,  # type: ignore[arg-type]
            min_width=col.min_width,
            ratio=col.ratio,
            overflow="fold",
        )
    answer_col = next((i for i, c in enumerate(t.columns) if c.header == "Risposta"), None)
    for i, row in enumerate(t.rows):
        style = _STYLES.get(row.kind, "")
        cells = []
        for j, cell in enumerate(row.cells):
            cell_style = style
            if j == answer_col and row.kind == "":
                cell_style = _ANSWER_STYLES.get(cell, "")
            cells.append(Text(cell, style=cell_style))
        # A rule before each area, sub-heading and total.
        end_section = i + 1 < len(t.rows) and t.rows[i + 1].kind in ("section", "total", "sub")
        table.add_row(*cells, end_section=end_section)
    return table


def _rich_blocks(blocks: list[_Block], plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    previous: _Block | None = None
    for b in blocks:
        # A blank line between blocks, except inside the title and between messages.
        if previous is not None and not (isinstance(previous, _Msg) and isinstance(b, _Msg)):
            # A note's heading line (style "section") sits on its text, as a heading does.
            if not isinstance(previous, _Heading) and not (isinstance(previous, _Para) and previous.style == "section"):
                out.append(Text())
        previous = b
        if isinstance(b, _Heading):
            if b.level == 1:
                out.append(Rule(characters="=" if plain else "═", style="bold"))
                out.append(Text(b.text, style="bold", justify="center"))
                out.append(Rule(characters="=" if plain else "═", style="bold"))
            elif b.level == 2:
                out.append(Rule(Text(b.text, style="bold"), characters="=" if plain else "━", align="left"))
            else:
                out.append(Text(b.text, style="bold underline"))
        elif isinstance(b, _Para):
            out.append(Text(b.text, style=_STYLES.get(b.style, "")))
        elif isinstance(b, _Msg):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, no_wrap=True)
            grid.add_column(ratio=1)
            body = Text()
            if b.composed:
                body.append(messages.COMPOSED_MARK + " ", style="italic yellow")
            body.append(b.text)
            grid.add_row(Text(">" if plain else "»", style="bold cyan"), body)
            out.append(grid)
        elif isinstance(b, _Fields):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="bold")
            grid.add_column(ratio=1)
            for label, value in b.pairs:
                grid.add_row(Text(f"{label}:"), Text(value))
            out.append(grid)
        elif isinstance(b, _Table):
            out.append(_rich_table(b, plain))
        elif isinstance(b, _Picture):
            out.append(Group(Text(b.picture.title, style="bold"), _Bars(b)))
        elif isinstance(b, _List):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, no_wrap=True)
            grid.add_column(ratio=1)
            for item in b.items:
                grid.add_row(Text("-"), Text(item))
            out.append(grid)
    return out


class _Bars:
    """A picture's text bars, drawn to the width Rich gives them."""

    def __init__(self, block: _Picture) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: Any) -> Iterable[Text]:
        for line in charts.bars(self.block.picture, options.max_width, ascii=self.block.ascii):
            yield Text(line, no_wrap=True, overflow="crop")


def build(draft: Any, assessment: Assessment | None = None, *, plain: bool = False,
          problems_first: bool = False, encoding: str | None = None) -> Group:
    """The whole scheda as one Rich renderable. `plain`: ASCII rules and table borders;
    `encoding`: see `document`."""
    blocks = document(draft, assessment, problems_first=problems_first, encoding=encoding)
    return Group(*_rich_blocks(blocks, plain))


# --- Markdown -------------------------------------------------------------------------------------

# Markdown's own characters in data, escaped: no emphasis, code, table cell, HTML tag or
# entity, link or image ([text](javascript:...)) comes from a value.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_<>|[]&~"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _md_cell(text: str) -> str:
    return _md(text).replace("\n", "<br>")


def _md_header(text: str) -> str:
    return _md(text).replace("\n", " ")


_MD_LINE_MARK = re.compile(r"^(\s*)([#+=-])")
_MD_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _md_para(text: str) -> str:
    """A paragraph of free text: escaped, line breaks kept, no accidental lists or headings."""
    lines = [
        _MD_LINE_NUMBER.sub(r"\1\\\2", _MD_LINE_MARK.sub(r"\1\\\2", _md(line)))
        for line in text.splitlines()
    ]
    return "  \n".join(lines)


_MD_BARS_WIDTH = 80


def _markdown(blocks: list[_Block]) -> str:
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, _Heading):
            parts.append(f"{'#' * b.level} {_md(b.text)}")
        elif isinstance(b, _Para):
            text = _md_para(b.text)
            if b.style == "note":
                text = f"*{text}*"
            elif b.style in ("flag", "section"):
                text = f"**{text}**"
            parts.append(text)
        elif isinstance(b, _Msg):
            mark = f"*{messages.COMPOSED_MARK}* " if b.composed else ""
            parts.append(f"> {mark}{_md(b.text)}")
        elif isinstance(b, _Fields):
            parts.append("  \n".join(f"**{_md(label)}:** {_md(value)}" for label, value in b.pairs))
        elif isinstance(b, _Table):
            align = {"left": ":---", "right": "---:", "center": ":---:"}
            lines = [
                "| " + " | ".join(_md_header(c.header) for c in b.columns) + " |",
                "|" + "|".join(align[c.justify] for c in b.columns) + "|",
            ]
            for row in b.rows:
                cells = [_md_cell(c) for c in row.cells]
                if row.kind in ("section", "total"):
                    cells = [f"**{c}**" if c else c for c in cells]
                elif row.kind == "sub":
                    cells = [f"*{c}*" if c else c for c in cells]
                lines.append("| " + " | ".join(cells) + " |")
            parts.append("\n".join(lines))
        elif isinstance(b, _List):
            parts.append("\n".join(f"- {_md(item)}" for item in b.items))
        elif isinstance(b, _Picture):
            lines = charts.bars(b.picture, _MD_BARS_WIDTH, ascii=b.ascii)
            run = max((len(m) for m in re.findall("`+", "\n".join(lines))), default=0)
            fence = "`" * max(3, run + 1)  # no figure closes the block
            parts.append(f"**{_md(b.picture.title)}**")
            parts.append("\n".join([fence, *lines, fence]))
            parts.append(_md_para(b.picture.alt))
    return "\n\n".join(parts) + "\n"


# --- export ---------------------------------------------------------------------------------------

def _doc_title(draft: Any) -> str:
    name = visible((draft.comune or "").strip())
    return f"SOC25 - {name}" if name else "SOC25 - Riepilogo della bozza"


def _recording_console(width: int, *, colour: bool) -> Console:
    return Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        force_jupyter=False,
        force_interactive=False,
        legacy_windows=False,
        emoji=False,
        markup=False,
        highlight=False,
        no_color=False,
        _environ={},
    )


def _plain_text(console: Console) -> str:
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def export(draft: Any, fmt: str, width: int = 100, *, encoding: str | None = None) -> str:
    """The summary as text, svg (the terminal's rendering) or md (Markdown); `encoding`: the
    one of the stream it will be written to, when not UTF-8 (see `document`). The HTML document
    and the PDF have renderers of their own: core/outputs.py is the entrance for every format."""
    if fmt not in FORMATS:
        raise ValueError(f"formato «{fmt}» non previsto: usare {', '.join(FORMATS)}")
    a = assess(draft)
    if fmt == "md":
        return _markdown(document(draft, a, encoding=encoding))
    width = max(MIN_WIDTH, width)
    if fmt == "text":
        console = _recording_console(width, colour=False)
        console.print(build(draft, a, plain=True, encoding=encoding))
        return _plain_text(console)
    console = _recording_console(width, colour=True)
    console.print(build(draft, a, encoding=encoding))
    return console.export_svg(title=_doc_title(draft))


__all__ = ["FORMATS", "MIN_WIDTH", "build", "document", "export"]
