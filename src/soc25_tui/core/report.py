"""What `soc25 check` prints: plain Italian text or a JSON object per draft, from one
assessment. No Rich, no Textual: this path must start fast.

Text from the draft (the Comune, a value kept unreadable, the path) is data: the text shows
its control characters by `visible`, the JSON escapes them (`json_text`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .assess import Assessment
from .layout import CASE_WORDS, CELLS, NON_CALCOLABILE, USER_ROWS, Kind
from .messages import CASE_UNKNOWN, COMPOSED_MARK, VERBATIM, counts_text, quadro3_line
from .numbers import format_money, format_number
from .rules import Outcome
from .values import cell_value
from .visible import json_safe, visible


def cell_values(draft: Any, outcome: Outcome, *, exact: bool = False) -> dict[str, Any]:
    """Every cell's value, given and derived, by public name in the form's order, as `check
    --json` gives it and `soc25 export` writes it: a whole number; a decimal as a float
    (`exact`: the Decimal itself, a derived one rounded as the portal prints it); a text;
    "SI"/"NO"; None for an empty cell, for a value kept unreadable (the problems say it) and
    for R0E's NON CALCOLABILE (the public names' null, SOC25.md)."""
    values = {}
    for cell in CELLS:
        value = cell_value(cell.name, draft, outcome)
        if cell.kind is Kind.DEC and isinstance(value, Decimal):
            if not exact:
                value = float(value)
        elif value == NON_CALCOLABILE:
            value = None
        values[cell.name] = value
    return values


def as_json(path: str, draft: Any, assessment: Assessment) -> dict[str, Any]:
    outcome = assessment.outcome
    cells = cell_values(draft, outcome)
    return {
        "draft": path,
        "case": outcome.case,
        # null when it cannot be told yet (case unknown, or R08 missing in cases C/D)
        "quadro3_required": outcome.quadro3_required if outcome.quadro3_known else None,
        "quadro4_block": list(outcome.block.codes) if outcome.block else [],
        "cells": cells,
        "messages": [{"quadro": m.quadro, "kind": m.kind, "text": m.text} for m in assessment.messages],
        "problems": [{"severity": p.severity, "cell": p.cell, "text": p.text} for p in assessment.problems],
        "review": draft.review.as_json(),
    }


def case_line(outcome: Outcome) -> str:
    if outcome.case is None:
        return f"Caso {CASE_UNKNOWN}"
    return f"Caso {outcome.case}: {CASE_WORDS[outcome.case]}"


def comune_line(draft: Any) -> str:
    name = (draft.comune or "").strip() or "(Comune non indicato)"
    prov = (draft.provincia or "").strip()
    return f"Comune {name}" + (f" ({prov})" if prov else "")


def as_text(path: str, draft: Any, assessment: Assessment) -> str:
    outcome = assessment.outcome
    v = outcome.values
    lines = [f"== {path} — {comune_line(draft)}", case_line(outcome)]
    block = f"blocco {outcome.block.span}" if outcome.block else "blocco non determinabile"
    lines.append(f"Quadro 3: {quadro3_line(outcome)} · Quadro 4: {block}")
    lines.append("Valori calcolati:")
    lines.append(
        f"  R0B  Totale utenti: 2019 {format_number(v['R0B_2019'])} · 2024 {format_number(v['R0B_2024'])}"
    )
    medie = [
        f"{row.code} {format_number(v[f'{row.code}_media'], 2)}"
        for row in USER_ROWS
        if row.has_hours and v.get(f"{row.code}_media") not in (None, 0)
    ]
    if medie:
        lines.append("  Media annua ore di assistenza: " + " · ".join(medie))
    r01b = v["R01B"]
    lines.append(f"  R01B 1 assistente ogni : {'—' if r01b is None else r01b}")
    r04 = format_number(v["R04"], 2) + "%" if v["R04"] is not None else "—"
    r05 = format_number(draft.R05, 2) + "%" if draft.R05 is not None else "—"
    lines.append(f"  R04  Livello di servizio effettivo: {r04} (R05 riferimento: {r05})")
    ref = outcome.reference_spending
    lines.append(
        f"  Spesa storica di riferimento: {format_money(ref, '—')} (R06 fabbisogno: {format_money(draft.R06, '—')})"
    )
    lines.append(f"  R09  Da rendicontare: {format_money(v['R09'], '—')} · R15 Totale obiettivi: {format_money(v['R15'])}")
    lines.append("Messaggi del portale:")
    for m in assessment.messages:
        mark = "" if m.kind == VERBATIM else f" {COMPOSED_MARK}"
        lines.append(f"  [Quadro {m.quadro}]{mark} {m.text}")
    lines.append(f"Problemi: {counts_text(assessment.errors, assessment.warnings, ', ')}")
    for p in assessment.problems:
        lines.append(f"  {p.severity:<7} {p.cell}: {p.text}")
    return "\n".join(visible(line) for line in lines)


def json_text(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON text, with no control character raw (json leaves C1 and the
    bidirectional overrides raw when it keeps non-ASCII text readable)."""
    import json

    return json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
