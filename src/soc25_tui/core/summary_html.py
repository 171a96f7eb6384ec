"""The summary as a real HTML document: semantic, accessible, printable on A4, self-contained.

It renders the summary's document model (`document.document`: headings, paragraphs, messages,
tables, fields, lists, pictures) into one standalone HTML5 page:

- `lang="it"`, a <title> naming the Comune and the year, one <main>; h1 the scheda, h2 each
  Quadro (a <section> landmark labelled by its heading), then the problems and the review
  notes, h3 the blocks inside them;
- real tables: <caption>, `<th scope="col">`, the code as `<th scope="row">`, the printed
  form's areas as row groups; each table in a focusable region that scrolls by itself when
  the window is narrower than the table (the page never scrolls sideways);
- the portal's messages as quotations (<blockquote>), soc25's own texts as paragraphs marked
  with `messages.COMPOSED_MARK`, in words, not by colour;
- pictures (`d.Figure`) as inline SVG in a <figure> with its title and, as visible text, the
  figures it draws;
- CSS inline: system fonts, reflow at 320 px, forced colours, and an A4 print layout (each
  Quadro from a new page, table headers repeated, page numbers in the margin).

No script, no external resource (fonts, images, links): it opens offline, from a USB stick.
Every text from the draft is escaped. The figures and texts are the model's, formatted by the
summary as the portal prints them: nothing is computed or worded here.

`soc25 summary --format html` (cli/summary.py) calls `render` through core/outputs.py.
"""

from __future__ import annotations

import html
from typing import Any, Iterable

from . import charts, messages
from . import document as d
from .assess import Assessment, assess
from .charts import Picture
from .layout import QUADRO_TITLES
from .visible import visible

YEAR = "2024"  # the year the scheda monitors (its title: "OBIETTIVI DI SERVIZIO 2024")
# Tables with at most this many rows are kept on one page when printed.
SHORT_TABLE_ROWS = 14

_QUADRO_NUMBER = {title: n for n, title in QUADRO_TITLES.items() if n}

