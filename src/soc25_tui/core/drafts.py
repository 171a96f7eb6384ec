"""Drafts on disk: TOML, grouped by Quadro, keyed by public cell names.

- Saving is atomic: a temporary file of a unique name in the same folder (two writers of the
  same file, say the SIGHUP handler and the recovery thread, never share it), flush + fsync,
  then replace (retried on a transient failure, as antivirus or indexers cause on Windows).
  The file keeps its permissions (and, where allowed, its owner); the previous version is
  kept as `NAME.toml.bak`. Through a symbolic link the real file is written (and the link
  kept); the temporary files of an interrupted save are removed by the next one (see
  `remove_stale_temps`).
- Loading never writes. A file that is not TOML, or not a draft, raises `DraftError` with an
  Italian message naming the line or the cell. A value that cannot be read is kept as TOML
  gave it (`Draft.invalid`: a string, a boolean, a number, an array...) and written back
  exactly so, so nothing is lost or changes type.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from .layout import CELL_BY_NAME, INPUT_CELLS, SECTION_BY_QUADRO
from .limits import MAX_DRAFT_BYTES, MAX_INTEGER_DIGITS, MAX_NESTING
from .model import SCHEMA_VERSION, Draft
from .review import EMPTY as EMPTY_REVIEW
from .review import SECTION as REVIEW_SECTION
from .review import ReviewError, from_toml, reconcile, to_toml
from .quicktoml import read as read_plain
from .reading import ReadError, os_reason, read_bytes, special_kind
from .values import coerce
from .visible import json_safe

HEADER = (
    "# Bozza della scheda SOC25 - Sociale - Monitoraggio degli obiettivi di servizio 2024\n"
    "# Scritta da soc25-tui. Ogni cella ha il nome pubblico del modulo (M12_2019, R07_2021,\n"
    "# R40, ...); una cella assente è vuota. Importi e decimali con il punto: 1984440.83.\n\n"
)
_SECTIONS = set(SECTION_BY_QUADRO.values())
_SECTION_OF = {cell.name: SECTION_BY_QUADRO[cell.quadro] for cell in INPUT_CELLS}  # where each input cell goes


class DraftError(Exception):
    """A draft that cannot be read or written; str() is Italian and names the place."""


# --- TOML text ---------------------------------------------------------------------------


def dumps(draft: Any) -> str:
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for quadro, section in SECTION_BY_QUADRO.items():
        table: dict[str, Any] = {}
        for cell in INPUT_CELLS:
            if cell.quadro != quadro:
                continue
            if cell.name in draft.invalid:
                table[cell.name] = draft.invalid[cell.name]
                continue
            value = draft.get(cell.name)
            if value is not None:
                table[cell.name] = value
        doc[section] = table
    review = to_toml(draft.review)
    if review is not None:
        doc[REVIEW_SECTION] = review
    # tomli_w escapes C0 but writes DEL, the C1 controls and the bidirectional overrides
    # raw, which `cat BOZZA.toml` would send to a terminal. They can only be inside its basic
    # strings, where \uXXXX is the same value: json_safe escapes exactly these, so.
    import tomli_w  # writing only: `soc25 check` never does

    return HEADER + json_safe(tomli_w.dumps(doc, multiline_strings=True))


# tomllib's reasons, in Italian: (start of tomllib's message, Italian reason). The first match
# wins; anything else is "errore di sintassi TOML". tomllib's English never reaches the user.
_TOML_REASONS = (
    ("Invalid value", "valore non valido: un testo va tra virgolette (\"Sondrio\"), un numero "
                      "con il punto per i decimali (1984440.83)"),
    ("Expected '=' after a key", "manca «=» dopo il nome della cella (scrivere NOME = valore)"),
    ("Unterminated string", "testo non chiuso: manca la virgoletta finale"),
    ("Illegal character '\\n'", "testo non chiuso: manca la virgoletta finale prima della fine della riga"),
    ("Illegal character", "carattere non ammesso in un testo"),
    ("Found invalid character", "carattere non ammesso in un testo"),
    ("Expected \"'", "testo non chiuso: mancano le virgolette finali"),  # ' or '''
    ("Expected '\"", "testo non chiuso: mancano le virgolette finali"),  # """
    ("Cannot overwrite a value", "valore già assegnato: la cella compare due volte"),
    ("Cannot declare", "la sezione compare due volte"),
    ("Cannot redefine namespace", "la sezione compare due volte"),
    ("Cannot mutate immutable namespace", "valore già assegnato: non si può modificare"),
    ("Duplicate inline table key", "nome ripetuto tra parentesi graffe"),
    ("Invalid statement", "riga non valida: attesi NOME = valore oppure [sezione]"),
    ("Invalid initial character for a key part", "nome della cella non valido"),
    ("Unclosed array", "elenco non chiuso: manca «]»"),
    ("Unclosed inline table", "parentesi graffa non chiusa: manca «}»"),
    ("Expected ']]' at the end of an array declaration", "manca «]]» alla fine del nome della sezione"),
    ("Expected ']' at the end of a table declaration", "manca «]» alla fine del nome della sezione"),
    ("Expected newline or end of document after a statement",
     "dopo il valore la riga deve finire: un solo valore per cella, un testo va tra virgolette"),
    ("Unescaped '\\' in a string", "barra rovesciata «\\» non ammessa in un testo: scrivere «\\\\»"),
    ("Invalid hex value", "sequenza \\u non valida in un testo"),
    ("Escaped character is not a Unicode scalar value", "sequenza \\u non valida in un testo"),
    ("Invalid date or datetime", "data non valida"),
    ("There is no nest behind this key", "sezione in conflitto con un valore già assegnato"),
    ("An object other than list found behind this key", "sezione in conflitto con un valore già assegnato"),
)


