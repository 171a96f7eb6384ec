"""The reviewer's verdict and notes, kept in the draft itself (its `[revisione]` section).

A draft's `review` is a `Review`: a verdict (`STATES`: da-rivedere, the default; da-correggere;
approvata) and notes, each on a cell (by public name, given or derived) or on the whole draft
(`cell` None), with author (the OS user), time, text and whether it is resolved.

On disk:

    [revisione]
    stato = "approvata"
    impronta = "3f5c…"            # the cells when approved (see `fingerprint`)

    [[revisione.note]]
    cella = "R07_2021"            # absent: a note on the whole draft
    testo = "Manca la spesa del 2021"
    autore = "mrossi"
    quando = 2026-12-02T10:15:00+01:00
    risolta = false

A verdict `approvata` holds for the cells as they were when it was given: when they change
afterwards (`reconcile`, called by every load and every save), it goes back to da-rivedere and
a note records what changed. The reviewer's own notes and verdicts never change the cells.

Headless and immutable: every change returns a new `Review` (the editor's undo keeps the old).
`Note` and `Review` are NamedTuples, as layout's records are: as immutable as frozen
dataclasses and far cheaper to define, which counts for the start-up of `soc25 check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from .layout import CELL_BY_NAME
from .limits import TEXT_MAX_CHARS
from .numbers import format_number

if TYPE_CHECKING:
    import datetime as dt

SECTION = "revisione"
DEFAULT_STATE = "da-rivedere"
STATES = ("da-rivedere", "da-correggere", "approvata")
STATE_WORDS = {"da-rivedere": "da rivedere", "da-correggere": "da correggere", "approvata": "approvata"}
NOTE_MARK = "✎"  # a cell with an open note, in the grid and the status line (text: NO_COLOR-safe)
WHOLE = "bozza"  # how a person names the whole draft where a cell is asked (`soc25 review --note bozza …`)
MAX_NOTES = 1000  # a draft is a few kB: a thousand notes is far past any review

# The notes the program itself writes (worded here, once).
CHANGED_AFTER = "Modificata dopo l'approvazione"
CHANGED_OUTSIDE = ("Modificata fuori da soc25 dopo l'approvazione: le celle cambiate non si "
                   "possono sapere; confrontare con una copia approvata (soc25 diff).")
APPROVED_BY_HAND = ("Approvazione scritta a mano nel file, senza l'impronta che soc25 registra "
                    "approvando: il verdetto torna da rivedere. Per approvare: soc25 review "
                    "BOZZA.toml --state approvata, oppure Ctrl+T nell'interfaccia.")


class ReviewError(ValueError):
    """A `[revisione]` section that cannot be read, or a bad request: Italian, names the key."""


class Note(NamedTuple):
    cell: str | None  # a public cell name; None: the whole draft
    text: str
    author: str = ""
    time: dt.datetime | None = None
    resolved: bool = False

    @property
    def where(self) -> str:
        """The cell's name, or «bozza» for a note on the whole draft."""
        return self.cell or WHOLE

    def as_json(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "text": self.text,
            "author": self.author,
            "time": self.time.isoformat() if self.time else None,
            "resolved": self.resolved,
        }


class Review(NamedTuple):
    state: str = DEFAULT_STATE
    notes: tuple[Note, ...] = ()
    approved: str = ""  # the fingerprint of the cells when the verdict became approvata

    @property
    def empty(self) -> bool:
        return self.state == DEFAULT_STATE and not self.notes

    @property
    def open_notes(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if not n.resolved)

    def as_json(self) -> dict[str, Any]:
        return {"state": self.state, "notes": [n.as_json() for n in self.notes]}

    # --- changes (each returns a new Review) --------------------------------------------

    def with_state(self, state: str, draft: Any) -> Review:
        check_state(state)
        return self._replace(state=state, approved=fingerprint(draft) if state == "approvata" else "")

    def with_note(self, note: Note) -> Review:
        if len(self.notes) >= MAX_NOTES:
            raise ReviewError(f"al massimo {MAX_NOTES} note per bozza")
        return self._replace(notes=(*self.notes, note))

    def with_resolved(self, index: int, resolved: bool = True) -> Review:
        notes = list(self.notes)
        index = self.check_index(index)
        notes[index] = notes[index]._replace(resolved=resolved)
        return self._replace(notes=tuple(notes))

    def without(self, index: int) -> Review:
        notes = list(self.notes)
        del notes[self.check_index(index)]
        return self._replace(notes=tuple(notes))

    def check_index(self, index: int) -> int:
        """`index` (from 0) when it is a note of this review; else ReviewError naming the
        note as a person counts them (from 1)."""
        if not 0 <= index < len(self.notes):
            have = {0: "non ha note", 1: "ha una sola nota"}.get(len(self.notes), f"ha {len(self.notes)} note")
            raise ReviewError(f"nota {index + 1} inesistente: la bozza {have}")
        return index


