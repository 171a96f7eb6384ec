"""What every subcommand shares: the Italian argument parser, the exit codes, and reading a
draft with its error said on stderr. Standard output is data; narration goes to stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

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

if TYPE_CHECKING:  # for type checkers: Parser is an ArgumentParser (made below, on first use)
    from argparse import ArgumentParser as Parser  # noqa: F401


def __getattr__(name: str) -> Any:
    """`Parser`, made on first use (`from .common import Parser`): argparse, and its help
    machinery (gettext, locale, shutil), are imported only by a command that parses with
    it; `soc25 check` with plain arguments does not (see check.py)."""
    if name == "Parser":
        global Parser
        Parser = _parser_class()
        return Parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _parser_class() -> type:
    import argparse

    class _Formatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
            return super().add_usage(usage, actions, groups, prefix or "uso: ")

    class Parser(argparse.ArgumentParser):
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
            from ..core.visible import visible

            self.print_usage(sys.stderr)
            # It quotes the arguments: a file name made to retitle the terminal is shown, not obeyed.
            self.exit(EXIT_USAGE, f"soc25: errore negli argomenti: {visible(message)}\n")

    return Parser


def names_a_draft(path: str) -> bool:
    """Whether writing to `path` would write over a draft or a draft's .bak (through a link
    too): an output of `summary` or `export` never may."""
    import os

    return os.path.realpath(path).lower().endswith((".toml", ".toml.bak"))


def jobs_arg(text: str) -> int:
    """`--jobs N` (argparse's `type`): a whole number of worker processes, at least 1."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» non è un numero intero di processi") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} processi: almeno 1")
    return value


def err(text: str) -> None:
    """One line of narration for the person, on stderr (stdout stays data). It may quote a
    file's name or content: their control characters are shown, not sent to the terminal, a
    newline too (a file named «x\nsoc25: OK» must not print a line of its own)."""
    from ..core.visible import visible

    print(f"soc25: {visible(text)}", file=sys.stderr)


def load_or_report(path: str) -> Any:
    """The draft at `path`, or None after saying on stderr, in Italian, why it cannot be read."""
    from ..core.drafts import DraftError, load

    try:
        return load(path)
    except DraftError as exc:
        err(str(exc))
        return None


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
