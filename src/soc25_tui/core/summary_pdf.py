"""The summary as a PDF (`soc25 summary --format pdf`): the same document as the other formats.

The blocks of `document.document` (headings, paragraphs, the portal's messages, tables, label:
value fields, lists, pictures) laid out on A4 with fpdf2, pure Python: the Quadri each from a
new page, tables whose heading row is repeated on every page they cross, the problems and the
review notes at the end, «Pagina N di M» at the foot of each page, the title and the Comune at
its head.

The text is text: the font (DejaVu Sans Condensed, shipped in soc25_tui/fonts, licence
beside it) is embedded as a subset with its Unicode map, so the PDF prints the same on any PC
and a PDF-to-text tool gives back every code and figure. Condensed: the summary's widest
tables (six columns of Quadro 1, Quadro 3's five) fit A4 portrait with the figures on one line.
The pictures are drawn (rectangles), their labels and figures written as text beside them.

Draft text is someone else's: control characters are already shown by `document` (␛, ⟨U+009B⟩);
what the font has no glyph for (an emoji it lacks, the control pictures) is written as its code
point, ⟨U+1F9FE⟩, never dropped and never a failure. fpdf2 is imported here only, on first use.
"""

from __future__ import annotations

import importlib.resources
from typing import Any

from . import charts
from . import document as d
from . import messages
from .assess import Assessment, assess
from .layout import QUADRO_TITLES

FONT = "DejaVuSansCondensed"
_FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}

# Sizes in points, lengths in millimetres (fpdf2's default unit).
BODY = 9.5
SMALL = 8
TABLE = 8.5
LINE = 4.6  # a line of body text
TABLE_LINE = 4.0
MARGIN = 15
# Where a heading or a table would start lower than this above the page's foot, it starts on
# the next page: no heading alone at the bottom, no table with its heading row only.
KEEP = 30
# A table cell taller than this is written after its table, in full: fpdf2 cannot split a
# row across pages (an R40-sized modalità would stop the whole PDF).
CELL_MAX = 90

INK = (0, 0, 0)
GREY = (80, 80, 80)
RULE = (150, 150, 150)
SHADE = (235, 235, 235)
FLAG = (150, 40, 0)
BAR = (40, 90, 140)

# The Quadri and the end matter start on a new page (not the first section: it follows the title).
_PAGE_HEADINGS = {*QUADRO_TITLES.values(), "Problemi da risolvere"}


def render(draft: Any, assessment: Assessment | None = None) -> bytes:
    """The summary of `draft` as the bytes of a PDF file."""
    a = assessment or assess(draft)
    blocks = d.document(draft, a)
    pdf = _new_pdf(d.doc_title(draft))
    writer = _Writer(pdf)
    for b in blocks:
        writer.block(b)
    return bytes(pdf.output())


# --- glyphs ---------------------------------------------------------------------------------------


def _safe_text(covered: frozenset[int]):  # type: ignore[no-untyped-def]
    """A function putting the text into the font: a character without a glyph becomes its code
    point (⟨U+1F9FE⟩); a control picture of `visible` (␛, not in the font) the control it shows
    (⟨U+001B⟩); a tab four spaces. Text all inside the font passes unchanged."""

    def code(ch: str) -> str:
        n = ord(ch)
        if 0x2400 <= n <= 0x241F:  # ␀ ... ␟: the C0 control they picture
            n -= 0x2400
        elif n == 0x2421:  # ␡
            n = 0x7F
        return f"⟨U+{n:04X}⟩"

    def safe(text: str) -> str:
        if all(ord(ch) in covered or ch == "\n" for ch in text):
            return text
        out = []
        for ch in text:
            if ch == "\t":
                out.append("    ")
            elif ch == "\n" or ord(ch) in covered:
                out.append(ch)
            else:
                out.append(code(ch))
        return "".join(out)

    return safe


# --- the document ---------------------------------------------------------------------------------


