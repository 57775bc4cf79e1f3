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
from dataclasses import dataclass
from functools import lru_cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from locpress.errors import SourceError
from locpress.formats.document import (
    LINE_END,
    Document,
    Encoding,
    Lines,
    Sentence,
    Splitter,
    Unit,
    has_prose,
    normalize,
    split_pieces,
)

# libyaml's safe loader when PyYAML was built with it: the same safety, ten times faster.
# It accepts a little more than the pure-Python loader (a tab inside a plain scalar), so
# errors are reported by, and written values checked with, the pure-Python one.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str) -> object:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.safe_load(text)  # the same error, with the pure-Python loader's wording


_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")
_PREFIX_CHARS = frozenset(" \t>#-+*0123456789.)")
_DELIMITER_ROW = re.compile(r"[ \t>]*[|:-][|: \t-]*$")
_COMMENT = re.compile(r"[ \t\n]#")


#: markdown-it stops at 20 levels (a list ten deep) and silently skips whatever lies deeper;
#: ours holds lists 62 deep, and a document that reaches it is refused (`parse`).
MAX_NESTING = 128


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Block structure only: inline parsing is half the cost, and extraction needs it only to
    confirm hard breaks (`_inline_parser`)."""
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"]).disable("inline")


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])


def block_shape(text: str) -> list[tuple[str, str, int]]:
    """The block structure of a Markdown text, for comparing a build with its source."""
    return [(t.type, t.tag, t.level) for t in _block_tokens(text)]


def block_lines(text: str) -> list[int]:
    """The 1-based line of each entry of `block_shape`, so a mismatch can name its line.

    Closing tokens carry no line in markdown-it; they take the line of the token before.
    """
    front_lines = front_matter_end(text)[1]
    found, line = [], front_lines + 1
    for token in _block_tokens(text):
        if token.map is not None:
            line = token.map[0] + front_lines + 1
        found.append(line)
    return found


def _block_tokens(text: str) -> list[Token]:
    body = text[front_matter_end(text)[0]:]
    return [t for t in _parser().parse(body) if t.type != "inline"]


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
    deep = [t.map[0] for t in tokens if t.level >= MAX_NESTING - 1 and t.map]
    if deep:
        raise SourceError("lists or block quotes nested too deeply to read safely", path, deep[0] + fm_lines + 1)
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
        breaks = sum(p[2] for p in pieces) if pieces is not None else 0
        if pieces is None or (breaks and breaks != _hard_breaks(token.content)):
            return None  # a "hard break" inside a code span or tag: not a line we can split at
        last = self.lines.line_of(pieces[-1][1])
        encoding = Encoding.ABOVE_RULE if self._before_delimiter_row(first, last) else Encoding.MARKDOWN
        return self._inline_unit(kind, pieces, encoding)

    def _before_delimiter_row(self, first: int, last: int) -> bool:
        """Whether a line of the block is followed by one that could be a table's delimiter row.

        A `|` that a translation puts on the line above (`Title |` over `---`) would turn the
        block into a table, so such a block writes `|` another way.
        """
        for index in range(first + 1, min(last + 2, len(self.lines.starts))):
            line = self.lines.text(self.text, index)
            if "-" in line and _DELIMITER_ROW.match(line):
                return True
        return False

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
            backslash = hard and not content.endswith("  ")
            if backslash:  # the break's backslash is frame, not text
                wanted = wanted[:-1].rstrip(" \t")
            at = line.rfind(wanted) if wanted else -1
            if at < 0 or not _only_prefix(line[:at]) or not _only_suffix(line[at + len(wanted):], backslash):
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


def _hard_breaks(content: str) -> int:
    tokens = _inline_parser().parseInline(content)
    return sum(1 for child in tokens[0].children or () if child.type == "hardbreak")


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _only_prefix(text: str) -> bool:
    return all(c in _PREFIX_CHARS for c in text)


def _only_suffix(text: str, backslash: bool) -> bool:
    """Whether `text` after a line's content is frame: spaces, a closing `#` sequence, or
    the backslash of a hard line break."""
    if backslash:
        return text.strip(" \t") == "\\"
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
        value = data.get(match.group(1)) if match and match.group(1) in keys else None
        if match is None or not isinstance(value, str):
            continue
        unit = _scalar_unit(text, lines, index, fm_lines, match, value, split)
        if unit is not None:
            units.append(unit)
    return units


def _load_yaml(block: str, path: str) -> dict[str, object]:
    try:
        data = _load(block)
    except yaml.YAMLError as exc:
        raise SourceError(f"broken YAML front matter: {_problem(exc)}", path, _error_line(exc) + 2) from None
    except ValueError as exc:  # parsed but not constructed: `date: 2023-11-31`
        raise SourceError(f"broken YAML front matter: {exc}", path, _bad_value_line(block) + 2) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError("YAML front matter is not a mapping of keys to values", path, 2)
    return data


def _problem(exc: yaml.YAMLError) -> str:
    """YAML's message, with the line where an unclosed quote or bracket opened."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if not context:
        return str(problem)
    where = f" that starts on line {mark.line + 2}" if mark is not None else ""
    return f"{problem} ({context}{where})"


