"""The SOC25 form's layout: the one source of truth for codes, labels and cells.

Screens, summary, importer, checks and the draft model all read these tables;
nothing else in the code base lists the 21 rows of users or the Quadro 4 items.

Records are NamedTuples rather than frozen dataclasses: they are as immutable and ~6x
cheaper to define, which counts for the start-up of `soc25 check`.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    """What a cell holds."""

    INT = "int"  # whole number (users, hours, population)
    DEC = "dec"  # exact decimal (money, full-time equivalents, percentages)
    TEXT = "text"
    SINO = "sino"  # "SI" / "NO" / unanswered
    ATS_RATIO = "ats_ratio"  # R0E: whole number, or NON_CALCOLABILE


class Area(NamedTuple):
    key: str
    label: str


class UserKind(NamedTuple):
    key: str
    label: str  # row label as printed, e.g. "Utenti famiglia e minori"
    short: str  # for narrow tables and prose, e.g. "famiglia e minori"


AREAS: tuple[Area, ...] = (
    Area("interventi", "Interventi e servizi"),
    Area("contributi", "Contributi economici"),
    Area("strutture", "Strutture"),
)

USER_KINDS: tuple[UserKind, ...] = (
    UserKind("famiglia", "Utenti famiglia e minori", "famiglia e minori"),
    UserKind("disabili", "Utenti disabili", "disabili"),
    UserKind("dipendenze", "Utenti con dipendenze e salute mentale", "dipendenze e salute mentale"),
    UserKind("anziani", "Utenti anziani", "anziani"),
    UserKind("immigrati", "Utenti immigrati e nomadi", "immigrati e nomadi"),
    UserKind("poverta", "Utenti povertà, disagio adulti e senza dimora", "povertà, disagio adulti e senza dimora"),
    UserKind("multiutenza", "Utenti Multiutenza", "multiutenza"),
)

_ROW_CODES = {
    "interventi": ("M12", "M15", "M18", "M21", "M24", "M27", "M30"),
    "contributi": ("M35", "M36", "M37", "M38", "M39", "M40", "M41"),
    "strutture": ("M44", "M47", "M50", "M53", "M56", "M59", "R0A"),
}


class UserRow(NamedTuple):
    code: str
    area: Area
    kind: UserKind

    @property
    def has_hours(self) -> bool:
        """Interventi and Strutture rows, except Multiutenza, also report hours."""
        return self.area.key != "contributi" and self.kind.key != "multiutenza"

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def input_cells(self) -> tuple[str, ...]:
        base = (f"{self.code}_2019", f"{self.code}_2024")
        return base + ((f"{self.code}_ore",) if self.has_hours else ())


USER_ROWS: tuple[UserRow, ...] = tuple(
    UserRow(code, area, kind)
    for area in AREAS
    for code, kind in zip(_ROW_CODES[area.key], USER_KINDS, strict=True)
)
USER_ROW_BY_CODE = {row.code: row for row in USER_ROWS}

COL_2019 = "Numero di utenti serviti - 2019"
COL_2024 = "Numero di utenti serviti - 2024"
COL_ORE = "Totale annuo ore di assistenza - 2024"
COL_MEDIA = "Media annua ore di assistenza - 2024"


class Cell(NamedTuple):
    """One cell of the form, by its public name."""

    name: str
    code: str  # the form's code (M12, R07, ...)
    quadro: int  # 0 for the header
    kind: Kind
    label: str  # Italian description, without the code
    derived: bool = False
    places: int = 0  # decimals shown (and accepted, for DEC input cells)
    column: str = ""  # the column/year the cell belongs to, e.g. "2019"

    @property
    def title(self) -> str:
        """Code and label, as the form prints them: "R06 - Fabbisogno ..."."""
        col = f" - {self.column}" if self.column else ""
        return f"{self.code} - {self.label}{col}"


# --- Labels of the rows other than users -----------------------------------------------

LABELS: dict[str, str] = {
    "R0B": "TOTALE UTENTI",
    "R0C": "Denominazione ATS (fonte: Ministero del Lavoro)",
    "R0D": "Ente/Comune capofila dell'ATS (fonte: Ministero del Lavoro)",
    "R0E": (
        "Numero di assistenti sociali in rapporto alla popolazione a livello di ATS "
        "(fonte: Stima sulla base delle relazioni di rendicontazione del sociale anno 2023)"
    ),
    "R01": (
        "Numero di assistenti sociali in forza al Comune (con qualsiasi forma contrattuale, "
        "anche mediante esternalizzazione)"
    ),
    "R01A": (
        "Numero di assistenti sociali forniti dalla forma associata o dall'ambito "
        "territoriale sociale (ATS)"
    ),
    "R01B": (
        "Numero di assistenti sociali in rapporto alla popolazione a livello di Comune "
        "[1:R03/(R01+R01A)]"
    ),
    "R02": "Numero di altre figure professionali (educatori, ecc.)",
    "R03": "Numero di abitanti - Popolazione residente al 31/12/2023 (Fonte Istat)",
    "R04": "Livello di servizio effettivo 2024 (% di utenti serviti rispetto alla popolazione)",
    "R05": (
        "Livello di servizio di riferimento 2024 (% di utenti figurativi standard rispetto "
        "alla popolazione)"
    ),
    "R06": "Fabbisogno standard monetario sociale 2022-2024",
    "R07": "Spesa storica di riferimento",
    "R08": "Risorse aggiuntive effettive del sociale assegnate per il 2024",
    "R09": "Risorse aggiuntive effettive del sociale assegnate per il 2024 da rendicontare",
    "R10": "Assistenti sociali aggiuntivi (per raggiungimento soglia 1:6500 ab.)",
    "R11": "Altre figure professionali (educatori, ecc.) aggiuntive",
    "R12": "Interventi per un significativo miglioramento dei servizi sociali",
    "R13": "Interventi per un aumento del numero degli utenti serviti",
    "R14": (
        "Risorse aggiuntive trasferite all'Ambito territoriale sociale o ad altra forma "
        "associativa"
    ),
    "R15": "TOTALE OBIETTIVI DI SERVIZIO 2024",
    "R40": "Relazione in formato libero (massimo 6.000 caratteri)",
}

R40_MAX_CHARS = 6000
NON_CALCOLABILE = "NON CALCOLABILE"  # R0E when the ATS ratio cannot be estimated

# Sub-headings of the printed form.
SECTION_ATS = "Informazioni relative all'Ambito Territoriale Sociale (ATS) cui appartiene il Comune"
SECTION_COMUNE = "Informazioni relative al Comune"
Q3_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OBIETTIVI DI SERVIZIO QUALITATIVI 2024", ("R10", "R11", "R12")),
    ("OBIETTIVI DI SERVIZIO QUANTITATIVI 2024", ("R13", "R14")),
)
# Quadro 3 objectives with a number of people and a free-text "modalità" besides the spending.
Q3_STAFF_CODES: tuple[str, ...] = ("R10", "R11")


def q3_row(code: str) -> tuple[str | None, str | None, str]:
    """The (numero, modalità, spesa) cells of a Quadro 3 objective row (R10 ... R14)."""
    if code in Q3_STAFF_CODES:
        return f"{code}_numero", f"{code}_modalita", f"{code}_spesa"
    return None, None, code


# Short labels for 80-column screens (the full ones are in LABELS).
SHORT_LABELS: dict[str, str] = {
    "R0C": "Denominazione ATS",
    "R0D": "Ente/Comune capofila",
    "R0E": "Assistenti sociali/abitanti ATS",
    "R01": "Assistenti sociali Comune",
    "R01A": "Assistenti sociali da ATS/forma ass.",
    "R01B": "1 assistente ogni N ab.",
    "R02": "Altre figure professionali",
    "R03": "Abitanti al 31/12/2023",
    "R04": "Livello servizio effettivo",
    "R05": "Livello di servizio di riferimento",
}

# --- Quadro 4 -------------------------------------------------------------------------


class Q4Item(NamedTuple):
    code: str
    label: str
    subheading: str = ""  # printed before this item
    altro: bool = False  # "Altro (specificare ...)": needs R40


class Q4Block(NamedTuple):
    case: str  # "A".."D"
    condition: str  # verbatim "Compilare solo se ..."
    intro: str  # verbatim "Il livello di spesa ... a causa di:"
    items: tuple[Q4Item, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def span(self) -> str:
        """The block's items as the form names them: "R16-R22"."""
        return f"{self.items[0].code}-{self.items[-1].code}"


