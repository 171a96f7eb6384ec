"""The drafts the benchmarks read by thousands: copies of the examples with figures varied, so
that no two drafts are the same text (one source for bench_batch, bench_export, bench_table and
bench_check)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any


def vary(draft: Any, i: int, rng: random.Random) -> Any:
    """A copy of `draft` with its Comune numbered `i` and its main figures drawn from `rng`."""
    d = draft.copy()
    d.set("comune", f"COMUNE {i:05d}")
    d.set("R03", rng.randint(300, 300_000))
    d.set("M12_2024", rng.randint(0, 5000))
    d.set("R05", Decimal(rng.randint(100, 2000)) / 100)
    d.set("R06", Decimal(rng.randint(10_000_000, 900_000_000)) / 100)
    d.set("R07_2021", Decimal(rng.randint(10_000_000, 900_000_000)) / 100)
    d.set("R08", Decimal(rng.randint(100_000, 30_000_000)) / 100)
    return d
