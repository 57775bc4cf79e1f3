"""Translation memory and machine-translation cache, in one SQLite file under `.locpress/`.

The catalogs stay the source of truth: the memory holds every reviewed entry of every
catalog, per locale, and is brought up to date from the catalogs that changed (by their
file stamps) before each use, so `tm rebuild` can recreate it at any time. The MT cache is
different: it records what an engine was paid to translate, keyed by (engine, source
language, target language, text sent, variant), and is written *before* the translation is
used, so an interrupted run never pays twice. The variant is empty for sentence engines; a
language-model engine puts there what else determines its answer (model, prompt version,
style note, the glossary entries of the segment: see llm.py). Rebuilding the memory keeps
the cache; schema 1's cache (no variant) is migrated in place, never dropped.

Fuzzy lookup must stay under a millisecond against 100,000 segments, where a brute-force
rapidfuzz scan takes about 20 ms. `FuzzyIndex` narrows the scan to candidates found by
prefix filtering on word tokens (the rarest words of a segment, as in set-similarity joins)
plus the neighbours of the query in the memory sorted forwards and backwards, then scores
the candidates with the same rapidfuzz scorer; `bench/tm_lookup.py` measures how often it
finds the brute-force best match.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sqlite3
import threading
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from locpress.errors import LocpressError
from locpress.gettext.catalog import Catalog

SCHEMA_VERSION = 2
#: Below this many distinct sources a plain scan is fast enough and exact.
SCAN_BELOW = 5000
#: Prefix filtering: the share of word tokens a match is assumed to share with the query,
#: and below which score the looser level is searched too (low scores share fewer words).
TOKEN_OVERLAP = (0.75, 0.5)
LOOSER_BELOW = 84.0
#: Neighbours taken on each side of the query in the forward and backward orders.
NEIGHBOURS = 32
#: Catalog paths of units imported from outside the catalogs: `import:reviewed:<locale>:<origin>`
#: and `import:fuzzy:<locale>:<origin>` (see `Memory.add_imported`).
IMPORTED = "import:"
_CATALOGS_FIRST = "(c.path LIKE 'import:%'), (c.path LIKE 'import:fuzzy:%')"
_WORD = re.compile(r"\w+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalogs(
    path TEXT PRIMARY KEY, locale TEXT NOT NULL, release TEXT NOT NULL, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments(
    catalog TEXT NOT NULL, locale TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS segments_by_source ON segments(locale, source);
CREATE INDEX IF NOT EXISTS segments_by_catalog ON segments(catalog);
"""
_CACHE = """
CREATE TABLE IF NOT EXISTS mt_cache(
    engine TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, text TEXT NOT NULL,
    variant TEXT NOT NULL DEFAULT '', translation TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY(engine, source_lang, target_lang, text, variant)) WITHOUT ROWID;
"""
#: Schema 1 -> 2: the cache gains its variant column (part of the key); every row is kept.
_CACHE_1_TO_2 = """
ALTER TABLE mt_cache RENAME TO mt_cache_1;
""" + _CACHE + """
INSERT INTO mt_cache(engine, source_lang, target_lang, text, variant, translation, created)
    SELECT engine, source_lang, target_lang, text, '', translation, created FROM mt_cache_1;
DROP TABLE mt_cache_1;
"""


class MemoryStoreError(LocpressError):
    """The memory database cannot be opened or used."""


@dataclass(frozen=True)
class Match:
    """A memory hit: the remembered source, its reviewed translation, and where it came from."""

    source: str
    target: str
    score: float
    release: str
    reviewed: bool = True  # False for imported units nobody vouched for (`align`, `tm import`)


@dataclass(frozen=True)
class LocaleStats:
    locale: str
    catalogs: int
    segments: int
    sources: int


@dataclass(frozen=True)
class CacheStats:
    engine: str
    source_lang: str
    target_lang: str
    entries: int
    characters: int


def reviewed_pairs(catalog: Catalog) -> list[tuple[str, str]]:
    """(source, translation) of every reviewed entry, obsolete ones included: a sentence
    dropped from one release is still a good match for the next."""
    return [(m.msgid, m.msgstr) for m in catalog.messages
            if m.msgid and m.msgid_plural is None and m.reviewed]


