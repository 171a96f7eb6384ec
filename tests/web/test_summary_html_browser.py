"""The HTML summary (core/summary_html.py) in a real browser: Debian's Chromium, headless,
driven by Playwright.

- accessibility: axe-core (bundled with axe-playwright-python, injected into the page) finds
  no violation of WCAG 2.0/2.1 level A or AA, on a wide window, at 320 CSS px (the reflow of
  200%/400% zoom) and with forced colours (Windows' high contrast);
- reflow: at 320 px the page never scrolls sideways (a wide table scrolls in its own region);
- print: the A4 PDF Chromium makes from the print stylesheet, read back with pdfminer: each
  Quadro from a new page, a table's header repeated on the page it continues on, page numbers,
  every code and figure on paper; a screenshot of the print layout (checked for its size and
  ink, not against a pixel golden, which would change with every Chromium and font release).
"""

from __future__ import annotations

import io
import re
from importlib import resources

import pytest

from soc25_tui.core import summary_html
from soc25_tui.core.layout import QUADRO_TITLES, USER_ROWS

from ..core.test_summary_html import Node, Tree, hostile, reviewed
from ..factories import example
from .test_browser import CHROMIUM_ARGS, chromium_or_skip

pytestmark = pytest.mark.tui

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
A4_WIDTH_PX = 794  # 210 mm at 96 CSS px per inch
A4_HEIGHT_PX = 1123
# The printed line: A4 less the page's side margins (14 mm each), in CSS px.
PRINT_LINE_PX = (210 - 2 * 14) * 96 / 25.4


def long_rows():
    """Sondrio with every 2019 count of Quadro 1 invalid and long: the users' table is taller
    than a page whatever the fonts, so it must continue on another page."""
    draft = example("sondrio")
    for row in USER_ROWS:
        name = f"{row.code}_2019"
        draft.invalid[name] = "valore scritto male " * 6
    return draft


CASES = {
    "sondrio": lambda: example("sondrio"),
    "lomellina": lambda: example("lomellina"),
    "tortona": lambda: example("tortona"),
    "vuota": lambda: example("vuota"),
    "problemi e note": reviewed,
    "ostile": hostile,
}


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (skipped, saying why, when it is missing)."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    pytest.importorskip("axe_playwright_python",
                        reason="axe-playwright-python (it bundles axe-core) is missing: pip install -e '.[test]'")
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def open_page(browser, html: str, *, width: int = 1280, height: int = 900, forced: bool = False,
              media: str = "screen"):
    page = browser.new_page(viewport={"width": width, "height": height})
    # Nothing may be fetched: any request is a failure of "no external resources".
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media=media, forced_colors="active" if forced else "none")
    page.set_content(html, wait_until="load")
    page.requests = requests  # type: ignore[attr-defined]
    return page


def violations(page, axe_script: str) -> list[str]:
    page.add_script_tag(content=axe_script)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['html'][:120] for n in v['nodes'][:3]]}"
            for v in result["violations"]]


# --- accessibility and reflow -------------------------------------------------------------------


