"""The line mode as a person or a script uses it: the real `soc25` program, its input a pipe.

Expected texts come from the catalog (core/messages.py, held to SOC25.md by test_verbatim)
and from the core's parser, never from the line mode's own output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from soc25_tui.core import session
from soc25_tui.core.drafts import dumps, load
from soc25_tui.core.messages import text
from soc25_tui.core.values import parse_input

from ..factories import make

SCRIPT = Path(sys.executable).with_name("soc25")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "soc25_tui.cli"]
TIMEOUT = 120  # seconds: a program waiting for a terminal that never comes fails the test, never hangs it


def soc25(*args: str, input: str, term: str = "xterm", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "TERM": term}
    return subprocess.run([*COMMAND, *args], input=input, capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, timeout=TIMEOUT, check=False)


def next_prompt(out: str) -> str:
    """The cell the next prompt («R03> ») asks."""
    return re.search(r"^(\S+)> ", out, re.MULTILINE).group(1)


def asked(out: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^(\S+)> ", out, re.MULTILINE)]


@pytest.fixture
def draft_file(tmp_path) -> Path:
    """A complete case-A draft: Comune PROVA (MI), R03 1.000, one social worker (R01B 1000)."""
    path = tmp_path / "prova.toml"
    path.write_text(dumps(make()), encoding="utf-8")
    return path


def test_fills_and_saves_a_draft_from_piped_input(draft_file):
    typed = "\n".join([
        "",              # comune: kept
        "",              # provincia: kept
        "012345",        # istat
        "vai R03",
        "abc",           # not a number: refused, R03 asked again
        "2000",
        "vai r01 2024",  # the name as Ctrl+G resolves it
        "0",
        "salva",
        "esci",
    ]) + "\n"
    done = soc25(str(draft_file), "--semplice", input=typed)
    assert done.returncode == 0, done.stderr
    saved = load(draft_file)
    assert saved.comune == "PROVA" and saved.provincia == "MI"  # empty lines kept them
    assert saved.istat == "012345" and saved.R03 == 2000 and saved.R01_2024 == Decimal(0)
    out = done.stdout
    # The refusal is the one the TUI shows (the core's parser), and the same cell is asked again.
    with pytest.raises(ValueError) as refused:
        parse_input("R03", "abc")
    assert str(refused.value) in out
    after_refusal = out.split(str(refused.value), 1)[1]
    assert next_prompt(after_refusal) == "R03"
    # The portal's messages that changed, as the catalog words them.
    assert "- [Quadro 1] " + text("q1_assistenti_rapporto", R01B="1000") in out
    assert "+ [Quadro 1] " + text("q1_assistenti_rapporto", R01B="2000") in out
    assert "+ [Quadro 1] " + text("q1_assistenti_nullo") in out
    assert not session.recovery_is_newer(draft_file) and not os.path.exists(session.lock_path(draft_file))


def test_term_dumb_chooses_the_line_mode_by_itself(draft_file):
    done = soc25(str(draft_file), input="ROMA\nsalva\nesci\n", term="dumb")
    assert done.returncode == 0, done.stderr
    assert load(draft_file).comune == "ROMA"
    assert "\x1b" not in done.stdout  # no colours, no cursor movement


def test_next_cell_after_vai_is_the_next_of_the_form(draft_file):
    done = soc25(str(draft_file), "--semplice", input="vai R03\n2000\n")
    assert asked(done.stdout)[:3] == ["comune", "R03", "R05"]


def test_esci_with_unsaved_changes_asks(draft_file):
    before = draft_file.read_bytes()
    # annulla: back to the draft; then esci senza salvare.
    done = soc25(str(draft_file), "--semplice", input="ROMA\nesci\na\nesci\ne\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("La bozza ha modifiche non salvate.") == 2
    assert draft_file.read_bytes() == before
    # Thrown away on purpose: set aside, never deleted.
    aside = session.recoveries_aside(draft_file)
    assert len(aside) == 1 and load(aside[0][0]).comune == "ROMA"
    assert not os.path.exists(session.recovery_path(draft_file))
    # «salva ed esci» saves.
    done = soc25(str(draft_file), "--semplice", input="ROMA\nesci\ns\n")
    assert load(draft_file).comune == "ROMA" and done.returncode == 0


def test_end_of_input_keeps_unsaved_changes_in_the_recovery_file(draft_file):
    before = draft_file.read_bytes()
    done = soc25(str(draft_file), "--semplice", input="ROMA\n")
    assert done.returncode == 0, done.stderr
    assert draft_file.read_bytes() == before
    recovery = session.recovery_path(draft_file)
    assert load(recovery).comune == "ROMA"
    assert recovery in done.stdout  # and it is said
    assert not os.path.exists(session.lock_path(draft_file))


def test_a_value_not_valid_at_the_end_of_input_is_in_the_recovery_file(draft_file):
    done = soc25(str(draft_file), "--semplice", input="vai R03\n12,5\n")
    assert done.returncode == 0
    kept = load(session.recovery_path(draft_file))
    assert kept.invalid["R03"] == "12,5"  # as the TUI keeps an edit still open


def test_a_draft_held_elsewhere_opens_read_only_and_names_the_holder(draft_file):
    before = draft_file.read_bytes()
    lock = session.Lock(draft_file)
    assert lock.acquire() is None
    try:
        done = soc25(str(draft_file), "--semplice", input="ROMA\nsalva\nesci\n")
    finally:
        lock.release()
    assert done.returncode == 0, done.stderr
    assert draft_file.read_bytes() == before
    assert "già aperta da" in done.stdout and f"processo {os.getpid()}" in done.stdout
    assert not os.path.exists(session.recovery_path(draft_file))


def test_a_newer_recovery_is_offered_and_restored(draft_file):
    session.write_recovery(draft_file, make(comune="RECUPERATO"))
    later = time.time() + 60
    os.utime(session.recovery_path(draft_file), (later, later))
    done = soc25(str(draft_file), "--semplice", input="r\nsalva\nesci\n")
    assert done.returncode == 0, done.stderr
    assert "comune: PROVA → RECUPERATO" in done.stdout  # what it would change, asked first
    assert load(draft_file).comune == "RECUPERATO"


def test_a_recovery_not_restored_is_set_aside(draft_file):
    before = draft_file.read_bytes()
    session.write_recovery(draft_file, make(comune="RECUPERATO"))
    later = time.time() + 60
    os.utime(session.recovery_path(draft_file), (later, later))
    done = soc25(str(draft_file), "--semplice", input="i\nesci\n")
    assert done.returncode == 0, done.stderr
    assert draft_file.read_bytes() == before
    aside = session.recoveries_aside(draft_file)
    assert len(aside) == 1 and load(aside[0][0]).comune == "RECUPERATO"


def test_view_is_read_only(draft_file):
    before = draft_file.read_bytes()
    done = soc25(str(draft_file), "--semplice", "--view", input="ROMA\nsalva\n")
    assert done.returncode == 0, done.stderr
    assert draft_file.read_bytes() == before
    assert "Sola lettura" in done.stdout
    assert not os.path.exists(session.lock_path(draft_file))
    assert not os.path.exists(session.recovery_path(draft_file))


def test_ctrl_c_exits_130_with_the_changes_in_the_recovery_file(draft_file):
    env = {**os.environ, "TERM": "xterm"}
    proc = subprocess.Popen([*COMMAND, str(draft_file), "--semplice"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        proc.stdin.write("ROMA\n")
        proc.stdin.flush()
        recovery = session.recovery_path(draft_file)
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(recovery) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert load(recovery).comune == "ROMA"
    assert "Interrotto" in out and recovery in out
    assert "Traceback" not in err
    assert not os.path.exists(session.lock_path(draft_file))


def test_accented_text_typed_under_an_ascii_locale_is_kept(draft_file):
    """LC_ALL=C PYTHONUTF8=0 (an old server): the terminal sends UTF-8 all the same; «Povertà
    è più» reached R40 as «Povert�� �� pi��», its letters lost in the draft."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env.update(TERM="xterm", LC_ALL="C", PYTHONUTF8="0")
    typed = "vai R40\nPovertà è più\nsalva\nesci\n"
    result = subprocess.run([*COMMAND, str(draft_file), "--semplice"], input=typed.encode("utf-8"),
                            capture_output=True, env=env, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr
    assert load(draft_file).R40 == "Povertà è più"


def test_r40_written_in_the_persons_own_editor(tmp_path, draft_file):
    """`editor` on R40 runs $EDITOR (a script standing for the person) on R40's text, without a
    shell, and takes back what it saved: in the draft once saved, and Ctrl+Z's `annulla` gives
    the old text back. The script checks that it was handed R40 as it was."""
    editor = tmp_path / "il mio editor.py"  # a space in its path: run as one argument
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "with open(path, encoding='utf-8') as fh:\n"
        "    assert fh.read().startswith('Relazione di prova'), 'R40 as it was'\n"
        "with open(path, 'w', encoding='utf-8') as fh:\n"
        "    fh.write('Scritto nel mio editor: il Comune è cresciuto.\\n\\nSecondo paragrafo.\\n')\n",
        encoding="utf-8")
    draft = load(draft_file)
    draft.set("R40", "Relazione di prova.")
    draft_file.write_text(dumps(draft), encoding="utf-8")
    env_editor = f"{sys.executable} '{editor}'"
    run = subprocess.run([*COMMAND, draft_file.name, "--semplice"],
                         input="vai R40\neditor\nsalva\nannulla\nesci\ne\n", capture_output=True, text=True,
                         encoding="utf-8", env={**os.environ, "TERM": "xterm", "EDITOR": env_editor, "VISUAL": ""},
                         cwd=tmp_path, timeout=TIMEOUT, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert load(draft_file).R40 == "Scritto nel mio editor: il Comune è cresciuto.\n\nSecondo paragrafo."
    # annulla after the save: the text before the editor, in the recovery file's draft
    assert "Relazione di prova" in run.stdout.split("annulla", 1)[-1]
    assert not list(tmp_path.glob("soc25-R40-*"))  # the temporary file is gone (it was in TMPDIR anyway)


def test_editor_is_for_r40_only(draft_file):
    run = soc25(draft_file.name, "--semplice", input="vai R03\neditor\nesci\n", cwd=draft_file.parent)
    assert "editor vale per R40" in run.stdout
    assert load(draft_file).R03 == make().R03
