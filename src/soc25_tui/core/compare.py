"""What differs between two versions of a draft, as a person reads it: one comparison for
`soc25 diff`, the TUI's «Confronta…» commands and the recovery question (and, input cells
only, the note an approval undone leaves).

`compare(before, after)` gives a `Comparison`:

- `cells`: every cell whose value differs, given and derived, in the form's order, each as
  the two versions show it (Italian format, `values.described`: «vuota», «il valore non
  valido «x»» for a value kept unreadable). A derived figure is compared as the portal
  prints it (R04 to two decimals): a change past the printed decimals is no change;
- the portal's messages that appear or disappear (by Quadro and text), and the problems
  (errors and warnings, by severity, cell and text);
- a change of case (A-D) and of whether Quadro 3 applies;
- the review: a change of verdict, and notes added, removed, resolved or reopened.

Two drafts are `equal` when none of these differs: the cells and the review are the same
(comments and the order of the lines in the files are not compared).

`lines` words a comparison in groups (the text of `soc25 diff` and of the TUI's screen),
`brief` in a few lines (the recovery question), `as_json` as `soc25 diff --json`'s object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .assess import Assessment, assess
from .checks import Problem
from .layout import CASE_WORDS, CELL_BY_NAME, CELLS, Kind
from .limits import shortened
from .messages import CASE_UNKNOWN, COMPOSED_MARK, VERBATIM, Message, quadro3_line
from .model import Draft, same_kept
from .numbers import format_number
from .review import STATE_WORDS, Note, time_text
from .rules import Outcome, evaluate
from .values import cell_value, described, raw_text

TEXT_SHOWN = 80  # characters of a text cell a line quotes (R40 is counted, not quoted)


class Difference(NamedTuple):
    name: str  # the cell's public name
    before: str  # as the first draft shows it ("vuota" when empty)
    after: str
    derived: bool = False  # a figure computed from the others (R0B, R04, R09, R15, ...)


class Line(NamedTuple):
    """One line of a comparison in words: `kind` is "title", "heading" or "item"."""

    kind: str
    text: str


# --- cells ------------------------------------------------------------------------------


def _same_cell(name: str, derived: bool, before: Draft, after: Draft, ob: Outcome, oa: Outcome) -> bool:
    if derived:
        return cell_value(name, before, ob) == cell_value(name, after, oa)
    return before.get(name) == after.get(name) and same_kept(before.invalid.get(name), after.invalid.get(name))


def _shown(name: str, draft: Draft, outcome: Outcome) -> str:
    text = described(name, draft, outcome)
    if CELL_BY_NAME[name].kind is Kind.TEXT and name not in draft.invalid and name != "R40":
        text = shortened(text, TEXT_SHOWN)  # a Quadro 3 method of 6.000 characters
    return text


def _cells(before: Draft, after: Draft, ob: Outcome, oa: Outcome, *, derived: bool) -> list[Difference]:
    found = []
    for cell in CELLS:
        name = cell.name
        if cell.derived and not derived:
            continue
        if _same_cell(name, cell.derived, before, after, ob, oa):
            continue
        shown_before, shown_after = _shown(name, before, ob), _shown(name, after, oa)
        if shown_before == shown_after:  # R40 of the same length, a long text changed past its start
            shown_after = f"{shown_after} (testo diverso)"
        found.append(Difference(name, shown_before, shown_after, cell.derived))
    return found


def differences(before: Draft, after: Draft) -> list[Difference]:
    """The input cells whose value differs, in the form's order (a value kept unreadable
    counts): what a save changes, for the note an approval undone leaves."""
    return _cells(before, after, evaluate(before), evaluate(after), derived=False)


# How many changed cells the note of an approval taken away lists (then how many more).
UNAPPROVED_CELLS = 20


def since_approval(approved: Draft, now: Draft) -> str:
    """What the note of an approval taken away lists: the cells changed since `approved`."""
    return describe(differences(approved, now), limit=UNAPPROVED_CELLS)


def describe(found: list[Difference], *, limit: int = 0) -> str:
    """One line a difference: «R07_2021: 51.475,22 → 320.000,00» (`limit`: at most that many
    lines, then how many more)."""
    if not found:
        return "nessuna cella diversa"
    shown = found[:limit] if limit else found
    lines = [_cell_line(d) for d in shown]
    if len(found) > len(shown):
        lines.append(_more(len(found) - len(shown), "cella", "celle"))
    return "\n".join(lines)


def _more(n: int, one: str, many: str) -> str:
    """«… e un'altra cella», «… e altre 3 celle»: how many more a list leaves out."""
    return f"… e un'altra {one}" if n == 1 else f"… e altre {format_number(n)} {many}"


