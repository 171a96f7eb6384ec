"""FormGrid: one Quadro's cells as a keyboard-driven grid.

One DataTable per screen instead of one Input per cell: Quadro 1 alone has 60+ cells and
mounting that many widgets costs ~0.7 ms each; a grid paints in one go. Rows come from a
`GridSpec` (built from `layout`); each value column of a row maps to a public cell name.
Typing on an editable cell, or Enter, starts editing it in the screen's `CellEditor`.

The grid calls its `GridHandler` (the screen) directly rather than posting messages: keys
typed faster than the focus moves to the edit line (a burst over SSH, a keypad macro) must be
handled in the order they came, and a posted message would arrive after the next key.
"""

from __future__ import annotations

import textwrap
from typing import Callable, NamedTuple, Protocol

from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from .. import keys


class Column(NamedTuple):
    title: str
    width: int


class GridRow(NamedTuple):
    """A row of the grid: a heading (cells empty) or a row of the form."""

    code: str
    label: str
    cells: tuple[str | None, ...] = ()  # public names, one per value column (None: blank)
    heading: bool = False
    titles: tuple[str, ...] = ()  # a heading's own column titles ("2019", "2024", ...)
    key: str = ""
    inline: bool = False  # text cell shown in the label column ("Denominazione ATS: X")


class GridSpec(NamedTuple):
    label_width: int
    columns: tuple[Column, ...]
    rows: tuple[GridRow, ...]
    wrap_labels: bool = False  # Quadro 4: long labels on several lines


def spec_cells(spec: GridSpec) -> set[str]:
    """The public names of the cells a grid built from `spec` shows."""
    return {name for row in spec.rows if not row.heading for name in row.cells if name}


class GridHandler(Protocol):
    def edit_cell(self, name: str, initial: str | None) -> None:
        """Start editing `name` (with `initial` typed, "" to empty it, None for its value)."""

    def answer_cell(self, name: str, value: str | None) -> None:
        """SI / NO / no answer on an item (one key each)."""

    def cell_focused(self, name: str | None) -> None: ...

    def editing_key(self, event) -> bool:
        """While an edit is open, a key that reached the grid belongs to it: True if taken."""

    def paste_into_edit(self, text: str) -> bool:
        """While an edit is open, pasted text that reached the grid belongs to it: True if taken."""


