"""`soc25 import` of the portal's PDF: the PDFs are made here (tests/pdfgen.py), laying out
the printed form of a Comune made up for the purpose (tests/printed.py) as the portal lays
out its pages: rows as tables, headings beside the labels, figures in cells, the side
titles and page footers, page breaks. Importing the PDF must give the draft importing its
text gives, every cell; a PDF that cannot be read is an Italian message, exit 2, nothing
written."""

from __future__ import annotations

import time
import zlib
from decimal import Decimal as D

import pytest

from soc25_tui.cli import main
from soc25_tui.core import importer, limits, pdftext
from soc25_tui.core.importer import ImportError_, parse_printed
from soc25_tui.core.layout import USER_ROWS
from soc25_tui.core.pdftext import PdfError, pdf_text

from .. import printed
from ..factories import make_case
from ..pdfgen import Text, assemble, image_pdf, pdf

LAYOUTS = {"portale": printed.portal, "compatto": printed.compact}


def comune():
    """A Comune no print shows: every figure its own, Quadro 3 filled, an «Altro» answered SI,
    a relazione of two paragraphs with the characters a word processor puts in."""
    cells = {}
    for i, row in enumerate(USER_ROWS):
        for j, name in enumerate(row.input_cells):
            cells[name] = (i * 37 + j * 11) % 90 + 1 + (1000 * j if name.endswith("_ore") else 0)
    cells.update(
        comune="SANT'AGATA SUL PÒ", provincia="RE", R0C="AMBITO DELLA BASSA - ZONA NORD", R0D="CORREGGIO",
        R0E=4321, R01_2020=D("2.50"), R01_2024=D("3.75"), R01A_2024=D("0.59"), R02_2020=D("1.00"),
        R02_2024=D("2.25"), R03=12345, R05=D("14.62"), R06=D("1234567.89"), R07_2017=D("987654.32"),
        R07_2021=D("1100000.01"), R08=D("45678.90"), R10_numero=D("1.50"),
        R10_modalita="Contratto a tempo determinato (36 ore)", R10_spesa=D("42000.00"), R11_numero=D("0.50"),
        R11_modalita=None, R11_spesa=D("1500.00"), R12=D("250.00"), R13=D("0.00"), R14=D("1928.40"), R39="SI",
        R40=("Il Comune ha «rafforzato» l’équipe – con più ore di assistenza domiciliare; la spesa è cresciuta "
             "di € 3,00 ad abitante rispetto al 2022, come da delibera n. 12.\n"
             "Secondo paragrafo: l’Ambito gestisce i servizi per conto dei Comuni associati."),
    )
    return make_case("D", **cells)


@pytest.fixture(scope="module")
def forms():
    draft = comune()
    return draft, {name: make(draft) for name, make in LAYOUTS.items()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_pdf_gives_the_draft_its_text_gives(forms, layout):
    draft, made = forms
    form = made[layout]
    from_text = parse_printed(form.text())
    from_pdf = parse_printed(pdf_text(form.pdf()))
    assert from_pdf.layout == from_text.layout == layout
    assert from_pdf.draft.inputs() == from_text.draft.inputs()
    assert from_pdf.printed == from_text.printed and from_pdf.present == from_text.present
    assert from_pdf.draft.inputs() == draft.inputs()  # and it is the Comune's: every cell read
    if layout == "portale":
        assert len(form.pages) == 7  # the portal's seven pages, each with its footer


def test_a_watermark_across_the_pages_is_not_read_into_the_rows(forms):
    draft, made = forms
    form = made["portale"]
    plain = form.pdf()
    marked = pdf([page + [Text(150, 300, 60, "BOZZA NON VALIDA", turned=True)] for page in form.texts()])
    assert marked != plain
    assert parse_printed(pdf_text(marked)).draft.inputs() == draft.inputs()


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_pages_shown_turned_are_read_as_printed(forms, turn):
    """A viewer saves a page the person turned as /Rotate: its text is still the print's."""
    draft, made = forms
    turned = made["portale"].pdf().replace(b"/Type /Page /Parent", b"/Type /Page /Rotate %d /Parent" % turn)
    assert b"/Rotate" in turned
    assert parse_printed(pdf_text(turned)).draft.inputs() == draft.inputs()


def test_a_pdf_protected_only_against_changes_is_read(forms):
    draft, made = forms
    protected = made["compatto"].pdf(password="")  # no password to open it, as many PDFs
    assert b"/Encrypt" in protected
    assert parse_printed(pdf_text(protected)).draft.inputs() == draft.inputs()


def test_a_pdf_that_needs_a_password(forms):
    _, made = forms
    with pytest.raises(PdfError) as exc:
        pdf_text(made["compatto"].pdf(password="segreto"))
    assert str(exc.value) == pdftext.PASSWORD
    assert "protetto da una password" in str(exc.value) and "senza protezione" in str(exc.value)


def test_a_scan_has_no_text_to_read():
    with pytest.raises(PdfError) as exc:
        pdf_text(image_pdf())
    assert str(exc.value) == pdftext.NO_TEXT
    assert "non contiene testo" in str(exc.value) and "scansione" in str(exc.value)


def test_text_only_at_an_angle_is_said_so():
    with pytest.raises(PdfError) as exc:
        pdf_text(pdf([[Text(100, 400, 12, "M12 - Utenti famiglia e minori 3 4 5 6", turned=True)]]))
    assert str(exc.value) == pdftext.ONLY_ROTATED


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], pdftext.DAMAGED),  # a download cut short
        (lambda data: data[:200], pdftext.DAMAGED),
        (lambda data: b"%PDF-1.4\n" + bytes(range(256)) * 40, pdftext.DAMAGED),  # not a PDF inside
        (lambda data: data.replace(b"/Type /Page", b"/Type /Xage"), pdftext.NO_PAGES),  # no page anywhere
        (lambda data: data.replace(b"stream\nx", b"stream\nX"), pdftext.EMPTY),  # every page's text damaged
    ],
    ids=["half", "start", "garbage", "no-pages", "streams"],
)
def test_a_damaged_pdf(forms, damage, message):
    _, made = forms
    with pytest.raises(PdfError) as exc:
        pdf_text(damage(made["portale"].pdf()))
    assert str(exc.value) == message


