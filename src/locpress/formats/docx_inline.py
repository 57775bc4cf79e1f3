"""The inline content of a Word paragraph as translators see it, and back.

A paragraph's runs become one text with Markdown-like markup for what changes inside it:
`**bold**`, `*italic*`, `***both***`, `[text](url)` for hyperlinks, `<u>`, `<sup>`, `<sub>`,
`<s>` for underline, super/subscript and strike, `<span id="gN">…</span>` for any other
formatting, `<br/>` for a line break, and `<span id="xN"/>` for what sits in the text but is
not text (an image, a field, a tab, a footnote mark). Formatting is compared with the
paragraph's most common run formatting, leaving out Word's bookkeeping (revision ids, proofing
marks, language tags), so runs that differ only in those are one text. Writing parses the
translation's markup back (docx_runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from locpress.formats.docx_package import W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, RUN, T, RPR, PPR, HYPERLINK = q("p"), q("r"), q("t"), q("rPr"), q("pPr"), q("hyperlink")
_FLDCHAR, _INSTR, _FLDSIMPLE = q("fldChar"), q("instrText"), q("fldSimple")
_BREAKS = (q("br"), q("cr"))
_SKIPPED_IN_RUN = (q("lastRenderedPageBreak"),)
MOVE_RANGES = frozenset(q(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                                       "moveToRangeEnd"))
_MARKERS = frozenset(q(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                    "permStart", "permEnd", "proofErr")) | MOVE_RANGES
_INSERTED = frozenset(q(t) for t in ("ins", "moveTo"))  # text as it reads with the change accepted
_DELETED = frozenset(q(t) for t in ("del", "moveFrom"))  # gone once accepted
_TRANSPARENT = frozenset(q(t) for t in ("smartTag",))
_BOOKKEEPING = frozenset(q(t) for t in ("lang", "noProof", "proofErr", "rPrChange"))  # rPrChange: the
# formatting before a tracked change, which is accepted like the text
_CHAR_ELEMENTS = {q("noBreakHyphen"): "\u2011", q("softHyphen"): "\u00ad"}
_ELEMENT_OF = {v: k for k, v in _CHAR_ELEMENTS.items()}
_SIMPLE = {  # markup -> the run properties it adds to the paragraph's own
    "**": ((q("b"), ()),), "*": ((q("i"), ()),), "***": ((q("b"), ()), (q("i"), ())),
    "u": ((q("u"), ((q("val"), "single"),)),), "sup": ((q("vertAlign"), ((q("val"), "superscript"),)),),
    "sub": ((q("vertAlign"), ((q("val"), "subscript"),)),), "s": ((q("strike"), ()),),
}
_CS_TWINS = {q("bCs"): q("b"), q("iCs"): q("i")}  # "bold" in Word often sets both


Key = frozenset[tuple[str, tuple[tuple[str, str], ...]]]


def rpr_key(rpr: etree._Element | None) -> Key:
    """What a run's properties say about its look, without Word's bookkeeping."""
    if rpr is None:
        return frozenset()
    found = []
    for child in rpr:
        if not isinstance(child.tag, str) or child.tag in _BOOKKEEPING:
            continue
        attrs = tuple(sorted((k, v) for k, v in child.attrib.items() if "rsid" not in k))
        found.append((child.tag, attrs))
    return frozenset(found)


@dataclass
class Piece:
    """One thing in a paragraph, in order: text, a break, or something kept whole."""

    kind: str  # "text", "break", "opaque"
    text: str = ""
    rpr: etree._Element | None = None
    link: int = -1
    element: etree._Element | None = None  # opaque: the run (whole) or the child of a run
    whole_run: bool = False
    runs: list[etree._Element] = field(default_factory=list)  # opaque: the elements of a field


@dataclass
class Paragraph:
    """A paragraph's pieces, read once; `markup` is its text for the catalog."""

    element: etree._Element
    pieces: list[Piece] = field(default_factory=list)
    markers: list[etree._Element] = field(default_factory=list)
    leading: int = 0  # how many markers come before any content
    links: list[etree._Element] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    translatable: bool = True
    tracked: bool = False  # has tracked insertions or deletions: its text is read with them accepted
    opens_field: int = 0  # field depth left open at the end
    markup: str = ""
    head: int = 0  # pieces before the text (a note's own mark, an image): kept in place, not in markup
    tail: int = 0  # pieces after the text
    classes: dict[str, tuple[int, etree._Element | None]] = field(default_factory=dict)  # class -> (link, rPr)
    bases: dict[int, etree._Element | None] = field(default_factory=dict)  # link (-1: none) -> rPr


