"""Printed SOC25 form (text extracted from the PDF) -> draft.

Two printed layouts are known:

- "portale": the 7-page PDF printed by the portal. Each row's label wraps over several lines,
  column headings ("Numero di utenti serviti - 2019", "2020 2024", ...) come between label and
  values, and the values of a row stand alone on the last line of numbers of its block.
  Page footers and the "Quadro N" side titles are interleaved anywhere.
- "compatto": one line per row, "M12 - Utenti famiglia e minori 327 1131 81489 72", codes
  R00C/R00D/R00E, U+2010 hyphens, thousands separators; values come on the code's line or on
  the first line of numbers after it.

The importer knows the form (codes, labels) from `layout`, nothing about any one Comune. It
reads every input cell the print shows and also the derived figures the portal printed
(`ImportResult.printed`), so that they can be compared with ours.

Codes and labels are matched on a normalised copy of each line (’ -> ', U+2010..U+2013 -> -,
no-break space -> space); the relazione R40 is the person's own text and is taken from the
lines as printed, typographic apostrophes and dashes included.

The text is someone else's data: every figure passes the bounds of `numbers.parse_number`
and every value its cell's `values.coerce`, as from a draft file, so that a figure no Comune
has is a problem on its row, never an exception in a rule; a piece of the text quoted in a
message is shortened and its control characters shown (`visible`); no pattern backtracks
over a long run of blanks. A row a complete print shows and this one lacks is named by
`missing_rows` (a truncated text), not silently left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .layout import (
    CELL_BY_NAME,
    INPUT_CELLS,
    LABELS,
    NON_CALCOLABILE,
    Q4_ITEM_BY_CODE,
    USER_ROW_BY_CODE,
)
from .limits import MAX_FORM_BYTES, MAX_PDF_BYTES, shortened
from .model import Draft
from .numbers import NumberError, format_number, parse_number
from .values import coerce
from .visible import visible


class ImportError_(Exception):
    """The text cannot be imported; str() is Italian."""


PORTAL, COMPACT = "portale", "compatto"


@dataclass
class ImportResult:
    draft: Any
    layout: str  # PORTAL or COMPACT
    printed: dict[str, Any] = field(default_factory=dict)  # derived figures as printed
    present: frozenset[str] = frozenset()  # the codes the print shows (R40: its label)


_NORMALIZE = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'",
     "\u00a0": " ", "\r": None}
)
_CODE_RE = re.compile(r"^(M\d\d|R0[A-E]|R00[C-E]|R\d\d[AB]?)(?=[\s\-]|$)")
_NUM_TOKEN = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_YEAR = re.compile(r"^20(1[7-9]|2[0-5])$")
_FOOTER = re.compile(r"^(SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO|Pagina \d+ di \d+)")
_SIDE_TITLE = re.compile(r"Quadro [1-4]")
_SIDEBAR_TITLES = {
    "autodiagnosi del", "numero di utenti serviti", "autodiagnosi della",
    "spesa per il sociale", "obiettivi di servizio 2024", "relazione in formato", "strutturato",
}
# Lines that end a row's block: messages, section titles, notes.
_BOUNDARY = re.compile(
    r"^(Nel 2024|Va segnalato|La spesa dell|L'ente|Di conseguenza|Compilare solo|OBIETTIVI DI|"
    r"Informazioni relative|Totale$|TOTALE$|Interventi e servizi|INTERVENTI E SERVIZI|"
    r"Contributi economici|CONTRIBUTI ECONOMICI|Strutture$|STRUTTURE$|QUADRO|\d+ - QUADRO|"
    r"Relazione in formato strutturato|Relazione in formato libero$|NOTA BENE|ATTENZIONE|"
    r"Autodiagnosi|Spesa per il sociale|Il livello di spesa|ll livello di spesa|Scelta d|"
    r"Servizi sociali erogati|Ciascun Comune|Comune\s)"
)
_R40_END = re.compile(r"^(NOTA BENE|ATTENZIONE:|Il raggiungimento dell'obiettivo)")
_LONGEST_HEADER = 200
_CODE_ALIASES = {"R00C": "R0C", "R00D": "R0D", "R00E": "R0E"}
_Q3_HEADING_WORDS = frozenset({"numero", "modalità", "di", "determinazione", "della", "spesa", "aggiuntiva"})
_Q3_HEADINGS = ("Numero Modalità di determinazione della spesa aggiuntiva Spesa aggiuntiva",
                "Spesa aggiuntiva")


def _label_of(code: str) -> str:
    if code in USER_ROW_BY_CODE:
        return USER_ROW_BY_CODE[code].label
    if code in Q4_ITEM_BY_CODE:
        return Q4_ITEM_BY_CODE[code].label
    return LABELS.get(code, "")


def _strip_prefix(text: str, prefix: str) -> str:
    """Drop `prefix` from the start of `text`, comparing letters case-insensitively and
    ignoring white space and line breaks. Stops at the first difference."""
    i, j, n = 0, 0, len(text)
    while j < len(prefix):
        if prefix[j].isspace():
            j += 1
            continue
        while i < n and text[i].isspace():
            i += 1
        if i < n and text[i].lower() == prefix[j].lower():
            i += 1
            j += 1
        else:
            break
    return text[i:]


def _numbers(line: str) -> list[str] | None:
    """The tokens of a line made only of numbers, else None."""
    tokens = line.split()
    if tokens and all(_NUM_TOKEN.match(t) for t in tokens):
        return tokens
    return None


def _trailing_numbers(line: str) -> list[str]:
    tokens = line.split()
    out: list[str] = []
    for tok in reversed(tokens):
        if not _NUM_TOKEN.match(tok):
            break
        out.append(tok)
    return out[::-1]


@dataclass
class _Segment:
    code: str
    first: str  # the code's line, without the code and the label prefix
    lines: list[str]  # following lines up to the next code or boundary

    @property
    def body(self) -> str:
        return "\n".join([self.first, *self.lines])


def _clean_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines without page footers and side titles: (normalised, as printed).

    The two lists match line by line and character by character: the normalisation maps one
    character to one character ("\\r" is dropped from both)."""
    raw_lines = [ln.rstrip() for ln in text.replace("\r", "").split("\n")]
    out: list[str] = []
    out_raw: list[str] = []
    in_sidebar = False
    for raw in raw_lines:
        line = raw.translate(_NORMALIZE)
        s = line.strip()
        if _FOOTER.match(s):
            continue
        if _SIDE_TITLE.fullmatch(s):
            in_sidebar = True
            continue
        if in_sidebar:
            if s.lower() in _SIDEBAR_TITLES:
                continue
            if s:
                in_sidebar = False
        out.append(line)
        out_raw.append(raw)
    return out, out_raw


