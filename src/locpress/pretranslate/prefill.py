"""The pre-translation plan as plain data: what goes into each empty entry, and with which note.

`pretranslate` (the stage over the project) and `llm_stage` (a language-model engine, release
by release) both build on these; nothing here reads or writes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from locpress.formats.sources import Release
from locpress.gettext.catalog import Catalog, Message
from locpress.pretranslate.masking import Masked
from locpress.pretranslate.masking import quoted as _quoted
from locpress.pretranslate.memory import Match
from locpress.qa.glossary import HINT_PREFIX

PROVENANCE = "locpress: "


@dataclass(frozen=True)
class Options:
    """A pretranslate run: the engine (`--engine`), its URL, and what the run may do."""

    engine: str
    url: str | None = None
    dry_run: bool = False
    max_chars: int | None = None
    fail_on_engine_error: bool = False


@dataclass
class Summary:
    """What a run did (or, in a dry run, would do) for one locale."""

    locale: str
    engine: str
    dry_run: bool = False
    empty: int = 0
    unique: int = 0
    tm_exact: int = 0
    tm_fuzzy: int = 0
    mt: int = 0
    copied: int = 0
    failed: int = 0
    skipped: int = 0
    characters: int = 0
    cache_hits: int = 0
    requests: int = 0
    tokens: int = 0  # a language-model engine's dry run: estimated tokens (see llm.py)
    held: int = 0  # releases held back by their embargo


# --- decisions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Fill:
    """What goes into one empty entry."""

    msgstr: str
    fuzzy: bool
    comments: tuple[str, ...]
    previous: str | None = None


def tm_fill(match: Match, exact_reviewed: bool) -> Fill:
    """The fill for a memory match, with its provenance comment."""
    if match.score >= 100 and match.source:
        note = f"{PROVENANCE}tm 100% from {match.release}"
        return Fill(match.target, not (exact_reviewed and match.reviewed), (note,))
    note = f"{PROVENANCE}tm {int(match.score)}% for {_quoted(match.source, 200)}"
    return Fill(match.target, True, (note,), previous=match.source)


def mt_fill(engine: str, text: str, problems: Sequence[str], findings: Sequence[str] = ()) -> Fill:
    notes = (*(f"{PROVENANCE}mt {engine} {p}" for p in problems),
             *(f"{PROVENANCE}mt {engine} check: {f}" for f in findings))
    return Fill(text, True, (f"{PROVENANCE}mt {engine}", *notes))


def apply(catalog: Catalog, fills: Mapping[str, Fill], hints: Callable[[str], list[str]]) -> int:
    """Fill the empty entries that have a fill; refresh provenance and glossary hints on
    every empty entry. Returns how many entries were filled."""
    filled = 0
    for message in catalog.messages:
        if message.obsolete or message.msgid_plural is not None or not message.untranslated:
            continue
        kept = [c for c in message.auto_comments if not c.startswith((PROVENANCE, HINT_PREFIX))]
        fill = fills.get(message.msgid)
        if fill is not None:
            message.msgstr = fill.msgstr
            message.flags = [f for f in message.flags if f != "fuzzy"] + (["fuzzy"] if fill.fuzzy else [])
            message.previous_msgctxt = None
            message.previous_msgid = fill.previous
            message.previous_msgid_plural = None
            kept.extend(fill.comments)
            filled += 1
        message.auto_comments = kept + hints(message.msgid)
    return filled


def empty_entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog.messages if not m.obsolete and m.msgid_plural is None and m.untranslated]


# --- what the stage keeps per release and per text ------------------------------------------

@dataclass
class Job:
    """A distinct text of a locale that needs machine translation."""

    masked: Masked
    pieces: list[tuple[str, str]]


@dataclass
class Loaded:
    """A catalog being filled: what was read, and what goes into its empty entries."""

    release: Release
    path: Path
    catalog: Catalog
    data: bytes
    unchanged_since: dict[str, object]  # what `State.fresh` compares next time
    fills: dict[str, Fill] = field(default_factory=dict)
    jobs: list[str] = field(default_factory=list)
    embargo: dt.datetime | None = None
    held: bool = False  # embargoed, and the engine is not confidential: nothing sent


Results = dict[str, "Future[str] | str"]
