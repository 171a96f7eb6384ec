"""The R40 drafting assistant: facts from the draft, never over 6.000 characters."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soc25_tui import r40
from soc25_tui.cli import main
from soc25_tui.drafts import backup_path, load
from soc25_tui.layout import (
    INPUT_CELLS,
    Q3_INPUTS,
    Q4_BLOCK_BY_CASE,
    Q4_ITEMS,
    R40_MAX_CHARS,
    USER_ROWS,
    Kind,
)
from soc25_tui.model import Draft
from soc25_tui.numbers import format_money, format_number
from soc25_tui.rules import evaluate

from .conftest import EXAMPLES, held_by_a_colleague


def example(name: str):
    return load(EXAMPLES / f"{name}.toml")


def case_c():
    """Tortona's figures with a lower reference level: spending below need, service ok."""
    draft = example("tortona")
    draft.set("R05", Decimal("1.00"))
    return draft


DRAFTS = {
    "A": lambda: example("sondrio"),
    "B": lambda: example("lomellina"),
    "C": case_c,
    "D": lambda: example("tortona"),
}

BIG_INT = 10**12 - 1
BIG_MONEY = Decimal("999999999999.99")
LONG_TEXT = ("Modalità di calcolo molto dettagliata, con riferimento al contratto collettivo. " * 80).strip()


def largest(case: str, *, shortfall: bool = False):
    """Every field at its largest, every Quadro 4 item SI, long texts; arranged to give `case`."""
    fields: dict = {"comune": "X" * 200, "provincia": "ZZ", "istat": "9" * 20}
    for row in USER_ROWS:
        fields[f"{row.code}_2019"] = 0 if row.kind.key == "famiglia" else BIG_INT // 3
        fields[f"{row.code}_2024"] = BIG_INT
        if row.has_hours:
            fields[f"{row.code}_ore"] = BIG_INT
    fields.update(
        R0C=LONG_TEXT, R0D=LONG_TEXT, R0E=BIG_INT,
        R01_2020=Decimal("1.00"), R01_2024=Decimal("0.01"), R01A_2024=Decimal("0.00"),
        R02_2020=Decimal("99999999.99"), R02_2024=Decimal("0.50"),
        R03=BIG_INT,
    )
    service_ok = case in ("A", "C")
    fields["R05"] = Decimal("0.01") if service_ok else BIG_MONEY
    if case in ("A", "B"):
        fields.update(R06=Decimal("1.00"), R07_2017=BIG_MONEY, R07_2021=BIG_MONEY, R08=BIG_MONEY)
    else:
        fields.update(R06=BIG_MONEY, R07_2017=Decimal("1.00"), R07_2021=Decimal("2.00"), R08=BIG_MONEY)
    for code in ("R10", "R11"):
        fields[f"{code}_numero"] = Decimal("99999999.99")
        fields[f"{code}_modalita"] = LONG_TEXT
    spesa = Decimal("1.00") if shortfall else BIG_MONEY
    fields.update(R10_spesa=spesa, R11_spesa=spesa, R12=spesa, R13=spesa, R14=spesa)
    for item in Q4_ITEMS:
        fields[item.code] = "SI"
    return Draft(**fields)


def test_counter_and_count_chars():
    assert r40.count_chars("àèìòù") == 5  # characters, not the 10 UTF-8 bytes
    assert r40.count_chars(None) == 0
    assert r40.counter_text(1234) == "1.234 / 6.000 caratteri"
    assert r40.counter_text(0) == "0 / 6.000 caratteri"


@pytest.mark.parametrize("case", "ABCD")
def test_examples_give_their_case_and_fit(case):
    draft = DRAFTS[case]()
    outcome = evaluate(draft)
    assert outcome.case == case
    text = r40.propose(draft, outcome)
    assert 0 < r40.count_chars(text) <= R40_MAX_CHARS


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona"])
def test_cited_figures_are_the_drafts(name):
    draft = example(name)
    o = evaluate(draft)
    text = r40.propose(draft, o)
    v = o.values
    assert f"da {format_number(v['R0B_2019'])} a {format_number(v['R0B_2024'])}" in text
    if o.staff_total:
        assert f"1 assistente sociale ogni {format_number(v['R01B'])} abitanti (R01B)" in text
    assert f"pari a {format_number(v['R04'], 2)}%" in text
    assert f"(R05) pari a {format_number(draft.R05, 2)}%" in text
    assert f"è pari a {format_money(o.reference_spending)} euro" in text
    assert f"(R06) di {format_money(draft.R06)} euro" in text