def _error_line(exc: yaml.YAMLError) -> int:
    """0-based line (in the front-matter block) where YAML found the error."""
    mark = getattr(exc, "problem_mark", None)
    return int(mark.line) if mark is not None else -1


def _bad_value_line(block: str) -> int:
    """0-based line of the first top-level value that YAML reads but cannot construct."""
    node = yaml.compose(block, Loader=yaml.SafeLoader)
    for _key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        try:
            yaml.SafeLoader("").construct_document(value)
        except ValueError:
            return int(value.start_mark.line)
    return -1


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
    start += len(region) - len(region.lstrip())  # a value may start on the next line
    found = _value_region(region.strip(), value)
    if found is None:
        return None
    region, end = found, start + len(found)
    spans = split(value)
    line = lines.line_of(start) + 1
    sentences = tuple(Sentence(normalize(value[a:b]), a, b, line, has_prose(value[a:b])) for a, b in spans)
    if not any(s.translatable for s in sentences):
        return None
    return Unit(kind=f"front matter {match.group(1)}", start=start, end=end, sentences=sentences,
                encoding=Encoding.YAML, encode=scalar_encoder(region))


def _value_region(region: str, value: str) -> str | None:
    """The scalar that `region` starts with, without the comments after it; None if unsure.

    The shortest cut before a `#` that still loads to the value is where the scalar ends,
    whatever its style, so a trailing comment stays in the frame.
    """
    if _yaml_value(f"k: {region}\n") != value:  # the newline: a block scalar keeps its last one
        return None
    for comment in _COMMENT.finditer(region):
        head = region[:comment.start()].rstrip()
        if _yaml_value(f"k: {head}\n") == value:
            return head
    return region


def _yaml_value(text: str, strict: bool = False) -> object:
    try:
        loaded = yaml.safe_load(text) if strict else _load(text)
    except (yaml.YAMLError, ValueError):
        return None
    return loaded.get("k") if isinstance(loaded, dict) else None


@dataclass(frozen=True)
class _ScalarEncoder:
    """Write a translated value in the style the source used for it (plain data, so a parsed
    document can cross process boundaries)."""

    region: str

    def __call__(self, value: str) -> str:
        value = _one_line(value)
        style = self.region[:1]
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        if style in ("|", ">"):
            header, newline, rest = _first_line(self.region)
            indent = rest[:len(rest) - len(rest.lstrip(" "))] or "  "
            return f"{header}{newline}{indent}{value}"
        if style != '"' and _yaml_value(f"k: {value}", strict=True) == value:
            return value
        return json.dumps(value, ensure_ascii=False)


def scalar_encoder(region: str) -> Callable[[str], str]:
    """The encoder of a front-matter value written as `region` in the source."""
    return _ScalarEncoder(region)


def _first_line(text: str) -> tuple[str, str, str]:
    """(first line, its line break, the rest), whatever line breaks the source uses."""
    found = LINE_END.search(text)
    if found is None:
        return text, "\n", ""
    return text[:found.start()], found.group(0), text[found.end():]


def _one_line(value: str) -> str:
    """The value on one line: YAML breaks lines at \\r, NEL, LS and PS as well as \\n, and a
    break inside a block scalar would end it."""
    return " ".join(part for part in (line.strip() for line in value.splitlines()) if part)
