"""The importer on printed forms other than the three seeds: the seeds with other figures,
other answers, page breaks in other places. Nothing here is particular to one Comune."""

from decimal import Decimal

import pytest

from soc25_tui.core.importer import (
    ImportError_,
    missing_rows,
    missing_warning,
    parse_printed,
)
from soc25_tui.core.rules import evaluate

from ..conftest import LOMELLINA, SONDRIO, TORTONA, seed_text

D = Decimal
PAGE_BREAK = (
    "\n\nSOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024\n\n"
    "Pagina 2 di 7 Data 01/04/2025 09:12\n\n\n\nQuadro 1\nAutodiagnosi del\nnumero di utenti serviti\n"
)


def replace_once(text, old, new):
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def test_other_figures_in_the_portal_layout():
    t = seed_text(TORTONA)
    t = replace_once(t, "15 13 845 65,00", "150 1300 84500 65,00")
    t = replace_once(t, "34786,95 51475,22", "60000,00 51475,22")  # spending now above need
    t = replace_once(t, "\n1120\n", "\n25000\n")
    t = replace_once(t, "TORTONA\n", "VALLE DEL SOLE\n")
    t = replace_once(t, "Il trasferimento statale", "Testo diverso: il trasferimento")
    d = parse_printed(t).draft
    assert (d.M12_2019, d.M12_2024, d.M12_ore) == (150, 1300, 84500)
    assert d.R07_2017 == D("60000.00") and d.R03 == 25000 and d.R0C == "VALLE DEL SOLE"
    assert d.R40.startswith("Testo diverso: il trasferimento")
    # R0B 2024 = 28 - 13 + 1300 = 1315 users out of 25.000: 5,26% >= 4,49%; spending above need
    assert evaluate(d).case == "A"


def test_page_break_inside_a_row_and_crlf_line_ends():
    t = seed_text(LOMELLINA)
    t = replace_once(t, "Media annua ore di\nassistenza - 2024\n\n3 13 0 0,00", "Media annua ore di\nassistenza - 2024" + PAGE_BREAK + "\n3 13 0 0,00")
    d = parse_printed(t.replace("\n", "\r\n")).draft
    assert (d.M15_2019, d.M15_2024, d.M15_ore) == (3, 13, 0)
    assert d.R03 == 1748


def test_r07_without_2021():
    t = replace_once(seed_text(TORTONA), "34786,95 51475,22", "34786,95")
    d = parse_printed(t).draft
    assert d.R07_2017 == D("34786.95") and d.R07_2021 is None
    assert evaluate(d).values["R09"] == D("4391.81")  # gap 19.108,74 > R08


def test_quadro3_with_modalita_text_over_two_lines():
    t = seed_text(TORTONA)
    old = "Numero Modalità di\ndeterminazione della\nspesa aggiuntiva\n\nSpesa aggiuntiva\n\n0,00 0,00"
    new = "Numero Modalità di\ndeterminazione della\nspesa aggiuntiva\n\nSpesa aggiuntiva\n\n1,50 Costo orario da contratto\nCCNL 2024 45000,00"
    t = replace_once(t, old, new)
    d = parse_printed(t).draft
    assert d.R10_numero == D("1.50") and d.R10_spesa == D("45000.00")
    assert d.R10_modalita == "Costo orario da contratto CCNL 2024"
    assert d.R11_numero == D("0.00") and d.R11_modalita is None


def test_answers_move_with_the_print():
    t = seed_text(TORTONA)
    t = replace_once(t, "Assistenti sociali\n\nNO", "Assistenti sociali\n\nSI")
    d = parse_printed(t).draft
    assert (d.R35, d.R36, d.R37) == ("NO", "SI", "NO")


def test_compact_layout_other_comune():
    t = seed_text(SONDRIO)
    t = replace_once(t, "Comune SONDRIO (SO)", "Comune di BORMIO (so)")
    t = replace_once(t, "M12 ‐ Utenti famiglia e minori    327 1131 81489 72", "M12 ‐ Utenti famiglia e minori 1.327 2.131 181.489 85")
    t = replace_once(t, "R03 ‐ Numero di abitanti 2024 21297", "R03 ‐ Numero di abitanti 2024 4.012")
    t = replace_once(t, "R19 NO", "R19 SI")
    d = parse_printed(t).draft
    assert (d.comune, d.provincia) == ("BORMIO", "SO")
    assert (d.M12_2019, d.M12_2024, d.M12_ore) == (1327, 2131, 181489)
    assert d.R03 == 4012 and d.R19 == "SI"


@pytest.mark.parametrize(
    "text",
    ["", "Fattura n. 12 del 3/4/2025\nTotale 1.234,00 euro\n", "M12 - Utenti famiglia e minori 1 2 3 4\n"],
)
def test_text_that_is_not_a_soc25_form(text):
    with pytest.raises(ImportError_, match="non sembra una scheda SOC25"):
        parse_printed(text)


def test_damaged_row_is_named():
    t = replace_once(seed_text(TORTONA), "\n1 5 275 55,00\n", "\n1 5\n")
    with pytest.raises(ImportError_) as exc:
        parse_printed(t)
    assert "M15: attesi 4 valori, trovati 2" in str(exc.value)


