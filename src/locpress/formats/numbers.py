"""Numbers and dates as each locale writes them, so that a check can tell `2억` from a typo.

A figure is *kept* when the translation contains the same value written in any way the
target locale writes numbers: its decimal and group symbols (`1 234,5` in French), its
digits (Arabic-Indic `٤١`), and its compact units taken from Babel's CLDR data (`2억` is
200 million in Korean, `1,2 млрд` is 1.2 billion in Russian, `3 mil millones` in Spanish).
Readings are deliberately generous (an ambiguous `1,234` in French counts as both 1.234 and
1234): a check built on this must never call a correct translation wrong, and a changed
figure still has to match some *other* value to slip through.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH_ABBR = {name[:3]: index for index, name in enumerate(MONTHS, 1)} | {"sept": 9}
_MONTH = (r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)")
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>\d{{4}})"
# "1 November 2023", "30 November", "November 1, 2023", "Nov. 1", "November 2023".
_DATE_RE = re.compile(
    r"(?<![\w.,])(?:" + _DAY.format(g="d1") + r"\s+" + _MONTH.format(g="m1") + r"(?:,?\s+" + _YEAR.format(g="y1") + ")?"
    + r"|" + _MONTH.format(g="m2") + r"\s+" + _DAY.format(g="d2") + r"(?![\d,.]\d)(?:,?\s+" + _YEAR.format(g="y2") + ")?"
    + r"|" + _MONTH.format(g="m3") + r"\s+" + _YEAR.format(g="y3") + r")(?![\w])")

_EN_SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_EN_SHORT_SCALES = {"k": 3, "m": 6, "mn": 6, "bn": 9, "tn": 12}
# A figure in English: 1,234.5 / 12.5 million / USD 41.5m / 41% (the sign adds nothing).
_EN_NUMBER_RE = re.compile(
    r"(?<!\d)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?!\d)(?:\s?%|\s(?:percent|per cent)\b)?"
    r"(?:[\s-]?(?P<scale>thousand|million|billion|trillion)s?\b|(?P<short>k|m|mn|bn|tn)\b)?",
    re.IGNORECASE)
# A run of digits of any script with the separators some locale puts between them.
_TARGET_TOKEN_RE = re.compile(r"\d+(?:[.,'’\u00a0\u202f \u066b\u066c]\d+)*")
_SPACES = "\u00a0\u202f "
_SPACE_SET = frozenset(_SPACES)
_DIGITS = re.compile(r"\d+")
# Languages whose compact units stack and add up: 2억 5천만 = 250 million.
_ADDITIVE = frozenset({"ko", "zh", "ja", "yue"})


@dataclass(frozen=True)
class Figure:
    """A number in the source: as written, and the values a translation may show for it.

    A version number (`3.7.1`) has no values: it must appear as written.
    """

    text: str
    values: frozenset[Decimal]
    start: int
    end: int
    number: str = ""  # the digits as written when the value needs no scale word ("98,000", "41")

    @property
    def small(self) -> int | None:
        """The value when it is a whole number up to ten, which languages often spell out."""
        value = next(iter(self.values)) if len(self.values) == 1 else None
        return int(value) if value is not None and value == value.to_integral_value() and 0 <= value <= 10 else None


@dataclass(frozen=True)
class SourceDate:
    """A date written in English; missing parts (no year, no day) are None."""

    text: str
    month: int
    day: int | None
    year: int | None
    start: int
    end: int


def english_dates(text: str) -> list[SourceDate]:
    """Dates such as `1 November 2023`, `Nov. 1`, `November 2023` in an English text."""
    found = []
    for match in _DATE_RE.finditer(text):
        groups = match.groupdict()
        month_name = groups["m1"] or groups["m2"] or groups["m3"]
        day = groups["d1"] or groups["d2"]
        year = groups["y1"] or groups["y2"] or groups["y3"]
        if day is not None and not 1 <= int(day) <= 31:
            continue
        month = _MONTH_ABBR[month_name.rstrip(".").lower()[:3]]
        found.append(SourceDate(match.group(0), month, int(day) if day else None,
                                int(year) if year else None, match.start(), match.end()))
    return found


_VERSION_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d])")


def english_figures(text: str) -> list[Figure]:
    """Every figure of an English text (dates excluded: they are checked as dates)."""
    figures = [Figure(m.group(0), frozenset(), m.start(), m.end()) for m in _VERSION_RE.finditer(text)]
    if figures:
        text = _VERSION_RE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _EN_NUMBER_RE.finditer(text):
        values, plain = _figure_values(*match.group("int", "frac", "scale", "short"))
        figures.append(Figure(match.group(0), values, match.start(), match.end(), plain))
    return sorted(figures, key=lambda f: f.start)


@lru_cache(maxsize=4096)
def _figure_values(whole: str, frac: str | None, scale: str | None, short: str | None) -> tuple[frozenset[Decimal], str]:
    """The values of one figure and its digits as written (cached: a release repeats its figures)."""
    value = Decimal(whole.replace(",", "") + (frac or ""))
    values = {value}
    if scale:
        values = {value.scaleb(_EN_SCALES[scale.lower()])}
    elif short:
        values.add(value.scaleb(_EN_SHORT_SCALES[short.lower()]))
    plain = "" if scale or short else whole + (frac or "")
    return frozenset(_normal(v) for v in values), plain


def _normal(value: Decimal) -> Decimal:
    """One representation per value, so that 12.50 and 12.5 and 1.25E+1 compare equal."""
    return value.normalize() if value else Decimal(0)


class Reading(NamedTuple):
    """A number token of a translation and every value it can stand for."""

    text: str
    values: frozenset[Decimal]
    start: int
    end: int
    magnitude: int  # the power of ten of its compact unit (0 without one)


class LocaleNumbers:
    """How one locale writes numbers and months, from Babel's CLDR data."""

    def __init__(self, locale: str) -> None:
        data = Locale.parse(locale)
        self.locale = locale
        self.language = data.language
        symbols = data.number_symbols
        latn = symbols.get("latn", symbols)
        self.decimals = {latn.get("decimal", "."), "\u066b"}
        self.groups = {latn.get("group", ","), "\u066c"} | set(_SPACES)
        for system in ("arab", "arabext"):
            if system in symbols:
                self.decimals.add(symbols[system].get("decimal", "."))
                self.groups.add(symbols[system].get("group", ","))
        self.units = _units(data)
        self.powers = {word: power for word, power, _bounded in self.units}
        alternatives = "|".join(re.escape(word) + (r"(?!\w)" if bounded else "") for word, _p, bounded in self.units)
        self.unit_re = re.compile(f"[{_SPACES}]{{0,2}}({alternatives})", re.IGNORECASE)
        self.additive = self.language in _ADDITIVE
        self.month_names = _month_names(data)
        self.words = _number_words(self.language)
        self._tokens: dict[str, frozenset[Decimal]] = {}
        self._dates: dict[tuple[int, int | None, int | None], tuple[str, ...]] = {}

    def spelled(self, value: int, text: str) -> bool:
        """A small number written as a word: Korean 세 명, French trois, Chinese 三."""
        return any(pattern.search(text) for pattern in self.words.get(value, ()))

    def written(self, figure: Figure, text: str, values: set[Decimal]) -> bool:
        """The figure appears in a translation, whichever way the locale writes it."""
        if not figure.values:
            return figure.text in _ascii_digits(text)
        if figure.values & values:
            return True
        small = figure.small
        return small is not None and self.spelled(small, text)

    def readings(self, text: str) -> list[Reading]:
        """Every number token of a text with its possible values, compact units applied."""
        found: list[Reading] = []
        for match in _TARGET_TOKEN_RE.finditer(text):
            token = match.group(0).rstrip(_SPACES)
            plain = self._plain(token)
            end = match.start() + len(token)
            magnitude, end_unit = self._unit_after(text, end) if end < len(text) else (0, end)
            values = plain | {_normal(v.scaleb(magnitude)) for v in plain} if magnitude else plain
            found.append(Reading(token, values, match.start(), end_unit, magnitude))
        if self.additive:
            found.extend(_sums(found, text))
        return found

    def _plain(self, token: str) -> frozenset[Decimal]:
        """The unit-less readings of a token, remembered: years and counts recur constantly."""
        found = self._tokens.get(token)
        if found is None:
            if len(self._tokens) > 50_000:
                self._tokens.clear()
            found = self._tokens[token] = frozenset(_plain_values(token, self.decimals, self.groups))
        return found

    def values(self, text: str) -> set[Decimal]:
        """All values a text shows, whatever way each is written."""
        return {value for reading in self.readings(text) for value in reading.values}

    def _unit_after(self, text: str, end: int) -> tuple[int, int]:
        """The compact unit right after a number (several stacked in CJK: 5천만 = 5*10^7)."""
        total = 0
        position = end
        while True:
            match = self.unit_re.match(text, position)
            if match is None:
                return total, position
            total += self.powers[match.group(1).lower()]
            position = match.end()
            if not self.additive:
                return total, position

    def has_month(self, month: int, text: str, values: set[Decimal]) -> bool:
        """A month appears as its number (11월, 11月), a local name or the English name."""
        if Decimal(month) in values:
            return True
        lowered = text.lower()
        return any(name in lowered for name in self.month_names[month])

    def example(self, date: SourceDate) -> str:
        """How the locale writes a date, for the message that says it is missing."""
        forms = self.date_forms(date)
        return forms[0] if forms else ""

    def written_date(self, date: SourceDate, text: str) -> bool:
        """The date appears in one of the locale's own forms."""
        return any(form in text for form in self.date_forms(date))

    def date_forms(self, date: SourceDate) -> tuple[str, ...]:
        """The locale's long form of a complete date (`2023년 11월 1일`); others go by their parts."""
        key = (date.month, date.day, date.year)
        if key not in self._dates:
            forms: tuple[str, ...] = ()
            if date.year and date.day:
                try:
                    day = datetime.date(date.year, date.month, date.day)
                except ValueError:
                    day = None
                if day is not None:
                    forms = (format_date(day, "long", locale=self.locale),)
            self._dates[key] = forms
        return self._dates[key]


