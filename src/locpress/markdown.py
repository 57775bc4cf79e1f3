"""Markdown releases: CommonMark + GFM tables, with optional YAML front matter.

markdown-it-py finds the blocks; this module maps each block's inline content back to exact
source offsets, so reassembly keeps every byte of the frame (container prefixes, list
markers, indentation, hard breaks) untouched. A block whose content cannot be mapped with
certainty stays in the frame: it is never guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import Document, Encoding, Lines, Sentence, Splitter, Unit, has_prose, normalize, split_pieces
from .errors import SourceError


_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")
_PREFIX_CHARS = frozenset(" \t>#-+*0123456789.)")
@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def block_shape(text: str) -> list[tuple[str, str, int]]:
    """The block structure of a Markdown text, for comparing a build with its source."""
    body = text[front_matter_end(text)[0]:]
    return [(t.type, t.tag, t.level) for t in _parser().parse(body) if t.type != "inline"]


def front_matter_end(text: str) -> tuple[int, int]:
    """(offset of the body, number of front-matter lines), or (0, 0) when there is none."""
    if not text.startswith("---"):
        return 0, 0
    lines = Lines.of(text)
    if lines.text(text, 0).rstrip() != "---":
        return 0, 0
    count = len(lines.starts)
    first = next((lines.text(text, i) for i in range(1, count) if lines.text(text, i).strip()), "")
    if not _FRONT_KEY.match(first) and not first.startswith("#"):
        return 0, 0
    for index in range(1, count):
        if lines.text(text, index).rstrip() in ("---", "..."):
            end = lines.starts[index + 1] if index + 1 < count else len(text)
            return end, index + 1
    return 0, 0


def parse(text: str, path: str, split: Splitter, keys: Sequence[str]) -> Document:
    """Walk a Markdown release once and record its translatable units."""
    lines = Lines.of(text)
    body_start, fm_lines = front_matter_end(text)
    units: list[Unit] = []
    if fm_lines:
        units.extend(_front_matter_units(text, lines, fm_lines, path, split, keys))
    body = text[body_start:]
    tokens = _parser().parse(body)
    walker = _BlockWalker(text, lines, fm_lines, split)
    units.extend(walker.units(tokens))
    return Document(path=path, text=text, format="md", units=tuple(units))


class _BlockWalker:
    """Turns markdown-it block tokens into units with source offsets."""

    def __init__(self, text: str, lines: Lines, line_offset: int, split: Splitter) -> None:
        self.text = text
        self.lines = lines
        self.offset = line_offset
        self.split = split

    def units(self, tokens: list[Token]) -> list[Unit]:
        found: list[Unit] = []
        containers: list[str] = []
        row_cursor: dict[int, int] = {}
        for index, token in enumerate(tokens):
            if token.nesting == 1 and token.type in ("blockquote_open", "list_item_open"):
                containers.append(token.type)
            elif token.nesting == -1 and token.type in ("blockquote_close", "list_item_close"):
                containers.pop()
            if token.type != "inline" or token.map is None or index == 0:
                continue
            opener = tokens[index - 1].type
            unit = self._unit(token, opener, containers, row_cursor)
            if unit is not None:
                found.append(unit)
        return found

    def _unit(self, token: Token, opener: str, containers: list[str],
              row_cursor: dict[int, int]) -> Unit | None:
        assert token.map is not None
        first = token.map[0] + self.offset
        if opener in ("td_open", "th_open"):
            return self._cell(token.content, first, row_cursor)
        if opener == "heading_open":
            kind = "heading"
        elif opener != "paragraph_open":
            return None
        elif containers and containers[-1] == "list_item_open":
            kind = "list item"
        elif containers:
            kind = "block quote"
        else:
            kind = "paragraph"
        pieces = self._locate(token.content.split("\n"), first)
        if pieces is None:
            return None
        return self._inline_unit(kind, pieces, Encoding.MARKDOWN)

    def _locate(self, content_lines: list[str], first: int) -> list[tuple[int, int, bool]] | None:
        """Source (start, end, hard break after) of each content line, or None if unsure."""
        pieces: list[tuple[int, int, bool]] = []
        last = len(content_lines) - 1
        for j, content in enumerate(content_lines):
            if first + j >= len(self.lines.starts):
                return None
            line = self.lines.text(self.text, first + j)
            wanted = content.strip(" \t")
            hard = j < last and (content.endswith("  ") or _odd_backslashes(wanted))
            if hard and wanted.endswith("\\") and not content.endswith("  "):
                wanted = wanted[:-1].rstrip(" \t")
            at = line.rfind(wanted) if wanted else -1
            if at < 0 or not _only_prefix(line[:at]) or not _only_suffix(line[at + len(wanted):]):
                return None
            start = self.lines.starts[first + j] + at
            pieces.append((start, start + len(wanted), hard))
        return pieces

    def _cell(self, content: str, line_index: int, row_cursor: dict[int, int]) -> Unit | None:
        if line_index >= len(self.lines.starts):
            return None
        line = self.lines.text(self.text, line_index)
        cursor = row_cursor.get(line_index, 0)
        wanted = content.strip()
        at = line.find(wanted, cursor) if wanted else -1
        if at < 0 and "|" in wanted:
            wanted = wanted.replace("|", "\\|")
            at = line.find(wanted, cursor)
        if at < 0:
            return None
        row_cursor[line_index] = at + len(wanted)
        start = self.lines.starts[line_index] + at
        return self._inline_unit("table cell", [(start, start + len(wanted), False)], Encoding.TABLE_CELL)

    def _inline_unit(self, kind: str, pieces: list[tuple[int, int, bool]], encoding: Encoding) -> Unit | None:
        sentences: list[Sentence] = []
        hard_breaks: set[int] = set()
        for group in _groups(pieces):
            sentences.extend(split_pieces(self.text, [(a, b) for a, b, _ in group], self.split, self.lines))
            if sentences and group[-1][2]:
                hard_breaks.add(len(sentences) - 1)
        if not any(s.translatable for s in sentences):
            return None
        return Unit(kind=kind, start=sentences[0].start, end=sentences[-1].end,
                    sentences=tuple(sentences), encoding=encoding,
                    hard_breaks=frozenset(hard_breaks))


def _groups(pieces: list[tuple[int, int, bool]]) -> list[list[tuple[int, int, bool]]]:
    groups: list[list[tuple[int, int, bool]]] = [[]]
    for piece in pieces:
        groups[-1].append(piece)
        if piece[2]:
            groups.append([])
    return [g for g in groups if g and any(e > s for s, e, _ in g)]


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _only_prefix(text: str) -> bool:
    return all(c in _PREFIX_CHARS for c in text)


def _only_suffix(text: str) -> bool:
    return all(c in " \t#" for c in text)


# --- front matter -------------------------------------------------------------------------

def front_matter(text: str, path: str) -> dict[str, object] | None:
    """The front matter as a mapping, None when the text has none."""
    _end, fm_lines = front_matter_end(text)
    if not fm_lines:
        return None
    lines = Lines.of(text)
    return _load_yaml(text[lines.starts[1]:lines.starts[fm_lines - 1]], path)


def _front_matter_units(text: str, lines: Lines, fm_lines: int, path: str, split: Splitter,
                        keys: Sequence[str]) -> list[Unit]:
    data = front_matter(text, path) or {}
    units = []
    for index in range(1, fm_lines - 1):
        match = _FRONT_KEY.match(lines.text(text, index))
        if not match or match.group(1) not in keys or not isinstance(data.get(match.group(1)), str):
            continue
        unit = _scalar_unit(text, lines, index, fm_lines, match, data[match.group(1)], split)
        if unit is not None:
            units.append(unit)
    return units


def _load_yaml(block: str, path: str) -> dict[str, object]:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"broken YAML front matter: {problem}", path, line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError("YAML front matter is not a mapping of keys to values", path, 2)
    return data


def _scalar_unit(text: str, lines: Lines, index: int, fm_lines: int, match: re.Match[str],
                 value: str, split: Splitter) -> Unit | None:
    """A unit for `key: value`, where the value may span indented continuation lines."""
    last = index
    while last + 1 < fm_lines - 1 and (not lines.text(text, last + 1).strip()
                                       or lines.text(text, last + 1)[:1] in " \t"):
        last += 1
    while last > index and not lines.text(text, last).strip():
        last -= 1
    start = lines.starts[index] + match.end()
    region = text[start:lines.ends[last]]
    start += len(region) - len(region.lstrip(" \t"))
    region = region.strip(" \t")
    if last == index and region[:1] not in ("'", '"', "|", ">") and " #" in region:
        region = region.split(" #", 1)[0].rstrip()
    end = start + len(region)
    if _yaml_value(f"k: {region}") != value:
        return None
    spans = split(value)
    sentences = tuple(Sentence(normalize(value[a:b]), a, b, index + 1, has_prose(value[a:b])) for a, b in spans)
    if not any(s.translatable for s in sentences):
        return None
    return Unit(kind=f"front matter {match.group(1)}", start=start, end=end, sentences=sentences,
                encoding=Encoding.YAML, encode=_scalar_encoder(region))


def _yaml_value(text: str) -> object:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return loaded.get("k") if isinstance(loaded, dict) else None


def _scalar_encoder(region: str) -> Callable[[str], str]:
    """Write a translated value in the style the source used for it."""
    style = region[:1]

    def encode(value: str) -> str:
        value = " ".join(value.split("\n"))
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        if style in ("|", ">"):
            header, _, rest = region.partition("\n")
            indent = rest[:len(rest) - len(rest.lstrip(" "))] or "  "
            return f"{header}\n{indent}{value}"
        if style != '"' and _yaml_value(f"k: {value}") == value:
            return value
        return json.dumps(value, ensure_ascii=False)

    return encode
