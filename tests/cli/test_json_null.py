"""`soc25 check --json`: R0E = NON CALCOLABILE is null in the JSON (SOC25.md, «Public cell
names»: "R0E (whole number, or null for NON CALCOLABILE)"), a number of inhabitants stays a
number, and the words NON CALCOLABILE never reach the JSON."""

import json
import subprocess
import sys

from soc25_tui.cli import main
from soc25_tui.core.assess import assess
from soc25_tui.core.drafts import dumps
from soc25_tui.core.layout import NON_CALCOLABILE
from soc25_tui.core.report import as_json

from ..factories import make


def test_as_json_has_null_for_non_calcolabile():
    draft = make(R0E=NON_CALCOLABILE)
    data = as_json("bozza.toml", draft, assess(draft))
    assert data["cells"]["R0E"] is None
    assert '"R0E": null' in json.dumps(data)
    assert as_json("b.toml", make(R0E=4718), assess(make(R0E=4718)))["cells"]["R0E"] == 4718


def test_check_json_prints_null_for_non_calcolabile(examples_dir, capsys):
    # Lomellina's print has «NON CALCOLABILE» for R0E; Sondrio's «1 assistente sociale ogni:
    # 3483 abitanti».
    paths = [str(examples_dir / "lomellina.toml"), str(examples_dir / "sondrio.toml")]
    assert main(["check", "--json", *paths]) == 0
    out = capsys.readouterr().out
    lomellina, sondrio = json.loads(out)
    assert lomellina["cells"]["R0E"] is None and "R0E" in lomellina["cells"]
    assert sondrio["cells"]["R0E"] == 3483
    assert NON_CALCOLABILE not in out


def test_soc25_check_json_command_prints_null(tmp_path):
    """The real command, in its own process: "R0E": null on stdout."""
    path = tmp_path / "nc.toml"
    path.write_text(dumps(make(R0E=NON_CALCOLABILE)), encoding="utf-8")
    assert f'R0E = "{NON_CALCOLABILE}"' in path.read_text(encoding="utf-8")  # as the draft stores it
    r = subprocess.run([sys.executable, "-m", "soc25_tui.cli", "check", "--json", str(path)],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert '"R0E": null' in r.stdout and NON_CALCOLABILE not in r.stdout
    assert json.loads(r.stdout)["cells"]["R0E"] is None
