"""Tests for locpress.formats.document: render (joiners, hard breaks, partial translations, escaping)
and the helpers the readers share (has_prose, normalize, Lines)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locpress.config import DEFAULT_FRONT_MATTER, Config
from locpress.formats import document, markdown, sources
from locpress.formats.document import Document, Lines, has_prose, normalize, render
from locpress.stages.extract import splitter

SPLIT_MD = splitter(Config(root=Path(".")), markdown=True)
SPLIT_TXT = splitter(Config(root=Path(".")), markdown=False)


def md(text: str) -> Document:
    return markdown.parse(text, "release.md", SPLIT_MD, DEFAULT_FRONT_MATTER)


def txt(text: str) -> Document:
    return sources.parse_text(text, "release.txt", SPLIT_TXT)


def msgids(doc: Document) -> list[str]:
    return [s.text for s, _ in doc.segments()]


def assert_same_shape(source: str, built: str) -> None:
    assert markdown.block_shape(built) == markdown.block_shape(source), built


# --------------------------------------------------------------------------------------
# Identity
# --------------------------------------------------------------------------------------

RICH = """# Heading one

First sentence here. Second sentence
spans a line.  \nAfter a hard break.\\
After a backslash break.

> Quoted text. More quoted
> text here.

- Item one. Item *two*.
  - Nested item.

| Head | Other |
|------|-------|
| cell one | cell two |

