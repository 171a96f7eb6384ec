"""The comparison of two versions of a draft (core/compare.py, as `soc25 diff` words it),
over the whole screen and scrollable; and the question of which draft to compare with."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from .. import keys
from ..core.compare import Line
from ..core.visible import visible
from ..widgets.editor import ShownInput
from .dialogs import MessagesScreen


def body(lines: Iterable[Line]) -> Group:
    """The lines as Rich renderables (Text, never markup: a Comune's «[bold]» is shown as
    written), every line through `visible`: the title and the headings bold, a blank line
    before each heading, the items indented (and so the lines they wrap onto)."""
    parts: list[RenderableType] = []
    for line in lines:
        text = visible(line.text)
        if line.kind == "item":
            parts.append(Padding(Text(text), (0, 0, 0, 2)))
        else:
            if line.kind == "heading":
                parts.append(Text(""))
            parts.append(Text(text, style="bold"))
    return Group(*parts)


class CompareScreen(MessagesScreen):
    """What differs between two versions of the draft: the lines of `compare.lines`, the
    first one its title, on F7's scrollable screen (arrows and PgUp/PgDn scroll, Esc closes)."""

    SCROLL_ID, BODY_ID = "compare", "compare-body"

    def __init__(self, lines: list[Line], *, keymap: dict[str, str] | None = None) -> None:
        super().__init__("", body(lines), keymap=keymap)


class CompareWithDialog(ModalScreen[str | None]):
    """«Confronta con un'altra bozza…»: the path of the draft to compare with (the drafts of
    the open one's folder are suggested as it is typed, once a worker thread has listed it:
    a network folder may be slow)."""

    DEFAULT_CSS = """
    CompareWithDialog { align: center top; }
    CompareWithDialog > Vertical { width: 76; height: auto; margin-top: 3; border: heavy $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = keys.bindings(keys.DIALOG)

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder  # the open draft's ("": the current folder)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Confronta con un'altra bozza: il percorso del file .toml "
                         "(Invio per confrontare, Esc per annullare)")
            yield ShownInput(id="compare-path", placeholder="ad esempio copia-approvata.toml")
            yield Static("", id="compare-error")

    def on_mount(self) -> None:
        self.run_worker(self._suggest, thread=True, exit_on_error=False)

    def _suggest(self) -> None:
        """In a thread: the drafts and copies of the folder, as suggestions."""
        try:
            names = sorted(n for n in os.listdir(self.folder or ".") if n.endswith((".toml", ".bak")))
        except OSError:
            return
        self.app.call_from_thread(self._offer, [os.path.join(self.folder, n) for n in names])

    def _offer(self, paths: list[str]) -> None:
        for field in self.query("#compare-path").results(Input):  # none once closed
            field.suggester = SuggestFromList(paths, case_sensitive=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = os.path.expanduser(event.value.strip())  # «~/bozze/x.toml», as a shell takes it
        if not path:
            self.query_one("#compare-error", Static).update("✗ Indicare il file della bozza da confrontare.")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