_ALTRO = "Altro (specificare nel campo della relazione in formato libero)"

Q4_BLOCKS: tuple[Q4Block, ...] = (
    Q4Block(
        "A",
        "Compilare solo se il Comune ha la Spesa storica 2017 (o 2021) calcolata con il "
        "questionario dei fabbisogni standard (R07) non inferiore al Fabbisogno standard "
        "monetario sociale 2022-2024 (R06) e livello di servizi più elevato di quello di "
        "riferimento (R04>=R05)",
        "Il livello di spesa dell'ente locale è risultato non inferiore al livello del "
        "fabbisogno per la funzione del sociale e il livello dei servizi convenzionalmente "
        "calcolato risulta superiore a quello di riferimento a causa di:",
        (
            Q4Item(
                "R16",
                "Scelta dell'amministrazione, dovuta ad una particolare configurazione delle "
                "preferenze locali, di destinare maggiori risorse ai servizi sociali",
            ),
            Q4Item(
                "R17",
                "Personale maggiormente qualificato",
                subheading="Scelta dell'amministrazione di investire maggiori risorse per "
                "fornire i servizi sociali di maggiore qualità, quali:",
            ),
            Q4Item(
                "R18",
                "Numero assistenti sociali e altre figure professionali in termini pro capite "
                "più alto",
            ),
            Q4Item(
                "R19",
                "Presenza e mantenimento delle strutture sociali di proprietà comunale "
                "destinati ai servizi sociali",
            ),
            Q4Item("R20", "Digitalizzazione dei servizi sociali"),
            Q4Item(
                "R21",
                "Sviluppo della rete territoriale integrata con l'ambito sociale di "
                "riferimento, comuni vicini, volontariato e terzo settore",
            ),
            Q4Item("R22", _ALTRO, altro=True),
        ),
    ),
    Q4Block(
        "B",
        "Compilare solo se il Comune ha la Spesa storica 2017 (o 2021) calcolata con il "
        "questionario dei fabbisogni standard (R07) non inferiore al fabbisogno standard "
        "monetario sociale 2022-2024 (R06) e livello di servizi inferiore a quello di "
        "riferimento (R04<R05)",
        "Il livello di spesa dell'ente locale è alto, nonostante ciò, il livello di servizi "
        "convenzionalmente calcolato è inferiore a quello di riferimento a causa di:",
        (
            Q4Item(
                "R23",
                "Una rilevante parte delle risorse per la funzione è assorbita da poche "
                "prestazioni sociali particolarmente costose",
            ),
            Q4Item(
                "R24",
                "Diseconomie di scala nell'erogazione dei servizi",
                subheading="Servizi sociali erogati dall'ente più costosi, quali:",
            ),
            Q4Item(
                "R25",
                "Mancanza del servizio integrato con l'ambito sociale di riferimento, assenza "
                "di accreditamenti con strutture private",
            ),
            Q4Item("R26", "Difficoltà gestionali"),
            Q4Item(
                "R27",
                "Mancanza di investimenti adeguati (per digitalizzazione banche dati, "
                "strutture sociali comunali, rete integrata di servizi sociali)",
            ),
            Q4Item("R28", _ALTRO, altro=True),
        ),
    ),
    Q4Block(
        "C",
        "Compilare solo se il Comune ha la Spesa storica 2017 (o 2021) calcolata con il "
        "questionario dei fabbisogni standard (R07) inferiore al fabbisogno standard "
        "monetario sociale 2022-2024 (R06) e livello di servizi più elevato di quello di "
        "riferimento (R04≥R05)",
        "Il livello di spesa dell'ente locale è inferiore al fabbisogno e il livello di "
        "servizi convenzionalmente calcolato è non inferiore a quello di riferimento a causa "
        "di:",
        (
            Q4Item(
                "R29",
                "Presenza sul territorio di reti di volontariato/servizi del terzo settore ben "
                "sviluppate che forniscono prestazioni che sono integrative rispetto a quelle "
                "del servizio sociale del comune",
            ),
            Q4Item(
                "R30",
                "Gli utenti del comune godono dei servizi erogati interamente/ parzialmente "
                "attraverso l'ambito sociale di riferimento",
            ),
            Q4Item("R31", "Risorse assorbite da utenti/prestazioni relativamente meno costosi"),
            Q4Item(
                "R32",
                "La presenza di accreditamenti presso le strutture consente una gestione più "
                "efficiente del servizio",
            ),
            Q4Item("R33", _ALTRO, altro=True),
        ),
    ),
    Q4Block(
        "D",
        "Compilare solo se il Comune ha la Spesa storica 2017 (o 2021) calcolata con il "
        "questionario dei fabbisogni standard (R07) inferiore al Fabbisogno standard "
        "monetario sociale 2022-2024 (R06) e livello di servizi inferiore a quello di "
        "riferimento (R04<R05)",
        "Il livello di spesa dell'ente locale è inferiore al fabbisogno e il livello di "
        "servizi convenzionalmente calcolato è inferiore a quello di riferimento a causa di:",
        (
            Q4Item(
                "R34",
                "Scelta dell'amministrazione, dovuta ad una particolare configurazione delle "
                "preferenze locali, di destinare le risorse ad altre funzioni",
            ),
            Q4Item(
                "R35",
                "Presenza sul territorio di reti di volontariato/dei servizi del terzo settore "
                "ben sviluppate che forniscono prestazioni simili sostitutive",
            ),
            Q4Item(
                "R36",
                "Difficoltà ad avviare il servizio sociale adeguato a causa della mancanza di "
                "personale specializzato quale Assistenti sociali",
            ),
            Q4Item(
                "R37",
                "Difficoltà ad avviare il servizio sociale adeguato a causa della mancanza di "
                "personale specializzato quale Altro personale qualificato",
            ),
            Q4Item(
                "R38",
                "Mancanza/carenza del sistema sociale integrato attraverso l'ambito sociale; "
                "mancanza/carenza di accreditamenti presso le strutture private che erogano "
                "servizi sociali",
            ),
            Q4Item("R39", _ALTRO, altro=True),
        ),
    ),
)
Q4_BLOCK_BY_CASE = {block.case: block for block in Q4_BLOCKS}
Q4_ITEMS: tuple[Q4Item, ...] = tuple(item for block in Q4_BLOCKS for item in block.items)
Q4_ITEM_BY_CODE = {item.code: item for item in Q4_ITEMS}
Q4_BLOCK_OF: dict[str, Q4Block] = {item.code: block for block in Q4_BLOCKS for item in block.items}

