"""Tables back into drafts: a spreadsheet in the format `soc25 export` writes (core/export.py),
read row by row, each row creating or updating one draft (`soc25 import TABELLA.xlsx|.csv`,
cli/import_table.py).

Reading (`read_table`): the file is someone else's.

- XLSX: known by its content (a ZIP holding xl/workbook.xml); at most `MAX_XLSX_BYTES` on disk
  and `MAX_XLSX_INFLATED` once inflated (a ZIP bomb is refused before openpyxl opens it).
  openpyxl, imported here only, reads it in read-only mode with `data_only=False`: a cell
  holding a formula is seen as one and refused for that cell (with `data_only=True` openpyxl
  would hand over the value Excel last cached, as if typed; openpyxl never computes a
  formula either way). The sheet «Bozze» if there is one, else the first.
- CSV: decoded as `reading.read_text` decodes a printed form (UTF-8 with or without BOM,
  UTF-16 with BOM, else Windows-1252 as Excel saves «CSV» on an Italian Windows); «;»
  between fields as the export writes them, or «,» or a tab when the first row is split so
  (`header_delimiter`). A text the export wrote with a leading apostrophe (OWASP: «'=…») gets
  it taken away again.

Columns: any subset of the export's. `draft` and `istat` find the draft; every input cell by
its public name (`comune`, `provincia`, `istat` included) is imported; the derived cells and
the export's summary columns (`error`, `case`, `errors`, ...) are not (`IGNORED`): soc25
computes them from the cells, and a spreadsheet's copy of them is stale as soon as one input
of its row is edited (the export writes values, not formulas), so comparing them would flag
every edited row; the diff shows their new values anyway. A column of another name is
named in a warning and left alone; a name given twice refuses the table.

Values, per cell (`prepare`), typed as the TOML loader types a draft's (`values.coerce`,
through `importer.typed_draft`): a figure as a number of the sheet or as Italian text
(«1.984.440,83», «1984440,83»), R0E's NON CALCOLABILE in words, SI/NO; a text as it is. An
empty cell leaves the draft's value as it is (a Comune fills in the cells it knows; a cell
the sheet could not hold is not thereby cleared); `-` alone clears the cell (the export never
writes it: an empty cell is empty, and a text starting with «-» has its apostrophe in the CSV,
or is longer than the dash). A value equal to the draft's, or to the text the export writes
for it (control characters shown, the XLSX's cut at 32.767 characters) is no change. A formula,
an error of the sheet (#DIV/0!), a date, TRUE/FALSE, a value `coerce` refuses: the row's draft
is not touched, and each such cell is named by row and column (letter and name) with what is
expected. A code ISTAT that a spreadsheet read as a number («18001») gets its six digits back.

Rows to drafts (`Matcher`): by the `draft` path, relative to the table's folder (or the one
given): an absolute path, one leaving that folder, one through a symbolic link, a name that is
not a draft's (`*.toml`, not hidden) are refused; else by `istat`, among the drafts of that
folder (one of them; two with the same code are refused as ambiguous); a row matching no
draft creates one, at its `draft` path, or else named `ISTAT-comune.toml` (`new_name`). Two
rows for the same draft refuse both.

Each row is then worked out in a worker process (`process`, by `batch.map_ordered`): the draft
loaded, the values typed and put in, the comparison with `compare.compare` worded by
`compare.lines` (or `compare.brief`), and with `write` the draft saved by `drafts.save`
(atomic, `.bak`, the review reconciled: an approved draft whose cells change goes back to
da-rivedere), all under the draft's lock (`session.held_for_writing`).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from .layout import CELL_BY_NAME, Kind

XLSX, CSV = "xlsx", "csv"
MAX_XLSX_BYTES = 64 * 1024 * 1024
MAX_XLSX_INFLATED = 1024 * 1024 * 1024  # what all its parts inflate to, as the ZIP declares it
MAX_CSV_BYTES = 128 * 1024 * 1024  # 8.000 Comuni with every R40 at 6.000 characters: 50 MB
MAX_ROWS = 50_000  # Italy has about 7.900 Comuni
MAX_PATH_CHARS = 1000
CLEAR = "-"  # a cell holding only this clears the draft's value
SHEET = "Bozze"

EXPECTED = "una tabella di soc25 export: un file XLSX o CSV con la riga dei nomi delle colonne (draft, istat, celle)"


class TableError(Exception):
    """The table cannot be read at all; str() is Italian and names the file."""


class Formula(NamedTuple):
    """A cell of the XLSX holding a formula (its text)."""

    text: str


class SheetError(NamedTuple):
    """A cell of the XLSX holding one of the sheet's errors (#DIV/0!, #N/D)."""

    text: str


