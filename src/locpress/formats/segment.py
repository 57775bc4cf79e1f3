"""Split English press-release prose into sentences, as character spans.

One compiled regex finds candidate boundaries (a run of terminal punctuation, optional
closers, then whitespace or a capital); small rule functions with set lookups decide each
one. Markdown inline constructs, URLs and e-mail addresses are first *masked* (replaced by
same-length text without whitespace or terminal punctuation) so that no candidate can fall
inside them and every offset stays valid for the caller's ``text[s:e]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from locpress.errors import ConfigError
from locpress.formats.spans import (
    AUTOLINK,
    MARKDOWN_LINK,
    TAG,
    URL,
    code_spans,
    comments,
    emails,
)

Span = tuple[int, int]

Kind = Literal["title", "numeric", "inline", "time", "end", "abbr", "pronoun", "word"]

# --- Language data: one entry per source language -----------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """What a language needs: abbreviation kinds and the words that tell ambiguous ends."""

    kinds: Mapping[str, Kind]  # lower-case abbreviation without its final "." -> kind
    starters: frozenset[str]  # words that begin a sentence after an ambiguous abbreviation
    intro: frozenset[str]  # first words of an introductory time phrase ("At 5 a.m. Mr. X")
    zones: frozenset[str]  # time zones, which continue a sentence after "p.m."
    exclaim: frozenset[str]  # names spelt with "!", which do not end a sentence


def _kinds(table: Mapping[Kind, str]) -> dict[str, Kind]:
    return {word: kind for kind, words in table.items() for word in words.split()}


_EN = Rules(
    kinds=_kinds({
        # Titles precede a name: never an end, except "Main St. The ..." (see _abbr_ends).
        "title": "mr mrs ms mx messrs mme mlle dr prof st mt gen sen rep gov hon rev capt "
                 "col lt sgt cpl maj adm cmdr supt pres amb insp fr sec",
        # Followed by a number they continue ("No. 5", "Nov. 1", "Fax. +82 ...").
        "numeric": "no nos nr n° nº p pp tel fax fig figs vol vols ext rm ste approx ca est "
                   "art arts para paras sect ch chap cl annex "
                   "jan feb mar apr jun jul aug sep sept oct nov dec",
        "inline": "e.g i.e vs cf viz incl esp resp a.k.a",
        "time": "a.m p.m",
        "end": "etc",
        "abbr": "inc ltd co corp llc plc bros jr sr esq dept univ assn ave blvd rd hwy bldg "
                "intl govt natl mfg al ph.d m.sc mon tue tues wed thu thur thurs fri sat sun",
    }),
    starters=frozenset(
        "A An The This That These Those It Its It's He She They We I You His Her Their Our "
        "My Your There Here In On At For With By From To As After Before During Since Until "
        "While When Where What Why How Who Which Whether If But And Or So Yet However "
        "Moreover Furthermore Also Additionally Meanwhile Today Yesterday Tomorrow Now Then "
        "Thus Therefore Although Though Because Being Did Do Does Is Are Was Were Has Have "
        "Had Can Could Will Would Should Shall May Might Must Millions More Most Many Some "
        "All Each Every Both Such Other Another Following Last Next First According Please "
        "Not Let Through Under Over Unlike Despite Instead Overall Further Finally Currently "
        "Recently Previously Earlier Later Still Even Only Just Once Whereas Of Among".split()),
    intro=frozenset(
        "At By From Until Till Before After On Around About Starting Beginning Since Between "
        "Today Tomorrow Tonight Yesterday This Each Every".split()),
    zones=frozenset(
        "EST EDT CST CDT MST MDT PST PDT ET CT MT PT GMT UTC BST CET CEST EET EEST KST JST "
        "IST HKT SGT AEST AEDT NZST".split()),
    exclaim=frozenset("yahoo jeopardy".split()),
)

RULES: dict[str, Rules] = {"en": _EN}

# --- Patterns ------------------------------------------------------------------------

# Starts with a plain character class so that the regex engine skips ahead quickly; the
# lookbehinds and the atomic terminal run keep long runs of dots linear. The run is made
# atomic with a lookahead and a backreference, not with possessive repeats (`*+`): early
# CPython 3.11 releases (Debian 12's 3.11.2) let `(?:\ [.]+)*+` stop inside the group, after
# the space, so the whitespace that must follow a full stop was never found and no sentence
# was cut. tests/test_segment.py pins this.
_CANDIDATE = re.compile(r"""
    [.!?…‽](?<![.!?…‽][.!?…‽])(?<![.!?…‽]\ [.!?…‽])
    (?=(?P<run>[.!?…‽]*(?:\ [.!?…‽]+)*))(?P=run)   # terminal run; ". . ." counts as one run
    (?P<close>["'”’»)\]*_~]*)        # closing quotes, brackets, emphasis
    (?:\s+|(?<=[a-z0-9]\.)(?=[A-Z][a-z])   # whitespace, or "world.Today"
     |(?<=[^\W\d_][.!?]|\)[.!?])(?=\d)|(?<=[^\W_)\]][.!?])(?=\[\d)   # or a footnote mark: "consultation.11 12", "year.[3]"
     |(?<=[^\W_)\]][.!?])(?=\[\^|<))   # or a note reference in markup: "year.[^3]", "year.<sup>3</sup>"
    |．[”’」』)]*\s*                 # the fullwidth full stop needs no space after it
