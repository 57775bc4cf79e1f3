"""Provenance that survives other tools' merges.

Where a translation came from (`#. locpress: mt deepl`, `tm 87% …`, `aligned from …`,
`xliff from …`), glossary hints (`#. glossary: …`) and `#. locpress: ignore` directives are
extracted comments, which gettext takes to be the template's: a third-party `msgmerge`
(Weblate's msgmerge add-on, Poedit's "Update from POT") drops every one of them. So each
catalog locpress writes with such comments gets a record beside it,
`<release>.provenance.json` (committed with the catalogs; `.locpress/` is never the only
copy), and `locpress update` gives an entry its comments back when it has lost all of them.

The record is keyed by msgctxt and msgid, like an exact match in a merge: a sentence that
changed loses its provenance with its old text, as in locpress's own update. It only
forgets what locpress itself removed: an entry that has none of the comments when locpress
writes the catalog keeps its recorded ones (they were lost, not replaced).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from locpress.errors import CatalogError
from locpress.gettext.catalog import KEPT_COMMENTS, Catalog, Message

SUFFIX = ".provenance.json"
VERSION = 1
Record = dict[tuple[str | None, str], list[str]]


def record_name(catalog_name: str) -> str:
    """`floods.po` -> `floods.provenance.json`."""
    return catalog_name.removesuffix(".po") + SUFFIX


def kept(message: Message) -> list[str]:
    return [c for c in message.auto_comments if c.startswith(KEPT_COMMENTS)]


def _live(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog.messages if not m.obsolete)


def record_of(catalog: Catalog, previous: Record) -> Record:
    """The record of a catalog locpress writes: each live entry's comments, or, for an
    entry that has none, what the previous record had for it."""
    found: Record = {}
    for message in _live(catalog):
        comments = kept(message) or previous.get(message.key, [])
        if comments:
            found[message.key] = comments
    return found


def restore(catalog: Catalog, record: Record) -> int:
    """Give the comments back to each live entry that has lost all of them; how many
    entries got theirs back."""
    restored = 0
    for message in _live(catalog):
        comments = record.get(message.key)
        if comments and not kept(message):
            message.auto_comments = [*message.auto_comments, *comments]
            restored += 1
    return restored


def dumps(record: Record, catalog_name: str) -> str:
    """The record as committed: one entry per line, in catalog order, stable bytes."""
    head = json.dumps({"version": VERSION, "catalog": catalog_name,
                       "about": "locpress provenance comments of the catalog; `locpress update` restores "
                                "them after another tool's merge dropped them"}, ensure_ascii=False)
    lines = [json.dumps({"msgctxt": key[0], "msgid": key[1], "comments": comments}, ensure_ascii=False)
             for key, comments in record.items()]
    return head[:-1] + ', "entries": [\n' + ",\n".join(lines) + "\n]}\n"


def loads(data: bytes, path: str) -> Record:
    """A record read back; a damaged one is an error naming the file (never a traceback)."""
    try:
        body = json.loads(data.decode("utf-8"))
        return {(e["msgctxt"], e["msgid"]): [str(c) for c in e["comments"]] for e in body["entries"]}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise CatalogError("not a locpress provenance record (JSON with entries); restore it from git "
                           "or delete it", path, 1) from None


MARKERS = tuple(f"\n#. {prefix}".encode() for prefix in KEPT_COMMENTS)


def refreshed(catalog: Catalog | None, data: bytes, record: bytes | None, catalog_name: str,
              record_shown: str) -> str | None:
    """The record's new text after locpress wrote a catalog (`data`, parsed as `catalog`,
    which may be None when the text shows no comment worth parsing for); None when the
    catalog needs no record."""
    if record is None and not any(marker in data for marker in MARKERS):
        return None
    if catalog is None:
        return None
    found = record_of(catalog, loads(record, record_shown) if record is not None else {})
    return dumps(found, catalog_name) if found else None


def needs_parse(data: bytes, record: bytes | None) -> bool:
    return record is not None or any(marker in data for marker in MARKERS)
