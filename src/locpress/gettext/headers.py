"""Catalog headers: what a template's header holds, and a locale catalog's (what translators'
editors set is kept)."""

from __future__ import annotations

import re

from locpress import __version__
from locpress.config import Config, plural_forms
from locpress.gettext.catalog import Catalog, header_message, header_value, write_po

GENERATOR = f"locpress {__version__}"
_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.M)


def creation_date(data: bytes) -> str | None:
    """A written template's `POT-Creation-Date`, from its bytes without parsing the catalog."""
    found = _CREATION_DATE.search(data)
    return found.group(1).decode() if found else None


def relabeled(template_text: str, header: list[tuple[str, str]]) -> str | None:
    """What msgmerge makes of a template and no catalog, from the template's canonical text
    (as locpress writes it): the same entries under `header`. None when the text is not in
    that form or has a plural entry (whose msgstr[N] a real merge must make)."""
    if not template_text.startswith('msgid ""\n') or "\nmsgid_plural " in template_text:
        return None
    head = write_po(Catalog(header=header_message(header)))
    cut = template_text.find("\n\n")
    return head if cut < 0 else head + "\n" + template_text[cut + 2:]


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
