"""Word releases (.docx): one walk of the document for extraction and reassembly.

The walk visits, in a fixed order, the main document, its headers and footers, footnotes
and endnotes (parts named by the document's relationships), and the title property. In each
part it takes every paragraph (body text, headings, list items, table cells, text boxes) and
every image's alt text and title. Each translatable block becomes a line of the document's
`text` (its inline markup, see docx_inline) and a `Unit` over that line, so extraction sees a
Word release like any other; building walks the same bytes again, renders the same units
with the translations, and writes each changed line back into its paragraph's runs.

Never translated: field codes (a field is one placeholder), bookmarks and comments (kept
in their paragraph), and a text box's VML fallback, which is written with its DrawingML
twin's translation instead.

A paragraph with tracked changes (`w:ins`, `w:del`, `w:moveTo`, `w:moveFrom`) is read as it
reads with its changes accepted, as Word shows it without markup: inserted text is in the
entry, deleted text is not, and the entry's comment says "tracked changes accepted". A
translated paragraph is written without the revision marks (a translation cannot carry the
English revisions); one left in English, or an identity build, keeps them as they were.
Formatting changes and paragraph-mark revisions (in `w:pPr`) stay tracked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from locpress.errors import BuildError, SourceError
from locpress.formats import docx_inline as inline
from locpress.formats import docx_language as language
from locpress.formats import docx_runs as runs
from locpress.formats.document import (
    Document,
    Encoding,
    Lines,
    Splitter,
    Unit,
    render,
    split_pieces,
)
from locpress.formats.docx_inline import PPR, P, Paragraph, q
from locpress.formats.docx_package import (
    OFFICE_DOCUMENT,
    Limits,
    Package,
    check_relationships,
    open_package,
    serialize,
    write_package,
)

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_VML = "urn:schemas-microsoft-com:vml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DC = "http://purl.org/dc/elements/1.1/"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
#: What the catalog says of a paragraph with tracked changes (its entries' `#.` comment).
TRACKED_NOTE = "tracked changes accepted"
_STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_PARTS = (("header", "header"), ("footer", "footer"), ("footnotes", "footnote"), ("endnotes", "endnote"))
_ALT = ((f"{{{_WP}}}docPr", "descr"), (f"{{{_WP}}}docPr", "title"), (f"{{{_PIC}}}cNvPr", "descr"),
        (f"{{{_VML}}}shape", "alt"))
_ALT_TAGS = tuple(dict.fromkeys(tag for tag, _ in _ALT))
_STRUCTURE = (P, q("tbl"), q("tr"), q("tc"), q("sectPr"), q("drawing"), q("pict"), q("txbxContent"))


@dataclass
class Block:
    """A translatable place: a paragraph (with its twin in a VML fallback) or an attribute."""

    part: str
    kind: str
    text: str
    paragraph: Paragraph | None = None
    twin: Paragraph | None = None
    element: etree._Element | None = None
    attribute: str = ""


@dataclass
class Walk:
    """A Word document read once: its package, parsed parts and blocks, and the Document."""

    package: Package
    parts: dict[str, etree._Element] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    main: str = ""
    document: Document | None = None


def read(data: bytes, path: str, split: Splitter, limits: Limits = Limits()) -> Walk:
    """Walk a Word release: refuse what is unsafe, then record every translatable block."""
    package = open_package(data, path, limits)
    check_relationships(package)
    walk = Walk(package)
    main = next((package.target("", target) for kind, target, _ext in package.relationships("").values()
                 if kind == OFFICE_DOCUMENT), "")
    if not main and any(kind == _STRICT_DOCUMENT for kind, _t, _e in package.relationships("").values()):
        raise SourceError("a Strict Open XML document, which locpress does not read: save it as "
                          "Word Document (.docx)", path)
    if not main or not package.has(main):
        raise SourceError("not a Word document: the zip has no main document part", path)
    walk.main = main
    cache: list[dict[str, _Style]] = []

    def styles() -> dict[str, _Style]:
        if not cache:
            cache.append(_styles(package, main))
        return cache[0]

    rels = package.relationships(main)
    _paragraphs(walk, main, "paragraph", styles)
    for suffix, kind in _PARTS:
        targets = sorted(package.target(main, t) for k, t, ext in rels.values() if k.endswith("/" + suffix) and not ext)
        for name in targets:
            if package.has(name):
                _paragraphs(walk, name, kind, styles)
    _title(walk)
    walk.document = _document(walk, path, split)
    return walk


def parse(data: bytes, path: str, split: Splitter, limits: Limits = Limits()) -> Document:
    document = read(data, path, split, limits).document
    assert document is not None
    return document


def _document(walk: Walk, path: str, split: Splitter) -> Document:
    text = "".join(block.text + "\n" for block in walk.blocks)
    lines = Lines.of(text)
    units = []
    kept = []
    for index, block in enumerate(walk.blocks):
        start = lines.starts[index]
        sentences = split_pieces(text, [(start, start + len(block.text))], split, lines)
        if not any(s.translatable for s in sentences):
            continue
        kept.append(block)
        units.append(Unit(kind=block.kind, start=sentences[0].start, end=sentences[-1].end,
                          sentences=tuple(sentences), encoding=Encoding.PLAIN))
    return Document(path=path, text=text, format="docx", units=tuple(units))


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    numbered: bool
    outline: bool


def _styles(package: Package, main: str) -> dict[str, _Style]:
    name = next((package.target(main, t) for k, t, ext in package.relationships(main).values()
                 if k.endswith("/styles") and not ext), "")
    if not name or not package.has(name):
        return {}
    found = {}
    for style in package.xml(name).iterchildren(q("style")):
        sid = style.get(q("styleId"), "")
        named = style.find(q("name"))
        based = style.find(q("basedOn"))
        ppr = style.find(PPR)
        found[sid] = _Style((named.get(q("val"), "") if named is not None else sid).lower(),
                            based.get(q("val")) if based is not None else None,
                            ppr is not None and ppr.find(q("numPr")) is not None,
                            ppr is not None and ppr.find(q("outlineLvl")) is not None)
    return found


_PSTYLE, _NUMPR, _VAL, _TXBX, _TC = q("pStyle"), q("numPr"), q("val"), q("txbxContent"), q("tc")
# Word's own style ids (English Word): decided without reading styles.xml.
_KNOWN = re.compile(r"(?:Heading\d|Title|Subtitle)$|(?P<list>List(?:Bullet|Number|Paragraph)\d?)$"
                    r"|(?P<plain>Normal|BodyText\d?|FirstParagraph|Compact|Quote|Caption|FootnoteText|Header|Footer)$")


def _kind(p: etree._Element, default: str, styles: Callable[[], Mapping[str, _Style]]) -> str:
    ppr = p.find(PPR)
    sid = None
    if ppr is not None:
        pstyle = ppr.find(_PSTYLE)
        sid = pstyle.get(_VAL) if pstyle is not None else None
        if ppr.find(_NUMPR) is not None:
            return "list item"
    if default == "paragraph":
        for ancestor in p.iterancestors(_TXBX, _TC):
            return "text box" if ancestor.tag == _TXBX else "table cell"
    known = _KNOWN.match(sid) if sid else None
    if known:
        return default if known.group("plain") else "list item" if known.group("list") else "heading"
    seen = 0
    found = styles() if sid else {}
    while sid is not None and sid in found and seen < 20:
        style = found[sid]
        if style.name in ("title", "subtitle") or style.name.startswith("heading") or style.outline:
            return "heading"
        if style.numbered and default == "paragraph":
            return "list item"
        sid, seen = style.based_on, seen + 1
    return default


def _paragraphs(walk: Walk, part: str, default: str, styles: Callable[[], Mapping[str, _Style]]) -> None:
    root = walk.package.xml(part)
    walk.parts[part] = root
    links = {rid: target for rid, (kind, target, _ext) in walk.package.relationships(part).items()
             if kind.endswith("/hyperlink")}
    twins = _twins(root)
    seen: dict[etree._Element, Paragraph] = {}
    depth = 0
    for element in root.iter(P, *_ALT_TAGS):
        if element.tag != P:
            _alt_blocks(walk, part, element)
            continue
        para = inline.read_paragraph(element, links, in_field=depth > 0)
        depth = para.opens_field if depth == 0 else max(0, depth - _closes(element))
        seen[element] = para
        twin_of = twins.get(element)
        if twin_of is not None:
            original = seen.get(twin_of)
            block = next((b for b in walk.blocks if b.paragraph is original), None)
            if block is not None and original is not None and original.markup == para.markup:
                block.twin = para
                continue
        if para.translatable and para.markup.strip():
            kind = _kind(element, default, styles)
            walk.blocks.append(Block(part, f"{kind}, {TRACKED_NOTE}" if para.tracked else kind, para.markup,
                                     paragraph=para))


def _closes(p: etree._Element) -> int:
    return sum(1 for c in p.iter(q("fldChar")) if c.get(q("fldCharType")) == "end")


def _twins(root: etree._Element) -> dict[etree._Element, etree._Element]:
    """A text box's VML fallback paragraph -> its DrawingML paragraph (same position)."""
    found: dict[etree._Element, etree._Element] = {}
    for alternate in root.iter(f"{{{_MC}}}AlternateContent"):
        choice = alternate.find(f"{{{_MC}}}Choice")
        fallback = alternate.find(f"{{{_MC}}}Fallback")
        if choice is None or fallback is None:
            continue
        first, second = list(choice.iter(P)), list(fallback.iter(P))
        if len(first) == len(second):
            found.update((b, a) for a, b in zip(first, second))  # the dict keeps lxml's proxies alive
    return found


