"""The report formats: text, json (documented in the README), GitHub annotations, JUnit XML."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest

from locpress.findings import (
    ERROR,
    WARNING,
    Checked,
    Finding,
    Result,
    as_github,
    as_json,
    as_junit,
    as_text,
)

CATALOGS = (Checked("ko", "2023/11/a", "locales/ko/2023/11/a.po"), Checked("ko", "2023/11/b", "locales/ko/2023/11/b.po"),
            Checked("fr", "2023/11/a", "locales/fr/2023/11/a.po"), Checked("fr", "2023/11/b", "locales/fr/2023/11/b.po", False))
FINDINGS = (
    Finding("numbers", ERROR, 'number "41%" is not in the translation (it has 14)', "ko", "2023/11/a",
            "locales/ko/2023/11/a.po", 29, "It is 41% funded.", None, "14% 충족", False),
    Finding("quotes", WARNING, "quotation marks are not balanced, 100%: yes", "ko", "2023/11/a",
            "locales/ko/2023/11/a.po", 33, "He said “yes”.", None, "“네", False),
    Finding("header", ERROR, "header has no Language (expected fr)", "fr", "2023/11/a", "locales/fr/2023/11/a.po", 1),
)


def result(fail_on: str = ERROR) -> Result:
    return Result(CATALOGS, FINDINGS, fail_on)


def test_text_is_one_compiler_style_line_per_finding() -> None:
    lines = as_text(result()).splitlines()
    assert lines[0] == ('locales/ko/2023/11/a.po:29: error: [numbers] number "41%" is not in the translation '
                        "(it has 14)")
    assert lines[-1] == "2 errors, 1 warning in 3 catalogs"
    assert "locales/fr/2023/11/b.po: not checked" in lines[-2]


def test_json_report() -> None:
    data = json.loads(as_json(result()))
    assert data["version"] == 1 and data["fail_on"] == "error" and data["failed"] is True
    assert (data["errors"], data["warnings"]) == (2, 1)
    assert data["catalogs"][0] == {"locale": "ko", "release": "2023/11/a", "path": "locales/ko/2023/11/a.po",
                                   "checked": True, "errors": 1, "warnings": 1}
    assert data["catalogs"][3]["checked"] is False
    assert set(data["findings"][0]) == {"check", "severity", "message", "locale", "release", "path", "line", "msgid",
                                        "msgctxt", "msgstr", "fuzzy"}


_ANNOTATION = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),title=([^,:]+)::(.*)$")


def test_github_annotations_are_escaped_workflow_commands() -> None:
    lines = as_github(result(), prefix="docs/").splitlines()
    matches = [_ANNOTATION.match(line) for line in lines[:-1]]
    assert all(matches)
    assert [(m.group(1), m.group(2), m.group(3)) for m in matches if m] == [
        ("error", "docs/locales/ko/2023/11/a.po", "29"), ("warning", "docs/locales/ko/2023/11/a.po", "33"),
        ("error", "docs/locales/fr/2023/11/a.po", "1")]
    assert matches[0] and matches[0].group(5) == 'number "41%25" is not in the translation (it has 14)'
    assert matches[1] and "100%25: yes" in matches[1].group(5)


# The JUnit schema as CI servers read it (Ant / Jenkins junit-10.xsd): allowed attributes, children.
SCHEMA = {
    "testsuites": ({"name", "time", "tests", "failures", "disabled", "errors", "skipped"}, {"testsuite"}),
    "testsuite": ({"name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id",
                   "package", "file", "log", "url", "version", "group"},
                  {"properties", "testcase", "system-out", "system-err"}),
    "testcase": ({"name", "assertions", "time", "classname", "status", "group"},
                 {"skipped", "error", "failure", "system-out", "system-err"}),
    "failure": ({"message", "type"}, set()),
    "error": ({"message", "type"}, set()),
    "skipped": ({"message"}, set()),
    "system-out": (set(), set()),
    "system-err": (set(), set()),
}
REQUIRED = {"testsuite": {"name", "tests"}, "testcase": {"name"}}
COUNTS = ("tests", "failures", "errors", "skipped", "disabled")


def validate(element: ElementTree.Element) -> None:
    attributes, children = SCHEMA[element.tag]
    assert set(element.attrib) <= attributes, (element.tag, element.attrib)
    assert REQUIRED.get(element.tag, set()) <= set(element.attrib)
    for key in COUNTS:
        if key in element.attrib:
            assert element.attrib[key].isdigit()
    if "time" in element.attrib:
        float(element.attrib["time"])
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        validate(child)


@pytest.mark.parametrize("fail_on", [ERROR, WARNING])
def test_junit_follows_the_schema_one_case_per_release_and_locale(fail_on: str) -> None:
    text = as_junit(result(fail_on))
    assert text.startswith("<?xml")
    root = ElementTree.fromstring(text.split("?>", 1)[1])
    assert root.tag == "testsuites"
    validate(root)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["locpress check ko", "locpress check fr"]
    cases = [(c.get("classname"), c.get("name")) for s in suites for c in s.findall("testcase")]
    assert cases == [("locpress.check.ko", "2023/11/a"), ("locpress.check.ko", "2023/11/b"),
                     ("locpress.check.fr", "2023/11/a"), ("locpress.check.fr", "2023/11/b")]
    for suite in suites:
        found = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(found)
        assert int(suite.get("failures", "")) == sum(1 for c in found if c.find("failure") is not None)
        assert int(suite.get("skipped", "")) == sum(1 for c in found if c.find("skipped") is not None)
    assert int(root.get("tests", "")) == 4 and int(root.get("skipped", "")) == 1
    ko_a = suites[0].findall("testcase")[0]
    failure = ko_a.find("failure")
    assert failure is not None and "locales/ko/2023/11/a.po:29" in (failure.text or "")
    if fail_on == ERROR:
        out = ko_a.find("system-out")
        assert out is not None and "[quotes]" in (out.text or "")
        assert int(root.get("failures", "")) == 2
    else:
        assert "[quotes]" in (failure.text or "")


def test_readme_lists_every_check_with_its_severity() -> None:
    from pathlib import Path

    from locpress.qa.checks import CHECKS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Checks\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \| (error|warning) \|", section, re.M)
    assert rows == [(check.name, check.severity) for check in CHECKS]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    produced = json.loads(as_json(result()))
    assert set(example) == set(produced)
    assert set(example["findings"][0]) == set(produced["findings"][0])
    assert set(example["catalogs"][0]) == set(produced["catalogs"][0])