def test_r40_keeps_typographic_characters_in_the_portal_layout():
    t = seed_text(TORTONA)
    t = replace_once(
        t, "Il trasferimento statale è stato utilizzato per coprire l'incremento",
        "Il trasferimento statale – l’ente lo dice – è stato\u00a0utilizzato per coprire l‐incremento",
    )
    t = replace_once(t, "un assistente sociale ogni 5.000,00 abitanti.\n",
                     "un assistente sociale ogni 5.000,00 abitanti.\n\nSecondo paragrafo: l’ultimo.\n")
    d = parse_printed(t.replace("\n", "\r\n")).draft
    assert d.R40.startswith(
        "Il trasferimento statale – l’ente lo dice – è stato\u00a0utilizzato per coprire l‐incremento"
    )
    assert d.R40.endswith("ogni 5.000,00 abitanti.\nSecondo paragrafo: l’ultimo.")
    assert "\r" not in d.R40
    assert d.R03 == 1120 and d.R0C == "TORTONA"  # the rest is read as before


def test_r40_keeps_typographic_characters_in_the_compact_layout():
    t = seed_text(SONDRIO)
    t = replace_once(
        t, "R40 ‐ RELAZIONE IN FORMATO LIBERO (massimo 6.000 caratteri)\n",
        "R40 ‐ RELAZIONE IN FORMATO LIBERO (massimo 6.000 caratteri) L’ente ‐ nel 2024 ‐\n"
        "ha speso “di più”\u00a0per i minori.\n",
    )
    d = parse_printed(t).draft
    assert d.R40 == "L’ente ‐ nel 2024 ‐ ha speso “di più”\u00a0per i minori."
    assert d.R03 == 21297


# --- Truncated prints: the rows a complete print shows and this one lacks -----------------


def cut(text, start, end=None):
    """`text` without what lies from `start` up to `end` (to the end when None)."""
    i = text.index(start)
    j = text.index(end, i) if end else len(text)
    return text[:i] + text[j:]


def missing_of(text):
    result = parse_printed(text)
    return missing_rows(result, evaluate(result.draft))


@pytest.mark.parametrize("seed", [SONDRIO, LOMELLINA, TORTONA], ids=["sondrio", "lomellina", "tortona"])
def test_a_complete_print_lacks_nothing(seed):
    """The compact print of case A shows neither Quadro 3 (not to be filled) nor the blocks of
    cases B-D; the portal's shows every row, empty ones included."""
    assert missing_of(seed_text(seed)) == []


def test_truncated_portal_prints_name_the_rows_they_lack():
    t = seed_text(TORTONA)
    # The last block of Quadro 4 (case D, R34-R39), up to the relazione libera.
    assert missing_of(cut(t, "R34 - Scelta dell'", "Relazione in formato strutturato\nRelazione in formato libero")) == [
        "R34", "R35", "R36", "R37", "R38", "R39"]
    # The relazione libera.
    assert missing_of(cut(t, "R40 - Relazione in formato")) == ["R40"]
    # The ATS block but its first row.
    assert missing_of(cut(t, "R0D - Ente/Comune capofila", "Informazioni relative al Comune")) == ["R0D", "R0E"]
    # Everything after Quadro 2.
    after_q2 = missing_of(cut(t, "Compilare solo se il Comune nel Quadro 2"))
    assert after_q2 == ["R10", "R11", "R12", "R13", "R14", *(f"R{n}" for n in range(16, 41))]


def test_truncated_compact_print_lacks_its_case_block_only():
    """Sondrio is case A: its compact print has no Quadro 3 and only block A (R16-R22)."""
    t = seed_text(SONDRIO)
    after_r08 = t.index("140.850,26") + len("140.850,26")
    assert missing_of(t[:after_r08]) == [
        "R16", "R17", "R18", "R19", "R20", "R21", "R22", "R40"]
    assert missing_of(cut(t, "R00D", "R01 ")) == ["R0D", "R0E"]


def test_the_warning_lists_rows_by_quadro_with_spans():
    rows = ["R0D", "R0E", "R07", "R10", "R11", "R12", "R13", "R14", "R22",
            "R34", "R35", "R36", "R37", "R38", "R39", "R40"]
    assert missing_warning(rows) == (
        "la stampa sembra incompleta: mancano R0D, R0E (Quadro 1); R07 (Quadro 2); R10-R14 "
        "(Quadro 3); R22, R34-R39, R40 (Quadro 4). Le loro celle restano vuote nella bozza: "
        "verificare che il testo sia stato estratto per intero dal PDF."
    )


# --- Hostile prints: bounded figures, quoted data, linear time ----------------------------


@pytest.mark.parametrize(
    ("old", "new", "cell"),
    [
        ("\n1 5 275 55,00\n", "\n1 5 " + "9" * 50 + " 55,00\n", "M15"),  # whole number
        ("\n53895,69\n", "\n1" + "0" * 40 + ",69\n", "R06"),  # money past Decimal's 28 digits
        ("ogni:  4718 abitanti", "ogni:  " + "9" * 5000 + " abitanti", "R0E"),  # past int()'s 4.300
    ],
    ids=["users", "money", "ats"],
)
def test_figures_no_comune_can_have_are_refused_on_their_row(old, new, cell):
    with pytest.raises(ImportError_) as exc:
        parse_printed(replace_once(seed_text(TORTONA), old, new))
    assert f"\n  {cell}: «" in str(exc.value) and "15 cifre" in str(exc.value)
    assert len(str(exc.value)) < 400  # the figure is shown shortened


def test_text_of_the_form_quoted_in_a_message_shows_control_characters():
    t = replace_once(seed_text(TORTONA), "Spesa aggiuntiva\n\n0,00 0,00",  # R10's
                     "Spesa aggiuntiva\n\n0,00 \x1b]0;titolo\x07 \x1b[2J")
    with pytest.raises(ImportError_) as exc:
        parse_printed(t)
    assert "\x1b" not in str(exc.value) and "\x07" not in str(exc.value)
    assert "R10: attesi Numero, Modalità e Spesa aggiuntiva («0,00 ␛]0;titolo␇ ␛[2J»)" in str(exc.value)
