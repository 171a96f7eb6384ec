"""`soc25 [DRAFT.toml | FOLDER] [--view]`: the full-screen form-filler, or the review table of a
folder's drafts (Textual is imported only here)."""

from __future__ import annotations

from .common import EXIT_USAGE, Parser, err

EPILOG = (
    "altri comandi (senza interfaccia; soc25 COMANDO -h per i dettagli):\n"
    "  soc25 check BOZZA.toml [...] [--json]    controlla una o più bozze\n"
    "  soc25 import STAMPA.pdf [-o BOZZA.toml]  crea una bozza dal PDF stampato o dal testo\n"
    "  soc25 import TABELLA.xlsx [--write]      crea o aggiorna bozze da una tabella (xlsx, csv)\n"
    "  soc25 summary BOZZA.toml [--format ...]  riepilogo (testo, html, pdf, svg, md)\n"
    "  soc25 r40 BOZZA.toml [--write]           propone un testo per R40\n"
    "  soc25 export BOZZA.toml [...] -o FILE    esporta in un foglio di calcolo (xlsx, csv)\n"
    "  soc25 diff A.toml B.toml [--json]        confronta due versioni di una bozza\n"
    "  soc25 review BOZZA.toml [--note ...]     verdetto e note della revisione (ATS)\n"
    "  soc25 web [BOZZA.toml | CARTELLA]        la stessa interfaccia nel browser"
)


def run(argv: list[str]) -> int:
    p = Parser(prog="soc25", description="Compila la scheda SOC25 da terminale.", epilog=EPILOG)
    p.add_argument("draft", nargs="?", metavar="BOZZA.toml | CARTELLA",
                   help="la bozza da aprire (se non esiste la crea, chiedendo Comune e provincia); "
                        "una cartella, o niente (la cartella corrente): il quadro d'insieme delle "
                        "sue bozze, una riga per bozza")
    p.add_argument("--view", action="store_true", help="apri in sola lettura (anche le bozze aperte "
                   "dal quadro d'insieme)")
    p.add_argument("--semplice", action="store_true", help="modo semplice, senza schermo intero: "
                   "una cella alla volta, riga per riga, per un lettore di schermo o una pipe "
                   "(scelto da solo quando TERM=dumb)")
    args = p.parse_args(argv)
    import os

    if args.semplice or os.environ.get("TERM") == "dumb":
        from ..line.prompt import run as run_line  # never Textual

        return run_line(args.draft, read_only=args.view)
    try:
        from ..app import run as run_app
    except ImportError as exc:  # pragma: no cover - depends on the installation
        err(f"interfaccia non disponibile ({exc}).")
        return EXIT_USAGE
    return run_app(args.draft, read_only=args.view)