def test_too_many_pages(forms, monkeypatch):
    _, made = forms
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 6)
    with pytest.raises(PdfError) as exc:
        pdf_text(made["portale"].pdf())
    assert str(exc.value) == pdftext.too_many_pages(6)
    assert "più di 6 pagine" in str(exc.value)


def test_too_many_characters(forms, monkeypatch):
    _, made = forms
    monkeypatch.setattr(limits, "MAX_PDF_CHARS", 2000)
    with pytest.raises(PdfError) as exc:
        pdf_text(made["portale"].pdf())
    assert "troppi dati" in str(exc.value) and "più di 2.000 caratteri" in str(exc.value)


def test_a_stream_that_inflates_past_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_STREAM_BYTES", 1 << 20)
    bomb = pdf([[Text(40, 800, 9, "M12 - Utenti famiglia e minori")]], padding=b"%" + b" " * (4 << 20))
    assert len(bomb) < 20_000  # four megabytes of blanks, compressed
    with pytest.raises(PdfError) as exc:
        pdf_text(bomb)
    assert "troppi dati" in str(exc.value) and "un flusso compresso di oltre 1 MB" in str(exc.value)


def _form_bomb(depth: int, leaf: bytes) -> bytes:
    """A page drawing form X<depth>; each form draws the one below ten times; X0 is `leaf`.
    A few hundred bytes that are 10**depth leaves to run."""
    forms = b" ".join(b"/X%d %d 0 R" % (i, 5 + i) for i in range(depth + 1))
    res = b"/Resources << /XObject << " + forms + b" >> >>"

    def stream(data: bytes, head: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n" % (len(data), head) + data + b"\nendstream"

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + res + b" /Contents 4 0 R >>",
               stream(b"/X%d Do" % depth)]
    for i in range(depth + 1):
        body = leaf if i == 0 else b" ".join([b"/X%d Do" % (i - 1)] * 10)
        objects.append(stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res + b" "))
    return assemble(objects)


@pytest.mark.parametrize("leaf", [b"0 0 m 1 1 l S", b"q Q q Q"], ids=["lines", "nothing-drawn"])
def test_forms_drawn_in_forms_are_bounded(monkeypatch, leaf):
    """A form drawing a form ten times, nine deep, from a 3 kB file: a billion lines (or
    operators that draw nothing) to run, hours. The objects read from content streams are
    counted over the whole PDF, each time a form is drawn."""
    monkeypatch.setattr(limits, "MAX_PDF_TOKENS", 20_000)
    started = time.monotonic()
    with pytest.raises(PdfError) as exc:
        pdf_text(_form_bomb(9, leaf))
    assert "troppi dati" in str(exc.value) and "più di 20.000 elementi nelle pagine" in str(exc.value)
    assert time.monotonic() - started < 5


def test_one_long_page_of_operators_is_bounded(monkeypatch):
    """A page's stream of a million operators that draw nothing (a few kB compressed)."""
    monkeypatch.setattr(limits, "MAX_PDF_TOKENS", 20_000)
    data = pdf([[Text(40, 800, 9, "M12 - Utenti famiglia e minori")]], padding=b"q Q\n" * 1_000_000)
    with pytest.raises(PdfError) as exc:
        pdf_text(data)
    assert "più di 20.000 elementi nelle pagine" in str(exc.value)