class Table(NamedTuple):
    path: str
    kind: str  # XLSX or CSV
    encoding: str  # the CSV's (reading.UTF8, CP1252, ...); "" for an XLSX
    delimiter: str  # the CSV's; "" for an XLSX
    header: tuple[str, ...]  # the first row's names, by column (index 0 is column A)
    header_row: int  # the number of the header's row (1 unless rows above it are empty)
    rows: list[tuple[int, dict[int, Any]]]  # (row number, {column index from 0: value})
    sheet: str = ""  # the XLSX's sheet read


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (the column's letters as a spreadsheet shows them)."""
    from .export import column_letter as letters

    return letters(index + 1)


# --- what the file is ---------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 64 * 1024


def _head(path: str) -> bytes | None:
    """The first bytes of the regular file at `path` (None: no such file, or not a regular
    one: the caller's own reader says why)."""
    from .reading import special_kind

    try:
        if special_kind(os.stat(path).st_mode) is not None:
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    try:
        if special_kind(os.fstat(fd).st_mode) is not None:
            return None
        return os.read(fd, _SNIFF_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)


def sniff(path: str) -> str | None:
    """XLSX or CSV when the file at `path` is a table by its content (a ZIP with
    xl/workbook.xml; a text whose first line names `draft` or `istat` and another column of
    the export), else None."""
    head = _head(path)
    if not head:
        return None
    if head.startswith(_ZIP_MAGIC):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                return XLSX if "xl/workbook.xml" in archive.namelist() else None
        except (OSError, zipfile.BadZipFile, ValueError, EOFError):
            return None
    if head.startswith(b"%PDF-"):
        return None
    first = _first_line(head)
    return CSV if first is not None and header_delimiter(first) is not None else None


def _first_line(head: bytes) -> str | None:
    import codecs

    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        if b"\0" in head:
            return None
        text = head.decode("utf-8-sig", errors="replace")
    return text.lstrip("\ufeff").splitlines()[0] if text.strip() else None


def _known_names() -> frozenset[str]:
    from .export import COLUMNS

    return frozenset(c.name for c in COLUMNS)


def canonical(name: str) -> str:
    """A column's name as the export spells it, whatever its case and the spaces around it
    («r03 », «ISTAT», «Draft» as someone retyped them in a spreadsheet); else the name
    stripped. No two names of the export differ only by case."""
    name = name.strip()
    return _by_folded().get(name.casefold(), name)


@functools.cache
def _by_folded() -> dict[str, str]:
    return {n.casefold(): n for n in (*_known_names(), *CELL_BY_NAME)}


def header_delimiter(line: str) -> str | None:
    """The delimiter that splits a header line into the export's names («;», else «,» or a
    tab), when one names `draft` or `istat` and at least one more known column; else None."""
    import csv

    known = _known_names()
    best, found = 0, None
    for delimiter in (";", ",", "\t"):
        with _field_limit(len(line)):
            names = [canonical(n) for n in next(csv.reader([line], delimiter=delimiter), [])]
        hits = sum(n in known for n in names)
        if ("draft" in names or "istat" in names) and hits >= 2 and hits > best:
            best, found = hits, delimiter
    return found


class _field_limit:
    """csv's limit on a field's length raised to `size` meanwhile (a cell of 10 MB is read,
    then refused as a value, not as a broken file)."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __enter__(self) -> None:
        import csv

        self.old = csv.field_size_limit()
        csv.field_size_limit(max(self.old, self.size + 1))

    def __exit__(self, *exc: object) -> None:
        import csv

        csv.field_size_limit(self.old)


# --- reading ------------------------------------------------------------------------------


def read_table(path: str, kind: str | None = None) -> Table:
    """The table at `path` (`kind`: XLSX or CSV, else told by `sniff` or the name's
    extension). TableError, in Italian, when it cannot be read."""
    kind = kind or sniff(path) or {".xlsx": XLSX, ".csv": CSV}.get(os.path.splitext(path)[1].lower())
    if kind == XLSX:
        return _read_xlsx(path)
    if kind == CSV:
        return _read_csv(path)
    from .reading import ReadError, read_bytes

    try:  # the reader's own refusal for a folder, a FIFO, a missing file
        read_bytes(path, limit=_SNIFF_BYTES, expected=EXPECTED)
    except ReadError as exc:
        raise TableError(str(exc)) from None
    raise TableError(f"{path}: non è una tabella di soc25 export (né XLSX né CSV con la colonna "
                     f"draft o istat nella prima riga); atteso {EXPECTED}.")


def _read_csv(path: str) -> Table:
    import csv
    import io

    from .reading import ReadError, read_text

    try:
        form = read_text(path, limit=MAX_CSV_BYTES, expected=EXPECTED)
    except ReadError as exc:
        raise TableError(str(exc)) from None
    text = form.text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = header_delimiter(first)
    if delimiter is None:
        raise TableError(_no_header(path))
    rows: list[tuple[int, dict[int, Any]]] = []
    header: tuple[str, ...] = ()
    try:
        with _field_limit(len(text)):
            for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
                if number == 1:
                    header = tuple(record)
                    continue
                values = {i: v for i, v in enumerate(record) if v.strip()}
                if values:
                    _count(rows, path)
                    rows.append((number, values))
    except csv.Error:  # pragma: no cover - the reader is lenient, and NUL is refused before it
        raise TableError(f"{path}: non è un CSV leggibile; atteso {EXPECTED}.") from None
    return Table(path, CSV, form.encoding, delimiter, header, 1, rows)


def _count(rows: list[Any], path: str) -> None:
    if len(rows) >= MAX_ROWS:
        from .numbers import format_number

        raise TableError(f"{path}: più di {format_number(MAX_ROWS)} righe: una riga per Comune non ne "
                         "ha tante; dividere la tabella.")


def _no_header(path: str) -> str:
    return (f"{path}: la prima riga non ha i nomi delle colonne di soc25 export (serve la colonna "
            f"draft o istat, e i nomi delle celle come R03, R07_2021); atteso {EXPECTED}.")


def _regular_size(path: str) -> int:
    """The size of the regular file at `path`; TableError, as `reading` words it, for a
    missing file, a folder, a FIFO or a device (never opened)."""
    from .reading import os_reason, special_kind

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise TableError(f"{path}: il file non esiste.") from None
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "nome non valido"
        raise TableError(f"{path}: {reason}; atteso {EXPECTED}.") from None
    kind = special_kind(info.st_mode)
    if kind is not None:
        reason = "è una cartella" if kind == "una cartella" else f"è {kind}, non un file"
        raise TableError(f"{path}: {reason}; atteso {EXPECTED}.")
    return info.st_size


def _read_xlsx(path: str) -> Table:
    import zipfile

    from .limits import megabytes

    size = _regular_size(path)
    if size > MAX_XLSX_BYTES:
        raise TableError(f"{path}: il file è troppo grande ({megabytes(size)}): al massimo "
                         f"{megabytes(MAX_XLSX_BYTES)}.")
    bad = f"{path}: non è un file XLSX leggibile (danneggiato, o non è un foglio di calcolo); atteso {EXPECTED}."
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            inflated = sum(i.file_size for i in infos)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        raise TableError(bad) from None
    if "xl/workbook.xml" not in names:
        raise TableError(bad)
    if inflated > MAX_XLSX_INFLATED:
        raise TableError(f"{path}: il file XLSX si espande a {megabytes(inflated)}, oltre "
                         f"{megabytes(MAX_XLSX_INFLATED)}: non lo apro.")
    try:
        return _xlsx_rows(path)
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - a damaged or forged workbook: openpyxl raises anything
        raise TableError(bad) from None


def _xlsx_rows(path: str) -> Table:
    from openpyxl import load_workbook

    # A file object, not the name: openpyxl would refuse a workbook not named .xlsx, and it is
    # known here by its content.
    with open(path, "rb") as fh:
        return _sheet_rows(path, load_workbook(fh, read_only=True, data_only=False, keep_links=False))


def _sheet_rows(path: str, wb: Any) -> Table:
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # a forged <dimension> must not make rows of 16.384 empty cells
        header: tuple[str, ...] | None = None
        header_row = 0
        rows: list[tuple[int, dict[int, Any]]] = []
        for row in ws.iter_rows():
            values: dict[int, Any] = {}
            number = 0
            for cell in row:
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                number = cell.row
                kind = cell.data_type
                if kind == "f":
                    value = Formula(value if isinstance(value, str) else str(getattr(value, "text", value)))
                elif kind == "e":
                    value = SheetError(str(value))
                values[cell.column - 1] = value
            if not values:
                continue
            if header is None:
                width = max(values) + 1
                header = tuple(_header_name(values.get(i)) for i in range(width))
                header_row = number
                continue
            _count(rows, path)
            rows.append((number, values))
        return Table(path, XLSX, "", "", header or (), header_row or 1, rows, ws.title)
    finally:
        wb.close()


def _header_name(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (Formula, SheetError)):
        return value.text
    return str(value)


# --- the columns --------------------------------------------------------------------------


def _ignored() -> frozenset[str]:
    from .export import COLUMNS

    return frozenset(c.name for c in COLUMNS if c.name != "draft"
                     and (c.name not in CELL_BY_NAME or CELL_BY_NAME[c.name].derived))


class Columns(NamedTuple):
    cells: tuple[tuple[int, str], ...]  # (column index, input cell name), in the table's order
    draft: int | None  # the index of `draft`
    istat: int | None  # the index of `istat`
    ignored: tuple[str, ...]  # derived cells and summary columns present (recomputed by soc25)
    unknown: tuple[tuple[int, str], ...]  # (index, name) of columns of no known name

    @property
    def labelled(self) -> tuple[tuple[int, str, str], ...]:
        """(index, name, «D «R03»») of each input cell's column: one text for every row."""
        return tuple((index, name, f"{column_letter(index)} «{name}»") for index, name in self.cells)


def columns(table: Table) -> Columns:
    """What each column of the table is; TableError for a table that cannot say which draft
    a row is (no `draft`, no `istat`) or names a column twice."""
    from .limits import shortened
    from .visible import visible

    ignored_names = _ignored()
    seen: dict[str, int] = {}
    cells, ignored, unknown = [], [], []
    used = {i for _, values in table.rows for i in values}
    for index, raw in enumerate(table.header):
        name = canonical(raw)
        if not name:
            if index in used:
                unknown.append((index, ""))
            continue
        if name in seen:
            raise TableError(
                f"{table.path}: la colonna «{visible(shortened(name))}» compare due volte (colonne "
                f"{column_letter(seen[name])} e {column_letter(index)}): non so quale valga.")
        seen[name] = index
        if name == "draft":
            continue
        cell = CELL_BY_NAME.get(name)
        if cell is not None and not cell.derived:
            cells.append((index, name))
        elif name in ignored_names:
            ignored.append(name)
        else:
            unknown.append((index, name))
    if "draft" not in seen and "istat" not in seen:
        raise TableError(_no_header(table.path))
    return Columns(tuple(cells), seen.get("draft"), seen.get("istat"), tuple(ignored), tuple(unknown))


# --- rows to drafts -----------------------------------------------------------------------


class Refused(Exception):
    """A row that cannot be imported; str() is Italian (without the row's place)."""


def istat_key(value: Any) -> str | None:
    """A code ISTAT as the table gives it, as a draft writes it: a number or digits of fewer
    than six get their leading zeros back (a spreadsheet reads «018001» as 18001); None for
    an empty one."""
    if value is None or isinstance(value, (bool, Formula, SheetError)):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) < 6:
        text = text.zfill(6)
    return text or None


