"""The pictures of the figures (core/charts.py): checked against the drafts' own cells and the
spec's formulas (SOC25.md), computed here again from the TOML file read with tomllib, never
against what charts.py computes."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal

import pytest

from soc25_tui.core import charts, summary
from soc25_tui.core.model import Draft
from soc25_tui.core.rules import evaluate

from ..conftest import EXAMPLES, GOLDEN
from ..factories import example

SVG = "{http://www.w3.org/2000/svg}"
BLOCKS = "█▉▊▋▌▍▎▏"
EIGHTHS = {c: i for i, c in enumerate(" ▏▎▍▌▋▊▉")}
ROWS = [*(f"M{n}" for n in (12, 15, 18, 21, 24, 27, 30, 35, 36, 37, 38, 39, 40, 41, 44, 47, 50, 53, 56, 59)), "R0A"]


def cells(name: str) -> dict:
    """Every cell of an example as its TOML file holds it (tomllib, exact decimals)."""
    with open(EXAMPLES / f"{name}.toml", "rb") as f:
        data = tomllib.load(f, parse_float=Decimal)
    out: dict = {}
    for section in data.values():
        if isinstance(section, dict):
            out.update(section)
    return out


def it(value, places: int = 0) -> str:
    """Italian format, as SOC25.md says: thousands «.», decimal «,», half-up."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(q, f",.{places}f").translate(str.maketrans(",.", ".,"))


def expected(name: str) -> dict[str, dict[str, str]]:
    """The figures each picture must show, from the spec's formulas on the file's cells."""
    c = cells(name)
    users = {code: (it(c[f"{code}_2019"]), it(c[f"{code}_2024"])) for code in ROWS
             if c.get(f"{code}_2019") or c.get(f"{code}_2024")}
    tot19 = sum(c.get(f"{code}_2019", 0) for code in ROWS)
    tot24 = sum(c.get(f"{code}_2024", 0) for code in ROWS)
    users["R0B"] = (it(tot19), it(tot24))
    r04 = Decimal(tot24) / Decimal(c["R03"]) * 100  # R04 = R0B 2024 / R03 x 100
    ref = max(c["R07_2017"], c.get("R07_2021", c["R07_2017"]))  # the greater of R07 2017 / 2021
    out = {
        "utenti": {code: pair for code, pair in users.items()},
        "servizio": {"R04": it(r04, 2) + "%", "R05": it(c["R05"], 2) + "%"},
        "spesa": {"R07": it(ref, 2), "R06": it(c["R06"], 2)},
    }
    if ref < c["R06"]:  # cases C and D: R09 = min(R08, R06 - reference spending)
        r09 = min(c["R08"], c["R06"] - ref)
        if r09 >= 1000:
            r15 = sum(c.get(n, 0) for n in ("R10_spesa", "R11_spesa", "R12", "R13", "R14"))
            out["quadro3"] = {"R15": it(r15, 2), "R09": it(r09, 2)}
    return out


def figures(picture: charts.Picture) -> dict:
    if picture.key == "utenti":
        return {g.label.split(" - ")[0]: (g.bars[0].shown, g.bars[1].shown) for g in picture.groups}
    return {b.label.split(" - ")[0]: b.shown for g in picture.groups for b in g.bars}


def of(name: str) -> list[charts.Picture]:
    d = example(name)
    return charts.pictures(d, evaluate(d))


# --- pictures() ---------------------------------------------------------------------------------


def test_case_a_has_no_quadro3_picture_and_the_drafts_figures():
    pics = of("sondrio")  # case A (the printed form 000_, Comune di Sondrio)
    assert [p.key for p in pics] == ["utenti", "servizio", "spesa"]
    assert [p.quadro for p in pics] == [1, 1, 2]
    want = expected("sondrio")
    assert "quadro3" not in want
    for p in pics:
        assert figures(p) == want[p.key], p.key
    assert figures(pics[0])["R0B"] == ("6.355", "7.162")  # printed on the Sondrio form


def test_case_d_has_the_quadro3_picture():
    pics = of("tortona")  # case D, R09 >= 1.000
    assert [p.key for p in pics] == ["utenti", "servizio", "spesa", "quadro3"]
    want = expected("tortona")
    for p in pics:
        assert figures(p) == want[p.key], p.key
    # SOC25.md's printed example: R06 53.895,69, R07 34.786,95 / 51.475,22, R08 4.391,81 -> R09 2.420,47.
    assert figures(pics[3])["R09"] == "2.420,47"
    assert figures(pics[2])["R07"] == "51.475,22"
    assert "(2021)" in pics[2].groups[0].bars[0].label


