"""The catalog of the portal's texts: guidance messages and fixed notes.

Every entry is marked VERBATIM (copied from a printed form, reproduced exactly) or COMPOSED
(no printed form shows that case: our wording in the same style, kept here so that it can be
replaced when the official text is known). The catalog uses the straight apostrophe (')
throughout; the printed forms mix ' and ’.

`select()` words the messages of an evaluated draft in the order the portal shows them; it
holds no rule (every fact it words comes from `rules.Outcome`). The facts soc25 states
beside the portal's messages (whether Quadro 3 applies and why, the R40 counter) are worded
here too, once, and marked COMPOSED.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from .layout import R40_MAX_CHARS
from .numbers import format_money, format_number
from .rules import (
    Q3_BELOW_THRESHOLD,
    Q3_NO_CASE,
    Q3_NO_R08,
    Q3_REQUIRED,
    Q3_SPENDING,
    Q3_THRESHOLD,
    Outcome,
)

VERBATIM = "verbatim"
COMPOSED = "composed"
# How a composed text is introduced wherever a person reads it (TUI, summary, check): it is
# our wording for a case no printed form shows, not the portal's, and must not pass for it.
COMPOSED_MARK = "(testo di soc25, non del portale)"


class Entry(NamedTuple):
    kind: str
    text: str


class Message(NamedTuple):
    """A guidance message as shown: which Quadro, verbatim or composed, the text."""

    quadro: int
    kind: str
    text: str
    key: str


_V = lambda text: Entry(VERBATIM, text)  # noqa: E731
_C = lambda text: Entry(COMPOSED, text)  # noqa: E731

_D_FIRST = (
    "La spesa dell'ente locale è risultata inferiore al livello del fabbisogno standard "
    "monetario per la funzione Servizi sociali e il numero di utenti serviti risulta "
    "inferiore allo standard di riferimento."
)
_C_FIRST = (
    "La spesa dell'ente locale è risultata inferiore al livello del fabbisogno standard "
    "monetario per la funzione Servizi sociali mentre il numero di utenti serviti risulta "
    "non inferiore allo standard di riferimento."
)
_CD_REST = (
    " Di conseguenza, a fronte delle risorse aggiuntive effettive assegnate per il 2024 pari "
    "a R08, l'ente locale deve rendicontare l'importo corrispondente a R09 in quanto le "
    "risorse aggiuntive da rendicontare non possono superare la differenza tra fabbisogno "
    "monetario e spesa storica. L'ente può incrementare l'offerta di servizi attraverso "
    "utenti aggiuntivi rispetto al 2019 e/o raggiungere obiettivi qualitativi in termini di "
    "significativo miglioramento dei servizi sociali e/o aumentare il numero di assistenti "
    "sociali e/o di altre figure professionali."
)

CATALOG: dict[str, Entry] = {
    # --- fixed notes printed on the form -------------------------------------------------
    "q1_nota": _V(
        "Ciascun Comune dovrà indicare il numero di utenti serviti per residenza o per obbligo "
        "di legge; in caso di Comuni che svolgono il servizio in forma associata o nell'ATS di "
        "riferimento dovrà essere riportata l'utenza afferente al proprio Comune"
    ),
    "q3_intestazione": _V(
        "Compilare solo se il Comune nel Quadro 2 presenta una spesa inferiore al fabbisogno "
        "standard monetario 2022 - 2024 e risorse aggiuntive da rendicontare (R09) superiori o "
        "uguali a 1.000 euro"
    ),
    "nota_finale": _V(
        "Il raggiungimento dell'obiettivo di servizio deve essere certificato attraverso la "
        "compilazione della relazione di monitoraggio da allegare al rendiconto annuale "
        "dell'ente e da trasmettere a SOGEI S.p.a. entro il 31 maggio 2025."
    ),
    # --- Quadro 1 ------------------------------------------------------------------------
    "q1_assistenti_rapporto": _V(
        "Nel 2024 per il Comune il numero di assistenti sociali in rapporto alla popolazione "
        "è risultato pari a 1 ogni {R01B} abitanti."
    ),
    "q1_assistenti_nullo": _V(
        "Nel 2024 per il Comune il numero di assistenti sociali è risultato nullo."
    ),
    "q1_lep": _V(
        "Va segnalato che nei servizi sociali è attualmente definito un solo LEP relativo al "
        "numero di assistenti sociali in rapporto alla popolazione in ogni ambito territoriale "
        "sociale (ATS), in ragione di un assistente sociale ogni 5.000 abitanti, nella "
        "prospettiva di raggiungere un più avanzato obiettivo di servizio, pari a un "
        "assistente ogni 4.000 abitanti (L.178/2020)."
    ),
    "q1_lep_6500": _V(
        "La Legge di bilancio 2022 dispone che le maggiori risorse assegnate per il "
        "potenziamento dei servizi sociali comunali nell'ambito del FSC siano utilizzate anche "
        "con la finalità di avvicinarsi al LEP sopra richiamato, in modo che venga "
        "gradualmente raggiunto l'obiettivo di servizio di un rapporto tra assistenti sociali "
        "impiegati nei servizi sociali territoriali e popolazione residente pari a 1 a 6.500."
    ),
    "q1_livello_non_inferiore": _V(
        "Nel 2024 il livello di servizio effettivo dell'ente locale è risultato non inferiore "
        "al livello di servizio di riferimento."
    ),
    "q1_livello_inferiore": _V(
        "Nel 2024 il livello di servizio effettivo dell'ente locale è risultato inferiore al "
        "livello di servizio di riferimento."
    ),
    "q1_vai_quadro2": _V(
        "L'ente locale deve quindi procedere alla compilazione del Quadro 2 di autodiagnosi "
        "della spesa per il sociale."
    ),
    # --- Quadro 2 ------------------------------------------------------------------------
    "q2_caso_A": _V(
        "La spesa dell'ente locale è risultata non inferiore al livello del fabbisogno "
        "standard monetario per la funzione Servizi sociali. Anche il livello dei servizi è "
        "risultato non inferiore a quello di riferimento. L'ente non deve compilare il Quadro "
        "3 degli obiettivi di servizio."
    ),
    "q2_caso_B": _V(
        "La spesa dell'ente locale è risultata non inferiore al livello del fabbisogno "
        "standard monetario per la funzione Servizi sociali. Invece, il livello dei servizi è "
        "risultato inferiore a quello di riferimento. L'ente non deve compilare il Quadro 3 "
        "degli obiettivi di servizio."
    ),
    "q2_vai_quadro4": _V(
        "L'ente locale può quindi procedere alla compilazione del Quadro 4 di relazione in "
        "formato strutturato."
    ),
    "q2_caso_D": _V(_D_FIRST + _CD_REST),
    "q2_caso_C": _C(_C_FIRST + _CD_REST),
    "q2_vai_quadro3": _V(
        "L'ente locale deve quindi procedere alla compilazione del Quadro 3 degli obiettivi di "
        "servizio 2024 e del Quadro 4 di relazione in formato strutturato."
    ),
    "q2_caso_D_sotto_soglia": _C(_D_FIRST),
    "q2_caso_C_sotto_soglia": _C(_C_FIRST),
    "q2_sotto_soglia": _C(
        "Le risorse aggiuntive da rendicontare (R09) risultano inferiori a {soglia} euro: l'ente "
        "non deve compilare il Quadro 3 degli obiettivi di servizio."
    ),
    # --- Quadro 3 ------------------------------------------------------------------------
    "q3_coerente": _V(
        "Nel 2024 l'ente locale ha rendicontato la spesa del sociale aggiuntiva coerentemente "
        "con le maggiori risorse assegnate."
    ),
    "q3_mancante": _C(
        "Nel 2024 la spesa del sociale aggiuntiva rendicontata (R15) risulta inferiore alle "
        "risorse aggiuntive da rendicontare (R09): mancano {mancano} euro."
    ),
    "q3_vai_quadro4": _V("L'ente locale può procedere alla compilazione del Quadro 4."),
}


SOGLIA = format_number(Q3_THRESHOLD)  # "1.000": how the Quadro 3 threshold reads
DEFAULTS = {"soglia": SOGLIA}  # values every entry may name


def text(key: str, **values: str) -> str:
    entry = CATALOG[key]
    if "{" not in entry.text:
        return entry.text
    return entry.text.format(**{**DEFAULTS, **values})


def _msg(quadro: int, key: str, **values: str) -> Message:
    return Message(quadro, CATALOG[key].kind, text(key, **values), key)


def _joined(quadro: int, keys: list[str]) -> Message:
    """Several catalog entries printed as one paragraph."""
    kinds = {CATALOG[k].kind for k in keys}
    kind = COMPOSED if COMPOSED in kinds else VERBATIM
    return Message(quadro, kind, " ".join(text(k) for k in keys), "+".join(keys))


def select(o: Outcome) -> list[Message]:
    """The guidance messages of an evaluated draft, in the portal's order (Quadri 1-3)."""
    out: list[Message] = []
    # Quadro 1: social workers (R01B needs R03 and R01/R01A).
    if o.values["R01B"] is not None:
        if o.staff_total > 0:
            out.append(_msg(1, "q1_assistenti_rapporto", R01B=str(o.values["R01B"])))
        else:
            out.append(_msg(1, "q1_assistenti_nullo"))
        out.append(_joined(1, ["q1_lep"] + (["q1_lep_6500"] if o.below_6500 else [])))
    # Quadro 1: service level.
    if o.service_ok is not None:
        out.append(_msg(1, "q1_livello_non_inferiore" if o.service_ok else "q1_livello_inferiore"))
        out.append(_msg(1, "q1_vai_quadro2"))
    # Quadro 2.
    case = o.case
    if o.quadro3_reason == Q3_SPENDING:
        out.append(_msg(2, f"q2_caso_{case}"))
        out.append(_msg(2, "q2_vai_quadro4"))
    elif o.quadro3_reason == Q3_REQUIRED:
        out.append(_msg(2, f"q2_caso_{case}"))
        out.append(_msg(2, "q2_vai_quadro3"))
    elif o.quadro3_reason == Q3_BELOW_THRESHOLD:
        out.append(_joined(2, [f"q2_caso_{case}_sotto_soglia", "q2_sotto_soglia"]))
        out.append(_msg(2, "q2_vai_quadro4"))
    # Quadro 3 (nothing to say while R08 is missing in cases C and D).
    if o.quadro3_known:
        if o.quadro3_required:
            if o.shortfall is None:
                out.append(_msg(3, "q3_coerente"))
            else:
                out.append(_msg(3, "q3_mancante", mancano=format_money(o.shortfall)))
        out.append(_msg(3, "q3_vai_quadro4"))
    return out