CASE_WORDS = {
    "A": "spesa non inferiore al fabbisogno, servizi non inferiori al riferimento",
    "B": "spesa non inferiore al fabbisogno, servizi inferiori al riferimento",
    "C": "spesa inferiore al fabbisogno, servizi non inferiori al riferimento",
    "D": "spesa inferiore al fabbisogno, servizi inferiori al riferimento",
}

# The case in a few words, for the status line (80 columns).
CASE_SHORT = {
    "A": "spesa e servizi non inferiori",
    "B": "servizi inferiori al riferimento",
    "C": "spesa inferiore al fabbisogno",
    "D": "spesa e servizi inferiori",
}

QUADRO_TITLES = {
    0: "Intestazione",
    1: "Quadro 1 - Autodiagnosi del numero di utenti serviti",
    2: "Quadro 2 - Autodiagnosi della spesa per il sociale",
    3: "Quadro 3 - Obiettivi di servizio 2024",
    4: "Quadro 4 - Relazione in formato strutturato",
}

# --- Every cell, in the printed order ----------------------------------------------------


def _build_cells() -> tuple[Cell, ...]:
    cells: list[Cell] = [
        Cell("comune", "Comune", 0, Kind.TEXT, "Nome del Comune"),
        Cell("provincia", "Provincia", 0, Kind.TEXT, "Sigla della provincia (due lettere)"),
        Cell("istat", "ISTAT", 0, Kind.TEXT, "Codice ISTAT del Comune (facoltativo)"),
    ]
    for row in USER_ROWS:
        desc = f"{row.label} ({row.area.label})"
        cells.append(Cell(f"{row.code}_2019", row.code, 1, Kind.INT, desc, column=COL_2019))
        cells.append(Cell(f"{row.code}_2024", row.code, 1, Kind.INT, desc, column=COL_2024))
        if row.has_hours:
            cells.append(Cell(f"{row.code}_ore", row.code, 1, Kind.INT, desc, column=COL_ORE))
            cells.append(
                Cell(f"{row.code}_media", row.code, 1, Kind.DEC, desc, True, 2, COL_MEDIA)
            )
    L = LABELS
    cells += [
        Cell("R0B_2019", "R0B", 1, Kind.INT, L["R0B"], True, column=COL_2019),
        Cell("R0B_2024", "R0B", 1, Kind.INT, L["R0B"], True, column=COL_2024),
        Cell("R0C", "R0C", 1, Kind.TEXT, L["R0C"]),
        Cell("R0D", "R0D", 1, Kind.TEXT, L["R0D"]),
        Cell("R0E", "R0E", 1, Kind.ATS_RATIO, L["R0E"]),
        Cell("R01_2020", "R01", 1, Kind.DEC, L["R01"], places=2, column="2020"),
        Cell("R01_2024", "R01", 1, Kind.DEC, L["R01"], places=2, column="2024"),
        Cell("R01A_2024", "R01A", 1, Kind.DEC, L["R01A"], places=2, column="2024"),
        Cell("R01B", "R01B", 1, Kind.INT, L["R01B"], derived=True),
        Cell("R02_2020", "R02", 1, Kind.DEC, L["R02"], places=2, column="2020"),
        Cell("R02_2024", "R02", 1, Kind.DEC, L["R02"], places=2, column="2024"),
        Cell("R03", "R03", 1, Kind.INT, L["R03"]),
        Cell("R04", "R04", 1, Kind.DEC, L["R04"], derived=True, places=2),
        Cell("R05", "R05", 1, Kind.DEC, L["R05"], places=2),
        Cell("R06", "R06", 2, Kind.DEC, L["R06"], places=2),
        Cell("R07_2017", "R07", 2, Kind.DEC, L["R07"], places=2, column="2017"),
        Cell("R07_2021", "R07", 2, Kind.DEC, L["R07"], places=2, column="2021"),
        Cell("R08", "R08", 2, Kind.DEC, L["R08"], places=2),
        Cell("R09", "R09", 3, Kind.DEC, L["R09"], derived=True, places=2),
    ]
    for code in Q3_STAFF_CODES:
        cells += [
            Cell(f"{code}_numero", code, 3, Kind.DEC, L[code], places=2, column="Numero"),
            Cell(
                f"{code}_modalita",
                code,
                3,
                Kind.TEXT,
                L[code],
                column="Modalità di determinazione della spesa aggiuntiva",
            ),
            Cell(f"{code}_spesa", code, 3, Kind.DEC, L[code], places=2, column="Spesa aggiuntiva"),
        ]
    for code in ("R12", "R13", "R14"):
        cells.append(Cell(code, code, 3, Kind.DEC, L[code], places=2, column="Spesa aggiuntiva"))
    cells.append(Cell("R15", "R15", 3, Kind.DEC, L["R15"], True, 2, "Spesa aggiuntiva"))
    for item in Q4_ITEMS:
        cells.append(Cell(item.code, item.code, 4, Kind.SINO, item.label))
    cells.append(Cell("R40", "R40", 4, Kind.TEXT, L["R40"]))
    return tuple(cells)


