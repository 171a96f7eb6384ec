"""Where the lock (and so the recovery file) cannot be written, the TUI says so at once and
opens the draft read-only, unless the person chooses to edit it unprotected (issue 10, item 5).

Tests run as root here, for whom a chmod 0555 folder is writable all the same: a read-only
folder is simulated by os.open refusing to create files in it (as the kernel would), a full
disk by os.fsync failing with ENOSPC."""

from __future__ import annotations

import errno
import os

from soc25_tui import app as app_module
from soc25_tui.core import session
from soc25_tui.core.drafts import load
from soc25_tui.screens.dialogs import Choice

from ..conftest import refuse_to_create_in
from .test_tui import (
    SIZE,
    copy_example,
    dialog_text,
    edit_line,
    notices,
    open_app,
    status_line,
    type_cell,
)


def disk_full(monkeypatch) -> None:
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


async def test_read_only_folder_is_said_at_once_and_the_draft_opens_read_only(tmp_path, monkeypatch):
    path = copy_example(tmp_path, "tortona")
    original = path.read_bytes()
    refuse_to_create_in(monkeypatch, tmp_path)

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        text = " ".join(dialog_text(app).split())
        assert (f"Nella cartella {tmp_path} non si può creare il file di blocco della bozza "
                "(cartella in sola lettura).") in text
        assert "La bozza è aperta in sola lettura." in text
        assert "[M] Modifica comunque" in text and "[L] Resta in sola lettura" in text
        assert app.editor.read_only  # already, while the question is on screen
        await pilot.press("escape")  # the last choice: stay read-only
        await pilot.pause()
        assert not isinstance(app.screen, Choice)
        assert status_line(app).startswith("[SOLA LETTURA]")
        await pilot.press("1")
        await pilot.pause()
        assert edit_line(app) == (
            f"✗ Sola lettura: impossibile creare il file di blocco nella cartella {tmp_path} "
            "(cartella in sola lettura)."
        )
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tortona.toml"]


async def test_full_disk_edit_anyway_then_a_recovery_that_cannot_be_written_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "RECOVERY_DELAY", 0.05)
    path = copy_example(tmp_path, "tortona")
    disk_full(monkeypatch)

    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice)
        assert "(disco pieno)" in dialog_text(app)
        await pilot.press("m")
        await pilot.pause()
        assert not app.editor.read_only and app.lock is None
        assert any(n.startswith("Modifica senza file di blocco e senza file di recupero: salvare spesso")
                   for n in notices(app))
        await type_cell(pilot, "M12_2019", "42")
        for _ in range(40):
            await pilot.pause(0.05)
            if any(n.startswith("File di recupero non scritto") for n in notices(app)):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n for n in notices(app) if n.startswith("File di recupero non scritto")]
        assert said == [(f"File di recupero non scritto: {session.recovery_path(path)}: impossibile "
                         "salvare (disco pieno). Salvare la bozza appena possibile: un'interruzione "
                         "perderebbe le modifiche.")]
        assert app.editor.draft.M12_2019 == 42
        await type_cell(pilot, "M15_2019", "43")  # failing still: not said again
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert sum(n.startswith("File di recupero non scritto") for n in notices(app)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tortona.toml"]


async def test_a_draft_opened_through_a_symlink_is_saved_into_the_real_file(tmp_path):
    real = copy_example(tmp_path, "tortona")
    link = tmp_path / "collegamento.toml"
    link.symlink_to(real.name)

    app = open_app(link)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.editor.read_only
        assert session.read_holder(real).pid == os.getpid()  # the real draft's lock
        await type_cell(pilot, "M12_2019", "42")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert link.is_symlink() and os.readlink(link) == "tortona.toml"
    assert load(real).M12_2019 == 42


async def test_a_second_name_of_a_draft_open_elsewhere_opens_read_only(tmp_path):
    first = copy_example(tmp_path, "tortona")
    second = tmp_path / "altro_nome.toml"
    os.link(first, second)
    elsewhere = session.Lock(first)
    assert elsewhere.acquire() is None
    try:
        app = open_app(second)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.editor.read_only
            assert ("Bozza già aperta da un'altra sessione di soc25, con un altro nome dello stesso "
                    "file (collegamento fisso): aperta in sola lettura.") in notices(app)
    finally:
        elsewhere.release()
    assert not os.path.exists(session.lock_path(second))
