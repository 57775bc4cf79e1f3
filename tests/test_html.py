"""HTML releases: language and direction, localized dates, the switcher, and no injected markup."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, snapshot
from test_cli import GATE_OFF, fill

from locpress.web import html

Make = Callable[..., Path]
Cli = Callable[..., Result]

SOURCE = """---
title: Floods displace thousands
date: 2023-11-01
---

The floods displaced 12,000 people.<sup>1</sup> Read the [appeal](https://www.iom.int/appeal).

<div class="note">
Staff wrote this block.
</div>
"""


def page(text: str, locale: str = "ko", source: str = SOURCE, **extra: object) -> html.Page:
    return html.Page(locale=locale, release="2023/11/floods", text=text, source=source, format="md", **extra)  # type: ignore[arg-type]


def translated(sentence: str, title: str = "홍수") -> str:
    """The source with its title and first paragraph replaced, as a build would write it."""
    head, _, rest = SOURCE.partition("\n\n")
    body = rest.split("\n\n", 1)[1]
    return head.replace("Floods displace thousands", title) + "\n\n" + sentence + "\n\n" + body


@pytest.mark.parametrize(("locale", "lang", "direction"), [
    ("ko", "ko", "ltr"), ("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr"), ("fr", "fr", "ltr"),
    ("ru", "ru", "ltr"), ("es", "es", "ltr"), ("he", "he", "rtl"), ("fa", "fa", "rtl"), ("pt_BR", "pt-BR", "ltr"),
])
def test_lang_and_dir_from_babel(locale: str, lang: str, direction: str) -> None:
    out = html.render(page(translated("x"), locale))
    assert f'<html lang="{lang}" dir="{direction}">' in out


@pytest.mark.parametrize(("locale", "expected"), [
    ("ko", "2023년 11월 1일"),
    ("ar", "1 نوفمبر 2023"),
    ("zh_Hans", "2023年11月1日"),
    ("fr", "1 novembre 2023"),
    ("ru", "1 ноября 2023\u202fг."),  # narrow no-break space before г.
    ("es", "1 de noviembre de 2023"),
])
def test_release_date_is_written_as_the_locale_writes_it(locale: str, expected: str) -> None:
    out = html.render(page(translated("x"), locale))
    assert f'<time datetime="2023-11-01">{expected}</time>' in out


@pytest.mark.parametrize("value", [dt.date(2023, 11, 1), "2023-11-01", dt.datetime(2023, 11, 1, 9, 30), " 2023-11-01 "])
def test_front_matter_date_forms(value: object) -> None:
    assert html.localized_date(value, "ko") == ("2023년 11월 1일", "2023-11-01")


@pytest.mark.parametrize("value", ["soon", None, 20231101, ["2023-11-01"]])
def test_no_date_when_front_matter_has_none(value: object) -> None:
    assert html.localized_date(value, "ko") is None


def test_title_from_front_matter_and_escaped() -> None:
    out = html.render(page(translated("x", title="홍수 <b>피해</b>")))
    assert "<title>홍수 &lt;b&gt;피해&lt;/b&gt;</title>" in out
    assert "<h1>홍수 &lt;b&gt;피해&lt;/b&gt;</h1>" in out


def test_title_from_first_heading_when_no_front_matter() -> None:
    source = "# Floods\n\nText.\n"
    out = html.render(page("# 홍수\n\n본문.\n", source=source))
    assert "<title>홍수</title>" in out
    assert out.count("<h1>") == 1


@pytest.mark.parametrize("payload", [
    "<script>window.pwned = 1</script>",
    '<img src=x onerror="window.pwned = 2">',
    '<a href="https://www.iom.int" onclick="window.pwned = 3">IOM</a>',
    "<iframe src=https://example.org></iframe>",
    '<svg onload="window.pwned = 4"></svg>',
])
def test_raw_html_added_by_a_translation_is_escaped(payload: str) -> None:
    out = html.render(page(translated(f"홍수가 났습니다. {payload}")))
    body = out.split("<main>", 1)[1]
    tag = re.match(r"<(\w+)", payload)
    assert tag is not None
    assert f"<{tag.group(1)}" not in body.replace("<sup>", "").replace("<div", "")
    assert "&lt;" + tag.group(1) in body


def test_script_tag_at_line_start_of_a_translation_is_escaped() -> None:
    out = html.render(page(translated("<script>window.pwned = 1</script>")))
    assert "<script" not in out


def test_an_inline_run_denser_than_any_prose_is_shown_as_text() -> None:
    stars = "*" * (html.INLINE_MARKUP_LIMIT + 1)
    out = html.render_markdown(f"a *b* [c](https://x.org) {stars}<script>x</script>\n\nok *x*\n", "")
    assert out == f"<p>a *b* [c](https://x.org) {stars}&lt;script&gt;x&lt;/script&gt;</p>\n<p>ok <em>x</em></p>\n"


def test_markup_up_to_the_limit_is_still_markup() -> None:
    many = " ".join(["*a*"] * (html.INLINE_MARKUP_LIMIT // 2))
    assert html.render_markdown(many + "\n", "").count("<em>a</em>") == html.INLINE_MARKUP_LIMIT // 2
    assert not html.dense(many)
    assert html.dense("-" * (html.INLINE_MARKUP_LIMIT + 1))
    assert not html.dense("a" * (html.INLINE_MARKUP_LIMIT * 3))


def test_a_dense_translation_in_a_page_is_escaped_text() -> None:
    out = html.render(page(translated("[a](" * 30000 + "<b>")))
    assert "<a " not in out.split("<main>", 1)[1]
    assert "[a]([a](" in out and "&lt;b&gt;" in out


@pytest.mark.parametrize("link", [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](java&#9;script:alert(1))",
    "<javascript:alert(1)>", "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))", "[x](file:///etc/passwd)",
])
def test_unsafe_link_schemes_never_become_links(link: str) -> None:
    out = html.render(page(translated(f"자세히 보기 {link}")))
    main = out.split("<main>", 1)[1]
    assert not re.search(r'(href|src)="(?i:\s*(java|vb)script|data|file)', main)


@pytest.mark.parametrize(("url", "safe"), [
    ("https://www.iom.int", True), ("http://x", True), ("mailto:a@b.int", True), ("tel:+82", True),
    ("../ko/x.html", True), ("#top", True), ("javascript:alert(1)", False), ("JaVaScRiPt:x", False),
    (" javascript:x", False), ("java\tscript:x", False), ("data:text/html,x", False), ("file:///x", False),
])
def test_safe_url(url: str, safe: bool) -> None:
    assert html.safe_url(url) is safe


def test_source_raw_html_is_kept_and_links_work() -> None:
    out = html.render(page(translated('홍수로 12,000명이 피난했습니다.<sup>1</sup> [호소문](https://www.iom.int/appeal)을 읽어 보십시오.')))
    assert "<sup>1</sup>" in out
    assert '<div class="note">\nStaff wrote this block.\n</div>' in out
    assert '<a href="https://www.iom.int/appeal">호소문</a>' in out


@pytest.mark.parametrize(("translation", "shown"), [
    ('오늘 <abbr title="국제이주기구">IOM</abbr>.', '<abbr title="국제이주기구">IOM</abbr>'),  # title translated
    ("오늘 <abbr title='국제 \"기구\"'>IOM</abbr>.", "<abbr title='국제 \"기구\"'>IOM</abbr>"),
    ('<abbr title="x" onclick="evil()">IOM</abbr>', "&lt;abbr title="),  # anything else changed: text
    ('<abbr class="x" title="y">IOM</abbr>', "&lt;abbr class="),
])
def test_a_translated_title_renders_as_the_check_allows(translation: str, shown: str) -> None:
    """The `html` check lets alt, title, aria-label and placeholder be translated; the page
    renderer trusts the same tags, and nothing else about them."""
    from locpress.formats.spans import Text

    source = 'Work of <abbr title="International Organization for Migration">IOM</abbr>.'
    assert shown in html.render_markdown(translation, source)
    passes_check = Text(source).html == Text(translation).html  # what checks.html compares
    assert passes_check is ("&lt;" not in shown)


def test_a_source_tag_is_trusted_only_as_often_as_the_source_has_it() -> None:
    out = html.render(page(translated("하나<sup>1</sup> 둘<sup>2</sup>")))
    assert "하나<sup>1</sup> 둘&lt;sup&gt;2&lt;/sup&gt;" in out


def test_a_source_block_tag_is_not_trusted_inline() -> None:
    source = "<script src=\"https://www.iom.int/a.js\"></script>\n\nText.\n"
    out = html.render(page('<script src="https://www.iom.int/a.js"></script>\n\n본문 <script src="https://www.iom.int/a.js"></script>\n',
                           source=source))
    assert out.count("<script") == 1


def test_language_switcher_links_every_built_locale_relatively() -> None:
    out = html.render(page(translated("x"), "ko", locales=("ko", "ar", "zh_Hans")))
    assert '<span lang="ko" dir="ltr" aria-current="page">한국어</span>' in out
    assert '<a href="../../../ar/2023/11/floods.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in out
    assert 'href="../../../zh_Hans/2023/11/floods.html" hreflang="zh-Hans"' in out
    assert '<link rel="alternate" hreflang="ar" href="../../../ar/2023/11/floods.html">' in out


def test_no_switcher_for_a_single_locale() -> None:
    assert 'class="languages"' not in html.render(page(translated("x"), locales=("ko",)))


@pytest.mark.parametrize(("release", "href"), [("r", "../ar/r.html"), ("2023/11/r", "../../../ar/2023/11/r.html")])
def test_relative_href(release: str, href: str) -> None:
    assert html.relative_href(release, "ar") == href


def test_font_stack_and_print_stylesheet() -> None:
    out = html.render(page(translated("x")))
    for family in ("Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Naskh Arabic", "Apple SD Gothic Neo", "Malgun Gothic"):
        assert f'"{family}"' in out
    assert "@media print" in out
    assert "http" not in out.split("<style>", 1)[1].split("</style>", 1)[0].replace('a[href^="http"]', "")


def test_draft_note_is_shown() -> None:
    out = html.render(page(translated("x"), draft="Draft preview: 3 of 5 segments"))
    assert '<p class="draft" lang="en" dir="ltr">Draft preview: 3 of 5 segments</p>' in out


def test_plain_text_release() -> None:
    text = "홍수 피해\n\n홍수로 <b>12,000명</b>이\n피난했습니다.\n\n- 담요\n- 물\n"
    out = html.render(html.Page("ko", "r", text, "Floods\n\nx\n\n- a\n- b\n", "txt"))
    assert "<title>홍수 피해</title>" in out
    assert "<p>홍수로 &lt;b&gt;12,000명&lt;/b&gt;이 피난했습니다.</p>" in out
    assert "<ul><li>담요</li><li>물</li></ul>" in out


def test_template_override_may_extend_the_default() -> None:
    override = '{% extends "locpress/release.html" %}{% block header %}<p class="brand">IOM</p>{{ super() }}{% endblock %}'
    out = html.render(page(translated("x")), override)
    assert '<p class="brand">IOM</p><header>' in out


def test_template_override_replaces_the_page() -> None:
    out = html.render(page(translated("x")), "<html lang={{ lang }}>{{ title }}|{{ date }}|{{ body }}</html>")
    assert out.startswith("<html lang=ko>홍수|2023년 11월 1일|<p>x</p>")


@pytest.mark.parametrize(("template", "message"), [
    ("{% if %}", "templates/release.html:1: template error"),
    ("{{ no_such_variable }}", "templates/release.html: template error: 'no_such_variable' is undefined"),
])
def test_broken_template_is_an_error_with_its_path(template: str, message: str) -> None:
    with pytest.raises(html.TemplateError) as caught:
        html.render(page(translated("x")), template)
    assert str(caught.value).startswith(message)


# --- through the CLI -------------------------------------------------------------------------

HTML_CONFIG = '[build]\nformats = ["md", "html"]\n' + GATE_OFF


def test_build_writes_html_next_to_markdown_and_a_rerun_writes_nothing(project: Make, cli: Cli) -> None:
    root = project({"2023/11/floods.md": SOURCE}, locales=("ko", "ar"), extra=HTML_CONFIG)
    assert cli(root, "run").code == 0
    for locale, word in (("ko", "홍수"), ("ar", "فيضانات")):
        fill(root / f"locales/{locale}/2023/11/floods.po", lambda s, w=word: w)  # type: ignore[misc]
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert "wrote output/ko/2023/11/floods.md" in result.out and "wrote output/ko/2023/11/floods.html" in result.out
    ar = (root / "output/ar/2023/11/floods.html").read_text()
    assert '<html lang="ar" dir="rtl">' in ar and '<a href="../../../ko/2023/11/floods.html"' in ar
    ko = (root / "output/ko/2023/11/floods.html").read_text()
    assert 'href="../../../ar/2023/11/floods.html"' in ko
    assert "wrote drafts/index.html" in cli(root, "run").out
    before = snapshot(root)
    again = cli(root, "run")
    assert "wrote" not in again.out
    assert snapshot(root) == before


def test_switcher_is_updated_when_another_locale_is_built_later(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, locales=("ko", "ar"), extra=HTML_CONFIG)
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "홍수")
    cli(root, "build")
    assert "ar/r.html" not in (root / "output/ko/r.html").read_text()
    fill(root / "locales/ar/r.po", lambda s: "فيضانات")
    result = cli(root, "build")
    assert "wrote output/ko/r.html" in result.out
    assert 'href="../ar/r.html"' in (root / "output/ko/r.html").read_text()


def test_without_html_format_no_html_is_written(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra=GATE_OFF)
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "홍수")
    assert cli(root, "run").code == 0
    assert (root / "output/ko/r.md").exists()
    assert not list((root / "output").rglob("*.html"))


def test_project_template_is_used_and_a_change_rewrites_pages(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra=HTML_CONFIG)
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "홍수")
    cli(root, "build")
    (root / "templates").mkdir()
    (root / "templates/release.html").write_text("<html lang={{ lang }}><h1>{{ title }}</h1>{{ body }}</html>\n")
    result = cli(root, "build")
    assert "wrote output/ko/r.html" in result.out
    assert (root / "output/ko/r.html").read_text().startswith("<html lang=ko><h1>홍수</h1>")


def test_broken_project_template_is_reported_with_its_path(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra=HTML_CONFIG)
    (root / "templates").mkdir()
    (root / "templates/release.html").write_text("{% for %}\n")
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "홍수")
    result = cli(root, "build")
    assert result.code == 3
    assert "error: templates/release.html:1: template error" in result.err
    assert (root / "output/ko/r.md").exists()


def test_html_format_is_accepted_in_config(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra='[build]\nformats = ["md", "htm"]\n')
    result = cli(root, "extract")
    assert result.code == 2 and "unknown format 'htm' (known: md, html)" in result.err
