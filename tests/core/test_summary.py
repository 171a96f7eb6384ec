"""The summary of the whole scheda: golden text, HTML/SVG/Markdown exports, `soc25 summary`."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from rich.console import Console, Group

from soc25_tui.core import outputs, summary
from soc25_tui.core.drafts import load, save
from soc25_tui.core.model import Draft

from ..factories import example, largest

PY = sys.executable


def text_of(draft, width: int = 100) -> str:
    return summary.export(draft, "text", width)


def flat(text: str) -> str:
    """Paragraphs are wrapped to the width: compare them with single spaces."""
    return " ".join(text.split())


# --- golden text ---------------------------------------------------------------------------------
# tests/golden/summary_*.txt were read line by line against the printed forms in tests/seeds/
# (figures, messages, SI/NO answers, R40). Do not regenerate them without doing that again.


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona", "vuota"])
@pytest.mark.parametrize("width", [80, 100, 132])
def test_lines_fit_the_width_and_are_clean(name, width):
    text = text_of(example(name), width)
    for line in text.splitlines():
        assert len(line) <= width
        assert line == line.rstrip()
        assert "\x1b" not in line  # no escape codes in the text export


def test_order_follows_the_printed_form():
    text = text_of(example("tortona"))
    marks = [
        "Comune:", "Caso:", "Quadro 1 - ", "Ciascun Comune dovrà", "M12", "R0B", "R0C", "R0E",
        "R01 ", "R01B", "R05", "assistenti sociali è risultato nullo", "Quadro 2 - ", "R06", "R08",
        "La spesa dell'ente locale", "Quadro 3 - ", "Compilare solo se il Comune nel Quadro 2",
        "R09 - ", "R10", "R14", "R15", "coerentemente", "Quadro 4 - ", "R34", "R39", "R40 - ",
        "Il trasferimento statale", "NOTA BENE", "Il raggiungimento dell'obiettivo",
        "Problemi da risolvere",
    ]
    position = 0
    for mark in marks:
        position = text.index(mark, position)  # each mark after the previous one (or ValueError)


def test_header_and_case_words():
    text = text_of(example("sondrio"))
    assert "Comune:       SONDRIO" in text and "Provincia:    SO" in text
    assert "Caso:         A - spesa non inferiore al fabbisogno, servizi non inferiori al riferimento" in text
    assert "Caso:         non determinabile" in text_of(example("vuota"))


def test_portal_formats_of_r0e_and_r01b():
    text = text_of(example("sondrio"))
    assert "1 assistente sociale ogni: 3483" in text  # R0E as printed
    assert "1 assistente ogni : 1331" in text  # R01B as printed, no thousands separator
    assert "21.297" in text and "7.162" in text and "1.984.440,83" in text
    assert "33,63%" in text and "8,69%" in text
    assert "NON CALCOLABILE" in text_of(example("lomellina"))


def _case_c():
    draft = example("tortona")
    draft.set("R05", Decimal("1.00"))
    return draft


def test_composed_messages_are_marked():
    text = text_of(_case_c())
    assert "(testo di soc25, non del portale) La spesa dell'ente locale è risultata inferiore" in text
    # Verbatim messages carry no mark.
    assert "non del portale" not in text_of(example("tortona"))
    md = summary.export(_case_c(), "md")
    assert "> *(testo di soc25, non del portale)* La spesa" in md


def test_quadro3_not_required_but_filled_is_flagged():
    draft = example("sondrio")
    draft.set("R12", Decimal("150.00"))
    draft.set("R10_modalita", "Costo medio da contratto")
    text = text_of(draft)
    section = text[text.index("Quadro 3 - "):text.index("Quadro 4 - ")]
    assert "Il Quadro 3 non va compilato: nel caso A" in flat(section)
    assert "ATTENZIONE: il Quadro 3 non va compilato, ma contiene questi valori" in flat(section)
    assert "150,00" in section and "Costo medio da" in section
    assert "R11" not in section and "R15" not in section  # only what was filled
    problems = text[text.index("Problemi da risolvere"):]
    assert "R12: il Quadro 3 non va compilato" in problems


def test_quadro3_below_threshold():
    draft = example("tortona")
    draft.set("R08", Decimal("500.00"))
    text = flat(text_of(draft))
    assert "da non compilare (R09 = 500,00 euro, inferiore a 1.000 euro)" in text
    assert "le risorse da rendicontare (R09 = 500,00 euro) sono inferiori a 1.000 euro" in text


def test_quadro4_answers_and_other_blocks():
    text = text_of(example("lomellina"))
    section = text[text.index("Quadro 4 - "):text.index("R40 - ")]
    assert "| R23    | NO       |" in section and "| R28    | SI       |" in section
    assert "| R24    | —        |" in section and "— = voce senza risposta." in section
    assert "Servizi sociali erogati dall'ente più costosi, quali:" in section
    assert "R16" not in section
    draft = example("lomellina")
    draft.set("R16", "SI")
    draft.set("R39", "NO")
    text = text_of(draft)
    assert "Risposte date in blocchi che non si applicano al caso B" in text
    assert "R16 = SI (blocco A); R39 = NO (blocco D)." in text


def test_r40_counter_and_missing_explanation():
    text = text_of(example("tortona"))
    assert "Lunghezza: 472 / 6.000 caratteri" in text
    draft = example("tortona")
    draft.set("R40", None)
    text = text_of(draft)
    assert "(vuota)" in text and "ATTENZIONE: R39 «Altro» è SI" in text


def test_problems_errors_then_warnings():
    draft = example("lomellina")
    draft.set("R40", None)  # R28 Altro SI: an error
    text = text_of(draft)
    problems = text[text.index("Problemi da risolvere"):]
    assert problems.index("Errori (1)") < problems.index("Avvisi (6)")
    assert "- R40: R28 «Altro» è SI" in problems
    assert "- R24: voce senza risposta: indicare SI o NO." in problems
    assert "Nessun problema rilevato." in text_of(example("sondrio"))


def test_invalid_values_are_shown_not_dropped():
    draft = Draft(invalid={"R0E": "tanti", "M12_2019": "12a"})
    text = text_of(draft)
    assert "«tanti» (non valido)" in text and "«12a» (non valido)" in text


def test_build_is_a_rich_renderable_that_fits_80_columns():
    group = summary.build(example("tortona"))
    assert isinstance(group, Group)
    console = Console(width=80, record=True, file=open(os.devnull, "w"), color_system=None)
    console.print(group)
    for line in console.export_text().splitlines():
        assert len(line) <= 80


@pytest.mark.parametrize("case", "ABCD")
def test_largest_draft_renders_within_width(case):
    draft = largest(case)
    for width in (80, 100):
        for line in text_of(draft, width).splitlines():
            assert len(line) <= width


# --- HTML / SVG / Markdown --------------------------------------------------------------------------


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        else:
            self.chunks.append(data)


def test_html_export_has_the_key_figures():
    """The HTML document (core/summary_html.py, through the one entrance of every format) holds
    Tortona's printed figures in real tables, not the terminal's rendering in a <pre>."""
    html = outputs.render(example("tortona"), "html")
    parser = _TextCollector()
    parser.feed(html)
    text = "".join(parser.chunks)
    assert {"html", "head", "body", "main", "table", "caption", "th"} <= set(parser.tags)
    assert "pre" not in parser.tags
    assert parser.title.startswith("SOC25 2024")
    for figure in ("2.420,47", "3.396,00", "53.895,69", "1 assistente ogni : 0", "2,50%", "4,49%"):
        assert figure in text
    assert "R39" in text and "SI" in text
    assert '<html lang="it">' in html


def test_html_title_is_escaped():
    draft = example("sondrio")
    draft.set("comune", "A<B> & {C}")
    html = outputs.render(draft, "html")
    assert "<title>SOC25 2024 - A&lt;B&gt; &amp; {C} (SO) - riepilogo della scheda</title>" in html


def test_summary_export_is_the_terminal_s_renderings_only():
    """HTML and PDF have their own renderers; core.summary.export refuses them rather than
    giving a second, different HTML (the one entrance is core.outputs.render)."""
    assert set(summary.FORMATS) | {"html", "pdf"} == set(outputs.FORMATS)
    for fmt in ("html", "pdf"):
        with pytest.raises(ValueError):
            summary.export(example("sondrio"), fmt)


def test_svg_export_is_well_formed_xml():
    svg = summary.export(example("sondrio"), "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = "".join(root.itertext()).replace("\xa0", " ")
    assert "SONDRIO" in texts and "1.984.440,83" in texts


def test_markdown_export():
    md = summary.export(example("tortona"), "md")
    assert md.startswith("# SOC25 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2024\n")
    assert "## Quadro 1 - Autodiagnosi del numero di utenti serviti" in md
    assert "| Codice | Tipologia di utenza | Utenti 2019 | Utenti 2024 | Ore annue 2024 | Media ore 2024 |" in md
    assert "|:---|:---|---:|---:|---:|---:|" in md
    assert "| M12 | Utenti famiglia e minori | 15 | 13 | 845 | 65,00 |" in md
    assert "| **R0B** | **TOTALE UTENTI** | **21** | **28** |  |  |" in md
    assert "| R14 | Risorse aggiuntive trasferite all'Ambito territoriale sociale o ad altra forma associativa |  |  | 3.396,00 |" in md
    assert "| R39 | SI | Altro (specificare nel campo della relazione in formato libero) |" in md
    assert "> Nel 2024 l'ente locale ha rendicontato" in md
    assert "- comune: manca il nome del Comune." in md
    # Every table row has as many cells as its header.
    for block in md.split("\n\n"):
        lines = block.splitlines()
        if lines and lines[0].startswith("| "):
            counts = {line.replace("\\|", "").count("|") for line in lines}
            assert len(counts) == 1, block


def test_markdown_escapes_user_text():
    draft = example("tortona")
    draft.set("R40", "# Titolo\n- voce | *forte* <b>\n1. primo")
    draft.set("R0D", "A | B")
    md = summary.export(draft, "md")
    assert "\\# Titolo  \n\\- voce \\| \\*forte\\* \\<b\\>  \n1\\. primo" in md
    assert "| A \\| B |" in md


def test_export_rejects_unknown_format():
    with pytest.raises(ValueError):
        summary.export(example("sondrio"), "pdf")


# --- soc25 summary ---------------------------------------------------------------------------------


def test_saved_draft_round_trip_gives_the_same_summary(tmp_path):
    draft = example("tortona")
    path = tmp_path / "t.toml"
    save(path, draft, backup=False)
    assert text_of(load(path)) == text_of(draft)


