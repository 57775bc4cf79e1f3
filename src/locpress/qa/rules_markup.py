"""Entry checks for what a translation must carry over exactly: link targets, code spans,
HTML tags, Markdown balance, pre-translation placeholders, URLs, e-mail addresses, printf
directives, and the number of plural forms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

from locpress.gettext import printf
from locpress.qa.context import Context, Pair

# The placeholders `pretranslate` puts in place of protected spans (`[X0X]`), also as an
# engine may have respaced or recased them: one left in a translation lost its span.
TOKEN_RE = re.compile(r"[\[［]\s*[Xx]\s*\d+\s*[Xx]\s*[\]］]|(?<![\w\[［])[Xx]\d+[Xx](?![\w\]］])")
_EMPHASIS_RE = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])|~~")
_MARKUP_CHARS_RE = re.compile(r"[*_\[\]~]")


def _differences(source: Sequence[str], target: Sequence[str], what: str) -> Iterator[str]:
    """One message for what the translation lost (and what it has instead), or added."""
    missing = list((Counter(source) - Counter(target)).elements())
    extra = list((Counter(target) - Counter(source)).elements())
    if missing:
        has = f" (it has {_listed(extra)})" if extra else ""
        yield f"{_named(what, missing)} not in the translation{has}"
    elif extra:
        yield f"{_named(what, extra)} in the translation but not in the source"


def _named(what: str, items: Sequence[str]) -> str:
    """`link target "a" is`, `link targets "a", "b" are`."""
    several = len(set(items)) > 1
    return f"{what}{'s' if several else ''} {_listed(items)} {'are' if several else 'is'}"


def _listed(items: Sequence[str]) -> str:
    return ", ".join(f'"{item}"' for item in dict.fromkeys(items))


def links(pair: Pair, ctx: Context) -> Iterator[str]:
    """Link targets and image sources identical to the source"""
    if pair.source.special or pair.target.special:
        yield from _differences(pair.source.links, pair.target.links, "link target")


def code(pair: Pair, ctx: Context) -> Iterator[str]:
    """Inline code spans identical to the source"""
    if pair.source.special or pair.target.special:
        yield from _differences(pair.source.code, pair.target.code, "code span")


def html(pair: Pair, ctx: Context) -> Iterator[str]:
    """HTML tags identical to the source (translatable attributes aside)"""
    if "<" in pair.source.raw or "<" in pair.target.raw:
        yield from _differences(pair.source.html, pair.target.html, "HTML tag")


@lru_cache(maxsize=65536)
def _has_markup(text: str) -> bool:
    return _MARKUP_CHARS_RE.search(text) is not None


def _markup_balance(text: str) -> tuple[tuple[str, int], ...]:
    """Parity of each emphasis delimiter, open-minus-close link brackets, and link count."""
    runs = Counter(m.group(0) for m in _EMPHASIS_RE.finditer(text))
    parity = {run: count % 2 for run, count in runs.items() if count % 2}
    return tuple(sorted(parity.items())) + (("[]", text.count("[") - text.count("]")), ("](", text.count("](")))



_source_markup = lru_cache(maxsize=65536)(_markup_balance)  # a source is checked once per locale


def markdown(pair: Pair, ctx: Context) -> Iterator[str]:
    """Markdown emphasis and link brackets balanced as in the source"""
    if not (_has_markup(pair.source.raw) or _MARKUP_CHARS_RE.search(pair.target.raw)):
        return
    if _source_markup(pair.source.outside_links) != _markup_balance(pair.target.outside_links):
        yield "Markdown emphasis (* _ ~~) or link brackets [ ] are not balanced as in the source"


def tokens(pair: Pair, ctx: Context) -> Iterator[str]:
    """Protected-span placeholders from pre-translation all restored"""
    target = pair.target.raw
    if "X" in target or "x" in target:
        for token in dict.fromkeys(TOKEN_RE.findall(target)):
            if token not in pair.source.raw:
                yield f'placeholder "{token}" was not restored to the text it protects'


def urls(pair: Pair, ctx: Context) -> Iterator[str]:
    """URLs kept as in the source"""
    if pair.source.special or pair.target.special:
        yield from _differences(pair.source.urls, pair.target.urls, "URL")


def emails(pair: Pair, ctx: Context) -> Iterator[str]:
    """E-mail addresses kept as in the source"""
    if "@" in pair.source.raw or "@" in pair.target.raw:
        yield from _differences(pair.source.emails, pair.target.emails, "e-mail address")


def format_strings(pair: Pair, ctx: Context) -> Iterator[str]:
    """c-format, python-format and python-brace-format directives as msgfmt --check requires"""
    if pair.message.flags:
        for kind in printf.KINDS:
            if kind in pair.message.flags:
                problem = printf.compare(kind, pair.source.raw, pair.target.raw, pair.strict)
                if problem:
                    yield f"{kind}: {problem}"


def plurals(pair: Pair, ctx: Context) -> Iterator[str]:
    """Plural entries have the number of forms the header's Plural-Forms says"""
    message = pair.message
    if pair.index == 0 and message.msgid_plural is not None and ctx.nplurals is not None:
        if len(message.msgstr_plural) != ctx.nplurals:
            yield f"{len(message.msgstr_plural)} plural forms, but the header says nplurals={ctx.nplurals}"
