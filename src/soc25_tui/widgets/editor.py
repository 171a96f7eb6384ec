"""CellEditor: the edit line under each Quadro's grid.

Shows the highlighted cell's public name and label, its value, and, as text (never only a
colour), what is wrong with what is being typed. The draft keeps the last valid value.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from .. import keys


class EditorInput(Input):
    """The Input of the edit line: Enter, Tab and Shift+Tab confirm and move; Esc cancels."""

    BINDINGS = keys.bindings(keys.EDIT)

    def action_done(self, direction: int) -> None:
        self.post_message(CellEditor.Done(self.editing_name, self.value, direction))

    def action_cancel(self) -> None:
        self.post_message(CellEditor.Done(self.editing_name, self.value, None))

    editing_name: str | None = None


class CellEditor(Vertical):
    """Title line, input line, status line."""

    class Done(Message):
        """Editing ended: `direction` 1/-1 to confirm and move, None to cancel."""

        def __init__(self, name: str | None, text: str, direction: int | None) -> None:
            super().__init__()
            self.name = name  # the cell being edited when the key was pressed
            self.text = text
            self.direction = direction

    class Edited(Message):
        """The text being typed changed."""

        def __init__(self, name: str | None, text: str) -> None:
            super().__init__()
            self.name = name
            self.text = text

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.editing = False

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title")
        yield EditorInput(id="editor-input", select_on_focus=False)
        yield Static("", id="editor-status")

    @property
    def input(self) -> EditorInput:
        return self.query_one(EditorInput)

    def show_cell(self, name: str | None, title: str, value: str, hint: str = "") -> None:
        """Show the highlighted cell (not editing)."""
        self.editing = False
        self._title(title)
        with self.input.prevent(Input.Changed):
            self.input.value = value
        self.set_status(hint)

    def begin(self, name: str, title: str, initial: str) -> None:
        """Edit `name`, starting from `initial` (its title too: keys faster than the cursor
        may start an edit before the highlighted cell was shown)."""
        self._title(title)
        self.editing = True
        inp = self.input
        inp.editing_name = name
        with inp.prevent(Input.Changed):
            inp.value = initial
        inp.cursor_position = len(initial)
        inp.focus()

    def _title(self, title: str) -> None:
        self.query_one("#editor-title", Static).update(Text(title, no_wrap=True, overflow="ellipsis"))

    def end(self) -> None:
        self.editing = False
        self.input.editing_name = None

    def set_status(self, text: str, *, error: bool = False) -> None:
        if (text, error) == getattr(self, "_status", None):
            return  # unchanged: no refresh (the line's height may change the layout)
        self._status = (text, error)
        status = self.query_one("#editor-status", Static)
        status.update(Text(("✗ " if error else "") + text, overflow="ellipsis"))
        status.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.editing:
            self.post_message(self.Edited(self.input.editing_name, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
