"""What the screens of a draft share: they are built with the draft editor, show what it
says and hand it what the person typed; they ask the App for navigation with a message.

`DraftScreen` listens to the editor (redraws when shown, or when shown next); `QuadroScreen`
is a Quadro's status line, tabs, grid, messages and edit line. A screen never imports the App
and never reads or sets its state: the editor is the draft's one home.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from .. import keys
from ..core.checks import ERROR
from ..core.editing import CellEdit, Change, DraftEditor
from ..core.layout import CELL_BY_NAME, QUADRO_TITLES, Kind, cell_heading
from ..core.numbers import format_number
from ..core.review import NOTE_MARK, author_text, time_text
from ..widgets.editor import CellEditor
from ..widgets.grid import FormGrid, GridSpec, spec_cells
from ..widgets.panels import HeaderBar, MessagePanel, NavBar, SizeNotice, messages_text


def is_sino(name: str) -> bool:
    return CELL_BY_NAME[name].kind is Kind.SINO


class Navigate(Message):
    """A screen asks the App to show another screen, with the cursor on `cell` if given
    (`at_end`: at the end of a text), and `note` said there (a refusal, say)."""

    def __init__(self, screen: str, cell: str | None = None, *, at_end: bool = False,
                 note: str = "") -> None:
        super().__init__()
        self.screen = screen
        self.cell = cell
        self.at_end = at_end
        self.note = note


class HandOver(Message):
    """A screen asks the App to hand the terminal to another program (the person's text
    editor): `work` runs with the interface suspended, then `then` gets what it returned, or
    None where the interface cannot be suspended (in the browser, without a terminal)."""

    def __init__(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        super().__init__()
        self.work = work
        self.then = then


class SizedScreen(Screen):
    """A screen that says when the terminal is smaller than 80x24: its `SizeNotice` shows the
    size and the size needed, and the screen has the class -small (a tighter layout, see
    soc25.tcss) until the terminal is large enough again."""

    @on(events.Resize)
    def _fit_to_terminal(self, event: events.Resize) -> None:
        self.fit_to_terminal(event.size.width, event.size.height)

    @on(events.ScreenResume)
    def _fit_on_resume(self) -> None:  # resized while another screen was shown
        self.fit_to_terminal(self.app.size.width, self.app.size.height)

    def fit_to_terminal(self, columns: int, lines: int) -> None:
        small = False
        for notice in self.query(SizeNotice):
            notice.fit(columns, lines)
            small = small or notice.display
        self.set_class(small, "-small")


class DraftScreen(SizedScreen):
    """A screen that shows the editor's draft: `sync()` redraws it, `aim()` says where the
    cursor goes when it is next shown (before any key reaches it)."""

    QUADRO = 0
    NAV_KEY = ""
    # False from the moment a cell is aimed at until the screen has put the cursor there:
    # the App lets no key in meanwhile (see `gate`).
    ready = False
    HELP = ""  # a short guide to the screen, shown by F1 ({finale}: that key, as set)
    HELP_TITLE = ""

    def __init__(self, editor: DraftEditor, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.draft_editor = editor
        self.keymap = keymap or {}
        self._unsubscribe = editor.subscribe(self._draft_changed)

    @property
    def on_top(self) -> bool:
        """The screen the person sees and types into (Textual's `is_current` is also true of
        the screen below it on the stack)."""
        return self.is_mounted and self.app.screen is self

    def _draft_changed(self, change: Change) -> None:
        """The editor says the draft changed: redraw now if on top (a screen not shown, or
        under a dialog, redraws when it is shown again: `on_screen_resume`)."""
        if self.on_top and not change.typed:
            self.sync()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def sync(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def aim(self, cell: str | None, *, at_end: bool = False, note: str = "") -> bool:
        """Put the cursor on `cell` (now if shown, else as soon as shown); False when the
        cell has no place on this screen."""
        raise NotImplementedError  # pragma: no cover - overridden

    def leaving(self) -> None:
        """Another screen is about to be shown (F-keys, a jump)."""

    def current_cell(self) -> str | None:
        """The cell the cursor is on (where a note of the review goes); None: the whole draft."""
        return None

    def close_edit(self) -> bool:
        """End what is being typed (before an undo): a valid figure stays, as confirmed.
        True when text that was not valid (never in the draft) was dropped."""
        return False

    def label(self, key_id: str) -> str:
        """How the person's keymap names a key ("Invio", "Ctrl+S")."""
        return keys.label(key_id, self.keymap)

    def go(self, screen: str, cell: str | None = None, **kwargs: Any) -> None:
        """Ask the App for another screen (and a cell on it)."""
        self.post_message(Navigate(screen, cell, **kwargs))


