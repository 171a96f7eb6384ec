"""Many drafts at once, on every core: `check`, `export` and the review table read thousands.

`map_ordered(fn, items, jobs)` yields `fn(item)` for each item, in the order given, as they
come: with one job (or few items) in this process, else in `jobs` worker processes. `fn` must
be a module-level function (workers import it by name; a `functools.partial` of one is fine)
and its result small and picklable (a JSON text, a row): parsing and assessing happen in the
worker, only the result travels.

- Streaming, bounded: the items go to the workers in chunks, at most `AHEAD` chunks per worker
  ahead of what the caller has taken, so a slow reader (`check --json | less`) holds the
  workers instead of piling their results up in memory.
- How workers start (`start_method`): `fork` on Linux when this process runs a single thread
  (the command line): a worker is ready at once, with every module already imported. A
  process with other threads (the TUI's review table calls this from a worker thread of the
  Textual app) is never forked, since a lock another thread holds at that moment would stay
  held for ever in the child: its workers are spawned, fresh interpreters that import only
  `fn`'s module (never Textual). macOS and Windows: spawn, as Python itself chooses there.
- Ctrl+C: the workers ignore SIGINT (the terminal sends it to the whole process group), so
  only the caller sees KeyboardInterrupt, and the workers are stopped quietly, with no
  traceback of theirs. Stopping early (an exception, a broken pipe, `close()` on the
  iterator) stops them too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (starting a worker: ~50 ms spawned,
# a few ms forked).
MIN_PARALLEL = 64
# Items per task sent to a worker: larger chunks cost less in messages; smaller ones give the
# first results sooner and balance the workers better at the end.
CHUNK = 32
# Chunks handed out ahead of the caller, per worker: enough to keep every worker busy.
AHEAD = 4


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):  # Windows, macOS
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How worker processes start here and now: "fork" on Linux in a single-threaded process,
    else "spawn" (see the module's docstring)."""
    if sys.platform.startswith("linux") and _single_threaded():
        return "fork"
    return "spawn"


def _single_threaded() -> bool:
    threading = sys.modules.get("threading")  # not imported: no Python thread was ever started
    return threading is None or threading.active_count() == 1


def map_ordered(
    fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None, *, start: str | None = None
) -> Iterator[R]:
    """`fn(item)` for each item, in order, as they come; in `jobs` worker processes (default:
    every core) when there are at least MIN_PARALLEL items. `start`: "fork", "spawn" or
    "forkserver" instead of `start_method()`'s choice."""
    items = items if isinstance(items, Sequence) else list(items)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(items) < MIN_PARALLEL:
        for item in items:
            yield fn(item)
        return
    chunk = max(1, min(CHUNK, len(items) // (jobs * 8)))
    tasks = -(-len(items) // chunk)
    yield from _in_workers(fn, items, min(jobs, tasks), chunk, start or start_method())


def _in_workers(fn: Callable[[T], R], items: Sequence[T], jobs: int, chunk: int, start: str) -> Iterator[R]:
    """The chunks of `items` shared among `jobs` worker processes, each given its next chunk
    when it returns one (the fast ones do more), at most `AHEAD` chunks a worker ahead of the
    one the caller waits for; the results yielded in order. One pipe per worker and no
    helper thread: this process only hands out chunks and passes the results on."""
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context(start)
    count = -(-len(items) // chunk)
    window = jobs * AHEAD
    workers: list[Any] = []
    try:
        with _interrupts_held():  # a worker never sees a Ctrl+C before it ignores them
            for _ in range(jobs):
                here, there = context.Pipe()
                worker = context.Process(target=_serve, args=(there, fn), daemon=True)
                worker.start()
                there.close()
                workers.append((worker, here))
        sent = taken = 0
        done: dict[int, list[R]] = {}
        idle = [here for _, here in workers]
        busy: list[Any] = []
        while taken < count:
            # A chunk to each idle worker (one at a time: a worker reads its next chunk only
            # after it has handed back the last, so neither side ever waits on the other).
            while idle and sent < count and sent < taken + window:
                here = idle.pop()
                _talk(here.send, (sent, items[sent * chunk : (sent + 1) * chunk]))
                busy.append(here)
                sent += 1
            if taken not in done:
                for here in wait(busy):
                    index, results = _talk(here.recv)
                    if index < 0:
                        raise results  # fn raised in the worker: the same exception here
                    done[index] = results
                    busy.remove(here)
                    idle.append(here)
                continue
            results = done.pop(taken)
            taken += 1
            yield from results
        for _, here in workers:
            _talk(here.send, None)  # finished: each worker ends by itself
        for worker, _ in workers:
            worker.join(5)
    finally:
        for worker, here in workers:  # stopped early (an exception, a broken pipe, Ctrl+C)
            if worker.is_alive():
                worker.terminate()
                worker.join()
            here.close()


def _talk(call: Callable[..., Any], *args: Any) -> Any:
    """A message to or from a worker. A worker that is gone (killed, out of memory?) is an
    error of its own: not a BrokenPipeError, which callers take for their reader gone."""
    try:
        return call(*args)
    except (EOFError, OSError):
        raise RuntimeError("un processo di lavoro è terminato prima di finire") from None


def _serve(conn: Any, fn: Callable[[T], R]) -> None:
    """A worker: the chunks it is given, one at a time, until it is told it is finished."""
    _ignore_interrupts()
    while True:
        task = conn.recv()
        if task is None:
            return
        index, chunk = task
        try:
            results = [fn(item) for item in chunk]
        except Exception as exc:  # noqa: BLE001 - the caller re-raises it, with this traceback
            import traceback

            exc.add_note("".join(traceback.format_exception(exc)).rstrip())
            try:
                conn.send((-1, exc))
            except Exception:  # noqa: BLE001 - an exception that cannot travel: its text does
                conn.send((-1, RuntimeError(exc.__notes__[-1])))
            return
        conn.send((index, results))


def _ignore_interrupts() -> None:
    """In each worker, first: Ctrl+C is the caller's to handle."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class _interrupts_held:
    """SIGINT blocked in this thread (not lost: delivered on leaving) while the workers
    start, so that a worker, which inherits the mask, has it blocked until it has set it
    aside. POSIX only; elsewhere a no-op."""

    def __enter__(self) -> None:
        import signal

        self.old: Any = None
        if hasattr(signal, "pthread_sigmask"):
            self.old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self.old)
