"""`locpress accept`: a reviewer who checked the drafts makes their fuzzy entries reviewed.

Only fuzzy entries that have a translation are accepted, optionally only those of one origin
(`aligned`, `tm`, `mt`, as the `#. locpress: ...` provenance comment says). Some are never
accepted silently, and are listed instead, left fuzzy:

- pseudo-localized text (it is a layout test, not a translation);
- an entry whose English changed since it was translated (`#|` previous msgid), unless
  `--include-changed`: the reviewer checked the old English, not the new;
- an entry with a `check` error: accepting it would publish the error (the build gate would
  refuse the release anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from locpress.findings import ERROR
from locpress.gettext.catalog import Catalog, Message, write_po
from locpress.qa import checks as checks_stage
from locpress.qa.context import Context
from locpress.run.project import Release
from locpress.stages.build import origin

if TYPE_CHECKING:
    from locpress.run.pipeline import Pipeline

ORIGINS = ("aligned", "tm", "mt")


@dataclass(frozen=True)
class Entry:
    """One fuzzy entry looked at: where it is, where its translation came from, and (when it
    is left fuzzy) why."""

    path: str
    line: int
    msgid: str
    origin: str
    reason: str = ""


@dataclass
class Accepted:
    accepted: list[Entry] = field(default_factory=list)
    held: list[Entry] = field(default_factory=list)
    catalogs: int = 0  # catalogs written


def entry_origin(message: Message) -> str | None:
    """The origin of a (possibly plural) entry's translation, None when it has none."""
    if message.obsolete or not any(text.strip() for text in message.translations):
        return None
    if message.msgid_plural is None and message.msgctxt is None:
        return origin(message)
    single = Message(message.msgid, message.first_msgstr or "x", flags=message.flags,
                     auto_comments=message.auto_comments)
    return origin(single)


def accept(pipeline: Pipeline, releases: Sequence[Release], locale: str, origins: Sequence[str] = (),
           include_changed: bool = False, dry_run: bool = False) -> Accepted:
    """Accept the fuzzy entries of a locale's catalogs; write them unless `dry_run`."""
    done = Accepted()
    config = pipeline.config
    enabled = checks_stage.selected(config.check_disable, config.path)
    ctx = checks_stage.context(locale, config, pipeline.check_glossary())
    entry_checks = tuple(c for c in enabled if c.scope == "entry" and (c.needs != "glossary" or ctx.glossary.terms)
                         and (c.needs != "non-latin" or ctx.rules.non_latin))
    for release in releases:
        found = _accept_release(pipeline, pipeline.project.catalog_path(locale, release), ctx, entry_checks,
                                include_changed, origins, dry_run)
        done.accepted += found.accepted
        done.held += found.held
        done.catalogs += bool(found.accepted) and not dry_run
    return done


def _accept_release(pipeline: Pipeline, path: Path, ctx: Context,
                    entry_checks: tuple[checks_stage.Check, ...], include_changed: bool, origins: Sequence[str],
                    dry_run: bool) -> Accepted:
    """Accept in one catalog, through the runner's retry: a translator's save meanwhile is
    read again and accepted in."""
    found = Accepted()

    def produce(_again: bool) -> tuple[bytes | None, bytes | None]:
        catalog, data = pipeline.catalog(path)
        found.accepted, found.held = [], []
        if catalog is None:
            return data, None
        changed = _accept_catalog(catalog, pipeline.project.shown(path), found, ctx, entry_checks, include_changed,
                                  origins)
        return data, write_po(catalog).encode() if changed and not dry_run else None

    pipeline.rewrite(path, produce, "accepted")
    return found


def _accept_catalog(catalog: Catalog, shown: str, done: Accepted, ctx: Context,
                    entry_checks: tuple[checks_stage.Check, ...], include_changed: bool,
                    origins: Sequence[str]) -> bool:
    """Accept what may be accepted in one catalog (in place); whether anything was."""
    ctx.nplurals = checks_stage._nplurals(catalog)
    silenced = checks_stage.ignored(catalog.header)
    changed = False
    for message in catalog.messages:
        if message.obsolete or "fuzzy" not in message.flags:
            continue
        kind = entry_origin(message)
        if kind is None or (origins and kind not in origins):
            continue
        entry = Entry(shown, message.lineno, message.msgid, kind)
        if kind == "pseudo":
            done.held.append(_held(entry, "pseudo-localized text is never accepted"))
            continue
        if message.previous_msgid is not None and not include_changed:
            done.held.append(_held(entry, "the English changed since it was translated (--include-changed "
                                          "accepts it)"))
            continue
        skip = checks_stage.ignored(message) | silenced
        errors = [f"[{check.name}] {text}" for check, text in checks_stage.check_message(
            message, ctx, tuple(c for c in entry_checks if c.name not in skip), skip) if check.severity == ERROR]
        if errors:
            done.held.append(_held(entry, "; ".join(errors)))
            continue
        message.flags = [flag for flag in message.flags if flag != "fuzzy"]
        message.previous_msgid = message.previous_msgctxt = message.previous_msgid_plural = None
        done.accepted.append(entry)
        changed = True
    return changed


def _held(entry: Entry, reason: str) -> Entry:
    return Entry(entry.path, entry.line, entry.msgid, entry.origin, reason)


def describe(done: Accepted, dry_run: bool) -> list[str]:
    """One line per entry, then the total."""
    verb = "would accept" if dry_run else "accepted"
    lines = [f"{verb} {e.path}:{e.line}: {e.origin}: {_short(e.msgid)}" for e in done.accepted]
    lines += [f"left fuzzy {e.path}:{e.line}: {e.origin}: {e.reason}" for e in done.held]
    count = len(done.accepted)
    lines.append(f"{verb} {count} {'entry' if count == 1 else 'entries'}, left {len(done.held)} fuzzy"
                 + (" (dry run: nothing written)" if dry_run else ""))
    return lines


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