def _new_pdf(title: str):  # type: ignore[no-untyped-def]
    from fpdf import FPDF, ViewerPreferences

    class _Pdf(FPDF):  # type: ignore[misc]
        running = ""

        def header(self) -> None:
            self.set_font(FONT, "", SMALL)
            self.set_text_color(*GREY)
            self.set_y(7)
            self.cell(0, 4, self.running, align="L")
            self.set_y(self.t_margin)
            self.set_text_color(*INK)

        def footer(self) -> None:
            self.set_y(-11)
            self.set_font(FONT, "", SMALL)
            self.set_text_color(*GREY)
            self.cell(0, 4, f"Pagina {self.page_no()} di {{nb}}", align="C")
            self.set_text_color(*INK)

    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    fonts = importlib.resources.files("soc25_tui") / "fonts"
    for style, name in _FONT_FILES.items():
        with importlib.resources.as_file(fonts / name) as path:
            pdf.add_font(FONT, style, str(path))
    covered = None
    for font in pdf.fonts.values():
        keys = frozenset(font.cmap)
        covered = keys if covered is None else covered & keys
    pdf.safe = _safe_text(covered or frozenset())  # type: ignore[attr-defined]
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_font(FONT, "", SMALL)
    pdf.running = _fit(pdf, pdf.safe(title), pdf.epw)  # type: ignore[attr-defined]
    pdf.set_auto_page_break(True, margin=16)
    pdf.alias_nb_pages()
    pdf.set_title(pdf.safe(title))  # type: ignore[attr-defined]
    pdf.set_subject(d.TITLE)
    pdf.set_lang("it-IT")
    pdf.set_creator("soc25")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_font(FONT, "", BODY)
    pdf.add_page()
    return pdf


