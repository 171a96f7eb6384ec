"""The layers import one way, face -> core, with no circles: the import-linter contracts of
pyproject.toml hold, and they do catch a violation; every core module imports without
Textual."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import soc25_tui.core

from ..conftest import ROOT

SRC = ROOT / "src" / "soc25_tui"
LINT = Path(sys.executable).with_name("lint-imports")


def lint(pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(pythonpath) if pythonpath else ""}
    command = [str(LINT)] if LINT.exists() else [sys.executable, "-m", "importlinter.cli"]
    return subprocess.run([*command, "--no-cache", str(ROOT / "pyproject.toml")],
                          capture_output=True, text=True, cwd=ROOT, env=env)


def test_the_contracts_hold():
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("core/rules.py", "import textual", "The core never imports Textual or a face"),
        ("core/layout.py", "from soc25_tui.app import Soc25App", "Faces above the core, one way"),
        ("widgets/grid.py", "from soc25_tui.screens import base", "Faces above the core, one way"),
        ("screens/base.py", "from soc25_tui.app import Soc25App", "Faces above the core, one way"),
        ("core/numbers.py", "from soc25_tui.core import rules", "No import circles inside a layer"),
        ("cli/check.py", "from soc25_tui.app import run", "The headless commands never import Textual"),
        ("line/__init__.py", "import textual", "The line mode never imports Textual"),
        ("line/__init__.py", "from soc25_tui.app import Soc25App", "Faces above the core, one way"),
    ],
)
def test_a_violation_breaks_them(tmp_path, module, line, broken):
    """A copy of the package with one import that goes the wrong way: lint-imports fails and
    names the contract (the copy comes first on the path, before the installed package)."""
    shutil.copytree(SRC, tmp_path / "soc25_tui")
    with open(tmp_path / "soc25_tui" / module, "a", encoding="utf-8") as fh:
        fh.write(f"\n{line}  # a deliberate violation\n")
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken} BROKEN" in result.stdout


def test_every_core_module_imports_without_textual():
    names = [m.name for m in pkgutil.iter_modules(soc25_tui.core.__path__, "soc25_tui.core.")]
    assert {"soc25_tui.core.editing", "soc25_tui.core.assess", "soc25_tui.core.values"} <= set(names)
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
