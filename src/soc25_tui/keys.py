"""Every key of the TUI once: its id, the keys that press it, what it does, in Italian.

The bindings of the app, the screens and the widgets (`bindings(scope)`), the footer (the
bindings with `show`), the F1 help (`help_rows`), the Quadri tabs and the command palette
(`QUADRI`, `label`) are all built from `TABLE`; nothing else lists the keys.

A person may remap any binding by its id in a keymap file, as Posting does with
`set_keymap`: TOML, `id = "keys"` (Textual's key names, several separated by commas), in the
platform's config folder (`keymap_path()`, or the file named by `$SOC25_TASTI`):

    # ~/.config/soc25/tasti.toml
    salva = "ctrl+w"
    quadro1 = "f2,alt+1"

`load_keymap` reads it; a file that cannot be used gets an Italian message and is ignored
as a whole (a half-applied keymap would be worse than none).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from textual.binding import Binding
from textual.keys import key_to_character

# Who binds a key: the app (always active, priority), a Quadro screen, the final screen,
# the grid of a Quadro, the edit line, the start screen, the dialogs.
# The review table (START: the screen, ROWS: its table of drafts) is the first screen of
# `soc25 CARTELLA` and of `soc25` alone.
APP, QUADRO, FINAL, GRID, EDIT, START, ROWS, HELP, MESSAGES, DIALOG = (
    "app", "quadro", "final", "grid", "edit", "start", "rows", "help", "messages", "dialog")
# Scopes whose bindings are active at the same time: a key must not do two things in one.
CHAINS = ((APP, QUADRO, GRID), (APP, QUADRO, EDIT), (APP, FINAL), (APP, START, ROWS), (HELP,),
          (MESSAGES,), (DIALOG,))
# The list of the reviewer's notes (a dialog over the screens of a draft) has keys of its own.
NOTES = "notes"
CHAINS = (*CHAINS, (NOTES,))


class Key(NamedTuple):
    id: str  # what a keymap names (Italian: the person writes it)
    keys: str  # Textual's key names, comma-separated ("" for keys the widgets read: letters)
    action: str
    description: str  # the footer's and the palette's words
    scope: str
    row: str  # the line of the F1 help it belongs to
    help: str = ""  # that line's text (on the row's first key)
    show: bool = False  # in the footer
    priority: bool = False
    label: str = ""  # how the help names keys that are not bindings ("cifre, lettere")
    command: str = ""  # its line in the command palette (Ctrl+P), if it has one


# The Quadri and the final screen, in the form's order: (screen, binding id, title).
QUADRI = (
    ("q1", "quadro1", "Quadro 1"),
    ("q2", "quadro2", "Quadro 2"),
    ("q3", "quadro3", "Quadro 3"),
    ("q4", "quadro4", "Quadro 4"),
    ("final", "finale", "R40 e riepilogo"),
)

TABLE: tuple[Key, ...] = (
    Key("aiuto", "f1", "help", "Aiuto", APP, "aiuto", "questo aiuto", show=True, priority=True,
        command="Tasti e guida al quadro"),
    *(Key(kid, f"f{n}", f"go('{screen}')", title, APP, "quadri", "Quadro 1 … Quadro 4", priority=True)
      for n, (screen, kid, title) in enumerate(QUADRI[:4], 2)),
    Key("finale", "f6", "go('final')", "R40/riepilogo", APP, "finale",
        "relazione R40, riepilogo, problemi", priority=True),
    Key("messaggi", "f7", "messages", "Messaggi", QUADRO, "messaggi",
        "note e messaggi del quadro a tutto schermo", show=True, priority=True),
    Key("proponi", "f8", "propose", "Proponi testo R40", FINAL, "proponi",
        "schermata finale: proponi un testo per R40", show=True, priority=True),
    Key("editor", "ctrl+e", "own_editor", "Editor esterno", FINAL, "editor",
        "schermata finale: scrivi R40 nel proprio editor di testo ($VISUAL, $EDITOR)",
        priority=True, command="Scrivi R40 nel proprio editor di testo"),
    Key("vai", "ctrl+g", "jump", "Vai al campo", APP, "vai",
        "vai al campo (nome pubblico: R07_2021, M12_ore, …)", show=True, priority=True),
    Key("comandi", "ctrl+p", "command_palette", "Comandi", APP, "comandi",
        "comandi (anche «vai al campo»)", priority=True),
    Key("salva", "ctrl+s", "save", "Salva", APP, "salva", "salva la bozza", show=True, priority=True,
        command="Salva la bozza"),
    Key("annulla-modifica", "ctrl+z", "undo", "Annulla modifica", APP, "annulla-modifica",
        "annulla l'ultima modifica alla bozza (celle, risposte, R40, recupero)", priority=True,
        command="Annulla l'ultima modifica"),
    Key("ripeti-modifica", "ctrl+y", "redo", "Ripeti modifica", APP, "ripeti-modifica",
        "ripete la modifica annullata", priority=True, command="Ripeti la modifica annullata"),
    Key("nota", "ctrl+n", "note_add", "Nota", APP, "nota",
        "nota della revisione sulla cella (nella schermata finale: su R40 o sulla bozza intera)",
        priority=True, command="Aggiungi una nota della revisione"),
    Key("note", "ctrl+r", "notes", "Note", APP, "note",
        "note della revisione: leggerle, segnarle risolte, eliminarle, andare alla cella",
        priority=True, command="Note della revisione"),
    Key("verdetto", "ctrl+t", "verdict", "Verdetto", APP, "verdetto",
        "verdetto della revisione: da rivedere, da correggere, approvata", priority=True,
        command="Verdetto della revisione"),
    Key("esci", "ctrl+q", "quit", "Esci", APP, "esci",
        "esci (chiede se ci sono modifiche non salvate)", show=True, priority=True,
        command="Esci dal programma"),
    Key("frecce", "", "", "", GRID, "frecce",
        "spostarsi tra le celle; nella modifica, su e giù confermano e si spostano", label="Frecce"),
    Key("cella-successiva", "tab", "next_cell", "Cella successiva", GRID, "tab",
        "cella modificabile successiva / precedente"),
    Key("cella-precedente", "shift+tab", "prev_cell", "Cella precedente", GRID, "tab"),
    Key("modifica", "enter", "edit", "Modifica", GRID, "invio",
        "modifica la cella; nella modifica: conferma e passa alla successiva"),
    Key("scrivi", "", "", "", GRID, "scrivi",
        "iniziano la modifica della cella (anche sul nome della riga)", label="cifre, lettere"),
    Key("conferma", "enter", "done(1)", "Conferma", EDIT, "invio"),
    Key("conferma-avanti", "tab", "done(1)", "Conferma e avanti", EDIT, "tab"),
    Key("conferma-indietro", "shift+tab", "done(-1)", "Conferma e indietro", EDIT, "tab"),
    Key("conferma-giu", "down", "done(1)", "Conferma e avanti", EDIT, "frecce"),
    Key("conferma-su", "up", "done(-1)", "Conferma e indietro", EDIT, "frecce"),
    Key("annulla", "escape", "cancel", "Annulla", EDIT, "annulla",
        "annulla la modifica (torna il valore precedente)"),
    Key("svuota", "delete", "clear_cell", "Svuota", GRID, "svuota", "svuota la cella"),
    Key("risposte", "", "", "", GRID, "risposte", "Quadro 4: SI / NO / nessuna risposta",
        label="S / N / Spazio"),
    Key("nuova", "n", "new", "Nuova bozza", START, "nuova", "quadro d'insieme: nuova bozza", show=True),
    Key("apri", "enter", "open", "Apri", START, "invio", show=True),
    Key("ordina", "s", "sort_next", "Ordina", START, "ordina", "quadro d'insieme: ordina per la colonna successiva",
        show=True),
    Key("ordine-inverso", "i", "sort_reverse", "Inverti ordine", START, "ordina"),
    Key("filtra", "slash,f", "filter", "Filtra", START, "filtra", "quadro d'insieme: filtra per Comune, "
        "provincia o file", show=True),
    Key("filtra-caso", "c", "cycle_case", "Caso", START, "filtra", show=True),
    Key("filtra-stato", "v", "cycle_state", "Stato", START, "filtra", show=True),
    Key("togli-filtri", "escape", "clear_filters", "Togli filtri", START, "filtra"),
    Key("riga-su", "up", "cursor(-1)", "Riga precedente", ROWS, "righe"),
    Key("riga-giu", "down", "cursor(1)", "Riga successiva", ROWS, "righe"),
    Key("pagina-su", "pageup", "page(-1)", "Pagina precedente", ROWS, "righe"),
    Key("pagina-giu", "pagedown", "page(1)", "Pagina successiva", ROWS, "righe"),
    Key("prima-riga", "home", "first", "Prima riga", ROWS, "righe"),
    Key("ultima-riga", "end", "last", "Ultima riga", ROWS, "righe"),
    Key("colonne-sinistra", "left", "columns(-1)", "Colonne a sinistra", ROWS, "righe"),
    Key("colonne-destra", "right", "columns(1)", "Colonne a destra", ROWS, "righe"),
    Key("chiudi-aiuto", "escape,f1,q", "close", "Chiudi", HELP, "chiudi"),
    Key("chiudi-messaggi", "escape,f7,q", "close", "Chiudi", MESSAGES, "chiudi"),
    Key("annulla-dialogo", "escape", "cancel", "Annulla", DIALOG, "annulla"),
    Key("vai-nota", "enter", "jump", "Vai alla cella", NOTES, "invio"),
    Key("risolvi-nota", "r,space", "toggle", "Risolta / aperta", NOTES, "risolvi"),
    Key("elimina-nota", "delete", "delete", "Elimina", NOTES, "elimina"),
    Key("chiudi-note", "escape,q", "close", "Chiudi", NOTES, "chiudi"),
)
BY_ID = {key.id: key for key in TABLE}


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, each with its id (what a keymap remaps)."""
    return [
        Binding(k.keys, k.action, k.description, show=k.show, priority=k.priority, id=k.id)
        for k in TABLE if k.scope == scope and k.keys
    ]


