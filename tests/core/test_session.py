"""session.py: the lock on a draft, the recovery file, the list of drafts in a folder."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from soc25_tui.core import folder, session
from soc25_tui.core.checks import ERROR, check
from soc25_tui.core.drafts import dumps, load, save
from soc25_tui.core.rules import evaluate

from ..conftest import EXAMPLES


def copy_example(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.toml"
    shutil.copy(EXAMPLES / f"{name}.toml", path)
    return path


def hold_as(monkeypatch, path: Path, holder: session.Holder) -> None:
    """Take the lock on `path` the way another process would (session.Lock, another identity)."""
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: holder)
        assert session.Lock(path).acquire() is None


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process of this host that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- lock ----------------------------------------------------------------------------------


def test_lock_acquire_and_release(tmp_path):
    path = copy_example(tmp_path, "sondrio")
    lock = session.Lock(path)
    assert lock.acquire() is None
    assert lock.held
    assert lock.path == str(tmp_path / ".sondrio.toml.lock")  # hidden, beside the draft
    holder = session.read_holder(path)
    assert holder.pid == os.getpid()
    assert holder.host == socket.gethostname()
    assert abs(holder.since - time.time()) < 60

    lock.release()
    assert not lock.held
    assert not os.path.exists(lock.path)
    assert session.read_holder(path) is None
    lock.release()  # twice: harmless
    assert lock.acquire() is None  # and it can be taken again
    lock.release()


def test_lock_held_by_a_live_process_of_this_host_is_respected(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "sondrio")
    other = session.Holder("collega", socket.gethostname(), os.getppid(), time.time())
    hold_as(monkeypatch, path, other)
    before = Path(session.lock_path(path)).read_bytes()

    lock = session.Lock(path)
    holder = lock.acquire()
    assert holder is not None
    assert (holder.user, holder.host, holder.pid) == ("collega", socket.gethostname(), os.getppid())
    assert not lock.held
    lock.release()  # not ours: must not remove it
    assert Path(session.lock_path(path)).read_bytes() == before


def test_stale_lock_of_a_dead_process_on_this_host_is_taken_over(tmp_path, monkeypatch, dead_pid):
    path = copy_example(tmp_path, "sondrio")
    hold_as(monkeypatch, path, session.Holder("ieri", socket.gethostname(), dead_pid, time.time() - 3600))

    lock = session.Lock(path)
    assert lock.acquire() is None
    assert lock.held
    assert session.read_holder(path).pid == os.getpid()
    lock.release()


def test_lock_from_another_host_is_respected_even_with_a_dead_looking_pid(tmp_path, monkeypatch, dead_pid):
    path = copy_example(tmp_path, "sondrio")
    other = session.Holder("mrossi", "ufficio-ragioneria", dead_pid, time.time())
    hold_as(monkeypatch, path, other)

    holder = session.Lock(path).acquire()
    assert holder is not None
    assert holder.host == "ufficio-ragioneria" and holder.user == "mrossi"
    assert session.read_holder(path).host == "ufficio-ragioneria"
    text = holder.describe()
    assert f"mrossi su ufficio-ragioneria (processo {dead_pid}) dal " in text
    assert time.strftime("%d/%m/%Y", time.localtime(other.since)) in text


def age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.parametrize(
    "content", ["", "non è json", '{"user": "a"}', '{"user": "a", "host": "b", "pid": 0, "since": 0}']
)
def test_old_unreadable_lock_file_is_taken_over(tmp_path, content):
    path = copy_example(tmp_path, "sondrio")
    Path(session.lock_path(path)).write_text(content, encoding="utf-8")
    age(session.lock_path(path), 60)
    assert session.read_holder(path) is None
    lock = session.Lock(path)
    assert lock.acquire() is None
    assert json.loads(Path(lock.path).read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()


# A fresh lock file that names nobody, and one being filled: see test_protection.py.


def test_describe_can_name_the_lock_file(tmp_path):
    holder = session.Holder("mrossi", "ufficio", 4321, time.time())
    plain = holder.describe()
    assert plain.startswith("mrossi su ufficio (processo 4321) dal ")
    lock_file = session.Lock(tmp_path / "b.toml").path
    assert holder.describe(lock_file) == f"{plain} (file di blocco {lock_file})"
    assert lock_file == str(tmp_path / ".b.toml.lock")


def test_held_for_writing_takes_and_releases_the_lock_or_refuses(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "sondrio")
    with session.held_for_writing(path) as lock:
        assert lock.held and session.read_holder(path).pid == os.getpid()
    assert not os.path.exists(session.lock_path(path))

    other = session.Holder("collega", socket.gethostname(), os.getppid(), time.time())
    hold_as(monkeypatch, path, other)
    with pytest.raises(session.DraftHeld) as exc:
        with session.held_for_writing(path):
            pytest.fail("must not be entered")
    message = str(exc.value)
    assert message.startswith(f"{path}: la bozza è aperta da {other.describe()}: non la modifico.")
    assert session.lock_path(path) in message
    assert exc.value.holder == other and exc.value.lock_file == session.lock_path(path)
    assert session.read_holder(path) == other  # the other's lock is left alone


# --- recovery ------------------------------------------------------------------------------


def test_recovery_write_newer_load(tmp_path):
    path = copy_example(tmp_path, "tortona")
    assert not session.recovery_is_newer(path)  # none yet

    draft = load(path)
    draft.set("M12_2019", 42)
    target = session.write_recovery(path, draft)
    assert target == session.recovery_path(path) == str(tmp_path / ".tortona.toml.recupero")
    assert os.path.exists(target)
    now = time.time()
    os.utime(path, (now - 10, now - 10))
    assert session.recovery_is_newer(path)
    assert session.load_recovery(path) == draft
    assert load(path).M12_2019 == 15  # the draft itself is untouched

    # The draft saved after the recovery was written: the recovery is old.
    os.utime(path, (now + 10, now + 10))
    assert not session.recovery_is_newer(path)


def test_recovery_text_is_written_as_given(tmp_path):
    path = copy_example(tmp_path, "tortona")
    draft = load(path)
    draft.set("R08", None)
    session.write_recovery_text(path, dumps(draft))
    assert session.load_recovery(path).R08 is None


def test_recovery_of_a_draft_that_no_longer_exists_counts_as_newer(tmp_path):
    path = copy_example(tmp_path, "tortona")
    session.write_recovery(path, load(path))
    path.unlink()
    assert session.recovery_is_newer(path)


def test_recovery_set_aside_and_discard(tmp_path):
    path = copy_example(tmp_path, "tortona")
    draft = load(path)
    draft.set("M12_2019", 7)
    rec = session.write_recovery(path, draft)
    changed = time.localtime(os.path.getmtime(rec))

    aside = session.set_recovery_aside(path)
    stamp = time.strftime("%Y%m%d-%H%M%S", changed)
    assert aside == str(tmp_path / f".tortona.toml.recupero.{stamp}.bak")
    assert not os.path.exists(rec)
    assert load(aside).M12_2019 == 7
    assert not session.recovery_is_newer(path)
    assert session.set_recovery_aside(path) is None  # nothing to set aside: harmless
    assert load(aside).M12_2019 == 7

    session.write_recovery(path, draft)
    session.discard_recovery(path)
    assert not os.path.exists(rec)
    session.discard_recovery(path)  # already gone: harmless


def test_set_aside_never_overwrites_an_earlier_one(tmp_path):
    """Two refused recoveries (even within the same second) are both kept."""
    path = copy_example(tmp_path, "tortona")
    kept = []
    for n in (1, 2, 3):
        draft = load(path)
        draft.set("M12_2019", n)
        rec = session.write_recovery(path, draft)
        os.utime(rec, (1_700_000_000, 1_700_000_000))  # the same time for all three
        kept.append(session.set_recovery_aside(path))
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(1_700_000_000))
    base = str(tmp_path / f".tortona.toml.recupero.{stamp}")
    assert kept == [f"{base}.bak", f"{base}-2.bak", f"{base}-3.bak"]
    assert [load(p).M12_2019 for p in kept] == [1, 2, 3]


def test_set_aside_without_hard_links(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    rec = session.write_recovery(path, load(path))
    os.utime(rec, (1_700_000_000, 1_700_000_000))
    first = session.set_recovery_aside(path)

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(os, "link", no_links)
    draft = load(path)
    draft.set("M12_2019", 99)
    rec = session.write_recovery(path, draft)
    os.utime(rec, (1_700_000_000, 1_700_000_000))
    second = session.set_recovery_aside(path)
    assert second != first and second.endswith("-2.bak")
    assert load(first).M12_2019 == 15 and load(second).M12_2019 == 99
    assert not os.path.exists(rec)


# --- drafts in a folder --------------------------------------------------------------------


def test_list_drafts_with_unreadable_files(tmp_path):
    tortona = copy_example(tmp_path, "tortona")
    sondrio = copy_example(tmp_path, "sondrio")
    broken = tmp_path / "rotta.toml"
    broken.write_text("[quadro1]\nM12_2019 = [\n", encoding="utf-8")
    binary = tmp_path / "binario.toml"
    binary.write_bytes(b"comune = \"\xff\xfe\"\n")
    (tmp_path / "note.txt").write_text("non è una bozza", encoding="utf-8")
    session.write_recovery(tortona, load(tortona))  # hidden: not listed
    hidden = tmp_path / ".nascosta.toml"
    save(hidden, load(sondrio), backup=False)
    now = time.time()
    for age, path in enumerate((binary, broken, sondrio, tortona)):
        os.utime(path, (now - 100 * age, now - 100 * age))

    infos = folder.list_drafts(tmp_path)
    names = [os.path.basename(i.path) for i in infos]
    assert names == ["binario.toml", "rotta.toml", "sondrio.toml", "tortona.toml"]  # newest first
    by_name = {os.path.basename(i.path): i for i in infos}

    for name in ("binario.toml", "rotta.toml"):
        info = by_name[name]
        assert info.problem, name
        assert "Il file non è stato modificato" in info.problem
        assert info.comune == "" and info.case is None
    assert "non è un file TOML valido" in by_name["rotta.toml"].problem
    assert "UTF-8" in by_name["binario.toml"].problem

    for name, path in (("sondrio.toml", sondrio), ("tortona.toml", tortona)):
        info = by_name[name]
        draft = load(path)
        outcome = evaluate(draft)
        problems = check(draft, outcome)
        n_err = sum(1 for p in problems if p.severity == ERROR)
        assert info.problem == ""
        assert info.case == outcome.case
        assert (info.errors, info.warnings) == (n_err, len(problems) - n_err)
        assert info.mtime == os.path.getmtime(path)
    assert (by_name["sondrio.toml"].comune, by_name["sondrio.toml"].provincia) == ("SONDRIO", "SO")
    assert by_name["sondrio.toml"].case == "A"
    assert by_name["tortona.toml"].case == "D"
    assert broken.read_text(encoding="utf-8") == "[quadro1]\nM12_2019 = [\n"  # never written


def test_list_drafts_of_an_empty_folder(tmp_path):
    assert folder.list_drafts(tmp_path) == []


def test_recoveries_set_aside_are_listed_newest_first(tmp_path):
    import os

    from soc25_tui.core import session
    from soc25_tui.core.model import Draft

    path = tmp_path / "a.toml"
    path.write_text("")
    assert session.recoveries_aside(path) == []
    found = []
    for i, when in enumerate((1_000_000_000, 1_100_000_000)):
        session.write_recovery(path, Draft(comune=f"v{i}"))
        os.utime(session.recovery_path(path), (when, when))
        found.append(session.set_recovery_aside(path))
    (tmp_path / "b.toml.recupero.x.bak").write_text("")  # another draft's: not listed
    assert session.recoveries_aside(path) == [(found[1], 1_100_000_000), (found[0], 1_000_000_000)]
