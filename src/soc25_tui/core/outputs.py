"""The summary in every format `soc25 summary` writes: the one entrance (the CLI, and tests).

text, svg and md are rendered by core/summary.py (with Rich); html by core/summary_html.py
and pdf by core/summary_pdf.py (with fpdf2): all three from the one document of
core/document.py. The choice is made here, and each renderer, with its library, is imported
only for its formats.
"""

from __future__ import annotations

from typing import Any

FORMATS = ("text", "html", "svg", "md", "pdf")
BINARY = frozenset({"pdf"})  # bytes, for a file or a pipe, never for the terminal


def render(draft: Any, fmt: str, width: int = 100, *, encoding: str | None = None) -> str | bytes:
    """The summary of `draft` as `fmt`; `width` for the terminal's renderings (text, svg);
    `encoding`: the one of the stream a text will be written to, when not UTF-8."""
    if fmt == "html":
        from .summary_html import render as html

        return html(draft, encoding=encoding)
    if fmt == "pdf":
        from .summary_pdf import render as pdf

        return pdf(draft)
    if fmt not in FORMATS:
        raise ValueError(f"formato «{fmt}» non previsto: usare {', '.join(FORMATS)}")
    from .summary import export

    return export(draft, fmt, width, encoding=encoding)


__all__ = ["BINARY", "FORMATS", "render"]
