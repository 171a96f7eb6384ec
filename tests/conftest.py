"""Shared fixtures: the shipped examples and the printed forms (golden cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = Path(__file__).resolve().parent / "seeds"

SONDRIO = SEEDS / "000_7444e9ac6383849b.txt"  # compact layout, case A
LOMELLINA = SEEDS / "002_67ecfe3c12e4f28c.txt"  # 7-page portal layout, case B
TORTONA = SEEDS / "003_7dd651adceaafbf1.txt"  # 7-page portal layout, case D


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
