"""Quadro 3 - Obiettivi di servizio 2024 (only when the rules say so)."""

from __future__ import annotations

from ..core.layout import LABELS, Q3_GROUPS, q3_row
from ..core.messages import SOGLIA, quadro3_not_to_fill, quadro3_why, sentence, text
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
        f"almeno {SOGLIA} euro: come sono state usate (assistenti sociali e altre figure "
        "aggiuntive con numero, modalità e spesa; interventi R12-R14). R15 è il totale e deve "
        "coprire R09. Altrimenti le celle sono in sola lettura."
    )

    def build_spec(self) -> GridSpec:
        return spec()

    def notes(self) -> list[str]:
        o = self.draft_editor.outcome
        if o.quadro3_required:
            return [f"R09 da rendicontare: {format_money(o.values['R09'])} euro."]
        if o.quadro3_known:
            return [f"{quadro3_not_to_fill(o)} Le celle sono in sola lettura."]
        return [sentence(quadro3_why(o))]

    def form_notes(self) -> list[str]:
        return [text("q3_intestazione")]
