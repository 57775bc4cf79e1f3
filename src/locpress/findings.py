"""What `locpress check` found, and the formats CI systems read it in: text, json, github, junit.

A finding points at the `.po` line of its entry (the `msgid` line), so editors, GitHub
annotations and JUnit viewers all lead the translator to the same place.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from xml.etree import ElementTree

ERROR, WARNING = "error", "warning"
SEVERITIES = (WARNING, ERROR)  # in rising order: --fail-on warning also fails on errors
JSON_VERSION = 1
#: The checks by name, in the order `check --list` shows them and findings sort by: the
#: registry the configuration validates `[check] disable` against (checks.CHECKS follows it).
CHECK_NAMES = (
    "syntax", "header", "outdated", "format-string", "plurals", "links", "code", "html",
    "markdown", "tokens", "urls", "emails", "phones", "numbers", "dates", "dnt", "whitespace",
    "glossary", "unchanged", "latin", "double-space", "brackets", "quotes", "punctuation",
    "length", "ignore-comment", "consistency", "published-outdated",
)


def at_least(severity: str, threshold: str) -> bool:
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


@dataclass(frozen=True)
class Finding:
    """One problem, at one line of one catalog; entry fields are None for catalog findings."""

    check: str
    severity: str
    message: str
    locale: str
    release: str
    path: str
    line: int
    msgid: str | None = None
    msgctxt: str | None = None
    msgstr: str | None = None
    fuzzy: bool = False


@dataclass(frozen=True)
class Checked:
    """One catalog of the run (a release in a locale): the test case of the JUnit report."""

    locale: str
    release: str
    path: str
    exists: bool = True


@dataclass(frozen=True)
class Result:
    """Everything a check run produced, in catalog order."""

    catalogs: tuple[Checked, ...]
    findings: tuple[Finding, ...]
    fail_on: str = ERROR

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if at_least(f.severity, self.fail_on)]

    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    def of(self, catalog: Checked) -> list[Finding]:
        return [f for f in self.findings if f.path == catalog.path]


def summary(result: Result) -> str:
    """`2 errors, 1 warning in 6 catalogs` (the last line of the text report)."""
    counts = result.counts()
    checked = sum(1 for c in result.catalogs if c.exists)
    return (f"{counted(counts[ERROR], 'error')}, {counted(counts[WARNING], 'warning')} "
            f"in {counted(checked, 'catalog')}")


def counted(count: int, word: str) -> str:
    """`1 error`, `2 errors`, `2 new entries`."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def as_text(result: Result) -> str:
    """Compiler-style lines that editors and terminals link to: `path:line: severity: [check] ...`."""
    lines = [f"{f.path}:{f.line}: {f.severity}: [{f.check}] {f.message}{' (fuzzy entry)' if f.fuzzy else ''}"
             for f in result.findings]
    lines.extend(f"{c.path}: not checked: no catalog (run `locpress update`)" for c in result.catalogs
                 if not c.exists)
    lines.append(summary(result))
    return "\n".join(lines)


def as_json(result: Result) -> str:
    """The documented machine-readable report (see README, "Checks")."""
    counts = result.counts()
    catalogs = []
    for catalog in result.catalogs:
        mine = Counter(f.severity for f in result.of(catalog))
        catalogs.append({"locale": catalog.locale, "release": catalog.release, "path": catalog.path,
                         "checked": catalog.exists, "errors": mine[ERROR], "warnings": mine[WARNING]})
    data = {
        "version": JSON_VERSION,
        "fail_on": result.fail_on,
        "failed": bool(result.failing),
        "errors": counts[ERROR],
        "warnings": counts[WARNING],
        "catalogs": catalogs,
        "findings": [asdict(f) for f in result.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(result: Result, prefix: str = "") -> str:
    """GitHub Actions workflow commands: `::error file=...,line=N,title=...::message`.

    `prefix` is the project folder relative to the repository root, because GitHub places
    annotations by repository path.
    """
    lines = []
    for f in result.findings:
        path = f"{prefix}{f.path}"
        title = f"locpress {f.check}"
        lines.append(f"::{f.severity} file={_escape_property(path)},line={f.line},"
                     f"title={_escape_property(title)}::{_escape_data(f.message)}")
    lines.append(summary(result))
    return "\n".join(lines)


def as_junit(result: Result) -> str:
    """A JUnit XML report: a test suite per locale, a test case per release.

    A case fails when it has findings at or above `--fail-on`; findings below it are kept in
    the case's system-out, and a release with no catalog is skipped. The attributes are the
    ones the JUnit schema (Ant's, as read by Jenkins, GitLab and GitHub test reporters) allows.
    """
    root = ElementTree.Element("testsuites", name="locpress check")
    totals = Counter[str]()
    for locale in dict.fromkeys(c.locale for c in result.catalogs):
        suite = ElementTree.SubElement(root, "testsuite", name=f"locpress check {locale}")
        counts = Counter[str]()
        for catalog in (c for c in result.catalogs if c.locale == locale):
            counts["tests"] += 1
            counts[_junit_case(suite, catalog, result)] += 1
        for key in ("tests", "failures", "errors", "skipped"):
            suite.set(key, str(counts[key]))
            totals[key] += counts[key]
        suite.set("time", "0")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(totals[key]))
    root.set("time", "0")
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _junit_case(suite: ElementTree.Element, catalog: Checked, result: Result) -> str:
    case = ElementTree.SubElement(suite, "testcase", name=catalog.release, classname=f"locpress.check.{catalog.locale}",
                                  time="0")
    if not catalog.exists:
        ElementTree.SubElement(case, "skipped", message="no catalog: run `locpress update`")
        return "skipped"
    mine = result.of(catalog)
    failing = [f for f in mine if at_least(f.severity, result.fail_on)]
    passing = [f for f in mine if f not in failing]
    if failing:
        failure = ElementTree.SubElement(case, "failure", message=f"{counted(len(failing), 'finding')} at or above "
                                         f"{result.fail_on}", type=failing[0].check)
        failure.text = "\n".join(_junit_line(f) for f in failing)
    if passing:
        ElementTree.SubElement(case, "system-out").text = "\n".join(_junit_line(f) for f in passing)
    return "failures" if failing else "passed"


def _junit_line(f: Finding) -> str:
    return f"{f.path}:{f.line}: {f.severity}: [{f.check}] {f.message}"