def _segments(lines: list[str], raw_lines: list[str]) -> tuple[dict[str, _Segment], list[str], str, str]:
    """Split into one block per code.

    Returns (segments, header lines, R40 tail normalised, R40 tail as printed): the two R40
    texts match character by character."""
    segments: dict[str, _Segment] = {}
    header: list[str] = []
    current: _Segment | None = None
    r40: list[str] = []
    r40_raw: list[str] = []
    in_r40 = False
    for line, raw in zip(lines, raw_lines):
        s = line.strip()
        if in_r40:
            if _R40_END.match(s):
                in_r40 = False
                current = None
                continue
            r40.append(line)
            r40_raw.append(raw)
            continue
        m = _CODE_RE.match(s)
        if m:
            code = _CODE_ALIASES.get(m.group(1), m.group(1))
            rest = s[m.end():].lstrip()
            rest = rest[1:].lstrip() if rest.startswith("-") else rest
            if code == "R40":
                in_r40 = True
                r40.append(rest)
                r40_raw.append(raw.strip()[len(s) - len(rest):])  # same place in the printed line
                current = None
                continue
            if code in CELL_BY_NAME or code in USER_ROW_BY_CODE or code in LABELS:
                if code in segments:  # a repeated page: keep the first reading
                    current = None
                    continue
                current = _Segment(code, rest, [])
                segments[code] = current
                continue
        if _BOUNDARY.match(s):
            if current is None and not segments:
                header.append(s)
            current = None
            continue
        if current is not None:
            current.lines.append(s)
        elif not segments:
            header.append(s)
    return segments, header, "\n".join(r40), "\n".join(r40_raw)


def _read_r40(norm: str, raw: str) -> str | None:
    """The relazione: the label is recognised on the normalised text, the text itself is
    taken as printed (’, –, no-break spaces kept); wrapped lines are joined by one space,
    paragraphs (blank lines) kept apart."""
    text = raw[len(norm) - len(_strip_prefix(norm, LABELS["R40"])):]
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        joined = " ".join(ln.strip() for ln in block.split("\n") if ln.strip())
        if joined:
            blocks.append(joined)
    return "\n".join(blocks) or None


