"""HTML releases: a built release rendered to a full page in its language and script.

The built Markdown is rendered with markdown-it-py and placed in a Jinja2 template (the
project may supply its own). A translation comes from people or machines we do not control,
so raw HTML in it is kept only when the very same tag appears in the source (which staff
wrote); any other tag is shown as text. Link and image URLs must use a safe scheme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.token import Token
from markupsafe import Markup

from locpress.errors import LocpressError, SourceError
from locpress.formats.markdown import MAX_NESTING, front_matter, front_matter_end
from locpress.formats.sources import LIST_MARKERS as _LIST_MARKERS
from locpress.formats.spans import tag_shape

TEMPLATE_NAME = "release.html"
DEFAULT_TEMPLATE_NAME = "locpress/release.html"
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Browsers drop these from URLs before reading the scheme ("java\tscript:" is javascript:).
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


class TemplateError(LocpressError):
    """A project template (`templates/release.html`) that Jinja2 cannot load or render."""


@dataclass(frozen=True)
class Page:
    """One built release in one locale, and what the page needs around it."""

    locale: str
    release: str
    text: str  # the built release: Markdown (with front matter) or plain text
    source: str  # the source release: the only origin of raw HTML we trust
    format: str  # "md" or "txt"
    locales: tuple[str, ...] = ()  # every locale this release is built in (language switcher)
    draft: str = ""  # a note shown above the release when it is not fully translated


@dataclass(frozen=True)
class Language:
    """One entry of the language switcher."""

    locale: str
    lang: str
    dir: str
    name: str
    href: str
    current: bool


def lang_tag(locale: str) -> str:
    """BCP 47 tag for `lang=` and `hreflang=`: `zh_Hans` -> `zh-Hans`."""
    return locale.replace("_", "-")


def direction(locale: str) -> str:
    """`rtl` or `ltr`, from CLDR's character order for the locale."""
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


def language_name(locale: str) -> str:
    """The locale's name in its own language, capitalized as a menu entry is."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


def localized_date(value: object, locale: str) -> tuple[str, str] | None:
    """(date as the locale writes it, ISO date) for a front-matter date, None if not a date.

    YAML gives a `date` for `2023-11-01` but a string for a quoted value; both are accepted.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    if not isinstance(value, dt.date):
        return None
    return format_date(value, format="long", locale=locale), value.isoformat()


def relative_href(release: str, locale: str) -> str:
    """Link from any locale's page of `release` to `locale`'s page, relative to the page.

    Pages live at `<output>/<locale>/<release>.html`, so every one is as deep as its name.
    """
    return "../" * (release.count("/") + 1) + f"{locale}/{release}.html"


def safe_url(url: str) -> bool:
    """Whether a link or image URL may appear in a page: relative, or http(s)/mailto/tel."""
    match = _SCHEME.match(_URL_IGNORED.sub("", url).lower())
    return match is None or match.group(1) in _SAFE_SCHEMES


#: A link or image label is looked for over at most this many unclosed `[` (see _label).
LABEL_DEPTH = 32
_BRACKET = re.compile(r"[\[\]]")


@lru_cache(maxsize=8)
def _too_deep(src: str) -> frozenset[int]:
    """The `[` of `src` followed by more than LABEL_DEPTH unclosed `[` before the `]` that
    closes it, counted in one pass with a stack (brackets inside code spans count too)."""
    stack: list[int] = []
    deep: set[int] = set()
    for bracket in _BRACKET.finditer(src):
        if bracket.group() == "[":
            stack.append(bracket.start())
            if len(stack) > LABEL_DEPTH:
                deep.add(stack[-LABEL_DEPTH - 1])
        elif stack:
            stack.pop()
    return frozenset(deep)


def _label(state: Any, start: int, disable_nested: bool = False) -> int:
    """markdown-it's link-label search, bounded: unbounded, every `[` of `[[[[…` searches to
    the end of the paragraph, quadratic time on a hostile translation. A label with more
    than LABEL_DEPTH brackets nested in it is text."""
    if "[" in state.src[start + 1:start + LABEL_DEPTH + 2] and start in _too_deep(state.src):
        return -1
    return int(parseLinkLabel(state, start, disable_nested))


#: An inline run (a paragraph, heading or table cell) with more characters that may start
#: Markdown inline syntax than this is shown as text. markdown-it-py spends 1 to 4 µs on
#: each such character (a token for every emphasis delimiter, a label search for every `[`,
#: the whole rule chain for every `-`), linear but too slow for a hostile translation:
#: 100,000 `*` took 0.34 s, `[a](` 0.43 s. A release's prose has a few dozen per paragraph.
INLINE_MARKUP_LIMIT = 5_000
# markdown-it's text rule stops at these (rules_inline/text.py), then tries every rule.
_INLINE_MARKUP = str.maketrans(dict.fromkeys("\n!#$%&*+-:<=>@[\\]^_`{}~"))


