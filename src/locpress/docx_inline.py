"""The inline content of a Word paragraph as translators see it, and back.

A paragraph's runs become one text with Markdown-like markup for what changes inside it:
`**bold**`, `*italic*`, `***both***`, `[text](url)` for hyperlinks, `<u>`, `<sup>`, `<sub>`,
`<s>` for underline, super/subscript and strike, `<span id="gN">…</span>` for any other
formatting, `<br/>` for a line break, and `<span id="xN"/>` for what sits in the text but is
not text (an image, a field, a tab, a footnote mark). Formatting is compared with the
paragraph's most common run formatting, leaving out Word's bookkeeping (revision ids, proofing
marks, language tags), so runs that differ only in those are one text. Writing parses the
translation's markup back (it must open and close what the source does, use each `xN` once and
only the source's link targets) and builds the runs from the source's own run properties.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from .docx_package import W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, RUN, T, RPR, PPR, HYPERLINK = q("p"), q("r"), q("t"), q("rPr"), q("pPr"), q("hyperlink")
_FLDCHAR, _INSTR, _FLDSIMPLE = q("fldChar"), q("instrText"), q("fldSimple")
_BREAKS = (q("br"), q("cr"))
_SKIPPED_IN_RUN = (q("lastRenderedPageBreak"),)
_MARKERS = frozenset(q(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                    "permStart", "permEnd", "proofErr"))
_TRACKED = frozenset(q(t) for t in ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveFromRangeEnd",
                                    "moveToRangeStart", "moveToRangeEnd"))
_TRANSPARENT = frozenset(q(t) for t in ("smartTag",))
_BOOKKEEPING = frozenset(q(t) for t in ("lang", "noProof", "proofErr"))
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
        elif tag in _TRACKED:
            para.translatable = False  # tracked changes: accepted or rejected by a person first
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
        if tag == T:
            _text(para, child.text or "", rpr, link)
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


# --- writing ---------------------------------------------------------------------------------

class MarkupError(ValueError):
    """A translation whose markup the paragraph cannot carry; the message says why."""


_TOKEN = re.compile(r'\\[\\*\[\]<]|\*{1,3}|\[|\]\((?:<[^<>\n]*>|[^()\s<>]*)\)|</?(?:u|sup|sub|s)>'
                    r'|<span id="g\d+">|</span>|<span id="x\d+"/>|<br/>')


@dataclass
class _Out:
    kind: str
    text: str = ""
    classes: tuple[str, ...] = ()
    link: int = -1
    opaque: int = 0


def parse_markup(text: str, para: Paragraph) -> list[_Out]:
    """The pieces a translation asks for; MarkupError when it breaks the source's markup."""
    out: list[_Out] = []
    stack: list[str] = []
    link = -1
    used: set[int] = set()
    at = 0
    for match in _TOKEN.finditer(text):
        if match.start() > at:
            _add_text(out, text[at:match.start()], stack, link)
        at = match.end()
        token = match.group(0)
        if token.startswith("\\"):
            _add_text(out, token[1:], stack, link)
        elif token.startswith("*"):
            if stack and stack[-1] == token:
                stack.pop()
            else:
                stack.append(token)
        elif token == "[":
            if link != -1 or stack and "[" in stack:
                raise MarkupError("a link inside a link")
            stack.append("[")
            link = -2
        elif token.startswith("]("):
            if not stack or stack[-1] != "[":
                raise MarkupError(f"emphasis or a tag left open inside the link text before {token}")
            stack.pop()
            target = token[2:-1].strip("<>") if token[2:3] == "<" else token[2:-1]
            if target not in para.targets:
                raise MarkupError(f"link target {target!r} is not one of the source's")
            index = para.targets.index(target)
            for item in out:
                if item.link == -2:
                    item.link = index
            link = -1
        elif token == "<br/>":
            out.append(_Out("break", classes=tuple(stack), link=link))
        elif token.startswith('<span id="x'):
            number = int(token[11:-3])
            if number in used or number > _opaque_count(para):
                raise MarkupError(f"{token} is not in the source, or is there twice")
            used.add(number)
            out.append(_Out("opaque", link=link, opaque=number))
        elif token.startswith("</"):
            name = "g" if token == "</span>" else token[2:-1]
            if not stack or (stack[-1][:1] if name == "g" else stack[-1]) != name:
                raise MarkupError(f"{token} closes what is not open")
            stack.pop()
        else:
            cls = token[10:-2] if token.startswith("<span") else token[1:-1]
            if cls.startswith("g") and cls not in para.classes:
                raise MarkupError(f'<span id="{cls}"> is not in the source')
            stack.append(cls)
    if at < len(text):
        _add_text(out, text[at:], stack, link)
    if stack:
        raise MarkupError(f"{stack[-1]!r} is opened and never closed")
    missing = sorted(set(range(1, _opaque_count(para) + 1)) - used)
    if missing:
        raise MarkupError(f'<span id="x{missing[0]}"/> (an image, field, tab or note mark of the source) is missing')
    return out


def _middle(para: Paragraph) -> list[Piece]:
    return para.pieces[para.head:len(para.pieces) - para.tail]


def _opaque_count(para: Paragraph) -> int:
    return sum(1 for p in _middle(para) if p.kind == "opaque")


