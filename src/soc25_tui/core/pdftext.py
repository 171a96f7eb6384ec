"""A printed form's PDF -> its text, line by line, for `importer.parse_printed`.

The portal prints the form as a PDF; the importer reads the text of that print. This module
makes the text: pdfminer.six (pure Python) gives every character of every page with its
box, and the characters are laid out here as a person reads the page:

- a line is every upright character of a page at the same height, whatever the column:
  a table row reads left to right («M12 - Utenti famiglia e minori 327 1131 81489 72», the
  four figures of a row on one line: the importer takes a row's figures from one line);
- characters further apart than a space's worth get one space between them;
- a vertical gap wider than half a line between two lines is a blank line (the gap between
  two blocks: the relazione R40 keeps its paragraphs by them), and pages are apart by two;
- rotated text (a watermark, a vertical side title) is not part of any line; a page only
  shown turned (its /Rotate, as a viewer saves a page turned by the person) is read as
  printed.

pdfminer is imported here only, when a PDF is read: `soc25 check` never pays for it.

The PDF is someone else's file: it may be a scan (no text at all), protected by a password,
damaged, truncated, or made to be slow or huge. Every refusal is a `PdfError` whose
str() is Italian and says what to do; whatever pdfminer raises on a hostile file becomes
one. The bounds (pages, characters, the objects read from the pages' content streams, the
size a compressed stream may inflate to) are in `limits`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections.abc import Iterator
from typing import Any

from . import limits
from .numbers import format_number


class PdfError(Exception):
    """A PDF whose text cannot be read; str() is Italian (`importer.read_printed` gives it as
    the importer's own error)."""


# What soc25 says when a PDF cannot be read (our wording: the portal says nothing of this).
NO_TEXT = (
    "il PDF non contiene testo da leggere: probabilmente è una scansione (un'immagine delle "
    "pagine). Scaricare dal portale la stampa in PDF della scheda, che contiene il testo, e "
    "importare quella; oppure inserire i dati a mano in una nuova bozza."
)
ONLY_ROTATED = (
    "il testo del PDF è tutto ruotato o in verticale: non si legge come la stampa del "
    "portale. Importare la stampa in PDF scaricata dal portale, senza modificarla."
)
PASSWORD = (
    "il PDF è protetto da una password: soc25 non può aprirlo. Aprirlo con la password nel "
    "lettore PDF, salvarne una copia senza protezione (ad esempio «Stampa» → «Salva come "
    "PDF») e importare quella."
)
ENCRYPTED = (
    "il PDF è cifrato in un modo che soc25 non sa leggere. Salvarne una copia senza "
    "protezione dal lettore PDF (ad esempio «Stampa» → «Salva come PDF») e importare quella."
)
DAMAGED = (
    "il PDF è danneggiato o incompleto e non si riesce a leggere. Scaricare di nuovo la "
    "stampa dal portale."
)
EMPTY = (
    "le pagine del PDF sono vuote o danneggiate: non c'è testo da leggere. Scaricare di nuovo "
    "la stampa dal portale."
)
NO_PAGES = "il PDF non ha pagine (è danneggiato o incompleto). Scaricare di nuovo la stampa dal portale."
NO_PDFMINER = (
    "per leggere un PDF serve il pacchetto pdfminer.six, che non è installato: installarlo "
    "(pip install pdfminer.six), oppure estrarre il testo del PDF in un file .txt e "
    "importare quello."
)


def too_many_pages(limit: int) -> str:
    return (
        f"il PDF ha più di {limit} pagine: la stampa di una scheda SOC25 ne ha 7. "
        "Importare il PDF della sola scheda."
    )


def too_much(what: str) -> str:
    return (
        f"il PDF contiene troppi dati per essere la stampa di una scheda SOC25 ({what}). "
        "Importare il PDF della sola scheda scaricato dal portale."
    )


# Text layout, as fractions of a character's height (its font size).
_SAME_LINE = 0.5  # two characters whose middles differ by less are on one line
_WORD_GAP = 0.1  # a horizontal gap wider than this (of width or height) is a space (as pdfminer)
_LEVEL = 0.05  # a baseline rising more than this (about 3 degrees) is turned text
_BLOCK_GAP = 0.5  # a vertical gap between two lines wider than this is a blank line


_STREAM_COST = 20  # what running one content stream (a form drawn) costs, in objects read


class _TooMuch(Exception):
    """A bound of `limits` passed while the PDF is read; str() is Italian."""


def pdf_text(data: bytes) -> str:
    """The text of the PDF `data`, a line of the text a line of the page.

    Raises PdfError (Italian) for a PDF that has no text, a password, too many pages or
    too much data, or that cannot be read."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfdocument import (
            PDFDocument,
            PDFEncryptionError,
            PDFPasswordIncorrect,
        )
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:
        raise PdfError(NO_PDFMINER) from None

    _bound_inflation()
    work = _Work(limits.MAX_PDF_TOKENS)

    class Device(PDFPageAggregator):
        """pdfminer's page of characters, counting them: a page made of millions of
        characters is refused while it is read, not after. Lines and shapes are not kept
        (only characters and images are looked at)."""

        chars = 0

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            Device.chars += 1
            if Device.chars > limits.MAX_PDF_CHARS:
                raise _TooMuch(too_much(f"più di {format_number(limits.MAX_PDF_CHARS)} caratteri"))
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            return None

    class Interpreter(PDFPageInterpreter):
        """pdfminer's interpreter, its content streams read within `work` (a form drawn in
        a form is read again each time: `subinterp` makes one of this class)."""

        def execute(self, streams: Any) -> None:
            work.spend(_STREAM_COST)  # a stream run (a form drawn) costs some objects' time
            with work.counting():
                super().execute(streams)

    quiet = _Quiet()  # pdfminer's warnings are English and not the person's business
    pages: list[list[str]] = []
    upright = rotated = images = 0
    try:
        with quiet:
            document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
            found = []
            for page in PDFPage.create_pages(document):
                found.append(page)
                if len(found) > limits.MAX_PDF_PAGES:
                    raise _TooMuch(too_many_pages(limits.MAX_PDF_PAGES))
            resources = PDFResourceManager(caching=True)
            device = Device(resources, laparams=None)
            interpreter = Interpreter(resources, device)
            for page in found:
                page.rotate = 0  # a page shown turned (/Rotate, as a viewer saves it) is read as printed
                interpreter.process_page(page)
                chars, turned, pictures = _chars(device.get_result())
                upright += len(chars)
                rotated += turned
                images += pictures
                pages.append(_lines(chars))
    except _TooMuch as exc:
        raise PdfError(str(exc)) from None
    except PDFPasswordIncorrect:
        raise PdfError(PASSWORD) from None
    except PDFEncryptionError:
        raise PdfError(ENCRYPTED) from None
    except Exception:  # noqa: BLE001 - pdfminer on a hostile file: PDFSyntaxError, PSEOF, KeyError, ...
        raise PdfError(DAMAGED) from None
    if not pages:
        raise PdfError(NO_PAGES)
    if not upright:
        raise PdfError(ONLY_ROTATED if rotated else NO_TEXT if images else EMPTY)
    text = "\n\n\n".join("\n".join(lines) for lines in pages) + "\n"
    if not text.strip():
        raise PdfError(EMPTY)  # only blanks: nothing a person could read
    return text


def _chars(page: Any) -> tuple[list[Any], int, int]:
    """The level characters of a page (those of its figures included), and how many are
    turned, and how many images it shows. Figures nest as deep as the file says: walked without recursion."""
    from pdfminer.layout import LTChar, LTContainer, LTImage

    out: list[Any] = []
    turned = images = 0
    stack = [page]
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            a, b, _, d, _, _ = item.matrix
            if not (a > 0 and d > 0 and abs(b) <= _LEVEL * a):  # its baseline turned, or mirrored
                turned += 1  # (a slant, c, is an italic: read)
            elif item.height > 0:
                out.append(item)
        elif isinstance(item, LTContainer):
            stack.extend(item)
        elif isinstance(item, LTImage):
            images += 1
    return out, turned, images


def _lines(chars: list[Any]) -> list[str]:
    """The page's characters as lines of text, top to bottom; blank lines between blocks."""
    chars.sort(key=lambda c: -(c.y0 + c.y1))
    rows: list[list[Any]] = []
    middle = height = 0.0
    for c in chars:
        mid = (c.y0 + c.y1) / 2
        if rows and middle - mid < _SAME_LINE * min(height, c.height):
            rows[-1].append(c)
        else:
            rows.append([c])
            middle, height = mid, c.height
    out: list[str] = []
    below = None  # the bottom of the line above
    for row in rows:
        top = max(c.y1 for c in row)
        bottom = min(c.y0 for c in row)
        size = max(c.height for c in row)
        if below is not None and below - top > _BLOCK_GAP * size:
            out.append("")
        below = bottom
        out.append(_row_text(row))
    return out


