"""What a command did: status rows, notes, errors, and the exit code they add up to."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from locpress.errors import LocpressError

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_FILES = 0, 1, 2, 3


@dataclass(frozen=True)
class Row:
    """Progress of one release in one locale; counts agree with `msgfmt --statistics`."""

    locale: str
    release: str
    total: int
    reviewed: int
    fuzzy: int
    untranslated: int
    words: int
    reviewed_words: int
    # `status` only: "current" (output/ holds what a build publishes now), "outdated" (it holds
    # an older version: build.keep_outdated, or not rebuilt yet), "no" (not published), "" unknown
    published: str = ""
    in_source_language: int = 0  # segments a published release shows in the source language

    @property
    def percent(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 100.0


@dataclass
class Report:
    """Collected by the stages, printed by the CLI; it alone decides the exit code."""

    errors: list[LocpressError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    gate_failures: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # "output/ko/x.md: why", taken out of output/

    @property
    def exit_code(self) -> int:
        if any(e.exit_code == EXIT_USAGE for e in self.errors):
            return EXIT_USAGE
        if self.errors:
            return EXIT_FILES
        return EXIT_GATE if self.gate_failures else EXIT_OK

    def gate(self, minimum: float) -> None:
        """Record every row below `minimum` percent reviewed."""
        for row in self.rows:
            if row.percent < minimum:
                self.gate_failures.append(
                    f"{row.locale} {row.release}: {row.percent:.1f}% reviewed, below {minimum:g}%")


def table(rows: list[Row], releases: bool = True) -> str:
    """A plain-text table per locale (no colour codes: it goes to logs and CI as is); with
    `releases` false, only each locale's total."""
    headers = ("release", "segments", "words", "reviewed", "fuzzy", "untranslated", "reviewed %")
    out: list[str] = []
    for locale in dict.fromkeys(r.locale for r in rows):
        mine = [r for r in rows if r.locale == locale]
        body = [(r.release, str(r.total), str(r.words), str(r.reviewed), str(r.fuzzy),
                 str(r.untranslated), f"{r.percent:.1f}") for r in mine] if releases else []
        total = _total(locale, mine)
        body.append(("total", str(total.total), str(total.words), str(total.reviewed), str(total.fuzzy),
                      str(total.untranslated), f"{total.percent:.1f}"))
        widths = [max(len(h), *(len(line[i]) for line in body)) for i, h in enumerate(headers)]
        out.append(f"{locale}:")
        out.append(_line(headers, widths))
        out.append(_line(tuple("-" * w for w in widths), widths))
        out.extend(_line(line, widths) for line in body)
        out.append("")
    return "\n".join(out).rstrip("\n")


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
    return "  ".join([first, *rest]).rstrip()


def _total(locale: str, rows: list[Row]) -> Row:
    return Row(locale, "total", *(sum(getattr(r, f) for r in rows) for f in
                                   ("total", "reviewed", "fuzzy", "untranslated", "words", "reviewed_words")))


def as_json(rows: list[Row]) -> str:
    """`{"locales": [{"locale": "ko", "releases": [{...counts...}]}]}`."""
    locales = []
    for locale in dict.fromkeys(r.locale for r in rows):
        releases = []
        for row in rows:
            if row.locale == locale:
                data = asdict(row)
                del data["locale"]
                data["percent_reviewed"] = round(row.percent, 2)
                releases.append(data)
        locales.append({"locale": locale, "releases": releases})
    return json.dumps({"locales": locales}, ensure_ascii=False, indent=2)
