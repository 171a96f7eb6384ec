"""The COMPOSED texts (soc25's wording for cases no printed form shows, kept in
core/messages.py) compared WHOLE, as SOC25.md words them: every composed catalog entry in the
situation that shows it, through `select()` (the portal's messages) or through the filler
that words it (quadro3_line / quadro3_why / quadro3_not_to_fill, spending_verdict,
counts_text, counter_text and the fixed phrases). A change of one word anywhere in them fails
here: such a change must be made on purpose, here and in the catalog together.

The drafts come from tests/factories.py: `make()` is case A (R06 100.000,00, R07 2017
120.000,00, R04 10% against R05 5%); `make_case("C")` lowers R07 2017 to 50.000,00, so the
gap R06 - spesa is 50.000,00 and R09 = min(R08 30.000,00; 50.000,00) = 30.000,00;
`make_case("D")` also raises R05 to 20%.
"""

from decimal import Decimal

import pytest

from soc25_tui.core import messages
from soc25_tui.core.assess import assess
from soc25_tui.core.messages import (
    BLOCK_UNKNOWN,
    CASE_UNKNOWN,
    CATALOG,
    COMPOSED,
    COMPOSED_MARK,
    KEPT_NOT_TO_FILL,
    NO_CASE,
    VERBATIM,
    counter_text,
    counts_text,
    quadro3_line,
    quadro3_not_to_fill,
    quadro3_why,
    select,
    sentence,
    spending_verdict,
)
from soc25_tui.core.report import as_text, case_line
from soc25_tui.core.rules import evaluate

from ..factories import make, make_case

D = Decimal

# --- the texts as SOC25.md gives them ---------------------------------------------------------

# Case D's first sentence (verbatim) and case C's (composed: «e il numero … inferiore» replaced
# by «mentre il numero … non inferiore»).
D_FIRST = (
    "La spesa dell'ente locale è risultata inferiore al livello del fabbisogno standard monetario "
    "per la funzione Servizi sociali e il numero di utenti serviti risulta inferiore allo standard "
    "di riferimento."
)
C_FIRST = (
    "La spesa dell'ente locale è risultata inferiore al livello del fabbisogno standard monetario "
    "per la funzione Servizi sociali mentre il numero di utenti serviti risulta non inferiore allo "
    "standard di riferimento."
)
CD_REST = (
    " Di conseguenza, a fronte delle risorse aggiuntive effettive assegnate per il 2024 pari a "
    "R08, l'ente locale deve rendicontare l'importo corrispondente a R09 in quanto le risorse "
    "aggiuntive da rendicontare non possono superare la differenza tra fabbisogno monetario e "
    "spesa storica. L'ente può incrementare l'offerta di servizi attraverso utenti aggiuntivi "
    "rispetto al 2019 e/o raggiungere obiettivi qualitativi in termini di significativo "
    "miglioramento dei servizi sociali e/o aumentare il numero di assistenti sociali e/o di altre "
    "figure professionali."
)
GO_TO_Q3 = (
    "L'ente locale deve quindi procedere alla compilazione del Quadro 3 degli obiettivi di "
    "servizio 2024 e del Quadro 4 di relazione in formato strutturato."
)
BELOW_THRESHOLD = (
    " Le risorse aggiuntive da rendicontare (R09) risultano inferiori a 1.000 euro: l'ente non "
    "deve compilare il Quadro 3 degli obiettivi di servizio."
)
GO_TO_Q4 = "L'ente locale può quindi procedere alla compilazione del Quadro 4 di relazione in formato strutturato."
Q3_GO_TO_Q4 = "L'ente locale può procedere alla compilazione del Quadro 4."
Q3_COHERENT = (
    "Nel 2024 l'ente locale ha rendicontato la spesa del sociale aggiuntiva coerentemente con le "
    "maggiori risorse assegnate."
)

COMPOSED_KEYS = {"q2_caso_C", "q2_caso_C_sotto_soglia", "q2_caso_D_sotto_soglia", "q2_sotto_soglia", "q3_mancante"}


def shortfall(amount: str) -> str:
    return (
        "Nel 2024 la spesa del sociale aggiuntiva rendicontata (R15) risulta inferiore alle "
        f"risorse aggiuntive da rendicontare (R09): mancano {amount} euro."
    )


def shown(draft, *quadri):
    """(Quadro, kind, whole text) of the portal's messages of `quadri`, in order."""
    return [(m.quadro, m.kind, m.text) for m in select(evaluate(draft)) if m.quadro in quadri]


