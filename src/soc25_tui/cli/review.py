"""`soc25 review DRAFT.toml [--state STATE] [--note CELL TEXT] [--resolve N] [--reopen N]
[--delete N] [--json]`: the reviewer's verdict and notes, headless, for scripts.

Without options: the verdict and the notes, numbered (stdout is data). With options: the
changes are made in order — resolve, reopen and delete by the numbers as listed before the
command, then the new notes, then the verdict — and the draft saved, under the draft's lock
(`session.held_for_writing`): a draft open in the TUI is left untouched, status 2.
"""

from __future__ import annotations

import sys

from ..core.review import STATES
from ..core.terminal import typed
from .common import EXIT_OK, EXIT_USAGE, Parser, err, load_or_report

STATES_TEXT = ", ".join(STATES)


def _number(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» non è il numero di una nota (1, 2, …)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: le note si contano da 1")
    return value


def listing(review) -> str:  # noqa: ANN001 - a core.review.Review
    """The verdict, then each note numbered: its heading line, its text indented."""
    from ..core.review import STATE_WORDS, note_heading, open_text
    from ..core.visible import visible

    lines = [f"Verdetto: {STATE_WORDS[review.state]}", f"Note: {open_text(review)}"]
    for i, note in enumerate(review.notes, 1):
        lines.append(f"{i:>3}. {visible(note_heading(note))}")
        lines += [f"     {line}" for line in visible(note.text, multiline=True).splitlines()]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 review",
        description=(
            "Il verdetto e le note della revisione (ATS) di una bozza, salvati nella bozza "
            "stessa (sezione [revisione]). Senza opzioni li mostra, con le note numerate."
        ),
        epilog=(
            "esempi:\n"
            "  soc25 review sondrio.toml\n"
            "  soc25 review sondrio.toml --note R07_2021 \"Manca la spesa del 2021\"\n"
            "  soc25 review sondrio.toml --note bozza \"Allegare la delibera\" --state da-correggere\n"
            "  soc25 review sondrio.toml --resolve 1 --state approvata\n\n"
            "Le modifiche non si fanno se la bozza è aperta nell'interfaccia (stato di uscita 2)."
        ),
    )
    p.add_argument("draft", metavar="BOZZA.toml")
    p.add_argument("--state", metavar="STATO", help=f"il verdetto: {STATES_TEXT}")
    p.add_argument("--note", nargs=2, action="append", metavar=("CELLA", "TESTO"), default=[], type=typed,
                   help="aggiungi una nota sulla cella (nome pubblico: R07_2021, M12_ore) o «bozza» "
                        "per la bozza intera; si può ripetere")
    p.add_argument("--resolve", type=_number, action="append", metavar="N", default=[],
                   help="segna come risolta la nota N (come numerata senza opzioni); si può ripetere")
    p.add_argument("--reopen", type=_number, action="append", metavar="N", default=[],
                   help="riapri la nota N; si può ripetere")
    p.add_argument("--delete", type=_number, action="append", metavar="N", default=[],
                   help="elimina la nota N; si può ripetere")
    p.add_argument("--json", action="store_true",
                   help="scrivi verdetto e note in JSON (come la chiave «review» di soc25 check --json)")
    args = p.parse_args(argv)

    from ..core.review import ReviewError, check_cell, check_state, check_text, new_note

    # Every request checked before the draft is touched: a bad one changes nothing.
    try:
        if args.state is not None:
            check_state(args.state)
        notes = [(check_cell(cell), check_text(text)) for cell, text in args.note]
    except ReviewError as exc:
        err(f"{exc}.")
        return EXIT_USAGE
    numbers = [*args.resolve, *args.reopen, *args.delete]
    if len(set(numbers)) != len(numbers):
        err("la stessa nota è indicata più volte tra --resolve, --reopen e --delete.")
        return EXIT_USAGE
    changing = bool(numbers or notes or args.state is not None)
    if not changing:
        return _show(args.draft, as_json=args.json)

    from ..core.drafts import DraftError, backup_path, save
    from ..core.session import DraftHeld, held_for_writing

    try:
        with held_for_writing(args.draft):
            draft = load_or_report(args.draft)
            if draft is None:
                return EXIT_USAGE
            review = draft.review
            try:
                for n in numbers:
                    review.check_index(n - 1)
                for n in args.resolve:
                    review = review.with_resolved(n - 1, True)
                for n in args.reopen:
                    review = review.with_resolved(n - 1, False)
                for n in sorted(args.delete, reverse=True):  # the numbers as listed before
                    review = review.without(n - 1)
                for cell, text in notes:
                    review = review.with_note(new_note(cell, text))
                if args.state is not None:
                    review = review.with_state(args.state, draft)
            except ReviewError as exc:
                err(f"{args.draft}: {exc}: la bozza non è stata modificata.")
                return EXIT_USAGE
            if review == draft.review:
                err(f"{args.draft}: niente da cambiare: la bozza non è stata modificata.")
            else:
                draft.review = review
                save(args.draft, draft)
                err(f"revisione di {args.draft} aggiornata (versione precedente in {backup_path(args.draft)}).")
                if args.state == "approvata":
                    _warn_errors(draft)
    except DraftHeld as exc:
        err(str(exc))
        return EXIT_USAGE
    except DraftError as exc:  # no lock can be taken, or the save failed: the file is as it was
        err(str(exc))
        return EXIT_USAGE
    if args.json:
        _write_json(draft.review)
    return EXIT_OK


def _warn_errors(draft) -> None:  # noqa: ANN001 - a core.model.Draft
    """An approval given to a draft that still has errors is said (as the TUI's notice says
    it): the reviewer may mean it, but should know."""
    from ..core.assess import assess
    from ..core.messages import errors_text

    errors = assess(draft).errors
    if errors:
        err(f"attenzione: la bozza approvata ha {errors_text(errors)} "
            "(soc25 check li elenca).")


def _show(path: str, *, as_json: bool) -> int:
    draft = load_or_report(path)
    if draft is None:
        return EXIT_USAGE
    if as_json:
        _write_json(draft.review)
    else:
        sys.stdout.write(listing(draft.review))
    return EXIT_OK


def _write_json(review) -> None:  # noqa: ANN001
    from ..core.report import json_text

    sys.stdout.write(json_text(review.as_json(), indent=1) + "\n")
