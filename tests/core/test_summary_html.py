"""The summary as a real HTML document (core/summary_html.py): its structure read back with
html.parser, its figures against the golden text summaries (read against the printed forms),
its messages against the catalog, its escaping of a hostile draft, `soc25 summary --format html`.
The browser's checks (axe-core, reflow, print) are in tests/web/test_summary_html_browser.py."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from soc25_tui.cli import main
from soc25_tui.core import messages, summary_html
from soc25_tui.core import review as rv
from soc25_tui.core.assess import assess
from soc25_tui.core.layout import QUADRO_TITLES

from ..conftest import EXAMPLES, GOLDEN
from ..factories import case_c, example

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "track",
        "embed", "param"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def flat(self) -> str:
        return " ".join(self.text().split())

    def iter(self, tag: str | None = None):
        for c in self.children:
            if isinstance(c, Node):
                if tag is None or c.tag == tag:
                    yield c
                yield from c.iter(tag)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Tree(HTMLParser):
    """The document as a tree of Nodes (html.parser, as a browser would tokenise it)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.node = self.root
        self.doctype = ""
        self.feed(text)
        self.close()
        assert self.node is self.root, f"<{self.node.tag}> never closed"

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, dict(attrs), self.node))

    def handle_endtag(self, tag):
        assert self.node.tag == tag, f"</{tag}> closes <{self.node.tag}>"
        self.node = self.node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def tree(draft) -> Node:
    return Tree(summary_html.render(draft)).root


def reviewed():
    """Lomellina (warnings), R40 emptied (an error: R28 «Altro» is SI), with a verdict and notes."""
    draft = example("lomellina")
    draft.set("R40", None)
    when = dt.datetime(2025, 4, 2, 9, 30)
    draft.review = draft.review.with_note(rv.Note("R06", "Verificare il fabbisogno con l'ATS", "ats", when))
    draft.review = draft.review.with_note(rv.Note(None, "Manca la relazione R40", "revisore", when, True))
    draft.review = draft.review.with_state("da-correggere", draft)
    return draft


def hostile():
    draft = example("tortona")
    draft.set("comune", '"><img src=x onerror=alert(1)>')
    draft.set("provincia", "</style><script>alert(2)</script>")
    draft.set("R40", "</textarea><script>alert(1)</script>\n<a href=\"http://x\">clic</a> & {{c}}")
    draft.set("R0D", "<b onmouseover=alert(3)>CAPOFILA</b> \x1b[2J")
    draft.review = draft.review.with_note(rv.Note("R06", "<iframe src=//x></iframe>", '<svg onload=alert(4)>'))
    return draft


