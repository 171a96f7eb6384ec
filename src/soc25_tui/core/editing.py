"""The draft editor: the live state of one open draft, headless, for every face to drive.

`DraftEditor` owns the draft, its assessment (recomputed on every change), the copy as its
file holds it and so whether it is modified, and why it is read-only. A face hands it what
the person typed (`try_set_text`, or a `CellEdit` for a cell being typed into) and shows
what it says (`display`, `why_locked`, `status_text`, the assessment); it tells its
listeners what changed, synchronously and in order, so that a screen redraws and the file
flows (recovery) follow.

The reviewer's verdict and notes (`draft.review`, core/review.py) change through the editor
too (`add_note`, `resolve_note`, `delete_note`, `set_verdict`): each is a step of undo, makes
the draft modified and is told to the listeners like a cell. A cell changed in a draft whose
verdict is approvata takes the approval away at once, in the same step of undo (`undo` gives
it back): the verdict goes back to da-rivedere with a note listing the cells changed against
the approved version, kept up to date while the cells go on changing.

No Textual here: the TUI's screens are built with an editor, the tests drive one directly,
and the faces to come (line mode, browser) drive the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import monotonic
from typing import Any, NamedTuple

from .assess import Assessment, assess
from .compare import since_approval
from .layout import CASE_SHORT, CELL_BY_NAME, Q3_INPUTS, Q4_ITEM_BY_CODE, R40_MAX_CHARS
from .messages import (
    KEPT_NOT_TO_FILL,
    NO_CASE,
    counts_text,
    errors_text,
    quadro3_not_to_fill,
    sentence,
)
from .model import Draft, one_newline
from .numbers import format_number
from .review import (
    CHANGED_AFTER,
    DEFAULT_STATE,
    NOTE_MARK,
    STATE_WORDS,
    Note,
    Review,
    ReviewError,
    check_state,
    fingerprint,
    new_note,
    reconcile,
)
from .rules import Outcome
from .values import count_chars, described, display, edit_text, filled, parse_input
from .visible import visible

READ_ONLY = "Sola lettura: "
HISTORY = 500  # steps of undo kept per run (the issue asks for at least 200)
TYPING_PAUSE = 2.0  # seconds: R40 typed after a longer pause is a new step of undo


class Change(NamedTuple):
    """What changed in the editor, as its listeners are told."""

    cells: frozenset[str]  # input cells whose value changed (every cell when `whole`)
    whole: bool = False  # another draft altogether (opened, restored from recovery)
    state: bool = False  # only the saved state or the read-only reason changed
    typed: bool = False  # only the text of an open edit that is not in the draft changed
    review: bool = False  # the reviewer's verdict or notes changed (with `cells`: by a cell change)
    unapproved: bool = False  # a cell change took the approval away: da-rivedere, with a note


Listener = Callable[[Change], None]

Held = tuple[Any, Any]  # a cell as the draft holds it: (value, unreadable value kept from the file)


class Travel(NamedTuple):
    """What an undo, a redo or a change to the review did."""

    notice: str  # what to tell the person
    cell: str | None = None  # the cell to show it on (None: a whole draft, or nothing done)
    done: bool = False  # False: nothing to undo or redo, refused, or read-only


class Step:
    """One step of undo: cells from how they were to how they are (a whole draft when a
    recovery was restored); the changes of one edit of a cell are one step."""

    def __init__(self, group: object | None, label: str = "") -> None:
        self.cells: dict[str, tuple[Held, Held]] = {}
        self.whole: tuple[Any, Any] | None = None  # (draft before, draft after)
        # The review from how it was to how it is: a note or a verdict (no cells, `label`
        # says what), or the approval a change of `cells` took away.
        self.review: tuple[Review, Review] | None = None
        self.cell: str | None = None  # a review step: the cell of its note (where to show it)
        self.group = group
        self.label = label
        self.at = monotonic()


class DraftEditor:
    """One open draft: its values, assessment, saved copy and the edits made to it."""

    def __init__(self, draft: Draft | None = None, *, read_only_reason: str = "") -> None:
        self._draft = draft if draft is not None else Draft()
        self._saved = self._draft.copy()
        self._read_only_reason = read_only_reason
        self._listeners: list[Listener] = []
        self.assessment: Assessment = assess(self._draft)
        self.dirty = False
        self._done: list[Step] = []
        self._undone: list[Step] = []
        self._group: object | None = None  # the edit whose changes make one step
        self._typed: tuple[str, str] | None = None  # an open edit's text not in the draft
        # The draft as it was approved, once a cell change took the approval away: the note
        # saying so lists the cells changed against it, while it is the review's last.
        self._approved: Draft | None = None

    # --- state ---------------------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        """The live draft: read it, change it only through the editor."""
        return self._draft

    @property
    def outcome(self) -> Outcome:
        return self.assessment.outcome

    @property
    def read_only(self) -> bool:
        return bool(self._read_only_reason)

    @property
    def read_only_reason(self) -> str:
        return self._read_only_reason

    @property
    def read_only_note(self) -> str:
        """"Sola lettura: <why>" ("" when the draft can be edited)."""
        # The reason may quote a lock file (who holds the draft): data, shown by `visible`.
        return READ_ONLY + visible(self._read_only_reason) if self.read_only else ""

    def set_read_only(self, reason: str) -> None:
        """Read-only from now on, and why ("" to allow editing again)."""
        if reason != self._read_only_reason:
            self._read_only_reason = reason
            self._notify(Change(frozenset(), state=True))

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after every change; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def _changed(self, cells: frozenset[str], *, whole: bool = False, review: bool = False,
                 unapproved: bool = False) -> None:
        # Modified means "differs from the file": typing a figure and going back is no change.
        self.dirty = self._draft != self._saved
        if cells or whole:  # the review alone changes no value, message or problem
            self.assessment = assess(self._draft)
        self._notify(Change(cells, whole=whole, review=review or unapproved, unapproved=unapproved))

    # --- whole drafts ----------------------------------------------------------------------

    def load(self, draft: Draft) -> None:
        """Edit another draft, as its file holds it (one opened or created): the history of
        the draft before is forgotten."""
        self._done.clear()
        self._undone.clear()
        self._approved = None
        self._draft = draft
        self._saved = draft.copy()
        self._changed(frozenset(CELL_BY_NAME), whole=True)

    def adopt(self, draft: Draft, label: str) -> None:
        """Another version of this draft (a recovery restored) in place of this one: its file
        still holds what it held, and the change can be undone as `label`."""
        step = Step(None, label)
        step.whole = (self._draft.copy(), draft.copy())
        self._push(step)
        self._draft = draft
        self._changed(frozenset(CELL_BY_NAME), whole=True)

    @property
    def pending_text(self) -> tuple[str, str] | None:
        """(cell, text) of an edit still open whose text is not in the draft (not valid yet):
        what a recovery file keeps besides the draft."""
        return self._typed

    def _set_typed(self, typed: tuple[str, str] | None) -> None:
        if typed != self._typed:
            self._typed = typed
            self._notify(Change(frozenset(), typed=True))

    def recovery_draft(self) -> Draft:
        """The draft as a recovery file keeps it: with the text of an edit still open that is
        not valid yet, kept as an unreadable value of its cell (nothing typed is lost)."""
        draft = self._draft.copy()
        if self._typed is not None:
            name, text = self._typed
            draft.set(name, None)
            draft.invalid[name] = text
            # Typed into an approved draft: the recovery file says what changed (as a save
            # would), not that it was changed outside soc25.
            reconcile(draft, since_approval(self._draft, draft))
        return draft

    def mark_saved(self) -> None:
        """The draft as it is now is what its file holds."""
        self._saved = self._draft.copy()
        self.dirty = False
        self._notify(Change(frozenset(), state=True))

    # --- reading cells ---------------------------------------------------------------------

    def display(self, name: str, *, short: bool = False) -> str:
        """A cell's value as a person reads it (see `values.display`)."""
        return display(name, self._draft, self.outcome, short=short)

    def edit_text(self, name: str) -> str:
        """What an edit of `name` starts from."""
        return edit_text(name, self._draft, self.outcome)

    def why_locked(self, name: str) -> str:
        """Why `name` cannot be edited now ("" when it can): read-only, computed, or in a
        section of the form that does not apply to this draft."""
        if self.read_only:
            return self.read_only_note
        return self.form_lock(name)

    def form_lock(self, name: str) -> str:
        """Why `name` is not filled in this draft, whether it is open read-only or not ("" when
        it is): computed, or in a section of the form that does not apply (the line mode walks
        the cells a read-only draft would ask, showing their values)."""
        cell = CELL_BY_NAME[name]
        if cell.derived:
            return f"{name} è calcolata dal programma: si aggiorna da sola."
        o = self.outcome
        if name in Q3_INPUTS and not o.quadro3_required and o.quadro3_known:
            return quadro3_not_to_fill(o)
        if name in Q3_INPUTS and o.case is None or name in Q4_ITEM_BY_CODE and o.block is None:
            return sentence(NO_CASE)
        if name in Q4_ITEM_BY_CODE:
            if name not in o.block.codes:
                return f"{name} non si applica al caso {o.case}: {KEPT_NOT_TO_FILL}."
        return ""

    def can_empty(self, name: str) -> bool:
        """Whether `name` is locked only because its section does not apply to this draft and
        holds a value: it may still be emptied, as the checks ask."""
        if self.read_only or CELL_BY_NAME[name].derived:
            return False
        o = self.outcome
        if name in Q3_INPUTS:  # a value, or one kept unreadable from the file
            held = filled(self._draft.get(name)) or name in self._draft.invalid
            return o.quadro3_known and not o.quadro3_required and held
        if name in Q4_ITEM_BY_CODE:
            return name in o.answers_elsewhere
        return False

    def status_text(self, width: int) -> tuple[str, str]:
        """(Comune and case, errors and warnings) for a status line of `width` columns. The
        flag and the counts are always whole, and so is the case in words unless they cannot
        fit even without the Comune (then its letter); a Comune name too long for the rest
        is cut, with "…". A draft under review says its verdict and how many notes are open
        (✎) before the counts; then the Comune's name comes before the case in words."""
        o = self.outcome
        right = counts_text(self.assessment.errors, self.assessment.warnings)
        review = self._draft.review
        if not review.empty:  # the reviewer's verdict, and the notes still open
            still = len(review.open_notes)
            right = f"{STATE_WORDS[review.state]}{f' · {NOTE_MARK} {still}' if still else ''} · {right}"
        name = visible((self._draft.comune or "").strip()) or "Comune non indicato"
        prov = visible((self._draft.provincia or "").strip())
        flag = "[SOLA LETTURA] " if self.read_only else ("* " if self.dirty else "")
        who = f"{name}{f' ({prov})' if prov else ''}"
        case = f"Caso {o.case}: {CASE_SHORT[o.case]}" if o.case else "Caso non determinabile"
        room = width - len(right) - 1 - len(flag) - 3  # (" ", " · ")
        short = room - len(case) < 1 or not review.empty and len(who) > room - len(case)
        if o.case and short:  # not even "…" beside the words (a reviewer: the name whole): the letter
            case = f"Caso {o.case}"
        if len(who) > room - len(case):
            who = who[: max(room - len(case) - 1, 0)] + "…"
        return f"{flag}{who} · {case}", right

    # --- changing cells --------------------------------------------------------------------

    def set(self, name: str, value: Any, *, group: object | None = None) -> str:
        """Set a cell (validated); returns why it was refused ("" when set). Changes made
        with the same `group` one after the other are one step of undo (R40 typed on the
        final screen, until a pause)."""
        if self.read_only:
            return self.read_only_note
        if value == self._draft.get(name) and name not in self._draft.invalid:
            return ""
        before, review, approved = self._held(name), self._draft.review, self._approved_copy()
        self._draft.set(name, value)
        unapproved = self._follow_approval(approved)
        self._record(name, before, group, review)
        self._changed(frozenset((name,)), unapproved=unapproved)
        return ""

    def try_set_text(self, name: str, text: str) -> str:
        """Set a cell from what was typed; returns the Italian refusal ("" when set)."""
        if self.read_only:
            return self.read_only_note
        try:
            value = parse_input(name, text)
        except ValueError as exc:
            return str(exc)
        return self.set(name, value)

    def restore(self, name: str, value: Any, raw: Any | None) -> None:
        """Put a cell back as it was (an unreadable value kept from the file too)."""
        if self.read_only or (self._draft.get(name) == value and self._draft.invalid.get(name) == raw):
            return
        before, review, approved = self._held(name), self._draft.review, self._approved_copy()
        self._put(name, (value, raw))
        unapproved = self._follow_approval(approved)
        self._record(name, before, review=review)
        self._changed(frozenset((name,)), unapproved=unapproved)

    def empty_leftover(self, name: str) -> str:
        """Empty a value kept where its section does not apply; returns what to tell the
        person ("" when there was nothing to empty)."""
        if not self.can_empty(name):
            return ""
        self.set(name, None)
        return f"{name} svuotata: la sezione non si applica a questa bozza."

    def begin(self, name: str) -> CellEdit:
        """Start typing into `name` (see `CellEdit`)."""
        return CellEdit(self, name)

    # --- undo and redo ---------------------------------------------------------------------

    def _held(self, name: str) -> Held:
        return self._draft.get(name), self._draft.invalid.get(name)

    def _put(self, name: str, held: Held) -> None:
        value, raw = held
        self._draft.set(name, value)
        if raw is not None:
            self._draft.invalid[name] = raw

    def _push(self, step: Step) -> None:
        self._done.append(step)
        del self._done[:-HISTORY]
        self._undone.clear()

    def _record(self, name: str, before: Held, group: object | None = None,
                review: Review | None = None) -> None:
        """A cell changed from `before` (and the review from `review`, when the change took
        the approval away or updated the note saying so): a new step, or the last one when
        it is the same edit of the same cell (an R40 typed without a pause)."""
        group = group if group is not None else self._group
        after = self._held(name)
        now = self._draft.review
        last = self._done[-1] if self._done else None
        if (last is not None and group is not None and last.group is group
                and list(last.cells) == [name] and last.whole is None
                and (isinstance(group, CellEdit) or monotonic() - last.at < TYPING_PAUSE)):
            first = last.cells[name][0]
            first_review = last.review[0] if last.review else (review or now)
            if first == after:  # back to how it was: no change to undo (an approval is back)
                self._done.pop()
                self._draft.review = first_review
            else:
                last.cells[name] = (first, after)
                last.review = (first_review, now) if first_review != now else None
                last.at = monotonic()
            return
        step = Step(group)
        step.cells[name] = (before, after)
        if review is not None and review != now:
            step.review = (review, now)
        self._push(step)

    # --- the approval ----------------------------------------------------------------------

    def _approved_copy(self) -> Draft | None:
        """Before a cell changes: the draft as approved, when its verdict is approvata (it
        is the draft as it is: a change takes the approval away at once)."""
        return self._draft.copy() if self._draft.review.state == "approvata" else None

    def _follow_approval(self, approved: Draft | None) -> bool:
        """A cell just changed: an approved draft goes back to da-rivedere, with a note
        listing the cells changed against `approved` (True then); a draft whose approval a
        change took away keeps that note up to date while it is the review's last one (the
        reviewer has said nothing since)."""
        review = self._draft.review
        if approved is not None:
            if review.state != "approvata" or fingerprint(self._draft) == review.approved:
                return False
            self._approved = approved
            return reconcile(self._draft, self._unapproved_changes())
        last = review.notes[-1] if review.notes else None
        if (self._approved is None or review.state != DEFAULT_STATE or last is None
                or last.cell is not None or not last.text.startswith(f"{CHANGED_AFTER}:\n")):
            return False
        text = f"{CHANGED_AFTER}:\n{self._unapproved_changes()}"
        if text != last.text:
            self._draft.review = Review(review.state, (*review.notes[:-1], last._replace(text=text)), review.approved)
        return False

    def _unapproved_changes(self) -> str:
        return since_approval(self._approved, self._draft)

    # --- the reviewer's notes and verdict -------------------------------------------------

    def add_note(self, cell: str | None, text: str) -> Travel:
        """A note on `cell` (a public name; None or «bozza»: the whole draft), by the person
        using the program (`review.who`), now."""
        if self.read_only:
            return Travel(self.read_only_note)
        try:
            note = new_note(cell, text)
            review = self._draft.review.with_note(note)
        except ReviewError as exc:
            return Travel(f"Nota non aggiunta: {exc}.")
        where = _on(note.cell)
        self._review_step(review, f"nota aggiunta {where}", note.cell)
        return Travel(f"Nota aggiunta {where}.", note.cell, True)

    def _note(self, index: int) -> Note | Travel:
        """Note `index` (from 0) of the draft, or why it cannot be changed (read-only, none)."""
        if self.read_only:
            return Travel(self.read_only_note)
        review = self._draft.review
        try:
            return review.notes[review.check_index(index)]
        except ReviewError as exc:
            return Travel(f"{exc}.".capitalize())

    def resolve_note(self, index: int, resolved: bool = True) -> Travel:
        """Note `index` (from 0, in the review's order) resolved, or open again."""
        note = self._note(index)
        if isinstance(note, Travel):
            return note
        review = self._draft.review
        if note.resolved == resolved:
            return Travel(f"La nota {index + 1} è già {'risolta' if resolved else 'aperta'}.", note.cell)
        what = f"nota {index + 1} {_on(note.cell)} {'segnata come risolta' if resolved else 'riaperta'}"
        self._review_step(review.with_resolved(index, resolved), what, note.cell)
        return Travel(f"{what[0].upper()}{what[1:]}.", note.cell, True)

    def delete_note(self, index: int) -> Travel:
        """Note `index` (from 0) taken away (undo brings it back)."""
        note = self._note(index)
        if isinstance(note, Travel):
            return note
        review = self._draft.review
        what = f"nota {index + 1} {_on(note.cell)} eliminata"
        self._review_step(review.without(index), what, note.cell)
        return Travel(f"{what[0].upper()}{what[1:]}.", note.cell, True)

    def set_verdict(self, state: str) -> Travel:
        """The reviewer's verdict (`review.STATES`); approvata holds for the cells as they
        are now. The notice warns when the draft being approved still has errors."""
        if self.read_only:
            return Travel(self.read_only_note)
        review = self._draft.review
        try:
            check_state(state)
        except ReviewError as exc:
            return Travel(f"{exc}.".capitalize())
        if state == review.state:
            return Travel(f"Il verdetto è già «{STATE_WORDS[state]}».")
        what = f"verdetto da «{STATE_WORDS[review.state]}» a «{STATE_WORDS[state]}»"
        self._review_step(review.with_state(state, self._draft), what, None)
        notice = f"Verdetto: {STATE_WORDS[state]}."
        errors = self.assessment.errors
        if state == "approvata" and errors:
            notice += f" Attenzione: la bozza ha {errors_text(errors)}."
        return Travel(notice, None, True)

    def _review_step(self, review: Review, label: str, cell: str | None) -> None:
        step = Step(None, label)
        step.review = (self._draft.review, review)
        step.cell = cell
        self._push(step)
        self._draft.review = review
        self._approved = None  # the reviewer has spoken: the note of a lost approval stays as it is
        self._changed(frozenset(), review=True)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo(self) -> Travel:
        """Take back the last change."""
        return self._travel(self._done, self._undone, back=True)

    def redo(self) -> Travel:
        """Make again the last change taken back."""
        return self._travel(self._undone, self._done, back=False)

    def _travel(self, source: list[Step], target: list[Step], *, back: bool) -> Travel:
        if self.read_only:
            return Travel(self.read_only_note)
        if not source:
            return Travel("Niente da annullare." if back else "Niente da ripetere.")
        step = source.pop()
        target.append(step)
        step.group = None  # a change made after this is a step of its own
        verb = "Annullato" if back else "Ripetuto"
        if step.whole is not None:
            draft = step.whole[0 if back else 1].copy()
            self._draft = draft
            self._changed(frozenset(CELL_BY_NAME), whole=True)
            return Travel(f"{verb}: {step.label}.", None, True)
        if step.review is not None:
            self._draft.review = step.review[0 if back else 1]
        if not step.cells:  # a note or a verdict
            self._changed(frozenset(), review=True)
            return Travel(f"{verb}: {step.label}.", step.cell, True)
        for name, (before, after) in step.cells.items():
            self._put(name, before if back else after)
        self._changed(frozenset(step.cells), review=step.review is not None)
        name = next(iter(step.cells))
        told = self._told(name, back)
        if step.review is not None and step.review[0].state != step.review[1].state:
            told += f" Il verdetto torna «{STATE_WORDS[self._draft.review.state]}»."
        return Travel(told, name, True)

    def _told(self, name: str, back: bool) -> str:
        """«Annullata la modifica di R07_2021: torna a 51.475,22.»"""
        now = described(name, self._draft, self.outcome)
        if back:
            to = f"al {now[3:]}" if now.startswith("il ") else f"a {now}"
            return f"Annullata la modifica di {name}: torna {to}."
        return f"Ripetuta la modifica di {name}: di nuovo {now}."

    # --- reading the review ----------------------------------------------------------------

    def open_notes_on(self, name: str | None) -> list[tuple[int, Any]]:
        """(index, note) of the open notes on a cell (None: on the whole draft)."""
        return [(i, n) for i, n in enumerate(self._draft.review.notes) if n.cell == name and not n.resolved]

    # --- R40 -------------------------------------------------------------------------------

    def r40_refusal(self, would_be: int) -> str:
        """Why a text that would take R40 to `would_be` characters is refused."""
        return (f"Testo rifiutato: R40 arriverebbe a {format_number(would_be)} caratteri, "
                f"il massimo è {format_number(R40_MAX_CHARS)}.")

    def append_r40(self, text: str) -> str:
        """Add `text` at the end of R40 within its 6.000 characters; returns the refusal
        ("" when added)."""
        if self.read_only:
            return self.read_only_note
        text = shown_r40(text)  # typed or pasted: what the person sees is what R40 gets
        current = self._draft.R40 or ""
        would_be = count_chars(current) + count_chars(text)
        if would_be > R40_MAX_CHARS:
            return self.r40_refusal(would_be)
        return self.set("R40", current + text)


