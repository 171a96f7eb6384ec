"""The Textual App: opening and saving, navigation between Quadri, the draft's live state.

The app owns the draft and its evaluation (rules + checks, recomputed on every change); the
screens show them and send edits back through `set_cell` / `try_set_text`.
"""

from __future__ import annotations

import os
import signal
import sys
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import ModalScreen, Screen

from .core import model, session
from .core.checks import ERROR, Problem, check
from .core.drafts import DraftError, dumps, load, parse_input, raw_text, save
from .core.layout import CASE_SHORT, CELL_BY_NAME, CELLS, resolve_cell_name
from .core.model import Draft
from .core.report import display
from .core.rules import Outcome, evaluate
from .screens.base import SyncScreen
from .screens.quadro1 import Quadro1Screen

RECOVERY_DELAY = 2.0  # seconds after the last change


def _lazy(module: str, name: str):
    """A screen factory that imports its module on first use: only Quadro 1 is needed to
    paint the first screen (the final screen alone pulls in TextArea and the summary)."""

    def make() -> Screen:
        from importlib import import_module

        return getattr(import_module(f"soc25_tui.screens.{module}"), name)()

    return make


class CellCommands(Provider):
    """Command palette: jump to any cell by its public name, or to a Quadro."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if app.path is None:  # the start screen: no draft to go into yet
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
            yield Hit(0.001, f"Nessuna cella corrisponde a «{query.strip()}» (es. R07_2021, M12_ore)",
                      lambda: None)

    async def discover(self) -> Hits:
        if self.app.path is None:
            return
        for key, title in (("q1", "Quadro 1"), ("q2", "Quadro 2"), ("q3", "Quadro 3"),
                           ("q4", "Quadro 4"), ("final", "R40 e riepilogo")):
            yield DiscoveryHit(f"Vai a {title}", partial(self.app.action_go, key))


class Soc25App(App[int]):
    CSS_PATH = Path(__file__).with_name("soc25.tcss")  # absolute: subclasses live elsewhere
    TITLE = "SOC25"
    SCREENS = {
        "q1": Quadro1Screen,
        "q2": _lazy("quadro2", "Quadro2Screen"),
        "q3": _lazy("quadro3", "Quadro3Screen"),
        "q4": _lazy("quadro4", "Quadro4Screen"),
        "final": _lazy("final", "FinalScreen"),
    }
    COMMANDS = App.COMMANDS | {CellCommands}
    BINDINGS = [
        Binding("f1", "help", "Aiuto", priority=True),
        Binding("f2", "go('q1')", "Quadro 1", show=False, priority=True),
        Binding("f3", "go('q2')", "Quadro 2", show=False, priority=True),
        Binding("f4", "go('q3')", "Quadro 3", show=False, priority=True),
        Binding("f5", "go('q4')", "Quadro 4", show=False, priority=True),
        Binding("f6", "go('final')", "R40/riepilogo", show=False, priority=True),
        Binding("ctrl+g", "jump", "Vai al campo", priority=True),
        Binding("ctrl+s", "save", "Salva", priority=True),
        Binding("ctrl+q", "quit", "Esci", priority=True),
        Binding("ctrl+p", "command_palette", "Comandi", show=False, priority=True),
    ]

    def __init__(self, path: str | None, draft: Any | None = None, *, read_only: bool = False) -> None:
        super().__init__()
        self.path = path
        if draft is None and path is not None and os.path.exists(path):
            draft = load(path)  # never show (and then save) a blank form over an existing draft
        self.draft = draft if draft is not None else Draft()
        self.read_only = read_only
        self.read_only_reason = "aperta con --view." if read_only else ""
        self.dirty = False
        self._disk: tuple[int, int] | None = None
        self._saved: Draft | None = None  # the draft as its file holds it
        self.lock: session.Lock | None = None
        self._recovery_timer = None
        self.recompute()

    # --- state ---------------------------------------------------------------------------

    def recompute(self) -> None:
        self.outcome: Outcome = evaluate(self.draft)
        self.problems: list[Problem] = check(self.draft, self.outcome)
        # What the grids mark: "✗" on a cell with an error, "!" on one with only warnings.
        self.marks: dict[str, str] = {}
        for p in self.problems:
            if p.severity == ERROR:
                self.marks[p.cell] = "✗"
            else:
                self.marks.setdefault(p.cell, "!")

    def status_text(self, width: int | None = None) -> tuple[str, str]:
        """(Comune and case, errors and warnings) for a status line of `width` columns of text
        (by default the screen's, less the line's padding). The flag and the counts are
        always whole, and so is the case in words unless they cannot fit even without the
        Comune (then its letter); a Comune name too long for the rest is cut, with "…"."""
        o = self.outcome
        n_err = sum(1 for p in self.problems if p.severity == ERROR)
        n_warn = len(self.problems) - n_err
        right = (f"{n_err} {'errore' if n_err == 1 else 'errori'} · "
                 f"{n_warn} {'avviso' if n_warn == 1 else 'avvisi'}")
        name = (self.draft.comune or "").strip() or "Comune non indicato"
        prov = (self.draft.provincia or "").strip()
        flag = "[SOLA LETTURA] " if self.read_only else ("* " if self.dirty else "")
        who = f"{name}{f' ({prov})' if prov else ''}"
        case = f"Caso {o.case}: {CASE_SHORT[o.case]}" if o.case else "Caso non determinabile"
        room = (width or self.size.width - 2) - len(right) - 1 - len(flag) - 3  # (" ", " · ")
        if o.case and room - len(case) < 1:  # not even "…" beside the words: the letter only
            case = f"Caso {o.case}"
        if len(who) > room - len(case):
            who = who[: max(room - len(case) - 1, 0)] + "…"
        return f"{flag}{who} · {case}", right

    def display(self, name: str, *, short: bool = False) -> str:
        return display(name, self.draft, self.outcome, short=short)

    def edit_text(self, name: str) -> str:
        """What the editor starts from when a cell is edited."""
        if name in self.draft.invalid:
            return raw_text(self.draft.invalid[name])
        value = self.draft.get(name)
        if value is None:
            return ""
        if name == "R0E":
            return str(value)
        return self.display(name)

    def try_set_text(self, name: str, text: str) -> str:
        """Set a cell from what was typed; returns the Italian error ("" when set)."""
        if self.read_only:
            return "Sola lettura: " + self.read_only_reason
        try:
            value = parse_input(name, text)
        except ValueError as exc:
            return str(exc)
        if value != self.draft.get(name) or name in self.draft.invalid:
            self.set_cell(name, value)
        return ""

    def set_cell(self, name: str, value: Any) -> None:
        if self.read_only:
            self.notify("Sola lettura: " + self.read_only_reason, severity="warning")
            return
        self.draft.set(name, value)
        self._changed()

    def restore_cell(self, name: str, value: Any, raw: str | None) -> None:
        """Put back a cell as it was before an edit (Esc)."""
        if self.read_only or (self.draft.get(name) == value and self.draft.invalid.get(name) == raw):
            return
        self.draft.set(name, value)
        if raw is not None:
            self.draft.invalid[name] = raw
        self._changed()

    def _changed(self) -> None:
        # Modified means "differs from the file": typing a figure and going back is no change.
        self.dirty = self.draft != self._saved
        self.recompute()
        if isinstance(self.screen, SyncScreen):
            self.screen.sync()
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        if self.dirty:
            self._recovery_timer = self.set_timer(RECOVERY_DELAY, self.write_recovery)
        elif self.path and not self.read_only:
            # Back to what the file holds: a recovery written meanwhile is stale.
            session.discard_recovery(self.path)

    # --- files ---------------------------------------------------------------------------

    def write_recovery(self) -> None:
        """Write the recovery file in a worker thread (the text is taken here, on the UI thread)."""
        if not self.dirty or self.read_only or not self.path:
            return
        text = dumps(self.draft)
        self.run_worker(partial(session.write_recovery_text, self.path, text), thread=True,
                        group="recovery", exclusive=True, exit_on_error=False)

    def _on_sighup(self, signum: int, frame: Any) -> None:
        """A dropped SSH session: Textual gets no chance to quit, so save what we have."""
        try:
            if self.dirty and self.path and not self.read_only:
                session.write_recovery(self.path, self.draft)
        finally:
            if self.lock:
                self.lock.release()
            os._exit(129)

    def _stamp(self) -> tuple[int, int] | None:
        """What the draft file looks like on disk (to notice another program writing it)."""
        try:
            st = os.stat(self.path)
        except (OSError, TypeError):
            return None
        return st.st_mtime_ns, st.st_size

    def action_save(self) -> None:
        self.save_then(None)

    def save_then(self, then: Callable[[], object] | None) -> None:
        """Save (asking first if another program changed the file since it was opened), then
        call `then` if the draft was saved."""
        if self.path is None:
            return
        if self.read_only:
            self.notify("Sola lettura: " + self.read_only_reason, severity="warning")
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
            save(self.path, self.draft)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self._disk = self._stamp()
        self._saved = self.draft.copy()
        self.dirty = False
        session.discard_recovery(self.path)
        if isinstance(self.screen, SyncScreen):
            self.screen.sync()
        self.notify(f"Bozza salvata in {self.path} (versione precedente in .bak).")
        return True

    async def action_quit(self) -> None:
        from .screens.dialogs import Choice

        if isinstance(self.screen, Choice):
            return  # the question is already on screen
        if not self.dirty or self.read_only:
            self._leave()
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.save_then(self._leave)
            elif choice == "discard":
                # Thrown away on purpose: the recovery file written meanwhile is set aside
                # (never deleted), and none is written at exit (see `run`).
                session.set_recovery_aside(self.path)
                self.dirty = False
                self._leave()

        self.push_screen(
            Choice(
                "La bozza ha modifiche non salvate.",
                [("s", "save", "Salva ed esci"), ("e", "discard", "Esci senza salvare"),
                 ("a", "cancel", "Annulla")],
            ),
            answer,
        )

    def _leave(self) -> None:
        if self.path and not self.dirty and not self.read_only:
            session.discard_recovery(self.path)  # only ever this session's: see _offer_recovery
        if self.lock:
            self.lock.release()
        self.exit(0)

    # --- opening -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: Quadro 1 of the draft (no blank screen painted before it), the
        list of drafts when no draft was named, or an empty screen under the new-draft form."""
        if self.path is None:
            from .screens.start import StartScreen

            return StartScreen()
        if not os.path.exists(self.path):
            return Screen()
        self._take_lock()
        screen = Quadro1Screen()
        self.uninstall_screen("q1")
        self.install_screen(screen, "q1")
        return screen

    def on_mount(self) -> None:
        if hasattr(signal, "SIGHUP"):
            try:
                signal.signal(signal.SIGHUP, self._on_sighup)
            except ValueError:  # pragma: no cover - not the main thread (tests)
                pass
        if self.path is not None and not os.path.exists(self.path):
            from .screens.dialogs import NewDraftDialog

            self.push_screen(NewDraftDialog(self.path), self._created)
        elif self.path is not None:
            self.call_after_refresh(self._after_opening)

    def open_path(self, path: str) -> None:
        """From the start screen: load a draft and show it."""
        try:
            draft = load(path)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.path, self.draft = path, draft
        self.recompute()
        self._opened()

    def _created(self, result: tuple[str, str, str] | None) -> None:
        if result is None:
            # `soc25 NEW.toml` and the person cancelled: nothing to show. From the start
            # screen (no path yet), cancelling goes back to the list.
            if self.path is not None and not os.path.exists(self.path):
                self.exit(0)
            return
        path, comune, provincia = result
        if os.path.exists(path):
            self.notify(f"{path} esiste già: la apro.", severity="warning")
            self.open_path(path)
            return
        self.path = path
        self.draft = Draft(comune=comune, provincia=provincia)
        try:
            save(path, self.draft, backup=False)
        except DraftError as exc:
            if isinstance(self.screen_stack[0], SyncScreen) or self.screen_stack[0].__class__.__name__ == "StartScreen":
                self.notify(str(exc), severity="error", timeout=10)
            else:  # `soc25 DIR/NEW.toml` that cannot be created: nothing to show
                self.exit(2, message=f"soc25: {exc}")
            return
        self.recompute()
        self._opened()

    def _opened(self) -> None:
        """A draft chosen on the start screen, or just created: show its Quadro 1."""
        self._take_lock()
        self.show_screen("q1")
        self._after_opening()

    def _after_opening(self) -> None:
        """Once the draft is on screen: offer a newer recovery file, and get the validation of
        typed values ready in a worker thread (pydantic is not imported before the first paint:
        see `model`), so that the first key typed does not wait for it."""
        if not self.read_only:
            self.run_worker(model.warm_up, thread=True, group="warm-up", exit_on_error=False)
        self._offer_recovery()

    def _take_lock(self) -> None:
        self._disk = self._stamp()
        self._saved = self.draft.copy()
        if self.read_only:
            return
        if not os.access(self.path, os.W_OK):
            self.read_only = True
            self.read_only_reason = "il file non è scrivibile (permessi)."
            self.notify(f"{self.path}: il file non è scrivibile, aperto in sola lettura.",
                        severity="warning", timeout=10)
            return
        self.lock = session.Lock(self.path)
        holder = self.lock.acquire()
        if holder is not None:
            self.lock = None
            self.read_only = True
            self.read_only_reason = f"bozza già aperta da {holder.describe()}."
            self.notify(f"Bozza già aperta da {holder.describe(session.lock_path(self.path))}: "
                        "aperta in sola lettura.",
                        severity="warning", timeout=10)

    def _offer_recovery(self) -> None:
        if self.read_only:
            return
        if os.path.exists(session.recovery_path(self.path)) and not session.recovery_is_newer(self.path):
            # Older than the draft (the draft was written since, by another program): not
            # offered, but never deleted either.
            aside = session.set_recovery_aside(self.path)
            if aside:
                self.notify(f"Un recupero più vecchio della bozza è stato messo da parte in {aside}.",
                            timeout=10)
            return
        if session.recovery_is_newer(self.path):
            from .screens.dialogs import Choice

            self.push_screen(
                Choice(
                    f"C'è un recupero più recente della bozza {self.path} (modifiche non salvate "
                    "di una sessione precedente). Ripristinarlo?",
                    [("r", "restore", "Ripristina"), ("i", "ignore", "Non ora (lo mette da parte)")],
                ),
                self._recovery_answer,
            )

    def _recovery_answer(self, choice: str | None) -> None:
        if choice == "restore":
            try:
                self.draft = session.load_recovery(self.path)
            except DraftError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.recompute()
            self.dirty = self.draft != self._saved
            if isinstance(self.screen, SyncScreen):
                self.screen.sync()
            self.notify("Recupero ripristinato: Ctrl+S per salvarlo nella bozza.")
        else:
            aside = session.set_recovery_aside(self.path)
            if aside:
                self.notify(f"Recupero messo da parte in {aside}.", timeout=8)

    # --- navigation ----------------------------------------------------------------------

    def show_screen(self, key: str) -> None:
        """Show an installed screen. The stack is the first screen (Quadro 1 of the draft, or
        the start / new-draft screen) and at most one Quadro screen above it: Textual can
        switch any screen but the first, which is never pushed."""
        target = self.get_screen(key)
        if self.screen is target:
            return
        if isinstance(self.screen, SyncScreen):
            self.screen.leaving()
        if target is self.screen_stack[0]:
            while len(self.screen_stack) > 1:
                self.pop_screen()
        elif len(self.screen_stack) == 1:
            self.push_screen(target)
        else:
            self.switch_screen(target)

    def action_go(self, key: str) -> None:
        if self.path is None or not isinstance(self.screen, SyncScreen):
            return
        self.show_screen(key)

    def action_help(self) -> None:
        from .screens.dialogs import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)  # F1 again closes the help, as it says
            return
        if isinstance(screen, ModalScreen):
            return  # no help over a question: answer it first
        guide = getattr(screen, "HELP", "") or "Compilazione della scheda SOC25."
        title = getattr(screen, "HELP_TITLE", "") or f"Aiuto - {self.screen.__class__.__name__}"
        if hasattr(screen, "QUADRO") and screen.QUADRO:
            from .core.layout import QUADRO_TITLES

            title = QUADRO_TITLES[screen.QUADRO]
        if self.path:
            title += f" · bozza {self.path}"  # which file is open: the screens do not say
        self.push_screen(HelpScreen(title, guide))

    def action_jump(self) -> None:
        from .screens.dialogs import JumpDialog

        if self.path is None or not isinstance(self.screen, SyncScreen):
            return
        self.push_screen(JumpDialog(), lambda name: name and self.jump_to(name))

    def jump_to(self, name: str) -> None:
        """Go to the screen of `name` and put the cursor on it."""
        if self.path is None:
            return
        cell = CELL_BY_NAME[name]
        key = "final" if name == "R40" else f"q{max(cell.quadro, 1)}"
        self.show_screen(key)
        self.call_after_refresh(self._arrive, key, name)

    def _arrive(self, key: str, name: str) -> None:
        if not self.get_screen(key).go_to(name):
            # Only an item of a Quadro 4 block that does not apply, and was never answered,
            # has no place on screen.
            block = self.outcome.block
            where = f"si compila il blocco {block.codes[0]}-{block.codes[-1]}" if block else "caso non determinabile"
            self.notify(f"{name} non si applica a questa bozza ({where}).", severity="warning")

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own hint is in English; say it in Italian."""
        self.notify("Per uscire premere Ctrl+Q (chiede se salvare le modifiche).", title="Uscire?")

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
        if action in ("save", "jump", "go", "command_palette"):
            if isinstance(self.screen, ModalScreen):
                return False
            if action != "command_palette" and self.path is None:
                return False
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Salva", "Salva la bozza (Ctrl+S)", self.action_save)
        yield SystemCommand("Esci", "Esci dal programma (Ctrl+Q)", self.action_quit)
        yield SystemCommand("Aiuto", "Tasti e guida al quadro (F1)", self.action_help)


def run(path: str | None, *, read_only: bool = False) -> int:
    """`soc25 [DRAFT.toml] [--view]`: load first (errors go to stderr), then start the app."""
    draft = None
    if path is not None and os.path.exists(path):
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
    app = Soc25App(path, draft, read_only=read_only)
    try:
        result = app.run()
    finally:
        # After a crash too: keep unsaved work in the recovery file and free the draft.
        if app.dirty and app.path and not app.read_only:
            try:
                session.write_recovery(app.path, app.draft)
            except (DraftError, OSError):
                pass
        if app.lock:
            app.lock.release()
    if app.return_code:  # Textual has printed what went wrong
        return app.return_code
    return result or 0
