"""The linear scanners of locpress.formats.spans, and what the stages built on them find on hostile
input (timings are bench/adversarial.py's; here, the answers)."""

from __future__ import annotations

import pytest

from locpress.formats import document, spans
from locpress.formats.segment import split_sentences
from locpress.formats.spans import Text
from locpress.pretranslate import llm, masking
from locpress.stages import align
from locpress.web import html


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
    from pathlib import Path

    from locpress.config import DEFAULT_FRONT_MATTER, Config
    from locpress.formats import markdown
    from locpress.stages.extract import splitter
    return markdown.parse(text, "release.md", splitter(Config(root=Path(".")), markdown=True), DEFAULT_FRONT_MATTER)


# --- One set of span patterns: every stage sees the same span ---------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("Read https://en.wikipedia.org/wiki/Flood_(2023). Then act.", "https://en.wikipedia.org/wiki/Flood_(2023)"),
    ("Read www.iom.int/news?id=4. Then act.", "www.iom.int/news?id=4"),
    ("Write to pr@iom.int. Then act.", "pr@iom.int"),
    ("See <https://iom.int/a.b>. Then act.", "<https://iom.int/a.b>"),
    ("See [the appeal](https://iom.int/a.b). Then act.", "[the appeal](https://iom.int/a.b)"),
    ('See <a href="https://iom.int/a.b">it</a>. Then act.', '<a href="https://iom.int/a.b">'),
])
def test_every_stage_protects_the_same_span(text: str, span: str) -> None:
    start = text.index(span)
    end = start + len(span)
    cuts = [e for _, e in split_sentences(text)]
    assert not any(start < c < end for c in cuts)  # segmentation: no cut inside
    assert [text[s:e] for s, e in split_sentences(text)][-1] == "Then act."
    masked = masking.mask(text)
    assert any(span in protected or protected in span for protected in masked.spans)  # machine translation
    # no letters of prose inside, except a link's text
    assert document.has_prose(span) == span.startswith("[")
    assert not document.has_prose(span.replace("the appeal", ""))


def test_a_url_ends_before_a_particle_and_sentence_punctuation() -> None:
    assert spans.URL.search("https://iom.int/a에서 확인하십시오").group() == "https://iom.int/a"
    assert spans.URL.search("(see https://iom.int/a).").group() == "https://iom.int/a"
    assert spans.URL.search("https://x.org/Flood_(2023)_b, then").group() == "https://x.org/Flood_(2023)_b"
    assert Text("자세한 내용은 https://iom.int/a에서 확인하십시오.").urls == ["https://iom.int/a"]
    assert align.invariants("자세한 내용은 https://iom.int/a에서") >= {"https://iom.int/a"}


def test_an_email_needs_a_domain_with_a_top_level_name() -> None:
    assert [m.group() for m in spans.EMAIL.finditer("a@b, pr@iom.int, x@y.z1")] == ["pr@iom.int"]
    assert masking.mask("Write to pr@iom.int now.").spans == ("pr@iom.int",)


def test_a_tag_is_what_commonmark_reads_as_raw_html() -> None:
    found = [m.group() for m in spans.TAG.finditer('a <b>x</b> <a href="u" title=\'t\'> 3 < 4 > 2 <br/>')]
    assert found == ["<b>", "</b>", '<a href="u" title=\'t\'>', "<br/>"]
    assert not spans.HTML_ELEMENT.search("<file>") and spans.TAG.search("<file>")


def test_span_patterns_are_linear_on_long_runs() -> None:
    # each of these once tried every start against the rest of the text; now answers at once
    for pattern in (spans.URL, spans.EMAIL, spans.TAG, spans.AUTOLINK, spans.MARKDOWN_LINK, spans.LINK_TARGET):
        for unit in ("http://", "www.", "a@", "<a b=", "<a ", "[a](", "](", "[", "(", "a."):
            pattern.findall(unit * 2000)