def _row_text(row: list[Any]) -> str:
    row.sort(key=lambda c: c.x0 + c.x1)  # by the middle: a glyph of no width stays before the next
    parts: list[str] = []
    right = None  # the right edge of the character before
    for c in row:
        text = c.get_text()
        apart = right is not None and c.x0 - right > _WORD_GAP * max(c.width, c.height)
        if apart and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
        right = c.x1 if right is None else max(right, c.x1)
    return "".join(parts).rstrip()


class _Work:
    """The objects left to read from content streams, over the whole PDF: pdfminer's content
    parser counts them down while `counting()` (its `nexttoken`, wrapped once, counts only
    then: pdfminer's other parsers are not bounded here)."""

    active: _Work | None = None

    def __init__(self, left: int):
        self.left = left

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        _count_tokens()
        outer, _Work.active = _Work.active, self
        try:
            yield
        finally:
            _Work.active = outer

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _TooMuch(too_much(f"più di {format_number(limits.MAX_PDF_TOKENS)} elementi nelle pagine"))


def _count_tokens() -> None:
    from pdfminer.pdfinterp import PDFContentParser

    if getattr(PDFContentParser.nexttoken, "_soc25_counted", False):
        return
    plain = PDFContentParser.nexttoken

    def nexttoken(self: Any) -> Any:
        if _Work.active is not None:
            _Work.active.spend()
        return plain(self)

    nexttoken._soc25_counted = True  # type: ignore[attr-defined]
    PDFContentParser.nexttoken = nexttoken  # type: ignore[method-assign]


