"""The summary's document: what every format of `soc25 summary` shows, built once.

Headings, paragraphs, the portal's messages, tables, label/value fields, lists and figures
(core/charts.py), in the printed form's order, from the draft, its evaluation, its problems
and its review. The renderers read it: core/summary.py (Rich text and SVG, Markdown),
core/summary_html.py (the HTML document), core/summary_pdf.py (the PDF); core/outputs.py
chooses among them. No Rich, no Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Union

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

TITLE = "SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024"
MISSING = "—"  # a cell with no value
MIN_WIDTH = 40  # columns: the narrowest text summary

# --- the document -------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 2  # 1 title, 2 quadro, 3 block inside a quadro


@dataclass
class Para:
    text: str
    style: str = ""  # "", "note" (verbatim form text), "dim", "flag" (needs attention)


@dataclass
class Msg:
    text: str
    composed: bool


@dataclass
class Col:
    header: str
    justify: str = "left"
    min_width: int | None = None
    ratio: int | None = None


@dataclass
class Row:
    cells: list[str]
    kind: str = ""  # "", "section" (area heading), "total", "sub" (Quadro 4 sub-heading)


@dataclass
class Table:
    columns: list[Col]
    rows: list[Row] = field(default_factory=list)
    title: str = ""


@dataclass
class Fields:
    """Label: value pairs (the header)."""

    pairs: list[tuple[str, str]]


@dataclass
class Items:
    items: list[str]


@dataclass
class Figure:
    """A picture of figures (core/charts.py): bars in the terminal and Markdown, SVG in HTML."""

    picture: charts.Picture
    ascii: bool = False  # the output cannot hold the block characters: «#» bars


Block = Union[Heading, Para, Msg, Table, Fields, Items, Figure]

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


def _messages(a: Assessment, quadro: int) -> list[Block]:
    return [Msg(m.text, m.kind == messages.COMPOSED) for m in a.messages_of(quadro)]


# --- the sections --------------------------------------------------------------------------------


def _header(draft: Any, o: Outcome) -> list[Block]:
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
        Heading(TITLE, 1),
        Para("Riepilogo della bozza: non sostituisce la stampa del portale.", "dim"),
        Fields(
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


def _quadro1(draft: Any, a: Assessment) -> list[Block]:
    o = a.outcome
    v = o.values
    users = Table(
        [
            Col("Codice", min_width=4),
            Col("Tipologia di utenza", ratio=1),
            Col("Utenti\n2019", "right"),
            Col("Utenti\n2024", "right"),
            Col("Ore annue\n2024", "right"),
            Col("Media ore\n2024", "right"),
        ]
    )
    for area in AREAS:
        users.rows.append(Row(["", area.label, "", "", "", ""], "section"))
        for row in USER_ROWS:
            if row.area is not area:
                continue
            cells = [row.code, row.label, _shown(draft, o, f"{row.code}_2019"), _shown(draft, o, f"{row.code}_2024")]
            if row.has_hours:
                cells += [_shown(draft, o, f"{row.code}_ore"), _shown(draft, o, f"{row.code}_media")]
            else:
                cells += ["", ""]
            users.rows.append(Row(cells))
    users.rows.append(
        Row(
            ["R0B", LABELS["R0B"], format_number(v["R0B_2019"]), format_number(v["R0B_2024"]), "", ""],
            "total",
        )
    )

    ats = Table([Col("Codice", min_width=4), Col("Voce", ratio=3), Col("Valore", ratio=2)])
    ats.rows += [
        Row(["R0C", LABELS["R0C"], _text(draft, "R0C")]),
        Row(["R0D", LABELS["R0D"], _text(draft, "R0D")]),
        Row(["R0E", LABELS["R0E"], _shown(draft, o, "R0E", "")]),
    ]

    comune = Table(
        [
            Col("Codice", min_width=4),
            Col("Voce", ratio=1),
            Col("2020", "right"),
            Col("2024", "right"),
        ]
    )
    comune.rows += [
        Row(["R01", LABELS["R01"], _shown(draft, o, "R01_2020"), _shown(draft, o, "R01_2024")]),
        Row(["R01A", LABELS["R01A"], "", _shown(draft, o, "R01A_2024")]),
        Row(["R01B", LABELS["R01B"], "", _shown(draft, o, "R01B")]),
        Row(["R02", LABELS["R02"], _shown(draft, o, "R02_2020"), _shown(draft, o, "R02_2024")]),
        Row(["R03", LABELS["R03"], "", _shown(draft, o, "R03")]),
        Row(["R04", LABELS["R04"], "", _shown(draft, o, "R04")]),
        Row(["R05", LABELS["R05"], "", _shown(draft, o, "R05")]),
    ]
    return [
        Heading(QUADRO_TITLES[1]),
        Para(messages.text("q1_nota"), "note"),
        users,
        Heading(SECTION_ATS, 3),
        ats,
        Heading(SECTION_COMUNE, 3),
        comune,
        *_messages(a, 1),
    ]


def _quadro2(draft: Any, a: Assessment) -> list[Block]:
    o = a.outcome
    table = Table([Col("Codice", min_width=4), Col("Voce", ratio=1), Col("Importo\n(euro)", "right")])
    table.rows += [
        Row(["R06", LABELS["R06"], _shown(draft, o, "R06")]),
        Row(["R07", f"{LABELS['R07']} - 2017", _shown(draft, o, "R07_2017")]),
        Row(["R07", f"{LABELS['R07']} - 2021", _shown(draft, o, "R07_2021")]),
        Row(["R08", LABELS["R08"], _shown(draft, o, "R08")]),
    ]
    verdict = messages.spending_verdict(o, draft.R06)
    out: list[Block] = [Heading(QUADRO_TITLES[2]), table, Para(verdict), *_messages(a, 2)]
    if o.quadro3_reason in (Q3_REQUIRED, Q3_BELOW_THRESHOLD):
        out.append(
            Para(
                f"Valori citati nel messaggio: R08 = {_money(draft.R08)} euro; "
                f"R09 = {_money(o.values['R09'])} euro.",
                "dim",
            )
        )
    return out


_Q3_CODES = tuple(name.split("_")[0] for name in Q3_SPESA)  # R10 ... R14, in the form's order


def _q3_table(draft: Any, o: Outcome, codes: Iterable[str], *, total: bool) -> Table:
    modalita = any(_text(draft, name, "") for name in CELL_BY_NAME if name.endswith("_modalita"))
    table = Table(
        [
            Col("Codice", min_width=4),
            Col("Voce", ratio=3),
            Col("Numero", "right"),
            # A wide column only when some modalità is written.
            Col("Modalità di\ndeterminazione\ndella spesa\naggiuntiva", ratio=2 if modalita else None),
            Col("Spesa aggiuntiva\n(euro)", "right"),
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
        table.rows.append(Row(cells))
    if total:
        # The two groups of objectives, as printed.
        rows = table.rows
        table.rows = []
        for title, codes in Q3_GROUPS:
            table.rows.append(Row(["", title, "", "", ""], "section"))
            table.rows += [r for r in rows if r.cells[0] in codes]
        table.rows.append(Row(["R15", LABELS["R15"], "", "", _money(o.values["R15"])], "total"))
    return table


def _quadro3(draft: Any, a: Assessment) -> list[Block]:
    o = a.outcome
    r09 = o.values.get("R09")
    out: list[Block] = [
        Heading(QUADRO_TITLES[3]),
        Para(messages.text("q3_intestazione"), "note"),
        Para(f"R09 - {LABELS['R09']}: {_money(r09)}" + ("" if r09 is None else " euro")),
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
    out.append(Para(reason))
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
        out.append(Para(flag, "flag"))
        out.append(_q3_table(draft, o, sorted(codes), total=False))
    return out


def _answer(value: str | None) -> str:
    return value if value in ("SI", "NO") else MISSING


def _quadro4(draft: Any, o: Outcome) -> list[Block]:
    out: list[Block] = [Heading(QUADRO_TITLES[4])]
    block = o.block
    if block is None:
        out.append(
            Para(messages.BLOCK_UNKNOWN)
        )
    else:
        out.append(Para(block.condition, "note"))
        out.append(Para(block.intro, "note"))
        table = Table([Col("Codice", min_width=4), Col("Risposta", min_width=8), Col("Voce", ratio=1)])
        for item in block.items:
            if item.subheading:
                table.rows.append(Row(["", "", item.subheading], "sub"))
            table.rows.append(Row([item.code, _answer(draft.get(item.code)), item.label]))
        out.append(table)
        if any(draft.get(item.code) is None for item in block.items):
            out.append(Para(f"{MISSING} = voce senza risposta.", "dim"))
    kept = [f"{code} = {draft.get(code)} (blocco {Q4_BLOCK_OF[code].case})" for code in o.answers_elsewhere]
    if kept:
        if block is None:
            lead = "Risposte già date (conservate nella bozza): "
        else:
            lead = (
                f"Risposte date in blocchi che non si applicano al caso {o.case} "
                "(conservate nella bozza, da non compilare): "
            )
        out.append(Para(lead + "; ".join(kept) + ".", "flag"))

    r40 = draft.R40 or ""
    out.append(Heading(f"R40 - {LABELS['R40']}", 3))
    out.append(Para(r40.strip("\n") if r40.strip() else "(vuota)", "" if r40.strip() else "dim"))
    out.append(Para(f"Lunghezza: {messages.counter_text(count_chars(r40))}", "dim"))
    missing = o.altro_unexplained
    if missing:
        out.append(
            Para(
                f"ATTENZIONE: {', '.join(missing)} «Altro» è SI: la relazione R40 deve spiegarlo.",
                "flag",
            )
        )
    return out


def _nota() -> list[Block]:
    return [Heading("NOTA BENE", 3), Para(messages.text("nota_finale"), "note")]


def _problems(problems: list[Problem]) -> list[Block]:
    out: list[Block] = [Heading("Problemi da risolvere")]
    errs = [p for p in problems if p.severity == ERROR]
    warns = [p for p in problems if p.severity == WARNING]
    if not errs and not warns:
        out.append(Para("Nessun problema rilevato."))
        return out
    if errs:
        out.append(Heading(f"Errori ({len(errs)})", 3))
        out.append(Items([str(p) for p in errs]))
    if warns:
        out.append(Heading(f"Avvisi ({len(warns)})", 3))
        out.append(Items([str(p) for p in warns]))
    return out


REVIEW_TITLE = "Note della revisione"


def _review(draft: Any) -> list[Block]:
    """The reviewer's verdict, then each note (numbered as `soc25 review` numbers them): its
    cell or «bozza», author, time, whether resolved, and its text. Nothing for a draft with
    no notes and the default verdict (a Comune's own draft)."""
    review = draft.review
    if review.empty:
        return []
    out: list[Block] = [
        Heading(REVIEW_TITLE),
        Fields([("Verdetto", STATE_WORDS[review.state]), ("Note", open_text(review))]),
    ]
    for i, note in enumerate(review.notes, 1):
        out.append(Para(f"{i}. {note_heading(note)}", "section"))
        out.append(Para(note.text))
    return out


def document(draft: Any, assessment: Assessment | None = None, *, problems_first: bool = False,
             encoding: str | None = None) -> list[Block]:
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

    def pictures(quadro: int) -> list[Block]:  # at the end of their Quadro's section
        return [Figure(p) for p in pics if p.quadro == quadro]

    form = [*_header(draft, o), *_quadro1(draft, a), *pictures(1), *_quadro2(draft, a), *pictures(2),
            *_quadro3(draft, a), *pictures(3), *_quadro4(draft, o)]
    if problems_first:
        blocks = [*review, *probs, *form, *_nota()]
    else:
        blocks = [*form, *_nota(), *probs, *review]
    if encoding is not None and holds_all(encoding):
        encoding = None
    show = visible if encoding is None else _shown_in(encoding)
    return [_visible_block(b, show) for b in blocks]


def holds_all(encoding: str) -> bool:
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


def _visible_block(b: Block, show: Callable[..., str] = visible) -> Block:
    """`b` with the control characters of its texts shown (`show`: `visible`, and the stand-ins
    of an encoding); newline and tab kept only in paragraphs and messages (R40, the notes),
    the only texts shown on several lines. Column headers are the program's own (their line
    breaks are meant)."""
    if isinstance(b, Para):
        return Para(show(b.text, multiline=True), b.style)
    if isinstance(b, Msg):
        return Msg(show(b.text, multiline=True), b.composed)
    if isinstance(b, Heading):
        return Heading(show(b.text), b.level)
    if isinstance(b, Fields):
        return Fields([(show(label), show(value)) for label, value in b.pairs])
    if isinstance(b, Items):
        return Items([show(item) for item in b.items])
    if isinstance(b, Figure):
        return Figure(_shown_picture(b.picture, show), show is not visible and show(charts.FULL) != charts.FULL)
    rows = [Row([show(cell) for cell in row.cells], row.kind) for row in b.rows]
    columns = b.columns
    if show is not visible:
        columns = [Col(show(c.header, multiline=True), c.justify, c.min_width, c.ratio) for c in columns]
    return Table(columns, rows, show(b.title))


def _shown_picture(p: charts.Picture, show: Callable[..., str]) -> charts.Picture:
    groups = tuple(
        charts.Group(show(g.label), tuple(charts.Bar(show(b.label), b.value, show(b.shown)) for b in g.bars))
        for g in p.groups
    )
    return p._replace(title=show(p.title), groups=groups, alt=show(p.alt))


def doc_title(draft: Any) -> str:
    name = visible((draft.comune or "").strip())
    return f"SOC25 - {name}" if name else "SOC25 - Riepilogo della bozza"
