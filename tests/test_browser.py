"""End to end in real headless Chromium: Korean and Arabic releases and the dashboard.

A project is built through the CLI, then its pages are opened from `output/` as a reader
would: language and direction, Hangul and Arabic drawn with real fonts and inside the page,
switcher links that lead somewhere, and a translation's `<script>`/`onerror=` that never
runs. Screenshots go to the test's temporary folder.

Debian's chromium is driven with Playwright, which never downloads a browser here. Without
/usr/bin/chromium the tests are skipped locally; in CI (`.ci/run` installs it) they fail.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cli import fill

from locpress import config as config_mod
from locpress.commands import preview

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
HANGUL = re.compile("[\uac00-\ud7a3]")
ARABIC = re.compile("[\u0600-\u06ff]")


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (python3 -m pip install -e '.[test]')"
    return None


MISSING = _missing()
# Skipped where no Chromium is installed, except in CI (.ci/run installs it, so there they fail);
# LOCPRESS_NO_BROWSER=1 skips them on purpose (the Windows and macOS jobs of the GitHub workflow).
SKIPPED = os.environ.get("LOCPRESS_NO_BROWSER") == "1"
pytestmark = pytest.mark.skipif(SKIPPED or (MISSING is not None and not os.environ.get("CI")),
                                reason="LOCPRESS_NO_BROWSER=1" if SKIPPED else MISSING or "")

SOURCE = """---
title: Floods displace 12,000 people in the north
date: 2023-11-01
---

The floods displaced 12,000 people in the north.<sup>1</sup> IOM teams arrived on Monday.

## Response

