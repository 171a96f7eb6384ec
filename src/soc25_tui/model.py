"""The draft: one pydantic field per input cell of the form, named by its public name.

The fields are generated from `layout.INPUT_CELLS`, so the layout stays the one source of
truth; `Draft.model_fields` lists them (M12_2019, ..., R07_2021, ..., R39, R40).

Figures are stored as read (a negative count is kept, and reported by the checks); a value
that could not be read at all (say "abc" typed in a TOML file) is kept verbatim in
`invalid`, so that it is reported and written back, never silently dropped.

Start-up matters here (`soc25 check` runs once per draft in scripts): only `BaseModel` is
imported from pydantic (`Field` alone costs ~20 ms), and the validation schema is built on
first use (`defer_build`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel

from .layout import INPUT_CELLS, Kind

SCHEMA_VERSION = 1

SiNo = Literal["SI", "NO"]

_PY_TYPES: dict[Kind, Any] = {
    Kind.INT: Optional[int],
    Kind.DEC: Optional[Decimal],
    Kind.TEXT: Optional[str],
    Kind.SINO: Optional[SiNo],
    Kind.ATS_RATIO: Optional[Union[int, Literal["NON CALCOLABILE"]]],
}


def one_newline(value: Any) -> Any:
    """Windows line ends (pasted text) become "\\n", as TOML would make them on reload."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class _DraftBase(BaseModel):
    model_config = {"validate_assignment": True, "extra": "forbid", "defer_build": True}

    # Values that could not be read, by public cell name, kept verbatim.
    invalid: dict[str, Any] = {}

    def __init__(self, **data: Any) -> None:
        super().__init__(**{key: one_newline(value) for key, value in data.items()})

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def set(self, name: str, value: Any) -> None:
        """Set a cell (validated), clearing any unreadable value kept for it."""
        setattr(self, name, one_newline(value))
        self.invalid.pop(name, None)

    def inputs(self) -> dict[str, Any]:
        return {cell.name: getattr(self, cell.name) for cell in INPUT_CELLS}


Draft = type(_DraftBase)(
    "Draft",
    (_DraftBase,),
    {
        "__module__": __name__,
        "__doc__": "A SOC25 draft: every input cell of the form, by public name.",
        "__annotations__": {cell.name: _PY_TYPES[cell.kind] for cell in INPUT_CELLS},
        **{cell.name: None for cell in INPUT_CELLS},
    },
)
