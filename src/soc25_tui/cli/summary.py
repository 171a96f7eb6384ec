"""`soc25 summary DRAFT.toml [--format text|html|svg|md|pdf] [-o FILE] [--width N]`."""

from __future__ import annotations

import argparse
import os
import sys

from ..core.outputs import BINARY, FORMATS
from ..core.document import MIN_WIDTH
from .common import EXIT_OK, EXIT_USAGE, Parser, err, isatty, load_or_report, names_a_draft

# Without --width: the terminal's width, or this when the summary goes to a pipe or a file.
PIPE_WIDTH = 80
# More columns than any terminal has: a bigger --width is a slip (a figure typed in the wrong
# place), and would make each rule and table line that many characters long.
MAX_WIDTH = 1000

_SUFFIX_FORMAT = {".txt": "text", ".html": "html", ".htm": "html", ".svg": "svg", ".md": "md", ".pdf": "pdf"}


def _format_arg(text: str) -> str:
    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"formato «{text}» non previsto: usare {', '.join(FORMATS)}")
    return text


def _width_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» non è un numero intero di colonne") from None
    if value < MIN_WIDTH:
        raise argparse.ArgumentTypeError(f"larghezza {value} troppo piccola: almeno {MIN_WIDTH} colonne")
    if value > MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"larghezza {value} troppo grande: al massimo {MAX_WIDTH} colonne")
    return value


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 summary",
        description="Mostra o esporta il riepilogo dell'intera scheda SOC25 di una bozza.",
    )
    p.add_argument("draft", metavar="BOZZA.toml")
    p.add_argument(
        "--format",
        type=_format_arg,
        metavar="{" + ",".join(FORMATS) + "}",
        help="text (predefinito), html, svg, md o pdf; con -o si ricava dall'estensione del file",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="scrivi il riepilogo in FILE invece che a video")
    p.add_argument(
        "--width",
        type=_width_arg,
        metavar="N",
        help=f"larghezza in colonne, da {MIN_WIDTH} a {MAX_WIDTH} (predefinita: quella del terminale; "
             f"{PIPE_WIDTH} in un file o in una pipe)",
    )
    args = p.parse_args(argv)

    from pathlib import Path

    from ..core.outputs import render

    if args.output and names_a_draft(args.output):
        # The draft itself, another, a .bak or a link to one: its summary would replace it.
        err(f"{args.output}: è una bozza (o la sua copia .bak, o un collegamento a una): il "
            "riepilogo non si scrive su una bozza; indicare un file .txt, .html, .svg, .md o .pdf.")
        return EXIT_USAGE
    fmt = args.format
    if fmt is None:
        fmt = _SUFFIX_FORMAT.get(Path(args.output).suffix.lower(), "text") if args.output else "text"
    if fmt in BINARY and (not args.output or (args.output == "-" and isatty(sys.stdout))):
        # Bytes for a viewer or a printer, not for the terminal.
        err("il riepilogo in PDF va scritto in un file: aggiungere -o RIEPILOGO.pdf "
            "(oppure -o - per passarlo a un altro programma attraverso una pipe).")
        return EXIT_USAGE
    draft = load_or_report(args.draft)
    if draft is None:
        return EXIT_USAGE
    if fmt in BINARY:
        return _write_pdf(draft, args.output)

    to_file = args.output not in (None, "-")  # «-o -»: standard output, as for the PDF
    tty = not to_file and isatty(sys.stdout)
    if args.width:
        width = args.width
    elif tty:
        from rich.console import Console

        width = min(max(MIN_WIDTH, Console(file=sys.stdout).width), MAX_WIDTH)
    else:
        width = PIPE_WIDTH
    # Written to the screen or a pipe in ASCII (LC_ALL=C): the stand-ins of what it cannot show
    # (core/terminal.py) are put in before the tables are laid out. A file is always UTF-8.
    encoding = None if to_file else getattr(sys.stdout, "encoding", None)

    if tty and fmt == "text":
        from rich.console import Console

        from ..core.summary import build

        # Straight to the terminal: colour unless NO_COLOR is set (Rich honours it).
        no_color = os.environ.get("NO_COLOR", "") != ""
        console = Console(
            file=sys.stdout, width=width, markup=False, highlight=False, emoji=False, no_color=no_color
        )
        console.print(build(draft, plain=False, encoding=encoding))
        return EXIT_OK

    output = render(draft, fmt, width, encoding=encoding)
    if to_file:
        return _write_file(args.output, output, fmt)
    sys.stdout.write(output)
    sys.stdout.flush()
    return EXIT_OK


def _write_pdf(draft: object, output: str) -> int:
    """The summary as a PDF into `output`, atomically, or into the pipe with «-o -»."""
    from ..core.outputs import render

    data = render(draft, "pdf")
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    return _write_file(output, data, "pdf")


def _write_file(path: str, data: str | bytes, fmt: str) -> int:
    """The summary written into the file `path` (atomically: a failure leaves it as it was),
    and said on stderr."""
    from ..core.drafts import DraftError, write_atomic
    from ..core.visible import visible

    try:
        write_atomic(path, data)
    except DraftError as exc:
        err(str(exc))
        return EXIT_USAGE
    print(f"Riepilogo scritto in {visible(path)} (formato {fmt}).", file=sys.stderr)
    return EXIT_OK
