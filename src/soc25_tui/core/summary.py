"""The summary as Rich renderables (the terminal, text and SVG) and as Markdown.

Both render the one document of core/document.py (built once from the draft, its evaluation,
its problems and its review), so they show the same data as the HTML and the PDF.

No Textual here: `soc25 summary` must start fast (a subprocess test checks it).
"""

from __future__ import annotations

import io
import re
from typing import Any, Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from . import charts, messages
from . import document as d
from .assess import Assessment, assess
from .document import MIN_WIDTH, MISSING, document

FORMATS = ("text", "svg", "md")  # rendered here; outputs.FORMATS has them all

# --- Rich -----------------------------------------------------------------------------------------

_STYLES = {
    "note": "italic",
    "dim": "dim",
    "flag": "bold yellow",
    "section": "bold",
    "total": "bold",
    "sub": "italic",
}
_ANSWER_STYLES = {"SI": "bold green", "NO": "bold", MISSING: "yellow"}


def _rich_table(t: d.Table, plain: bool) -> Table:
    table = Table(
        box=box.ASCII2 if plain else box.SQUARE,
        show_header=True,
        header_style="bold",
        expand=True,
        pad_edge=True,
        show_lines=False,
    )
    for col in t.columns:
        table.add_column(
            Text(col.header),
            justify=col.justify,  # type: ignore[arg-type]
            min_width=col.min_width,
            ratio=col.ratio,
            overflow="fold",
        )
    answer_col = next((i for i, c in enumerate(t.columns) if c.header == "Risposta"), None)
    for i, row in enumerate(t.rows):
        style = _STYLES.get(row.kind, "")
        cells = []
        for j, cell in enumerate(row.cells):
            cell_style = style
            if j == answer_col and row.kind == "":
                cell_style = _ANSWER_STYLES.get(cell, "")
            cells.append(Text(cell, style=cell_style))
        # A rule before each area, sub-heading and total.
        end_section = i + 1 < len(t.rows) and t.rows[i + 1].kind in ("section", "total", "sub")
        table.add_row(*cells, end_section=end_section)
    return table


def _rich_blocks(blocks: list[d.Block], plain: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    previous: d.Block | None = None
    for b in blocks:
        # A blank line between blocks, except inside the title and between messages.
        if previous is not None and not (isinstance(previous, d.Msg) and isinstance(b, d.Msg)):
            # A note's heading line (style "section") sits on its text, as a heading does.
            if not isinstance(previous, d.Heading) and not (isinstance(previous, d.Para) and previous.style == "section"):
                out.append(Text())
        previous = b
        if isinstance(b, d.Heading):
            if b.level == 1:
                out.append(Rule(characters="=" if plain else "═", style="bold"))
                out.append(Text(b.text, style="bold", justify="center"))
                out.append(Rule(characters="=" if plain else "═", style="bold"))
            elif b.level == 2:
                out.append(Rule(Text(b.text, style="bold"), characters="=" if plain else "━", align="left"))
            else:
                out.append(Text(b.text, style="bold underline"))
        elif isinstance(b, d.Para):
            out.append(Text(b.text, style=_STYLES.get(b.style, "")))
        elif isinstance(b, d.Msg):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, no_wrap=True)
            grid.add_column(ratio=1)
            body = Text()
            if b.composed:
                body.append(messages.COMPOSED_MARK + " ", style="italic yellow")
            body.append(b.text)
            grid.add_row(Text(">" if plain else "»", style="bold cyan"), body)
            out.append(grid)
        elif isinstance(b, d.Fields):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="bold")
            grid.add_column(ratio=1)
            for label, value in b.pairs:
                grid.add_row(Text(f"{label}:"), Text(value))
            out.append(grid)
        elif isinstance(b, d.Table):
            out.append(_rich_table(b, plain))
        elif isinstance(b, d.Figure):
            out.append(Group(Text(b.picture.title, style="bold"), _Bars(b)))
        elif isinstance(b, d.Items):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=1, no_wrap=True)
            grid.add_column(ratio=1)
            for item in b.items:
                grid.add_row(Text("-"), Text(item))
            out.append(grid)
    return out


class _Bars:
    """A picture's text bars, drawn to the width Rich gives them."""

    def __init__(self, block: d.Figure) -> None:
        self.block = block

    def __rich_console__(self, console: Console, options: Any) -> Iterable[Text]:
        for line in charts.bars(self.block.picture, options.max_width, ascii=self.block.ascii):
            yield Text(line, no_wrap=True, overflow="crop")