class _Writer:
    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.safe = pdf.safe
        self.sections = 0  # level-2 headings so far
        self.previous: object = None

    # -- helpers --

    def room(self) -> float:
        """Millimetres left above the page's foot."""
        pdf = self.pdf
        return float(pdf.page_break_trigger - pdf.get_y())

    def keep(self, needed: float) -> None:
        if self.room() < needed and self.pdf.get_y() > self.pdf.t_margin + 1:
            self.pdf.add_page()

    def text(self, text: str, *, style: str = "", size: float = BODY, colour: tuple[int, int, int] = INK,
             indent: float = 0, line: float = LINE) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, line, self.safe(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "", BODY)

    def gap(self, mm: float) -> None:
        if self.pdf.get_y() > self.pdf.t_margin + 1:
            self.pdf.ln(mm)

    # -- blocks --

    def block(self, b: object) -> None:
        if isinstance(b, d.Heading):
            self.heading(b)
        elif isinstance(b, d.Para):
            self.para(b)
        elif isinstance(b, d.Msg):
            self.message(b)
        elif isinstance(b, d.Fields):
            self.fields(b)
        elif isinstance(b, d.Table):
            self.table(b)
        elif isinstance(b, d.Items):
            self.items(b)
        elif isinstance(b, d.Figure):
            self.picture(b.picture)
        self.previous = b

    def heading(self, b: d.Heading) -> None:
        pdf = self.pdf
        if b.level == 1:
            self.text(b.text, style="B", size=12, line=5.5)
            pdf.set_draw_color(*INK)
            pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.epw, pdf.get_y() + 1)
            pdf.ln(3)
            return
        if b.level == 2:
            self.sections += 1
            if b.text in _PAGE_HEADINGS and self.sections > 1:
                if pdf.get_y() > pdf.t_margin + 1:
                    pdf.add_page()
            else:
                self.keep(KEEP + 20)
            self.gap(4)
            pdf.start_section(self.safe(b.text), level=0)
            self.text(b.text, style="B", size=11.5, line=5.5)
            pdf.set_draw_color(*RULE)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + pdf.epw, pdf.get_y() + 0.5)
            pdf.ln(2.5)
            return
        self.keep(KEEP + 15)
        self.gap(2.5)
        pdf.start_section(self.safe(b.text), level=1)
        self.text(b.text, style="B", size=10)
        pdf.ln(1)

    def para(self, b: d.Para) -> None:
        if b.style == "section":  # a review note's heading, on its text
            self.keep(KEEP / 2)
            self.gap(2)
            self.text(b.text, style="B")
            return
        if not (isinstance(self.previous, d.Para) and self.previous.style == "section"):
            self.gap(2)
        if b.style == "note":
            self.text(b.text, colour=GREY)
        elif b.style == "dim":
            self.text(b.text, size=SMALL, colour=GREY, line=3.8)
        elif b.style == "flag":
            self.text(b.text, style="B", colour=FLAG)
        else:
            self.text(b.text)

    def message(self, b: d.Msg) -> None:
        """As the portal shows a message, with a bar at its left; a composed one under its mark."""
        pdf = self.pdf
        self.gap(1.5 if isinstance(self.previous, d.Msg) else 2.5)
        self.keep(12)
        page, top = pdf.page, pdf.get_y()
        if b.composed:
            self.text(messages.COMPOSED_MARK, style="B", size=SMALL, colour=GREY, indent=4, line=3.8)
        self.text(b.text, indent=4)
        if pdf.page == page:  # the bar, where the message stayed on one page
            pdf.set_fill_color(*BAR)
            pdf.rect(pdf.l_margin, top, 1.2, pdf.get_y() - top, style="F")
            pdf.set_fill_color(255, 255, 255)

    def fields(self, b: d.Fields) -> None:
        pdf = self.pdf
        self.gap(2)
        pdf.set_font(FONT, "B", BODY)
        label_w = max((pdf.get_string_width(self.safe(f"{label}:")) for label, _ in b.pairs), default=0) + 3
        label_w = min(label_w, pdf.epw / 3)
        for label, value in b.pairs:
            pdf.set_font(FONT, "B", BODY)
            y = pdf.get_y()
            pdf.multi_cell(label_w, LINE, self.safe(f"{label}:"), align="L", new_x="RIGHT", new_y="TOP")
            pdf.set_font(FONT, "", BODY)
            pdf.multi_cell(pdf.epw - label_w, LINE, self.safe(value), align="L", new_x="LMARGIN", new_y="NEXT")
            if pdf.get_y() < y + LINE:
                pdf.set_y(y + LINE)

    def items(self, b: d.Items) -> None:
        pdf = self.pdf
        self.gap(1)
        for item in b.items:
            pdf.set_font(FONT, "", BODY)
            pdf.cell(4, LINE, "•")
            pdf.multi_cell(pdf.epw - 4, LINE, self.safe(item), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)

    # -- tables --

    def widths(self, t: d.Table) -> list[float]:
        """Each column as wide as its widest figure or heading line; what is left to the columns
        with a ratio (labels, texts), by their ratio; scaled down only when nothing is left."""
        pdf = self.pdf
        pad = 2.4
        natural = []
        for i, col in enumerate(t.columns):
            pdf.set_font(FONT, "B", TABLE)
            heads = [pdf.get_string_width(self.safe(line)) for line in col.header.split("\n")]
            width = max(heads, default=0)
            if col.ratio is None:
                for row in t.rows:
                    if _spanning(row) is not None or i >= len(row.cells):
                        continue
                    pdf.set_font(FONT, "B" if row.kind == "total" else "", TABLE)
                    width = max(width, pdf.get_string_width(self.safe(row.cells[i])))
                width = min(width, pdf.epw * 0.3)
            natural.append(width + pad)
        flexible = [i for i, col in enumerate(t.columns) if col.ratio]
        if not flexible:  # no column takes what is left: the widest does
            flexible = [max(range(len(natural)), key=natural.__getitem__)]
        ratios = {i: t.columns[i].ratio or 1 for i in flexible}
        fixed = sum(w for i, w in enumerate(natural) if i not in ratios)
        left = pdf.epw - fixed
        least = sum(max(natural[i], 25.0) for i in ratios)
        if left < least:  # figures too wide: everything scaled to fit
            scale = (pdf.epw - least) / fixed if fixed else 1
            natural = [w if i in ratios else w * scale for i, w in enumerate(natural)]
            left = least
        total_ratio = sum(ratios.values())
        return [left * ratios[i] / total_ratio if i in ratios else w for i, w in enumerate(natural)]

    def table(self, t: d.Table) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self.gap(2)
        if t.title:
            self.keep(KEEP)
            self.text(t.title, style="B")
        self.keep(KEEP)
        widths = self.widths(t)
        aligns = ["RIGHT" if c.justify == "right" else "CENTER" if c.justify == "center" else "LEFT"
                  for c in t.columns]
        bold = FontFace(emphasis="BOLD")
        section = FontFace(emphasis="BOLD", fill_color=SHADE)
        sub = FontFace(color=GREY, fill_color=SHADE)
        after: list[tuple[str, str]] = []  # cells too tall for a row: written below the table
        pdf.set_font(FONT, "", TABLE)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        with pdf.table(
            col_widths=widths,
            width=pdf.epw,
            align="LEFT",
            line_height=TABLE_LINE,
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=SHADE),
            repeat_headings=1,
            first_row_as_headings=True,
            text_align="LEFT",
            v_align="TOP",
            padding=(1.0, 1.2),
        ) as table:
            row = table.row()
            for col, align in zip(t.columns, aligns):
                row.cell(self.safe(col.header), align=align)
            for r in t.rows:
                row = table.row()
                spanning = _spanning(r)
                if spanning is not None:
                    row.cell(self.safe(spanning), colspan=len(t.columns),
                             style=section if r.kind == "section" else sub)
                    continue
                for i, (cell, align) in enumerate(zip(r.cells, aligns)):
                    text = self.safe(cell)
                    if self.too_tall(text, widths[i], "B" if r.kind == "total" else ""):
                        after.append((f"{r.cells[0]} - {t.columns[i].header.replace(chr(10), ' ')}".strip(" -"),
                                      cell))
                        text = f"(testo lungo: per intero sotto la tabella, {len(after)})"
                    row.cell(text, align=align, style=bold if r.kind == "total" else None)
        pdf.set_font(FONT, "", BODY)
        for n, (where, text) in enumerate(after, 1):
            self.gap(2)
            self.text(f"{n}. {where}:", style="B", size=TABLE)
            self.text(text, size=TABLE)

    def too_tall(self, text: str, width: float, style: str) -> bool:
        pdf = self.pdf
        if len(text) < 300:
            return False
        pdf.set_font(FONT, style, TABLE)
        lines = pdf.multi_cell(width - 2.4, TABLE_LINE, text, dry_run=True, output="LINES")
        pdf.set_font(FONT, "", TABLE)
        return len(lines) * TABLE_LINE > CELL_MAX

    # -- pictures --

    def picture(self, p: charts.Picture) -> None:
        """Horizontal bars on one scale for the whole picture; each bar's label at its left and
        its figure, as the portal prints it, at its end (text: found by a search, read aloud);
        a figure not given has no bar and its words instead."""
        pdf = self.pdf
        bars = [bar for group in p.groups for bar in group.bars]
        row = 5.0
        height = 8 + row * (len(bars) + sum(1 for g in p.groups if g.label)) + 4
        self.keep(min(height, pdf.eph * 0.8))
        self.gap(3)
        self.text(p.title, style="B", size=10)
        pdf.ln(1)
        top = charts.greatest(p)
        pdf.set_font(FONT, "", SMALL)
        label_w = min(max((pdf.get_string_width(self.safe(b.label)) for b in bars), default=10) + 3, pdf.epw * 0.35)
        figure_w = min(max((pdf.get_string_width(self.safe(b.shown)) for b in bars), default=10)
                       + 2 * pdf.c_margin + 1.5, pdf.epw * 0.3)
        scale_w = pdf.epw - label_w - figure_w
        for group in p.groups:
            if group.label:
                self.keep(row * 2)
                self.text(group.label, style="B", size=SMALL, line=row)
            for bar in group.bars:
                self.keep(row)
                y = pdf.get_y()
                pdf.set_font(FONT, "", SMALL)
                pdf.set_x(pdf.l_margin)
                pdf.multi_cell(label_w, row, self.safe(bar.label), align="L", new_x="RIGHT", new_y="TOP")
                below = pdf.get_y()
                x = pdf.l_margin + label_w
                length = charts.fraction(bar.value, top) * scale_w
                if length:
                    pdf.set_fill_color(*BAR)
                    pdf.rect(x, y + 1, max(length, 0.4), row - 2, style="F")
                    pdf.set_fill_color(255, 255, 255)
                pdf.set_xy(x + length + 0.5, y)
                pdf.set_text_color(*(INK if length else GREY))
                pdf.cell(0, row, self.safe(bar.shown), align="L")
                pdf.set_text_color(*INK)
                pdf.set_xy(pdf.l_margin, max(below, y + row))
        pdf.set_font(FONT, "", BODY)


def _fit(pdf: Any, text: str, width: float) -> str:
    """`text` cut to one line of `width` in the current font, «…» where it was cut."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest start that fits with its «…»
        mid = (low + high + 1) // 2
        if pdf.get_string_width(text[:mid] + "…") <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def _spanning(row: Any) -> str | None:
    """A section or sub-heading row's one text (it spans the table), else None."""
    if row.kind not in ("section", "sub"):
        return None
    texts = [c for c in row.cells if c]
    return texts[0] if len(texts) == 1 else None


__all__ = ["render"]
