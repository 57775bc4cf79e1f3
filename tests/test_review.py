"""`locpress review`: the bilingual HTML sheet for reviewers who do not use a PO editor."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from conftest import Result

from locpress.findings import ERROR, Finding
from locpress.gettext.catalog import (
    Catalog,
    Message,
    header_message,
    parse_po,
    write_po,
)
from locpress.web.review import Sheet, diff, render

Make = Callable[..., Path]
Cli = Callable[..., Result]

RELEASE = """# Floods displace 12,000 people

The floods displaced 12,000 people in the north.

IOM teams arrived on Monday.
"""


class Page(HTMLParser):
    """Collects tags, attributes and text, and fails on unbalanced markup."""

    VOID = {"meta", "col", "br", "img", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.stack == []
    return page


def prepare(project: Make, cli: Cli, locales: tuple[str, ...] = ("ko",)) -> Path:
    root = project({"2023/11/floods.md": RELEASE}, locales=locales)
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    return root


def edit(path: Path, change: Callable[[Message], None]) -> None:
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        change(message)
    path.write_text(write_po(catalog), encoding="utf-8")


def test_review_sheet_end_to_end(project: Make, cli: Cli) -> None:
    root = prepare(project, cli)

    def translate(message: Message) -> None:
        if message.msgid.startswith("The floods"):
            message.msgstr = "홍수로 북부에서 <script>alert(1)</script> 1만 명이 피란했습니다."
            message.auto_comments.append('locpress: tm 87% for "The floods displaced 10,000 people in the north."')
        elif message.msgid.startswith("IOM teams"):
            message.msgstr = "IOM 팀이 월요일에 도착했습니다."
            message.flags = ["fuzzy"]
            message.previous_msgid = "IOM teams arrived on Sunday."

    edit(root / "locales/ko/2023/11/floods.po", translate)
    result = cli(root, "review", "--locale", "ko")
    assert result.code == 0, result.err
    assert "wrote drafts/review/ko/2023/11/floods.html" in result.out
    text = (root / "drafts/review/ko/2023/11/floods.html").read_text(encoding="utf-8")
    page = parsed(text)
    tags = [tag for tag, _attrs in page.tags]
    assert "script" not in tags and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not any(key in ("src", "href") and value and "//" in value for _t, a in page.tags for key, value in a.items())
    words = " ".join(page.text)
    assert "Entries" in words and "Reviewed" in words and "2 errors, 0 warnings" in words and "Fuzzy 1" in " ".join(words.split())
    assert "From: tm 87%" in words
    assert "[numbers]" in words and "[html]" in words and "12,000" in words
    assert "<del>Sunday</del><ins>Monday</ins>" in text
    rows = [attrs for tag, attrs in page.tags if tag == "tr" and attrs.get("id")]
    assert [r.get("class") for r in rows] == ["untranslated", "reviewed", "fuzzy"]
    assert cli(root, "review", "--locale", "ko").out.strip() == ""  # unchanged catalog: nothing rewritten


def test_arabic_translation_is_right_to_left(project: Make, cli: Cli) -> None:
    root = prepare(project, cli, ("ar",))
    edit(root / "locales/ar/2023/11/floods.po", lambda m: setattr(m, "msgstr", "نص عربي"))
    assert cli(root, "review").code == 0
    page = parsed((root / "drafts/review/ar/2023/11/floods.html").read_text(encoding="utf-8"))
    cells = [attrs for tag, attrs in page.tags if tag == "td" and attrs.get("lang") == "ar"]
    assert cells and all(attrs.get("dir") == "rtl" for attrs in cells)


def test_review_of_an_unreadable_catalog_is_an_error(project: Make, cli: Cli) -> None:
    root = prepare(project, cli)
    path = root / "locales/ko/2023/11/floods.po"
    path.write_bytes(path.read_bytes().replace(b'msgstr ""\n\n#', b'msgstr "\n\n#', 1))
    result = cli(root, "review")
    assert result.code == 3 and result.err.startswith("error: locales/ko/2023/11/floods.po:")
    assert "no review sheet written" in result.err


def test_render_escapes_everything_and_shows_plural_forms() -> None:
    message = Message(msgid="<b>%d</b> file", msgid_plural="%d files", msgstr_plural={0: '파일 "%d"개 <i>'},
                      msgctxt="a&b", lineno=5)
    catalog = Catalog(header_message([("Language", "ko")]), [message])
    finding = Finding("html", ERROR, 'HTML tag "<b>" lost', "ko", "r", "locales/ko/r.po", 5, message.msgid)
    text = render(Sheet("ko", "r<1>", "locales/ko/r.po", catalog, (finding,)))
    page = parsed(text)
    assert {tag for tag, _a in page.tags} <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "p",
                                             "dl", "div", "dt", "dd", "ul", "li", "main", "table", "colgroup", "col",
                                             "thead", "tr", "th", "tbody", "td", "a"}
    assert "r&lt;1&gt;" in text and "&lt;b&gt;%d&lt;/b&gt; file" in text and "[0] 파일 &quot;%d&quot;개 &lt;i&gt;" in text
    assert "Context: a&amp;b" in text and 'HTML tag &quot;&lt;b&gt;&quot; lost' in text


def test_diff_marks_changed_words() -> None:
    assert diff("IOM teams arrived on Sunday.", "IOM teams arrived on Monday.") == (
        "IOM teams arrived on <del>Sunday</del><ins>Monday</ins>.")
    assert diff("a <b>", "a <i>") == "a &lt;<del>b</del><ins>i</ins>&gt;"
