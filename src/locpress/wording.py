"""Counts in words, as people write them: "1 catalog", "2 catalogs", "1 entry", "0 entries"."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "was": "were", "is": "are", "its": "their", "this": "these"}


def plural(word: str) -> str:
    """The English plural of the words locpress counts."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def counted(number: int, word: str, many: str | None = None) -> str:
    """`counted(1, "catalog")` is "1 catalog", `counted(2, "catalog")` "2 catalogs"; the
    first word of a phrase is the one counted (`counted(2, "entry changed")`)."""
    head, _space, rest = word.partition(" ")
    noun = head if number == 1 else (many or plural(head))
    return f"{number:,} {noun}" + (f" {rest}" if rest else "")
