"""Alignment of a release with a translation made without locpress.

Both sides are read by the same reader (so a heading faces a heading, a table cell a table
cell), then aligned in two steps:

1. **Blocks**, by dynamic programming over the two block sequences: only blocks of the same
   kind may pair (headings of the same level, the same front-matter key, code with code),
   and a pair scores by what survives translation (code spans, link targets, numbers,
   heading ids, Latin words the translation kept) and by its length against the document's
   length ratio. A block without a plausible counterpart is refused and reported, never
   guessed.
2. **Sentences** inside each aligned block, by Gale and Church's length-based method
   (1991) with 1-1, 1-2, 2-1, 1-0 and 0-1 links. No package on PyPI offers it on its own
   (NLTK's module drags in the whole of NLTK), and it is short.

Everything here is pure: the CLI's `align` stage (`exchange.py`) reads the files and
writes the catalog and the memory.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from rapidfuzz import fuzz

from locpress.formats import spans
from locpress.formats.document import Document, Lines, Unit
from locpress.formats.markdown import front_matter_end
from locpress.gettext.catalog import Catalog, Message

#: Gale-Church link priors (their table 5), without 2-2 links.
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2}
#: Variance of the target length per source character (Gale-Church's s^2).
VARIANCE = 6.8
#: A block pair scoring at least this (0-1) is aligned on its content; under it, only when
#: the structure around it pairs it; under MIN_PAIR_SCORE, never.
MIN_BLOCK_SCORE = 0.35
MIN_PAIR_SCORE = 0.05
#: Identical source and translation longer than this many words is English left untranslated.
COPY_WORDS = 3
PROVENANCE = "locpress: aligned from "

# Link targets, URLs, heading ids and tags are spans.py's; code spans, comments and
# `{/* … */}` are found by its scanners (_copied).
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'-]+")
_NOT_PROSE = re.compile("|".join(p.pattern for p in (spans.LINK_TARGET, spans.URL, spans.HEADING_ID, spans.TAG)))
_SPACE = re.compile(r"\s+")


# --- the target side's sentences ------------------------------------------------------------

_STOP = re.compile(r"[。！？]+[」』”’）)\]]*\s*|(?<![.!?…؟۔])[.!?…؟۔]+[\"'”’»)\]*_~」』]*(?=\s)")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Za-z]|[A-Za-z]\.[A-Za-z]|e\.g|i\.e|vs|etc|cf|Mr|Mrs|Ms|Dr|St|No|p|pp)\Z")
_MASKED = re.compile("|".join(p.pattern for p in (spans.MARKDOWN_LINK, spans.AUTOLINK, spans.TAG)), re.DOTALL)
_NONSPACE = re.compile(r"\S")
#: Stands for a masked link, code span or tag: neither upper nor lower case, so a sentence
#: that starts with one is cut like any other.
_MASK = "\ue000"


def _copied(text: str) -> list[tuple[int, int]]:
    """Code spans, comments and `{/* … */}` heading ids, found by linear scans."""
    return spans.merged(spans.code_spans(text), spans.comments(text), spans.delimited(text, "{/*", "*/}"))


def _blanked(text: str, found: Sequence[tuple[int, int]], by: str) -> str:
    out, at = [], 0
    for start, end in found:
        out += [text[at:start], by * (end - start)]
        at = end
    out.append(text[at:])
    return "".join(out)


def _caseless(c: str) -> bool:
    """A letter of a script without case (Hangul, Han, Kana, Arabic)."""
    return c.isalpha() and not c.isupper() and not c.islower()


def split_target(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a translation in any of our target languages.

    A sentence ends at `。！？` (Chinese, Japanese) or at `.!?…؟` before white space (Korean,
    Arabic, Russian, French, Spanish, English), unless the next word starts in lower case
    or the stop ends a short abbreviation; nothing inside code spans, links, tags or heading
    ids counts, except a stop that ends a link's text (`[만들었습니다.](url) 하지만`). A
    sentence may start with a link, a code span or, after a letter of a script without case
    (Korean, Chinese, Arabic), a lower-case Latin word (`v1.20에서는`, `gRPC`). The spans
    cover every non-space character, like `split_sentences`.
    """
    masked = _blanked(text, _copied(text), _MASK)
    stops: list[tuple[int, int, bool]] = []  # (stop, end, CJK) of each candidate
    for link in _MASKED.finditer(masked):
        label = link.group(0).split("](", 1)[0]
        if link.group(0).startswith(("[", "![")) and label.endswith((".", "!", "?", "。", "！", "？", "؟")):
            after = link.end()
            if after < len(masked) and masked[after].isspace():
                stops.append((after - 1, after, label.endswith(("。", "！", "？"))))
    masked = _MASKED.sub(lambda m: _MASK * len(m.group(0)), masked)
    stops += [(m.start(), m.end(), m.group(0)[0] in "。！？") for m in _STOP.finditer(masked)]
    cuts = [0]
    for ps, end, cjk in sorted(stops):
        rest = _NONSPACE.search(masked, end)
        if rest is None or end <= cuts[-1] or _ABBREVIATION.search(masked[max(cuts[-1], ps - 6):ps]):
            continue
        if not cjk and rest.group().islower() and not (ps > 0 and _caseless(masked[ps - 1])):
            continue  # "etc. et" in French; but "합니다. gRPC는" in Korean is two sentences
        cuts.append(end)
    cuts.append(len(text))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
    return spans


