"""Italian number parsing and formatting, on exact decimals.

Accepted input: "1984440,83", "1.984.440,83", "1984440.83", "1 984 440,83" (also with a
non-breaking or thin space, and "€" before or after it).

Dots, one way everywhere:
- dots between groups of three digits are thousands: "1.234.567", "1.234,5" (dots, then the
  decimal comma), "2.500" in a whole number;
- a dot that cannot be a thousands separator is a decimal point: "2.5", "2.50",
  "1984440.83", and any leading "0." ("0.125" is 0,125, never 125: a group of thousands
  does not start with 0);
- a single dot followed by exactly three digits ("1.234", "12.345") could be either. Where
  the figure has decimals and a person typed it (`ask=True`), or where three decimals are
  allowed, it is refused with both readings; elsewhere (a whole number, a string in a draft
  file, where every figure has at most two decimals) it is thousands, as it always was.

Every refusal is a `NumberError` whose text says, in Italian, what was typed (shortened when
long) and what is expected. A figure has at most `limits.MAX_INTEGER_DIGITS` digits before
the comma: no Comune has more, and longer ones are refused here, before any rule sees them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .limits import MAX_FIGURE_CHARS, MAX_INTEGER_DIGITS, shortened

_SPACES = ("\u00a0", "\u202f", "\u2009", " ")
# Patterns compiled on first use (re's cache): `soc25 check` reads no figure as text.
_DIGITS = r"^\d+$"
# Thousands groups: the first of one to three digits, not starting with 0 ("0.125" and
# "012.345" are not thousands), then groups of exactly three.
_GROUPED = r"^[1-9]\d{0,2}(?:[.]\d{3})+$"
_SPACE_GROUPED = r"^[1-9]\d{0,2}(?: \d{3})+$"


class NumberError(ValueError):
    """A figure that cannot be read; str() is an Italian sentence for the person."""


class TooManyDigits(NumberError):
    """A figure past `limits.MAX_INTEGER_DIGITS`: whatever the cell, this is the reason."""


def _expected(integer: bool, places: int) -> str:
    if integer:
        return "un numero intero, es. 1234 o 1.234"
    if places:
        return f"un numero con al massimo {places} decimali, es. 1.984.440,83"
    return "un numero"


def parse_number(text: str, *, integer: bool = False, places: int = 2, ask: bool = False) -> Decimal:
    """Read an Italian-formatted figure. Returns a Decimal (integral when `integer`).

    `ask`: the text was typed by a person into a figure with decimals, who can be asked
    what "1.234" means (see the module's docstring); a draft file cannot be asked."""
    raw = text.strip()
    if len(raw) > MAX_FIGURE_CHARS:  # no figure is written with so many characters
        if set(raw) <= _FIGURE_CHARS:  # digits and separators: a figure, too long
            raise TooManyDigits(f"«{shortened(raw)}» non è un numero valido: {_too_many_digits()}")
        raise NumberError(f"«{shortened(raw)}» non è un numero valido: atteso {_expected(integer, places)}")
    s = raw.removeprefix("€").removesuffix("€").strip()  # "€ 100", "100 €", "4391,81€"
    for sp in _SPACES[:3]:
        s = s.replace(sp, " ")
    if not raw:
        raise NumberError("cella vuota: atteso " + _expected(integer, places))
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = ("-" if s[0] == "-" else ""), s[1:].strip()
    bad = f"«{shortened(raw)}» non è un numero valido: atteso {_expected(integer, places)}"
    if not s or not set(s) <= set("0123456789., "):
        raise NumberError(bad)

    int_part, frac = s, ""
    if "," in s:
        if s.count(",") > 1:
            raise NumberError(bad + " (usare la virgola solo per i decimali)")
        int_part, frac = s.split(",")
        if "." in frac or " " in frac:
            # "1.234,5.6" or "1,984,440.83" (English format)
            raise NumberError(bad + " (usare la virgola solo per i decimali)")
    elif "." in s:
        compact = s.replace(" ", "")
        if s.count(".") == 1 and not re.match(_GROUPED, compact):
            # One dot that cannot separate thousands: a decimal point ("1984440.83", "0.125").
            int_part, frac = s.split(".")
            if not frac:  # "12." as "12,": a separator with nothing after it
                raise NumberError(bad)
        elif s.count(".") == 1 and not integer and (ask or places >= 3):
            # "1.234" in a figure with decimals: 1,234 or 1234? Ask, with both readings.
            limit = f" (al massimo {places})" if places else ""
            raise NumberError(
                f"«{raw}» è ambiguo: si intende {sign}{compact.replace('.', ',')} o "
                f"{sign}{compact.replace('.', '')}? usare la virgola per i decimali{limit}"
            )
    if not int_part:
        raise NumberError(bad)
    if " " in int_part:
        if not re.match(_SPACE_GROUPED, int_part):
            raise NumberError(bad)
        int_part = int_part.replace(" ", "")
    if "." in int_part:
        if not re.match(_GROUPED, int_part):
            raise NumberError(bad + " (i punti separano le migliaia a gruppi di tre cifre)")
        int_part = int_part.replace(".", "")
    if not re.match(_DIGITS, int_part) or (frac and not re.match(_DIGITS, frac)):
        raise NumberError(bad)
    if "," in s and not frac:
        raise NumberError(bad)
    if len(int_part.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise TooManyDigits(f"«{shortened(raw)}» ha troppe cifre: {_too_many_digits()}")
    if integer and frac.strip("0"):
        raise NumberError(f"«{shortened(raw)}» non è un numero intero: atteso {_expected(True, 0)}")
    if not integer and len(frac.rstrip("0")) > places:
        raise NumberError(f"«{shortened(raw)}» ha troppi decimali: atteso {_expected(False, places)}")
    value = Decimal(f"{sign}{int_part}.{frac or '0'}")
    if integer:
        return Decimal(int(value))
    if not places:
        return value
    return value.quantize(Decimal(1).scaleb(-places))  # 15 digits and the places fit in 28


_FIGURE_CHARS = set("0123456789.,+-€ ").union(_SPACES)


def _too_many_digits() -> str:
    return f"al massimo {MAX_INTEGER_DIGITS} cifre prima della virgola, cioè 999.999.999.999.999"


def parse_int(text: str) -> int:
    return int(parse_number(text, integer=True))


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, places: int = 0, *, grouping: bool = True,
                  empty: str = "") -> str:
    """Italian format: thousands "." and decimal ","; `places` decimals (half-up). Any finite
    figure, however long (a count of 40 digits in a hand-written draft file)."""
    if value is None:
        return empty
    if isinstance(value, int):
        value = Decimal(value)
    with localcontext() as ctx:  # Decimal's 28 digits would refuse to quantize longer figures
        ctx.prec = max(ctx.prec, value.adjusted() + places + 2)
        q = quantize(value, places)
    sign = "-" if q < 0 else ""
    digits = f"{q.copy_abs():f}"  # copy_abs: abs() would round to 28 digits again
    int_part, _, frac = digits.partition(".")
    if grouping:
        int_part = f"{int(int_part):,}".replace(",", ".")
    return f"{sign}{int_part}{',' + frac if places else ''}"


def format_money(value: Decimal | None, empty: str = "") -> str:
    return format_number(value, 2, empty=empty)
