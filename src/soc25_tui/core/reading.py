"""Reading a file someone else wrote: a printed form's text (`read_text`), or the bytes of a
file its reader decodes itself (`read_bytes`: a draft, which is UTF-8 and nothing else).

The file is untrusted: it may be a folder, a FIFO that would block the reader for ever, a
device, a file of gigabytes, a PDF or an image instead of its text, or text saved by Windows
Notepad. `read_text` looks at what the path is (`os.stat`) before opening it, opens it
without blocking, reads at most `limit` + 1 bytes, and decodes it:

- UTF-8, with or without a BOM, first;
- UTF-16 with a BOM (Notepad's «Unicode»);
- else Windows-1252 (Notepad's «ANSI» on an Italian Windows: «à», «è», «€», “ ”), which
  is said in `TextFile.encoding` so that the caller can tell the person.

Data with NUL bytes, or bytes Windows-1252 does not define, is not text. Every refusal is a
`ReadError` whose str() is Italian, names the file and says what was expected.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from typing import NamedTuple

from .limits import megabytes

UTF8, UTF16, CP1252 = "UTF-8", "UTF-16", "Windows-1252"

# What the operating system says, in Italian: its English never reaches the person. One
# table for every reader and writer of files; the errors whose sense depends on whether a file
# was being read or written are given each way.
_OS_REASONS = {
    errno.ENOTDIR: "una parte del percorso non è una cartella",
    errno.ELOOP: "troppi collegamenti simbolici nel percorso",
    errno.ENAMETOOLONG: "nome o percorso troppo lungo",
    errno.EIO: "errore del disco",
    errno.EISDIR: "è una cartella",
    errno.ENOSPC: "disco pieno",
    errno.EROFS: "disco in sola lettura",
}
_WHEN_READING = {
    errno.ENOENT: "il file non esiste",
    errno.EACCES: "permesso di lettura negato",
    errno.EPERM: "permesso di lettura negato",
}
_WHEN_WRITING = {
    errno.ENOENT: "la cartella non esiste",
    errno.EACCES: "permesso negato",
    errno.EPERM: "operazione non permessa",
}


def os_reason(exc: OSError, *, writing: bool = False) -> str:
    """An operating-system error in Italian, for a file being read or (`writing`) written."""
    code = exc.errno or 0
    return ((_WHEN_WRITING if writing else _WHEN_READING).get(code) or _OS_REASONS.get(code)
            or f"errore di sistema {errno.errorcode.get(code, code)}")


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular one is, in Italian («una pipe (FIFO)»); None for a
    regular file. Neither read nor replaced: a FIFO would hang a reader, and replacing
    /dev/null with a file would break the system."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "una cartella"
    if stat.S_ISFIFO(mode):
        return "una pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "un socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un dispositivo"
    return "un file speciale"


_BINARY = "il file non è testo (contiene dati binari)"


class ReadError(Exception):
    """A file that cannot be read as text; str() is Italian and names the file."""


class TextFile(NamedTuple):
    text: str
    encoding: str  # UTF8, UTF16 or CP1252


def read_text(path: str | os.PathLike[str], *, limit: int, expected: str) -> TextFile:
    """The text of the regular file at `path`, of at most `limit` bytes.

    `expected` completes a refusal: «STAMPA.txt: è una cartella; atteso {expected}.»"""
    data = read_bytes(path, limit=limit, expected=expected)
    try:
        return _decode(data)
    except _Refused as exc:
        raise ReadError(f"{os.fspath(path)}: {exc}; atteso {expected}.") from None


# A PDF is known by its content, whatever its name: «%PDF-» in its first kilobyte (readers
# accept a little before it).
PDF_MAGIC = b"%PDF-"
PDF_HEAD = 1024


def is_pdf(data: bytes) -> bool:
    return data.find(PDF_MAGIC, 0, PDF_HEAD) >= 0


def read_form(path: str | os.PathLike[str], *, limit: int, pdf_limit: int, expected: str) -> bytes | TextFile:
    """A printed form: the bytes of a PDF (`is_pdf`) of at most `pdf_limit` bytes, or the
    text of any other file as `read_text` gives it, of at most `limit` bytes. Refusals as
    `read_text`'s; the size is known to be too big before the file is read past its start."""
    data = read_bytes(path, limit=limit, expected=expected, pdf_limit=pdf_limit)
    if is_pdf(data):
        return data
    try:
        return _decode(data)
    except _Refused as exc:
        raise ReadError(f"{os.fspath(path)}: {exc}; atteso {expected}.") from None


def read_bytes(path: str | os.PathLike[str], *, limit: int, expected: str, pdf_limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`, of at most `limit` bytes, for a reader that
    decodes them itself (a draft is UTF-8 and nothing else); of at most `pdf_limit`, if
    given, when they are a PDF's. Refusals as `read_text`'s."""
    p = os.fspath(path)
    try:
        return _read_regular(p, limit, pdf_limit)
    except _Refused as exc:
        reason = str(exc)
    except FileNotFoundError:
        raise ReadError(f"{p}: il file non esiste.") from None  # nothing there to be unlike `expected`
    except OSError as exc:
        reason = os_reason(exc)
    raise ReadError(f"{p}: {reason}; atteso {expected}.")


class _Refused(Exception):
    """Why the file is not read, in Italian."""


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _read_regular(p: str, limit: int, pdf_limit: int | None = None) -> bytes:
    _refuse_unless_regular(os.stat(p).st_mode)  # a FIFO or a device is never opened
    # Non-blocking all the same: a FIFO put in the file's place since the stat must not hang
    # the open (the check after it refuses it).
    fd = os.open(p, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY | _O_BINARY)
    try:
        info = os.fstat(fd)
        _refuse_unless_regular(info.st_mode)
        head = b""
        if pdf_limit is not None:  # what the file is decides how big it may be
            head = _read_at_most(fd, PDF_HEAD)
            if is_pdf(head):
                limit = pdf_limit
        if info.st_size > limit:
            raise _too_big(limit, info.st_size)
        data = head + _read_at_most(fd, limit + 1 - len(head))  # never more, whatever st_size said
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew since, or its size is not known (/proc)
        raise _too_big(limit)
    return data


def _refuse_unless_regular(mode: int) -> None:
    kind = special_kind(mode)
    if kind == "una cartella":
        raise _Refused("è una cartella")
    if kind is not None:
        raise _Refused(f"è {kind}, non un file")


def _too_big(limit: int, size: int | None = None) -> _Refused:
    shown = f" ({megabytes(size)})" if size is not None and megabytes(size) != megabytes(limit) else ""
    return _Refused(f"il file è troppo grande{shown}: al massimo {megabytes(limit)}")


def _read_at_most(fd: int, n: int) -> bytes:
    chunks: list[bytes] = []
    while n > 0:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> TextFile:
    if data.startswith(b"%PDF-"):
        raise _Refused(
            "è un PDF, non il suo testo: estrarne prima il testo (ad esempio con "
            "«pdftotext STAMPA.pdf STAMPA.txt», o copiandolo dal lettore PDF in un "
            "file .txt)"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Refused("il file non è testo (UTF-16 non valido)") from None
        if "\0" in text:
            raise _Refused(_BINARY)
        return TextFile(text, UTF16)
    if b"\0" in data:
        raise _Refused(_BINARY)
    try:
        return TextFile(data.decode("utf-8-sig"), UTF8)
    except UnicodeDecodeError:
        pass
    try:
        return TextFile(data.decode("cp1252"), CP1252)
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no text has them
        raise _Refused("il file non è testo (né UTF-8 né Windows-1252)") from None