def dense(content: str) -> bool:
    """Whether an inline run has more possible markup than INLINE_MARKUP_LIMIT characters."""
    return (len(content) > INLINE_MARKUP_LIMIT
            and len(content) - len(content.translate(_INLINE_MARKUP)) > INLINE_MARKUP_LIMIT)


def _inline(state: Any) -> None:
    """markdown-it's core inline rule (rules_core/inline.py), except that a dense inline run
    becomes one text token (escaped when rendered) instead of being parsed."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if dense(token.content):
                token.children.append(Token("text", "", 0, content=token.content))
            else:
                state.md.inline.parse(token.content, state.md, state.env, token.children)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The readers' Markdown dialect (CommonMark + tables + strikethrough), with safe links."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=_label, parseLinkDestination=parseLinkDestination,
        parseLinkTitle=parseLinkTitle)
    md.validateLink = safe_url  # type: ignore[method-assign]
    md.add_render_rule("html_inline", _render_raw_html)
    md.add_render_rule("html_block", _render_raw_html)
    md.core.ruler.at("inline", _inline)
    return md


def _render_raw_html(_renderer: Any, tokens: Sequence[Token], idx: int, _options: Any,
                     env: dict[str, Counter[tuple[str, str]]]) -> str:
    """Raw HTML passes only while the source still has an identical tag left to account for."""
    token = tokens[idx]
    key = _trust_key(token.type, token.content)
    trusted = env["trusted"]
    if trusted[key] > 0:
        trusted[key] -= 1
        return token.content
    text = escapeHtml(token.content)
    return f"<p>{text}</p>\n" if token.type == "html_block" else text


def trusted_html(source_body: str) -> Counter[tuple[str, str]]:
    """Every raw HTML token of the source, by type and text, with its count."""
    found: Counter[tuple[str, str]] = Counter()
    for token in _parser().parse(source_body):
        for item in [token, *(token.children or [])]:
            if item.type in ("html_inline", "html_block"):
                found[_trust_key(item.type, item.content)] += 1
    return found


def _trust_key(kind: str, content: str) -> tuple[str, str]:
    """What a raw HTML token must match in the source: its exact text, except that an
    inline tag's translatable attributes (`<abbr title="…">`) may differ, as the `html`
    check allows; a quoted value cannot leave its attribute, and every other byte is the
    source's."""
    shape = tag_shape(content) if kind == "html_inline" else None
    return (kind, content) if shape is None else ("tag", shape)


def render_markdown(body: str, source_body: str) -> str:
    """HTML of a translated Markdown body; raw HTML not in the source is escaped."""
    rendered: str = _parser().render(body, {"trusted": trusted_html(source_body)})
    return rendered


def render_text(text: str) -> str:
    """HTML of a plain-text release: headline, paragraphs and `- ` lists, all escaped."""
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")) if b.strip()]
    out: list[str] = []
    for index, block in enumerate(blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if index == 0 and len(lines) == 1:
            out.append(f"<h1>{escapeHtml(lines[0])}</h1>")
        elif all(line.startswith(_LIST_MARKERS) for line in lines):
            items = "".join(f"<li>{escapeHtml(line[2:].strip())}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{escapeHtml(' '.join(lines))}</p>")
    return "\n".join(out) + "\n"


def _meta(page: Page) -> tuple[dict[str, object], str, str]:
    """(front matter, built body, source body) of a page's release."""
    if page.format != "md":
        return {}, page.text, page.source
    try:
        meta = front_matter(page.text, page.release) or {}
    except SourceError:
        meta = {}
    body = page.text[front_matter_end(page.text)[0]:]
    return meta, body, page.source[front_matter_end(page.source)[0]:]


def _first_heading(body_html: str) -> str | None:
    match = re.search(r"<h1>(.*?)</h1>", body_html, re.S)
    return Markup(match.group(1)).striptags() if match else None


def _languages(page: Page) -> list[Language]:
    chosen = list(dict.fromkeys([*page.locales, page.locale]))
    return [Language(loc, lang_tag(loc), direction(loc), language_name(loc),
                     relative_href(page.release, loc), loc == page.locale) for loc in chosen]


def context(page: Page) -> dict[str, object]:
    """Everything a release template can use (documented in the README)."""
    meta, body, source_body = _meta(page)
    body_html = render_markdown(body, source_body) if page.format == "md" else render_text(body)
    heading = _first_heading(body_html)
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    date = localized_date(meta.get("date"), page.locale)
    subtitle = meta.get("subtitle")
    return {
        "locale": page.locale, "lang": lang_tag(page.locale), "dir": direction(page.locale),
        "release": page.release, "title": title or heading or page.release.rsplit("/", 1)[-1],
        "show_title": heading is None, "subtitle": subtitle if isinstance(subtitle, str) else "",
        "date": date[0] if date else "", "date_iso": date[1] if date else "",
        "body": Markup(body_html), "languages": _languages(page), "draft": page.draft,
    }


@lru_cache(maxsize=1)
def default_template() -> str:
    """The template shipped with locpress (`src/locpress/templates/release.html`)."""
    return (resources.files("locpress.web") / "templates" / TEMPLATE_NAME).read_text(encoding="utf-8")


def template_digest(override: str | None) -> str:
    """Changes whenever the template a page is rendered with changes, to refresh pages."""
    return hashlib.sha256((override or default_template()).encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _environment(override: str | None) -> jinja2.Environment:
    """One Jinja2 environment per template text, so a build compiles the template once."""
    loader = jinja2.DictLoader({TEMPLATE_NAME: override if override is not None else default_template(),
                                DEFAULT_TEMPLATE_NAME: default_template()})
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)


def render(page: Page, override: str | None = None, override_path: str = "templates/release.html") -> str:
    """The full HTML page; `override` is a project's own template text.

    A project template may `{% extends "locpress/release.html" %}` and replace blocks.
    """
    try:
        return _environment(override).get_template(TEMPLATE_NAME).render(context(page))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template error: {exc.message}", override_path, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template error: {exc}", override_path) from None


