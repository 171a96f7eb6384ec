"""What Windows lacks (fcntl, SIGHUP, pthread_sigmask, os.chown, os.nice, O_DIRECTORY,
sched_getaffinity) and where os.kill means something else: each POSIX-only call is guarded,
and the code path without it still works. Each test takes the call away here, on Linux
(SIGHUP: tests/tui/test_windows_tui.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import sys
import time

import pytest

from soc25_tui.core import batch, drafts, folder, session

from ..conftest import EXAMPLES


class FakeKernel32:
    """kernel32's OpenProcess / GetExitCodeProcess / CloseHandle over a table of processes:
    pid -> exit code (259: still running), or "denied" (another user's process)."""

    def __init__(self, processes):
        self.processes = processes
        self.error = 0
        self.open_handles = 0

    def open(self, pid):
        state = self.processes.get(pid)
        if state is None or state == "denied":
            self.error = 5 if state == "denied" else 87  # ACCESS_DENIED, INVALID_PARAMETER
            return None
        self.open_handles += 1
        return ("handle", pid)

    def last_error(self):
        return self.error

    def exit_code(self, handle):
        return self.processes[handle[1]]

    def close(self, handle):
        self.open_handles -= 1


@pytest.fixture
def on_windows(monkeypatch):
    """sys.platform says win32, os.kill must not be called (it would be TerminateProcess),
    flock does not exist; returns the fake kernel32's process table."""
    processes: dict[int, object] = {}
    kernel = FakeKernel32(processes)

    def no_kill(pid, sig):
        raise AssertionError(f"os.kill({pid}, {sig}) on Windows ends process {pid}")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", no_kill)
    monkeypatch.setattr(drafts, "_Kernel32", lambda: kernel, raising=False)
    monkeypatch.setattr(session, "fcntl", None)
    return processes


def test_on_windows_a_process_is_looked_at_not_signalled(on_windows):
    on_windows.update({4242: 259, 4343: 0, 4444: "denied"})
    assert drafts.process_alive(4242) is True      # running
    assert drafts.process_alive(4343) is False     # ended, exit code 0
    assert drafts.process_alive(4444) is True      # another user's: it exists
    assert drafts.process_alive(4545) is False     # no such process
    assert drafts.process_alive(0) is False and drafts.process_alive(2**40) is False


def lock_file_of(path, pid):
    """A lock file as another soc25 of this host writes it."""
    holder = session.Holder("collega", socket.gethostname(), pid, time.time())
    with open(session.lock_path(path), "w", encoding="utf-8") as fh:
        json.dump(holder._asdict(), fh)


def test_on_windows_the_draft_still_locks(on_windows, tmp_path):
    """The lock file alone (no flock): a live colleague's lock is respected, a dead one's is
    taken over, and a hard-linked draft can still be opened."""
    path = tmp_path / "tortona.toml"
    shutil.copy(EXAMPLES / "tortona.toml", path)
    on_windows.update({4242: 259, 4343: 1})
    lock_file_of(path, 4242)
    holder = session.Lock(path).acquire()
    assert holder is not None and holder.pid == 4242
    lock_file_of(path, 4343)  # that soc25 has ended
    lock = session.Lock(path)
    assert lock.acquire() is None
    lock.release()
    os.link(path, tmp_path / "altro-nome.toml")
    lock = session.Lock(path)
    assert lock.acquire() is None and lock._file_fd is None
    lock.release()


def test_without_pthread_sigmask_the_workers_still_ignore_ctrl_c(monkeypatch):
    monkeypatch.delattr(signal, "pthread_sigmask")
    set_to = []
    monkeypatch.setattr(signal, "signal", lambda sig, handler: set_to.append((sig, handler)))
    batch._ignore_interrupts()
    assert set_to == [(signal.SIGINT, signal.SIG_IGN)]
    with batch._interrupts_held():
        pass


def test_without_sched_getaffinity_jobs_come_from_cpu_count(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert batch.default_jobs() == 3


def test_without_chown_a_copy_takes_the_mode_of_another_users_file(monkeypatch, tmp_path):
    """The file replaced belongs to someone else: where os.chown exists its owner is given
    too; without it (Windows) the mode still is."""
    monkeypatch.delattr(os, "chown", raising=False)
    tmp = tmp_path / "nuovo.tmp"
    tmp.write_text("nuovo\n", encoding="utf-8")
    mine = os.stat(tmp)
    model = os.stat_result((stat.S_IFREG | 0o640, 0, 0, 1, mine.st_uid + 1, mine.st_gid + 1, 6, 0, 0, 0))
    drafts._give_mode(str(tmp), model)
    assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o640


def test_without_o_directory_a_save_is_written(monkeypatch, tmp_path):
    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    path = tmp_path / "bozza.toml"
    path.write_text("vecchio\n", encoding="utf-8")
    drafts.write_atomic(path, "nuovo\n")
    assert path.read_text(encoding="utf-8") == "nuovo\n"


def test_without_nice_a_worker_reads_its_row(monkeypatch):
    import multiprocessing

    monkeypatch.delattr(os, "nice", raising=False)
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())  # as in a worker
    monkeypatch.setattr(folder, "_lowered", False)
    row = folder.read_row_aside(str(EXAMPLES / "tortona.toml"))
    assert not row.problem
