"""A plain Textual app, the peer of soc25's keystroke benchmark (benchmarks/bench_tui.py):
one Input whose Changed handler recomputes one figure and shows it in a Static, as soc25
recomputes M12's average hours when M12_ore is typed (hours / users, 2 decimals).

It starts with "81489" in the Input (cursor at the end) and "Media: 72,05" on screen; a "0"
typed makes it "Media: 720,50", Backspace brings it back. It runs until killed."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from textual.app import App
from textual.widgets import Input, Static

USERS = 1131  # Sondrio's M12_2024
START = "81489"  # Sondrio's M12_ore


def media(text: str) -> str:
    try:
        value = (Decimal(text) / USERS).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "Media: -"
    return "Media: " + f"{value:f}".replace(".", ",")


class Peer(App):
    def compose(self):
        yield Static(f"Ore 2024 (utenti 2024: {USERS})")
        yield Input(START, id="ore", select_on_focus=False)
        yield Static(media(START), id="media")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#media", Static).update(media(event.value))


if __name__ == "__main__":
    Peer().run()
