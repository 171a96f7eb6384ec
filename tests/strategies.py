"""Hypothesis strategies: any draft the model can hold, including odd and hostile values."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from soc25_tui.layout import INPUT_CELLS, Kind
from soc25_tui.model import Draft

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)
_dec = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False)
_VALUES = {
    Kind.INT: st.integers(min_value=-(10**9), max_value=10**12),
    Kind.DEC: _dec,
    Kind.TEXT: _text,
    Kind.SINO: st.sampled_from(["SI", "NO"]),
    Kind.ATS_RATIO: st.one_of(st.integers(min_value=-5, max_value=10**7), st.just("NON CALCOLABILE")),
}


@st.composite
def drafts(draw, fill=0.8):
    cells = {}
    for cell in INPUT_CELLS:
        if draw(st.floats(0, 1)) < fill:
            cells[cell.name] = draw(_VALUES[cell.kind])
    # What a person could have typed in the file that is not a number ("x..." never parses).
    unreadable = _text.map(lambda t: "x" + t)
    invalid = draw(st.dictionaries(st.sampled_from([c.name for c in INPUT_CELLS if c.kind is Kind.INT]), unreadable, max_size=2))
    for name in invalid:
        cells.pop(name, None)
    return Draft(**cells, invalid=invalid)
