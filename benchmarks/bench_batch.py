"""Benchmark `soc25 check` against its floor: reading and parsing the same TOML with tomllib.

    python benchmarks/bench_batch.py [--drafts 8000] [--runs 5] [--only one,many,jobs,memory]

Run by hand on an idle machine (tests never assert times). Every figure is measured as whole
processes, in the same run, the two commands of a pair in turn (A B A B ...); a ratio is the
median of the ratios pair by pair, so that a machine whose speed drifts still compares fairly.
CPU time and peak memory come from the operating system's accounting of each finished process
(`os.wait4`: the process and its worker processes; the peak is the largest single process).

- one: `soc25 check examples/sondrio.toml` against a Python process that reads and parses
  the same file with tomllib (target <= 1,3x);
- many: one `soc25 check --json` call over N generated drafts (default: every core) against
  one Python process parsing the same N files with tomllib on one core (target <= 0,8x);
- jobs: `check --json --jobs 2` against `--jobs 1` over the same N drafts (target <= 0,65x);
- memory: the peak memory of `check --json` over N drafts (target <= 100 MB at 80.000:
  `--drafts 80000 --only memory`), and of the text output beside it.

The drafts are made from examples/*.toml with varied figures (Comune, population, users,
spending), in a temporary folder, with short names (the command line of 80.000 paths must
fit the system's limit); the commands run there.
"""

from __future__ import annotations

import argparse
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

# The installed console script, as a user runs it (falls back to -m in a bare checkout).
_SCRIPT = Path(sys.executable).with_name("soc25")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "soc25_tui.cli"]

# The floor: read and parse each file given, nothing else.
FLOOR = (
    "import sys, tomllib\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f:\n"
    "        tomllib.load(f)\n"
)


class Run:
    def __init__(self, wall: float, cpu: float, peak_mb: float, status: int) -> None:
        self.wall, self.cpu, self.peak_mb, self.status = wall, cpu, peak_mb, status


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """`cmd` as a whole process, its output thrown away: wall and CPU seconds (with its
    worker processes) and the peak memory of its largest process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, proc.returncode)


def paired(a: list[str], b: list[str], runs: int, cwd: Path | None = None) -> tuple[list[Run], list[Run]]:
    run(a, cwd), run(b, cwd)  # warm-up: file cache, .pyc files
    ra, rb = [], []
    for _ in range(runs):
        ra.append(run(a, cwd))
        rb.append(run(b, cwd))
    return ra, rb


def report(label: str, target: float | None, ra: list[Run], rb: list[Run], a: str, b: str) -> None:
    wall = statistics.median(x.wall / y.wall for x, y in zip(ra, rb))
    cpu = statistics.median(x.cpu / y.cpu for x, y in zip(ra, rb))
    aim = f" (target <= {target:.2f}x)" if target else ""
    print(f"{label}: wall {wall:.2f}x{aim}, cpu {cpu:.2f}x")
    for name, runs in ((a, ra), (b, rb)):
        print(f"    {name:<28} wall {statistics.median(r.wall for r in runs) * 1000:8.1f} ms"
              f"  cpu {statistics.median(r.cpu for r in runs) * 1000:8.1f} ms"
              f"  peak {max(r.peak_mb for r in runs):6.1f} MB  exit {sorted({r.status for r in runs})}")


def generate(folder: Path, n: int, seed: int = 2024) -> list[str]:
    """N drafts from the examples, each with its own figures; names as short as they go.

    Run in a process of its own (`--generate`): the peak memory the system reports for a
    command counts the process that started it as it was before it became the command, and
    this one stays small only if soc25 is never imported here."""
    sys.path.insert(0, str(ROOT / "src"))
    from soc25_tui.core.drafts import dumps, load

    rng = random.Random(seed)
    examples = [load(p) for p in sorted((ROOT / "examples").glob("*.toml"))]
    names = []
    for i in range(n):
        d = vary(examples[i % len(examples)], i, rng)
        name = f"{i}.toml"
        (folder / name).write_text(dumps(d), encoding="utf-8")
        names.append(name)
    return names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--drafts", type=int, default=8000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="one,many,jobs,memory")
    ap.add_argument("--generate", metavar="FOLDER", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate:
        generate(Path(args.generate), args.drafts)
        return
    parts = set(args.only.split(","))

    # A pip install compiles .pyc files; an editable one may not (PYTHONDONTWRITEBYTECODE):
    # compile here so that both sides are measured with bytecode.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], stdout=subprocess.DEVNULL, check=False)
    floor = [sys.executable, "-c", FLOOR]
    print(f"{sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.runs} runs")

    if "one" in parts:
        one = str(ROOT / "examples" / "sondrio.toml")
        ra, rb = paired([*CLI, "check", one], [*floor, one], max(args.runs, 15))
        report("one draft, check / floor", 1.3, ra, rb, "soc25 check sondrio.toml", "tomllib floor")

    if parts & {"many", "jobs", "memory"}:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--generate", tmp, "--drafts", str(args.drafts)], check=True)
            names = [f"{i}.toml" for i in range(args.drafts)]
            print(f"({len(names)} drafts generated in {time.perf_counter() - t0:.1f} s)")
            n = f"{len(names)} drafts"
            if "many" in parts:
                ra, rb = paired([*CLI, "check", "--json", *names], [*floor, *names], args.runs, folder)
                report(f"{n}, check --json / floor on one core", 0.8, ra, rb, "check --json", "tomllib floor")
            if "jobs" in parts:
                ra, rb = paired([*CLI, "check", "--json", "--jobs", "2", *names],
                                [*CLI, "check", "--json", "--jobs", "1", *names], args.runs, folder)
                report(f"{n}, --jobs 2 / --jobs 1", 0.65, ra, rb, "check --json --jobs 2", "check --json --jobs 1")
            if "memory" in parts:
                runs = max(1, min(args.runs, 3))
                ra, rb = paired([*CLI, "check", "--json", *names], [*CLI, "check", *names], runs, folder)
                print(f"{n}, peak memory (largest process): check --json {max(r.peak_mb for r in ra):.1f} MB "
                      f"(target <= 100 MB at 80.000), text {max(r.peak_mb for r in rb):.1f} MB")


if __name__ == "__main__":
    main()
