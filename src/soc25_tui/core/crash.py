"""An internal error: one Italian line for the person, the details in a log file.

Every command and the TUI end an unexpected exception the same way: exit status 3 (distinct
from 1, drafts with errors, and 2, unreadable input or bad arguments), the line

    soc25: errore interno di soc25: RuntimeError: ...; dettagli in /home/x/.local/state/soc25/log/...

on stderr, and the traceback in a private file (mode 0600: it may quote a draft's figures) in
the user's log folder (`platformdirs.user_log_dir`), or the system's temporary folder when that
cannot be written. The TUI keeps the draft in the recovery file before saying so.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback

from .limits import shortened
from .visible import visible

EXIT_INTERNAL = 3


def _folders() -> list[str]:
    folders = []
    try:
        import platformdirs

        folders.append(platformdirs.user_log_dir("soc25", appauthor=False))
    except Exception:  # noqa: BLE001 - no home folder: the temporary folder will do
        pass
    folders.append(tempfile.gettempdir())
    return folders


def write_log(error: BaseException) -> str | None:
    """Write `error`'s traceback, the program's version and arguments to a new private file;
    its path, or None when no folder can take it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("soc25-tui")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        ours = "?"
    body = (
        f"soc25-tui {ours}, Python {sys.version.split()[0]}, {sys.platform}\n"
        f"argomenti: {sys.argv!r}\n"
        f"ora: {time.strftime('%Y-%m-%d %H:%M:%S')}\n\n"
        + "".join(traceback.format_exception(error))
    )
    name = f"soc25-errore-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in _folders():
        path = os.path.join(folder, name)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(body)
        except OSError:
            continue
        return path
    return None


def internal_error_line(error: BaseException, log: str | None) -> str:
    """«errore interno di soc25: TIPO: messaggio; dettagli in FILE» (the message shortened and
    with its control characters shown: it may quote a value from someone else's draft)."""
    said = shortened(visible(str(error)), 200)
    what = f"{type(error).__name__}: {said}" if said else type(error).__name__
    where = f"dettagli in {visible(log)}" if log else "impossibile scrivere il file con i dettagli"
    return f"errore interno di soc25: {what}; {where}"


def report(error: BaseException) -> str:
    """Log `error` and return the line to print (without the «soc25: » prefix)."""
    return internal_error_line(error, write_log(error))
