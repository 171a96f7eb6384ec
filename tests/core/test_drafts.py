import os
import tomllib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from soc25_tui.core import drafts, values
from soc25_tui.core.assess import assess
from soc25_tui.core.drafts import DraftError, dumps, load, loads, save
from soc25_tui.core.model import Draft
from soc25_tui.core.report import as_json, as_text

from ..factories import make
from ..strategies import drafts as any_draft


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(any_draft())
def test_load_save_load_is_identity(draft):
    text = dumps(draft)
    again = loads(text)
    assert again == draft
    assert dumps(again) == text


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(any_draft(fill=0.6))
def test_no_draft_makes_rules_checks_or_reports_crash(draft):
    assessment = assess(draft)
    as_text("x.toml", draft, assessment)
    as_json("x.toml", draft, assessment)


def test_r40_with_accents_newlines_quotes_round_trips(tmp_path):
    r40 = 'Riga uno: "virgolette", l\'apostrofo ’ e à è ì ò ù €.\n\nSeconda riga\\ con \\n letterale\r\nfine """'
    d = make(R40=r40, R06=Decimal("1984440.83"), R01_2024=Decimal("0.59"))
    path = tmp_path / "b.toml"
    save(path, d)
    back = load(path)
    assert back == d and back.R06 == Decimal("1984440.83")
    assert back.R40 == r40.replace("\r\n", "\n")  # Windows line ends are stored as "\n"


def test_file_is_readable_and_grouped_by_quadro(tmp_path):
    text = dumps(make(R40="testo"))
    assert "schema_version = 1" in text
    order = [text.index(f"[{s}]") for s in ("intestazione", "quadro1", "quadro2", "quadro3", "quadro4")]
    assert order == sorted(order)
    assert "R06 = 100000.00" in text and "M12_2019 = 10" in text and 'R16 = "NO"' in text


def test_save_keeps_the_previous_version_as_backup(tmp_path):
    path = tmp_path / "b.toml"
    save(path, make(R03=1000))
    first = path.read_bytes()
    save(path, make(R03=2000))
    assert open(drafts.backup_path(path), "rb").read() == first
    assert load(path).R03 == 2000
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_failed_replace_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "b.toml"
    save(path, make(R03=1000))
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(DraftError, match="impossibile salvare"):
        save(path, make(R03=2000), backup=False)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["b.toml"]


def test_transient_permission_error_is_retried(tmp_path, monkeypatch):
    path = tmp_path / "b.toml"
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(1)
        if len(calls) < 3:
            raise PermissionError(13, "in uso")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    save(path, make(R03=1234), backup=False)
    assert load(path).R03 == 1234 and len(calls) == 3


def test_two_writers_of_one_file_never_share_a_temporary_file(tmp_path, monkeypatch):
    """The SIGHUP handler can write the recovery file while the worker thread is writing it
    (between its write and its replace): each must use a temporary file of its own."""
    path = tmp_path / ".b.toml.recupero"
    real = os.replace
    temporaries = []

    def replace_after_an_interruption(src, dst):
        temporaries.append(os.path.basename(src))
        if len(temporaries) == 1:  # the first writer is interrupted just before its replace
            drafts.write_atomic(path, "dal gestore di SIGHUP\n")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace_after_an_interruption)
    drafts.write_atomic(path, "dal thread di recupero\n")
    assert path.read_text(encoding="utf-8") == "dal thread di recupero\n"
    assert len(set(temporaries)) == 2
    assert all(t.startswith("..b.toml.recupero.") and t.endswith(".tmp") for t in temporaries)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".b.toml.recupero"]


def test_writers_in_threads_never_fail_or_mix(tmp_path):
    import threading

    path = tmp_path / "b.toml"
    payloads = [f"{n}\n".encode() * 20000 for n in range(4)]
    errors = []

    def writer(payload):
        try:
            for _ in range(15):
                drafts.write_atomic(path, payload)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert path.read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["b.toml"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_keeps_the_permissions_of_the_file(tmp_path):
    path = tmp_path / "b.toml"
    save(path, make(R03=1000))
    os.chmod(path, 0o640)
    save(path, make(R03=2000))
    assert os.stat(path).st_mode & 0o7777 == 0o640
    os.chmod(path, 0o600)  # a private draft: its backup and recovery stay private too
    save(path, make(R03=3000))
    assert os.stat(path).st_mode & 0o7777 == 0o600
    assert os.stat(drafts.backup_path(path)).st_mode & 0o7777 == 0o600
    from soc25_tui.core import session

    rec = session.write_recovery(path, make(R03=4000))
    assert os.stat(rec).st_mode & 0o7777 == 0o600
    assert load(path).R03 == 3000


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_default_mode_not_mkstemps(tmp_path, umask):
    old = os.umask(umask)
    try:
        save(tmp_path / "b.toml", make(R03=1000))
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "b.toml").st_mode & 0o7777 == 0o666 & ~umask


