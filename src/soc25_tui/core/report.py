"""What `soc25 check` prints: plain Italian text or a JSON object per draft, from one
assessment. No Rich, no Textual: this path must start fast.

Text from the draft (the Comune, a value kept unreadable, the path) is data: the text shows
its control characters by `visible`, the JSON escapes them (`json_text`)."""

from __future__ import annotations

import functools
import operator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .assess import Assessment
from .layout import CASE_WORDS, CELLS, NON_CALCOLABILE, USER_ROWS, Kind
from .messages import CASE_UNKNOWN, COMPOSED_MARK, VERBATIM, counts_text, quadro3_line
from .numbers import format_money, format_number
from .rules import Outcome
from .visible import json_safe, visible


def cell_values(draft: Any, outcome: Outcome, *, exact: bool = False) -> dict[str, Any]:
    """Every cell's value, given and derived, by public name in the form's order, as `check
    --json` gives it and `soc25 export` writes it: a whole number; a decimal as a float
    (`exact`: the Decimal itself, a derived one rounded as the portal prints it); a text;
    "SI"/"NO"; None for an empty cell, for a value kept unreadable (the problems say it) and
    for R0E's NON CALCOLABILE (the public names' null, SOC25.md)."""
    return dict(zip(_NAMES, _values(draft, outcome, exact)))


def _values(draft: Any, outcome: Outcome, exact: bool) -> list[Any]:
    """`cell_values`'s values, in the form's order: `values.cell_value` for each cell, with
    each cell's lookups made once for all drafts (thousands come here, from `check --json`
    and `export`), and the loops only over the cells that need them."""
    derived = outcome.values
    values = list(_IN_FORM_ORDER(_INPUT_VALUES(draft) + tuple(map(derived.get, _DERIVED))))
    for i, quantum in _DERIVED_AT:
        value = values[i]
        if isinstance(value, Decimal):
            values[i] = value.quantize(quantum, rounding=ROUND_HALF_UP)  # as the portal prints it
    if not exact:
        for i in _DECIMAL_AT:
            value = values[i]
            if isinstance(value, Decimal):
                values[i] = float(value)
    if NON_CALCOLABILE in values:
        values = [None if value == NON_CALCOLABILE else value for value in values]
    return values


_NAMES = tuple(cell.name for cell in CELLS)
_INPUT_VALUES = operator.attrgetter(*(cell.name for cell in CELLS if not cell.derived))
_DERIVED = tuple(cell.name for cell in CELLS if cell.derived)
# (input values + derived values) -> the form's order
_SOURCE = {i: k for k, i in enumerate([i for i, c in enumerate(CELLS) if not c.derived]
                                      + [i for i, c in enumerate(CELLS) if c.derived])}
_IN_FORM_ORDER = operator.itemgetter(*(_SOURCE[i] for i in range(len(CELLS))))
_DERIVED_AT = tuple((i, Decimal(1).scaleb(-cell.places)) for i, cell in enumerate(CELLS) if cell.derived)
_DECIMAL_AT = tuple(i for i, cell in enumerate(CELLS) if cell.kind is Kind.DEC)


def as_json(path: str, draft: Any, assessment: Assessment) -> dict[str, Any]:
    outcome = assessment.outcome
    cells = cell_values(draft, outcome)
    return {
        "draft": path,
        "case": outcome.case,
        # null when it cannot be told yet (case unknown, or R08 missing in cases C/D)
        "quadro3_required": outcome.quadro3,
        "quadro4_block": list(outcome.block.codes) if outcome.block else [],
        "cells": cells,
        "messages": [{"quadro": m.quadro, "kind": m.kind, "text": m.text} for m in assessment.messages],
        "problems": [{"severity": p.severity, "cell": p.cell, "text": p.text} for p in assessment.problems],
        "review": draft.review.as_json(),
    }


_JSON_TRUTH = {True: "true", False: "false", None: "null"}


def json_line(path: str, draft: Any, assessment: Assessment) -> str:
    """`json_text(as_json(path, draft, assessment))`, byte for byte, written as text directly
    from the same values (`cell_values`): `check --json` writes thousands of these. No
    dictionary is built for json's sake, each key is written once for all, and each text is
    escaped as `json_text` escapes it by `_json_string`, which remembers the texts that come
    back draft after draft (the portal's messages, «cella vuota: ...»)."""
    string = _json_string
    outcome = assessment.outcome
    block = outcome.block
    parts = [
        '{"draft": ', json_safe(_encode_basestring()(path)),
        ', "case": ', "null" if outcome.case is None else string(outcome.case),
        ', "quadro3_required": ', _JSON_TRUTH[outcome.quadro3],
        ', "quadro4_block": [', ", ".join(map(string, block.codes)) if block else "",
        '], "cells": {',
    ]
    add = parts.append
    add(_cells_json(_values(draft, outcome, False)))
    add('}, "messages": [')
    add(", ".join([f'{{"quadro": {int.__repr__(m.quadro)}, "kind": {string(m.kind)}, "text": {string(m.text)}}}'
                   for m in assessment.messages]))
    add('], "problems": [')
    add(", ".join([f'{{"severity": {string(p.severity)}, "cell": {string(p.cell)}, "text": {string(p.text)}}}'
                   for p in assessment.problems]))
    add('], "review": ')
    add(json_text(draft.review.as_json()))
    add("}")
    return "".join(parts)


_JSON_KEYS = tuple(("" if i == 0 else ", ") + f'"{name}": ' for i, name in enumerate(_NAMES))


def _cells_json(values: list[Any]) -> str:
    """The "cells" object's members as json writes them, from `_values` (no dictionary)."""
    parts = []
    add = parts.append
    for key, value in zip(_JSON_KEYS, values):
        kind = type(value)
        if kind is int:
            add(key + int.__repr__(value))
        elif value is None:
            add(key + "null")
        elif kind is str:
            add(key + _json_string(value))
        elif kind is float and value - value == 0:  # finite (json writes NaN and Infinity its way)
            add(key + float.__repr__(value))
        else:
            add(key + json_text(value))
    return "".join(parts)


def _encode_basestring() -> Any:
    """json's own string encoder (in C), the one json.dumps(..., ensure_ascii=False) uses."""
    from json.encoder import encode_basestring

    return encode_basestring


@functools.lru_cache(maxsize=4096)
def _json_string(text: str) -> str:
    """A text as a JSON string, as `json_text` writes it (its control characters escaped)."""
    return json_safe(_encode_basestring()(text))


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
