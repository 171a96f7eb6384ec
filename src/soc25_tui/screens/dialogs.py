"""Small modal dialogs: quit with changes, recovery, new draft, jump to a cell, help, and the
reviewer's notes (a note on a cell, the list of the notes)."""

from __future__ import annotations

import os

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import keys
from ..core.checks import new_draft_refusal
from ..core.editing import DraftEditor
from ..core.layout import CELLS, cell_heading, resolve_cell_name
from ..core.limits import TEXT_MAX_CHARS
from ..core.review import NOTE_MARK, STATE_WORDS, WHOLE, note_heading, open_text
from ..core.visible import visible
from ..widgets.editor import ShownInput


def _data(text: str | Text, style: str = "") -> Text:
    """A text that quotes data (a file's name, a value, what was typed): Rich Text, never
    markup ("[bold]" in a Comune's name is shown as written), control characters shown."""
    if isinstance(text, Text):
        shown = text.copy()
        shown.plain = visible(text.plain, multiline=True)
        return shown
    return Text(visible(text, multiline=True), style=style)


class Choice(ModalScreen[str]):
    """A question answered with one key each; Esc is the last choice."""

    DEFAULT_CSS = """
    Choice { align: center middle; }
    Choice > Vertical { width: 70; height: auto; max-height: 100%; border: heavy $accent; padding: 1 2; background: $surface; }
    Choice .keys { margin-top: 1; text-style: bold; }
    Choice #detail { height: auto; max-height: 14; margin-top: 1; border: round $panel; }
    Choice.-wide > Vertical { width: 90%; padding: 0 1; }
    """

    def __init__(self, question: str, choices: list[tuple[str, str, str]], *,
                 detail: str | Text | None = None) -> None:
        """`choices`: (key, result, label); the last one is also Esc. `detail`: a text shown
        under the question, scrollable with the arrows (what would be put where)."""
        super().__init__()
        self.question = question
        self.choices = choices
        self.detail = detail
        if detail is not None:
            self.add_class("-wide")
        for key, result, label in choices:
            # Upper case too: Caps Lock or Shift must not make the dialog deaf.
            self._bindings.bind(f"{key},{key.upper()}", f"choose({result!r})", label, show=False)
        self._bindings.bind("escape", f"choose({choices[-1][1]!r})", "Annulla", show=False)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_data(self.question))
            if self.detail is not None:
                with VerticalScroll(id="detail", can_focus=True):
                    yield Static(_data(self.detail))
            keys = "   ".join(f"[{key.upper()}] {label}" for key, _, label in self.choices)
            yield Static(Text(keys), classes="keys")

    def action_choose(self, result: str) -> None:
        self.dismiss(result)


