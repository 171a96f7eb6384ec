"""Property: whatever a draft or a printed form holds, `check`, `check --json`, `summary` in
every format, `r40` and `import` end with status 0, 1 or 2 (never 3, never a traceback),
change no file they should not, and write no raw control sequence from the data."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from soc25_tui.cli import main
from soc25_tui.core.drafts import load

from ..hostile import RAW_FORBIDDEN, draft_bytes, form_bytes

FORMATS = ("text", "md", "html", "svg")
_SETTINGS = settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _folder_state(folder) -> dict[str, bytes]:
    return {name: open(os.path.join(folder, name), "rb").read() for name in sorted(os.listdir(folder))}


def _clean(stream: str, what: str) -> None:
    raw = stream.encode("utf-8", "surrogateescape")
    for seq in RAW_FORBIDDEN:
        assert seq not in raw, f"{what}: raw {seq!r} from the data"
    assert "Traceback" not in stream, what


def _run(capsys, argv: list[str], allowed: tuple[int, ...]) -> tuple[int, str]:
    """`soc25 ARGV`: its status (one of `allowed`) and stderr, neither stream carrying a raw
    control sequence or a traceback."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert status in allowed, (argv, status, err)
    _clean(out, f"{argv[0]} stdout")
    _clean(err, f"{argv[0]} stderr")
    return status, err


@_SETTINGS
@given(content=draft_bytes())
def test_no_draft_crashes_a_command_changes_a_file_or_reaches_the_terminal(tmp_path_factory, capsys, content):
    folder = tmp_path_factory.mktemp("bozze")
    path = folder / "ostile.toml"
    path.write_bytes(content)
    before = _folder_state(folder)
    runs = [["check"], ["check", "--json"], ["r40"]] + [["summary", "--format", f] for f in FORMATS]
    for command in runs:
        status, err = _run(capsys, [*command, str(path)], (0, 1, 2))
        if status == 2:
            assert err.startswith("soc25: ") and len(err.strip().splitlines()) == 1, err
    assert _folder_state(folder) == before  # reading never writes


@_SETTINGS
@given(content=form_bytes())
def test_no_printed_form_crashes_import_or_replaces_a_draft_with_a_failed_one(tmp_path_factory, capsys, content):
    folder = tmp_path_factory.mktemp("stampe")
    form = folder / "stampa.txt"
    form.write_bytes(content)
    target = folder / "bozza.toml"
    target.write_text('[intestazione]\ncomune = "Esistente"\n', encoding="utf-8")
    existing = target.read_bytes()
    status, _ = _run(capsys, ["import", str(form), "-o", str(target), "--force"], (0, 2))
    if status == 2:
        assert target.read_bytes() == existing  # a failed import writes nothing
        assert sorted(os.listdir(folder)) == ["bozza.toml", "stampa.txt"]
    else:
        load(target)  # what it wrote is a draft that reads back
    assert form.read_bytes() == content
