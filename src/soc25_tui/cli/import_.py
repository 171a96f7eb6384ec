"""`soc25 import PRINTED.pdf|PRINTED.txt [-o DRAFT.toml] [--force]`: a draft from a printed form
(the portal's PDF, or its text). A table (`soc25 import TABLE.xlsx|TABLE.csv`) goes to
import_table.py."""

from __future__ import annotations

import os
from typing import Any

from ..core.terminal import typed
from .common import EXIT_OK, EXIT_USAGE, Parser, err


def run(argv: list[str]) -> int:
    from .import_table import table_named

    if table_named(argv):  # a table of soc25 export (XLSX, CSV): its own command
        from .import_table import run as run_table

        return run_table(argv)
    p = Parser(
        prog="soc25 import",
        description="Crea una bozza dalla stampa di una scheda SOC25: il PDF del portale o il suo testo.",
        epilog="Con una tabella di soc25 export (XLSX o CSV) crea o aggiorna molte bozze: "
        "soc25 import TABELLA.xlsx -h.",
    )
    p.add_argument("printed", metavar="STAMPA", help="il PDF della scheda stampata dal portale, o il suo testo (.txt)")
    p.add_argument("-o", "--output", metavar="BOZZA.toml", help="bozza da creare (predefinito: STAMPA.toml)")
    p.add_argument("--force", action="store_true", help="sovrascrivi una bozza esistente")
    p.add_argument("--comune", type=typed, help="nome del Comune, se la stampa non lo riporta")
    p.add_argument("--provincia", type=typed, help="sigla della provincia, se la stampa non la riporta")
    p.add_argument("--istat", type=typed, help="codice ISTAT del Comune")
    args = p.parse_args(argv)

    from pathlib import Path

    from ..core.drafts import DraftError, save
    from ..core.importer import (
        PDF,
        ImportError_,
        differences,
        missing_rows,
        missing_warning,
        parse_printed,
        read_printed,
        typed_draft,
    )
    from ..core.reading import UTF8, ReadError
    from ..core.rules import evaluate
    from ..core.session import DraftHeld, held_for_writing
    from ..core.visible import visible

    src = Path(args.printed)
    dst = Path(args.output) if args.output else src.with_suffix(".toml")
    if os.path.isdir(dst):
        err(f"{dst}: è una cartella: indicare con -o il nome della bozza da creare.")
        return EXIT_USAGE
    if os.path.lexists(dst) and not args.force:  # lexists: False, not an error, for a name too long
        err(f"{dst} esiste già: non la sovrascrivo (usare --force per sostituirla).")
        return EXIT_USAGE
    # Everything is read, typed, checked and worded before anything is written: an import
    # that fails leaves the disk as it was, an existing draft included.
    try:
        form = read_printed(src, expected=_EXPECTED)
        result = parse_printed(form.text)
    except ReadError as exc:
        err(str(exc))
        return EXIT_USAGE
    except ImportError_ as exc:
        err(f"{src}: {exc}")
        return EXIT_USAGE
    header = {
        name: value.upper() if name == "provincia" else value
        for name in ("comune", "provincia", "istat")
        if (value := getattr(args, name))
    }
    # Typed as the loader types a file, not validated by pydantic: see importer.typed_draft.
    problems: list[str] = []
    draft = typed_draft(header, problems, base=result.draft) if header else result.draft
    if problems:
        for problem in problems:  # one line each: a value quoted in it cannot start a line
            err(f"argomento non valido: {problem}")
        return EXIT_USAGE
    outcome = evaluate(draft)
    notes = [] if form.encoding in (UTF8, PDF) else [f"il file non è in UTF-8: letto come testo {form.encoding}."]
    if not draft.comune:
        notes.append("la stampa non riporta il Comune: indicarlo con --comune o nell'interfaccia.")
    warnings = differences(result, outcome)
    if missing := missing_rows(result, outcome):
        warnings.append(missing_warning(missing))
    try:
        # Never under a TUI that has the draft open (or is creating it): take its lock.
        with held_for_writing(dst):
            if os.path.lexists(dst) and not args.force:  # appeared while the print was read
                err(f"{dst} esiste già: non la sovrascrivo (usare --force per sostituirla).")
                return EXIT_USAGE
            # The reviewer's verdict and notes belong to the draft, not to the print: a draft
            # replaced keeps them, and an approval holds only if the cells are the same.
            kept, unreadable = _review_of(dst) if args.force else (None, False)
            if kept is not None:
                draft.review = kept
            save(dst, draft, backup=args.force)
    except (DraftHeld, DraftError) as exc:
        err(str(exc))
        return EXIT_USAGE
    read = ", letta dal PDF" if form.encoding == PDF else ""
    print(f"Creata {visible(str(dst))} (stampa in formato {result.layout}{read}).")  # a name is data
    if unreadable:
        notes.append("la bozza sostituita non si leggeva: il verdetto e le note della revisione che "
                     "avesse restano solo nella copia .bak.")
    if kept is not None:
        from ..core.review import STATE_WORDS, open_text

        if kept.state == "approvata" and draft.review.state != "approvata":
            notes.append(f"revisione conservata ({open_text(draft.review)}): la bozza era approvata e "
                         "le celle sono cambiate, ora è da rivedere con una nota che le elenca.")
        else:
            notes.append(f"revisione conservata: verdetto «{STATE_WORDS[draft.review.state]}», "
                         f"{open_text(draft.review)}.")
    for line in warnings:
        print(f"  attenzione: {line}")
    for note in notes:
        print(f"  nota: {note}")
    return EXIT_OK


def _review_of(path: os.PathLike[str]) -> tuple[Any, bool]:
    """The review of the draft at `path`, when it has one to keep (else None), and whether
    the file there cannot be read as a draft (it is replaced whole: its .bak keeps it)."""
    from ..core.drafts import DraftError, load

    if not os.path.lexists(path):
        return None, False
    try:
        review = load(path).review
    except DraftError:
        return None, True
    return (None if review.empty else review), False


_EXPECTED = "la stampa di una scheda SOC25: il PDF del portale o il suo testo (un file .pdf o .txt)"