def build(draft: Any, assessment: Assessment | None = None, *, plain: bool = False,
          problems_first: bool = False, encoding: str | None = None) -> Group:
    """The whole scheda as one Rich renderable. `plain`: ASCII rules and table borders;
    `encoding`: see `document`."""
    blocks = document(draft, assessment, problems_first=problems_first, encoding=encoding)
    return Group(*_rich_blocks(blocks, plain))


# --- Markdown -------------------------------------------------------------------------------------

# Markdown's own characters in data, escaped: no emphasis, code, table cell, HTML tag or
# entity, link or image ([text](javascript:...)) comes from a value.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_<>|[]&~"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _md_cell(text: str) -> str:
    return _md(text).replace("\n", "<br>")


def _md_header(text: str) -> str:
    return _md(text).replace("\n", " ")


_MD_LINE_MARK = re.compile(r"^(\s*)([#+=-])")
_MD_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _md_para(text: str) -> str:
    """A paragraph of free text: escaped, line breaks kept, no accidental lists or headings."""
    lines = [
        _MD_LINE_NUMBER.sub(r"\1\\\2", _MD_LINE_MARK.sub(r"\1\\\2", _md(line)))
        for line in text.splitlines()
    ]
    return "  \n".join(lines)


_MD_BARS_WIDTH = 80


def _markdown(blocks: list[d.Block]) -> str:
    parts: list[str] = []
    for b in blocks:
        if isinstance(b, d.Heading):
            parts.append(f"{'#' * b.level} {_md(b.text)}")
        elif isinstance(b, d.Para):
            text = _md_para(b.text)
            if b.style == "note":
                text = f"*{text}*"
            elif b.style in ("flag", "section"):
                text = f"**{text}**"
            parts.append(text)
        elif isinstance(b, d.Msg):
            mark = f"*{messages.COMPOSED_MARK}* " if b.composed else ""
            parts.append(f"> {mark}{_md(b.text)}")
        elif isinstance(b, d.Fields):
            parts.append("  \n".join(f"**{_md(label)}:** {_md(value)}" for label, value in b.pairs))
        elif isinstance(b, d.Table):
            align = {"left": ":---", "right": "---:", "center": ":---:"}
            lines = [
                "| " + " | ".join(_md_header(c.header) for c in b.columns) + " |",
                "|" + "|".join(align[c.justify] for c in b.columns) + "|",
            ]
            for row in b.rows:
                cells = [_md_cell(c) for c in row.cells]
                if row.kind in ("section", "total"):
                    cells = [f"**{c}**" if c else c for c in cells]
                elif row.kind == "sub":
                    cells = [f"*{c}*" if c else c for c in cells]
                lines.append("| " + " | ".join(cells) + " |")
            parts.append("\n".join(lines))
        elif isinstance(b, d.Items):
            parts.append("\n".join(f"- {_md(item)}" for item in b.items))
        elif isinstance(b, d.Figure):
            lines = charts.bars(b.picture, _MD_BARS_WIDTH, ascii=b.ascii)
            run = max((len(m) for m in re.findall("`+", "\n".join(lines))), default=0)
            fence = "`" * max(3, run + 1)  # no figure closes the block
            parts.append(f"**{_md(b.picture.title)}**")
            parts.append("\n".join([fence, *lines, fence]))
            parts.append(_md_para(b.picture.alt))
    return "\n\n".join(parts) + "\n"


# --- export ---------------------------------------------------------------------------------------

def _recording_console(width: int, *, colour: bool) -> Console:
    return Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        force_jupyter=False,
        force_interactive=False,
        legacy_windows=False,
        emoji=False,
        markup=False,
        highlight=False,
        no_color=False,
        _environ={},
    )


def _plain_text(console: Console) -> str:
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def export(draft: Any, fmt: str, width: int = 100, *, encoding: str | None = None) -> str:
    """The summary as text, svg (the terminal's rendering) or md (Markdown); `encoding`: the
    one of the stream it will be written to, when not UTF-8 (see `document`). The HTML document
    and the PDF have renderers of their own: core/outputs.py is the entrance for every format."""
    if fmt not in FORMATS:
        raise ValueError(f"formato «{fmt}» non previsto: usare {', '.join(FORMATS)}")
    a = assess(draft)
    if fmt == "md":
        return _markdown(document(draft, a, encoding=encoding))
    width = max(MIN_WIDTH, width)
    if fmt == "text":
        console = _recording_console(width, colour=False)
        console.print(build(draft, a, plain=True, encoding=encoding))
        return _plain_text(console)
    console = _recording_console(width, colour=True)
    console.print(build(draft, a, encoding=encoding))
    return console.export_svg(title=d.doc_title(draft))


__all__ = ["FORMATS", "MIN_WIDTH", "build", "document", "export"]
