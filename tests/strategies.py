"""Hypothesis strategies: any draft the model can hold, including odd and hostile values.

Only hypothesis draws here (no `random`, no set order), so that the CI profile
(`derandomize=True`) runs the same examples every time."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from soc25_tui.core.layout import CELL_BY_NAME, INPUT_CELLS, Kind
from soc25_tui.core.model import Draft, one_newline

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

# What a person could have written in the file that the cell cannot take. Every value here is
# one that TOML reads back as it is: strings with "\n" line ends (as the model keeps them),
# decimals without exponent.
_bad_text = _text.map(lambda t: one_newline("x" + t))  # "x..." is never a number, SI/NO or NC
_non_integral = st.builds(  # 12.34: in a cell of whole numbers
    lambda whole, cents: Decimal(whole) + Decimal(cents).scaleb(-2),
    st.integers(min_value=-(10**6), max_value=10**9), st.integers(min_value=1, max_value=99),
)
_too_precise = st.builds(  # 8.695: one decimal more than the two a figure has
    lambda whole, tenths, last: Decimal(whole) + Decimal(10 * tenths + last).scaleb(-3),
    st.integers(min_value=-(10**6), max_value=10**9), st.integers(min_value=0, max_value=99),
    st.integers(min_value=1, max_value=9),
)
_array = st.lists(
    st.one_of(st.integers(min_value=-5, max_value=10**6), st.booleans(), _text.map(one_newline)), max_size=3
)
_table = st.dictionaries(st.text(alphabet="abcxyz_ -", min_size=1, max_size=4), st.integers(0, 99), max_size=2)
_UNREADABLE = {
    Kind.INT: st.one_of(_bad_text, st.booleans(), _non_integral, _array),
    Kind.DEC: st.one_of(_bad_text, st.booleans(), _too_precise, _array),
    Kind.TEXT: st.one_of(_array, _table),
    Kind.SINO: st.one_of(_bad_text, st.booleans(), st.integers(min_value=0, max_value=3), _non_integral, _array),
    Kind.ATS_RATIO: st.one_of(_bad_text, st.booleans(), _non_integral, _array),
}


@st.composite
def unreadable(draw, kind: Kind):
    """A TOML value that a cell of `kind` cannot take (kept in `Draft.invalid`)."""
    return draw(_UNREADABLE[kind])


@st.composite
def drafts(draw, fill=0.8):
    cells = {}
    for cell in INPUT_CELLS:
        if draw(st.floats(0, 1)) < fill:
            cells[cell.name] = draw(_VALUES[cell.kind])
    names = draw(st.lists(st.sampled_from([c.name for c in INPUT_CELLS]), max_size=3, unique=True))
    invalid = {name: draw(unreadable(CELL_BY_NAME[name].kind)) for name in names}
    for name in invalid:
        cells.pop(name, None)
    return Draft(**cells, invalid=invalid)
