"""Quadro 4 - Relazione in formato strutturato: the block of the draft's case."""

from __future__ import annotations

from rich.text import Text

from ..core.layout import LABELS, Q4_BLOCKS
from ..core.messages import BLOCK_UNKNOWN
from ..core.numbers import format_number
from ..core.values import count_chars
from ..widgets.grid import Column, GridRow, GridSpec
from .base import QuadroScreen


def spec(case: str | None, kept: frozenset[str]) -> GridSpec:
    rows: list[GridRow] = []
    for block in Q4_BLOCKS:
        span = block.span
        if block.case == case:
            rows.append(GridRow("", f"BLOCCO {block.case} ({span}) - {block.condition}", heading=True))
            rows.append(GridRow("", block.intro, heading=True))
            for item in block.items:
                if item.subheading:
                    rows.append(GridRow("", item.subheading, heading=True))
                rows.append(GridRow(item.code, item.label, (item.code,)))
        else:
            why = "caso non determinabile" if case is None else f"il caso è {case}"
            rows.append(GridRow("", f"▸ Blocco {block.case} ({span}): non si applica, {why}", heading=True))
            for item in block.items:
                if item.code in kept:  # answered earlier: shown so that it is not forgotten
                    rows.append(GridRow(item.code, "(non si applica) " + item.label, (item.code,)))
    rows.append(GridRow("R40", LABELS["R40"], ("R40",)))
    return GridSpec(label_width=61, columns=(Column("Risposta", 8),), rows=tuple(rows), wrap_labels=True)


class Quadro4Screen(QuadroScreen):
    QUADRO = 4
    NAV_KEY = "q4"
    HELP = (
        "Un solo blocco si compila: quello del caso (A-D). Per ogni voce: S = SI, N = NO, "
        "Spazio = nessuna risposta. Se una voce «Altro» è SI, spiegarla in R40 ({finale}). Le "
        "risposte date in un blocco che non si applica restano conservate e segnalate."
    )

    def spec_key(self) -> object:
        """The case, and the answers kept in blocks that do not apply (shown, never lost)."""
        o = self.draft_editor.outcome
        return o.case, frozenset(o.answers_elsewhere)

    def build_spec(self) -> GridSpec:
        case, kept = self.spec_key()
        return spec(case, kept)

    def no_messages(self) -> str:
        block = self.draft_editor.outcome.block
        if block is None:
            return BLOCK_UNKNOWN
        return (f"Caso {block.case}: rispondere SI o NO alle voci {block.span} "
                "(il portale non mostra messaggi per il Quadro 4).")

    def cell_text(self, name: str) -> Text:
        if name == "R40":
            n = count_chars(self.draft_editor.draft.R40)
            return Text(f"{format_number(n)} car.", justify="right", style="italic")
        return super().cell_text(name)

    def why_locked(self, name: str) -> str:
        if name == "R40":
            return f"R40 si scrive nella schermata finale: {self.label('finale')} (o {self.label('modifica')})."
        return super().why_locked(name)

    def edit_cell(self, name: str, initial: str | None) -> None:
        if name == "R40":
            # Typed on the R40 row: it continues R40 at once, in order, on the final screen.
            typed = initial and not self.draft_editor.read_only  # read-only: the final screen says so
            note = self.draft_editor.append_r40(initial) if typed else ""
            if note:
                self.app.bell()
            self.go("final", "R40", at_end=bool(typed), note=note)
            return
        super().edit_cell(name, initial)