def _add_text(out: list[_Out], text: str, stack: list[str], link: int) -> None:
    classes = tuple(c for c in stack if c != "[")
    if out and out[-1].kind == "text" and out[-1].classes == classes and out[-1].link == link:
        out[-1].text += text
    else:
        out.append(_Out("text", text, classes, link))


def rewrite(para: Paragraph, translation: str) -> list[etree._Element]:
    """Replace the paragraph's content by the translation; return the new run properties."""
    wanted = parse_markup(translation, para)
    opaques = [p for p in _middle(para) if p.kind == "opaque"]
    p = para.element
    content: list[etree._Element] = []
    made: list[etree._Element] = []
    for piece in para.pieces[:para.head]:
        content.extend(_kept(piece))
    current: etree._Element | None = None
    current_link = -1
    for item in wanted:
        if item.link != current_link or current is None:
            current_link = item.link
            if item.link >= 0:
                source = para.links[item.link]
                current = etree.Element(source.tag, dict(source.attrib), nsmap=None)
                content.append(current)
            else:
                current = None
        target = current
        for node in _nodes(item, para, opaques, made):
            if target is not None:
                target.append(node)
            else:
                content.append(node)
    for piece in para.pieces[len(para.pieces) - para.tail:]:
        content.extend(_kept(piece))
    for child in list(p):
        if child.tag != PPR:
            p.remove(child)
    kept = [m for m in para.markers if not (isinstance(m.tag, str) and m.tag == q("proofErr"))]
    leading = [m for m in para.markers[:para.leading] if m in kept]
    trailing = [m for m in kept if m not in leading]
    for node in [*leading, *content, *trailing]:
        p.append(node)
    return made


def _nodes(item: _Out, para: Paragraph, opaques: list[Piece], made: list[etree._Element]) -> list[etree._Element]:
    if item.kind == "opaque":
        return _kept(opaques[item.opaque - 1])
    run = etree.Element(RUN)
    rpr = _properties(item, para)
    if rpr is not None:
        run.append(rpr)
        made.append(rpr)
    if item.kind == "break":
        etree.SubElement(run, q("br"))
        return [run]
    _fill(run, item.text)
    return [run]


def _kept(piece: Piece) -> list[etree._Element]:
    """The source's own elements of a piece that is not text (a break of the head or tail too)."""
    if piece.runs:
        return list(piece.runs)
    if piece.whole_run and piece.element is not None:
        return [piece.element]
    run = etree.Element(RUN)
    if piece.rpr is not None:
        run.append(copy.deepcopy(piece.rpr))
    if piece.element is not None:
        run.append(piece.element)
    else:
        etree.SubElement(run, q("br"))
    return [run]


def _fill(run: etree._Element, text: str) -> None:
    """Text as w:t elements, with Word's elements for non-breaking and soft hyphens."""
    buffer = ""
    for char in text:
        if char in _ELEMENT_OF:
            _t(run, buffer)
            buffer = ""
            etree.SubElement(run, _ELEMENT_OF[char])
        else:
            buffer += char
    _t(run, buffer)


def _t(run: etree._Element, text: str) -> None:
    if not text:
        return
    node = etree.SubElement(run, T)
    node.text = text
    if text != text.strip() or "  " in text:
        node.set(XML_SPACE, "preserve")


def _properties(item: _Out, para: Paragraph) -> etree._Element | None:
    """A new run's properties: its container's own, with each class's differences on top."""
    base = para.bases.get(item.link if item.link >= 0 else -1)
    start = base
    for cls in item.classes:
        if cls.startswith("g"):
            start = para.classes[cls][1]
    rpr = copy.deepcopy(start) if start is not None else etree.Element(RPR)
    base_key = rpr_key(base)
    for cls in item.classes:
        if cls.startswith("g"):
            continue
        found = para.classes.get(cls)
        extras = [copy.deepcopy(c) for c in found[1] if (c.tag, _attrs(c)) not in base_key] \
            if found is not None and found[1] is not None else _simple(cls)
        for extra in extras:
            for old in rpr.findall(extra.tag):
                rpr.remove(old)
            rpr.append(extra)
    order_children(rpr, RPR_ORDER)
    return rpr


def _attrs(child: etree._Element) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in child.attrib.items() if "rsid" not in k))


def _simple(cls: str) -> list[etree._Element]:
    made = []
    for tag, attrs in _SIMPLE.get(cls, ()):
        made.append(etree.Element(tag, dict(attrs)))
    return made


RPR_ORDER = [q(t) for t in (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")]
PPR_ORDER = [q(t) for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")]
SECT_ORDER = [q(t) for t in (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
    "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")]


def order_children(parent: etree._Element, order: list[str]) -> None:
    """Children in the schema's order (Word refuses others); unknown ones keep their place at the end."""
    rank = {tag: i for i, tag in enumerate(order)}
    children = list(parent)
    ranked = sorted(children, key=lambda c: rank.get(c.tag, len(order)) if isinstance(c.tag, str) else len(order))
    if ranked != children:
        for child in children:
            parent.remove(child)
        for child in ranked:
            parent.append(child)


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """The child `tag` of `parent`, created in its schema position when missing."""
    found = parent.find(tag)
    if found is None:
        found = etree.SubElement(parent, tag)
        order_children(parent, order)
    return found