def _value_tokens(seg: _Segment, compact: bool) -> list[str] | None:
    first = _strip_prefix(seg.first, _label_of(seg.code))
    later = [tokens for tokens in map(_numbers, seg.lines) if tokens]
    trailing = _trailing_numbers(first)
    if trailing and later and all(_YEAR.match(t) for t in trailing):
        # "R04 - Livello di Servizio 2024" with the value on a later line: the year is label.
        trailing = []
    candidates = ([trailing] if trailing else []) + later
    if not candidates:
        return None
    return candidates[0] if compact else candidates[-1]


def _to_number(token: str, integer: bool) -> Decimal:
    """A printed figure, keeping the decimals the print shows, within the bounds of any
    figure read (`numbers.parse_number`).

    Printed figures have no ambiguity: a dot separates thousands, a comma decimals."""
    if not _NUM_TOKEN.match(token):
        raise NumberError(f"«{_shown(token)}» non è un numero")
    places = len(token.partition(",")[2])
    return parse_number(token, integer=integer or not places, places=places)


def _shown(text: str) -> str:
    """A piece of the form quoted in a message: shortened, control characters shown."""
    return visible(shortened(text))


def compare_printed(result: ImportResult, outcome: Any) -> list[tuple[str, Any, Any]]:
    """Derived figures where the print and our recomputation disagree.

    A printed figure agrees when it equals ours rounded (or truncated) to the decimals the
    print shows: the compact layout prints averages as whole numbers and R04 truncated."""
    out = []
    for name, shown in result.printed.items():
        ours = outcome.values.get(name)
        if ours is None:
            out.append((name, shown, ours))
            continue
        unit = Decimal(1).scaleb(Decimal(shown).as_tuple().exponent)
        if abs(Decimal(ours) - Decimal(shown)) > unit:
            out.append((name, shown, ours))
    return out