# --- what soc25 says beside the portal's messages (COMPOSED) ------------------------------

NO_CASE = "caso non determinabile: completare prima i Quadri 1 e 2"
CASE_UNKNOWN = "non determinabile: mancano dati (vedi i problemi)"  # "Caso ..." in check and summary
BLOCK_UNKNOWN = "Caso non determinabile: il blocco da compilare dipende dai dati dei Quadri 1 e 2."
KEPT_NOT_TO_FILL = "la risposta è conservata ma non va compilata"  # a Quadro 4 answer outside the block

# Whether Quadro 3 is to be filled in, and why: (state, the reason in a few words, the reason
# as a clause of a sentence), by `Outcome.quadro3_reason`.
QUADRO3_WORDS: dict[str, tuple[str, str, str]] = {
    Q3_REQUIRED: (
        "da compilare",
        "R09 = {r09} euro, non inferiore a {soglia} euro",
        "le risorse da rendicontare (R09 = {r09} euro) non sono inferiori a {soglia} euro",
    ),
    Q3_SPENDING: (
        "da non compilare",
        "spesa non inferiore al fabbisogno",
        "la spesa non è inferiore al fabbisogno",
    ),
    Q3_BELOW_THRESHOLD: (
        "da non compilare",
        "R09 = {r09} euro, inferiore a {soglia} euro",
        "le risorse da rendicontare (R09 = {r09} euro) sono inferiori a {soglia} euro",
    ),
    Q3_NO_R08: (
        "non determinabile",
        "manca R08",
        "manca R08 (Quadro 2): non si può calcolare R09 né stabilire se il Quadro 3 vada compilato",
    ),
    Q3_NO_CASE: ("non determinabile", "mancano dati", NO_CASE),
}


