"""Tests for locpress.formats.markdown: the CommonMark round trip, front matter, inline markup kept in
segments, source lines, CRLF."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from locpress.config import DEFAULT_FRONT_MATTER, Config
from locpress.errors import SourceError
from locpress.formats import markdown
from locpress.formats.document import Document, has_prose, render
from locpress.stages.extract import splitter

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = Config(root=Path("."))
SPLIT = splitter(CONFIG, markdown=True)


def parse(text: str, keys: tuple[str, ...] = DEFAULT_FRONT_MATTER) -> Document:
    return markdown.parse(text, "release.md", SPLIT, keys)


def segments(text: str) -> list[tuple[str, str, int]]:
    return [(s.text, u.kind, s.line) for s, u in parse(text).segments()]


# --------------------------------------------------------------------------------------
# CommonMark 0.31.2: all 652 examples
# --------------------------------------------------------------------------------------

SPEC = json.loads((FIXTURES / "commonmark" / "spec.json").read_text(encoding="utf-8"))
EXAMPLES: dict[int, str] = {e["example"]: e["markdown"] for e in SPEC}
# Examples for which a property below does not hold, with the reason. There are none: keep
# it that way, or name the example and say why here.
KNOWN_EXCEPTIONS: dict[int, str] = {}

TRANSLATIONS: dict[str, Callable[[str], str]] = {
    "korean": lambda s: "번역 " + s,
    "pipes": lambda s: "| 가 | 나 | " + s + " |",
    "pipe at the end": lambda s: s + " |",
    "star": lambda s: "* " + s,
    "hash": lambda s: "# " + s,
    "ordered": lambda s: "1. " + s,
    "korean date": lambda s: "2023. 11. 1. " + s,
    "newlines": lambda s: s + "\n\n# 새 블록\n- 항목\n",
    "script": lambda s: "<script>alert(1)</script> " + s,
    "html block": lambda s: "<div>" + s,
    "rule": lambda s: "---",
    "indent": lambda s: "    " + s,
    "trailing hard break": lambda s: s + "  ",
}


def prose_blocks(text: str) -> int:
    """Paragraphs, headings and cells with prose: each must become a unit."""
    tokens = markdown._parser().parse(text)
    openers = ("paragraph_open", "heading_open", "th_open", "td_open")
    return sum(1 for before, token in zip(tokens, tokens[1:])
               if token.type == "inline" and before.type in openers and has_prose(token.content))


@pytest.mark.parametrize("number", EXAMPLES, ids=str)
def test_commonmark_example_round_trips(number: int) -> None:
    if number in KNOWN_EXCEPTIONS:
        pytest.xfail(KNOWN_EXCEPTIONS[number])
    text = EXAMPLES[number]
    doc = parse(text)
    assert render(doc, lambda s: s) == text
    assert render(doc, lambda s: None) == text
    # No block with prose is silently left untranslatable (a vacuous round trip).
    assert len(doc.units) == prose_blocks(text)


@pytest.mark.parametrize("number", EXAMPLES, ids=str)
def test_commonmark_example_keeps_its_structure_when_translated(number: int) -> None:
    if number in KNOWN_EXCEPTIONS:
        pytest.xfail(KNOWN_EXCEPTIONS[number])
    text = EXAMPLES[number]
    doc = parse(text)
    shape = markdown.block_shape(text)
    for name, lookup in TRANSLATIONS.items():
        for joiner in (" ", ""):
            built = render(doc, lookup, joiner)
            assert markdown.block_shape(built) == shape, (name, joiner, built)


def test_the_commonmark_examples_are_not_vacuous() -> None:
    translated = sum(1 for text in EXAMPLES.values() if parse(text).units)
    assert len(EXAMPLES) == 652
    assert translated >= 490  # 492 examples have translatable text


TABLE = """| Agency | Role |
|:-------|-----:|
| IOM | Migration \\| mobility |
| UNICEF | Children |

