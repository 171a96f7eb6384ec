"""The draft: one pydantic field per input cell of the form, named by its public name.

The fields are generated from `layout.INPUT_CELLS`, so the layout stays the one source of
truth; `Draft.model_fields` lists them (M12_2019, ..., R07_2021, ..., R39, R40).

Figures are stored as read (a negative count is kept, and reported by the checks); a value
that could not be read at all (say "abc" typed in a TOML file) is kept verbatim in
`invalid`, so that it is reported and written back, never silently dropped.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from .layout import INPUT_CELLS, Kind

SCHEMA_VERSION = 1

SiNo = Literal["SI", "NO"]

_PY_TYPES: dict[Kind, Any] = {
    Kind.INT: Optional[int],
    Kind.DEC: Optional[Decimal],
    Kind.TEXT: Optional[str],
    Kind.SINO: Optional[SiNo],
    Kind.ATS_RATIO: Optional[int],
}


class _DraftBase(BaseModel):
    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    invalid: dict[str, str] = Field(
        default_factory=dict,
        description="Values that could not be read, by public cell name, kept verbatim.",
    )

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def set(self, name: str, value: Any) -> None:
        """Set a cell (clearing any unreadable value kept for it)."""
        setattr(self, name, value)
        self.invalid.pop(name, None)

    def inputs(self) -> dict[str, Any]:
        return {cell.name: getattr(self, cell.name) for cell in INPUT_CELLS}


Draft = create_model(  # type: ignore[call-overload]
    "Draft",
    __base__=_DraftBase,
    __doc__="A SOC25 draft: every input cell of the form, by public name.",
    **{cell.name: (_PY_TYPES[cell.kind], None) for cell in INPUT_CELLS},
)