def test_sondrio_sentences():
    text = r40.propose(example("sondrio"))
    assert "aumentato da 6.355 a 7.162 (+807 utenti, +12,70%)" in text
    # Kinds summed over the three areas: famiglia 327+77+400 -> 1131+103+240.
    assert "gli utenti famiglia e minori, aumentati da 804 a 1.474 (+670)" in text
    assert "gli utenti anziani, aumentati da 350 a 552 (+202)" in text
    assert "gli utenti povertà, disagio adulti e senza dimora, diminuiti da 1.168 a 990 (-178)" in text
    assert "migliore sia del LEP di un assistente sociale ogni 5.000 abitanti" in text
    assert "non inferiore al livello di servizio di riferimento (R05) pari a 8,69%" in text
    # Quadro 4: the SI answers with their labels, none of the NO ones, no placeholder.
    for code in ("R16", "R17", "R18", "R20", "R21"):
        assert f"({code})" in text
    assert "(R19)" not in text and "[Completare" not in text
    # Case A: nothing about Quadro 3 spending.
    assert "R15" not in text


def test_tortona_case_d_quadro3_and_nullo():
    draft = example("tortona")
    text = r40.propose(draft)
    assert "risulta nullo" in text
    assert "ogni 0 abitanti" not in text
    assert "1 assistente sociale ogni 4.718 abitanti" in text  # the ATS estimate, R0E
    assert "(R09) pari a 2.420,47 euro" in text
    assert "(R14) per 3.396,00 euro" in text
    assert "(R10" not in text and "(R12)" not in text  # zero amounts are not listed
    assert "copre interamente le risorse da rendicontare" in text
    assert "[Completare: specificare il motivo indicato in R39 «Altro».]" in text


def test_shortfall_is_stated():
    draft = example("tortona")
    draft.set("R14", Decimal("1000.00"))
    text = r40.propose(draft)
    assert "non copre ancora le risorse da rendicontare: mancano 1.420,47 euro." in text


def test_lomellina_placeholder_and_unanswered_items():
    text = r40.propose(example("lomellina"))
    assert "[Completare: specificare il motivo indicato in R28 «Altro».]" in text
    assert "(R23)" not in text  # answered NO


@pytest.mark.parametrize("case", "ABCD")
def test_one_placeholder_per_altro_si(case):
    draft = DRAFTS[case]()
    block = Q4_BLOCK_BY_CASE[case]
    for item in block.items:
        draft.set(item.code, "SI")
    text = r40.propose(draft)
    altro = [item.code for item in block.items if item.altro]
    for code in altro:
        assert text.count(f"[Completare: specificare il motivo indicato in {code} «Altro».]") == 1
    for item in block.items:
        if not item.altro:
            assert f"({item.code})" in text


def test_no_case_no_case_sentences():
    draft = example("sondrio")
    draft.set("R06", None)
    o = evaluate(draft)
    assert o.case is None
    text = r40.propose(draft, o)
    assert "R16" not in text and "a causa di" not in text and "R09" not in text
    assert "(R06)" not in text
    assert "aumentato da 6.355 a 7.162" in text  # what the data does support stays


def test_missing_inputs_skip_sentences():
    draft = example("sondrio")
    draft.set("M12_2019", None)
    draft.set("R05", None)
    text = r40.propose(draft)
    assert "R0B" not in text  # the 2019 total would be partial
    assert "R04" not in text and "R05" not in text
    assert r40.propose(Draft()) == ""


@pytest.mark.parametrize("case", "ABCD")
@pytest.mark.parametrize("shortfall", [False, True])
def test_largest_draft_fits_and_keeps_whole_sentences(case, shortfall):
    draft = largest(case, shortfall=shortfall)
    o = evaluate(draft)
    assert o.case == case
    text = r40.propose(draft, o)
    assert r40.count_chars(text) <= R40_MAX_CHARS
    # Made only of whole sentences: rebuilding from those present gives the same text.
    sentences = r40._sentences(draft, o)
    kept = [s for s in sentences if s.text in text]
    assert r40._join(kept) == text
    assert len(kept) < len(sentences)  # something had to go...
    # ...but never the main facts nor the placeholder.
    assert "R0B" in text and "R04" in text and "(R06)" in text
    for item in Q4_BLOCK_BY_CASE[case].items:
        if item.altro:
            assert f"[Completare: specificare il motivo indicato in {item.code} «Altro».]" in text
    if case in ("C", "D"):
        assert f"(R09) pari a {format_money(o.values['R09'])} euro" in text
        assert ("mancano" in text) is shortfall


def test_missing_altro():
    draft = example("tortona")
    assert r40.missing_altro(draft) == []  # R40 already explains R39
    draft.set("R40", "   \n")
    assert r40.missing_altro(draft, evaluate(draft)) == ["R39"]
    draft.set("R39", "NO")
    assert r40.missing_altro(draft) == []
    draft.set("R28", "SI")  # another block's Altro does not count
    assert r40.missing_altro(draft) == []
    assert r40.missing_altro(Draft(R22="SI")) == []  # no case, no block


# --- no draft makes it crash or overflow -----------------------------------------------------------

