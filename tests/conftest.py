"""Shared fixtures: the shipped examples and the printed forms (golden cases)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a failure found by chance locally is replayed from
# .hypothesis/); locally hypothesis explores new ones on each run.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = Path(__file__).resolve().parent / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"

SONDRIO = SEEDS / "000_7444e9ac6383849b.txt"  # compact layout, case A
LOMELLINA = SEEDS / "002_67ecfe3c12e4f28c.txt"  # 7-page portal layout, case B
TORTONA = SEEDS / "003_7dd651adceaafbf1.txt"  # 7-page portal layout, case D


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def held_by_a_colleague(monkeypatch, path):
    """The draft open in the TUI of a live process (another pid of this host): returns the
    holder and the lock file."""
    import socket
    import time

    from soc25_tui.core import session

    other = session.Holder("collega", socket.gethostname(), os.getppid(), time.time())
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: other)
        assert session.Lock(path).acquire() is None
    return other, session.lock_path(path)


def refuse_to_create_in(monkeypatch, folder) -> None:
    """A read-only folder for root too (who writes through chmod 0555): os.open refuses to
    create anything in `folder`."""
    import errno

    real_open = os.open

    def refuse(p, flags, *args, **kwargs):
        if flags & os.O_CREAT and os.path.dirname(os.path.abspath(p)) == str(folder):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))
        return real_open(p, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
