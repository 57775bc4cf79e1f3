"""Web-page releases: translated in place, every byte outside the translated text kept."""

from __future__ import annotations

from functools import partial

import polib
import pytest
from conftest import FIXTURES, snapshot

from locpress.errors import BuildError
from locpress.formats import htmlsource
from locpress.formats.segment import split_sentences

PAGE = (FIXTURES / "html" / "release.html").read_text(encoding="utf-8")
SPLIT = partial(split_sentences, markdown=True, lang="en")


def segments(text: str = PAGE) -> list[tuple[str, str]]:
    return [(u.kind, s.text) for s, u in htmlsource.parse(text, "r.html", SPLIT).segments()]


def test_page_segments() -> None:
    found = segments()
    assert found[0] == ("title", "IOM Welcomes New Partnership | IOM")
    assert ("meta content", "IOM and partners sign an agreement to support migrants.") in found
    assert ("paragraph", "GENEVA, 3 May 2024 &ndash; The International Organization for Migration (IOM) today "
                         "welcomed a <strong>new partnership</strong>.") in found
    assert ("paragraph", 'The agreement covers <a href="https://www.iom.int/x" title="Read the agreement">five '
                         "countries</a>.") in found
    assert ("img alt", "Migrants arriving at the port") in found
    assert ("caption", "Arrivals at the port in 2023.") in found
    texts = " ".join(t for _k, t in found)
    for kept in ("Keep this", "Do not translate", "Leave this code", "BrandName", "A comment"):
        assert kept not in texts


def test_identity_build_is_byte_identical_but_for_lang_and_dir() -> None:
    doc = htmlsource.parse(PAGE, "r.html", SPLIT)
    built = htmlsource.build(doc, {s.text: s.text for s, _ in doc.segments()}, "ar", " ")
    assert built == PAGE.replace('<html lang="en">', '<html lang="ar" dir="rtl">', 1)
    for ending in ("\r\n", "\r"):
        page = PAGE.replace("\n", ending)
        doc = htmlsource.parse(page, "r.html", SPLIT)
        assert len(doc.segments()) == len(segments())
        built = htmlsource.build(doc, {s.text: "번역 " + s.text for s, _ in doc.segments()}, "ko", " ")
        assert "<figcaption>번역 Arrivals at the port in 2023.</figcaption>" in built
        assert htmlsource.build(doc, {}, "en", " ") == page.replace('<html lang="en">', '<html lang="en" dir="ltr">')
    assert htmlsource.set_language("<html>\n<p>x</p>", "zh_Hans") == '<html lang="zh-Hans" dir="ltr">\n<p>x</p>'
    assert htmlsource.set_language("<HTML LANG='en' class=a>", "ko") == "<HTML LANG='ko' class=a dir=\"ltr\">"
    xhtml = '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">'  # both say the language
    assert htmlsource.set_language(xhtml, "ar") == \
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar" lang="ar" dir="rtl">'


def test_translated_build_in_place() -> None:
    doc = htmlsource.parse(PAGE, "r.html", SPLIT)
    built = htmlsource.build(doc, {"Migrants arriving at the port": 'Des "migrants" au port',
                                   "Arrivals at the port in 2023.": "Arrivées au port en 2023."}, "fr", " ")
    assert 'alt="Des &quot;migrants&quot; au port"' in built
    assert "<figcaption>Arrivées au port en 2023.</figcaption>" in built
    assert built.count("\n") == PAGE.count("\n")


def test_translation_that_breaks_the_page_is_refused() -> None:
    doc = htmlsource.parse(PAGE, "r.html", SPLIT)
    with pytest.raises(BuildError, match="structure"):
        htmlsource.build(doc, {"Arrivals at the port in 2023.": "Arrivées</figcaption><div>au port"}, "fr", " ")


def test_page_through_the_pipeline_is_its_own_localized_page(project, cli) -> None:
    root = project({"news/partnership.html": PAGE}, extra='[build]\nformats = ["md", "html"]\n')
    assert cli(root, "run").code == 0
    po = polib.pofile(str(root / "locales/ko/news/partnership.po"))
    for entry in po:
        entry.msgstr = "한국어 " + entry.msgid
    po.save()
    result = cli(root, "run")
    assert result.code == 0, result.err
    page = (root / "output/ko/news/partnership.html").read_text(encoding="utf-8")
    assert '<html lang="ko" dir="ltr">' in page and "<title>한국어 IOM Welcomes" in page
    assert '<script>var note = "Do not translate this. It is code.";</script>' in page
    assert sorted(p for p in snapshot(root) if p.startswith("output/ko/")) == ["output/ko/news/partnership.html"]
    before = snapshot(root)
    assert cli(root, "run").code == 0 and snapshot(root) == before
