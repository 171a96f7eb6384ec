"""A cell's value both ways: what was typed (or read from TOML) -> the cell's value, and the
value -> the text a person reads or edits. One module for every face and output.

- `parse_input`: what a person typed into a cell (Italian numbers, R0E as 5000, 1:5000 or
  NC, SI/NO), with an Italian refusal that names the cell, says what was typed and what is
  expected. A person can be asked: "1.234" typed into a figure with decimals is refused as
  ambiguous (see `numbers`), where a draft file's "1.234" reads as 1234.
- `coerce`: a TOML value into the cell's type (the loader keeps what fails, verbatim).
- `display` / `cell_value` / `edit_text`: a value (given or derived) as shown, as computed,
  as put back into an edit line.
- `raw_text` / `raw_text_toml`: an unreadable value kept from the file, as a person reads it
  and as TOML writes it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .layout import CELL_BY_NAME, NON_CALCOLABILE, Kind
from .limits import MAX_INTEGER_DIGITS, shortened, text_limit
from .model import one_newline
from .numbers import NumberError, TooManyDigits, format_number, parse_number, quantize
from .visible import visible

# --- typed or read -> value --------------------------------------------------------------


def coerce(name: str, value: Any) -> Any:
    """Turn a TOML value into the cell's type; raise ValueError with an Italian reason."""
    # The usual values first, each as the general way below would give it: a draft has a
    # hundred cells and `check` reads thousands of drafts.
    kind = type(value)
    if kind is int:
        if name in _WHOLE and -_BOUND < value < _BOUND:
            return value
    elif kind is Decimal:
        quantum = _QUANTUM.get(name)
        if quantum is not None and value.is_finite() and -_DECIMAL_BOUND < value < _DECIMAL_BOUND:
            rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
            if rounded == value:
                return rounded
    elif kind is str:
        if value in ("SI", "NO") and name in _SINO:
            return value
        if "\r" not in value and len(value) <= _TEXT_LIMIT.get(name, -1):
            return value
    return _coerce(name, value)


def _coerce(name: str, value: Any) -> Any:
    cell = CELL_BY_NAME[name]
    kind = cell.kind
    if kind is Kind.TEXT:
        if isinstance(value, (dict, list)):
            raise ValueError("atteso un testo")
        return _bounded_text(name, one_newline(str(value)))
    if kind is Kind.SINO:
        if isinstance(value, (dict, list)):
            raise ValueError("atteso SI o NO")
        text = str(value).strip().upper().replace("Ì", "I")
        if text == "":
            return None
        if text not in ("SI", "NO"):
            raise ValueError("atteso SI o NO")
        return text
    if kind is Kind.ATS_RATIO and isinstance(value, str):
        return _ats_ratio(value.strip())  # "5000", "1:5000", "NON CALCOLABILE", as typed
    if isinstance(value, (bool, dict, list)):
        raise ValueError("atteso un numero")  # noqa: TRY004 - the loader catches ValueError
    if isinstance(value, str):
        try:
            number = parse_number(value, integer=kind is not Kind.DEC, places=cell.places)
        except NumberError as exc:
            raise ValueError(str(exc)) from None
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):  # pragma: no cover - tomllib is called with parse_float
        number = Decimal(repr(value))
    else:
        raise ValueError("atteso un numero")  # noqa: TRY004 - the loader catches ValueError
    if not number.is_finite():  # TOML's inf and nan
        raise ValueError("atteso un numero")
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:  # 1e40, or 29 digits
        raise ValueError(f"numero troppo grande: al massimo {MAX_INTEGER_DIGITS} cifre prima della virgola")
    if kind is Kind.DEC:
        rounded = quantize(number, cell.places)  # bounded above: fits Decimal's 28 digits
        if rounded != number:
            raise ValueError(f"al massimo {cell.places} decimali")
        return rounded
    if number != number.to_integral_value():
        raise ValueError("atteso un numero intero")
    return int(number)


# What `coerce` takes as it is: a whole number of the cell's bound (a number of digits past
# it is refused below) in a whole-number cell; a decimal with no more places than its cell's
# (the quantum); a text of its cell's bound without a Windows line end; SI or NO.
_BOUND = 10**MAX_INTEGER_DIGITS
_DECIMAL_BOUND = Decimal(_BOUND)  # compared with a Decimal without converting it each time
_WHOLE = frozenset(c.name for c in CELL_BY_NAME.values() if c.kind in (Kind.INT, Kind.ATS_RATIO) and not c.derived)
_QUANTUM = {c.name: Decimal(1).scaleb(-c.places) for c in CELL_BY_NAME.values() if c.kind is Kind.DEC and not c.derived}
_TEXT_LIMIT = {c.name: text_limit(c.name) for c in CELL_BY_NAME.values() if c.kind is Kind.TEXT and not c.derived}
_SINO = frozenset(c.name for c in CELL_BY_NAME.values() if c.kind is Kind.SINO and not c.derived)


