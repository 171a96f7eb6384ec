"""What differs between two versions of a draft, cell by cell, as a person reads it: the
recovery question (the draft's value -> the value recovered) and, later, the review of a
Comune's drafts."""

from __future__ import annotations

from typing import NamedTuple

from .layout import CELLS
from .model import Draft
from .rules import evaluate
from .values import described


class Difference(NamedTuple):
    name: str  # the cell's public name
    before: str  # as the first draft shows it ("vuota" when empty)
    after: str


def differences(before: Draft, after: Draft) -> list[Difference]:
    """The input cells whose value differs, in the form's order."""
    ob, oa = evaluate(before), evaluate(after)
    found = []
    for cell in CELLS:
        name = cell.name
        if cell.derived:
            continue
        if before.get(name) == after.get(name) and before.invalid.get(name) == after.invalid.get(name):
            continue
        found.append(Difference(name, described(name, before, ob), described(name, after, oa)))
    return found


def describe(found: list[Difference], *, limit: int = 0) -> str:
    """One line a difference: «R07_2021: 51.475,22 → 320.000,00» (`limit`: at most that many
    lines, then how many more)."""
    if not found:
        return "nessuna cella diversa"
    shown = found[:limit] if limit else found
    lines = [f"{d.name}: {d.before} → {d.after}" for d in shown]
    if len(found) > len(shown):
        lines.append(f"… e altre {len(found) - len(shown)} celle")
    return "\n".join(lines)