_NAMES = {
    "escape": "Esc", "enter": "Invio", "delete": "Canc", "backspace": "Backspace",
    "tab": "Tab", "space": "Spazio", "up": "↑", "down": "↓", "left": "←", "right": "→",
    "pageup": "PagSu", "pagedown": "PagGiù", "home": "Inizio", "end": "Fine", "slash": "/",
}


def key_label(key: str) -> str:
    """One Textual key name as the help names it: "ctrl+s" -> "Ctrl+S", "delete" -> "Canc"."""
    *mods, base = key.strip().split("+")
    name = _NAMES.get(base) or (base.upper() if len(base) <= 3 else base.capitalize())
    return "+".join([*(m.capitalize() for m in mods), name])


def action_of(key: str, scope: str, keymap: dict[str, str] | None = None) -> str | None:
    """The action a key has in a scope, as the keymap sets it (None: no binding there)."""
    for entry in TABLE:
        if entry.scope == scope and entry.keys and key in keys_of(entry.id, keymap).split(","):
            return entry.action
    return None


def fill(text: str, keymap: dict[str, str] | None = None) -> str:
    """A guide naming keys by id ("{proponi} propone un testo"), with the keys as set."""
    return text.format(**{k.id: label(k.id, keymap) for k in TABLE if k.id.isidentifier()})