def test_the_composed_entries_are_the_ones_tested_here():
    """A new composed entry, or a verbatim one turned composed, needs its whole text here."""
    assert {key for key, entry in CATALOG.items() if entry.kind == COMPOSED} == COMPOSED_KEYS


# --- the portal's messages in the situations no printed form shows -----------------------


def test_case_c_with_quadro3_required_and_a_shortfall():
    # R09 = 30.000,00; R15 = R12 = 10.000,50: mancano 30.000,00 - 10.000,50 = 19.999,50 euro.
    draft = make_case("C", R12=D("10000.50"))
    assert shown(draft, 2, 3) == [
        (2, COMPOSED, C_FIRST + CD_REST),
        (2, VERBATIM, GO_TO_Q3),
        (3, COMPOSED, shortfall("19.999,50")),
        (3, VERBATIM, Q3_GO_TO_Q4),
    ]


def test_case_c_with_quadro3_covered():
    # R15 = R13 = 30.000,00 = R09: covered, the verbatim sentence; case C's stays composed.
    draft = make_case("C", R13=D("30000.00"))
    assert shown(draft, 2, 3) == [
        (2, COMPOSED, C_FIRST + CD_REST),
        (2, VERBATIM, GO_TO_Q3),
        (3, VERBATIM, Q3_COHERENT),
        (3, VERBATIM, Q3_GO_TO_Q4),
    ]


def test_case_d_shortfall_of_one_cent():
    # R09 = 30.000,00; R15 = R10 29.999,00 + R14 0,99 = 29.999,99: mancano 0,01 euro.
    draft = make_case("D", R10_spesa=D("29999.00"), R10_modalita="stima", R14=D("0.99"))
    assert shown(draft, 2, 3) == [
        (2, VERBATIM, D_FIRST + CD_REST),
        (2, VERBATIM, GO_TO_Q3),
        (3, COMPOSED, shortfall("0,01")),
        (3, VERBATIM, Q3_GO_TO_Q4),
    ]


@pytest.mark.parametrize("case, first", [("C", C_FIRST), ("D", D_FIRST)])
def test_below_the_threshold_the_first_sentence_then_no_quadro3(case, first):
    # R08 = 999,99 -> R09 = min(999,99; 50.000,00) = 999,99 < 1.000: one composed paragraph
    # (the case's first sentence and the threshold sentence), then the A/B closing sentence.
    draft = make_case(case, R08=D("999.99"))
    assert shown(draft, 2, 3) == [
        (2, COMPOSED, first + BELOW_THRESHOLD),
        (2, VERBATIM, GO_TO_Q4),
        (3, VERBATIM, Q3_GO_TO_Q4),
    ]


def test_composed_messages_are_introduced_as_soc25s_in_soc25_check():
    draft = make_case("C", R08=D("999.99"))
    lines = as_text("bozza.toml", draft, assess(draft)).splitlines()
    assert f"  [Quadro 2] (testo di soc25, non del portale) {C_FIRST}{BELOW_THRESHOLD}" in lines
    assert f"  [Quadro 2] {GO_TO_Q4}" in lines  # a verbatim one is not marked
    assert COMPOSED_MARK == "(testo di soc25, non del portale)"


# --- whether Quadro 3 applies, and why --------------------------------------------------------


# (draft, quadro3_line, quadro3_why), one for each Outcome.quadro3_reason.
QUADRO3 = {
    "richiesto": (
        lambda: make_case("C"),  # R09 = 30.000,00
        "da compilare (R09 = 30.000,00 euro, non inferiore a 1.000 euro)",
        "le risorse da rendicontare (R09 = 30.000,00 euro) non sono inferiori a 1.000 euro",
    ),
    "spesa": (
        lambda: make(),  # case A
        "da non compilare (spesa non inferiore al fabbisogno)",
        "la spesa non è inferiore al fabbisogno",
    ),
    "soglia": (
        lambda: make_case("D", R08=D("999.99")),  # R09 = 999,99
        "da non compilare (R09 = 999,99 euro, inferiore a 1.000 euro)",
        "le risorse da rendicontare (R09 = 999,99 euro) sono inferiori a 1.000 euro",
    ),
    "r08": (
        lambda: make_case("C", R08=None),
        "non determinabile (manca R08)",
        "manca R08 (Quadro 2): non si può calcolare R09 né stabilire se il Quadro 3 vada compilato",
    ),
    "caso": (
        lambda: make(R03=None),  # no R04: no case
        "non determinabile (mancano dati)",
        "caso non determinabile: completare prima i Quadri 1 e 2",
    ),
}


