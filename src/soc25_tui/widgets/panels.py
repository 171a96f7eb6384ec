"""Status line, Quadro navigation line and the panel of the portal's guidance messages."""

from __future__ import annotations

from typing import Callable

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from .. import keys
from ..core.messages import COMPOSED, COMPOSED_MARK, Message, small_terminal_text


class HeaderBar(Static):
    """Comune and case in words on the left; errors and warnings on the right, always whole.

    `show` takes a function of the line's width, asked again when the terminal is resized,
    so that what is kept whole and what gives way fits the width of the moment."""

    _status: Callable[[int], tuple[str, str]] | None = None

    def show(self, status: Callable[[int], tuple[str, str]]) -> None:
        self._status = status
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._status is None:
            return
        width = self.content_size.width or self.app.size.width - 2
        left, right = self._status(width)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        # Text, never markup: the Comune's name is the draft's data ("[bold]X[/]" as typed).
        grid.add_row(Text(left), Text(" " + right))
        self.update(grid)


class NavBar(Static):
    """Where we are: the current Quadro in brackets and reversed (readable without colour),
    each with its key as the person's keymap sets it."""

    def __init__(self, current: str, *, keymap: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.current = current
        self.keymap = keymap or {}

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """Every tab with its key; narrower than the whole line (a small terminal), each
        title shortened to its first word, «Quadro» to «Q» («F2 Q1 … F6 R40»): the key of
        every screen stays on the line."""
        width = self.content_size.width or self.app.size.width - 2
        line = self._line(short=False)
        if len(line.plain.rstrip()) > width:
            line = self._line(short=True)
        self.update(line)

    def _line(self, *, short: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, key_id, title in keys.QUADRI:
            fkey = keys.label(key_id, self.keymap).split(" / ")[0]
            if short:
                title = title.replace("Quadro ", "Q").split()[0]
            if key == self.current:
                text.append(f"[{fkey} {title}]", style="reverse bold")
            else:
                text.append(f" {fkey} {title} ")
            text.append(" ")
        return text


class SizeNotice(Static):
    """Below 80x24 (`messages.small_terminal_text`), the size of the terminal and the size
    needed; hidden otherwise. The screen tells it the terminal's size (`fit`)."""

    DEFAULT_CSS = "SizeNotice { display: none; }"

    def fit(self, columns: int, lines: int) -> None:
        said = small_terminal_text(columns, lines)
        self.display = bool(said)
        self.update(Text(said))


def messages_text(notes: list[str], messages: list[Message], empty: str = "") -> Text:
    """Notes (in italics), then the portal's messages, composed ones marked as such."""
    text = Text()
    for note in notes:
        text.append(note + "\n", style="italic")
    for m in messages:
        if text:
            text.append("\n")
        if m.kind == COMPOSED:
            text.append(COMPOSED_MARK + " ", style="dim")
        text.append("» " + m.text)
    if not messages and empty:
        if text:
            text.append("\n")
        text.append(empty, style="dim")
    return text


class MessagePanel(VerticalScroll, can_focus=False):
    """The guidance messages of one Quadro, as the portal shows them, updated live."""

    def __init__(self, *, more: str = "continua: F7 per tutto il testo ▼", **kwargs) -> None:
        """`more`: what the top line says while text goes on below (with the key that shows
        it all)."""
        super().__init__(**kwargs)
        self._body = Static("", classes="messages-body")
        self._last: tuple = ()
        self.more = more

    def compose(self):
        yield self._body

    def show(self, notes: list[str], messages: list[Message], empty: str = "") -> None:
        key = (tuple(notes), tuple(messages), empty)
        if key == self._last:
            return
        self._last = key
        self._body.update(messages_text(notes, messages, empty))
        self.call_after_refresh(self._say_if_more)

    def _say_if_more(self) -> None:
        """Text that goes on below what the panel shows says so on its top line (not only by
        a scroll bar): at 80x24 Quadro 1's verdict on the service level comes after the LEP
        paragraph."""
        self.border_title = self.more if self.scroll_y < self.max_scroll_y else None

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_if_more)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._say_if_more()

    def texts(self) -> list[str]:
        return [m.text for m in self._last[1]] if self._last else []