def check_state(state: str) -> str:
    if state not in STATES:
        raise ReviewError(f"stato «{state}» non valido: atteso uno tra {', '.join(STATES)}")
    return state


_BY_FOLDED = {name.casefold(): cell for name, cell in CELL_BY_NAME.items()}  # no two names fold alike


def check_cell(name: str | None) -> str | None:
    """A cell named by a person (or a file), in any case (m12_ore, Comune): its public name,
    or None for «bozza»."""
    if name is None or name.strip().lower() in ("", WHOLE):
        return None
    key = name.strip()
    cell = CELL_BY_NAME.get(key) or _BY_FOLDED.get(key.casefold())
    if cell is None:
        raise ReviewError(f"cella «{name}» sconosciuta: atteso un nome pubblico del modulo "
                          f"(R07_2021, M12_ore, R40) oppure «{WHOLE}» per la bozza intera")
    return cell.name


def check_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ReviewError("il testo della nota è vuoto")
    if len(text) > TEXT_MAX_CHARS:
        raise ReviewError(f"nota troppo lunga: {format_number(len(text))} caratteri, al massimo "
                          f"{format_number(TEXT_MAX_CHARS)}")
    return text


def who() -> str:
    """The OS user writing a note (never fails: «sconosciuto»)."""
    import getpass

    try:
        return getpass.getuser() or "sconosciuto"
    except Exception:  # noqa: BLE001 - no USER, no passwd entry (a container), Windows oddities
        return "sconosciuto"


def now() -> dt.datetime:
    import datetime as dt  # here: `soc25 check` never writes a note

    return dt.datetime.now().astimezone().replace(microsecond=0)


def time_text(time: dt.datetime | None) -> str:
    """When a note was written, as a person reads it: «02/12/2026 10:15» (the author's clock,
    as the note keeps it); «data non indicata» for a note written without one."""
    return time.strftime("%d/%m/%Y %H:%M") if time else "data non indicata"


def author_text(note: Note) -> str:
    """Who wrote a note, or «autore non indicato» (a note written by hand without one)."""
    return note.author or "autore non indicato"


def note_heading(note: Note) -> str:
    """«R07_2021 · mrossi · 02/12/2026 10:15 · aperta»: a note's cell (or «bozza»), author,
    time and whether it is resolved, as the summary, `soc25 review` and the TUI list it."""
    return f"{note.where} · {author_text(note)} · {time_text(note.time)} · {'risolta' if note.resolved else 'aperta'}"


def open_text(review: Review) -> str:
    """«3 note, 1 aperta»: how many notes and how many still open («nessuna nota»)."""
    total, still = len(review.notes), len(review.open_notes)
    if not total:
        return "nessuna nota"
    return (f"{format_number(total)} {'nota' if total == 1 else 'note'}, "
            f"{format_number(still)} {'aperta' if still == 1 else 'aperte'}")


def new_note(cell: str | None, text: str, *, author: str | None = None, time: dt.datetime | None = None) -> Note:
    return Note(check_cell(cell), check_text(text), author if author is not None else who(), time or now())


# --- the approved version -----------------------------------------------------------------


