"""Reading a text file someone else wrote: what it is decides before it is opened, no more
than the limit is ever read, and the encodings Windows Notepad saves are read as text."""

import codecs
import errno
import os
import stat

import pytest

from soc25_tui.core import reading
from soc25_tui.core.reading import CP1252, UTF8, UTF16, ReadError, read_text

EXPECTED = "il testo di una prova"
TEXT = "Città di Forlì: 1.234,50 € “spesa” – l’ente\nseconda riga\n"


def read(path, limit=1000):
    return read_text(path, limit=limit, expected=EXPECTED)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), UTF8),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), UTF8),
        (TEXT.encode("cp1252"), CP1252),  # Notepad's «ANSI»
        (TEXT.encode("utf-16"), UTF16),  # Notepad's «Unicode»: a BOM, then UTF-16 LE
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), UTF16),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-le", "utf16-be"],
)
def test_the_same_text_whatever_notepad_saved(tmp_path, data, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    assert read(path) == (TEXT, encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "il file non è testo (contiene dati binari)"),
        (codecs.BOM_UTF16_LE + b"P\x00K\x00\x03\x00\x04\x00\x00\x00", "il file non è testo (contiene dati binari)"),
        (b"Citt\xe0 \x81\x8d", "il file non è testo (né UTF-8 né Windows-1252)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "è un PDF, non il suo testo: estrarne prima il testo"),
    ],
    ids=["nul-bytes", "nul-in-utf16", "undefined-in-cp1252", "pdf"],
)
def test_what_is_not_text_is_refused_naming_the_file(tmp_path, data, reason):
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as exc:
        read(path)
    assert str(exc.value).startswith(f"{path}: {reason}")
    assert str(exc.value).endswith(f"; atteso {EXPECTED}.")


def test_a_folder_a_fifo_and_a_missing_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = {tmp_path: "è una cartella", fifo: "è una pipe (FIFO), non un file",
             tmp_path / "manca.txt": "il file non esiste"}
    for path, reason in cases.items():
        with pytest.raises(ReadError) as exc:
            read(path)  # a FIFO with no writer would block an open() for reading for ever
        # A missing file is not "unlike what was expected": nothing more to say.
        tail = "." if reason == "il file non esiste" else f"; atteso {EXPECTED}."
        assert str(exc.value) == f"{path}: {reason}{tail}"


def test_a_device_is_not_opened(monkeypatch):
    opened = []
    monkeypatch.setattr(reading.os, "open", lambda *a, **k: opened.append(a))
    with pytest.raises(ReadError, match="è un dispositivo, non un file"):
        read("/dev/zero")  # endless: reading it "to the limit" would still be wrong
    assert opened == []


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(reading.os, "open", denied)  # root reads a chmod 000 file all the same
    with pytest.raises(ReadError) as exc:
        read(path)
    assert str(exc.value) == f"{path}: permesso di lettura negato; atteso {EXPECTED}."


def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "t.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs, no disk used
    read_bytes = []
    real_read = os.read
    monkeypatch.setattr(reading.os, "read", lambda fd, n: read_bytes.append(n) or real_read(fd, n))
    with pytest.raises(ReadError) as exc:
        read(path, limit=4 * 1024 * 1024)
    assert str(exc.value) == f"{path}: il file è troppo grande (50 MB): al massimo 4 MB; atteso {EXPECTED}."
    assert read_bytes == []


def test_never_more_than_the_limit_is_read_whatever_the_size_said(tmp_path, monkeypatch):
    """A file that grows after the check, or whose size the system does not know (/proc)."""
    path = tmp_path / "t.txt"
    mb = 1024 * 1024
    path.write_bytes(b"x" * (mb + 5000))
    real_fstat, real_read = os.fstat, os.read

    def small(fd):
        st = real_fstat(fd)
        return os.stat_result((stat.S_IFREG | 0o644, *tuple(st)[1:6], 0, *tuple(st)[7:10]))

    got = []
    monkeypatch.setattr(reading.os, "fstat", small)
    monkeypatch.setattr(reading.os, "read", lambda fd, n: got.append(real_read(fd, n)) or got[-1])
    with pytest.raises(ReadError) as exc:
        read(path, limit=mb)
    assert str(exc.value) == f"{path}: il file è troppo grande: al massimo 1 MB; atteso {EXPECTED}."
    assert sum(map(len, got)) == mb + 1


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * 1000)
    assert read(path, limit=1000).text == "x" * 1000