Closing remark here.
"""


@pytest.mark.parametrize("joiner", [" ", ""])
@pytest.mark.parametrize("name", TRANSLATIONS)
def test_a_table_keeps_its_structure_when_translated(name: str, joiner: str) -> None:
    doc = parse(TABLE)
    assert [s.text for s, _ in doc.segments()][:4] == ["Agency", "Role", "IOM", "Migration \\| mobility"]
    assert render(doc, lambda s: s) == TABLE
    built = render(doc, TRANSLATIONS[name], joiner)
    assert markdown.block_shape(built) == markdown.block_shape(TABLE), built


# --------------------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------------------

FRONT = """---
# Release metadata: edited by the press office
title: IOM ROK hosts UN Experts Dialogue
subtitle: 'Climate: the "mobility" dialogue'
summary: "Experts met in \\"Seoul\\"."
description: >
  The dialogue explored how the UN can
  accelerate climate action.
lede: Not a translated key.
date: 2023-11-01
tags: [climate, migration]
location: Seoul   # city only
---

Body text here.
"""
FRONT_VALUES = yaml.safe_load(FRONT.split("---\n")[1])


def front(text: str) -> dict[str, object]:
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def test_front_matter_units_are_the_translated_keys() -> None:
    assert segments(FRONT) == [
        ("IOM ROK hosts UN Experts Dialogue", "front matter title", 3),
        ('Climate: the "mobility" dialogue', "front matter subtitle", 4),
        ('Experts met in "Seoul".', "front matter summary", 5),
        ("The dialogue explored how the UN can accelerate climate action.", "front matter description", 6),
        ("Body text here.", "paragraph", 15),
    ]


def test_front_matter_keys_are_configurable() -> None:
    doc = parse(FRONT, keys=("lede",))
    assert [u.kind for u in doc.units] == ["front matter lede", "paragraph"]


def test_translated_front_matter_keeps_order_comments_and_other_keys() -> None:
    built = render(parse(FRONT), lambda s: "번역: " + s)
    assert built.splitlines()[:2] == FRONT.splitlines()[:2]  # "---" and the comment
    untouched = "lede: Not a translated key.\ndate: 2023-11-01\ntags: [climate, migration]\nlocation: Seoul   # city only\n---\n"
    assert untouched in FRONT and untouched in built
    data = front(built)
    assert list(data) == list(FRONT_VALUES)
    assert data["title"] == "번역: IOM ROK hosts UN Experts Dialogue"
    assert data["subtitle"] == '번역: Climate: the "mobility" dialogue'
    assert data["summary"] == '번역: Experts met in "Seoul".'
    assert data["description"] == "번역: The dialogue explored how the UN can accelerate climate action.\n"
    for key in ("lede", "date", "tags", "location"):
        assert data[key] == FRONT_VALUES[key]


@pytest.mark.parametrize(("source", "written"), [
    ("title: Plain value", "title: 번역"),
    ("title: 'Single quoted'", "title: '번역'"),
    ('title: "Double quoted"', 'title: "번역"'),
    ("title: >\n  Folded value\n  on two lines.", "title: >\n  번역"),
    ("title: |\n    Literal value", "title: |\n    번역"),
    ("title: Plain value # a comment", "title: 번역 # a comment"),
    ("title: 'Quoted' # a comment", "title: '번역' # a comment"),
    ("title:\n  On the next line", "title:\n  번역"),
    ("title: Plain value\n  wrapped here", "title: 번역"),
])
def test_each_scalar_style_is_kept(source: str, written: str) -> None:
    text = f"---\n{source}\nother: kept # as is\n---\n"
    built = render(parse(text), lambda s: "번역")
    assert built == f"---\n{written}\nother: kept # as is\n---\n"


STYLES = ["title: Plain", "title: 'Single'", 'title: "Double"', "title: >\n  Folded", "title: |\n  Literal",
          "title: Plain # comment"]
HOSTILE_VALUES = ["번역: 콜론", "번역 # 해시", "#해시", "* 별표", "- 대시", "&앵커", "!태그", "%퍼센트", "@골뱅이",
                  "`백틱", "'따옴표' 안", '"큰따옴표" 안', "yes", "null", "2023-11-31", "12:30", "{중괄호}", "[대괄호]",
                  "| 파이프", "> 꺾쇠", "줄\n바꿈", "\r# 캐리지", "탭\t안", "끝 공백 "]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("translation", HOSTILE_VALUES)
def test_a_translated_value_still_loads_to_the_translation(style: str, translation: str) -> None:
    text = f"---\n{style}\ndate: 2023-11-01\n---\n"
    built = render(parse(text), lambda s: translation)
    expected = " ".join(line.strip() for line in translation.splitlines() if line.strip())
    if style.startswith(("title: >", "title: |")):
        expected += "\n"  # a block scalar keeps its final line break
    assert front(built) == {"title": expected, "date": FRONT_VALUES["date"]}


def test_non_string_values_are_untouched() -> None:
    text = "---\ntitle: 2023\nsummary: [a, b]\ndescription: true\nsubtitle:\n  key: value\n---\nBody.\n"
    doc = parse(text)
    assert [u.kind for u in doc.units] == ["paragraph"]
    assert render(doc, lambda s: "번역") == text.replace("Body.", "번역")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("---\ntitle: ok\nsummary: bad: colon\n---\n", 3, "mapping values are not allowed"),
    ("---\ntitle: ok\ntags: [unclosed\ndate: 2023-11-01\n---\n", 4, "flow sequence that starts on line 3"),
    ('---\ntitle: ok\nsummary: "unclosed\n---\n', 4, "quoted scalar that starts on line 3"),
    ("---\ntitle: ok\n\tbad: tab\n---\n", 3, "'\\t'"),
    ("---\ntitle: ok\ndate: 2023-11-31\n---\n", 3, "day is out of range"),
    ("---\n# a list\n- one\n- two\n---\n", 2, "not a mapping"),
    ("---\r\ntitle: ok\r\n\r\nsummary: bad: colon\r\n---\r\n", 4, "mapping values"),
])
def test_broken_front_matter_is_a_source_error_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert caught.value.path == "release.md"
    assert caught.value.line == line
    assert message in caught.value.message


@pytest.mark.parametrize("text", [
    "---\nA thematic break, then text.\n---\n",
    "---\n\nA paragraph after a rule.\n\n---\n",
    "---\nSome text here: more text.\n---\n",
    "--- \n* a list item\n---\n",
    "----\ntitle: four dashes\n----\n",
])
def test_a_leading_rule_is_not_front_matter(text: str) -> None:
    assert markdown.front_matter_end(text) == (0, 0)
    assert markdown.front_matter(text, "release.md") is None
    doc = parse(text)
    assert doc.units and not any(u.kind.startswith("front matter") for u in doc.units)
    assert render(doc, lambda s: s) == text
    assert markdown.block_shape(render(doc, lambda s: "번역")) == markdown.block_shape(text)


def test_a_byte_order_mark_is_not_front_matter() -> None:
    # sources.decode drops the BOM; what reaches the reader without it is Markdown
    assert markdown.front_matter_end("\ufeff---\ntitle: x\n---\n") == (0, 0)


# --------------------------------------------------------------------------------------
# Inline markup, blocks without segments, source lines
# --------------------------------------------------------------------------------------

def test_inline_markup_stays_in_the_msgid_as_written() -> None:
    text = ("The [IOM](https://www.iom.int) and **UNICEF** met _today_ in `Seoul`, see "
            "<https://www.iom.int> or [UNDP][undp].\n\n[undp]: https://www.undp.org\n")
    assert segments(text) == [(text.split("\n")[0], "paragraph", 1)]


@pytest.mark.parametrize("text", [
    "[IOM]: https://www.iom.int\n",
    "[IOM]: https://www.iom.int 'The title of a definition.'\n",
    "```\nSome code. More code.\n```\n",
    "~~~ text\nA fenced block.\n~~~\n",
    "    Indented code. Not prose.\n",
    "<div>\nAn HTML block with text.\n</div>\n",
    "<!-- A comment. -->\n",
    "https://www.iom.int/news\n",
    "<https://www.iom.int>\n",
    "<silee@iom.int>\n",
    "www.iom.int\n",
    "![](/images/logo.png)\n",
    "***\n",
    "| `code` | 2023 |\n|---|---|\n| 12:30 | https://x.org |\n",
])
def test_blocks_without_prose_yield_no_segment(text: str) -> None:
    doc = parse(text)
    assert doc.segments() == []
    assert render(doc, lambda s: "번역") == text


STRUCTURED = """Setext title
============

