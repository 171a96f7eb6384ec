"""The quick path for plain TOML (core/quicktoml.py) reads exactly what tomllib reads, or
declines: on the drafts soc25 writes it must read (else it is no shortcut), on anything else it
may decline but never read differently."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soc25_tui.core import drafts
from soc25_tui.core.model import Draft
from soc25_tui.core.quicktoml import read

from ..conftest import EXAMPLES
from ..hostile import draft_texts


def _tomllib(text: str):
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return "error"


def _same_as_tomllib(text: str) -> bool:
    quick = read(text, Decimal)
    if quick is None:
        return True
    expected = _tomllib(text)
    # equal, and of the same types all the way down (1 and True, 1 and Decimal("1") differ)
    return expected != "error" and repr(quick) == repr(expected)


@pytest.mark.parametrize("name", ["sondrio", "lomellina", "tortona", "vuota"])
def test_the_examples_take_the_quick_path_and_read_as_tomllib_reads_them(name):
    text = (EXAMPLES / f"{name}.toml").read_text(encoding="utf-8")
    quick = read(text, Decimal)
    assert quick is not None
    assert repr(quick) == repr(tomllib.loads(text, parse_float=Decimal))


def test_a_draft_soc25_writes_with_an_r40_of_several_lines_takes_the_quick_path():
    draft = drafts.load(EXAMPLES / "tortona.toml")
    draft.set("R40", "Prima riga.\n\nTerza riga con «virgolette» e 'apici', l'euro € e 12,5%.")
    text = drafts.dumps(draft)
    quick = read(text, Decimal)
    assert quick is not None and quick["quadro4"]["R40"] == draft.R40
    assert repr(quick) == repr(tomllib.loads(text, parse_float=Decimal))
    assert drafts.loads(text) == draft


@pytest.mark.parametrize(
    "text",
    [
        'a = "x\\ty"',  # an escape: tomllib's
        'a = """\nx""""',  # quotes before the closing ones
        "a = 1\na = 2",  # twice: tomllib's error
        "[q]\n[q]",
        "a = 1\n[a]",
        "a = [1, 2]",
        "a = 1979-05-27",
        "a = 1e3",
        "a = +1",
        "a = 1_000",
        "a = 012",
        "a = 1234567890123456789012",
        "a = 'literal'",
        '"a" = 1',
        "a.b = 1",
        "[[t]]\nx = 1",
        "a = 1\r\nb = 2",
        'a = "x\x01"',
        'a = """\nnever closed',
        "a = 1 b",
        "a =",
    ],
)
def test_anything_beyond_the_plain_kind_is_left_to_tomllib(text):
    assert read(text, Decimal) is None


_ALPHABET = st.sampled_from(list('ab_-01239. =\n\t"#[]\\\'ée+') + ['"""', "\r\n", "R40", "true", "false"])


@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_any_text_reads_as_tomllib_reads_it_or_not_at_all(text):
    assert _same_as_tomllib(text)


@given(draft_texts())
def test_hostile_drafts_read_as_tomllib_reads_them_or_not_at_all(text):
    assert _same_as_tomllib(text)


@given(st.text(max_size=200))
def test_any_r40_written_by_soc25_reads_back_the_same(text):
    draft = Draft()
    draft.invalid["R40"] = text  # kept verbatim: dumps writes any text
    written = drafts.dumps(draft)
    assert _same_as_tomllib(written)
