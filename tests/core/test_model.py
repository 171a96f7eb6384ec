"""The draft model: every value put into a draft is validated; reading one never needs pydantic."""

import subprocess
import sys
from decimal import Decimal

import pytest

from soc25_tui.core.drafts import load
from soc25_tui.core.layout import NON_CALCOLABILE
from soc25_tui.core.model import Draft

from ..conftest import EXAMPLES


def test_values_are_validated_and_take_the_cells_type():
    draft = Draft(M12_2019="12", R06=1.5, R16="SI", R0E=NON_CALCOLABILE, R40="riga\r\naltra")
    assert draft.M12_2019 == 12 and isinstance(draft.M12_2019, int)
    assert draft.R06 == Decimal("1.5") and isinstance(draft.R06, Decimal)
    assert draft.R40 == "riga\naltra"  # Windows line ends, as TOML would make them
    draft.set("R0E", 4718)
    assert draft.R0E == 4718


@pytest.mark.parametrize(
    "name, value",
    [("M12_2019", "dodici"), ("M12_2019", 1.5), ("R16", "FORSE"), ("R0E", "tanti"), ("R40", 12), ("R06", "1,5")],
)
def test_a_value_of_the_wrong_type_is_refused_and_the_old_one_kept(name, value):
    draft = load_example("tortona")
    before = draft.get(name)
    with pytest.raises(ValueError):
        draft.set(name, value)
    with pytest.raises(ValueError):
        setattr(draft, name, value)  # plain assignment is validated too
    with pytest.raises(ValueError):
        Draft(**{name: value})
    assert draft.get(name) == before


def test_only_cells_of_the_form_exist():
    with pytest.raises(AttributeError):
        Draft(M99_2019=1)
    with pytest.raises(AttributeError):
        Draft().set("R0B_2024", 5)  # computed, never stored


def test_set_clears_the_unreadable_value_kept_for_the_cell():
    draft = Draft(invalid={"M12_2019": "12a", "R03": True})
    draft.set("M12_2019", 12)
    assert draft.invalid == {"R03": True} and draft.M12_2019 == 12


def test_copy_is_equal_and_independent():
    draft = load_example("tortona")
    copy = draft.copy()
    assert copy == draft and copy is not draft
    copy.set("M12_2019", 1)
    copy.invalid["R03"] = "x"
    assert copy != draft and "R03" not in draft.invalid
    assert Draft() == Draft() and Draft(M12_2019=1) != Draft()


def load_example(name: str) -> Draft:
    return load(EXAMPLES / f"{name}.toml")


def test_opening_and_showing_a_draft_does_not_import_pydantic(examples_dir, tmp_path):
    """pydantic costs ~45 ms to import: the TUI's first screen (painted with the draft's
    values), `check` and `summary` only read drafts and must not pay for it. The TUI imports
    it after the first paint (warm_up, stubbed out here to see what the screen itself needs);
    setting a value imports it."""
    draft = tmp_path / "tortona.toml"
    draft.write_bytes((examples_dir / "tortona.toml").read_bytes())
    code = (
        "import sys\n"
        "from soc25_tui import app as app_module, cli\nfrom soc25_tui.core import model\n"
        "model.warm_up = lambda: None\n"
        "seen = {}\n"
        "class Seen(app_module.Soc25App):\n"
        "    def on_ready(self):\n"
        "        self.call_after_refresh(self.look)\n"
        "    def look(self):\n"
        "        seen['values'] = self.screen.grid._shown.get('M12_2019')\n"
        "        seen['pydantic'] = 'pydantic' in sys.modules\n"
        "        self._leave()\n"
        "    def run(self, **kwargs):\n"
        "        return super().run(headless=True, size=(80, 24))\n"
        "app_module.Soc25App = Seen\n"
        f"cli.main([{str(draft)!r}])\n"
        f"cli.main(['check', '--json', {str(draft)!r}])\n"
        f"cli.main(['summary', {str(draft)!r}])\n"
        "before = 'pydantic' in sys.modules\n"
        "from soc25_tui.core.drafts import load\n"
        f"load({str(draft)!r}).set('M12_2019', 3)\n"
        "print('SCREEN', seen, 'BEFORE', before, 'AFTER', 'pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    last = out.strip().splitlines()[-1]
    assert last == "SCREEN {'values': '15', 'pydantic': False} BEFORE False AFTER True", out


def test_drafts_with_values_kept_unreadable_are_equal_as_the_file_writes_them():
    """1, true and 1.0 kept from a file are three different texts in it: a draft holding one is
    not the same as one holding another (the editor's «modified» flag), while a kept «nan» is
    the same as itself."""
    from decimal import Decimal

    one, true, one_dot = Draft(invalid={"R34": 1}), Draft(invalid={"R34": True}), Draft(invalid={"R34": 1.0})
    assert one != true and one != one_dot and true != one_dot
    assert Draft(invalid={"R34": [1, 2]}) == Draft(invalid={"R34": [1, 2]})
    nan = Decimal("nan")
    assert Draft(invalid={"R03": nan}) == Draft(invalid={"R03": Decimal("nan")})