> Quoted first. Quoted
> second.
>
> - Quoted item.

1. Outer item.
   - Inner item one.
   - Inner item two. Still
     inner.

Line with spaces.  \nAfter spaces. Line with backslash.\\
After backslash.

| Name | Note |
|------|------|
| IOM | Migration. Mobility. |

Sub *title*
---
"""
STRUCTURED_SEGMENTS = [
    ("Setext title", "heading", 1),
    ("Quoted first.", "block quote", 4),
    ("Quoted second.", "block quote", 4),
    ("Quoted item.", "list item", 7),
    ("Outer item.", "list item", 9),
    ("Inner item one.", "list item", 10),
    ("Inner item two.", "list item", 11),
    ("Still inner.", "list item", 11),
    ("Line with spaces.", "paragraph", 14),
    ("After spaces.", "paragraph", 15),
    ("Line with backslash.", "paragraph", 15),
    ("After backslash.", "paragraph", 16),
    ("Name", "table cell", 18),
    ("Note", "table cell", 18),
    ("IOM", "table cell", 20),
    ("Migration.", "table cell", 20),
    ("Mobility.", "table cell", 20),
    ("Sub *title*", "heading", 22),
]


def test_sentences_map_to_the_line_where_they_start() -> None:
    assert segments(STRUCTURED) == STRUCTURED_SEGMENTS


def test_each_sentence_maps_to_its_source_slice() -> None:
    doc = parse(STRUCTURED)
    for sentence, unit in doc.segments():
        assert unit.start <= sentence.start < sentence.end <= unit.end
        assert " ".join(STRUCTURED[sentence.start:sentence.end].replace(">", " ").split()) == sentence.text


def test_hard_breaks_are_frame() -> None:
    doc = parse(STRUCTURED)
    built = render(doc, {"Line with spaces.": "공백.", "After spaces.": "다음.", "Line with backslash.": "역.",
                         "After backslash.": "끝."}.get, "")
    assert "공백.  \n다음.역.\\\n끝.\n" in built
    assert markdown.block_shape(built) == markdown.block_shape(STRUCTURED)


@pytest.mark.parametrize("joiner", [" ", ""])
def test_structured_document_round_trips_and_translates(joiner: str) -> None:
    doc = parse(STRUCTURED)
    assert render(doc, lambda s: s, joiner) == STRUCTURED
    built = render(doc, lambda s: "번역 " + s, joiner)
    assert markdown.block_shape(built) == markdown.block_shape(STRUCTURED)
    assert built.count("번역") == len(STRUCTURED_SEGMENTS)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("joiner", [" ", ""])
def test_other_line_endings_work(newline: str, joiner: str) -> None:
    text = (FRONT + "\n" + STRUCTURED).replace("\n", newline)
    doc = parse(text)
    lf = parse(FRONT + "\n" + STRUCTURED)
    assert [(s.text, s.line) for s, _ in doc.segments()] == [(s.text, s.line) for s, _ in lf.segments()]
    assert render(doc, lambda s: s, joiner) == text
    built = render(doc, lambda s: "번역\n" + s, joiner)
    assert markdown.block_shape(built) == markdown.block_shape(text)
    assert built.replace(newline, "") == render(lf, lambda s: "번역\n" + s, joiner).replace("\n", "")
    assert front(built.replace(newline, "\n"))["title"] == "번역 IOM ROK hosts UN Experts Dialogue"


def test_a_hard_break_inside_a_code_span_is_not_split() -> None:
    # "  " before a newline inside a code span is no hard break: the block is left whole
    text = "Use `code  \nspan` here. And more.\n"
    assert segments(text) == []
    assert render(parse(text), lambda s: "번역") == text


def test_block_lines_point_into_the_source() -> None:
    text = "---\ntitle: x\n---\n\n# Heading\n\nText here.\n"
    assert [t for t, _, _ in markdown.block_shape(text)] == [
        "heading_open", "heading_close", "paragraph_open", "paragraph_close"]
    assert markdown.block_lines(text) == [5, 5, 7, 7]