@lru_cache(maxsize=64)
def for_locale(locale: str) -> LocaleNumbers:
    return LocaleNumbers(locale)


def verbatim(figure: Figure, text: str) -> bool:
    """The figure's number appears as written, as a whole number (the fast, common case).

    Only for figures without a scale word: `12.5` alone in a translation of `12.5 million`
    is not the same figure.
    """
    written = figure.number
    if not written:
        return False
    at = text.find(written)
    while at >= 0:
        end = at + len(written)
        before, after = text[at - 1:at], text[end:end + 1]
        if not (before.isdigit() or after.isdigit() or (after in ".," and text[end + 1:end + 2].isdigit())):
            return True
        at = text.find(written, at + 1)
    return False


def date_kept(date: SourceDate, numbers: LocaleNumbers, text: str, values: set[Decimal]) -> bool:
    """Day, month and year of a source date all appear in the translation."""
    if any(form in text for form in numbers.date_forms(date)):
        return True
    if date.year is not None and Decimal(date.year) not in values:
        return False
    if date.day is not None and Decimal(date.day) not in values:
        return False
    return numbers.has_month(date.month, text, values)


def _plain_values(token: str, decimals: set[str], groups: set[str]) -> set[Decimal]:
    """Readings of a token without units: English, the locale's, and each run of digits."""
    ascii_token = _ascii_digits(token)
    if ascii_token.isdigit():
        return {_normal(Decimal(ascii_token))}
    values: set[Decimal] = set()
    separators = {c for c in ascii_token if not c.isdigit()}
    pieces = [ascii_token] + [p for p in re.split(f"[{_SPACES}]", ascii_token) if p] if separators & _SPACE_SET \
        else [ascii_token]
    for decimal in (separators & (decimals | {"."})) | {""}:
        for group in (separators & (groups | {","})) | {""}:
            if group == decimal and group:
                continue
            for piece in pieces:
                value = _read(piece, group or "\0", decimal or "\0")
                if value is not None:
                    values.add(value)
    values.update(Decimal(run) for run in _DIGITS.findall(ascii_token))
    return {_normal(v) for v in values}