# --- blocks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """A unit of text, or a code or HTML block that anchors the alignment."""

    kind: str
    line: int
    offset: int
    sentences: tuple[str, ...]
    translatable: tuple[bool, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def is_text(self) -> bool:
        return not self.kind.startswith(("code", "html"))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")


def blocks(doc: Document) -> list[Block]:
    """The document's units and (for Markdown) its code and HTML blocks, in order."""
    lines = Lines.of(doc.text)
    found = [_unit_block(doc.text, lines, unit) for unit in doc.units]
    if doc.format == "md":
        found.extend(_anchor_blocks(doc.text, lines))
    return sorted(found, key=lambda b: b.offset)


def _unit_block(text: str, lines: Lines, unit: Unit) -> Block:
    kind = unit.kind
    if kind == "heading":
        line = lines.text(text, lines.line_of(unit.start)).lstrip(" >")
        level = len(line) - len(line.lstrip("#"))
        kind = f"heading {level}" if level else kind
    return Block(kind, unit.sentences[0].line, unit.start, tuple(s.text for s in unit.sentences),
                 tuple(s.translatable for s in unit.sentences))


def _anchor_blocks(text: str, lines: Lines) -> list[Block]:
    start, fm_lines = front_matter_end(text)
    found = []
    for token in _parser().parse(text[start:]):
        if token.type not in ("fence", "code_block", "html_block") or token.map is None:
            continue
        line = token.map[0] + fm_lines
        kind = "html" if token.type == "html_block" else "code"
        found.append(Block(kind, line + 1, lines.starts[line], (token.content.strip(),)))
    return found


# --- what survives translation ----------------------------------------------------------------

def invariants(text: str) -> frozenset[str]:
    """Code spans (their content), link targets, URLs, heading ids and numbers: what a
    translation copies rather than translates, lower-cased."""
    found = set()
    for start, end in spans.code_spans(text):
        ticks = len(text[start:end]) - len(text[start:end].lstrip("`"))
        found.add(text[start + ticks:end - ticks].strip())
    found.update(m.group(1).strip("<>") for m in spans.LINK_TARGET.finditer(text))
    found.update(m.group(0) for m in spans.URL.finditer(text))
    found.update(m.group(0) for m in spans.HEADING_ID.finditer(text))
    found.update(text[s:e] for s, e in spans.delimited(text, "{/*", "*/}"))
    found.update(m.group(0) for m in _NUMBER.finditer(_not_prose(text)))
    return frozenset(f.lower() for f in found if f)


def prose(text: str) -> str:
    """The text without what is copied rather than translated, spaces collapsed."""
    return _SPACE.sub(" ", _not_prose(text)).strip()


def _not_prose(text: str) -> str:
    """The text with code, comments, heading ids, link targets, URLs and tags as spaces."""
    return _NOT_PROSE.sub(" ", _blanked(text, _copied(text), " "))


@dataclass(frozen=True)
class _Side:
    """What the block scorer needs of one block, computed once."""

    length: int
    invariants: frozenset[str]
    words: frozenset[str]  # Latin words of the prose, lower-cased

    def has(self, token: str) -> bool:
        return token in self.invariants or token in self.words


def _side(block: Block) -> _Side:
    text = block.text
    if not block.is_text:
        return _Side(0, frozenset(), frozenset())
    return _Side(len(prose(text)), invariants(text), frozenset(w.lower() for w in _LATIN.findall(prose(text))))


# --- block alignment --------------------------------------------------------------------------

@dataclass(frozen=True)
class Refused:
    """A block left out of the alignment, with the reason."""

    side: str  # "source" or "translation"
    block: Block
    reason: str


@dataclass(frozen=True)
class Link:
    """Sentences of the source and their translation (one or two on either side)."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    translatable: tuple[bool, ...]
    line: int


@dataclass
class Alignment:
    """The outcome for one pair of documents."""

    source_blocks: int = 0  # text blocks
    target_blocks: int = 0
    pairs: list[tuple[Block, Block, float]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    ratio: float = 1.0

    @property
    def text_pairs(self) -> int:
        return sum(1 for a, _b, _s in self.pairs if a.is_text)


def _compatible(a: Block, b: Block) -> bool:
    if a.kind == b.kind:
        return True
    return a.kind.startswith("heading") and b.kind.startswith("heading") and "heading" in (a.kind, b.kind)


def _length_score(a: int, b: int, ratio: float) -> float:
    """Gale-Church's two-tailed probability that `b` translates `a` by length alone."""
    if a == 0 and b == 0:
        return 1.0
    mean = max((a + b / ratio) / 2, 1.0)
    delta = (a * ratio - b) / math.sqrt(mean * VARIANCE)
    return math.erfc(abs(delta) / math.sqrt(2))


def score(a: Block, b: Block, sa: _Side, sb: _Side, ratio: float) -> float:
    """How well block `b`'s content fits as a translation of block `a` (0-1).

    The mean of: the length probability; the share of copied items (code, links, numbers,
    heading ids) found on both sides, where `useId` in one and `` `useId` `` in the other
    agree; and the share of the translation's Latin words found in the source.
    """
    if not a.is_text:
        return 1.0 if a.text == b.text else _similarity(a.text, b.text)
    parts = [(_length_score(sa.length, sb.length, ratio), 1.0)]
    union = sa.invariants | sb.invariants
    if union:
        shared = sum(1 for token in union if sa.has(token) and sb.has(token))
        parts.append((shared / len(union), 2.0))
    if sb.words:
        parts.append((sum(1 for w in sb.words if sa.has(w)) / len(sb.words), 1.0))
    return sum(s * w for s, w in parts) / sum(w for _s, w in parts)


def _similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b)) / 100


