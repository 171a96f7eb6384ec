"""One assessment of a draft: the only place where the rules, the catalog and the checks meet.

`assess(draft)` gives the outcome of the rules, the portal's messages worded from it, the
problems, what the grids mark on each cell and the counts. The TUI's editor, `soc25 check`,
the summary, the R40 proposal and the folder listing all read it; none of them re-derives a
fact the rules compute or re-words one the catalog words.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .checks import ERROR, Problem, check
from .messages import Message, select
from .rules import Outcome, evaluate

ERROR_MARK = "✗"  # a cell with an error, as the grids show it (text, not only a colour)
WARNING_MARK = "!"  # a cell with warnings only


class Assessment(NamedTuple):
    outcome: Outcome
    messages: list[Message]  # the portal's guidance, in its order (Quadri 1-3)
    problems: list[Problem]  # in the form's order, errors and warnings mixed
    marks: dict[str, str]  # cell -> ERROR_MARK or WARNING_MARK
    errors: int
    warnings: int

    def messages_of(self, quadro: int) -> list[Message]:
        return [m for m in self.messages if m.quadro == quadro]

    def problems_of(self, cell: str) -> list[Problem]:
        return [p for p in self.problems if p.cell == cell]


def assess(draft: Any) -> Assessment:
    outcome = evaluate(draft)
    problems = check(draft, outcome)
    marks: dict[str, str] = {}
    errors = 0
    for p in problems:
        if p.severity == ERROR:
            errors += 1
            marks[p.cell] = ERROR_MARK
        else:
            marks.setdefault(p.cell, WARNING_MARK)
    return Assessment(outcome, select(outcome), problems, marks, errors, len(problems) - errors)
