"""Drafts built for tests: a complete, error-free case-A draft, changed cell by cell."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from soc25_tui.layout import Q4_BLOCK_BY_CASE, USER_ROWS
from soc25_tui.model import Draft


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
