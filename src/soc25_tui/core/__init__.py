"""The headless core of soc25: the form, the rules, the catalog, drafts on disk and the
draft editor. Never imports Textual, nor the faces (app, screens, widgets, cli)."""
