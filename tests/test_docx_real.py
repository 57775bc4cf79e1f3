"""Word releases on real Word files from public repositories (tests/fixtures/docx-real/ATTRIBUTION.md).

These documents were written by Word (and by the generators of pandoc, mammoth.js and
python-docx), not made for locpress: tables, footnotes and endnotes, a text box, headers and
footers in two sections, hyperlinks, a HYPERLINK field, smart tags, tracked insertions,
deletions and moves, adjacent bold and bold-italic runs, explicit paragraph alignment, and a
Strict Open XML document.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from conftest import FIXTURES, needs_office
from lxml import etree

from locpress.errors import SourceError
from locpress.formats import docx
from locpress.formats.segment import split_sentences

REAL = FIXTURES / "docx-real"
SPLIT = partial(split_sentences, markdown=True, lang="en")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Translate = Callable[[str], str]
DOCUMENTS = sorted(p.name for p in REAL.glob("*.docx") if p.name != "mammoth.js--strict-format.docx")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def canonical(data: bytes) -> str:
    # C14N 2.0: some real parts (SharePoint's customXml) declare relative namespace URIs,
    # which C14N 1.0 refuses.
    return etree.canonicalize(data.decode("utf-8-sig"))


def segments(name: str) -> list[tuple[str, str]]:
    doc = docx.parse((REAL / name).read_bytes(), name, SPLIT)
    return [(unit.kind, sentence.text) for sentence, unit in doc.segments()]


def build(name: str, locale: str, translate: Translate) -> bytes:
    data = (REAL / name).read_bytes()
    doc = docx.parse(data, name, SPLIT)
    return docx.build(data, name, SPLIT, {s.text: translate(s.text) for s, _ in doc.segments()}, locale, " ").data


def test_every_real_document_is_in_the_attribution() -> None:
    listed = (REAL / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in listed for name in [*DOCUMENTS, "mammoth.js--strict-format.docx"])


EXPECTED = {
    "mammoth.js--tables.docx": [("paragraph", "Above"), ("table cell", "Top left"), ("table cell", "Bottom right"),
                                ("paragraph", "Below")],
    "mammoth.js--text-box.docx": [("text box", "Datum plane")],
    "pandoc--inline_formatting.docx": [
        ("paragraph", "Regular text *italics* **bold *****bold italics***."),
        ("paragraph", "Above the line is <sup>superscript</sup> and below the line is <sub>subscript</sub>."),
        ("paragraph", "A line<br/>break.")],
    "pandoc--notes.docx": [("paragraph", 'Test footnote.<span id="x1"/>'), ("paragraph", "Test endnote."),
                           ("footnote", "My note."),
                           ("endnote", "This is an endnote at the end of the document.")],
    "pandoc--track_changes_insertion.docx": [
        ("paragraph, tracked changes accepted", "This is a text with two exciting insertions.")],
    "pandoc--track_changes_deletion.docx": [("paragraph, tracked changes accepted", "This is a text with a deletion.")],
    "pandoc--track_changes_move.docx": [("paragraph", "Here is some text."),
                                        ("paragraph, tracked changes accepted", "Here is the text to be moved."),
                                        ("paragraph", "Here is some more text.")],
    "python-docx--hdr-header-footer.docx": [("paragraph", "section with header"), ("header", "Header for section-1"),
                                            ("footer", "Footer for section 1")],
    "python-docx--par-hyperlinks.docx": [("paragraph", "One [awesome hyperlink](http://yahoo.com/).")],
    "python-docx--par-alignment.docx": [("paragraph", "Inherited alignment"), ("paragraph", "Right aligned.")],
    "pandoc--nested_smart_tags.docx": [("heading", "159. And It Came to Pass in the Course of Those Many Days"),
                                       ("paragraph", "And God heard their groaning” (Exodus 2:23-4).")],
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_real_document_extracts_clean_sentences(name: str) -> None:
    found = segments(name)
    assert found
    for expected in EXPECTED.get(name, []):
        assert expected in found
    texts = " ".join(t for _k, t in found)
    assert not re.search(r"rsid|HYPERLINK|PAGEREF|w:|\bMERGEFORMAT", texts)  # no bookkeeping, no field codes


def test_deleted_text_is_not_translated_and_inserted_text_is() -> None:
    texts = [t for _k, t in segments("pandoc--track_changes_deletion.docx")]
    assert not any("excessively" in t for t in texts)  # w:del: gone once accepted
    assert [t for _k, t in segments("pandoc--track_changes_move.docx")].count("Here is the text to be moved.") == 1


def test_real_field_hyperlink_is_one_placeholder() -> None:
    found = segments("pandoc--instrText_hyperlink.docx")
    first = found[0][1]
    assert first.startswith("希望深入了解的读者可以去看David French Belding") and '<span id="x1"/>' in first


@pytest.mark.parametrize("name", DOCUMENTS)
def test_identity_build_of_a_real_document(name: str) -> None:
    data = (REAL / name).read_bytes()
    doc = docx.parse(data, name, SPLIT)
    built = docx.build(data, name, SPLIT, {s.text: s.text for s, _ in doc.segments()}, "ko", " ").data
    before, after = parts(data), parts(built)
    assert list(before) == list(after)
    differing = [n for n in before if n.endswith((".xml", ".rels")) and canonical(before[n]) != canonical(after[n])]
    # The one documented difference: styles.xml's document defaults carry the language (w:lang
    # w:eastAsia="ko-KR") and East Asian twins of Latin-only fonts. A document without a styles
    # part differs nowhere. Every other part is the source's byte for byte.
    assert set(differing) <= {"word/styles.xml"}
    assert all(before[n] == after[n] for n in before if n != "word/styles.xml")


def _hangul(text: str) -> str:
    return "한국어 " + text


def _arabic(text: str) -> str:
    return "نص عربي " + text


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("locale, translate", [("ko", _hangul), ("ar", _arabic)])
def test_korean_and_arabic_builds_of_a_real_document(name: str, locale: str, translate: Translate) -> None:
    built = build(name, locale, translate)
    for part, data in parts(built).items():
        if part.endswith((".xml", ".rels")):
            etree.fromstring(data)  # well-formed
    source = docx.parse((REAL / name).read_bytes(), name, SPLIT)
    again = docx.read(built, name, SPLIT)
    marker = translate("").strip()
    assert len(again.blocks) == len([b for b in docx.read((REAL / name).read_bytes(), name, SPLIT).blocks])
    translated = [b for b in again.blocks if b.text.lstrip().startswith(marker)]
    assert len(translated) == len(source.units)
    body = parts(built)[again.main].decode("utf-8")
    if locale == "ar":
        tree = etree.fromstring(parts(built)[again.main])
        assert all(s.find(f"{W}bidi") is not None for s in tree.iter(f"{W}sectPr"))
        for p in tree.iter(f"{W}p"):
            nested = next(p.iter(f"{W}txbxContent"), None) is not None  # a text box's paragraphs are their own
            if not nested and "".join(t.text or "" for t in p.iter(f"{W}t")).lstrip().startswith(marker):
                assert p.find(f"{W}pPr/{W}bidi") is not None
                for table in p.iterancestors(f"{W}tbl"):
                    assert table.find(f"{W}tblPr/{W}bidiVisual") is not None  # first column on the right
    else:
        assert 'w:eastAsia="ko-KR"' in body or not any(b.part == again.main and b.paragraph for b in again.blocks)


def test_adjacent_bold_and_bold_italic_runs_round_trip() -> None:
    name = "pandoc--inline_formatting.docx"
    translations = {"Regular text *italics* **bold *****bold italics***.": "보통 글자 *기울임* **굵게 *****굵은 기울임***."}
    data = (REAL / name).read_bytes()
    built = docx.build(data, name, SPLIT, translations, "ko", " ").data
    tree = etree.fromstring(parts(built)["word/document.xml"])
    looks = {}
    for run in tree.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if text.strip():
            looks[text] = (run.find(f"{W}rPr/{W}b") is not None, run.find(f"{W}rPr/{W}i") is not None)
    assert looks["굵게 "] == (True, False) and looks["굵은 기울임"] == (True, True) and looks["기울임"] == (False, True)
    assert (("paragraph", "보통 글자 *기울임* **굵게 *****굵은 기울임***.")
            in [(u.kind, s.text) for s, u in docx.parse(built, name, SPLIT).segments()])


def test_translated_tracked_paragraph_is_written_with_its_changes_accepted() -> None:
    name = "pandoc--track_changes_deletion.docx"
    built = build(name, "ko", lambda t: "삭제가 있는 글입니다." if t == "This is a text with a deletion." else t)
    body = parts(built)["word/document.xml"].decode("utf-8")
    assert "삭제가 있는 글입니다." in body
    assert "<w:del " not in body and "excessively" not in body  # a translation cannot carry the English revision
    assert 'w:name="_GoBack"' in body  # the bookmark stays in its paragraph
    # left in English, the paragraph keeps its revision marks for a person to accept or reject
    untouched = parts(build(name, "ko", lambda t: t))["word/document.xml"].decode("utf-8")
    assert "<w:del " in untouched and "excessively" in untouched


def test_translated_move_keeps_the_other_end_of_the_move() -> None:
    name = "pandoc--track_changes_move.docx"
    body = parts(build(name, "ko", _hangul))["word/document.xml"].decode("utf-8")
    assert "한국어 Here is the text to be moved." in body
    assert "<w:moveTo " not in body  # the translated destination is plain text
    assert "<w:moveFrom " in body  # the origin (no text left once accepted) is untouched: Word deletes it on accept
    etree.fromstring(body.encode())


def test_strict_open_xml_is_refused_in_one_line() -> None:
    with pytest.raises(SourceError) as caught:
        docx.parse((REAL / "mammoth.js--strict-format.docx").read_bytes(), "x.docx", SPLIT)
    assert "Strict Open XML" in str(caught.value) and "\n" not in str(caught.value)


def _soffice(tmp_path: Path, *names: str) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *(str(tmp_path / n) for n in names)],
                   check=True, capture_output=True, timeout=180)


def _pages(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Pages:"))


@needs_office
def test_libreoffice_renders_a_real_identity_build_like_its_source(tmp_path: Path) -> None:
    name = "python-docx--hdr-header-footer.docx"
    (tmp_path / "source.docx").write_bytes((REAL / name).read_bytes())
    (tmp_path / "identity.docx").write_bytes(build(name, "ko", lambda t: t))
    _soffice(tmp_path, "source.docx", "identity.docx")
    texts = [subprocess.run(["pdftotext", str(tmp_path / f"{n}.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout for n in ("source", "identity")]
    assert "Header for section-1" in texts[0] and "section with header" in texts[0]
    assert texts[0] == texts[1]
    assert _pages(tmp_path / "source.pdf") == _pages(tmp_path / "identity.pdf")


@needs_office
def test_arabic_alignment_is_mirrored_by_word_semantics(tmp_path: Path) -> None:
    """w:jc left/right of a w:bidi paragraph mean start/end (Word, and LibreOffice which follows
    it): left as they are, an Arabic build mirrors the page. Measured on the rendered PDF."""
    name = "python-docx--par-alignment.docx"
    tags = {"Inherited alignment": "INHERITED", "Left aligned.": "LEFT", "Right aligned.": "RIGHT",
            "Center aligned.": "CENTER"}
    data = build(name, "ar", lambda t: f"نص عربي {tags.get(t, 'OTHER')}")
    tree = etree.fromstring(parts(data)["word/document.xml"])
    jcs = [p.find(f"{W}pPr/{W}jc") for p in tree.iter(f"{W}p")]
    assert [j.get(f"{W}val") if j is not None else None for j in jcs] == [None, "left", "center", "right", "both"]
    (tmp_path / "ar.docx").write_bytes(data)
    _soffice(tmp_path, "ar.docx")
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "ar.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    x = {m.group(3): (float(m.group(1)), float(m.group(2)))
         for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(\w+)</word>', boxes)}
    left_margin, right_margin = 90.0, 612.0 - 90.0  # 1800-twip margins on a 12240-twip page
    assert abs(x["INHERITED"][0] - left_margin) > 100 and abs(x["LEFT"][0] - left_margin) > 100  # start: the right
    assert min(abs(x["INHERITED"][1] - right_margin), abs(x["LEFT"][1] - right_margin)) < 60
    assert x["RIGHT"][0] - left_margin < 60  # end: the left margin


def test_arabic_note_separators_are_right_to_left() -> None:
    built = parts(build("pandoc--notes.docx", "ar", _arabic))
    for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        tree = etree.fromstring(built[part])
        separators = [n for n in tree.iter(f"{W}{tag}") if n.get(f"{W}type") in ("separator", "continuationSeparator")]
        assert separators and all(p.find(f"{W}pPr/{W}bidi") is not None for n in separators for p in n.iter(f"{W}p"))
    assert b"w:bidi" not in parts(build("pandoc--notes.docx", "ko", _hangul))["word/footnotes.xml"]


@pytest.mark.parametrize("translation, looks", [
    ("A *b **c** d*", {"b ": (False, True), "c": (True, True), " d": (False, True)}),  # nested, as translators write
    ("A *b **c***", {"b ": (False, True), "c": (True, True)}),  # nested, closed at once
    ("A **b *****c***", {"b ": (True, False), "c": (True, True)}),  # adjacent bold, bold italic
    ("A *b***c**", {"b": (False, True), "c": (True, False)}),  # adjacent italic, bold
])
def test_asterisk_runs_are_read_as_emphasis(translation: str, looks: dict[str, tuple[bool, bool]]) -> None:
    from locpress.formats.docx_runs import parse_markup

    para = docx.read((REAL / "pandoc--inline_formatting.docx").read_bytes(), "x", SPLIT).blocks[0].paragraph
    assert para is not None
    found = {o.text: ("**" in o.classes or "***" in o.classes, "*" in o.classes or "***" in o.classes)
             for o in parse_markup(translation, para) if o.kind == "text" and o.text != "A "}
    assert found == looks


def test_tracked_paragraph_through_the_pipeline(project, cli) -> None:  # type: ignore[no-untyped-def]
    import polib

    root = project({"2014/edit.docx": (REAL / "pandoc--track_changes_deletion.docx").read_bytes()})
    assert cli(root, "run").code in (0, 1)
    entries = {e.msgid: e for e in polib.pofile(str(root / "locales/templates/2014/edit.pot"))}
    entry = entries["This is a text with a deletion."]
    assert "paragraph, tracked changes accepted" in entry.comment  # what the translator sees in Poedit
    po = polib.pofile(str(root / "locales/ko/2014/edit.po"))
    for e in po:
        e.msgstr, e.flags = "삭제가 있는 글입니다.", []
    po.save()
    assert cli(root, "run").code == 0
    body = parts((root / "output/ko/2014/edit.docx").read_bytes())["word/document.xml"].decode("utf-8")
    assert "삭제가 있는 글입니다." in body and "<w:del " not in body
