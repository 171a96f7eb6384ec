"""`soc25 export DRAFT.toml [...] [--format xlsx|csv] -o FILE [--jobs N]`: one row per draft,
for the office's spreadsheet (core/export.py says the columns and the values).

Exit status: 0 written; 2 written, but some draft could not be read (its row says why), or
nothing written (bad arguments, an output that cannot be written)."""

from __future__ import annotations

import argparse
import os
import sys

from ..core.export import FORMATS
from .common import EXIT_OK, EXIT_USAGE, Parser, err, isatty, jobs_arg, names_a_draft

_SUFFIX_FORMAT = {".xlsx": "xlsx", ".csv": "csv"}
STDOUT = "-"


def _format_arg(text: str) -> str:
    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"formato «{text}» non previsto: usare {' o '.join(FORMATS)}")
    return text


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


def _refusal(output: str, fmt: str, drafts: list[str]) -> str | None:
    """Why `output` must not be written (None: it may)."""
    if output == STDOUT:
        if fmt == "xlsx" and isatty(sys.stdout):
            return "un file XLSX non si scrive sul terminale: indicare il file con -o FILE.xlsx."
        return None
    suffix = os.path.splitext(output)[1].lower()
    other = _SUFFIX_FORMAT.get(suffix)
    if other is not None and other != fmt:
        return f"{output}: l'estensione {suffix} è di un file {other.upper()}, ma il formato chiesto è {fmt}."
    for draft in drafts:
        if _same_file(output, draft):
            return f"{output}: è una delle bozze da esportare: non la sovrascrivo."
    if names_a_draft(output):
        real = os.path.realpath(output)
        # A link named ufficio.csv to another draft, or to a draft's .bak (or that .bak
        # named): written through, the spreadsheet would take the draft's place.
        what = "una bozza" if real.lower().endswith(".toml") else "la copia .bak di una bozza"
        if real != os.path.abspath(output):
            what = f"un collegamento a {real}, {what}"
        return f"{output}: è {what}: l'esportazione non la sovrascrive."
    return None


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 export",
        description="Esporta una o più bozze SOC25 in un foglio di calcolo (XLSX o CSV): una riga\n"
        "per bozza con Comune, caso, errori, revisione e ogni cella del modulo, con i valori\n"
        "di soc25 check --json.",
        epilog="stato di uscita: 0 file scritto; 2 file scritto ma qualche bozza non si legge (la sua\n"
        "riga dice perché), oppure niente scritto (argomenti sbagliati, file non scrivibile).",
    )
    p.add_argument("drafts", nargs="+", metavar="BOZZA.toml", help="le bozze, una riga ciascuna nell'ordine dato")
    p.add_argument(
        "--format",
        type=_format_arg,
        metavar="{xlsx,csv}",
        help="xlsx (Excel, LibreOffice) o csv (separatore «;», virgola decimale, UTF-8 con BOM); "
        "se manca si ricava dall'estensione del file",
    )
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="il file da scrivere (sostituito per intero); «-» per l'uscita standard")
    p.add_argument("-j", "--jobs", type=jobs_arg, metavar="N",
                   help="processi che leggono le bozze (predefinito: tutti i processori)")
    args = p.parse_args(argv)

    suffix = os.path.splitext(args.output)[1].lower()
    if suffix == ".toml":
        err(f"{args.output}: è il nome di una bozza (.toml): l'esportazione non scrive su una bozza.")
        return EXIT_USAGE
    fmt = args.format or _SUFFIX_FORMAT.get(suffix)
    if fmt is None:
        p.error(f"indicare il formato con --format xlsx o --format csv (il file «{args.output}» non "
                "ha l'estensione .xlsx o .csv)")
    refusal = _refusal(args.output, fmt, args.drafts)
    if refusal is not None:
        err(refusal)
        return EXIT_USAGE

    from ..core.drafts import DraftError, atomic_writer
    from ..core.export import WRITERS
    from ..core.numbers import format_number
    from ..core.visible import visible

    write = WRITERS[fmt]
    if args.output == STDOUT:
        unreadable = write(args.drafts, sys.stdout.buffer, jobs=args.jobs, on_error=err)
        sys.stdout.buffer.flush()
        where = "sull'uscita standard"
    else:
        try:
            with atomic_writer(args.output) as out:
                unreadable = write(args.drafts, out, jobs=args.jobs, on_error=err)
        except DraftError as exc:
            err(str(exc))
            return EXIT_USAGE
        where = f"in {visible(args.output)}"
    n = len(args.drafts)
    said = f"{format_number(n)} bozz{'a' if n == 1 else 'e'} esportat{'a' if n == 1 else 'e'} {where} (formato {fmt})"
    if unreadable:
        said += f"; {format_number(unreadable)} non leggibil{'e' if unreadable == 1 else 'i'}: la riga dice perché"
    print(f"{said}.", file=sys.stderr)
    return EXIT_USAGE if unreadable else EXIT_OK
