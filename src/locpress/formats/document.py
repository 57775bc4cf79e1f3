"""The parsed release: its text, and the translatable units found in one walk of it.

A reader (Markdown or plain text) walks the source once and records, for every block of
translatable text, a `Unit`: where it sits in the source and the sentences it holds. The
same units serve extraction (their sentences become msgids) and reassembly (`render` splices
translations into the untouched frame), so the two can never drift apart.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from locpress.formats.spans import (
    AUTOLINK,
    EMAIL,
    ENTITY,
    LINK_TARGET,
    REF_LABEL,
    TAG,
    URL,
    code_spans,
    masked,
)

Lookup = Callable[[str], "str | None"]
Splitter = Callable[[str], list[tuple[int, int]]]

LINE_END = re.compile(r"\r\n|\r|\n")
_NEWLINE_SPACE = re.compile(r"(?<![ \t])[ \t]*(?:(?:\r\n|\r|\n)[ \t]*)+")  # one try per blank run: linear
# HTML block starts (CommonMark 4.6, conditions 1-7): raw HTML at a line start opens a block.
_HTML_BLOCK = (
    r"<(?i:script|pre|style|textarea)(?=[\s>]|$)|<!|<\?"
    r"|</?(?i:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd"
    r"|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]"
    r"|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup"
    r"|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)"
    r"(?=[\s/>]|$)"
    r"|(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$"
)
# Line starts that a translation must not create inside a paragraph (they would open a block):
# headings, list items, block quotes, setext underlines, thematic breaks, fences, ordered
# list items, HTML blocks, link reference definitions and table delimiter rows.
_BLOCK_START = re.compile(
    r"#{1,6}(?=[ \t]|$)|[-+*](?=[ \t]|$)|>|[=-]+[ \t]*$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$"
    r"|`{3,}|~{3,}|\d{1,9}(?=[.)](?:[ \t]|$))|" + _HTML_BLOCK + r"|\[[^\]]*\]:|[|:-][|: \t-]*$"
)


class Encoding(Enum):
    """How a unit's translation is written back into the document."""

    MARKDOWN = "markdown"  # inline Markdown in a paragraph, heading or list item
    TABLE_CELL = "table cell"  # inline Markdown where `|` must be escaped
    ABOVE_RULE = "above rule"  # inline Markdown over a line like `---`, where `|` would start a table
    PLAIN = "plain"  # a line of a plain-text release
    YAML = "yaml"  # a front-matter scalar, re-quoted by the reader's encoder


@dataclass(frozen=True)
class Sentence:
    """One segment: its msgid and where its original text lies in the source."""

    text: str
    start: int
    end: int
    line: int
    translatable: bool = True


@dataclass(frozen=True)
class Unit:
    """A run of translatable text: a block's inline content or a front-matter value.

    `start`/`end` delimit the source text the unit replaces. For inline encodings the
    sentences carry source offsets and the text between them (separators) is kept; a
    separator listed in `hard_breaks` (after sentence i) is a hard line break and is always
    kept. For YAML the reader's `encode` turns the joined translation into a scalar.
    """

    kind: str
    start: int
    end: int
    sentences: tuple[Sentence, ...]
    encoding: Encoding
    hard_breaks: frozenset[int] = frozenset()
    encode: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Document:
    """A source release as the stages see it."""

    path: str
    text: str
    format: str
    units: tuple[Unit, ...]

    def segments(self) -> list[tuple[Sentence, Unit]]:
        """Every translatable sentence with the unit that holds it, in document order."""
        return [(s, u) for u in self.units for s in u.sentences if s.translatable]


def to_data(doc: Document) -> list[Any]:
    """The units of a document as JSON-ready lists (the text itself is not included), so a
    later command can skip parsing a release that has not changed."""
    return [[u.kind, u.start, u.end, u.encoding.value, sorted(u.hard_breaks), getattr(u.encode, "region", None),
             [[s.text, s.start, s.end, s.line, s.translatable] for s in u.sentences]] for u in doc.units]