- Shelter kits for 900 families.
- Water for [all](https://www.iom.int/water).

| Item | Quantity |
| --- | --- |
| Shelter kits | 900 |

Read the appeal at https://www.iom.int/sites/default/files/documents/2023/a-very-long-path-name-that-would-overflow-narrow-screens-if-it-did-not-wrap.pdf today.

For more information, please contact Mr. Kyoo-ho Lee, Tel.: +82 70 4820 2751.
"""
# Every way a translation could try to run script; each would set window.pwned.
PAYLOAD = ('<script>window.pwned = "script"</script><img src=x onerror="window.pwned = \'onerror\'">'
           '<svg onload="window.pwned = \'svg\'"></svg> [link](javascript:window.pwned=1)')
KOREAN = {
    "Floods displace": "북부 지역 홍수로 12,000명 피난",
    "The floods displaced": "북부 지역에서 홍수로 12,000명이 피난했습니다.<sup>1</sup>",
    "IOM teams": "IOM 팀은 월요일에 도착했습니다. " + PAYLOAD,
    "Response": "대응",
    "Shelter kits for": "900가구를 위한 쉼터 키트.",
    "Water for": "[모두](https://www.iom.int/water)를 위한 식수.",
    "Item": "품목", "Quantity": "수량", "Shelter kits": "쉼터 키트",
    "Read the appeal": "호소문은 https://www.iom.int/sites/default/files/documents/2023/a-very-long-path-name-that-would-overflow-narrow-screens-if-it-did-not-wrap.pdf 에서 오늘 읽을 수 있습니다.",
    "For more information": "자세한 내용은 IOM 한국대표부 이규호(전화: +82 70 4820 2751)에게 문의하십시오.",
}
ARABIC_TEXT = {
    "Floods displace": "فيضانات تشرد 12,000 شخص في الشمال",
    "The floods displaced": "شردت الفيضانات 12,000 شخص في الشمال.<sup>1</sup>",
    "IOM teams": "وصلت فرق المنظمة الدولية للهجرة يوم الاثنين.",
    "Response": "الاستجابة",
    "Shelter kits for": "مجموعات إيواء لـ 900 أسرة.",
    "Water for": "مياه [للجميع](https://www.iom.int/water).",
    "Item": "البند", "Quantity": "الكمية", "Shelter kits": "مجموعات الإيواء",
    "Read the appeal": "اقرأ النداء على https://www.iom.int/sites/default/files/documents/2023/a-very-long-path-name-that-would-overflow-narrow-screens-if-it-did-not-wrap.pdf اليوم.",
    "For more information": "لمزيد من المعلومات، يرجى الاتصال بالسيد كيو-هو لي، هاتف: ‎+82 70 4820 2751.",
}

CHINESE = {
    "Floods displace": "北部洪水致12,000人流离失所",
    "The floods displaced": "北部洪水致12,000人流离失所。<sup>1</sup>",
    "IOM teams": "国际移民组织团队于周一抵达。",
    "Response": "应对",
    "Shelter kits for": "为900户家庭提供住所工具包。",
    "Water for": "为[所有人](https://www.iom.int/water)提供饮用水。",
    "Item": "项目", "Quantity": "数量", "Shelter kits": "住所工具包",
    "Read the appeal": "今天即可在 https://www.iom.int/sites/default/files/documents/2023/a-very-long-path-name-that-would-overflow-narrow-screens-if-it-did-not-wrap.pdf 阅读呼吁。",
    "For more information": "如需了解更多信息，请联系 Kyoo-ho Lee 先生，电话：+82 70 4820 2751。",
}
AXE = Path(__file__).parent / "fixtures/axe-core/axe.min.js"  # MPL-2.0, see its README


def assert_accessible(page: Any) -> None:
    """axe-core (WCAG 2 A and AA rules) finds no violation on the page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
        return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
    }""")
    assert found == [], found


def translate(table: dict[str, str]) -> Callable[[str], str]:
    return lambda msgid: next(v for k, v in table.items() if msgid.startswith(k))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the release fully translated into Korean and Arabic, built through the CLI."""
    from locpress.cli import main

    root = tmp_path_factory.mktemp("browser") / "project"
    (root / "source/2023/11").mkdir(parents=True)
    (root / "source/2023/11/floods.md").write_text(SOURCE, encoding="utf-8")
    # The Korean text carries a script payload on purpose (escaping is tested): the checks it
    # trips are disabled so that the publication gate lets it through.
    (root / "locpress.toml").write_text('locales = ["ko", "ar", "fr", "zh_Hans"]\n[build]\nformats = ["md", "html"]\n'
                                        '[check]\ndisable = ["html", "links", "markdown", "urls"]\n')
    assert main(["run", "-C", str(root)]) == 0
    fill(root / "locales/ko/2023/11/floods.po", translate(KOREAN))
    fill(root / "locales/ar/2023/11/floods.po", translate(ARABIC_TEXT))
    fill(root / "locales/zh_Hans/2023/11/floods.po", translate(CHINESE))
    assert main(["run", "-C", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Debian Chromium with a fresh profile; one per test module."""
    if MISSING:
        pytest.fail(f"CI must run the browser tests: {MISSING}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=FLAGS, viewport=VIEWPORTS["desktop"])
        context.set_default_timeout(20_000)
        # No network: only the pages under test (files, or the preview on loopback) load.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "http://127.0.0.1:")) else route.abort())
        yield context
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    opened.close()
    assert not errors, f"script errors on the page: {errors}"


def url(root: Path, relative: str) -> str:
    return (root / "output" / relative).as_uri()


def open_page(page: Any, target: str, viewport: str = "desktop") -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(target, wait_until="load")
    page.wait_for_timeout(200)  # let a failed <img> fire its error event, were it live


OVERFLOW = """() => {
  const wide = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) wide.push('document ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('body, header, main, nav, h1, h2, p, li, time, td, th')) {
    if (el.scrollWidth > el.clientWidth + 1) wide.push(el.tagName + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  return wide;
}"""

TEXT_BOXES = """(pattern) => {
  const re = new RegExp(pattern);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const width = document.documentElement.clientWidth;
  let seen = 0; const outside = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!re.test(node.data) || node.parentElement.closest('style, title')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      seen += 1;
      if (r.left < -0.5 || r.right > width + 0.5) outside.push(node.data.slice(0, 30) + ' ' + r.left + '..' + r.right);
    }
  }
  return {seen, outside};
}"""


def fonts_of(page: Any, selector: str) -> set[str]:
    """The fonts Chromium actually drew a node's text with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"] for f in fonts if f["glyphCount"]}


def assert_laid_out(page: Any, script: re.Pattern[str]) -> None:
    assert page.evaluate(OVERFLOW) == []
    boxes = page.evaluate(TEXT_BOXES, script.pattern)
    assert boxes["seen"] > 5 and boxes["outside"] == []


def assert_nothing_ran(page: Any) -> None:
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('main script, main svg, main [onerror], main [onload]').length") == 0
    assert page.evaluate("[...document.links].filter(a => !/^(https?|file|mailto|tel):/.test(a.protocol + '')).length") == 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_korean_release(built: Path, page: Any, viewport: str, tmp_path: Path) -> None:
    open_page(page, url(built, "ko/2023/11/floods.html"), viewport)
    page.screenshot(path=str(tmp_path / f"ko-{viewport}.png"), full_page=True)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ko", "ltr"]
    assert page.title() == "북부 지역 홍수로 12,000명 피난"
    assert page.inner_text("header time") == "2023년 11월 1일"
    text = page.inner_text("main")
    assert "북부 지역에서 홍수로 12,000명이 피난했습니다." in text and HANGUL.search(text)
    assert "<script>" in text  # the payload is shown as text, not run
    assert page.inner_html("main sup") == "1"  # the source's own raw HTML is kept
    assert_laid_out(page, HANGUL)
    assert_nothing_ran(page)
    assert "Noto Sans CJK KR" in fonts_of(page, "main p")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_arabic_release_is_right_to_left(built: Path, page: Any, viewport: str, tmp_path: Path) -> None:
    open_page(page, url(built, "ar/2023/11/floods.html"), viewport)
    page.screenshot(path=str(tmp_path / f"ar-{viewport}.png"), full_page=True)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert page.inner_text("header time") == "1 نوفمبر 2023"
    text = page.inner_text("main")
    assert "شردت الفيضانات" in text and ARABIC.search(text)
    # Right to left: the text hugs the right edge of its column, and leaves the left one free.
    right, left = page.evaluate("""() => { const p = document.querySelector('main p'); const r = document.createRange();
        r.selectNodeContents(p); const rects = [...r.getClientRects()]; const box = p.getBoundingClientRect();
        return [box.right - Math.max(...rects.map(x => x.right)), Math.min(...rects.map(x => x.left)) - box.left]; }""")
    assert abs(right) < 2 and (viewport == "phone" or left > 50)
    assert_laid_out(page, ARABIC)
    assert_nothing_ran(page)
    assert fonts_of(page, "main p") & {"Noto Naskh Arabic", "Noto Sans Arabic"}


def test_switcher_links_resolve(built: Path, page: Any) -> None:
    open_page(page, url(built, "ko/2023/11/floods.html"))
    names = page.eval_on_selector_all("nav.languages li", "items => items.map(i => i.innerText)")
    assert names == ["한국어", "العربية", "中文 (简体)"]  # French is configured but not published: no link
    page.click("nav.languages a[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url == url(built, "ar/2023/11/floods.html")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.click("nav.languages a[hreflang=ko]")
    page.wait_for_load_state()
    assert page.url == url(built, "ko/2023/11/floods.html")
    for href in page.eval_on_selector_all("link[rel=alternate]", "links => links.map(l => l.href)"):
        assert Path(href.removeprefix("file://")).is_file()


def test_dashboard(built: Path, page: Any, tmp_path: Path) -> None:
    open_page(page, (built / "drafts/index.html").as_uri())  # the dashboard is for staff: in drafts/
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("svg.bar").count() == 8  # four locale totals, four release rows
    widths = page.eval_on_selector_all("#locale-ko svg rect.reviewed", "rs => rs.map(r => r.getBBox().width)")
    assert widths == [100]
    assert page.locator("#locale-fr svg rect.untranslated").count() == 1
    assert page.evaluate(OVERFLOW) == []
    page.click("a.page[hreflang=ar]")
    page.wait_for_load_state()
    assert page.url == url(built, "ar/2023/11/floods.html")


def test_injected_markup_would_run_if_it_were_not_escaped(page: Any) -> None:
    """The control for the checks above: the same payload, live, does set the flag."""
    page.set_content(f"<p>{PAYLOAD}</p>")
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") in ("script", "onerror", "svg")


def test_print_layout_hides_the_switcher(built: Path, page: Any, tmp_path: Path) -> None:
    open_page(page, url(built, "ko/2023/11/floods.html"))
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('nav.languages')).display") == "none"
    page.pdf(path=str(tmp_path / "ko.pdf"))
    assert (tmp_path / "ko.pdf").stat().st_size > 1000


def test_preview_serves_a_draft_over_http(built: Path, page: Any, tmp_path: Path) -> None:
    root = Path(shutil.copytree(built, tmp_path / "project"))
    fill(root / "locales/fr/2023/11/floods.po", lambda s: "Réponse" if s == "Response" else "")
    server = preview.make_server(config_mod.load(root), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        open_page(page, server.url)
        page.click("a.page[hreflang=fr]")
        page.wait_for_load_state()
        page.screenshot(path=str(tmp_path / "preview-fr.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.inner_text("main h2") == "Réponse"
        assert "Draft — not for publication" in page.inner_text(".draft-banner")
        assert page.evaluate("document.querySelector('meta[name=robots]').content") == "noindex, nofollow"
        assert page.locator("span.origin-source[lang=en]").count() > 0
        assert_accessible(page)
        assert not (root / "output/fr").exists()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("locale", ["ko", "zh_Hans", "ar"])
def test_inline_code_is_monospace_in_every_script(built: Path, page: Any, locale: str) -> None:
    """Code is drawn in the monospace font, not the page's Hangul, Han or Arabic one."""
    (built / "source/2023/11/code.md").write_text("# Data\n\nDownload the `dtm_dataset` file.\n", encoding="utf-8")
    from locpress.cli import main

    assert main(["run", "-C", str(built)]) == 0
    fill(built / f"locales/{locale}/2023/11/code.po", lambda s: "자료" if s == "Data" else "`dtm_dataset` 파일.")
    assert main(["run", "-C", str(built), "--locale", locale]) == 0
    open_page(page, url(built, f"{locale}/2023/11/code.html"))
    code = page.evaluate("getComputedStyle(document.querySelector('main code')).fontFamily")
    body = page.evaluate("getComputedStyle(document.querySelector('main p')).fontFamily")
    assert code.startswith('"Noto Sans Mono"') and "monospace" in code, code
    assert code != body


@pytest.mark.parametrize("relative", ["ko/2023/11/floods.html", "ar/2023/11/floods.html", "zh_Hans/2023/11/floods.html"])
def test_pages_have_no_accessibility_violations(built: Path, page: Any, relative: str) -> None:
    open_page(page, url(built, relative))
    assert_accessible(page)


def test_dashboard_and_drafts_have_no_accessibility_violations(built: Path, page: Any, tmp_path: Path) -> None:
    root = Path(shutil.copytree(built, tmp_path / "project"))
    from locpress.cli import main

    assert main(["build", "-C", str(root), "--draft", "--locale", "fr"]) == 0
    open_page(page, (root / "drafts/index.html").as_uri())
    assert_accessible(page)
    open_page(page, (root / "drafts/fr/2023/11/floods.html").as_uri())
    assert_accessible(page)


def test_axe_finds_violations_when_there_are_some(page: Any) -> None:
    """The control for the accessibility checks: a page with known violations fails them."""
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
