"""`soc25`: the form-filler, and the headless subcommands.

    soc25 [DRAFT.toml] [--view]          the TUI (Textual is imported only here)
    soc25 check DRAFT.toml [...] [--json]
    soc25 import PRINTED.txt [-o DRAFT.toml] [--force]
    soc25 summary DRAFT.toml [--format text|html|svg|md] [-o FILE] [--width N]
    soc25 r40 DRAFT.toml [--write]

Exit status: 0 fine, 1 some draft has errors, 2 a file cannot be read or bad arguments.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("check", "import", "summary", "r40")


# argparse's own phrases, in Italian (the program speaks Italian to its users).
_ARGPARSE_IT = (
    ("the following arguments are required:", "argomenti obbligatori mancanti:"),
    ("unrecognized arguments:", "argomenti non riconosciuti:"),
    ("invalid choice:", "scelta non valida:"),
    ("choose from", "scegliere tra"),
    ("expected one argument", "atteso un valore"),
    ("invalid int value:", "numero intero non valido:"),
    ("argument ", "argomento "),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, prefix or "uso: ")


class _Parser(argparse.ArgumentParser):
    """argparse in Italian, exiting with status 2 on bad arguments."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argomenti"
        self._optionals.title = "opzioni"
        self.add_argument("-h", "--help", action="help", help="mostra questo aiuto ed esce")

    def error(self, message: str) -> None:  # type: ignore[override]
        for en, it in _ARGPARSE_IT:
            message = message.replace(en, it)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"soc25: errore negli argomenti: {message}\n")


def _err(text: str) -> None:
    print(f"soc25: {text}", file=sys.stderr)


def load_or_report(path: str):  # -> Draft | None
    """The draft at `path`, or None after saying on stderr, in Italian, why it cannot be read."""
    from .drafts import DraftError, load

    try:
        return load(path)
    except DraftError as exc:
        _err(str(exc))
        return None


def cmd_check(argv: list[str]) -> int:
    p = _Parser(prog="soc25 check", description="Controlla una o più bozze SOC25 senza aprire l'interfaccia.")
    p.add_argument("drafts", nargs="+", metavar="BOZZA.toml")
    p.add_argument(
        "--json",
        action="store_true",
        help="un oggetto JSON per bozza (una lista se più bozze); una bozza illeggibile è "
        '{"draft": ..., "error": ...}',
    )
    args = p.parse_args(argv)

    from .drafts import DraftError, load
    from .checks import ERROR
    from .report import as_json, as_text, evaluate_and_check

    status = EXIT_OK
    results = []
    out = sys.stdout
    for path in args.drafts:
        try:
            draft = load(path)
        except DraftError as exc:
            _err(str(exc))
            status = EXIT_USAGE
            if args.json:  # in its place among the others: a script sees every path it gave
                results.append({"draft": path, "error": str(exc)})
            continue
        outcome, problems = evaluate_and_check(draft)
        if any(p.severity == ERROR for p in problems) and status == EXIT_OK:
            status = EXIT_ERRORS
        if args.json:
            results.append(as_json(path, draft, outcome, problems))
        else:
            out.write(as_text(path, draft, outcome, problems) + "\n\n")
    if args.json:
        import json

        if len(args.drafts) == 1:
            json.dump(results[0], out, ensure_ascii=False, indent=1)
        else:
            # One compact object per line: the C encoder (no indent) keeps 8,000 drafts fast.
            out.write("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in results) + "\n]")
        out.write("\n")
    return status


