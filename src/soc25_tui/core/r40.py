"""The R40 drafting assistant: a factual proposal for the free-text report, from the draft.

`propose()` writes what a careful municipal clerk would write from the figures alone: users
2019 -> 2024, the social-worker ratio against the LEP, the service level, spending against
need, how the Quadro 3 resources were used, the Quadro 4 reasons answered SI, and a
placeholder for every "Altro" answered SI. A sentence whose inputs are missing (or not
plausible, e.g. negative) is skipped rather than guessed.

The text is assembled from sentences with a priority; when the whole is longer than
`layout.R40_MAX_CHARS`, the least important sentences are dropped (whole sentences only).

No Textual here: `soc25 r40` must stay a light command.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .layout import (
    AREAS,
    LABELS,
    Q3_INPUTS,
    Q3_SPESA,
    R40_MAX_CHARS,
    USER_KINDS,
    USER_ROWS,
    UserKind,
)
from .messages import SOGLIA
from .numbers import format_money, format_number
from .rules import (
    LEP_6500,
    LEP_RATIO,
    OBJECTIVE_RATIO,
    Q3_BELOW_THRESHOLD,
    Q3_REQUIRED,
    Q3_SPENDING,
    Outcome,
    evaluate,
)
from .values import count_chars
from .visible import visible

# Priorities: 0 is never dropped; higher numbers go first when the text is too long.
_KEEP, _MAIN, _DETAIL, _EXTRA, _QUOTE = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class _Sentence:
    paragraph: int
    priority: int
    text: str


# --- small formatting helpers -------------------------------------------------------------


def _n(value: int | Decimal) -> str:
    return format_number(value)


def _qty(value: Decimal) -> str:
    """A count that may have decimals (full-time equivalents): 16 -> "16", 0.59 -> "0,59"."""
    if value == value.to_integral_value():
        return format_number(value)
    return format_number(value, 2)


def _eur(value: Decimal) -> str:
    return f"{format_money(value)} euro"


def _pct(value: Decimal) -> str:
    return f"{format_number(value, 2)}%"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _signed(value: int) -> str:
    return f"+{_n(value)}" if value > 0 else f"-{_n(-value)}"


def _ok_number(value: Any) -> bool:
    return value is not None and value >= 0


def is_blank(text: str | None) -> bool:
    return not (text or "").strip()


# --- the sentences ----------------------------------------------------------------------------


def _kind_totals(draft: Any, kind: UserKind) -> tuple[int, int] | None:
    rows = [row for row in USER_ROWS if row.kind.key == kind.key]
    values = [(draft.get(f"{r.code}_2019"), draft.get(f"{r.code}_2024")) for r in rows]
    if not all(_ok_number(a) and _ok_number(b) for a, b in values):
        return None
    return sum(a for a, _ in values), sum(b for _, b in values)


def _users_complete(draft: Any, *years: str) -> bool:
    """Every user cell of the given years filled with a plausible count."""
    return all(_ok_number(draft.get(f"{row.code}_{year}")) for row in USER_ROWS for year in years)


def _users(draft: Any, out: list[_Sentence]) -> None:
    if _users_complete(draft, "2019", "2024"):
        t19 = sum(draft.get(f"{row.code}_2019") for row in USER_ROWS)
        t24 = sum(draft.get(f"{row.code}_2024") for row in USER_ROWS)
        diff = t24 - t19
        if diff == 0:
            text = (
                "Nel 2024 il numero complessivo di utenti serviti dal Comune (R0B) è rimasto "
                f"pari a quello del 2019: {_n(t24)}."
            )
        else:
            verb = "aumentato" if diff > 0 else "diminuito"
            detail = f"{_signed(diff)} utenti"
            if t19 > 0:
                pct = Decimal(diff) / Decimal(t19) * 100
                detail += f", {'+' if pct > 0 else '-'}{_pct(abs(pct))}"
            text = (
                "Rispetto al 2019, nel 2024 il numero complessivo di utenti serviti dal Comune "
                f"(R0B) è {verb} da {_n(t19)} a {_n(t24)} ({detail})."
            )
        out.append(_Sentence(1, _MAIN, text))

    changes = []
    for index, kind in enumerate(USER_KINDS):
        totals = _kind_totals(draft, kind)
        if totals is None or totals[0] == totals[1]:
            continue
        changes.append((abs(totals[1] - totals[0]), index, kind, totals))
    changes.sort(key=lambda c: (-c[0], c[1]))
    top = changes[:3]
    if not top:
        return
    parts = []
    for _, _, kind, (a, b) in top:
        verb = "aumentati" if b > a else "diminuiti"
        parts.append(f"gli {_lower_first(kind.label)}, {verb} da {_n(a)} a {_n(b)} ({_signed(b - a)})")
    areas = ", ".join(_lower_first(area.label) for area in AREAS[:-1])
    lead = f"Considerando insieme {areas} e {_lower_first(AREAS[-1].label)}, "
    if len(parts) == 1:
        text = lead + f"la variazione più rilevante riguarda {parts[0]}."
    else:
        text = lead + f"le variazioni più rilevanti riguardano {'; '.join(parts[:-1])}; e {parts[-1]}."
    out.append(_Sentence(1, _DETAIL, text))


def _versus(ratio: Decimal) -> str:
    """How 1 social worker every `ratio` inhabitants compares with the LEP and the objective."""
    lep = f"LEP di un assistente sociale ogni {_n(LEP_RATIO)} abitanti"
    obj = f"obiettivo di servizio di un assistente sociale ogni {_n(OBJECTIVE_RATIO)} abitanti (L.178/2020)"
    if ratio < OBJECTIVE_RATIO:
        return f"migliore sia del {lep} sia dell'{obj}"
    if ratio == OBJECTIVE_RATIO:
        return f"migliore del {lep} e pari all'{obj}"
    if ratio < LEP_RATIO:
        return f"migliore del {lep}, ma non raggiunge ancora l'{obj}"
    if ratio == LEP_RATIO:
        return f"pari al {lep}, ma non raggiunge ancora l'{obj}"
    text = f"peggiore sia del {lep} sia dell'{obj}"
    if ratio > LEP_6500:
        text += (
            f", e anche della soglia di un assistente sociale ogni {_n(LEP_6500)} abitanti indicata dalla "
            "Legge di bilancio 2022"
        )
    return text


def _staff(draft: Any, o: Outcome, out: list[_Sentence]) -> None:
    staff = o.staff_total
    r01, r01a = draft.R01_2024, draft.R01A_2024
    # Both cells must be filled: the rules count a missing one as 0.
    plausible = r01 is not None and r01a is not None and r01 >= 0 and r01a >= 0
    nullo = False
    if staff is not None and plausible:
        if staff == 0:
            nullo = True
            out.append(
                _Sentence(
                    2,
                    _MAIN,
                    "Nel 2024 il numero di assistenti sociali a disposizione del Comune, tra "
                    "personale proprio (R01) e personale fornito dalla forma associata o "
                    "dall'ambito territoriale sociale (R01A), risulta nullo: a livello comunale "
                    f"non è quindi raggiunto il LEP di un assistente sociale ogni {_n(LEP_RATIO)} "
                    "abitanti (L.178/2020).",
                )
            )
        elif o.inhabitants_per_worker is not None:
            ratio = o.inhabitants_per_worker
            out.append(
                _Sentence(
                    2,
                    _MAIN,
                    "Nel 2024 il numero di assistenti sociali a disposizione del Comune, tra "
                    "personale proprio (R01) e personale fornito dalla forma associata o "
                    f"dall'ambito territoriale sociale (R01A), è pari a {_qty(staff)}, su "
                    f"{_n(draft.R03)} abitanti (R03): 1 assistente sociale ogni "
                    f"{_n(o.values['R01B'])} abitanti (R01B). Il rapporto è {_versus(ratio)}.",
                )
            )
    r0e = draft.R0E
    if isinstance(r0e, int) and r0e > 0:
        name = visible((draft.R0C or "").strip())
        where = f"dell'ambito territoriale sociale «{name}»" if name else "dell'ambito territoriale sociale"
        out.append(
            _Sentence(
                2,
                _DETAIL if nullo else _EXTRA,
                f"A livello {where} il rapporto stimato (R0E) è di 1 assistente sociale ogni "
                f"{_n(r0e)} abitanti, {_versus(Decimal(r0e))}.",
            )
        )
    a, b = draft.R01_2020, draft.R01_2024
    if _ok_number(a) and _ok_number(b) and a != b:
        out.append(
            _Sentence(
                2,
                _EXTRA,
                f"Gli assistenti sociali in forza al Comune (R01) sono passati da {_qty(a)} nel "
                f"2020 a {_qty(b)} nel 2024.",
            )
        )
    a, b = draft.R02_2020, draft.R02_2024
    if _ok_number(a) and _ok_number(b) and (a > 0 or b > 0):
        if a == b:
            text = (
                "Le altre figure professionali (educatori, ecc.; R02) sono "
                f"{_qty(b)} nel 2024, come nel 2020."
            )
        else:
            text = (
                "Le altre figure professionali (educatori, ecc.; R02) sono passate da "
                f"{_qty(a)} nel 2020 a {_qty(b)} nel 2024."
            )
        out.append(_Sentence(2, _EXTRA, text))


def _service(draft: Any, o: Outcome, out: list[_Sentence]) -> None:
    r04, r05 = o.r04_exact, draft.R05
    # R04 counts a missing user cell as 0: only a complete Quadro 1 supports the sentence.
    if r04 is None or r05 is None or r04 < 0 or r05 < 0 or not _users_complete(draft, "2024"):
        return
    shown = _pct(r04)
    if shown == _pct(r05) and r04 != r05:
        shown = f"{format_number(r04, 4)}%"  # unrounded comparison, visible difference
    verdict = "non inferiore" if o.service_ok else "inferiore"
    text = (
        "Il livello di servizio effettivo 2024 (R04), cioè la percentuale di utenti serviti "
        f"rispetto alla popolazione, è pari a {shown}, {verdict} al livello di servizio di "
        f"riferimento (R05) pari a {_pct(r05)}"
    )
    diff = (r04 - r05).copy_abs()
    if format_number(diff, 2) != "0,00":
        text += f" ({format_number(diff, 2)} punti percentuali {'in più' if r04 > r05 else 'in meno'})"
    out.append(_Sentence(3, _MAIN, text + "."))


def _spending(draft: Any, o: Outcome, out: list[_Sentence]) -> None:
    ref, r06 = o.reference_spending, draft.R06
    r07_17, r07_21 = draft.R07_2017, draft.R07_2021
    money_ok = all(v is None or v >= 0 for v in (r06, r07_17, r07_21, draft.R08))
    if not money_ok:
        return
    if o.below_need is not None:
        text = (
            f"La spesa storica di riferimento (R07, anno {o.reference_year}) è pari a {_eur(ref)}, "
            f"{'inferiore' if o.below_need else 'non inferiore'} al fabbisogno standard monetario "
            f"sociale 2022-2024 (R06) di {_eur(r06)}"
        )
        if o.below_need:
            text += f", con una differenza di {_eur(o.need_gap)}"
        out.append(_Sentence(4, _MAIN, text + "."))
    if draft.R08 is None:
        return
    text = f"Le risorse aggiuntive effettive del sociale assegnate per il 2024 (R08) ammontano a {_eur(draft.R08)}"
    r09 = o.values.get("R09")
    if o.quadro3_reason == Q3_SPENDING:
        text += (
            "; poiché la spesa non è inferiore al fabbisogno, non vi sono risorse aggiuntive da "
            "rendicontare nel Quadro 3 degli obiettivi di servizio"
        )
    elif o.quadro3_reason in (Q3_REQUIRED, Q3_BELOW_THRESHOLD):
        text += (
            f"; l'importo da rendicontare (R09) è di {_eur(r09)}, pari al minore tra R08 e la "
            "differenza tra fabbisogno e spesa storica"
        )
        if not o.quadro3_required:
            text += f", inferiore alla soglia di {SOGLIA} euro: il Quadro 3 non va compilato"
    out.append(_Sentence(4, _DETAIL, text + "."))


def _quadro3(draft: Any, o: Outcome, out: list[_Sentence]) -> None:
    if not o.quadro3_required:
        return
    r09, r15 = o.values["R09"], o.values["R15"]
    if any((draft.get(name) or 0) < 0 for name in Q3_SPESA):
        return
    used = []
    for name in Q3_SPESA:
        amount = draft.get(name)
        if not amount:
            continue
        code = name.split("_")[0]
        extra = ""
        if name.endswith("_spesa"):
            numero = draft.get(f"{code}_numero")
            if numero is not None and numero > 0:
                extra = f", numero {_qty(numero)}"
        used.append(f"{_lower_first(LABELS[code])} ({code}{extra}) per {_eur(amount)}")
    lead = f"A fronte delle risorse da rendicontare (R09) pari a {_eur(r09)}, nel Quadro 3 il Comune "
    if used:
        text = lead + "ha indicato la seguente spesa aggiuntiva: " + "; ".join(used) + "."
    else:
        text = lead + "non ha ancora indicato alcuna spesa aggiuntiva."
    out.append(_Sentence(5, _MAIN, text))
    if o.shortfall is None:
        text = (
            f"Il totale degli obiettivi di servizio 2024 (R15), pari a {_eur(r15)}, copre "
            "interamente le risorse da rendicontare."
        )
    else:
        text = (
            f"Il totale degli obiettivi di servizio 2024 (R15), pari a {_eur(r15)}, non copre "
            f"ancora le risorse da rendicontare: mancano {_eur(o.shortfall)}."
        )
    out.append(_Sentence(5, _MAIN, text))
    for code in (name.split("_")[0] for name in Q3_INPUTS if name.endswith("_modalita")):
        modalita = (draft.get(f"{code}_modalita") or "").strip()
        if modalita and draft.get(f"{code}_spesa"):
            modalita = visible(" ".join(modalita.split()))
            out.append(
                _Sentence(
                    5,
                    _QUOTE,
                    f"Per {code} la modalità di determinazione della spesa aggiuntiva indicata "
                    f"è: «{modalita}».",
                )
            )


def _quadro4(draft: Any, o: Outcome, out: list[_Sentence]) -> None:
    block = o.block
    if block is None:
        return
    answers = {item.code: draft.get(item.code) for item in block.items}
    entries: list[str] = []
    group_head, group_items = "", []
    altro_si = [item for item in block.items if item.altro and answers[item.code] == "SI"]

    def flush() -> None:
        nonlocal group_head, group_items
        if group_items:
            entries.append(f"{_lower_first(group_head)} {', '.join(group_items)}")
        group_head, group_items = "", []

    for item in block.items:
        if item.altro:
            continue
        if item.subheading:
            flush()
            group_head = item.subheading
        if answers[item.code] != "SI":
            continue
        text = f"{_lower_first(item.label)} ({item.code})"
        if group_head:
            group_items.append(text)
        else:
            entries.append(text)
    flush()
    for item in altro_si:
        entries.append(f"altri motivi, illustrati di seguito ({item.code})")
    if entries:
        out.append(_Sentence(6, _MAIN, f"{block.intro} {'; '.join(entries)}."))
    elif all(value == "NO" for value in answers.values()):
        out.append(
            _Sentence(
                6,
                _MAIN,
                "Nel Quadro 4 nessuna delle cause proposte è stata indicata: tutte le voci "
                f"da {block.codes[0]} a {block.codes[-1]} sono NO.",
            )
        )
    for item in altro_si:
        out.append(
            _Sentence(
                7, _KEEP, f"[Completare: specificare il motivo indicato in {item.code} «Altro».]"
            )
        )


def _sentences(draft: Any, o: Outcome) -> list[_Sentence]:
    out: list[_Sentence] = []
    _users(draft, out)
    _staff(draft, o, out)
    _service(draft, o, out)
    _spending(draft, o, out)
    _quadro3(draft, o, out)
    _quadro4(draft, o, out)
    return out


def _join(sentences: list[_Sentence]) -> str:
    paragraphs: dict[int, list[str]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s.text)
    return "\n\n".join(" ".join(texts) for _, texts in sorted(paragraphs.items()))


def propose(draft: Any, outcome: Outcome | None = None) -> str:
    """A factual Italian proposal for R40, never longer than `R40_MAX_CHARS` characters."""
    o = outcome or evaluate(draft)
    sentences = _sentences(draft, o)
    text = _join(sentences)
    while count_chars(text) > R40_MAX_CHARS:
        droppable = [i for i, s in enumerate(sentences) if s.priority != _KEEP]
        if not droppable:  # pragma: no cover - placeholders alone are a few hundred chars
            break
        # The least important sentence goes first; among equals, the last one.
        victim = max(droppable, key=lambda i: (sentences[i].priority, i))
        del sentences[victim]
        text = _join(sentences)
    return text