def draft_path(text: str, base: str) -> str:
    """The draft a `draft` cell names, as a path inside `base` (the folder of the table, real
    path); Refused for a path that is absolute and elsewhere, leaves `base`, goes through a
    symbolic link, or is not a draft's name."""
    from .folder import is_draft_name
    from .limits import shortened
    from .visible import visible

    if len(text) > MAX_PATH_CHARS:
        raise Refused(f"percorso della bozza di {len(text)} caratteri: troppo lungo")
    if visible(text) != text:
        raise Refused(f"percorso della bozza «{visible(shortened(text))}» con caratteri di controllo: non lo uso")
    shown = shortened(text, 120)
    joined = text if os.path.isabs(text) else os.path.join(base, text)
    full = os.path.normpath(os.path.abspath(joined))
    try:
        inside = os.path.commonpath([full, base]) == base and full != base
    except ValueError:  # another drive (Windows)
        inside = False
    if not inside:
        where = "è un percorso assoluto fuori dalla cartella" if os.path.isabs(text) else "esce dalla cartella"
        raise Refused(f"«{shown}» {where} {base}: si importano solo bozze della cartella della "
                      "tabella (o di quella data con --cartella)")
    if not is_draft_name(os.path.basename(full)):
        raise Refused(f"«{shown}» non è il nome di una bozza (atteso un file .toml, non nascosto)")
    if os.path.realpath(full) != full:
        raise Refused(f"«{shown}» passa per un collegamento simbolico: non lo seguo")
    return full


