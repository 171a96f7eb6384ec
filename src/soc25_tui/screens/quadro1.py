"""Quadro 1 - Autodiagnosi del numero di utenti serviti."""

from __future__ import annotations

from ..core.layout import AREAS, CELLS, LABELS, SECTION_ATS, SECTION_COMUNE, SHORT_LABELS, USER_ROWS
from ..core.messages import text
from ..widgets.grid import Column, GridRow, GridSpec
from .base import QuadroScreen


def _short(label: str) -> str:
    return label.removeprefix("Utenti ").capitalize()


def spec() -> GridSpec:
    rows: list[GridRow] = [
        GridRow("", "INTESTAZIONE", heading=True),
        GridRow("", "Comune", ("comune",), inline=True),
        GridRow("", "Provincia", ("provincia",), inline=True),
        GridRow("", "Codice ISTAT", ("istat",), inline=True),
    ]
    for area in AREAS:
        rows.append(GridRow("", area.label.upper(), heading=True))
        for row in USER_ROWS:
            if row.area == area:
                media = f"{row.code}_media" if row.has_hours else None
                cells = (*row.input_cells, *(() if row.has_hours else (None,)), media)
                rows.append(GridRow(row.code, _short(row.label), cells))
    rows.append(GridRow("R0B", LABELS["R0B"], ("R0B_2019", "R0B_2024", None, None)))
    rows += [
        GridRow("", SECTION_ATS, heading=True),
        GridRow("R0C", SHORT_LABELS["R0C"], ("R0C",), inline=True),
        GridRow("R0D", SHORT_LABELS["R0D"], ("R0D",), inline=True),
        GridRow("R0E", SHORT_LABELS["R0E"], ("R0E", None, None, None)),
        GridRow("", SECTION_COMUNE, heading=True, titles=("2020", "2024", "", "")),
    ]
    # Staff and population: the 2020 and 2024 columns, as printed.
    for code in ("R01", "R01A", "R01B", "R02", "R03", "R04", "R05"):
        cells = [c.name for c in CELLS if c.code == code]
        col2020 = next((n for n in cells if n.endswith("_2020")), None)
        col2024 = next(n for n in cells if not n.endswith("_2020"))
        rows.append(GridRow(code, SHORT_LABELS[code], (col2020, col2024, None, None)))
    # Wide enough for the largest Comuni: Roma has 2.748.109 inhabitants (R03, in the 2024
    # column) and hours of assistance run into the millions.
    columns = (Column("2019", 8), Column("2024", 9), Column("Ore 2024", 9), Column("Media", 8))
    return GridSpec(label_width=27, columns=columns, rows=tuple(rows))


class Quadro1Screen(QuadroScreen):
    QUADRO = 1
    NAV_KEY = "q1"
    HELP = text("q1_nota") + ".\n\n" + (
        "Utenti serviti nel 2019 e nel 2024 per area e tipologia, ore annue di assistenza "
        "(la media si calcola da sola), dati dell'ATS, assistenti sociali, altre figure, "
        "abitanti e livello di servizio di riferimento (R05, dato ufficiale). R0B, R01B e "
        "R04 sono calcolati. In R0E scrivere NC per NON CALCOLABILE."
    )

    def build_spec(self) -> GridSpec:
        return spec()

    def form_notes(self) -> list[str]:
        return [text("q1_nota")]
