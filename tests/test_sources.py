"""Tests for locpress.formats.sources: decoding, format dispatch, the plain-text reader, and real
releases (identity round trip, golden segments and golden pseudo-translations).

Regenerate the golden files after an intended change with
`LOCPRESS_UPDATE_GOLDEN=1 pytest tests/test_sources.py`, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locpress.config import DEFAULT_FRONT_MATTER, Config
from locpress.errors import SourceError
from locpress.formats import markdown, sources
from locpress.formats.document import Document, render
from locpress.stages.build import verify
from locpress.stages.extract import splitter

FIXTURES = Path(__file__).parent / "fixtures" / "releases"
GOLDEN = FIXTURES / "golden"
UPDATE_GOLDEN = os.environ.get("LOCPRESS_UPDATE_GOLDEN") == "1"
CONFIG = Config(root=Path("."))
SEED = FIXTURES / "iom" / "iom-rok-climate-dialogue-2023-11.txt"
RELEASES = sorted(p for folder in ("iom", "react.dev") for p in (FIXTURES / folder).iterdir())


def read(path: Path) -> Document:
    """A fixture release as the pipeline reads it: decode, then dispatch on the extension."""
    split = splitter(CONFIG, markdown=path.suffix == ".md")
    return sources.parse(sources.decode(path.read_bytes(), path.name), path.name, split, DEFAULT_FRONT_MATTER)


def txt(text: str) -> Document:
    return sources.parse_text(text, "release.txt", splitter(CONFIG, markdown=False))


def segments(doc: Document) -> list[tuple[str, str, int]]:
    return [(s.text, u.kind, s.line) for s, u in doc.segments()]


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"no golden file {path.name}: run with LOCPRESS_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8"), f"{path.name} differs"


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------

def test_decode_utf8() -> None:
    assert sources.decode("Seoul — 서울\n".encode(), "a.md") == "Seoul — 서울\n"


def test_decode_drops_a_byte_order_mark() -> None:
    text = sources.decode(b"\xef\xbb\xbf---\ntitle: Seoul\n---\n# Head\n", "a.md")
    assert text == "---\ntitle: Seoul\n---\n# Head\n"
    doc = sources.parse(text, "a.md", splitter(CONFIG, markdown=True), DEFAULT_FRONT_MATTER)
    assert segments(doc) == [("Seoul", "front matter title", 2), ("Head", "heading", 4)]


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"Seoul\nBusan \xe9t\xe9\n", 2, "not UTF-8 text (byte 0xe9)"),
    (b"One\r\nTwo\r\nThree \xff\r\n", 3, "not UTF-8 text (byte 0xff)"),
    (b"\xc3", 1, "not UTF-8 text (byte 0xc3)"),
    (b"Text\n\n\x89PNG\x00\x00", 3, "binary file"),
    (b"\x00", 1, "binary file"),
    (b"", 1, "empty release"),
    (b" \n\t\r\n", 1, "empty release"),
    (b"\xef\xbb\xbf\n", 1, "empty release"),
])
def test_decode_errors_name_path_and_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        sources.decode(data, "source/2023/a.md")
    assert (caught.value.path, caught.value.line) == ("source/2023/a.md", line)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"source/2023/a.md:{line}: ")


def test_parse_dispatches_on_the_extension() -> None:
    text = "# Heading here\n\nText here.\n"
    split = splitter(CONFIG, markdown=True)
    assert sources.parse(text, "a.md", split, DEFAULT_FRONT_MATTER).format == "md"
    as_text = sources.parse(text, "a.txt", split, DEFAULT_FRONT_MATTER)
    assert as_text.format == "txt"
    assert segments(as_text)[0] == ("# Heading here", "headline", 1)


# --------------------------------------------------------------------------------------
# Plain-text releases
# --------------------------------------------------------------------------------------

PLAIN = """IOM ROK hosts UN Experts Dialogue

Seoul - The dialogue explored how the UN can accelerate efforts. It was
co-hosted by UNICEF and UNDP.

The second session focused on net zero \nemissions. KOICA presented its strategy.

Key points:
- Climate mobility is a reality.
- Actions now reduce
displacement later.
* Partnerships matter. They do.
• National plans

