"""The bounds every value from outside passes before any rule or formatter sees it.

A draft, a printed form, a pasted text and a keystroke are someone else's data: a figure no
Comune can have, a text of megabytes, a value nested a thousand deep must become a problem
on the named cell or a clear Italian refusal, never an exception deep in a rule, a formatter
or the TUI. The bounds are generous (ten times and more what a real form holds) so that they
never refuse a real figure; what they refuse is kept verbatim where it can be (a draft's cell)
and shown shortened.
"""

from __future__ import annotations

from .layout import CELL_BY_NAME, R40_MAX_CHARS, Kind

# A figure: at most 15 digits before the decimal comma (999.999.999.999.999). The largest real
# amounts are a Comune's yearly spending, ten or eleven digits; 15 keeps every product and
# quotient the rules compute well inside Decimal's 28 digits.
MAX_INTEGER_DIGITS = 15
LARGEST_FIGURE = 10**MAX_INTEGER_DIGITS - 1

# A text cell: R40 may hold ten times the form's 6.000 characters (the excess is an error the
# person sees and trims, kept meanwhile); any other text (Comune, ATS, a Quadro 3 method) as
# many as the form's longest text, R40.
R40_MAX_KEPT = 10 * R40_MAX_CHARS
TEXT_MAX_CHARS = R40_MAX_CHARS

# A figure as typed: sign, euro, 15 digits, their thousands separators, a comma and decimals
# are far below this; what is longer is refused before it is read.
MAX_FIGURE_CHARS = 64

# Files: a draft is a few kB and a printed form's text some tens; a few MB is far past both.
MAX_DRAFT_BYTES = 4 * 1024 * 1024
MAX_FORM_BYTES = 4 * 1024 * 1024

# A printed form's PDF: the portal's print is 7 pages, some tens of kB, about 20.000
# characters; a scan of it some MB. The bounds are ten times and more, and also bound the
# time pdfminer takes on a file made to be slow: its pages, its characters, and what a
# compressed stream may inflate to (a few kB of zeros inflate to gigabytes).
MAX_PDF_BYTES = 32 * 1024 * 1024
MAX_PDF_PAGES = 70
MAX_PDF_CHARS = 200_000
# The objects pdfminer reads from all the content streams it runs, forms drawn inside forms
# included (each time drawn): the print has some 100.000; a form drawing a form ten times,
# nine deep, would otherwise be a billion from a 2 kB file. A few seconds at most here.
MAX_PDF_TOKENS = 500_000
MAX_PDF_STREAM_BYTES = 16 * 1024 * 1024

# A cell's value is a number, a text or (kept verbatim when unreadable) a short list: never
# nested deeper than this in a draft.
MAX_NESTING = 16

# How much of a refused value a message shows.
SHOWN_CHARS = 40


def text_limit(name: str) -> int:
    """The most characters a text cell keeps as its value."""
    return R40_MAX_KEPT if name == "R40" else TEXT_MAX_CHARS


def typed_limit(name: str) -> int:
    """The most characters the edit line of cell `name` takes: a text cell's bound, or a
    figure's (a paste of megabytes is refused at once, not read)."""
    cell = CELL_BY_NAME.get(name)
    return text_limit(name) if cell is None or cell.kind is Kind.TEXT else MAX_FIGURE_CHARS


def shortened(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` as a message quotes it: whole when short, else its start, «…» and its length
    («1000000000000000000000000000000000000000… (4.000 caratteri)»)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({_thousands(len(text))} caratteri)"


def megabytes(n: int) -> str:
    """A size in Italian: «4 MB», «12,5 MB»."""
    mb = n / (1024 * 1024)
    text = f"{mb:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " MB"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")
