"""The summary of the whole scheda: golden text, HTML/SVG/Markdown exports, `soc25 summary`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console, Group

from soc25_tui import summary
from soc25_tui.cli import main
from soc25_tui.drafts import load, save
from soc25_tui.model import Draft

from .test_r40 import largest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
PY = sys.executable


def example(name: str):
    return load(EXAMPLES / f"{name}.toml")


def text_of(draft, width: int = 100) -> str:
    return summary.export(draft, "text", width)


def flat(text: str) -> str:
    """Paragraphs are wrapped to the width: compare them with single spaces."""
    return " ".join(text.split())


# --- golden text ---------------------------------------------------------------------------------
# tests/golden/summary_*.txt were read line by line against the printed forms in tests/seeds/
# (figures, messages, SI/NO answers, R40). Do not regenerate them without doing that again.


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_golden_text(name, capsys):
    path = EXAMPLES / f"{name}.toml"
    assert main(["summary", str(path), "--format", "text", "--width", "100"]) == 0
    out = capsys.readouterr().out
    expected = (GOLDEN / f"summary_{name}.txt").read_text(encoding="utf-8")
    assert out == expected


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona", "vuota"])
@pytest.mark.parametrize("width", [80, 100, 132])
def test_lines_fit_the_width_and_are_clean(name, width):
    text = text_of(example(name), width)
    for line in text.splitlines():
        assert len(line) <= width
        assert line == line.rstrip()
        assert "\x1b" not in line  # no escape codes in the text export


def test_text_is_the_same_through_export_and_pipe(tmp_path):
    """`soc25 summary` into a pipe prints the text export (what `| less -R` shows)."""
    proc = subprocess.run(
        [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml")],
        capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "COLUMNS": "70"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == text_of(example("tortona"), 100)  # not a tty: 100 columns


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
    html = summary.export(example("tortona"), "html")
    parser = _TextCollector()
    parser.feed(html)
    text = "".join(parser.chunks)
    assert {"html", "head", "body", "pre", "code"} <= set(parser.tags)
    assert parser.title == "SOC25 - Riepilogo della bozza"
    for figure in ("2.420,47", "3.396,00", "53.895,69", "1 assistente ogni : 0", "2,50%", "4,49%"):
        assert figure in text
    assert "R39" in text and "| SI " in text.replace("│", "|")
    assert '<html lang="it">' in html


def test_html_title_is_escaped():
    draft = example("sondrio")
    draft.set("comune", "A<B> & {C}")
    html = summary.export(draft, "html")
    assert "<title>SOC25 - A&lt;B&gt; &amp; {C}</title>" in html


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


def test_summary_does_not_import_textual():
    code = (
        "import sys, io, contextlib\n"
        "import soc25_tui.summary, soc25_tui.r40\n"
        "assert 'textual' not in sys.modules, 'import'\n"
        "from soc25_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['summary', {str(EXAMPLES / 'tortona.toml')!r}, '--format', 'html'])\n"
        f"    rc += main(['r40', {str(EXAMPLES / 'tortona.toml')!r}])\n"
        "assert rc == 0, rc\n"
        "assert 'textual' not in sys.modules, 'run'\n"
    )
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "manca.toml")]) == 2
    assert "il file non esiste" in capsys.readouterr().err
    proc = subprocess.run(
        [PY, "-m", "soc25_tui.cli", "summary", str(tmp_path / "manca.toml")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2 and "il file non esiste" in proc.stderr and proc.stdout == ""


def test_unreadable_draft_exits_2(tmp_path, capsys):
    bad = tmp_path / "rotta.toml"
    bad.write_text("[quadro1\n", encoding="utf-8")
    assert main(["summary", str(bad)]) == 2
    assert "non è un file TOML valido" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args", [["--format", "pdf"], ["--width", "10"], ["--width", "tanti"], []]
)
def test_bad_arguments_exit_2(args, capsys):
    argv = ["summary"] + ([str(EXAMPLES / "sondrio.toml")] if args else []) + args
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "soc25: errore negli argomenti" in capsys.readouterr().err


def test_output_file_and_format_from_suffix(tmp_path, capsys):
    out = tmp_path / "riepilogo.html"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Riepilogo scritto in" in capsys.readouterr().err
    txt = tmp_path / "riepilogo.txt"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(txt), "--width", "90"]) == 0
    assert txt.read_text(encoding="utf-8") == text_of(example("sondrio"), 90)
    md = tmp_path / "riepilogo.out"
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(md), "--format", "md"]) == 0
    assert md.read_text(encoding="utf-8").startswith("# SOC25")
    # The draft itself is never touched.
    assert not list(EXAMPLES.glob("*.bak"))


def test_output_into_missing_folder_exits_2(tmp_path, capsys):
    assert main(["summary", str(EXAMPLES / "sondrio.toml"), "-o", str(tmp_path / "no" / "x.txt")]) == 2
    assert "impossibile salvare" in capsys.readouterr().err


def test_saved_draft_round_trip_gives_the_same_summary(tmp_path):
    draft = example("tortona")
    path = tmp_path / "t.toml"
    save(path, draft, backup=False)
    assert text_of(load(path)) == text_of(draft)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_terminal_output_colour_only_without_no_color(no_color):
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    env["COLUMNS"] = "90"
    if no_color:
        env["NO_COLOR"] = "1"
    proc = subprocess.Popen(
        [PY, "-m", "soc25_tui.cli", "summary", str(EXAMPLES / "tortona.toml")],
        stdout=slave, stderr=subprocess.PIPE, env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "Quadro 3 - Obiettivi di servizio 2024" in out
    assert "2.420,47" in out
    params = {p for sgr in re.findall(r"\x1b\[([0-9;]*)m", out) for p in sgr.split(";")}
    colour = any(p.isdigit() and (30 <= int(p) <= 38 or 90 <= int(p) <= 97) for p in params)
    assert colour is (not no_color)
    assert "\x1b[1" in out  # bold headings either way
