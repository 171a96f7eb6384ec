"""The smallest Textual app: one Static. The peer of soc25's first paint in
benchmarks/bench_tui.py (spawn -> the word below on screen); it runs until killed."""

from textual.app import App
from textual.widgets import Static

WORD = "Minimal Textual app"  # what the benchmark waits for on screen


class Minimal(App):
    def compose(self):
        yield Static(WORD)


if __name__ == "__main__":
    Minimal().run()