def test_the_print_is_far_within_the_bound_of_objects(forms, monkeypatch):
    _, made = forms
    monkeypatch.setattr(limits, "MAX_PDF_TOKENS", limits.MAX_PDF_TOKENS // 20)
    for form in made.values():
        assert pdf_text(form.pdf())


def test_a_damaged_compressed_stream_gives_what_it_holds():
    """A page's stream damaged half way: its text before the damage is read (pdfminer alone
    drops the whole stream, after reading it again a byte at a time)."""
    good = zlib.compress(b"BT /F1 9 Tf 1 0 0 1 40 800 Tm (Comune PROVA \\(MI\\)) Tj ET\n%" + bytes(range(256)) * 400)
    damaged = good[: len(good) // 2] + b"\xff" * 8 + good[len(good) // 2 + 8:]
    data = pdf([[Text(40, 700, 9, "x")]])
    start = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"\nendstream")
    data = data[:start] + damaged + data[end:]
    data = data.replace(b"/Length %d" % (end - start), b"/Length %d" % len(damaged))
    assert pdf_text(data).strip() == "Comune PROVA (MI)"


def test_r10_read_with_its_headings_side_by_side():
    """A PDF line has the headings of R10's columns side by side: «Numero Modalità di Spesa
    aggiuntiva», then «determinazione della» and «spesa aggiuntiva» under them."""
    text = printed.portal(comune()).text()
    heading = "Numero Modalità di\ndeterminazione della\nspesa aggiuntiva\n\nSpesa aggiuntiva"
    assert text.count(heading) == 2
    text = text.replace(heading, "Numero Modalità di Spesa aggiuntiva\ndeterminazione della\nspesa aggiuntiva")
    cells = parse_printed(text).draft.inputs()
    assert (cells["R10_numero"], cells["R10_modalita"], cells["R10_spesa"]) == (
        D("1.50"), "Contratto a tempo determinato (36 ore)", D("42000.00"))
    assert (cells["R11_numero"], cells["R11_modalita"], cells["R11_spesa"]) == (D("0.50"), None, D("1500.00"))


# --- read_printed: a PDF known by its content ------------------------------------------------

EXPECTED = "la stampa"


def test_a_pdf_is_known_by_its_content_not_its_name(tmp_path, forms):
    draft, made = forms
    named_txt = tmp_path / "stampa.txt"
    named_txt.write_bytes(made["portale"].pdf())
    form = importer.read_printed(named_txt, expected=EXPECTED)
    assert form.encoding == "PDF"
    assert parse_printed(form.text).draft.inputs() == draft.inputs()
    named_pdf = tmp_path / "testo.pdf"
    named_pdf.write_text(made["portale"].text(), encoding="utf-8")
    assert importer.read_printed(named_pdf, expected=EXPECTED).encoding == "UTF-8"


def test_a_pdf_may_be_bigger_than_a_text_but_not_without_bound(tmp_path):
    from soc25_tui.core.reading import ReadError

    src = tmp_path / "stampa.pdf"
    with open(src, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(limits.MAX_PDF_BYTES + 1)
    with pytest.raises(ReadError) as exc:
        importer.read_printed(src, expected=EXPECTED)
    assert "il file è troppo grande" in str(exc.value) and "al massimo 32 MB" in str(exc.value)
    with open(src, "r+b") as fh:
        fh.truncate(5 * 1024 * 1024)  # past a text's 4 MB: read as the PDF it is
    with pytest.raises(ImportError_):
        importer.read_printed(src, expected=EXPECTED)


# --- soc25 import, end to end -----------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_soc25_import_of_the_pdf_writes_the_draft_of_its_text(tmp_path, capsys, forms, layout):
    _, made = forms
    (tmp_path / "stampa.txt").write_text(made[layout].text(), encoding="utf-8")
    (tmp_path / "stampa.pdf").write_bytes(made[layout].pdf())
    assert main(["import", str(tmp_path / "stampa.txt"), "-o", str(tmp_path / "da-testo.toml")]) == 0
    capsys.readouterr()
    assert main(["import", str(tmp_path / "stampa.pdf"), "-o", str(tmp_path / "da-pdf.toml")]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0] == f"Creata {tmp_path / 'da-pdf.toml'} (stampa in formato {layout}, letta dal PDF)."
    assert "nota: il file non è in UTF-8" not in out
    assert (tmp_path / "da-pdf.toml").read_bytes() == (tmp_path / "da-testo.toml").read_bytes()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda made: image_pdf(), pdftext.NO_TEXT),
        (lambda made: made["portale"].pdf(password="segreto"), pdftext.PASSWORD),
        (lambda made: made["portale"].pdf()[:3000], None),
        (lambda made: pdf([[Text(40, 800, 10, "Verbale della seduta del consiglio comunale")]]), None),
    ],
    ids=["scan", "password", "truncated", "not-soc25"],
)
def test_soc25_import_of_a_pdf_it_cannot_read_writes_nothing(tmp_path, capsys, forms, make, message):
    _, made = forms
    src = tmp_path / "stampa.pdf"
    src.write_bytes(make(made))
    dst = tmp_path / "bozza.toml"
    dst.write_text("# la bozza di prima\n", encoding="utf-8")
    assert main(["import", str(src), "-o", str(dst), "--force"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"soc25: {src}: il ") and "Traceback" not in err
    if message:
        assert err == f"soc25: {src}: {message}\n"
    assert dst.read_text(encoding="utf-8") == "# la bozza di prima\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bozza.toml", "stampa.pdf"]