_SLUG_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def new_name(istat: str, comune: str) -> str:
    """The file name of a new draft a row without `draft` creates: `ISTAT-comune.toml`, the
    name of the Comune in lower case without accents, each run of other characters a «-»
    (at most 60 of them): «014061-sondrio.toml», «018110-sant-angelo-lomellina.toml»;
    `ISTAT.toml` without a Comune. Refused when the code is not six digits."""
    if not (len(istat) == 6 and istat.isascii() and istat.isdigit()):
        raise Refused("per dare il nome alla bozza nuova serve un codice ISTAT di sei cifre "
                      "(o il percorso nella colonna draft)")
    plain = unicodedata.normalize("NFKD", comune).encode("ascii", "ignore").decode("ascii").lower()
    slug = "".join(ch if ch in _SLUG_KEEP else " " for ch in plain).split()
    stem = "-".join(slug)[:60].strip("-")
    return f"{istat}-{stem}.toml" if stem else f"{istat}.toml"


def _istat_of(path: str) -> tuple[str, str | None]:
    """Worker: a draft's code ISTAT (None: none, or the draft cannot be read)."""
    from .drafts import DraftError, load

    try:
        return path, istat_key(load(path).istat)
    except DraftError:
        return path, None


def istat_index(base: str, jobs: int | None = None) -> dict[str, list[str]]:
    """The drafts directly in `base` by code ISTAT (links and unreadable drafts left out)."""
    from .batch import map_ordered
    from .folder import is_draft_name

    with os.scandir(base) as entries:
        paths = sorted(e.path for e in entries if is_draft_name(e.name) and e.is_file(follow_symlinks=False))
    index: dict[str, list[str]] = {}
    for path, code in map_ordered(_istat_of, paths, jobs):
        if code:
            index.setdefault(code, []).append(path)
    return index


