"""Working on a draft safely: the lock that tells who holds it, the recovery file written
within seconds of a change (and on SIGHUP), and the list of drafts in a folder.

Headless (no Textual): the TUI calls these, tests call them directly.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from typing import Any, NamedTuple

from .drafts import DraftError, dumps, load, write_atomic

RECOVERY_SUFFIX = ".recupero"
LOCK_SUFFIX = ".lock"


def _sibling(path: str | os.PathLike[str], suffix: str) -> str:
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    return os.path.join(folder, f".{name}{suffix}")


# --- recovery ----------------------------------------------------------------------------


def recovery_path(path: str | os.PathLike[str]) -> str:
    """`.NAME.toml.recupero`, hidden, beside the draft."""
    return _sibling(path, RECOVERY_SUFFIX)


def write_recovery(path: str | os.PathLike[str], draft: Any) -> str:
    return write_recovery_text(path, dumps(draft))


def write_recovery_text(path: str | os.PathLike[str], text: str) -> str:
    """Write an already serialised draft (so a worker thread never reads a changing draft)."""
    target = recovery_path(path)
    write_atomic(target, text)
    return target


def recovery_is_newer(path: str | os.PathLike[str]) -> bool:
    """A recovery file exists and is newer than the draft (or the draft does not exist)."""
    rec = recovery_path(path)
    if not os.path.exists(rec):
        return False
    try:
        return os.path.getmtime(rec) > os.path.getmtime(os.fspath(path))
    except OSError:
        return True


def load_recovery(path: str | os.PathLike[str]) -> Any:
    return load(recovery_path(path))


def set_recovery_aside(path: str | os.PathLike[str]) -> None:
    """Keep a refused recovery file as `.recupero.bak` instead of deleting it."""
    rec = recovery_path(path)
    if os.path.exists(rec):
        os.replace(rec, rec + ".bak")


def discard_recovery(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(recovery_path(path))
    except FileNotFoundError:
        pass


# --- lock --------------------------------------------------------------------------------


class Holder(NamedTuple):
    user: str
    host: str
    pid: int
    since: float

    def describe(self) -> str:
        when = time.strftime("%d/%m/%Y %H:%M", time.localtime(self.since))
        return f"{self.user} su {self.host} (processo {self.pid}) dal {when}"


def lock_path(path: str | os.PathLike[str]) -> str:
    return _sibling(path, LOCK_SUFFIX)


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        user = "utente sconosciuto"
    return Holder(user, socket.gethostname(), os.getpid(), time.time())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _read_lock_file(lock_file: str) -> Holder | None:
    try:
        with open(lock_file, encoding="utf-8") as fh:
            data = json.load(fh)
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), float(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_holder(path: str | os.PathLike[str]) -> Holder | None:
    """Who holds the draft at `path`, if anyone."""
    return _read_lock_file(lock_path(path))


class Lock:
    """Exclusive hold of a draft, by a lock file created with O_EXCL.

    A lock left by a process that no longer runs on this host is stale and taken over; a
    lock from another host is respected (we cannot tell whether it is still in use)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = lock_path(path)
        self.held = False

    def acquire(self) -> Holder | None:
        """Take the lock. Returns None on success, else who holds it."""
        me = _me()
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = _read_lock_file(self.path)
                if holder and (holder.host != me.host or (_alive(holder.pid) and holder.pid != me.pid)):
                    return holder
                try:  # stale (or unreadable) lock: take it over
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                continue
            except OSError:
                return None  # read-only folder: nothing to protect against, carry on
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me._asdict(), fh)
            self.held = True
            return None
        return _read_lock_file(self.path)

    def release(self) -> None:
        if self.held:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            self.held = False


# --- drafts in a folder ------------------------------------------------------------------


class DraftInfo(NamedTuple):
    path: str
    comune: str
    provincia: str
    case: str | None
    errors: int
    warnings: int
    mtime: float
    problem: str  # why it cannot be read, else ""


def list_drafts(folder: str | os.PathLike[str] = ".") -> list[DraftInfo]:
    """The drafts (`*.toml`) of a folder, newest first, each with its Comune and state."""
    from .checks import ERROR, check
    from .rules import evaluate

    out: list[DraftInfo] = []
    folder = os.fspath(folder)
    for name in os.listdir(folder):
        if not name.endswith(".toml") or name.startswith("."):
            continue
        path = os.path.join(folder, name)
        mtime = os.path.getmtime(path)
        try:
            draft = load(path)
        except DraftError as exc:
            out.append(DraftInfo(path, "", "", None, 0, 0, mtime, str(exc)))
            continue
        outcome = evaluate(draft)
        problems = check(draft, outcome)
        n_err = sum(1 for p in problems if p.severity == ERROR)
        out.append(
            DraftInfo(path, draft.comune or "", draft.provincia or "", outcome.case, n_err,
                      len(problems) - n_err, mtime, "")
        )
    out.sort(key=lambda info: -info.mtime)
    return out
