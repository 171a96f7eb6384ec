"""The review table (`soc25 CARTELLA`, and `soc25` alone in a folder): every draft of a folder
at a glance, one row each, for the reviewer at the ATS.

The folder is read off the UI thread: a worker thread lists it and reads the drafts in
batches (`core.batch.map_ordered`, in worker processes when they are many), and the rows are
shown as they come, with how many have been read. Then it looks again every POLL_SECONDS:
a file saved by another program is read again, a new one appears, a removed one goes. The
table (`widgets.rows.RowTable`) draws only the rows on screen: sorting and filtering 8.000
drafts is a sort of a Python list.

The screen asks the App to open a draft (`Open`) or create one (`New`); when it is shown
again, the row of the draft it opened is read again at once.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual import events
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from .. import keys
from ..core import folder as drafts_folder
from ..core.folder import COLUMN_IDS, COLUMNS, NO_CASE, Row
from ..core.numbers import format_number
from ..core.review import STATE_WORDS, STATES
from ..core.visible import visible
from ..widgets.panels import SizeNotice
from ..widgets.rows import DOWN, UP, RowTable, Spec
from .base import SizedScreen

POLL_SECONDS = 2.0  # how often the folder is looked at again for files changed on disk
BATCH_SECONDS = 0.1  # rows read are shown at least this often while the folder is read
FIRST_ROWS = 40  # read in the worker thread itself, before worker processes are started
CASES = ("A", "B", "C", "D", NO_CASE)
FIRST_SORT = "comune"  # the column the rows are sorted by at first
BOLD = Style(bold=True)


class RowsRead(Message):
    """Rows read (new or read again) and how far the first reading of the folder has got.
    Made in the worker thread, where a draft that could not be read because its file was
    removed since it was listed is looked for on disk and counted as gone."""

    def __init__(self, rows: list[Row], read: int | None = None, expected: int | None = None,
                 gone: Iterable[str] = ()) -> None:
        super().__init__()
        removed = [row.path for row in rows if row.problem and not os.path.lexists(row.path)]
        self.rows = [row for row in rows if row.path not in removed] if removed else rows
        self.read = read
        self.expected = expected
        self.gone = (*gone, *removed)


class FolderFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ReviewTableScreen(SizedScreen):
    """The drafts of a folder: sort, filter, open one (`Open`) or create one (`New`)."""

    HELP_TITLE = "Quadro d'insieme delle bozze"
    BINDINGS = keys.bindings(keys.START)

    class Open(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class New(Message):
        """Create a new draft in the folder (the App asks its file, Comune and Provincia)."""

    def __init__(self, folder: str = ".", *, keymap: dict[str, str] | None = None,
                 jobs: int | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.keymap = keymap
        self.jobs = jobs
        self.rows: dict[str, Row] = {}  # every draft read, by path
        self._order = drafts_folder.Order(FIRST_SORT)  # the same rows, in the order of `sort`
        self.read: int | None = 0  # drafts read by the first reading (None: it is over)
        self.expected: int | None = None  # drafts found by the first listing
        self.failed = ""  # why the folder cannot be read
        self.text = ""
        self.filtering = False  # the keys typed go into the text filter (after «/»)
        self.case: str | None = None
        self.state: str | None = None
        self.opened: str | None = None  # the draft last opened from here
        self._aim: str | None = None  # the row to put the cursor on once it is read
        self._wake = threading.Event()
        self._shown = threading.Event()  # clear while a draft (or a dialog) is over the table
        self._shown.set()
        self._stopping = False

    # --- layout --------------------------------------------------------------------------

    def label(self, key_id: str) -> str:
        return keys.label(key_id, self.keymap)

    @property
    def where(self) -> str:
        """The folder as the status line names it: by its name (the F1 help names it whole)."""
        whole = os.path.abspath(self.folder)
        return visible(os.path.basename(whole) or whole)

    @property
    def HELP(self) -> str:  # noqa: N802 - the App's F1 reads it as the screens' constant
        k = self.label
        return (
            f"Una riga per bozza (*.toml) della cartella {visible(os.path.abspath(self.folder))}: Comune, provincia, "
            "caso, se si compila il Quadro 3, R04 e R05, R09, R15, quanti dati mancano, errori, "
            "avvisi, note aperte della revisione, stato della revisione, quando è stata salvata. "
            "Le righe si aggiornano da sole quando un altro programma salva una bozza.\n\n"
            f"{k('apri')}: apre la bozza (in sola lettura se è aperta da un'altra persona); "
            f"{k('esci')} nella bozza torna qui, sulla stessa riga.\n"
            f"{k('ordina')}: ordina per la colonna successiva · {k('ordine-inverso')}: inverte l'ordine.\n"
            f"{k('filtra').replace(' / ', ' o ')}: filtra per Comune, provincia o nome del file: scrivere il testo (le "
            "frecce spostano intanto la riga), Invio per tenerlo, Esc per toglierlo.\n"
            f"{k('filtra-caso')}: solo un caso (A, B, C, D, non determinabile) · "
            f"{k('filtra-stato')}: solo uno stato della revisione · {k('togli-filtri')}: toglie i filtri.\n"
            f"{k('colonne-sinistra')} / {k('colonne-destra')}: altre colonne · "
            f"{k('nuova')}: nuova bozza · {k('esci')}: esce dal programma."
        )

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield SizeNotice(id="size-notice")
        yield Static("", id="table-filters")
        yield Static("", id="table-filter")
        yield RowTable([Spec(c.title, c.width, c.right) for c in COLUMNS], drafts_folder.cells,
                       lambda row: row.path, styles_of=_styles, sort_column=COLUMN_IDS.index(FIRST_SORT),
                       id="drafts")
        yield Static("", id="table-detail")
        yield Footer()

    @property
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    @property
    def sort(self) -> str:
        """The column the rows are sorted by: the table's, which names it in its header."""
        return COLUMN_IDS[self.table.sort_column]

    @property
    def reverse(self) -> bool:
        return self.table.sort_reverse

    def on_mount(self) -> None:
        self._say()
        self.table.focus()
        self.run_worker(self._watch, thread=True, group="table", name="quadro d'insieme")

    def on_unmount(self) -> None:
        self._stop()

    def _stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._shown.set()

    # --- reading (worker thread) ---------------------------------------------------------

    def _watch(self) -> None:
        """List the folder and read every draft, in batches; then look again every
        POLL_SECONDS and read again what changed."""
        worker = get_current_worker()
        stopped = lambda: self._stopping or worker.is_cancelled  # noqa: E731
        from ..core.reading import os_reason

        try:
            found = drafts_folder.scan(self.folder)
        except OSError as exc:
            self.post_message(FolderFailed(os_reason(exc)))
            return
        paths = list(found)
        self.post_message(RowsRead([], 0, len(paths)))
        read = 0
        for batch in self._batches(paths, stopped):
            read += len(batch)
            self.post_message(RowsRead(batch, read, len(paths)))
        if stopped():
            return
        self.post_message(RowsRead([], None, len(paths)))
        while not stopped():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            self._shown.wait()  # not while a draft is open over the table: nobody sees it
            if stopped():
                return
            try:
                now = drafts_folder.scan(self.folder)
            except OSError:  # gone for a moment (a network share): looked at again later
                continue
            known = {path: row.stamp for path, row in self.rows.copy().items()}
            gone = [path for path in known if path not in now]
            changed = [path for path, stamp in now.items() if path not in known or known[path] != stamp]
            if gone and not changed:
                self.post_message(RowsRead([], gone=gone))
            for batch in self._batches(changed, stopped):
                self.post_message(RowsRead(batch, gone=gone))
                gone = []

    def _batches(self, paths: list[str], stopped) -> Iterator[list[Row]]:
        """The rows of `paths`, in batches of what was read every BATCH_SECONDS (the first
        batch as soon as FIRST_ROWS are read)."""
        batch: list[Row] = []
        since = time.monotonic()
        first = True
        rows = _read_rows(paths, self.jobs)
        try:
            for row in rows:
                if stopped():
                    return
                batch.append(row)
                if (len(batch) >= FIRST_ROWS if first else time.monotonic() - since >= BATCH_SECONDS):
                    yield batch
                    batch, since, first = [], time.monotonic(), False
            if batch:
                yield batch
        finally:
            rows.close()  # worker processes ended, if any were started

    def reread(self, path: str) -> None:
        """Read one draft again now (the one left in the editor), off the UI thread."""

        def read() -> None:
            self.post_message(RowsRead([drafts_folder.read_row(path)]))

        self.run_worker(read, thread=True, group="table-row")

    # --- rows arrive (UI thread) ---------------------------------------------------------

    def on_rows_read(self, message: RowsRead) -> None:
        gone, rows = set(message.gone), message.rows
        for path in gone:
            self.rows.pop(path, None)
        self._order.remove(gone)
        for row in rows:
            self.rows[row.path] = row
        self._order.add(rows)
        if message.expected is not None:
            self.expected = message.expected
            self.read = message.read
        self._show()

    def on_folder_failed(self, message: FolderFailed) -> None:
        self.failed = message.reason
        self.read = None
        self._say()

    # --- what is shown -------------------------------------------------------------------

    def _show(self, keep: str | None = None) -> None:
        table = self.table
        if keep is None and self._aim is not None and self._aim in self.rows:
            keep, self._aim = self._aim, None
        if keep is None and table.current is not None:
            keep = table.current.path
        if self._order.column != self.sort:
            self._order = drafts_folder.Order(self.sort, self.rows.values())
        rows = self._order.rows(self.reverse)
        if self.text or self.case or self.state:
            rows = [r for r in rows if drafts_folder.matches(r, self.text, self.case, self.state)]
        table.show(rows, keep)
        self._say()

    def _say(self) -> None:
        """The status line (how many drafts shown, of how many, read so far), the order and
        filters, and the line about the row under the cursor."""
        shown, total = len(self.table.rows), len(self.rows)
        status = f"SOC25 · quadro d'insieme di {self.where} · {format_number(shown)} di {format_number(total)} bozze"
        if self.read is not None and self.expected:
            status += f" · lette {format_number(self.read)} di {format_number(self.expected)}"
        elif self.read is not None and not self.failed:
            status += " · lettura della cartella…"
        self._put("#status", status)
        column = COLUMNS[self.table.sort_column]
        way = f"{DOWN} decrescente" if self.reverse else f"{UP} crescente"
        case = {None: "tutti", NO_CASE: "non determinabile"}.get(self.case, self.case)
        state = STATE_WORDS.get(self.state, "tutti") if self.state else "tutti"
        self._put("#table-filters", f"Ordine: {column.title} {way} · Caso: {case} · Stato: {state}")
        keys_ = self.label("filtra").replace(" / ", " o ")
        if self.filtering:
            line = f"Filtro: {visible(self.text)}▏ (Invio lo tiene, Esc lo toglie)"
        elif self.text:
            line = f"Filtro: «{visible(self.text)}» ({keys_} per cambiarlo, Esc per toglierlo)"
        else:
            line = f"Filtro per Comune, provincia o file: {keys_}"
        self._put("#table-filter", line)
        self._detail()

    def _put(self, where: str, line: str) -> None:
        """A line of text (data made visible by the caller: never markup), redrawn only when
        it changed, without a new layout (each has its own fixed height)."""
        widget = self.query_one(where, Static)
        if getattr(widget, "_shown", None) != line:
            widget._shown = line
            widget.update(Text(line), layout=False)

    def _detail(self) -> None:
        row = self.table.current
        if self.failed:
            line = f"Impossibile leggere la cartella {self.where} ({self.failed})."
        elif row is None and self.rows:
            line = f"Nessuna bozza corrisponde ai filtri: {self.label('togli-filtri')} li toglie."
        elif row is None:
            line = "" if self.read is not None else (
                f"Nessuna bozza in questa cartella: {self.label('nuova')} ne crea una.")
        elif row.problem:
            line = f"Non leggibile: {visible(row.problem)} ({self.label('apri')}: il motivo)"
        else:
            what = drafts_folder.missing_text(row) or "Nessun dato mancante"
            line = f"{visible(row.path)} · {what}"
        self._put("#table-detail", line)

    def on_row_table_moved(self, message: RowTable.Moved) -> None:
        self._detail()

    # --- keys ----------------------------------------------------------------------------

    def action_open(self) -> None:
        row = self.table.current
        if row is None:
            return
        if row.problem:
            self.notify(row.problem, severity="error", timeout=10)
            return
        self.opened = row.path
        self.post_message(self.Open(row.path))

    def action_new(self) -> None:
        self.post_message(self.New())

    def action_sort_next(self) -> None:
        self.table.set_sort((self.table.sort_column + 1) % len(COLUMN_IDS), False)
        self._show()

    def action_sort_reverse(self) -> None:
        self.table.set_sort(self.table.sort_column, not self.reverse)
        self._show()

    def action_cycle_case(self) -> None:
        options = (None, *CASES)
        self.case = options[(options.index(self.case) + 1) % len(options)]
        self._show()

    def action_cycle_state(self) -> None:
        options = (None, *STATES)
        self.state = options[(options.index(self.state) + 1) % len(options)]
        self._show()

    def action_filter(self) -> None:
        """The keys typed from now on go into the text filter (the focus stays on the table:
        a focus moved to a text field would have Textual redraw the footer, 0,1 s)."""
        self.filtering = True
        self._say()

    def action_clear_filters(self) -> None:
        self.text, self.case, self.state = "", None, None
        self._show()

    def on_key(self, event: events.Key) -> None:
        """While filtering: characters and Backspace change the text, Invio keeps it, Esc
        takes it away; other keys (arrows, Ctrl+Q) do what they do."""
        if not self.filtering:
            return
        if event.key == "enter":
            self.filtering = False
        elif event.key == "escape":
            self.filtering, self.text = False, ""
        elif event.key == "backspace":
            self.text = self.text[:-1]
        elif event.is_printable and event.character:
            self.text += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._show()

    def on_paste(self, event: events.Paste) -> None:
        if self.filtering:
            event.stop()
            self.text += event.text.splitlines()[0] if event.text.strip() else ""
            self._show()

    def returned(self, path: str) -> None:
        """The App is back from draft `path` (opened from here, or just created): its row is
        read again and the cursor goes on it."""
        self.opened = self._aim = path

    def on_screen_suspend(self) -> None:
        self._shown.clear()

    def on_screen_resume(self) -> None:
        """Back from a draft (or a dialog): its row is read again at once, and the folder
        looked at (a draft just created appears)."""
        if self.opened is not None:
            self.reread(self.opened)
        self._shown.set()
        self._wake.set()
        self.table.focus()


