"""The Textual App: navigation between screens, dialogs and the file flows (open, create,
save, quit, lock, recovery) of one draft editor.

The draft's live state lives in `core.editing.DraftEditor`: the screens are built with it,
show what it says and hand it what the person typed; the App is not on that path. It listens
to the editor only for the file flows (a recovery file written within seconds of a change).
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from . import keys
from .core import crash, model, session
from .core.drafts import DraftError, dumps, load, save
from .core.editing import Change, DraftEditor
from .core.folder import stamp_at, written_at
from .core.layout import CELL_BY_NAME, CELLS, QUADRO_TITLES, resolve_cell_name
from .core.model import Draft
from .core.visible import visible
from .gate import KeyGate
from .screens.base import DraftScreen, HandOver, Navigate
from .screens.quadro1 import Quadro1Screen

if TYPE_CHECKING:  # pragma: no cover - imported when there is no draft to open
    from .screens.review_table import ReviewTableScreen

# Seconds from a change to the recovery file holding it: at most this (plus the write, in a
# thread), however fast the typing goes on; a crash a moment later loses nothing confirmed.
RECOVERY_DELAY = 0.25
# How often the open draft's file is looked at, to show a version another program saved.
WATCH_SECONDS = 2.0


def _screen_class(key: str) -> type[DraftScreen]:
    """A screen's class, its module imported on first use: only Quadro 1 is needed to paint
    the first screen (the final screen alone pulls in TextArea and the summary)."""
    if key == "q1":
        return Quadro1Screen
    if key == "q2":
        from .screens.quadro2 import Quadro2Screen as cls
    elif key == "q3":
        from .screens.quadro3 import Quadro3Screen as cls
    elif key == "q4":
        from .screens.quadro4 import Quadro4Screen as cls
    else:
        from .screens.final import FinalScreen as cls
    return cls


def _lenient_driver(driver: type) -> type:
    """Textual's Unix driver, reading bytes that are not UTF-8 as «�» (U+FFFD).

    Textual 8.2.8's LinuxDriver.run_input_thread decodes the terminal's bytes with a strict
    incremental UTF-8 decoder (`getincrementaldecoder("utf-8")()`, looked up in its module): one
    byte that is not UTF-8 (typed or pasted in a Latin-1 terminal, `tmux send-keys -H e0`)
    raises UnicodeDecodeError in the input thread, and Textual draws a traceback and ends the
    program. The subclass gives that method a decoder with errors="replace": the byte becomes
    «�», which the person sees and retypes. Other drivers (Windows reads characters, not
    bytes; the headless driver of the tests) are returned unchanged."""
    if driver.__module__ != "textual.drivers.linux_driver":  # its module imports termios: Unix only
        return driver
    from textual.drivers import linux_driver

    if driver is not linux_driver.LinuxDriver or not hasattr(linux_driver, "getincrementaldecoder"):
        return driver

    def replacing(encoding: str) -> Callable[..., Any]:
        return partial(codecs.getincrementaldecoder(encoding), errors="replace")

    class LenientLinuxDriver(linux_driver.LinuxDriver):
        def run_input_thread(self) -> None:
            # The module's name is looked up once, when the method starts; only this process
            # (soc25's) has a LinuxDriver, so replacing it there changes nothing else.
            linux_driver.getincrementaldecoder = replacing  # type: ignore[assignment]
            super().run_input_thread()

    return LenientLinuxDriver


# What needs an open draft: refused (and left out of the palette) on the review table.
_DRAFT_ACTIONS = frozenset({"save", "jump", "go", "undo", "redo", "note_add", "notes", "verdict"})


class CellCommands(Provider):
    """Command palette: jump to any cell by its public name, or to a Quadro."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if app.path is None:  # the review table: no draft to go into yet
            return
        matcher = self.matcher(query)
        exact = resolve_cell_name(query) if query.strip() else None
        found = False
        for cell in CELLS:
            text = f"Vai a {cell.name} - {cell.label}"
            # The cell named (R03) before the ones that only mention it (R01B's label has R03).
            score = 1.0 if cell.name == exact else min(matcher.match(text), 0.99)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(text), partial(app.jump_to, cell.name))
        if not found and query.strip():
            # Said in Italian here, so that Textual's own "No matches found" never shows.
            # Text, never markup: what was typed is shown as typed ("[/]" too).
            yield Hit(0.001, Text(f"Nessuna cella corrisponde a «{visible(query.strip())}» "
                                  "(es. R07_2021, M12_ore)"), lambda: None)

    async def discover(self) -> Hits:
        app = self.app
        if app.path is None:
            return
        for screen, key_id, title in keys.QUADRI:
            yield DiscoveryHit(f"Vai a {title} ({keys.label(key_id, app.keymap)})",
                               partial(app.action_go, screen))