class FuzzyIndex:
    """Best fuzzy match (rapidfuzz `fuzz.ratio`) among a fixed list of sources.

    Sources are numbered shortest first, so that the sources of a length window form a
    range of numbers and every posting list (sorted numbers) can be cut to the window by
    bisection. A lookup first scores the query's neighbours in the sorted orders, which
    usually gives a good score at once; that score narrows the length window in which
    anything better can lie, and only the posting lists' part inside it is scored.
    """

    def __init__(self, sources: Sequence[str]) -> None:
        self.order = sorted(range(len(sources)), key=lambda i: (len(sources[i]), sources[i]))
        self.sources = [sources[i] for i in self.order]
        self.lengths = [len(s) for s in self.sources]
        self.postings: tuple[dict[str, array[int]], ...] = ()
        self.rank: dict[str, tuple[int, str]] = {}
        self.forward: list[int] = []
        self.forward_keys: list[str] = []
        self.backward: list[int] = []
        self.backward_keys: list[str] = []
        if not self.scans:
            self._build()

    @property
    def scans(self) -> bool:
        """Whether lookups scan every source (small memories) rather than use the index."""
        return len(self.sources) < SCAN_BELOW

    def _build(self) -> None:
        tokens = [_tokens(s) for s in self.sources]
        frequency: Counter[str] = Counter()
        for found in tokens:
            frequency.update(found)
        self.rank = {word: (count, word) for word, count in frequency.items()}
        levels = []
        for overlap in TOKEN_OVERLAP:
            postings: dict[str, list[int]] = defaultdict(list)
            for index, found in enumerate(tokens):
                for word in self._prefix(found, overlap):
                    postings[word].append(index)
            levels.append({word: array("i", ids) for word, ids in postings.items()})
        self.postings = tuple(levels)
        self.forward = sorted(range(len(self.sources)), key=self.sources.__getitem__)
        self.forward_keys = [self.sources[i] for i in self.forward]
        reverse = [s[::-1] for s in self.sources]
        self.backward = sorted(range(len(self.sources)), key=reverse.__getitem__)
        self.backward_keys = [reverse[i] for i in self.backward]

    def _prefix(self, tokens: set[str], overlap: float) -> list[str]:
        """The rarest tokens: any text sharing `overlap` of them shares one of these."""
        ordered = sorted(tokens, key=lambda w: self.rank.get(w, (0, w)))
        keep = len(ordered) - math.ceil(overlap * len(ordered)) + 1
        return ordered[:keep]

    def neighbours(self, query: str) -> list[int]:
        """Sources next to the query in alphabetical order, forwards and backwards."""
        found: set[int] = set()
        for order, keys, key in ((self.forward, self.forward_keys, query),
                                 (self.backward, self.backward_keys, query[::-1])):
            at = bisect.bisect(keys, key)
            found.update(order[max(0, at - NEIGHBOURS):at + NEIGHBOURS])
        return sorted(found)

    def candidates(self, query: str, score: float, level: int = 0) -> list[int]:
        """Sources sharing a prefix token with the query, within the length window where a
        score of at least `score` is possible."""
        low, high = _window(len(query), score)
        first, last = bisect.bisect_left(self.lengths, low), bisect.bisect_right(self.lengths, high)
        found: set[int] = set()
        postings = self.postings[level]
        for word in self._prefix(_tokens(query), TOKEN_OVERLAP[level]):
            ids = postings.get(word)
            if ids is not None:
                found.update(ids[bisect.bisect_left(ids, first):bisect.bisect_left(ids, last)])
        return sorted(found)

    def best(self, query: str, min_score: float) -> tuple[int, float] | None:
        """(index in the sources given, score) of the best source scoring at least
        `min_score`, or None; among equal scores the shortest, then alphabetically first."""
        if not self.sources or not query:
            return None
        if self.scans:
            found = self._score(query, list(range(len(self.sources))), min_score)
        else:
            found = self._score(query, self.neighbours(query), min_score)
            for level in range(len(TOKEN_OVERLAP)):
                cutoff = found[1] if found else min_score
                if level and cutoff >= LOOSER_BELOW:
                    break
                more = self._score(query, self.candidates(query, cutoff, level), cutoff)
                if more is not None and (found is None or (more[1], -more[0]) > (found[1], -found[0])):
                    found = more
        return (self.order[found[0]], found[1]) if found else None

    def _score(self, query: str, ids: list[int], cutoff: float) -> tuple[int, float] | None:
        hit = process.extractOne(query, [self.sources[i] for i in ids], scorer=fuzz.ratio, score_cutoff=cutoff)
        return (ids[hit[2]], hit[1]) if hit else None


def _imported_path(locale: str, origin: str, reviewed: bool) -> str:
    return f"{IMPORTED}{'reviewed' if reviewed else 'fuzzy'}:{locale}:{origin}"


def _reviewed(path: str) -> bool:
    return not path.startswith(f"{IMPORTED}fuzzy:")


