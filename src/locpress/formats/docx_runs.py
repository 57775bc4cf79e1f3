"""A translation written back into a Word paragraph: its markup parsed, runs built from the source's.

The translation's markup (see docx_inline) must open and close what the source's does, use
each `<span id="xN"/>` once and link only to the source's targets; otherwise MarkupError says
why and nothing is written. Each text piece becomes a run whose properties are its
container's own (the paragraph's or the hyperlink's most common ones) with each markup's
differences on top, taken from the source run that had that markup. Everything that is not
text (fields, images, note marks, bookmarks, comments) is moved back, not copied.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

from locpress.formats.docx_inline import (
    _ELEMENT_OF,
    _SIMPLE,
    MOVE_RANGES,
    PPR,
    RPR,
    RUN,
    XML_SPACE,
    Paragraph,
    Piece,
    T,
    q,
    rpr_key,
)


class MarkupError(ValueError):
    """A translation whose markup the paragraph cannot carry; the message says why."""


_TOKEN = re.compile(r'\\[\\*\[\]<]|\*+|\[|\]\((?:<[^<>\n]*>|[^()\s<>]*)\)|</?(?:u|sup|sub|s)>'
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
    tokens = list(_TOKEN.finditer(text))
    openers = _link_openers(tokens)
    for match in tokens:
        if match.start() > at:
            _add_text(out, text[at:match.start()], stack, link)
        at = match.end()
        token = match.group(0)
        if token.startswith("\\"):
            _add_text(out, token[1:], stack, link)
        elif token.startswith("*"):
            _stars(token, stack)
        elif token == "[" and match.start() not in openers:  # no `](target)` closes it: text, as in Markdown
            _add_text(out, token, stack, link)
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


def _link_openers(tokens: list[re.Match[str]]) -> set[int]:
    """Where the `[` that a `](target)` closes are (the nearest one still open before it); any
    other `[` is text: `[sic]`, or pseudo-localization's brackets around a whole sentence."""
    open_at: list[int] = []
    openers: set[int] = set()
    for match in tokens:
        if match.group(0) == "[":
            open_at.append(match.start())
        elif match.group(0).startswith("](") and open_at:
            openers.add(open_at.pop())
    return openers


def _stars(token: str, stack: list[str]) -> None:
    """A run of asterisks. One that is the open emphasis closes it; one or two that are not
    open emphasis inside it (`*italic **and bold** italic*`). A longer run that starts with
    the open emphasis closes it and opens the rest, as a paragraph's markup writes two
    adjacent runs: `**bold *****bold italic***` (bold, then bold italic); the rest closes the
    emphasis under it instead when that is the same (`*a **b***`)."""
    top = stack[-1] if stack and stack[-1].startswith("*") else ""
    if token == top:
        stack.pop()
        return
    if len(token) >= 3 and top and token.startswith(top):
        stack.pop()
        token = token[len(top):]
        if stack and stack[-1] == token:
            stack.pop()
            return
    if len(token) > 3:
        raise MarkupError(f"{token!r}: more asterisks than emphasis can open")
    if token:
        stack.append(token)


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
    dropped = MOVE_RANGES | {q("proofErr")}  # a translated paragraph's move is accepted
    kept = [m for m in para.markers if not (isinstance(m.tag, str) and m.tag in dropped)]
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
    for change in rpr.findall(q("rPrChange")):
        rpr.remove(change)  # a written run's formatting is its own, not a tracked change
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
