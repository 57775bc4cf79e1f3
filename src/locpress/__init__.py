"""locpress: English press releases -> sentence catalogs -> localized releases."""

__version__ = "0.1.0"
