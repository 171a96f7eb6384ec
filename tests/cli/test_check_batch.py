"""`soc25 check` over many drafts: worker processes change nothing in what it writes (the
same bytes, in the order given, the same statuses with --jobs 1 and --jobs 2), `--json`
streams (its first object is out before its last draft is read), Ctrl+C and a closed pipe
end it quietly, and its JSON, written directly, is json's own text of the same values."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from soc25_tui.cli import check as check_cli
from soc25_tui.cli import main
from soc25_tui.core import batch
from soc25_tui.core.assess import assess
from soc25_tui.core.drafts import DraftError, dumps, load, loads
from soc25_tui.core.layout import CELLS, NON_CALCOLABILE, Kind
from soc25_tui.core.report import as_json, cell_values, json_line, json_text
from soc25_tui.core.review import new_note
from soc25_tui.core.values import cell_value

from ..conftest import EXAMPLES
from ..factories import make
from ..hostile import draft_texts
from ..strategies import drafts

SOC25 = [sys.executable, "-m", "soc25_tui.cli"]
MANY = 130  # more than batch.MIN_PARALLEL: --jobs 2 uses worker processes


def _soc25(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*SOC25, *args], capture_output=True, cwd=cwd, check=False, timeout=300)


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> tuple[Path, list[str]]:
    """MANY drafts in a shuffled order: the examples with their own Comune and figures,
    drafts with errors (the blank one, a negative count), and unreadable ones among them (not
    TOML, not UTF-8, missing, a folder), by relative name."""
    folder = tmp_path_factory.mktemp("lotto")
    examples = [load(p) for p in sorted(EXAMPLES.glob("*.toml"))]
    names = []
    for i in range(MANY):
        name = f"c{(i * 37) % MANY:03d}.toml"  # not in the order of the names
        if i % 29 == 5:
            (folder / name).write_text("[quadro1\nR03 = 1\n", encoding="utf-8")  # not TOML
        elif i % 29 == 11:
            (folder / name).write_bytes(b'[intestazione]\ncomune = "\xff"\n')  # not UTF-8
        elif i % 29 == 17:
            pass  # missing
        elif i % 29 == 23:
            (folder / name).mkdir()
        else:
            draft = examples[i % len(examples)].copy()
            draft.set("comune", f"COMUNE {i}")
            draft.set("R03", 1000 + 37 * i)
            draft.set("R05", Decimal(100 + i) / 10)
            if i % 7 == 0:
                draft.set("M15_2024", -1)  # an error
            (folder / name).write_text(dumps(draft), encoding="utf-8")
        names.append(name)
    return folder, names


@pytest.mark.parametrize("fmt", [["--json"], []], ids=["json", "text"])
def test_jobs_change_nothing_in_the_output(batch_dir, fmt):
    folder, names = batch_dir
    one = _soc25("check", *fmt, "--jobs", "1", *names, cwd=folder)
    two = _soc25("check", *fmt, "--jobs", "2", *names, cwd=folder)
    assert one.returncode == two.returncode == 2  # some cannot be read (and some have errors)
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    unreadable = [n for i, n in enumerate(names) if i % 29 in (5, 11, 17, 23)]
    said = [line for line in one.stderr.decode().splitlines() if line.startswith("soc25: ")]
    assert [line.split()[1].rstrip(":") for line in said] == unreadable  # in their order
    if fmt:
        data = json.loads(one.stdout)
        assert [d["draft"] for d in data] == names  # in the order given, every one
        for name, d in zip(names, data):
            if name in unreadable:
                assert set(d) == {"draft", "error"} and d["error"].startswith(name)
            else:
                number = int(d["cells"]["comune"].split()[1])
                assert d["cells"]["R03"] == 1000 + 37 * number
        # One object a line between "[" and "]".
        lines = one.stdout.decode().split("\n")
        assert lines[0] == "[" and lines[-2:] == ["]", ""] and len(lines) == MANY + 3
    else:
        text = one.stdout.decode()
        readable = [n for n in names if n not in unreadable]
        assert [line[3:].split(" — ")[0] for line in text.splitlines() if line.startswith("== ")] == readable


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_exit_statuses_with_and_without_workers(tmp_path, jobs):
    good = load(EXAMPLES / "sondrio.toml")
    bad = make(R03=None)
    (tmp_path / "ok.toml").write_text(dumps(good), encoding="utf-8")
    (tmp_path / "ko.toml").write_text(dumps(bad), encoding="utf-8")
    (tmp_path / "rotta.toml").write_text("[quadro1\n", encoding="utf-8")
    assert _soc25("check", "--json", "--jobs", jobs, *["ok.toml"] * MANY, cwd=tmp_path).returncode == 0
    mixed = ["ok.toml"] * MANY + ["ko.toml"]
    assert _soc25("check", "--json", "--jobs", jobs, *mixed, cwd=tmp_path).returncode == 1
    unreadable = ["rotta.toml"] + mixed  # unreadable wins over errors
    r = _soc25("check", "--jobs", jobs, *unreadable, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.decode().count("non è un file TOML valido") == 1


def test_jobs_must_be_a_whole_number_of_one_or_more(capsys):
    one = str(EXAMPLES / "sondrio.toml")
    for bad in ("0", "-1", "due"):
        with pytest.raises(SystemExit) as exc:
            main(["check", "--jobs", bad, one])
        assert exc.value.code == 2
        assert "--jobs" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["a.toml"], ["a.toml", "b.toml"], ["--json", "a.toml"], ["a.toml", "--json"],
        ["--jobs", "2", "a.toml"], ["a.toml", "-j", "3"], ["--jobs=4", "--json", "a.toml", "b"],
        ["a.toml", "--json", "--json"], ["--jobs", "2", "--jobs", "5", "a"], ["", "a.toml"],
        ["a.toml", "--json", "b.toml"], ["a.toml", "--jobs", "2", "b.toml"],  # argparse refuses
        ["--", "a.toml"], ["-", "a.toml"], ["a.toml", "--js"], ["a.toml", "--jobs", "0"],
        ["a.toml", "--jobs", "007"], ["a.toml", "--jobs", " 3"], ["--jobs"], ["--json"], [],
        ["a.toml", "-j2"], ["-h"],
    ],
)
def test_plain_arguments_are_read_as_argparse_reads_them(argv, capsys):
    """check reads plain arguments without argparse (whose import costs a tenth of its
    start): what it reads is argparse's reading, and anything else is left to argparse."""
    quick = check_cli._plain_args(argv)
    try:
        full = check_cli._parse(argv)
    except SystemExit:
        assert quick is None  # argparse refuses it, or prints help: argparse it is
        capsys.readouterr()
        return
    if quick is not None:
        assert (quick.drafts, quick.json, quick.jobs) == (full.drafts, full.json, full.jobs)