def fingerprint(draft: Any) -> str:
    """A digest of every input cell's value (and of the values kept unreadable): equal exactly
    when the cells are."""
    import hashlib  # only for an approved draft: not on `check`'s usual path

    digest = hashlib.sha256()
    for name, value in draft.inputs().items():
        if value is not None:
            digest.update(f"{name}={type(value).__name__}:{value}\n".encode("utf-8", "surrogatepass"))
    for name, value in sorted(draft.invalid.items()):
        digest.update(f"!{name}={value!r}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def reconcile(draft: Any, changes: str | None = None) -> bool:
    """An approved draft whose cells changed since the approval goes back to da-rivedere,
    with a note saying what changed: `changes`, one line a cell (`compare.describe`), when the
    approved version is known; else (a file changed by hand) that it cannot be told, or (an
    approval written by hand, without `impronta`) that soc25 never gave it.
    Changes `draft.review` in place; True when it did."""
    review = draft.review
    if review.state != "approvata" or fingerprint(draft) == review.approved:
        return False
    if changes is None:  # a file changed by hand; or approved by hand, never by soc25
        note = Note(None, CHANGED_OUTSIDE if review.approved else APPROVED_BY_HAND)
    else:
        note = Note(None, f"{CHANGED_AFTER}:\n{changes}", who(), now())
    draft.review = Review(DEFAULT_STATE, (*review.notes, note), "")
    return True


# --- TOML ---------------------------------------------------------------------------------


def to_toml(review: Review) -> dict[str, Any] | None:
    """The `[revisione]` table, or None when there is nothing to keep (the default verdict and
    no notes: a Comune's draft stays as it was)."""
    if review.empty:
        return None
    table: dict[str, Any] = {"stato": review.state}
    if review.approved:
        table["impronta"] = review.approved
    notes = []
    for n in review.notes:
        item: dict[str, Any] = {}
        if n.cell:
            item["cella"] = n.cell
        item["testo"] = n.text
        if n.author:
            item["autore"] = n.author
        if n.time:
            item["quando"] = n.time
        item["risolta"] = n.resolved
        notes.append(item)
    if notes:
        table["note"] = notes
    return table


_NOTE_KEYS = {"cella", "testo", "autore", "quando", "risolta"}


def from_toml(table: Any) -> Review:
    """A `[revisione]` table as tomllib gave it -> Review; ReviewError (Italian, naming the key)
    for anything else."""
    import datetime as dt  # here: most drafts have no [revisione]

    if not isinstance(table, dict):
        raise ReviewError("attesa una sezione [revisione]")
    unknown = sorted(set(table) - {"stato", "impronta", "note"})
    if unknown:
        raise ReviewError(f"{unknown[0]}: chiave sconosciuta nella sezione [revisione]; attese: stato, impronta, note")
    state = table.get("stato", DEFAULT_STATE)
    if not isinstance(state, str):
        raise ReviewError(f"stato: atteso uno tra {', '.join(STATES)}")
    try:
        check_state(state)
    except ReviewError as exc:
        raise ReviewError(f"stato: {exc}") from None
    approved = table.get("impronta", "")
    if not isinstance(approved, str) or len(approved) > 64:
        raise ReviewError("impronta: atteso il testo scritto da soc25 all'approvazione")
    raw_notes = table.get("note", [])
    if not isinstance(raw_notes, list):
        raise ReviewError("note: atteso un elenco di note ([[revisione.note]])")
    if len(raw_notes) > MAX_NOTES:
        raise ReviewError(f"note: {len(raw_notes)} note, al massimo {MAX_NOTES}")
    notes = []
    for i, item in enumerate(raw_notes, 1):
        where = f"nota {i}"
        if not isinstance(item, dict):
            raise ReviewError(f"{where}: attesa una tabella [[revisione.note]]")
        unknown = sorted(set(item) - _NOTE_KEYS)
        if unknown:
            raise ReviewError(f"{where}: {unknown[0]}: chiave sconosciuta; attese: {', '.join(sorted(_NOTE_KEYS))}")
        cell = item.get("cella")
        text = item.get("testo")
        author = item.get("autore", "")
        when = item.get("quando")
        resolved = item.get("risolta", False)
        try:
            if cell is not None and not isinstance(cell, str):
                raise ReviewError("cella: atteso il nome pubblico di una cella")
            cell = check_cell(cell)
            if not isinstance(text, str):
                raise ReviewError("testo: atteso un testo tra virgolette")
            text = check_text(text)
        except ReviewError as exc:
            raise ReviewError(f"{where}: {exc}") from None
        if not isinstance(author, str) or len(author) > 200:
            raise ReviewError(f"{where}: autore: atteso un testo breve (il nome dell'utente)")
        if when is not None and not isinstance(when, dt.datetime):
            raise ReviewError(f"{where}: quando: attesa una data e ora (2026-12-02T10:15:00+01:00)")
        if not isinstance(resolved, bool):
            raise ReviewError(f"{where}: risolta: atteso true o false")
        notes.append(Note(cell, text, author, when, resolved))
    return Review(state, tuple(notes), approved)


EMPTY = Review()