CELLS: tuple[Cell, ...] = _build_cells()
CELL_BY_NAME: dict[str, Cell] = {cell.name: cell for cell in CELLS}
INPUT_CELLS: tuple[Cell, ...] = tuple(c for c in CELLS if not c.derived)

# Quadro 3 inputs: must be empty or zero when Quadro 3 does not apply.
Q3_INPUTS: tuple[str, ...] = tuple(c.name for c in INPUT_CELLS if c.quadro == 3)
# Spending columns of Quadro 3 summed into R15.
Q3_SPESA: tuple[str, ...] = ("R10_spesa", "R11_spesa", "R12", "R13", "R14")

# Staff figures of Quadro 1 (full-time equivalents): the form wants 0, not a blank.
Q1_STAFF_CELLS: tuple[str, ...] = tuple(c.name for c in INPUT_CELLS if c.code in ("R01", "R01A", "R02"))

# Official figures the portal pre-fills: a draft without them cannot be assessed.
OFFICIAL_REQUIRED: tuple[str, ...] = ("R05", "R06", "R07_2017", "R08")

# TOML sections, by quadro.
SECTION_BY_QUADRO = {0: "intestazione", 1: "quadro1", 2: "quadro2", 3: "quadro3", 4: "quadro4"}


def cell_heading(name: str) -> str:
    """How the edit line and the notes name a cell: «R07_2021 · 2021 · R07 - Spesa …», the
    column (the year) before the long label, so that a line cut at 80 columns keeps it."""
    cell = CELL_BY_NAME[name]
    if cell.column:
        return f"{name} · {cell.column} · {cell.code} - {cell.label}"
    return f"{name} · {cell.title}"


def resolve_cell_name(text: str) -> str | None:
    """Map what a person types ("r07 2021", "M12-ore", "r40") to a public cell name."""
    key = text.strip().replace(" ", "_").replace("-", "_")
    for cell in CELLS:
        if cell.name.lower() == key.lower():
            return cell.name
    # A bare row code goes to its first cell ("M12" -> "M12_2019", "R07" -> "R07_2017").
    for cell in CELLS:
        if cell.code.lower() == key.lower():
            return cell.name
    # The start of one name only ("prov" -> "provincia", "M12_o" -> "M12_ore").
    starting = [cell.name for cell in CELLS if key and cell.name.lower().startswith(key.lower())]
    return starting[0] if len(starting) == 1 else None
