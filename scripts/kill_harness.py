"""kill -9 at random moments of saving, then what it left (issue 10, "Done when").

Runs `soc25 import --force PRINTED -o DRAFT` and `soc25 r40 DRAFT --write` (the two commands
that write a draft outside the TUI) and kills each with SIGKILL after a random delay, until
`--kills` of them were killed before they ended. After every kill it checks the draft: it
still loads (drafts.load) and holds exactly the content before the command or the content
the command writes (computed once per starting content by a run that is not killed): never
corrupt, truncated or missing. At the end it counts the temporary files and lock files left,
saves each draft once more normally, and counts again: there must be none.

    .venv/bin/python scripts/kill_harness.py [--kills 1000] [--workers 2] [--seed 1]

Exit status 0 when every check held, 1 otherwise. Each worker has drafts of its own (two
workers never write the same draft: that would be refused by the lock, not a kill's effect).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from soc25_tui.core.drafts import DraftError, load
from soc25_tui.core.session import read_holder

SEEDS = [ROOT / "tests" / "seeds" / "000_7444e9ac6383849b.txt", ROOT / "tests" / "seeds" / "003_7dd651adceaafbf1.txt"]
EMPTY_R40 = ROOT / "examples" / "sondrio.toml"  # R40 empty: `r40 --write` fills it


def soc25() -> list[str]:
    script = Path(sys.executable).with_name("soc25")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from soc25_tui.cli import main; sys.exit(main())"]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


class Job:
    """One draft and the command that rewrites it."""

    def __init__(self, kind: str, draft: Path) -> None:
        self.kind, self.draft = kind, draft
        self.turn = 0  # import: which printed form comes next

    def command(self) -> list[str]:
        if self.kind == "import":
            return soc25() + ["import", "--force", str(SEEDS[self.turn % 2]), "-o", str(self.draft)]
        return soc25() + ["r40", str(self.draft), "--write"]

    def prepare(self) -> None:
        """r40 --write only fills an empty R40: put the empty one back once it was filled
        (written by the harness under a name no soc25 temporary file has, then renamed)."""
        if self.kind == "r40" and self.draft.read_bytes() != EMPTY_R40.read_bytes():
            spare = self.draft.with_name(self.draft.name + ".harness")
            shutil.copyfile(EMPTY_R40, spare)
            os.replace(spare, self.draft)

    def changed(self) -> None:
        if self.kind == "import":
            self.turn += 1


def run_unkilled(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)


class Expected:
    """The content a command writes over a given content (a run that is not killed, in a
    folder of its own), cached: the import merges into the previous file's layout."""

    def __init__(self, scratch: Path) -> None:
        self.scratch, self.cache, self.guard = scratch, {}, threading.Lock()

    def after(self, job: Job, before: bytes) -> bytes:
        key = (job.kind, job.turn % 2, digest(before))
        with self.guard:
            if key not in self.cache:
                folder = Path(tempfile.mkdtemp(dir=self.scratch))
                twin = Job(job.kind, folder / job.draft.name)
                twin.turn = job.turn
                twin.draft.write_bytes(before)
                done = run_unkilled(twin.command())
                if done.returncode != 0:
                    raise SystemExit(f"reference run failed: {done.stderr}")
                self.cache[key] = twin.draft.read_bytes()
                shutil.rmtree(folder)
            return self.cache[key]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def locks(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".lock"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="soc25-kill-"))
    scratch = base / "riferimento"
    scratch.mkdir()
    expected = Expected(scratch)

    # Each worker: a folder with one draft per command, made by a normal run.
    workers = []
    for w in range(args.workers):
        folder = base / f"w{w}"
        folder.mkdir()
        jobs = [Job("import", folder / "importata.toml"), Job("r40", folder / "relazione.toml")]
        assert run_unkilled(jobs[0].command()).returncode == 0
        jobs[0].changed()
        shutil.copyfile(EMPTY_R40, jobs[1].draft)
        workers.append((folder, jobs))

    # How long each command takes unkilled: the kills land anywhere in that span.
    span = {}
    folder, jobs = workers[0]
    for job in jobs:
        times = []
        for _ in range(3):
            job.prepare()
            started = time.monotonic()
            assert run_unkilled(job.command()).returncode == 0
            times.append(time.monotonic() - started)
            job.changed()
        span[job.kind] = statistics.median(times)

    aim = dict(span)  # the delay before a kill, per command (adjusted as it goes)
    tally: Counter[str] = Counter()
    problems: list[str] = []
    left_by_kills = 0
    guard = threading.Lock()
    started = time.monotonic()

    def work(folder: Path, jobs: list[Job], seed: int) -> None:
        nonlocal left_by_kills
        pick = random.Random(seed)
        while True:
            with guard:
                if tally["killed"] >= args.kills or len(problems) > 20:
                    return
            job = pick.choice(jobs)
            job.prepare()
            before = job.draft.read_bytes()
            temps_before = set(temporaries(folder))
            after = expected.after(job, before)
            proc = subprocess.Popen(job.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(pick.uniform(0.9, 1.1) * aim[job.kind])
            proc.kill()
            _, err = proc.communicate()
            now = job.draft.read_bytes() if job.draft.exists() else None
            new_temps = set(temporaries(folder)) - temps_before
            holder = read_holder(job.draft)
            lock_left = holder is not None and holder.pid == proc.pid  # its own, not an earlier one's
            with guard:
                # Aim at the writing: later after a kill that came before it, earlier after
                # one that came after it (or a command that ended first).
                if not new_temps:
                    aim[job.kind] *= 1.02 if now == before and proc.returncode == -9 else 0.98
                if proc.returncode == -9:
                    tally["killed"] += 1
                    tally[f"killed {job.kind}"] += 1
                    left_by_kills += len(new_temps)
                    if new_temps:
                        tally["left a temporary file (killed mid-write)"] += 1
                    elif lock_left:
                        tally["left the lock only (killed holding it)"] += 1
                    else:
                        tally["left nothing"] += 1
                elif proc.returncode == 0:
                    tally["ended before the kill"] += 1
                else:
                    problems.append(f"{job.kind}: exit {proc.returncode}: {err.strip()}")
                if now is None:
                    problems.append(f"{job.draft}: missing")
                elif now == before:
                    tally["draft: content before"] += 1
                elif now == after:
                    tally["draft: content after"] += 1
                else:
                    problems.append(f"{job.draft}: neither the old nor the new content ({len(now)} bytes)")
            if now is not None and now != before:
                job.changed()
            for file in (job.draft, Path(f"{job.draft}.bak")):
                if file.exists():
                    try:
                        load(file)
                    except DraftError as exc:
                        with guard:
                            problems.append(f"does not load: {exc}")

    threads = [threading.Thread(target=work, args=(f, j, rng.random())) for f, j in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    folders = [f for f, _ in workers]
    temps_end = sum(len(temporaries(f)) for f in folders)
    locks_end = sum(len(locks(f)) for f in folders)
    for _, jobs in workers:  # one more normal save of each draft
        for job in jobs:
            job.prepare()
            done = run_unkilled(job.command())
            if done.returncode != 0:
                problems.append(f"final save of {job.draft}: exit {done.returncode}: {done.stderr.strip()}")
            job.changed()
            try:
                load(job.draft)
            except DraftError as exc:
                problems.append(f"after the final save: {exc}")
    temps_final = sum(len(temporaries(f)) for f in folders)
    locks_final = sum(len(locks(f)) for f in folders)

    print(f"kill -9 harness: {args.workers} workers, {elapsed:.0f} s; commands unkilled take "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in span.items())
          + "; kills aimed at " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in aim.items()) + " (±10%)")
    for name in ("killed", "killed import", "killed r40", "ended before the kill",
                 "left a temporary file (killed mid-write)", "left the lock only (killed holding it)",
                 "left nothing", "draft: content before", "draft: content after"):
        print(f"  {name}: {tally[name]}")
    print(f"  drafts neither old nor new, missing or not loading: {len(problems)}")
    print(f"  temporary files left by the kills: {left_by_kills}; still there at the end: {temps_end}")
    print(f"  lock files at the end: {locks_end}")
    print(f"  after one more normal save of each draft: temporary files {temps_final}, lock files {locks_final}")
    for problem in problems[:20]:
        print(f"  PROBLEM: {problem}")
    ok = not problems and temps_final == 0 and locks_final == 0
    if ok:
        shutil.rmtree(base)
    else:
        print(f"  files kept in {base}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
