"""Build: a release and its reviewed catalog become the localized release, checked after.

Only reviewed translations (translated, not fuzzy) are used. The built text is parsed again
and its block structure compared with the source's; a mismatch is an error, never a
silently broken document.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import htmlsource
from .catalog import Catalog
from .config import joins_without_space
from .document import LINE_END, Document, render
from .errors import BuildError, SourceError
from .markdown import block_lines, block_shape, front_matter
from .sources import LIST_MARKERS


@dataclass(frozen=True)
class Built:
    """A localized release and how much of it is translated."""

    text: str
    segments: int
    translated: int

    @property
    def in_source_language(self) -> int:
        return self.segments - self.translated


def reviewed_translations(catalog: Catalog) -> dict[str, str]:
    """msgid -> msgstr for every reviewed entry."""
    return {m.msgid: m.msgstr for m in catalog.messages
            if not m.obsolete and m.msgid_plural is None and m.msgctxt is None and m.reviewed}


def percent_reviewed(doc: Document, translations: dict[str, str]) -> float:
    texts = {s.text for s, _ in doc.segments()}
    if not texts:
        return 100.0
    return 100.0 * sum(1 for t in texts if t in translations) / len(texts)


def build(doc: Document, translations: dict[str, str], locale: str) -> Built:
    """The release with every reviewed translation in place; the rest stays as in the source."""
    joiner = "" if joins_without_space(locale) else " "
    if doc.format == "html":
        text = htmlsource.build(doc, translations, locale, joiner)  # verified there
        segments = doc.segments()
        return Built(text=text, segments=len(segments),
                     translated=sum(1 for s, _ in segments if translations.get(s.text, "").strip()))
    text = render(doc, translations.get, joiner)
    segments = doc.segments()
    translated = sum(1 for s, _ in segments if translations.get(s.text, "").strip())  # as render counts
    if text != doc.text:
        verify(doc, text)
    return Built(text=text, segments=len(segments), translated=translated)


def verify(doc: Document, text: str) -> None:
    """Raise BuildError when the built text's structure differs from the source's."""
    if doc.format == "md":
        _verify_front_matter(doc, text)
        want, got = block_shape(doc.text), block_shape(text)
    else:
        want, got = _text_shape(doc.text), _text_shape(text)
    if want != got:
        index = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        expected = want[index] if index < len(want) else "end of document"
        found = got[index] if index < len(got) else "end of document"
        raise BuildError(f"built document changes the structure of the source "
                         f"(block {index + 1}: expected {expected}, got {found})",
                         doc.path, _source_line(doc, index))


def _source_line(doc: Document, index: int) -> int | None:
    """Where the first differing block starts in the source."""
    if doc.format == "md":
        lines = block_lines(doc.text)
    else:
        lines = [line for _shape, line in _text_blocks(doc.text)]
    return lines[min(index, len(lines) - 1)] if lines else None


def _verify_front_matter(doc: Document, text: str) -> None:
    before, after = _front_matter(doc, doc.text), _front_matter(doc, text)
    if before is None and after is None:
        return
    if before is None or after is None or set(before) != set(after):
        raise BuildError("built document changes the front matter keys", doc.path, 1)
    translated = {u.kind.removeprefix("front matter ") for u in doc.units if u.kind.startswith("front matter ")}
    for key, value in before.items():
        if key not in translated and after[key] != value:
            raise BuildError(f"built document changes the front matter value of {key!r}", doc.path, 1)


def _front_matter(doc: Document, text: str) -> dict[str, object] | None:
    try:
        return front_matter(text, doc.path)
    except SourceError as exc:
        raise BuildError(f"built document has {exc.message}", doc.path, exc.line) from None


def _text_shape(text: str) -> list[tuple[str, str, int]]:
    """Blocks and list markers of a plain-text release."""
    return [shape for shape, _line in _text_blocks(text)]


def _text_blocks(text: str) -> list[tuple[tuple[str, str, int], int]]:
    """Each block of a plain-text release, as its reader sees it: (shape, 1-based line)."""
    found = []
    start, items = 0, 0
    for number, row in enumerate([*LINE_END.split(text), ""], 1):
        if row.strip():
            start, items = start or number, items + row.lstrip().startswith(LIST_MARKERS)
        elif start:
            found.append((("block", "", items), start))
            start, items = 0, 0
    return found
