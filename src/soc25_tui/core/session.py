"""Working on a draft safely: the lock that tells who holds it, and the recovery file written
within seconds of a change (and on SIGHUP).

Headless (no Textual): the TUI calls these, tests call them directly. The commands that
write a draft outside the TUI (`soc25 r40 --write`, `soc25 import --force`) take the same
lock for the time of the write (`held_for_writing`), so they never write under an open TUI.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple

from .drafts import dumps, load, write_atomic

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
    write_atomic(target, text, like=path)  # a private draft has a private recovery file
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


def _move_without_overwriting(src: str, dst: str) -> bool:
    """Move `src` to `dst` unless `dst` exists (False then). os.link fails on an existing
    name, atomically; where links are not supported, check first and rename (which never
    overwrites on Windows)."""
    try:
        os.link(src, dst)
    except FileExistsError:
        return False
    except OSError:
        if os.path.lexists(dst):
            return False
        try:
            os.rename(src, dst)
        except FileExistsError:
            return False
        return True
    os.unlink(src)
    return True


def set_recovery_aside(path: str | os.PathLike[str]) -> str | None:
    """Keep a refused recovery file instead of deleting it, as
    `.NAME.toml.recupero.YYYYMMDD-HHMMSS.bak` (the time of its last change; "-2", "-3", ...
    after the time when that name is taken): an earlier one set aside is never overwritten.

    Returns the new path (for telling the person where it is), None if there was none."""
    rec = recovery_path(path)
    try:
        changed = os.stat(rec).st_mtime
    except FileNotFoundError:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(changed))
    n = 1
    while True:
        target = f"{rec}.{stamp}.bak" if n == 1 else f"{rec}.{stamp}-{n}.bak"
        try:
            if _move_without_overwriting(rec, target):
                return target
        except FileNotFoundError:  # set aside or discarded meanwhile by another process
            return None
        n += 1


def recoveries_aside(path: str | os.PathLike[str]) -> list[tuple[str, float]]:
    """The recovery files of `path` set aside, newest first: (file, time of its last change)."""
    rec = recovery_path(path)
    folder, base = os.path.split(rec)
    found = []
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    for name in names:
        if name.startswith(base + ".") and name.endswith(".bak"):
            full = os.path.join(folder, name)
            try:
                found.append((full, os.stat(full).st_mtime))
            except OSError:
                continue
    return sorted(found, key=lambda item: item[1], reverse=True)


def discard_recovery(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(recovery_path(path))
    except FileNotFoundError:
        pass


# --- lock --------------------------------------------------------------------------------


UNKNOWN_USER = "sconosciuto"
# A lock file is created empty (O_EXCL) and filled a moment later: one that cannot be read
# is taken for a lock being written while it is younger than this, for a stale one after.
LOCK_GRACE_SECONDS = 10.0


class Holder(NamedTuple):
    user: str
    host: str
    pid: int  # 0: not known (a lock file still being written)
    since: float

    def describe(self, lock_file: str | None = None) -> str:
        """Italian, for "bozza già aperta da ...". With `lock_file`, names the lock file too
        (so a person can remove a lock left on another computer)."""
        when = time.strftime("%d/%m/%Y %H:%M", time.localtime(self.since))
        if self.pid <= 0:
            text = f"{self.user} (file di blocco appena creato, non ancora leggibile) dal {when}"
        else:
            text = f"{self.user} su {self.host} (processo {self.pid}) dal {when}"
        return f"{text} (file di blocco {lock_file})" if lock_file else text


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
        holder = Holder(str(data["user"]), str(data["host"]), int(data["pid"]), float(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return holder if holder.pid > 0 else None  # pid 0 stands for "not known": see _holder_of


def _holder_of(lock_file: str, seen: os.stat_result | None = None) -> Holder | None:
    """Who the lock file names. One that cannot be read (empty: its creator has not written it
    yet) names an unknown holder while younger than LOCK_GRACE_SECONDS, nobody after."""
    holder = _read_lock_file(lock_file)
    if holder is not None:
        return holder
    if seen is None:
        try:
            seen = os.stat(lock_file)
        except OSError:
            return None
    if abs(time.time() - seen.st_mtime) < LOCK_GRACE_SECONDS:
        return Holder(UNKNOWN_USER, "", 0, seen.st_mtime)
    return None


def read_holder(path: str | os.PathLike[str]) -> Holder | None:
    """Who holds the draft at `path`, if anyone."""
    return _holder_of(lock_path(path))


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns)


class Lock:
    """Exclusive hold of a draft, by a lock file created with O_EXCL.

    A lock left by a process that no longer runs on this host is stale and taken over; a
    lock from another host is respected (we cannot tell whether it is still in use); a lock
    file that cannot be read is being written if recent (respected), stale if old."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = lock_path(path)
        self.held = False

    def acquire(self) -> Holder | None:
        """Take the lock. Returns None on success, else who holds it."""
        me = _me()
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                try:
                    seen = os.stat(self.path)
                except FileNotFoundError:
                    continue  # released meanwhile: try again
                except OSError:
                    seen = None
                holder = _holder_of(self.path, seen)
                if holder is not None and (
                    holder.pid <= 0 or holder.host != me.host or (_alive(holder.pid) and holder.pid != me.pid)
                ):
                    return holder
                # Stale: take it over, unless it changed since we looked (then look again).
                try:
                    if seen is None or _same_file(seen, os.stat(self.path)):
                        os.unlink(self.path)
                except OSError:  # gone already, or not ours to remove: look again
                    pass
                continue
            except OSError:
                return None  # read-only folder: nothing to protect against, carry on
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me._asdict(), fh)
            self.held = True
            return None
        return _holder_of(self.path) or Holder(UNKNOWN_USER, "", 0, time.time())

    def release(self) -> None:
        if self.held:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            self.held = False


class DraftHeld(Exception):
    """The draft is open elsewhere (the TUI of this or another person); str() is Italian and
    names who holds it and the lock file."""

    def __init__(self, path: str, holder: Holder, lock_file: str) -> None:
        self.path, self.holder, self.lock_file = path, holder, lock_file
        super().__init__(
            f"{path}: la bozza è aperta da {holder.describe()}: non la modifico. Chiuderla "
            f"e ripetere il comando (se nessuno la sta usando, cancellare il file di blocco "
            f"{lock_file})."
        )


@contextmanager
def held_for_writing(path: str | os.PathLike[str]) -> Iterator[Lock]:
    """Hold the draft's lock while writing it outside the TUI; DraftHeld if someone holds it."""
    lock = Lock(path)
    holder = lock.acquire()
    if holder is not None:
        raise DraftHeld(os.fspath(path), holder, lock.path)
    try:
        yield lock
    finally:
        lock.release()
