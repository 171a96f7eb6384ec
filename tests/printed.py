"""The printed form of a draft, as the portal lays it out on its pages, in the two layouts
the printed forms show («portale», 7 pages; «compatto»), both as the text extracted from
the PDF and as the PDF itself (tests/pdfgen.py).

A form is a flow of items; an item is text blocks placed side by side and one under the
other as on the page (a row's label on the left, its column headings beside it, its figures
under them, one figure per table cell). The text gives the blocks in the order the printed
forms' text gives them, a blank line after each; the PDF places them on pages, with the side
title («Quadro 1 / Autodiagnosi del / numero di utenti serviti») and the footer («SOC25 -
SOCIALE - ... / Pagina N di M Data ...») of the portal's pages, and breaks pages between
items. Labels and texts come from the form's layout, figures from the draft: nothing from
any one Comune's print.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any, NamedTuple

from soc25_tui.core.layout import LABELS, Q4_BLOCKS, USER_ROWS
from soc25_tui.core.numbers import format_number
from soc25_tui.core.rules import evaluate

from .pdfgen import HEIGHT, Text, pdf, text_width

SIZE = 9  # font size
LEAD = 11  # baseline to baseline
GAP = 9  # between items: more than half a line, a blank line in the text
LEFT, TOP, BOTTOM = 40, HEIGHT - 50, 70
COLUMN = 200  # where a row's headings and figures start
CELL = 90  # a table cell's width
FOOTER = "SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024"
SIDE_TITLES = {1: ("Autodiagnosi del", "numero di utenti serviti"), 2: ("Autodiagnosi della", "spesa per il sociale"),
               3: ("Obiettivi di servizio 2024",), 4: ("Relazione in formato", "strutturato")}


class Block(NamedTuple):
    x: float
    dy: float  # below the item's top, in lines
    lines: list[str | tuple[str, ...]]  # a tuple: a table's cells, side by side
    same_line: bool = False  # its text goes on the line of the block before («M12 ‐ ... 327 1.131»)


def _line_text(line: str | tuple[str, ...]) -> str:
    return line if isinstance(line, str) else " ".join(line)


class Item(NamedTuple):
    blocks: list[Block]
    quadro: int

    @property
    def height(self) -> float:
        return max(b.dy + len(b.lines) for b in self.blocks) * LEAD

    def text(self) -> str:
        out = ""
        for b in self.blocks:
            text = "\n".join(map(_line_text, b.lines))
            out = (f"{out} {text}" if b.same_line else f"{out}\n\n{text}") if out else text
        return out

    def texts(self, top: float) -> list[Text]:
        out = []
        for b in self.blocks:
            for i, line in enumerate(b.lines):
                y = top - SIZE - (b.dy + i) * LEAD
                x = b.x
                for cell in (line,) if isinstance(line, str) else line:
                    if cell:
                        out.append(Text(x, y, SIZE, cell))
                    x += max(CELL, text_width(cell, SIZE) + 15)  # a cell as wide as its text
        return out


class Form:
    def __init__(self, items: list[Item], *, footer: bool):
        self.pages: list[list[Item]] = [[]]
        self.footer = footer
        room = TOP - BOTTOM - (3 * LEAD if footer else 0)  # the side title at the end of a page
        used = 0.0
        for item in items:
            if self.pages[-1] and used + item.height > room:
                self.pages.append([])
                used = 0.0
            self.pages[-1].append(item)
            used += item.height + GAP

    def _side(self, page: list[Item]) -> Item:
        q = page[-1].quadro
        return Item([Block(LEFT, 0, [f"Quadro {q}", *SIDE_TITLES[q]])], q)

    def _footer(self, n: int) -> list[str]:
        return [FOOTER, f"Pagina {n} di {len(self.pages)} Data 14/04/2025 10:07"]

    def text(self) -> str:
        parts = []
        for n, page in enumerate(self.pages, 1):
            items = page + [self._side(page)] if self.footer else page
            parts.append("\n\n".join(item.text() for item in items))
            if self.footer:
                parts.append("\n\n".join(self._footer(n)) + "\n\n")
        return "\n\n".join(parts) + "\n"

    def pdf(self, **options: Any) -> bytes:
        return pdf(self.texts(), **options)

    def texts(self) -> list[list[Text]]:
        """Each page's texts, placed."""
        pages = []
        for n, page in enumerate(self.pages, 1):
            texts: list[Text] = []
            top = TOP
            for item in page + ([self._side(page)] if self.footer else []):
                texts.extend(item.texts(top))
                top -= item.height + GAP
            if self.footer:
                texts.append(Text(LEFT + 60, 40, 8, self._footer(n)[0]))
                texts.append(Text(LEFT, 25, 8, self._footer(n)[1]))
            pages.append(texts)
        return pages


