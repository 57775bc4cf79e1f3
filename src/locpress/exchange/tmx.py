"""TMX 1.4: translation memory exchange with CAT tools (OmegaT, Trados, memoQ).

Segments are plain text in which Markdown inline markup stays as written, so a unit reads
`[the appeal](https://…) is **41%** funded`; on import, TMX inline elements (`<bpt>`,
`<ept>`, `<ph>`, `<it>`, `<hi>`, `<ut>`, `<sub>`) give back their text, so the native code
they wrap is kept too. Languages are written as BCP 47 tags (`ko`, `zh-Hans`, `pt-BR`); on
import a variant maps to the configured locale it narrows (`ko-KR` to `ko`, `zh-CN` to
`zh_Hans`). XML is read only with defusedxml, which refuses entity declarations (the
"billion laughs") and external entities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from babel import Locale, UnknownLocaleError
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from locpress import __version__
from locpress.errors import LocpressError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: A unit that locpress does not count as reviewed (an alignment not trusted, say).
REVIEWED_PROP = "x-locpress-reviewed"
ORIGIN_PROP = "x-locpress-origin"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class ExchangeError(LocpressError):
    """A TMX or XLIFF file that cannot be read, or refused as unsafe."""


@dataclass(frozen=True)
class TmxUnit:
    """One source text and its translation into one locale."""

    source: str
    target: str
    locale: str
    reviewed: bool = True
    origin: str = ""


@dataclass
class TmxRead:
    """What an import found: units per configured locale, and what it skipped."""

    units: list[TmxUnit] = field(default_factory=list)
    other_languages: Counter[str] = field(default_factory=Counter)
    incomplete: int = 0  # units without a source segment or any target


# --- language codes -------------------------------------------------------------------------

def bcp47(locale: str) -> str:
    """`zh_Hans` -> `zh-Hans`: the form TMX and XLIFF use."""
    return locale.replace("_", "-")


def locale_for(code: str, locales: Sequence[str]) -> str | None:
    """The configured locale a language tag names, or None.

    Exact forms first (`zh-Hans`, `ko`); then the most specific configured locale the tag
    narrows: same language, and the same script and territory where the locale has one
    (Babel fills in the likely script, so `zh-CN` is `zh_Hans_CN`).
    """
    wanted = _parse(code)
    if wanted is None:
        return None
    best: tuple[int, str] | None = None
    for locale in locales:
        have = _parse(locale)
        if have is None or have.language != wanted.language:
            continue
        if have.script and have.script != wanted.script or have.territory and have.territory != wanted.territory:
            continue
        rank = bool(have.script) + bool(have.territory)
        if best is None or rank > best[0]:
            best = (rank, locale)
    return best[1] if best else None


def _parse(code: str) -> Locale | None:
    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


# --- writing --------------------------------------------------------------------------------

def escape(text: str, quote: bool = False) -> str:
    """XML character data (and, with `quote`, an attribute value)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def writable(text: str) -> bool:
    """Whether XML 1.0 can carry the text (it cannot carry most control characters)."""
    return _NOT_XML.search(text) is None


def write_tmx(units: Iterable[TmxUnit], source_locale: str) -> tuple[str, int]:
    """A TMX 1.4 document of the units, and how many were left out (text XML cannot carry)."""
    source = bcp47(source_locale)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
             f'  <header creationtool="locpress" creationtoolversion="{__version__}" datatype="plaintext" '
             f'segtype="sentence" adminlang="en" srclang="{escape(source, True)}" o-tmf="locpress"/>', "  <body>"]
    skipped = 0
    for unit in units:
        if not (writable(unit.source) and writable(unit.target)):
            skipped += 1
            continue
        lines.append("    <tu>")
        if unit.origin:
            lines.append(f'      <prop type="{ORIGIN_PROP}">{escape(unit.origin)}</prop>')
        if not unit.reviewed:
            lines.append(f'      <prop type="{REVIEWED_PROP}">no</prop>')
        for lang, text in ((source, unit.source), (bcp47(unit.locale), unit.target)):
            lines.append(f'      <tuv xml:lang="{escape(lang, True)}"><seg>{escape(text)}</seg></tuv>')
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines), skipped


# --- reading --------------------------------------------------------------------------------

def parse_xml(data: bytes, path: str) -> Element:
    """The root element, read with defusedxml; a one-line error naming path and line."""
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        line = _line_of(data, (b"<!ENTITY", b"<!DOCTYPE"))
        raise ExchangeError(f"refused: {type(exc).__name__} (entity declarations and external "
                            "references are not read)", path, line) from None
    except ParseError as exc:
        raise ExchangeError(f"not well-formed XML: {_reason(exc)}", path, exc.position[0]) from None


def _reason(exc: ParseError) -> str:
    return str(exc).split(": line")[0]


def _line_of(data: bytes, needles: Sequence[bytes]) -> int:
    found = [data.find(n) for n in needles if data.find(n) >= 0]
    return data.count(b"\n", 0, min(found)) + 1 if found else 1


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element) -> str:
    """All text of a segment, inline elements' native code included, in document order."""
    return "".join(element.itertext())


def read_tmx(data: bytes, path: str, source_locale: str, locales: Sequence[str]) -> TmxRead:
    """The units of a TMX document for the configured locales.

    The source segment of a unit is the one in the header's `srclang` (or, for `*all*`, in
    the project's source language).
    """
    root = parse_xml(data, path)
    if local(root.tag) != "tmx":
        raise ExchangeError(f"not a TMX file: the root element is <{local(root.tag)}>", path, 1)
    header = next((e for e in root if local(e.tag) == "header"), None)
    srclang = header.get("srclang", "*all*") if header is not None else "*all*"
    source_language = source_locale if srclang == "*all*" else srclang
    body = next((e for e in root if local(e.tag) == "body"), None)
    found = TmxRead()
    for tu in body if body is not None else ():
        if local(tu.tag) == "tu":
            _read_unit(tu, source_language, locales, found)
    return found


def _read_unit(tu: Element, source_language: str, locales: Sequence[str], found: TmxRead) -> None:
    props = {e.get("type"): (e.text or "") for e in tu if local(e.tag) == "prop"}
    reviewed = props.get(REVIEWED_PROP, "yes").strip().lower() != "no"
    source, targets = None, []
    for tuv in tu:
        if local(tuv.tag) != "tuv":
            continue
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        seg = next((e for e in tuv if local(e.tag) == "seg"), None)
        text = text_of(seg) if seg is not None else ""
        if not text.strip():
            continue
        if source is None and _same_language(lang, source_language):
            source = text
        else:
            targets.append((lang, text))
    matched = [(locale_for(lang, locales), lang, text) for lang, text in targets]
    if source is None or not targets:
        found.incomplete += 1
        return
    for locale, lang, text in matched:
        if locale is None:
            found.other_languages[lang] += 1
        else:
            found.units.append(TmxUnit(source, text, locale, reviewed, props.get(ORIGIN_PROP, "")))


def _same_language(code: str, language: str) -> bool:
    a, b = _parse(code), _parse(language)
    if a is None or b is None:
        return code.lower() == language.lower()
    return a.language == b.language