def _q3_words(o: Outcome, index: int) -> str:
    r09 = o.values.get("R09")
    return QUADRO3_WORDS[o.quadro3_reason][index].format(
        r09=format_money(r09) if r09 is not None else "", soglia=SOGLIA)


def quadro3_line(o: Outcome) -> str:
    """The state with its reason in a few words: "da non compilare (R09 = 500,00 euro,
    inferiore a 1.000 euro)"."""
    state, short = _q3_words(o, 0), _q3_words(o, 1)
    return f"{state} ({short})" if short else state


def quadro3_why(o: Outcome) -> str:
    """The reason as a clause: "la spesa non è inferiore al fabbisogno"."""
    return _q3_words(o, 2)


def sentence(clause: str) -> str:
    """A clause as a sentence of its own: capital first letter, full stop."""
    return f"{clause[:1].upper()}{clause[1:]}."


def quadro3_not_to_fill(o: Outcome) -> str:
    """"Il Quadro 3 non va compilato: <why>." (only when it is known not to apply)."""
    return f"Il Quadro 3 non va compilato: {quadro3_why(o)}."


def spending_verdict(o: Outcome, r06: Decimal | None) -> str:
    """The reference spending against the need (R06), as the summary and Quadro 2 say it."""
    if o.below_need is None:
        return "Spesa rispetto al fabbisogno: non determinabile (mancano R06 o R07)."
    return (
        "Spesa storica 2017 (o 2021) di riferimento, la maggiore tra R07 2017 e R07 2021: "
        f"{format_money(o.reference_spending)} euro, {'inferiore' if o.below_need else 'non inferiore'} "
        f"al fabbisogno standard R06 ({format_money(r06)} euro)."
    )


