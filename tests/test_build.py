"""Tests for locpress.stages.build: build from reviewed translations only, and the structure check
that refuses a built release whose structure differs from its source."""

from __future__ import annotations

import builtins
import copy
from pathlib import Path

import pytest

from locpress.config import DEFAULT_FRONT_MATTER, Config
from locpress.errors import BuildError
from locpress.formats import markdown, sources
from locpress.formats.document import Document, render
from locpress.gettext.catalog import Catalog, Message, header_message
from locpress.stages import build
from locpress.stages.extract import splitter

RELEASE = Path(__file__).parent / "fixtures" / "releases" / "iom" / "climate-dialogue.md"
CONFIG = Config(root=Path("."))


def md(text: str, path: str = "source/2023/release.md") -> Document:
    return markdown.parse(text, path, splitter(CONFIG, markdown=True), DEFAULT_FRONT_MATTER)


def txt(text: str, path: str = "source/2023/release.txt") -> Document:
    return sources.parse_text(text, path, splitter(CONFIG, markdown=False))


SOURCE = """---
title: Dialogue on climate mobility
date: 2023-11-01
---

Seoul — Experts met today. They discussed mobility.

- First point.
"""
KO = {"Dialogue on climate mobility": "기후 이동성 대화", "Seoul — Experts met today.": "서울 — 전문가들이 오늘 만났다.",
      "They discussed mobility.": "그들은 이동성을 논의했다.", "First point.": "첫째."}


# --------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------

def test_build_puts_every_translation_in_place() -> None:
    built = build.build(md(SOURCE), KO, "ko")
    assert built.text == SOURCE.replace("Dialogue on climate mobility", "기후 이동성 대화").replace(
        "Seoul — Experts met today. They discussed mobility.", "서울 — 전문가들이 오늘 만났다. 그들은 이동성을 논의했다.").replace(
        "First point.", "첫째.")
    assert (built.segments, built.translated, built.in_source_language) == (4, 4, 0)


def test_build_joins_chinese_sentences_without_space() -> None:
    zh = {"Seoul — Experts met today.": "首尔——专家们今天会面。", "They discussed mobility.": "他们讨论了流动性。"}
    built = build.build(md(SOURCE), zh, "zh_Hans")
    assert "\n首尔——专家们今天会面。他们讨论了流动性。\n" in built.text
    assert (built.segments, built.translated, built.in_source_language) == (4, 2, 2)


def test_build_without_translations_is_the_source() -> None:
    doc = md(SOURCE)
    built = build.build(doc, {}, "ko")
    assert built.text == SOURCE
    assert (built.translated, built.in_source_language) == (0, 4)


def test_a_blank_translation_is_not_counted() -> None:
    built = build.build(md(SOURCE), {"First point.": " \n"}, "ko")
    assert built.text == SOURCE and built.translated == 0