class Soc25App(KeyGate, App[int]):
    CSS_PATH = Path(__file__).with_name("soc25.tcss")  # absolute: subclasses live elsewhere
    TITLE = "SOC25"
    COMMANDS = App.COMMANDS | {CellCommands}
    BINDINGS = keys.bindings(keys.APP)

    def __init__(self, path: str | None, draft: Any | None = None, *, read_only: bool = False,
                 folder: str | None = None) -> None:
        super().__init__()
        self.path = path
        # The review table's folder (`soc25 CARTELLA`, `soc25` alone: "."): its drafts are
        # opened from it, and Ctrl+Q in a draft goes back to it. None: one draft only.
        self.folder = folder if folder is not None or path is not None else "."
        self.view_only = read_only
        if draft is None and path is not None and os.path.exists(path):
            draft = load(path)  # never show (and then save) a blank form over an existing draft
        self._new_editor(draft)
        self.keymap, self._keymap_problem = keys.load_keymap()
        if self.keymap:
            self.set_keymap(self.keymap)
        self._disk: tuple[int, int] | None = None
        self.lock: session.Lock | None = None
        self._recovery_timer = None
        self._recovery_lock = threading.Lock()
        self._built: dict[str, DraftScreen] = {}  # the draft's screens built so far
        for key, *_ in keys.QUADRI:
            self.install_screen(partial(self._build_screen, key), key)  # type: ignore[arg-type]

    def get_driver_class(self) -> type:
        return _lenient_driver(super().get_driver_class())

    _unsubscribe_editor: Callable[[], None] | None = None

    def _new_editor(self, draft: Any | None) -> None:
        """A fresh editor for the draft opened (the screens built from now on are built with
        it); the App listens to it, and no longer to the one before."""
        if self._unsubscribe_editor is not None:
            self._unsubscribe_editor()
        self.editor = DraftEditor(draft, read_only_reason="aperta con --view." if self.view_only else "")
        self._unsubscribe_editor = self.editor.subscribe(self._draft_changed)

    def _build_screen(self, key: str) -> DraftScreen:
        screen = _screen_class(key)(self.editor, keymap=self.keymap)
        self._built[key] = screen
        return screen

    # --- the draft changed: the file flows follow ------------------------------------------

    def _draft_changed(self, change: Change) -> None:
        if change.unapproved:
            self.notify("La bozza era approvata: con questa modifica il verdetto torna «da rivedere» "
                        "e una nota della revisione elenca le celle cambiate "
                        f"({keys.label('annulla-modifica', self.keymap)} annulla la modifica e "
                        "ridà l'approvazione).", severity="warning", timeout=10)
        if change.state:
            return
        if self.unsaved_work():
            self._recovery_soon()
        elif self.path and not self.editor.read_only and not change.whole and not self.discarded:
            # Back to what the file holds: a recovery written meanwhile is stale.
            if self._recovery_timer is not None:
                self._recovery_timer.stop()
                self._recovery_timer = None
            self._discard_recovery()

    # --- files ---------------------------------------------------------------------------

    _recovery_seq = 0  # recovery texts taken so far (and discards)
    _recovery_failing = False  # the last recovery write failed (and that was said)

    def _recovery_soon(self) -> None:
        """The recovery file written within RECOVERY_DELAY (not postponed by the next change)."""
        if self._recovery_timer is None:
            self._recovery_timer = self.set_timer(RECOVERY_DELAY, self.write_recovery)

    def write_recovery(self) -> None:
        """Write the recovery file in a worker thread (the text is taken here, on the UI
        thread; writes end in the order they were asked, a newer one is never overwritten)."""
        self._recovery_timer = None
        if not self.unsaved_work():
            return
        self._recovery_seq += 1
        seq, path = self._recovery_seq, self.path
        text = dumps(self.editor.recovery_draft())

        def write() -> None:
            with self._recovery_lock:
                if seq == self._recovery_seq:  # else a newer text is on its way, or the
                    try:  # recovery was discarded since
                        session.write_recovery_text(path, text)
                    except DraftError as exc:  # a full disk: said once, until a write succeeds
                        if not self._recovery_failing:
                            self._recovery_failing = True
                            self.call_from_thread(
                                self.notify, f"File di recupero non scritto: {exc} Salvare la bozza "
                                "appena possibile: un'interruzione perderebbe le modifiche.",
                                severity="error", timeout=15)
                    else:
                        self._recovery_failing = False

        self.run_worker(write, thread=True, group="recovery", exit_on_error=False)

    def _recovery_now(self, act: Callable[[str], object]) -> None:
        """`act` on the recovery file now, on this thread, after a write still on its way (it
        is waited for, at most 1 s: a signal handler must not hang); a write asked for and
        not yet done is not done."""
        locked = self._recovery_lock.acquire(timeout=1.0)
        try:
            self._recovery_seq += 1
            act(self.path)
        finally:
            if locked:
                self._recovery_lock.release()

    def _last_recovery(self) -> None:
        """The recovery file written one last time (a dropped terminal, the end of `run`)."""
        self._recovery_now(lambda path: session.write_recovery(path, self.editor.recovery_draft()))

    def _discard_recovery(self) -> None:
        """No recovery file: the draft is as its file holds it."""
        self._recovery_now(session.discard_recovery)

    crash: str | None = None  # the Italian line for an internal error (core/crash.py)
    recovery_kept: str | None = None  # where the work was kept when it happened

    def _handle_exception(self, error: Exception) -> None:
        """An internal error: the draft kept in the recovery file first, the details in a log
        file, the app ended with status 3 and one Italian line (printed by `run` once the
        terminal is back), never Textual's traceback on the screen."""
        if self.crash is None:
            try:
                if self.unsaved_work():
                    self._last_recovery()
                    self.recovery_kept = session.recovery_path(self.path)
            except Exception:  # noqa: BLE001 - the error is said below; run() tries again
                pass
            self.crash = crash.report(error)
        self._return_code = crash.EXIT_INTERNAL
        if self._exception is None:  # Pilot re-raises it: tests see the error itself
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def _on_sighup(self, signum: int, frame: Any) -> None:
        """A dropped SSH session: Textual gets no chance to quit, so save what we have."""
        try:
            if self.unsaved_work():
                self._last_recovery()
        finally:
            if self.lock:
                self.lock.release()
            os._exit(129)

    def _stamp(self) -> tuple[int, int, int] | None:
        """What the draft file looks like on disk (`folder.stamp_at`: to notice another
        program writing it)."""
        return stamp_at(self.path)

    _disk_seen: tuple[int, int, int] | None = None  # a version on disk already said

    def _watch_disk(self) -> None:
        """Every WATCH_SECONDS: a new version of the open draft saved by another program (the
        Comune, `soc25 review`) is shown when this one is read-only or has no changes of its
        own; changes made here are never replaced: that is said, and saving asks first. The
        file is looked at and read in a thread (a network folder over SSH may be slow)."""
        if self.path is None or self._disk is None:
            return
        self.run_worker(partial(self._look_at_disk, self.path, (self._disk, self._disk_seen)),
                        thread=True, group="disk", exclusive=True, exit_on_error=False)

    def _look_at_disk(self, path: str, known: tuple[Any, Any]) -> None:
        """In a thread: the draft's stamp, and the version on disk when it is not one known."""
        stamp = stamp_at(path)
        if stamp is None or stamp in known:
            return
        try:
            found: Any = load(path)
        except DraftError as exc:
            found = exc
        self.call_from_thread(self._disk_changed, path, stamp, found)

    def _disk_changed(self, path: str, stamp: tuple[int, int, int], found: Any) -> None:
        if path != self.path or stamp in (self._disk, self._disk_seen):
            return  # another draft open meanwhile, or this version said already
        self._disk_seen = stamp
        ed = self.editor
        if not ed.read_only:
            for screen in self._built.values():  # a figure being typed is confirmed first
                if screen.is_mounted:
                    screen.close_edit()
        if ed.read_only or not self.unsaved_work():
            if isinstance(found, DraftError):
                self.notify(f"La bozza è stata cambiata da un altro programma, ma la nuova versione "
                            f"non si può leggere: {found}", severity="warning", timeout=10)
                return
            self._disk = stamp
            ed.load(found)
            self.notify("La bozza è stata salvata da un altro programma: mostrata la nuova versione.",
                        timeout=8)
        else:
            self.notify("La bozza è stata salvata da un altro programma. Le modifiche fatte qui non "
                        "sono salvate e restano: salvando si chiederà se sovrascrivere la versione "
                        "su disco.", severity="warning", timeout=15)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notice (the screens' too) as plain text, never markup: notices quote file
        names, values, lock files and what was typed, whose "[bold]" or "[/]" must show as
        written, and whose control characters are shown (`visible`), not sent to the
        terminal. `markup` is accepted for Textual's signature and ignored."""
        super().notify(visible(message, multiline=True), title=visible(title), severity=severity,
                       timeout=timeout, markup=False)

    def _refuse_read_only(self) -> bool:
        if self.editor.read_only:
            self.notify(self.editor.read_only_note, severity="warning")
        return self.editor.read_only

    def action_save(self) -> None:
        self.save_then(None)

    def save_then(self, then: Callable[[], object] | None) -> None:
        """Save (asking first if another program changed the file since it was opened), then
        call `then` if the draft was saved."""
        if self.path is None or self._refuse_read_only():
            return
        if self._stamp() != self._disk:
            from .screens.dialogs import Choice

            def answer(choice: str | None) -> None:
                if choice == "overwrite" and self._save() and then is not None:
                    then()

            self.push_screen(
                Choice(
                    f"La bozza {self.path} è stata modificata da un altro programma dopo "
                    "l'apertura. Sovrascriverla con questa versione? Quella su disco resterà "
                    "nella copia .bak.",
                    [("s", "overwrite", "Sovrascrivi"), ("a", "cancel", "Annulla")],
                ),
                answer,
            )
            return
        if self._save() and then is not None:
            then()

    def _save(self) -> bool:
        try:
            save(self.path, self.editor.draft)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self._disk = self._stamp()
        self.editor.mark_saved()
        self._discard_recovery()
        if self.unsaved_work():  # an edit still open whose text is not valid
            self._recovery_soon()
        self.notify(f"Bozza salvata in {self.path} (versione precedente in .bak).")
        return True

    async def action_quit(self) -> None:
        from .screens.dialogs import Choice

        if isinstance(self.screen, Choice):
            return  # the question is already on screen
        if not self.unsaved_work():
            self._leave()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.save_then(self._leave)
            elif choice == "discard":
                # Thrown away on purpose: the recovery file written meanwhile is set aside
                # (never deleted), and none is written at exit (see `run`) nor by a write
                # still on its way.
                self.discarded = True
                self._recovery_now(session.set_recovery_aside)
                self._leave()

        back = self.folder is not None  # Ctrl+Q goes back to the review table
        self.push_screen(
            Choice(
                "La bozza ha modifiche non salvate.",
                [("s", "save", "Salva e torna all'elenco" if back else "Salva ed esci"),
                 ("e", "discard", "Torna all'elenco senza salvare" if back else "Esci senza salvare"),
                 ("a", "cancel", "Annulla")],
            ),
            answer,
        )

    discarded = False  # «Esci senza salvare»: no recovery file on the way out

    def unsaved_work(self) -> bool:
        """Changes that a recovery file must keep when the program ends (a crash too)."""
        ed = self.editor
        return (bool(self.path) and (ed.dirty or ed.pending_text is not None)
                and not ed.read_only and not self.discarded)

    def _leave(self) -> None:
        if self.path and not self.unsaved_work() and not self.editor.read_only:
            self._discard_recovery()  # only ever this session's: see _offer_recovery
        if self.lock:
            self.lock.release()
            self.lock = None
        if self.folder is not None and self.path is not None:
            self._close_draft()
            return
        self.exit(0)

    def _close_draft(self) -> None:
        """Back to the review table from a draft: its screens go (the next draft opened gets
        new ones, built with an editor of its own), its lock is released (by `_leave`)."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
            self._recovery_timer = None
        self._recovery_seq += 1  # a recovery write asked for and not yet done is not done
        popped = []
        while len(self.screen_stack) > 1:
            popped.append(self.screen_stack[-1])
            self.pop_screen()  # each removed by Textual once uninstalled below
        for key, *_ in keys.QUADRI:
            built = self._built.pop(key, None)
            self.uninstall_screen(key)
            if built is not None and built not in popped and built.is_attached:
                built.remove()
            self.install_screen(partial(self._build_screen, key), key)  # type: ignore[arg-type]
        table = self.screen_stack[0]
        if hasattr(table, "returned"):  # the review table: back on the draft's row
            table.returned(self.path)
        self.path = None
        self._disk = self._disk_seen = None
        self._lock_problem = None
        self.discarded = False
        self._recovery_failing = False
        self._new_editor(None)

    # --- opening -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: Quadro 1 of the draft (no blank screen painted before it), the
        list of drafts when no draft was named, or an empty screen under the new-draft form."""
        if self.path is None:
            from .screens.review_table import ReviewTableScreen

            return ReviewTableScreen(self.folder or ".", keymap=self.keymap)
        if not os.path.exists(self.path):
            return Screen()
        self._take_lock()
        screen = self._build_screen("q1")
        self.uninstall_screen("q1")
        self.install_screen(screen, "q1")
        return screen

    def on_mount(self) -> None:
        if hasattr(signal, "SIGHUP"):
            try:
                signal.signal(signal.SIGHUP, self._on_sighup)
            except ValueError:  # pragma: no cover - not the main thread (tests)
                pass
        if self._keymap_problem:
            self.notify(self._keymap_problem, severity="error", timeout=15)
        self.set_interval(WATCH_SECONDS, self._watch_disk)
        if self.path is not None and not os.path.exists(self.path):
            from .screens.dialogs import NewDraftDialog

            self.push_screen(NewDraftDialog(self.path), self._created)
        elif self.path is not None:
            self.call_after_refresh(self._after_opening)

    def on_review_table_screen_open(self, message: ReviewTableScreen.Open) -> None:
        self.open_path(message.path)

    def open_path(self, path: str) -> None:
        """Load a draft and show it (chosen in the review table, or found where a new one was
        to be created)."""
        try:
            draft = load(path)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.path = path
        self._new_editor(draft)
        self._opened()

    def on_review_table_screen_new(self, message: ReviewTableScreen.New) -> None:
        from .screens.dialogs import NewDraftDialog

        if self.view_only:
            self.notify("Aperto con --view: nessuna bozza nuova.", severity="warning")
            return
        self.push_screen(NewDraftDialog(None, folder=self.folder), self._created)

    def _created(self, result: tuple[str, str, str] | None) -> None:
        if result is None:
            # `soc25 NEW.toml` and the person cancelled: nothing to show. From the start
            # screen (no path yet), cancelling goes back to the list.
            if self.path is not None and not os.path.exists(self.path):
                self.exit(0)
            return
        path, comune, provincia = result
        if os.path.exists(path):  # appeared while the form was open: never written over
            self.notify(f"{path} esiste già: la apro.", severity="warning")
            self.open_path(path)
            return
        draft = Draft(comune=comune, provincia=provincia)
        try:
            save(path, draft, backup=False)
        except DraftError as exc:
            if type(self.screen_stack[0]) is Screen:  # `soc25 DIR/NEW.toml`: nothing to show
                self.exit(2, message=Text(f"soc25: {visible(str(exc))}"))
            else:  # from the review table: the list is still there
                self.notify(str(exc), severity="error", timeout=10)
            return
        self.path = path
        self._new_editor(draft)
        self._opened()

    def _opened(self) -> None:
        """A draft chosen in the review table, or just created: show its Quadro 1."""
        self._take_lock()
        self.show_screen("q1")
        self._after_opening()

    def _after_opening(self) -> None:
        """Once the draft is on screen: offer a newer recovery file, and get the validation of
        typed values ready in a worker thread (pydantic is not imported before the first paint:
        see `model`), so that the first key typed does not wait for it. Where the draft could
        not be locked, that is asked first."""
        if self._lock_problem is not None:
            self._ask_to_edit_unprotected()
            return
        if not self.editor.read_only:
            self.run_worker(model.warm_up, thread=True, group="warm-up", exit_on_error=False)
        self._offer_recovery()

    def _take_lock(self) -> None:
        self._disk = self._stamp()
        ed = self.editor
        if ed.read_only:
            return
        if not os.access(self.path, os.W_OK):
            ed.set_read_only("il file non è scrivibile (permessi).")
            self.notify(f"{self.path}: il file non è scrivibile, aperto in sola lettura.",
                        severity="warning", timeout=10)
            return
        self.lock = session.Lock(self.path)
        try:
            holder = self.lock.acquire()
        except session.LockUnavailable as exc:  # asked once the draft is on screen
            self.lock, self._lock_problem = None, exc
            ed.set_read_only(f"{exc}.")
            return
        if holder is not None:
            self.lock = None
            ed.set_read_only(f"bozza già aperta da {holder.describe()}.")
            self.notify(f"Bozza già aperta da {holder.describe(session.lock_path(self.path))}: "
                        "aperta in sola lettura.",
                        severity="warning", timeout=10)

    _lock_problem: session.LockUnavailable | None = None  # no lock here: to be asked

    def _ask_to_edit_unprotected(self) -> None:
        """No lock file can be created beside the draft (a read-only folder, a full disk):
        said at once, and the draft stays read-only unless the person chooses to edit it
        without a lock and without a recovery file."""
        from .screens.dialogs import Choice

        problem, self._lock_problem = self._lock_problem, None

        def answer(choice: str | None) -> None:
            if choice == "edit":
                self.editor.set_read_only("")
                self.notify("Modifica senza file di blocco e senza file di recupero: salvare spesso "
                            f"({keys.label('salva', self.keymap)}).", severity="warning", timeout=10)
                self._after_opening()

        self.push_screen(
            Choice(
                f"Nella cartella {problem.folder} non si può creare il file di blocco della bozza "
                f"({problem.reason}). Senza, un'altra persona potrebbe modificarla nello stesso "
                "momento, e nemmeno il file di recupero potrebbe essere scritto: un'interruzione "
                "perderebbe le modifiche non salvate. La bozza è aperta in sola lettura.",
                [("m", "edit", "Modifica comunque"), ("l", "read-only", "Resta in sola lettura")],
            ),
            answer,
        )

    def _offer_recovery(self) -> None:
        if self.editor.read_only:
            return
        # Set aside before asking: this session's own recovery file, written as soon as a key
        # changes the draft (even one typed before the question shows), never replaces the
        # one offered.
        aside, newer = session.recovery_aside_at_opening(self.path)
        if not aside:
            return
        if not newer:
            # Older than the draft (the draft was written since, by another program): not
            # offered, but never deleted either.
            self.notify(f"Un recupero più vecchio della bozza è stato messo da parte in {aside}.",
                        timeout=10)
            return
        self._offer(aside, startup=True)

    def _version(self, file: str, failure: str) -> tuple[Any, str] | None:
        """Another version of the draft (a recovery, a .bak, another draft) and when it was
        written; None, said as «`failure`: why», when it cannot be read."""
        try:
            return load(file), written_at(os.stat(file).st_mtime)
        except (DraftError, OSError) as exc:
            self.notify(f"{failure}: {exc}", severity="error", timeout=10)
            return None

    def _offer(self, file: str, *, startup: bool) -> None:
        """Ask whether to restore a recovery file set aside (at opening, or chosen in the
        palette), showing when it was written and each cell it would change: the draft's
        value -> its value, and the figures, case and messages that would change with them."""
        from .core.compare import brief, compare
        from .screens.dialogs import Choice

        version = self._version(file, f"Recupero illeggibile ({file})")
        if version is None:
            return
        recovered, written = version
        found = compare(self.editor.draft, recovered)
        if found.equal:
            if startup:  # the same as the draft: nothing to offer, nothing lost
                try:
                    os.unlink(file)
                except OSError:
                    pass
            else:
                self.notify(f"Il recupero del {written} è uguale alla bozza: niente da ripristinare.")
            return
        cells = found.count_text()
        where = "con modifiche non salvate di una sessione precedente" if startup else "messo da parte"
        later = ("i", "ignore", "Non ora (resta da parte)") if startup else ("a", "cancel", "Annulla")

        def answer(choice: str | None) -> None:
            if choice == "restore":
                self.editor.adopt(recovered, f"ripristino del recupero del {written}")
                self.notify(f"Recupero del {written} ripristinato ({cells}): "
                            f"{keys.label('salva', self.keymap)} per salvarlo nella bozza, "
                            f"{keys.label('annulla-modifica', self.keymap)} per tornare indietro.")
            elif choice == "ignore":
                self.notify(f"Recupero messo da parte in {file}: si riprende da "
                            f"{keys.label('comandi', self.keymap)}, «Ripristina un recupero».", timeout=8)

        self.push_screen(
            Choice(f"C'è un recupero della bozza {self.path}, {where}, scritto il {written}: "
                   f"{cells}{' (valore nella bozza → valore recuperato)' if found.given else ''}. "
                   "Ripristinarlo?",
                   [("r", "restore", "Ripristina"), later], detail=brief(found)),
            answer,
        )

    def offer_aside(self, file: str) -> None:
        """From the palette: a recovery set aside, offered again."""
        if self.path is None or self._refuse_read_only():
            return
        self._offer(file, startup=False)

    # --- comparing with another version (soc25 diff) -------------------------------------

    def compare_with_backup(self) -> None:
        """From the palette: the open draft as it is now against its .bak (the version the
        last save replaced)."""
        from .core.drafts import backup_path

        bak = backup_path(self.path)
        if not os.path.lexists(bak):
            self.notify(f"Nessuna copia .bak di {self.path}: la crea il primo salvataggio, con la "
                        "versione che sostituisce.", severity="warning", timeout=8)
            return
        self._compare_with(bak, "copia .bak")

    def ask_compare_with(self) -> None:
        """From the palette: the open draft against another draft, its path asked."""
        from .screens.compare import CompareWithDialog

        self.push_screen(CompareWithDialog(os.path.dirname(self.path)),
                         lambda path: path and self._compare_with(path, path))

    def _compare_with(self, other: str, name: str) -> None:
        """The screen of what differs from `other` to the draft as the editor holds it."""
        from .core.compare import compare, lines
        from .screens.compare import CompareScreen

        version = self._version(other, "Confronto impossibile")
        if version is None:
            return
        draft, written = version
        found = compare(draft, self.editor.draft)
        now = "bozza aperta, com'è ora (modifiche non salvate comprese)"
        self.push_screen(CompareScreen(lines(found, f"{name} (scritta il {written})", now), keymap=self.keymap))

    # --- navigation ----------------------------------------------------------------------

    def show_screen(self, key: str) -> None:
        """Show an installed screen. The stack is the first screen (Quadro 1 of the draft, or
        the start / new-draft screen) and at most one Quadro screen above it: Textual can
        switch any screen but the first, which is never pushed."""
        target = self.get_screen(key)
        if self.screen is target:
            return
        if isinstance(self.screen, DraftScreen):
            self.screen.leaving()
        if target is self.screen_stack[0]:
            while len(self.screen_stack) > 1:
                self.pop_screen()
        elif len(self.screen_stack) == 1:
            self.push_screen(target)
        else:
            self.switch_screen(target)

    def action_go(self, key: str) -> None:
        if self.path is None or not isinstance(self.screen, DraftScreen):
            return
        self.show_screen(key)

    def on_navigate(self, message: Navigate) -> None:
        """A screen asks for another screen (and a cell on it)."""
        self.go_to(message.screen, message.cell, at_end=message.at_end, note=message.note)

    def on_hand_over(self, message: HandOver) -> None:
        """A screen hands the terminal to another program (the person's text editor): the
        interface is suspended while it runs. Where it cannot be (in the browser through
        `soc25 web`, without a terminal) the screen is told so with None."""
        try:
            with self.suspend():
                result = message.work()
        except SuspendNotSupported:
            result = None
        message.then(result)

    def go_to(self, key: str, cell: str | None = None, **aim: Any) -> bool:
        """Show screen `key` with the cursor on `cell`: aimed before the screen is shown, so
        that it is there before any key reaches the screen. False when `cell` has no place."""
        target = self.get_screen(key)
        found = target.aim(cell, **aim)
        self.show_screen(key)
        return found

    @staticmethod
    def _screen_of(name: str) -> str:
        return "final" if name == "R40" else f"q{max(CELL_BY_NAME[name].quadro, 1)}"

    def jump_to(self, name: str) -> None:
        """Go to the screen of `name` and put the cursor on it."""
        if self.path is None:
            return
        if not self.go_to(self._screen_of(name), name):
            # Only an item of a Quadro 4 block that does not apply, and was never answered,
            # has no place on screen.
            o = self.editor.outcome
            where = f"si compila il blocco {o.block.span}" if o.block else "caso non determinabile"
            self.notify(f"{name} non si applica a questa bozza ({where}).", severity="warning")

    # --- undo and redo -------------------------------------------------------------------

    def action_undo(self) -> None:
        self._travel(back=True)

    def action_redo(self) -> None:
        self._travel(back=False)

    def _travel(self, *, back: bool) -> None:
        """Ctrl+Z / Ctrl+Y: an edit still open is closed first (its figure, if valid, is the
        last change), then the change is taken back or made again and shown where it is."""
        if self.path is None or not isinstance(self.screen, DraftScreen):
            return
        # Every open edit, on this screen or on one left with an edit open: its figure is
        # then the last change (or, not valid, it is dropped: that is the undo).
        dropped = False
        for screen in self._built.values():
            if screen.is_mounted:
                dropped = screen.close_edit() or dropped
        if dropped and back:
            return
        travel = self.editor.undo() if back else self.editor.redo()
        if travel.cell is not None:
            self.go_to(self._screen_of(travel.cell), travel.cell)  # nowhere if it has no place
        self.notify(travel.notice, severity="information" if travel.done else "warning")
        if travel.done and self.path and not self.unsaved_work() and not self.editor.read_only:
            self._discard_recovery()  # back to what the file holds (a restore undone too)

    def action_help(self) -> None:
        from .screens.dialogs import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)  # F1 again closes the help, as it says
            return
        if isinstance(screen, ModalScreen):
            return  # no help over a question: answer it first
        guide = keys.fill(getattr(screen, "HELP", "") or "Compilazione della scheda SOC25.", self.keymap)
        title = getattr(screen, "HELP_TITLE", "") or f"Aiuto - {self.screen.__class__.__name__}"
        if getattr(screen, "QUADRO", 0):
            title = QUADRO_TITLES[screen.QUADRO]
        if self.path:
            title += f" · bozza {self.path}"  # which file is open: the screens do not say
        self.push_screen(HelpScreen(title, guide, keymap=self.keymap))

    def action_jump(self) -> None:
        from .screens.dialogs import JumpDialog

        if self.path is None or not isinstance(self.screen, DraftScreen):
            return
        self.push_screen(JumpDialog(), lambda name: name and self.jump_to(name))

    # --- the review: notes and verdict ---------------------------------------------------

    def action_note_add(self) -> None:
        """A note of the review on the cell under the cursor (on the final screen: R40, or the
        whole draft); refused, with the reason, on a draft open read-only."""
        from .screens.dialogs import NoteDialog

        if self._refuse_read_only():
            return
        cell = self.screen.current_cell() if isinstance(self.screen, DraftScreen) else None
        self.push_screen(NoteDialog(self.editor, cell), lambda said: said and self.notify(said))

    def action_notes(self) -> None:
        """The notes of the review (read-only too: then they are only read); Invio goes to a
        note's cell."""
        from .core.review import WHOLE
        from .screens.dialogs import NotesDialog

        cell = self.screen.current_cell() if isinstance(self.screen, DraftScreen) else None

        def go(where: str | None) -> None:
            if where == WHOLE:
                self.show_screen("final")  # a note on the whole draft: with the summary
            elif where:
                self.jump_to(where)

        self.push_screen(NotesDialog(self.editor, cell=cell, keymap=self.keymap), go)

    def action_verdict(self) -> None:
        """The verdict of the review, one key each."""
        from .core.messages import errors_text
        from .core.review import STATE_WORDS
        from .screens.dialogs import Choice

        if self._refuse_read_only():
            return
        ed = self.editor
        errors = ed.assessment.errors
        warn = f" La bozza ha {errors_text(errors)}." if errors else ""

        def answer(choice: str | None) -> None:
            if choice and choice != "cancel":
                done = ed.set_verdict(choice)
                self.notify(done.notice, severity="information" if done.done else "warning")

        self.push_screen(Choice(
            f"Verdetto della revisione della bozza {self.path} (ora: "
            f"{STATE_WORDS[ed.draft.review.state]}).{warn} Un verdetto «approvata» torna «da rivedere» "
            "se le celle cambiano dopo.",
            [("r", "da-rivedere", "Da rivedere"), ("c", "da-correggere", "Da correggere"),
             ("a", "approvata", "Approvata"), ("n", "cancel", "Annulla")]), answer)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own hint is in English; say it in Italian."""
        self.notify(f"Per uscire premere {keys.label('esci', self.keymap)} (chiede se salvare le modifiche).",
                    title="Uscire?")

    def action_command_palette(self) -> None:
        """Textual's command palette, with an Italian prompt."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(
                id="--command-palette",
                placeholder="Cerca un comando o una cella (es. R07_2021, M12_ore)…",
            ))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Saving, jumping, the Quadro keys and the palette need an open draft (not the start
        screen), and wait while a question is on screen: Ctrl+S under "restore the recovery
        file?" would save over it and delete it unanswered."""
        if action in _DRAFT_ACTIONS and self.path is None:
            return False
        if action in ("save", "jump", "go", "command_palette", "undo", "redo") and isinstance(self.screen, ModalScreen):
            return False
        if action in ("note_add", "notes", "verdict"):  # the review: over a draft's screens only
            return isinstance(self.screen, DraftScreen)
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for key in keys.TABLE:
            if self.path is None and key.action in _DRAFT_ACTIONS:  # the review table
                continue
            # A key of a screen (Ctrl+E, the final screen's) is offered on that screen only.
            doer = self if key.scope == keys.APP else screen
            if key.command and (doer is self or hasattr(screen, f"action_{key.action}")):
                yield SystemCommand(key.description, f"{key.command} ({keys.label(key.id, self.keymap)})",
                                    partial(doer.run_action, key.action))
        if self.path is not None and not self.editor.read_only:
            for file, changed in session.recoveries_aside(self.path):
                yield SystemCommand("Ripristina un recupero", f"messo da parte, scritto il {written_at(changed)}",
                                    partial(self.offer_aside, file))
        if self.path is not None:
            yield SystemCommand("Confronta con la copia .bak", "le differenze tra la versione salvata prima "
                                "e la bozza aperta, modifiche non salvate comprese", self.compare_with_backup)
            yield SystemCommand("Confronta con un'altra bozza…", "le differenze tra un'altra bozza e "
                                "quella aperta, modifiche non salvate comprese", self.ask_compare_with)