def errors_text(errors: int) -> str:
    """«1 errore», «12 errori»."""
    return f"{format_number(errors)} {'errore' if errors == 1 else 'errori'}"


def counts_text(errors: int, warnings: int, sep: str = " · ") -> str:
    """"1 errore · 3 avvisi": the counts of a draft's problems."""
    return f"{errors_text(errors)}{sep}{format_number(warnings)} {'avviso' if warnings == 1 else 'avvisi'}"


def counter_text(n: int) -> str:
    """R40's length: "1.234 / 6.000 caratteri"."""
    return f"{format_number(n)} / {format_number(R40_MAX_CHARS)} caratteri"


# The terminal every screen is laid out for (80 columns, 24 lines): smaller, a notice says so.
MIN_COLUMNS, MIN_LINES = 80, 24


def small_terminal_text(columns: int, lines: int) -> str:
    """«Il terminale è 60×20: per vedere tutto servono almeno 80×24 (ingrandire la
    finestra).» ("" when the terminal is large enough). soc25's words, not the portal's."""
    if columns >= MIN_COLUMNS and lines >= MIN_LINES:
        return ""
    return (f"Il terminale è {columns}×{lines}: per vedere tutto servono almeno "
            f"{MIN_COLUMNS}×{MIN_LINES} (ingrandire la finestra).")