def test_json_streams_the_first_object_before_the_last_draft_is_read(batch_dir, monkeypatch, tmp_path):
    """With workers (forked here, so that they load through the wrapper below) the first
    object is on stdout while drafts are still being read: nothing holds the whole list."""
    folder, names = batch_dir
    readable = [n for i, n in enumerate(names) if i % 29 not in (5, 11, 17, 23)]
    paths = [str(folder / n) for n in readable] * 4  # more than the workers may read ahead
    log = tmp_path / "letti.log"
    real_load = load

    def logged_load(path):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write("x\n")
        return real_load(path)

    monkeypatch.setattr("soc25_tui.core.drafts.load", logged_load)
    monkeypatch.setattr(batch, "start_method", lambda: "fork")
    read_when_first_written: list[int] = []

    class Out(io.StringIO):
        def write(self, text):
            if "{" in text and not read_when_first_written:
                read_when_first_written.append(log.read_text(encoding="utf-8").count("x"))
            return super().write(text)

    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    assert check_cli.run(["--json", "--jobs", "2", *paths]) in (0, 1)
    assert len(json.loads(out.getvalue())) == len(paths)
    assert log.read_text(encoding="utf-8").count("x") == len(paths)
    assert 0 < read_when_first_written[0] < len(paths) // 2


def test_without_workers_each_object_is_written_before_the_next_draft_is_read(batch_dir, monkeypatch):
    folder, names = batch_dir
    paths = [str(folder / n) for n in names]
    events: list[str] = []
    real_load = load

    def logged_load(path):
        events.append("read")
        return real_load(path)

    class Out(io.StringIO):
        def write(self, text):
            if "{" in text:
                events.append("write")
            return super().write(text)

    monkeypatch.setattr("soc25_tui.core.drafts.load", logged_load)
    monkeypatch.setattr(sys, "stdout", Out())
    assert check_cli.run(["--json", "--jobs", "1", *paths]) == 2
    assert events == ["read", "write"] * len(paths)


