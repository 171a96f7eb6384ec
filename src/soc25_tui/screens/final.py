"""The final screen: R40 (with a live counter and a proposed text), the closing note, the
whole scheda as a summary and the problems still open."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets.text_area import EditResult
from textual.message import Message
from textual.widgets import Footer, Static, TextArea

from ..core import messages, summary
from ..core.layout import LABELS, R40_MAX_CHARS
from ..core.numbers import format_number
from ..core.r40 import count_chars, counter_text, missing_altro, propose
from ..widgets.panels import HeaderBar, NavBar
from .base import SyncScreen
from .dialogs import Choice


class R40Area(TextArea):
    """A TextArea that refuses any edit taking R40 past 6.000 characters (typing or paste)."""

    class Refused(Message):
        def __init__(self, would_be: int) -> None:
            super().__init__()
            self.would_be = would_be

    def edit(self, edit):  # type: ignore[no-untyped-def]
        start, end = sorted((edit.from_location, edit.to_location))
        removed = self.get_text_range(start, end)
        after = count_chars(self.text) - len(removed) + len(edit.text)
        if after > R40_MAX_CHARS and len(edit.text) > len(removed):
            self.post_message(self.Refused(after))
            return EditResult(end_location=self.cursor_location, replaced_text="")
        return super().edit(edit)


class FinalScreen(SyncScreen):
    QUADRO = 0
    HELP_TITLE = "R40 e riepilogo"
    HELP = (
        "R40: relazione in formato libero, al massimo 6.000 caratteri (il contatore si "
        "aggiorna mentre si scrive; un testo più lungo viene rifiutato). F8 propone un testo "
        "costruito dai dati della bozza: se R40 contiene già del testo chiede prima di "
        "sostituirlo. Sotto: la nota finale, il riepilogo dell'intera scheda e i problemi "
        "ancora aperti. Tab passa dalla relazione al riepilogo."
    )
    BINDINGS = [Binding("f8", "propose", "Proponi testo R40", priority=True)]
    SUMMARY_DELAY = 0.4

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="status")
        yield NavBar("final", id="nav")
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
    _to_end = False  # show R40 with the cursor at its end (keys typed on Quadro 4's R40 row)

    def on_mount(self) -> None:
        self.area.focus()

    def on_screen_resume(self) -> None:
        """Shown (the first time too): R40 as the draft holds it, the counter, the summary."""
        area = self.area
        area.read_only = self.app.read_only
        if area.text != (self.app.draft.R40 or ""):
            with area.prevent(TextArea.Changed):
                area.text = self.app.draft.R40 or ""
        if self._to_end:
            self._to_end = False
            area.move_cursor(area.document.end)
            area.focus()
        self.sync()
        self._render_summary()

    # --- showing -------------------------------------------------------------------------

    def sync(self) -> None:
        app = self.app
        self.query_one(HeaderBar).show(app.status_text)
        n = count_chars(app.draft.R40 or "")
        line = Text(counter_text(n), style="bold" if n >= R40_MAX_CHARS else "")
        notes = []
        if self._refusal:
            notes.append(self._refusal)
        altro = missing_altro(app.draft, app.outcome)
        if altro:
            notes.append(
                f"Promemoria: {', '.join(altro)} «Altro» è SI: spiegarlo qui in R40 (ora è vuota)."
            )
        if app.read_only:
            notes.append("Sola lettura: " + app.read_only_reason)
        if notes:
            line.append(" · " + " · ".join(notes))
        self.query_one("#r40-counter", Static).update(line)
        self._schedule_summary()

    def _schedule_summary(self) -> None:
        if self._summary_timer is not None:
            self._summary_timer.stop()
        self._summary_timer = self.set_timer(self.SUMMARY_DELAY, self._render_summary)

    def _render_summary(self) -> None:
        app = self.app
        body = summary.build(app.draft, app.outcome, app.problems, problems_first=True)
        self.query_one("#summary-body", Static).update(body)

    # --- editing R40 ---------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._refusal = ""
        text = event.text_area.text
        if text != (self.app.draft.R40 or ""):
            self.app.set_cell("R40", text or None)

    @on(R40Area.Refused)  # the handler name Textual derives is on_r40area_refused
    def on_r40_area_refused(self, event: R40Area.Refused) -> None:
        self._refuse(event.would_be)
        self.sync()

    def _refuse(self, would_be: int) -> None:
        self._refusal = (
            f"Testo rifiutato: R40 arriverebbe a {format_number(would_be)} caratteri, "
            f"il massimo è {format_number(R40_MAX_CHARS)}."
        )
        self.app.bell()

    def continue_r40(self, text: str) -> None:
        """Keys typed for R40 on Quadro 4's R40 row, before this screen is shown (it may not
        be mounted yet): added to the end of R40 at once, in the order they come, within the
        6.000 characters; the screen then opens with the cursor at the end, where the keys
        that follow go."""
        app = self.app
        self._to_end = True
        if app.read_only:
            return
        current = app.draft.R40 or ""
        would_be = count_chars(current) + count_chars(text)
        if would_be > R40_MAX_CHARS:
            self._refuse(would_be)
            return
        self._refusal = ""
        app.set_cell("R40", current + text)

    def action_propose(self) -> None:
        if self.app.read_only:
            self.notify("Sola lettura: " + self.app.read_only_reason, severity="warning")
            return
        proposal = propose(self.app.draft, self.app.outcome)
        current = self.app.draft.R40 or ""
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
                f"R40 contiene già {counter_text(count_chars(current))}. Cosa fare della proposta?",
                [("s", "replace", "Sostituisci il testo"), ("g", "append", "Aggiungi in fondo"),
                 ("n", "cancel", "Non inserire")],
            ),
            answer,
        )

    def _put(self, text: str) -> None:
        # Into the draft at once: after the Choice dialog, on_screen_resume runs before the
        # area's Changed message and would put the old R40 back into the area.
        with self.area.prevent(TextArea.Changed):
            self.area.text = text
        self._refusal = ""  # an earlier refusal no longer applies to this text
        self.app.set_cell("R40", text or None)
        self.area.focus()
        self.notify("Testo proposto inserito: completare le parti tra [ ] e rileggere.")

    def go_to(self, name: str) -> bool:
        if name == "R40":
            self.area.focus()
            return True
        return False
