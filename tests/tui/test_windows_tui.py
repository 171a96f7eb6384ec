"""The app where the signal module has no SIGHUP (Windows): it opens a draft and edits it;
no handler is installed for a signal that does not exist."""

from __future__ import annotations

import signal

from .test_tui import SIZE, copy_example, open_app, type_cell


async def test_without_sighup_the_app_opens_and_edits(tmp_path, monkeypatch):
    monkeypatch.delattr(signal, "SIGHUP")
    installed = []
    real = signal.signal
    monkeypatch.setattr(signal, "signal", lambda sig, handler: installed.append(sig) or real(sig, handler))
    path = copy_example(tmp_path, "tortona")
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await type_cell(pilot, "M12_2019", "42")
        assert app.editor.draft.M12_2019 == 42
    assert app.return_code in (None, 0)
    assert all(sig in (signal.SIGINT, signal.SIGTERM) for sig in installed), installed
