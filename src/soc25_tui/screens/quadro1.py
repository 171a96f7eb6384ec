"""Quadro 1 - Autodiagnosi del numero di utenti serviti."""

from __future__ import annotations

from ..layout import AREAS, LABELS, SECTION_ATS, SECTION_COMUNE, USER_ROWS
from ..messages import text
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
        GridRow("R0C", "Denominazione ATS", ("R0C",), inline=True),
        GridRow("R0D", "Ente/Comune capofila", ("R0D",), inline=True),
        GridRow("R0E", "Assistenti sociali/abitanti ATS", ("R0E", None, None, None)),
        GridRow("", SECTION_COMUNE, heading=True, titles=("2020", "2024", "", "")),
        GridRow("R01", "Assistenti sociali del Comune", ("R01_2020", "R01_2024", None, None)),
        GridRow("R01A", "Assistenti sociali da ATS/forma ass.", (None, "R01A_2024", None, None)),
        GridRow("R01B", "1 assistente ogni N abitanti", (None, "R01B", None, None)),
        GridRow("R02", "Altre figure professionali", ("R02_2020", "R02_2024", None, None)),
        GridRow("R03", "Abitanti al 31/12/2023", (None, "R03", None, None)),
        GridRow("R04", "Livello di servizio effettivo", (None, "R04", None, None)),
        GridRow("R05", "Livello di servizio di riferimento", (None, "R05", None, None)),
    ]
    columns = (Column("2019", 8), Column("2024", 8), Column("Ore 2024", 8), Column("Media", 8))
    return GridSpec(label_width=29, columns=columns, rows=tuple(rows))


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
