"""Quadro 2 - Autodiagnosi della spesa per il sociale."""

from __future__ import annotations

from ..core.layout import LABELS
from ..core.messages import spending_verdict
from ..widgets.grid import Column, GridRow, GridSpec
from .base import QuadroScreen


def spec() -> GridSpec:
    rows = (
        GridRow("R06", LABELS["R06"], ("R06", None)),
        GridRow("R07", LABELS["R07"], ("R07_2017", "R07_2021")),
        GridRow("R08", LABELS["R08"], ("R08", None)),
    )
    # Up to 999.999.999,99 euro: the largest Comuni (Roma, Milano) spend hundreds of millions.
    return GridSpec(label_width=34, columns=(Column("2017", 15), Column("2021", 15)), rows=rows)


class Quadro2Screen(QuadroScreen):
    QUADRO = 2
    NAV_KEY = "q2"
    HELP = (
        "Dati ufficiali: fabbisogno standard (R06), spesa storica 2017 e 2021 (R07), risorse "
        "aggiuntive assegnate (R08). La spesa di riferimento è la maggiore tra R07 2017 e "
        "2021; con il livello di servizio del Quadro 1 decide il caso (A-D), se compilare il "
        "Quadro 3 e quale blocco del Quadro 4."
    )

    def build_spec(self) -> GridSpec:
        return spec()

    def notes(self) -> list[str]:
        o = self.draft_editor.outcome
        if o.below_need is None:
            return []
        return [spending_verdict(o, self.draft_editor.draft.R06)]