class NewDraftDialog(ModalScreen[tuple[str, str, str] | None]):
    """Comune and Provincia (and the file name, from the start screen) of a new draft."""

    DEFAULT_CSS = """
    NewDraftDialog { align: center middle; }
    NewDraftDialog > Vertical { width: 70; height: auto; border: heavy $accent; padding: 1 2; background: $surface; }
    NewDraftDialog Input { margin-bottom: 1; }
    NewDraftDialog #new-error { text-style: bold; }
    """
    BINDINGS = keys.bindings(keys.DIALOG)

    def __init__(self, path: str | None, *, folder: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.folder = folder  # where a file name typed without a folder goes (the review table's)

    def compose(self) -> ComposeResult:
        with Vertical():
            what = f"Nuova bozza {self.path}" if self.path else "Nuova bozza"
            yield Static(_data(f"{what}: indicare il Comune e la provincia. Invio per confermare, Esc per annullare."))
            if not self.path:
                yield ShownInput(placeholder="File della bozza, ad esempio comune.toml", id="new-file")
            yield ShownInput(placeholder="Comune, ad esempio SONDRIO", id="new-comune")
            yield ShownInput(placeholder="Provincia (sigla di due lettere), ad esempio SO", id="new-provincia", max_length=2)
            yield Static("", id="new-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is not inputs[-1] and not event.input.value.strip():
            self.focus_next()  # Enter on an empty field goes on to the next one
            return
        if event.input is not inputs[-1] and not all(i.value.strip() for i in inputs):
            self.focus_next()
            return
        values = {i.id: i.value.strip() for i in inputs}
        path = self.path or values.get("new-file", "")
        if path and not path.endswith(".toml"):
            path += ".toml"
        if path and not self.path and self.folder not in (None, "", ".") and not os.path.dirname(path):
            path = os.path.join(self.folder, path)
        comune, prov = values["new-comune"], values["new-provincia"].upper()
        error = ""
        folder = os.path.dirname(path) or "."
        if not path:
            error = "Indicare il nome del file della bozza."
        elif not self.path and os.path.exists(path):
            error = f"{path} esiste già: sceglierla dall'elenco, oppure indicare un altro nome."
        elif not os.path.isdir(folder):
            error = f"La cartella {folder} non esiste."
        else:
            error = new_draft_refusal(comune, prov)
        if error:
            self.query_one("#new-error", Static).update(_data("✗ " + error))
            return
        self.dismiss((path, comune, prov))

    def action_cancel(self) -> None:
        self.dismiss(None)


class JumpDialog(ModalScreen[str | None]):
    """"Vai al campo": a public cell name (R07_2021, M12_ore, R40, ...)."""

    DEFAULT_CSS = """
    JumpDialog { align: center top; }
    JumpDialog > Vertical { width: 64; height: auto; margin-top: 3; border: heavy $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = keys.bindings(keys.DIALOG)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Vai al campo: nome pubblico della cella (es. R07_2021, M12_ore, R40)")
            names = [cell.name for cell in CELLS]
            yield ShownInput(id="jump", suggester=SuggestFromList(names, case_sensitive=False))
            yield Static("", id="jump-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = resolve_cell_name(event.value)
        if name is None:
            self.query_one("#jump-error", Static).update(
                _data(f"✗ «{event.value.strip()}» non è il nome di una cella (es. M12_2019, R06, R40).")
            )
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MessagesScreen(ModalScreen[None]):
    """F7: the Quadro's notes and messages over the whole screen, scrollable (and, through
    `screens.compare.CompareScreen`, a comparison of two versions: any long text to read)."""

    SCROLL_ID: str | None = None
    BODY_ID: str | None = None

    DEFAULT_CSS = """
    MessagesScreen { align: center middle; }
    MessagesScreen > VerticalScroll { width: 100%; height: 100%; border: heavy $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = keys.bindings(keys.MESSAGES)

    def __init__(self, title: str, body: RenderableType, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_ = title
        self.body = body
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=self.SCROLL_ID) as scroll:
            scroll.can_focus = True
            if self.title_:
                yield Static(Text(self.title_, style="bold"))
            yield Static(self.body, id=self.BODY_ID)
            close = keys.label("chiudi-messaggi", self.keymap)
            yield Static(Text(f"\nFrecce e PagSu/PagGiù per scorrere · {close} per chiudere", style="dim"))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 78; height: 90%; border: heavy $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = keys.bindings(keys.HELP)

    def __init__(self, title: str, guide: str, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_ = title
        self.guide = guide
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in keys.help_rows(self.keymap):
            table.add_row(key, what)
        with VerticalScroll():
            yield Static(_data(self.title_, style="bold"))
            yield Static(self.guide + "\n")
            yield Static(Text("Tasti", style="bold"))
            yield Static(table)
            label = lambda key_id: keys.label(key_id, self.keymap)  # noqa: E731
            yield Static(
                "\nNella griglia ✗ segna una cella con un errore, ! una con un avviso: il testo "
                "compare sotto la griglia quando il cursore è sulla cella "
                f"({label('finale')}: tutti i problemi). {NOTE_MARK} segna una cella con una nota "
                f"della revisione aperta, che compare sotto la riga di modifica ({label('note')}: "
                "tutte le note).\n"
                "Numeri: 1.984.440,83 oppure 1984440,83 (anche 1984440.83). Un valore non valido "
                "viene spiegato nella riga di modifica, sotto la griglia, e la bozza conserva "
                "quello precedente.\n"
                f"La bozza si salva con {label('salva')}; un file di recupero viene scritto pochi "
                f"secondi dopo ogni modifica. {label('chiudi-aiuto')} per chiudere."
            )

    def action_close(self) -> None:
        self.dismiss(None)


# --- the reviewer's notes -----------------------------------------------------------------



def _where(cell: str | None) -> str:
    """«R07_2021 · 2021 · R07 - Spesa …», «la bozza intera»."""
    return "la bozza intera" if cell is None else cell_heading(cell)


class NoteDialog(ModalScreen[str | None]):
    """A note of the review on a cell (or on the whole draft): its text typed, the cell as
    proposed (the one under the cursor) or changed. Added through the editor (a step of undo);
    dismissed with what to tell the person, or None when cancelled."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical { width: 76; height: auto; max-height: 100%; border: heavy $accent; padding: 0 1; background: $surface; }
    NoteDialog Input { margin-bottom: 1; }
    NoteDialog #note-open { max-height: 6; color: $text-muted; }
    NoteDialog #note-error { text-style: bold; }
    """
    BINDINGS = keys.bindings(keys.DIALOG)

    def __init__(self, editor: DraftEditor, cell: str | None) -> None:
        super().__init__()
        self.editor = editor
        self.cell = cell

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_data(f"Nota della revisione su {_where(self.cell)}", style="bold"))
            already = self.editor.open_notes_on(self.cell)
            if already:
                lines = [f"{NOTE_MARK} {i + 1}. {note_heading(n)}: {' '.join(n.text.split())}" for i, n in already]
                yield Static(_data("Note aperte su questa cella:\n" + "\n".join(lines)), id="note-open")
            yield Static(f"Cella (nome pubblico, oppure «{WHOLE}» per la bozza intera):")
            names = [WHOLE, *(cell.name for cell in CELLS)]
            yield ShownInput(self.cell or WHOLE, id="note-cell",
                              suggester=SuggestFromList(names, case_sensitive=False))
            yield Static("Testo della nota:")
            yield ShownInput(id="note-text", max_length=TEXT_MAX_CHARS,
                              placeholder="ad esempio: Manca la spesa del 2021, allegare la delibera")
            yield Static("", id="note-error")
            yield Static(Text("Invio aggiunge la nota · Esc annulla", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#note-text", Input).value
        if event.input.id == "note-cell" and not text.strip():
            self.query_one("#note-text", Input).focus()
            return
        cell = self.query_one("#note-cell", Input).value
        done = self.editor.add_note(cell, text)
        if not done.done:
            self.query_one("#note-error", Static).update(_data("✗ " + done.notice))
            return
        self.dismiss(done.notice)

    def action_cancel(self) -> None:
        self.dismiss(None)


NOTE_LINES = 4  # lines of a note's text the list shows (all of it: the summary, `soc25 review`)


def note_option(index: int, note) -> Text:  # noqa: ANN001 - a core.review.Note
    """A note as the list shows it: number and heading, then its text (data: `visible`)."""
    text = Text()
    text.append(f"{index + 1}. ", style="bold")
    text.append(visible(note_heading(note)), style="" if note.resolved else "bold")
    lines = visible(note.text, multiline=True).splitlines() or [""]
    for line in lines[:NOTE_LINES]:
        text.append("\n   " + line)
    if len(lines) > NOTE_LINES:
        text.append(f"\n   … (altre {len(lines) - NOTE_LINES} righe)", style="dim")
    return text


class NotesDialog(ModalScreen[str | None]):
    """The notes of the review: the verdict above, each note numbered (as `soc25 review` and
    the summary number them). A note is marked resolved or open again, or deleted, through the
    editor (each a step of undo); Invio goes to its cell: dismissed with the cell's public
    name («bozza»: the whole draft), or None when closed."""

    DEFAULT_CSS = """
    NotesDialog { align: center middle; }
    NotesDialog > Vertical { width: 90%; height: 90%; border: heavy $accent; padding: 0 1; background: $surface; }
    NotesDialog OptionList { height: 1fr; }
    NotesDialog #notes-said { height: auto; max-height: 2; }
    """
    BINDINGS = keys.bindings(keys.NOTES)

    def __init__(self, editor: DraftEditor, *, cell: str | None = None,
                 keymap: dict[str, str] | None = None) -> None:
        """`cell`: the first note on it is highlighted (the cell under the cursor)."""
        super().__init__()
        self.editor = editor
        self.cell = cell
        self.keymap = keymap
        self._unsubscribe = editor.subscribe(lambda change: self._fill() if change.review else None)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="notes-title")
            yield OptionList(id="notes")
            yield Static("", id="notes-said")
            label = lambda key_id: keys.label(key_id, self.keymap)  # noqa: E731
            yield Static(Text(
                f"Frecce per scegliere · Invio va alla cella · {label('risolvi-nota')} risolta / aperta · "
                f"{label('elimina-nota')} elimina · {label('chiudi-note')} chiude "
                f"({label('annulla-modifica')}, chiuso l'elenco, annulla)", style="dim"))

    def on_mount(self) -> None:
        self._fill()
        notes = self.editor.draft.review.notes
        first = next((i for i, n in enumerate(notes) if n.cell == self.cell and not n.resolved), None)
        listing = self.query_one(OptionList)
        if notes:
            listing.highlighted = first if first is not None else 0
        listing.focus()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def _fill(self) -> None:
        if not self.query("#notes"):  # not composed yet, or gone
            return
        review = self.editor.draft.review
        title = Text(f"Note della revisione · verdetto: {STATE_WORDS[review.state]} · {open_text(review)}",
                     style="bold")
        self.query_one("#notes-title", Static).update(title)
        listing = self.query_one(OptionList)
        at = listing.highlighted
        listing.clear_options()
        if not review.notes:
            listing.add_option(Option(Text("Nessuna nota: la si aggiunge dalla cella con "
                                           f"{keys.label('nota', self.keymap)}."), disabled=True))
            return
        listing.add_options([Option(note_option(i, n), id=str(i)) for i, n in enumerate(review.notes)])
        if at is not None:
            listing.highlighted = min(at, len(review.notes) - 1)

    def _chosen(self) -> int | None:
        at = self.query_one(OptionList).highlighted
        return at if at is not None and at < len(self.editor.draft.review.notes) else None

    def _say(self, text: str) -> None:
        self.query_one("#notes-said", Static).update(_data(text))

    def action_toggle(self) -> None:
        i = self._chosen()
        if i is not None:
            note = self.editor.draft.review.notes[i]
            self._say(self.editor.resolve_note(i, not note.resolved).notice)

    def action_delete(self) -> None:
        i = self._chosen()
        if i is not None:
            self._say(self.editor.delete_note(i).notice)

    def action_jump(self) -> None:
        i = self._chosen()
        if i is not None:
            self.dismiss(self.editor.draft.review.notes[i].where)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_close(self) -> None:
        self.dismiss(None)