def test_case_c_has_the_quadro3_picture():
    d = example("tortona")
    d.R05 = Decimal("1.00")  # R04 2,50% >= R05: case C
    o = evaluate(d)
    assert o.case == "C"
    keys = [p.key for p in charts.pictures(d, o)]
    assert keys[-1] == "quadro3"
    d.R08 = Decimal("500.00")  # R09 = 500 < 1.000: Quadro 3 does not apply, no picture
    assert "quadro3" not in [p.key for p in charts.pictures(d, evaluate(d))]


def test_alt_gives_every_figure_and_the_outcomes_comparison():
    for name in ("sondrio", "tortona", "lomellina"):
        for p in of(name):
            for g in p.groups:
                for b in g.bars:
                    assert b.shown in p.alt
                if g.label:
                    assert g.label in p.alt
    servizio = {p.key: p for p in of("tortona")}["servizio"]
    assert servizio.alt.startswith("Livello di servizio 2024 (R04) 2,50% contro il riferimento (R05) 4,49%.")
    assert "è risultato inferiore al livello di servizio di riferimento" in servizio.alt  # R04 < R05
    servizio = {p.key: p for p in of("sondrio")}["servizio"]
    assert "è risultato non inferiore al livello di servizio di riferimento" in servizio.alt


def test_none_values_have_no_bar_and_words():
    d = Draft()
    d.M12_2019 = 5
    pics = {p.key: p for p in charts.pictures(d, evaluate(d))}
    assert "quadro3" not in pics  # cannot be told yet
    m12 = pics["utenti"].groups[0]
    assert m12.label.startswith("M12 - ")
    assert m12.bars[1] == charts.Bar("2024", None, "non indicato")
    r04, r05 = pics["servizio"].groups[0].bars
    assert (r04.value, r04.shown) == (None, "non calcolabile")  # no R03: R04 cannot be computed
    assert (r05.value, r05.shown) == (None, "non indicato")
    assert "M15" in pics["utenti"].alt  # the rows left out are named
    for p in pics.values():
        for line in charts.bars(p, 60):
            if "non " in line:
                assert not set(line) & set(BLOCKS), line
        root = ET.fromstring(charts.svg(p))
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert any("non " in (t or "") for t in texts) or p.key == "utenti"


def test_invalid_value_is_shown_as_the_summary_shows_it():
    d = Draft(invalid={"M12_2019": "12a"})
    pic = charts.pictures(d, evaluate(d))[0]
    bar = pic.groups[0].bars[0]
    assert (bar.value, bar.shown) == (None, "«12a» (non valido)")


# --- svg() --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sondrio", "tortona", "vuota"])
def test_svg_is_accessible_and_holds_every_label_and_figure(name):
    ids = set()
    for p in of(name):
        markup = charts.svg(p)
        root = ET.fromstring(markup)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title.text == p.title and desc.text == p.alt
        assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
        assert title.get("id") not in ids and desc.get("id") not in ids
        ids |= {title.get("id"), desc.get("id")}
        assert root.get("viewBox") and root.get("width") == "100%"
        texts = [t.text for t in root.iter(f"{SVG}text")]
        for g in p.groups:
            if g.label:
                assert g.label in texts
            for b in g.bars:
                assert b.label in texts and b.shown in texts
        for el in root.iter():  # colours by currentColor only, no link, no script
            assert not el.tag.endswith("script") and not el.tag.endswith("image")
            assert not any("href" in k for k in el.attrib)
            for k in ("fill", "stroke"):
                assert el.get(k) in (None, "currentColor")
        assert "url(" not in markup and "http" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert charts.svg(p) == markup  # deterministic (ids from the key)


def test_svg_escapes_hostile_text():
    hostile = '<script>&"\x1b]0;x\x07'
    p = charts.Picture("utenti", hostile, 1, "utenti",
                       (charts.Group(hostile, (charts.Bar(hostile, Decimal(3), hostile),)),), hostile)
    markup = charts.svg(p)
    root = ET.fromstring(markup)  # well-formed
    assert "<script" not in markup and "\x1b" not in markup
    assert root.find(f"{SVG}title").text == '<script>&"␛]0;x␇'
    assert not list(root.iter(f"{SVG}script"))
    # A value kept from a forged draft file reaches the picture as the summary shows it.
    d = Draft(invalid={"M12_2019": '<script>&"'})
    for pic in charts.pictures(d, evaluate(d)):
        markup = charts.svg(pic)
        ET.fromstring(markup)
        assert "<script" not in markup


def test_bar_lengths_in_svg_are_proportional_from_zero():
    root = ET.fromstring(charts.svg(of("tortona")[3]))
    r15, r09 = (float(r.get("width")) for r in root.iter(f"{SVG}rect"))
    assert r09 / r15 == pytest.approx(2420.47 / 3396.00, rel=0.01)


# --- bars() -------------------------------------------------------------------------------------


def length(line: str) -> int:
    """A text bar's length in eighths of a character."""
    drawn = "".join(c for c in line if c in BLOCKS)
    return sum(8 if c == "█" else EIGHTHS[c] for c in drawn)