def align_blocks(source: list[Block], target: list[Block], ratio: float) -> list[tuple[int, int, float]]:
    """The best monotone pairing of blocks of the same kind: (i, j, content score).

    Every pair gains 0.5 plus its content score, so as many blocks as possible pair up and
    content decides where the two sides differ in number; a pair scoring under
    MIN_PAIR_SCORE is never made.
    """
    sides_a, sides_b = [_side(b) for b in source], [_side(b) for b in target]
    n, m = len(source), len(target)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0 pair, 1 skip source, 2 skip target
    scores: dict[tuple[int, int], float] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(best[i - 1][j], 1), (best[i][j - 1], 2)]
            if _compatible(source[i - 1], target[j - 1]):
                s = score(source[i - 1], target[j - 1], sides_a[i - 1], sides_b[j - 1], ratio)
                scores[i - 1, j - 1] = s
                if s >= MIN_PAIR_SCORE:
                    options.append((best[i - 1][j - 1] + 0.5 + s, 0))
            best[i][j], move[i][j] = max(options, key=lambda o: (o[0], -o[1]))
    pairs = []
    i, j = n, m
    while i and j:
        if move[i][j] == 0:
            pairs.append((i - 1, j - 1, scores[i - 1, j - 1]))
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def accepted(pairs: list[tuple[int, int, float]], n: int, m: int) -> list[bool]:
    """Which pairs to trust: a confident one (content at least MIN_BLOCK_SCORE), or a weaker
    one in lock step, where both sides have as many blocks between the confident pairs
    around it (structure alone then pairs it)."""
    anchors = [(-1, -1)] + [(i, j) for i, j, s in pairs if s >= MIN_BLOCK_SCORE] + [(n, m)]
    starts = [i for i, _j in anchors]
    result = []
    for i, _j, s in pairs:
        at = bisect.bisect_left(starts, i)
        before, after = anchors[at - 1], anchors[at + 1 if starts[at] == i else at]
        result.append(s >= MIN_BLOCK_SCORE or after[0] - before[0] == after[1] - before[1])
    return result


