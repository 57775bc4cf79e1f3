"""What every check reads: the target language's rules, the `[check]` options, the context
object handed to each check, and the (source, translation) pair an entry check compares.

Shared by the registry and driver (`checks`) and the rule modules (`rules_*`), so that neither
imports the other's side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale

from locpress.config import Config
from locpress.formats import numbers
from locpress.formats.spans import Text, has_digit
from locpress.gettext.catalog import Message
from locpress.qa.glossary import Glossary, Term

# language -> sentence enders accepted at the end of a translation, and the usual full stop.
_ENDERS: dict[str, tuple[str, str]] = {
    "zh": ("。！？…：；", "。"), "yue": ("。！？…：；", "。"), "ja": ("。！？…：", "。"),
    "ar": (".!؟?…:", "."), "fa": (".!؟?…:", "."), "ur": ("۔.!؟?…:", "۔"),
    "hi": ("।.!?…:", "।"), "mr": ("।.!?…:", "।"), "ne": ("।.!?…:", "।"), "bn": ("।.!?…:", "।"),
    "hy": ("։.!?…:՞", "։"), "el": (".!;;…:", "."), "my": ("။.!?", "။"), "am": ("።.!?", "።"),
}
_NO_FINAL_PUNCTUATION = frozenset({"th", "lo", "km"})
# language -> quotation mark pairs (CLDR primary and alternate, plus what the press uses).
QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("“", "”"), ("‘", "’")), "ko": (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")),
    "zh": (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")), "ja": (("「", "」"), ("『", "』"), ("“", "”")),
    "fr": (("«", "»"), ("“", "”")), "es": (("«", "»"), ("“", "”")), "it": (("«", "»"), ("“", "”")),
    "pt": (("“", "”"), ("«", "»")), "ru": (("«", "»"), ("„", "“")), "uk": (("«", "»"), ("„", "“")),
    "de": (("„", "“"), ("»", "«"), ("‚", "‘")), "pl": (("„", "”"), ("«", "»")), "ar": (("«", "»"), ("”", "“"), ("“", "”")),
    "fa": (("«", "»"),), "he": (("”", "”"), ("“", "”")), "el": (("«", "»"), ("“", "”")), "tr": (("“", "”"), ("«", "»")),
}
_NON_LATIN = frozenset({
    "ko", "ja", "zh", "yue", "ar", "fa", "ur", "ps", "he", "yi", "ru", "uk", "be", "bg", "mk", "sr", "kk", "ky",
    "tg", "mn", "el", "hy", "ka", "hi", "mr", "ne", "bn", "pa", "gu", "ta", "te", "kn", "ml", "si", "th", "lo",
    "km", "my", "am", "ti", "dv"})
# Characters of translation per character of English, by language (measured on press releases).
_LENGTH_RATIO = {"zh": 0.3, "yue": 0.3, "ja": 0.45, "ko": 0.5, "ar": 0.9, "fa": 0.9, "he": 0.8, "ru": 1.1,
                 "uk": 1.1, "fr": 1.2, "es": 1.2, "pt": 1.2, "it": 1.15, "de": 1.2, "nl": 1.15, "pl": 1.1}


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
    quotes = QUOTES.get(language, QUOTES["en"] + (("«", "»"),))
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
    #: entry key -> the (check, message) pairs the driver found for it (`checks.Check`, named
    #: here as Any: this module cannot import the registry that imports it).
    seen: dict[tuple[Any, ...], list[tuple[Any, str]]] = field(default_factory=dict, repr=False)
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

