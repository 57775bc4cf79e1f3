"""The linear scanners of locpress.spans, and what the stages built on them find on hostile
input (timings are bench/adversarial.py's; here, the answers)."""

from __future__ import annotations

import pytest

from locpress import align, document, html, llm, masking, spans
from locpress.segment import split_sentences
from locpress.spans import Text


@pytest.mark.parametrize(("text", "expected"), [
    ("a `b` c", ["`b`"]),
    ("``a ` b`` c", ["``a ` b``"]),
    ("` unclosed", []),
    ("`` a ` b `` `c`", ["`` a ` b ``", "`c`"]),
    ("```", []),
    ("`a`` b`", ["`a`` b`"]),
])
def test_code_spans_close_at_the_next_run_of_the_same_length(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in spans.code_spans(text)] == expected


def test_comments_and_delimited_spans() -> None:
    text = "a <!-- x --> b <!-- y"
    assert [text[s:e] for s, e in spans.comments(text)] == ["<!-- x -->"]
    assert spans.delimited("{/* a */} {/* b", "{/*", "*/}") == [(0, 9)]


def test_link_openers_match_brackets_once() -> None:
    text = "[a [b](c) d] and ![img](x) [ref][r] ] ["
    found = [text[s:e] for s, e in spans.link_openers(text)]
    assert found == ["[", "![", "["]
    assert [s for s, _ in spans.link_openers(text)] == [3, 17, 27]


def test_html_spans_take_comments_and_real_tags() -> None:
    t = Text('<b>x</b> <!-- <i>in</i> --> <file> <a href="u">y</a>')
    assert t.html == ["<b>", "</b>", "<!-- <i>in</i> -->", '<a href="u">', "</a>"]


HOSTILE = {
    "comments": "<!--" * 5000,
    "backticks": "`" * 20000,
    "runs": "".join("`" * n + " a " for n in range(1, 40)) * 50,
    "brackets": "[" * 20000,
    "openers": "](" * 10000,
    "heading ids": "{/*" * 5000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_translations_get_plain_answers(name: str) -> None:
    text = HOSTILE[name]
    t = Text(text)
    assert t.code == [] or name == "runs"
    assert t.html == []
    assert masking.restore(masking.mask(text), masking.mask(text).text)[0] == text
    end = len(text.rstrip())
    assert align.split_target(text) == [(0, end)]
    assert split_sentences(text) == [(0, end)]


def test_a_run_of_backticks_closes_at_the_next_run_of_its_own_length() -> None:
    one = "".join("`" * n + " a " for n in range(1, 40))
    found = spans.code_spans(one * 50)
    assert found[0] == (0, len(one) + 1)  # "`" … the next "`", 39 runs later
    assert len(found) == 48


def test_link_labels_nested_deeper_than_the_limit_are_text() -> None:
    deep = "[" * (html.LABEL_DEPTH + 1) + "a" + "]" * (html.LABEL_DEPTH + 1) + "(u)"
    assert "<a " not in html.render_markdown(deep + "\n", "")
    shallow = "[" * 3 + "a" + "]" * 3 + "(u)"
    assert '<a href="u">' in html.render_markdown(shallow + "\n", "")
    assert html.render_markdown("[" * 5000 + "\n", "") == "<p>" + "[" * 5000 + "</p>\n"


def test_has_prose_ignores_code_spans() -> None:
    assert not document.has_prose("`code only`")
    assert document.has_prose("`code` and words")
    assert document.has_prose("`" * 5000 + "a")


def test_white_space_runs_and_angle_brackets_are_read_once() -> None:
    # `[ \t]*(?:\n[ \t]*)+` tried from every tab of a run was quadratic; the answer is the same
    assert document.normalize("a \t\n\t b") == "a b"
    built = document.render(markdown_doc("Alpha one.\n"), lambda s: "\t" * 5000 + "번역\t\n\t끝")
    assert built == "번역 끝\n"
    assert not document.has_prose("<" + ":" * 5000 + ">")
    assert document.has_prose("<" + ":" * 5000 + " word")


@pytest.mark.parametrize(("answer", "inside"), [
    ('```json\n{"a": 1}\n```', '{"a": 1}'),
    ('  ```\n{}\n```  ', "{}"),
    ('{"a": 1}', '{"a": 1}'),
    ("```" + " " * 10000 + "x", "```" + " " * 10000 + "x"),
])
def test_a_fenced_engine_answer_is_unwrapped_by_a_scan(answer: str, inside: str) -> None:
    assert llm.unfenced(answer) == inside


def markdown_doc(text: str) -> document.Document:
    from locpress import markdown
    from locpress.config import DEFAULT_FRONT_MATTER, Config
    from locpress.extract import splitter
    from pathlib import Path
    return markdown.parse(text, "release.md", splitter(Config(root=Path(".")), markdown=True), DEFAULT_FRONT_MATTER)