def _cell_line(d: Difference) -> str:
    mark = " (calcolata)" if d.derived else ""
    return f"{d.name}{mark}: {d.before} → {d.after}"


# --- the whole comparison ---------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    before: Draft
    after: Draft
    assessed: tuple[Assessment, Assessment]
    cells: tuple[Difference, ...]
    messages_added: tuple[Message, ...]
    messages_removed: tuple[Message, ...]
    problems_added: tuple[Problem, ...]
    problems_removed: tuple[Problem, ...]
    case: tuple[str | None, str | None] | None  # (before, after) when it changed
    quadro3: tuple[bool | None, bool | None] | None  # None inside: cannot be told yet
    state: tuple[str, str] | None  # the review's verdict, when it changed
    notes_added: tuple[Note, ...]
    notes_removed: tuple[Note, ...]
    notes_resolved: tuple[Note, ...]
    notes_reopened: tuple[Note, ...]

    @property
    def given(self) -> tuple[Difference, ...]:
        """The input cells that differ (what a person typed, or a file holds)."""
        return tuple(d for d in self.cells if not d.derived)

    @property
    def review_changed(self) -> bool:
        return bool(self.state or self.notes_added or self.notes_removed or self.notes_resolved
                    or self.notes_reopened)

    @property
    def equal(self) -> bool:
        # Messages, problems, case and Quadro 3 follow from the cells; all are asked anyway,
        # so that `equal` never depends on that.
        return not (self.cells or self.messages_added or self.messages_removed or self.problems_added
                    or self.problems_removed or self.case or self.quadro3 or self.review_changed)

    def count_text(self) -> str:
        """«una cella diversa», «3 celle diverse e la revisione», «la revisione»."""
        n = len(self.given)
        parts = []
        if n:
            parts.append("una cella diversa" if n == 1 else f"{format_number(n)} celle diverse")
        if self.review_changed:
            parts.append("la revisione diversa")
        return " e ".join(parts) or "nessuna differenza"


def _only_in(ours: list[Any], theirs: list[Any], key: Any) -> tuple[Any, ...]:
    """The items of `ours` not matched by one of `theirs` (each matches once), in our order."""
    left: dict[Any, int] = {}
    for item in theirs:
        k = key(item)
        left[k] = left.get(k, 0) + 1
    out = []
    for item in ours:
        k = key(item)
        if left.get(k):
            left[k] -= 1
        else:
            out.append(item)
    return tuple(out)


def _message_key(m: Message) -> tuple[int, str]:
    return (m.quadro, m.text)


def _problem_key(p: Problem) -> tuple[str, str, str]:
    return (p.severity, p.cell, p.text)


def _note_key(n: Note) -> tuple[Any, ...]:
    return (n.cell, n.text, n.author, n.time)


def _notes(before: tuple[Note, ...], after: tuple[Note, ...]) -> tuple[tuple[Note, ...], ...]:
    """(added, removed, resolved, reopened): a note is the same note when its cell, text,
    author and time are; its `resolved` may differ."""
    unmatched: dict[Any, list[int]] = {}
    for i, note in enumerate(before):
        unmatched.setdefault(_note_key(note), []).append(i)
    added, resolved, reopened = [], [], []
    for note in after:
        same = unmatched.get(_note_key(note))
        if not same:
            added.append(note)
            continue
        old = before[same.pop(0)]
        if note.resolved and not old.resolved:
            resolved.append(note)
        elif old.resolved and not note.resolved:
            reopened.append(note)
    removed = sorted(i for left in unmatched.values() for i in left)
    return tuple(added), tuple(before[i] for i in removed), tuple(resolved), tuple(reopened)