def _alt_blocks(walk: Walk, part: str, element: etree._Element) -> None:
    for tag, attribute in _ALT:
        value = element.get(attribute) if element.tag == tag else None
        if value and value.strip() and "\n" not in value:
            walk.blocks.append(Block(part, "alt text", value, element=element, attribute=attribute))


def _title(walk: Walk) -> None:
    core = next((walk.package.target("", t) for k, t, ext in walk.package.relationships("").values()
                 if k == _CORE and not ext), "")
    if not core or not walk.package.has(core):
        return
    root = walk.package.xml(core)
    title = root.find(f"{{{_DC}}}title")
    if title is not None and title.text and title.text.strip() and "\n" not in title.text:
        walk.parts[core] = root
        walk.blocks.append(Block(core, "title property", title.text, element=title))


# --- build -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Built:
    """A localized Word release and how much of it is translated."""

    data: bytes
    segments: int
    translated: int

    @property
    def in_source_language(self) -> int:
        return self.segments - self.translated


def build(data: bytes, path: str, split: Splitter, translations: Mapping[str, str], locale: str, joiner: str,
          limits: Limits = Limits()) -> Built:
    """The Word release with every reviewed translation in place, in the locale's language."""
    walk = read(data, path, split, limits)
    document = walk.document
    assert document is not None
    rendered = render(document, translations.get, joiner).split("\n")
    before = {name: _counts(root) for name, root in walk.parts.items()}
    changed_parts: set[str] = set()
    new_runs: list[etree._Element] = []
    paragraphs: list[etree._Element] = []
    for index, block in enumerate(walk.blocks):
        new = rendered[index]
        if new == block.text:
            continue
        changed_parts.add(block.part)
        try:
            _write_block(block, new, new_runs, paragraphs)
        except runs.MarkupError as exc:
            raise BuildError(f"the translation of block {index + 1} ({block.kind}) breaks its markup: {exc}",
                             path, index + 1) from None
    changed_parts |= language.apply(walk, locale, new_runs, paragraphs)
    for name in sorted(changed_parts):
        if name in before and _counts(walk.parts[name]) != before[name]:
            raise BuildError(f"built document changes the structure of part {name}", path)
        walk.package.changed[name] = serialize(walk.parts[name])
    segments = document.segments()
    translated = sum(1 for s, _ in segments if translations.get(s.text, "").strip())
    return Built(write_package(walk.package), len(segments), translated)


def _write_block(block: Block, new: str, new_runs: list[etree._Element], paragraphs: list[etree._Element]) -> None:
    if block.paragraph is None:
        assert block.element is not None
        if block.attribute:
            block.element.set(block.attribute, new.strip())
        else:
            block.element.text = new.strip()
        return
    for para in (block.paragraph, block.twin):
        if para is not None:
            new_runs.extend(runs.rewrite(para, new))
            paragraphs.append(para.element)


def _counts(root: etree._Element) -> tuple[int, ...]:
    return tuple(sum(1 for _ in root.iter(tag)) for tag in _STRUCTURE)


