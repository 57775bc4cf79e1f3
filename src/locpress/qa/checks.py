"""Quality checks: small named functions, each with a severity and a one-line title.

A localized release goes out under the organization's name, so a changed link, a dropped
figure or a stray `%` is a public mistake. Every check is a plain function listed in
`CHECKS` (which `locpress check --list` prints) and works at one of three scopes:

- **entry**: `(pair, context) -> messages` for each translated or fuzzy entry, once per
  plural form, comparing the source with its translation;
- **catalog**: `(file, context) -> (line, message)` for a whole catalog (header, syntax,
  up to date with its template);
- **locale**: `(files, context) -> (file, message, line)` across the catalogs of a locale.

A project disables checks with `[check] disable = [...]`; a translator silences one for an
entry with a `# locpress: ignore <check>` comment (or `#.`), or for a whole catalog with the
same comment on its header. Findings on fuzzy entries are at most warnings: a fuzzy entry
never reaches the output, and `status --fail-under` already counts it.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale

from locpress.config import Config, normalize_locale, plural_forms
from locpress.errors import CatalogError, ConfigError
from locpress.findings import CHECK_NAMES, ERROR, WARNING, Finding, counted
from locpress.formats import numbers
from locpress.formats.spans import MASK, Text, has_digit, words
from locpress.gettext import printf
from locpress.gettext.catalog import (
    Catalog,
    Message,
    header_value,
    merge,
    parse_po,
    write_po,
)
from locpress.gettext.headers import catalog_header
from locpress.qa.glossary import Glossary, Term

# --------------------------------------------------------------------------- locale rules

# language -> sentence enders accepted at the end of a translation, and the usual full stop.
_ENDERS: dict[str, tuple[str, str]] = {
    "zh": ("。！？…：；", "。"), "yue": ("。！？…：；", "。"), "ja": ("。！？…：", "。"),
    "ar": (".!؟?…:", "."), "fa": (".!؟?…:", "."), "ur": ("۔.!؟?…:", "۔"),
    "hi": ("।.!?…:", "।"), "mr": ("।.!?…:", "।"), "ne": ("।.!?…:", "।"), "bn": ("।.!?…:", "।"),
    "hy": ("։.!?…:՞", "։"), "el": (".!;;…:", "."), "my": ("။.!?", "။"), "am": ("።.!?", "።"),
}
_NO_FINAL_PUNCTUATION = frozenset({"th", "lo", "km"})
_FULL_WIDTH_LANGUAGES = frozenset({"zh", "yue", "ja"})
_FULL_WIDTH = {".": "。", ":": "：", "?": "？", "!": "！", ";": "；"}
_SOURCE_ENDERS = ".!?…:"
_CLOSERS = " \t\n\"'”’»›)]}*_`」』）】〕〉》" + MASK
# language -> quotation mark pairs (CLDR primary and alternate, plus what the press uses).
_QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("“", "”"), ("‘", "’")), "ko": (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")),
    "zh": (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")), "ja": (("「", "」"), ("『", "』"), ("“", "”")),
    "fr": (("«", "»"), ("“", "”")), "es": (("«", "»"), ("“", "”")), "it": (("«", "»"), ("“", "”")),
    "pt": (("“", "”"), ("«", "»")), "ru": (("«", "»"), ("„", "“")), "uk": (("«", "»"), ("„", "“")),
    "de": (("„", "“"), ("»", "«"), ("‚", "‘")), "pl": (("„", "”"), ("«", "»")), "ar": (("«", "»"), ("”", "“"), ("“", "”")),
    "fa": (("«", "»"),), "he": (("”", "”"), ("“", "”")), "el": (("«", "»"), ("“", "”")), "tr": (("“", "”"), ("«", "»")),
}
_DOUBLE_QUOTES = "“”«»„「」『』"
_NON_LATIN = frozenset({
    "ko", "ja", "zh", "yue", "ar", "fa", "ur", "ps", "he", "yi", "ru", "uk", "be", "bg", "mk", "sr", "kk", "ky",
    "tg", "mn", "el", "hy", "ka", "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn", "ml", "si", "th", "lo",
    "km", "my", "am", "ti", "dv"})
# Characters of translation per character of English, by language (measured on press releases).
_LENGTH_RATIO = {"zh": 0.3, "yue": 0.3, "ja": 0.45, "ko": 0.5, "ar": 0.9, "fa": 0.9, "he": 0.8, "ru": 1.1,
                 "uk": 1.1, "fr": 1.2, "es": 1.2, "pt": 1.2, "it": 1.15, "de": 1.2, "nl": 1.15, "pl": 1.1}
_LENGTH_MIN_SOURCE = 20  # shorter sources vary too much to judge


@dataclass(frozen=True)
class LocaleRules:
    """What a check needs to know about the target language."""

    locale: str
    language: str
    name: str
    enders: str | None
    full_stop: str
    quotes: tuple[tuple[str, str], ...]
    non_latin: bool
    length_ratio: float
    rtl: bool
    numbers: numbers.LocaleNumbers
    quote_chars: frozenset[str]


@lru_cache(maxsize=64)
def rules_for(locale: str) -> LocaleRules:
    data = Locale.parse(locale)
    language = data.language
    enders, stop = _ENDERS.get(language, (".!?…:", "."))
    quotes = _QUOTES.get(language, _QUOTES["en"] + (("«", "»"),))
    if language == "zh" and data.script == "Hant":
        quotes = (("「", "」"), ("『", "』"), ("“", "”"))
    return LocaleRules(
        locale=locale, language=language, name=data.english_name or locale,
        enders=None if language in _NO_FINAL_PUNCTUATION else enders, full_stop=stop, quotes=quotes,
        non_latin=language in _NON_LATIN and data.script != "Latn",
        length_ratio=_LENGTH_RATIO.get(language, 1.0), rtl=data.character_order == "right-to-left",
        numbers=numbers.for_locale(locale), quote_chars=frozenset(c for pair in quotes for c in pair))


@dataclass(frozen=True)
class Options:
    """The `[check]` configuration that the checks read."""

    min_length_ratio: float = 0.4
    max_length_ratio: float = 2.5

    @classmethod
    def from_config(cls, config: Config) -> Options:
        return cls(config.check_min_length_ratio, config.check_max_length_ratio)


@dataclass
class Context:
    """What entry and catalog checks read besides the entry: locale, glossary, options."""

    rules: LocaleRules
    glossary: Glossary = field(default_factory=Glossary)
    options: Options = field(default_factory=Options)
    config: Config | None = None
    nplurals: int | None = None
    seen: dict[tuple[Any, ...], list[tuple[Check, str]]] = field(default_factory=dict, repr=False)
    _found: dict[str, list[Term]] = field(default_factory=dict, repr=False)
    _any_term: re.Pattern[str] | None = field(default=None, repr=False)

    def terms(self, source: str) -> list[Term]:
        """Glossary terms in a source text; one combined search first, since most have none."""
        if not self.glossary.terms:
            return []
        if source not in self._found:
            if self._any_term is None:
                alternatives = "|".join(re.escape(t.source) for t in self.glossary.terms)
                self._any_term = re.compile(f"(?:{alternatives})", re.IGNORECASE)
            if len(self._found) > 10_000:
                self._found.clear()
            self._found[source] = self.glossary.find(source) if self._any_term.search(source) else []
        return self._found[source]


class Pair:
    """A source text and one translation of it (one plural form)."""

    __slots__ = ("source", "target", "message", "reader", "index", "strict", "_values")

    def __init__(self, source: Text, target: Text, message: Message, reader: numbers.LocaleNumbers,
                 index: int = 0, strict: bool = True) -> None:
        self.source, self.target, self.message, self.reader = source, target, message, reader
        self.index, self.strict = index, strict
        self._values: set[Decimal] | None = None

    @property
    def target_values(self) -> set[Decimal]:
        """Every value the translation's figures can be read as, in its locale."""
        if self._values is None:
            self._values = self.reader.values(self.target.plain) if has_digit(self.target.plain) else set()
        return self._values