@pytest.mark.parametrize("view", ["finestra larga", "320 px", "colori forzati a 320 px"])
@pytest.mark.parametrize("case", list(CASES))
def test_axe_finds_no_level_a_or_aa_violation(browser, axe_script, case, view):
    html = summary_html.render(CASES[case]())
    width = 1280 if view == "finestra larga" else 320
    page = open_page(browser, html, width=width, height=640, forced=view.startswith("colori"))
    try:
        if view.startswith("colori"):
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        assert violations(page, axe_script) == []
        # Reflow: the page itself never scrolls sideways.
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (scroll, inner)
        # Text no smaller than the reader's own size (1rem = 16 px by default).
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            'p, li, dt, dd, td, th, caption, figcaption, blockquote')].map(
            e => parseFloat(getComputedStyle(e).fontSize)))""")
        assert smallest >= 16, smallest
        assert page.requests == []  # type: ignore[attr-defined]
    finally:
        page.close()


def test_a_wide_table_scrolls_in_its_own_focusable_region(browser):
    page = open_page(browser, summary_html.render(example("sondrio")), width=320, height=640)
    try:
        wide = page.evaluate("""() => [...document.querySelectorAll('.tavola')]
            .filter(d => d.scrollWidth > d.clientWidth)
            .map(d => [d.getAttribute('role'), d.tabIndex, d.getAttribute('aria-labelledby')])""")
        assert wide, "at 320 px the users' table (6 columns) is wider than the window"
        assert all(role == "region" and tab == 0 and label for role, tab, label in wide)
        # Reached with Tab, and then visibly focused.
        page.keyboard.press("Tab")
        outline = page.evaluate("""() => { const e = document.activeElement;
            return [e.className, getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]; }""")
        assert outline[0].startswith("tavola") and outline[1] != "none" and outline[2] >= 2
    finally:
        page.close()


# --- print -----------------------------------------------------------------------------------------


def printed(browser, html: str) -> list[str]:
    """The text of each page of the A4 PDF Chromium prints from `html` (its print stylesheet)."""
    from pdfminer.high_level import extract_text

    page = open_page(browser, html, media="print")
    try:
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    pages = extract_text(io.BytesIO(pdf)).split("\f")
    return [p for p in pages if p.strip()]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


USER_CODES = {row.code for row in USER_ROWS}
USERS_HEADER = "Media ore 2024"  # the last column's header (unique to this table)


@pytest.mark.parametrize("case", ["sondrio", "lomellina", "tortona", "vuota", "problemi e note", "righe lunghe"])
def test_print_layout_on_a4(browser, case):
    draft = long_rows() if case == "righe lunghe" else CASES[case]()
    html = summary_html.render(draft)
    pages = printed(browser, html)
    n = len(pages)
    title = summary_html.title(draft)
    for i, text in enumerate(pages, 1):
        # Page numbers and the document's title in the bottom margin of every page.
        assert f"Pagina {i} di {n}" in text, (i, text[-200:])
        assert title in " ".join(text.split()), text[-200:]
    # Quadro 1 follows the header on the first page; each other Quadro starts a page.
    assert QUADRO_TITLES[1] in " ".join(pages[0].split())
    for q in (2, 3, 4):
        starts = [i for i, text in enumerate(pages) if " ".join(lines(text)[:2]).startswith(QUADRO_TITLES[q])]
        assert len(starts) == 1, (q, [lines(p)[:2] for p in pages])
    # The users' table: on every page it continues on, its header comes first again.
    with_rows = [i for i, text in enumerate(pages) if USER_CODES & set(lines(text))]
    assert with_rows and with_rows == list(range(with_rows[0], with_rows[-1] + 1))
    for i in with_rows:
        page_lines = lines(pages[i])
        first_row = min(j for j, line in enumerate(page_lines) if line in USER_CODES)
        assert any(USERS_HEADER in line for line in page_lines[:first_row]), (i, page_lines[:first_row + 1])
    if case == "righe lunghe":
        assert len(with_rows) >= 2  # it did continue on another page
    # Every code and figure of the tables on paper (nothing cut off at the page's edge).
    paper = " ".join(" ".join(pages).split())
    root = Tree(html).root
    for table in root.iter("table"):
        for tr in table.iter("tr"):
            for cell in tr.children:
                if isinstance(cell, Node) and (cell.attrs.get("scope") == "row" or cell.attrs.get("class") == "num"):
                    if cell.text() and len(cell.text()) <= 24:
                        assert cell.text() in paper, cell.text()


def test_screenshot_of_the_print_layout(browser, tmp_path):
    """The print layout as Chromium draws it, on an A4-wide page: saved under pytest's tmp dir
    (to look at); checked for its width, its length and its ink, not against a pixel golden."""
    from PIL import Image

    html = summary_html.render(example("sondrio"))
    page = open_page(browser, html, width=A4_WIDTH_PX, height=A4_HEIGHT_PX, media="print")
    try:
        path = tmp_path / "stampa.png"
        page.screenshot(path=str(path), full_page=True)
        # Every table fits the printed line (A4 less its margins): none is cut off on paper.
        page.set_viewport_size({"width": int(PRINT_LINE_PX), "height": A4_HEIGHT_PX})
        over = page.evaluate("""() => [...document.querySelectorAll('.tavola, figure')]
            .filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.textContent.slice(0, 60))""")
        assert over == []
        # The print stylesheet is the one in force: a Quadro begins a new page.
        assert page.evaluate("getComputedStyle(document.querySelector('section.q2')).breakBefore") == "page"
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    finally:
        page.close()
    image = Image.open(path).convert("L")
    assert image.width == A4_WIDTH_PX
    assert image.height > 3 * A4_HEIGHT_PX  # the whole scheda, several pages long
    histogram = image.histogram()
    ink = sum(histogram[:128]) / (image.width * image.height)
    assert 0.005 < ink < 0.4, ink  # text and rules on white: neither blank nor a dark page
    # The top of the page holds the title: dark pixels in the first 150 px.
    top = image.crop((0, 0, image.width, 150)).histogram()
    assert sum(top[:128]) > 500