class FormGrid(DataTable):
    """The cells of one Quadro. The screen decides what is editable and shows values. The
    code column is fixed: on a terminal narrower than the grid it stays on screen while the
    grid scrolls sideways to the cursor."""

    BINDINGS = keys.bindings(keys.GRID)

    def __init__(self, spec: GridSpec, handler: GridHandler, *, is_sino: Callable[[str], bool],
                 **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, show_header=True, fixed_columns=1,
                         **kwargs)
        self.spec = spec
        self.handler = handler
        self.is_sino = is_sino
        self.editable: Callable[[str], bool] = lambda name: True
        self._where: dict[str, Coordinate] = {}
        self._names: dict[tuple[int, int], str] = {}
        self._shown: dict[str, str] = {}  # the plain text shown, by cell name
        self._looks: dict[str, str] = {}  # and its style
        self._headings: set[int] = set()

    # --- building ------------------------------------------------------------------------

    def on_mount(self) -> None:
        spec = self.spec
        self.add_column("Cod.", width=4, key="code")
        self.add_column("Descrizione", width=spec.label_width, key="label")
        for i, col in enumerate(spec.columns):
            self.add_column(Text(col.title, justify="right"), width=col.width, key=f"c{i}")
        self._add_rows()
        self.action_next_cell(from_start=True)

    def _add_rows(self) -> None:
        self._where.clear()
        self._names.clear()
        self._shown.clear()
        self._looks.clear()
        self._headings.clear()
        self._inline: dict[str, str] = {}
        for index, row in enumerate(self.spec.rows):
            self._add(index, row)

    def rebuild(self, spec: GridSpec) -> None:
        """New rows (same columns), keeping the cursor on the same cell when it is still there."""
        current = self.current
        self.spec = spec
        self.clear()
        self._add_rows()
        if not (current and self.go_to(current)):
            self.action_next_cell(from_start=True)

    def _label(self, row: GridRow) -> Text:
        if row.heading:
            return Text(row.label, style="bold")
        return Text(row.label)

    def _add(self, index: int, row: GridRow) -> None:
        cells: list[object] = [Text(row.code, style="bold"), self._label(row)]
        if row.heading:
            self._headings.add(index)
            cells += [Text(t, style="bold", justify="right") for t in row.titles]
        elif row.inline:
            (name,) = row.cells
            self._where[name] = Coordinate(index, 1)
            self._names[(index, 1)] = name
            self._inline[name] = row.label
        else:
            for col, name in enumerate(row.cells):
                cells.append(Text(""))
                if name:
                    self._where[name] = Coordinate(index, col + 2)
                    self._names[(index, col + 2)] = name
        # Heights computed here rather than measured by DataTable (height=None renders every
        # row once more): labels are plain words, wrapped like Rich wraps them.
        height = 1 if row.inline else max(1, len(textwrap.wrap(row.label, self.spec.label_width)))
        self.add_row(*cells, key=row.key or f"r{index}", height=height)

    # --- values --------------------------------------------------------------------------

    def show_values(self, texts: dict[str, Text | str]) -> None:
        """Show cell values; only the ones that changed (text or style: a mark that does not
        fit is an underline, a locked cell is dim) are redrawn."""
        for name, coord in self._where.items():
            text = texts.get(name, "")
            cell = text if isinstance(text, Text) else Text(text, justify="right")
            plain, look = cell.plain, str(cell.style)
            if self._shown.get(name) == plain and self._looks.get(name) == look:
                continue
            self._shown[name] = plain
            self._looks[name] = look
            if name in self._inline:
                label = Text(self._inline[name] + ": ", no_wrap=True, overflow="ellipsis")
                cell = label.append_text(Text(cell.plain, style=cell.style or "bold"))
            self.update_cell_at(coord, cell)

    # --- cursor --------------------------------------------------------------------------

    def width_of(self, name: str) -> int:
        """How many characters the cell of `name` has (an inline text cell: beside its label)."""
        coord = self._where[name]
        if name in self._inline:
            return self.spec.label_width - len(self._inline[name]) - 2
        return self.spec.columns[coord.column - 2].width

    @property
    def cell_names(self) -> tuple[str, ...]:
        return tuple(self._where)

    def name_at(self, coord: Coordinate) -> str | None:
        return self._names.get((coord.row, coord.column))

    @property
    def current(self) -> str | None:
        return self.name_at(self.cursor_coordinate)

    def go_to(self, name: str) -> bool:
        coord = self._where.get(name)
        if coord is None:
            return False
        self.move_cursor(row=coord.row, column=coord.column, animate=False)
        return True

    def _ordered(self) -> list[tuple[tuple[int, int], str]]:
        return sorted(self._names.items())

    def _step(self, delta: int, *, from_start: bool = False, wrap: bool = True) -> None:
        """Move to the next (delta 1) or previous (-1) editable cell, wrapping around (or,
        with `wrap` False, staying on the last one)."""
        cells = [(pos, n) for pos, n in self._ordered() if self.editable(n)] or self._ordered()
        if not cells:
            return
        if from_start:
            self.go_to(cells[0][1])
            return
        here = (self.cursor_coordinate.row, self.cursor_coordinate.column)
        if delta > 0:
            after = [n for pos, n in cells if pos > here]
            if after or wrap:
                self.go_to(after[0] if after else cells[0][1])
        else:
            before = [n for pos, n in cells if pos < here]
            self.go_to(before[-1] if before else cells[-1][1])

    def action_next_cell(self, from_start: bool = False, wrap: bool = True) -> None:
        self._step(1, from_start=from_start, wrap=wrap)

    def action_prev_cell(self) -> None:
        self._step(-1)

    def _label_target(self, char: str | None) -> str | None:
        """On a row's code or label (Up/Down from an inline text cell walk that column), the
        row's first editable cell, when `char` can start its value: a letter or a figure (S
        or N on a SI/NO item); None for Enter. The cursor moves there. Anything else (Space,
        a heading) does nothing: a key on a label must never empty a cell."""
        row = self.cursor_coordinate.row
        name = next((n for (r, _), n in self._ordered() if r == row and self.editable(n)), None)
        if name is None or (char is not None and not (
            char.lower() in ("s", "n") if self.is_sino(name) else (char.isalnum() or char in "+-,.")
        )):
            return None
        self.go_to(name)
        return name

    def action_edit(self) -> None:
        name = self.current or self._label_target(None)
        if name:
            self.handler.edit_cell(name, None)

    def action_clear_cell(self) -> None:
        name = self.current
        if name:
            if self.is_sino(name):
                self.handler.answer_cell(name, None)
            else:
                self.handler.edit_cell(name, "")

    def _on_paste(self, event: events.Paste) -> None:
        """Pasted text (a figure copied from a spreadsheet or a PDF) goes into the cell as if
        typed: into the edit if one is open, else it starts editing the cell with it."""
        event.stop()
        text = event.text.rstrip("\r\n")  # a copied cell ends with a line break
        if not text.strip() or self.handler.paste_into_edit(text):
            return
        name = self.current or self._label_target("0")
        if name is not None and not self.is_sino(name):
            self.handler.edit_cell(name, text)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.handler.cell_focused(self.name_at(event.coordinate))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit()

    async def _on_key(self, event) -> None:
        """Keys, before the grid's own bindings (Enter, Tab, Delete) are looked at."""
        if self.handler.editing_key(event):
            # An edit is open (the focus has not reached the edit line yet): the key
            # belongs to it, in order.
            event.stop()
            event.prevent_default()
            return
        name = self.current
        if name is None and event.is_printable and event.character:
            name = self._label_target(event.character)
        if name is not None and event.is_printable and event.character:
            ch = event.character
            if self.is_sino(name):
                event.stop()
                event.prevent_default()
                answer = {"s": "SI", "n": "NO", " ": None}.get(ch.lower(), "?")
                if answer == "?":
                    self.handler.edit_cell(name, ch)  # says which keys answer
                else:
                    self.handler.answer_cell(name, answer)
                return
            else:
                event.stop()
                event.prevent_default()
                self.handler.edit_cell(name, ch)
                return
        await super()._on_key(event)
