"""The TUI tests: all marked `tui` (run them alone with -m tui, skip them with -m 'not tui'),
and no blinking cursor anywhere, so that a snapshot never depends on when it was taken."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/tui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.tui)


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch):
    """Inputs and text areas are created with `cursor_blink` False: the cursor is drawn
    steadily, whatever the moment of a snapshot (the final screen's TextArea cursor made its
    snapshot fail in a full run and pass alone). A user keymap never leaks into a test."""
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)
    monkeypatch.setenv("SOC25_TASTI", "/nonexistent/soc25-tasti.toml")