def length_ratio(source: Sequence[Block], target: Sequence[Block]) -> float:
    """Translation length per source character, over the text blocks."""
    a = sum(len(prose(b.text)) for b in source if b.is_text)
    b = sum(len(prose(b.text)) for b in target if b.is_text)
    return b / a if a and b else 1.0


def align(source: Document, target: Document) -> Alignment:
    """Align two documents: blocks, then sentences inside each aligned text block.

    The length ratio is estimated on the whole documents, then again on the blocks of a
    first alignment (a missing or extra section would bias the first estimate).
    """
    left, right = blocks(source), blocks(target)
    ratio = length_ratio(left, right)
    pairs = align_blocks(left, right, ratio)
    matched = [(left[i], right[j]) for i, j, _s in pairs]
    better = length_ratio([a for a, _b in matched], [b for _a, b in matched])
    if abs(better - ratio) > 0.02:
        ratio = better
        pairs = align_blocks(left, right, ratio)
    result = Alignment(sum(b.is_text for b in left), sum(b.is_text for b in right), ratio=ratio)
    keep = accepted(pairs, len(left), len(right))
    result.pairs = [(left[i], right[j], s) for (i, j, s), ok in zip(pairs, keep) if ok]
    for (i, j, s), ok in zip(pairs, keep):
        if not ok and left[i].is_text:
            reason = f"unsure: its best counterpart, line {right[j].line}, scores {s:.2f}"
            result.refused.append(Refused("source", left[i], reason))
    taken_b = {j for (_i, j, _s), ok in zip(pairs, keep) if ok}
    paired_a = {i for i, _j, _s in pairs}
    result.refused += [Refused("source", b, "no counterpart in the translation")
                       for i, b in enumerate(left) if i not in paired_a and b.is_text]
    result.refused += [Refused("translation", b, "no counterpart in the source")
                       for j, b in enumerate(right) if j not in taken_b and b.is_text]
    result.refused.sort(key=lambda r: (r.side != "source", r.block.offset))
    for a, b, _s in result.pairs:
        if a.is_text:
            result.links.extend(sentence_links(a, b, ratio))
    return result


# --- sentence alignment (Gale-Church) ---------------------------------------------------------

def _cost(a: int, b: int, link: tuple[int, int], ratio: float) -> float:
    probability = max(_length_score(a, b, ratio), 1e-12)
    return -math.log(PRIORS[link]) - math.log(probability)


def gale_church(source: Sequence[int], target: Sequence[int], ratio: float) -> list[tuple[int, int, int, int]]:
    """Links (i, di, j, dj) between sentence lengths: source[i:i+di] translates
    target[j:j+dj], found by minimising the summed Gale-Church costs."""
    n, m = len(source), len(target)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for di, dj in PRIORS:
                if i < di or j < dj or cost[i - di][j - dj] == inf:
                    continue
                c = cost[i - di][j - dj] + _cost(sum(source[i - di:i]), sum(target[j - dj:j]), (di, dj), ratio)
                if c < cost[i][j]:
                    cost[i][j], back[i][j] = c, (di, dj)
    links = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        links.append((i - di, di, j - dj, dj))
        i, j = i - di, j - dj
    return links[::-1]