Setext heading
--------------
"""


@pytest.mark.parametrize("lookup", [lambda s: None, lambda s: s], ids=["none", "msgid"])
@pytest.mark.parametrize("joiner", [" ", ""], ids=["space", "nospace"])
def test_untranslated_render_is_the_source(lookup: document.Lookup, joiner: str) -> None:
    doc = md(RICH)
    assert len(doc.segments()) == 15
    assert render(doc, lookup, joiner) == RICH


# --------------------------------------------------------------------------------------
# Joiners, hard breaks, partial translations, newlines
# --------------------------------------------------------------------------------------

def test_chinese_joins_the_sentences_of_a_paragraph_without_space() -> None:
    doc = md("First sentence here. Second one\nwraps. Third one.\n")
    zh = {"First sentence here.": "第一句。", "Second one wraps.": "第二句。", "Third one.": "第三句。"}
    assert render(doc, zh.get, "") == "第一句。第二句。第三句。\n"
    assert render(doc, zh.get, " ") == "第一句。 第二句。 第三句。\n"


def test_chinese_keeps_hard_breaks() -> None:
    doc = md("One here.  \nTwo here.\\\nThree here. Four here.\n")
    assert msgids(doc) == ["One here.", "Two here.", "Three here.", "Four here."]
    zh = dict(zip(msgids(doc), ["一。", "二。", "三。", "四。"]))
    assert render(doc, zh.get, "") == "一。  \n二。\\\n三。四。\n"


def test_partial_translation_keeps_the_untranslated_sentence_verbatim() -> None:
    source = "> Alpha one. Beta spans\n> two *lines*. Gamma three.\n"
    doc = md(source)
    assert msgids(doc) == ["Alpha one.", "Beta spans two *lines*.", "Gamma three."]
    ko = {"Alpha one.": "알파.", "Gamma three.": "감마."}
    assert render(doc, ko.get) == "> 알파. Beta spans\n> two *lines*. 감마.\n"
    assert render(doc, ko.get, "") == "> 알파.Beta spans\n> two *lines*.감마.\n"
    assert_same_shape(source, render(doc, ko.get, ""))


@pytest.mark.parametrize("translation", ["하나\n\n# 둘\n- 셋", "\n앞뒤\n", "줄\r\n바꿈\r# 넷", "끝\n\n"])
def test_a_newline_in_a_translation_never_breaks_the_block(translation: str) -> None:
    source = "- First item. Second\n  sentence.\n\nA paragraph.\n"
    doc = md(source)
    built = render(doc, lambda s: None if s.startswith("A ") else translation)
    item = built.removesuffix("\n\nA paragraph.\n")
    assert "\n" not in item and "\r" not in item and "  " not in item
    assert_same_shape(source, built)


def test_a_block_marker_after_a_soft_break_joins_the_lines() -> None:
    doc = md("First one.\nSecond one.\n")
    assert render(doc, {"Second one.": "# 둘"}.get) == "First one. # 둘\n"


@pytest.mark.parametrize("blank", ["", " ", "\n", " \t\n "])
def test_a_blank_translation_is_no_translation(blank: str) -> None:
    source = "One here. Two here.\n"
    assert render(md(source), lambda s: blank) == source


def test_translation_white_space_is_trimmed() -> None:
    # leading spaces would make an indented code block; trailing ones a hard break
    doc = md("One here.\nTwo here.\n")
    assert render(doc, lambda s: "    번역\t  ") == "번역\n번역\n"


# --------------------------------------------------------------------------------------
# Escaping: a translation never opens a block
# --------------------------------------------------------------------------------------

BLOCK_STARTS = [
    "# 제목", "###### 여섯", "- 항목", "+ 항목", "* 항목", "> 인용", "1. 첫째", "1) 첫째",
    "2023. 11. 1. 서울", "=", "===", "--", "***", "_ _ _", "- - -", "```js", "~~~",
    "<script>alert(1)</script> 번역", "<div>번역", "<!-- 주석", "<?php", "<![CDATA[x]]>",
    "</p>", "<b>", "[참고]: /url", "    들여쓰기", "\t탭", "| 파이프 |", "-|-",
]
CONTEXTS = {
    "paragraph": "Alpha one.\n\nNext paragraph.\n",
    "second line": "Alpha one.\nBeta two.\n",
    "after two spaces": "Alpha one.  \nBeta two.\n",
    "after backslash": "Alpha one.\\\nBeta two.\n",
    "list item": "- Alpha one.\n- Beta two.\n",
    "ordered item": "1. Alpha one.\n   Beta two.\n",
    "block quote": "> Alpha one.\n> Beta two.\n",
    "quoted list": "> - Alpha one.  \n>   Beta two.\n",
    "lazy line": "> Alpha one.\nBeta two.\n",
    "atx heading": "## Alpha one\n\nBeta two.\n",
    "setext heading": "Alpha one\nBeta two\n=========\n",
    "above a rule": "- Alpha one\n---\nBeta two.\n",
    "table": "| Alpha one | Beta two |\n|---|---|\n| Gamma | Delta |\n",
}


@pytest.mark.parametrize("joiner", [" ", ""], ids=["space", "nospace"])
@pytest.mark.parametrize("context", list(CONTEXTS))
@pytest.mark.parametrize("start", BLOCK_STARTS)
def test_a_translation_that_starts_like_a_block_keeps_the_structure(start: str, context: str, joiner: str) -> None:
    source = CONTEXTS[context]
    doc = md(source)
    assert doc.segments()
    assert_same_shape(source, render(doc, lambda s: start, joiner))
    assert_same_shape(source, render(doc, lambda s: f"{start} {s}", joiner))


@pytest.mark.parametrize(("translation", "written"), [
    ("2023. 11. 1. 서울", "2023\\. 11. 1. 서울"),
    ("# 제목", "\\# 제목"),
    ("- 끝 -", "\\- 끝 -"),
    ("<script>alert(1)</script> 본문", "\\<script>alert(1)</script> 본문"),
    ("[주]: 설명", "\\[주]: 설명"),
    ("본문 <script>x</script>", "본문 <script>x</script>"),  # inline HTML is not a block
    ("**굵게** 본문", "**굵게** 본문"),
])
def test_escape_at_a_paragraph_start(translation: str, written: str) -> None:
    assert render(md("Seoul here.\n"), lambda s: translation) == f"{written}\n"


@pytest.mark.parametrize(("translation", "written"), [
    ("가 | 나", "가 \\| 나"),
    ("가 \\| 나", "가 \\| 나"),
    ("`a|b` 코드", "`a\\|b` 코드"),
    ("C:\\", "C:\\ "),
])
def test_table_cells_escape_pipes(translation: str, written: str) -> None:
    source = "| Name | Note |\n|------|------|\n| One | Two |\n"
    built = render(md(source), lambda s: translation)
    assert built.splitlines()[2] == f"| {written} | {written} |"
    assert_same_shape(source, built)


def test_a_pipe_above_a_rule_is_written_as_an_entity() -> None:
    # markdown-it reads `Title |` over `---` as a one-column table, escaped pipe or not
    source = "Press release\n---\n"
    built = render(md(source), lambda s: "보도자료 | IOM `a|b`")
    assert built == "보도자료 &#124; IOM `a|b`\n---\n"
    assert_same_shape(source, built)


MARKDOWN_TEXT = st.text(st.sampled_from(list("ab 한#-+*>=_`~|\\<>![]():.1\n\r\t")), max_size=25)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.dictionaries(st.sampled_from(msgids(md(RICH))), MARKDOWN_TEXT), st.sampled_from([" ", ""]))
def test_any_translation_keeps_the_structure(translations: dict[str, str], joiner: str) -> None:
    assert_same_shape(RICH, render(md(RICH), translations.get, joiner))


def test_translations_that_make_a_block_only_together_are_escaped_per_line() -> None:
    # found by the property test above: `**` and `*` on one line are the thematic break `** *`
    source = "First sentence here. Second sentence here.\n"
    built = render(md(source), {"First sentence here.": "**", "Second sentence here.": "*"}.get)
    assert built == "\\** *\n"
    assert_same_shape(source, built)
    # the same two after a kept line break: the second line is escaped on its own
    source = "Alpha one.  \nFirst sentence here. Second sentence here.\n"
    built = render(md(source), {"First sentence here.": "- -", "Second sentence here.": "-"}.get)
    assert built == "Alpha one.  \n\\- - -\n"
    assert_same_shape(source, built)


# --------------------------------------------------------------------------------------
# Plain text and helpers
# --------------------------------------------------------------------------------------

def test_plain_text_translations_are_not_markdown_escaped() -> None:
    doc = txt("Headline here\n\nFirst one. Second one.\n")
    built = render(doc, {"Headline here": "# 제목 | *별*", "Second one.": "둘\n째."}.get)
    assert built == "# 제목 | *별*\n\nFirst one. 둘 째.\n"


@pytest.mark.parametrize(("text", "prose"), [
    ("Seoul", True),
    ("[IOM](https://www.iom.int)", True),
    ("https://www.iom.int", False),
    ("www.iom.int", False),
    ("<https://www.iom.int>", False),
    ("silee@iom.int", False),
    ("`code span`", False),
    ("<br/>", False),
    ("&amp; 2023 — 12:30", False),
    ("![](/img/logo.png)", False),
])
def test_has_prose(text: str, prose: bool) -> None:
    assert has_prose(text) is prose


def test_normalize_turns_soft_breaks_into_spaces() -> None:
    assert normalize("one \n  two\nthree") == "one two three"
    assert normalize("no break") == "no break"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_know_every_line_ending(newline: str) -> None:
    text = newline.join(["ab", "", "cde"])
    lines = Lines.of(text)
    assert [lines.text(text, i) for i in range(3)] == ["ab", "", "cde"]
    assert lines.line_of(0) == 0 and lines.line_of(len(text) - 1) == 2


def test_parse_cache_data_gives_the_same_document_back() -> None:
    """to_data/from_data (the parse cache) lose nothing that extraction or build use."""
    import json as json_module
    from pathlib import Path as _Path

    from locpress import config as config_module
    from locpress.formats import markdown as markdown_module
    from locpress.formats.document import from_data, to_data
    from locpress.stages import extract as extract_module

    cfg = config_module.from_dict({"locales": ["ko"]}, _Path("."))
    spec = json_module.loads((_Path(__file__).parent / "fixtures/commonmark/spec.json").read_text())
    texts = [example["markdown"] for example in spec]
    texts += [p.read_text() for p in sorted((_Path(__file__).parent / "fixtures/releases").rglob("*.md"))]
    texts.append("---\ntitle: 'It''s here. Two'\nsummary: >\n  Folded text.\n---\n\n# A\n")
    for text in texts:
        doc = markdown_module.parse(text, "x.md", extract_module.splitter(cfg, True), cfg.front_matter)
        data = json_module.loads(json_module.dumps(to_data(doc)))
        again = from_data("x.md", text, "md", data, markdown_module.scalar_encoder)
        assert again.segments() == doc.segments()
        assert render(again, lambda s: "번역 " + s) == render(doc, lambda s: "번역 " + s)


CONTACT = "Media Contact\nSarah Conway\n978-578-5300\n"


@pytest.mark.parametrize("reader", [md, txt], ids=["markdown", "plain"])
def test_a_contact_block_is_a_segment_per_line_in_both_readers(reader: Callable[[str], Document]) -> None:
    doc = reader("**About Acme**\nAcme makes tools. It grows.\n\n" + CONTACT)
    assert msgids(doc) == ["**About Acme**", "Acme makes tools.", "It grows.", "Media Contact", "Sarah Conway"]
    built = render(doc, {"Media Contact": "언론 연락처", "**About Acme**": "**Acme 소개**"}.get)
    assert built.splitlines()[0] == "**Acme 소개**"
    assert "언론 연락처\nSarah Conway\n978-578-5300" in built  # the line breaks are kept
