"""A table of many rows that draws only the rows on screen (the review table's drafts).

Textual's DataTable measures and stores every cell as it is added (8.000 drafts took 0,4 s to
add, and as long again after each sort or filter). `RowTable` holds the rows as a Python list
in the order shown and draws, line by line (Textual's Line API), only the ones in view: a new
order or filter is a new list, shown at once. The first column (the Comune) stays in place
while the others scroll sideways; the row under the cursor is marked with «▸» and reversed
(NO_COLOR-safe), and the header names the sort column and its direction as text.

Generic: the rows are any objects, the cells of one are given by `cells_of(row)` (strings,
data already made visible by the caller: they are drawn as plain text, never as markup), a
row is told apart by `key_of(row)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .. import keys

MARK = "▸ "  # the cursor's row, as text
UP, DOWN = "↑", "↓"  # the sort direction, as text in the header
HEADER = Style(bold=True)
CURSOR = Style(reverse=True)
CACHE = 2048  # rows whose cells are kept (a screen shows a few dozen)


class Spec(NamedTuple):
    """A column: its title and width; figures aligned right."""

    title: str
    width: int
    right: bool = False


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with «…», padded on the left for figures."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class RowTable(ScrollView, can_focus=True, inherit_bindings=False):
    DEFAULT_CSS = """
    RowTable { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 1; }
    """
    BINDINGS = keys.bindings(keys.ROWS)

    class Moved(Message):
        """The cursor is on another row (`key`: None when there is no row)."""

        def __init__(self, key: Any) -> None:
            super().__init__()
            self.key = key

    def __init__(self, columns: Sequence[Spec], cells_of: Callable[[Any], Sequence[str]],
                 key_of: Callable[[Any], Any], *, styles_of: Callable[[Any], Sequence[Style | None]] | None = None,
                 sort_column: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.cells_of = cells_of
        self.key_of = key_of
        self.styles_of = styles_of
        self.rows: list[Any] = []
        self.cursor = 0
        # The order the rows are in (given by the caller, who sorts them): named in the header.
        self.sort_column = sort_column
        self.sort_reverse = False
        self._cache: dict[Any, tuple[str, ...]] = {}
        fixed = self.columns[0]
        self._fixed_width = cell_len(MARK) + fixed.width + 1
        self._starts: list[int] = []  # where each scrolling column starts
        at = 0
        for spec in self.columns[1:]:
            self._starts.append(at)
            at += spec.width + 1
        self._rest_width = at

    # --- what is shown ------------------------------------------------------------------

    @property
    def current(self) -> Any | None:
        """The row under the cursor (None when there are no rows)."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def show(self, rows: list[Any], keep: Any = None) -> None:
        """Show `rows` in this order, the cursor on the row whose key is `keep` if it is
        among them (else at the same place, within the rows)."""
        before = self.key_of(self.current) if self.current is not None else None
        self.rows = rows
        if keep is not None:
            for i, row in enumerate(rows):
                if self.key_of(row) == keep:
                    self.cursor = i
                    break
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        if len(self._cache) > CACHE:
            self._cache.clear()
        self.virtual_size = Size(self._fixed_width + self._rest_width, len(rows) + 1)
        self._keep_cursor_in_view()
        self.refresh()
        after = self.key_of(self.current) if self.current is not None else None
        if after != before:
            self.post_message(self.Moved(after))

    def set_sort(self, column: int | None, reverse: bool) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        self.refresh()

    def header(self) -> list[str]:
        """The titles as the header shows them (the sort column with its arrow)."""
        titles = []
        for i, spec in enumerate(self.columns):
            title = spec.title
            if i == self.sort_column:
                title = f"{title} {DOWN if self.sort_reverse else UP}"
            titles.append(title)
        return titles

    def line_text(self, index: int) -> str:
        """Row `index` as the table draws it, unscrolled (tests read it)."""
        return "".join(s.text for s in self._segments(index))

    def _cells(self, row: Any) -> tuple[str, ...]:
        try:
            return self._cache[row]
        except (KeyError, TypeError):
            cells = tuple(self.cells_of(row))
            try:
                self._cache[row] = cells
            except TypeError:  # not hashable: not cached
                pass
            return cells

    def _segments(self, index: int) -> list[Segment]:
        # Every segment has a style (the widget's own at least): Textual's NO_COLOR filter
        # reads the colour of each one.
        plain = self.rich_style
        if index < 0:
            texts, styles, mark, base = self.header(), None, " " * cell_len(MARK), plain + HEADER
        else:
            row = self.rows[index]
            texts = self._cells(row)
            styles = self.styles_of(row) if self.styles_of else None
            mark = MARK if index == self.cursor else " " * cell_len(MARK)
            base = plain + CURSOR if index == self.cursor else plain
        out = [Segment(mark, base)]
        for i, (spec, text) in enumerate(zip(self.columns, texts)):
            style = styles[i] if styles else None
            style = base + style if style is not None else base
            right = spec.right and index >= 0
            out.append(Segment(fit(text, spec.width, right), style))
            out.append(Segment(" ", base))
        return out

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = -1 if y == 0 else scroll_y + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        segments = self._segments(index)
        fixed = Strip(segments[:3])  # the mark, the first column and its space
        rest = Strip(segments[3:]).crop(scroll_x, scroll_x + max(0, width - self._fixed_width))
        return Strip.join([fixed, rest]).crop(0, width).simplify()

    # --- moving --------------------------------------------------------------------------

    def _keep_cursor_in_view(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)  # less the header
        top = int(self.scroll_y)
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + height:
            top = self.cursor - height + 1
        top = max(0, min(top, max(0, len(self.rows) + 1 - self.scrollable_content_region.height)))
        if top != int(self.scroll_y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor:
            return
        self.cursor = index
        self._keep_cursor_in_view()
        self.refresh()
        self.post_message(self.Moved(self.key_of(self.rows[index])))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_columns(self, step: int) -> None:
        """Scroll sideways by one column (the first column stays)."""
        x = int(self.scroll_x)
        if step > 0:
            target = next((s for s in self._starts if s > x), x)
        else:
            target = next((s for s in reversed(self._starts) if s < x), 0)
        self.scroll_to(x=min(target, int(self.max_scroll_x)), animate=False, immediate=True)

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self.move_to(int(self.scroll_y) + event.y - 1)
