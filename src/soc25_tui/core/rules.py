"""Derived values, the case (A/B/C/D) and what follows from it: pure functions of a draft.

Comparisons use unrounded figures; rounding happens only where the portal prints a value
(averages and R04 to 2 decimals, R01B to a whole number).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, NamedTuple

from . import messages
from .layout import Q3_SPESA, Q4_BLOCK_BY_CASE, USER_ROWS, Q4Block

ZERO = Decimal(0)
CENT = Decimal("0.01")
Q3_THRESHOLD = Decimal(1000)
LEP_6500 = 6500


class Outcome(NamedTuple):
    """Everything the rules derive from a draft."""

    values: dict[str, Any]  # derived cells by public name (R0B_2019, M12_media, R04, ...)
    r04_exact: Decimal | None
    staff_total: Decimal | None  # R01_2024 + R01A_2024
    below_6500: bool  # social workers nullo, or fewer than 1 per 6.500 inhabitants
    reference_spending: Decimal | None  # spesa storica 2017 (o 2021)
    below_need: bool | None
    service_ok: bool | None  # R04 >= R05
    case: str | None
    quadro3_required: bool
    quadro3_known: bool  # False when the case, or R09 in cases C/D, cannot be computed yet
    block: Q4Block | None
    messages: list[messages.Message]  # guidance messages, in the portal's order


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


def _evaluate(d: Any) -> Outcome:
    values: dict[str, Any] = {}
    tot19 = tot24 = 0
    for row in USER_ROWS:
        u19, u24 = d.get(f"{row.code}_2019"), d.get(f"{row.code}_2024")
        tot19 += u19 or 0
        tot24 += u24 or 0
        if row.has_hours:
            ore = d.get(f"{row.code}_ore")
            if ore is None:
                media = None
            elif not u24:
                media = Decimal("0.00")
            else:
                media = (Decimal(ore) / Decimal(u24)).quantize(CENT, rounding=ROUND_HALF_UP)
            values[f"{row.code}_media"] = media
    values["R0B_2019"], values["R0B_2024"] = tot19, tot24

    # Social workers.
    # Both R01 2024 and R01A are needed: an empty one is unknown, not zero.
    staff = None
    if d.R01_2024 is not None and d.R01A_2024 is not None:
        staff = d.R01_2024 + d.R01A_2024
    r03 = d.R03
    if staff is None or r03 is None or r03 <= 0:
        r01b = None
    elif staff == 0:
        r01b = 0
    else:
        r01b = _round_int(Decimal(r03) / staff)
    values["R01B"] = r01b
    below_6500 = staff is not None and (staff <= 0 or (r01b is not None and r01b > LEP_6500))

    # Service level.
    r04 = None if r03 is None or r03 <= 0 else Decimal(tot24) / Decimal(r03) * 100
    values["R04"] = r04
    service_ok = None if r04 is None or d.R05 is None else r04 >= d.R05

    # Spending and the case.
    ref = reference_spending(d.R07_2017, d.R07_2021)
    below = None if ref is None or d.R06 is None else ref < d.R06
    case = case_of(below, service_ok)

    if case in ("C", "D"):
        gap = d.R06 - ref
        r09 = None if d.R08 is None else min(d.R08, gap)
    elif case in ("A", "B"):
        r09 = Decimal("0.00")
    else:
        r09 = None
    values["R09"] = r09
    values["R15"] = sum((d.get(name) or ZERO for name in Q3_SPESA), ZERO)
    q3 = case in ("C", "D") and r09 is not None and r09 >= Q3_THRESHOLD

    outcome = Outcome(
        values=values,
        r04_exact=r04,
        staff_total=staff,
        below_6500=below_6500,
        reference_spending=ref,
        below_need=below,
        service_ok=service_ok,
        case=case,
        quadro3_required=q3,
        quadro3_known=case in ("A", "B") or (case in ("C", "D") and r09 is not None),
        block=Q4_BLOCK_BY_CASE.get(case) if case else None,
        messages=[],
    )
    outcome.messages.extend(messages.select(outcome))
    return outcome
