"""The project glossary: `glossary.csv`, one source term per row, a column per locale.

Columns: `en` (the source term; the project's source locale), one per locale (`ko`, `ar`,
`zh_Hans`, ...), `note`, and `dnt` (do not translate: `yes`, `true`, `1`, `y` or `x`).
Pre-translation uses it to guard machine translation (do-not-translate terms are protected)
and to hint translators (`#. glossary: <term> = <translation>`); checks use it to verify
terms. Every malformed row is an error naming its line, because a glossary that silently
drops a row gives translators wrong hints.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from locpress.config import normalize_locale
from locpress.errors import LocpressError

GLOSSARY_FILE = "glossary.csv"
HINT_PREFIX = "glossary: "
_TRUE = frozenset({"yes", "true", "1", "x", "y"})
_FALSE = frozenset({"", "no", "false", "0", "n"})
_SPECIAL = ("note", "dnt")


class GlossaryError(LocpressError):
    """A malformed glossary row or header."""


@dataclass(frozen=True)
class Term:
    """A source term and what it becomes in each locale."""

    source: str
    translations: dict[str, str]
    note: str = ""
    dnt: bool = False
    line: int = 0
    pattern: re.Pattern[str] = field(default=re.compile(""), compare=False, repr=False)

    def target(self, locale: str) -> str | None:
        """The required rendering in a locale: the term itself when it is not translated."""
        return self.source if self.dnt else (self.translations.get(locale) or None)


@dataclass(frozen=True)
class Glossary:
    """Terms sorted longest first, so that a longer term wins over one it contains."""

    terms: tuple[Term, ...] = ()

    def find(self, text: str) -> list[Term]:
        """Terms that occur in a text as whole words, longest first."""
        return [t for t in self.terms if t.pattern.search(text)]

    def hints(self, text: str, locale: str) -> list[str]:
        """`glossary: <term> = <translation>` comments for the terms a segment contains."""
        return [f"{HINT_PREFIX}{t.source} = {target}" for t in self.find(text)
                if (target := t.target(locale)) is not None]

    def dnt_spans(self, text: str) -> list[tuple[int, int]]:
        """Where do-not-translate terms occur in a text: (start, end) pairs."""
        return [(m.start(), m.end()) for t in self.terms if t.dnt for m in t.pattern.finditer(text)]


def _pattern(term: str) -> re.Pattern[str]:
    """Whole-word match; a term written in lower case also matches capitalised forms."""
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", flags)


def parse_bytes(data: bytes, path: str = GLOSSARY_FILE, source_locale: str = "en") -> Glossary:
    """Read glossary CSV bytes (UTF-8, with or without a BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError("not UTF-8 text", path, data.count(b"\n", 0, exc.start) + 1) from None
    return parse(text, path, source_locale)


def parse(text: str, path: str = GLOSSARY_FILE, source_locale: str = "en") -> Glossary:
    """Read glossary CSV text; every problem is a GlossaryError with its line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, path)
    if not rows:
        return Glossary()
    header = [h.strip() for h in rows[0][1]]
    locales = _columns(header, path, source_locale)
    terms: dict[str, Term] = {}
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        term = _term(row, header, locales, path, number)
        if term.source in terms:
            raise GlossaryError(f"term {term.source!r} is listed twice (first on line {terms[term.source].line})",
                                path, number)
        terms[term.source] = term
    ordered = sorted(terms.values(), key=lambda t: (-len(t.source), t.source))
    return Glossary(tuple(ordered))


def _rows(reader: Iterable[list[str]], path: str) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on (a quoted cell may span lines)."""
    rows: list[tuple[int, list[str]]] = []
    line = 1
    iterator = iter(reader)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise GlossaryError(f"malformed CSV: {exc}", path, getattr(reader, "line_num", line)) from None
        rows.append((line, row))
        line = getattr(reader, "line_num", line) + 1


def _columns(header: list[str], path: str, source_locale: str) -> dict[int, str]:
    if not header or header[0] != source_locale:
        raise GlossaryError(f"the first column must be {source_locale!r} (the source term)", path, 1)
    if len(set(header)) != len(header):
        raise GlossaryError("a column name appears twice", path, 1)
    locales = {}
    for index, name in enumerate(header[1:], start=1):
        if name in _SPECIAL:
            continue
        try:
            locales[index] = normalize_locale(name, path)
        except LocpressError:
            raise GlossaryError(f"column {name!r} is not a locale code, 'note' or 'dnt'", path, 1) from None
    if len(set(locales.values())) != len(locales):
        raise GlossaryError("two columns name the same locale", path, 1)
    return locales


def _term(row: list[str], header: list[str], locales: dict[int, str], path: str, number: int) -> Term:
    if len(row) != len(header):
        raise GlossaryError(f"{len(row)} fields, but the header has {len(header)}", path, number)
    cells = dict(zip(header, (c.strip() for c in row)))
    source = cells[header[0]]
    if not source:
        raise GlossaryError(f"empty term in column {header[0]!r}", path, number)
    flag = cells.get("dnt", "").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(f"dnt must be yes or no, not {cells['dnt']!r}", path, number)
    translations = {locale: row[i].strip() for i, locale in locales.items() if row[i].strip()}
    dnt = flag in _TRUE
    if dnt:
        for locale, value in translations.items():
            if value != source:
                raise GlossaryError(f"{source!r} is marked dnt but has a translation for {locale}: {value!r}",
                                    path, number)
    return Term(source, translations, cells.get("note", ""), dnt, number, _pattern(source))