# --- figures as the prints show them ------------------------------------------------------

def _plain(value: Any, places: int = 2) -> str:
    """The portal's print: no thousands separator («124120,25»)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def _grouped(value: Any, places: int = 2) -> str:
    """The compact print: thousands separators («1.984.440,83»)."""
    if value is None:
        return ""
    return format_number(value) if isinstance(value, int) else format_number(Decimal(value), places)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width)


def _relazione(r40: str | None) -> list[str | tuple[str, ...]]:
    """R40's paragraphs wrapped, a blank line between two."""
    lines: list[str | tuple[str, ...]] = []
    for k, paragraph in enumerate((r40 or "").split("\n")):
        lines += ([""] if k else []) + _wrap(paragraph, 100)
    return lines


def _para(text: str, quadro: int, width: int = 110) -> Item:
    return Item([Block(LEFT, 0, _wrap(text, width))], quadro)


def _title(*lines: str, quadro: int) -> Item:
    return Item([Block(LEFT, 0, list(lines))], quadro)


# --- the portal's print (7 pages) -----------------------------------------------------------

_HEAD_2019 = ["Numero di utenti", "serviti - 2019"]
_HEAD_2024 = ["Numero di utenti", "serviti - 2024"]
_HEAD_ORE = ["Totale annuo ore di", "assistenza - 2024"]
_HEAD_MEDIA = ["Media annua ore di", "assistenza - 2024"]


def _portal_row(code: str, label: str, headings: list[list[str]], cells: tuple[str, ...], quadro: int,
                width: int = 30) -> Item:
    """Label on the left, a heading per column beside it, the figures on one line under both."""
    lines = _wrap(f"{code} - {label}", width)
    blocks = [Block(LEFT, 0, lines)]
    blocks += [Block(COLUMN + k * CELL, 0, h) for k, h in enumerate(headings)]
    below = max([len(lines)] + [len(h) for h in headings]) + 0.3
    blocks.append(Block(COLUMN, below, [cells]))
    return Item(blocks, quadro)


def _portal_stacked(code: str, label: str, under: list[str | tuple[str, ...]], quadro: int, width: int = 30) -> Item:
    """Label, and what follows it under it (a text value, a relazione)."""
    lines = _wrap(f"{code} - {label}", width)
    return Item([Block(LEFT, 0, lines), Block(LEFT, len(lines) + 0.3, under)], quadro)


