"""The drafts of a folder, each with its Comune and its assessment (the TUI's start screen;
later the reviewer's table). Headless: a worker thread calls it off the UI thread."""

from __future__ import annotations

import os
from typing import NamedTuple

from .assess import assess
from .drafts import DraftError, load


class DraftInfo(NamedTuple):
    path: str
    comune: str
    provincia: str
    case: str | None
    errors: int
    warnings: int
    mtime: float
    problem: str  # why it cannot be read, else ""


def list_drafts(folder: str | os.PathLike[str] = ".") -> list[DraftInfo]:
    """The drafts (`*.toml`) of a folder, newest first, each with its Comune and state."""
    out: list[DraftInfo] = []
    folder = os.fspath(folder)
    for name in os.listdir(folder):
        if not name.endswith(".toml") or name.startswith("."):
            continue
        path = os.path.join(folder, name)
        try:
            mtime = os.path.getmtime(path)
        except OSError as exc:  # a dangling link, a file gone meanwhile
            out.append(DraftInfo(path, "", "", None, 0, 0, 0.0, f"{path}: non leggibile ({exc.strerror})."))
            continue
        try:
            draft = load(path)
        except DraftError as exc:
            out.append(DraftInfo(path, "", "", None, 0, 0, mtime, str(exc)))
            continue
        a = assess(draft)
        out.append(DraftInfo(path, draft.comune or "", draft.provincia or "", a.outcome.case,
                             a.errors, a.warnings, mtime, ""))
    out.sort(key=lambda info: -info.mtime)
    return out
