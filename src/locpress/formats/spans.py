"""What the checks see in one side of a translation: its protected spans and its prose.

A translator keeps link targets, code, HTML tags, URLs, e-mail addresses and phone numbers
exactly as they are and translates the prose around them. `Text` finds each kind once,
lazily (most sentences have none, and a cheap character test says so), and gives the prose
with the spans masked, so that a check on words never reads a URL and a check on numbers
never reads a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from locpress.formats import numbers

MASK = "\x1f"  # stands in for a span that prose checks must not see (same length, no meaning)

# --- The span patterns ----------------------------------------------------------------
# The one definition of each kind of protected span. Segmentation (no cut inside), has_prose
# (no letters inside), masking for machine translation, the checks and the aligner all use
# these, so that a fix reaches every one. Each pattern is linear: every branch starts with a
# literal or a character class that a word start or `<`, `[`, `]` limits, and no repetition
# can scan past the character that would end it.

# URL characters are ASCII (RFC 3986): a translation in Korean or Chinese writes a particle
# right after a URL (`https://iom.int에서`), and that particle is prose. Parentheses may be
# nested once (`…/Flood_(2023)`); the last character is not punctuation that ends a sentence.
_URL_CHAR = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]"
_URL_END = r"[A-Za-z0-9\-_~/#=&%+]"
# Each branch starts with its literal and looks behind it (not before it), and a pattern
# joined from these stays a flat alternation of literals: the engine then skips ahead to a
# possible first character at C speed (a group or a look-behind first is four times slower).
_URL_BODY = rf"(?:{_URL_CHAR}|\({_URL_CHAR}*\))*(?:{_URL_END}|\({_URL_CHAR}*\))"
URL = re.compile("|".join(rf"{re.escape(lit)}(?<![A-Za-z0-9@.]{re.escape(lit)}){_URL_BODY}"
                          for lit in ("https://", "http://", "ftp://", "www.")))
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
                   r"(?![A-Za-z0-9-])")
# CommonMark autolinks `<https://…>`, `<pr@iom.int>` (group 1: the address).
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                      r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>")
# A tag as CommonMark reads raw HTML: an open tag with its attributes, or a closing tag.
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
                 r"\s*/?>")
# Real HTML elements only: `<file>` or `<none>` in a message is a placeholder, not a tag.
_HTML_ELEMENTS = (
    "a|abbr|address|area|article|aside|audio|b|bdi|bdo|big|blockquote|br|button|canvas|caption|center|cite|code|"
    "col|colgroup|data|dd|del|details|dfn|div|dl|dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|header|hr|"
    "i|iframe|img|input|ins|kbd|label|li|main|map|mark|nav|noscript|object|ol|option|p|picture|pre|q|rp|rt|ruby|s|"
    "samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|"
    "textarea|tfoot|th|thead|time|tr|track|tt|u|ul|var|video|wbr")
HTML_ELEMENT = re.compile(r"</?(?:" + _HTML_ELEMENTS + r")(?![\w-])(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:\"[^\"]*\"|"
                          r"'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>", re.IGNORECASE)
TRANSLATABLE_ATTRIBUTE = re.compile(r"\s(?:alt|title|aria-label|placeholder)\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)",
                                    re.IGNORECASE)
# A Markdown link's target `](dest "title")` (group 1: the destination) and a reference `][label]`.
LINK_TARGET = re.compile(
    r"\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
REF_LABEL = re.compile(r"\]\[([^\[\]\n]+)\]")
# A whole Markdown link or image, `[text](dest "title")` or `[text][ref]`, text nested once.
_LINK = (r"\[(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*\]"
         r"(?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[[^\[\]]*\])")
MARKDOWN_LINK = re.compile(rf"!{_LINK}|{_LINK}", re.DOTALL)
HEADING_ID = re.compile(r"\{#[\w-]+\}")
ENTITY = re.compile(r"&#?\w+;")
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,5}){1,4}"
                   r"|\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{4}|\d{2,4}-\d{3,4}-\d{4})(?!\w)")
_WORD_RE = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_DIGIT_RE = re.compile(r"\d")
# Characters without which a text has no span of any kind: most sentences stop here.
_SPECIAL_RE = re.compile(r"[`<\]@]|://|www\.")


_TICKS_RE = re.compile(r"`+")
_CLOSE_LINK_RE = re.compile(r"\](?=\(|\[)")


# --- Linear scanners ------------------------------------------------------------------
# Lazy patterns such as `<!--.*?-->` or "(`+).+?\1" try every start and scan to the end of
# the text from each one when nothing closes: quadratic on a translation made of `<!--` or
# backticks. These scans find the same spans in one pass; every module uses them.

Span = tuple[int, int]


def code_spans(text: str) -> list[Span]:
    """CommonMark code spans: a backtick run closes at the next run of the same length
    (a run with no such partner is literal text)."""
    if "`" not in text:
        return []
    runs = [m.span() for m in _TICKS_RE.finditer(text)]
    following: list[int] = [-1] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        following[i] = last.get(size, -1)
        last[size] = i
    spans: list[Span] = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j < 0:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


def delimited(text: str, opener: str, closer: str) -> list[Span]:
    """Spans from each `opener` to the first `closer` after it (`<!--` … `-->`); an opener
    that never closes is text."""
    spans: list[Span] = []
    start = text.find(opener)
    while start >= 0:
        end = text.find(closer, start + len(opener))
        if end < 0:
            break
        spans.append((start, end + len(closer)))
        start = text.find(opener, end + len(closer))
    return spans


def comments(text: str) -> list[Span]:
    """HTML comments `<!-- … -->`."""
    return delimited(text, "<!--", "-->") if "<!--" in text else []


_LOCAL_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")


def emails(text: str) -> list[Span]:
    """EMAIL's matches, looked for only around each `@` (most text has none)."""
    found: list[Span] = []
    at = text.find("@")
    done = 0
    while at >= 0:
        start = at
        while start > done and text[start - 1] in _LOCAL_PART:
            start -= 1
        match = EMAIL.match(text, start) if start < at else None
        if match is not None:
            found.append(match.span())
            done = match.end()
        at = text.find("@", max(at + 1, done))
    return found


