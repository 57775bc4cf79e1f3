"""Extraction: a parsed release becomes a gettext template; headers for templates and catalogs."""

from __future__ import annotations

from functools import partial

from . import __version__
from .catalog import Catalog, Message, header_message, header_value
from .config import Config, plural_forms
from .document import Document, Splitter
from .segment import split_sentences

GENERATOR = f"locpress {__version__}"


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


def template_header(config: Config, date: str) -> list[tuple[str, str]]:
    return [
        ("Project-Id-Version", config.project_name),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", date),
        ("PO-Revision-Date", date),
        ("Last-Translator", ""),
        ("Language-Team", ""),
        ("Language", config.source_locale),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", GENERATOR),
    ]


def catalog_header(config: Config, locale: str, template_catalog: Catalog, old: Catalog | None,
                   date: str) -> list[tuple[str, str]]:
    """The header of a locale's catalog: what translators' editors set is kept."""

    def kept(key: str, default: str) -> str:
        value = header_value(old, key) if old is not None else None
        return value if value is not None else default

    fields = [
        ("Project-Id-Version", config.project_name),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", header_value(template_catalog, "POT-Creation-Date") or date),
        ("PO-Revision-Date", kept("PO-Revision-Date", date)),
        ("Last-Translator", kept("Last-Translator", "")),
        ("Language-Team", kept("Language-Team", "")),
        ("Language", locale),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms(locale)),
        ("X-Generator", GENERATOR),
    ]
    ours = {key.lower() for key, _ in fields}
    extra = [(k, v) for k, v in (old.fields if old is not None else []) if k.lower() not in ours]
    return fields + extra