# --- a row's values -----------------------------------------------------------------------

LEAVE = object()  # the draft's value stays


def _csv_unescaped(text: str) -> str:
    """A CSV text as the export had it before `export.csv_text` put an apostrophe before it."""
    from .export import FORMULA_START

    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def _float_value(value: float, places: int) -> Decimal:
    """A number of the sheet (a double) as the figure it shows: its shortest exact reading,
    else its first 15 significant digits (Excel's own precision)."""
    exact = Decimal(repr(value))
    if exact.as_tuple().exponent >= -places or value != value:  # noqa: PLR0124 - NaN
        return exact
    return Decimal(format(value, ".15g"))


def _as_exported(name: str, cell: Any, value: Any, draft: Any) -> bool:
    """Whether `value` is what the export writes for the draft's figure or SI/NO (quick: most
    cells of a table taken back are so, and need no reading)."""
    current = draft.get(name)
    if current is None or name in draft.invalid or cell.kind is Kind.TEXT:
        return False
    if isinstance(value, str):
        if isinstance(current, str):  # SI, NO, NON CALCOLABILE
            return value == current
        from .numbers import format_number

        return value == format_number(current, cell.places if cell.kind is Kind.DEC else 0, grouping=False)
    if type(value) is float and isinstance(current, Decimal):
        return Decimal(repr(value)) == current
    return type(value) is int and type(current) is int and value == current


