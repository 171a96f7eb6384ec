"""Benchmark issue 13's outputs and inputs against peers in the same run (run by hand; tests
never assert times).

    python benchmarks/bench_documents.py [--drafts 8000] [--runs 3] [--summary-runs 7]

1. Tables back in: N varied drafts (bench_export.generate) exported to XLSX and CSV, then
   `soc25 import TABLE` (the preview: every row read, typed, matched and compared with its
   draft) and `soc25 import TABLE --write` after 100 cells were changed in the table, against
   `soc25 export` of the same drafts and `soc25 check --json`, each a whole process, in turns.
   Wall time and peak memory.
2. One draft's summary as a whole process, each format against the text summary (the peer):
   `--format text`, `-o x.html`, `-o x.pdf`, `-o x.md`, on examples/sondrio.toml.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_export import CLI, ROOT, generate, timed  # the folder of this script is on sys.path


def table_cases(tmp: Path, n: int, runs: int) -> None:
    folder = tmp / "bozze"
    folder.mkdir()
    paths = generate(folder, n)
    names = [Path(p).name for p in paths]
    xlsx, csv_file = tmp / "tabella.xlsx", tmp / "tabella.csv"
    subprocess.run(CLI + ["export", "--format", "xlsx", "-o", str(xlsx), *names], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(CLI + ["export", "--format", "csv", "-o", str(csv_file), *names], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # 100 changed cells: R03 of every (n // 100)-th row, in a copy of each table.
    changed_xlsx, changed_csv = tmp / "cambiata.xlsx", tmp / "cambiata.csv"
    # In a child process: openpyxl's whole workbook in this one would raise the peak memory the
    # commands timed next report (Linux carries a parent's high-water mark into each child).
    step = max(1, n // 100)
    subprocess.run([sys.executable, __file__, "--change", str(xlsx), str(changed_xlsx), str(csv_file),
                    str(changed_csv), str(step)], check=True)
    cartella = ["--cartella", str(folder)]
    commands = {
        "check --json": CLI + ["check", "--json", *paths],
        "export xlsx": CLI + ["export", "--format", "xlsx", "-o", str(tmp / "out.xlsx"), *paths],
        "import xlsx (preview, unchanged)": CLI + ["import", str(xlsx), *cartella, "--breve"],
        "import csv (preview, unchanged)": CLI + ["import", str(csv_file), *cartella, "--breve"],
        "import xlsx (preview, 100 changed)": CLI + ["import", str(changed_xlsx), *cartella, "--breve"],
        "import csv (preview, 100 changed)": CLI + ["import", str(changed_csv), *cartella, "--breve"],
    }
    timed(CLI + ["check", *paths[:50]])  # warm the file cache and the .pyc files
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            results[name].append(timed(cmd))
    # --write, once per run on a fresh copy of the folder (it changes the drafts)
    writes = []
    for i in range(runs):
        copy = tmp / f"copia-{i}"
        shutil.copytree(folder, copy)
        writes.append(timed(CLI + ["import", str(changed_xlsx), "--cartella", str(copy), "--breve", "--write"]))
        shutil.rmtree(copy)
    results["import xlsx --write (100 changed)"] = writes
    base = statistics.median(w for w, _ in results["check --json"])
    export = statistics.median(w for w, _ in results["export xlsx"])
    print(f"1. Tables, {n} drafts ({xlsx.stat().st_size / 1e6:.1f} MB xlsx, {csv_file.stat().st_size / 1e6:.1f} MB csv)")
    for name, values in results.items():
        wall = statistics.median(w for w, _ in values)
        memory = max(m for _, m in values)
        print(f"  {name:<36} median {wall:6.2f} s, peak {memory:5.0f} MB  = {wall / base:.2f}x check --json,"
              f" {wall / export:.2f}x export xlsx")


def _change_xlsx(src: Path, dst: Path, step: int) -> None:
    import openpyxl

    book = openpyxl.load_workbook(src)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("R03") + 1
    for row in range(2, sheet.max_row + 1, step):
        sheet.cell(row=row, column=column).value = 12345 + row
    book.save(dst)


def _change_csv(src: Path, dst: Path, step: int) -> None:
    with open(src, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    column = rows[0].index("R03")
    for i in range(1, len(rows), step):
        rows[i][column] = str(12345 + i)
    with open(dst, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)


def summary_cases(tmp: Path, runs: int) -> None:
    draft = tmp / "sondrio.toml"
    shutil.copy(ROOT / "examples" / "sondrio.toml", draft)
    commands = {
        "text (peer)": CLI + ["summary", str(draft), "--format", "text", "--width", "80"],
        "md": CLI + ["summary", str(draft), "-o", str(tmp / "r.md")],
        "html": CLI + ["summary", str(draft), "-o", str(tmp / "r.html")],
        "pdf": CLI + ["summary", str(draft), "-o", str(tmp / "r.pdf")],
    }
    for cmd in commands.values():
        timed(cmd)  # warm
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            results[name].append(timed(cmd))
    base = statistics.median(w for w, _ in results["text (peer)"])
    print("2. soc25 summary of examples/sondrio.toml, whole process")
    for name, values in results.items():
        wall = statistics.median(w for w, _ in values)
        memory = max(m for _, m in values)
        size = ""
        for suffix in (".md", ".html", ".pdf"):
            if name.startswith(suffix[1:]):
                size = f", {(tmp / ('r' + suffix)).stat().st_size / 1024:.0f} kB"
        print(f"  {name:<12} median {wall * 1000:6.0f} ms, peak {memory:4.0f} MB  = {wall / base:.2f}x text{size}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=8000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--summary-runs", type=int, default=7)
    ap.add_argument("--only", choices=("tables", "summary"))
    ap.add_argument("--change", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.change:
        xlsx, changed_xlsx, csv_file, changed_csv, step = args.change
        _change_xlsx(Path(xlsx), Path(changed_xlsx), int(step))
        _change_csv(Path(csv_file), Path(changed_csv), int(step))
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], stdout=subprocess.DEVNULL, check=False)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "summary":
            table_cases(Path(tmp), args.drafts, args.runs)
        if args.only != "tables":
            summary_cases(Path(tmp), args.summary_runs)


if __name__ == "__main__":
    main()
