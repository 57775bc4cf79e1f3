"""The dashboard: stacked bars, per-locale totals, links, QA findings, and the CLI that writes it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, snapshot
from test_cli import GATE_OFF, fill

from locpress.stages.report import Row
from locpress.web import dashboard

Make = Callable[..., Path]
Cli = Callable[..., Result]
SOURCE = "---\ntitle: Floods\n---\n\nThe floods displaced 12,000 people. IOM teams arrived.\n\nShelter kits arrived.\n"


def row(locale: str = "ko", release: str = "2023/11/a", reviewed: int = 7, fuzzy: int = 2, untranslated: int = 1) -> Row:
    total = reviewed + fuzzy + untranslated
    return Row(locale, release, total, reviewed, fuzzy, untranslated, total * 10, reviewed * 10)


def rects(svg: str) -> list[tuple[str, float, float]]:
    return [(kind, float(x), float(w)) for kind, x, w in
            re.findall(r'<rect class="(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', svg)]


@pytest.mark.parametrize(("counts", "widths"), [
    ((7, 2, 1), [("reviewed", 0.0, 70.0), ("fuzzy", 70.0, 20.0), ("untranslated", 90.0, 10.0)]),
    ((3, 0, 0), [("reviewed", 0.0, 100.0), ("fuzzy", 100.0, 0.0), ("untranslated", 100.0, 0.0)]),
    ((1, 1, 1), [("reviewed", 0.0, 33.333), ("fuzzy", 33.333, 33.333), ("untranslated", 66.667, 33.333)]),
    ((0, 0, 0), [("reviewed", 0.0, 0.0), ("fuzzy", 0.0, 0.0), ("untranslated", 0.0, 0.0)]),
])
def test_bar_parts_fill_the_bar_in_order(counts: tuple[int, int, int], widths: list[tuple[str, float, float]]) -> None:
    assert [(s.kind, s.x, s.width) for s in dashboard.bar(row(reviewed=counts[0], fuzzy=counts[1],
                                                                untranslated=counts[2]))] == widths


def test_page_has_an_svg_bar_per_locale_and_release_and_no_script_or_network() -> None:
    out = dashboard.render([dashboard.Entry(row("ko")), dashboard.Entry(row("ar", reviewed=0))], "IOM")
    assert out.count("<svg") == 4  # two locale totals, two release rows
    assert 'aria-label="ko 2023/11/a: 7 reviewed, 2 fuzzy, 1 untranslated"' in out
    assert rects(out.split('id="locale-ko"', 1)[1])[:3] == [("reviewed", 0.0, 70.0), ("fuzzy", 70.0, 20.0),
                                                           ("untranslated", 90.0, 10.0)]
    assert "<script" not in out and "http://" not in out and "https://" not in out
    assert '<span lang="ar" dir="rtl">العربية</span>' in out


def test_overall_progress_sums_a_locales_releases() -> None:
    out = dashboard.render([dashboard.Entry(row("ko", "a", 10, 0, 0)), dashboard.Entry(row("ko", "b", 0, 0, 10))])
    overall = out.split('id="locale-ko"', 1)[1].split("</tr>", 1)[0]
    assert "50.0%" in overall and "10 / 20" in overall and "100 / 200" in overall


def test_links_to_release_and_review_sheet_only_when_they_exist() -> None:
    out = dashboard.render([dashboard.Entry(row("ko"), page="ko/2023/11/a.html", review="review/ko/2023/11/a.html"),
                            dashboard.Entry(row("ar"))])
    assert '<a class="page" href="ko/2023/11/a.html" hreflang="ko">' in out
    assert '<a class="review" href="review/ko/2023/11/a.html">' in out
    assert out.count("not published") == 1


def test_findings_column_only_when_check_has_run() -> None:
    assert "QA findings" not in dashboard.render([dashboard.Entry(row())])
    out = dashboard.render([dashboard.Entry(row("ko"), findings=dashboard.Findings(errors=1, warnings=2)),
                            dashboard.Entry(row("ko", "b"), findings=dashboard.Findings()),
                            dashboard.Entry(row("ar"))])
    assert "QA findings" in out
    assert '<span class="errors">1 error, 2 warnings</span>' in out
    assert "clean" in out and "not checked" in out


def test_names_are_escaped() -> None:
    out = dashboard.render([dashboard.Entry(row(release="<img src=x onerror=alert(1)>"))], "<b>IOM</b>")
    assert "<img" not in out and "<b>IOM" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_empty_project() -> None:
    assert "No catalogs yet" in dashboard.render([])


# --- through the CLI -------------------------------------------------------------------------

def test_status_format_html_writes_the_dashboard_on_its_own(project: Make, cli: Cli) -> None:
    root = project({"2023/11/floods.md": SOURCE}, locales=("ko", "ar"))
    cli(root, "run")
    fill(root / "locales/ko/2023/11/floods.po", lambda s: "홍수")
    cli(root, "build")
    result = cli(root, "status", "--format", "html")
    assert result.code == 0, result.err
    assert result.out.strip() == "wrote drafts/index.html"
    page = (root / "drafts/index.html").read_text()
    assert '<a class="page" href="ko/2023/11/floods.md"' not in page  # only HTML pages are linked
    assert "100.0%" in page and "0.0%" in page
    before = snapshot(root)
    again = cli(root, "status", "--format", "html")
    assert again.out.strip() == "the dashboard is up to date"
    assert snapshot(root) == before


def test_status_format_html_keeps_the_gate(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE})
    cli(root, "run")
    result = cli(root, "status", "--format", "html", "--fail-under", "100")
    assert result.code == 1 and "below threshold" in result.err
    assert (root / "drafts/index.html").exists()


def test_dashboard_shows_the_whole_project_whatever_the_selection(project: Make, cli: Cli) -> None:
    root = project({"a.md": SOURCE, "b.md": SOURCE}, locales=("ko", "ar"))
    cli(root, "run")
    cli(root, "status", "--format", "html", "--locale", "ko", "--release", "a")
    page = (root / "drafts/index.html").read_text()
    assert 'id="locale-ar"' in page and "<h2>b</h2>" in page


def test_run_writes_the_dashboard_with_html_format(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, locales=("ko", "ar"), extra='[build]\nformats = ["md", "html"]\n' + GATE_OFF)
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "홍수")
    result = cli(root, "run")
    assert "wrote output/ko/r.html" in result.out and "wrote drafts/index.html" in result.out
    page = (root / "drafts/index.html").read_text()
    assert '<a class="page" href="../output/ko/r.html" hreflang="ko">' in page


def test_run_without_html_format_writes_no_dashboard(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE})
    assert cli(root, "run").code == 0
    assert not (root / "drafts/index.html").exists()


def test_review_sheet_is_linked_when_it_exists(project: Make, cli: Cli) -> None:
    root = project({"2023/11/floods.md": SOURCE})
    cli(root, "run")
    sheet = root / "drafts/review/ko/2023/11/floods.html"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("<!DOCTYPE html><title>review</title>\n")
    cli(root, "status", "--format", "html")
    assert '<a class="review" href="review/ko/2023/11/floods.html">' in (root / "drafts/index.html").read_text()


def test_broken_catalog_is_reported_once_and_the_rest_still_shown(project: Make, cli: Cli) -> None:
    root = project({"a.md": SOURCE, "b.md": SOURCE})
    cli(root, "run")
    (root / "locales/ko/a.po").write_text('msgid "x"\nmsgstr "unterminated\n')
    result = cli(root, "status", "--format", "html")
    assert result.code == 3
    assert result.err.count("locales/ko/a.po") == 1
    page = (root / "drafts/index.html").read_text()
    assert "<h2>b</h2>" in page and "<h2>a</h2>" not in page


# --- QA findings from a `locpress check --format json` report --------------------------------

def check_report(errors: int, warnings: int) -> str:
    """A report in the format `locpress check --format json` writes (locpress.findings)."""
    from locpress import findings as qa

    def finding(severity: str) -> qa.Finding:
        return qa.Finding("numbers", severity, "number 12,000 missing", "ko", "r", "locales/ko/r.po", 5)

    catalogs = (qa.Checked("ko", "r", "locales/ko/r.po"), qa.Checked("ar", "r", "locales/ar/r.po", exists=False))
    found = tuple([finding(qa.ERROR)] * errors + [finding(qa.WARNING)] * warnings)
    return qa.as_json(qa.Result(catalogs, found))


def test_findings_from_a_check_report() -> None:
    import json
    assert dashboard.findings_from_report(json.loads(check_report(2, 1))) == {("ko", "r"): dashboard.Findings(2, 1)}


@pytest.mark.parametrize("data", [[], {"catalogs": "x"}, {"version": 1}, {"catalogs": [{"locale": "ko"}]}])
def test_findings_from_something_else_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        dashboard.findings_from_report(data)


def test_status_shows_findings_from_a_report(project: Make, cli: Cli, tmp_path: Path) -> None:
    root = project({"r.md": SOURCE}, locales=("ko", "ar"))
    cli(root, "run")
    report = tmp_path / "check.json"
    report.write_text(check_report(1, 2))
    assert cli(root, "status", "--format", "html", "--findings", str(report)).code == 0
    page = (root / "drafts/index.html").read_text()
    assert '<span class="errors">1 error, 2 warnings</span>' in page and "not checked" in page
    missing = cli(root, "status", "--format", "html", "--findings", str(tmp_path / "nope.json"))
    assert missing.code == 2 and "nope.json: no such file" in missing.err
    report.write_text("{")
    broken = cli(root, "status", "--format", "html", "--findings", str(report))
    assert broken.code == 3 and "check.json: not a check report" in broken.err


def test_findings_of_a_real_check_run_reach_the_dashboard(project: Make, cli: Cli, tmp_path: Path) -> None:
    root = project({"r.md": "Contact media@iom.int for interviews.\n"})
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "인터뷰는 press@iom.int로 문의하십시오.")
    report = tmp_path / "check.json"
    checked = cli(root, "check", "--format", "json", "--output", str(report))
    assert checked.code == 1, checked.out + checked.err
    assert cli(root, "status", "--format", "html", "--findings", str(report)).code == 0
    page = (root / "drafts/index.html").read_text()
    assert re.search(r'<span class="errors">[1-9]\d* errors?, \d+ warnings?</span>', page)