def _bounded_text(name: str, text: str) -> str:
    """A text cell's value, refused past `limits.text_limit` (a pasted file, a forged draft)."""
    limit = text_limit(name)
    if len(text) > limit:
        raise ValueError(
            f"testo di {format_number(len(text))} caratteri, troppo lungo: al massimo "
            f"{format_number(limit)}"
        )
    return text


def invalid_reason(name: str, raw: Any) -> str:
    """Why a value kept in `Draft.invalid` could not be read: coerce's Italian reason,
    without the value when it quotes it first («1000…» ha troppe cifre: ... -> ha troppe
    cifre: ...), for a message that quotes the value itself."""
    try:
        coerce(name, raw)
    except ValueError as exc:
        why = str(exc)
        return why.partition("» ")[2] if why.startswith("«") else why
    return ""


def parse_input(name: str, text: str) -> Any:
    """What a person typed into a cell -> the cell's value (None for an empty cell).

    Raises ValueError with an Italian sentence that names the cell, says what was typed and
    what is expected; the caller keeps the previous value."""
    cell = CELL_BY_NAME[name]
    raw = text.strip()
    if cell.kind is Kind.TEXT:
        try:
            return _bounded_text(name, one_newline(raw)) or None
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    if not raw:
        return None
    try:
        if cell.kind is Kind.ATS_RATIO:
            return _ats_ratio(raw)
        if cell.kind is Kind.SINO:
            value = coerce(name, raw)
        else:
            number = parse_number(raw, integer=cell.kind is Kind.INT, places=cell.places, ask=True)
            value = int(number) if cell.kind is Kind.INT else number
    except ValueError as exc:
        reason = str(exc)
        if not reason.startswith("«"):
            reason = f"«{raw}» non valido: {reason}"
        raise ValueError(visible(f"{name}: {reason}")) from None  # it quotes what was typed
    if isinstance(value, (int, Decimal)) and value < 0:
        raise ValueError(visible(f"{name}: «{raw}» è negativo: atteso un valore ≥ 0"))
    return value


# R0E as typed: "5000", "5.000", "1:5000", "1 : 5.000", or NON CALCOLABILE (NC, N.C.).
R0E_EXPECTED = "il numero di abitanti per assistente sociale, es. 5000 o 1:5000, oppure NON CALCOLABILE"
_NC_FORMS = (NON_CALCOLABILE.replace(" ", ""), "NC", "N.C.", "N.C")


def _is_nc(text: str) -> bool:
    """NON CALCOLABILE, NC or N.C., in any case and spacing (typed, or in a draft file)."""
    return "".join(text.upper().split()) in _NC_FORMS


def _ats_ratio(raw: str) -> Any:
    """R0E as typed -> a whole number of inhabitants per social worker, or NON_CALCOLABILE."""
    if _is_nc(raw):
        return NON_CALCOLABILE
    shown = shortened(raw)
    figure = raw
    if ":" in raw:
        one, _, figure = raw.partition(":")
        try:
            ok = parse_number(one, integer=True) == 1
        except NumberError:
            ok = False
        if not ok:
            raise ValueError(
                f"«{shown}» non valido: il rapporto si scrive 1:N (1 assistente sociale ogni N "
                f"abitanti); atteso {R0E_EXPECTED}"
            )
    try:
        number = parse_number(figure, integer=True)
    except TooManyDigits:
        raise
    except NumberError:
        try:  # a figure with decimals ("4718,5"): say so
            parse_number(figure, places=9)
        except NumberError:
            raise ValueError(f"«{shown}» non valido: atteso {R0E_EXPECTED}") from None
        raise ValueError(f"«{shown}» non è un numero intero: atteso {R0E_EXPECTED}") from None
    if number < 0:
        raise ValueError(f"«{shown}» è negativo: atteso {R0E_EXPECTED}")
    if number == 0:
        raise ValueError(
            f"«{shown}» non valido: il numero di abitanti deve essere maggiore di 0; "
            f"atteso {R0E_EXPECTED}"
        )
    return int(number)


def expected(name: str) -> str:
    """What a cell expects, in Italian ("un numero intero ≥ 0", "SI o NO", ...)."""
    cell = CELL_BY_NAME.get(name)
    if cell is None:
        return "un valore previsto dal modulo"
    return {
        Kind.INT: "un numero intero ≥ 0",
        Kind.DEC: f"un numero con al massimo {cell.places} decimali (es. 1.984.440,83)",
        Kind.TEXT: "un testo",
        Kind.SINO: "SI o NO",
        Kind.ATS_RATIO: "un numero intero di abitanti o NON CALCOLABILE",
    }[cell.kind]


