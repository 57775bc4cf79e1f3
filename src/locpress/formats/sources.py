"""Source releases: decoding, format dispatch, and the plain-text format.

A plain-text release is the form press offices paste from e-mail: the first line is the
headline, blank lines separate paragraphs, `- ` starts a list item, and a line that ends in a
space continues on the next one (format=flowed). Inside a paragraph that has sentence
punctuation, a line followed by one starting in lower case is a wrapped line too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from locpress.errors import SourceError
from locpress.formats import htmlsource, markdown
from locpress.formats.document import (
    Document,
    Encoding,
    Lines,
    Splitter,
    Unit,
    split_pieces,
)


@dataclass(frozen=True)
class Release:
    """A source release: `name` is its path under source/ without the extension."""

    name: str
    suffix: str

    @property
    def source(self) -> str:
        return f"{self.name}{self.suffix}"


FORMATS = (".md", ".txt", ".html", ".docx", ".docm")
BINARY_FORMATS = (".docx", ".docm")  # Word documents: read by docx.py from bytes, never decoded
FORMAT_NAMES = {".md": "md", ".txt": "txt", ".html": "html", ".docx": "docx", ".docm": "docx"}
LIST_MARKERS = ("- ", "* ")  # a leading "•" is part of the text (Golden Rule 37)
_TERMINAL = frozenset(".!?…")


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a source file, or a SourceError naming the first bad line.

    A byte order mark (Windows editors write one) is dropped: left in, it would hide the
    front matter and the first block from the readers and end up in the first msgid.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\0" in data:
        raise SourceError("binary file, not a text release", path, data[:data.index(b"\0")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SourceError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line) from None
    if not text.strip():
        raise SourceError("empty release: nothing to translate", path, 1)
    return text


def parse(text: str, path: str, split: Splitter, front_matter: Sequence[str]) -> Document:
    """Read a release in the format its extension names."""
    if path.endswith(".md"):
        return markdown.parse(text, path, split, front_matter)
    if path.endswith(".html"):
        return htmlsource.parse(text, path, split)
    return parse_text(text, path, split)


def parse_text(text: str, path: str, split: Splitter) -> Document:
    """Walk a plain-text release: a unit per headline, paragraph, list item or lone line."""
    lines = Lines.of(text)
    units: list[Unit] = []
    headline_done = False
    for block in _blocks(text, lines):
        terminal = any(c in _TERMINAL for i in block for c in lines.text(text, i))
        for group in _line_groups(text, lines, block, terminal):
            kind = "paragraph" if headline_done else "headline"
            unit = _text_unit(text, lines, group, kind, split)
            if unit is not None:
                units.append(unit)
                headline_done = True
    return Document(path=path, text=text, format="txt", units=tuple(units))


def _blocks(text: str, lines: Lines) -> list[list[int]]:
    blocks: list[list[int]] = [[]]
    for index in range(len(lines.starts)):
        if lines.text(text, index).strip():
            blocks[-1].append(index)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _line_groups(text: str, lines: Lines, block: list[int], terminal: bool) -> list[list[int]]:
    groups: list[list[int]] = []
    for index in block:
        line = lines.text(text, index)
        if groups and not _is_item(line) and _continues(lines.text(text, groups[-1][-1]), line, terminal):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _is_item(line: str) -> bool:
    return line.lstrip().startswith(LIST_MARKERS)


def _continues(previous: str, line: str, terminal: bool) -> bool:
    if previous.endswith((" ", "\t")):
        return True
    stripped = previous.rstrip()
    first = line.lstrip()[:1]
    return terminal and stripped[-1:] not in _TERMINAL | {":", ";"} and first.isalpha() and first.islower()


def _text_unit(text: str, lines: Lines, group: list[int], kind: str, split: Splitter) -> Unit | None:
    first_line = lines.text(text, group[0])
    if _is_item(first_line):
        kind = "list item"
    pieces = []
    for index in group:
        line = lines.text(text, index)
        skip = len(line) - len(line.lstrip())
        if index == group[0] and _is_item(line):
            skip += 2
        content = line[skip:].rstrip()
        start = lines.starts[index] + skip
        pieces.append((start, start + len(content)))
    sentences = split_pieces(text, pieces, split, lines)
    if not any(s.translatable for s in sentences):
        return None
    return Unit(kind=kind, start=sentences[0].start, end=sentences[-1].end,
                sentences=tuple(sentences), encoding=Encoding.PLAIN)
