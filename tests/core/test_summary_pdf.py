"""The summary as a PDF (core/summary_pdf.py), read back with pdfminer.six, another library:
every code and figure the text summary shows, the font embedded, the metadata, the page
numbers, a table's heading row on each page it crosses, hostile text."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from soc25_tui.core import review as rv
from soc25_tui.core import summary, summary_pdf
from soc25_tui.core.assess import assess
from soc25_tui.core.layout import LABELS

from ..factories import example, make, make_case

AT = dt.datetime(2025, 5, 20, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))  # the notes' time: fixed

# A code of the form (M12, R0B, R01A, R40) or a figure as the portal prints it (1.234,56, 8,69%).
TOKEN = re.compile(r"\b[A-Z]+\d[0-9A-Z]*\b|\d(?:[\d.,]*\d)?%?")


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text))


def pdf_text(data: bytes) -> str:
    return extract_text(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    return [extract_text(io.BytesIO(data), page_numbers=[i]) for i in range(count)]


def case_d_full():
    """Case D with Quadro 3 filled (R15 below R09: a problem), a Quadro 4 answer missing (a
    problem), a verdict and two review notes, one resolved."""
    draft = make_case(
        "D", comune="SAN GIORGIO DI LOMELLINA", R34=None,
        R10_numero=3, R10_modalita="Convenzione con la cooperativa", R10_spesa=Decimal("1234.56"),
        R11_numero=2, R11_modalita="Ore aggiuntive", R11_spesa=Decimal("200.00"),
        R12=Decimal("10.50"), R13=Decimal(0), R14=Decimal("7.25"),
    )
    review = draft.review.with_note(rv.new_note("R10_spesa", "Verificare la spesa R10: 1.234,56", author="ats1", time=AT))
    review = review.with_note(rv.new_note(None, "Allegare la delibera n. 45/2024", author="ats2", time=AT))
    draft.review = review.with_resolved(1).with_state("da-correggere", draft)
    return draft


DRAFTS = {
    "sondrio": lambda: example("sondrio"),
    "lomellina": lambda: example("lomellina"),
    "tortona": lambda: example("tortona"),
    "vuota": lambda: example("vuota"),
    "case-D": case_d_full,
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: summary_pdf.render(make()) for name, make in DRAFTS.items()}


def test_the_case_d_draft_has_quadro_3_problems_and_notes():
    draft = case_d_full()
    a = assess(draft)
    assert a.outcome.quadro3_required and len(a.problems) >= 2 and len(draft.review.notes) == 2


@pytest.mark.parametrize("name", list(DRAFTS))
def test_every_code_and_figure_of_the_text_summary_is_in_the_pdf(rendered, name):
    """Token by token against the text summary (another renderer of the same draft): each
    code and figure at least as many times as the text shows it."""
    text = summary.export(DRAFTS[name](), "text", 100)
    want = tokens(text)
    have = tokens(pdf_text(rendered[name]))
    missing = {t: n - have[t] for t, n in want.items() if have[t] < n}
    assert missing == {}
    assert len(want) > 40  # the comparison compares something: codes and figures by the dozen


def test_case_d_pdf_holds_quadro_3_the_problems_and_the_notes_in_order(rendered):
    text = " ".join(pdf_text(rendered["case-D"]).split())
    for words in ("1.234,56", "R15", "1.452,31", "Convenzione con la cooperativa", "Ore aggiuntive"):
        assert words in text
    order = [text.index(w) for w in ("Quadro 3", "Quadro 4", "Problemi da risolvere",
                                     "R34: voce senza risposta: indicare SI o NO.",
                                     "Note della revisione", "Verdetto: da correggere",
                                     "Allegare la delibera n. 45/2024")]
    assert order == sorted(order)


def test_the_composed_messages_are_marked_as_in_the_text_summary(rendered):
    for name, data in rendered.items():
        text = summary.export(DRAFTS[name](), "text", 100)
        marks = text.count("(testo di soc25, non del portale)")
        assert " ".join(pdf_text(data).split()).count("(testo di soc25, non del portale)") == marks


def _fonts(data: bytes):
    """Every font a page uses for its text: (base font name, its descendant's descriptor)."""
    out = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        fonts = resolve1(resolve1(page.resources).get("Font", {}))
        for ref in fonts.values():
            font = resolve1(ref)
            desc = font
            if resolve1(font.get("Subtype")).name == "Type0":
                desc = resolve1(resolve1(font["DescendantFonts"])[0])
            out.append((resolve1(font["BaseFont"]).name, resolve1(desc.get("FontDescriptor"))))
    return out


def test_the_font_is_embedded_and_subset(rendered):
    for data in rendered.values():
        fonts = _fonts(data)
        assert fonts
        for name, descriptor in fonts:
            assert descriptor is not None and "FontFile2" in descriptor, name  # TrueType, embedded
            assert re.fullmatch(r"[A-Z]{6}\+DejaVuSansCondensed(Bold)?", name), name  # a subset
        assert len(data) < 120_000  # the subset, not the 680 kB font


def test_metadata_title_language_creator(rendered):
    parser = PDFParser(io.BytesIO(rendered["case-D"]))
    doc = PDFDocument(parser)
    info = doc.info[0]
    assert decode_text(resolve1(info["Title"])) == "SOC25 - SAN GIORGIO DI LOMELLINA"
    assert decode_text(resolve1(info["Creator"])) == "soc25"
    assert decode_text(resolve1(doc.catalog["Lang"])) == "it-IT"


def test_each_page_says_pagina_n_di_m(rendered):
    for data in rendered.values():
        pages = page_texts(data)
        assert len(pages) >= 4  # title and Quadro 1, then one Quadro a page at least
        for i, text in enumerate(pages, 1):
            assert f"Pagina {i} di {len(pages)}" in text


def test_each_quadro_starts_a_page(rendered):
    pages = page_texts(rendered["case-D"])
    for n in (2, 3, 4):
        first = next(i for i, text in enumerate(pages) if f"Quadro {n} -" in text)
        assert pages[first].lstrip().split("\n")[1:3] != []  # the page has the Quadro
        # Nothing of the previous Quadro on that page before its title.
        before = pages[first][: pages[first].index(f"Quadro {n} -")]
        assert f"Quadro {n - 1}" not in before and "Codice" not in before


def test_a_table_crossing_a_page_repeats_its_heading_row():
    """A Comune whose name fills half a page pushes Quadro 1's users table across a page:
    the page it continues on starts with the same headings."""
    draft = make(comune="NOME MOLTO LUNGO " * 60)
    pages = page_texts(summary_pdf.render(draft))
    first = next(i for i, text in enumerate(pages) if "Tipologia di utenza" in text)
    last = next(i for i, text in enumerate(pages) if i >= first and LABELS["R0B"] in text)
    assert last > first  # it did cross a page, rows on each side
    assert "M12" in pages[first] and "M59" not in pages[first] and "M59" in pages[last]
    for text in pages[first:last + 1]:
        for heading in ("Codice", "Tipologia di utenza", "Ore annue", "Media ore"):
            assert heading in text
    assert pages[last].index("Tipologia di utenza") < pages[last].index(LABELS["R0B"])


def test_a_hostile_draft_renders_and_its_text_is_found():
    r40 = ("Paragrafo <script>alert(1)</script> \U0001f9fe \x1b]0;titolo\x07 fine riga. " * 1000)[:59_990] + " FINE"
    draft = make(
        comune="CITTÀ <script>alert('x')</script> \U0001f9fe\u202e",
        R0C="AMBITO «prova» — € ✗ → … \x9b31m",
        R06=Decimal(123456789012345),
        R40=r40,
        R10_modalita="Modalità molto dettagliata, parola dopo parola. " * 120,
    )
    assert len(draft.R40) > 59_000 and not draft.invalid
    data = summary_pdf.render(draft)
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data).split())
    assert "123.456.789.012.345,00" in text  # the 15-digit figure, as the portal prints it
    assert "CITTÀ <script>alert('x')</script> ⟨U+1F9FE⟩⟨U+202E⟩" in text  # no glyph: its code point
    assert "AMBITO «prova» — € ✗ → … ⟨U+009B⟩31m" in text
    assert "⟨U+001B⟩]0;titolo⟨U+0007⟩" in text  # the control pictures ␛ ␇ are not in the font
    # Words a page break cannot split (a phrase could be, by the footer and the next header).
    assert text.count("Paragrafo") == r40.count("Paragrafo") > 900
    assert text.count("<script>alert(1)</script>") == r40.count("<script>alert(1)</script>")
    assert text.endswith("FINE") or " FINE " in text
    # The long modalità was too tall for one row: written in full below its table.
    assert "(testo lungo: per intero sotto la tabella, 1)" in text
    assert text.count("dettagliata") == 120
