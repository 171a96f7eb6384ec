"""Benchmark `soc25 export` against `soc25 check --json` (run by hand; tests never assert times).

    python benchmarks/bench_export.py [--drafts 8000] [--runs 3] [--jobs N] [--csv]

Generates N drafts from examples/*.toml with varied values (Comune, figures, NON CALCOLABILE,
R40 of varied length, a review verdict and notes on some) into a temporary folder, then runs,
in turns and in the same run, `soc25 check --json` and `soc25 export --format xlsx` (and with
--csv `--format csv`) over all of them, each as a whole process. Reports the median wall time
and peak memory of each, and the ratio export / check (issue 11's target: xlsx <= 1.5x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
from soc25_tui.core.layout import NON_CALCOLABILE  # noqa: E402
from soc25_tui.core.review import Note, Review  # noqa: E402

_SCRIPT = Path(sys.executable).with_name("soc25")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "soc25_tui.cli"]
PROVINCE = ("MI", "PV", "AL", "SO", "BG", "BS", "TO", "CN", "NA", "PA")
WHEN = dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def generate(folder: Path, n: int, seed: int = 2024) -> list[str]:
    rng = random.Random(seed)
    examples = [load(p) for p in sorted((ROOT / "examples").glob("*.toml"))]
    paths = []
    for i in range(n):
        d = vary(examples[i % len(examples)], i, rng)
        d.set("provincia", rng.choice(PROVINCE))
        d.set("istat", f"{rng.randint(1000, 110000):06d}")
        d.set("R0E", NON_CALCOLABILE if i % 7 == 0 else rng.randint(1500, 20_000))
        if i % 3 == 0:
            d.set("R40", "Relazione del Comune. " * rng.randint(1, 250))
        if i % 5 == 0:
            notes = tuple(Note("R06", f"Nota {k} sul fabbisogno", "revisore", WHEN, k % 2 == 1) for k in range(i % 4))
            d.review = Review(("da-rivedere", "da-correggere")[i % 2], notes)
        path = folder / f"comune_{i:05d}.toml"
        path.write_text(dumps(d), encoding="utf-8")
        paths.append(str(path))
    return paths


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, the largest process of the command) of one run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = 0  # reaped by wait4
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=8000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="passed to both commands")
    ap.add_argument("--csv", action="store_true", help="time --format csv too")
    args = ap.parse_args()

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], stdout=subprocess.DEVNULL, check=False)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = generate(Path(tmp), args.drafts)
        print(f"{len(paths)} drafts generated in {time.perf_counter() - t0:.1f} s")
        out = Path(tmp) / "out"
        commands = {
            "check --json": CLI + ["check", "--json", *jobs, *paths],
            "export xlsx": CLI + ["export", "--format", "xlsx", "-o", f"{out}.xlsx", *jobs, *paths],
        }
        if args.csv:
            commands["export csv"] = CLI + ["export", "--format", "csv", "-o", f"{out}.csv", *jobs, *paths]
        if jobs and "--jobs" not in subprocess.run(CLI + ["check", "-h"], capture_output=True, text=True, check=False).stdout:
            commands["check --json"] = CLI + ["check", "--json", *paths]  # this check has no --jobs
        timed(CLI + ["check", *paths[:50]])  # warm the file cache and the .pyc files
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():  # in turns: a busy moment hits each alike
                results[name].append(timed(cmd))
        base = statistics.median(w for w, _ in results["check --json"])
        for name, runs in results.items():
            wall = statistics.median(w for w, _ in runs)
            memory = max(m for _, m in runs)
            ratio = "" if name == "check --json" else f"  = {wall / base:.2f}x check --json"
            target = "  (target <= 1.5x)" if name == "export xlsx" else ""
            print(f"soc25 {name:<13} {len(paths)} drafts: median {wall:6.2f} s, peak {memory:6.0f} MB{ratio}{target}")
        print(f"(runs: {args.runs}; each wall time: " + "; ".join(
            f"{name} " + ", ".join(f"{w:.2f}" for w, _ in runs) for name, runs in results.items()) + ")")
        if (out.with_suffix(".xlsx")).exists():
            print(f"xlsx size: {out.with_suffix('.xlsx').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