# --------------------------------------------------------------------------- entry checks

# The placeholders `pretranslate` puts in place of protected spans (`[X0X]`), also as an
# engine may have respaced or recased them: one left in a translation lost its span.
TOKEN_RE = re.compile(r"[\[［]\s*[Xx]\s*\d+\s*[Xx]\s*[\]］]|(?<![\w\[［])[Xx]\d+[Xx](?![\w\]］])")
_EMPHASIS_RE = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])|~~")
_MARKUP_CHARS_RE = re.compile(r"[*_\[\]~]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LOWER_WORD_RE = re.compile(r"(?<![A-Za-z])[a-z][a-z'’-]")
_LATIN_RUN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,:;]+[A-Za-z][A-Za-z'’-]*)*")
_PARENTHESES_RE = re.compile(r"\([^()]*\)|（[^（）]*）")
_DIRECTIVE_RE = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[hlLqjzt]*[A-Za-z]")
_ABBREVIATION_END_RE = re.compile(r"(?:\b\w\.){2,}$|\b(?:etc|Inc|Ltd|Co|Corp|Jr|Sr|St|No|vs|approx)\.$")
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_BRACKET_CHARS_RE = re.compile(r"[()\[\]{}（）［］｛｝【】〔〕〈〉《》]")
_QUOTE_CHARS_RE = re.compile(r"[“”«»„「」『』\"]")


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


def _digits_only(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdigit())


def phones(pair: Pair, ctx: Context) -> Iterator[str]:
    """Phone numbers kept (any spacing)"""
    if not pair.source.phones:
        return
    target_digits = _digits_only(pair.target.prose)
    for phone in pair.source.phones:
        if _digits_only(phone) not in target_digits:
            yield f'phone number "{phone}" is not in the translation'


def numbers_kept(pair: Pair, ctx: Context) -> Iterator[str]:
    """Numbers kept, written in any of the locale's ways (1 234,5; 2억; 1,2 млрд)"""
    figures = pair.source.figures
    if not figures:
        return
    target = pair.target.plain
    for figure in figures:
        if numbers.verbatim(figure, target):
            continue
        if not pair.reader.written(figure, target, pair.target_values):
            yield f'number "{figure.text}" is not in the translation{_number_hint(pair, ctx)}'


def _number_hint(pair: Pair, ctx: Context) -> str:
    """The translation's own figures that match nothing in the source: likely the changed ones."""
    wanted: set[Decimal] = set()
    for figure in pair.source.figures:
        wanted |= figure.values
    for date in pair.source.dates:
        wanted |= {Decimal(n) for n in (date.day, date.month, date.year) if n}
    stray = [r.text for r in ctx.rules.numbers.readings(pair.target.plain) if not r.values & wanted]
    return f" (it has {', '.join(dict.fromkeys(stray[:3]))})" if stray else ""


def dates(pair: Pair, ctx: Context) -> Iterator[str]:
    """Dates kept: day, month and year (1 November 2023 = 2023년 11월 1일)"""
    for date in pair.source.dates:
        if ctx.rules.numbers.written_date(date, pair.target.plain):
            continue  # as the locale writes it (the common case)
        if not numbers.date_kept(date, ctx.rules.numbers, pair.target.plain, pair.target_values):
            example = ctx.rules.numbers.example(date)
            yield f'date "{date.text}" is not in the translation' + (f' ({ctx.rules.name}: "{example}")'
                                                                      if example else "")


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
    for opening, closing in pairs + _QUOTES["en"][:1] + (("«", "»"), ("„", "“"), ("「", "」"), ("『", "』")):
        if opening == closing or opening in seen or closing in seen or opening not in _DOUBLE_QUOTES:
            continue
        seen.update((opening, closing))
        balance += text.count(opening) - text.count(closing)
    return abs(balance) + text.count('"') % 2


_source_markup = lru_cache(maxsize=65536)(_markup_balance)  # a source is checked once per locale
_source_brackets = lru_cache(maxsize=65536)(_bracket_balance)
_source_quotes = lru_cache(maxsize=65536)(lambda text: _quote_balance(text, _QUOTES["en"]))


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


def ignore_comments(pair: Pair, ctx: Context) -> Iterator[str]:
    """`locpress: ignore` comments name checks that exist"""
    message = pair.message
    if pair.index == 0 and _mentions_ignore(message):
        for name in sorted(ignored(message) - _KNOWN):
            yield f'"locpress: ignore {name}" names no check (see `locpress check --list`)'


# --------------------------------------------------------------------------- catalog checks


@dataclass
class CatalogFile:
    """A catalog to check, as read from disk; `catalog` is None when it cannot be parsed."""

    locale: str
    release: str
    path: str
    data: bytes
    template: Catalog | None = None
    template_path: str = ""
    selected: bool = True
    catalog: Catalog | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)

    def parse(self) -> None:
        """Parse strictly; on failure keep the error, list every duplicate and check the rest."""
        try:
            self.catalog = parse_po(self.data, self.path)
        except CatalogError as exc:
            self.problems.append((exc.line or 1, exc.message))
            self.catalog = _salvage(self.data, self.path, self.problems)


def _salvage(data: bytes, path: str, problems: list[tuple[int, str]]) -> Catalog | None:
    """A file refused only for duplicate entries: report each, then read it without them.

    msgfmt reports every duplicate; the strict reader stops at the first. Blanking the
    later definitions (line numbers kept) lets the other entries still be checked.
    """
    if "duplicate message definition" not in problems[0][1]:
        return None
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    problems.clear()
    for first, line_numbers in _duplicates(lines):
        for number in line_numbers:
            problems.append((number, f"duplicate message definition (first defined at line {first})"))
            _blank_entry(lines, number - 1)
    try:
        return parse_po("\n".join(lines).encode("utf-8"), path)
    except CatalogError:
        return None


_KEY_LINE_RE = re.compile(r'^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_STRING_LINE_RE = re.compile(r'^(?:#~\s*)?"(.*)"\s*$')


def _duplicates(lines: list[str]) -> Iterator[tuple[int, list[int]]]:
    """(first line, later lines) of each (msgctxt, msgid) defined more than once."""
    seen: dict[tuple[str | None, str], list[int]] = {}
    context: str | None = None
    current = ""
    parts: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        key = _KEY_LINE_RE.match(line)
        more = _STRING_LINE_RE.match(line) if key is None else None
        if more is not None and current in ("msgctxt", "msgid"):
            parts.append(more.group(1))
            continue
        if current == "msgctxt":
            context = "".join(parts)
        elif current == "msgid":
            seen.setdefault((context, "".join(parts)), []).append(start)
            context = None
        current = key.group(1) if key else ("" if more is None else current)
        parts = [key.group(2)] if key else []
        start = number
    for found in seen.values():
        if len(found) > 1:
            yield found[0], found[1:]


def _blank_entry(lines: list[str], index: int) -> None:
    start = index
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = index
    while end < len(lines) and lines[end].strip():
        end += 1
    for position in range(start, end):
        lines[position] = ""


def syntax(file: CatalogFile, ctx: Context) -> Iterator[tuple[int, str]]:
    """Catalog is valid gettext, as msgfmt --check and locpress's strict reader require"""
    yield from file.problems


def _plural_function(expression: str) -> Callable[[int], int] | None:
    try:
        return gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        return None


_SAMPLE_COUNTS = tuple(range(0, 1001)) + (10_000, 100_000, 1_000_000, 2_000_000, 10_000_000)


def _plural_parts(value: str) -> tuple[int | None, str]:
    counts = re.search(r"nplurals\s*=\s*(\d+)", value)
    rule = re.search(r"plural\s*=\s*([^;]+);?", value)
    return (int(counts.group(1)) if counts else None), (rule.group(1).strip() if rule else "")


def header(file: CatalogFile, ctx: Context) -> Iterator[tuple[int, str]]:
    """Header Language and Plural-Forms match the catalog's locale"""
    catalog, locale = file.catalog, ctx.rules.locale
    if catalog is None:
        return
    line = catalog.header.lineno or 1
    language = header_value(catalog, "Language")
    if not language:
        yield line, f"header has no Language (expected {locale})"
    elif not _same_language(language, locale):
        yield line, f"header Language is {language!r}, but the catalog is for {locale}"
    value = header_value(catalog, "Plural-Forms")
    expected = plural_forms(locale)
    if not value:
        yield line, f"header has no Plural-Forms (expected {expected!r})"
        return
    if not _same_plurals(value, expected):
        yield line, f"header Plural-Forms {value!r} differs from {locale}'s {expected!r}"


@lru_cache(maxsize=256)
def _same_language(declared: str, locale: str) -> bool:
    try:
        found = Locale.parse(normalize_locale(declared.strip(), "Language"))
    except (ConfigError, ValueError):
        return False
    wanted = Locale.parse(locale)
    if found.language != wanted.language:
        return False
    if found.script and wanted.script and found.script != wanted.script:
        return False
    return not (wanted.territory and found.territory != wanted.territory)


@lru_cache(maxsize=256)
def _same_plurals(value: str, expected: str) -> bool:
    count, rule = _plural_parts(value)
    expected_count, expected_rule = _plural_parts(expected)
    if count != expected_count:
        return False
    if re.sub(r"\s", "", rule) == re.sub(r"\s", "", expected_rule):
        return True
    ours, theirs = _plural_function(rule), _plural_function(expected_rule)
    return ours is not None and theirs is not None and all(ours(n) == theirs(n) for n in _SAMPLE_COUNTS)


def published_outdated(_file: CatalogFile, _ctx: Context) -> Iterator[tuple[int, str]]:
    """Published release in output/ differs from what `build` would publish now (build.keep_outdated)"""
    return iter(())  # compared by the pipeline, which knows the output folder (Pipeline.outdated_findings)


def outdated(file: CatalogFile, ctx: Context) -> Iterator[tuple[int, str]]:
    """Catalog up to date with its template (`locpress update` would not change its entries)"""
    catalog = file.catalog
    if catalog is None or ctx.config is None:
        return
    if file.template is None:
        if file.template_path:
            yield catalog.header.lineno or 1, f"no template {file.template_path}: run `locpress extract`"
        return
    if in_step(file.template, catalog):
        return
    fields = catalog_header(ctx.config, file.locale, file.template, catalog, "")
    merged = merge(file.template, catalog, fields)
    before = write_po(Catalog(header=catalog.header, messages=catalog.messages))
    after = write_po(Catalog(header=catalog.header, messages=merged.messages))
    if before != after:
        yield (catalog.header.lineno or 1,
               f"out of date with {file.template_path}: `locpress update` would {_changes(catalog, merged)}")


def in_step(template: Catalog, catalog: Catalog) -> bool:
    """A quick proof that `merge` would give back the same entries (so write_po need not run).

    True only when every template entry has its exact counterpart, in the same order, with
    the same comments, references and flags, and nothing else would move: then each merged
    entry equals the old one field by field. Anything else goes to the full comparison.
    """
    live = [m for m in catalog.messages if not m.obsolete]
    wanted = [m for m in template.messages if not m.obsolete]
    if len(live) != len(wanted):
        return False
    for old, ref in zip(live, wanted):
        if (old.key != ref.key or old.msgid_plural != ref.msgid_plural or old.auto_comments != ref.auto_comments
                or old.references != ref.references or _flags(old) != _flags(ref)):
            return False
        previous = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural)
        if previous != (None, None, None) and ("fuzzy" not in old.flags or not old.first_msgstr
                                                or previous == (ref.msgctxt, ref.msgid, ref.msgid_plural)):
            return False
    for old in catalog.messages:
        if old.obsolete and (old.auto_comments or old.references or old.previous_msgid == old.msgid):
            return False
    return True


def _flags(message: Message) -> list[str]:
    return [flag for flag in message.flags if flag != "fuzzy"]


def _changes(old: Catalog, new: Catalog) -> str:
    before = {m.key: m for m in old.messages if not m.obsolete}
    after = {m.key: m for m in new.messages if not m.obsolete}
    added = sum(1 for key in after if key not in before)
    removed = sum(1 for key in before if key not in after)
    fuzzy = sum(1 for key, m in after.items() if key not in before and m.fuzzy)
    parts = [f"add {counted(added - fuzzy, 'new entry')}" if added - fuzzy else "",
             f"add {counted(fuzzy, 'fuzzy entry')}" if fuzzy else "",
             f"make {counted(removed, 'entry')} obsolete" if removed else ""]
    said = [p for p in parts if p]
    return ", ".join(said) if said else "change the references, comments or order of entries"


# --------------------------------------------------------------------------- locale checks


def _reviewed_singulars(files: Sequence[CatalogFile]) -> Iterator[tuple[CatalogFile, Message]]:
    for file in files:
        for message in file.catalog.messages if file.catalog else ():
            if message.msgstr and message.msgid_plural is None and not message.obsolete and "fuzzy" not in message.flags:
                yield file, message


def consistency(files: Sequence[CatalogFile], ctx: Context) -> Iterator[tuple[CatalogFile, Message, str]]:
    """Same source translated the same way across the releases of a locale"""
    first: dict[tuple[str | None, str], str] = {}
    clashing: set[tuple[str | None, str]] = set()
    for _file, message in _reviewed_singulars(files):  # a quick pass: most sources never clash
        key = (message.msgctxt, message.msgid)
        seen = first.setdefault(key, message.msgstr)
        if seen != message.msgstr:
            clashing.add(key)
    variants: dict[tuple[str | None, str], dict[str, list[tuple[CatalogFile, Message]]]] = {}
    for file, message in _reviewed_singulars(files) if clashing else ():
        if (message.msgctxt, message.msgid) in clashing:
            variants.setdefault((message.msgctxt, message.msgid), {}).setdefault(message.msgstr, []).append((file, message))
    for by_text in variants.values():
        if len(by_text) < 2:
            continue
        # The most frequent translation is the reference; on a tie, the earliest release's.
        usual = min(by_text.values(), key=lambda places: (-len(places), min(f.release for f, _m in places)))
        other_file, other = min(usual, key=lambda place: place[0].release)
        for places in by_text.values():
            if places is usual:
                continue
            for file, message in places:
                if file.selected:
                    yield file, message, (f'translated differently in {other_file.release} (line {other.lineno}): '
                                          f'"{other.msgstr}"')


# --------------------------------------------------------------------------- the list


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: there is one of each
class Check:
    """A named check: its function, severity and scope; the title is the docstring's first line.

    `needs` says what an entry check cannot do without, so the runner skips it at no cost:
    "special" (a link, code, tag, URL or e-mail on either side), "digits" (in the source),
    "ignores" (a `locpress: ignore` comment), "glossary" (a project glossary) or "non-latin"
    (a target language not written in Latin script).
    """

    name: str
    severity: str
    scope: str  # "entry", "catalog", "locale" or "output" (the published file, compared by the pipeline)
    function: Callable[..., Iterable[Any]]
    needs: str = ""

    @property
    def title(self) -> str:
        return (self.function.__doc__ or "").strip().splitlines()[0]


CHECKS: tuple[Check, ...] = (
    Check("syntax", ERROR, "catalog", syntax),
    Check("header", ERROR, "catalog", header),
    Check("outdated", ERROR, "catalog", outdated),
    Check("format-string", ERROR, "entry", format_strings),
    Check("plurals", ERROR, "entry", plurals),
    Check("links", ERROR, "entry", links, "special"),
    Check("code", ERROR, "entry", code, "special"),
    Check("html", ERROR, "entry", html, "special"),
    Check("markdown", ERROR, "entry", markdown),
    Check("tokens", ERROR, "entry", tokens),
    Check("urls", ERROR, "entry", urls, "special"),
    Check("emails", ERROR, "entry", emails, "special"),
    Check("phones", ERROR, "entry", phones, "digits"),
    Check("numbers", ERROR, "entry", numbers_kept, "digits"),
    Check("dates", ERROR, "entry", dates, "digits"),
    Check("dnt", ERROR, "entry", dnt, "glossary"),
    Check("whitespace", ERROR, "entry", whitespace),
    Check("glossary", WARNING, "entry", glossary, "glossary"),
    Check("unchanged", WARNING, "entry", unchanged),
    Check("latin", WARNING, "entry", latin, "non-latin"),
    Check("double-space", WARNING, "entry", double_space),
    Check("brackets", WARNING, "entry", brackets),
    Check("quotes", WARNING, "entry", quotes),
    Check("punctuation", WARNING, "entry", punctuation),
    Check("length", WARNING, "entry", length),
    Check("ignore-comment", WARNING, "entry", ignore_comments, "ignores"),
    Check("consistency", WARNING, "locale", consistency),
    Check("published-outdated", WARNING, "output", published_outdated),
)
NAMES = CHECK_NAMES
if tuple(check.name for check in CHECKS) != NAMES:  # a check added here must be named in findings too
    raise RuntimeError("checks.CHECKS and findings.CHECK_NAMES disagree")
ENTRY_CHECKS = tuple(check for check in CHECKS if check.scope == "entry")
_KNOWN = frozenset(NAMES)


def selected(disabled: Iterable[str], where: str = "locpress.toml") -> tuple[Check, ...]:
    """The checks left after `[check] disable`; an unknown name is a configuration error."""
    disabled = tuple(disabled)
    for name in disabled:
        if name not in NAMES:
            raise ConfigError(f"key 'check.disable': unknown check {name!r} (see `locpress check --list`)", where)
    return tuple(check for check in CHECKS if check.name not in disabled)


# --------------------------------------------------------------------------- running

_NOTHING: frozenset[str] = frozenset()
_IGNORE_RE = re.compile(r"^\s*locpress:\s*ignore\s+(.+)$")


def _mentions_ignore(message: Message) -> bool:
    return any("ignore" in c for c in message.translator_comments) or any("ignore" in c for c in message.auto_comments)


#: The provenance of a pseudo-localized entry (`pretranslate --engine pseudo`), and the checks
#: that do not apply to it: accented words, brackets and padding are what it is for (a layout
#: check); it is never accepted nor published. Markup, links, tokens and the like still are.
PSEUDO_MARK = "locpress: mt pseudo"
PSEUDO_SKIPS = frozenset({"numbers", "dates", "glossary", "dnt", "unchanged", "latin", "brackets", "quotes",
                          "punctuation", "length", "double-space", "consistency"})


def _pseudo(message: Message) -> bool:
    """Still the pseudo engine's text: fuzzy, from it, and its padding at the end. Once a person
    writes a translation there or marks it reviewed, every check applies again."""
    return ("fuzzy" in message.flags and PSEUDO_MARK in message.auto_comments
            and message.msgid_plural is None and message.msgstr.endswith("·]"))


def ignored(message: Message) -> frozenset[str]:
    """Checks silenced by `# locpress: ignore a, b` (or `#.`) comments on an entry."""
    names: set[str] = set()
    for comment in message.translator_comments + message.auto_comments:
        if "ignore" not in comment:
            continue
        match = _IGNORE_RE.match(comment)
        if match:
            names.update(n for n in re.split(r"[,\s]+", match.group(1).strip()) if n)
    return frozenset(names)


def provenance(message: Message) -> list[str]:
    """`#. locpress: ...` comments other than ignores: where a translation came from."""
    return [c.split(":", 1)[1].strip() for c in message.auto_comments
            if c.startswith("locpress:") and not _IGNORE_RE.match(c)]


@lru_cache(maxsize=65536)
def source_text(raw: str) -> Text:
    """The analysed source, shared by every locale: a release's catalogs repeat their sources."""
    return Text(raw)


def _pairs(message: Message, nplurals: int | None, rules: LocaleRules) -> list[Pair]:
    source = source_text(message.msgid)
    if message.msgid_plural is None:
        return [Pair(source, Text(message.msgstr), message, rules.numbers)]
    plural = source_text(message.msgid_plural)
    forms = message.msgstr_plural
    single = len(forms) == 1 or nplurals == 1
    return [Pair(plural if (index or single) else source, Text(text), message, rules.numbers, index, strict=False)
            for index, text in sorted(forms.items()) if text]


def _nplurals(catalog: Catalog) -> int | None:
    return _plural_parts(header_value(catalog, "Plural-Forms") or "")[0]


def check_file(file: CatalogFile, ctx: Context, checks: Sequence[Check]) -> list[Finding]:
    """Every catalog and entry check over one parsed catalog."""
    findings: list[Finding] = []
    silenced = ignored(file.catalog.header) if file.catalog else _NOTHING
    for check in checks:
        if check.scope == "catalog" and check.name not in silenced:
            findings.extend(Finding(check.name, check.severity, message, file.locale, file.release, file.path, line)
                            for line, message in check.function(file, ctx))
    if file.catalog is None:
        return findings
    ctx.nplurals = _nplurals(file.catalog)
    entry_checks = tuple(c for c in checks if c.scope == "entry" and c.name not in silenced
                         and (c.needs != "glossary" or ctx.glossary.terms)
                         and (c.needs != "non-latin" or ctx.rules.non_latin))
    for message in file.catalog.messages:
        if message.obsolete or not (message.msgstr or any(message.msgstr_plural.values())):
            continue
        skip = ignored(message) if _mentions_ignore(message) else _NOTHING
        if _pseudo(message):
            skip = skip | PSEUDO_SKIPS
        key = (message.msgid, message.msgstr, message.msgid_plural,
               tuple(message.msgstr_plural.items()) if message.msgstr_plural else None,
               tuple(message.flags) if message.flags else None, skip, ctx.nplurals, silenced)
        said = ctx.seen.get(key)
        if said is None:  # boilerplate repeats across releases: the same entry is checked once
            said = ctx.seen[key] = check_message(message, ctx, entry_checks, skip)
        fuzzy = "fuzzy" in message.flags
        findings.extend(Finding(check.name, WARNING if fuzzy else check.severity, text, file.locale, file.release,
                                file.path, message.lineno or 1, message.msgid, message.msgctxt,
                                message.msgstr if message.msgid_plural is None else message.first_msgstr, fuzzy)
                        for check, text in said)
    return findings


def check_message(message: Message, ctx: Context, checks: Sequence[Check] | None = None,
                  skip: frozenset[str] | set[str] = frozenset()) -> list[tuple[Check, str]]:
    """(check, message) for what the entry checks find, each message once across plural forms."""
    said: list[tuple[Check, str]] = []
    for pair in _pairs(message, ctx.nplurals, ctx.rules):
        special, digits = pair.source.special or pair.target.special, pair.source.digits
        for check in ENTRY_CHECKS if checks is None else checks:
            needs = check.needs
            if needs and ((needs == "special" and not special) or (needs == "digits" and not digits)
                          or (needs == "ignores" and not skip)):
                continue
            if skip and check.name in skip:
                continue
            for text in check.function(pair, ctx):
                if (check, text) not in said:  # plural forms often repeat a finding
                    said.append((check, text))
    return said


def check_locale(files: Sequence[CatalogFile], ctx: Context, checks: Sequence[Check]) -> list[Finding]:
    """Run the checks over the catalogs of one locale; files not `selected` only inform consistency."""
    findings: list[Finding] = []
    for file in files:
        if file.selected:
            findings.extend(check_file(file, ctx, checks))
    for check in checks:
        if check.scope != "locale":
            continue
        for file, message, text in check.function(files, ctx):
            if check.name in ignored(message) or (file.catalog and check.name in ignored(file.catalog.header)):
                continue
            findings.append(Finding(check.name, check.severity, text, file.locale, file.release, file.path,
                                    message.lineno or 1, message.msgid, message.msgctxt, message.msgstr))
    order = {file.path: index for index, file in enumerate(files)}
    findings.sort(key=lambda f: (order.get(f.path, 0), f.line, NAMES.index(f.check)))
    return findings


def context(locale: str, config: Config | None = None, glossary_: Glossary | None = None) -> Context:
    options = Options.from_config(config) if config is not None else Options()
    return Context(rules_for(locale), glossary_ or Glossary(), options, config)

