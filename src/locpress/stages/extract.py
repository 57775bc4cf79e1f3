"""Extraction: a parsed release becomes a gettext template."""

from __future__ import annotations

from functools import partial

from locpress.config import Config
from locpress.formats.document import Document, Splitter
from locpress.formats.segment import split_sentences
from locpress.gettext import headers
from locpress.gettext.catalog import Catalog, Message, header_message, write_po


def splitter(config: Config, markdown: bool) -> Splitter:
    """The segmenter the project is configured for: sentences, or whole paragraphs."""
    if config.segmentation == "paragraph":
        return whole
    return partial(split_sentences, markdown=markdown, lang=config.source_locale.split("_")[0])


def whole(text: str) -> list[tuple[int, int]]:
    """One span for the whole text (paragraph segmentation)."""
    stripped = text.strip()
    if not stripped:
        return []
    start = len(text) - len(text.lstrip())
    return [(start, start + len(stripped))]


def template(doc: Document, reference_path: str, header: list[tuple[str, str]]) -> Catalog:
    """One entry per distinct segment, in document order, with every place it occurs."""
    entries: dict[str, Message] = {}
    for sentence, unit in doc.segments():
        entry = entries.get(sentence.text)
        if entry is None:
            entry = entries[sentence.text] = Message(msgid=sentence.text)
        reference = f"{reference_path}:{sentence.line}"
        if reference not in entry.references:
            entry.references.append(reference)
        if unit.kind not in entry.auto_comments:
            entry.auto_comments.append(unit.kind)
    return Catalog(header=header_message(header), messages=list(entries.values()))


def template_bytes(doc: Document, reference_path: str, config: Config, old: bytes | None,
                   date: str) -> tuple[Catalog, bytes]:
    """A release's template and its bytes. The creation date of the template it replaces
    (`old`) is kept while nothing else changes, so an unchanged source writes the same bytes."""
    if old is not None and b"\r\n" in old:  # a CRLF working copy: compared as written
        old = old.replace(b"\r\n", b"\n")
    old_date = headers.creation_date(old) if old else None
    catalog = template(doc, reference_path, headers.template_header(config, old_date or date))
    data = write_po(catalog).encode()
    if old is not None and data != old and old_date:
        catalog = template(doc, reference_path, headers.template_header(config, date))
        data = write_po(catalog).encode()
    return catalog, data