def merged(*groups: Iterable[Span]) -> list[Span]:
    """The spans of all groups in order, each overlapping one dropped (the earliest, then the
    longest, wins)."""
    chosen: list[Span] = []
    for start, end in sorted((s for g in groups for s in g), key=lambda s: (s[0], -s[1])):
        if end > start and (not chosen or start >= chosen[-1][1]):
            chosen.append((start, end))
    return chosen


def html_spans(text: str) -> list[Span]:
    """HTML tags of real elements and comments."""
    if "<" not in text:
        return []
    return merged(comments(text), (m.span() for m in HTML_ELEMENT.finditer(text)))


def tag_shape(tag: str) -> str | None:
    """A single HTML tag without the attributes a translator translates (alt, title,
    aria-label, placeholder): what the `html` check compares, and what the page renderer
    trusts. None when `tag` is not exactly one well-formed tag of a known element."""
    if HTML_ELEMENT.fullmatch(tag) is None:
        return None
    return TRANSLATABLE_ATTRIBUTE.sub("", tag)


def link_openers(text: str) -> list[Span]:
    """The `[` (or `![`) that opens each Markdown link or image whose `](` or `][` follows:
    bracket depth is counted once, left to right, with a stack."""
    if "](" not in text and "][" not in text:
        return []
    closes = {m.start() for m in _CLOSE_LINK_RE.finditer(text)}
    openers: list[Span] = []
    stack: list[int] = []
    for i, c in enumerate(text):
        if c == "[":
            stack.append(i)
        elif c == "]" and stack:
            start = stack.pop()
            if i in closes:
                if start > 0 and text[start - 1] == "!":
                    openers.append((start - 1, start + 1))
                else:
                    openers.append((start, start + 1))
    openers.sort()
    return openers


def masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span replaced by as many MASK characters (offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def has_digit(text: str) -> bool:
    return _DIGIT_RE.search(text) is not None


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


class Text:
    """One side of a translation; each property is computed on first use and kept."""

    __slots__ = ("raw", "special", "digits", "_code", "_without_code", "_links", "_html", "_outside_links", "_urls",
                 "_emails", "_prose", "_phones", "_plain", "_dates", "_figures", "_words")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.special = _SPECIAL_RE.search(raw) is not None
        self.digits = has_digit(raw)
        self._code: list[str] | None = None
        self._without_code: str | None = None
        self._links: list[str] | None = None
        self._html: list[str] | None = None
        self._outside_links: str | None = None
        self._urls: list[str] | None = None
        self._emails: list[str] | None = None
        self._prose: str | None = None
        self._phones: list[str] | None = None
        self._plain: str | None = None
        self._dates: list[numbers.SourceDate] | None = None
        self._figures: list[numbers.Figure] | None = None
        self._words: list[str] | None = None

    @property
    def code(self) -> list[str]:
        """Inline code spans, backticks included."""
        if self._code is None:
            self._code = [self.raw[s:e] for s, e in code_spans(self.raw)]
        return self._code

    @property
    def without_code(self) -> str:
        if self._without_code is None:
            self._without_code = masked(self.raw, code_spans(self.raw)) \
                if self.code else self.raw
        return self._without_code

    @property
    def links(self) -> list[str]:
        """Markdown link and image targets (`[label]` for reference links)."""
        if self._links is None:
            text = self.without_code
            if "](" not in text and "][" not in text:
                self._links = []
            else:
                found = [m.group(1).strip("<>") for m in LINK_TARGET.finditer(text)]
                self._links = found + [f"[{m.group(1)}]" for m in REF_LABEL.finditer(text)]
        return self._links

    @property
    def html(self) -> list[str]:
        """HTML tags, without the attributes a translator translates (alt, title)."""
        if self._html is None:
            text = self.without_code
            self._html = [TRANSLATABLE_ATTRIBUTE.sub("", text[s:e]) for s, e in html_spans(text)]
        return self._html

    @property
    def outside_links(self) -> str:
        """The text with code, link targets, autolinks and tags masked."""
        if self._outside_links is None:
            text = self.without_code
            if self.links or "<" in text:
                spans = [m.span(1) for m in LINK_TARGET.finditer(text)]
                spans += [m.span() for m in AUTOLINK.finditer(text)] + html_spans(text)
                text = masked(text, spans)
            self._outside_links = text
        return self._outside_links

    @property
    def urls(self) -> list[str]:
        """URLs outside link targets (autolinks included): a link target is the `links` check's."""
        if self._urls is None:
            text = self.without_code
            found = [m.group(1) for m in AUTOLINK.finditer(text) if "@" not in m.group(1)] if "<" in text else []
            if "://" in text or "www." in text:
                found += [m.group(0) for m in URL.finditer(self.outside_links)]
            self._urls = found
        return self._urls

    @property
    def emails(self) -> list[str]:
        if self._emails is None:
            found = [m.group(0) for m in EMAIL.finditer(self.without_code)] if "@" in self.raw else []
            self._emails = [e for e in found if not any(e in url for url in self.urls)]
        return self._emails

    @property
    def prose(self) -> str:
        """The words a translator writes: code, link targets, tags, URLs and e-mails masked."""
        if self._prose is None:
            if not self.special:
                self._prose = self.without_code
            else:
                text = self.outside_links
                spans = [m.span() for m in URL.finditer(text)] if self.urls else []
                spans += [m.span() for m in EMAIL.finditer(text)] if "@" in text else []
                spans += [m.span() for m in AUTOLINK.finditer(self.without_code)] if "<" in text else []
                self._prose = masked(text, spans) if spans else text
        return self._prose

    @property
    def phones(self) -> list[str]:
        if self._phones is None:
            prose = self.prose
            self._phones = [m.group(0) for m in PHONE.finditer(prose)] if has_digit(prose) and (
                "+" in prose or "-" in prose or "(" in prose) else []
        return self._phones

    @property
    def plain(self) -> str:
        """Prose with phone numbers masked too: what numbers are read from."""
        if self._plain is None:
            self._plain = masked(self.prose, [m.span() for m in PHONE.finditer(self.prose)]) \
                if self.phones else self.prose
        return self._plain

    @property
    def dates(self) -> list[numbers.SourceDate]:
        """English dates of the text (a source)."""
        if self._dates is None:
            self._dates = numbers.english_dates(self.plain) if has_digit(self.plain) else []
        return self._dates

    @property
    def figures(self) -> list[numbers.Figure]:
        """English figures of the text (a source), dates excepted."""
        if self._figures is None:
            plain = self.plain
            if not has_digit(plain):
                self._figures = []
            else:
                text = masked(plain, [(d.start, d.end) for d in self.dates]) if self.dates else plain
                self._figures = numbers.english_figures(text)
        return self._figures

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = words(self.prose)
        return self._words