def read_paragraph(p: etree._Element, link_target: dict[str, str], in_field: bool) -> Paragraph:
    """The pieces of a paragraph; `in_field` when a field from an earlier paragraph is open."""
    para = Paragraph(p, translatable=not in_field)
    state = _State()
    _container(p, -1, para, state, link_target)
    para.opens_field = state.depth
    if state.depth:
        para.translatable = False
    if para.translatable:
        para.markup = _markup(para)
    return para


@dataclass
class _State:
    depth: int = 0


def _container(parent: etree._Element, link: int, para: Paragraph, state: _State,
               link_target: dict[str, str]) -> None:
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag in _MARKERS:
            para.markers.append(child)
            if not para.pieces:
                para.leading = len(para.markers)
        elif tag == PPR:
            continue
        elif tag == RUN:
            _run(child, link, para, state)
        elif tag == HYPERLINK and link < 0 and state.depth == 0:
            index = len(para.links)
            para.links.append(child)
            rid = child.get(f"{{{_R}}}id")
            anchor = child.get(q("anchor"))
            para.targets.append(link_target.get(rid or "", "") if rid else f"#{anchor}" if anchor else "")
            if not para.targets[-1]:
                para.translatable = False
            _container(child, index, para, state, link_target)
            if state.depth:
                para.translatable = False  # a field that leaves its hyperlink
        elif tag in _TRANSPARENT:
            _container(child, link, para, state, link_target)
        elif tag in _INSERTED:
            para.tracked = True
            _container(child, link, para, state, link_target)
        elif tag in _DELETED:
            para.tracked = True
        else:
            _opaque(para, Piece("opaque", element=child, link=link, whole_run=True), state)


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _opaque(para: Paragraph, piece: Piece, state: _State) -> None:
    if state.depth and para.pieces:
        assert piece.element is not None
        para.pieces[-1].runs.append(piece.element)  # inside the open field
    else:
        para.pieces.append(piece)


def _run(run: etree._Element, link: int, para: Paragraph, state: _State) -> None:
    rpr = run.find(RPR)
    if state.depth or run.find(_FLDCHAR) is not None or run.find(_INSTR) is not None:
        _field_run(run, link, para, state)
        return
    for child in run:
        tag = child.tag
        if tag == RPR or tag in _SKIPPED_IN_RUN:
            continue
        if tag == T:  # a line break typed into w:t shows as a space in Word; the walk needs one line
            _text(para, (child.text or "").replace("\r", " ").replace("\n", " "), rpr, link)
        elif tag in _CHAR_ELEMENTS:
            _text(para, _CHAR_ELEMENTS[tag], rpr, link)
        elif tag in _BREAKS and child.get(q("type"), "textWrapping") == "textWrapping" and not child.get(q("clear")):
            para.pieces.append(Piece("break", rpr=rpr, link=link))
        elif tag == q("commentReference") and len(run) <= 2:
            para.markers.append(run)
            return
        else:
            para.pieces.append(Piece("opaque", rpr=rpr, link=link, element=child))


def _text(para: Paragraph, text: str, rpr: etree._Element | None, link: int) -> None:
    last = para.pieces[-1] if para.pieces else None
    if last is not None and last.kind == "text" and last.link == link and rpr_key(last.rpr) == rpr_key(rpr):
        last.text += text  # runs that differ in bookkeeping only are one text
    else:
        para.pieces.append(Piece("text", text=text, rpr=rpr, link=link))


