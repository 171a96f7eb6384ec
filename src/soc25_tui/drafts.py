"""Drafts on disk: TOML, grouped by Quadro, keyed by public cell names.

- Saving is atomic: a temporary file in the same folder, flush + fsync, then replace (retried
  on a transient failure, as antivirus or indexers cause on Windows); the previous version is
  kept as `NAME.toml.bak`.
- Loading never writes. A file that is not TOML, or not a draft, raises `DraftError` with an
  Italian message naming the line or the cell. A value that cannot be read is kept verbatim
  (`Draft.invalid`) and written back as it was, so nothing is lost.
"""

from __future__ import annotations

import os
import re
import time
import tomllib
from decimal import Decimal
from typing import Any

import tomli_w

from .layout import CELL_BY_NAME, INPUT_CELLS, NON_CALCOLABILE, SECTION_BY_QUADRO, Kind
from .model import SCHEMA_VERSION, Draft, one_newline
from .numbers import NumberError, parse_number, quantize

HEADER = (
    "# Bozza della scheda SOC25 - Sociale - Monitoraggio degli obiettivi di servizio 2024\n"
    "# Scritta da soc25-tui. Ogni cella ha il nome pubblico del modulo (M12_2019, R07_2021,\n"
    "# R40, ...); una cella assente è vuota. Importi e decimali con il punto: 1984440.83.\n\n"
)
_SECTIONS = set(SECTION_BY_QUADRO.values())


class DraftError(Exception):
    """A draft that cannot be read or written; str() is Italian and names the place."""


# --- values ------------------------------------------------------------------------------


def coerce(name: str, value: Any) -> Any:
    """Turn a TOML value into the cell's type; raise ValueError with an Italian reason."""
    cell = CELL_BY_NAME[name]
    kind = cell.kind
    if kind is Kind.TEXT:
        if isinstance(value, (dict, list)):
            raise ValueError("atteso un testo")
        return one_newline(str(value))
    if kind is Kind.SINO:
        text = str(value).strip().upper().replace("Ì", "I")
        if text == "":
            return None
        if text not in ("SI", "NO"):
            raise ValueError("atteso SI o NO")
        return text
    if kind is Kind.ATS_RATIO and isinstance(value, str) and value.strip().upper() in (NON_CALCOLABILE, "NC", "N.C."):
        return NON_CALCOLABILE
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise ValueError("atteso un numero")
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
        raise ValueError("atteso un numero")
    if kind is Kind.DEC:
        rounded = quantize(number, cell.places)
        if rounded != number:
            raise ValueError(f"al massimo {cell.places} decimali")
        return rounded
    if number != number.to_integral_value():
        raise ValueError("atteso un numero intero")
    return int(number)


def parse_input(name: str, text: str) -> Any:
    """What a person typed into a cell -> the cell's value (None for an empty cell).

    Raises ValueError with an Italian sentence that names the cell, says what was typed and
    what is expected; the caller keeps the previous value."""
    cell = CELL_BY_NAME[name]
    raw = text.strip()
    if cell.kind is Kind.TEXT:
        return one_newline(text.strip()) or None
    if not raw:
        return None
    try:
        value = coerce(name, raw)
    except ValueError as exc:
        reason = str(exc)
        if not reason.startswith("«"):
            reason = f"«{raw}» non valido: {reason}"
        raise ValueError(f"{name}: {reason}") from None
    if isinstance(value, (int, Decimal)) and value < 0:
        raise ValueError(f"{name}: «{raw}» è negativo: atteso un valore ≥ 0")
    if cell.kind is Kind.ATS_RATIO and value == 0:
        raise ValueError(f"{name}: atteso il numero di abitanti per assistente sociale (> 0) o NON CALCOLABILE")
    return value


# --- TOML text ---------------------------------------------------------------------------


