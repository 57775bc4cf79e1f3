"""Embargoes: a release that says `embargo: 2026-12-01T09:00:00+09:00` must not reach a public
translation service before that moment.

Each source format says it its own way: Markdown and text in the front matter (`embargo:`),
a web page in `<meta name="embargo" content="...">`, a Word document in a custom document
property named `embargo` (File > Info > Properties > Advanced > Custom; text or date).

The value is an ISO 8601 date-time with its zone (`Z` or an offset); a value without a
zone, a bare date, or anything else is an error at its line, since guessing the zone of an
embargo could leak it by hours. Only engines that keep the text in the organization (marked
`confidential = true`, and the offline pseudo engine) may receive an embargoed release.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from locpress.errors import SourceError
from locpress.formats.markdown import front_matter, front_matter_end

if TYPE_CHECKING:
    from locpress.formats.docx_package import Limits

KEY = "embargo"
_LINE = re.compile(r"embargo\s*:")
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_PROPS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"


def of_source(data: bytes, suffix: str, path: str, word_limits: Limits | None = None) -> dt.datetime | None:
    """The embargo a source release declares in its own format's way, None when it has none.
    A Word release is opened within the project's `[word]` limits (`word_limits`)."""
    if suffix in (".docx", ".docm"):
        return _word(data, path, word_limits)
    text = data.decode("utf-8", errors="replace")
    if suffix == ".html":
        return _page(text, path)
    return embargo(text, path)


class _Meta(HTMLParser):
    """The first `<meta name="embargo">` of a page's head, and its line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, int] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta" and values.get("name", "").strip().lower() == KEY:
            self.found, self.done = (values.get("content", ""), self.getpos()[0]), True


def _page(text: str, path: str) -> dt.datetime | None:
    parser = _Meta()
    end = text.lower().find("</head")  # the head is enough; a page's body is never parsed for it
    parser.feed(text if end == -1 else text[:end])
    parser.close()
    if parser.found is None:
        return None
    value, line = parser.found
    if not value.strip():
        raise SourceError('<meta name="embargo">: no date-time given in content= (write e.g. '
                          '2026-12-01T09:00:00+09:00)', path, line)
    return parse(value, path, line)


def _word(data: bytes, path: str, limits: Limits | None) -> dt.datetime | None:
    from locpress.formats.docx_package import (  # Word is heavy: only for a Word release
        Limits,
        open_package,
    )

    package = open_package(data, path, limits or Limits())  # one that cannot be opened is not sent at all
    part = next((package.target("", target) for kind, target, external in package.relationships("").values()
                 if kind == _CUSTOM and not external), "")
    if not part or not package.has(part):
        return None
    for prop in package.xml(part).iter(_PROPS):
        if (prop.get("name") or "").strip().lower() == KEY:
            value = "".join(prop.itertext()).strip()  # <vt:lpwstr> or <vt:filetime>
            if not value:
                raise SourceError("embargo (document property): no date-time given (write e.g. "
                                  "2026-12-01T09:00:00+09:00)", path)
            return parse(value, path, 0)
    return None


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
