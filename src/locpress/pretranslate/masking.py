"""Protected spans: what an engine must not touch travels as `[X0X]` tokens and is put back.

Inline code, link targets, URLs, e-mail addresses, phone numbers, HTML tags and
do-not-translate terms are replaced before a text goes to an engine; `restore` puts them
back, also when the engine respaced or recased a token, and lists those it lost or
duplicated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from locpress.formats import spans as scan
from locpress.pretranslate.engines import TOKEN

_SPAN_PATTERNS = (
    re.compile(r"\[X\d+X\]"),  # our own token, should the source contain one
    # and spans.py's: code, comments and link openers are found by its scanners (see mask)
    scan.TAG, scan.AUTOLINK, scan.LINK_TARGET, scan.REF_LABEL, scan.URL, scan.EMAIL, scan.PHONE,
)
_RESTORE = re.compile(r"[\[［]\s*[Xx]\s*(\d+)\s*[Xx]\s*[\]］]|(?<![\w\[［])[Xx](\d+)[Xx](?![\w\]］])")



@dataclass(frozen=True)
class Masked:
    """A text as sent to an engine: protected spans replaced by `[X<n>X]` tokens."""

    text: str
    spans: tuple[str, ...] = ()


def mask(text: str, dnt: Sequence[tuple[int, int]] = ()) -> Masked:
    """Replace the spans an engine must not touch; `dnt` adds do-not-translate terms."""
    found = [m.span() for pattern in _SPAN_PATTERNS for m in pattern.finditer(text)]
    chosen = scan.merged(found, scan.code_spans(text), scan.comments(text), scan.link_openers(text), dnt)
    pieces: list[str] = []
    spans: list[str] = []
    at = 0
    for start, end in chosen:
        pieces.append(text[at:start])
        pieces.append(f"[X{len(spans)}X]")
        spans.append(text[start:end])
        at = end
    pieces.append(text[at:])
    return Masked("".join(pieces), tuple(spans))


def restore(masked: Masked, translated: str) -> tuple[str, list[str]]:
    """Put the spans back; also list those the engine lost or duplicated. Tokens an engine
    respaced or recased (`[x 1 x]`, `X1X`) are still recognised."""
    seen: Counter[int] = Counter()

    def put(match: re.Match[str]) -> str:
        index = int(match.group(1) or match.group(2))
        if index >= len(masked.spans):
            return match.group(0)
        seen[index] += 1
        return masked.spans[index]

    text = _RESTORE.sub(put, translated) if masked.spans else translated
    problems = []
    for index, span in enumerate(masked.spans):
        if seen[index] == 0:
            problems.append(f"lost {quoted(span)}")
        elif seen[index] > 1:
            problems.append(f"duplicated {quoted(span)}")
    return text, problems


def quoted(text: str, limit: int = 80) -> str:
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return '"' + text.replace("\n", " ") + '"'


def has_words(masked: Masked) -> bool:
    """Whether anything is left to translate once the protected spans are set aside."""
    return any(c.isalpha() for c in TOKEN.sub("", masked.text))


