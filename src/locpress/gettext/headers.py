"""Catalog headers: what a template's header holds, and a locale catalog's (what translators'
editors set is kept)."""

from __future__ import annotations

from locpress import __version__
from locpress.config import Config, plural_forms
from locpress.gettext.catalog import Catalog, header_value

GENERATOR = f"locpress {__version__}"


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
