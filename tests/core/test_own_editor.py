"""Which editor Ctrl+E runs, how its command is split, and how R40 goes to its file and
comes back (core/own_editor.py, no Textual)."""

from __future__ import annotations

import os

import pytest

from soc25_tui.core.own_editor import EditorError, command, file_text, split, text_of


def found(*names: str):
    """A `which` that finds only `names` (as given, or their last path component)."""
    return lambda name: name if name in names or name.replace("\\", "/").rsplit("/", 1)[-1] in names else None


def test_visual_comes_before_editor_and_keeps_its_arguments():
    env = {"VISUAL": "code --wait", "EDITOR": "nano"}
    assert command(env, windows=False, which=found("code", "nano")) == ["code", "--wait"]
    assert command({"VISUAL": "  ", "EDITOR": "nano -R"}, windows=False, which=found("nano")) == ["nano", "-R"]


def test_without_variables_nano_then_vi_then_nothing():
    assert command({}, windows=False, which=found("nano", "vi")) == ["nano"]
    assert command({}, windows=False, which=found("vi")) == ["vi"]
    with pytest.raises(EditorError, match="EDITOR=nano"):
        command({}, windows=False, which=found())


def test_windows_falls_back_to_notepad():
    assert command({}, windows=True, which=found("notepad")) == ["notepad"]


def test_the_program_run_is_the_one_found_by_its_full_path(tmp_path):
    def which(name):
        return str(tmp_path / "bin" / name) if name in ("nano", "code") else None

    assert command({}, windows=False, which=which) == [str(tmp_path / "bin" / "nano")]
    assert command({"EDITOR": "code --wait"}, windows=False, which=which) == [str(tmp_path / "bin" / "code"), "--wait"]


def test_on_windows_a_notepad_in_the_drafts_folder_is_never_the_editor(tmp_path, monkeypatch):
    """An ATS reviewer's folder of someone else's drafts may hold a «notepad.exe»: Windows (and
    shutil.which there) would run it before the system's. Only PATH's folders are searched."""
    here, system = tmp_path / "bozze", tmp_path / "System32"
    here.mkdir()
    system.mkdir()
    (here / "notepad.exe").write_bytes(b"MZ theirs")
    monkeypatch.chdir(here)
    monkeypatch.setenv("PATH", os.pathsep.join([".", str(system)]))
    monkeypatch.setenv("PATHEXT", ".com;.exe")  # (Windows compares names without case)
    with pytest.raises(EditorError):
        command({}, windows=True)
    (system / "notepad.exe").write_bytes(b"MZ the system's")
    assert command({}, windows=True) == [str(system / "notepad.exe")]
    assert command({"EDITOR": "notepad.exe"}, windows=True) == [str(system / "notepad.exe")]


def test_an_editor_named_but_missing_is_said_not_replaced():
    with pytest.raises(EditorError, match=r"\$VISUAL \(kate\) non si trova"):
        command({"VISUAL": "kate", "EDITOR": "nano"}, windows=False, which=found("nano", "vi"))


def test_an_unclosed_quote_is_said():
    with pytest.raises(EditorError, match="virgolette"):
        command({"EDITOR": "'code --wait"}, windows=False, which=found("code"))


def test_a_quoted_windows_path_keeps_its_backslashes_and_spaces():
    value = r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst -nosession'
    assert split(value, windows=True) == [r"C:\Program Files\Notepad++\notepad++.exe", "-multiInst", "-nosession"]
    assert split("code --wait 'a b'", windows=False) == ["code", "--wait", "a b"]


def test_no_shell_reads_the_variable():
    """A shell's operators are arguments like any other: nothing runs them."""
    assert split("nano; rm -rf ~", windows=False) == ["nano;", "rm", "-rf", "~"]


@pytest.mark.parametrize("r40", ["", "una riga", "due\nrighe", "finisce a capo\n", "«àè€»\n\nfine"])
@pytest.mark.parametrize("windows", [False, True])
def test_r40_comes_back_as_it_went_when_the_file_is_saved_unchanged(r40, windows):
    assert text_of(file_text(r40, windows=windows).encode("utf-8")) == r40


def test_what_editors_write_is_read_as_r40_takes_it():
    assert text_of("testo\n".encode()) == "testo"  # the final line end every editor adds
    assert text_of("\ufeffda Notepad\r\nriga 2\r\n".encode()) == "da Notepad\nriga 2"  # BOM, CRLF
    assert "\x1b" not in text_of(b"colore \x1b[31m rosso")  # shown as typed and pasted are
    with pytest.raises(UnicodeDecodeError):
        text_of("Città".encode("cp1252"))
