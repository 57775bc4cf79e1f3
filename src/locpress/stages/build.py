"""Build: a release and its reviewed catalog become the localized release, checked after.

Only reviewed translations (translated, not fuzzy) are used. The built text is parsed again
and its block structure compared with the source's; a mismatch is an error, never a
silently broken document.
"""

from __future__ import annotations

from dataclasses import dataclass

from locpress.config import joins_without_space
from locpress.errors import BuildError, SourceError
from locpress.formats import htmlsource
from locpress.formats.document import LINE_END, Document, render
from locpress.formats.markdown import (
    block_lines,
    block_shape,
    front_matter,
    front_matter_end,
)
from locpress.formats.sources import LIST_MARKERS
from locpress.gettext.catalog import Catalog, Message


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


def to_review(doc: Document, translations: dict[str, str]) -> int:
    """Distinct segments of the release with no reviewed translation."""
    return sum(1 for t in {s.text for s, _ in doc.segments()} if t not in translations)


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


# --- drafts -------------------------------------------------------------------------------

#: Where a draft's text came from, in the order the legend lists them.
ORIGINS = ("reviewed", "tm", "mt", "aligned", "pseudo", "fuzzy", "source")
ORIGIN_LABELS = {"reviewed": "reviewed", "tm": "translation memory (not reviewed)",
                 "mt": "machine translation (not reviewed)", "aligned": "aligned (not reviewed)",
                 "pseudo": "pseudo-localization", "fuzzy": "other, not reviewed", "source": "source language"}
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use characters around a marked segment
ORIGIN_CODES = {origin: chr(ord("a") + index) for index, origin in enumerate(ORIGINS)}
DRAFT_NOTICE = "DRAFT-NOTICE.txt"


def origin(message: Message) -> str | None:
    """Where an entry's translation came from (None: it has none)."""
    if message.obsolete or message.msgid_plural is not None or message.msgctxt is not None \
            or not message.msgstr.strip():
        return None
    if message.reviewed:
        return "reviewed"
    notes = [c.split(":", 1)[1].strip() for c in message.auto_comments if c.startswith("locpress:")]
    first = notes[0] if notes else ""
    if first.startswith("tm"):
        return "tm"
    if first.startswith("mt pseudo"):
        return "pseudo"
    if first.startswith("mt"):
        return "mt"
    if first.startswith("aligned"):
        return "aligned"
    return "fuzzy"


def draft_translations(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """msgid -> (msgstr, origin) for every entry with a translation, reviewed or not."""
    found = {}
    for message in catalog.messages:
        kind = origin(message)
        if kind is not None:
            found[message.msgid] = (message.msgstr, kind)
    return found


def origin_counts(doc: Document, found: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Segments of the release by origin, the source language for those with no translation."""
    counts = dict.fromkeys(ORIGINS, 0)
    for sentence, _unit in doc.segments():
        hit = found.get(sentence.text)
        counts[hit[1] if hit and hit[0].strip() and hit[0] != sentence.text else "source"] += 1
    return {k: v for k, v in counts.items() if v}


def describe_origins(counts: dict[str, int]) -> str:
    """`3 reviewed, 2 mt, 1 source`: a draft's summary."""
    return ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "no segments"


def marked_build(doc: Document, found: dict[str, tuple[str, str]], locale: str) -> str:
    """The draft text with every segment between origin marks (`html.marks_to_spans` turns
    them into spans); not verified like a release, it is only ever rendered for a person."""
    joiner = "" if joins_without_space(locale) else " "

    def lookup(text: str) -> str:
        hit = found.get(text)
        if hit and hit[0].strip() and hit[0] != text:
            return f"{MARK_OPEN}{ORIGIN_CODES[hit[1]]}{hit[0].strip()}{MARK_CLOSE}"
        return f"{MARK_OPEN}{ORIGIN_CODES['source']}{text}{MARK_CLOSE}"

    text = render(doc, lookup, joiner)
    return htmlsource.set_language(text, locale) if doc.format == "html" else text


def mark_markdown_draft(text: str, counts_line: str) -> str:
    """A Markdown draft says it is one in its first body line, an HTML comment (shown by no
    renderer, read by whoever opens the file): after the front matter, which must stay first."""
    end, _lines = front_matter_end(text)
    newline = "\r\n" if "\r\n" in text else "\n"  # the source's line endings, kept
    note = f"<!-- DRAFT, not for publication (locpress build --draft): {counts_line} -->{newline * 2}"
    body = text[end:].lstrip("\r\n")
    return text[:len(text) - len(body)] + note + body


def draft_notice_text(locale: str) -> str:
    return (f"DRAFT: the files in this folder are drafts of the {locale} releases, written by "
            "`locpress build --draft`.\nThey hold unreviewed translations (memory, machine, alignment, "
            "pseudo-localization) and source text.\nThey are not for publication: what may be published is in "
            "output/.\n")
