"""Protection never silently lost (issue 10, item 5): one lock per real draft (symbolic and
hard links), a lock file whole from its first moment, a clean refusal where no lock can be
created, and no temporary file of an interrupted save left behind by the next one."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from soc25_tui.cli import main
from soc25_tui.core import drafts, session
from soc25_tui.core.drafts import DraftError, backup_path, load, save

from ..conftest import EXAMPLES, refuse_to_create_in

HOST = socket.gethostname()


def copy_example(folder: Path, name: str = "sondrio") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    shutil.copy(EXAMPLES / f"{name}.toml", path)
    return path


def colleague() -> session.Holder:
    """Someone else on this host, alive: the parent of this process."""
    return session.Holder("collega", HOST, os.getppid(), time.time())


def hold_as(monkeypatch, path: Path, holder: session.Holder) -> None:
    with monkeypatch.context() as m:
        m.setattr(session, "_me", lambda: holder)
        assert session.Lock(path).acquire() is None


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- symbolic links ------------------------------------------------------------------------


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_draft_opened_through_a_symlink_has_the_lock_of_the_real_draft(tmp_path, monkeypatch, linked):
    real = copy_example(tmp_path / "bozze")
    if linked == "file":
        link = tmp_path / "collegamento.toml"
        link.symlink_to(real)
    else:
        (tmp_path / "scorciatoia").symlink_to(tmp_path / "bozze", target_is_directory=True)
        link = tmp_path / "scorciatoia" / "sondrio.toml"
    hold_as(monkeypatch, real, colleague())

    lock = session.Lock(link)
    holder = lock.acquire()
    assert holder == session.read_holder(real) and holder.user == "collega"
    assert not lock.held
    assert lock.path == session.lock_path(real) == str(tmp_path / "bozze" / ".sondrio.toml.lock")
    assert session.recovery_path(link) == str(tmp_path / "bozze" / ".sondrio.toml.recupero")
    assert names(tmp_path / "bozze") == [".sondrio.toml.lock", "sondrio.toml"]


def test_saving_through_a_symlink_writes_the_real_draft_and_keeps_the_link(tmp_path):
    real = copy_example(tmp_path / "bozze")
    before = real.read_bytes()
    link = tmp_path / "collegamento.toml"
    link.symlink_to(os.path.relpath(real, tmp_path))
    draft = load(link)
    draft.set("M12_2019", 4321)

    save(link, draft)
    assert link.is_symlink() and os.readlink(link) == os.path.join("bozze", "sondrio.toml")
    assert load(real).M12_2019 == 4321
    assert Path(backup_path(link)) == tmp_path / "bozze" / "sondrio.toml.bak"
    assert (tmp_path / "bozze" / "sondrio.toml.bak").read_bytes() == before
    assert names(tmp_path) == ["bozze", "collegamento.toml"]

    session.write_recovery(link, draft)
    assert names(tmp_path / "bozze") == [".sondrio.toml.recupero", "sondrio.toml", "sondrio.toml.bak"]


# --- hard links ----------------------------------------------------------------------------


@pytest.mark.skipif(session.fcntl is None, reason="flock: POSIX only")
def test_two_names_of_one_file_are_held_as_one_draft(tmp_path):
    first = copy_example(tmp_path / "a")
    second = tmp_path / "b" / "altro_nome.toml"  # another folder too
    second.parent.mkdir()
    os.link(first, second)
    before = first.read_bytes()

    mine = session.Lock(first)
    assert mine.acquire() is None
    other = session.Lock(second)
    holder = other.acquire()
    assert holder is not None and holder.pid == session.OTHER_NAME and not other.held
    assert holder.describe() == (
        "un'altra sessione di soc25, con un altro nome dello stesso file (collegamento fisso)"
    )
    assert names(second.parent) == ["altro_nome.toml"]  # its lock file was not left behind
    with pytest.raises(session.DraftHeld) as refused, session.held_for_writing(second):
        pytest.fail("must not be entered")
    assert "non la modifico" in str(refused.value) and "cancellare" not in str(refused.value)

    # Saving one name gives it a new file (atomic rename): the other name keeps the previous
    # version, and from then on they are two drafts.
    draft = load(first)
    draft.set("M12_2019", 4321)
    save(first, draft, backup=False)
    assert load(first).M12_2019 == 4321 and second.read_bytes() == before
    assert other.acquire() is None
    other.release()
    mine.release()


@pytest.mark.skipif(session.fcntl is None, reason="flock: POSIX only")
def test_a_hard_linked_draft_is_free_again_when_its_holder_ends(tmp_path):
    first = copy_example(tmp_path)
    second = tmp_path / "altro_nome.toml"
    os.link(first, second)
    holder_process = subprocess.Popen(
        [sys.executable, "-c", ("import time; from soc25_tui.core import session; "
                                f"assert session.Lock({str(first)!r}).acquire() is None; "
                                "print('ok', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder_process.stdout.readline() == "ok\n"
        assert session.Lock(second).acquire().pid == session.OTHER_NAME
    finally:
        holder_process.kill()
        holder_process.wait()
    lock = session.Lock(second)
    assert lock.acquire() is None  # no flock left by a killed process, its lock file is stale
    lock.release()


# --- a lock file is whole, and one that names nobody is not waited for ------------------------


def test_the_lock_file_is_whole_from_the_moment_it_exists(tmp_path, monkeypatch):
    path = copy_example(tmp_path)
    lock_file = session.lock_path(path)
    seen = []

    def look_after(call):
        def wrapped(*args, **kwargs):
            result = call(*args, **kwargs)
            if os.path.exists(lock_file):
                seen.append(Path(lock_file).read_bytes())
            return result
        return wrapped

    monkeypatch.setattr(os, "open", look_after(os.open))
    monkeypatch.setattr(os, "link", look_after(os.link))
    lock = session.Lock(path)
    assert lock.acquire() is None
    monkeypatch.undo()
    assert seen and all(json.loads(content)["pid"] == os.getpid() for content in seen)
    lock.release()
    assert names(tmp_path) == ["sondrio.toml"]


def test_without_hard_links_the_lock_is_created_and_filled(tmp_path, monkeypatch):
    path = copy_example(tmp_path)

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(os, "link", no_links)
    lock = session.Lock(path)
    assert lock.acquire() is None and lock.held
    assert session.read_holder(path).pid == os.getpid()
    assert names(tmp_path) == [".sondrio.toml.lock", "sondrio.toml"]
    lock.release()

    # A full disk there: the file just created is removed again, never left empty.
    real_fsync, calls = os.fsync, []

    def full_on_the_second_write(fd):
        calls.append(fd)
        if len(calls) == 2:  # the first wrote the temporary file, which could not be linked
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_on_the_second_write)
    with pytest.raises(session.LockUnavailable, match=r"\(disco pieno\)$"):
        session.Lock(path).acquire()
    assert names(tmp_path) == ["sondrio.toml"]


@pytest.mark.parametrize("content", ["", "non è json", '{"user": "a", "host": "b", "pid": 0, "since": 0}'])
def test_a_fresh_lock_file_naming_nobody_is_taken_over_within_the_grace_time(tmp_path, content):
    """Left by a crash between creating and filling it (an older version did both apart): it
    used to keep every command waiting 10 s; now it is taken over after LOCK_GRACE_SECONDS."""
    path = copy_example(tmp_path)
    Path(session.lock_path(path)).write_text(content, encoding="utf-8")  # just now
    assert session.read_holder(path) is None

    started = time.monotonic()
    lock = session.Lock(path)
    assert lock.acquire() is None and lock.held
    assert time.monotonic() - started < session.LOCK_GRACE_SECONDS + 1
    assert session.read_holder(path).pid == os.getpid()
    lock.release()


def test_a_lock_file_being_filled_is_respected(tmp_path):
    """Where links are not supported a lock file is created, then written: one read in
    between is waited for, and then respected, never deleted."""
    path = copy_example(tmp_path)
    lock_file = session.lock_path(path)
    fd = os.open(lock_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # the other one, mid-way
    other = colleague()

    def fill_a_moment_later():
        time.sleep(0.2)
        os.write(fd, json.dumps(other._asdict()).encode())
        os.close(fd)

    filler = threading.Thread(target=fill_a_moment_later)
    filler.start()
    try:
        holder = session.Lock(path).acquire()
    finally:
        filler.join()
    assert holder == other
    assert session.read_holder(path) == other


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs: POSIX only")
def test_a_fifo_in_place_of_the_lock_file_does_not_hang(tmp_path):
    path = copy_example(tmp_path)
    os.mkfifo(session.lock_path(path))
    answer = []
    worker = threading.Thread(target=lambda: answer.append(session.Lock(path).acquire()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert answer == [None]  # names nobody: taken over, not waited on for ever
    assert session.read_holder(path).pid == os.getpid()


def test_a_lock_file_that_cannot_be_opened_is_respected(tmp_path, monkeypatch):
    """Someone else's (mode 0600, say): we cannot know who, nor that it is stale."""
    path = copy_example(tmp_path)
    lock_file = session.lock_path(path)
    Path(lock_file).write_text("{}", encoding="utf-8")
    real_open = os.open

    def denied(p, *args, **kwargs):
        if os.fspath(p) == lock_file and not args[0] & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    holder = session.Lock(path).acquire()
    assert holder is not None and holder.user == session.UNKNOWN_USER
    assert holder.describe(lock_file).startswith("sconosciuto (file di blocco illeggibile) dal ")
    monkeypatch.undo()
    assert Path(lock_file).read_text(encoding="utf-8") == "{}"