def prepare(name: str, value: Any, draft: Any, *, source: str, comma_csv: bool = False) -> Any:
    """A table's cell for input cell `name` of `draft`: LEAVE (empty, or what the draft has),
    None (cleared with «-»), or the value to type (`values.coerce`'s input: a number or a
    text). ValueError with the Italian reason for a value that can be no cell's (as coerce
    raises it: the caller names the cell, whatever kind of value it was)."""
    from .values import expected

    cell = CELL_BY_NAME[name]
    if value is None:
        return LEAVE
    if isinstance(value, Formula):
        from .limits import shortened
        from .visible import visible

        text = visible(shortened(value.text))
        raise ValueError(f"la cella contiene una formula («{text}»), che non si importa: scrivere il valore; atteso {expected(name)}")  # noqa: TRY004
    if isinstance(value, SheetError):
        raise ValueError(f"la cella contiene l'errore del foglio {value.text}; atteso {expected(name)}")  # noqa: TRY004
    if isinstance(value, bool):
        raise ValueError(f"valore logico {'VERO' if value else 'FALSO'}; atteso {expected(name)}")  # noqa: TRY004
    if not isinstance(value, (str, int, float, Decimal)):  # a date or a time of the sheet
        raise ValueError(f"il foglio la legge come data o ora ({_when(value)}); atteso {expected(name)}")  # noqa: TRY004
    if _as_exported(name, cell, value, draft):
        return LEAVE
    if isinstance(value, str):
        if source == CSV:
            value = _csv_unescaped(value)
        if not value.strip():
            return LEAVE
        if value.strip() == CLEAR:
            return None if (draft.get(name) is not None or name in draft.invalid) else LEAVE
        if cell.kind is Kind.TEXT and name not in draft.invalid and draft.get(name) is not None:
            from .export import shown, xlsx_text

            current = shown(draft.get(name))
            if value in (current, xlsx_text(current)):
                return LEAVE
        if comma_csv and cell.kind is Kind.DEC:  # «,» between fields: «1.234» may be 1,234
            from .numbers import parse_number

            try:
                parse_number(value, places=cell.places, ask=True)
            except ValueError as exc:
                raise ValueError(str(exc)) from None
    elif cell.kind is Kind.TEXT:  # a number where a text goes: the istat read as a number
        if isinstance(value, float):
            value = str(int(value)) if value.is_integer() else repr(value)
        else:
            value = str(value)
    elif isinstance(value, float):
        value = _float_value(value, cell.places)
    if name == "istat":
        value = istat_key(value)
    return value