NAMES = ["sondrio", "lomellina", "tortona", "vuota"]


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_document_outline(name):
    draft = example(name)
    parser = Tree(summary_html.render(draft))
    root = parser.root
    assert parser.doctype.lower() == "doctype html"
    (page,) = list(root.iter("html"))
    assert page.attrs["lang"] == "it"
    (title,) = list(next(root.iter("head")).iter("title"))
    comune = draft.comune or ""
    place = f"{comune} ({draft.provincia})" if comune else "Comune non indicato"
    assert title.text() == f"SOC25 2024 - {place} - riepilogo della scheda"
    assert [m.attrs.get("charset") for m in root.iter("meta") if "charset" in m.attrs] == ["utf-8"]
    (main_,) = list(root.iter("main"))
    (h1,) = list(root.iter("h1"))
    assert h1.text() == "SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024"
    # h2: the four Quadri in order, then the problems; each the label of its section landmark.
    h2s = list(root.iter("h2"))
    assert [h.text() for h in h2s] == [QUADRO_TITLES[n] for n in (1, 2, 3, 4)] + ["Problemi da risolvere"]
    sections = list(main_.iter("section"))
    assert len(sections) == len(h2s)
    for section, h2 in zip(sections, h2s):
        assert section.parent is main_
        assert h2.parent is section and section.attrs["aria-labelledby"] == h2.attrs["id"]
    # Headings in order: none skips a level.
    levels = [int(n.tag[1]) for n in root.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", NAMES)
def test_tables_have_captions_and_scoped_headers(name):
    root = tree(example(name))
    tables = list(root.iter("table"))
    assert len(tables) >= 4
    for table in tables:
        (caption,) = [c for c in table.children if isinstance(c, Node) and c.tag == "caption"]
        assert caption.flat()
        # Each table in a focusable region labelled by its caption: it scrolls by itself.
        region = table.parent
        assert region.attrs["role"] == "region" and region.attrs["tabindex"] == "0"
        assert region.attrs["aria-labelledby"] == caption.attrs["id"]
        (thead,) = list(table.iter("thead"))
        heads = list(thead.iter("th"))
        assert heads and all(th.attrs.get("scope") == "col" for th in heads)
        assert heads[0].text() == "Codice"
        for th in table.iter("th"):
            assert th.attrs.get("scope") in ("col", "row", "rowgroup"), th.attrs
        for body in table.iter("tbody"):
            for tr in body.iter("tr"):
                cells = [c for c in tr.children if isinstance(c, Node)]
                first = cells[0]
                # The code is the row's header; a group (area, sub-heading) spans the row.
                assert first.tag == "th", tr.text()
                if first.attrs["scope"] == "rowgroup":
                    assert len(cells) == 1 and first.attrs["colspan"] == str(len(heads))
                else:
                    assert first.attrs["scope"] == "row" and re.fullmatch(r"[MR][0-9][0-9A-E]?[AB]?", first.text())
                    assert len(cells) == len(heads)


def _golden_rows(name: str) -> dict[str, list[str]]:
    """The golden text summary's table lines by code: `| M12    | Utenti ... |  15 | ...`."""
    rows: dict[str, list[str]] = {}
    for line in (GOLDEN / f"summary_{name}.txt").read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| ([MR][0-9][0-9A-E]?[AB]?) +\|", line)
        if found:
            rows.setdefault(found.group(1), []).append(line)
    return rows


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_codes_and_figures_are_the_golden_summarys(name):
    """tests/golden/summary_*.txt were read against the printed forms: every code of their
    tables is a row header here, and every figure of a row is in that row's printed line."""
    golden = _golden_rows(name)
    root = tree(example(name))
    codes: dict[str, int] = {}
    for table in root.iter("table"):
        numeric = [th.attrs.get("class") == "num" for th in next(table.iter("thead")).iter("th")]
        for tr in table.iter("tr"):
            cells = [c for c in tr.children if isinstance(c, Node)]
            if cells[0].attrs.get("scope") != "row":
                continue
            code = cells[0].text()
            codes[code] = codes.get(code, 0) + 1
            figures = [c.text() for c, num in zip(cells, numeric) if num and c.text()]
            lines = golden[code]
            assert any(all(f" {f} |" in line for f in figures) for line in lines), (code, figures, lines)
            # The answers of Quadro 4 too (SI, NO, —): the second column.
            if re.fullmatch(r"R(1[6-9]|2[0-9]|3[0-9])", code):
                answer = cells[1].text()
                assert any(re.match(rf"\| {code} +\| {answer} +\|", line) for line in lines), (code, answer)
    assert codes == {code: len(lines) for code, lines in golden.items()}
    # The fields of the header as the text prints them.
    text = (GOLDEN / f"summary_{name}.txt").read_text(encoding="utf-8")
    for div in next(root.iter("dl")).iter("div"):
        dt_, dd = list(div.iter("dt")) + list(div.iter("dd"))
        assert f"{dt_.text()}:" in text and dd.text() in text


@pytest.mark.parametrize("name", NAMES)
def test_messages_verbatim_and_composed_marked(name):
    draft = example(name)
    a = assess(draft)
    root = tree(draft)
    quoted = [b.flat() for b in root.iter("blockquote")]
    own = [p for p in root.iter("p") if "soc25" in p.attrs.get("class", "").split()]
    for m in a.messages:
        if m.kind == messages.VERBATIM:
            assert m.text in quoted
    assert quoted == [m.text for m in a.messages if m.kind == messages.VERBATIM]
    assert [p.flat() for p in own] == [f"{messages.COMPOSED_MARK} {m.text}" for m in a.messages
                                       if m.kind == messages.COMPOSED]


def test_a_verbatim_message_of_the_printed_form():
    golden = (GOLDEN / "summary_tortona.txt").read_text(encoding="utf-8")
    said = "Nel 2024 per il Comune il numero di assistenti sociali è risultato nullo."
    assert f"> {said}" in golden
    (quote,) = [b for b in tree(example("tortona")).iter("blockquote") if b.flat() == said]
    assert quote.attrs["class"] == "portale"


def test_composed_messages_are_marked_in_words_and_not_quoted():
    root = tree(case_c())
    (own,) = [p for p in root.iter("p") if p.attrs.get("class") == "soc25"]
    (mark,) = list(own.iter("span"))
    assert mark.text() == messages.COMPOSED_MARK == "(testo di soc25, non del portale)"
    assert own.flat().startswith("(testo di soc25, non del portale) La spesa dell'ente locale è risultata inferiore")
    assert not any(a.tag == "blockquote" for a in own.ancestors())
    assert "non del portale" not in summary_html.render(example("tortona")).split("</style>")[1]


def test_problems_and_review_notes_at_the_end():
    root = tree(reviewed())
    sections = list(root.iter("section"))
    assert [s.flat().split(" ", 3)[:3] for s in sections[-2:]] == [["Problemi", "da", "risolvere"],
                                                                   ["Note", "della", "revisione"]]
    problems, notes = sections[-2:]
    assert [h.text() for h in problems.iter("h3")] == ["Errori (1)", "Avvisi (6)"]
    items = [li.flat() for li in problems.iter("li")]
    assert "R40: R28 «Altro» è SI" in items[0]
    assert "R24: voce senza risposta: indicare SI o NO." in items
    heads = [h.flat() for h in notes.iter("h3")]
    assert len(heads) == 2 and heads[0].startswith("1. R06") and heads[1].startswith("2. bozza")
    text = notes.flat()
    fields = {dt_.text(): dd.text() for dt_, dd in zip(notes.iter("dt"), notes.iter("dd"))}
    assert fields == {"Verdetto": "da correggere", "Note": "2 note, 1 aperta"}
    assert "Verificare il fabbisogno con l'ATS" in text and "Manca la relazione R40" in text
    # Nothing of the scheda after them.
    assert "Quadro" not in text


def test_paragraph_line_breaks_of_r40_kept():
    draft = example("tortona")
    draft.set("R40", "Prima riga\nSeconda riga")
    root = tree(draft)
    assert any(p.text() == "Prima riga\nSeconda riga" for p in root.iter("p"))


# --- escaping, nothing from outside -------------------------------------------------------------


def test_hostile_texts_are_escaped():
    draft = hostile()
    page = summary_html.render(draft)
    root = Tree(page).root
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "img", "iframe", "a", "b", "textarea", "link"}, tags
    for node in root.iter():
        assert not {k for k in node.attrs if k.startswith("on") or k in ("src", "href")}, node.attrs
    (title,) = list(next(root.iter("head")).iter("title"))
    assert title.text() == 'SOC25 2024 - "><img src=x onerror=alert(1)> (</style><script>alert(2)</script>) - riepilogo della scheda'
    fields = {dt_.text(): dd.text() for dt_, dd in zip(root.iter("dt"), root.iter("dd"))}
    assert fields["Comune"] == '"><img src=x onerror=alert(1)>'
    texts = [p.text() for p in root.iter("p")]
    assert "</textarea><script>alert(1)</script>\n<a href=\"http://x\">clic</a> & {{c}}" in texts
    assert any("<b onmouseover=alert(3)>CAPOFILA</b> ␛[2J" == td.text() for td in root.iter("td"))
    assert "<iframe src=//x></iframe>" in root.flat()
    # The page's footer (a CSS string) holds the title escaped: one <style> element, closed once.
    assert page.count("</style>") == 1 and page.count("<style>") == 1
    style = page[page.index("<style>"):page.index("</style>")]
    assert "<" not in style[1:] and "\x1b" not in page
    footer = re.search(r'@bottom-left \{ content: "([^"]*)"', style).group(1)
    assert re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), footer) == title.text()


