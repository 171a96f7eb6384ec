"""The importer on printed forms other than the three seeds: the seeds with other figures,
other answers, page breaks in other places. Nothing here is particular to one Comune."""

from decimal import Decimal

import pytest

from soc25_tui.core.importer import ImportError_, parse_printed
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
