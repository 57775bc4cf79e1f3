"""The status dashboard, `drafts/index.html`: which release is ready in which language.

It is for staff, not the public, so it lives in the drafts folder beside the drafts and
review sheets it links; published pages are linked in `output/`, and a published release that
is not current (kept by `build.keep_outdated`) is marked `outdated`.

One static page with no script and no network: progress is drawn as inline SVG stacked bars
(reviewed / fuzzy / untranslated), so it opens from a file, a CI artifact or a web server
alike. QA findings appear when the caller has them (the `locpress check --format json`
report, read by `findings_from_report`); nothing here runs the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jinja2

from locpress.stages.report import Row
from locpress.web.html import direction, lang_tag, language_name

TEMPLATE_NAME = "dashboard.html"
BAR_WIDTH = 100.0


@dataclass(frozen=True)
class Findings:
    """QA findings of one release in one locale, by severity."""

    errors: int = 0
    warnings: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.warnings


@dataclass(frozen=True)
class Entry:
    """One release in one locale: its counts and the links the dashboard offers for it.

    `page` and `review` are paths relative to the dashboard, None when the file does not
    exist; `findings` is None when `check` has not run for it.
    """

    row: Row
    page: str | None = None
    review: str | None = None
    findings: Findings | None = None
    draft: str | None = None  # the release's draft, when `build --draft` wrote one
    outdated: bool = False  # published, but not what a build would publish now


def findings_from_report(data: object) -> dict[tuple[str, str], Findings]:
    """QA counts by (locale, release) from a `locpress check --format json` report
    (`locpress.findings.as_json`).

    This is the seam between `check` and the dashboard: the report's `catalogs` list carries
    `locale`, `release`, `checked`, `errors` and `warnings` for every catalog it checked.
    Raises ValueError when the data is not such a report.
    """
    catalogs = data.get("catalogs") if isinstance(data, dict) else None
    if not isinstance(catalogs, list):
        raise ValueError("not a `locpress check --format json` report (no \"catalogs\" list)")
    counts: dict[tuple[str, str], Findings] = {}
    for item in catalogs:
        if not isinstance(item, dict) or not item.get("checked", True):
            continue
        key, errors, warnings = (item.get("locale"), item.get("release")), item.get("errors"), item.get("warnings")
        if not all(isinstance(v, str) for v in key) or not isinstance(errors, int) or not isinstance(warnings, int):
            raise ValueError(f"catalog entry without locale, release, errors and warnings: {item!r:.80}")
        counts[(str(key[0]), str(key[1]))] = Findings(errors, warnings)
    return counts


@dataclass(frozen=True)
class Segment:
    """One coloured part of a stacked bar, in SVG user units."""

    kind: str
    count: int
    x: float
    width: float


def bar(row: Row) -> list[Segment]:
    """Reviewed, fuzzy and untranslated as consecutive parts of a 100-unit bar."""
    parts = (("reviewed", row.reviewed), ("fuzzy", row.fuzzy), ("untranslated", row.untranslated))
    total = sum(count for _, count in parts)
    segments, x = [], 0.0
    for kind, count in parts:
        width = BAR_WIDTH * count / total if total else 0.0
        segments.append(Segment(kind, count, round(x, 3), round(width, 3)))
        x += width
    return segments


def total(locale: str, rows: Sequence[Row]) -> Row:
    """The sum of a locale's rows, as one row."""
    fields = ("total", "reviewed", "fuzzy", "untranslated", "words", "reviewed_words")
    return Row(locale, "total", *(sum(getattr(r, f) for r in rows) for f in fields))


@dataclass(frozen=True)
class LocaleView:
    locale: str
    lang: str
    dir: str
    name: str
    overall: Row
    bar: list[Segment]
    findings: Findings | None


@dataclass(frozen=True)
class ReleaseView:
    release: str
    entries: list[tuple[LocaleView, Entry, list[Segment]]]


def _findings_sum(entries: Sequence[Entry]) -> Findings | None:
    known = [e.findings for e in entries if e.findings is not None]
    if not known:
        return None
    return Findings(sum(f.errors for f in known), sum(f.warnings for f in known))


def _views(entries: Sequence[Entry]) -> tuple[list[LocaleView], list[ReleaseView]]:
    locales: dict[str, LocaleView] = {}
    for locale in dict.fromkeys(e.row.locale for e in entries):
        mine = [e for e in entries if e.row.locale == locale]
        overall = total(locale, [e.row for e in mine])
        locales[locale] = LocaleView(locale, lang_tag(locale), direction(locale), language_name(locale),
                                     overall, bar(overall), _findings_sum(mine))
    releases = []
    for release in sorted(dict.fromkeys(e.row.release for e in entries)):
        mine = [e for e in entries if e.row.release == release]
        releases.append(ReleaseView(release, [(locales[e.row.locale], e, bar(e.row)) for e in mine]))
    return list(locales.values()), releases


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    text = (resources.files("locpress.web") / "templates" / TEMPLATE_NAME).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    return env.from_string(text)


def render(entries: Sequence[Entry], project: str = "locpress") -> str:
    """The dashboard page. Deterministic: no clock in it, so an unchanged project rewrites nothing."""
    locales, releases = _views(entries)
    return _template().render(project=project, locales=locales, releases=releases,
                              checked=any(e.findings is not None for e in entries))
