"""Embargoes: a release whose front matter says `embargo: 2026-12-01T09:00:00+09:00` must not
reach a public translation service before that moment.

The value is an ISO 8601 date-time with its zone (`Z` or an offset); a value without a
zone, a bare date, or anything else is an error at its line, since guessing the zone of an
embargo could leak it by hours. Only engines that keep the text in the organization (marked
`confidential = true`, and the offline pseudo engine) may receive an embargoed release.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import SourceError
from .markdown import front_matter, front_matter_end

KEY = "embargo"
_LINE = re.compile(r"embargo\s*:")


def embargo(text: str, path: str) -> dt.datetime | None:
    """The embargo of a release's source text, None when it has none."""
    end, lines = front_matter_end(text)
    if not lines:
        return None
    block = text[:end].split("\n")
    line = next((n + 1 for n, raw in enumerate(block[1:lines - 1], 1) if _LINE.match(raw)), None)
    if line is None:
        return None
    data = front_matter(text, path) or {}
    value = data.get(KEY)
    if value is None:
        raise SourceError("embargo: no date-time given (write e.g. 2026-12-01T09:00:00+09:00)", path, line)
    return parse(value, path, line)


def parse(value: object, path: str, line: int) -> dt.datetime:
    """An embargo value from YAML (a datetime, a date or a string) as an aware datetime."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise SourceError(f"embargo: {str(value)[:60]!r} is not an ISO date-time with its zone "
                              "(e.g. 2026-12-01T09:00:00+09:00)", path, line) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise SourceError(f"embargo: {value.isoformat()} has no time zone; add Z or an offset such as +09:00",
                              path, line)
        return value
    if isinstance(value, dt.date):
        raise SourceError(f"embargo: {value.isoformat()} is a date without a time and zone; write e.g. "
                          f"{value.isoformat()}T00:00:00+00:00", path, line)
    raise SourceError("embargo: not a date-time (write e.g. 2026-12-01T09:00:00+09:00)", path, line)


def shown(when: dt.datetime) -> str:
    return when.isoformat()
