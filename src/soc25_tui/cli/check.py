"""`soc25 check DRAFT.toml [...] [--json]`: the assessment of one or many drafts, headless.

No Textual and no Rich on this path: it must start fast (a subprocess test checks it)."""

from __future__ import annotations

import sys

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Parser, err


def run(argv: list[str]) -> int:
    p = Parser(prog="soc25 check", description="Controlla una o più bozze SOC25 senza aprire l'interfaccia.")
    p.add_argument("drafts", nargs="+", metavar="BOZZA.toml")
    p.add_argument(
        "--json",
        action="store_true",
        help="un oggetto JSON per bozza (una lista se più bozze); una bozza illeggibile è "
        '{"draft": ..., "error": ...}',
    )
    args = p.parse_args(argv)

    from ..core.assess import assess
    from ..core.drafts import DraftError, load
    from ..core.report import as_json, as_text

    status = EXIT_OK
    results = []
    out = sys.stdout
    for path in args.drafts:
        try:
            draft = load(path)
        except DraftError as exc:
            err(str(exc))
            status = EXIT_USAGE
            if args.json:  # in its place among the others: a script sees every path it gave
                results.append({"draft": path, "error": str(exc)})
            continue
        assessment = assess(draft)
        if assessment.errors and status == EXIT_OK:
            status = EXIT_ERRORS
        if args.json:
            results.append(as_json(path, draft, assessment))
        else:
            out.write(as_text(path, draft, assessment) + "\n\n")
    if args.json:
        from ..core.report import json_text

        if len(args.drafts) == 1:
            out.write(json_text(results[0], indent=1))
        else:
            # One compact object per line: the C encoder (no indent) keeps 8,000 drafts fast.
            out.write("[\n" + ",\n".join(json_text(r) for r in results) + "\n]")
        out.write("\n")
    return status
