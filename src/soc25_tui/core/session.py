"""Working on a draft safely: the lock that tells who holds it, and the recovery file written
within seconds of a change (and on SIGHUP).

Headless (no Textual): the TUI calls these, tests call them directly. The commands that
write a draft outside the TUI (`soc25 r40 --write`, `soc25 import --force`) take the same
lock for the time of the write (`held_for_writing`), so they never write under an open TUI.

Lock and recovery file go beside the real draft (`drafts.real_file`): a draft opened through a
symbolic link, or through a link to its folder, has one lock whatever the path it was opened
by. Two hard links (two names of one file) are held together too: see `Lock`.
"""

from __future__ import annotations

import errno
import getpass
import json
import math
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from .drafts import (
    NAME_MAX,
    DraftError,
    create_new,
    dumps,
    fit_name,
    load,
    process_alive,
    real_file,
    remove_stale_temps,
    write_atomic,
)
from .reading import os_reason

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock
    fcntl = None  # type: ignore[assignment]

RECOVERY_SUFFIX = ".recupero"
LOCK_SUFFIX = ".lock"


_ASIDE_ROOM = 32  # ".YYYYMMDD-HHMMSS-N.bak" of a recovery file set aside, and to spare


def _sibling(path: str | os.PathLike[str], suffix: str) -> str:
    """`.NAME<suffix>` beside the real draft; for a name too long to take the suffix (and a
    set-aside recovery file's), NAME's start and a hash of the whole (`drafts.fit_name`)."""
    folder, name = os.path.split(os.path.abspath(real_file(path)))
    stem = fit_name(name, NAME_MAX - 1 - len(suffix) - _ASIDE_ROOM)
    return os.path.join(folder, f".{stem}{suffix}")


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
    except OSError:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(changed))
    n = 1
    while True:
        target = f"{rec}.{stamp}.bak" if n == 1 else f"{rec}.{stamp}-{n}.bak"
        try:
            if _move_without_overwriting(rec, target):
                return target
        except OSError:  # set aside or discarded meanwhile by another process; or a
            return None  # read-only folder: then it stays where it is, untouched
        n += 1


def recovery_aside_at_opening(path: str | os.PathLike[str]) -> tuple[str | None, bool]:
    """The draft's recovery file set aside when the draft is opened (never deleted, never
    replaced by this session's own): (where it went, None when there was none or it could not
    be moved; whether it is newer than the draft, to be offered, or older, written before
    another program wrote the draft, only to be said)."""
    newer = recovery_is_newer(path)
    if not newer and not os.path.exists(recovery_path(path)):
        return None, False
    return set_recovery_aside(path), newer


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
    """No recovery file (one that cannot be removed, in a read-only folder, is older than the
    draft at the next opening, and set aside then)."""
    try:
        os.unlink(recovery_path(path))
    except OSError:
        pass


# --- lock --------------------------------------------------------------------------------


UNKNOWN_USER = "sconosciuto"
# A lock file is whole from the moment it exists (drafts.create_new). One that names nobody
# (empty, not JSON, no pid) was left by a crash or an older version, or is being filled where
# hard links are not supported (created, then written: microseconds, a few milliseconds on a
# network share): it is watched for this long and, if it stays so and unchanged, it is stale.
# (It used to be respected for 10 s, which kept the next command waiting.)
LOCK_GRACE_SECONDS = 1.0
OTHER_NAME = -1  # Holder.pid of a draft held under another name of the same file (hard link)


class Holder(NamedTuple):
    user: str
    host: str
    pid: int  # 0: not known (a lock file that cannot be read); OTHER_NAME: see there
    since: float

    def describe(self, lock_file: str | None = None) -> str:
        """Italian, for "bozza già aperta da ...". With `lock_file`, names the lock file too
        (so a person can remove a lock left on another computer)."""
        if self.pid == OTHER_NAME:  # no lock file of ours to name: the kernel holds it
            return "un'altra sessione di soc25, con un altro nome dello stesso file (collegamento fisso)"
        when = time.strftime("%d/%m/%Y %H:%M", time.localtime(self.since))
        if self.pid <= 0:
            text = f"{self.user} (file di blocco illeggibile) dal {when}"
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


_LOCK_READ_LIMIT = 4096  # a lock file is some 100 bytes: a bigger one names nobody


def _read_lock_file(lock_file: str) -> Holder | None:
    """Who the lock file names; None if it names nobody (see LOCK_GRACE_SECONDS) or is gone.
    PermissionError when it cannot be opened: someone's, whom we cannot know. Opened without
    waiting (a FIFO put in its place must not hang us) and read up to _LOCK_READ_LIMIT."""
    try:
        fd = os.open(lock_file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as fh:
            raw = fh.read(_LOCK_READ_LIMIT + 1)
        if len(raw) > _LOCK_READ_LIMIT:
            return None
        data = json.loads(raw.decode("utf-8"))
        holder = Holder(data["user"], data["host"], data["pid"], data["since"])
        time.localtime(holder.since)  # a time describe() can show: not NaN, nor 1e300
    except PermissionError:
        raise
    except (OSError, ValueError, KeyError, TypeError, OverflowError):
        return None
    return holder if _well_formed(holder) else None


def _well_formed(holder: Holder) -> bool:
    """Each field of the type a lock file of ours gives it (JSON can say anything)."""
    return (
        isinstance(holder.user, str) and isinstance(holder.host, str)
        and type(holder.pid) is int and 0 < holder.pid < 2**31
        and type(holder.since) in (int, float) and math.isfinite(holder.since)
    )


def _unreadable(seen: os.stat_result | None) -> Holder:
    return Holder(UNKNOWN_USER, "", 0, seen.st_mtime if seen else time.time())


def read_holder(path: str | os.PathLike[str]) -> Holder | None:
    """Who holds the draft at `path`, as its lock file says, if anyone."""
    lock_file = lock_path(path)
    try:
        return _read_lock_file(lock_file)
    except PermissionError:
        return _unreadable(None)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns)