def from_data(path: str, text: str, format: str, data: list[Any],
              encoder: Callable[[str], Callable[[str], str]]) -> Document:
    """The document `to_data` described; `encoder` rebuilds a YAML value's encoder from its
    source region (the reader's own, so both ways write values alike)."""
    units = []
    for kind, start, end, encoding, hard, region, sentences in data:
        units.append(Unit(kind=str(kind), start=int(start), end=int(end), encoding=Encoding(encoding),
                          hard_breaks=frozenset(hard), encode=encoder(region) if region is not None else None,
                          sentences=tuple(Sentence(*fields) for fields in sentences)))
    return Document(path=path, text=text, format=format, units=tuple(units))


@dataclass(frozen=True)
class Lines:
    """Line starts and ends (without the line break) of a text, 0-based."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> Lines:
        starts, ends = [0], []
        for match in LINE_END.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        return cls(starts, ends)

    def text(self, source: str, index: int) -> str:
        return source[self.starts[index]:self.ends[index]]

    def line_of(self, offset: int) -> int:
        """0-based index of the line holding `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1


# Constructs whose letters are not prose: tags, autolinks, link targets, URLs, e-mail, entities
# (code spans are masked first). The patterns are spans.py's.
_NOT_PROSE = re.compile("|".join(p.pattern for p in (AUTOLINK, TAG, LINK_TARGET, REF_LABEL, URL, EMAIL, ENTITY)))
_LETTER = re.compile(r"[^\W\d_]")


def has_prose(text: str) -> bool:
    """Whether the text has letters outside code, markup, link targets and addresses."""
    if not _LETTER.search(text):
        return False
    if "`" in text:
        text = masked(text, code_spans(text))
    return bool(_LETTER.search(_NOT_PROSE.sub(" ", text)))


def split_pieces(source: str, pieces: list[tuple[int, int]], split: Splitter, lines: Lines) -> list[Sentence]:
    """Sentences of consecutive source pieces (the content of each line of a block).

    The pieces are joined with newlines (soft breaks), split, and each sentence is mapped
    back to source offsets, so its original slice spans the container prefixes between.
    """
    origin: list[tuple[int, int]] = []  # (offset in the joined text, offset in the source)
    at = 0
    for start, end in pieces:
        origin.append((at, start))
        at += end - start + 1
    joined = "\n".join(source[a:b] for a, b in pieces)
    sentences = []
    starts = [joined_at for joined_at, _ in origin]
    for a, b in split(joined):
        src_a, src_b = _to_source(origin, starts, a), _to_source(origin, starts, b - 1) + 1
        piece = joined[a:b]
        sentences.append(Sentence(normalize(piece), src_a, src_b, lines.line_of(src_a) + 1, has_prose(piece)))
    return sentences


def _to_source(origin: list[tuple[int, int]], starts: list[int], offset: int) -> int:
    """The source offset of a joined-text offset: found by bisection (a scan per sentence
    was quadratic on a paragraph of many short lines, each its own sentence)."""
    index = bisect.bisect_right(starts, offset) - 1
    if index < 0:
        return origin[0][1] + offset
    joined_at, source_at = origin[index]
    return source_at + offset - joined_at


def normalize(text: str) -> str:
    """The msgid form of a source slice: soft line breaks become single spaces."""
    return _NEWLINE_SPACE.sub(" ", text) if "\n" in text else text


def render(doc: Document, lookup: Lookup, joiner: str = " ") -> str:
    """The document with every sentence replaced by `lookup(msgid)` when that is not None.

    With a lookup that returns None (or the msgid itself) everywhere, the result is the
    source, byte for byte. `joiner` is how the target locale separates sentences ("" for
    Chinese and Japanese).
    """
    out: list[str] = []
    pos = 0
    for unit in doc.units:
        out.append(doc.text[pos:unit.start])
        out.append(_render_unit(doc.text, unit, lookup, joiner))
        pos = unit.end
    out.append(doc.text[pos:])
    return "".join(out)


