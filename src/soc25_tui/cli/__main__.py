"""`python -m soc25_tui.cli`: the same as the `soc25` command."""

import sys

from . import main

if __name__ == "__main__":  # not when a tool walks the package
    sys.exit(main())
