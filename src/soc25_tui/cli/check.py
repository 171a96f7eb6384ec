"""`soc25 check DRAFT.toml [...] [--json] [--jobs N]`: the assessment of one or many drafts,
headless.

Many drafts are read and assessed in worker processes (`core.batch.map_ordered`, every core
by default): each worker returns the finished text of its draft (the JSON object or the text
report) and this process writes them in the order given, as they come. `--json` of many
drafts is a list written one object a line, never held whole: 80.000 drafts take no more
memory than 8. The output is the same, byte for byte, whatever `--jobs`.

No Textual and no Rich on this path, and no argparse for plain arguments: it must start fast
(a subprocess test checks it)."""

from __future__ import annotations

import os
import sys
from functools import partial
from types import SimpleNamespace
from typing import Any

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, err, isatty

# What a worker writes for each draft.
TEXT, JSON_ONE, JSON_MANY = "text", "json", "json-lines"


def run(argv: list[str]) -> int:
    args = _plain_args(argv) or _parse(argv)
    from ..core import assess, drafts, report  # noqa: F401 - loaded here, before any worker starts
    from ..core.batch import map_ordered

    mode = (JSON_ONE if len(args.drafts) == 1 else JSON_MANY) if args.json else TEXT
    out = sys.stdout
    # Into a file or a pipe, the workers encode the text and this process passes the bytes
    # on, unread: at thousands of drafts, decoding and encoding them again here would cost
    # as much as a tenth of a worker's time.
    binary = _binary(out)
    encoding = (out.encoding, out.errors or "strict") if binary is not None else None
    write: Any = binary.write if binary is not None else out.write
    status = EXIT_OK
    results = map_ordered(partial(check_one, mode, encoding), args.drafts, args.jobs)
    try:
        if mode == JSON_MANY:
            write(_as(encoding, "[\n"))
        separator = _as(encoding, "")
        for text, problem, verdict in results:
            if problem is not None:
                err(problem)
            status = max(status, verdict)  # EXIT_USAGE (unreadable) over EXIT_ERRORS over EXIT_OK
            if text is not None:
                write(separator + text)
                if mode == JSON_MANY:
                    separator = _as(encoding, ",\n")
        write(_as(encoding, "\n]\n" if mode == JSON_MANY else "\n" if mode == JSON_ONE else ""))
    finally:
        results.close()  # stopped early (a broken pipe, Ctrl+C): the workers stop too
    return status


def check_one(mode: str, encoding: tuple[str, str] | None, path: str) -> tuple[Any, str | None, int]:
    """One draft, in a worker: (what to write on stdout, what to say on stderr, its status);
    what to write is encoded as `encoding` says (stdout's encoding and errors), if given.

    A draft that cannot be read is said on stderr and, in JSON, is {"draft", "error"} in its
    place among the others: a script sees every path it gave."""
    from ..core.assess import assess
    from ..core.drafts import DraftError, load
    from ..core.report import as_json, as_text, json_line, json_text

    try:
        draft = load(path)
    except DraftError as exc:
        problem = str(exc)
        if mode == TEXT:
            return None, problem, EXIT_USAGE
        text = json_text({"draft": path, "error": problem}, indent=1 if mode == JSON_ONE else None)
        return _as(encoding, text), problem, EXIT_USAGE
    assessment = assess(draft)
    if mode == TEXT:
        text = as_text(path, draft, assessment) + "\n\n"
    elif mode == JSON_ONE:
        text = json_text(as_json(path, draft, assessment), indent=1)
    else:  # one compact object a line: json_text(as_json(...)), written directly
        text = json_line(path, draft, assessment)
    return _as(encoding, text), None, EXIT_ERRORS if assessment.errors else EXIT_OK


def _as(encoding: tuple[str, str] | None, text: str) -> Any:
    return text if encoding is None else text.encode(*encoding)


def _binary(out: Any) -> Any:
    """The binary stream under `out`, where the encoded text may go straight (what `out`
    would write, byte for byte): not on a terminal, which shows each line as it comes, nor
    where `out` writes a line end as two characters (Windows). None: write through `out`."""
    buffer = getattr(out, "buffer", None)
    if buffer is None or os.linesep != "\n" or isatty(out) or not isinstance(getattr(out, "encoding", None), str):
        return None
    out.flush()
    return buffer


# --- arguments ---------------------------------------------------------------------------


def _count(text: str) -> bool:
    """A plain number of jobs: 1 to 999999, digits only."""
    return text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 6


def _plain_args(argv: list[str]) -> Any:
    """The arguments as argparse would read them, when they are plain: options (--json,
    --jobs N, -j N, --jobs=N) before and after the drafts, the drafts together, none of
    them starting with «-». None for anything else (help, a mistake, an abbreviation, «--»),
    which argparse reads, with its messages: argparse and its help machinery cost more than
    the rest of `soc25 check` on one draft."""
    drafts: list[str] = []
    as_json, jobs, i, seen_after = False, None, 0, False
    while i < len(argv):
        arg = argv[i]
        if arg == "--json":
            as_json = True
        elif arg in ("--jobs", "-j") and i + 1 < len(argv) and _count(argv[i + 1]):
            jobs = int(argv[i + 1])
            i += 1
        elif arg.startswith("--jobs=") and _count(arg[7:]):
            jobs = int(arg[7:])
        elif arg.startswith("-") or seen_after:
            return None  # argparse decides (it refuses drafts on both sides of an option)
        else:
            drafts.append(arg)
            i += 1
            continue
        seen_after = bool(drafts)
        i += 1
    return SimpleNamespace(drafts=drafts, json=as_json, jobs=jobs) if drafts else None


def _parse(argv: list[str]) -> Any:
    from .common import Parser, jobs_arg

    p = Parser(prog="soc25 check", description="Controlla una o più bozze SOC25 senza aprire l'interfaccia.")
    p.add_argument("drafts", nargs="+", metavar="BOZZA.toml")
    p.add_argument(
        "--json",
        action="store_true",
        help="un oggetto JSON per bozza (una lista se più bozze, un oggetto per riga); una bozza "
        'illeggibile è {"draft": ..., "error": ...}',
    )
    p.add_argument(
        "-j", "--jobs",
        type=jobs_arg,
        metavar="N",
        help="processi che leggono le bozze (predefinito: tutti i processori); il risultato è "
        "lo stesso, nello stesso ordine",
    )
    return p.parse_args(argv)
