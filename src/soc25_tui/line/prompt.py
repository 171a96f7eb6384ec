"""The line mode: `soc25 BOZZA.toml --semplice`, and by itself when `TERM=dumb`.

Plain lines for a screen reader and for a pipe: no colours, no cursor movement, no box
drawing, one thing a line, and a prompt that names the cell («R07_2021> »). It asks the cells
in the form's order (`layout.CELLS`), skipping those the TUI does not let a person type into
(computed ones, a Quadro 3 that does not apply, the Quadro 4 blocks of other cases:
`DraftEditor.form_lock`), and hands what is typed to the same draft editor as the TUI
(`CellEdit`: the same parsing, refusals, undo). After each change it prints what changed
(`compare.lines`: the cells, given and computed, the portal's messages and the problems that
appear or go, worded as `soc25 diff` words them).

The file flows are the TUI's (app.py): the lock (a draft held elsewhere opens read-only and
says who holds it), the recovery file (written after every change; a newer one is offered at
the start and set aside, never deleted), the save (atomic, .bak, asking first when another
program wrote the file meanwhile) and the question about unsaved changes on `esci`. The end of
the input (a pipe, Ctrl+D) and Ctrl+C ask nothing: unsaved changes stay in the recovery file,
and that is said.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import IO

from ..core import session
from ..core.checks import new_draft_refusal
from ..core.compare import brief, compare, lines
from ..core.drafts import DraftError, load, save
from ..core.editing import CellEdit, Change, DraftEditor, shown_r40
from ..core.folder import stamp_at, written_at
from ..core.layout import (
    CELLS,
    Q3_INPUTS,
    Q4_ITEM_BY_CODE,
    QUADRO_TITLES,
    R40_MAX_CHARS,
    Kind,
    cell_heading,
    resolve_cell_name,
)
from ..core.messages import BLOCK_UNKNOWN, counter_text, counts_text
from ..core.messages import text as catalog_text
from ..core.model import Draft
from ..core.numbers import format_number
from ..core.values import count_chars, described, expected
from ..core.visible import visible

LINE_MAX = 100_000  # characters of one line read: a longer one (a pasted file) is refused whole
INDEX = {cell.name: i for i, cell in enumerate(CELLS)}

INTRO = ("Una cella alla volta, nell'ordine della scheda: scrivere il valore e Invio; Invio senza "
         "testo tiene il valore e passa alla successiva. ? per l'aiuto e i comandi (vai, salva, esci).")
COMMANDS = (
    "Comandi, uno per riga:",
    "  Invio senza testo: tiene il valore e passa alla cella successiva",
    "  un valore: lo scrive nella cella (cifre all'italiana, ad esempio 1.984.440,83)",
    "  vai CODICE: va alla cella, ad esempio vai R07_2021, vai M12_ore, vai R40",
    "  indietro: torna alla cella precedente",
    "  svuota: svuota la cella (nel Quadro 4: nessuna risposta)",
    "  testo: su R40, un testo su più righe, chiuso da una riga con un solo punto",
    "  editor: su R40, il testo nel proprio editor di testo ($VISUAL o $EDITOR; altrimenti nano o vi, "
    "su Windows il Blocco note); chiudendo l'editor il testo salvato torna in R40",
    "  annulla: annulla l'ultima modifica; ripeti: la ripete",
    "  messaggi: tutti i messaggi del portale e i problemi della bozza",
    "  salva: salva la bozza (la versione precedente resta nella copia .bak)",
    "  esci: esce; se ci sono modifiche non salvate chiede se salvarle",
    "  =TESTO: scrive TESTO nella cella anche quando è una di queste parole",
    "  ?: questo aiuto",
)
SINO_HINT = "Ogni voce: SI o NO (anche s o n); svuota toglie la risposta."
R40_HINT = ("R40: una riga scritta sostituisce il testo; testo per scriverne uno su più righe; editor per "
            "scriverlo nel proprio editor di testo. soc25 r40 ne propone uno.")


class _EndOfInput(Exception):
    """The input ended (a pipe, Ctrl+D) where a line was expected."""


class Talk:
    """Lines out, lines in: every text shown as data (`visible`); what is read is echoed when
    it does not come from a terminal, so that a transcript reads as a dialogue."""

    def __init__(self, inp: IO[str], out: IO[str]) -> None:
        self.inp, self.out = inp, out
        try:
            self.echo = not inp.isatty()
        except (AttributeError, ValueError):
            self.echo = True
        self.ended = False

    def say(self, *texts: str) -> None:
        for text in texts:
            self.out.write(visible(text, multiline=True) + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str | None:
        """One line without its end; None at the end of the input."""
        self.out.write(visible(prompt))
        self.out.flush()
        line = self.inp.readline(LINE_MAX + 1)
        if not line:
            self.ended = True
            self.out.write("\n")
            self.out.flush()
            return None
        if len(line) > LINE_MAX and not line.endswith("\n"):
            while (rest := self.inp.readline(LINE_MAX)) and not rest.endswith("\n"):
                pass  # the rest of the line, dropped with it
            self.out.write("\n")
            self.say(f"Riga rifiutata: più di {format_number(LINE_MAX)} caratteri.")
            return self.read(prompt)
        line = line.removesuffix("\n").removesuffix("\r")
        if self.echo:
            self.out.write(visible(line) + "\n")
            self.out.flush()
        return line

    def ask(self, question: str, choices: list[tuple[str, str]], detail: str = "") -> str | None:
        """A question with one letter (or the word) per answer; None at the end of the input."""
        self.say(question)
        if detail:
            self.say(detail)
        options = " · ".join(f"{key} = {word}" for key, word in choices)
        while True:
            answer = self.read(f"{options}> ")
            if answer is None:
                return None
            typed = answer.strip().lower()
            for key, word in choices:
                if typed in (key, word.lower()):
                    return key
            self.say(f"Risposta non valida: scrivere {' o '.join(key for key, _ in choices)}.")


class LineMode:
    """One draft asked cell by cell (see the module's docstring)."""

    def __init__(self, path: str, editor: DraftEditor, talk: Talk) -> None:
        self.path = path
        self.editor = editor
        self.talk = talk
        self.say = talk.say
        self.lock: session.Lock | None = None
        self.disk = stamp_at(path)  # the file as it was opened (or last saved)
        self.discarded = False  # «esci senza salvare»: no recovery file any more
        self._recovery_failing = False
        self.at: int | None = None  # the cell asked (an index in CELLS); None: the end of the form
        self._presented: object = ()  # the cell last presented (() nothing yet)
        self._quadro_said = -1
        self._edit: CellEdit | None = None  # a value typed that is not valid, asked again
        self._seen = (editor.draft.copy(), editor.assessment)  # what the last report showed
        self._unsubscribe = editor.subscribe(self._changed)

    # --- the file flows (as app.py) ------------------------------------------------------

    def unsaved_work(self) -> bool:
        ed = self.editor
        return (ed.dirty or ed.pending_text is not None) and not ed.read_only and not self.discarded

    def _changed(self, change: Change) -> None:
        if change.unapproved:
            self.say("La bozza era approvata: con questa modifica il verdetto torna «da rivedere» e una "
                     "nota della revisione elenca le celle cambiate (annulla annulla la modifica e ridà "
                     "l'approvazione).")
        if change.state:
            return
        if self.unsaved_work():
            self._write_recovery()
        elif not change.whole:
            self._back_to_file()

    def _back_to_file(self) -> None:
        """No unsaved work (back to what the file holds): no recovery file."""
        if not self.unsaved_work() and not self.editor.read_only and not self.discarded:
            session.discard_recovery(self.path)

    def _write_recovery(self) -> bool:
        try:
            session.write_recovery(self.path, self.editor.recovery_draft())
        except DraftError as exc:
            if not self._recovery_failing:
                self._recovery_failing = True
                self.say(f"File di recupero non scritto: {exc} Salvare la bozza appena possibile: "
                         "un'interruzione perderebbe le modifiche.")
            return False
        self._recovery_failing = False
        return True

    def take_lock(self) -> None:
        ed = self.editor
        if ed.read_only:
            return
        if not os.access(self.path, os.W_OK):
            ed.set_read_only("il file non è scrivibile (permessi).")
            self.say(f"{self.path}: il file non è scrivibile, aperto in sola lettura.")
            return
        lock = session.Lock(self.path)
        try:
            holder = lock.acquire()
        except session.LockUnavailable as exc:
            ed.set_read_only(f"{exc}.")
            choice = self.talk.ask(
                f"Nella cartella {exc.folder} non si può creare il file di blocco della bozza "
                f"({exc.reason}). Senza, un'altra persona potrebbe modificarla nello stesso momento, "
                "e nemmeno il file di recupero potrebbe essere scritto: un'interruzione perderebbe "
                "le modifiche non salvate. La bozza è aperta in sola lettura.",
                [("m", "modifica comunque"), ("l", "resta in sola lettura")])
            if choice is None:
                raise _EndOfInput
            if choice == "m":
                ed.set_read_only("")
                self.say("Modifica senza file di blocco e senza file di recupero: salvare spesso (salva).")
            return
        if holder is not None:
            ed.set_read_only(f"bozza già aperta da {holder.describe()}.")
            self.say(f"Bozza già aperta da {holder.describe(session.lock_path(self.path))}: "
                     "aperta in sola lettura.")
            return
        self.lock = lock

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def offer_recovery(self) -> None:
        """A recovery file newer than the draft: set aside, then offered (as the TUI does)."""
        if self.editor.read_only:
            return
        aside, newer = session.recovery_aside_at_opening(self.path)
        if not aside:
            return
        if not newer:
            self.say(f"Un recupero più vecchio della bozza è stato messo da parte in {aside}.")
            return
        try:
            recovered, written = load(aside), written_at(os.stat(aside).st_mtime)
        except (DraftError, OSError) as exc:
            self.say(f"Recupero illeggibile ({aside}): {exc}")
            return
        found = compare(self.editor.draft, recovered)
        if found.equal:  # the same as the draft: nothing to offer, nothing lost
            try:
                os.unlink(aside)
            except OSError:
                pass
            return
        cells = found.count_text()
        arrow = " (valore nella bozza → valore recuperato)" if found.given else ""
        choice = self.talk.ask(
            f"C'è un recupero della bozza {self.path}, con modifiche non salvate di una sessione "
            f"precedente, scritto il {written}: {cells}{arrow}. Ripristinarlo?",
            [("r", "ripristina"), ("i", "non ora")], detail=brief(found))
        if choice is None:
            self.say(f"Il recupero resta da parte in {aside}.")
            raise _EndOfInput
        if choice == "r":
            self.editor.adopt(recovered, f"ripristino del recupero del {written}")
            self._seen = (self.editor.draft.copy(), self.editor.assessment)
            self.say(f"Recupero del {written} ripristinato ({cells}): salva per salvarlo nella bozza, "
                     "annulla per tornare indietro.")
        else:
            self.say(f"Recupero messo da parte in {aside}: si riprende dall'interfaccia a schermo "
                     "intero (Ctrl+P, «Ripristina un recupero»).")

    def save(self) -> bool:
        ed = self.editor
        if ed.read_only:
            self.say(ed.read_only_note)
            return False
        if stamp_at(self.path) != self.disk:
            choice = self.talk.ask(
                f"La bozza {self.path} è stata modificata da un altro programma dopo l'apertura. "
                "Sovrascriverla con questa versione? Quella su disco resterà nella copia .bak.",
                [("s", "sovrascrivi"), ("a", "annulla")])
            if choice is None:
                raise _EndOfInput
            if choice != "s":
                return False
        try:
            save(self.path, ed.draft)
        except DraftError as exc:
            self.say(str(exc))
            return False
        self.disk = stamp_at(self.path)
        ed.mark_saved()
        session.discard_recovery(self.path)
        if self.unsaved_work():  # a value typed and not valid, still open
            self._write_recovery()
        self._seen = (ed.draft.copy(), ed.assessment)
        self.say(f"Bozza salvata in {self.path} (versione precedente in .bak).")
        return True

    def quit(self) -> bool:
        """`esci`: True when the draft is closed."""
        self._close_edit()
        if not self.unsaved_work():
            self._leave()
            return True
        choice = self.talk.ask("La bozza ha modifiche non salvate.",
                               [("s", "salva ed esci"), ("e", "esci senza salvare"), ("a", "annulla")])
        if choice is None:
            raise _EndOfInput
        if choice == "s":
            if not self.save():
                return False
        elif choice == "e":
            # Thrown away on purpose: the recovery file is set aside, never deleted.
            self.discarded = True
            aside = session.set_recovery_aside(self.path)
            if aside:
                self.say(f"Modifiche non salvate messe da parte in {aside}.")
        else:
            return False
        self._leave()
        return True

    def _leave(self) -> None:
        self._back_to_file()
        self.release()
        self.say("Bozza chiusa.")

    def finish(self, why: str) -> None:
        """The end of the input, or Ctrl+C: nothing asked, unsaved changes kept and said."""
        if self.unsaved_work():
            if self._write_recovery():
                self.say(f"{why}: le modifiche non salvate sono nel file di recupero "
                         f"{session.recovery_path(self.path)}: riaprendo la bozza il programma propone "
                         "di ripristinarle.")
            else:
                self.say(f"{why}: le modifiche non salvate NON sono state conservate.")
        else:
            self._back_to_file()
            self.say(f"{why}: nessuna modifica da salvare.")
        self.release()

    # --- the cells -----------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        return None if self.at is None else CELLS[self.at].name

    def asked(self, name: str) -> bool:
        """Whether moving on stops at `name`: a cell the TUI lets a person type into (read-only
        or not: a draft open read-only is walked all the same, to be read)."""
        return not self.editor.form_lock(name)

    def _next(self, start: int) -> int | None:
        for i in range(start, len(CELLS)):
            if self.asked(CELLS[i].name):
                return i
        return None

    def advance(self) -> None:
        if self.at is not None:
            self.at = self._next(self.at + 1)

    def back(self) -> None:
        start = len(CELLS) if self.at is None else self.at
        for i in range(start - 1, -1, -1):
            if self.asked(CELLS[i].name):
                self.at = i
                return
        self.say("È la prima cella della scheda.")

    def _locked_text(self, name: str) -> str:
        ed = self.editor
        locked = ed.why_locked(name)
        if locked and ed.can_empty(name):
            locked = f"{locked.removesuffix('.')} (svuota la toglie)."
        return locked

    def enter_quadro(self, quadro: int) -> None:
        """The title of a Quadro reached, and what its top says (the form's own notes, whether
        Quadro 3 applies, the block of Quadro 4)."""
        ed = self.editor
        if quadro == self._quadro_said:
            return
        for q in range(self._quadro_said + 1 if quadro > self._quadro_said else quadro, quadro + 1):
            self.say("", QUADRO_TITLES[q])
            if q == 1:
                self.say(catalog_text("q1_nota"))
            elif q == 3:
                self.say(catalog_text("q3_intestazione"))
                lock = ed.form_lock(Q3_INPUTS[0])
                if lock:
                    self.say(lock)
            elif q == 4:
                block = ed.outcome.block
                if block is None:
                    self.say(BLOCK_UNKNOWN)
                else:
                    self.say(block.condition, block.intro, SINO_HINT)
        self._quadro_said = quadro

    def present(self) -> None:
        """The cell reached: where it is, its value as the portal shows it, its problems."""
        self._presented = self.at
        name = self.current
        ed = self.editor
        if name is None:
            self.say("", f"Fine della scheda: {counts_text(ed.assessment.errors, ed.assessment.warnings)}.",
                     catalog_text("nota_finale"),
                     "Comandi: salva, esci, vai CODICE per tornare a una cella, messaggi, ?.")
            return
        cell = CELLS[self.at]
        self.enter_quadro(cell.quadro)
        item = Q4_ITEM_BY_CODE.get(name)
        if item is not None and item.subheading:
            self.say(item.subheading)
        self.say(cell_heading(name), f"Valore: {described(name, ed.draft, ed.outcome)}")
        if name == "R40":
            if ed.draft.R40:
                self.say(shown_r40(ed.draft.R40))
            self.say(counter_text(count_chars(ed.draft.R40)), R40_HINT)
        for problem in ed.assessment.problems_of(name):
            self.say(f"{problem.severity.capitalize()}: {problem.text}")
        locked = ed.form_lock(name) and self._locked_text(name)
        if locked:
            self.say(locked)

    def _close_edit(self) -> None:
        """A value typed and not valid is dropped (the cell keeps its value) when the person
        moves on or gives a command."""
        if self._edit is not None:
            self._edit.cancel()
            self._edit = None

    def report(self) -> None:
        """What changed since the last report: cells, computed figures, messages, problems."""
        ed = self.editor
        before, assessed = self._seen
        found = compare(before, ed.draft, assessed=(assessed, ed.assessment))
        self._seen = (ed.draft.copy(), ed.assessment)
        if found.equal:
            return
        for line in lines(found, "", "")[1:]:  # the title names two versions: not here
            self.say(("  " if line.kind == "item" else "") + line.text)

    def enter(self, typed: str) -> None:
        """A value typed for the current cell."""
        name = self.current
        ed = self.editor
        if name is None:
            self.say("Fine della scheda: nessuna cella qui. vai CODICE per tornare a una cella.")
            return
        locked = self._locked_text(name)
        if locked:
            self.say(locked)
            return
        cell = CELLS[self.at]
        if cell.kind is Kind.SINO and typed.strip().lower() in ("s", "n"):
            typed = "SI" if typed.strip().lower() == "s" else "NO"  # the TUI's S and N keys
        if name == "R40":
            typed = shown_r40(typed)
            if count_chars(typed.strip()) > R40_MAX_CHARS:
                self._close_edit()
                self.say(ed.r40_refusal(count_chars(typed.strip())))
                return
        else:
            typed = visible(typed)  # as the TUI's edit line takes a pasted control character
        edit = self._edit or ed.begin(name)
        error = edit.type(typed)
        if error:
            self._edit = edit  # kept open: the recovery file keeps what was typed
            self.say(f"{error} (resta il valore precedente)")
            return
        self._edit = None
        self.report()
        self.advance()

    def empty(self) -> None:
        name = self.current
        ed = self.editor
        if name is None:
            self.say("Fine della scheda: nessuna cella da svuotare.")
            return
        said = ed.empty_leftover(name)
        if said:
            self.say(said)
            self.report()
            self.advance()
            return
        locked = ed.why_locked(name)
        if locked:
            self.say(locked)
            return
        error = ed.try_set_text(name, "")
        if error:
            self.say(error)
            return
        self.report()
        self.advance()

    def long_text(self) -> None:
        """`testo` on R40: lines until one holding only a full stop."""
        if self.current != "R40":
            self.say("testo vale per R40 (vai R40): le altre celle di testo sono su una riga.")
            return
        locked = self.editor.why_locked("R40")
        if locked:
            self.say(locked)
            return
        self.say("Scrivere il testo di R40, anche su più righe; una riga con un solo punto (.) lo "
                 "chiude e sostituisce il testo di prima.")
        rows: list[str] = []
        while (line := self.talk.read("R40 testo> ")) is not None and line.strip() != ".":
            rows.append(line)
        if rows:
            self.enter("\n".join(rows))
        else:
            self.say("Nessun testo: R40 resta com'era.")
        if line is None:
            raise _EndOfInput

    _kept: str | None = None  # a file with the person's text not taken into R40: reopened next

    def own_editor(self) -> None:
        """`editor` on R40: the text in the person's own editor (core/own_editor.py, as the TUI's
        Ctrl+E), which has the terminal until it ends; its text comes back as one step of undo,
        or stays in its file (said), to be opened again by the next `editor`."""
        from ..core import own_editor

        if self.current != "R40":
            self.say("editor vale per R40 (vai R40): le altre celle di testo sono su una riga.")
            return
        ed = self.editor
        locked = ed.why_locked("R40")
        if locked:
            self.say(locked)
            return
        try:
            argv, path, reopened = own_editor.opening(ed.draft.R40, self._kept)
        except own_editor.EditorError as exc:
            self.say(str(exc))
            return
        self._kept = None
        self.say(f"Si apre l'editor ({argv[0]}) su R40: salvare il testo e chiudere l'editor per tornare qui.")
        ran = own_editor.run(argv, path)
        taken = own_editor.take(ed, path, ran, reopened=reopened, key="editor", undo="annulla")
        self._kept = taken.kept
        self.say(taken.notice)
        if taken.done:
            self.report()

    def jump(self, where: str) -> None:
        if not where.strip():
            self.say("Scrivere vai e il nome della cella, ad esempio vai R07_2021.")
            return
        name = resolve_cell_name(where)
        if name is None:
            self.say(f"«{where.strip()}» non è il nome di una cella (es. M12_2019, R06, R40).")
            return
        if self.at is None or CELLS[INDEX[name]].quadro != CELLS[self.at].quadro:
            self._quadro_said = CELLS[INDEX[name]].quadro - 1  # the Quadro jumped to, not those between
        self.at = INDEX[name]
        self._presented = ()  # shown again, also when it is the cell already asked

    def travel(self, *, back: bool) -> None:
        ed = self.editor
        travel = ed.undo() if back else ed.redo()
        self.say(travel.notice)
        if not travel.done:
            return
        self.report()
        if travel.cell is not None:
            self.at = INDEX[travel.cell]
            self._presented = ()
        self._back_to_file()

    def help(self) -> None:
        self.say(*COMMANDS)
        name = self.current
        if name is None:
            return
        quadro = CELLS[self.at].quadro
        self.say(f"{QUADRO_TITLES[quadro]}, cella {name}: atteso {expected(name)}.")
        if quadro == 1:
            self.say(catalog_text("q1_nota"))
        elif quadro == 3:
            self.say(catalog_text("q3_intestazione"))
        elif quadro == 4:
            self.say(SINO_HINT if name != "R40" else R40_HINT)

    def all_messages(self) -> None:
        from ..core.report import as_text

        ed = self.editor
        self.say(as_text(self.path, ed.draft, ed.assessment))

    # --- the dialogue --------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """One line typed; False when the draft is closed."""
        text = line.strip()
        if text.startswith("="):  # a value, even one spelled like a command
            self.enter(line.lstrip()[1:])
            return True
        word, _, rest = text.partition(" ")
        word = word.lower()
        alone = not rest.strip()
        if word in ("vai", "?", "aiuto", "salva", "esci", "annulla", "ripeti", "messaggi", "svuota",
                    "indietro", "testo", "editor") and (alone or word == "vai"):
            self._close_edit()
            if word == "vai":
                self.jump(rest)
            elif word in ("?", "aiuto"):
                self.help()
            elif word == "salva":
                self.save()
            elif word == "esci":
                return not self.quit()
            elif word in ("annulla", "ripeti"):
                self.travel(back=word == "annulla")
            elif word == "messaggi":
                self.all_messages()
            elif word == "svuota":
                self.empty()
            elif word == "indietro":
                self.back()
            elif word == "editor":
                self.own_editor()
            else:
                self.long_text()
            return True
        if not text:  # keep the value, move on
            self._close_edit()
            if self.at is None:
                self._presented = ()  # the end of the form, said again
            self.advance()
            return True
        self.enter(line)
        return True

    def run(self) -> int:
        """Ask until `esci`, the end of the input (0) or Ctrl+C (130)."""
        ed = self.editor
        try:
            try:
                self.say(f"soc25, modo semplice: bozza {self.path}.")
                self.take_lock()
                self.offer_recovery()
                left, right = ed.status_text(10_000)
                self.say(f"{left} · {right}")
                if ed.read_only:
                    self.say(ed.read_only_note)
                self.say(INTRO)
                self.at = self._next(0)
                while True:
                    if self.at != self._presented:
                        self.present()
                    line = self.talk.read(f"{self.current or 'fine'}> ")
                    if line is None:
                        raise _EndOfInput
                    if not self.handle(line):
                        return 0
            except _EndOfInput:
                self.finish("Fine dell'input")
                return 0
            except KeyboardInterrupt:
                self.finish("Interrotto")
                return 130
            except BaseException:
                if self.unsaved_work() and self._write_recovery():
                    print(f"soc25: le modifiche non salvate sono nel file di recupero "
                          f"{visible(session.recovery_path(self.path))}: riaprendo la bozza il programma "
                          "propone di ripristinarle.", file=sys.stderr)
                raise
        finally:
            self.release()
            self._unsubscribe()


# --- opening: a draft, a new draft, a folder -------------------------------------------------


def _create(path: str, talk: Talk) -> Draft | None:
    """A new draft's Comune and provincia, asked as the TUI's form asks them (None: none
    given, nothing created)."""
    talk.say(f"Nuova bozza {path}: indicare il Comune e la provincia (Invio senza testo per il "
             "Comune: nessuna bozza).")
    while True:
        comune = talk.read("Comune> ")
        if comune is None or not comune.strip():
            return None
        provincia = talk.read("Provincia (sigla di due lettere)> ")
        if provincia is None:
            return None
        comune, provincia = visible(comune.strip()), visible(provincia.strip()).upper()
        error = new_draft_refusal(comune, provincia)
        if not error:
            return Draft(comune=comune, provincia=provincia)
        talk.say(error)


def open_draft(path: str, talk: Talk, *, read_only: bool = False) -> int:
    """One draft in the line mode: loaded (or created), asked, closed."""
    err = sys.stderr
    if os.path.exists(path):
        try:
            draft = load(path)
        except DraftError as exc:
            print(f"soc25: {exc}", file=err)
            return 2
    elif read_only:
        print(f"soc25: {visible(path)}: il file non esiste.", file=err)
        return 2
    elif not os.path.isdir(os.path.dirname(path) or "."):
        print(f"soc25: {visible(path)}: la cartella {visible(os.path.dirname(path))} non esiste.", file=err)
        return 2
    else:
        draft = _create(path, talk)
        if draft is None:
            talk.say("Nessuna bozza creata.")
            return 0
        if os.path.exists(path):  # appeared meanwhile: never written over
            talk.say(f"{path} esiste già: la apro.")
            return open_draft(path, talk)
        try:
            save(path, draft, backup=False)
        except DraftError as exc:
            print(f"soc25: {visible(str(exc))}", file=err)
            return 2
    editor = DraftEditor(draft, read_only_reason="aperta con --view." if read_only else "")
    return LineMode(path, editor, talk).run()


def choose_in(folder: str, talk: Talk, *, read_only: bool = False) -> int:
    """A folder: its drafts in a numbered list, one opened by its number, back to the list
    when it is closed."""
    from ..core.folder import scan
    from ..core.reading import os_reason

    while True:
        try:
            found = list(scan(folder))
        except OSError as exc:
            print(f"soc25: {visible(folder)}: impossibile leggere la cartella ({os_reason(exc)}).",
                  file=sys.stderr)
            return 2
        if not found:
            talk.say(f"Nessuna bozza (.toml) nella cartella {folder}. Per crearne una: soc25 "
                     f"{os.path.join(folder, 'NOME.toml')} --semplice")
            return 0
        talk.say(f"Bozze nella cartella {folder}:")
        talk.say(*(f"{n}. {os.path.basename(p)}" for n, p in enumerate(found, 1)))
        while True:
            answer = talk.read("Numero della bozza da aprire (Invio senza testo per uscire)> ")
            if answer is None or not answer.strip():
                return 0
            if answer.strip().isdigit() and 1 <= int(answer.strip()) <= len(found):
                break
            talk.say(f"Scrivere un numero da 1 a {len(found)}.")
        status = open_draft(found[int(answer.strip()) - 1], talk, read_only=read_only)
        if status == 130 or talk.ended:
            return status


def run(path: str | None, *, read_only: bool = False, inp: IO[str] | None = None,
        out: IO[str] | None = None) -> int:
    """`soc25 [BOZZA.toml | CARTELLA] --semplice` (and `TERM=dumb`)."""
    if inp is None:
        inp = sys.stdin
        try:  # a byte that is not UTF-8 (a Latin-1 terminal, a file piped in) is «�», not a crash;
            # under an ASCII locale (LC_ALL=C) the terminal almost always sends UTF-8 all the
            # same (as core.terminal.typed reads the arguments): «Povertà» stays «Povertà»
            ascii_only = codecs.lookup(inp.encoding or "ascii").name == "ascii"
            inp.reconfigure(errors="replace", **({"encoding": "utf-8"} if ascii_only else {}))  # type: ignore[union-attr]
        except (AttributeError, ValueError, LookupError):
            pass
    talk = Talk(inp, out if out is not None else sys.stdout)
    if path is None or os.path.isdir(path):
        return choose_in(path or ".", talk, read_only=read_only)
    return open_draft(path, talk, read_only=read_only)
