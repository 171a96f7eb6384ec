"""The start screen (`soc25` with no draft): the drafts of the current folder, or a new one."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from .. import keys
from ..core import folder
from ..core.visible import visible


class StartScreen(Screen):
    """The list of drafts: it asks the App to open one (`Open`) or to create one (`New`)."""

    HELP = "Elenco delle bozze (*.toml) della cartella corrente: {apri} apre, {nuova} crea una nuova bozza."
    HELP_TITLE = "Bozze SOC25"
    BINDINGS = keys.bindings(keys.START)

    def __init__(self, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap

    def _keys_note(self) -> str:
        label = lambda key_id: keys.label(key_id, self.keymap)  # noqa: E731
        return f"{label('nuova')}: nuova bozza · {label('apri')}: apri · {label('esci')}: esci"

    class Open(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class New(Message):
        """Create a new draft (the App asks for its file, Comune and Provincia)."""

    def compose(self) -> ComposeResult:
        yield Static("SOC25 - bozze nella cartella corrente", id="status")
        yield DataTable(id="drafts", cursor_type="row")
        yield Static("", id="start-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("File", "Comune", "Caso", "Errori", "Avvisi", "Salvata il")
        self.infos: list[folder.DraftInfo] = []
        self.query_one("#start-note", Static).update("Lettura delle bozze in corso…")
        table.focus()
        # An ATS folder may hold thousands of drafts: read them off the UI thread.
        self.run_worker(self._read_folder, thread=True, exit_on_error=False)

    def _read_folder(self) -> None:
        try:
            infos = folder.list_drafts(".")
        except OSError as exc:
            self.app.call_from_thread(self._failed, str(exc.strerror or exc))
            return
        self.app.call_from_thread(self._show, infos)

    def _failed(self, why: str) -> None:
        self.query_one("#start-note", Static).update(
            Text(f"Impossibile leggere la cartella ({visible(why)}). {self._keys_note()}"))

    def _show(self, infos: list[folder.DraftInfo]) -> None:
        self.infos = infos
        table = self.query_one(DataTable)
        for info in infos:
            # File names and Comuni are data: Text, never markup, control characters shown.
            path = Text(visible(info.path))
            if info.problem:
                table.add_row(path, Text("non leggibile", style="bold"), "", "", "", "")
                continue
            comune = f"{info.comune} ({info.provincia})" if info.provincia else info.comune or "—"
            case = info.case or "—"
            when = time.strftime("%d/%m/%Y %H:%M", time.localtime(info.mtime))
            table.add_row(path, Text(visible(comune)), case, str(info.errors), str(info.warnings), when)
        note = self._keys_note()
        if not infos:
            note = "Nessuna bozza in questa cartella. " + note
        self.query_one("#start-note", Static).update(note)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.infos:
            return
        info = self.infos[table.cursor_row]
        if info.problem:
            self.notify(info.problem, severity="error", timeout=10)
            return
        self.post_message(self.Open(info.path))

    def action_new(self) -> None:
        self.post_message(self.New())
