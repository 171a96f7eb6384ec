"""`soc25 import TABELLA.xlsx|TABELLA.csv [--write] [--cartella DIR] [--breve] [--jobs N]`: the
drafts of a folder created or updated from a table in the format of `soc25 export`
(core/table_import.py says how it is read and matched).

What would change in each draft is printed on standard output (the comparison of `soc25
diff`); the refused rows, the notes and the count on standard error. Nothing is written
without `--write`.

Exit status: 2 the table cannot be read, bad arguments, or some row refused (a value that
cannot be read, a path refused, a draft open elsewhere: the other rows still go); else, without
--write, 1 when some draft would change or be created (as `diff` says two drafts differ), 0
when none would; with --write, 0."""

from __future__ import annotations

import os
import sys

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Parser, err, jobs_arg

# The options of `soc25 import` (printed forms and tables) that take a value: what follows
# them is no file to import.
_VALUED = ("-o", "--output", "--comune", "--provincia", "--istat", "--cartella", "-j", "--jobs")
_SUFFIXES = (".xlsx", ".csv")


def table_named(argv: list[str]) -> bool:
    """Whether the file `soc25 import` is given is a table (`core.table_import.sniff`, or a
    name ending in .xlsx or .csv): then this module imports it."""
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--":
            rest = argv[i + 1 : i + 2]
            return bool(rest) and _is_table(rest[0])
        if arg in _VALUED:
            skip = True
            continue
        if arg.startswith("-") and arg != "-":
            continue
        return _is_table(arg)
    return False


def _is_table(path: str) -> bool:
    if path.lower().endswith(_SUFFIXES):
        return True
    from ..core.table_import import sniff

    return sniff(path) is not None


def run(argv: list[str]) -> int:
    p = Parser(
        prog="soc25 import",
        description=(
            "Crea o aggiorna le bozze da una tabella nel formato di soc25 export (XLSX o CSV):\n"
            "una riga per bozza, trovata dal percorso nella colonna draft o dal codice nella\n"
            "colonna istat; una riga che non corrisponde a nessuna bozza ne crea una. Mostra per\n"
            "ogni bozza che cosa cambierebbe e scrive solo con --write."
        ),
        epilog=(
            "valori: una cella vuota lascia il valore della bozza; «-» da solo svuota la cella; le\n"
            "colonne calcolate (R04, R09, ...) e di riepilogo (case, errors, ...) non si importano.\n\n"
            "stato di uscita: 2 tabella illeggibile, argomenti sbagliati o qualche riga rifiutata\n"
            "(le altre si importano); senza --write 1 se qualche bozza cambierebbe, 0 se nessuna;\n"
            "con --write 0."
        ),
    )
    p.add_argument("table", metavar="TABELLA", help="la tabella: un file XLSX o CSV come lo scrive soc25 export")
    p.add_argument("--write", action="store_true",
                   help="scrivi le bozze (ognuna con la copia .bak della versione precedente)")
    p.add_argument("--cartella", metavar="CARTELLA",
                   help="la cartella delle bozze (predefinita: quella della tabella): i percorsi della "
                        "colonna draft sono relativi a questa, e il codice istat cerca le bozze qui")
    p.add_argument("--breve", action="store_true",
                   help="per ogni bozza poche righe (le celle inserite e quante altre cambiano)")
    p.add_argument("-j", "--jobs", type=jobs_arg, metavar="N",
                   help="processi che leggono le bozze (predefinito: tutti i processori)")
    args = p.parse_args(argv)

    from ..core import table_import as ti
    from ..core.numbers import format_number
    from ..core.visible import visible

    try:
        table = ti.read_table(args.table)
        cols = ti.columns(table)
    except ti.TableError as exc:
        err(str(exc))
        return EXIT_USAGE
    given = args.cartella if args.cartella is not None else (os.path.dirname(args.table) or ".")
    if not os.path.isdir(given):
        err(f"{given}: non è una cartella: indicare con --cartella la cartella delle bozze.")
        return EXIT_USAGE
    base = os.path.realpath(given)

    def shown(path: str) -> str:
        return os.path.normpath(os.path.join(given, os.path.relpath(path, base)))

    notes: list[str] = []
    from ..core.reading import UTF8

    if table.kind == ti.CSV and table.encoding != UTF8:
        notes.append(f"il file non è in UTF-8: letto come testo {table.encoding}.")
    if table.kind == ti.XLSX and table.sheet != ti.SHEET:
        notes.append(f"il file non ha il foglio «{ti.SHEET}»: letto il foglio «{table.sheet}».")
    if cols.unknown:
        named = ", ".join(f"{ti.column_letter(i)} «{_short(name) or 'senza nome'}»" for i, name in cols.unknown[:12])
        more = f" e altre {len(cols.unknown) - 12}" if len(cols.unknown) > 12 else ""
        err(f"attenzione: colonne che non sono di soc25 export, non importate: {named}{more}.")
    if cols.ignored:
        listed = ", ".join(cols.ignored[:8]) + (", …" if len(cols.ignored) > 8 else "")
        notes.append(f"{format_number(len(cols.ignored))} colonne calcolate o di riepilogo ({listed}) non "
                     "si importano: soc25 le ricalcola dalle celle inserite.")

    # Which draft each row is: by path, else by code ISTAT, else a new one.
    refused: list[str] = []
    planned: list[tuple[int, str, str, dict[int, object]]] = []  # (row, path, how, values)
    index: dict[str, list[str]] | None = None

    def index_of() -> dict[str, list[str]]:  # read only when a row needs it
        nonlocal index
        if index is None:
            index = ti.istat_index(base, args.jobs)
        return index

    for number, values in table.rows:
        try:
            path, how = _target(ti, table, cols, values, base, index_of)
        except ti.Refused as exc:
            refused.append(f"{table.path}, riga {number}: {visible(str(exc))}: nessuna bozza modificata.")
            continue
        planned.append((number, path, how, values))

    rows_read = len(table.rows)
    table.rows.clear()  # what each row holds is in `planned` now
    labelled = cols.labelled
    by_path: dict[str, list[int]] = {}
    for number, path, _, _ in planned:
        by_path.setdefault(os.path.normcase(path), []).append(number)
    twice = {key: rows for key, rows in by_path.items() if len(rows) > 1}
    jobs_list = []
    for number, path, how, values in planned:
        rows = twice.get(os.path.normcase(path))
        if rows:
            others = ", ".join(str(r) for r in rows)
            refused.append(f"{table.path}, riga {number}: le righe {others} riguardano la stessa bozza "
                           f"{shown(path)}: la bozza non è toccata.")
            continue
        jobs_list.append(ti.RowJob(
            number, path, shown(path), how,
            tuple((name, label, values[i]) for i, name, label in labelled if i in values), table.kind,
            table.delimiter == ",", args.write, args.breve, os.path.basename(table.path)))

    planned.clear()
    for line in refused:
        err(line)
    counts = {ti.SAME: 0, ti.CHANGED: 0, ti.NEW: 0, ti.REFUSED: len(refused)}
    out = sys.stdout
    for result in ti.run_rows(jobs_list, args.jobs):
        counts[result.status] += 1
        if result.status == ti.SAME:
            continue
        if result.status == ti.REFUSED:
            out.flush()
            for problem in result.problems:
                err(f"{table.path}, {problem}" if problem.startswith("riga ") else problem)
            err(f"{result.heading}.")
            continue
        out.write(visible(result.heading) + "\n")
        for line in result.lines:
            out.write(line + "\n")
    out.flush()

    for note in notes:
        print(f"  nota: {visible(note)}", file=sys.stderr)
    print(_count_text(table.path, rows_read, counts, args.write), file=sys.stderr)
    if not args.write and (counts[ti.CHANGED] or counts[ti.NEW]):
        print("Niente è stato scritto: aggiungere --write per scrivere le modifiche.", file=sys.stderr)
    if counts[ti.REFUSED]:
        return EXIT_USAGE
    if not args.write and (counts[ti.CHANGED] or counts[ti.NEW]):
        return EXIT_ERRORS
    return EXIT_OK


