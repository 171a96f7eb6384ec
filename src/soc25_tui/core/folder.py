"""The drafts of a folder as the reviewer's table shows them: one small row per draft.

Headless (no Textual): `read_row(path)` loads and assesses one draft and keeps only what the
table shows, as a picklable `Row`, so that thousands of drafts are read in worker processes
(`core.batch.map_ordered`) and only the rows travel. `scan(folder)` tells what is there and how
each file looks on disk (`Stamp`), so that a folder watched every few seconds is re-read only
where a file changed. `cells`, `sort_rows` and `matches` are the table's columns, order and
filters, in Italian, testable without a terminal.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from .layout import CELL_BY_NAME
from .numbers import format_money, format_number
from .review import STATE_WORDS, STATES
from .visible import visible

# How a file looks on disk: (inode, mtime in ns, size). A save replaces the file (a new
# inode) and a coarse clock may leave its mtime unchanged: all three are compared.
Stamp = tuple[int, int, int]

UNREADABLE = "non leggibile"
NO_CASE = "?"  # the case (and the case filter) when it cannot be determined
MISSING_NAMED = 6  # missing cells named in a row (the rest counted)


class Row(NamedTuple):
    """One draft as the review table shows it (`problem` set: it could not be read)."""

    path: str
    stamp: Stamp | None  # None: not even stat-able (a dangling link)
    mtime: float  # when it was last saved (0.0 when unknown)
    comune: str = ""
    provincia: str = ""
    case: str | None = None
    quadro3: bool | None = None  # whether Quadro 3 must be filled (None: cannot be told yet)
    r04: Decimal | None = None
    r05: Decimal | None = None
    r09: Decimal | None = None
    r15: Decimal | None = None
    missing: int = 0  # cells the checks say are missing (empty where a value is asked)
    missing_cells: tuple[str, ...] = ()  # the first MISSING_NAMED of them, in the form's order
    errors: int = 0
    warnings: int = 0
    notes_open: int = 0
    state: str = ""  # the review state (core/review.STATES)
    problem: str = ""  # why it cannot be read, in Italian ("" when it was read)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def is_draft_name(name: str) -> bool:
    """A draft's file name: `*.toml`, not hidden (the lock, recovery and temporary files of a
    draft start with a dot; its backup ends in .bak)."""
    return name.endswith(".toml") and not name.startswith(".")


def stamp_of(st: os.stat_result) -> Stamp:
    return st.st_ino, st.st_mtime_ns, st.st_size


def stamp_at(path: str | os.PathLike[str] | None) -> Stamp | None:
    """The stamp of the file at `path`, to notice another program writing it (a save
    replaces the file: a new inode; a coarse clock may leave its time as it was). None when
    there is no file, or no path."""
    if path is None:
        return None
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


def scan(folder: str | os.PathLike[str] = ".") -> dict[str, Stamp | None]:
    """The drafts of a folder, path -> how each looks on disk (None: it cannot be stat-ed, a
    dangling link), in the order of their names. OSError when the folder cannot be listed."""
    folder = os.fspath(folder)
    found: dict[str, Stamp | None] = {}
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if is_draft_name(e.name))
    for name in names:
        path = os.path.join(folder, name)
        try:
            found[path] = stamp_of(os.stat(path))
        except OSError:
            found[path] = None
    return found


def _is_missing(draft, name: str) -> bool:
    """Whether a problem on cell `name` is a gap: an input cell left empty (not a value that
    is wrong, nor kept unreadable from the file)."""
    cell = CELL_BY_NAME.get(name)
    if cell is None or cell.derived or name in draft.invalid:
        return False
    value = draft.get(name)
    return value is None or isinstance(value, str) and not value.strip()


def read_row(path: str) -> Row:
    """One draft's row; an unreadable draft is a row with its Italian reason. Module-level
    and returning a small picklable tuple: `map_ordered` runs it in worker processes."""
    from .assess import assess
    from .drafts import DraftError, load
    from .reading import os_reason

    try:
        st = os.stat(path)  # before reading: a save meanwhile is seen at the next look
    except OSError as exc:
        return Row(path, None, 0.0, problem=f"{path}: {UNREADABLE} ({os_reason(exc)}).")
    stamp = stamp_of(st)
    try:
        draft = load(path)
    except DraftError as exc:
        return Row(path, stamp, st.st_mtime, problem=str(exc))
    a = assess(draft)
    o = a.outcome
    missing: list[str] = []
    for p in a.problems:
        if p.cell not in missing and _is_missing(draft, p.cell):
            missing.append(p.cell)
    return Row(
        path, stamp, st.st_mtime,
        comune=(draft.comune or "").strip(),
        provincia=(draft.provincia or "").strip(),
        case=o.case,
        quadro3=o.quadro3,
        r04=o.values.get("R04"),
        r05=draft.R05,
        r09=o.values.get("R09"),
        r15=o.values.get("R15"),
        missing=len(missing),
        missing_cells=tuple(missing[:MISSING_NAMED]),
        errors=a.errors,
        warnings=a.warnings,
        notes_open=len(draft.review.open_notes),
        state=draft.review.state,
    )


def list_drafts(folder: str | os.PathLike[str] = ".") -> list[Row]:
    """Every draft of a folder read here, newest first (the table reads them in batches
    instead: see screens/review_table.py)."""
    rows = [read_row(path) for path in scan(folder)]
    rows.sort(key=lambda row: -row.mtime)
    return rows


_NICE = 10  # how much lower a worker reading for the table runs than the interface


def read_row_aside(path: str) -> Row:
    """`read_row` in a worker process that gives way to the interface: the review table reads
    thousands of drafts on every core while the person keeps typing (the first call lowers the
    worker's priority; in the calling process nothing changes)."""
    global _lowered
    if not _lowered:
        _lowered = True
        import multiprocessing

        if multiprocessing.parent_process() is not None and hasattr(os, "nice"):
            try:
                os.nice(_NICE)
            except OSError:
                pass
    return read_row(path)


_lowered = False


# --- the table: columns, what each shows, order and filters --------------------------------


class Column(NamedTuple):
    id: str
    title: str
    width: int
    right: bool = False  # figures are aligned right


# Each wide enough for its title and the sort arrow («Caso ↑»).
COLUMNS: tuple[Column, ...] = (
    Column("comune", "Comune", 22),
    Column("provincia", "Prov.", 7),
    Column("caso", "Caso", 6),
    Column("q3", "Q3", 4),
    Column("r04", "R04 / R05", 17, right=True),
    Column("r09", "R09", 13, right=True),
    Column("r15", "R15", 13, right=True),
    Column("mancano", "Mancano", 9, right=True),
    Column("errori", "Errori", 8, right=True),
    Column("avvisi", "Avvisi", 8, right=True),
    Column("note", "Note aperte", 13, right=True),
    Column("stato", "Stato", 13),
    Column("salvata", "Salvata il", 16),
    Column("file", "File", 24),
)
COLUMN_IDS = tuple(c.id for c in COLUMNS)

DASH = "—"


def _percent(value: Decimal | None) -> str:
    return f"{format_number(value, 2)}%" if value is not None else DASH


def saved_at(mtime: float) -> str:
    return time.strftime("%d/%m/%Y %H:%M", time.localtime(mtime)) if mtime else DASH


def written_at(mtime: float) -> str:
    """When a file was written, to the second, as the recovery question and the palette say it."""
    return time.strftime("%d/%m/%Y alle %H:%M:%S", time.localtime(mtime))


def cells(row: Row) -> tuple[str, ...]:
    """What each column shows for `row`, in Italian; text from the file (Comune, provincia,
    file name) passed through `visible`. An unreadable draft says so in the Comune column."""
    name = visible(row.name)
    if row.problem:
        return (UNREADABLE, "", "", "", "", "", "", "", "", "", "", "", saved_at(row.mtime), name)
    q3 = {True: "sì", False: "no", None: "?"}[row.quadro3]
    return (
        visible(row.comune) or f"({name})",
        visible(row.provincia),
        row.case or NO_CASE,
        q3,
        f"{_percent(row.r04)} / {_percent(row.r05)}",
        format_money(row.r09, DASH),
        format_money(row.r15, DASH),
        format_number(row.missing),
        format_number(row.errors),
        format_number(row.warnings),
        format_number(row.notes_open),
        STATE_WORDS.get(row.state, visible(row.state)),
        saved_at(row.mtime),
        name,
    )


def missing_text(row: Row) -> str:
    """«Mancano: R05, R06, … e altre 60» ("" when nothing is missing)."""
    if not row.missing:
        return ""
    named = ", ".join(row.missing_cells)
    rest = row.missing - len(row.missing_cells)
    if rest:
        named += " e un'altra" if rest == 1 else f" e altre {format_number(rest)}"
    return f"{'Manca' if row.missing == 1 else 'Mancano'}: {named}"


_STATE_ORDER = {state: i for i, state in enumerate(STATES)}
_OF_ANY_FILE = ("file", "salvata")  # columns an unreadable draft has a value in


# The value each column sorts a row by (None: sorted last, whichever the direction); any
# other column (the file's) by the file name.
_KEYS = {
    "comune": lambda row: row.comune.casefold() or None,
    "provincia": lambda row: row.provincia.casefold() or None,
    "caso": lambda row: row.case,
    "q3": lambda row: None if row.quadro3 is None else int(row.quadro3),
    "r04": lambda row: row.r04,
    "r09": lambda row: row.r09,
    "r15": lambda row: row.r15,
    "mancano": lambda row: row.missing,
    "errori": lambda row: row.errors,
    "avvisi": lambda row: row.warnings,
    "note": lambda row: row.notes_open,
    "stato": lambda row: _STATE_ORDER.get(row.state, len(STATES)),
    "salvata": lambda row: row.mtime or None,
}


def _key(row: Row, column: str):
    """The value `column` sorts `row` by (None: sorted last, whichever the direction)."""
    getter = _KEYS.get(column)
    return getter(row) if getter is not None else row.name.casefold()


class Order:
    """Rows kept in the order of one column as they come (the table adds a batch of read rows
    every tenth of a second: only the new ones get a sort key, and the list already in order is
    merged with them, not sorted anew). Ties go by path, in either direction; rows without a
    value in the column, and unreadable drafts (but by file name and time), come last in
    either direction."""

    def __init__(self, column: str, rows: Iterable[Row] = ()) -> None:
        self.column = column
        self._known: list[tuple[object, str, Row]] = []  # (key, path, row), ascending
        self._last: list[tuple[bool, str, Row]] = []  # (unreadable, path, row)
        self._paths: set[str] = set()
        self.add(rows)

    def __len__(self) -> int:
        return len(self._paths)

    def add(self, rows: Iterable[Row]) -> None:
        """Add rows (one already here under the same path is replaced)."""
        rows = list(rows)
        again = {row.path for row in rows if row.path in self._paths}
        if again:
            self.remove(again)
        known, last = [], []
        for row in rows:
            self._paths.add(row.path)
            key = None if row.problem and self.column not in _OF_ANY_FILE else _key(row, self.column)
            if key is None:
                last.append((bool(row.problem), row.path, row))
            else:
                known.append((key, row.path, row))
        if known:
            self._known.extend(known)
            self._known.sort(key=_first_two)  # a run in order and a few more: a merge
        if last:
            self._last.extend(last)
            self._last.sort(key=_first_two)

    def remove(self, paths: Iterable[str]) -> None:
        paths = set(paths) & self._paths
        if paths:
            self._paths -= paths
            self._known = [t for t in self._known if t[1] not in paths]
            self._last = [t for t in self._last if t[1] not in paths]

    def rows(self, reverse: bool = False) -> list[Row]:
        """The rows in order (`reverse`: the values descending, ties still by path)."""
        known = sorted(self._known, key=_first, reverse=True) if reverse else self._known  # stable
        return [t[2] for t in known] + [t[2] for t in self._last]


def _first_two(t: tuple) -> tuple:
    return t[0], t[1]


def _first(t: tuple) -> object:
    return t[0]


def sort_rows(rows: Iterable[Row], column: str, reverse: bool = False) -> list[Row]:
    """`rows` ordered by `column` (see `Order`)."""
    return Order(column, rows).rows(reverse)


def haystack(row: Row) -> str:
    """What a text filter searches: Comune, provincia and file name, casefolded."""
    return f"{row.comune}\n{row.provincia}\n{row.name}".casefold()


def matches(row: Row, text: str = "", case: str | None = None, state: str | None = None) -> bool:
    """Whether `row` passes the filters: `text` in its Comune, provincia or file name (any
    case), its `case` (A-D, or NO_CASE for a case not determinable) and review `state`. An
    unreadable draft passes only a text filter (it has no case nor state)."""
    if text and text.casefold() not in haystack(row):
        return False
    if case is not None and (row.problem or (row.case or NO_CASE) != case):
        return False
    if state is not None and (row.problem or row.state != state):
        return False
    return True
