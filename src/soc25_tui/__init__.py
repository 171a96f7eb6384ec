"""soc25-tui: fill in the SOC25 form (obiettivi di servizio sociale 2024) offline."""

__version__ = "0.1.0"
