"""«Esci senza salvare»: the changes are thrown away on purpose, but the recovery file written
meanwhile is set aside (`.NAME.toml.recupero.YYYYMMDD-HHMMSS.bak`), never deleted: the work
can still be found if the choice was a mistake."""

from __future__ import annotations

import os
import re
from pathlib import Path

from soc25_tui import app as app_module
from soc25_tui.core import session
from soc25_tui.core.drafts import load
from soc25_tui.screens.dialogs import Choice

from .test_tui import SIZE, copy_example, dialog_text, open_app, type_cell

ASIDE = re.compile(r"\.tortona\.toml\.recupero\.\d{8}-\d{6}\.bak")


async def test_quit_without_saving_sets_the_recovery_file_aside(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "RECOVERY_DELAY", 3600)  # only the write asked for below
    path = copy_example(tmp_path, "tortona")
    original = path.read_bytes()
    rec = Path(session.recovery_path(path))
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        assert app.editor.dirty and app.editor.draft.M12_2019 == 42
        app.write_recovery()
        await app.workers.wait_for_complete()
        assert load(rec).M12_2019 == 42  # Tortona's file has 15
        written = rec.read_bytes()

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "[E] Esci senza salvare" in dialog_text(app)
        await pilot.press("e")
        await pilot.pause()

    assert app.return_code == 0
    assert path.read_bytes() == original  # not saved
    assert not rec.exists()  # not at the live recovery path: nothing offered at the next opening
    asides = list(tmp_path.glob(".tortona.toml.recupero.*"))
    assert [ASIDE.fullmatch(a.name) is not None for a in asides] == [True], asides
    assert asides[0].read_bytes() == written  # moved, not deleted: the work is still there
    assert not os.path.exists(session.lock_path(path))