_READ_CACHE: dict[tuple[str, str, str], Decimal | None] = {}


def _read(piece: str, group: str, decimal: str) -> Decimal | None:
    key = (piece, group, decimal)
    if key not in _READ_CACHE:
        if len(_READ_CACHE) > 100_000:
            _READ_CACHE.clear()
        _READ_CACHE[key] = _read_uncached(piece, group, decimal)
    return _READ_CACHE[key]


def _read_uncached(piece: str, group: str, decimal: str) -> Decimal | None:
    whole, _, fraction = piece.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    parts = whole.split(group) if group not in _SPACES else re.split(f"[{_SPACES}]", whole)
    if len(parts) > 1 and (not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:])):
        return None
    digits = "".join(parts)
    if not digits.isdigit():
        return None
    try:
        return Decimal(digits + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None


_DIGIT_TABLE: dict[int, str] = {}


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return text
    for char in text:
        if char.isdigit() and ord(char) not in _DIGIT_TABLE and not char.isascii():
            try:
                _DIGIT_TABLE[ord(char)] = str(int(char))
            except ValueError:
                pass
    return text.translate(_DIGIT_TABLE)


def _units(data: Locale) -> list[tuple[str, int, bool]]:
    """Compact units (word, power of ten, needs a word boundary), longest first.

    From CLDR patterns such as `0억` (10^8) or `00 mil M` (10^10 written as 10 x 10^9):
    the power is the magnitude less the zeros of the pattern plus one. English scale
    words are added where the locale does not use the same word for another value
    (French `billion` is 10^12).
    """
    units: dict[str, int] = {}
    for width in ("short", "long"):
        for per_category in data.compact_decimal_formats.get(width, {}).values():
            for magnitude, pattern in per_category.items():
                text = pattern.pattern.replace("'", "")
                word = text.replace("0", "").strip(_SPACES + " ").lower()
                zeros = text.count("0")
                if word and zeros and word not in units and "¤" not in word:
                    units[word] = len(str(magnitude)) - 1 - (zeros - 1)
    for word, power in (_EN_SCALES | {"millions": 6, "billions": 9, "thousands": 3}).items():
        units.setdefault(word, power)
    for word, power in {"tys.": 3, "mln": 6, "mld": 9, "bln": 9, "k": 3}.items():
        units.setdefault(word, power)
    ordered = sorted(units.items(), key=lambda item: -len(item[0]))
    return [(word, power, _cased(word)) for word, power in ordered]


def _cased(word: str) -> bool:
    """Words of cased scripts (Cyrillic, Latin) need a boundary; a Hangul or CJK unit does not."""
    return word[-1].lower() != word[-1].upper()


def _month_names(data: Locale) -> dict[int, tuple[str, ...]]:
    names: dict[int, set[str]] = {m: {MONTHS[m - 1], MONTHS[m - 1][:3]} for m in range(1, 13)}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for month, name in data.months.get(context, {}).get(width, {}).items():
                cleaned = name.lower().rstrip(".")
                if cleaned and not cleaned[0].isdigit():
                    names[month].add(cleaned)
    return {month: tuple(sorted(found, key=len, reverse=True)) for month, found in names.items()}


# Small numbers as words, by language (whole words for cased scripts; Hangul and CJK as written).
_NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "ko": ("영", "한|하나|첫", "두|둘", "세|셋|석", "네|넷", "다섯", "여섯", "일곱", "여덟", "아홉", "열"),
    "zh": ("零|〇", "一", "二|两|兩", "三", "四", "五", "六", "七", "八", "九", "十"),
    "ja": ("零|〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"),
    "en": ("zero", "one|first", "two|second", "three|third", "four", "five", "six", "seven", "eight", "nine", "ten"),
    "fr": ("zéro", "un|une|premier|première", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"),
    "es": ("cero", "un|uno|una|primer", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"),
    "pt": ("zero", "um|uma|primeir", "dois|duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez"),
    "it": ("zero", "un|uno|una|prim", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci"),
    "de": ("null", "ein|erst", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn"),
    "ru": ("ноль|нуль", "один|одн|перв", "два|две|двух|двум|втор", "три|трёх|трех|трем|трём|трет", "четыр|четвер",
           "пят", "шест", "сем|седьм", "восем|восьм", "девят", "десят"),
    "ar": ("صفر", "واحد|أول", "اثن|إثن|ثاني", "ثلاث|ثالث", "أربع|رابع", "خمس|خامس", "ست|سادس", "سبع|سابع",
           "ثمان|ثامن", "تسع|تاسع", "عشر|عاشر"),
}
_PREFIX_LANGUAGES = frozenset({"ru", "ar"})  # inflected: a word need only start with the stem


def _number_words(language: str) -> dict[int, tuple[re.Pattern[str], ...]]:
    """Patterns for 0-10 in the language and in English (kept English is still the number)."""
    words: dict[int, tuple[re.Pattern[str], ...]] = {}
    for lang in dict.fromkeys((language, "en")):
        for value, alternatives in enumerate(_NUMBER_WORDS.get(lang, ())):
            words[value] = words.get(value, ()) + (_word_pattern(lang, alternatives),)
    return words


def _word_pattern(language: str, alternatives: str) -> re.Pattern[str]:
    if language in ("ko", "zh", "ja"):
        return re.compile(f"(?:{alternatives})")
    if language == "ar":  # the article and the clitics و ب ل ف attach in front
        return re.compile(rf"(?<!\w)(?:[وبلف]?ال|[وبلف])?(?:{alternatives})")
    if language in _PREFIX_LANGUAGES:
        return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _sums(readings: list[Reading], text: str) -> Iterator[Reading]:
    """2억 5천만, 1만 5000: adjacent parts with falling units add up (Korean, Chinese, Japanese)."""
    for first, reading in enumerate(readings):
        if not reading.magnitude:
            continue
        totals = set(reading.values)
        last = reading
        for following in readings[first + 1:]:
            if text[last.end:following.start].strip(_SPACES + " ") or following.magnitude >= last.magnitude:
                break
            totals = {a + b for a in totals for b in following.values if b < Decimal(10) ** last.magnitude}
            yield Reading(text[reading.start:following.end], frozenset(_normal(v) for v in totals),
                          reading.start, following.end, following.magnitude)
            if not following.magnitude:
                break
            last = following
