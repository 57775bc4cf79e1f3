"""Catalog- and locale-scope checks: the catalog file as read (with the salvage of a file
refused only for duplicate entries), its syntax, its header (Language, Plural-Forms), whether
it is up to date with its template, and the consistency of translations across a locale."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale

from locpress.config import normalize_locale, plural_forms
from locpress.errors import CatalogError, ConfigError
from locpress.findings import counted
from locpress.gettext.catalog import Catalog, Message, header_value, merge, parse_po, write_po
from locpress.gettext.headers import catalog_header
from locpress.qa.context import Context


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


def plural_parts(value: str) -> tuple[int | None, str]:
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
    count, rule = plural_parts(value)
    expected_count, expected_rule = plural_parts(expected)
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
