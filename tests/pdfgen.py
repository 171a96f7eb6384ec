"""A minimal PDF writer for tests: text placed at given points in the standard Helvetica
font, pages of an image only (a scan), and the standard RC4 protection with a password.

No dependency: the file is written by hand as the PDF reference describes it (objects, a
cross-reference table, a trailer). Text is encoded in WinAnsi, as a PDF maker does for a
standard font; a character WinAnsi lacks (the print's «‐» U+2010, «≥») is given a free code
and named `uniXXXX` in the font's /Differences, so that a reader maps it back.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import NamedTuple

WIDTH, HEIGHT = 595, 842  # A4, in points
CHAR_WIDTH = 600  # a glyph's width at most, about, in thousandths of the font size (for layout)


class Text(NamedTuple):
    x: float
    y: float  # the baseline
    size: float
    text: str
    turned: bool = False  # drawn at 45 degrees (a watermark)


def _winansi() -> dict[str, int]:
    table = {chr(c): c for c in range(32, 127)}
    for code in range(128, 256):
        try:
            ch = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        table[ch] = code
    return table


_WINANSI = _winansi()
_FREE = [c for c in range(1, 32) if c not in (9, 10, 13)]  # codes WinAnsi leaves unused


class _Encoding:
    def __init__(self, texts: list[str]):
        self.extra: dict[str, int] = {}
        for text in texts:
            for ch in text:
                if ch not in _WINANSI and ch not in self.extra:
                    self.extra[ch] = _FREE[len(self.extra)]

    def encode(self, text: str) -> bytes:
        raw = bytes(_WINANSI.get(ch) or self.extra[ch] for ch in text)
        out = bytearray(b"(")
        for b in raw:
            out += b"\\%03o" % b if b in b"()\\" or b < 32 or b > 126 else bytes([b])
        return bytes(out + b")")

    def font(self) -> bytes:
        diffs = b" ".join(b"%d /uni%04X" % (code, ord(ch)) for ch, code in self.extra.items())
        return (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding "
                b"/Differences [" + diffs + b"] >> >>")


def text_width(text: str, size: float) -> float:
    return len(text) * CHAR_WIDTH / 1000 * size


def pdf(pages: list[list[Text]], *, password: str | None = None, compress: bool = True, padding: bytes = b"") -> bytes:
    """A PDF of `pages`, each a list of texts; protected by `password` (RC4, 40 bits, the
    standard security handler) if given; `padding` ends every page's content (a comment
    makes a stream as big as wanted)."""
    enc = _Encoding([t.text for page in pages for t in page])
    contents = []
    for page in pages:
        ops = [b"BT"]
        for t in page:
            matrix = b"0.707 0.707 -0.707 0.707" if t.turned else b"1 0 0 1"
            ops.append(b"/F1 %.2f Tf %s %.2f %.2f Tm %s Tj" % (t.size, matrix, t.x, t.y, enc.encode(t.text)))
        ops.append(b"ET")
        ops.append(padding)
        contents.append(b"\n".join(ops))
    return _document(contents, [b"/Font << /F1 3 0 R >>"] * len(pages), enc.font(), password=password,
                     compress=compress)


def image_pdf(n_pages: int = 2) -> bytes:
    """A scan: pages that show an image each, and no text at all."""
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(40) for x in range(30))
    image = (b"<< /Type /XObject /Subtype /Image /Width 30 /Height 40 /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(zlib.compress(pixels))
             + zlib.compress(pixels) + b"\nendstream")
    contents = [b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (WIDTH, HEIGHT)] * n_pages
    return _document(contents, [b"/XObject << /Im1 3 0 R >>"] * n_pages, image, compress=False)


# The standard security handler, revision 2 (PDF reference, algorithms 3.1-3.4).
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _document(contents: list[bytes], resources: list[bytes], shared: bytes, *, password: str | None = None,
              compress: bool = True) -> bytes:
    """Objects: 1 catalog, 2 page tree, 3 the shared resource (font or image), then a page
    and its content stream for each page."""
    n = len(contents)
    file_id = hashlib.md5(b"soc25 test %d" % n).digest()
    key = None
    encrypt = b""
    if password is not None:
        owner = _rc4(hashlib.md5(_padded("proprietario")).digest()[:5], _padded(password))
        permissions = -4
        key = hashlib.md5(_padded(password) + owner + permissions.to_bytes(4, "little", signed=True)
                          + file_id).digest()[:5]
        user = _rc4(key, _PAD)
        encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <"
                   + user.hex().encode() + b"> /P %d >>" % permissions)

    def stream(objnum: int, data: bytes) -> bytes:
        filt = b""
        if compress:
            data, filt = zlib.compress(data), b" /Filter /FlateDecode"
        if key is not None:
            data = _rc4(hashlib.md5(key + objnum.to_bytes(3, "little") + b"\0\0").digest()[:10], data)
        return b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream"

    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
               shared]
    if key is not None and shared.startswith(b"<< /Type /XObject"):
        raise ValueError("an encrypted scan is not needed")
    for i, content in enumerate(contents):
        page_obj = 4 + 2 * i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << %s >> /Contents %d 0 R >>"
                       % (WIDTH, HEIGHT, resources[i], page_obj + 1))
        objects.append(stream(page_obj + 1, content))
    if encrypt:
        objects.append(encrypt)
    hexid = file_id.hex().encode()
    trailer = b" /ID [<%s> <%s>]" % (hexid, hexid) + (b" /Encrypt %d 0 R" % len(objects) if encrypt else b"")
    return assemble(objects, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", trailer=trailer)


def assemble(objects: list[bytes], *, header: bytes = b"%PDF-1.4\n", trailer: bytes = b"") -> bytes:
    """A PDF file of `objects` (numbered from 1; the first is the catalog): the header, the
    objects, their cross-reference table, and the trailer with `trailer` added to it."""
    out = bytearray(header)
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)