def filled(value: Any) -> bool:
    """A cell that says something: not empty, not blank text, not zero."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return value != 0


def count_chars(text: str | None) -> int:
    """Characters (code points), not bytes: what R40's 6.000 limit counts."""
    return len(text or "")


# --- value -> text -----------------------------------------------------------------------


def cell_value(name: str, draft: Any, outcome: Any) -> Any:
    """A cell's value, given or derived (derived ones rounded as the portal prints them)."""
    cell = CELL_BY_NAME[name]
    if cell.derived:
        value = outcome.values.get(name)
        if isinstance(value, Decimal):
            return quantize(value, cell.places)
        return value
    return draft.get(name)


def display(name: str, draft: Any, outcome: Any, *, short: bool = False) -> str:
    """A cell's value as a person reads it (Italian format, as the portal prints it); "" for
    an empty cell. An unreadable value kept from the file is shown as typed, between «».
    Text is data: its control characters are shown (`visible`), never sent to the screen.
    `short`: R0E and R01B as ratios ("1:4718"), for narrow columns."""
    if name in draft.invalid:
        return f"«{raw_shown(draft.invalid[name])}»"
    cell = CELL_BY_NAME[name]
    value = cell_value(name, draft, outcome)
    if value is None:
        return ""
    if name == "R0E":
        if value == NON_CALCOLABILE:
            return "N.C." if short else NON_CALCOLABILE
        return f"1:{value}" if short else f"1 assistente sociale ogni: {value} abitanti"
    if name == "R01B":
        return f"1:{value}" if short else f"1 assistente ogni : {value}"
    if name in ("R04", "R05"):
        return format_number(value, 2) + "%"
    if cell.kind is Kind.INT:
        return format_number(value)
    if cell.kind is Kind.DEC:
        return format_number(value, cell.places)
    return visible(str(value))


def edit_text(name: str, draft: Any, outcome: Any) -> str:
    """What an edit of `name` starts from: the value as typed back (R0E's bare number, a
    text as it is, control characters and all: the edit line shows it by `visible`), or the
    unreadable text kept from the file."""
    if name in draft.invalid:
        return raw_text(draft.invalid[name])
    value = draft.get(name)
    if value is None:
        return ""
    if name == "R0E" or CELL_BY_NAME[name].kind is Kind.TEXT:
        return str(value)
    return display(name, draft, outcome)


# --- values kept verbatim from the file --------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def described(name: str, draft: Any, outcome: Any) -> str:
    """A cell as a sentence names it: its value as shown, «vuota», «il valore non valido
    «x»» (kept from the file, or typed and not valid), R40 as «un testo di N caratteri»; for
    the undo notices and the list of what a recovery would change."""
    if name in draft.invalid:
        return f"il valore non valido «{raw_shown(draft.invalid[name])}»"
    if name == "R40":
        n = count_chars(draft.R40 or "")
        if n == 1:
            return "un testo di un carattere"
        return f"un testo di {format_number(n)} caratteri" if n else "vuota"
    return display(name, draft, outcome) or "vuota"


def raw_text(value: Any) -> str:
    """A value kept in `Draft.invalid`, as a person reads it in messages and edits it.

    A string is the text itself (what was typed, without TOML's quotes). A number has the
    Italian decimal comma: `R05 = 8.695` in the file is eight and a bit, «8,695» (as «8.695»
    it would read, and be edited, as 8.695 thousands). Anything else is written as in the
    TOML file, on one line: `true`, `[1, "x"]`, `{ a = 1 }`."""
    if isinstance(value, str):
        return value
    text = raw_text_toml(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return text.replace(".", ",")
    return text


def raw_shown(value: Any) -> str:
    """A value kept in `Draft.invalid` as a message or a grid quotes it: `raw_text`, shortened
    when long (a figure of 40 digits, a forged text of megabytes), its control characters
    shown (`visible`)."""
    return visible(shortened(raw_text(value)))


def raw_text_toml(value: Any) -> str:
    """A value as the TOML file has it, on one line (a string with its quotes)."""
    if isinstance(value, list):
        return "[" + ", ".join(raw_text_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = (
            f"{key if _BARE_KEY.fullmatch(key) else raw_text_toml(key)} = {raw_text_toml(item)}"
            for key, item in value.items()
        )
        return "{ " + ", ".join(pairs) + " }"
    import tomli_w  # only for a value kept unreadable: not on `check`'s usual path

    return tomli_w.dumps({"x": value}).removeprefix("x = ").removesuffix("\n")