# --- drafts -------------------------------------------------------------------------------

_MARK = re.compile("\ue000([a-z])|\ue001")
_TAG_OR_TITLE = re.compile(r"<title>.*?</title>|<!--.*?-->|<[^>]*>", re.S)


def marks_to_spans(page: str, source_lang: str, source_dir: str) -> str:
    """Origin marks (`build.marked_build`) as `<span class="origin origin-KIND">`; the source
    fallback also carries the source's `lang` and `dir`. Marks inside tags, comments and the
    title, where no element may go, are dropped."""
    from locpress.stages.build import MARK_CLOSE, MARK_OPEN, ORIGIN_CODES

    kinds = {code: kind for kind, code in ORIGIN_CODES.items()}
    page = _TAG_OR_TITLE.sub(lambda m: _MARK.sub("", m.group(0)) if MARK_CLOSE in m.group(0) or MARK_OPEN in m.group(0)
                             else m.group(0), page)

    def span(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "</span>"
        kind = kinds.get(match.group(1), "fuzzy")
        extra = f' lang="{source_lang}" dir="{source_dir}"' if kind == "source" else ""
        return f'<span class="origin origin-{kind}"{extra}>'

    return _MARK.sub(span, page)


DRAFT_STYLE = """<style>
.draft-banner { position: sticky; top: 0; z-index: 1; padding: .5rem .75rem; margin: 0 0 1rem; background: #fff4d6;
  border: 2px solid #8a5a00; color: #1b1b1b; font: 600 1rem/1.4 system-ui, sans-serif; }
.draft-banner ul { margin: .25rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem;
  font-weight: 400; font-size: .9rem; }
.origin-tm { background: #e3efff; } .origin-mt { background: #ffe3e3; } .origin-aligned { background: #e6f6e0; }
.origin-pseudo { background: #efe3ff; } .origin-fuzzy { background: #fff0c2; }
.origin-source { background: #ececec; outline: 1px dashed #6b6b6b; }
.draft-banner .origin { padding: 0 .3em; }
</style>
"""


def as_draft(page: str, note: str, counts: dict[str, int]) -> str:
    """A page made into a draft: `noindex`, the origin colours and a visible banner with the
    legend, whatever template rendered it."""
    from locpress.stages.build import ORIGIN_LABELS

    head = '<meta name="robots" content="noindex, nofollow">\n' + DRAFT_STYLE
    legend = "".join(f'<li><span class="origin origin-{kind}">{escapeHtml(ORIGIN_LABELS[kind])}</span> {count}</li>'
                     for kind, count in counts.items())
    banner = (f'<div class="draft-banner" role="note" lang="en" dir="ltr"><p>{escapeHtml(note)}</p>'
              f'<ul aria-label="Origins">{legend}</ul></div>\n')
    match = re.search(r"<head[^>]*>\n?", page, re.I)
    page = page[:match.end()] + head + page[match.end():] if match else head + page
    body = re.search(r"<body[^>]*>\n?", page, re.I)
    return page[:body.end()] + banner + page[body.end():] if body else page + banner
