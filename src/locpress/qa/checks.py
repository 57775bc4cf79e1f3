"""Quality checks: the registry (`Check`, `CHECKS`, `selected`) and the driver that runs them.

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

The checks themselves live by what they check: `rules_markup` (links, code, HTML, Markdown,
placeholders, printf, plural forms), `rules_numbers` (phones, numbers, dates), `rules_terms`
(glossary, do-not-translate, untranslated text), `rules_text` (whitespace, brackets, quotes,
punctuation, length) and `rules_catalog` (syntax, header, outdated, consistency); what they
read is in `context`. The ignore comments, and the check of them, are here with the driver.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from locpress.config import Config
from locpress.errors import ConfigError
from locpress.findings import CHECK_NAMES, ERROR, WARNING, Finding
from locpress.formats.spans import Text
from locpress.gettext.catalog import Catalog, Message, header_value
from locpress.qa.context import Context, LocaleRules, Options, Pair, rules_for
from locpress.qa.glossary import Glossary
from locpress.qa.rules_catalog import (
    CatalogFile,
    consistency,
    header,
    outdated,
    plural_parts,
    published_outdated,
    syntax,
)
from locpress.qa.rules_markup import code, emails, format_strings, html, links, markdown, plurals, tokens, urls
from locpress.qa.rules_numbers import dates, numbers_kept, phones
from locpress.qa.rules_terms import dnt, glossary, latin, unchanged
from locpress.qa.rules_text import brackets, double_space, length, punctuation, quotes, whitespace

# --------------------------------------------------------------------------- ignore comments

_IGNORE_RE = re.compile(r"^\s*locpress:\s*ignore\s+(.+)$")


def _mentions_ignore(message: Message) -> bool:
    return any("ignore" in c for c in message.translator_comments) or any("ignore" in c for c in message.auto_comments)


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


def ignore_comments(pair: Pair, ctx: Context) -> Iterator[str]:
    """`locpress: ignore` comments name checks that exist"""
    message = pair.message
    if pair.index == 0 and _mentions_ignore(message):
        for name in sorted(ignored(message) - _KNOWN):
            yield f'"locpress: ignore {name}" names no check (see `locpress check --list`)'


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
    return plural_parts(header_value(catalog, "Plural-Forms") or "")[0]


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