class LockUnavailable(DraftError):
    """No lock can be created beside the draft (a read-only folder, a full disk...): the
    draft would not be protected from a second editor, and its recovery file could not be
    written either. str() is Italian and names the folder and the reason."""

    def __init__(self, lock_file: str, exc: OSError) -> None:
        self.lock_file = lock_file
        self.folder = os.path.dirname(lock_file) or "."
        if exc.errno in (errno.EACCES, errno.EPERM):
            self.reason = "cartella in sola lettura"
        else:
            self.reason = os_reason(exc, writing=True)
        super().__init__(f"impossibile creare il file di blocco nella cartella {self.folder} ({self.reason})")


class Lock:
    """Exclusive hold of a draft: a lock file beside the real draft, `.NAME.toml.lock`,
    holding who took it (user, host, pid, time), created whole at once (`drafts.create_new`).

    A lock left by a process that no longer runs on this host is stale and taken over; a
    lock from another host is respected (we cannot tell whether it is still in use); a lock
    file that names nobody is stale once it has stayed so for LOCK_GRACE_SECONDS.

    Hard links: two names of one file have two lock files. A draft with more than one name
    (st_nlink > 1) is also held by an flock() on the file itself, which the kernel keys by
    the file, not by its name or folder, and releases when the process ends (never stale).
    The lock file stays the one that says who (flock cannot); a draft held under another name
    is described as such. Not on Windows (no flock; hard-linked drafts are rare there). After
    a save the names are no longer one file (see `drafts.write_atomic`), so each can be
    edited on its own again."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = lock_path(path)
        self.draft = os.path.abspath(real_file(path))
        self.held = False
        self._file_fd: int | None = None  # the flock on a hard-linked draft

    def acquire(self) -> Holder | None:
        """Take the lock: None when taken, else who holds it. LockUnavailable (a DraftError)
        when no lock file can be created here: the caller says so, and decides whether to go
        on unprotected."""
        me = _me()
        data = json.dumps(me._asdict()).encode("utf-8")
        for _ in range(3):
            try:
                if create_new(self.path, data):
                    break
            except OSError as exc:
                raise LockUnavailable(self.path, exc) from None
            holder = self._live_holder(me)
            if holder is not None:
                return holder
        else:
            try:
                return _read_lock_file(self.path) or _unreadable(None)
            except PermissionError:
                return _unreadable(None)
        self.held = True
        if not self._hold_file():
            self.release()
            return Holder(UNKNOWN_USER, "", OTHER_NAME, time.time())
        for sibling in (self.path, recovery_path(self.draft)):
            remove_stale_temps(sibling)  # left by a writer of this draft that was killed
        return None

    def _live_holder(self, me: Holder) -> Holder | None:
        """Who holds the lock file found in place; None if it is stale (then removed, unless
        it changed since it was first looked at) or gone."""
        deadline = time.monotonic() + LOCK_GRACE_SECONDS
        try:
            seen = os.stat(self.path)
        except FileNotFoundError:
            return None  # released meanwhile: try again
        except OSError:
            seen = None
        while True:
            try:
                holder = _read_lock_file(self.path)
            except PermissionError:
                return _unreadable(seen)
            if holder is not None or time.monotonic() >= deadline:
                break
            time.sleep(0.05)  # named nobody: being filled, or left so (see LOCK_GRACE_SECONDS)
        if holder is not None and (
            holder.host != me.host or (holder.pid != me.pid and process_alive(holder.pid))
        ):
            return holder
        # Stale (a dead process, a pid of ours from an earlier life, an empty file): take it
        # over, unless it changed since we looked (then look again).
        try:
            if seen is not None and _same_file(seen, os.stat(self.path)):
                os.unlink(self.path)
        except OSError:  # gone already, or not ours to remove: look again
            pass
        return None

    def _hold_file(self) -> bool:
        """The flock of a draft with more than one name; False if another holds it."""
        if fcntl is None:
            return True
        try:
            if os.stat(self.draft).st_nlink < 2:
                return True
            fd = os.open(self.draft, os.O_RDONLY)
        except OSError:  # no draft yet (an import creating it), or not ours to read
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError:  # no flock on this file system: the lock file alone
            os.close(fd)
            return True
        self._file_fd = fd
        return True

    def release(self) -> None:
        if self._file_fd is not None:
            os.close(self._file_fd)  # and the kernel drops the flock
            self._file_fd = None
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
        remove = (
            "" if holder.pid == OTHER_NAME
            else f" (se nessuno la sta usando, cancellare il file di blocco {lock_file})"
        )
        super().__init__(
            f"{path}: la bozza è aperta da {holder.describe()}: non la modifico. Chiuderla "
            f"e ripetere il comando{remove}."
        )


@contextmanager
def held_for_writing(path: str | os.PathLike[str]) -> Iterator[Lock]:
    """Hold the draft's lock while writing it outside the TUI; DraftHeld if someone holds it,
    DraftError if no lock can be taken (a read-only folder, a full disk: no save could be
    written there either)."""
    lock = Lock(path)
    try:
        holder = lock.acquire()
    except LockUnavailable as exc:
        raise DraftError(f"{os.fspath(path)}: {exc}: la bozza non è stata modificata.") from None
    if holder is not None:
        raise DraftHeld(os.fspath(path), holder, lock.path)
    try:
        yield lock
    finally:
        lock.release()
