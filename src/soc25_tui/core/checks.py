"""Problems a person must fix: the cell's public name, a severity, an Italian sentence.

Besides errors and gaps, a few warnings for figures that can only be a slip of the keyboard
(more than one social worker per 100 inhabitants, more users of one kind than inhabitants,
more hours per user than 2024 had, a percentage of the population above 100): each names
the figures and says why, and never fires on the real forms (tests/core/test_checks.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from .layout import (
    CELL_BY_NAME,
    OFFICIAL_REQUIRED,
    Q1_STAFF_CELLS,
    Q3_INPUTS,
    Q3_STAFF_CODES,
    Q4_BLOCK_OF,
    R40_MAX_CHARS,
    USER_ROWS,
    Kind,
)
from .messages import KEPT_NOT_TO_FILL
from .numbers import format_money, format_number
from .rules import Outcome, evaluate
from .values import count_chars, expected, filled, invalid_reason, raw_shown
from .visible import visible

ERROR = "errore"
WARNING = "avviso"

# Plausibility (warnings, never errors): figures that can only be a slip of the keyboard.
SLIP = "probabilmente un errore di battitura"
PEOPLE_PER_SOCIAL_WORKER = 100  # more than one social worker per 100 inhabitants
HOURS_IN_2024 = 366 * 24  # 8.784: 2024 is a leap year; no one is assisted longer
# Social workers, in the Comune (Quadro 1) and additional ones (Quadro 3).
SOCIAL_WORKER_CELLS = ("R01_2020", "R01_2024", "R01A_2024", "R10_numero")


# Each row of users: its input cells, each said whether it counts users (not hours), and
# its cells of hours (None: a row without) and of 2024, named once here rather than for every
# draft checked.
_ROW_CELLS = tuple(
    (row, tuple((name, not name.endswith("_ore")) for name in row.input_cells),
     f"{row.code}_ore" if row.has_hours else None, f"{row.code}_2024")
    for row in USER_ROWS
)


class Problem(NamedTuple):
    severity: str  # ERROR or WARNING
    cell: str  # public cell name
    text: str  # Italian, without the cell name

    def __str__(self) -> str:
        return f"{self.cell}: {self.text}"


def is_sigla(provincia: str) -> bool:
    """A provincia's sigla: two letters (SO, MI)."""
    return len(provincia) == 2 and provincia.isalpha()


def new_draft_refusal(comune: str, provincia: str) -> str:
    """Why the header of a new draft is refused ("" when it is taken): the name of the Comune
    and the two letters of its provincia, as the TUI's new-draft form and the line mode ask
    them."""
    if not comune.strip():
        return "Indicare il nome del Comune."
    if not is_sigla(provincia.strip()):
        return "Provincia: attese due lettere, ad esempio SO."
    return ""