def run(path: str | None, *, read_only: bool = False) -> int:
    """`soc25 [DRAFT.toml | CARTELLA] [--view]`: load first (errors go to stderr), then start
    the app; a folder (or nothing: the current one) opens the review table."""
    draft = None
    folder = None
    if path is None or os.path.isdir(path):
        folder = path or "."
        try:
            os.scandir(folder).close()
        except OSError as exc:
            from .core.reading import os_reason

            print(f"soc25: {visible(folder)}: impossibile leggere la cartella ({os_reason(exc)}).",
                  file=sys.stderr)
            return 2
        path = None
    elif os.path.exists(path):
        try:
            draft = load(path)
        except DraftError as exc:
            print(f"soc25: {exc}", file=sys.stderr)
            return 2
    elif path is not None and read_only:
        print(f"soc25: {path}: il file non esiste.", file=sys.stderr)
        return 2
    elif path is not None and not os.path.isdir(os.path.dirname(path) or "."):
        # Said now, not after Comune and Provincia have been typed for nothing.
        print(f"soc25: {path}: la cartella {os.path.dirname(path)} non esiste.", file=sys.stderr)
        return 2
    if folder is not None:
        from .screens.review_table import prepare_workers

        prepare_workers()  # before Textual takes sys.stderr over
    app = Soc25App(path, draft, read_only=read_only, folder=folder)
    from .core.terminal import NARROW, READABLE, give

    # The screen, where the locale cannot show it (LC_ALL=C: ASCII), gets stand-ins one column
    # wide («à» → «a», «─» → «-»): Textual has laid each line out already (Unix: it writes to
    # sys.__stderr__; Windows: sys.__stdout__).
    screens = (sys.__stdout__, sys.__stderr__)
    for stream in screens:
        give(stream, NARROW)
    try:
        result = app.run()
    finally:
        for stream in screens:
            give(stream, READABLE)
        # After a crash too: keep unsaved work in the recovery file and free the draft.
        if app.unsaved_work():
            try:
                app._last_recovery()
            except (DraftError, OSError):
                pass
        if app.lock:
            app.lock.release()
    if app.crash is not None:
        print(f"soc25: {app.crash}", file=sys.stderr)
        if app.recovery_kept:
            print(f"soc25: le modifiche non salvate sono nel file di recupero {visible(app.recovery_kept)}: "
                  "riaprendo la bozza il programma propone di ripristinarle.", file=sys.stderr)
        return crash.EXIT_INTERNAL
    if app.return_code:  # Textual has printed what went wrong
        return app.return_code
    return result or 0