# --- no lock can be created: said, never silently carried on without ------------------------


@pytest.fixture
def read_only_folder(monkeypatch):
    """Make a folder read-only: chmod 0555, or, for root (who writes anyway), os.open refusing
    to create anything in it."""

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            return
        refuse_to_create_in(monkeypatch, folder)

    yield make


def test_no_lock_in_a_read_only_folder_is_said_not_ignored(tmp_path, read_only_folder):
    path = copy_example(tmp_path / "condivisa")
    read_only_folder(path.parent)

    lock = session.Lock(path)
    with pytest.raises(session.LockUnavailable) as refused:
        lock.acquire()
    assert str(refused.value) == (
        f"impossibile creare il file di blocco nella cartella {path.parent} (cartella in sola lettura)"
    )
    assert refused.value.folder == str(path.parent) and not lock.held
    with pytest.raises(DraftError) as cli_refused, session.held_for_writing(path):
        pytest.fail("must not be entered")
    assert str(cli_refused.value) == f"{path}: {refused.value}: la bozza non è stata modificata."
    assert names(path.parent) == ["sondrio.toml"]


def test_a_full_disk_gives_a_clean_error_and_leaves_no_lock(tmp_path, monkeypatch):
    path = copy_example(tmp_path)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(session.LockUnavailable) as refused:
        session.Lock(path).acquire()
    assert str(refused.value) == f"impossibile creare il file di blocco nella cartella {tmp_path} (disco pieno)"
    assert names(tmp_path) == ["sondrio.toml"]  # no lock, empty or not, no temporary file