def check(draft: Any, outcome: Outcome | None = None) -> list[Problem]:
    """Every problem of a draft, in the form's order (errors and warnings mixed)."""
    o = outcome or evaluate(draft)
    out: list[Problem] = []
    err = lambda cell, text: out.append(Problem(ERROR, cell, text))  # noqa: E731
    warn = lambda cell, text: out.append(Problem(WARNING, cell, text))  # noqa: E731

    # Header.
    if not (draft.comune or "").strip():
        warn("comune", "manca il nome del Comune.")
    prov = (draft.provincia or "").strip()
    if not prov:
        warn("provincia", "manca la sigla della provincia (due lettere, ad esempio SO).")
    elif not is_sigla(prov):
        warn("provincia", f"«{visible(prov)}» non è una sigla di provincia: attese due lettere, ad esempio SO.")
    istat = (draft.istat or "").strip()
    if istat and not (len(istat) == 6 and istat.isdigit()):
        warn("istat", f"«{visible(istat)}» non è un codice ISTAT di Comune: attese sei cifre, ad esempio 014061.")

    # Values that could not be read at all.
    for name, raw in draft.invalid.items():
        why = f" ({reason})" if (reason := invalid_reason(name, raw)) else ""
        err(name, f"«{raw_shown(raw)}» non è un valore valido{why}: atteso {expected(name)}; correggere il valore.")

    # Quadro 1: users and hours.
    population = draft.R03 if isinstance(draft.R03, int) and draft.R03 > 0 else None
    get = draft.get
    for row, cells, cell_ore, cell_2024 in _ROW_CELLS:
        for name, users in cells:
            value = get(name)
            if value is None:
                if name not in draft.invalid:
                    err(name, "cella vuota: indicare il numero (0 se nessuno).")
            elif value < 0:
                err(name, f"il valore {value} è negativo: atteso un numero intero ≥ 0.")
            elif population and users and value > population:
                warn(
                    name,
                    f"{format_number(value)} utenti {row.kind.short} ({row.area.label.lower()}) "
                    f"per {format_number(population)} abitanti (R03): più utenti che abitanti, "
                    f"{SLIP}.",
                )
        if cell_ore is not None:
            ore, u24 = get(cell_ore), get(cell_2024)
            if ore and ore > 0 and not u24:
                err(
                    f"{row.code}_ore",
                    f"{format_number(ore)} ore di assistenza senza utenti serviti nel 2024 "
                    f"({row.code}_2024 è {'vuoto' if u24 is None else '0'}): indicare gli utenti "
                    "o azzerare le ore.",
                )
            elif ore and u24 and u24 > 0 and ore > HOURS_IN_2024 * u24:
                warn(
                    f"{row.code}_ore",
                    f"{format_number(ore)} ore di assistenza per {format_number(u24)} "
                    f"{'utente' if u24 == 1 else 'utenti'} ({row.code}_2024): in media "
                    f"{format_number(Decimal(ore) / u24, 2)} ore per utente, più delle "
                    f"{format_number(HOURS_IN_2024)} ore dell'anno 2024; {SLIP}.",
                )

    # Quadro 1: staff and population.
    for name in Q1_STAFF_CELLS:
        value = draft.get(name)
        if value is None and name not in draft.invalid:
            err(name, "cella vuota: indicare il numero, anche con decimali (0 se nessuno).")
        elif value is not None and value < 0:
            err(name, f"il valore {format_number(value, 2)} è negativo: atteso un numero ≥ 0.")
        elif slip := _too_many_social_workers(name, value, population):
            warn(name, slip)
    if draft.R03 is None and "R03" not in draft.invalid:
        err("R03", "manca il numero di abitanti (popolazione al 31/12/2023): atteso un numero intero > 0.")
    elif draft.R03 is not None and draft.R03 <= 0:
        err("R03", f"il numero di abitanti è {draft.R03}: atteso un numero intero > 0.")
    if draft.R0E is None and "R0E" not in draft.invalid:
        warn("R0E", "manca il dato dell'ATS (precompilato dal portale): il numero di abitanti per assistente sociale o NON CALCOLABILE.")
    elif isinstance(draft.R0E, int) and draft.R0E <= 0:
        err("R0E", f"il valore {draft.R0E} non è valido: atteso un numero intero > 0 o NON CALCOLABILE.")
    elif isinstance(draft.R0E, int) and draft.R0E < PEOPLE_PER_SOCIAL_WORKER:
        warn(
            "R0E",
            f"1 assistente sociale ogni {format_number(draft.R0E)} abitanti a livello di ATS: "
            f"più di uno ogni {PEOPLE_PER_SOCIAL_WORKER} abitanti, {SLIP}.",
        )

    # Official figures (pre-filled by the portal).
    for name in OFFICIAL_REQUIRED:
        value = draft.get(name)
        if value is None and name not in draft.invalid:
            why = ("senza di esso non si calcola R09 e non si può stabilire se compilare il Quadro 3"
                   if name == "R08" else "senza di esso il caso (A-D) non si può determinare")
            err(name, f"manca il dato ufficiale (precompilato dal portale): {why}.")
        elif value is not None and value < 0:
            err(name, f"il valore {format_money(value)} è negativo: atteso un importo ≥ 0.")
    if draft.R05 is not None and draft.R05 > 100:
        warn(
            "R05",
            f"livello di servizio di riferimento {format_number(draft.R05, 2)}%: più del 100% "
            f"della popolazione, {SLIP}.",
        )
    if draft.R07_2021 is not None and draft.R07_2021 < 0:
        err("R07_2021", f"il valore {format_money(draft.R07_2021)} è negativo: atteso un importo ≥ 0.")

    # Quadro 3.
    for name in Q3_INPUTS:
        value = draft.get(name)
        if CELL_BY_NAME[name].kind is Kind.DEC and value is not None and value < 0:
            err(name, f"il valore {format_number(value, 2)} è negativo: atteso un valore ≥ 0.")
        elif slip := _too_many_social_workers(name, value, population):
            warn(name, slip)
    for name in o.q3_leftovers:
        warn(
            name,
            "il Quadro 3 non va compilato per questo Comune, ma la cella contiene "
            f"«{_show(draft.get(name), name)}»: il valore è conservato; svuotare la cella o "
            "verificare i dati dei Quadri 1 e 2.",
        )
    if o.shortfall is not None:
        err(
            "R15",
            f"il totale degli obiettivi ({format_money(o.values['R15'])} euro) è inferiore alle "
            f"risorse da rendicontare R09 ({format_money(o.values['R09'])} euro): mancano "
            f"{format_money(o.shortfall)} euro.",
        )
    if o.quadro3_required:
        for code in Q3_STAFF_CODES:
            if filled(draft.get(f"{code}_spesa")) and not (draft.get(f"{code}_modalita") or "").strip():
                warn(f"{code}_modalita", "indicare la modalità di determinazione della spesa aggiuntiva.")

    # Quadro 4.
    if o.block is not None:
        for code in o.answers_elsewhere:
            warn(
                code,
                f"risposta «{draft.get(code)}» in un blocco che non si applica (caso "
                f"{Q4_BLOCK_OF[code].case}; il caso del Comune è {o.case}): {KEPT_NOT_TO_FILL}.",
            )
        for item in o.block.items:
            if draft.get(item.code) is None:
                warn(item.code, "voce senza risposta: indicare SI o NO.")
        for code in o.altro_unexplained:
            err(
                "R40",
                f"{code} «Altro» è SI: spiegarlo nella relazione in formato libero (R40), "
                "che ora è vuota.",
            )
    if "[Completare:" in (draft.R40 or ""):  # left by the proposal (soc25 r40, F8)
        warn("R40", "la relazione contiene ancora parti «[Completare: ...]» da scrivere.")
    n = count_chars(draft.R40)
    if n > R40_MAX_CHARS:
        err("R40", f"la relazione ha {format_number(n)} caratteri: al massimo {format_number(R40_MAX_CHARS)}.")
    return out