def _places(value: Any) -> int:
    """The decimals a printed figure shows (2 for 2,50; 0 for 28)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0


def differences(result: ImportResult, outcome: Any) -> list[str]:
    """`compare_printed` in words, Italian figures on both sides: the printed figure with the
    decimals the print shows ("R04 stampato 2,50"), ours with as many (at least 2) unless it
    is a whole count ("R0B_2024 stampato 29, ricalcolato 28")."""
    out = []
    for name, shown, ours in compare_printed(result, outcome):
        printed = format_number(shown, _places(shown))
        if ours is None:
            recomputed = "non calcolabile (mancano dati)"
        elif isinstance(ours, int):
            recomputed = format_number(ours)
        else:
            recomputed = format_number(ours, max(2, _places(shown)))
        out.append(f"{name} stampato {printed}, ricalcolato {recomputed}")
    return out


def parse_printed(text: str) -> ImportResult:
    lines, raw_lines = _clean_lines(text)
    segments, header, r40_norm, r40_raw = _segments(lines, raw_lines)
    known = {code for code in segments if code in USER_ROW_BY_CODE}
    if len(known) < 10 or not ({"R03", "R06"} <= set(segments)):
        raise ImportError_(
            "il testo non sembra una scheda SOC25 stampata: non si trovano le righe degli "
            "utenti (M12, M15, ...) né R03 e R06."
        )
    compact = sum(
        1 for code in known if len(_trailing_numbers(_strip_prefix(segments[code].first, _label_of(code)))) >= 2
    ) >= 5
    fields: dict[str, Any] = {}
    printed: dict[str, Any] = {}
    problems: list[str] = []

    # Header: "Comune SONDRIO (SO)" where the print has it.
    for line in header + lines[:5]:
        if len(line) > _LONGEST_HEADER:  # no Comune's name is so long; the pattern is slow on it
            continue
        m = re.match(r"^\s*Comune\s+(?:di\s+)?(.+?)\s*\(([A-Za-z]{2})\)\s*$", line)
        if m:
            fields["comune"], fields["provincia"] = m.group(1).strip(), m.group(2).upper()
            break

    def numbers(code: str, counts: tuple[int, ...], integer: bool) -> list[Decimal] | None:
        seg = segments.get(code)
        if seg is None:
            return None
        tokens = _value_tokens(seg, compact)
        if tokens is None:
            problems.append(f"{code}: nessun valore trovato dopo l'etichetta")
            return None
        if len(tokens) not in counts:
            if len(tokens) > max(counts):
                tokens = tokens[-max(counts):]
            else:
                problems.append(
                    f"{code}: attesi {' o '.join(map(str, counts))} valori, trovati "
                    f"{len(tokens)} («{_shown(' '.join(tokens))}»)"
                )
                return None
        try:
            return [_to_number(t, integer and i < 3) for i, t in enumerate(tokens)]
        except NumberError as exc:
            problems.append(f"{code}: {exc}")
            return None

    def whole(code: str, token: str) -> int | None:
        try:
            return int(_to_number(token, True))
        except NumberError as exc:
            problems.append(f"{code}: {exc}")
            return None

    # Quadro 1: users.
    for code, row in USER_ROW_BY_CODE.items():
        want = 4 if row.has_hours else 2
        values = numbers(code, (want,), True)
        if values is None:
            if code not in segments:
                problems.append(f"{code}: riga non trovata")
            continue
        fields[f"{code}_2019"], fields[f"{code}_2024"] = int(values[0]), int(values[1])
        if row.has_hours:
            fields[f"{code}_ore"] = int(values[2])
            printed[f"{code}_media"] = values[3]
    tot = numbers("R0B", (2,), True)
    if tot:
        printed["R0B_2019"], printed["R0B_2024"] = int(tot[0]), int(tot[1])

    # ATS.
    for code in ("R0C", "R0D"):
        seg = segments.get(code)
        if seg is not None:
            value = " ".join(_strip_prefix(seg.body, LABELS[code]).split())
            fields[code] = value or None
    seg = segments.get("R0E")
    if seg is not None:
        body = seg.body
        m = re.search(r"ogni[\s:]*([\d.]+)", body)  # one class: linear on any run of blanks
        if m:
            fields["R0E"] = whole("R0E", m.group(1).rstrip("."))  # "5.000" or "3483." (a full stop)
        elif NON_CALCOLABILE in body.upper():
            fields["R0E"] = NON_CALCOLABILE
        else:
            problems.append("R0E: atteso «1 assistente sociale ogni: N abitanti» o «NON CALCOLABILE»")

    # Staff, population, service level.
    def put(code: str, names: tuple[str, ...], integer: bool = False) -> None:
        values = numbers(code, tuple(range(1, len(names) + 1)) if code == "R07" else (len(names),), integer)
        if values is None:
            return
        for name, value in zip(names, values):
            fields[name] = int(value) if integer else value

    put("R01", ("R01_2020", "R01_2024"))
    put("R01A", ("R01A_2024",))
    put("R02", ("R02_2020", "R02_2024"))
    put("R03", ("R03",), integer=True)
    put("R05", ("R05",))
    seg = segments.get("R01B")
    if seg is not None:
        m = re.search(r"(?:ogni\s*:|1\s*:)\s*(\d+)", seg.body)
        if m:
            printed["R01B"] = whole("R01B", m.group(1))
    r04 = numbers("R04", (1,), False)
    if r04:
        printed["R04"] = r04[0]

    # Quadro 2.
    put("R06", ("R06",))
    put("R07", ("R07_2017", "R07_2021"))
    put("R08", ("R08",))

    # Quadro 3 (printed only by some layouts, or when it applies).
    for code in ("R09", "R15"):
        seg = segments.get(code)
        if seg is not None:
            values = numbers(code, (1,), False)
            if values:
                printed[code] = values[0]
    for code in ("R10", "R11"):
        seg = segments.get(code)
        if seg is None:
            continue
        body = _strip_prefix(seg.body, LABELS[code])
        body = _strip_prefix(body, _Q3_HEADINGS[0]).split()
        # The headings' words in another order (a PDF's line has the columns' headings side
        # by side): the figures start at the first number.
        first = 0
        while first < len(body) and body[first].lower() in _Q3_HEADING_WORDS:
            first += 1
        body = body[first:]
        if len(body) >= 2 and _NUM_TOKEN.match(body[0]) and _NUM_TOKEN.match(body[-1]):
            try:
                fields[f"{code}_numero"] = _to_number(body[0], False)
                fields[f"{code}_spesa"] = _to_number(body[-1], False)
            except NumberError as exc:
                problems.append(f"{code}: {exc}")
                continue
            modalita = " ".join(body[1:-1]).strip()
            fields[f"{code}_modalita"] = modalita or None
        else:
            problems.append(f"{code}: attesi Numero, Modalità e Spesa aggiuntiva («{_shown(' '.join(body))}»)")
    for code in ("R12", "R13", "R14"):
        put(code, (code,))

    # Quadro 4: SI / NO.
    for code in Q4_ITEM_BY_CODE:
        seg = segments.get(code)
        if seg is None:
            continue
        m = re.search(r"(?<![\w'])(SI|NO)(?![\w'])", seg.body)
        if m:
            fields[code] = m.group(1)

    if r40_norm:
        fields["R40"] = _read_r40(r40_norm, r40_raw)

    draft = typed_draft(fields, problems)  # the cell's places, its bounds: as from a file
    if problems:
        raise ImportError_("impossibile leggere la stampa:\n" + "\n".join(f"  {p}" for p in problems))
    present = frozenset(segments) | ({"R40"} if r40_norm else frozenset())
    return ImportResult(draft, COMPACT if compact else PORTAL, printed, present)


PDF = "PDF"  # `read_printed`'s encoding when the form was a PDF


def read_printed(path: Any, *, expected: str) -> Any:
    """The text of the printed form at `path`, as a `reading.TextFile`: a PDF's text (known
    by its content, whatever the file's name; its encoding is then `PDF`) or a text file's.

    Raises `reading.ReadError` for a file that cannot be read and `ImportError_` for a PDF
    whose text cannot be (a scan, a password, damaged): both Italian, and `expected`
    completes the first. pdfminer is imported only here, and only for a PDF."""
    from .reading import TextFile, read_form

    form = read_form(path, limit=MAX_FORM_BYTES, pdf_limit=MAX_PDF_BYTES, expected=expected)
    if isinstance(form, bytes):
        from .pdftext import PdfError, pdf_text

        try:
            return TextFile(pdf_text(form), PDF)
        except PdfError as exc:
            raise ImportError_(str(exc)) from None
    return form


# The rows a complete print shows, in printed order: every row with a cell to fill in.
_ROWS = tuple(dict.fromkeys(cell.code for cell in INPUT_CELLS if cell.quadro > 0))
_QUADRO_OF = {cell.code: cell.quadro for cell in INPUT_CELLS}


def missing_rows(result: ImportResult, outcome: Any) -> list[str]:
    """The rows a complete print of this layout shows and this one lacks, in printed order.

    The portal's 7-page print shows every row, Quadro 3 and the four blocks of Quadro 4
    included (empty where they do not apply); the compact one shows Quadro 3 only when it
    is to be filled and, of Quadro 4, only the block of the draft's case. A row printed
    empty is there: only a truncated text lacks one."""
    expected = _ROWS
    if result.layout == COMPACT:
        block = outcome.block.codes if outcome.block else ()
        expected = tuple(
            code for code in expected
            if (_QUADRO_OF[code] != 3 or outcome.quadro3_required)
            and (code not in Q4_ITEM_BY_CODE or code in block)
        )
    return [code for code in expected if code not in result.present]


def missing_warning(rows: list[str]) -> str:
    """`missing_rows` in words: «... mancano R0D, R0E (Quadro 1); R34-R39, R40 (Quadro 4).
    ...», three rows or more in a row as a span."""
    spans: list[list[str]] = []
    for code in rows:
        last = spans[-1][-1] if spans else None
        # R40, the relazione libera, is not one of Quadro 4's items: never in their span.
        if last and code != "R40" and _QUADRO_OF[last] == _QUADRO_OF[code] and _ROWS.index(last) + 1 == _ROWS.index(code):
            spans[-1].append(code)
        else:
            spans.append([code])
    by_quadro: dict[int, list[str]] = {}
    for span in spans:
        shown = [f"{span[0]}-{span[-1]}"] if len(span) >= 3 else span
        by_quadro.setdefault(_QUADRO_OF[span[0]], []).extend(shown)
    listed = "; ".join(f"{', '.join(codes)} (Quadro {q})" for q, codes in by_quadro.items())
    return (
        f"la stampa sembra incompleta: mancano {listed}. Le loro celle restano vuote nella "
        "bozza: verificare che il testo sia stato estratto per intero dal PDF."
    )


def typed_draft(fields: dict[str, Any], problems: list[str], base: Any = None) -> Any:
    """A draft of `fields` (over the cells of `base`, if given), each value given its cell's
    type by `values.coerce`, the TOML loader's own; a value it refuses is added to `problems`
    ("R03: ...").

    Not `Draft(**fields)`: that validates with pydantic, whose import alone costs about as
    much as the rest of `soc25 import` (tests/cli/test_cli.py checks it stays unimported)."""
    cells = base.inputs() if base is not None else {}
    for name, value in fields.items():
        if value is None:
            cells[name] = None
            continue
        try:
            cells[name] = coerce(name, value)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    return Draft.trusted(cells, dict(base.invalid) if base is not None else {})