@pytest.mark.parametrize("reason", list(QUADRO3))
def test_quadro3_line_and_why_whole(reason):
    build, line, why = QUADRO3[reason]
    o = evaluate(build())
    assert o.quadro3_reason == reason
    assert quadro3_line(o) == line
    assert quadro3_why(o) == why


def test_every_quadro3_reason_is_worded_and_tested():
    assert set(messages.QUADRO3_WORDS) == set(QUADRO3)


def test_quadro3_not_to_fill_whole():
    assert quadro3_not_to_fill(evaluate(make())) == "Il Quadro 3 non va compilato: la spesa non è inferiore al fabbisogno."
    assert quadro3_not_to_fill(evaluate(make_case("C", R08=D("500.00")))) == (
        "Il Quadro 3 non va compilato: le risorse da rendicontare (R09 = 500,00 euro) sono "
        "inferiori a 1.000 euro."
    )


def test_quadro3_line_as_soc25_check_prints_it():
    draft = make_case("C", R08=D("999.99"))
    lines = as_text("bozza.toml", draft, assess(draft)).splitlines()
    assert lines[2] == "Quadro 3: da non compilare (R09 = 999,99 euro, inferiore a 1.000 euro) · Quadro 4: blocco R29-R33"


# --- the other fillers ------------------------------------------------------------------------


def test_spending_verdict_whole():
    below = make_case("C")  # R07 2017 50.000,00 < R06 100.000,00
    assert spending_verdict(evaluate(below), below.R06) == (
        "Spesa storica 2017 (o 2021) di riferimento, la maggiore tra R07 2017 e R07 2021: "
        "50.000,00 euro, inferiore al fabbisogno standard R06 (100.000,00 euro)."
    )
    # R07 2021 1.984.440,83 is the greater: it is the reference, not below R06.
    above = make(R07_2017=D("50000.00"), R07_2021=D("1984440.83"))
    assert spending_verdict(evaluate(above), above.R06) == (
        "Spesa storica 2017 (o 2021) di riferimento, la maggiore tra R07 2017 e R07 2021: "
        "1.984.440,83 euro, non inferiore al fabbisogno standard R06 (100.000,00 euro)."
    )
    unknown = make(R06=None)
    assert spending_verdict(evaluate(unknown), None) == (
        "Spesa rispetto al fabbisogno: non determinabile (mancano R06 o R07)."
    )


@pytest.mark.parametrize(
    "errors, warnings, sep, expected",
    [
        (0, 0, " · ", "0 errori · 0 avvisi"),
        (1, 1, " · ", "1 errore · 1 avviso"),
        (2, 3, " · ", "2 errori · 3 avvisi"),
        (1, 2, ", ", "1 errore, 2 avvisi"),
    ],
)
def test_counts_text_whole(errors, warnings, sep, expected):
    assert counts_text(errors, warnings, sep) == expected


def test_counts_text_as_soc25_check_prints_it():
    # make_case("C"): R15 0,00 < R09 30.000,00 is one error, nothing else.
    draft = make_case("C")
    lines = as_text("bozza.toml", draft, assess(draft)).splitlines()
    assert "Problemi: 1 errore, 0 avvisi" in lines


@pytest.mark.parametrize(
    "n, expected",
    [(0, "0 / 6.000 caratteri"), (1, "1 / 6.000 caratteri"), (1234, "1.234 / 6.000 caratteri"),
     (6001, "6.001 / 6.000 caratteri")],
)
def test_counter_text_whole(n, expected):
    assert counter_text(n) == expected


def test_fixed_phrases_whole():
    assert NO_CASE == "caso non determinabile: completare prima i Quadri 1 e 2"
    assert sentence(NO_CASE) == "Caso non determinabile: completare prima i Quadri 1 e 2."
    assert CASE_UNKNOWN == "non determinabile: mancano dati (vedi i problemi)"
    assert case_line(evaluate(make(R03=None))) == "Caso non determinabile: mancano dati (vedi i problemi)"
    assert BLOCK_UNKNOWN == "Caso non determinabile: il blocco da compilare dipende dai dati dei Quadri 1 e 2."
    assert KEPT_NOT_TO_FILL == "la risposta è conservata ma non va compilata"