@pytest.mark.parametrize("width", range(40, 201, 7))
def test_bars_fit_the_width(width):
    for name in ("sondrio", "tortona", "lomellina", "vuota"):
        for p in of(name):
            for ascii in (False, True):
                for line in charts.bars(p, width, ascii=ascii):
                    assert len(line) <= width, (width, line)


def test_bars_are_proportional_with_code_and_figure_on_each_line():
    for name in ("sondrio", "tortona"):
        want = expected(name)
        for p in of(name):
            lines = charts.bars(p, 100)
            top = max(length(line) for line in lines)
            values = [b.value for g in p.groups for b in g.bars]
            biggest = max(v for v in values if v is not None)
            for line, value in zip(lines, values, strict=True):
                assert abs(length(line) - round(value / biggest * top)) <= 1, line
                assert not re.search(r"\x1b", line)  # characters only: NO_COLOR-safe
            flat = want[p.key].items()
            for code, figure in flat:  # the code on the (first) line of each bar, and its figure
                pair = figure if isinstance(figure, tuple) else (figure,)
                start = next(i for i, line in enumerate(lines) if line.startswith(code + " "))
                for i, f in enumerate(pair):
                    assert lines[start + i].endswith(" " + f)
    a, b = charts.bars(of("tortona")[1], 80)  # R04 2,50% < R05 4,49%: the shorter bar
    assert length(a) < length(b)


def test_bars_under_ascii_use_hashes_only():
    for p in of("tortona"):
        for line in charts.bars(p, 80, ascii=True):
            assert line.isascii()


# --- in the summary -----------------------------------------------------------------------------


def test_summary_text_shows_the_bars_in_each_quadro():
    text = summary.export(example("tortona"), "text", 100)
    q1, q2, q3, q4 = (text.index(f"Quadro {n} - ") for n in (1, 2, 3, 4))
    assert q1 < text.index("Utenti serviti, 2019 e 2024") < q2
    assert re.search(r"^R04 █+[▉▊▋▌▍▎▏]? 2,50%$", text, re.MULTILINE) and text.index("R04 █") < q2
    assert q2 < text.index("Spesa di riferimento e fabbisogno") < q3
    assert re.search(r"^R09 █+[▉▊▋▌▍▎▏]? 2\.420,47$", text, re.MULTILINE) and q3 < text.index("R09 █") < q4
    ascii = summary.export(example("tortona"), "text", 100, encoding="ascii")
    assert re.search(r"^R04 #+ 2,50%$", ascii, re.MULTILINE)


def test_summary_markdown_has_the_bars_in_a_code_block_and_the_alt_text():
    md = summary.export(example("tortona"), "md")
    pics = of("tortona")
    for p in pics:
        block = "```\n" + "\n".join(charts.bars(p, 80)) + "\n```"
        assert block in md
    assert "Livello di servizio 2024 \\(R04\\)" not in md  # parentheses are not escaped
    assert "Livello di servizio 2024 (R04) 2,50% contro il riferimento (R05) 4,49%." in md
    d = Draft(invalid={"M12_2019": "```x"})
    md = summary.export(d, "md")
    assert "````\nM12 2019 «```x» (non valido)" in md  # a longer fence: the figure cannot close it


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_golden_bars_are_the_drafts_figures(name):
    """The pictures in tests/golden/summary_*.txt, read back: every figure is the draft's (or
    the spec's formula on it), and every bar is as long as its figure in the picture's scale."""
    text = (GOLDEN / f"summary_{name}.txt").read_text(encoding="utf-8")
    want = expected(name)
    titles = {"Utenti serviti, 2019 e 2024": "utenti",
              "Livello di servizio 2024: effettivo (R04) e di riferimento (R05)": "servizio",
              "Spesa di riferimento e fabbisogno standard, in euro": "spesa",
              "Obiettivi di servizio (R15) e risorse da rendicontare (R09), in euro": "quadro3"}
    seen = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line not in titles:
            continue
        key = titles[line]
        seen.append(key)
        block = []
        for bar_line in lines[i + 1:]:
            if not bar_line:
                break
            block.append(bar_line)
        got: dict = {}
        code = ""
        for bar_line in block:
            if not bar_line.startswith(" "):
                code = bar_line.split()[0]
            got.setdefault(code, []).append(bar_line.split()[-1])
        got = {c: tuple(v) if key == "utenti" else v[0] for c, v in got.items()}
        assert got == want[key], key
        top = max(length(b) for b in block)
        numbers = [Decimal(b.split()[-1].rstrip("%").replace(".", "").replace(",", ".")) for b in block]
        for b, n in zip(block, numbers, strict=True):
            assert abs(length(b) - round(n / max(numbers) * top)) <= 1, b
    assert seen == list(want)
