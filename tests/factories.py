"""Drafts built for tests: a complete, error-free case-A draft, changed cell by cell; the
shipped examples; a draft with every field at its largest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soc25_tui.core.drafts import load
from soc25_tui.core.layout import Q4_BLOCK_BY_CASE, Q4_ITEMS, USER_ROWS
from soc25_tui.core.model import Draft

from .conftest import EXAMPLES


def base_cells() -> dict[str, Any]:
    cells: dict[str, Any] = {"comune": "PROVA", "provincia": "MI"}
    for row in USER_ROWS:
        for name in row.input_cells:
            cells[name] = 0
    cells.update(M12_2019=10, M12_2024=100, M12_ore=500)
    cells.update(
        R0C="AMBITO PROVA", R0D="CAPOFILA", R0E=4000,
        R01_2020=Decimal("1"), R01_2024=Decimal("1"), R01A_2024=Decimal("0"),
        R02_2020=Decimal("0"), R02_2024=Decimal("0"), R03=1000, R05=Decimal("5.00"),
        R06=Decimal("100000.00"), R07_2017=Decimal("120000.00"), R07_2021=None,
        R08=Decimal("30000.00"),
    )
    for item in Q4_BLOCK_BY_CASE["A"].items:
        cells[item.code] = "NO"
    return cells


def make(**changes: Any) -> Any:
    """Base case-A draft (R04 10% vs R05 5%; spending 120.000 vs need 100.000)."""
    cells = base_cells()
    cells.update(changes)
    return Draft(**cells)


def answer_block(case: str, value: str = "NO") -> dict[str, Any]:
    """Answers for one block, and none for the others."""
    out: dict[str, Any] = {}
    for c, block in Q4_BLOCK_BY_CASE.items():
        for item in block.items:
            out[item.code] = value if c == case else None
    return out


# Ready-made changes that put the base draft in each case (Quadro 3 required for C/D).
TO_CASE = {
    "A": {},
    "B": dict(R05=Decimal("20.00")),
    "C": dict(R07_2017=Decimal("50000.00")),
    "D": dict(R07_2017=Decimal("50000.00"), R05=Decimal("20.00")),
}


def make_case(case: str, **changes: Any) -> Any:
    cells = dict(TO_CASE[case])
    cells.update(answer_block(case))
    cells.update(changes)
    return make(**cells)


def example(name: str):
    return load(EXAMPLES / f"{name}.toml")


def case_c():
    """Tortona's figures with a lower reference level: spending below need, service ok."""
    draft = example("tortona")
    draft.set("R05", Decimal("1.00"))
    return draft


DRAFTS = {
    "A": lambda: example("sondrio"),
    "B": lambda: example("lomellina"),
    "C": case_c,
    "D": lambda: example("tortona"),
}

BIG_INT = 10**12 - 1
BIG_MONEY = Decimal("999999999999.99")
# As long as a text other than R40 may be (limits.TEXT_MAX_CHARS, 6.000): 72 sentences, 5.975 characters.
LONG_TEXT = ("Modalità di calcolo molto dettagliata, con riferimento al contratto collettivo. " * 72).strip()


def largest(case: str, *, shortfall: bool = False):
    """Every field at its largest, every Quadro 4 item SI, long texts; arranged to give `case`."""
    fields: dict = {"comune": "X" * 200, "provincia": "ZZ", "istat": "9" * 20}
    for row in USER_ROWS:
        fields[f"{row.code}_2019"] = 0 if row.kind.key == "famiglia" else BIG_INT // 3
        fields[f"{row.code}_2024"] = BIG_INT
        if row.has_hours:
            fields[f"{row.code}_ore"] = BIG_INT
    fields.update(
        R0C=LONG_TEXT, R0D=LONG_TEXT, R0E=BIG_INT,
        R01_2020=Decimal("1.00"), R01_2024=Decimal("0.01"), R01A_2024=Decimal("0.00"),
        R02_2020=Decimal("99999999.99"), R02_2024=Decimal("0.50"),
        R03=BIG_INT,
    )
    service_ok = case in ("A", "C")
    fields["R05"] = Decimal("0.01") if service_ok else BIG_MONEY
    if case in ("A", "B"):
        fields.update(R06=Decimal("1.00"), R07_2017=BIG_MONEY, R07_2021=BIG_MONEY, R08=BIG_MONEY)
    else:
        fields.update(R06=BIG_MONEY, R07_2017=Decimal("1.00"), R07_2021=Decimal("2.00"), R08=BIG_MONEY)
    for code in ("R10", "R11"):
        fields[f"{code}_numero"] = Decimal("99999999.99")
        fields[f"{code}_modalita"] = LONG_TEXT
    spesa = Decimal("1.00") if shortfall else BIG_MONEY
    fields.update(R10_spesa=spesa, R11_spesa=spesa, R12=spesa, R13=spesa, R14=spesa)
    for item in Q4_ITEMS:
        fields[item.code] = "SI"
    return Draft(**fields)