@pytest.fixture
def full_disk(tmp_path):
    """A real full file system: a 256 kB tmpfs filled up (root only: mount)."""
    folder = tmp_path / "pieno"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("mount not permitted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_really_full_disk(full_disk):
    path = copy_example(full_disk)
    with open(full_disk / "riempitivo", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    before = names(full_disk)
    with pytest.raises(session.LockUnavailable, match=r"\(disco pieno\)$"):
        session.Lock(path).acquire()
    assert names(full_disk) == before


def test_cli_writes_in_a_read_only_folder_end_with_one_italian_line(tmp_path, read_only_folder, capsys):
    path = copy_example(tmp_path / "condivisa", "sondrio")  # R40 empty: r40 --write would fill it
    before = path.read_bytes()
    read_only_folder(path.parent)
    expected = (f"{path}: impossibile creare il file di blocco nella cartella {path.parent} "
                "(cartella in sola lettura): la bozza non è stata modificata.")
    assert main(["r40", str(path), "--write"]) == 2
    assert expected in capsys.readouterr().err
    assert path.read_bytes() == before


# --- temporary files of an interrupted save ------------------------------------------------


def interrupted_save(path: Path, stop_at: str, after: int = 0) -> None:
    """A process killed in the middle of `soc25 r40 --write` or `import --force` on `path`:
    at its call number `after` + 1 of `stop_at` (os.replace: a temporary file written, not yet
    in place; os.link: the lock file written, not yet in place)."""
    code = (
        "import os; from soc25_tui.core import drafts, session\n"
        f"real, calls = os.{stop_at}, []\n"
        "def stop(*args):\n"
        "    calls.append(1)\n"
        f"    return real(*args) if len(calls) <= {after} else os._exit(9)\n"
        f"os.{stop_at} = stop\n"
        f"with session.held_for_writing({str(path)!r}):\n"
        f"    drafts.save({str(path)!r}, drafts.load({str(path)!r}))\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 9


def test_the_next_save_removes_what_interrupted_saves_left(tmp_path):
    path = copy_example(tmp_path)
    before = path.read_bytes()
    interrupted_save(path, "replace", after=1)  # backup written, writing the draft
    interrupted_save(path, "replace")  # writing the backup
    interrupted_save(path, "link")  # taking the lock
    left = [n for n in names(tmp_path) if n.endswith(".tmp")]
    assert sorted(n.split(f".{HOST}-")[0] for n in left) == [
        "..sondrio.toml.lock", ".sondrio.toml", ".sondrio.toml.bak"
    ]
    assert path.read_bytes() == before

    with session.held_for_writing(path):
        save(path, load(path))
    assert names(tmp_path) == ["sondrio.toml", "sondrio.toml.bak"]


def test_only_temporary_files_whose_writer_is_gone_are_removed(tmp_path, dead_pid):
    path = copy_example(tmp_path)
    long_ago = time.time() - drafts.STALE_TEMP_SECONDS - 60
    left = {
        f".sondrio.toml.{HOST}-{dead_pid}-abcdefgh.tmp": (0, "removed"),  # ended, this host
        f".sondrio.toml.{HOST}-{os.getppid()}-abcdefgh.tmp": (0, "kept"),  # running
        f".sondrio.toml.{HOST}-{os.getpid()}-abcdefgh.tmp": (long_ago, "kept"),  # this process
        ".sondrio.toml.altro-pc-4242-abcdefgh.tmp": (0, "kept"),  # another host: cannot tell
        ".sondrio.toml.altro-pc-4243-abcdefgh.tmp": (long_ago, "removed"),  # ... until long after
        ".sondrio.toml.k2j_9x0a.tmp": (0, "kept"),  # an older version's, maybe being written
        ".sondrio.toml.k2j_9x0b.tmp": (long_ago, "removed"),  # long after
        f".tortona.toml.{HOST}-{dead_pid}-abcdefgh.tmp": (0, "kept"),  # another draft's
        ".sondrio.toml.appunti.tmp": (long_ago, "kept"),  # not a temporary file of ours
    }
    for name, (when, _) in left.items():
        (tmp_path / name).write_text("x", encoding="utf-8")
        if when:
            os.utime(tmp_path / name, (when, when))

    save(path, load(path), backup=False)
    assert names(tmp_path) == sorted(["sondrio.toml"] + [n for n, (_, fate) in left.items() if fate == "kept"])


def test_taking_the_lock_removes_what_killed_writers_of_lock_and_recovery_left(tmp_path, dead_pid):
    path = copy_example(tmp_path)
    for sibling in (".sondrio.toml.lock", ".sondrio.toml.recupero"):
        (tmp_path / f".{sibling}.{HOST}-{dead_pid}-abcdefgh.tmp").write_text("x", encoding="utf-8")
    lock = session.Lock(path)
    assert lock.acquire() is None
    assert names(tmp_path) == [".sondrio.toml.lock", "sondrio.toml"]
    lock.release()


# --- hostile lock files, special targets, long names (issue 10, review) ---------------------


@pytest.mark.parametrize("since", ["NaN", "Infinity", "-Infinity", "1e300", "-1e300", '"ieri"', "true"])
def test_a_lock_file_with_an_impossible_time_is_unreadable_not_a_crash(tmp_path, since):
    path = copy_example(tmp_path)
    lock_file = tmp_path / ".sondrio.toml.lock"
    lock_file.write_text(f'{{"user":"x","host":"altro-pc","pid":5,"since":{since}}}', encoding="utf-8")
    assert session.read_holder(path) is None  # names nobody: stale after LOCK_GRACE_SECONDS
    assert main(["r40", str(path), "--write"]) in (0, 1)
    assert not lock_file.exists()


@pytest.mark.parametrize("field", ['"user":["x"]', '"host":{}', '"pid":5.5', '"pid":true', '"pid":1e400'])
def test_a_lock_file_with_a_field_of_the_wrong_type_is_unreadable(tmp_path, field):
    path = copy_example(tmp_path)
    fields = {"user": '"x"', "host": '"altro-pc"', "pid": "5", "since": "0"}
    key, value = field.split(":", 1)
    fields[key.strip('"')] = value
    text = "{" + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}"
    (tmp_path / ".sondrio.toml.lock").write_text(text, encoding="utf-8")
    assert session.read_holder(path) is None


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_a_save_never_replaces_a_pipe_a_device_or_a_socket(tmp_path, monkeypatch, kind, capsys):
    import socket as sockets
    import stat

    target = tmp_path / "riepilogo.txt"
    server = None
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":  # a null device of our own: as root, a regression would replace it
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:  # not root: /dev/null, which such a user cannot replace
            target.symlink_to("/dev/null")  # followed: the device itself is the target
    else:
        server = sockets.socket(sockets.AF_UNIX)
        monkeypatch.chdir(tmp_path)  # a short path: AF_UNIX names are at most 108 bytes
        server.bind(target.name)
    with pytest.raises(DraftError, match="non è un file regolare.*non lo sostituisco"):
        drafts.write_atomic(target, "testo")
    mode = os.stat(target).st_mode
    assert not stat.S_ISREG(mode)
    assert [n for n in names(tmp_path) if n.endswith(".tmp")] == []
    path = copy_example(tmp_path / "bozze")
    assert main(["summary", str(path), "-o", str(target)]) == 2
    assert "non è un file regolare" in capsys.readouterr().err
    assert not stat.S_ISREG(os.stat(target).st_mode)
    if server is not None:
        server.close()


def test_a_save_onto_a_folder_says_it_is_a_folder(tmp_path):
    (tmp_path / "cartella.toml").mkdir()
    with pytest.raises(DraftError, match="è una cartella") as refused:
        drafts.write_atomic(tmp_path / "cartella.toml", "testo")
    assert "intatto" not in str(refused.value)
    assert names(tmp_path) == ["cartella.toml"]


def test_a_draft_with_a_name_of_240_bytes_has_a_lock_a_recovery_a_backup_and_temporaries(tmp_path, dead_pid):
    name = "è" * 115 + "-bozza.toml"  # 230 + 11 bytes: legal (at most 255)
    assert len(name.encode()) == 241
    path = tmp_path / name
    shutil.copy(EXAMPLES / "sondrio.toml", path)
    lock = session.Lock(path)
    assert lock.acquire() is None
    draft = load(path)
    session.write_recovery(path, draft)
    os.utime(session.recovery_path(path), (1e9, 1e9))
    aside = session.set_recovery_aside(path)
    assert aside is not None and session.recoveries_aside(path)[0][0] == aside
    save(path, draft)
    assert os.path.exists(backup_path(path))
    assert all(len(n.encode()) <= 255 for n in names(tmp_path))
    # Two long names that start alike keep apart.
    other = tmp_path / ("è" * 115 + "-altra.toml")
    assert session.lock_path(other) != session.lock_path(path)
    assert backup_path(other) != backup_path(path)
    # What a killed writer left is still found and removed.
    fd, tmp = drafts._temp_file(str(path))
    os.close(fd)
    dead = os.path.basename(tmp).replace(f"-{os.getpid()}-", f"-{dead_pid}-")
    os.rename(tmp, tmp_path / dead)
    save(path, draft)
    assert [n for n in names(tmp_path) if n.endswith(".tmp")] == []
    lock.release()


def test_the_reasons_of_a_long_or_broken_path_are_italian(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DraftError, match="una parte del percorso non è una cartella"):
        drafts.write_atomic(tmp_path / "file" / "bozza.toml", "testo")
    with pytest.raises(DraftError, match="nome o percorso troppo lungo"):
        drafts.write_atomic(tmp_path / ("x" * 300), "testo")