def test_the_output_is_the_same_through_a_text_stream_and_a_binary_one(batch_dir, monkeypatch):
    """Into a pipe or a file the workers' bytes go straight to stdout's buffer; elsewhere
    (a terminal, a stream without a buffer) through the text stream: the same text."""
    folder, names = batch_dir
    paths = [str(folder / n) for n in names]
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    texts = []
    for stream in (io.StringIO(), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")):
        monkeypatch.setattr(sys, "stdout", stream)
        assert check_cli.run(["--json", "--jobs", "2", *paths]) == 2
        stream.flush()
        texts.append(stream.getvalue() if isinstance(stream, io.StringIO) else stream.buffer.getvalue().decode())
    assert texts[0] == texts[1]


def _run_until_output(args: list[str], cwd: Path) -> subprocess.Popen:
    proc = subprocess.Popen([*SOC25, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    assert proc.stdout is not None
    assert proc.stdout.read(200)  # the workers are at it
    return proc


def _gone(pgid: int) -> bool:
    """Whether every process of the group (the command and its workers) has ended."""
    for _ in range(100):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups: POSIX")
def test_ctrl_c_ends_with_130_and_no_traceback_from_the_workers(tmp_path):
    (tmp_path / "s.toml").write_bytes((EXAMPLES / "sondrio.toml").read_bytes())
    proc = _run_until_output(["check", "--json", "--jobs", "2", *["s.toml"] * 20000], tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal does: to the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()
    assert _gone(proc.pid)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="the workers found in /proc: Linux")
def test_the_workers_leave_ctrl_c_to_the_command(tmp_path):
    """A SIGINT to the workers alone changes nothing: they leave it to the command (which,
    in a terminal, gets it too), so that none of them dies with a traceback of its own."""
    (tmp_path / "s.toml").write_bytes((EXAMPLES / "sondrio.toml").read_bytes())
    proc = _run_until_output(["check", "--json", "--jobs", "2", *["s.toml"] * 3000], tmp_path)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(children) == 2
    for pid in children:
        os.kill(int(pid), signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert err == b"" and out.endswith(b"\n]\n")


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups: POSIX")
def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    """`soc25 check --json ... | head`: quiet, status 0, no worker left behind."""
    (tmp_path / "s.toml").write_bytes((EXAMPLES / "sondrio.toml").read_bytes())
    proc = _run_until_output(["check", "--json", "--jobs", "2", *["s.toml"] * 20000], tmp_path)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    assert _gone(proc.pid)


# --- the workers --------------------------------------------------------------------------


def _heavy_modules(_item: int) -> tuple[str, ...]:
    import soc25_tui.cli.check  # noqa: F401 - what a worker of check imports

    return tuple(m for m in ("textual", "rich", "pydantic", "tomlkit", "tomli_w") if m in sys.modules)


def _pid(_item: int) -> int:
    return os.getpid()


def _fail_on(item: int) -> int:
    if item == 150:
        raise ValueError("valore 150")
    return item


def test_spawned_workers_import_no_textual_nor_any_heavy_library():
    assert set(batch.map_ordered(_heavy_modules, range(MANY), 2, start="spawn")) == {()}


@pytest.mark.parametrize("start", ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"])
def test_map_ordered_keeps_the_order_in_two_worker_processes(start):
    items = list(range(1000))
    assert list(batch.map_ordered(str, items, 2, start=start)) == [str(i) for i in items]
    pids = set(batch.map_ordered(_pid, items, 2, start=start))
    assert len(pids) == 2 and os.getpid() not in pids
    assert list(batch.map_ordered(_pid, items[: batch.MIN_PARALLEL - 1], 2)) == [os.getpid()] * (batch.MIN_PARALLEL - 1)


def test_an_error_in_a_worker_is_raised_here_with_its_traceback_and_stops_the_workers():
    import multiprocessing

    with pytest.raises(ValueError, match="valore 150") as exc:
        list(batch.map_ordered(_fail_on, range(1000), 2))
    assert "_fail_on" in "\n".join(getattr(exc.value, "__notes__", []))
    assert not multiprocessing.active_children()


def test_stopping_early_stops_the_workers():
    import multiprocessing

    results = batch.map_ordered(_pid, range(5000), 2)
    next(results)
    assert len(multiprocessing.active_children()) == 2
    results.close()
    assert not multiprocessing.active_children()


def test_workers_are_forked_only_where_no_other_thread_runs(monkeypatch):
    import threading

    monkeypatch.setattr(sys, "platform", "linux")
    assert batch.start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert batch.start_method() == "spawn"  # the TUI's table reads from a worker thread
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(sys, "platform", "win32")
    assert batch.start_method() == "spawn"


# --- the JSON, written directly -----------------------------------------------------------


def _reference_cells(draft, outcome) -> dict:
    """check --json's cells as they were first written: `values.cell_value` for each cell, a
    Decimal of a decimal cell as a float, NON CALCOLABILE as null."""
    cells = {}
    for cell in CELLS:
        value = cell_value(cell.name, draft, outcome)
        if cell.kind is Kind.DEC and isinstance(value, Decimal):
            value = float(value)
        elif value == NON_CALCOLABILE:
            value = None
        cells[cell.name] = value
    return cells


def _same_json(path: str, draft) -> None:
    assessment = assess(draft)
    assert list(cell_values(draft, assessment.outcome).items()) == list(_reference_cells(draft, assessment.outcome).items())
    assert json_line(path, draft, assessment) == json_text(as_json(path, draft, assessment))


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(drafts())
def test_json_line_is_json_texts_own_text(draft):
    _same_json("bozza.toml", draft)


@settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
@given(draft_texts())
def test_json_line_of_hostile_drafts_is_json_texts_own_text(text):
    try:
        draft = loads(text, "x.toml")
    except DraftError:
        return
    _same_json("x\x1b]0;t\x07\x9b\u202e.toml", draft)  # a path with control characters too


def test_json_line_of_the_examples_and_of_non_calcolabile():
    for path in sorted(EXAMPLES.glob("*.toml")):
        _same_json(str(path), load(path))
    _same_json("nc.toml", make(R0E=NON_CALCOLABILE, comune=NON_CALCOLABILE))
    reviewed = make(comune="Paese\u202e")
    reviewed.review = reviewed.review.with_note(new_note("R03", "Verificare\x9b la popolazione", author="ats"))
    reviewed.review = reviewed.review.with_state("approvata", reviewed)
    _same_json("rivista.toml", reviewed)