def _window(length: int, score: float) -> tuple[float, float]:
    """Lengths a text needs for `fuzz.ratio` with a text of `length` to reach `score`:
    the ratio is at most 2 * shorter / (both lengths)."""
    ratio = max(score, 1e-9) / 100
    return length * ratio / (2 - ratio), length * (2 - ratio) / ratio


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class Memory:
    """The SQLite store; safe to share between the threads of one run."""

    def __init__(self, path: Path, shown: str | None = None) -> None:
        self.path = path
        self.shown = shown or str(path)
        self._lock = threading.RLock()
        self._indexes: dict[str, tuple[int, FuzzyIndex, list[tuple[str, str, str]]]] = {}
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> MemoryStoreError:
        return MemoryStoreError(f"translation memory unusable ({exc}); if the disk is full or another program "
                                "holds the file, fix that and run again; if it is damaged, move it aside (it "
                                "holds paid machine translation) and `locpress tm rebuild` refills it from the "
                                "catalogs", self.shown)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, 1, SCHEMA_VERSION):
            raise MemoryStoreError(f"made by a newer locpress (schema {version}); use that version, or move "
                                   "the file aside to start over", self.shown)
        if version == SCHEMA_VERSION:
            return
        migrate = version == 1 and self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'mt_cache'").fetchone() is not None
        # one transaction: an interrupted or failed migration leaves schema 1 as it was
        try:
            self._db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + (_CACHE_1_TO_2 if migrate else _CACHE)
                                   + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")
        except sqlite3.Error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    # --- translation memory -------------------------------------------------------------
    def generation(self, locale: str) -> int:
        """Grows whenever the memory of a locale changes (part of pretranslate's fingerprint)."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (f"generation:{locale}",))
        return int(rows[0][0]) if rows else 0

    def _bump(self, db: sqlite3.Connection, locale: str) -> None:
        db.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) "
                   "DO UPDATE SET value = CAST(value AS INTEGER) + 1", (f"generation:{locale}",))

    def sync(self, locale: str, current: Mapping[str, tuple[str, Any]],
             read: Callable[[str], Iterable[tuple[str, str]] | None]) -> int:
        """Bring a locale up to date with its catalogs: `current` maps each catalog path to
        (release, stamp); `read(path)` gives its reviewed pairs (None: unreadable, forget it).
        A None stamp (a file just written) always re-reads. Returns how many were read."""
        known = {path: stamp for path, stamp in
                 self._query("SELECT path, stamp FROM catalogs WHERE locale = ? AND path NOT LIKE ?",
                             (locale, IMPORTED + "%"))}
        gone = [path for path in known if path not in current]
        read_count = 0
        for path, (release, stamp) in current.items():
            encoded = json.dumps(stamp)
            if stamp is not None and known.get(path) == encoded:
                continue
            pairs = read(path)
            read_count += 1
            if pairs is None:
                gone.append(path)
                continue
            self._replace(locale, path, release, encoded, list(pairs))
        if gone:
            with self._transaction() as db:
                for path in gone:
                    db.execute("DELETE FROM segments WHERE catalog = ?", (path,))
                    db.execute("DELETE FROM catalogs WHERE path = ?", (path,))
                self._bump(db, locale)
        return read_count

    def _replace(self, locale: str, path: str, release: str, stamp: str, pairs: list[tuple[str, str]]) -> None:
        with self._transaction() as db:
            old = db.execute("SELECT source, target FROM segments WHERE catalog = ? ORDER BY rowid",
                             (path,)).fetchall()
            db.execute("INSERT INTO catalogs(path, locale, release, stamp) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(path) DO UPDATE SET locale = excluded.locale, "
                       "release = excluded.release, stamp = excluded.stamp", (path, locale, release, stamp))
            if [tuple(row) for row in old] == pairs:
                return
            db.execute("DELETE FROM segments WHERE catalog = ?", (path,))
            db.executemany("INSERT INTO segments(catalog, locale, source, target) VALUES (?, ?, ?, ?)",
                           [(path, locale, source, target) for source, target in pairs])
            self._bump(db, locale)

    def clear(self) -> None:
        """Forget every catalog (the MT cache and imported units stay): the next sync reads
        them all again."""
        with self._transaction() as db:
            locales = [row[0] for row in db.execute("SELECT DISTINCT locale FROM catalogs")]
            db.execute("DELETE FROM segments WHERE catalog NOT LIKE ?", (IMPORTED + "%",))
            db.execute("DELETE FROM catalogs WHERE path NOT LIKE ?", (IMPORTED + "%",))
            for locale in locales:
                self._bump(db, locale)
        self._indexes.clear()

    def exact(self, locale: str, source: str) -> Match | None:
        """The translation of exactly this text: the catalogs' (latest release first) before
        imported ones, and among those the reviewed first."""
        rows = self._query(
            "SELECT s.target, c.release, c.path FROM segments s JOIN catalogs c ON c.path = s.catalog "
            f"WHERE s.locale = ? AND s.source = ? ORDER BY {_CATALOGS_FIRST}, c.release DESC, s.rowid LIMIT 1",
            (locale, source))
        return Match(source, rows[0][0], 100.0, rows[0][1], _reviewed(rows[0][2])) if rows else None

    def fuzzy(self, locale: str, source: str, min_score: float) -> Match | None:
        """The most similar remembered source scoring at least `min_score` (0-100)."""
        index, entries = self.index(locale)
        hit = index.best(source, min_score)
        if hit is None:
            return None
        remembered, target, release = entries[hit[0]]
        return Match(remembered, target, hit[1], release)

    def index(self, locale: str) -> tuple[FuzzyIndex, list[tuple[str, str, str]]]:
        """The fuzzy index of a locale, built once per memory generation."""
        generation = self.generation(locale)
        cached = self._indexes.get(locale)
        if cached is None or cached[0] != generation:
            rows = self._query(
                "SELECT s.source, s.target, c.release FROM segments s JOIN catalogs c ON c.path = s.catalog "
                f"WHERE s.locale = ? ORDER BY s.source, {_CATALOGS_FIRST}, c.release DESC, s.rowid", (locale,))
            entries: list[tuple[str, str, str]] = []
            for source, target, release in rows:
                if not entries or entries[-1][0] != source:
                    entries.append((source, target, release))
            cached = (generation, FuzzyIndex([e[0] for e in entries]), entries)
            self._indexes[locale] = cached
        return cached[1], cached[2]

    def add_imported(self, locale: str, origin: str, units: Sequence[tuple[str, str, bool]]) -> None:
        """Remember (source, target, reviewed) units from outside the catalogs (an alignment,
        a TMX file) under their origin; importing the same origin again replaces its units.
        They survive syncs and `tm rebuild`, which only know catalogs; `reviewed` says
        whether an exact match may fill an entry as reviewed."""
        with self._transaction() as db:
            for reviewed in (True, False):
                path = _imported_path(locale, origin, reviewed)
                db.execute("DELETE FROM segments WHERE catalog = ?", (path,))
                db.execute("DELETE FROM catalogs WHERE path = ?", (path,))
                rows = [(path, locale, source, target) for source, target, good in units if good == reviewed]
                if rows:
                    db.execute("INSERT INTO catalogs(path, locale, release, stamp) VALUES (?, ?, ?, '')",
                               (path, locale, origin))
                    db.executemany("INSERT INTO segments(catalog, locale, source, target) VALUES (?, ?, ?, ?)", rows)
            self._bump(db, locale)

    def entries(self, locale: str) -> list[Match]:
        """Every remembered pair of a locale, once per (source, target), catalogs first."""
        rows = self._query(
            "SELECT s.source, s.target, c.release, c.path FROM segments s JOIN catalogs c ON c.path = s.catalog "
            f"WHERE s.locale = ? ORDER BY {_CATALOGS_FIRST}, c.release, s.rowid", (locale,))
        seen: set[tuple[str, str]] = set()
        found = []
        for source, target, release, path in rows:
            if (source, target) not in seen:
                seen.add((source, target))
                found.append(Match(source, target, 100.0, release, _reviewed(path)))
        return found

    def stats(self) -> list[LocaleStats]:
        rows = self._query(
            "SELECT c.locale, COUNT(DISTINCT c.path), COUNT(s.catalog), COUNT(DISTINCT s.source) "
            "FROM catalogs c LEFT JOIN segments s ON s.catalog = c.path GROUP BY c.locale ORDER BY c.locale")
        return [LocaleStats(*row) for row in rows]

    # --- machine-translation cache ------------------------------------------------------
    def cached(self, engine: str, source_lang: str, target_lang: str, texts: Iterable[str],
               variant: str = "") -> dict[str, str]:
        """Cached translations of those texts that an engine already translated."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(texts))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT text, translation FROM mt_cache WHERE engine = ? AND source_lang = ? AND "
                f"target_lang = ? AND variant = ? AND text IN ({marks})",
                (engine, source_lang, target_lang, variant, *chunk))
            found.update(rows)
        return found

    def remember(self, engine: str, source_lang: str, target_lang: str, text: str, translation: str,
                 variant: str = "") -> None:
        """Record a paid translation at once (committed before the caller uses it)."""
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO mt_cache(engine, source_lang, target_lang, text, variant, "
                       "translation, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (engine, source_lang, target_lang, text, variant, translation, time.time()))

    def cache_stats(self) -> list[CacheStats]:
        rows = self._query("SELECT engine, source_lang, target_lang, COUNT(*), COALESCE(SUM(LENGTH(text)), 0) "
                           "FROM mt_cache GROUP BY engine, source_lang, target_lang ORDER BY 1, 2, 3")
        return [CacheStats(*row) for row in rows]
