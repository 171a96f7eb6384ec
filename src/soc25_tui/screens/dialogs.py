"""Small modal dialogs: quit with changes, recovery, new draft, jump to a cell, help."""

from __future__ import annotations

import os

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from .. import keys
from ..core.layout import CELLS, resolve_cell_name
from ..core.visible import visible


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

    def __init__(self, path: str | None) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            what = f"Nuova bozza {self.path}" if self.path else "Nuova bozza"
            yield Static(_data(f"{what}: indicare il Comune e la provincia. Invio per confermare, Esc per annullare."))
            if not self.path:
                yield Input(placeholder="File della bozza, ad esempio comune.toml", id="new-file")
            yield Input(placeholder="Comune, ad esempio SONDRIO", id="new-comune")
            yield Input(placeholder="Provincia (sigla di due lettere), ad esempio SO", id="new-provincia", max_length=2)
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
        comune, prov = values["new-comune"], values["new-provincia"].upper()
        error = ""
        folder = os.path.dirname(path) or "."
        if not path:
            error = "Indicare il nome del file della bozza."
        elif not self.path and os.path.exists(path):
            error = f"{path} esiste già: sceglierla dall'elenco, oppure indicare un altro nome."
        elif not os.path.isdir(folder):
            error = f"La cartella {folder} non esiste."
        elif not comune:
            error = "Indicare il nome del Comune."
        elif len(prov) != 2 or not prov.isalpha():
            error = "Provincia: attese due lettere, ad esempio SO."
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
            yield Input(id="jump", suggester=SuggestFromList(names, case_sensitive=False))
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
    """F7: the Quadro's notes and messages over the whole screen, scrollable."""

    DEFAULT_CSS = """
    MessagesScreen { align: center middle; }
    MessagesScreen > VerticalScroll { width: 100%; height: 100%; border: heavy $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = keys.bindings(keys.MESSAGES)

    def __init__(self, title: str, body: Text, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_ = title
        self.body = body
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.can_focus = True
            yield Static(Text(self.title_, style="bold"))
            yield Static(self.body)
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
                f"({label('finale')}: tutti i problemi).\n"
                "Numeri: 1.984.440,83 oppure 1984440,83 (anche 1984440.83). Un valore non valido "
                "viene spiegato nella riga di modifica, sotto la griglia, e la bozza conserva "
                "quello precedente.\n"
                f"La bozza si salva con {label('salva')}; un file di recupero viene scritto pochi "
                f"secondi dopo ogni modifica. {label('chiudi-aiuto')} per chiudere."
            )

    def action_close(self) -> None:
        self.dismiss(None)
