"""Quadro 3 - Obiettivi di servizio 2024 (only when the rules say so)."""

from __future__ import annotations

from ..core.checks import filled
from ..core.layout import CELL_BY_NAME, LABELS, Q3_GROUPS, q3_row
from ..core.messages import text
from ..core.numbers import format_money
from ..widgets.grid import Column, GridRow, GridSpec
from .base import QuadroScreen


def _row(code: str) -> GridRow:
    return GridRow(code, LABELS[code], q3_row(code))


def spec() -> GridSpec:
    rows = [GridRow("R09", LABELS["R09"], (None, None, "R09"))]
    for title, codes in Q3_GROUPS:
        rows.append(GridRow("", title, heading=True))
        rows += [_row(code) for code in codes]
    rows.append(GridRow("R15", LABELS["R15"], (None, None, "R15")))
    # Spesa up to 99.999.999,99: the additional resources of the largest Comuni.
    columns = (Column("Numero", 7), Column("Modalità", 12), Column("Spesa agg.", 14))
    return GridSpec(label_width=30, columns=columns, rows=tuple(rows))


class Quadro3Screen(QuadroScreen):
    QUADRO = 3
    NAV_KEY = "q3"
    HELP = (
        "Solo se la spesa è inferiore al fabbisogno e le risorse da rendicontare (R09) sono "
        "almeno 1.000 euro: come sono state usate (assistenti sociali e altre figure "
        "aggiuntive con numero, modalità e spesa; interventi R12-R14). R15 è il totale e deve "
        "coprire R09. Altrimenti le celle sono in sola lettura."
    )

    def build_spec(self) -> GridSpec:
        return spec()

    def notes(self) -> list[str]:
        o = self.app.outcome
        notes = []
        if o.case is None:
            notes.append("Caso non determinabile: completare i Quadri 1 e 2.")
        elif not o.quadro3_known:
            notes.append("Manca R08 (Quadro 2): non si può calcolare R09 né stabilire se il Quadro 3 vada compilato.")
        elif not o.quadro3_required:
            notes.append("Il Quadro 3 non va compilato per questo Comune: le celle sono in sola lettura.")
        else:
            notes.append(f"R09 da rendicontare: {format_money(o.values['R09'])} euro.")
        return notes

    def form_notes(self) -> list[str]:
        return [text("q3_intestazione")]

    def can_empty(self, name: str) -> bool:
        o = self.app.outcome
        return o.quadro3_known and not o.quadro3_required

    def why_locked(self, name: str) -> str:
        locked = super().why_locked(name)
        if locked or CELL_BY_NAME[name].derived:
            return locked
        o = self.app.outcome
        if o.case in ("C", "D") and not o.quadro3_known:
            return ""  # R08 missing: it may well apply, so it stays open
        if not o.quadro3_required:
            if o.case is None:
                return "Quadro 3: caso non determinabile, completare prima i Quadri 1 e 2."
            why = ("la spesa non è inferiore al fabbisogno" if o.case in ("A", "B")
                   else "le risorse da rendicontare (R09) sono inferiori a 1.000 euro")
            clear = " (Canc svuota la cella)" if filled(self.app.draft.get(name)) else ""
            return f"Il Quadro 3 non va compilato: {why}{clear}."
        return ""