# The stylesheet holds ASCII only (non-ASCII as CSS escapes): the page may be written to a
# stream that holds ASCII only, where the rest of the text becomes character references,
# which a <style> element would not decode.
_CSS = """\
:root { color-scheme: light; }
html {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
    "DejaVu Sans", Arial, sans-serif;
  font-size: 100%;
  line-height: 1.5;
  color: #1a1a1a;
  background: #ffffff;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
body { margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 2.5rem 0 1rem; padding-bottom: .25rem;
     border-bottom: 2px solid currentColor; }
h3 { font-size: 1.1rem; line-height: 1.3; margin: 1.5rem 0 .5rem; }
/* A long word (a value pasted without spaces) wraps rather than widen the page. */
p, li, dt, dd, caption, th, td, figcaption { overflow-wrap: break-word; }
p { margin: .5rem 0; white-space: pre-wrap; }
.tenue { color: #4d4d4d; }
.nota { font-style: italic; }
.attenzione { font-weight: bold; border-left: .4rem double currentColor; padding-left: .6rem; }
dl.campi { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem;
           margin: 1rem 0; }
dl.campi > div { display: contents; }
dl.campi dt { font-weight: bold; }
dl.campi dd { margin: 0; }
.tavola { overflow-x: auto; margin: 1rem 0; }
.tavola:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .4rem; }
/* Read by a screen reader, not shown: the heading just above says the same. */
.a-voce { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
          overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
th, td { border: 1px solid #6b6b6b; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #ececec; vertical-align: bottom; }
tbody th[scope="row"] { white-space: nowrap; }
th[scope="rowgroup"] { background: #f5f5f5; font-style: italic; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.num.lungo { white-space: normal; }
tbody.totale th, tbody.totale td { font-weight: bold; border-top: 3px double currentColor; }
.messaggi { margin: 1rem 0; }
blockquote.portale { margin: .6rem 0; padding: .2rem 0 .2rem .9rem;
                     border-left: .3rem solid currentColor; }
blockquote.portale p { margin: 0; }
p.soc25 { margin: .6rem 0; padding: .2rem 0 .2rem .9rem; border-left: .3rem dashed currentColor; }
.segno { font-style: italic; font-weight: bold; }
ul.problemi { padding-left: 1.5rem; }
ul.problemi li { margin: .25rem 0; }
h3.nota-revisione { font-size: 1rem; margin-bottom: .25rem; }
figure.figura { margin: 1.5rem 0; }
figure.figura svg { display: block; max-width: 100%; height: auto; }
figure.figura figcaption { font-weight: bold; margin-bottom: .5rem; }
figure.figura p.cifre { margin-top: .5rem; }
@media (max-width: 30rem) {
  main { padding: .5rem; }
  dl.campi { grid-template-columns: minmax(0, 1fr); }
  dl.campi dd { margin: 0 0 .5rem; }
}
@media (forced-colors: active) {
  html { color: CanvasText; background: Canvas; }
  th, td { border-color: CanvasText; }
  thead th, th[scope="rowgroup"] { background: Canvas; }
  .tenue { color: CanvasText; }
  .tavola:focus { outline-color: Highlight; }
  figure.figura svg { forced-color-adjust: auto; }
}
@page {
  size: A4;
  margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "__FOOTER__"; font-size: 8pt; color: #333333; }
  @bottom-right { content: "Pagina " counter(page) " di " counter(pages); font-size: 8pt;
                  color: #333333; }
}
@media print {
  html { font-size: 10pt; color: #000000; background: #ffffff; }
  main { max-width: none; margin: 0; padding: 0; }
  h1 { margin-top: 0; }
  h2 { margin-top: 0; }
  .quadro ~ .quadro { break-before: page; }
  .sezione { margin-top: 2rem; }
  h1, h2, h3, caption, figcaption { break-after: avoid; }
  /* A tall picture (many kinds of users) is drawn smaller rather than cut across pages. */
  figure.figura svg { max-height: 225mm; }
  .tavola { overflow: visible; }
  .tavola.breve, figure.figura, blockquote.portale, p.soc25 { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  p { orphans: 3; widows: 3; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _css_string(text: str) -> str:
    """`text` inside a CSS string: every character but ASCII letters and digits as a CSS
    escape (no quote, backslash, `<` or newline can end the string, the rule or the <style>)."""
    # The space after each escape ends it (and is not part of the text).
    return "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x} " for ch in text)


def _place(draft: Any) -> str:
    comune = " ".join(visible(draft.comune or "").split())
    provincia = " ".join(visible(draft.provincia or "").split())
    if not comune:
        return "Comune non indicato"
    return f"{comune} ({provincia})" if provincia else comune


def title(draft: Any) -> str:
    """The document's <title> and each printed page's footer: the scheda, the year, the Comune."""
    return f"SOC25 {YEAR} - {_place(draft)} - riepilogo della scheda"


def _lines(text: str) -> str:
    """A header cell: the program's own line breaks (e.g. «Utenti\\n2019») as spaces."""
    return _e(" ".join(text.split()))


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.ids = 0
        self.heading = ""  # the last heading: a table's caption when it has no title
        self.in_section = False
        self.in_messages = False

    def next_id(self, prefix: str) -> str:
        self.ids += 1
        return f"{prefix}{self.ids}"

    def close_messages(self) -> None:
        if self.in_messages:
            self.out.append("</div>")
            self.in_messages = False

    def close_section(self) -> None:
        self.close_messages()
        if self.in_section:
            self.out.append("</section>")
            self.in_section = False

    # --- blocks -----------------------------------------------------------------------------

    def block(self, b: Any) -> None:
        if not isinstance(b, d.Msg):
            self.close_messages()
        if isinstance(b, d.Heading):
            self.heading_(b)
        elif isinstance(b, d.Para):
            self.para(b)
        elif isinstance(b, d.Msg):
            self.message(b)
        elif isinstance(b, d.Table):
            self.table(b)
        elif isinstance(b, d.Fields):
            self.fields(b)
        elif isinstance(b, d.Items):
            self.list_(b)
        elif isinstance(b, d.Figure):
            self.figure(b.picture)
        else:  # pragma: no cover - a block the model gained and this renderer does not know
            raise TypeError(f"blocco non previsto: {type(b).__name__}")

    def heading_(self, b: d.Heading) -> None:
        self.heading = b.text
        if b.level == 1:
            self.out.append(f"<h1>{_e(b.text)}</h1>")
            return
        if b.level == 2:
            self.close_section()
            hid = self.next_id("s")
            number = _QUADRO_NUMBER.get(b.text)
            # Each Quadro starts a printed page; the problems and the review notes follow on.
            cls = f"quadro q{number}" if number is not None else "sezione"
            self.out.append(f'<section class="{cls}" aria-labelledby="{hid}">')
            self.out.append(f'<h2 id="{hid}">{_e(b.text)}</h2>')
            self.in_section = True
            return
        self.out.append(f"<h3>{_e(b.text)}</h3>")

    def para(self, b: d.Para) -> None:
        text = _e(b.text)
        if b.style == "section":  # a review note's heading line: number, cell, author, time
            self.out.append(f'<h3 class="nota-revisione">{text}</h3>')
        elif b.style == "note":  # the form's own text, verbatim
            self.out.append(f'<p class="nota">{text}</p>')
        elif b.style == "dim":
            self.out.append(f'<p class="tenue">{text}</p>')
        elif b.style == "flag":
            self.out.append(f'<p class="attenzione"><strong>{text}</strong></p>')
        else:
            self.out.append(f"<p>{text}</p>")

    def message(self, b: d.Msg) -> None:
        if not self.in_messages:
            self.out.append('<div class="messaggi">')
            self.in_messages = True
        if b.composed:
            # soc25's own wording for a case no printed form shows: said in words.
            self.out.append(f'<p class="soc25"><span class="segno">{_e(messages.COMPOSED_MARK)}</span> '
                            f"{_e(b.text)}</p>")
        else:
            # The portal's message, verbatim: a quotation.
            self.out.append(f'<blockquote class="portale"><p>{_e(b.text)}</p></blockquote>')

    def fields(self, b: d.Fields) -> None:
        self.out.append('<dl class="campi">')
        for label, value in b.pairs:
            self.out.append(f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>")
        self.out.append("</dl>")

    def list_(self, b: d.Items) -> None:
        # In this model a list is the problems' (under «Errori (n)» or «Avvisi (n)»).
        self.out.append('<ul class="problemi">')
        self.out += [f"<li>{_e(item)}</li>" for item in b.items]
        self.out.append("</ul>")

    def table(self, t: d.Table) -> None:
        caption = t.title or self.heading
        # A caption that repeats the heading above it is for screen readers only.
        hidden = ' class="a-voce"' if caption == self.heading else ""
        cid = self.next_id("t")
        short = " breve" if len(t.rows) <= SHORT_TABLE_ROWS else ""
        right = [c.justify == "right" for c in t.columns]
        code_first = bool(t.columns) and t.columns[0].header == "Codice"
        out = self.out
        out.append(f'<div class="tavola{short}" role="region" aria-labelledby="{cid}" tabindex="0">')
        out.append(f'<table><caption id="{cid}"{hidden}>{_e(caption)}</caption>')
        out.append("<thead><tr>")
        for col, num in zip(t.columns, right):
            cls = ' class="num"' if num else ""
            out.append(f'<th scope="col"{cls}>{_lines(col.header)}</th>')
        out.append("</tr></thead>")
        open_body = False
        for row in t.rows:
            if row.kind in ("section", "sub"):
                # An area of the form (Interventi e servizi...), a Quadro 4 sub-heading: a group.
                if open_body:
                    out.append("</tbody>")
                label = next((c for c in row.cells if c), "")
                out.append(f'<tbody><tr><th scope="rowgroup" colspan="{len(t.columns)}">{_e(label)}</th></tr>')
                open_body = True
                continue
            if row.kind == "total":
                if open_body:
                    out.append("</tbody>")
                out.append('<tbody class="totale">')
                open_body = True
            elif not open_body:
                out.append("<tbody>")
                open_body = True
            cells = []
            for j, cell in enumerate(row.cells):
                if j == 0 and code_first and cell:
                    cells.append(f'<th scope="row">{_e(cell)}</th>')
                    continue
                cls = ""
                if j < len(right) and right[j]:
                    cls = ' class="num lungo"' if len(cell) > 24 else ' class="num"'
                cells.append(f"<td{cls}>{_e(cell)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        if open_body:
            out.append("</tbody>")
        out.append("</table></div>")

    def figure(self, picture: Picture) -> None:
        self.out.append('<figure class="figura">')
        self.out.append(f"<figcaption>{_e(picture.title)}</figcaption>")
        # HTML puts an inline <svg> in the SVG namespace by itself: the document then names no
        # address at all (what it holds is all there is).
        self.out.append(charts.svg(picture, titled=False).replace(' xmlns="http://www.w3.org/2000/svg"', "", 1))
        # The text alternative as visible text: every figure the picture draws.
        self.out.append(f'<p class="cifre">{_e(picture.alt)}</p>')
        self.out.append("</figure>")


def render_blocks(blocks: Iterable[d.Block], page_title: str) -> str:
    """The standalone HTML page of the summary's `blocks`, titled `page_title`."""
    w = _Writer()
    for b in blocks:
        w.block(b)
    w.close_section()
    css = _CSS.replace("__FOOTER__", _css_string(page_title))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="it">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(page_title)}</title>",
            f"<style>\n{css}</style>",
            "</head>",
            "<body>",
            "<main>",
            *w.out,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def render(draft: Any, assessment: Assessment | None = None, *, encoding: str | None = None) -> str:
    """The summary of `draft` as a standalone HTML document. `encoding`: the one of the stream
    it will be written to, when not UTF-8: what it cannot hold becomes a character reference
    (`&#224;`), which the browser shows as the character itself."""
    a = assessment or assess(draft)
    page = render_blocks(d.document(draft, a), title(draft))
    if encoding is not None and not d.holds_all(encoding):
        try:
            page = page.encode(encoding, "xmlcharrefreplace").decode(encoding)
        except LookupError:  # an encoding Python does not know: ASCII is safe
            page = page.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return page


__all__ = ["render", "render_blocks", "title"]