Contact
Sieun LEE
Tel.: +82 70 4820 2751
"""
PLAIN_SEGMENTS = [
    ("IOM ROK hosts UN Experts Dialogue", "headline", 1),
    ("Seoul - The dialogue explored how the UN can accelerate efforts.", "paragraph", 3),
    ("It was co-hosted by UNICEF and UNDP.", "paragraph", 3),
    ("The second session focused on net zero emissions.", "paragraph", 6),  # format=flowed
    ("KOICA presented its strategy.", "paragraph", 7),
    ("Key points:", "paragraph", 9),
    ("Climate mobility is a reality.", "list item", 10),
    ("Actions now reduce displacement later.", "list item", 11),  # lower-case continuation
    ("Partnerships matter.", "list item", 13),
    ("They do.", "list item", 13),
    ("• National plans", "paragraph", 14),  # a bullet is text: Golden Rule 37 starts with one
    ("Contact", "paragraph", 16),  # no terminal punctuation: a segment per line
    ("Sieun LEE", "paragraph", 17),
    ("Tel.: +82 70 4820 2751", "paragraph", 18),
]


def test_plain_text_segments() -> None:
    assert segments(txt(PLAIN)) == PLAIN_SEGMENTS


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_plain_text_round_trips(newline: str) -> None:
    text = PLAIN.replace("\n", newline)
    doc = txt(text)
    assert segments(doc) == PLAIN_SEGMENTS
    assert render(doc, lambda s: s) == text
    assert render(doc, lambda s: None, "") == text


def test_plain_text_translation_keeps_list_markers_and_lines() -> None:
    built = render(txt(PLAIN), lambda s: "번역 " + s)
    assert built == """번역 IOM ROK hosts UN Experts Dialogue

번역 Seoul - The dialogue explored how the UN can accelerate efforts. 번역 It was co-hosted by UNICEF and UNDP.

번역 The second session focused on net zero emissions. 번역 KOICA presented its strategy.

번역 Key points:
- 번역 Climate mobility is a reality.
- 번역 Actions now reduce displacement later.
* 번역 Partnerships matter. 번역 They do.
번역 • National plans

번역 Contact
번역 Sieun LEE
번역 Tel.: +82 70 4820 2751
"""
    verify(txt(PLAIN), built)


def test_plain_text_chinese_joins_wrapped_sentences() -> None:
    built = render(txt(PLAIN), lambda s: "【" + s[:4] + "】", "")
    assert "\n【Seou】【It w】\n" in built
    assert "\n- 【Acti】\n" in built
    verify(txt(PLAIN), built)


def test_a_continuation_needs_sentence_punctuation_in_the_block() -> None:
    assert [s for s, _, _ in segments(txt("Seoul office\nclimate team\n"))] == ["Seoul office", "climate team"]
    assert [s for s, _, _ in segments(txt("The Seoul office\nand its team met.\n"))] == [
        "The Seoul office and its team met."]
    assert [s for s, _, _ in segments(txt("Contact:\nsilee at iom.\n"))] == ["Contact:", "silee at iom."]


def test_lines_without_prose_are_frame() -> None:
    text = "Headline here\n\n***\n\nhttps://www.iom.int\n\n-\n"
    doc = txt(text)
    assert segments(doc) == [("Headline here", "headline", 1)]
    assert render(doc, lambda s: "번역") == "번역\n\n***\n\nhttps://www.iom.int\n\n-\n"


# --------------------------------------------------------------------------------------
# Real releases
# --------------------------------------------------------------------------------------

def test_the_fixture_releases_are_there() -> None:
    assert [p.name for p in RELEASES] == [
        "climate-dialogue.md", "iom-rok-climate-dialogue-2023-11.txt",
        "2020-12-21-data-fetching-with-react-server-components.md", "2021-06-08-the-plan-for-react-18.md",
        "2024-02-15-react-labs-what-we-have-been-working-on-february-2024.md", "2026-02-24-the-react-foundation.md",
    ]


def test_the_seed_release_round_trips_byte_for_byte() -> None:
    data = SEED.read_bytes()
    doc = read(SEED)
    assert render(doc, lambda s: s).encode("utf-8") == data
    assert not data.endswith(b"\n")  # the page text as copied: no final newline, kept as is
    assert len(doc.segments()) == 37


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_real_release_round_trips(path: Path) -> None:
    doc = read(path)
    assert render(doc, lambda s: s).encode("utf-8") == path.read_bytes()
    assert render(doc, lambda s: None, "") == doc.text


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_real_release_segments_match_the_golden_file(path: Path) -> None:
    rows = "".join(f"{line}\t{kind}\t{text}\n" for text, kind, line in segments(read(path)))
    assert_golden(f"{path.name}.segments.tsv", rows)


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
@pytest.mark.parametrize("joiner", [" ", ""], ids=["space", "nospace"])
def test_real_release_keeps_its_structure_when_translated(path: Path, joiner: str) -> None:
    doc = read(path)
    verify(doc, render(doc, lambda s: "번역 " + s, joiner))
    if doc.format == "md":
        assert markdown.block_shape(render(doc, lambda s: "* 번역 | " + s, joiner)) == markdown.block_shape(doc.text)


@pytest.mark.parametrize("path", [FIXTURES / "iom" / "climate-dialogue.md", SEED], ids=lambda p: p.name)
def test_pseudo_translations_match_the_golden_files(path: Path) -> None:
    doc = read(path)
    assert_golden(f"{path.name}.ko{path.suffix}", render(doc, lambda s: "번역 " + s))
    assert_golden(f"{path.name}.zh_Hans{path.suffix}", render(doc, lambda s: "【" + s + "】", ""))