def portal(draft: Any) -> Form:
    v = draft.inputs()
    o = evaluate(draft).values
    items: list[Item] = [
        _title(f"Comune {v['comune']} ({v['provincia']})", quadro=1),
        _para("Ciascun Comune dovrà indicare il numero di utenti serviti per residenza o per obbligo di legge; in "
              "caso di Comuni che svolgono il servizio in forma associata o nell'ATS di riferimento dovrà essere "
              "riportata l’utenza afferente al proprio Comune", 1),
    ]
    area = None
    for row in USER_ROWS:
        if row.area != area:
            area = row.area
            items.append(_title(area.label, quadro=1))
        c = row.code
        if row.has_hours:
            cells = (_plain(v[f"{c}_2019"]), _plain(v[f"{c}_2024"]), _plain(v[f"{c}_ore"]), _plain(o[f"{c}_media"]))
            heads = [_HEAD_2019, _HEAD_2024, _HEAD_ORE, _HEAD_MEDIA]
        else:
            cells, heads = (_plain(v[f"{c}_2019"]), _plain(v[f"{c}_2024"])), [_HEAD_2019, _HEAD_2024]
        items.append(_portal_row(c, row.label, heads, cells, 1))
    items.append(_title("Totale", quadro=1))
    items.append(_portal_row("R0B", LABELS["R0B"], [_HEAD_2019, _HEAD_2024],
                             (_plain(o["R0B_2019"]), _plain(o["R0B_2024"])), 1))
    items.append(_title("Informazioni relative all'Ambito Territoriale Sociale (ATS) cui appartiene il Comune", quadro=1))
    items.append(_portal_stacked("R0C", LABELS["R0C"], [v["R0C"]], 1, width=110))
    items.append(_portal_stacked("R0D", LABELS["R0D"], [v["R0D"]], 1, width=110))
    r0e = "NON CALCOLABILE" if v["R0E"] is None else f"1 assistente sociale ogni: {v['R0E']} abitanti"
    items.append(_portal_stacked("R0E", LABELS["R0E"], [r0e], 1, width=110))
    items.append(_title("Informazioni relative al Comune", quadro=1))
    items.append(_portal_row("R01", LABELS["R01"], [["2020 2024"]], (_plain(v["R01_2020"]), _plain(v["R01_2024"])), 1))
    items.append(_portal_row("R01A", LABELS["R01A"], [["2024"]], (_plain(v["R01A_2024"]),), 1))
    items.append(_portal_row("R01B", LABELS["R01B"], [["Abitanti"]], (f"1 assistente ogni : {o['R01B']}",), 1))
    items.append(_portal_row("R02", LABELS["R02"], [["2020 2024"]], (_plain(v["R02_2020"]), _plain(v["R02_2024"])), 1))
    items.append(_para(f"Nel 2024 per il Comune il numero di assistenti sociali in rapporto alla popolazione è "
                       f"risultato pari a 1 ogni {o['R01B']} abitanti.", 1))
    items.append(_portal_row("R03", "Numero di abitanti", [["Popolazione residente", "al 31/12/2023 (Fonte", "Istat)"]],
                             (_plain(v["R03"]),), 1))
    items.append(_portal_row("R04", LABELS["R04"], [["2024"]], (_plain(o["R04"]),), 1))
    items.append(_portal_row("R05", LABELS["R05"], [["2024"]], (_plain(v["R05"]),), 1))
    items.append(_para("L'ente locale deve quindi procedere alla compilazione del Quadro 2 di autodiagnosi della "
                       "spesa per il sociale.", 1))
    items.append(_title("Spesa per il sociale", quadro=2))
    items.append(_portal_row("R06", LABELS["R06"], [], (_plain(v["R06"]),), 2))
    items.append(_portal_row("R07", LABELS["R07"], [["2017 2021"]], (_plain(v["R07_2017"]), _plain(v["R07_2021"])), 2))
    items.append(_portal_row("R08", LABELS["R08"], [], (_plain(v["R08"]),), 2))
    items.append(_para("La spesa dell’ente locale è risultata inferiore al livello del fabbisogno standard monetario "
                       "per la funzione Servizi sociali.", 2))
    items.append(_para("Compilare solo se il Comune nel Quadro 2 presenta una spesa inferiore al fabbisogno standard "
                       "monetario 2022 - 2024 e risorse aggiuntive da rendicontare (R09) superiori o uguali a 1.000 "
                       "euro", 3))
    items.append(_title("OBIETTIVI DI SERVIZIO 2024", quadro=3))
    items.append(_portal_row("R09", LABELS["R09"], [], (_plain(o["R09"]),), 3))
    items.append(_title("OBIETTIVI DI SERVIZIO QUALITATIVI 2024", quadro=3))
    for code in ("R10", "R11"):
        label = _wrap(f"{code} - {LABELS[code]}", 30)
        items.append(Item([
            Block(LEFT, 0, label),
            Block(LEFT, len(label) + 0.3, ["Numero Modalità di", "determinazione della", "spesa aggiuntiva"]),
            Block(LEFT + 4 * CELL, len(label) + 0.3, ["Spesa aggiuntiva"]),
            Block(LEFT, len(label) + 3.6, [(_plain(v[f"{code}_numero"]), v[f"{code}_modalita"] or "",
                                            _plain(v[f"{code}_spesa"]))]),
        ], 3))
    for code in ("R12", "R13", "R14"):
        if code == "R13":
            items.append(_title("OBIETTIVI DI SERVIZIO QUANTITATIVI 2024", quadro=3))
        items.append(_portal_row(code, LABELS[code], [["Spesa aggiuntiva"]], (_plain(v[code]),), 3))
    items.append(_title("TOTALE", quadro=3))
    items.append(_portal_row("R15", LABELS["R15"], [["Spesa aggiuntiva"]], (_plain(o["R15"]),), 3))
    items.append(_para("L'ente locale può procedere alla compilazione del Quadro 4.", 3))
    for block in Q4_BLOCKS:
        items.append(_para(block.condition, 4))
        items.append(_para(block.intro, 4))
        for item in block.items:
            answer = v.get(item.code)
            items.append(_portal_stacked(item.code, item.label, [answer] if answer else [], 4))
    items.append(_title("Relazione in formato strutturato", "Relazione in formato libero", quadro=4))
    items.append(_portal_stacked("R40", LABELS["R40"], _relazione(v["R40"]), 4))
    return Form(items, footer=True)


