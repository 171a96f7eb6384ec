"""CellEditor: the edit line under each Quadro's grid.

Shows the highlighted cell's public name and label, its value, and, as text (never only a
colour), what is wrong with what is being typed. The draft keeps the last valid value. Under
it, while the cell has an open note of the review, the note (marked ✎, as in the grid).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from .. import keys
from ..core.limits import typed_limit
from ..core.numbers import format_number
from ..core.visible import visible


class ShownInput(Input):
    """An Input whose pasted control characters are shown as what they are (`visible`), never
    sent raw to the terminal; pasted lines become one (every dialog's line is one line)."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(visible(" ".join(text.splitlines()) if "\n" in text or "\r" in text else text), start, end)


class EditorInput(Input):
    """The Input of the edit line: Enter, Tab and Shift+Tab confirm and move; Esc cancels."""

    BINDINGS = keys.bindings(keys.EDIT)

    def action_done(self, direction: int) -> None:
        self.post_message(CellEditor.Done(self.editing_name, self.value, direction))

    def replace(self, text: str, start: int, end: int) -> None:
        """Every key and paste comes in here: a pasted control character is shown as what it
        is (`visible`: ␛, ⟨U+009B⟩), and kept so, never sent raw to the terminal. A paste
        that would take the line past what the cell can hold (`limits.typed_limit`: a figure
        64 characters, a text 6.000) is refused whole, and said, never cut."""
        shown = visible(text)
        if self.editing_name is not None:
            limit = typed_limit(self.editing_name)
            would_be = len(self.value) - (end - start) + len(shown)
            if would_be > limit:
                self.app.bell()
                self.notify(
                    f"Testo rifiutato: {self.editing_name} ne conterrebbe {format_number(would_be)} "
                    f"caratteri, al massimo {format_number(limit)}.",
                    severity="warning",
                )
                return
        super().replace(shown, start, end)

    def action_cancel(self) -> None:
        self.post_message(CellEditor.Done(self.editing_name, self.value, None))

    editing_name: str | None = None
    # Told of each change of the text being typed, synchronously, inside the key's own
    # handler: the recomputed figures are drawn in the same frame as the typed digit.
    edited: Callable[[str, str], None] | None = None
    _quiet = False

    def watch_value(self, value: str) -> None:
        if not self._quiet and self.editing_name is not None and self.edited is not None:
            self.edited(self.editing_name, value)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Set the text without it counting as typed."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False


class CellEditor(Vertical):
    """Title line, input line, status line, and the reviewer's note on the cell (if any)."""

    DEFAULT_CSS = """
    CellEditor #editor-note { height: auto; max-height: 2; display: none; }
    CellEditor #editor-note.-shown { display: block; }
    """

    class Done(Message):
        """Editing ended: `direction` 1/-1 to confirm and move, None to cancel."""

        def __init__(self, name: str | None, text: str, direction: int | None) -> None:
            super().__init__()
            self.name = name  # the cell being edited when the key was pressed
            self.text = text
            self.direction = direction

    def __init__(self, edited: Callable[[str, str], None] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.editing = False
        self._edited = edited  # (cell, text) for every change of what is typed

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title")
        inp = EditorInput(id="editor-input", select_on_focus=False)
        inp.edited = self._edited
        yield inp
        yield Static("", id="editor-status")
        yield Static("", id="editor-note")

    @property
    def input(self) -> EditorInput:
        return self.query_one(EditorInput)

    def show_cell(self, name: str | None, title: str, value: str, hint: str = "") -> None:
        """Show the highlighted cell (not editing)."""
        self.editing = False
        self._title(title)
        with self.input.quiet():
            self.input.value = value
        self.set_status(hint)

    def begin(self, name: str, title: str, initial: str) -> None:
        """Edit `name`, starting from `initial` (its title too: keys faster than the cursor
        may start an edit before the highlighted cell was shown)."""
        self._title(title)
        self.editing = True
        inp = self.input
        inp.editing_name = name
        with inp.quiet():
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
        status.update(Text(("✗ " if error else "") + visible(text), overflow="ellipsis"))
        status.set_class(error, "-error")

    def show_note(self, text: str) -> None:
        """The reviewer's open note on the cell ("": none, the line is hidden). A note comes
        from the draft's file: shown as data (`visible`, Text, never markup), on one line."""
        if text == getattr(self, "_note", ""):
            return
        self._note = text
        note = self.query_one("#editor-note", Static)
        note.update(Text(visible(" ".join(text.split())), overflow="ellipsis"))
        note.set_class(bool(text), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # already told, synchronously (`EditorInput.edited`)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
