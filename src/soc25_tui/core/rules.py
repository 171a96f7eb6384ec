"""Derived values, the case (A/B/C/D) and every fact that follows from it: pure functions of
a draft, with no wording (the catalog, `messages`, words these facts; `checks` reports them).

Every fact about a rule is computed here once: the thresholds and ratio constants, the
reference spending, the case, whether Quadro 3 applies and why, the block of Quadro 4 that
applies, answers left in the other blocks, values left in a Quadro 3 that does not apply,
R15 against R09, the «Altro» items that R40 must explain.

Comparisons use unrounded figures; rounding happens only where the portal prints a value
(averages and R04 to 2 decimals, R01B to a whole number).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, NamedTuple

from .layout import Q3_INPUTS, Q3_SPESA, Q4_BLOCK_BY_CASE, Q4_ITEMS, USER_ROWS, Q4Block
from .values import filled

ZERO = Decimal(0)
CENT = Decimal("0.01")
Q3_THRESHOLD = Decimal(1000)  # Quadro 3 is filled in when R09 reaches 1.000 euro
LEP_RATIO = 5000  # the LEP: one social worker every 5.000 inhabitants (L.178/2020)
OBJECTIVE_RATIO = 4000  # the more advanced service objective: one every 4.000
LEP_6500 = 6500  # Legge di bilancio 2022: the objective of one every 6.500

# Why Quadro 3 applies or not (Outcome.quadro3_reason); the catalog words each one.
Q3_REQUIRED = "richiesto"  # cases C/D, R09 >= 1.000 euro
Q3_SPENDING = "spesa"  # cases A/B: spending not below need
Q3_BELOW_THRESHOLD = "soglia"  # cases C/D, R09 < 1.000 euro
Q3_NO_R08 = "r08"  # cases C/D, R08 missing: R09 cannot be computed
Q3_NO_CASE = "caso"  # the case cannot be told yet


class Outcome(NamedTuple):
    """Everything the rules derive from a draft."""

    values: dict[str, Any]  # derived cells by public name (R0B_2019, M12_media, R04, ...)
    r04_exact: Decimal | None
    staff_total: Decimal | None  # R01_2024 + R01A_2024
    inhabitants_per_worker: Decimal | None  # R03 / staff, unrounded (R01B is it rounded)
    below_6500: bool  # social workers nullo, or fewer than 1 per 6.500 inhabitants
    reference_spending: Decimal | None  # spesa storica 2017 (o 2021)
    reference_year: str | None  # "2017" or "2021": the year of that figure
    below_need: bool | None
    need_gap: Decimal | None  # R06 - reference spending (what spending falls short of need)
    service_ok: bool | None  # R04 >= R05
    case: str | None
    quadro3_reason: str  # Q3_REQUIRED, Q3_SPENDING, Q3_BELOW_THRESHOLD, Q3_NO_R08, Q3_NO_CASE
    block: Q4Block | None
    q3_filled: tuple[str, ...]  # Quadro 3 inputs holding a value (not empty, not zero)
    answers_elsewhere: tuple[str, ...]  # Quadro 4 items answered outside the block (all, with no block)
    shortfall: Decimal | None  # R09 - R15 when Quadro 3 applies and R15 does not cover R09
    altro_unexplained: tuple[str, ...]  # the block's «Altro» items answered SI while R40 is blank

    @property
    def quadro3_required(self) -> bool:
        return self.quadro3_reason == Q3_REQUIRED

    @property
    def quadro3_known(self) -> bool:
        """False while the case, or R09 in cases C/D, cannot be computed."""
        return self.quadro3_reason not in (Q3_NO_CASE, Q3_NO_R08)

    @property
    def quadro3(self) -> bool | None:
        """Whether Quadro 3 applies; None while it cannot be told (check --json's
        "quadro3_required", the table's Q3, the export's column, the comparison)."""
        return self.quadro3_required if self.quadro3_known else None

    @property
    def q3_leftovers(self) -> tuple[str, ...]:
        """Quadro 3 values kept although it is known not to apply."""
        return self.q3_filled if self.quadro3_known and not self.quadro3_required else ()


def reference_spending(r07_2017: Decimal | None, r07_2021: Decimal | None) -> Decimal | None:
    """The greater of R07 2017 and R07 2021 (2017 alone when 2021 is missing)."""
    if r07_2017 is None:
        return r07_2021
    if r07_2021 is None:
        return r07_2017
    return max(r07_2017, r07_2021)


def _round_int(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def case_of(below_need: bool | None, service_ok: bool | None) -> str | None:
    if below_need is None or service_ok is None:
        return None
    return {(False, True): "A", (False, False): "B", (True, True): "C", (True, False): "D"}[
        (below_need, service_ok)
    ]


def evaluate(draft: Any) -> Outcome:
    with localcontext() as ctx:
        ctx.prec = 40
        return _evaluate(draft)


def _quadro3_reason(case: str | None, r09: Decimal | None) -> str:
    if case is None:
        return Q3_NO_CASE
    if case in ("A", "B"):
        return Q3_SPENDING
    if r09 is None:
        return Q3_NO_R08
    return Q3_REQUIRED if r09 >= Q3_THRESHOLD else Q3_BELOW_THRESHOLD


# Each row of users: its cells of 2019 and 2024, of the hours and of the average (None for a
# row without hours), named once here rather than for every draft evaluated.
_ROW_CELLS = tuple(
    (f"{row.code}_2019", f"{row.code}_2024", *((f"{row.code}_ore", f"{row.code}_media") if row.has_hours else (None, None)))
    for row in USER_ROWS
)


def _evaluate(d: Any) -> Outcome:
    values: dict[str, Any] = {}
    tot19 = tot24 = 0
    get = d.get
    for cell_2019, cell_2024, cell_ore, cell_media in _ROW_CELLS:
        u19, u24 = get(cell_2019), get(cell_2024)
        tot19 += u19 or 0
        tot24 += u24 or 0
        if cell_ore is not None:
            ore = get(cell_ore)
            if ore is None:
                media = None
            elif not u24:
                media = Decimal("0.00")
            else:
                media = (Decimal(ore) / Decimal(u24)).quantize(CENT, rounding=ROUND_HALF_UP)
            values[cell_media] = media
    values["R0B_2019"], values["R0B_2024"] = tot19, tot24

    # Social workers.
    # Both R01 2024 and R01A are needed: an empty one is unknown, not zero.
    staff = None
    if d.R01_2024 is not None and d.R01A_2024 is not None:
        staff = d.R01_2024 + d.R01A_2024
    r03 = d.R03
    per_worker = None
    if staff is None or r03 is None or r03 <= 0:
        r01b = None
    elif staff == 0:
        r01b = 0
    else:
        per_worker = Decimal(r03) / staff
        r01b = _round_int(per_worker)
    values["R01B"] = r01b
    below_6500 = staff is not None and (staff <= 0 or (r01b is not None and r01b > LEP_6500))

    # Service level.
    r04 = None if r03 is None or r03 <= 0 else Decimal(tot24) / Decimal(r03) * 100
    values["R04"] = r04
    service_ok = None if r04 is None or d.R05 is None else r04 >= d.R05

    # Spending and the case.
    ref = reference_spending(d.R07_2017, d.R07_2021)
    year = None
    if ref is not None:
        year = "2021" if d.R07_2017 is None or (d.R07_2021 is not None and d.R07_2021 > d.R07_2017) else "2017"
    below = None if ref is None or d.R06 is None else ref < d.R06
    gap = None if below is None else d.R06 - ref
    case = case_of(below, service_ok)

    if case in ("C", "D"):
        r09 = None if d.R08 is None else min(d.R08, gap)
    elif case in ("A", "B"):
        r09 = Decimal("0.00")
    else:
        r09 = None
    values["R09"] = r09
    r15 = values["R15"] = sum((d.get(name) or ZERO for name in Q3_SPESA), ZERO)

    # Quadro 3: whether it applies, and why; values kept where it does not.
    reason = _quadro3_reason(case, r09)

    # Quadro 4: the block of the case, answers given elsewhere, «Altro» to explain in R40.
    block = Q4_BLOCK_BY_CASE.get(case) if case else None
    active = block.codes if block else ()
    elsewhere = tuple(item.code for item in Q4_ITEMS if item.code not in active and d.get(item.code) is not None)
    r40_blank = not (d.R40 or "").strip()
    altro = tuple(
        item.code for item in (block.items if block else ())
        if item.altro and d.get(item.code) == "SI" and r40_blank
    )

    return Outcome(
        values=values,
        r04_exact=r04,
        staff_total=staff,
        inhabitants_per_worker=per_worker,
        below_6500=below_6500,
        reference_spending=ref,
        reference_year=year,
        below_need=below,
        need_gap=gap,
        service_ok=service_ok,
        case=case,
        quadro3_reason=reason,
        block=block,
        q3_filled=tuple(name for name in Q3_INPUTS if filled(d.get(name))),
        answers_elsewhere=elsewhere,
        shortfall=r09 - r15 if reason == Q3_REQUIRED and r15 < r09 else None,
        altro_unexplained=altro,
    )