def compare(before: Draft, after: Draft, *, assessed: tuple[Assessment, Assessment] | None = None) -> Comparison:
    """Everything that differs from `before` to `after` (`assessed`: their assessments,
    when the caller has them already)."""
    ab, aa = assessed or (assess(before), assess(after))
    ob, oa = ab.outcome, aa.outcome
    q3 = (ob.quadro3, oa.quadro3)
    state = (before.review.state, after.review.state)
    notes = _notes(before.review.notes, after.review.notes)
    return Comparison(
        before, after, (ab, aa),
        cells=tuple(_cells(before, after, ob, oa, derived=True)),
        messages_added=_only_in(aa.messages, ab.messages, _message_key),
        messages_removed=_only_in(ab.messages, aa.messages, _message_key),
        problems_added=_only_in(aa.problems, ab.problems, _problem_key),
        problems_removed=_only_in(ab.problems, aa.problems, _problem_key),
        case=(ob.case, oa.case) if ob.case != oa.case else None,
        quadro3=q3 if q3[0] != q3[1] else None,
        state=state if state[0] != state[1] else None,
        notes_added=notes[0], notes_removed=notes[1], notes_resolved=notes[2], notes_reopened=notes[3],
    )


# --- in words ---------------------------------------------------------------------------


def case_words(case: str | None) -> str:
    """«D (spesa inferiore al fabbisogno, servizi inferiori al riferimento)»."""
    return f"{case} ({CASE_WORDS[case]})" if case else CASE_UNKNOWN


def _q3_words(c: Comparison, i: int) -> str:
    return quadro3_line(c.assessed[i].outcome)


def _mark(m: Message) -> str:
    """A composed text is introduced as such wherever a person reads it (`messages`)."""
    return "" if m.kind == VERBATIM else f" {COMPOSED_MARK}"