def _when(value: Any) -> str:
    """A date or time of the sheet as an Italian reads it: 02/01/2024, 02/01/2024 10:30, 10:30."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y" if value.time() == dt.time() else "%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _sheet_number(value: int | Decimal) -> str:
    """A number of the sheet as the messages show it (Italian, its own decimals): «1.120,5»."""
    from .numbers import format_number

    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)
    places = max(0, -int(value.as_tuple().exponent)) if isinstance(value, Decimal) else 0
    return format_number(value, places)


class RowJob(NamedTuple):
    """One row to work out (picklable: it goes to a worker)."""

    number: int  # the row as the spreadsheet numbers it
    path: str  # the draft's file (real path, inside the folder)
    shown: str  # the draft's path as the messages say it
    how: str  # "percorso", "istat" or "nuova"
    cells: tuple[tuple[str, str, Any], ...]  # (cell name, column «D «R03»», value)
    source: str  # XLSX or CSV
    comma_csv: bool
    write: bool
    brief: bool
    table: str  # the table's name, for the comparison's title


SAME, CHANGED, NEW, REFUSED = "uguale", "modificata", "nuova", "rifiutata"


class RowResult(NamedTuple):
    number: int
    shown: str
    status: str  # SAME, CHANGED, NEW or REFUSED
    heading: str  # one line: the draft, the row and what happens
    lines: tuple[str, ...]  # the comparison, shown (`visible`), indented
    problems: tuple[str, ...]  # why it is refused, one a line, each naming row and column
    written: bool = False


def _typed(job: RowJob, before: Any) -> tuple[dict[str, Any], list[str]]:
    """The row's values typed for `before`: {name: value (None: cleared)}, and the problems."""
    from .importer import typed_draft
    from .limits import shortened
    from .values import expected
    from .visible import visible

    fields: dict[str, Any] = {}
    where: dict[str, str] = {}
    problems: list[str] = []
    for name, column, value in job.cells:
        try:
            prepared = prepare(name, value, before, source=job.source, comma_csv=job.comma_csv)
        except ValueError as exc:
            problems.append(f"riga {job.number}, colonna {column}: {visible(str(exc))}")
            continue
        if prepared is not LEAVE:
            fields[name] = prepared
            where[name] = column
    typed_problems: list[str] = []
    typed = typed_draft(fields, typed_problems, base=before)  # the loader's typing, cell by cell
    failed = set()
    for problem in typed_problems:
        name, _, reason = problem.partition(": ")
        failed.add(name)
        said = reason if "atteso" in reason else f"{reason}; atteso {expected(name)}"
        raw = fields[name]
        if not reason.startswith("«") and CELL_BY_NAME[name].kind is not Kind.TEXT:
            if isinstance(raw, str):
                said = f"«{shortened(raw)}»: {said}"
            elif isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):  # a number of the sheet
                said = f"{_sheet_number(raw)}: {said}"
        problems.append(f"riga {job.number}, colonna {where[name]}: {visible(said)}")
    changes = {}
    for name in fields:
        if name in failed:
            continue
        value = typed.get(name)
        if name in before.invalid or value != before.get(name):
            changes[name] = value
    return changes, problems


def apply(draft: Any, changes: dict[str, Any]) -> Any:
    """A copy of `draft` with `changes` (typed values, None: empty) put in; a value kept
    unreadable for one of those cells goes."""
    from .model import Draft

    cells = draft.inputs()
    cells.update(changes)
    invalid = {k: v for k, v in draft.invalid.items() if k not in changes}
    return Draft.trusted(cells, invalid, draft.review)