def _read_rows(paths: list[str], jobs: int | None) -> Iterator[Row]:
    """The rows of `paths` in order: the first FIRST_ROWS in this thread (on screen at once,
    while worker processes start), the others through `map_ordered` (in worker processes when
    they are many; read here if those cannot be started)."""
    from ..core.batch import map_ordered

    read_row = drafts_folder.read_row
    yield from map(read_row, paths[:FIRST_ROWS])
    rest = paths[FIRST_ROWS:]
    rows = map_ordered(drafts_folder.read_row_aside, rest, jobs)
    done = 0
    try:
        for row in rows:
            done += 1
            yield row
    except (OSError, ValueError):  # workers that cannot start (see prepare_workers)
        if done:
            raise
        yield from map(read_row, rest)
    finally:
        rows.close()


def prepare_workers() -> None:
    """Start multiprocessing's resource tracker now, before the App runs. Spawned workers
    need it, and it is started with sys.stderr's file descriptor: once Textual runs, sys.stderr
    is Textual's print capture, whose fileno() is -1, and starting it then fails («bad value(s)
    in fds_to_keep»). About 3 ms; without it, the drafts are read in the worker thread alone."""
    if os.name != "posix":
        return
    try:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except Exception:  # noqa: BLE001 - an optimisation only: `_read_rows` falls back
        pass


def _styles(row: Row) -> tuple[Style | None, ...] | None:
    """«non leggibile» in bold (a word, not only a style: NO_COLOR-safe)."""
    if row.problem:
        return (BOLD,) + (None,) * (len(COLUMNS) - 1)
    return None