# --- the compact print ----------------------------------------------------------------------

H = "\u2010"  # the compact print's hyphen


def _compact_row(code: str, label: str, cells: tuple[str, ...], quadro: int, width: int = 31) -> Item:
    """Label on the left; the figures on its line when it has one, else on a line under it."""
    lines = _wrap(f"{code} {H} {label}", width)
    if len(lines) == 1:
        x = max(COLUMN + 40, LEFT + text_width(lines[0], SIZE) + 20)  # never over the label
        return Item([Block(LEFT, 0, [lines[0]]), Block(x, 0, [cells], same_line=True)], quadro)
    return Item([Block(LEFT, 0, lines), Block(COLUMN + 40, len(lines) + 0.3, [cells])], quadro)


def compact(draft: Any) -> Form:
    v = draft.inputs()
    outcome = evaluate(draft)
    o = outcome.values
    items: list[Item] = [_title(f"Comune {v['comune'].upper()} ({v['provincia']})", quadro=1)]
    items.append(Item([Block(COLUMN + 40 + k * CELL, 0, h) for k, h in enumerate(
        [["N° di utenti", "serviti 2019"], ["N° di utenti", "serviti 2024"], ["Totale annuo ore di", "assistenza 2024"],
         ["Media annua ore di", "assistenza 2024"]])], 1))
    area = None
    for row in USER_ROWS:
        if row.area != area:
            area = row.area
            items.append(_title(area.label.upper(), quadro=1))
        c = row.code
        cells = (_grouped(v[f"{c}_2019"]), _grouped(v[f"{c}_2024"]))
        if row.has_hours:
            cells += (_grouped(v[f"{c}_ore"]), _grouped(round(o[f"{c}_media"])))
        items.append(_compact_row(c, row.label, cells, 1))
    items.append(_compact_row("R0B", LABELS["R0B"], (_grouped(o["R0B_2019"]), _grouped(o["R0B_2024"])), 1))
    items.append(_para("Informazioni relative all'Ambito territoriale sociale (ATS) cui appartiene il Comune", 1, 75))
    for code, alias in (("R0C", "R00C"), ("R0D", "R00D")):
        items.append(_compact_row(alias, LABELS[code], (v[code],), 1, width=200))
    r0e = ["NON CALCOLABILE"] if v["R0E"] is None else [f"1 assistente sociale ogni: {v['R0E']}", "abitanti"]
    label = _wrap(f"R00E {H} {LABELS['R0E']}", 80)
    items.append(Item([Block(LEFT, 0, label), Block(LEFT, len(label) + 0.3, r0e)], 1))
    items.append(Item([Block(LEFT, 0, ["Informazioni relative al Comune"]), Block(COLUMN + 40, 0, [("2020", "2024")], same_line=True)], 1))
    items.append(_compact_row("R01", LABELS["R01"], (_grouped(v["R01_2020"]), _grouped(v["R01_2024"])), 1, 75))
    items.append(_compact_row("R01A", LABELS["R01A"], (_grouped(v["R01A_2024"]),), 1, 75))
    items.append(_compact_row("R01B", LABELS["R01B"], (f"1:{o['R01B']}",), 1, 75))
    items.append(_compact_row("R02", LABELS["R02"], (_grouped(v["R02_2020"]), _grouped(v["R02_2024"])), 1, 75))
    items.append(_compact_row("R03", "Numero di abitanti 2024", (_grouped(v["R03"]),), 1, 75))
    items.append(_compact_row("R04", "Livello di Servizio 2024 (% di utenti serviti rispetto alla popolazione)",
                              (f"{o['R04']:.6f}".replace(".", ","),), 1, 45))
    items.append(_compact_row("R05", LABELS["R05"], (_grouped(v["R05"]),), 1, 45))
    items.append(_para("L'ente locale deve quindi procedere alla compilazione del quadro 2 di autodiagnosi della spesa "
                       "per il sociale.", 1))
    items.append(_title(f"QUADRO 2 {H} AUTODIAGNOSI DELLA SPESA PER IL SOCIALE", quadro=2))
    items.append(_compact_row("R06", LABELS["R06"].replace("-", H), (_grouped(v["R06"]),), 2, 75))
    items.append(Item([Block(COLUMN + 40, 0, [("2017", "2021")])], 2))
    items.append(_compact_row("R07", LABELS["R07"], (_grouped(v["R07_2017"]), _grouped(v["R07_2021"])), 2, 75))
    items.append(_compact_row("R08", LABELS["R08"], (_grouped(v["R08"]),), 2, 75))
    items.append(_para("L'ente locale deve quindi procedere alla compilazione del Quadro 3 degli obiettivi di servizio "
                       "2024 e del Quadro 4 di relazione in formato strutturato.", 2))
    items.append(_title(f"QUADRO 3 {H} OBIETTIVI DI SERVIZIO 2024", quadro=3))
    items.append(_compact_row("R09", LABELS["R09"], (_grouped(o["R09"]),), 3, 45))
    for code in ("R10", "R11"):
        items.append(_compact_row(code, LABELS[code], (_grouped(v[f"{code}_numero"]), v[f"{code}_modalita"] or "",
                                                       _grouped(v[f"{code}_spesa"])), 3, 45))
    for code in ("R12", "R13", "R14"):
        items.append(_compact_row(code, LABELS[code], (_grouped(v[code]),), 3, 45))
    items.append(_compact_row("R15", LABELS["R15"], (_grouped(o["R15"]),), 3, 45))
    items.append(_title(f"4 {H} QUADRO DELLA RELAZIONE IN FORMATO STRUTTURATO", quadro=4))
    block = next(b for b in Q4_BLOCKS if b.case == outcome.case)
    items.append(_para(block.intro, 4))
    for item in block.items:
        items.append(_para(f"{item.code} {v[item.code]} {item.label}", 4))
    items.append(Item([Block(LEFT, 0, [f"R40 {H} RELAZIONE IN FORMATO LIBERO (massimo 6.000 caratteri)"]),
                       Block(LEFT, 1.3, _relazione(v["R40"]))], 4))
    items.append(_title("NOTA BENE", quadro=4))
    items.append(_para("Il raggiungimento dell’obiettivo di servizio deve essere certificato attraverso la compilazione "
                       "della relazione di monitoraggio.", 4))
    return Form(items, footer=False)
