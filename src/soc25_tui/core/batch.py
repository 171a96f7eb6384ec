"""Many drafts at once, on every core: `check`, `export` and the review table read thousands.

`map_ordered(fn, items, jobs)` yields `fn(item)` for each item, in the order given, as they
come: with one job (or few items) in this process, else in `jobs` worker processes. `fn` must
be a module-level function (workers import it by name) and its result small and picklable
(a JSON text, a row): parsing and assessing happen in the worker, only the result travels.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (starting a worker: ~50 ms).
MIN_PARALLEL = 64


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):  # Windows, macOS
        return max(1, os.cpu_count() or 1)


def map_ordered(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None) -> Iterator[R]:
    items = list(items)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(items) < MIN_PARALLEL:
        for item in items:
            yield fn(item)
        return
    import multiprocessing

    chunk = max(1, min(64, len(items) // (jobs * 8)))
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(fn, items, chunksize=chunk)
