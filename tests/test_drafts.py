import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from soc25_tui import drafts
from soc25_tui.checks import check
from soc25_tui.drafts import DraftError, dumps, load, loads, save
from soc25_tui.model import Draft
from soc25_tui.report import as_json, as_text
from soc25_tui.rules import evaluate

from .factories import make
from .strategies import drafts as any_draft


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
    outcome = evaluate(draft)
    problems = check(draft, outcome)
    as_text("x.toml", draft, outcome, problems)
    as_json("x.toml", draft, outcome, problems)


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


def test_invalid_toml_names_the_line_and_leaves_the_file(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text("schema_version = 1\n[quadro1]\nR03 = = 5\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DraftError) as exc:
        load(path)
    assert "riga 3" in str(exc.value) and "non è un file TOML valido" in str(exc.value)
    assert path.read_bytes() == before


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
    assert d.invalid == {"M12_2019": "dieci", "R03": "3.5", "R06": "1.234"}
    assert d.R05 == Decimal("8.69") and d.M15_2019 == 1234
    text = dumps(d)
    assert 'M12_2019 = "dieci"' in text and 'R03 = "3.5"' in text
    assert loads(text) == d


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
