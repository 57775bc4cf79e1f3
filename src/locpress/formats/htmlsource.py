"""Web-page releases (.html): translated in place, every byte outside the translated text kept.

The page is tokenized once by the standard library's HTML parser (which knows where script
and style contents end); each token's source offset is kept. The text between two block
boundaries (any element that is not inline: p, h1, li, td, div, …) is one unit, inline tags
and all, so a sentence keeps its `<a href>` or `<strong>` as a Markdown one keeps its
`[link]()` or `**`; the `html` check makes sure a translation keeps them too. The page's
`<title>`, `<meta name="description">` (and Open Graph / Twitter title and description),
and the `alt`, `title`, `aria-label` and `placeholder` attributes of elements outside those
texts are units of their own. Nothing inside script, style, pre, code blocks (`pre`),
textarea, svg, math or an element marked `translate="no"` is touched.

Building renders the same units and sets `<html lang dir>` for the locale; with identity
translations the page is byte-identical apart from those two attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser

from locpress.errors import BuildError, SourceError
from locpress.formats.document import (
    Document,
    Encoding,
    Lines,
    Sentence,
    Splitter,
    Unit,
    has_prose,
    normalize,
    render,
    split_pieces,
)

INLINE = frozenset(
    "a abbr acronym b bdi bdo big br cite code data del dfn em font i img ins kbd label mark q rp rt ruby s samp "
    "small span strike strong sub sup time tt u var wbr".split())
_RAW = frozenset("script style pre textarea svg math template noscript iframe object select".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_META = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
_RTL = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
_HTML_TAG = re.compile(r"<html(?=[\s/>])[^>]*>", re.I)
_ATTR = re.compile(r"""(\s)(xml:lang|lang|dir)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