def _field_run(run: etree._Element, link: int, para: Paragraph, state: _State) -> None:
    """The runs of a complex field (begin … separate … end) are one opaque piece."""
    if state.depth == 0:
        para.pieces.append(Piece("opaque", link=link, runs=[run]))
    else:
        para.pieces[-1].runs.append(run)
    for char in run.iter(_FLDCHAR):
        kind = char.get(q("fldCharType"))
        if kind == "begin":
            state.depth += 1
        elif kind == "end":
            state.depth = max(0, state.depth - 1)


_ESCAPE = re.compile(r"[\\*\[\]]|<(?=[A-Za-z/!])")


def escape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\\" + m.group(0), text)


def _markup(para: Paragraph) -> str:
    """The paragraph's text with its inline markup (see the module's docstring)."""
    for link in {-1, *range(len(para.links))}:
        para.bases[link] = _base(para, link)
    out: list[str] = []
    opaque = 0
    g_numbers: dict[Key, str] = {}
    current_link = -1
    open_class = ""
    texts = [i for i, p in enumerate(para.pieces) if p.kind == "text" and p.text.strip()]
    if not texts:
        return ""
    para.head = next(i for i, p in enumerate(para.pieces) if p.kind == "text" or p.link >= 0)
    para.tail = len(para.pieces) - 1 - max(i for i, p in enumerate(para.pieces) if p.kind == "text" or p.link >= 0)
    for piece in para.pieces[para.head:len(para.pieces) - para.tail]:
        if piece.link != current_link:
            out.append(_close(open_class))
            open_class = ""
            if current_link >= 0:
                out.append(f"]({_target(para.targets[current_link])})")
            if piece.link >= 0:
                out.append("[")
            current_link = piece.link
        cls = _class(piece, para, g_numbers) if piece.kind == "text" else open_class
        if cls != open_class:
            out.append(_close(open_class) + _open(cls))
            open_class = cls
        if piece.kind == "text":
            out.append(escape(piece.text))
        elif piece.kind == "break":
            out.append("<br/>")
        else:
            opaque += 1
            out.append(f'<span id="x{opaque}"/>')
    out.append(_close(open_class))
    if current_link >= 0:
        out.append(f"]({_target(para.targets[current_link])})")
    return "".join(out)


def _target(url: str) -> str:
    return f"<{url}>" if any(c in url for c in " ()<>") else url


def _open(cls: str) -> str:
    if not cls:
        return ""
    if cls.startswith("*"):
        return cls
    return f'<span id="{cls}">' if cls.startswith("g") else f"<{cls}>"


def _close(cls: str) -> str:
    if not cls:
        return ""
    if cls.startswith("*"):
        return cls
    return "</span>" if cls.startswith("g") else f"</{cls}>"


def _base(para: Paragraph, link: int) -> etree._Element | None:
    """The run properties that most of a container's text has (the first on a tie)."""
    weight: dict[Key, int] = {}
    first: dict[Key, etree._Element | None] = {}
    for piece in para.pieces:
        if piece.kind == "text" and piece.link == link:
            key = rpr_key(piece.rpr)
            weight[key] = weight.get(key, 0) + len(piece.text.strip()) + 1
            first.setdefault(key, piece.rpr)
    if not weight:
        return None
    best = max(weight.values())
    return next(first[k] for k in weight if weight[k] == best)


def _class(piece: Piece, para: Paragraph, g_numbers: dict[Key, str]) -> str:
    base = rpr_key(para.bases.get(piece.link))
    key = rpr_key(piece.rpr)
    if key == base:
        return ""
    added = {_CS_TWINS.get(tag, tag): attrs for tag, attrs in key - base}
    simple = None
    if base <= key:
        for cls, wanted in _SIMPLE.items():
            if set(added.items()) == set(wanted):
                simple = cls
    cls = simple or g_numbers.setdefault(key, f"g{len(g_numbers) + 1}")
    para.classes.setdefault(cls, (piece.link, piece.rpr))
    return cls