def toml_error(text: str, detail: str) -> tuple[str, str]:
    """tomllib's message about `text` -> ("riga N, colonna M", Italian reason)."""
    where = re.search(r"line (\d+), column (\d+)", detail)
    at_end = where is None and "end of document" in detail
    if where:
        place = f"riga {where.group(1)}, colonna {where.group(2)}"
    elif at_end:
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        place = f"fine del file, riga {line}, colonna {column}"
    else:  # pragma: no cover - every tomllib error names a place
        place = "posizione ignota"
    if at_end and detail.startswith("Invalid value"):
        # "M12_2019 = [" and nothing after: the value never ends.
        return place, "il file finisce prima della fine del valore: manca una parentesi o una virgoletta di chiusura"
    reason = next((it for en, it in _TOML_REASONS if detail.startswith(en)), "errore di sintassi TOML")
    return place, reason


class TomlError(ValueError):
    """A TOML text that cannot be read: where (`place`, «riga 3, colonna 7», or "") and why
    (`reason`, Italian). `syntax`: not TOML at all; else TOML that tomllib cannot hold (a
    value nested thousands deep, an integer of thousands of digits)."""

    def __init__(self, place: str, reason: str, *, syntax: bool = False) -> None:
        super().__init__(reason)
        self.place, self.reason, self.syntax = place, reason, syntax


def parse_toml(text: str, **options: Any) -> dict[str, Any]:
    """tomllib.loads for a text from outside (a draft, the keymap): every way it can fail on
    hostile text, its own errors and Python's (recursion, int's 4.300-digit limit), is a
    TomlError in Italian. The plain TOML soc25 writes is read by a quicker path (`quicktoml`,
    equal to tomllib where it reads at all)."""
    quick = read_plain(text, options.get("parse_float", float))
    if quick is not None:
        return quick
    import tomllib  # here: the drafts soc25 writes never need it

    try:
        return tomllib.loads(text, **options)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(*toml_error(text, str(exc)), syntax=True) from None
    except RecursionError:  # "[[[[...]]]]" a thousand deep
        raise TomlError("", "un valore è annidato troppo in profondità (elenchi dentro elenchi)") from None
    except ValueError:  # an integer past Python's 4.300 digits (int's string limit)
        long_run = re.search(r"\d{4301,}", text)
        place = f"riga {text.count(chr(10), 0, long_run.start()) + 1}" if long_run else ""
        raise TomlError(place, "un numero di migliaia di cifre") from None


