"""Many drafts as one table for the office: a row per draft, a column per figure. `soc25
export` (cli/export.py) writes it as XLSX or as CSV for Italian spreadsheets.

The columns (`COLUMNS`, the table's first row): `draft` (the path as given), `error` (why the
draft cannot be read, as `check --json` says it; the rest of such a row is empty), `comune`,
`provincia`, `istat`, `case`, `quadro3_required`, `errors`, `warnings`, `review_state`,
`notes_open`, then every other cell of the form by its public name in the form's order, given
and derived (`layout.CELLS`; its first three, the header's comune, provincia and istat, are
the columns above, once: a name is one column).

The values are those of `check --json` (`report.cell_values`, one source), as a spreadsheet
holds them:

- a figure is a number (whole, or a decimal with its places), never text: the XLSX gives it
  Excel's format «#,##0» or «#,##0.00» (shown 1.234.567,89 in an Italian spreadsheet), the CSV
  writes it with the decimal comma and no thousands separator (1234567,89), which an Italian
  spreadsheet reads as a number;
- `quadro3_required` is SI or NO as the form's own SI/NO cells (the JSON's true/false), empty
  when it cannot be told yet (null);
- R0E's NON CALCOLABILE is the words: the JSON has null for it (SOC25.md: a JSON number cannot
  say it), a spreadsheet cell can, and an empty cell would read as a figure not given, which
  the form warns about; the column's figures stay numbers;
- a value kept unreadable is empty, as in `check --json` (the `errors` column counts it);
- a text is the draft's, with its control characters shown (`visible`: ␛, ⟨U+202E⟩; XML cannot
  hold them, and they are someone else's text), newlines and tabs kept.

Text from drafts is data, never a formula (OWASP, «CSV Injection»): in the XLSX every text is a
text cell (`inlineStr`: openpyxl would make a string starting with «=» a formula; here no
cell is ever one), so the value stays exactly the draft's; in the CSV, where the spreadsheet
itself decides, a text starting with =, +, -, @ or a tab gets a leading apostrophe. The XLSX
cuts a text at 32.767 characters, the most an Excel cell holds (only an R40 far past its 6.000
can be that long), ending it with «…».

Speed: each row is read, assessed and formatted in a worker process (`batch.map_ordered`), only
its text travels back, and the parent writes the rows in the order given. For the XLSX,
openpyxl (imported here only) writes the workbook: the styles, the frozen header, the widths,
the filter and the second sheet «Colonne»; the rows of the first sheet, written by openpyxl
cell by cell, would take three times as long as `check --json` itself, so they are written
here, as openpyxl writes them (a `<row>` of `<c>` cells), into the sheet it made, streamed into
the ZIP: a few MB of memory for 8.000 drafts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, NamedTuple

from .assess import assess
from .batch import map_ordered
from .drafts import DraftError, load
from .layout import CELL_BY_NAME, CELLS, NON_CALCOLABILE, QUADRO_TITLES, Kind
from .numbers import format_number
from .report import cell_values
from .visible import visible

FORMATS = ("xlsx", "csv")
SHEET_DRAFTS = "Bozze"
SHEET_COLUMNS = "Colonne"
EXCEL_CELL_MAX = 32767  # characters in one cell (Excel's limit)


class Column(NamedTuple):
    name: str  # as the first row says it
    label: str  # Italian, for the sheet «Colonne»
    places: int | None  # a figure's decimals; None: text
    width: int  # in the XLSX, in characters
    quadro: str = ""  # the Quadro it belongs to, for the sheet «Colonne»


_HEADER = ("comune", "provincia", "istat")


def _cell_column(name: str) -> Column:
    cell = CELL_BY_NAME[name]
    label = cell.title + (" (calcolata da soc25 come la calcola il portale)" if cell.derived else "")
    if name == "R0E":
        label += "; NON CALCOLABILE scritto per esteso"
    if cell.kind in (Kind.INT, Kind.ATS_RATIO):
        places, width = 0, 11
    elif cell.kind is Kind.DEC:
        places, width = cell.places, 15
    elif cell.kind is Kind.SINO:
        places, width = None, 6
    else:
        places, width = None, (50 if name == "R40" else 24)
    return Column(name, label, places, max(width, len(name) + 3), QUADRO_TITLES[cell.quadro])


FIXED: tuple[Column, ...] = (
    Column("draft", "Percorso del file della bozza, come indicato nel comando", None, 30),
    Column("error", "Perché la bozza non si può leggere (vuota se si legge); in tal caso le altre "
                    "colonne della riga sono vuote", None, 30),
    *(_cell_column(name) for name in _HEADER),
    Column("case", "Caso della bozza: A, B, C o D (spesa rispetto al fabbisogno, servizi rispetto "
                   "al riferimento); vuoto se non determinabile", None, 7),
    Column("quadro3_required", "Se il Quadro 3 va compilato: SI o NO; vuoto se non si può ancora "
                               "stabilire", None, 18),
    Column("errors", "Numero di errori trovati dal controllo (come soc25 check)", 0, 9),
    Column("warnings", "Numero di avvisi trovati dal controllo (come soc25 check)", 0, 10),
    Column("review_state", "Stato della revisione: da-rivedere, da-correggere o approvata", None, 15),
    Column("notes_open", "Numero di note della revisione non ancora risolte", 0, 12),
)
COLUMNS: tuple[Column, ...] = FIXED + tuple(_cell_column(c.name) for c in CELLS if c.name not in _HEADER)
_CELL_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS[len(FIXED):])
_EMPTY_ROW = (None,) * (len(COLUMNS) - 2)

Row = tuple[Any, ...]  # one value per column: None, int, Decimal or str


# --- a draft's row (in a worker) -----------------------------------------------------------

_NOT_XML = re.compile("[\ufffe\uffff]")  # not XML characters, and not control characters either


def shown(text: str, *, multiline: bool = True) -> str:
    """A text of a draft as the table holds it: control characters (and what XML cannot hold)
    shown, newlines and tabs kept (`multiline`; a file's name or an error: shown too)."""
    text = visible(text, multiline=multiline)
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    return text


def row_values(path: str) -> tuple[str | None, Row]:
    """The row of the draft at `path`, and None; or, when it cannot be read, its Italian
    error and a row holding only the path and that error."""
    try:
        draft = load(path)
    except DraftError as exc:
        error = str(exc)
        return error, (shown(path, multiline=False), shown(error, multiline=False), *_EMPTY_ROW)
    assessment = assess(draft)
    outcome = assessment.outcome
    cells = cell_values(draft, outcome, exact=True)
    if draft.R0E == NON_CALCOLABILE:
        cells["R0E"] = NON_CALCOLABILE
    q3 = outcome.quadro3
    review = draft.review
    values = (
        None, None, cells["comune"], cells["provincia"], cells["istat"], outcome.case,
        None if q3 is None else ("SI" if q3 else "NO"), assessment.errors, assessment.warnings,
        review.state, len(review.open_notes), *(cells[name] for name in _CELL_NAMES),
    )
    return None, (shown(path, multiline=False), *(shown(v) if isinstance(v, str) else v for v in values[1:]))


# --- CSV ------------------------------------------------------------------------------------

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text as a CSV cell holds it: one a spreadsheet would take for a formula gets a leading
    apostrophe (OWASP), which the spreadsheet shows and never runs."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_fields(row: Row) -> list[str]:
    fields = []
    for column, value in zip(COLUMNS, row, strict=True):
        if value is None:
            fields.append("")
        elif isinstance(value, str):
            fields.append(csv_text(value))
        else:
            fields.append(format_number(value, column.places or 0, grouping=False))
    return fields


def _csv_line(fields: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(fields)
    return out.getvalue()


def csv_row(path: str) -> tuple[str | None, str]:
    """Worker: the draft's CSV line (and its error, when it cannot be read)."""
    error, row = row_values(path)
    return error, _csv_line(csv_fields(row))


def write_csv(paths: Sequence[str], out: BinaryIO, *, jobs: int | None = None,
              on_error: Callable[[str], None] = lambda _: None) -> int:
    """The CSV of `paths` into `out`: UTF-8 with a BOM (Excel then reads the accents), «;» between
    fields, rows ended by CRLF. Returns how many drafts could not be read."""
    out.write((BOM + _csv_line([c.name for c in COLUMNS])).encode("utf-8"))
    unreadable = 0
    for error, line in map_ordered(csv_row, paths, jobs):
        if error is not None:
            unreadable += 1
            on_error(error)
        out.write(line.encode("utf-8"))
    return unreadable


# --- XLSX -----------------------------------------------------------------------------------

NUMBER_FORMATS = {0: "#,##0", 2: "#,##0.00"}


def number_format(places: int) -> str:
    return NUMBER_FORMATS.get(places) or "#,##0." + "0" * places


def column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (Excel's column names)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = tuple(column_letter(i) for i in range(1, len(COLUMNS) + 1))
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def xlsx_text(value: str) -> str:
    """A text as the XLSX holds it: at most EXCEL_CELL_MAX characters."""
    return value if len(value) <= EXCEL_CELL_MAX else value[: EXCEL_CELL_MAX - 1] + "…"


def xml_row(number: int, row: Row, styles: dict[int, int]) -> str:
    """Row `number` of the sheet, as openpyxl's write-only mode writes one: a figure is a
    number cell with the style of its places (`styles`), a text an inline string (never a
    formula), an empty value no cell at all."""
    parts = [f'<row r="{number}">']
    for letter, column, value in zip(_LETTERS, COLUMNS, row, strict=True):
        if value is None:
            continue
        if isinstance(value, str):
            text = xlsx_text(value)
            space = ' xml:space="preserve"' if text != text.strip() else ""  # as openpyxl does
            parts.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text.translate(_XML_ESCAPES)}</t></is></c>')
        else:
            figure = value if isinstance(value, int) else f"{value:f}"
            parts.append(f'<c r="{letter}{number}" s="{styles[column.places or 0]}"><v>{figure}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def xlsx_row(job: tuple[int, str, tuple[tuple[int, int], ...]]) -> tuple[str | None, bytes]:
    """Worker: row `number` of the sheet for the draft at `path` (and its error)."""
    number, path, styles = job
    error, row = row_values(path)
    return error, xml_row(number, row, dict(styles)).encode("utf-8")


def _workbook(rows: int) -> tuple[Any, Any, dict[int, int]]:
    """The workbook openpyxl makes, in write-only mode: the sheet «Bozze» with its header row
    (the rows go in later, see `write_xlsx`), and the sheet «Colonne». Returns the workbook,
    the sheet «Bozze» and the style of each number of places."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_DRAFTS)
    styles = {}
    for places in sorted({c.places for c in COLUMNS if c.places is not None}):
        sample = WriteOnlyCell(ws, 0)
        sample.number_format = number_format(places)
        styles[places] = sample.style_id  # registers the style in the workbook
    bold = Font(bold=True)

    def text(sheet: Any, value: str, **style: Any) -> Any:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # a text, whatever it starts with
        for key, item in style.items():
            setattr(cell, key, item)
        return cell

    for letter, column in zip(_LETTERS, COLUMNS):
        ws.column_dimensions[letter].width = column.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{_LETTERS[-1]}{rows + 1}"
    ws.append([text(ws, c.name, font=bold) for c in COLUMNS])

    legend = wb.create_sheet(SHEET_COLUMNS)
    for letter, width in zip("ABC", (20, 110, 55)):
        legend.column_dimensions[letter].width = width
    legend.freeze_panes = "A2"
    legend.append([text(legend, word, font=bold) for word in ("Colonna", "Descrizione", "Quadro")])
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in COLUMNS:
        legend.append([text(legend, column.name), text(legend, column.label, alignment=wrap),
                       text(legend, column.quadro)])
    return wb, ws, styles


def write_xlsx(paths: Sequence[str], out: BinaryIO, *, jobs: int | None = None,
               on_error: Callable[[str], None] = lambda _: None) -> int:
    """The XLSX of `paths` into `out` (see the module's docstring). Returns how many drafts
    could not be read."""
    import zipfile

    wb, ws, styles = _workbook(len(paths))
    made = io.BytesIO()
    wb.save(made)
    sheet_name = ws.path.lstrip("/")  # known once saved: xl/worksheets/sheet1.xml
    style_items = tuple(styles.items())
    jobs_list = [(number, path, style_items) for number, path in enumerate(paths, 2)]
    unreadable = 0
    # Deflate's fastest level: a third of the default's time for a quarter more bytes (the
    # parent compresses every row while the workers make them).
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        if sheet_name not in src.namelist():  # pragma: no cover - openpyxl names its sheets so
            raise RuntimeError(f"openpyxl wrote no {sheet_name}")
        for info in src.infolist():
            data = src.read(info)
            if info.filename != sheet_name:
                dst.writestr(info, data)
                continue
            head, end, tail = data.partition(b"</sheetData>")
            if not end:  # pragma: no cover - openpyxl always closes the element it opened
                raise RuntimeError(f"openpyxl wrote {sheet_name} without </sheetData>")
            with dst.open(sheet_name, "w") as sheet:
                sheet.write(head)
                for error, xml in map_ordered(xlsx_row, jobs_list, jobs):
                    if error is not None:
                        unreadable += 1
                        on_error(error)
                    sheet.write(xml)
                sheet.write(end + tail)
    return unreadable


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}

__all__ = ["COLUMNS", "FORMATS", "WRITERS", "Column", "row_values", "write_csv", "write_xlsx"]