def _count(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def note_words(note: Note) -> str:
    """«su R07_2021, di mrossi, 02/12/2026 10:15: «Manca la spesa del 2021»»."""
    where = f"su {note.cell}" if note.cell else "sulla bozza"
    who = f", di {note.author}" if note.author else ""
    when = f", {time_text(note.time)}" if note.time else ""
    return f"{where}{who}{when}: «{note.text}»"


def lines(c: Comparison, before_name: str, after_name: str) -> list[Line]:
    """The comparison in groups, for a person: the case and Quadro 3, the cells, the
    messages, the problems, the review. Text from the drafts is in it as it is: the caller
    shows it through `visible`."""
    out = [Line("title", f"Confronto: {before_name} → {after_name}")]
    if c.equal:
        out.append(Line("heading", "Nessuna differenza: le celle e la revisione sono le stesse."))
        return out
    if c.case:
        out.append(Line("heading", f"Caso: {case_words(c.case[0])} → {case_words(c.case[1])}"))
    if c.quadro3:
        out.append(Line("heading", f"Quadro 3: {_q3_words(c, 0)} → {_q3_words(c, 1)}"))
    if c.cells:
        derived = sum(d.derived for d in c.cells)
        given = len(c.cells) - derived
        out.append(Line("heading", f"Celle diverse: {format_number(len(c.cells))} "
                                   f"({_count(given, 'inserita', 'inserite')}, "
                                   f"{_count(derived, 'calcolata', 'calcolate')})"))
        out += [Line("item", _cell_line(d)) for d in c.cells]
    for group, title in ((c.messages_added, "Messaggi del portale comparsi"),
                         (c.messages_removed, "Messaggi del portale scomparsi")):
        if group:
            sign = "+" if group is c.messages_added else "-"
            out.append(Line("heading", f"{title}: {format_number(len(group))}"))
            out += [Line("item", f"{sign} [Quadro {m.quadro}]{_mark(m)} {m.text}") for m in group]
    for group, title in ((c.problems_added, "Problemi comparsi"), (c.problems_removed, "Problemi scomparsi")):
        if group:
            sign = "+" if group is c.problems_added else "-"
            out.append(Line("heading", f"{title}: {format_number(len(group))}"))
            out += [Line("item", f"{sign} {p.severity:<7} {p.cell}: {p.text}") for p in group]
    if c.review_changed:
        out.append(Line("heading", "Revisione:"))
        if c.state:
            out.append(Line("item", f"verdetto: {STATE_WORDS[c.state[0]]} → {STATE_WORDS[c.state[1]]}"))
        for group, what in ((c.notes_added, "+ nota aggiunta"), (c.notes_removed, "- nota tolta"),
                            (c.notes_resolved, "✓ nota risolta"), (c.notes_reopened, "↺ nota riaperta")):
            out += [Line("item", f"{what} {note_words(n)}") for n in group]
    return out


def as_text(c: Comparison, before_name: str, after_name: str) -> str:
    """`soc25 diff`'s text: `lines`, the items indented, each line through `visible`."""
    from .visible import visible

    return "\n".join(visible(("  " if line.kind == "item" else "") + line.text) for line in lines(c, before_name, after_name))


def brief(c: Comparison, *, limit: int = 12) -> str:
    """A few lines for the recovery question: each input cell (at most `limit`, then how
    many more), then the derived figures, the case, Quadro 3, and how many messages and
    problems come and go."""
    out = [describe(list(c.given), limit=limit)] if c.given else []
    derived = [d for d in c.cells if d.derived]
    shown = derived[:max(1, limit // 2)]
    out += [_cell_line(d) for d in shown]
    if len(derived) > len(shown):
        out.append(_more(len(derived) - len(shown), "cella calcolata", "celle calcolate"))
    if c.case:
        out.append(f"Caso: {c.case[0] or CASE_UNKNOWN} → {c.case[1] or CASE_UNKNOWN}")
    if c.quadro3:
        out.append(f"Quadro 3: {_q3_words(c, 0)} → {_q3_words(c, 1)}")
    for added, removed, what in ((c.messages_added, c.messages_removed, "Messaggi del portale"),
                                 (c.problems_added, c.problems_removed, "Problemi")):
        said = [_count(len(added), "comparso", "comparsi")] if added else []
        said += [_count(len(removed), "scomparso", "scomparsi")] if removed else []
        if said:
            out.append(f"{what}: {', '.join(said)}")
    if c.state:
        out.append(f"Verdetto: {STATE_WORDS[c.state[0]]} → {STATE_WORDS[c.state[1]]}")
    notes = [(c.notes_added, "aggiunta", "aggiunte"), (c.notes_removed, "tolta", "tolte"),
             (c.notes_resolved, "risolta", "risolte"), (c.notes_reopened, "riaperta", "riaperte")]
    said = [_count(len(group), one, many) for group, one, many in notes if group]
    if said:
        out.append("Note della revisione: " + ", ".join(said))
    return "\n".join(out) or "nessuna differenza"


# --- JSON -------------------------------------------------------------------------------


def as_json(c: Comparison, before_path: str, after_path: str) -> dict[str, Any]:
    """`soc25 diff --json`'s object (documented in the README, «Confrontare due versioni»).
    A cell's `before`/`after` are its values as `soc25 check --json` gives them (a value kept
    unreadable is null there, and is in `before_invalid`/`after_invalid` as the file has it);
    `before_text`/`after_text` as `soc25 diff` shows them."""
    from .report import cell_values

    values = [cell_values(draft, a.outcome) for draft, a in zip((c.before, c.after), c.assessed)]
    drafts = (c.before, c.after)

    def invalid(i: int, name: str) -> str | None:
        kept = drafts[i].invalid
        return raw_text(kept[name]) if name in kept else None

    def message(m: Message) -> dict[str, Any]:
        return {"quadro": m.quadro, "kind": m.kind, "text": m.text}

    def problem(p: Problem) -> dict[str, Any]:
        return {"severity": p.severity, "cell": p.cell, "text": p.text}

    return {
        "a": before_path,
        "b": after_path,
        "equal": c.equal,
        "cells": [
            {"cell": d.name, "derived": d.derived,
             "before": values[0][d.name], "after": values[1][d.name],
             "before_text": d.before, "after_text": d.after,
             "before_invalid": invalid(0, d.name), "after_invalid": invalid(1, d.name)}
            for d in c.cells
        ],
        "messages": {"added": [message(m) for m in c.messages_added],
                     "removed": [message(m) for m in c.messages_removed]},
        "problems": {"added": [problem(p) for p in c.problems_added],
                     "removed": [problem(p) for p in c.problems_removed]},
        "case": {"before": c.case[0], "after": c.case[1]} if c.case else None,
        "quadro3_required": {"before": c.quadro3[0], "after": c.quadro3[1]} if c.quadro3 else None,
        "review": {
            "state": {"before": c.state[0], "after": c.state[1]} if c.state else None,
            "notes": {"added": [n.as_json() for n in c.notes_added],
                      "removed": [n.as_json() for n in c.notes_removed],
                      "resolved": [n.as_json() for n in c.notes_resolved],
                      "reopened": [n.as_json() for n in c.notes_reopened]},
        },
    }
