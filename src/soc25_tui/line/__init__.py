"""The line mode (`soc25 BOZZA.toml --semplice`, and by itself under `TERM=dumb`): the same
draft editor as the TUI, asked cell by cell in plain lines that a screen reader follows and a
pipe can feed. A face beside the app: it imports the core only, never Textual."""
