"""The draft: the value of every input cell of the form, by its public name.

`Draft` has one attribute per input cell, generated from `layout.INPUT_CELLS` (M12_2019, ...,
R07_2021, ..., R39, R40), so the layout stays the one source of truth.

Every value that code puts into a draft is validated by pydantic against the cell's type:
`Draft(**cells)`, `draft.set(name, value)` and plain assignment alike (whole numbers, exact
decimals, text, "SI"/"NO", R0E's number or NON CALCOLABILE; None is an empty cell). The
TOML loader and the importer of printed forms give every value its type themselves, with
Italian messages (`values.coerce`), and build the draft with `Draft.trusted`, without a
second validation.

Figures are stored as read (a negative count is kept, and reported by the checks); a value
that could not be read at all (say "abc" typed in a TOML file) is kept verbatim in
`invalid`, so that it is reported and written back, never silently dropped.

Start-up: importing pydantic costs ~45 ms, as much as everything else `soc25` adds to
Textual's own start. It is imported on the first validation, not with this module: `soc25
check`, `soc25 summary`, `soc25 import` and the TUI's first screen never validate, and the TUI calls
`warm_up` in a worker thread once its first screen is painted, so that the first key typed
does not wait for it.
"""

from __future__ import annotations

import _thread
from decimal import Decimal
from typing import Any, Literal

from .layout import INPUT_CELLS, Kind
from .review import EMPTY as EMPTY_REVIEW
from .review import Review

SCHEMA_VERSION = 1

SiNo = Literal["SI", "NO"]

# The type of each kind of cell, as pydantic validates it (None: an empty cell).
_PY_TYPES: dict[Kind, Any] = {
    Kind.INT: int | None,
    Kind.DEC: Decimal | None,
    Kind.TEXT: str | None,
    Kind.SINO: SiNo | None,
    Kind.ATS_RATIO: int | Literal["NON CALCOLABILE"] | None,
}

_KIND: dict[str, Kind] = {cell.name: cell.kind for cell in INPUT_CELLS}
_NAMES: tuple[str, ...] = tuple(_KIND)
_ADAPTERS: dict[Kind, Any] = {}  # Kind -> pydantic.TypeAdapter, built on first use
# The TUI's warm-up thread and its UI thread may both ask (threading.Lock is this lock;
# the threading module itself costs `soc25 check` a millisecond to import).
_BUILDING = _thread.allocate_lock()


def one_newline(value: Any) -> Any:
    """Windows line ends (pasted text) become "\\n", as TOML would make them on reload."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _adapter(kind: Kind) -> Any:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        with _BUILDING:
            adapter = _ADAPTERS.get(kind)
            if adapter is None:
                from pydantic import TypeAdapter

                adapter = _ADAPTERS[kind] = TypeAdapter(_PY_TYPES[kind])
    return adapter


def validate(name: str, value: Any) -> Any:
    """`value` as cell `name` holds it; pydantic's ValidationError (a ValueError) if it cannot."""
    kind = _KIND.get(name)
    if kind is None:
        raise AttributeError(f"{name!r} is not an input cell of the form")
    return _adapter(kind).validate_python(one_newline(value))


def warm_up() -> None:
    """Import pydantic and build every validator now (the TUI does it in a worker thread)."""
    for kind in _PY_TYPES:
        _adapter(kind)


def same_kept(a: Any, b: Any) -> bool:
    """Two values kept unreadable (or None) are the same when the file writes them alike:
    1, true and 1.0 are equal to Python, not in the file (nor to `review.fingerprint`)."""
    return a is b or repr(a) == repr(b)


class Draft:
    """A SOC25 draft: every input cell of the form, by public name."""

    __slots__ = (*_NAMES, "invalid", "review")

    def __init__(self, *, invalid: dict[str, Any] | None = None, review: Review = EMPTY_REVIEW, **cells: Any) -> None:
        for name in _NAMES:
            object.__setattr__(self, name, None)
        for name, value in cells.items():
            setattr(self, name, value)  # validated
        # Values that could not be read, by public cell name, kept verbatim.
        object.__setattr__(self, "invalid", dict(invalid or {}))
        # The reviewer's verdict and notes (core/review.py): immutable, replaced whole.
        self.review = review

    @classmethod
    def trusted(cls, cells: dict[str, Any], invalid: dict[str, Any], review: Review = EMPTY_REVIEW) -> Draft:
        """A draft from values that already have their cell's type (the TOML loader's)."""
        draft = cls.__new__(cls)
        put, get = object.__setattr__, cells.get  # looked up once: thousands of drafts come here
        for name in _NAMES:
            put(draft, name, get(name))
        object.__setattr__(draft, "invalid", invalid)
        object.__setattr__(draft, "review", review)
        return draft

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "invalid":
            if not isinstance(value, dict):
                raise TypeError("Draft.invalid is a dict of cell name -> value as read")
            object.__setattr__(self, name, value)
        elif name == "review":
            if not isinstance(value, Review):
                raise TypeError("Draft.review is a core.review.Review")
            object.__setattr__(self, name, value)
        else:
            object.__setattr__(self, name, validate(name, value))

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def set(self, name: str, value: Any) -> None:
        """Set a cell (validated), clearing any unreadable value kept for it."""
        setattr(self, name, value)
        self.invalid.pop(name, None)

    def inputs(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _NAMES}

    def copy(self) -> Draft:
        return type(self).trusted(self.inputs(), dict(self.invalid), self.review)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Draft):
            return NotImplemented
        return (self.inputs() == other.inputs() and self.review == other.review
                and self.invalid.keys() == other.invalid.keys()
                and all(same_kept(v, other.invalid[k]) for k, v in self.invalid.items()))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        filled = ", ".join(f"{k}={v!r}" for k, v in self.inputs().items() if v is not None)
        invalid = f", invalid={self.invalid!r}" if self.invalid else ""
        review = "" if self.review.empty else f", review={self.review!r}"
        return f"Draft({filled}{invalid}{review})"