""", re.X)
# A footnote mark right after a full stop: "[1]", "[1][2]", "11 12" (then white space).
_NOTE = re.compile(r"(?:\[\d{1,3}\])+(?=\s)|\d{1,3}(?:[ ,]\d{1,3}){0,3}(?=\s)")
# A note reference in markup right after a stop, one or more: a Markdown footnote "[^3]", a
# superscript "<sup>3</sup>", or an inline tag standing for a Word note "<span id="x1"/>".
_MARKUP_NOTE = re.compile(r"""(?:\[\^[^\s\[\]]{1,32}\]|<sup>[^<>]{1,12}</sup>|<[a-z][^<>]{0,64}/>)+(?=\s)""")
_BULLETS = "•‣⁃◦▪"
_BULLET = re.compile(f"[{_BULLETS}]")
# A quotation broken off by a dash: '"I wanted to--" She stopped.' (cut when a sentence follows).
_DASH_QUOTE = re.compile(r"(?:--|—)[\"”’]+(?=\s)")
_MARKER = re.compile(rf"[{_BULLETS}]?\s*(?:(\d{{1,3}})|([A-Za-z]))(\.\)|\)|\.)(?=\s)")
_NONSPACE = re.compile(r"\S")
# The first item of an inline list: "1)", "1.)", or "1." / "a." before a capital.
# (The class first and the look-behind after it: the engine skips ahead to a 1, a or A.)
_FIRST_ITEM = re.compile(r"[1aA](?<=\s[1aA])(\.?\)|\.(?=\s+[A-Z\"“]))(?=\s)")
_ITEM_START = re.compile(r"(?:\d{1,3}|[A-Za-z])\.?\)\s")  # "w) hello" after a full stop starts an item
_MULTI = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\Z")  # u.s, e.u, h.e, u.s.a
_CAMEL = re.compile(r"[a-z]{1,4}[A-Z]")  # iPhone, eBay, macOS
_WORD = re.compile(r"[^\W\d_]+(?:'[st])?")
_OPENERS = "\"'“‘«([{*_~¿¡"
_START_SYMBOLS = "$€£¥₩#@`<+"

# Links, autolinks, tags and URLs (spans.py); every branch starts with a literal or `(?<!`.
_PROTECT_MD = re.compile("|".join(p.pattern for p in (MARKDOWN_LINK, AUTOLINK, TAG, URL)), re.DOTALL)
_PROTECT_PLAIN = URL
_MD_TRIGGERS = ("[", "<", "http", "www.", "ftp://")

_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_NEUTRAL = str.maketrans({c: "\ue000" for c in _SPACES + ".!?…‽"})
_CODE_NEUTRAL = str.maketrans({c: "\ue000" for c in _SPACES + ".!?…‽[]()<>@"})


# --- Public API ----------------------------------------------------------------------


def split_sentences(text: str, *, markdown: bool = True, lang: str = "en") -> list[Span]:
    """Sentence spans over `text`, in order. Each span starts and ends on non-whitespace; spans
    do not overlap; every non-whitespace character of text lies inside exactly one span (so the
    gaps between spans are whitespace only). Newlines inside text are ordinary whitespace
    (soft line breaks). Returns [] for whitespace-only text."""
    try:
        rules = RULES[lang]
    except KeyError:
        raise ConfigError(f"no sentence rules for source language {lang!r} "
                          f"(known: {', '.join(sorted(RULES))})") from None
    return _spans(text, _cuts(_mask(text, markdown=markdown), rules))


def _mask(text: str, *, markdown: bool = True) -> str:
    """`text` with protected ranges neutralised, same length, so no boundary falls inside."""
    if markdown and "`" in text:
        text = _neutralise(text, code_spans(text), _CODE_NEUTRAL)
    protect = _PROTECT_MD if markdown else _PROTECT_PLAIN
    triggers = _MD_TRIGGERS if markdown else _MD_TRIGGERS[2:]
    spans: list[Span] = []
    if any(t in text for t in triggers):
        spans.extend(m.span() for m in protect.finditer(text))
    if "@" in text:
        spans.extend(emails(text))
    if markdown and "<!--" in text:
        spans.extend(comments(text))
    return _neutralise(text, sorted(spans), _NEUTRAL) if spans else text


# --- Masking -------------------------------------------------------------------------


def _neutralise(text: str, spans: Iterable[Span], table: dict[int, str]) -> str:
    """Translate each (sorted, possibly overlapping) span of `text` through `table`."""
    parts: list[str] = []
    done = 0
    for s, e in spans:
        s = max(s, done)
        if e > s:
            parts += (text[done:s], text[s:e].translate(table))
            done = e
    parts.append(text[done:])
    return "".join(parts)


# --- Boundary search -----------------------------------------------------------------


class _Sentence(NamedTuple):
    """Where the current sentence starts, and the list marker it may open with."""

    start: int  # first non-whitespace character
    marker_end: int  # end of a leading "1." / "b)" / "• 9." marker (== start if none)
    next_item: int  # where the next item of that list begins, or -1


def _open(m: str, pos: int) -> _Sentence:
    found = _NONSPACE.search(m, pos)
    start = found.start() if found else len(m)
    marker = _MARKER.match(m, start)
    if marker is None:
        return _Sentence(start, start, -1)
    return _Sentence(start, marker.end(), _next_item(m, marker))


def _next_item(m: str, marker: re.Match[str]) -> int:
    """Start of the item after `marker` ("2." after "1.", "c)" after "b)"), or -1."""
    number, letter, style = marker.groups()
    if number:
        label = str(int(number) + 1)
    elif letter in "zZ":
        return -1
    else:
        label = chr(ord(letter) + 1)
    pattern = re.compile(r"(?<=\s)" + re.escape(label + style) + r"(?=\s)")
    found = pattern.search(m, marker.end(), marker.end() + 2000)
    return found.start() if found else -1


def _bullets(m: str) -> list[int]:
    """Positions of bullets after whitespace and of inline numbered items, last first (each
    one starts a sentence)."""
    found = _inline_items(m)
    if any(b in m for b in _BULLETS):
        found += [b.start() for b in _BULLET.finditer(m) if b.start() and m[b.start() - 1].isspace()]
    if "--" in m or "—" in m:
        found += [d.end() for d in _DASH_QUOTE.finditer(m) if _starter(m[d.end():d.end() + 32].lstrip(), _EN)]
    return sorted(set(found), reverse=True)


# --- Line breaks that are boundaries ---------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)?")
_ITEM_MARK = re.compile(rf"(?<!\S)(?:[{_BULLETS}]|(?:\d{{1,3}}|[a-z])(?:\.\)|\)|\.)(?=\s))")
_SENTENCE_IN_LINE = re.compile(r"[.!?…][\"'”’)\]]*\s+")  # what follows the last one starts a sentence
_PHONE_LINE = re.compile(r"(?:(?:tel|phone|mobile|fax)\.?:?\s*)?\+?[\d(][\d\s().\-/]{5,}\d", re.I)
_SMALL = frozenset("of and the for in on at to a an & de du des la le et y del von van da".split())
_TERMINAL = tuple(".!?…‽。！？．")


def _line_cuts(m: str, rules: Rules) -> list[int]:
    """Soft line breaks that separate sentences although no punctuation says so.

    A line that starts a sentence (the text's first line, or one after a line that ended a
    sentence or was itself cut off) and cannot end one (no full stop, question or
    exclamation mark at its end) is its own segment when it is a label, a name or a title
    (Title Case words: "Media Contact", "Sarah Conway", "**About Node.js Foundation**",
    "GENEVA, 14 March 2024"), a phone number, an e-mail address or a URL, and the next line
    starts like a sentence (a capital, a digit, `+`, a quote, an address). So is a list item
    ("c) one more", "• Shelter") when the next line starts with a word that starts sentences
    ("They", "The"), and a short line of at most three words ("contact manager") when the
    next line is short too or starts with such a word. Soft-wrapped prose is never cut: its
    lines end in the middle of a phrase. A lone carriage return breaks a line too.
    """
    cuts: list[int] = []
    lines = []  # (where the line's text starts, the text without surrounding white space)
    for g in _LINE.finditer(m):
        if g.group():
            raw = g.group().rstrip("\r\n")
            text = raw.lstrip()
            lines.append((g.start() + len(raw) - len(text), text.rstrip()))
    starts_sentence, seen = True, False
    for (a, line), (c, following) in zip(lines, lines[1:]):
        if not line:
            if seen and following:
                cuts.append(c)  # a blank line ends a paragraph
            starts_sentence = True
            continue
        seen = True
        ended = line.rstrip("\"'”’»)]*_~").endswith(_TERMINAL)
        if ended or not following:
            starts_sentence = ended
            continue
        pieces = _SENTENCE_IN_LINE.split(line[-40:])  # a short tail lies in the last 40 characters
        tail = pieces[-1] if len(pieces) > 1 or len(line) <= 40 else line
        short = _short_line(tail) and (starts_sentence or tail != line) and (
            _short_line(following) or _starter(following, rules))
        cut = short or starts_sentence and (_label_line(line) and _opens(following)
                                            or _starter(following, rules) and _item_line(line))
        if cut and short and tail != line:
            cuts.append(a + len(line) - len(tail))  # "city. features"
        if cut:
            cuts.append(c)
        starts_sentence = cut or ended
    return cuts


def _item_line(line: str) -> bool:
    """A line whose last sentence is a list item: "c) one more", "2. Shelter", "• Food"
    (its last marker, a lower-case letter or a number, has no full stop after it)."""
    last = None
    for last in _ITEM_MARK.finditer(line):
        pass
    return last is not None and not any(t in line[last.end():] for t in _TERMINAL)


def _short_line(line: str) -> bool:
    """Three to 24 characters in at most three words, with no full stop at the end."""
    return 3 <= len(line) <= 24 and len(line.split()) <= 3 and not line.endswith(_TERMINAL)


def _label_line(line: str) -> bool:
    """A line that stands alone: Title Case words, a bold run, a phone number, an address."""
    if _PHONE_LINE.fullmatch(line):
        return True
    if " " not in line and ("@" in line or line.startswith(("http", "www"))):
        return True
    for mark in ("**", "__"):
        if line.startswith(mark) and line.endswith(mark) and len(line) > 4:
            return True
    words = line.rstrip(":").replace(",", " ").split()
    if not words or len(words) > 8 or len(line) < 3:
        return False
    if not _title_word(words[0]) or not _title_word(words[-1]):
        return False
    return all(_title_word(w) or w.lower() in _SMALL for w in words)


def _title_word(word: str) -> bool:
    word = word.lstrip(_OPENERS + "–—-|/")
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _opens(line: str) -> bool:
    """Whether a line starts like a sentence or a contact detail."""
    first = line.split(None, 1)[0]
    return _starts(line) or "@" in first or first.startswith(("http", "www"))


def _inline_items(m: str) -> list[int]:
    """"… by 1) taking … and 2) judging …", "1. The first item 2. The second item": an inline
    list numbered `1)`, `1.)`, `1.` or lettered `a)`, `a.` inside a paragraph; each item is a
    sentence. At least two items (three for `a.`), each within 2,000 characters of the one
    before. Items marked with a bare full stop start with a capital, and the first follows a
    word in lower case or a colon: "Phase 1. The work … Phase 2. The" is prose."""
    items: list[int] = []
    marks = list(_FIRST_ITEM.finditer(m))
    firsts = [f.start() for f in marks]
    for k, mark in enumerate(marks):
        first, style = mark.start(), mark.group(1)
        letter = m[first] if m[first] != "1" else None
        if items and first < items[-1] or style == "." and not _after_lower_word(m, first):
            continue
        chain, at, label = [first], mark.end(), "b" if letter == "a" else "B" if letter else "2"
        stop = firsts[k + 1] if k + 1 < len(firsts) else len(m)  # a new "1)" starts a new list
        after = r"(?=\s+[A-Z\"“])" if style == "." else r"(?=\s)"
        while True:
            end = min(stop, at + 2000)
            if m.find(label + style, at, end) < 0:
                break  # (cheaper than the pattern, which most marks never need)
            found = re.compile(rf"(?<=\s){label}{re.escape(style)}{after}").search(m, at, end)
            if found is None:
                break
            chain.append(found.start())
            at = found.end()
            label = chr(ord(label) + 1) if letter else str(int(label) + 1)
            if letter and label > "zZ"[label.isupper()]:
                break
        if len(chain) > (2 if letter and style == "." else 1):
            items += chain
    return items


def _after_lower_word(m: str, at: int) -> bool:
    """Whether the word before `at` is in lower case, or there is none (the text's start),
    or it ends a sentence ("item. 1. The")."""
    before = m[max(0, at - 40):at].split()
    if not before:
        return True
    word = before[-1]
    return word[-1] in ".!?:" and len(word) > 2 or word[0].islower() and word[-1].isalpha()


def _cuts(m: str, rules: Rules) -> list[int]:
    """Positions that separate sentences in the masked text `m`, ascending."""
    cuts: list[int] = []
    bullets = _bullets(m)
    if "\n" in m or "\r" in m:
        bullets = sorted(set(bullets) | set(_line_cuts(m, rules)), reverse=True)
    sent = _open(m, 0)
    for cand in _CANDIDATE.finditer(m):
        pos = cand.start()
        if bullets or sent.next_item >= 0:
            sent = _forced(m, sent, pos, cuts, bullets)
        if pos < sent.marker_end:
            continue  # the "1." of a list item
        cut = _decide(m, cand, sent.start, rules)
        if cut is not None:
            cuts.append(cut)
            sent = _open(m, cut)
    _forced(m, sent, len(m), cuts, bullets)
    return cuts


def _forced(m: str, sent: _Sentence, pos: int, cuts: list[int], bullets: list[int]) -> _Sentence:
    """Cut before each bullet and unpunctuated list item ("1) a 2) b") found before `pos`."""
    while True:
        item = sent.next_item if sent.next_item >= 0 else len(m)
        cut = min(item, bullets[-1] if bullets else len(m))
        if cut >= pos:
            return sent
        if bullets and cut == bullets[-1]:
            bullets.pop()
        if cut > sent.start:
            cuts.append(cut)
            sent = _open(m, cut)


def _spans(text: str, cuts: list[int]) -> list[Span]:
    """Trim the pieces between cuts to their non-whitespace extent; drop empty ones."""
    spans: list[Span] = []
    bounds = [0, *cuts, len(text)]
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        body = piece.strip()
        if body:
            s = a + len(piece) - len(piece.lstrip())
            spans.append((s, s + len(body)))
    return spans


# --- Deciding one candidate ----------------------------------------------------------


def _decide(m: str, cand: re.Match[str], start: int, rules: Rules) -> int | None:
    """Where to cut for this candidate (usually after its closers), or None."""
    ps, end = cand.start(), cand.end()
    if end >= len(m):
        return None
    if m[ps] == "．":
        return end if _starts(m[end:end + 32]) or not m[end].isspace() else None
    if not m[end - 1].isspace() and (m[end] == "<" or m.startswith("[^", end)):
        note = _MARKUP_NOTE.match(m, end)
        if note is None:
            return None  # "was.<b>Next</b>": markup glued to the stop is no boundary
        nxt = m[note.end():note.end() + 48].lstrip()
        if m[ps:end] == ".":
            return note.end() if _period_ends(m, start, ps, "", nxt, rules) else None
        return note.end() if _starts(nxt) else None
    if not m[end - 1].isspace() and m[end] in "[0123456789":
        words = _before(m, start, ps)
        token = words[-1].lstrip(_OPENERS) if words else ""
        if m[end] != "[" and token[-1:] != ")" and (len(token) < 3 or token.lower() in rules.kinds):
            return None  # "Fig.3", "No.5": a number after an abbreviation
        return _footnote(m, end)
    close = cand["close"]
    cut = cand.end("close")
    run = m[ps:cut - len(close)]
    nxt = m[end:end + 32]
    if (")" in nxt or "]" in nxt) and _closes_bracket(m, start, ps, nxt):
        return None  # "[Is it the firm? 13:28]": the reference closes a bracket opened before
    if run != "." and ("!" in run or "?" in run or "‽" in run):
        if run == "!." and _named(m, start, ps, "x", rules):
            return cut if _starts(nxt) else None  # "… and Yahoo!. Get involved": the full stop ends it
        return cut if _starts(nxt) and not _named(m, start, ps, nxt, rules) else None
    if run != "." and ("…" in run or run.count(".") >= 3):
        return _ellipsis(m, ps, cut, run, nxt)
    return cut if _period_ends(m, start, ps, close, nxt, rules) else None


def _closes_bracket(m: str, start: int, ps: int, nxt: str) -> bool:
    """Whether the word after a stop closes a bracket that is open before it (within 200
    characters of the sentence): the stop is inside the brackets."""
    token = nxt.split(None, 1)[0].rstrip(".,;:!?") if nxt.strip() else ""
    if not token or token[-1] not in ")]" or "(" in token or "[" in token:
        return False
    opener, closer = ("(", ")") if token[-1] == ")" else ("[", "]")
    before = m[max(start, ps - 200):ps]
    return before.rfind(opener) > before.rfind(closer)


def _footnote(m: str, end: int) -> int | None:
    """"…a consultation.11 12 Take the example": the stop, its note marks, then a capitalised
    word. The mark stays with the sentence it follows."""
    note = _NOTE.match(m, end)
    if note is None:
        return None
    nxt = m[note.end():note.end() + 32].lstrip()
    return note.end() if nxt[:1].isupper() or nxt[:1] in "\"“" else None


def _named(m: str, start: int, ps: int, nxt: str, rules: Rules) -> bool:
    """"Yahoo! Japan": a name spelt with "!" followed by a non-starter word."""
    words = _before(m, start, ps)
    return bool(words) and words[-1].lower() in rules.exclaim and not _starter(nxt, rules)


def _ellipsis(m: str, ps: int, cut: int, run: str, nxt: str) -> int | None:
    """MLA ellipses: "word. . . . Next" is a full stop then an omission; ". . ." inside."""
    after = ps + len(run)
    if m[ps - 1:ps] == "[" and m[after:after + 1] == "]" or not _starts(nxt):
        return None
    attached = ps > 0 and not m[ps - 1].isspace()
    dots = run.count(".") + 3 * run.count("…")
    if " " in run:
        if dots < 4:
            return None
        return ps + 1 if attached else cut
    return cut if attached else None


def _period_ends(m: str, start: int, ps: int, close: str, nxt: str, rules: Rules) -> bool:
    """Whether a single full stop at `ps` ends the sentence."""
    if not _starts(nxt):
        return False
    if close:
        return True  # a quote, bracket or emphasis closed after the stop
    words = _before(m, start, ps)
    if not words:
        return True
    token = words[-1].lstrip(_OPENERS)
    kind = rules.kinds.get(token.lower()) or _shape(token)
    return kind == "word" or _abbr_ends(kind, m, start, ps, words, nxt, rules)


def _shape(token: str) -> Kind:
    """The kind of a token that is not in the abbreviation table."""
    if len(token) == 1 and token.isalpha():
        return "pronoun" if token == "I" else "abbr"  # initials: "Jonas E. Smith"
    if "." in token and _MULTI.match(token):
        return "abbr"  # U.S., E.U., H.E.
    return "word"


def _abbr_ends(kind: Kind, m: str, start: int, ps: int, words: list[str], nxt: str,
               rules: Rules) -> bool:
    """Whether an abbreviation of `kind`, followed by a capital or digit, ends a sentence."""
    if kind == "inline":
        return False
    if kind == "end":
        return True  # "etc." before a capital: nearly always the end
    if kind == "pronoun":
        return not _capitalised(words[:-1])  # "you and I. Did" vs "Albert I. Jones"
    if kind == "title":
        return _capitalised(words[:-1]) and _starter(nxt, rules)  # "Main St. The"
    if kind == "numeric" and nxt.lstrip("(#+")[:1].isdigit():
        return False  # "No. 5", "Fax. +82"
    if kind == "time":
        return not _in_intro(m, start, ps, rules) and _lead_word(nxt) not in rules.zones
    return _starter(nxt, rules)


def _before(m: str, start: int, ps: int) -> list[str]:
    """The last two words before `ps` in the sentence ([] if `ps` follows a space)."""
    if ps == start or m[ps - 1].isspace():
        return []
    return m[max(start, ps - 40):ps].split()[-2:]


def _capitalised(words: list[str]) -> bool:
    return bool(words) and words[-1].lstrip(_OPENERS)[:1].isupper()


def _in_intro(m: str, start: int, ps: int, rules: Rules) -> bool:
    """"At 5 a.m. Mr. Smith left": a short opening time phrase, not a sentence."""
    if ps - start > 80:
        return False
    words = m[start:ps].split()
    return len(words) <= 6 and words[0].lstrip(_OPENERS) in rules.intro


def _starts(nxt: str) -> bool:
    """Whether the text after a stop can begin a sentence (capital, digit, quote, brand)."""
    s = nxt.lstrip(_OPENERS)
    if not s:
        return False
    c = s[0]
    if c.isdigit() or c in _START_SYMBOLS:
        return True
    if not c.isalpha():
        return False
    return not c.islower() or bool(_CAMEL.match(s)) or s.startswith(("http", "www.")) or bool(_ITEM_START.match(s))


def _lead_word(nxt: str) -> str:
    found = _WORD.match(nxt.lstrip(_OPENERS))
    return found.group() if found else ""


def _starter(nxt: str, rules: Rules) -> bool:
    """After an ambiguous abbreviation, only a common sentence opener starts a sentence."""
    return nxt[0] in "\"“" or _lead_word(nxt) in rules.starters
