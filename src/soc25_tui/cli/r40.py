"""`soc25 r40 DRAFT.toml [--write]`: a proposed text for R40, written only into an empty R40."""

from __future__ import annotations

import sys

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Parser, err, load_or_report


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 r40",
        description=(
            "Propone un testo per la relazione in formato libero (R40) a partire dai dati "
            "della bozza. Il testo va riletto e completato prima dell'invio."
        ),
    )
    p.add_argument("draft", metavar="BOZZA.toml")
    p.add_argument(
        "--write",
        action="store_true",
        help="scrivi la proposta in R40 (solo se R40 è vuota; la versione precedente resta in BOZZA.toml.bak)",
    )
    args = p.parse_args(argv)

    from contextlib import ExitStack

    from ..core.drafts import DraftError, backup_path, save
    from ..core.messages import counter_text
    from ..core.r40 import is_blank, propose
    from ..core.values import count_chars
    from ..core.visible import visible
    from ..core.assess import assess
    from ..core.session import DraftHeld, held_for_writing

    with ExitStack() as held:
        if args.write:
            # Hold the draft's lock from reading to saving: never write under an open TUI.
            try:
                held.enter_context(held_for_writing(args.draft))
            except DraftHeld as exc:
                err(str(exc))
                err(f"per vedere la proposta senza scriverla: soc25 r40 {args.draft}")
                return EXIT_ERRORS
            except DraftError as exc:  # no lock can be taken there: read-only folder, full disk
                err(str(exc))
                return EXIT_USAGE
        draft = load_or_report(args.draft)
        if draft is None:
            return EXIT_USAGE
        text = propose(draft, assess(draft).outcome)
        if not text:
            err("nessuna frase proponibile: mancano i dati dei Quadri 1 e 2 (vedi soc25 check).")
            return EXIT_ERRORS if args.write else EXIT_OK
        sys.stdout.write(visible(text, multiline=True) + "\n")
        sys.stdout.flush()
        print(f"({counter_text(count_chars(text))})", file=sys.stderr)
        if not args.write:
            return EXIT_OK
        if "R40" in draft.invalid:  # kept from the file, unreadable or too long: still text
            err(
                f"{args.draft}: R40 contiene un valore non valido (vedi soc25 check): non lo "
                "sovrascrivo. Correggerlo o svuotare R40 e ripetere il comando."
            )
            return EXIT_ERRORS
        if not is_blank(draft.R40):
            err(
                f"{args.draft}: R40 contiene già una relazione "
                f"({counter_text(count_chars(draft.R40))}): non la sovrascrivo. Copiare le parti "
                "utili della proposta, oppure svuotare R40 e ripetere il comando."
            )
            return EXIT_ERRORS
        approved = draft.review.state == "approvata"
        draft.set("R40", text)
        try:
            save(args.draft, draft)
        except DraftError as exc:
            err(str(exc))
            return EXIT_USAGE
        err(f"proposta scritta in R40 di {args.draft} (versione precedente in {backup_path(args.draft)}).")
        if approved and draft.review.state != "approvata":
            err("la bozza era approvata: con R40 cambiato la revisione torna «da rivedere» (una nota lo dice).")
        if "[Completare:" in text:
            err("completare i punti segnati «[Completare: ...]» prima dell'invio.")
        return EXIT_OK
