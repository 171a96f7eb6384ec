"""QuadroScreen: what every Quadro screen shares.

A status line, the Quadro navigation line, the grid of the Quadro's cells, the portal's
messages for the Quadro and the edit line. The screen holds no rules: values, messages and
what may be edited all come from the app's evaluated draft (rules, messages, checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from ..core.checks import filled
from ..core.layout import CELL_BY_NAME, Kind
from ..widgets.editor import CellEditor
from ..widgets.grid import FormGrid, GridSpec
from ..widgets.panels import HeaderBar, MessagePanel, NavBar, messages_text

if TYPE_CHECKING:  # pragma: no cover
    from ..app import Soc25App


def is_sino(name: str) -> bool:
    return CELL_BY_NAME[name].kind is Kind.SINO


class SyncScreen(Screen):
    """A screen that shows the app's draft: `sync()` redraws it, `go_to()` reaches a cell."""

    app: Soc25App

    def sync(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def go_to(self, name: str) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def leaving(self) -> None:
        """Another screen is about to be shown (F-keys, a jump)."""


class QuadroScreen(SyncScreen):
    BINDINGS = [Binding("f7", "messages", "Messaggi", priority=True)]
    QUADRO = 0
    NAV_KEY = ""
    HELP = ""  # a short guide to the Quadro, shown by F1

    app: Soc25App

    def build_spec(self) -> GridSpec:  # pragma: no cover - each Quadro defines it
        raise NotImplementedError

    def notes(self) -> list[str]:
        """Fixed texts of the form shown above the messages (verbatim, from the catalog)."""
        return []

    def why_locked(self, name: str) -> str:
        """Why `name` cannot be edited now ("" when it can)."""
        cell = CELL_BY_NAME[name]
        if self.app.read_only:
            return "Sola lettura: " + self.app.read_only_reason
        if cell.derived:
            return f"{name} è calcolata dal programma: si aggiorna da sola."
        return ""

    def can_empty(self, name: str) -> bool:
        """Whether `name` is locked only because its section does not apply to this draft: a
        value left there may still be removed (Canc / Spazio), as the checks ask."""
        return False

    def _empty_leftover(self, name: str) -> bool:
        if self.app.read_only or CELL_BY_NAME[name].derived or not self.can_empty(name):
            return False
        if filled(self.app.draft.get(name)):
            self.app.set_cell(name, None)
            self.editor.set_status(f"{name} svuotata: la sezione non si applica a questa bozza.")
        return True

    def spec_key(self) -> object:
        """What the grid's rows depend on (rebuilt when it changes)."""
        return None

    def form_notes(self) -> list[str]:
        """Fixed texts of the form for this Quadro (verbatim): shown by F7, not in the panel."""
        return []

    def action_messages(self) -> None:
        """F7: notes and messages over the whole screen, scrollable."""
        from ..core.layout import QUADRO_TITLES
        from .dialogs import MessagesScreen

        o = self.app.outcome
        body = messages_text(self.form_notes() + self.notes(),
                             [m for m in o.messages if m.quadro == self.QUADRO], self.no_messages())
        self.app.push_screen(MessagesScreen(QUADRO_TITLES[self.QUADRO], body))

    # --- composition ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="status")
        yield NavBar(self.NAV_KEY, id="nav")
        self._spec_key = self.spec_key()
        grid = FormGrid(self.build_spec(), self, is_sino=is_sino, id="grid")
        grid.editable = lambda name: not self.why_locked(name)
        yield grid
        yield MessagePanel(id="messages")
        yield CellEditor(id="editor")
        yield Footer()

    @property
    def grid(self) -> FormGrid:
        return self.query_one(FormGrid)

    @property
    def editor(self) -> CellEditor:
        return self.query_one(CellEditor)

    def on_screen_resume(self) -> None:
        """Shown (the first time too: Textual resumes a screen once it is mounted)."""
        self.sync()
        if not self.editor.editing:
            self.grid.focus()

    # --- showing the draft ---------------------------------------------------------------

    def sync(self) -> None:
        """Show the app's current draft and outcome: values, messages, status line."""
        app = self.app
        if self.spec_key() != self._spec_key:
            self._spec_key = self.spec_key()
            self.grid.rebuild(self.build_spec())
        grid = self.grid
        marks = app.marks
        texts = {}
        for name in grid.cell_names:
            text = self.cell_text(name)
            mark = marks.get(name)
            texts[name] = self._marked(name, text, mark) if mark else text
        grid.show_values(texts)
        self.query_one(HeaderBar).show(app.status_text)
        self.query_one(MessagePanel).show(
            self.notes(), [m for m in app.outcome.messages if m.quadro == self.QUADRO],
            self.no_messages(),
        )
        if not self.editor.editing:
            self.show_current()

    def no_messages(self) -> str:
        return "Nessun messaggio: completare i dati richiesti (vedi F6 per i problemi)."

    def cell_text(self, name: str) -> Text:
        shown = self.app.display(name, short=True)
        cell = CELL_BY_NAME[name]
        style = ""
        if cell.derived:
            style = "italic"
        elif self.why_locked(name):
            style = "dim"
        if name in self.app.draft.invalid:
            style = "bold"
        if not shown and not cell.derived and not self.why_locked(name):
            shown = "·"
        justify = "left" if cell.kind in (Kind.TEXT, Kind.SINO) else "right"
        return Text(shown, style=style, justify=justify, no_wrap=True, overflow="ellipsis")

    def _marked(self, name: str, text: Text, mark: str) -> Text:
        """A cell with a problem, marked in the grid as text (✗ error, ! warning), not only by
        a colour: the mark stands in for an empty cell or before the value when it fits the
        column, and always before a text (whose end is cut with "…" anyway); a figure too long
        for both is underlined instead (a figure is never cut)."""
        shown = text.plain
        style = f"{text.style} bold".strip()
        if shown in ("", "·"):
            shown = mark
        elif len(shown) + 2 <= self.grid.width_of(name) or text.justify == "left":
            shown = f"{mark} {shown}"
        else:
            style += " underline"
        return Text(shown, style=style, justify=text.justify, no_wrap=True, overflow="ellipsis")

    @staticmethod
    def _title(name: str) -> str:
        """The edit line's title: the column (the year) before the long label, so that a
        line cut at 80 columns keeps it."""
        cell = CELL_BY_NAME[name]
        if cell.column:
            return f"{name} · {cell.column} · {cell.code} - {cell.label}"
        return f"{name} · {cell.title}"

    def show_current(self) -> None:
        name = self.grid.current
        if name is None:
            self.editor.show_cell(None, "", "", "Frecce per spostarsi, Tab cella successiva.")
            return
        cell = CELL_BY_NAME[name]
        title = self._title(name)
        value = self.app.display(name)
        problems = [p for p in self.app.problems if p.cell == name]
        locked = self.why_locked(name)
        if problems:  # what the mark in the grid is about, before why the cell is locked
            hint = f"{problems[0].severity.capitalize()}: {problems[0].text}"
        elif locked:
            hint = locked
        elif cell.kind is Kind.SINO:
            hint = self.SINO_HINT
        else:
            hint = "Scrivere per modificare · Invio conferma e passa alla successiva · Esc annulla"
        self.editor.show_cell(name, title, value, hint)
        if problems:
            self.editor.set_status(hint, error=problems[0].severity == "errore")

    # --- editing -------------------------------------------------------------------------

    _editing: str | None = None
    _edit_error = ""  # why the text being typed is not in the draft ("" while it is valid)

    def cell_focused(self, name: str | None) -> None:
        if not self.editor.editing:
            self.show_current()

    EDIT_HINT = "Invio conferma · Tab/Shift+Tab conferma e si sposta · Esc annulla"
    SINO_HINT = "S = SI · N = NO · Spazio = nessuna risposta"

    def edit_cell(self, name: str, initial: str | None) -> None:
        """Start editing `name`: `initial` is the first key typed ("" empties the cell), or
        None to start from the cell's value. Called by the grid, synchronously."""
        locked = self.why_locked(name)
        if locked:
            if not (initial == "" and self._empty_leftover(name)):
                self.editor.set_status(locked, error=True)
            return
        if initial and is_sino(name):  # a key that is no answer: say which keys are
            self.editor.set_status(f"«{initial}» non è una risposta: {self.SINO_HINT}", error=True)
            return
        if initial and "\n" in initial:  # pasted lines, into a one-line cell
            initial = " ".join(initial.split())
        self._editing = name
        self._edit_error = ""
        self._before = self.app.draft.get(name), self.app.draft.invalid.get(name)
        text = initial if initial is not None else self.app.edit_text(name)
        self.editor.begin(name, self._title(name), text)
        self.editor.set_status(self.EDIT_HINT)
        if initial is not None:
            self._apply(text)

    def answer_cell(self, name: str, value: str | None) -> None:
        locked = self.why_locked(name)
        if locked:
            if not (value is None and self._empty_leftover(name)):
                self.editor.set_status(locked, error=True)
            return
        self.app.set_cell(name, value)
        self.grid.action_next_cell(wrap=False)  # at once: the next key answers the next item

    def editing_key(self, event) -> bool:
        """A key that reached the grid while an edit is open (typed faster than the focus
        moved to the edit line): it goes to the edit, in order."""
        if not self.editor.editing:
            return False
        inp = self.editor.input
        key = event.key
        if key in ("enter", "tab", "down"):
            self.finish_edit(inp.value, 1)
        elif key in ("shift+tab", "up"):
            self.finish_edit(inp.value, -1)
        elif key == "escape":
            self.finish_edit(inp.value, None)
        elif key == "backspace":
            inp.action_delete_left()
        elif key == "delete":
            inp.action_delete_right()
        elif event.is_printable and event.character:
            inp.insert_text_at_cursor(event.character)
        else:
            return False
        return True

    def paste_into_edit(self, text: str) -> bool:
        if not self.editor.editing:
            return False
        self.editor.input.insert_text_at_cursor(text)
        return True

    def on_cell_editor_edited(self, event: CellEditor.Edited) -> None:
        if event.name == self._editing and self.editor.editing:  # never a late one
            self._apply(event.text)

    def _apply(self, text: str) -> bool:
        """What is typed goes into the draft while it is valid, so that every derived value
        and message follows the typing; while it is not, the draft holds the value from
        before this edit (never a half-typed prefix such as 1,23 on the way to 1.234)."""
        locked = self.why_locked(self._editing)
        if locked:  # the case changed while this edit was open (on another screen)
            self.finish_edit(text, None)
            self.editor.set_status(locked, error=True)
            return False
        error = self._edit_error = self.app.try_set_text(self._editing, text)
        if error:
            value, raw = self._before
            self.app.restore_cell(self._editing, value, raw)
            # The title line already names the cell: say what is wrong and what is expected.
            reason = error.removeprefix(f"{self._editing}: ")
            self.editor.set_status(f"{reason} (resta il valore precedente)", error=True)
            return False
        self.editor.set_status(self.EDIT_HINT)
        return True

    def on_cell_editor_done(self, event: CellEditor.Done) -> None:
        if event.name == self._editing:
            self.finish_edit(event.text, event.direction)

    def finish_edit(self, text: str, direction: int | None) -> None:
        """Enter/Tab (direction 1), Shift+Tab (-1), leave in place (0), Esc (None)."""
        name = self._editing
        if name is None:
            return
        if direction is None:  # Esc: back to the value before editing
            value, raw = self._before
            self.app.restore_cell(name, value, raw)
        elif not self._apply(text):
            return  # stay in the editor until the figure is valid or Esc
        if self._editing is None:
            return  # _apply closed it (the cell got locked)
        self._editing = None
        self._edit_error = ""
        self.editor.end()
        self.grid.focus()
        if direction == 1:  # on the last cell it stays: the top of the form is no "next"
            self.grid.action_next_cell(wrap=False)
        elif direction == -1:
            self.grid.action_prev_cell()
        self.show_current()

    # --- jumping -------------------------------------------------------------------------

    def leaving(self) -> None:
        """An edit stays open on a screen left for another (F3 to look at Quadro 2, then F2
        to go on typing), but an invalid figure is not in the draft: say so, it must not
        pass unseen."""
        name = self._editing
        if name is not None and self.editor.editing and self._edit_error:
            self._say_not_in_draft(name, "la modifica resta aperta in questa schermata")

    def _say_not_in_draft(self, name: str, then: str) -> None:
        if name in self.app.draft.invalid:
            before = "il valore non valido letto dal file"
        else:
            before = self.app.display(name) or "vuota"
        self.app.notify(
            f"{name}: «{self.editor.input.value.strip()}» non è valido e non è nella bozza "
            f"(resta {before}); {then}.",
            severity="warning", timeout=8,
        )

    def go_to(self, name: str) -> bool:
        if self.editor.editing:
            # Leaving the cell keeps a valid figure being typed (it is already in the draft
            # and shown); an invalid one goes back to the value from before editing, and a
            # notice says so.
            text = self.editor.input.value
            editing = self._editing
            self.finish_edit(text, 0)
            if self.editor.editing:  # the figure was not valid: back to the value before
                self._say_not_in_draft(editing, "modifica annullata")
                self.finish_edit(text, None)
        found = self.grid.go_to(name)
        self.grid.focus()
        self.show_current()
        return found