def _line_of(text: str, key: str) -> int | None:
    """The line where `key` is given (NAME = …) or opens a section ([NAME], [[NAME.note]])."""
    name = re.escape(key)
    match = re.search(rf"^[ \t]*(?:\"?{name}\"?[ \t]*=|\[\[?[ \t]*{name}[ \t]*[\].])", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def loads(text: str, source: str = "bozza") -> Any:
    try:
        data = parse_toml(text, parse_float=Decimal)
    except TomlError as exc:
        if exc.syntax:
            raise DraftError(f"{source}: non è un file TOML valido ({exc.place}): {exc.reason}. "
                             "Il file non è stato modificato.") from None
        where = f" ({exc.place})" if exc.place else ""
        raise DraftError(
            f"{source}{where}: {exc.reason}: una cella contiene un numero (al massimo "
            f"{MAX_INTEGER_DIGITS} cifre prima della virgola), un testo o SI/NO. Il file non è "
            "stato modificato."
        ) from None

    def fail(key: str, reason: str) -> DraftError:
        line = _line_of(text, key)
        where = f" (riga {line})" if line else ""
        return DraftError(f"{source}{where}: {key}: {reason}. Il file non è stato modificato.")

    version = data.pop("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1:
        raise fail("schema_version", f"versione «{version}» non valida, atteso {SCHEMA_VERSION}")
    if version > SCHEMA_VERSION:
        raise fail(
            "schema_version",
            f"la bozza è della versione {version}, questo programma legge fino alla "
            f"{SCHEMA_VERSION}: aggiornare soc25-tui",
        )
    fields: dict[str, Any] = {}
    invalid: dict[str, Any] = {}
    review = EMPTY_REVIEW
    if REVIEW_SECTION in data:
        raw_review = data.pop(REVIEW_SECTION)
        if _depth(raw_review) > MAX_NESTING:
            raise fail(REVIEW_SECTION, "valori annidati troppo in profondità")
        try:
            review = from_toml(raw_review)
        except ReviewError as exc:
            raise fail(REVIEW_SECTION, str(exc)) from None
    for section, table in data.items():
        if section not in _SECTIONS:
            raise fail(section, f"sezione sconosciuta; attese: {', '.join(SECTION_BY_QUADRO.values())}, {REVIEW_SECTION}")
        if not isinstance(table, dict):
            raise fail(section, "attesa una sezione [" + section + "]")
        for key, value in table.items():
            if _SECTION_OF.get(key) != section:  # not an input cell of this section: why
                cell = CELL_BY_NAME.get(key)
                if cell is None or cell.derived:
                    why = "è calcolata dal programma e non va scritta" if cell else "cella sconosciuta"
                    raise fail(key, why)
                raise fail(key, f"la cella va nella sezione [{SECTION_BY_QUADRO[cell.quadro]}]")
            if isinstance(value, (list, dict)) and _depth(value) > MAX_NESTING:
                raise fail(key, "valore annidato troppo in profondità (elenchi dentro elenchi): "
                                "atteso un numero, un testo o SI/NO")
            try:
                fields[key] = coerce(key, value)
            except ValueError:
                invalid[key] = value  # as TOML gave it: written back with its own type
    # Every value went through coerce(), which gives each cell its type: no second validation.
    draft = Draft.trusted(fields, invalid, review)
    reconcile(draft)  # approved, then changed by hand: back to da-rivedere
    return draft


def _depth(value: Any) -> int:
    """How deep lists and tables nest in a value (a number or a text: 0), without recursion."""
    deepest, level = 0, [(value, 0)]
    while level:
        item, depth = level.pop()
        if isinstance(item, (list, dict)):
            if depth + 1 > MAX_NESTING:
                return depth + 1
            deepest = max(deepest, depth + 1)
            level.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


# --- files -------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Any:
    p = os.fspath(path)
    try:  # a folder, a FIFO (never opened: it would hang), a file of 50 MB: refused here
        raw = read_bytes(p, limit=MAX_DRAFT_BYTES, expected="un file .toml di una bozza SOC25 (pochi kB)")
    except ReadError as exc:
        raise DraftError(str(exc)) from None
    # As "utf-8-sig" would, without importing that codec: a byte-order mark is not text.
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise DraftError(
            f"{p} (riga {line}): il file non è testo UTF-8. Il file non è stato modificato."
        ) from None
    return loads(text, str(p))


def backup_path(path: str | os.PathLike[str]) -> str:
    """`NAME.toml.bak`, beside the real file when `path` is a symbolic link (see `fit_name`
    for a name too long to take the suffix)."""
    folder, name = os.path.split(real_file(path))
    return os.path.join(folder, fit_name(name, NAME_MAX - len(".bak")) + ".bak")


NAME_MAX = 255  # bytes in a file name, on every usual file system


def fit_name(name: str, room: int) -> str:
    """`name` if it takes at most `room` bytes, else its start and `~` and 8 hex digits of a
    hash of the whole name, `room` bytes in all: the files kept beside a draft (its backup,
    lock, recovery and temporary files) add to its name, and a legal name of 240 bytes would
    make theirs too long for the file system. The hash keeps two long names apart."""
    raw = os.fsencode(name)
    if len(raw) <= room:
        return name
    import hashlib  # for a long name only

    tag = "~" + hashlib.sha256(raw).hexdigest()[:8]
    head = raw[: max(room - len(tag), 0)]
    while head and head[-1] & 0xC0 == 0x80:  # no character cut in two
        head = head[:-1]
    if head and head[-1] >= 0xC0:
        head = head[:-1]
    return os.fsdecode(head) + tag


def real_file(path: str | os.PathLike[str]) -> str:
    """The file `path` names, symbolic links followed (its folders' too): where a save writes,
    and beside which its backup, lock and recovery file go, whatever path it was opened by.
    `path` as given when no link is involved."""
    p = os.fspath(path)
    real = os.path.realpath(p)
    return p if real == os.path.abspath(p) else real


def _replace(src: str, dst: str, attempts: int = 6) -> None:
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _umask_now() -> int:
    """The process umask. os.umask() can only read it by changing it, for every thread at
    once: read it from /proc where there is one, else use the one read at import."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _UMASK_AT_IMPORT


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK_AT_IMPORT = _read_umask()  # imported before any thread of ours starts


def _stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _give_mode(tmp: str, model: os.stat_result | None) -> None:
    """Give the temporary file the permissions (and, where allowed, the owner) of the file it
    replaces; a new file gets the default mode (0o666 less the umask), not mkstemp's 0o600.
    Best effort: a file system that refuses keeps mkstemp's private 0o600, and the save goes on."""
    if model is None:
        mode = 0o666 & ~_umask_now()
    else:
        mode = stat.S_IMODE(model.st_mode)
        if hasattr(os, "chown"):
            mine = _stat_or_none(tmp)
            if mine is not None and (mine.st_uid, mine.st_gid) != (model.st_uid, model.st_gid):
                try:  # before chmod: a chown clears the set-id bits
                    os.chown(tmp, model.st_uid, model.st_gid)
                except OSError:  # PermissionError for another's file; EINVAL on some shares
                    pass
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


# --- atomic writes -----------------------------------------------------------------------
#
# A writer's temporary file is `.NAME.HOST-PID-XXXXXXXX.tmp`, beside NAME: unique (mkstemp's
# XXXXXXXX), and saying who writes it (NAME and HOST clipped by `fit_name`, so that the whole
# stays within NAME_MAX). A write cut short (kill -9, a power cut) leaves it
# behind; the next write of NAME removes it once its writer is known to be gone: a process of
# this host that no longer runs, or any writer after STALE_TEMP_SECONDS (no write lasts
# minutes; an older version's `.NAME.XXXXXXXX.tmp` does not say who wrote it, nor does a pid
# of another host). A live writer's file is never removed: this process's own (the SIGHUP
# handler and the recovery thread may both be writing), another running process's.

STALE_TEMP_SECONDS = 600.0


_TEMP_NAME_ROOM, _TEMP_HOST_ROOM = 120, 64  # with a pid, 8 letters and dots: < NAME_MAX


def _temp_stem(name: str) -> str:
    return fit_name(name, _TEMP_NAME_ROOM)


def _host() -> str:
    import socket  # writing only: `soc25 check` never does

    return fit_name(socket.gethostname(), _TEMP_HOST_ROOM)


def _temp_file(target: str) -> tuple[int, str]:
    import tempfile  # writing only: `soc25 check` never does

    folder, name = os.path.split(target)
    prefix = f".{_temp_stem(name)}.{_host()}-{os.getpid()}-"
    return tempfile.mkstemp(dir=folder or ".", prefix=prefix, suffix=".tmp")


def process_alive(pid: int) -> bool:
    """Whether process `pid` of this host runs (one we may not signal does)."""
    if sys.platform == "win32":
        # Not os.kill(pid, 0): on Windows any signal but CTRL_C/CTRL_BREAK is TerminateProcess,
        # which would end the very soc25 that holds the draft.
        return _windows_process_alive(pid, _Kernel32())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):  # no such pid can exist
        return False
    except OSError:  # PermissionError: someone else's
        return True
    return True


_STILL_ACTIVE = 259  # GetExitCodeProcess of a process that has not ended
_ACCESS_DENIED = 5  # OpenProcess of another user's process (a system service): it exists
_QUERY_LIMITED_INFORMATION = 0x1000


class _Kernel32:
    """The three calls of kernel32 that `_windows_process_alive` needs (ctypes: Windows only)."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        k.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        k.OpenProcess.restype = wintypes.HANDLE
        k.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        k.GetExitCodeProcess.restype = wintypes.BOOL
        k.CloseHandle.argtypes = (wintypes.HANDLE,)
        self._k, self._dword = k, wintypes.DWORD

    def open(self, pid: int) -> Any:
        return self._k.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)

    def last_error(self) -> int:
        return self._ctypes.get_last_error()  # type: ignore[attr-defined]

    def exit_code(self, handle: Any) -> int | None:
        code = self._dword()
        if not self._k.GetExitCodeProcess(handle, self._ctypes.byref(code)):
            return None
        return int(code.value)

    def close(self, handle: Any) -> None:
        self._k.CloseHandle(handle)


def _windows_process_alive(pid: int, kernel32: Any) -> bool:
    """`process_alive` on Windows: the process can be opened and has no exit code yet, or it
    exists but is not ours to open."""
    if not 0 < pid <= 0xFFFFFFFF:
        return False
    handle = kernel32.open(pid)
    if not handle:
        return kernel32.last_error() == _ACCESS_DENIED
    try:
        code = kernel32.exit_code(handle)
        return code is None or code == _STILL_ACTIVE
    finally:
        kernel32.close(handle)


def remove_stale_temps(target: str | os.PathLike[str]) -> None:
    """Remove the temporary files that interrupted writes of `target` left beside it (see
    above: never a live writer's). Best effort: what cannot be removed stays."""
    folder, name = os.path.split(os.fspath(target))
    host, me = _host(), os.getpid()
    names = "|".join(re.escape(it) for it in {name, _temp_stem(name)})  # older versions: whole
    pattern = re.compile(rf"\.(?:{names})\.(?:(?P<host>.+)-(?P<pid>\d+)-)?[a-z0-9_]{{8}}\.tmp")
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None:
            continue
        here = found["host"] == host
        if here and int(found["pid"]) == me:
            continue  # being written by this process
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            gone = here and not process_alive(int(found["pid"]))
            if not gone and time.time() - entry.stat(follow_symlinks=False).st_mtime < STALE_TEMP_SECONDS:
                continue
            os.unlink(entry.path)
        except OSError:
            continue


def _fill(fd: int, payload: bytes) -> None:
    """Write `payload` to the new file `fd` and flush it to the disk; closes `fd`."""
    with open(fd, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, like: str | os.PathLike[str] | None = None
) -> None:
    """Write `data` to `path` atomically; the old file stays intact on any failure.

    The file keeps its permissions and owner. With `like` (the draft, when writing its backup
    or its recovery file, which hold its contents) it takes those of `like` instead, so that
    a private draft has private copies; a new file otherwise gets the default mode.

    Through a symbolic link, the real file is replaced and the link stays. A file with hard
    links (other names of the same file) is replaced under the name written only: its other
    names keep the previous version, as the .bak does. Writing in place would keep them
    joined, but a crash in mid-write would then truncate the file under every name; a save
    never leaves a draft half written. (The lock, `session.Lock`, keeps two names of one file
    from being edited at once.)"""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path, like=like) as fh:
        fh.write(payload)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, like: str | os.PathLike[str] | None = None
) -> Iterator[BinaryIO]:
    """`write_atomic` for data written as it comes (`soc25 export` of thousands of drafts):
    a binary file to write into, a temporary file beside `path`. When the block ends, it is
    flushed to the disk and replaces `path` (as `write_atomic` says); when the block raises,
    it is removed and `path` is untouched. An OSError (a full disk) is a DraftError."""
    p = os.fspath(path)
    target = real_file(p)
    folder = os.path.dirname(target)
    current = _stat_or_none(target)
    if current is not None and not stat.S_ISREG(current.st_mode):
        # A FIFO, /dev/null, a socket: replacing it with a file would break what uses it (as
        # root, `summary -o /dev/null` would replace /dev/null). A folder: os.replace refuses.
        raise DraftError(f"{p}: impossibile salvare: {_not_a_file(current.st_mode)}")
    model = (_stat_or_none(os.fspath(like)) if like is not None else None) or current
    tmp: str | None = None
    done = False
    try:
        # A unique name: the SIGHUP handler may write the file while a worker thread does.
        fd, tmp = _temp_file(target)
        with open(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _give_mode(tmp, model)
        _replace(tmp, target)
        done = True
    except OSError as exc:
        kept = " Il file precedente è intatto." if current is not None else ""
        raise DraftError(f"{p}: impossibile salvare ({os_reason(exc, writing=True)}).{kept}") from None
    finally:
        if tmp is not None and not done:
            _unlink_quietly(tmp)
    remove_stale_temps(target)
    if hasattr(os, "O_DIRECTORY"):
        try:
            fd = os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _not_a_file(mode: int) -> str:
    kind = special_kind(mode)
    if kind == "una cartella":
        return "è una cartella, non un file."
    return f"non è un file regolare ma {kind}: non lo sostituisco."


def create_new(path: str, data: bytes, mode: int = 0o644) -> bool:
    """Create `path` holding `data`, whole from the first moment anyone can see it; False
    (nothing written) if `path` exists. The data go to a temporary file first, which os.link
    then names `path` (a link fails on an existing name, atomically). Where hard links are not
    supported (FAT, some network shares): O_EXCL and a write, the file removed again if the
    write fails. OSError when it cannot be created (a read-only folder, a full disk): nothing
    is left behind."""
    fd, tmp = _temp_file(path)
    try:
        _fill(fd, data)
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links here: below
    finally:
        _unlink_quietly(tmp)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    try:
        _fill(fd, data)
    except OSError:
        _unlink_quietly(path)
        raise
    return True


def save(path: str | os.PathLike[str], draft: Any, *, backup: bool = True) -> None:
    """Save atomically; the previous version (if any) becomes NAME.toml.bak. Over a file that
    is TOML, the comments, blank lines and order a person wrote in it are kept (`keeping`)."""
    from .compare import since_approval  # saving only: `soc25 check` never does
    from .keeping import keep_layout

    p = os.fspath(path)
    previous = _previous(p)
    if draft.review.state == "approvata" and previous is not None:
        # Changed after the approval: back to da-rivedere, the cells changed in a note.
        with contextlib.suppress(DraftError, UnicodeDecodeError):
            approved = loads(previous.decode("utf-8-sig"), p)
            if approved.review.state == "approvata":
                reconcile(draft, since_approval(approved, draft))
    reconcile(draft)
    text = dumps(draft) if previous is None else keep_layout(previous, dumps(draft), loads)
    if backup and previous is not None:
        try:
            write_atomic(backup_path(p), previous, like=p)
        except (OSError, DraftError):
            pass  # a backup that cannot be written must not stop the save itself
    write_atomic(p, text)


def _previous(p: str) -> bytes | None:
    """The bytes of the file a save replaces; None if there is none, or none to read (a
    folder, a FIFO, which is never opened, a file without read permission)."""
    if not os.path.isfile(p):
        return None
    try:
        with open(p, "rb") as fh:
            return fh.read()
    except OSError:
        return None