class QuadroScreen(DraftScreen):
    BINDINGS = keys.bindings(keys.QUADRO)
    SINO_HINT = "S = SI · N = NO · Spazio = nessuna risposta"

    @property
    def edit_hint(self) -> str:
        """The edit line's status while a cell is being typed into."""
        return (f"{self.label('conferma')} conferma · {self.label('conferma-avanti')}/"
                f"{self.label('conferma-indietro')} conferma e si sposta · {self.label('annulla')} annulla")

    def build_spec(self) -> GridSpec:  # pragma: no cover - each Quadro defines it
        raise NotImplementedError

    def notes(self) -> list[str]:
        """Fixed texts of the form shown above the messages (verbatim, from the catalog)."""
        return []

    def form_notes(self) -> list[str]:
        """Fixed texts of the form for this Quadro (verbatim): shown by F7, not in the panel."""
        return []

    def spec_key(self) -> object:
        """What the grid's rows depend on (rebuilt when it changes)."""
        return None

    def no_messages(self) -> str:
        return f"Nessun messaggio: completare i dati richiesti (vedi {self.label('finale')} per i problemi)."

    def why_locked(self, name: str) -> str:
        """Why `name` cannot be edited now ("" when it can), with the key that empties a value
        kept where its section does not apply."""
        locked = self.draft_editor.why_locked(name)
        if locked and self.draft_editor.can_empty(name):
            verb = "per toglierla" if is_sino(name) else "svuota la cella"
            locked = f"{locked.removesuffix('.')} ({self.label('svuota')} {verb})."
        return locked

    def action_messages(self) -> None:
        """F7: notes and messages over the whole screen, scrollable."""
        from .dialogs import MessagesScreen

        body = messages_text(self.form_notes() + self.notes(),
                             self.draft_editor.assessment.messages_of(self.QUADRO), self.no_messages())
        self.app.push_screen(MessagesScreen(QUADRO_TITLES[self.QUADRO], body, keymap=self.keymap))

    # --- composition ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="status")
        yield NavBar(self.NAV_KEY, keymap=self.keymap, id="nav")
        yield SizeNotice(id="size-notice")
        self._spec_key = self.spec_key()
        grid = FormGrid(self.build_spec(), self, is_sino=is_sino, id="grid")
        grid.editable = lambda name: not self.why_locked(name)
        yield grid
        yield MessagePanel(more=f"continua: {self.label('messaggi')} per tutto il testo ▼", id="messages")
        yield CellEditor(self._edited, id="editor")
        yield Footer()

    @property
    def grid(self) -> FormGrid:
        return self.query_one(FormGrid)

    @property
    def edit_line(self) -> CellEditor:
        return self.query_one(CellEditor)

    _aimed: str | None = None  # the cell to put the cursor on when shown

    def on_screen_resume(self) -> None:
        """Shown (the first time too: Textual resumes a screen once it is mounted)."""
        self.sync()
        if self._aimed is not None:
            name, self._aimed = self._aimed, None
            self._put_cursor(name)
        elif not self.edit_line.editing:
            self.grid.focus()
        self.ready = True

    # --- showing the draft ---------------------------------------------------------------

    def sync(self) -> None:
        """Show the editor's draft: values, marks, messages, status line."""
        ed = self.draft_editor
        if self.spec_key() != self._spec_key:
            self._spec_key = self.spec_key()
            self.grid.rebuild(self.build_spec())
        grid = self.grid
        marks = ed.assessment.marks
        noted = {note.cell for note in ed.draft.review.open_notes}
        texts = {}
        for name in grid.cell_names:
            text = self.cell_text(name)
            mark = (marks.get(name) or "") + (NOTE_MARK if name in noted else "")
            texts[name] = self._marked(name, text, mark) if mark else text
        grid.show_values(texts)
        self.query_one(HeaderBar).show(ed.status_text)
        self.query_one(MessagePanel).show(
            self.notes(), ed.assessment.messages_of(self.QUADRO), self.no_messages())
        if not self.edit_line.editing:
            self.show_current()

    def cell_text(self, name: str) -> Text:
        ed = self.draft_editor
        shown = ed.display(name, short=True)
        cell = CELL_BY_NAME[name]
        locked = self.why_locked(name)
        style = ""
        if cell.derived:
            style = "italic"
        elif locked:
            style = "dim"
        if name in ed.draft.invalid:
            style = "bold"
        if not shown and not cell.derived and not locked:
            shown = "·"
        justify = "left" if cell.kind in (Kind.TEXT, Kind.SINO) else "right"
        return Text(shown, style=style, justify=justify, no_wrap=True, overflow="ellipsis")

    def _marked(self, name: str, text: Text, mark: str) -> Text:
        """A cell with a problem, marked in the grid as text (✗ error, ! warning), not only by
        a colour, and one with an open note of the review (✎; «✗✎» both): the mark stands in
        for an empty cell or before the value when it fits the column, and always before a
        text (whose end is cut with "…" anyway); a figure too long for both is underlined
        instead (a figure is never cut)."""
        shown = text.plain
        style = f"{text.style} bold".strip()
        if shown in ("", "·"):
            shown = mark
        elif len(shown) + len(mark) + 1 <= self.grid.width_of(name) or text.justify == "left":
            shown = f"{mark} {shown}"
        else:
            style += " underline"
        return Text(shown, style=style, justify=text.justify, no_wrap=True, overflow="ellipsis")

    @staticmethod
    def _title(name: str) -> str:
        """The edit line's title (`layout.cell_heading`)."""
        return cell_heading(name)

    def show_current(self) -> None:
        name = self.grid.current
        line = self.edit_line
        if name is None:
            line.show_cell(None, "", "", f"Frecce per spostarsi, {self.label('cella-successiva')} cella successiva.")
            line.show_note("")
            return
        ed = self.draft_editor
        problems = ed.assessment.problems_of(name)
        locked = self.why_locked(name)
        if problems:  # what the mark in the grid is about, before why the cell is locked
            hint = f"{problems[0].severity.capitalize()}: {problems[0].text}"
        elif locked:
            hint = locked
        elif is_sino(name):
            hint = self.SINO_HINT
        else:
            hint = (f"Scrivere per modificare · {self.label('conferma')} conferma e passa alla "
                    f"successiva · {self.label('annulla')} annulla")
        line.show_cell(name, self._title(name), ed.display(name), hint)
        if problems:
            line.set_status(hint, error=problems[0].severity == ERROR)
        line.show_note(self.note_line(name))

    def note_line(self, name: str) -> str:
        """The first open note of the review on `name`, as the edit line shows it ("": none):
        «✎ Nota di mrossi, 02/12/2026 10:15 (e altre 2: Ctrl+R): Manca la spesa»."""
        notes = self.draft_editor.open_notes_on(name)
        if not notes:
            return ""
        _, note = notes[0]
        others = len(notes) - 1
        more = ""
        if others:
            count = "un'altra" if others == 1 else f"altre {format_number(others)}"
            more = f" (e {count}: {self.label('note')})"
        return f"{NOTE_MARK} Nota di {author_text(note)}, {time_text(note.time)}{more}: {note.text}"

    def current_cell(self) -> str | None:
        return self.grid.current if self.is_mounted else None

    # --- editing -------------------------------------------------------------------------

    _edit: CellEdit | None = None  # the cell being typed into

    def cell_focused(self, name: str | None) -> None:
        if not self.edit_line.editing:
            self.show_current()

    def _refuse_locked(self, name: str, emptying: bool) -> bool:
        """A key on a locked cell: Canc/Spazio empties a value kept where its section does not
        apply; anything else is told why the cell is locked. True when the cell is locked."""
        locked = self.why_locked(name)
        if not locked:
            return False
        said = self.draft_editor.empty_leftover(name) if emptying else ""
        self.edit_line.set_status(said or locked, error=not said)
        return True

    def edit_cell(self, name: str, initial: str | None) -> None:
        """Start editing `name`: `initial` is the first key typed ("" empties the cell), or
        None to start from the cell's value. Called by the grid, synchronously."""
        if self._refuse_locked(name, initial == ""):
            return
        if initial and is_sino(name):  # a key that is no answer: say which keys are
            self.edit_line.set_status(f"«{initial}» non è una risposta: {self.SINO_HINT}", error=True)
            return
        if initial and "\n" in initial:  # pasted lines, into a one-line cell
            initial = " ".join(initial.split())
        self._edit = self.draft_editor.begin(name)
        text = initial if initial is not None else self._edit.shown
        self.edit_line.begin(name, self._title(name), text)
        self.edit_line.set_status(self.edit_hint)
        if initial is not None:
            self._type(text)

    def answer_cell(self, name: str, value: str | None) -> None:
        if self._refuse_locked(name, value is None):
            return
        self.draft_editor.set(name, value)
        self.grid.action_next_cell(wrap=False)  # at once: the next key answers the next item

    def editing_key(self, event) -> bool:
        """A key that reached the grid while an edit is open (typed faster than the focus
        moved to the edit line): it goes to the edit, in order."""
        if not self.edit_line.editing:
            return False
        inp = self.edit_line.input
        key = event.key
        action = keys.action_of(key, keys.EDIT, self.keymap)  # the edit line's own keys
        if action in ("done(1)", "done(-1)", "cancel"):
            self.finish_edit(inp.value, {"done(1)": 1, "done(-1)": -1}.get(action))
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
        if not self.edit_line.editing:
            return False
        self.edit_line.input.insert_text_at_cursor(text)
        return True

    def _edited(self, name: str, text: str) -> None:
        """The text in the edit line changed (a key, a paste): into the draft at once."""
        if self._edit is not None and name == self._edit.name and self.edit_line.editing:
            self._type(text)

    def _type(self, text: str) -> bool:
        """What is typed goes into the draft while it is valid (the editor keeps the value
        from before the edit while it is not); False when it is not."""
        edit = self._edit
        locked = self.why_locked(edit.name)
        if locked:  # the case changed while this edit was open (on another screen)
            self.finish_edit(text, None)
            self.edit_line.set_status(locked, error=True)
            return False
        if edit.type(text):
            # The title line already names the cell: say what is wrong and what is expected.
            self.edit_line.set_status(f"{edit.reason()} (resta il valore precedente)", error=True)
            return False
        self.edit_line.set_status(self.edit_hint)
        return True

    def on_cell_editor_done(self, event: CellEditor.Done) -> None:
        if self._edit is not None and event.name == self._edit.name:
            self.finish_edit(event.text, event.direction)

    def finish_edit(self, text: str, direction: int | None) -> None:
        """Enter/Tab (direction 1), Shift+Tab (-1), leave in place (0), Esc (None)."""
        edit = self._edit
        if edit is None:
            return
        if direction is None:  # Esc: back to the value before editing
            edit.cancel()
        elif not self._type(text):
            return  # stay in the editor until the figure is valid or Esc
        if self._edit is None:
            return  # _type closed it (the cell got locked)
        self._edit = None
        self.edit_line.end()
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
        edit = self._edit
        if edit is not None and self.edit_line.editing and edit.error:
            self._say_not_in_draft(edit.name, "la modifica resta aperta in questa schermata")

    def _say_not_in_draft(self, name: str, then: str) -> None:
        ed = self.draft_editor
        if name in ed.draft.invalid:
            before = "il valore non valido letto dal file"
        else:
            before = ed.display(name) or "vuota"
        self.notify(
            f"{name}: «{self.edit_line.input.value.strip()}» non è valido e non è nella bozza "
            f"(resta {before}); {then}.",
            severity="warning", timeout=8,
        )

    def aim(self, cell: str | None, *, at_end: bool = False, note: str = "") -> bool:
        if cell is None:
            return True
        if cell not in self._cells():
            return False
        if self.on_top:
            self._put_cursor(cell)
        else:
            self._aimed = cell
            self.ready = False
        return True

    def _cells(self) -> set[str]:
        """The cells this screen shows (its grid is built when the screen is mounted)."""
        if self.is_mounted:
            return set(self.grid.cell_names)
        return spec_cells(self.build_spec())

    def close_edit(self) -> bool:
        """Leaving the cell keeps a valid figure being typed (it is already in the draft and
        shown); an invalid one goes back to the value from before editing, and a notice
        says so (then True)."""
        if not self.edit_line.editing:
            return False
        text = self.edit_line.input.value
        editing = self._edit.name if self._edit else ""
        self.finish_edit(text, 0)
        if self.edit_line.editing:  # the figure was not valid: back to the value before
            self._say_not_in_draft(editing, "modifica annullata")
            self.finish_edit(text, None)
            return True
        return False

    def _put_cursor(self, name: str) -> None:
        self.close_edit()
        self.grid.go_to(name)
        self.grid.focus()
        self.show_current()