def _value(cell):
    if cell.kind is Kind.INT:
        return st.none() | st.integers(min_value=-5, max_value=10**15)
    if cell.kind is Kind.ATS_RATIO:
        return st.none() | st.integers(min_value=0, max_value=10**9)
    if cell.kind is Kind.DEC:
        return st.none() | st.decimals(
            min_value=Decimal("-10"), max_value=Decimal("99999999999.99"), places=2,
            allow_nan=False, allow_infinity=False,
        )
    if cell.kind is Kind.SINO:
        return st.sampled_from([None, "SI", "NO"])
    return st.none() | st.text(max_size=3000)


_INTERESTING = [c for c in INPUT_CELLS if c.quadro in (1, 2) or c.name in Q3_INPUTS or c.kind is Kind.SINO]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({c.name: _value(c) for c in _INTERESTING}))
def test_any_draft_gives_a_bounded_proposal(fields):
    draft = Draft(**fields)
    text = r40.propose(draft)
    assert r40.count_chars(text) <= R40_MAX_CHARS


# --- soc25 r40 ---------------------------------------------------------------------------------------

def test_cli_prints_the_proposal(capsys):
    assert main(["r40", str(EXAMPLES / "tortona.toml")]) == 0
    out, err = capsys.readouterr()
    assert out == r40.propose(example("tortona")) + "\n"
    assert "/ 6.000 caratteri" in err


def test_cli_write_refuses_when_r40_is_not_empty(tmp_path, capsys):
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    before = path.read_bytes()
    assert main(["r40", str(path), "--write"]) == 1
    err = capsys.readouterr().err
    assert "R40 contiene già una relazione" in err and "non la sovrascrivo" in err
    assert path.read_bytes() == before
    assert not Path(backup_path(path)).exists()


def test_cli_write_fills_an_empty_r40(tmp_path, capsys):
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    before = path.read_bytes()
    assert main(["r40", str(path), "--write"]) == 0
    saved = load(path)
    assert saved.R40 == r40.propose(example("sondrio"))
    assert Path(backup_path(path)).read_bytes() == before  # drafts.save kept the previous version
    # Everything else is unchanged.
    original = example("sondrio")
    for cell in INPUT_CELLS:
        if cell.name != "R40":
            assert saved.get(cell.name) == original.get(cell.name), cell.name
    # Now R40 is not empty: a second --write refuses and leaves the file alone.
    after = path.read_bytes()
    capsys.readouterr()
    assert main(["r40", str(path), "--write"]) == 1
    assert path.read_bytes() == after


def test_cli_write_keeps_the_placeholder_and_says_so(tmp_path, capsys):
    path = tmp_path / "tortona.toml"
    draft = example("tortona")
    draft.set("R40", None)
    from soc25_tui.drafts import save

    save(path, draft, backup=False)
    assert main(["r40", str(path), "--write"]) == 0
    assert "[Completare:" in load(path).R40
    assert "completare i punti segnati" in capsys.readouterr().err



def test_cli_write_refuses_a_draft_open_in_the_tui(tmp_path, monkeypatch, capsys):
    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)  # R40 empty: --write would fill it
    before = path.read_bytes()
    other, lock_file = held_by_a_colleague(monkeypatch, path)
    lock_before = Path(lock_file).read_bytes()

    assert main(["r40", str(path), "--write"]) == 1
    out, err = capsys.readouterr()
    assert f"la bozza è aperta da {other.describe()}" in err and lock_file in err
    assert "non la modifico" in err
    assert out == ""
    assert path.read_bytes() == before
    assert not Path(backup_path(path)).exists()
    assert Path(lock_file).read_bytes() == lock_before  # the TUI's lock is left alone

    assert main(["r40", str(path)]) == 0  # only reading: fine while it is open
    assert capsys.readouterr().out == r40.propose(example("sondrio")) + "\n"


def test_cli_write_holds_the_lock_while_writing_and_releases_it(tmp_path, monkeypatch, capsys):
    from soc25_tui import drafts, session

    path = tmp_path / "sondrio.toml"
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    holders = []
    real_save = drafts.save

    def save(p, draft, **kw):
        holders.append(session.read_holder(p))
        real_save(p, draft, **kw)

    monkeypatch.setattr(drafts, "save", save)
    assert main(["r40", str(path), "--write"]) == 0
    assert holders and holders[0].pid == __import__("os").getpid()
    assert session.read_holder(path) is None and not Path(session.lock_path(path)).exists()


def test_cli_missing_file_and_bad_args(tmp_path, capsys):
    assert main(["r40", str(tmp_path / "manca.toml")]) == 2
    assert "il file non esiste" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["r40"])
    assert exc.value.code == 2
    assert "errore negli argomenti" in capsys.readouterr().err


def test_cli_empty_draft(capsys):
    assert main(["r40", str(EXAMPLES / "vuota.toml")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nessuna frase proponibile" in captured.err