def cmd_import(argv: list[str]) -> int:
    p = _Parser(
        prog="soc25 import",
        description="Crea una bozza dal testo di una scheda SOC25 stampata (estratto dal PDF).",
    )
    p.add_argument("printed", metavar="STAMPA.txt")
    p.add_argument("-o", "--output", metavar="BOZZA.toml", help="bozza da creare (predefinito: STAMPA.toml)")
    p.add_argument("--force", action="store_true", help="sovrascrivi una bozza esistente")
    p.add_argument("--comune", help="nome del Comune, se la stampa non lo riporta")
    p.add_argument("--provincia", help="sigla della provincia, se la stampa non la riporta")
    p.add_argument("--istat", help="codice ISTAT del Comune")
    args = p.parse_args(argv)

    from pathlib import Path

    from .drafts import DraftError, save
    from .importer import ImportError_, differences, parse_printed
    from .rules import evaluate
    from .session import DraftHeld, held_for_writing

    src = Path(args.printed)
    dst = Path(args.output) if args.output else src.with_suffix(".toml")
    if dst.exists() and not args.force:
        _err(f"{dst} esiste già: non la sovrascrivo (usare --force per sostituirla).")
        return EXIT_USAGE
    try:
        text = src.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _err(f"{src}: il file non esiste.")
        return EXIT_USAGE
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"{src}: impossibile leggere il testo ({exc}).")
        return EXIT_USAGE
    try:
        result = parse_printed(text)
    except ImportError_ as exc:
        _err(f"{src}: {exc}")
        return EXIT_USAGE
    draft = result.draft
    for name in ("comune", "provincia", "istat"):
        value = getattr(args, name)
        if value:
            draft.set(name, value.upper() if name == "provincia" else value)
    try:
        # Never under a TUI that has the draft open (or is creating it): take its lock.
        with held_for_writing(dst):
            if dst.exists() and not args.force:  # appeared while the print was read
                _err(f"{dst} esiste già: non la sovrascrivo (usare --force per sostituirla).")
                return EXIT_USAGE
            save(dst, draft, backup=args.force)
    except DraftHeld as exc:
        _err(str(exc))
        return EXIT_USAGE
    except DraftError as exc:
        _err(str(exc))
        return EXIT_USAGE
    print(f"Creata {dst} (stampa in formato {result.layout}).")
    for note in result.notes:
        print(f"  nota: {note}")
    for line in differences(result, evaluate(draft)):
        print(f"  attenzione: {line}")
    if not draft.comune:
        print("  nota: la stampa non riporta il Comune: indicarlo con --comune o nell'interfaccia.")
    return EXIT_OK


def cmd_tui(argv: list[str]) -> int:
    p = _Parser(
        prog="soc25",
        description="Compila la scheda SOC25 da terminale.",
        epilog=(
            "altri comandi (senza interfaccia; soc25 COMANDO -h per i dettagli):\n"
            "  soc25 check BOZZA.toml [...] [--json]    controlla una o più bozze\n"
            "  soc25 import STAMPA.txt [-o BOZZA.toml]  crea una bozza da una scheda stampata\n"
            "  soc25 summary BOZZA.toml [--format ...]  riepilogo (testo, html, svg, md)\n"
            "  soc25 r40 BOZZA.toml [--write]           propone un testo per R40"
        ),
    )
    p.add_argument("draft", nargs="?", metavar="BOZZA.toml",
                   help="la bozza da aprire (se non esiste la crea, chiedendo Comune e provincia); "
                        "senza: l'elenco delle bozze della cartella")
    p.add_argument("--view", action="store_true", help="apri in sola lettura")
    args = p.parse_args(argv)
    try:
        from .app import run
    except ImportError as exc:  # pragma: no cover - depends on the installation
        _err(f"interfaccia non disponibile ({exc}).")
        return EXIT_USAGE
    return run(args.draft, read_only=args.view)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "check":
            return cmd_check(argv[1:])
        if argv and argv[0] == "import":
            return cmd_import(argv[1:])
        if argv and argv[0] == "summary":
            from .summary import cmd_summary

            return cmd_summary(argv[1:])
        if argv and argv[0] == "r40":
            from .r40 import cmd_r40

            return cmd_r40(argv[1:])
        return cmd_tui(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `soc25 summary ... | less` closed early: not an error.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
