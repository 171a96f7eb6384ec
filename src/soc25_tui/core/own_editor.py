"""R40 written in the person's own text editor: which editor, the private file it edits, and
how its text comes back into R40.

`command()` is $VISUAL, else $EDITOR, else nano, else vi (Windows: Notepad); a variable may
hold arguments (`code --wait`, a quoted Windows path), split as a shell would split them
(`shlex`, posix=False on Windows) and run without a shell. `write_private()` puts R40 as the
TUI shows it into a temporary file only its owner can read (0600, UTF-8); `run()` runs the
editor on it and waits; `take()` reads the file back and hands the text to the draft editor
as one step of undo, within R40's 6.000 characters exactly as typing and pasting are held
(`DraftEditor.r40_refusal`: a longer text is refused, never cut).

Nothing the person wrote is lost: a text that is not taken (too long, not UTF-8, the editor
failing after writing) stays in its file, which the next edit opens again; a file is removed
only once its text is in R40 or was never changed.

No Textual here: the TUI runs `run()` with the terminal handed over (App.suspend); any face
can drive the same functions.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from typing import NamedTuple

from .editing import DraftEditor, shown_r40
from .layout import R40_MAX_CHARS
from .limits import MAX_FORM_BYTES
from .model import one_newline
from .numbers import format_number
from .reading import ReadError, read_bytes
from .values import count_chars
from .visible import visible

WINDOWS = sys.platform == "win32"
FALLBACKS = ("nano", "vi")  # when neither $VISUAL nor $EDITOR is set (Windows: Notepad)
WINDOWS_FALLBACKS = ("notepad",)


class EditorError(Exception):
    """The editor cannot be run; str() is Italian and says what to do."""


def command(environ: Mapping[str, str] | None = None, *, windows: bool = WINDOWS,
            which: Callable[[str], str | None] | None = None) -> list[str]:
    """The editor to run, as a list of arguments (the file is added last): $VISUAL, else
    $EDITOR, else the first of nano and vi found (Windows: Notepad). A variable naming an
    editor that cannot be found is said, not passed over for another editor. The program is
    the one `which` found, by its full path; on Windows never one in the current folder
    (Windows runs a «notepad.exe» there before the system's: in a folder of someone else's
    drafts, that would be theirs)."""
    environ = os.environ if environ is None else environ
    if which is None:
        which = which_outside_cwd if windows else shutil.which
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "")
        if not value.strip():
            continue
        said = f"${name} ({visible(value.strip())})"
        try:
            argv = split(value, windows=windows)
        except ValueError:
            raise EditorError(f"Impossibile leggere il comando dell'editor in {said}: "
                              "controllare virgolette e spazi.") from None
        if not argv:
            continue
        program = which(argv[0])
        if program is None:
            raise EditorError(f"L'editor indicato da {said} non si trova: impostare {name} con un "
                              "editor installato, o toglierla per usare nano o vi.")
        return [program, *argv[1:]]
    for name in WINDOWS_FALLBACKS if windows else FALLBACKS:
        program = which(name)
        if program is not None:
            return [program]
    raise EditorError("Nessun editor di testo trovato (né $VISUAL né $EDITOR, né nano né vi): "
                      "impostare la variabile EDITOR, ad esempio EDITOR=nano.")


def which_outside_cwd(name: str, *, path: str | None = None, pathext: str | None = None) -> str | None:
    """Windows' search for a program named without a folder, in the folders of PATH only (not
    the current folder, which Windows and Python's shutil.which look in first); a name with a
    folder is taken as it is."""
    if os.path.dirname(name):
        return shutil.which(name)
    path = os.environ.get("PATH", "") if path is None else path
    pathext = os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD") if pathext is None else pathext
    ends = [e for e in pathext.split(";") if e]
    names = [name] if any(name.lower().endswith(e.lower()) for e in ends) else [name + e for e in ends]
    for folder in path.split(os.pathsep):
        folder = folder.strip().strip('"')
        if not folder or folder in (".", os.curdir):
            continue
        for candidate in names:
            full = os.path.join(folder, candidate)
            if os.path.isfile(full):
                return full
    return None


def split(value: str, *, windows: bool = WINDOWS) -> list[str]:
    """A command as a shell would split it: `code --wait`; on Windows a quoted path with
    spaces («"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst»), its backslashes
    kept and its quotes taken away. ValueError when a quote is not closed."""
    if not windows:
        return shlex.split(value)
    parts = []
    for part in shlex.split(value, posix=False):
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return parts


def file_text(r40: str, *, windows: bool = WINDOWS) -> str:
    """R40 as the file shows it: as the TUI shows it (`shown_r40`: control characters made
    visible, one kind of line end), ending with a line end as text files do (taken away
    again by `text_of`); Windows line ends on Windows."""
    text = shown_r40(r40)
    if text:
        text += "\n"
    return text.replace("\n", "\r\n") if windows else text


def text_of(data: bytes) -> str:
    """The file's text as R40 takes it: UTF-8 (a BOM, as Notepad writes it, dropped), one kind
    of line end, control characters made visible as when typed or pasted, and the line end
    every editor puts after the last line taken away. UnicodeDecodeError when not UTF-8."""
    text = one_newline(data.decode("utf-8-sig"))
    if text.endswith("\n"):
        text = text[:-1]
    return shown_r40(text)


def write_private(text: str) -> str:
    """A new temporary file holding `text` (UTF-8), readable by its owner only (0600); its
    path. EditorError (Italian) when it cannot be written."""
    try:
        fd, path = tempfile.mkstemp(prefix="soc25-R40-", suffix=".txt")
    except OSError as exc:
        raise EditorError(f"Impossibile creare il file temporaneo per l'editor: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
    except OSError as exc:
        remove(path)
        raise EditorError(f"Impossibile scrivere il file temporaneo per l'editor: {exc.strerror or exc}.") from None
    return path


class Opening(NamedTuple):
    """The editor to run and the file it edits."""

    argv: list[str]  # `command()`
    path: str
    reopened: bool  # `path` is a file kept from an edit before (its text not taken)


def opening(r40: str | None, kept: str | None) -> Opening:
    """What an edit of R40 opens: the editor (`command()`) on the file `kept` from an edit
    before when it is still there, else on a new private file holding `r40` as the file shows
    it. EditorError (Italian) when there is no editor, or the file cannot be written (the
    editor is looked for first: no file is written for an editor that cannot be found)."""
    argv = command()
    if kept is not None and os.path.isfile(kept):
        return Opening(argv, kept, True)
    return Opening(argv, write_private(file_text(r40 or "")), False)


def remove(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass


class Ran(NamedTuple):
    """How the editor ended: its exit status, or why it could not be started."""

    status: int | None
    problem: str = ""


def run(argv: list[str], path: str) -> Ran:
    """Run the editor on `path` (no shell) and wait for it to end; the terminal is its own
    meanwhile (the caller hands it over)."""
    try:
        done = subprocess.run([*argv, path], check=False)
    except OSError as exc:
        return Ran(None, f"Impossibile avviare l'editor {visible(argv[0])}: {exc.strerror or exc}.")
    return Ran(done.returncode)


class Taken(NamedTuple):
    """What came of an edit in the person's editor."""

    notice: str  # what to tell the person
    done: bool = False  # R40 holds the new text (one step of undo)
    refusal: str = ""  # R40's refusal, worded as for typing and pasting ("" when none)
    kept: str | None = None  # the file still holding the person's text (opened again next time)


def take(editor: DraftEditor, path: str, ran: Ran, *, reopened: bool = False, key: str = "",
         undo: str = "") -> Taken:
    """Read the file the editor wrote and put its text into R40 through `editor`, as one step
    of undo. R40 stays as it is, and the notice says why, when the editor could not start or
    failed, the file is not UTF-8 or cannot be read, the text is unchanged, or it would take
    R40 past 6.000 characters (refused as typing is: a shorter text than R40's may still be
    over, as when deleting). `reopened`: the file is one kept from an edit before (kept until
    its text is taken); `key` names the key that opens the editor again, `undo` the key that
    takes a change back."""
    again = f" ({key} lo riapre)" if key else ""
    if ran.problem:
        if not reopened:
            remove(path)
        return Taken(f"{ran.problem} R40 non cambia.", kept=path if reopened else None)
    current = shown_r40(editor.draft.R40 or "")
    try:
        data = read_bytes(path, limit=MAX_FORM_BYTES, expected="il testo di R40")
    except ReadError as exc:
        kept = path if os.path.lexists(path) else None
        return Taken(f"Testo dell'editor non letto: {str(exc).rstrip('.')}. R40 non cambia.", kept=kept)
    try:
        text = text_of(data)
    except UnicodeDecodeError:
        return Taken(f"Il file scritto dall'editor non è testo UTF-8: R40 non cambia. Il testo resta "
                     f"in {path}{again}: salvarlo in UTF-8.", kept=path)
    if ran.status:
        if text == current:
            remove(path)
            return Taken(f"L'editor è uscito con un errore (stato {ran.status}): R40 non cambia.")
        return Taken(f"L'editor è uscito con un errore (stato {ran.status}): R40 non cambia. Il testo "
                     f"scritto resta in {path}{again}.", kept=path)
    if text == current:
        remove(path)
        return Taken("R40 non cambia: il testo nell'editor è quello di prima.")
    if editor.read_only:
        return Taken(f"{editor.read_only_note} Il testo scritto resta in {path}.", kept=path)
    n = count_chars(text)
    if n > R40_MAX_CHARS and n > count_chars(current):
        refusal = editor.r40_refusal(n)
        return Taken(f"{refusal} R40 non cambia: il testo resta in {path}{again} per accorciarlo.",
                     refusal=refusal, kept=path)
    editor.set("R40", text or None)
    remove(path)
    told = f" ({undo} torna al testo di prima)" if undo else ""
    return Taken(f"R40 scritta nell'editor: {format_number(n)} caratteri{told}.", done=True)