class _Quiet:
    """pdfminer's log (English warnings on odd files) silenced while a PDF is read."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("pdfminer")
        self.was = self.logger.propagate, self.logger.level
        self.logger.propagate = False
        self.logger.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc: object) -> None:
        self.logger.propagate, level = self.was
        self.logger.setLevel(level)


class _BoundedZlib:
    """pdfminer's `zlib`, bounded: a compressed stream never inflates past
    `limits.MAX_PDF_STREAM_BYTES` (a few kB of zeros can inflate to gigabytes), and a damaged
    one gives what could be inflated of it, in linear time (pdfminer's own retry reads it
    again a byte at a time, each time copying what it has)."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        limit = limits.MAX_PDF_STREAM_BYTES
        inflater = zlib.decompressobj()
        out: list[bytes] = []
        size = pos = 0
        step = 1 << 16
        while pos < len(data) and not inflater.eof:
            before = inflater.copy()
            try:
                piece = inflater.decompress(data[pos:pos + step], limit + 1 - size)
            except zlib.error:  # damaged here: what comes before it is kept, as pdfminer does,
                if step == 1:  # found in smaller and smaller steps (each byte read at most
                    break  # four times: linear)
                inflater, step = before, max(1, step >> 6)
                continue
            pos += step
            size += len(piece)
            out.append(piece)
            if size > limit or inflater.unconsumed_tail:
                raise _TooMuch(too_much(f"un flusso compresso di oltre {limits.megabytes(limit)}"))
        return b"".join(out)


def _bound_inflation() -> None:
    import pdfminer.pdftypes

    pdfminer.pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]