def _short(name: str) -> str:
    from ..core.limits import shortened
    from ..core.visible import visible

    return visible(shortened(name))


def _target(ti, table, cols, values, base, index_of):  # core.table_import's types
    """(the draft's path, how it was found: "percorso", "istat" or "nuova") for a row's
    values; ti.Refused when it cannot be told, or is refused."""
    text = values.get(cols.draft) if cols.draft is not None else None
    path = None
    if text is not None:
        if not isinstance(text, str):
            raise ti.Refused("la colonna draft non contiene un percorso")
        if table.kind == ti.CSV:
            text = text.removeprefix("'") if text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text
        path = ti.draft_path(text.strip(), base)
        if os.path.lexists(path):
            return path, "percorso"
    code = ti.istat_key(values.get(cols.istat)) if cols.istat is not None else None
    if code is not None:
        found = index_of().get(code, [])
        if len(found) > 1:
            names = ", ".join(os.path.basename(f) for f in found[:5])
            raise ti.Refused(f"il codice ISTAT {_short(code)} è di più bozze ({names}): indicare la bozza "
                             "nella colonna draft")
        if found:
            return found[0], "istat"
    if path is not None:
        return path, "nuova"
    if code is None:
        raise ti.Refused("la riga non dice a quale bozza si riferisce: manca il percorso (colonna draft) "
                         "e il codice ISTAT (colonna istat)")
    comune = values.get(next((i for i, n in cols.cells if n == "comune"), -1))
    path = os.path.join(base, ti.new_name(code, comune if isinstance(comune, str) else ""))
    if os.path.lexists(path):
        raise ti.Refused(f"nessuna bozza ha il codice ISTAT {_short(code)}, e il nome per crearne una, "
                         f"{os.path.basename(path)}, è già di un altro file: non lo sovrascrivo")
    return path, "nuova"


def _count_text(path: str, rows: int, counts: dict[str, int], write: bool) -> str:
    from ..core import table_import as ti
    from ..core.numbers import format_number
    from ..core.visible import visible

    n = format_number
    changed, new, same, bad = counts[ti.CHANGED], counts[ti.NEW], counts[ti.SAME], counts[ti.REFUSED]
    if write:
        parts = [f"{n(changed)} bozz{'a' if changed == 1 else 'e'} modificat{'a' if changed == 1 else 'e'}",
                 f"{n(new)} creat{'a' if new == 1 else 'e'}"]
    else:
        parts = [f"{n(changed)} bozz{'a' if changed == 1 else 'e'} da modificare", f"{n(new)} da creare"]
    parts.append(f"{n(same)} senza differenze")
    parts.append(f"{n(bad)} rig{'a' if bad == 1 else 'he'} rifiutat{'a' if bad == 1 else 'e'}")
    return (f"Tabella {visible(path)}: {n(rows)} rig{'a' if rows == 1 else 'he'}; "
            + ", ".join(parts) + ".")