def dumps(draft: Any) -> str:
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for quadro, section in SECTION_BY_QUADRO.items():
        table: dict[str, Any] = {}
        for cell in INPUT_CELLS:
            if cell.quadro != quadro:
                continue
            if cell.name in draft.invalid:
                table[cell.name] = draft.invalid[cell.name]
                continue
            value = draft.get(cell.name)
            if value is not None:
                table[cell.name] = value
        doc[section] = table
    return HEADER + tomli_w.dumps(doc, multiline_strings=True)


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def loads(text: str, source: str = "bozza") -> Any:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        where = re.search(r"line (\d+), column (\d+)", detail)
        place = f"riga {where.group(1)}, colonna {where.group(2)}" if where else "posizione ignota"
        raise DraftError(
            f"{source}: non è un file TOML valido ({place}): {detail}. Il file non è stato modificato."
        ) from None

    def fail(key: str, reason: str) -> DraftError:
        line = _line_of(text, key)
        where = f" (riga {line})" if line else ""
        return DraftError(f"{source}{where}: {key}: {reason}. Il file non è stato modificato.")

    version = data.pop("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1:
        raise fail("schema_version", f"versione «{version}» non valida, atteso {SCHEMA_VERSION}")
    if version > SCHEMA_VERSION:
        raise fail(
            "schema_version",
            f"la bozza è della versione {version}, questo programma legge fino alla "
            f"{SCHEMA_VERSION}: aggiornare soc25-tui",
        )
    fields: dict[str, Any] = {}
    invalid: dict[str, str] = {}
    for section, table in data.items():
        if section not in _SECTIONS:
            raise fail(section, f"sezione sconosciuta; attese: {', '.join(SECTION_BY_QUADRO.values())}")
        if not isinstance(table, dict):
            raise fail(section, "attesa una sezione [" + section + "]")
        for key, value in table.items():
            cell = CELL_BY_NAME.get(key)
            if cell is None or cell.derived:
                why = "è calcolata dal programma e non va scritta" if cell else "cella sconosciuta"
                raise fail(key, why)
            if SECTION_BY_QUADRO[cell.quadro] != section:
                raise fail(key, f"la cella va nella sezione [{SECTION_BY_QUADRO[cell.quadro]}]")
            try:
                fields[key] = coerce(key, value)
            except ValueError:
                invalid[key] = str(value)
    # Every value went through coerce(), which gives each cell its type: no second validation.
    return Draft.model_construct(**fields, invalid=invalid)


# --- files -------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Any:
    p = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise DraftError(f"{p}: il file non esiste.") from None
    except IsADirectoryError:
        raise DraftError(f"{p}: è una cartella, non una bozza.") from None
    except OSError as exc:
        raise DraftError(f"{p}: impossibile leggere il file ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DraftError(
            f"{p} (riga {line}): il file non è testo UTF-8. Il file non è stato modificato."
        ) from None
    return loads(text, str(p))


def backup_path(path: str | os.PathLike[str]) -> str:
    return os.fspath(path) + ".bak"


def _replace(src: str, dst: str, attempts: int = 6) -> None:
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path` atomically; the old file stays intact on any failure."""
    p = os.fspath(path)
    folder, name = os.path.split(p)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, p)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise DraftError(f"{p}: impossibile salvare ({exc.strerror or exc}). Il file precedente è intatto.") from None
    if hasattr(os, "O_DIRECTORY"):
        try:
            fd = os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def save(path: str | os.PathLike[str], draft: Any, *, backup: bool = True) -> None:
    """Save atomically; the previous version (if any) becomes NAME.toml.bak."""
    p = os.fspath(path)
    text = dumps(draft)
    if backup and os.path.exists(p):
        try:
            with open(p, "rb") as fh:
                previous = fh.read()
            write_atomic(backup_path(p), previous)
        except (OSError, DraftError):
            pass  # a backup that cannot be written must not stop the save itself
    write_atomic(p, text)


def new_draft(**fields: Any) -> Any:
    return Draft(**fields)
