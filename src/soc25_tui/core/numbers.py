"""Italian number parsing and formatting, on exact decimals.

Accepted input: "1984440,83", "1.984.440,83", "1984440.83", "1 984 440,83" (also with a
non-breaking or thin space, and "€" before or after it); "1.234" is 1234, since no figure of
the form has three decimals. Refused: anything ambiguous ("1.234" where three decimals are
allowed could be 1234 or 1,234) or malformed ("1,2,3", "12a"). Every refusal is a
`NumberError` whose text says, in Italian, what was typed and what is expected.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = ("\u00a0", "\u202f", "\u2009", " ")
_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.]\d{3})+$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+$")


class NumberError(ValueError):
    """A figure that cannot be read; str() is an Italian sentence for the person."""


def _expected(integer: bool, places: int) -> str:
    if integer:
        return "un numero intero, es. 1234 o 1.234"
    if places:
        return f"un numero con al massimo {places} decimali, es. 1.984.440,83"
    return "un numero"


def parse_number(text: str, *, integer: bool = False, places: int = 2) -> Decimal:
    """Read an Italian-formatted figure. Returns a Decimal (integral when `integer`)."""
    raw = text
    s = text.strip()
    s = s.removeprefix("€").removesuffix("€").strip()  # "€ 100", "100 €", "4391,81€"
    for sp in _SPACES[:3]:
        s = s.replace(sp, " ")
    if not s:
        raise NumberError("cella vuota: atteso " + _expected(integer, places))
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:].strip()
    bad = f"«{raw.strip()}» non è un numero valido: atteso {_expected(integer, places)}"
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
        if s.count(".") == 1 and not _GROUPED.match(s.replace(" ", "")):
            # One dot not followed by a group of three: a decimal point ("1984440.83").
            int_part, frac = s.split(".")
        elif s.count(".") == 1 and not integer and places >= 3:
            # "1.234" where three decimals are allowed: 1234 or 1,234? Ask. With at most two
            # decimals (every figure of the form) it can only be thousands.
            raise NumberError(
                f"«{raw.strip()}» è ambiguo: scrivere {s.replace('.', '')} (migliaia) "
                f"oppure {s.replace('.', ',')} (decimali)"
            )
    if not int_part:
        raise NumberError(bad)
    if " " in int_part:
        if not _SPACE_GROUPED.match(int_part):
            raise NumberError(bad)
        int_part = int_part.replace(" ", "")
    if "." in int_part:
        if not _GROUPED.match(int_part):
            raise NumberError(bad + " (i punti separano le migliaia a gruppi di tre cifre)")
        int_part = int_part.replace(".", "")
    if not _DIGITS.match(int_part) or (frac and not _DIGITS.match(frac)):
        raise NumberError(bad)
    if "," in s and not frac:
        raise NumberError(bad)
    if integer and frac.strip("0"):
        raise NumberError(f"«{raw.strip()}» non è un numero intero: atteso {_expected(True, 0)}")
    if not integer and len(frac.rstrip("0")) > places:
        raise NumberError(
            f"«{raw.strip()}» ha troppi decimali: atteso {_expected(False, places)}"
        )
    try:
        value = Decimal(f"{sign}{int_part}.{frac or '0'}")
    except InvalidOperation:  # pragma: no cover - guarded by the regexes above
        raise NumberError(bad) from None
    if integer:
        return Decimal(int(value))
    return value.quantize(Decimal(1).scaleb(-places)) if places else value


def parse_int(text: str) -> int:
    return int(parse_number(text, integer=True))


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, places: int = 0, *, grouping: bool = True,
                  empty: str = "") -> str:
    """Italian format: thousands "." and decimal ","; `places` decimals (half-up)."""
    if value is None:
        return empty
    if isinstance(value, int):
        value = Decimal(value)
    q = quantize(value, places)
    sign = "-" if q < 0 else ""
    digits = f"{abs(q):f}"
    int_part, _, frac = digits.partition(".")
    if grouping:
        int_part = f"{int(int_part):,}".replace(",", ".")
    return f"{sign}{int_part}{',' + frac if places else ''}"


def format_money(value: Decimal | None, empty: str = "") -> str:
    return format_number(value, 2, empty=empty)
