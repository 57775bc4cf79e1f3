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


def counted(number: int, words: str, many: str | None = None) -> str:
    """`counted(1, "catalog")` is "1 catalog", `counted(2, "empty segment")` "2 empty
    segments": the last word is the one that takes the plural (or `many`)."""
    head, _space, noun = words.rpartition(" ")
    noun = noun if number == 1 else (many or plural(noun))
    return f"{number:,} " + (f"{head} " if head else "") + noun