def test_build_uses_only_what_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = md(SOURCE)
    translations = dict(KO, **{"Not in the release.": "없음"})
    before = (copy.deepcopy(doc), dict(translations))
    expected = build.build(doc, translations, "ko")

    def no_io(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("build must not read or write files")

    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(Path, "open", no_io)
    monkeypatch.setattr(Path, "read_text", no_io)
    monkeypatch.setattr(Path, "read_bytes", no_io)
    monkeypatch.chdir("/")
    assert build.build(doc, translations, "ko") == expected
    assert (doc, translations) == before
    assert expected.translated == 4  # the extra msgid is not counted


def test_build_of_the_sample_release() -> None:
    doc = sources.parse(RELEASE.read_text(encoding="utf-8"), RELEASE.name, splitter(CONFIG, markdown=True),
                        DEFAULT_FRONT_MATTER)
    translations = {s.text: f"[{i}] {s.text}" for i, (s, _) in enumerate(doc.segments()) if i % 2 == 0}
    built = build.build(doc, translations, "ko")
    assert built.translated == len(translations) < built.segments
    assert built.text.count("[") - doc.text.count("[") == len(translations)
    assert build.percent_reviewed(doc, translations) == pytest.approx(100 * len(translations) / built.segments)


# --------------------------------------------------------------------------------------
# Structure check
# --------------------------------------------------------------------------------------

def test_build_refuses_a_plain_text_translation_that_adds_a_list_item() -> None:
    # A real way for render to change the structure: plain text has no escape, and a Korean
    # release traditionally ends with "- 끝 -" ("- end -").
    doc = txt("Seoul, 1 November 2023\n\nThe dialogue ended.\n\n-ENDS-\n")
    with pytest.raises(BuildError) as caught:
        build.build(doc, {"-ENDS-": "- 끝 -"}, "ko")
    assert (caught.value.path, caught.value.line) == ("source/2023/release.txt", 5)
    assert "structure" in caught.value.message


def test_the_same_translation_in_markdown_is_escaped_and_builds() -> None:
    built = build.build(md("The dialogue ended.\n\n-ENDS-\n"), {"-ENDS-": "- 끝 -"}, "ko")
    assert built.text == "The dialogue ended.\n\n\\- 끝 -\n"


@pytest.mark.parametrize(("broken", "line", "detail"), [
    ("# Title\n\n- Para here.\n", 3, "expected ('paragraph_open', 'p', 0), got ('bullet_list_open', 'ul', 0)"),
    ("# Title\n\nPara here.\n\nMore.\n", 3, "got ('paragraph_open', 'p', 0)"),
    ("# Title\n", 3, "got end of document"),
    ("Title\n\nPara here.\n", 1, "got ('paragraph_open', 'p', 0)"),
    ("# Title\n\n    Para here.\n", 3, "got ('code_block', 'code', 0)"),
])
def test_verify_names_the_first_changed_block(broken: str, line: int, detail: str) -> None:
    doc = md("# Title\n\nPara here.\n")
    with pytest.raises(BuildError) as caught:
        build.verify(doc, broken)
    assert (caught.value.path, caught.value.line) == ("source/2023/release.md", line)
    assert detail in caught.value.message


def test_verify_accepts_the_same_structure() -> None:
    build.verify(md(SOURCE), render(md(SOURCE), lambda s: "번역"))


@pytest.mark.parametrize(("broken", "line", "message"), [
    (SOURCE.replace("date: 2023-11-01", "date: 2024-01-01"), 1, "front matter value of 'date'"),
    (SOURCE.replace("date: 2023-11-01", "date: 2023-11-01\nextra: key"), 1, "front matter keys"),
    (SOURCE.replace("title: Dialogue on climate mobility", "title: a: b"), 2, "mapping values"),
    (SOURCE.split("---\n", 2)[2], 1, "front matter keys"),
])
def test_verify_checks_the_front_matter(broken: str, line: int, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        build.verify(md(SOURCE), broken)
    assert (caught.value.path, caught.value.line) == ("source/2023/release.md", line)
    assert message in caught.value.message


def test_verify_allows_translated_front_matter_values() -> None:
    build.verify(md(SOURCE), SOURCE.replace("title: Dialogue on climate mobility", "title: '대화: 기후'"))


@pytest.mark.parametrize(("broken", "line"), [
    ("Headline\n\nFirst paragraph.\n\nSecond\n\nparagraph.\n", 5),
    ("Headline\n\n- First paragraph.\n\nSecond paragraph.\n", 3),
    ("Headline\nFirst paragraph.\n\nSecond paragraph.\n", 5),  # blocks alike: the count differs
])
def test_verify_plain_text(broken: str, line: int) -> None:
    doc = txt("Headline\n\nFirst paragraph.\n\nSecond paragraph.\n")
    build.verify(doc, "제목\n\n첫 문단.\n\n둘째 문단.\n")
    with pytest.raises(BuildError) as caught:
        build.verify(doc, broken)
    assert (caught.value.path, caught.value.line) == ("source/2023/release.txt", line)


# --------------------------------------------------------------------------------------
# Reviewed translations
# --------------------------------------------------------------------------------------

CATALOG = Catalog(header=header_message([("Language", "ko")]), messages=[
    Message(msgid="Seoul — Experts met today.", msgstr="서울 — 전문가들이 오늘 만났다."),
    Message(msgid="They discussed mobility.", msgstr="그들은 논의했다.", flags=["fuzzy"]),
    Message(msgid="First point.", msgstr=""),
    Message(msgid="Dialogue on climate mobility", msgstr="옛 번역", obsolete=True),
    Message(msgid="Seoul", msgstr="서울", msgctxt="place"),
    Message(msgid="one day", msgid_plural="%d days", msgstr_plural={0: "%d일"}),
    Message(msgid="A point.", msgstr="한 점.", flags=["no-wrap"]),
])


def test_reviewed_translations_ignore_fuzzy_empty_obsolete_and_others() -> None:
    assert build.reviewed_translations(CATALOG) == {"Seoul — Experts met today.": "서울 — 전문가들이 오늘 만났다.",
                                                    "A point.": "한 점."}


def test_build_from_a_catalog_publishes_only_reviewed_entries() -> None:
    built = build.build(md(SOURCE), build.reviewed_translations(CATALOG), "ko")
    assert "서울 — 전문가들이 오늘 만났다. They discussed mobility." in built.text
    assert "title: Dialogue on climate mobility\n" in built.text and "- First point.\n" in built.text
    assert (built.segments, built.translated) == (4, 1)


def test_percent_reviewed_counts_distinct_segments() -> None:
    doc = md("Same here. Same here. Other here.\n")
    assert build.percent_reviewed(doc, {"Same here.": "같음."}) == pytest.approx(50.0)
    assert build.percent_reviewed(md("```\ncode\n```\n"), {}) == 100.0
