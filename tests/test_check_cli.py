"""`locpress check` through the CLI: the gate, the formats, real catalogs, usage errors."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES, Result
from test_findings import validate

from locpress.gettext.catalog import parse_po, write_po
from locpress.qa.checks import NAMES
from locpress.run import checking

Make = Callable[..., Path]
Cli = Callable[..., Result]

RELEASE = """# Appeal

See the [appeal](https://www.iom.int/appeal) for details.

The appeal of USD 12.5 million is 41% funded.

Contact media@iom.int for interviews.
"""
GOOD = {
    "Appeal": "호소",
    "See the [appeal](https://www.iom.int/appeal) for details.": "자세한 내용은 [호소문](https://www.iom.int/appeal)을 참조하십시오.",
    "The appeal of USD 12.5 million is 41% funded.": "1,250만 달러 규모의 호소는 41% 충족되었습니다.",
    "Contact media@iom.int for interviews.": "인터뷰는 media@iom.int로 문의하십시오.",
}


def translate(path: Path, table: dict[str, str], fuzzy: bool = False) -> None:
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        if not message.obsolete:
            message.msgstr = table.get(message.msgid, "")
            message.flags = ["fuzzy"] if fuzzy else []
    path.write_text(write_po(catalog), encoding="utf-8")


@pytest.fixture
def korean(project: Make, cli: Cli) -> Path:
    root = project({"2023/11/appeal.md": RELEASE}, locales=("ko",))
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    translate(root / "locales/ko/2023/11/appeal.po", GOOD)
    return root


def po(root: Path) -> Path:
    return root / "locales/ko/2023/11/appeal.po"


def test_list_works_outside_a_project(tmp_path: Path, cli: Cli) -> None:
    result = cli(tmp_path, "check", "--list")
    assert result.code == 0
    names = [line.split()[0] for line in result.out.splitlines()]
    assert names == list(NAMES)
    assert all(re.match(r"^\S+\s+(error|warning)\s+(entry|catalog|locale|output)\s+\S", line) for line in result.out.splitlines())


def test_list_marks_what_the_project_disables(project: Make, cli: Cli) -> None:
    root = project({"a.md": "# A\n"}, extra='[check]\ndisable = ["length"]\n')
    assert "(disabled in this project)" in [line for line in cli(root, "check", "--list").out.splitlines()
                                            if line.startswith("length")][0]


def test_clean_catalog_passes(korean: Path, cli: Cli) -> None:
    result = cli(korean, "check")
    assert result.code == 0, result.out + result.err
    assert result.out.strip() == "0 errors, 0 warnings in 1 catalog"


def test_an_error_fails_the_gate(korean: Path, cli: Cli) -> None:
    translate(po(korean), {**GOOD, "The appeal of USD 12.5 million is 41% funded.": "1,250만 달러 규모의 호소는 14% 충족되었습니다."})
    result = cli(korean, "check")
    assert result.code == 1
    assert re.search(r'^locales/ko/2023/11/appeal\.po:\d+: error: \[numbers\] number "41%"', result.out, re.M)


def test_warnings_fail_only_with_fail_on_warning(korean: Path, cli: Cli) -> None:
    translate(po(korean), {**GOOD, "Appeal": "호소  문"})
    assert cli(korean, "check").code == 0
    assert cli(korean, "check", "--fail-on", "warning").code == 1
    config = korean / "locpress.toml"
    config.write_text(config.read_text() + '[check]\nfail_on = "warning"\n')
    assert cli(korean, "check").code == 1
    assert cli(korean, "check", "--fail-on", "error").code == 0


def test_disabled_check_and_ignore_comment(korean: Path, cli: Cli) -> None:
    translate(po(korean), {**GOOD, "The appeal of USD 12.5 million is 41% funded.": "1,250만 달러 규모의 호소는 14% 충족되었습니다."})
    text = po(korean).read_text()
    po(korean).write_text(text.replace('#. paragraph\n#: source/2023/11/appeal.md:5',
                                       '# locpress: ignore numbers\n#. paragraph\n#: source/2023/11/appeal.md:5'))
    assert cli(korean, "check").code == 0
    po(korean).write_text(text)
    config = korean / "locpress.toml"
    config.write_text(config.read_text() + '[check]\ndisable = ["numbers"]\n')
    assert cli(korean, "check").code == 0


@pytest.mark.parametrize("args", [("--format", "xml"), ("--fail-on", "fatal"), ("--locale", "de"), ("--jobs", "0")])
def test_usage_errors_exit_2(korean: Path, cli: Cli, args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as raised:
        code = cli(korean, "check", *args).code
        raise SystemExit(code)
    assert raised.value.code == 2


def test_unknown_check_in_config_is_a_usage_error(korean: Path, cli: Cli) -> None:
    config = korean / "locpress.toml"
    config.write_text(config.read_text() + '[check]\ndisable = ["numbrs"]\n')
    result = cli(korean, "check")
    assert result.code == 2
    assert result.err.strip() == ("error: locpress.toml:4: key 'check.disable': unknown check 'numbrs' "
                                  "(see `locpress check --list`)")


def test_json_to_stdout_is_pure_json(korean: Path, cli: Cli) -> None:
    result = cli(korean, "check", "--format", "json")
    data = json.loads(result.out)
    assert data["catalogs"][0]["path"] == "locales/ko/2023/11/appeal.po" and data["failed"] is False


def test_github_annotations_point_at_the_entry_line(korean: Path, cli: Cli) -> None:
    translate(po(korean), {**GOOD, "Contact media@iom.int for interviews.": "인터뷰는 press@iom.int로 문의하십시오.",
                           "Appeal": "Appeal"})
    result = cli(korean, "check", "--format", "github")
    assert result.code == 1
    lines = po(korean).read_text().splitlines()
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert annotations
    for annotation in annotations:
        match = re.match(r"^::(error|warning) file=([^,]+),line=(\d+),title=locpress [\w-]+::", annotation)
        assert match, annotation
        assert lines[int(match.group(3)) - 1].startswith("msgid "), annotation
    assert any("media@iom.int" in a and a.startswith("::error") for a in annotations)


def test_junit_written_to_a_file(korean: Path, cli: Cli, tmp_path: Path) -> None:
    translate(po(korean), {**GOOD, "Appeal": ""})
    report = tmp_path / "reports" / "check.xml"
    result = cli(korean, "check", "--format", "junit", "--output", str(report))
    assert result.code == 0 and f"wrote {report}" in result.out
    root = ElementTree.fromstring(report.read_text(encoding="utf-8").split("?>", 1)[1])
    validate(root)
    [case] = root.iter("testcase")
    assert case.get("name") == "2023/11/appeal" and case.get("classname") == "locpress.check.ko"


def test_missing_catalog_is_skipped_not_failed(korean: Path, cli: Cli) -> None:
    po(korean).unlink()
    result = cli(korean, "check", "--format", "junit")
    assert result.code == 0
    assert '<skipped message="no catalog: run `locpress update`"' in result.out


def test_broken_catalog_is_a_finding_with_its_line(korean: Path, cli: Cli) -> None:
    po(korean).write_bytes(b"\xef\xbb\xbf" + po(korean).read_bytes())
    result = cli(korean, "check")
    assert result.code == 1 and "Traceback" not in result.err
    assert "locales/ko/2023/11/appeal.po:1: error: [syntax] file starts with a UTF-8 byte order mark" in result.out


def test_out_of_date_catalog(korean: Path, cli: Cli) -> None:
    source = korean / "source/2023/11/appeal.md"
    source.write_text(source.read_text() + "\nA new paragraph was added.\n")
    assert cli(korean, "extract").code == 0
    result = cli(korean, "check")
    assert result.code == 1
    assert "[outdated] out of date with locales/templates/2023/11/appeal.pot: `locpress update` would add 1 new entry" \
           in result.out
    assert cli(korean, "update").code == 0
    assert cli(korean, "check").code == 0


def test_consistency_looks_at_every_release_of_the_locale(project: Make, cli: Cli) -> None:
    root = project({"a.md": "# About IOM\n", "b.md": "# About IOM\n"})
    cli(root, "extract")
    cli(root, "update")
    translate(root / "locales/ko/a.po", {"About IOM": "IOM 소개"})
    translate(root / "locales/ko/b.po", {"About IOM": "IOM에 대하여"})
    result = cli(root, "check", "--release", "b")
    assert "[consistency] translated differently in a (line" in result.out and result.code == 0


def test_sample_reviewed_korean_catalog_has_no_findings(tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "sample"
    shutil.copytree(FIXTURES / "checks" / "sample", root)
    result = cli(root, "check", "--format", "json", "--fail-on", "warning")
    data = json.loads(result.out)
    assert result.code == 0 and data["findings"] == [] and data["catalogs"][0]["checked"]


def test_real_korean_catalogs_through_the_cli(project: Make, cli: Cli) -> None:
    """Real catalogs, some refused by msgfmt: findings with lines, never a crash."""
    names = ["library_stdtypes", "whatsnew_changelog_excerpt", "dpkg_po_ko", "glib_ko", "django_contrib_humanize__django"]
    root = project({f"{name}.md": "# Title\n" for name in names})
    (root / "locales" / "ko").mkdir(parents=True)
    for name in names:
        shutil.copy(FIXTURES / "po" / f"{name}.po", root / "locales" / "ko" / f"{name}.po")
    result = cli(root, "check", "--format", "json")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    data = json.loads(result.out)
    by_file: dict[str, list[dict[str, object]]] = {}
    for finding in data["findings"]:
        by_file.setdefault(str(finding["release"]), []).append(finding)
    duplicates = [f for f in by_file["whatsnew_changelog_excerpt"] if f["check"] == "syntax"]
    assert len(duplicates) >= 8 and all("duplicate message definition" in str(f["message"]) for f in duplicates)
    assert any(f["check"] == "format-string" and f["line"] == 5492 for f in by_file["library_stdtypes"])


def test_parallel_and_serial_runs_agree(project: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({f"r{i}.md": RELEASE for i in range(3)}, locales=("ko", "fr", "ar"))
    cli(root, "extract")
    cli(root, "update")
    for locale in ("ko", "fr", "ar"):
        for path in (root / "locales" / locale).glob("*.po"):
            translate(path, {k: v.replace("41%", "14%") if path.stem == "r1" else v for k, v in GOOD.items()})
    monkeypatch.setattr(checking, "PARALLEL_MINIMUM", 0)
    serial = cli(root, "check", "--format", "json", "--jobs", "1")
    parallel = cli(root, "check", "--format", "json", "--jobs", "2")
    assert serial.code == parallel.code == 1
    assert json.loads(serial.out) == json.loads(parallel.out)


def test_glossary_csv_of_the_project(korean: Path, cli: Cli) -> None:
    (korean / "glossary.csv").write_text("en,ko,dnt\nappeal,호소,\nUSD,,yes\n", encoding="utf-8")
    translate(po(korean), {**GOOD, "The appeal of USD 12.5 million is 41% funded.": "1,250만 달러 규모의 요청은 41% 충족되었습니다."})
    result = cli(korean, "check")
    assert result.code == 1
    assert '[glossary] glossary: "appeal" is "호소" in Korean' in result.out
    assert '[dnt] "USD" must stay as it is (do not translate)' in result.out
    (korean / "glossary.csv").write_text("en,ko,dnt\nappeal,호소,maybe\n", encoding="utf-8")
    broken = cli(korean, "check")
    assert broken.code == 3 and broken.err.startswith("error: glossary.csv:2: ")