def _translation(sentence: Sentence, lookup: Lookup) -> str | None:
    """The new text of a sentence, or None when the source text stays.

    A blank translation is no translation: writing it would delete the sentence (and an
    emptied paragraph would vanish from the structure).
    """
    if not sentence.translatable:
        return None
    found = lookup(sentence.text)
    if found is None or found == sentence.text or not found.strip():
        return None
    return found


def _render_unit(source: str, unit: Unit, lookup: Lookup, joiner: str) -> str:
    found = [_translation(s, lookup) for s in unit.sentences]
    original = source[unit.start:unit.end]
    if all(t is None for t in found):
        return original
    if unit.encoding is Encoding.YAML:
        assert unit.encode is not None
        parts = [t if t is not None else s.text for s, t in zip(unit.sentences, found)]
        return unit.encode(joiner.join(p.strip() for p in parts))
    return _render_inline(source, unit, found, joiner)


def _render_inline(source: str, unit: Unit, found: list[str | None], joiner: str) -> str:
    """Splice translations between the untouched frame and separators of an inline unit.

    Escaping works per line, not per sentence: a line that holds a translation and would
    open a block where it starts (the unit's start, or after a kept line break) is escaped,
    so `**` and `*` translated on one line never make the thematic break `** *`.
    """
    out = [source[unit.start:unit.sentences[0].start]]
    line: list[str] = []  # the pieces of the current output line
    translated_start = False  # whether that line starts with a translation

    def end_line() -> None:
        text = "".join(line)
        out.append(_escape_line_start(text) if translated_start and unit.encoding is not Encoding.PLAIN else text)
        line.clear()

    for i, (sentence, new) in enumerate(zip(unit.sentences, found)):
        if i:
            gap = source[unit.sentences[i - 1].end:sentence.start]
            changed = new is not None or found[i - 1] is not None
            separator = _separator(gap, i - 1 in unit.hard_breaks, changed, joiner, new)
            if LINE_END.search(separator):
                end_line()
                out.append(separator)
            else:
                line.append(separator)
        if not line:
            translated_start = new is not None
        line.append(source[sentence.start:sentence.end] if new is None else _escape(new, unit.encoding, False))
    end_line()
    out.append(source[unit.sentences[-1].end:unit.end])
    return "".join(out)


def _separator(gap: str, hard: bool, changed: bool, joiner: str, following: str | None) -> str:
    """The text between two sentences once one of them is translated.

    A soft line break before a translation that would open a block becomes a space (the
    same rendering, no escape needed); a hard break is always kept.
    """
    if hard or not changed:
        return gap
    if joiner == "":
        return ""
    if LINE_END.search(gap) and following is not None and _BLOCK_START.match(following.strip()):
        return " "
    return gap


def _escape(text: str, encoding: Encoding, line_start: bool) -> str:
    """Make a translation safe where it lands: one line, no new block or table cell.

    Surrounding white space goes too: leading spaces could make an indented code block and
    trailing ones a hard line break.
    """
    text = _NEWLINE_SPACE.sub(" ", text.strip())
    if encoding is Encoding.TABLE_CELL:
        text = re.sub(r"(?<!\\)\|", r"\\|", text)
        if text.endswith("\\"):  # `C:\` before `|` would escape the cell's closing pipe
            text += " "
    elif encoding is Encoding.ABOVE_RULE:
        text = _hide_pipes(text)
    if encoding is not Encoding.PLAIN and line_start:
        text = _escape_line_start(text)
    return text


def _escape_line_start(line: str) -> str:
    """A backslash where `line` would open a block (before the `.` of `2023.`, else first)."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    cut = match.end() if match.group(0)[0].isdigit() else match.start()
    return line[:cut] + "\\" + line[cut:]


def _hide_pipes(text: str) -> str:
    """`|` as `&#124;` outside code spans: even an escaped pipe makes a line over `---` a
    table header (markdown-it counts any `|`), an entity does not and renders the same."""
    out, at = [], 0
    for start, end in code_spans(text):
        out += [text[at:start].replace("|", "&#124;"), text[start:end]]
        at = end
    out.append(text[at:].replace("|", "&#124;"))
    return "".join(out)
