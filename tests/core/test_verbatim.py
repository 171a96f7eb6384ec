"""The VERBATIM texts of the catalog (core/messages.py) against their sources: the spec
(SOC25.md, which quotes each of them) and the printed forms in tests/seeds/ that show them.

Both sources wrap lines and the printed forms mix ' and ’ (and the compact print has U+2010
for "-"): the comparison is on whitespace collapsed to one space, ’ read as ' and U+2010 as
"-". Anything else (a letter, an accent, a comma, a full stop) must be exactly as printed.
"""

import os
from pathlib import Path

import pytest

from soc25_tui.core.messages import CATALOG, VERBATIM, text

from ..conftest import LOMELLINA, ROOT, SONDRIO, TORTONA

VERBATIM_KEYS = [key for key, entry in CATALOG.items() if entry.kind == VERBATIM]

# The spec as the project was given it (../shared/spec/SOC25.md), copied into the tests so
# that they run the same on any clone; SOC25_SPEC names another copy to check against.
SPEC = Path(os.environ.get("SOC25_SPEC") or ROOT / "tests" / "spec" / "SOC25.md")

# The spec abbreviates one sentence after its twin: «"Nel 2024 il livello … non inferiore al
# livello di servizio di riferimento." when R04 ≥ R05, otherwise "… è risultato inferiore al
# livello di servizio di riferimento."».
ABBREVIATED = {
    "q1_livello_inferiore": (
        "Nel 2024 il livello di servizio effettivo dell'ente locale",
        "… è risultato inferiore al livello di servizio di riferimento.",
    ),
}

# Where a printed form shows the text letter by letter (the figure of R01B filled in).
PRINTED = {
    "q1_nota": [LOMELLINA, TORTONA],
    "q3_intestazione": [LOMELLINA, TORTONA],
    "nota_finale": [SONDRIO],
    "q1_assistenti_nullo": [TORTONA],
    "q1_lep": [SONDRIO, LOMELLINA, TORTONA],
    "q1_lep_6500": [TORTONA],
    "q1_livello_inferiore": [LOMELLINA, TORTONA],
    "q1_vai_quadro2": [LOMELLINA, TORTONA],
    "q2_caso_B": [LOMELLINA],
    "q2_vai_quadro4": [SONDRIO, LOMELLINA],
    "q2_caso_D": [TORTONA],
    "q2_vai_quadro3": [TORTONA],
    "q3_coerente": [TORTONA],
    "q3_vai_quadro4": [LOMELLINA, TORTONA],
}
RATIO_PRINTED = {SONDRIO: "1331", LOMELLINA: "1748"}  # R01B in «pari a 1 ogni N abitanti»
# Shown by no printed form here (Sondrio's compact print words case A and the service level
# differently): the spec is their only source.
SPEC_ONLY = {"q1_livello_non_inferiore", "q2_caso_A"}


def norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").replace("\u2010", "-").split())


@pytest.fixture(scope="module")
def spec() -> str:
    return norm(SPEC.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", VERBATIM_KEYS)
def test_verbatim_text_is_the_specs(key, spec):
    entry = CATALOG[key].text  # placeholders as the spec writes them: {R01B}
    if key in ABBREVIATED:
        head, tail = ABBREVIATED[key]
        assert norm(tail) in spec and norm(head) in spec
        assert entry == head + " " + tail.removeprefix("… ")
    else:
        assert norm(entry) in spec, key


@pytest.mark.parametrize("key, seed", [(k, s) for k, seeds in PRINTED.items() for s in seeds],
                         ids=lambda v: v.name[:3] if isinstance(v, Path) else v)
def test_verbatim_text_is_the_printed_forms(key, seed):
    assert norm(text(key)) in norm(seed.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", list(RATIO_PRINTED), ids=lambda v: v.name[:3])
def test_ratio_sentence_is_the_printed_forms(seed):
    sentence = text("q1_assistenti_rapporto", R01B=RATIO_PRINTED[seed])
    assert norm(sentence) in norm(seed.read_text(encoding="utf-8"))


def test_every_verbatim_text_has_a_printed_source_or_is_known_to_have_none():
    assert set(VERBATIM_KEYS) == set(PRINTED) | {"q1_assistenti_rapporto"} | SPEC_ONLY


def test_catalog_texts_have_single_spaces():
    """The comparisons above collapse whitespace: a doubled or stray space is caught here."""
    for key, entry in CATALOG.items():
        assert entry.text == " ".join(entry.text.split()), key
