"""glossary.csv: parsing, errors with lines, matching, hints, and the sample glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locpress.config import load
from locpress.gettext.catalog import parse_po
from locpress.qa.glossary import GlossaryError, parse, parse_bytes

REPO = Path(__file__).resolve().parent.parent
GOOD = """en,ko,zh-hans,note,dnt
International Organization for Migration,국제이주기구,国际移民组织,spell out first,
IOM,IOM,国际移民组织,,
KOICA,,,Korea International Cooperation Agency,yes
climate change,기후변화,气候变化,,no
"""


def test_parse_normalizes_locales_and_sorts_longest_first() -> None:
    glossary = parse(GOOD)
    assert [t.source for t in glossary.terms] == [
        "International Organization for Migration", "climate change", "KOICA", "IOM"]
    iom = glossary.terms[-1]
    assert iom.translations == {"ko": "IOM", "zh_Hans": "国际移民组织"} and iom.line == 3
    koica = glossary.terms[2]
    assert koica.dnt and koica.target("ko") == "KOICA" and koica.note == "Korea International Cooperation Agency"


def test_find_matches_whole_words_and_case_as_written() -> None:
    glossary = parse(GOOD)
    found = glossary.find("Climate change and the IOM, not IOMs or BIOM; KOICA-funded is one word.")
    assert [t.source for t in found] == ["climate change", "IOM"]
    assert glossary.find("the iom") == []


def test_hints_and_dnt_spans() -> None:
    glossary = parse(GOOD)
    text = "The International Organization for Migration (IOM) and KOICA discussed climate change."
    assert glossary.hints(text, "ko") == [
        "glossary: International Organization for Migration = 국제이주기구",
        "glossary: climate change = 기후변화", "glossary: KOICA = KOICA", "glossary: IOM = IOM"]
    assert glossary.hints("climate change", "fr") == []
    assert [text[s:e] for s, e in glossary.dnt_spans(text)] == ["KOICA"]


def test_bom_quoted_cells_and_blank_lines_are_fine() -> None:
    glossary = parse_bytes(b'\xef\xbb\xbfen,ko\n\n"UN Children\'s Fund, the",\xec\x9c\xa0\xec\x97\x94\n')
    assert glossary.terms[0].source == "UN Children's Fund, the"
    assert parse("") .terms == ()


@pytest.mark.parametrize(("text", "line", "message"), [
    ("ko,en\nIOM,IOM\n", 1, "first column must be 'en'"),
    ("en,ko,ko\nIOM,IOM,IOM\n", 1, "appears twice"),
    ("en,klingon-xx\nIOM,x\n", 1, "'klingon-xx' is not a locale code"),
    ("en,zh_Hans,zh-hans\nIOM,a,b\n", 1, "same locale"),
    ("en,ko\nIOM,IOM\nUNDP\n", 3, "1 fields, but the header has 2"),
    ("en,ko\nIOM,IOM\nIOM,아이오엠\n", 3, "listed twice (first on line 2)"),
    ("en,ko,dnt\nIOM,IOM,maybe\n", 2, "dnt must be yes or no"),
    ("en,ko,dnt\nKOICA,코이카,yes\n", 2, "marked dnt but has a translation for ko"),
    ("en,ko\n,빈칸\n", 2, "empty term"),
    ('en,ko,note\nIOM,IOM,"two\nlines"\nUNDP,"x"y,\n', 4, "malformed CSV"),
    ('en,ko,note\nIOM,IOM,"two\nlines"\nUNDP\n', 4, "1 fields"),
])
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryError, match=re.escape(message)) as caught:
        parse(text, "glossary.csv")
    assert caught.value.line == line and caught.value.path == "glossary.csv"


def test_non_utf8_is_an_error_with_its_line() -> None:
    with pytest.raises(GlossaryError, match="not UTF-8") as caught:
        parse_bytes(b"en,ko\nIOM,\xff\n")
    assert caught.value.line == 2


# --- the sample glossary shipped with the repository --------------------------------------------

def test_sample_glossary_parses_and_covers_the_sample_release() -> None:
    glossary = parse_bytes((REPO / "glossary.csv").read_bytes())
    sources = {t.source for t in glossary.terms}
    assert {"IOM", "UNICEF", "UNDP", "KOICA", "SDGs", "COP28", "ODA", "MOFA", "UNFCCC"} <= sources
    assert {t.source for t in glossary.terms if t.dnt} >= {"KOICA", "COP28"}
    configured = set(load(REPO).locales)
    assert {locale for t in glossary.terms for locale in t.translations} <= configured


def test_sample_glossary_agrees_with_the_sample_korean_translation() -> None:
    """Every Korean rendering appears wherever its term occurs in the reviewed sample."""
    glossary = parse_bytes((REPO / "glossary.csv").read_bytes())
    path = REPO / "locales/ko/2023/11/climate-dialogue.po"
    catalog = parse_po(path.read_bytes(), str(path))
    checked = 0
    for term in glossary.terms:
        target = term.target("ko")
        for message in catalog.messages:
            if target and message.reviewed and term.pattern.search(message.msgid):
                assert target in message.msgstr, f"{term.source} = {target} not in {message.msgstr!r}"
                checked += 1
    assert checked >= 40
