"""Benchmark `soc25 check` (run by hand; tests never assert wall-clock times).

    python benchmarks/bench_check.py [--runs 20] [--drafts 8000]

Reports, in one run on the same machine:
- `soc25 check` on one draft as a whole process, next to
  `python -c "from pydantic import BaseModel"` (target: within 1.5x of it);
- one `soc25 check` call over N generated drafts (default 8,000, as many as the Comuni of
  Italy), text and --json (target: within 10 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from varied import vary  # the folder of this script is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from soc25_tui.core.drafts import dumps, load  # noqa: E402

# The installed console script, as a user runs it (falls back to -m in a bare checkout).
_SCRIPT = Path(sys.executable).with_name("soc25")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "soc25_tui.cli"]


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append(time.perf_counter() - t0)
    return out


def generate(folder: Path, n: int, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    examples = [load(ROOT / "examples" / f"{name}.toml") for name in ("sondrio", "lomellina", "tortona")]
    paths = []
    for i in range(n):
        d = vary(examples[i % 3], i, rng)
        d.set("provincia", "ZZ")
        path = folder / f"comune_{i:04d}.toml"
        path.write_text(dumps(d), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--drafts", type=int, default=8000)
    args = ap.parse_args()

    # A pip install compiles .pyc files; an editable one may not (PYTHONDONTWRITEBYTECODE):
    # compile here so that both sides are measured with bytecode.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], stdout=subprocess.DEVNULL, check=False)
    one = str(ROOT / "examples" / "sondrio.toml")
    timed(CLI + ["check", one], 2)  # warm the file cache and .pyc files
    pyd = timed([sys.executable, "-c", "from pydantic import BaseModel"], args.runs)
    chk = timed(CLI + ["check", one], args.runs)
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    m_pyd, m_chk, m_bare = (statistics.median(x) * 1000 for x in (pyd, chk, bare))
    print(f"python -c pass:                       median {m_bare:6.1f} ms")
    print(f"python -c 'from pydantic import BaseModel': median {m_pyd:6.1f} ms")
    print(f"soc25 check (1 draft, whole process): median {m_chk:6.1f} ms  = {m_chk / m_pyd:.2f}x pydantic (target <= 1.5x)")

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = [str(p) for p in generate(Path(tmp), args.drafts)]
        gen = time.perf_counter() - t0
        for flag in ([], ["--json"]):
            t0 = time.perf_counter()
            subprocess.run(CLI + ["check", *flag, *paths], stdout=subprocess.DEVNULL, check=False)
            wall = time.perf_counter() - t0
            label = "check --json" if flag else "check       "
            print(f"soc25 {label} over {len(paths)} drafts: {wall:5.2f} s ({wall / len(paths) * 1e3:.2f} ms/draft; target <= 10 s)")
        print(f"(generating the drafts took {gen:.1f} s)")


if __name__ == "__main__":
    main()