@pytest.mark.skipif(not hasattr(os, "chown"), reason="POSIX owners")
def test_save_gives_the_new_file_the_owner_of_the_old_one(tmp_path, monkeypatch):
    """Someone else's draft (a colleague's, edited with group rights, or by root): the saved
    file keeps its owner where the system allows it, and is saved anyway where it does not."""
    path = tmp_path / "b.toml"
    save(path, make(R03=1000))
    real_stat = os.stat
    theirs = os.stat(path)
    owner = (theirs.st_uid + 1, theirs.st_gid + 1)

    def stat(p, *args, **kwargs):
        st = real_stat(p, *args, **kwargs)
        if os.fspath(p) == str(path):  # the draft belongs to "someone else"
            fields = list(st)
            fields[4], fields[5] = owner
            return os.stat_result(fields)
        return st

    calls = []

    def chown(p, uid, gid):
        calls.append((os.path.basename(p), uid, gid))
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "chown", chown)
    save(path, make(R03=2000), backup=False)
    assert len(calls) == 1
    name, uid, gid = calls[0]
    assert name.startswith(".b.toml.") and name.endswith(".tmp") and (uid, gid) == owner
    monkeypatch.undo()
    assert load(path).R03 == 2000


def test_invalid_toml_names_the_line_and_leaves_the_file(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text("schema_version = 1\n[quadro1]\nR03 = = 5\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DraftError) as exc:
        load(path)
    assert "riga 3" in str(exc.value) and "non è un file TOML valido" in str(exc.value)
    assert path.read_bytes() == before


TOML_ERRORS = [
    # (text, place, Italian reason)
    ("[intestazione]\ncomune = Sondrio\n", "riga 2, colonna 10", "valore non valido: un testo va tra virgolette"),
    ("[quadro2]\nR06 = 1.984.440,83\n", "riga 2, colonna 12", "dopo il valore la riga deve finire"),
    ("[quadro1]\nR03 5\n", "riga 2, colonna 5", "manca «=» dopo il nome della cella"),
    ('[intestazione]\ncomune = "Sondrio\n', "riga 2, colonna 18", "testo non chiuso"),
    ('[quadro4]\nR40 = """Relazione', "fine del file, riga 2, colonna 19", "testo non chiuso"),
    ("[quadro1]\nR03 = 5\nR03 = 6\n", "riga 3, colonna 8", "valore già assegnato: la cella compare due volte"),
    ("[quadro1]\nR03 = 5\n[quadro1]\n", "riga 3, colonna 9", "la sezione compare due volte"),
    ("[quadro1]\n= 5\n", "riga 2, colonna 1", "riga non valida: attesi NOME = valore oppure [sezione]"),
    ("[quadro1]\nM12_2019 = [\n", "fine del file, riga 3, colonna 1", "il file finisce prima della fine del valore"),
    ("[quadro1]\nM12_2019 = [1, 2\n", "fine del file, riga 3, colonna 1", "elenco non chiuso: manca «]»"),
    ("[quadro1]\nM12_2019 = [1, 2\nR03 = 4\n", "riga 3, colonna 1", "elenco non chiuso: manca «]»"),
    ("[quadro1]\nM12_2019 = {a = 1\n", "riga 2, colonna 18", "parentesi graffa non chiusa"),
    ("[quadro1\n", "riga 1, colonna 9", "manca «]» alla fine del nome della sezione"),
    ('[intestazione]\ncomune = "a\\qb"\n', "riga 2, colonna 14", "barra rovesciata"),
    ("[intestazione]\ncomune = 'Sondrio\n", "fine del file, riga 3, colonna 1", "testo non chiuso"),
    ("[quadro4]\nR40 = \'\'\'Relazione", "fine del file, riga 2, colonna 19", "testo non chiuso"),
    ("[quadro1]\nR03 = \"a\x01b\"\n", "riga 2, colonna 9", "carattere non ammesso"),
    ("x = {a = 1, a = 2}\n", "riga 1, colonna 18", "nome ripetuto"),
]


@pytest.mark.parametrize("text,place,reason", TOML_ERRORS)
def test_toml_syntax_errors_are_told_in_italian(text, place, reason):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        english = str(exc).split(" (at ")[0]
    else:  # pragma: no cover
        pytest.fail("tomllib accepted the text")
    with pytest.raises(DraftError) as caught:
        loads(text, "b.toml")
    message = str(caught.value)
    assert message.startswith(f"b.toml: non è un file TOML valido ({place}): {reason}"), message
    assert message.endswith(". Il file non è stato modificato.")
    assert english not in message
    for word in ("line", "column", "Invalid", "Expected", "Cannot", "Unclosed", "Illegal", "end of document"):
        assert word not in message, word


def test_an_unforeseen_toml_error_is_still_italian(monkeypatch):
    def odd(*args, **kwargs):
        raise tomllib.TOMLDecodeError("Something new in Python 3.99 (at line 4, column 2)")

    monkeypatch.setattr(tomllib, "loads", odd)
    with pytest.raises(DraftError) as caught:
        loads("x = [1]\n", "b.toml")  # an array: not the plain TOML core/quicktoml reads itself
    assert str(caught.value) == (
        "b.toml: non è un file TOML valido (riga 4, colonna 2): errore di sintassi TOML. "
        "Il file non è stato modificato."
    )


def test_unknown_cell_is_named_with_its_line(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text("[quadro1]\nR03 = 5\nM13_2019 = 4\n", encoding="utf-8")
    with pytest.raises(DraftError) as exc:
        load(path)
    assert "M13_2019" in str(exc.value) and "riga 3" in str(exc.value) and "sconosciuta" in str(exc.value)


def test_cell_in_the_wrong_section_and_derived_cells_are_refused():
    with pytest.raises(DraftError, match=r"R06.*\[quadro2\]"):
        loads("[quadro1]\nR06 = 5\n")
    with pytest.raises(DraftError, match="R0B_2024.*calcolata"):
        loads("[quadro1]\nR0B_2024 = 5\n")


def test_unreadable_values_are_kept_and_written_back():
    d = loads('[quadro1]\nM12_2019 = "dieci"\nR03 = 3.5\nR05 = "8,69"\nM15_2019 = "1.234"\n[quadro2]\nR06 = 1.234\n')
    assert d.invalid == {"M12_2019": "dieci", "R03": Decimal("3.5"), "R06": Decimal("1.234")}
    assert d.R05 == Decimal("8.69") and d.M15_2019 == 1234
    text = dumps(d)
    assert 'M12_2019 = "dieci"' in text and "R03 = 3.5\n" in text and "R06 = 1.234\n" in text
    assert loads(text) == d


UNREADABLE_TOML = """\
[intestazione]
comune = ["Sondrio", 2]
[quadro1]
M12_2019 = true
M15_2019 = 12.5
M18_2019 = [1, 2]
R0E = false
R03 = "tremila"
R05 = 8.695
[quadro2]
R06 = 1984440.835
R08 = inf
[quadro4]
R16 = 1
R17 = true
R18 = { risposta = "SI" }
"""


def test_unreadable_values_keep_their_toml_type_through_a_save(tmp_path):
    """A value kept because it cannot be read is written back as it was written: a boolean
    stays a boolean (not the string "True"), a decimal stays a number (not the string
    "8.695", which would later read as an Italian 8.695 thousands)."""
    d = loads(UNREADABLE_TOML)
    assert d.invalid == {
        "comune": ["Sondrio", 2], "M12_2019": True, "M15_2019": Decimal("12.5"), "M18_2019": [1, 2],
        "R0E": False, "R03": "tremila", "R05": Decimal("8.695"), "R06": Decimal("1984440.835"),
        "R08": Decimal("Infinity"), "R16": 1, "R17": True, "R18": {"risposta": "SI"},
    }
    path = tmp_path / "b.toml"
    save(path, d)
    text = path.read_text(encoding="utf-8")
    for line in ('comune = [\n    "Sondrio",\n    2,\n]', "M12_2019 = true\n", "M15_2019 = 12.5\n",
                 "R0E = false\n", 'R03 = "tremila"\n', "R05 = 8.695\n", "R06 = 1984440.835\n",
                 "R08 = inf\n", "R16 = 1\n", "R17 = true\n", 'risposta = "SI"'):
        assert line in text, line
    back = load(path)
    assert back.invalid == d.invalid and back.R05 is None and back.M12_2019 is None
    for name, value in d.invalid.items():  # same type, not only an equal value (True == 1)
        assert type(back.invalid[name]) is type(value), name
    assert dumps(back) == dumps(d)


def test_raw_text_shows_a_kept_value_as_a_person_reads_it():
    # A number with the Italian decimal comma: 8.695 in the file is not 8.695 thousands.
    assert [values.raw_text(v) for v in (True, False, Decimal("8.695"), 12, Decimal("Infinity"))] == [
        "true", "false", "8,695", "12", "inf",
    ]
    assert values.raw_text("dieci") == "dieci"  # the text as typed, without TOML's quotes
    assert values.raw_text([1, "x", True, [2.5]]) == '[1, "x", true, [2.5]]'  # as in the file
    assert values.raw_text({"risposta": "SI", "a b": 1}) == '{ risposta = "SI", "a b" = 1 }'
    assert values.raw_text([]) == "[]" and values.raw_text({}) == "{}"
    d = loads(UNREADABLE_TOML)
    for name, value in d.invalid.items():  # raw_text_toml reads back as the same TOML value
        assert tomllib.loads(f"x = {values.raw_text_toml(value)}", parse_float=Decimal)["x"] == value


def test_editing_a_kept_decimal_does_not_make_it_a_thousand_times_bigger():
    """R06 = 12.345 in the file (three decimals: kept as unreadable). Its text in the edit
    line, confirmed as it is, must still be refused, not read as 12.345 thousands."""
    d = loads("[quadro2]\nR06 = 12.345\n")
    assert d.invalid == {"R06": Decimal("12.345")}
    with pytest.raises(ValueError, match="decimali"):
        values.parse_input("R06", values.raw_text(d.invalid["R06"]))


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "1e-30"])
@pytest.mark.parametrize("cell", ["R06", "M12_2019", "R0E", "R16"])
def test_odd_toml_numbers_are_kept_not_crashes(value, cell):
    section = {"R06": "quadro2", "R16": "quadro4"}.get(cell, "quadro1")
    d = loads(f"[{section}]\n{cell} = {value}\n")
    # 1e400 is a whole number, but past the 15 digits a figure may have: kept, unreadable.
    assert cell in d.invalid and d.get(cell) is None
    assert f"{cell} = {values.raw_text_toml(d.invalid[cell])}" in dumps(d)


def test_italian_strings_and_si_variants_are_read():
    d = loads('[quadro1]\nR0E = "NON CALCOLABILE"\nR06x = 1\n'.replace("R06x = 1\n", "") +
              '[quadro2]\nR06 = "1.984.440,83"\n[quadro4]\nR16 = "si"\nR17 = "Sì"\nR18 = "no"\n')
    assert d.R0E == "NON CALCOLABILE" and d.R06 == Decimal("1984440.83")
    assert (d.R16, d.R17, d.R18) == ("SI", "SI", "NO")


def test_newer_schema_is_refused():
    with pytest.raises(DraftError, match="versione 2"):
        loads("schema_version = 2\n")


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "b.toml"
    path.write_bytes(b"[intestazione]\ncomune = \"Citt\xe0\"\n")
    with pytest.raises(DraftError, match="riga 2.*UTF-8"):
        load(path)
    with pytest.raises(DraftError, match="non esiste"):
        load(tmp_path / "nessuna.toml")


def test_shipped_examples_load(examples_dir):
    for path in sorted(examples_dir.glob("*.toml")):
        load(path)
    assert load(examples_dir / "vuota.toml") == Draft()


def test_terminal_controls_in_a_text_are_escaped_in_the_file(tmp_path):
    """tomli_w writes DEL, C1 and the bidirectional overrides raw: `cat` would send them to
    the terminal. In the file they are \\uXXXX, the same TOML value."""
    hostile = "A\x9bB\u202eC\x7fD\u2066E\x85"
    draft = make(R0C=hostile)
    path = tmp_path / "bozza.toml"
    save(path, draft)
    raw = path.read_bytes()
    for char in "\x9b\u202e\x7f\u2066\x85":
        assert char.encode("utf-8") not in raw
    assert b"\\u009b" in raw.lower() and b"\\u202e" in raw.lower()
    assert load(path).get("R0C") == hostile
    assert load(path) == draft