def _words(job: RowJob, comparison: Any) -> tuple[str, ...]:
    from .compare import brief, lines
    from .visible import visible

    if job.brief:
        return tuple(f"  {visible(line)}" for line in brief(comparison).splitlines())
    out = []
    for line in lines(comparison, job.shown, f"riga {job.number} di {job.table}"):
        if line.kind == "title":  # the heading says it, with the row
            continue
        out.append(visible(("    " if line.kind == "item" else "  ") + line.text))
    return tuple(out)


def process(job: RowJob) -> RowResult:
    """Worker: one row worked out (and, with `job.write`, its draft saved under its lock:
    worked out again there, from the draft as it is then, when there is something to write)."""
    seen = _work(job, save=False)
    if not job.write or seen.status not in (CHANGED, NEW):
        return seen
    from .drafts import DraftError
    from .session import DraftHeld, held_for_writing

    try:
        with held_for_writing(job.path):
            return _work(job, save=True)
    except (DraftHeld, DraftError) as exc:
        return _refused(job, str(exc))


def _refused(job: RowJob, reason: str) -> RowResult:
    from .visible import visible

    done = "non creata" if job.how == "nuova" else "non modificata"
    return RowResult(job.number, job.shown, REFUSED, f"{job.shown} (riga {job.number}): {done}", (),
                     (visible(reason),))


_HOW = {"percorso": "trovata dal percorso", "istat": "trovata dal codice ISTAT", "nuova": "nuova"}


def _work(job: RowJob, *, save: bool) -> RowResult:
    from .drafts import DraftError, load
    from .model import Draft

    new = job.how == "nuova"
    if new:
        if os.path.lexists(job.path):
            return _refused(job, f"{job.shown} esiste già (creata mentre la tabella veniva letta?): "
                                 "ripetere il comando")
        before = Draft.trusted({}, {})
    else:
        try:
            before = load(job.path)
        except DraftError as exc:
            return _refused(job, str(exc))
    changes, problems = _typed(job, before)
    if problems:
        return RowResult(job.number, job.shown, REFUSED, f"{job.shown} (riga {job.number}): non "
                         f"{'creata' if new else 'modificata'}", (), tuple(problems))
    after = apply(before, changes)
    if new:
        from .checks import new_draft_refusal

        refusal = new_draft_refusal(after.comune or "", after.provincia or "")
        if refusal:
            return _refused(job, f"riga {job.number}: nessuna bozza corrisponde e per crearne una "
                                 f"servono Comune e provincia: {refusal}")
    elif not changes:
        return RowResult(job.number, job.shown, SAME, f"{job.shown} (riga {job.number}): nessuna differenza", (), ())
    from .compare import compare, since_approval
    from .review import reconcile

    shown = after.copy()
    if before.review.state == "approvata":  # as drafts.save will do it
        reconcile(shown, since_approval(before, shown))
    comparison = compare(before, shown)
    if comparison.equal and not new:
        return RowResult(job.number, job.shown, SAME, f"{job.shown} (riga {job.number}): nessuna differenza", (), ())
    if save:
        from .drafts import save as save_draft

        try:
            save_draft(job.path, after, backup=not new)  # save reconciles the review itself
        except DraftError as exc:
            return _refused(job, str(exc))
    done = ("creata" if new else "modificata") if save else ("da creare" if new else "da modificare")
    how = "" if new else f", {_HOW[job.how]}"
    heading = f"{job.shown} (riga {job.number}{how}): {done}, {comparison.count_text()}"
    return RowResult(job.number, job.shown, NEW if new else CHANGED, heading, _words(job, comparison), (), save)


def run_rows(jobs_list: list[RowJob], jobs: int | None = None) -> Iterator[RowResult]:
    """`process` for each row, in order, in worker processes for a large table."""
    from .batch import map_ordered

    return map_ordered(process, jobs_list, jobs)


__all__ = ["CLEAR", "CSV", "XLSX", "Columns", "Refused", "RowJob", "RowResult", "Table", "TableError",
           "columns", "draft_path", "istat_index", "istat_key", "new_name", "prepare", "process",
           "read_table", "run_rows", "sniff"]
