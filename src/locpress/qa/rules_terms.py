"""Entry checks on wording: glossary terms and do-not-translate terms as the glossary says,
and translations left undone (the English unchanged, or English fragments in a language not
written in Latin script)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from locpress.formats.spans import MASK, words
from locpress.qa.context import Context, Pair

_LATIN_RE = re.compile(r"[A-Za-z]")
_LOWER_WORD_RE = re.compile(r"(?<![A-Za-z])[a-z][a-z'’-]")
_LATIN_RUN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,:;]+[A-Za-z][A-Za-z'’-]*)*")
_PARENTHESES_RE = re.compile(r"\([^()]*\)|（[^（）]*）")
_DIRECTIVE_RE = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[hlLqjzt]*[A-Za-z]")


def _contains_term(target: str, term: str) -> bool:
    """Whole term, or (inflected languages) every word of it by its stem."""
    lowered, wanted = target.casefold(), term.casefold()
    if wanted in lowered:
        return True
    found = words(lowered)
    for part in words(wanted):
        stem = part[:max(4, len(part) - 3)] if len(part) > 4 else part
        if not any(word.startswith(stem) for word in found):
            return False
    return bool(found)


def glossary(pair: Pair, ctx: Context) -> Iterator[str]:
    """Glossary terms translated as the glossary says"""
    for term in ctx.terms(pair.source.prose):
        expected = term.target(ctx.rules.locale)
        if not term.dnt and expected and not _contains_term(pair.target.prose, expected):
            yield f'glossary: "{term.source}" is "{expected}" in {ctx.rules.name}'


def dnt(pair: Pair, ctx: Context) -> Iterator[str]:
    """Do-not-translate glossary terms kept verbatim"""
    for term in ctx.terms(pair.source.prose):
        if term.dnt and term.source not in pair.target.raw:
            yield f'"{term.source}" must stay as it is (do not translate)'


def _without_terms(text: str, ctx: Context, source: str) -> str:
    """A text without the glossary's fixed renderings (`IOM` stays `IOM` in every language)."""
    for term in ctx.terms(source):
        target = term.target(ctx.rules.locale)
        text = term.pattern.sub(MASK, text)
        if target and target in text:
            text = text.replace(target, MASK)
    return text


def _has_phrase(text: str) -> bool:
    """Two words or more, one of them an ordinary lower-case word: text a translator translates."""
    found = words(text)
    return len(found) >= 2 and any(len(w) >= 3 and w.islower() for w in found)


def unchanged(pair: Pair, ctx: Context) -> Iterator[str]:
    """Translation differs from the source when the source has words to translate"""
    if pair.target.raw == pair.source.raw and _has_phrase(_without_terms(pair.source.prose, ctx, pair.source.prose)):
        yield "the translation is the English source, unchanged"


def latin(pair: Pair, ctx: Context) -> Iterator[str]:
    """No English fragments left in a Korean, Chinese, Arabic, Russian, ... translation"""
    if not ctx.rules.non_latin or not _LOWER_WORD_RE.search(pair.target.raw) or pair.target.raw == pair.source.raw:
        return
    text = _PARENTHESES_RE.sub(MASK, _without_terms(pair.target.prose, ctx, pair.source.prose))
    text = _DIRECTIVE_RE.sub(MASK, text) if "%" in text else text
    if not _LATIN_RE.search(text):
        return
    source_words = {w.lower() for w in pair.source.words}
    for run in _LATIN_RUN_RE.findall(text):
        found = run.replace(",", " ").replace(":", " ").replace(";", " ").split()
        lower = [w for w in found if w[0].islower() and w.lower() in source_words]
        if any(len(w) >= 4 for w in lower) or (len(found) >= 2 and any(len(w) >= 2 for w in lower)):
            yield f'English left untranslated: "{run.strip(" ,:;")}"'
