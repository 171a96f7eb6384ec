"""Saving over a draft a person edited by hand keeps what they wrote around the values.

`keep_layout(previous, fresh, read)` takes the bytes of the file being replaced and the text
`drafts.dumps()` wrote for the draft, and gives `fresh`'s values laid out as `previous`:
comments (above, beside and after cells and sections), blank lines, the order of cells and
sections, and the spelling of every cell whose value did not change (a literal string, an
amount written without decimals, an R40 on one line). A changed cell takes `fresh`'s text
(there is one writer of values, tomli_w, in `dumps()`) and keeps the comment beside it; a
removed cell goes with the comment beside it; a new cell or section goes after the nearest
one before it in the form that the file has (else before the nearest one after it, else
first in its section).

Safety net: the result is used only if `read` (drafts.loads) gets from it exactly the draft it
gets from `fresh` (same cells, same types, same decimal places); otherwise, or if `previous`
is not a draft soc25 can read, `fresh` is returned. So it is, too, for a file far bigger than
a draft (some 150 lines, 5 kB): over KEEP_MAX_BYTES or KEEP_MAX_LINES, since tomlkit takes
time quadratic in its blank lines and comments (4 MB of blank lines: minutes). Reading a draft never imports tomlkit:
only a save over an existing file does. tomlkit has no public way to insert a key at a place
(`_insert_after`, `_insert_at`): were they to change, the save falls back to `fresh` and the
tests in tests/core/test_hand_edits.py fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .review import SECTION as REVIEW_SECTION

KEEP_MAX_BYTES = 256 * 1024
KEEP_MAX_LINES = 5000


def keep_layout(previous: bytes, fresh: str, read: Callable[[str], Any]) -> str:
    """`fresh` laid out as `previous`; `fresh` itself if `previous` is empty, far bigger than
    a draft (see KEEP_MAX_BYTES), or not one, or if what comes out does not read as `fresh` does."""
    if len(previous) > KEEP_MAX_BYTES or previous.count(b"\n") > KEEP_MAX_LINES or not previous.strip():
        return fresh
    try:
        before = previous.decode("utf-8-sig")
        new = _as_read(read(fresh))
        kept = _merge(before, _as_read(read(before)), fresh, new)
        same = _as_read(read(kept)) == new
    except Exception:  # noqa: BLE001 - not a draft, an odd file, a tomlkit quirk: write as today
        return fresh
    return kept if same else fresh


def _as_read(draft: Any) -> dict[str, Any]:
    """Every cell the draft has, as read (an unreadable one as the file gave it), in a form
    that compares strictly: 1, True, 1.0 and 1.00 all differ (== says they do not)."""
    cells = {name: value for name, value in draft.inputs().items() if value is not None}
    return _canonical(cells | draft.invalid) | {"[revisione]": repr(draft.review)}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}  # dict == ignores order
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return repr(value)  # Decimal('1.00'), True, 1, '1', datetime(...): each type its own form


def _merge(before: str, old: dict[str, Any], fresh: str, new: dict[str, Any]) -> str:
    import tomlkit

    kept = tomlkit.parse(before)
    written = tomlkit.parse(fresh)  # every value as tomli_w wrote it, read by tomlkit
    # Top level: schema_version and the sections (a draft soc25 can read has no other name).
    _update(kept, written, keep=lambda name: name != "schema_version" or (
        kept[name].as_string() == written[name].as_string()
    ))
    for section in written:
        if section == REVIEW_SECTION:  # the reviewer's section is soc25's own: written whole
            if kept[section].as_string() != written[section].as_string():
                kept[section] = written[section]
        elif section != "schema_version":
            _update(kept[section], written[section], keep=lambda name: old.get(name) == new.get(name))
    return kept.as_string()


def _update(kept: Any, written: Any, keep: Callable[[str], bool]) -> None:
    """Make the tomlkit table `kept` hold the names of `written`, in `written`'s order (the
    form's) where it adds one: those it has and `keep` accepts stay as they are written."""
    for name in [name for name in kept if name not in written]:
        del kept[name]
    order = list(written)
    for at, name in enumerate(order):
        if name not in kept:
            _insert(kept, order, at, name, written[name])
        elif not keep(name):
            kept[name] = written[name]  # tomlkit keeps the comment beside the old value


def _insert(kept: Any, order: list[str], at: int, name: str, item: Any) -> None:
    """Put `item` after the nearest name before it in `order` that `kept` has, else before
    the nearest one after it, else first in its section (at the end of the document's values
    or tables); only among its own kind (tables or values), since a value written after a
    [table] would belong to that table."""
    from tomlkit.container import Container, ends_with_whitespace
    from tomlkit.items import AoT, Table, Whitespace

    container = kept if isinstance(kept, Container) else kept.value  # a section holds one

    def same_kind(key: str) -> bool:
        return key in container and isinstance(container.item(key), (Table, AoT)) == isinstance(item, (Table, AoT))

    previous_name = next((key for key in reversed(order[:at]) if same_kind(key)), None)
    next_name = next((key for key in order[at + 1 :] if same_kind(key)), None)
    if previous_name is not None:
        before = container.item(previous_name)
        if isinstance(item, Table) and isinstance(before, Table) and not ends_with_whitespace(before):
            before.append(None, Whitespace("\n"))  # a blank line between the two sections
        container._insert_after(previous_name, name, item)
    elif next_name is not None:
        index = next(i for i, (key, _) in enumerate(container.body) if key is not None and key.key == next_name)
        container._insert_at(index, name, item)
    elif container is kept or not container.body:  # the document, or a section with nothing
        container.append(name, item)  # tomlkit puts a value after the values, before any table
    else:  # right under the section's header, before the comments for the next section
        container._insert_at(0, name, item)
    if isinstance(item, Table) and container.body[-1][1] is not item and not ends_with_whitespace(item):
        item.append(None, Whitespace("\n"))  # a blank line before the section that follows