def sentence_links(a: Block, b: Block, ratio: float) -> list[Link]:
    """The sentence links of an aligned pair of text blocks."""
    if len(a.sentences) == 1 or (len(a.sentences) == 2 and len(b.sentences) == 1):
        found = [(0, len(a.sentences), 0, len(b.sentences))]  # nothing to choose
    else:
        found = gale_church(_lengths(a), _lengths(b), ratio)
    return [Link(a.sentences[i:i + di], b.sentences[j:j + dj], a.translatable[i:i + di], a.line)
            for i, di, j, dj in found if di]


def _lengths(block: Block) -> list[int]:
    return [max(len(prose(s)), 1) for s in block.sentences]


# --- into the catalog -------------------------------------------------------------------------

@dataclass
class Filled:
    """What a set of links did to a catalog."""

    filled: int = 0
    kept: int = 0  # entries that already had a translation
    joined: int = 0  # 2-1 links: one translation for two source sentences
    copies: int = 0  # links whose "translation" is the English text
    missing: int = 0  # source sentences with no catalog entry
    pairs: list[tuple[str, str]] = field(default_factory=list)  # for the memory
    differs: list[tuple[str, str]] = field(default_factory=list)  # (msgid, the catalog's): kept, not replaced


def usable(link: Link) -> bool:
    """Whether a link carries a translation: some target text, a translatable source, and
    not a long English passage left as it was."""
    if not link.target or not any(link.translatable):
        return False
    source, target = " ".join(link.source), " ".join(link.target)
    return source != target or len(source.split()) <= COPY_WORDS


def pairs(links: Sequence[Link], joiner: str = " ") -> list[tuple[str, str]]:
    """(source, translation) of every usable link, for the memory; the source of a 2-1
    link is its two sentences."""
    return [(" ".join(link.source), joiner.join(link.target)) for link in links if usable(link)]


def fill(catalog: Catalog, links: Sequence[Link], origin: str, trust: bool, joiner: str = " ") -> Filled:
    """Put aligned translations into EMPTY entries only: never over a translation.

    A 1-1 or 1-2 link gives its entry the translation (reviewed with `trust`, else fuzzy).
    A 2-1 link has one translation for two entries, which a catalog cannot split: the
    first entry gets the whole translation, always fuzzy, with a note naming the second,
    and the second entry stays empty (its translation is inside the first's).
    """
    entries = {m.msgid: m for m in catalog.messages
               if not m.obsolete and m.msgctxt is None and m.msgid_plural is None}
    done = Filled()
    ours: set[int] = set()  # entries filled by these links: a repeated sentence is not "kept"
    for link in links:
        if not usable(link):
            done.copies += bool(link.target and any(link.translatable))
            continue
        target = joiner.join(link.target)
        done.pairs.append((" ".join(link.source), target))
        entry = entries.get(link.source[0])
        if entry is None:
            done.missing += 1
            continue
        if not entry.untranslated:
            if id(entry) not in ours:
                done.kept += 1
                if entry.msgstr != target:  # newer or other work: never replaced, but listed
                    done.differs.append((entry.msgid, entry.msgstr))
            continue
        ours.add(id(entry))
        if len(link.source) == 2:
            note = f"{PROVENANCE}{origin} (translates this sentence and the next: \"{link.source[1]}\")"
            _set(entry, target, False, note)
            done.joined += 1
        else:
            _set(entry, target, trust, f"{PROVENANCE}{origin}")
        done.filled += 1
    return done


def _set(entry: Message, target: str, reviewed: bool, note: str) -> None:
    entry.msgstr = target
    entry.flags = [f for f in entry.flags if f != "fuzzy"] + ([] if reviewed else ["fuzzy"])
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    entry.auto_comments = [c for c in entry.auto_comments if not c.startswith(PROVENANCE)] + [note]