class _Tokens(HTMLParser):
    """(offset, kind, tag, attributes) for every token of a page, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        # the parser counts lines by "\n" only (a lone "\r" is not a line end to it)
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.events: list[tuple[int, str, str, list[tuple[str, str | None]]]] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((self._at(), "start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((self._at(), "startend", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.events.append((self._at(), "end", tag, []))

    def handle_data(self, data: str) -> None:
        self.events.append((self._at(), "data", "", []))

    def handle_entityref(self, name: str) -> None:
        self.events.append((self._at(), "data", "", []))

    def handle_charref(self, name: str) -> None:
        self.events.append((self._at(), "data", "", []))

    def handle_comment(self, data: str) -> None:
        self.events.append((self._at(), "comment", "", []))

    def handle_decl(self, decl: str) -> None:
        self.events.append((self._at(), "other", "", []))

    def handle_pi(self, data: str) -> None:
        self.events.append((self._at(), "other", "", []))

    def unknown_decl(self, data: str) -> None:
        self.events.append((self._at(), "other", "", []))


def _tokens(text: str, path: str) -> list[tuple[int, int, str, str, list[tuple[str, str | None]]]]:
    parser = _Tokens(text)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # the parser's own complaints about broken markup
        raise SourceError(f"HTML the parser cannot read: {exc}", path) from None
    events = parser.events
    ends = [e[0] for e in events[1:]] + [len(text)]
    return [(start, end, kind, tag, attrs) for (start, kind, tag, attrs), end in zip(events, ends)]


def attribute_encoder(quote: str) -> Callable[[str], str]:
    """How a translation is written into an attribute value quoted with `quote` (or none)."""

    def encode(value: str) -> str:
        value = value.replace("\n", " ")
        if quote == '"':
            return value.replace('"', "&quot;")
        if quote == "'":
            return value.replace("'", "&#39;")
        return value.replace('"', "&quot;").replace("'", "&#39;").replace(" ", "&#32;").replace(">", "&gt;")

    encode.region = quote  # type: ignore[attr-defined]  # how the parse cache rebuilds it
    return encode


def parse(text: str, path: str, split: Splitter) -> Document:
    """Walk a page once and record its translatable units."""
    tokens = _tokens(text, path)
    lines = Lines.of(text)
    units: list[Unit] = []
    raw: list[str] = []  # open elements whose content stays as it is
    in_head = False
    title = False
    segment: list[tuple[int, int]] = []
    comments: set[tuple[int, int]] = set()

    def flush(kind: str) -> None:
        while segment and segment[-1] in comments:
            segment.pop()  # a comment at either end is frame
        if segment:
            unit = _text_unit(text, segment[0][0], segment[-1][1], kind, split, lines)
            if unit is not None:
                units.append(unit)
            segment.clear()

    block = "paragraph"
    for start, end, kind, tag, attrs in tokens:
        if raw:
            if kind == "end" and tag == raw[-1]:
                raw.pop()
            elif kind == "start" and tag == raw[-1]:
                raw.append(tag)
            continue
        if kind == "start" and tag not in _VOID and (
                tag in _RAW or tag not in INLINE and dict(attrs).get("translate") == "no"):
            flush(block)
            raw.append(tag)
            continue
        if tag == "head":
            in_head = kind == "start"
        if tag == "title":
            flush(block)
            title = kind == "start"
            block = "title" if title else "paragraph"
            continue
        inline = tag in INLINE or kind in ("data", "comment")
        if inline and (not in_head or title):
            if kind == "comment":
                comments.add((start, end))
            if kind == "data" and (text[start:end].strip() or segment) or kind not in ("data", "comment") \
                    or kind == "comment" and segment:
                segment.append((start, end))
            if kind != "data" and kind != "comment":
                units.extend(_attribute_units(text, start, end, tag, attrs, split, lines))
            continue
        flush(block)
        block = _kind(tag) if kind == "start" else "paragraph"
        if kind in ("start", "startend"):
            units.extend(_attribute_units(text, start, end, tag, attrs, split, lines))
    flush(block)
    units = _outside_texts(units)
    units.sort(key=lambda u: u.start)
    return Document(path=path, text=text, format="html", units=tuple(units))


def _kind(tag: str) -> str:
    if re.fullmatch(r"h[1-6]", tag):
        return "heading"
    return {"li": "list item", "td": "table cell", "th": "table cell", "blockquote": "block quote",
            "figcaption": "caption", "caption": "caption", "dt": "term", "dd": "definition"}.get(tag, "paragraph")


def _text_unit(text: str, start: int, end: int, kind: str, split: Splitter, lines: Lines) -> Unit | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not has_prose(_without_comments(stripped)):
        return None
    start += len(piece) - len(piece.lstrip())
    sentences = split_pieces(text, [(start, start + len(stripped))], split, lines)
    if not any(s.translatable for s in sentences):
        return None
    return Unit(kind=kind, start=sentences[0].start, end=sentences[-1].end, sentences=tuple(sentences),
                encoding=Encoding.PLAIN)


def _without_comments(text: str) -> str:
    out: list[str] = []
    at = 0
    while True:
        begin = text.find("<!--", at)
        if begin < 0:
            return "".join(out) + text[at:]
        end = text.find("-->", begin + 4)
        out.append(text[at:begin])
        if end < 0:
            return "".join(out)
        at = end + 3


_VALUE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def _attribute_units(text: str, start: int, end: int, tag: str, attrs: list[tuple[str, str | None]],
                     split: Splitter, lines: Lines) -> list[Unit]:
    """Units for the translatable attributes of one start tag."""
    names = dict(attrs)
    wanted = set(_ATTRIBUTES)
    if tag == "meta" and (names.get("name") or names.get("property") or "").lower() in _META:
        wanted = {"content"}
    found = []
    source = text[start:end]
    at = len(tag) + 1
    for match in _VALUE.finditer(source, at):
        name, value = match.group(1).lower(), match.group(2)
        if name not in wanted or not value:
            continue
        quote = value[0] if value[0] in "\"'" else ""
        offset = start + match.start(2) + len(quote)
        content = value[len(quote):len(value) - len(quote)]
        body = content.strip()
        if not body or not has_prose(body) or "\n" in body:
            continue
        offset += len(content) - len(content.lstrip())
        spans = split(body)
        line = lines.line_of(offset) + 1
        sentences = tuple(Sentence(normalize(body[a:b]), a, b, line, has_prose(body[a:b])) for a, b in spans)
        found.append(Unit(kind=f"{tag} {name}", start=offset,
                          end=offset + len(body), sentences=sentences, encoding=Encoding.YAML,
                          encode=attribute_encoder(quote)))
    return found


def _outside_texts(units: list[Unit]) -> list[Unit]:
    """Attribute units that lie inside a text unit are translated with its text: drop them."""
    texts = [(u.start, u.end) for u in units if u.encoding is Encoding.PLAIN]
    return [u for u in units if u.encoding is Encoding.PLAIN
            or not any(a <= u.start and u.end <= b for a, b in texts)]


# --- build -----------------------------------------------------------------------------------

def html_lang(locale: str) -> str:
    return locale.replace("_", "-")


def build(doc: Document, translations: Mapping[str, str], locale: str, joiner: str) -> str:
    """The page with every reviewed translation in place and `<html lang dir>` for the locale."""
    text = render(doc, translations.get, joiner)
    text = set_language(text, locale)
    if text != doc.text:
        verify(doc, text)
    return text


def set_language(text: str, locale: str) -> str:
    """`lang` and `dir` of the page's `<html>` element, added or replaced, and its `xml:lang`
    (an XHTML page's) replaced where there is one; nothing else."""
    match = _HTML_TAG.search(text)
    if match is None:
        return text
    tag = match.group(0)
    values = {"lang": html_lang(locale), "dir": "rtl" if locale.split("_")[0] in _RTL else "ltr"}
    values["xml:lang"] = values["lang"]
    seen: set[str] = set()

    def replace(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        seen.add(name)
        quote = m.group(4)[0] if m.group(4)[0] in "\"'" else '"'
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{quote}{values[name]}{quote}"

    new = _ATTR.sub(replace, tag)
    extra = "".join(f' {name}="{values[name]}"' for name in ("lang", "dir") if name not in seen)
    cut = len(new) - (2 if new.endswith("/>") else 1)
    new = new[:cut] + extra + new[cut:]
    return text[:match.start()] + new + text[match.end():]


def _shape(text: str, path: str) -> list[tuple[str, str]]:
    return [(kind, tag) for _s, _e, kind, tag, _a in _tokens(text, path)
            if kind in ("start", "end", "startend") and tag not in INLINE]


def verify(doc: Document, text: str) -> None:
    """Raise BuildError when a translation changed the page's block structure."""
    want, got = _shape(doc.text, doc.path), _shape(text, doc.path)
    if want != got:
        index = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        expected = "<{}{}>".format("/" if want[index][0] == "end" else "", want[index][1]) \
            if index < len(want) else "end of page"
        found = "<{}{}>".format("/" if got[index][0] == "end" else "", got[index][1]) \
            if index < len(got) else "end of page"
        raise BuildError(f"built page changes the structure of the source (element {index + 1}: "
                         f"expected {expected}, got {found})", doc.path)