def _on(cell: str | None) -> str:
    """«su R07_2021», «sulla bozza intera»."""
    return f"su {cell}" if cell else "sulla bozza intera"


def shown_r40(text: str) -> str:
    """R40 as the TUI shows it and takes it when typed or pasted: one kind of line end,
    control characters shown (`visible`; newline and tab kept)."""
    return visible(one_newline(text), multiline=True)


class CellEdit:
    """One cell being typed into. While what is typed is valid it is in the draft, so that
    every derived value and message follows the typing; while it is not, the draft holds the
    value from before this edit (never a half-typed prefix such as 1,23 on the way to 1.234),
    and `error` says why."""

    def __init__(self, editor: DraftEditor, name: str) -> None:
        self.editor = editor
        self.name = name
        self.before = editor.draft.get(name), editor.draft.invalid.get(name)
        self.error = ""  # why the text being typed is not in the draft ("" while it is valid)
        # The text the edit starts from, as the edit line shows it (control characters by
        # `visible`): confirmed as shown, the cell keeps its value as it was; changed, it
        # holds what was shown and typed.
        self.start = editor.edit_text(name)
        self.shown = visible(self.start)

    def type(self, text: str) -> str:
        """The text in the edit line is now `text`; returns the refusal ("" when valid)."""
        if text == self.shown and self.shown != self.start:
            self.cancel()  # the edit line as it showed a text with control characters
            return ""
        with self._grouped():
            error = self.error = self.editor.try_set_text(self.name, text)
            if error:
                self.editor.restore(self.name, *self.before)
        self.editor._set_typed((self.name, text) if error and text.strip() else None)
        return error

    def cancel(self) -> None:
        """Back to the value from before the edit."""
        self.error = ""
        with self._grouped():
            self.editor.restore(self.name, *self.before)
        self.editor._set_typed(None)

    @contextmanager
    def _grouped(self) -> Iterator[None]:
        """The changes of one edit are one step of undo."""
        editor = self.editor
        outer, editor._group = editor._group, self
        try:
            yield
        finally:
            editor._group = outer

    def reason(self) -> str:
        """The refusal without the cell's name (the edit line already names the cell)."""
        return self.error.removeprefix(f"{self.name}: ")