def keys_of(key_id: str, keymap: dict[str, str] | None = None) -> str:
    """The keys of a binding, the person's keymap first."""
    return (keymap or {}).get(key_id) or BY_ID[key_id].keys


def label(key_id: str, keymap: dict[str, str] | None = None) -> str:
    """How the help and the tabs name a binding's keys: "F2", "Esc / F1 / Q"."""
    key = BY_ID[key_id]
    if not key.keys:
        return key.label
    return " / ".join(key_label(k) for k in keys_of(key_id, keymap).split(","))


def help_rows(keymap: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The F1 help's lines, (keys, what they do), in the table's order: the keys of a row's
    bindings as the keymap sets them, of the app and the Quadro screens (the dialogs say
    their keys themselves)."""
    rows: dict[str, tuple[list[str], str]] = {}
    for key in TABLE:
        if key.scope in (START, ROWS, HELP, MESSAGES, DIALOG, NOTES):
            continue
        labels, text = rows.setdefault(key.row, ([], key.help))
        for part in label(key.id, keymap).split(" / "):
            if part not in labels:
                labels.append(part)
    out = []
    for row, (labels, text) in rows.items():
        remapped = any(k.row == row and k.id in (keymap or {}) for k in TABLE)
        if row == "quadri" and not remapped:
            keys = f"{labels[0]} … {labels[-1]}"  # F2 … F5; remapped, each key is named
        elif row == "frecce":
            keys = "Frecce" if not remapped else " / ".join(["Frecce", *labels[1:]])
        else:
            keys = " / ".join(labels)
        out.append((keys, text))
    return out


# --- the person's keymap -------------------------------------------------------------------

KEYMAP_ENV = "SOC25_TASTI"
KEYMAP_FILE = "tasti.toml"
_KEY_NAME = re.compile(r"^((ctrl|shift|alt|meta|super|hyper)\+)*([a-z0-9_]+|[^\sa-z0-9_+,])$")
# Keys that the grid, the edit line and the R40 area read themselves, for typing and moving:
# a command bound to one of them (without ctrl, alt, ...) would take it away from the person.
_TYPING = {"space", "backspace", "delete", "left", "right", "up", "down", "home", "end",
           "pageup", "pagedown", "enter", "tab", "shift+tab", "escape"}
_MODIFIERS = ("ctrl+", "alt+", "meta+", "super+", "hyper+")


def keymap_path() -> str:
    """Where the keymap is read from: $SOC25_TASTI, else tasti.toml in the platform's config
    folder for soc25 (~/.config/soc25 on Linux, %APPDATA%\\soc25 on Windows)."""
    named = os.environ.get(KEYMAP_ENV, "").strip()
    if named:
        return named
    from platformdirs import user_config_dir

    return os.path.join(user_config_dir("soc25", appauthor=False), KEYMAP_FILE)


# A keymap is a few lines; a file far past this is not one (and /dev/zero is not read).
MAX_KEYMAP_BYTES = 64 * 1024


def load_keymap(path: str | None = None) -> tuple[dict[str, str], str]:
    """(keymap, "") from the keymap file; ({}, "") when there is none; ({}, the Italian reason)
    when it cannot be used: it is then ignored as a whole. The file is read as any file from
    outside (`core.reading`): a folder, a FIFO, a device or a huge file is refused, not read."""
    from .core.drafts import TomlError, parse_toml
    from .core.reading import ReadError, read_bytes

    path = path or keymap_path()
    default = "uso i tasti predefiniti."
    try:
        os.stat(path)
    except FileNotFoundError:
        return {}, ""
    except OSError:
        pass  # read_bytes says why, in Italian
    try:
        text = read_bytes(path, limit=MAX_KEYMAP_BYTES, expected="un file di tasti TOML").decode("utf-8-sig")
        data = parse_toml(text)
    except ReadError as exc:
        return {}, f"{str(exc).rstrip('.')}; {default}"
    except UnicodeDecodeError:
        return {}, f"{path}: impossibile leggere i tasti (non è testo UTF-8); {default}"
    except TomlError as exc:
        if exc.syntax:
            return {}, f"{path}: non è un file TOML valido ({exc.place}): {exc.reason}; {default}"
        where = f" ({exc.place})" if exc.place else ""
        return {}, f"{path}: {exc.reason}{where}; {default}"
    problem = _keymap_problem(data)
    if problem:
        return {}, f"{path}: {problem}; {default}"
    return {k: ",".join(part.strip() for part in v.split(",")) for k, v in data.items()}, ""


def _takes_typing(key_id: str, key: str) -> bool:
    """Would binding `key_id` to `key` take a key the person types or moves with? A printable
    character never goes to a command of the draft's screens (it is typed into a cell or R40);
    the app's and the screens' commands (active while typing) do not take the keys that move
    and edit either, unless the table gives them those keys itself."""
    entry = BY_ID[key_id]
    if key.startswith(_MODIFIERS) or re.fullmatch(r"f\d{1,2}", key):
        return False
    if entry.scope in (START, ROWS, HELP, MESSAGES, DIALOG, NOTES):
        return False
    character = key_to_character(key)
    if character is not None and character.isprintable() or key.startswith("shift+") and len(key) == 7:
        return True
    return entry.scope in (APP, QUADRO, FINAL) and key in _TYPING


def _keymap_problem(data: dict) -> str:
    for key_id, value in data.items():
        if key_id not in BY_ID or not BY_ID[key_id].keys:
            return f"«{key_id}» non è un comando (i comandi: {', '.join(k.id for k in TABLE if k.keys)})"
        if not isinstance(value, str) or not value.strip():
            return f"{key_id}: atteso un testo con i tasti, ad esempio {key_id} = \"ctrl+w\""
        for part in value.split(","):
            part = part.strip()
            if not _KEY_NAME.match(part):
                return f"{key_id}: «{part}» non è il nome di un tasto (ad esempio ctrl+w, f9, alt+1)"
            if _takes_typing(key_id, part):
                return (f"{key_id}: il tasto {part} serve per scrivere o per spostarsi: usare un tasto "
                        "funzione (F2 … F12) o una combinazione con ctrl o alt")
    for chain in CHAINS:
        seen: dict[str, str] = {}
        for key in TABLE:
            if key.scope not in chain or not key.keys:
                continue
            for part in keys_of(key.id, data).split(","):
                other = seen.setdefault(part, key.id)
                if other != key.id and BY_ID[other].action != key.action:
                    return f"il tasto {part} sarebbe sia «{other}» sia «{key.id}»"
    return ""
