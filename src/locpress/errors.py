"""Typed errors that carry the path and line of what is wrong.

The library raises these; only the CLI prints them (``error: path:line: message``) and
chooses the exit code.
"""

from __future__ import annotations


class LocpressError(Exception):
    """An error in user input, located by path and (when known) line."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "

    def __str__(self) -> str:
        return f"{self.location()}{self.message}"


class ConfigError(LocpressError):
    """Bad configuration or usage: exit code 2."""

    exit_code = 2


class SourceError(LocpressError):
    """A source release that cannot be read or parsed."""


class CatalogError(LocpressError):
    """A .po/.pot file that is not valid gettext."""


class BuildError(LocpressError):
    """A built document whose structure differs from its source."""