def _show(value: Any, name: str) -> str:
    if isinstance(value, str):
        return visible(value)
    return format_number(value, CELL_BY_NAME[name].places)


def _too_many_social_workers(name: str, value: Any, population: int | None) -> str:
    """The warning when a cell of social workers has more than one per 100 inhabitants
    ("" when it has not, or is no such cell): "125 assistenti sociali per 4.200 abitanti
    (R03): ... (0,125?)". A whole number is shown as such, and read as thousandths (the
    slip of a dot typed for the decimal comma) when that gives at least 0,010."""
    if (name not in SOCIAL_WORKER_CELLS or not population or value is None
            or value * PEOPLE_PER_SOCIAL_WORKER <= population):
        return ""
    whole = value == value.to_integral_value()
    shown = format_number(value, 0 if whole else 2)
    who = "assistente sociale" if value == 1 else "assistenti sociali"
    if name == "R10_numero":
        who += " aggiuntivo" if value == 1 else " aggiuntivi"
    guess = f" ({format_number(value / 1000, 3)}?)" if whole and value >= 10 else ""
    return (
        f"{shown} {who} per {format_number(population)} abitanti (R03): più di uno ogni "
        f"{PEOPLE_PER_SOCIAL_WORKER} abitanti, {SLIP}{guess}."
    )
