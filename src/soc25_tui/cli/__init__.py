"""`soc25`: the form-filler, and the headless subcommands, one module each.

    soc25 [DRAFT.toml] [--view]          the TUI (tui.py; Textual is imported only there)
    soc25 check DRAFT.toml [...] [--json]
    soc25 import PRINTED.pdf|PRINTED.txt [-o DRAFT.toml] [--force]
    soc25 import TABLE.xlsx|TABLE.csv [--write] [--cartella DIR]   (import_table.py)
    soc25 summary DRAFT.toml [--format text|html|svg|md|pdf] [-o FILE] [--width N]
    soc25 r40 DRAFT.toml [--write]
    soc25 export DRAFT.toml [...] [--format xlsx|csv] -o FILE [--jobs N]
    soc25 review DRAFT.toml [--state STATE] [--note CELL TEXT] [--resolve N] [--delete N]
    soc25 diff A.toml B.toml [--json]
    soc25 web [DRAFT.toml | FOLDER] [--port N] [--host ADDRESS] [--no-browser]   (web.py)

Exit status: 0 fine, 1 some draft has errors (diff: the drafts differ; a table's import
without --write: drafts would change), 2 a file cannot be
read or bad arguments, 3 an internal error (one Italian line on stderr, the traceback in a log
file: core/crash.py).
A subcommand's module is imported only when it runs, so that `soc25 check` stays light.
"""

from __future__ import annotations

import errno
import gc
import sys
from typing import Callable

from .common import EXIT_OK, EXIT_USAGE, err

SUBCOMMANDS = ("check", "import", "summary", "r40", "diff", "review", "export", "web")


_CANNOT_WRITE = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _command(name: str | None) -> Callable[[list[str]], int]:
    """The `run` of a subcommand's module, imported now (the module of `import` is import_)."""
    if name == "check":
        from .check import run
    elif name == "import":
        from .import_ import run
    elif name == "summary":
        from .summary import run
    elif name == "r40":
        from .r40 import run
    elif name == "export":
        from .export import run
    elif name == "diff":
        from .diff import run
    elif name == "review":
        from .review import run
    elif name == "web":
        from .web import run
    else:
        from .tui import run
    return run


def _loaded(name: str | None) -> Callable[[list[str]], int]:
    """`_command(name)`, the garbage collector paused while its modules load: they make
    thousands of objects that live as long as the process, and collecting among them would
    cost `soc25 check` a twentieth of its start. Frozen then, they are never scanned again
    (nor copied into each worker process of a batch by being scanned)."""
    gc.disable()
    try:
        return _command(name)
    finally:
        gc.freeze()
        gc.enable()


def _unknown_command(argv: list[str]) -> list[str] | None:
    """What to say for `soc25 chek` (a mistyped command, not a draft), or None.

    The first argument that is not an option names a draft or a folder for the TUI, which
    creates a draft that does not exist. A word that is no command, no file or folder here,
    has no folder in it (`./chek` is a file's name) and does not end in .toml is taken for a
    mistyped command: said, with the nearest command, and nothing is created. After `--` a
    name is always a file's (`soc25 -- bozza`)."""
    first = next((a for a in argv if a == "--" or not a.startswith("-")), None)
    if first is None or first == "--" or first in SUBCOMMANDS:
        return None
    import os

    if first.lower().endswith(".toml") or any(sep in first for sep in ("/", "\\", os.sep, os.altsep or "/")):
        return None
    try:
        if os.path.lexists(first):
            return None
    except (OSError, ValueError):  # a NUL in the name: no file has it
        pass
    import difflib

    near = difflib.get_close_matches(first.lower(), SUBCOMMANDS, n=1)
    if near:
        lines = [f'comando sconosciuto "{first}": forse "{near[0]}"?']
    else:
        lines = [f'comando sconosciuto "{first}". I comandi: {", ".join(SUBCOMMANDS)} (soc25 -h per l\'aiuto).']
    if first and all(c.isalnum() or c in "._-" for c in first):  # else it would need quoting
        lines.append(f"per aprire o creare una bozza con questo nome: soc25 {first}.toml")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    sub = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    from ..core.terminal import give

    for stream in (sys.stdout, sys.stderr):
        # A terminal in Latin-9 or a pipe in ASCII (LC_ALL=C) cannot show «à», «—» or «␛»:
        # «a'», «-», «^[», not a crash.
        give(stream)
    unknown = _unknown_command(argv) if sub is None else None
    if unknown is not None:
        for line in unknown:
            err(line)
        return EXIT_USAGE
    try:
        status = _loaded(sub)(argv[1:]) if sub is not None else _loaded(None)(argv)
        sys.stdout.flush()  # here, where a full disk can still be said and given status 2
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `soc25 summary ... | less` closed early: not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line, the details logged
        if isinstance(exc, OSError) and exc.errno in _CANNOT_WRITE:
            # The output itself cannot be written (`> /dev/full`, a full disk): not a bug.
            from ..core.reading import os_reason

            err(f"impossibile scrivere l'uscita ({os_reason(exc, writing=True)}).")
            return EXIT_USAGE
        from ..core.crash import EXIT_INTERNAL, report

        err(report(exc))
        return EXIT_INTERNAL


__all__ = ["EXIT_OK", "EXIT_USAGE", "SUBCOMMANDS", "main"]
