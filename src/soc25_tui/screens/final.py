"""The final screen: R40 (with a live counter and a proposed text), the closing note, the
whole scheda as a summary and the problems still open."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static, TextArea
from textual.widgets.text_area import EditResult

from .. import keys
from ..core import messages, own_editor, summary
from ..core.editing import shown_r40
from ..core.layout import LABELS, R40_MAX_CHARS
from ..core.messages import counter_text
from ..core.model import one_newline
from ..core.numbers import format_number
from ..core.r40 import propose
from ..core.review import NOTE_MARK, author_text
from ..core.visible import visible
from ..core.values import count_chars
from ..widgets.panels import HeaderBar, NavBar, SizeNotice
from .base import DraftScreen, HandOver
from .dialogs import Choice


class R40Area(TextArea):
    """A TextArea that refuses any edit taking R40 past 6.000 characters (typing or paste).

    It holds R40 as it is shown (`visible`: control characters as ␛, ⟨U+009B⟩; newline and
    tab kept): a pasted control character is never sent raw to the terminal. R40 keeps its
    text as it was until the person changes it; then it holds what was shown and typed."""

    class Refused(Message):
        def __init__(self, would_be: int) -> None:
            super().__init__()
            self.would_be = would_be

    def edit(self, edit):  # type: ignore[no-untyped-def]
        edit.text = shown_r40(edit.text)
        start, end = sorted((edit.from_location, edit.to_location))
        removed = self.get_text_range(start, end)
        after = count_chars(self.text) - len(removed) + len(edit.text)
        if after > R40_MAX_CHARS and len(edit.text) > len(removed):
            self.post_message(self.Refused(after))
            return EditResult(end_location=self.cursor_location, replaced_text="")
        return super().edit(edit)


class FinalScreen(DraftScreen):
    NAV_KEY = "final"
    HELP_TITLE = "R40 e riepilogo"
    HELP = (
        "R40: relazione in formato libero, al massimo 6.000 caratteri (il contatore si "
        "aggiorna mentre si scrive; un testo più lungo viene rifiutato). {proponi} propone un testo "
        "costruito dai dati della bozza: se R40 contiene già del testo chiede prima di "
        "sostituirlo. Sotto: la nota finale, il riepilogo dell'intera scheda e i problemi "
        "ancora aperti. Tab passa dalla relazione al riepilogo.\n\n"
        "{editor} apre R40 nel proprio editor di testo ($VISUAL, altrimenti $EDITOR, nano o vi; "
        "su Windows il Blocco note): chiuso l'editor, il testo salvato torna in R40 con lo stesso "
        "limite di 6.000 caratteri, e si annulla come ogni modifica. Un testo rifiutato resta nel "
        "suo file, che {editor} riapre.\n\n"
        "Revisione (ATS): il verdetto è nella riga di stato; le note della revisione sono in "
        "testa al riepilogo. {nota} aggiunge una nota su R40 (dalla relazione) o sulla bozza "
        "intera (dal riepilogo); {note} le elenca: Invio va alla cella della nota; {verdetto} "
        "dà il verdetto."
    )
    BINDINGS = keys.bindings(keys.FINAL)
    SUMMARY_DELAY = 0.4

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="status")
        yield NavBar(self.NAV_KEY, keymap=self.keymap, id="nav")
        yield SizeNotice(id="size-notice")
        yield Static(Text(f"R40 - {LABELS['R40']}", style="bold"), id="r40-title")
        yield R40Area(id="r40", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        yield Static("", id="r40-counter")
        with VerticalScroll(id="summary", can_focus=True):
            yield Static(Text(messages.text("nota_finale"), style="bold"), id="nota-finale")
            yield Static("", id="summary-body")
        yield Footer()

    @property
    def area(self) -> R40Area:
        return self.query_one(R40Area)

    _summary_timer = None
    _refusal = ""  # why the last edit of R40 was refused, until the next one
    _aimed: bool | None = None  # R40 aimed at (a jump): True with the cursor at its end

    def on_mount(self) -> None:
        # The cursor after the text: what is typed on entering goes on with R40, never
        # before what is written.
        self._cursor_to_end()

    _typing: object = None  # R40 typed in one go: one step of undo (see DraftEditor.set)

    def close_edit(self) -> bool:
        self._typing = object()  # what is typed next is a step of undo of its own
        return False

    def on_screen_resume(self) -> None:
        """Shown (the first time too): R40 as the draft holds it, the counter, the summary."""
        self._typing = object()
        self.sync()
        if self._aimed is not None:
            at_end, self._aimed = self._aimed, None
            if at_end:
                self._cursor_to_end()
            self.area.focus()
        self._render_summary()
        self.ready = True

    # --- showing -------------------------------------------------------------------------

    def sync(self) -> None:
        ed = self.draft_editor
        area = self.area
        area.read_only = ed.read_only
        r40 = ed.draft.R40 or ""
        if one_newline(area.text) != shown_r40(r40):  # changed elsewhere (Quadro 4's R40 row, a recovery, undo)
            with area.prevent(TextArea.Changed):
                area.text = shown_r40(r40)
            area.move_cursor(area.document.end)
        self.query_one(HeaderBar).show(ed.status_text)
        n = count_chars(r40)
        line = Text(counter_text(n), style="bold" if n >= R40_MAX_CHARS else "")
        notes = []
        if self._refusal:
            notes.append(self._refusal)
        altro = ed.outcome.altro_unexplained
        if altro:
            notes.append(
                f"Promemoria: {', '.join(altro)} «Altro» è SI: spiegarlo qui in R40 (ora è vuota)."
            )
        if ed.read_only:
            notes.append(ed.read_only_note)
        noted = ed.open_notes_on("R40")
        if noted:  # the reviewer's note on R40 (as the edit line of a Quadro shows a cell's)
            note = noted[0][1]
            said = f"Nota di {author_text(note)}: {' '.join(note.text.split())}"
            notes.append(f"{NOTE_MARK} {visible(said)}")  # the file's data: shown, never obeyed
        if notes:
            line.append(" · " + " · ".join(notes))
        self.query_one("#r40-counter", Static).update(line)
        self._schedule_summary()

    def _schedule_summary(self) -> None:
        if self._summary_timer is not None:
            self._summary_timer.stop()
        self._summary_timer = self.set_timer(self.SUMMARY_DELAY, self._render_summary)

    def _render_summary(self) -> None:
        ed = self.draft_editor
        body = summary.build(ed.draft, ed.assessment, problems_first=True)
        self.query_one("#summary-body", Static).update(body)

    # --- editing R40 ---------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._refusal = ""
        text = event.text_area.text
        if text != shown_r40(self.draft_editor.draft.R40 or ""):
            self.draft_editor.set("R40", text or None, group=self._typing)

    @on(R40Area.Refused)  # the handler name Textual derives is on_r40area_refused
    def on_r40_area_refused(self, event: R40Area.Refused) -> None:
        self._refuse(self.draft_editor.r40_refusal(event.would_be))
        self.sync()

    def _refuse(self, why: str) -> None:
        self._refusal = why
        self.app.bell()

    def aim(self, cell: str | None, *, at_end: bool = False, note: str = "") -> bool:
        """R40 (the only cell here): focused, with the cursor at the end when keys typed on
        Quadro 4's R40 row went there, and the refusal of those keys said."""
        if cell not in (None, "R40"):
            return False
        if at_end:  # keys typed on Quadro 4's R40 row: refused or not, what they say now
            self._refusal = note
        if self.on_top:
            self.sync()
            if at_end:
                self._cursor_to_end()
            self.area.focus()
        elif cell is not None:
            self._aimed = bool(self._aimed) or at_end
            self.ready = False
        return True

    def current_cell(self) -> str | None:
        """R40 while the relazione has the focus; else the whole draft (the summary)."""
        return "R40" if self.is_mounted and self.area.has_focus else None

    def _cursor_to_end(self) -> None:
        area = self.area
        area.move_cursor(area.document.end)
        area.focus()

    def action_propose(self) -> None:
        ed = self.draft_editor
        if ed.read_only:
            self.notify(ed.read_only_note, severity="warning")
            return
        proposal = propose(ed.draft, ed.outcome)
        current = ed.draft.R40 or ""
        if not current.strip():
            self._put(proposal)
            return

        def answer(choice: str | None) -> None:
            if choice == "replace":
                self._put(proposal)
            elif choice == "append":
                joined = current.rstrip() + "\n\n" + proposal
                if count_chars(joined) > R40_MAX_CHARS:
                    self.notify("Testo troppo lungo insieme alla proposta: non aggiunto.", severity="error")
                    return
                self._put(joined)

        self.app.push_screen(
            Choice(
                f"R40 contiene già {counter_text(count_chars(current))}. La proposta "
                f"({format_number(count_chars(proposal))} caratteri) è qui sotto, le frecce la "
                f"scorrono. Cosa farne? ({self.label('annulla-modifica')} torna indietro)",
                [("s", "replace", "Sostituisci il testo"), ("g", "append", "Aggiungi in fondo"),
                 ("n", "cancel", "Non inserire")],
                detail=Text(proposal),
            ),
            answer,
        )

    # --- R40 in the person's own editor (core/own_editor.py) ------------------------------

    _kept: str | None = None  # a file with the person's text not taken into R40: reopened next

    def action_own_editor(self) -> None:
        """Ctrl+E: R40 in the person's text editor, the interface suspended meanwhile (asked of
        the App: `HandOver`); its text comes back as one step of undo, or stays in its file."""
        ed = self.draft_editor
        if ed.read_only:
            self.notify(ed.read_only_note, severity="warning")
            return
        try:
            opened = own_editor.opening(ed.draft.R40, self._kept)
        except own_editor.EditorError as exc:
            self.notify(str(exc), severity="error", timeout=12)
            return
        self._kept = None
        self.post_message(HandOver(partial(own_editor.run, opened.argv, opened.path),
                                   partial(self._from_own_editor, opened.path, opened.reopened)))

    def _from_own_editor(self, path: str, reopened: bool, ran: own_editor.Ran | None) -> None:
        if ran is None:  # no terminal to hand over: the browser (soc25 web), or none at all
            if reopened:
                self._kept = path
            else:
                own_editor.remove(path)
            self.notify("Qui non si può aprire un editor esterno: l'interfaccia non può lasciare il "
                        "terminale a un altro programma (nel browser, o senza un terminale). "
                        "Scrivere R40 qui.", severity="warning", timeout=12)
            return
        taken = own_editor.take(self.draft_editor, path, ran, reopened=reopened,
                                key=self.label("editor"), undo=self.label("annulla-modifica"))
        self._kept = taken.kept
        if taken.refusal:
            self._refuse(taken.refusal)  # said beside the counter, as for typing and pasting
        elif taken.done:
            self._refusal = ""
        self._typing = object()  # what is typed next is a step of undo of its own
        self.sync()
        self._cursor_to_end()
        self.notify(taken.notice, severity="information" if taken.done else "warning",
                    timeout=8 if taken.done else 15)

    def _put(self, text: str) -> None:
        # Into the draft at once: after the Choice dialog, on_screen_resume runs before the
        # area's Changed message and would put the old R40 back into the area.
        with self.area.prevent(TextArea.Changed):
            self.area.text = shown_r40(text)
        self._refusal = ""  # an earlier refusal no longer applies to this text
        self.draft_editor.set("R40", text or None)  # no group: a step of undo of its own
        self.area.focus()
        self.notify("Testo proposto inserito: completare le parti tra [ ] e rileggere.")
