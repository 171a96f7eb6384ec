"""`soc25 diff A.toml B.toml [--json]`: what differs from one version of a draft to another.

Standard output is the comparison (core/compare.py: the same one the TUI's «Confronta…»
commands and recovery question use); narration and errors go to stderr. Exit status 0 when
the two are equal, 1 when they differ, 2 when a file cannot be read or the arguments are bad."""

from __future__ import annotations

import sys

from .common import EXIT_OK, EXIT_USAGE, Parser, err

EXIT_DIFFERENT = 1

EPILOG = (
    "stato di uscita: 0 bozze uguali, 1 bozze diverse, 2 file illeggibile o argomenti errati.\n"
    "Si confrontano le celle (inserite e calcolate), i messaggi del portale, i problemi, il caso,\n"
    "il Quadro 3 e la revisione (verdetto e note); non i commenti né l'ordine delle righe del file."
)


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 diff",
        description="Confronta due versioni di una bozza SOC25 (A prima, B dopo).",
        epilog=EPILOG,
    )
    p.add_argument("a", metavar="A.toml", help="la versione di prima")
    p.add_argument("b", metavar="B.toml", help="la versione di dopo")
    p.add_argument(
        "--json",
        action="store_true",
        help='un oggetto JSON: {"a", "b", "equal", "cells", "messages", "problems", "case", '
        '"quadro3_required", "review"}; con un file illeggibile {"a", "b", "equal": null, "errors"}',
    )
    args = p.parse_args(argv)

    from ..core.compare import as_json, as_text, compare
    from ..core.drafts import DraftError, load

    drafts = []
    errors = []
    for path in (args.a, args.b):
        try:
            drafts.append(load(path))
        except DraftError as exc:
            err(str(exc))
            errors.append({"draft": path, "error": str(exc)})
    out = sys.stdout
    if errors:
        if args.json:
            from ..core.report import json_text

            out.write(json_text({"a": args.a, "b": args.b, "equal": None, "errors": errors}, indent=1) + "\n")
        return EXIT_USAGE
    comparison = compare(*drafts)
    if args.json:
        from ..core.report import json_text

        out.write(json_text(as_json(comparison, args.a, args.b), indent=1) + "\n")
    else:
        out.write(as_text(comparison, args.a, args.b) + "\n")
    return EXIT_OK if comparison.equal else EXIT_DIFFERENT
