"""Entry checks on the shape of the text: whitespace at the edges, doubled spaces, brackets
and quotation marks balanced (and of the locale's kind), sentence-final punctuation, and a
plausible length for the language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from locpress.formats.spans import MASK, Text
from locpress.qa.context import QUOTES, Context, Pair

_FULL_WIDTH_LANGUAGES = frozenset({"zh", "yue", "ja"})
_FULL_WIDTH = {".": "。", ":": "：", "?": "？", "!": "！", ";": "；"}
_SOURCE_ENDERS = ".!?…:"
_CLOSERS = " \t\n\"'”’»›)]}*_`」』）】〕〉》" + MASK
_DOUBLE_QUOTES = "“”«»„「」『』"
_LENGTH_MIN_SOURCE = 20  # shorter sources vary too much to judge
_ABBREVIATION_END_RE = re.compile(r"(?:\b\w\.){2,}$|\b(?:etc|Inc|Ltd|Co|Corp|Jr|Sr|St|No|vs|approx)\.$")
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_BRACKET_CHARS_RE = re.compile(r"[()\[\]{}（）［］｛｝【】〔〕〈〉《》]")
_QUOTE_CHARS_RE = re.compile(r"[“”«»„「」『』\"]")


def _edge(text: str, start: bool) -> str:
    stripped = text.lstrip() if start else text.rstrip()
    return text[:len(text) - len(stripped)] if start else text[len(stripped):]


def whitespace(pair: Pair, ctx: Context) -> Iterator[str]:
    """Leading and trailing whitespace (and newlines) as in the source"""
    source, target = pair.source.raw, pair.target.raw
    if (source[:1].isspace() or target[:1].isspace()) and _edge(source, True) != _edge(target, True):
        yield f"leading whitespace differs from the source ({_edge(source, True)!r} vs {_edge(target, True)!r})"
    if (source[-1:].isspace() or target[-1:].isspace()) and _edge(source, False) != _edge(target, False):
        yield f"trailing whitespace differs from the source ({_edge(source, False)!r} vs {_edge(target, False)!r})"


def double_space(pair: Pair, ctx: Context) -> Iterator[str]:
    """No doubled spaces inside a line unless the source has them"""
    if "  " in pair.target.raw and "  " not in pair.source.raw and _DOUBLE_SPACE_RE.search(pair.target.raw):
        yield "doubled space in the translation"


_BRACKETS = (("(", ")", "（", "）"), ("[", "]", "［", "］"), ("{", "}", "｛", "｝"))


def _bracket_balance(text: str) -> tuple[int, ...]:
    if not _BRACKET_CHARS_RE.search(text):
        return (0, 0, 0, 0)
    return tuple(abs(text.count(a) + text.count(c) - text.count(b) - text.count(d)) for a, b, c, d in _BRACKETS) + (
        abs(sum(text.count(o) for o in "【〔〈《") - sum(text.count(c) for c in "】〕〉》")),)


def brackets(pair: Pair, ctx: Context) -> Iterator[str]:
    """Brackets balanced as in the source"""
    if _source_brackets(pair.source.prose) != _bracket_balance(pair.target.prose):
        yield "brackets are not balanced as in the source"


def _quote_balance(text: str, pairs: tuple[tuple[str, str], ...]) -> int:
    """Unclosed quotations: |opening - closing| of curly marks plus unpaired straight quotes."""
    seen: set[str] = set()
    balance = 0
    for opening, closing in pairs + QUOTES["en"][:1] + (("«", "»"), ("„", "“"), ("「", "」"), ("『", "』")):
        if opening == closing or opening in seen or closing in seen or opening not in _DOUBLE_QUOTES:
            continue
        seen.update((opening, closing))
        balance += text.count(opening) - text.count(closing)
    return abs(balance) + text.count('"') % 2


_source_brackets = lru_cache(maxsize=65536)(_bracket_balance)
_source_quotes = lru_cache(maxsize=65536)(lambda text: _quote_balance(text, QUOTES["en"]))


def quotes(pair: Pair, ctx: Context) -> Iterator[str]:
    """Quotation marks balanced as in the source, and of the kind the locale uses"""
    if not (_QUOTE_CHARS_RE.search(pair.source.raw) or _QUOTE_CHARS_RE.search(pair.target.raw)):
        return
    source, target = pair.source.prose, pair.target.prose
    allowed = ctx.rules.quote_chars
    foreign = [c for c in dict.fromkeys(_QUOTE_CHARS_RE.findall(target)) if c != '"' and c not in allowed]
    if foreign:
        usual = " ".join(ctx.rules.quotes[0])
        yield f"quotation marks {' '.join(foreign)} are not used in {ctx.rules.name} (it uses {usual})"
    elif _source_quotes(source) != _quote_balance(target, ctx.rules.quotes):
        yield "quotation marks are not balanced as in the source"


def _final(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def _abbreviation_end(text: str) -> bool:
    """ "U.N." or "p.m." ends the sentence, but its full stop is the abbreviation's."""
    return _ABBREVIATION_END_RE.search(text.rstrip(_CLOSERS)) is not None


def punctuation(pair: Pair, ctx: Context) -> Iterator[str]:
    """Sentence-final punctuation as the locale writes it (a Chinese sentence ends with 。)"""
    enders = ctx.rules.enders
    if enders is None or not pair.target.raw.strip():
        return
    source_end, target_end = _final(pair.source.raw), _final(pair.target.raw)
    if source_end and source_end in _SOURCE_ENDERS:
        if target_end not in enders and not (source_end == "." and _abbreviation_end(pair.source.raw)):
            expected = ctx.rules.full_stop if source_end == "." else source_end
            if ctx.rules.language in _FULL_WIDTH_LANGUAGES:
                expected = _FULL_WIDTH.get(source_end, expected)
            if not target_end or target_end.isalnum():
                yield f'the translation has no final punctuation ({ctx.rules.name}: "{expected}")'
            else:
                yield (f'the source ends with "{source_end}", the translation with "{target_end}" '
                       f'({ctx.rules.name}: "{expected}")')
    elif target_end and target_end in ".。" and source_end not in ".。":
        yield f'the translation ends with "{target_end}", the source does not'


def _length(text: Text) -> int:
    if not text.special:
        return len(text.raw.strip())
    return len(text.prose.replace(MASK, "").strip())


def length(pair: Pair, ctx: Context) -> Iterator[str]:
    """Translation length plausible for the language (configurable bounds)"""
    if len(pair.source.raw) < _LENGTH_MIN_SOURCE:
        return
    source = _length(pair.source)
    if source < _LENGTH_MIN_SOURCE:
        return
    target = _length(pair.target)
    ratio = target / source / ctx.rules.length_ratio
    if ratio < ctx.options.min_length_ratio:
        yield f"the translation is unusually short for {ctx.rules.name} ({target} characters for {source})"
    elif ratio > ctx.options.max_length_ratio:
        yield f"the translation is unusually long for {ctx.rules.name} ({target} characters for {source})"