@pytest.mark.parametrize("name", NAMES)
def test_nothing_from_outside_and_no_script(name):
    page = summary_html.render(reviewed() if name == "lomellina" else example(name))
    low = page.lower()
    for word in ("http", "src=", "href", "<script", "<link", "@import", "url(", "@font-face", "<iframe",
                 "<object", "<embed", "<img"):
        assert word not in low, word


def test_ascii_stream_gets_character_references():
    draft = example("tortona")
    draft.set("comune", "Forlì – Cesena €")
    utf8 = summary_html.render(draft)
    ascii_ = summary_html.render(draft, encoding="ascii")
    ascii_.encode("ascii")
    assert "Forl&#236; &#8211; Cesena &#8364;" in ascii_
    assert htmllib.unescape(ascii_) == htmllib.unescape(utf8)
    assert summary_html.render(draft, encoding="utf-8") == utf8


# --- pictures -------------------------------------------------------------------------------------


def test_pictures_are_figures_with_their_figures_in_words():
    from soc25_tui.core import charts

    draft = example("tortona")
    pictures = charts.pictures(draft, assess(draft).outcome)
    root = tree(draft)
    figures = list(root.iter("figure"))
    assert len(figures) == len(pictures) == 4
    sections = {QUADRO_TITLES[n]: n for n in (1, 2, 3, 4)}
    for figure, picture in zip(figures, pictures):
        (caption,) = list(figure.iter("figcaption"))
        assert caption.text() == picture.title
        (svg,) = list(figure.iter("svg"))
        assert svg.attrs["role"] == "img"
        # The title once on the page: the caption's, not drawn again above the bars (the
        # SVG's <title> names it for a screen reader, and is not shown).
        drawn = [t.text() for t in svg.iter("text")]
        assert picture.title not in drawn and [t.text() for t in svg.iter("title")] == [picture.title]
        # The text alternative as visible text, every figure in it.
        (alt,) = [p for p in figure.iter("p")]
        assert alt.text() == picture.alt
        for group in picture.groups:
            for bar in group.bars:
                assert bar.shown in alt.text()
        # At the end of its Quadro's section.
        section = next(a for a in figure.ancestors() if a.tag == "section")
        assert sections[next(section.iter("h2")).text()] == picture.quadro
    assert "R15" in figures[3].flat() and "3.396,00" in figures[3].flat()


# --- soc25 summary --format html ----------------------------------------------------------------


def test_cli_writes_the_document(tmp_path, capsys):
    path = EXAMPLES / "lomellina.toml"
    assert main(["summary", str(path), "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out == summary_html.render(example("lomellina"))
    target = tmp_path / "riepilogo.html"
    assert main(["summary", str(path), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == out
    assert "<table>" in out and "<pre" not in out


def test_invalid_value_shown_in_its_cell():
    draft = example("sondrio")
    draft.invalid["R06"] = "12,3,4"
    draft.R06 = None
    root = tree(draft)
    row = next(tr for tr in root.iter("tr") if tr.children and isinstance(tr.children[0], Node)
               and tr.children[0].text() == "R06")
    assert "«12,3,4» (non valido)" in row.text()


def test_money_figure_with_decimal_is_the_portals():
    draft = example("sondrio")
    draft.set("R08", Decimal("1234567.5"))
    assert "1.234.567,50" in tree(draft).flat()
