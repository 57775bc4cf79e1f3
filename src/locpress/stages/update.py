"""Update: a template and a locale's catalog become the catalog merged with msgmerge's
semantics; reviewed work is carried across a change of sentence rules (`resegment`) and what
another tool's msgmerge dropped comes back from the provenance record."""

from __future__ import annotations

from locpress.config import Config, joins_without_space
from locpress.gettext import headers, provenance
from locpress.gettext.catalog import Catalog, header_message, merge
from locpress.stages import resegment


def updated(config: Config, locale: str, template: Catalog, old: Catalog | None, record: provenance.Record,
            date: str) -> Catalog:
    """The locale's catalog after `msgmerge --previous` of `template` into `old`."""
    if old is not None and record:  # what another tool's msgmerge dropped comes back
        provenance.restore(old, record)
    header = headers.catalog_header(config, locale, template, old, date)
    joiner = "" if joins_without_space(locale) else " "
    return merge(template, resegment.carry_over(template, old, joiner), header)


def first_catalog(config: Config, locale: str, template_data: bytes, date: str) -> str | None:
    """A new locale's catalog from its template's bytes without parsing them (see
    `headers.relabeled`); None when a real merge is needed."""
    created = headers.creation_date(template_data)
    template = Catalog(header=header_message([("POT-Creation-Date", created)] if created else []))
    return headers.relabeled(template_data.decode("utf-8"),
                             headers.catalog_header(config, locale, template, None, date))
