"""The translation memory and MT cache (SQLite), and the fuzzy index against brute force."""

from __future__ import annotations

import random
import sqlite3
import threading
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from locpress.gettext.catalog import Catalog, Message, header_message
from locpress.pretranslate import memory as memory_mod
from locpress.pretranslate.memory import (
    FuzzyIndex,
    Memory,
    MemoryStoreError,
    reviewed_pairs,
)


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    opened = Memory(tmp_path / "memory.sqlite3")
    yield opened
    opened.close()


def catalog(*messages: Message) -> Catalog:
    return Catalog(header_message([("Content-Type", "text/plain; charset=UTF-8")]), list(messages))


def test_reviewed_pairs_are_translated_non_fuzzy_singular_entries_obsolete_included() -> None:
    found = reviewed_pairs(catalog(
        Message("Reviewed.", "검토됨."),
        Message("Fuzzy.", "퍼지.", flags=["fuzzy"]),
        Message("Empty."),
        Message("One file.", msgid_plural="{n} files.", msgstr_plural={0: "파일."}),
        Message("Removed.", "삭제됨.", obsolete=True),
    ))
    assert found == [("Reviewed.", "검토됨."), ("Removed.", "삭제됨.")]


def test_sync_reads_only_changed_catalogs_and_forgets_removed_ones(memory: Memory) -> None:
    reads: list[str] = []
    contents = {"a.po": [("One.", "하나.")], "b.po": [("Two.", "둘.")]}

    def read(path: str) -> list[tuple[str, str]]:
        reads.append(path)
        return contents[path]

    assert memory.sync("ko", {"a.po": ("a", [1]), "b.po": ("b", [2])}, read) == 2
    generation = memory.generation("ko")
    assert memory.sync("ko", {"a.po": ("a", [1]), "b.po": ("b", [2])}, read) == 0
    assert memory.sync("ko", {"a.po": ("a", [1]), "b.po": ("b", [3])}, read) == 1  # same content: no new generation
    assert memory.generation("ko") == generation
    assert memory.sync("ko", {"a.po": ("a", None)}, read) == 1  # a file just written is always read
    assert memory.exact("ko", "Two.") is None and memory.generation("ko") > generation
    assert memory.exact("ko", "One.") == memory_mod.Match("One.", "하나.", 100.0, "a")
    assert memory.exact("fr", "One.") is None


def test_exact_match_prefers_the_latest_release(memory: Memory) -> None:
    memory.sync("ko", {"x.po": ("2023/01/x", [1]), "y.po": ("2024/05/y", [1])},
                lambda p: [("Hello.", "옛날.")] if p == "x.po" else [("Hello.", "최신.")])
    assert memory.exact("ko", "Hello.") == memory_mod.Match("Hello.", "최신.", 100.0, "2024/05/y")


def test_fuzzy_match_respects_the_minimum_score(memory: Memory) -> None:
    memory.sync("ko", {"a.po": ("a", [1])}, lambda _p: [("The floods displaced 12,000 people in the north.", "KO")])
    hit = memory.fuzzy("ko", "The storms displaced 14,000 people in the north.", 75)
    assert hit is not None and hit.target == "KO" and 75 <= hit.score < 100
    assert memory.fuzzy("ko", "The storms displaced 14,000 people in the north.", 99) is None
    assert memory.fuzzy("ko", "Something else entirely.", 75) is None


def test_mt_cache_is_keyed_by_engine_and_languages_and_survives_clear_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    first = Memory(path)
    first.remember("libre", "en", "ko", "Hello.", "안녕.")
    first.sync("ko", {"a.po": ("a", [1])}, lambda _p: [("Hello.", "안녕하세요.")])
    first.clear()
    assert first.exact("ko", "Hello.") is None
    first.close()
    second = Memory(path)
    assert second.cached("libre", "en", "ko", ["Hello.", "Bye."]) == {"Hello.": "안녕."}
    assert second.cached("google", "en", "ko", ["Hello."]) == {}
    assert second.cached("libre", "en", "ja", ["Hello."]) == {}
    assert [(c.engine, c.entries, c.characters) for c in second.cache_stats()] == [("libre", 1, 6)]
    second.close()


def test_remember_is_safe_from_many_threads(memory: Memory) -> None:
    threads = [threading.Thread(target=lambda i=i: memory.remember("pseudo", "en", "ko", f"t{i}", f"r{i}"))
               for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memory.cached("pseudo", "en", "ko", [f"t{i}" for i in range(40)])) == 40


def test_a_damaged_database_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MemoryStoreError, match="move it aside") as caught:
        Memory(path, ".locpress/memory.sqlite3")
    assert caught.value.path == ".locpress/memory.sqlite3"
    assert "delete" not in str(caught.value)  # never advise throwing paid machine translation away


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(MemoryStoreError, match="newer locpress"):
        Memory(path)


SCHEMA_1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE catalogs(path TEXT PRIMARY KEY, locale TEXT NOT NULL, release TEXT NOT NULL, stamp TEXT NOT NULL);
CREATE TABLE segments(catalog TEXT NOT NULL, locale TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL);
CREATE TABLE mt_cache(
    engine TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, text TEXT NOT NULL,
    translation TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY(engine, source_lang, target_lang, text)) WITHOUT ROWID;
INSERT INTO mt_cache VALUES ('deepl', 'EN', 'KO', 'Hello.', '안녕.', 1.0), ('libre', 'en', 'ja', 'Bye.', 'さよなら。', 2.0);
INSERT INTO catalogs VALUES ('locales/ko/a.po', 'ko', 'a', '[1]');
INSERT INTO segments VALUES ('locales/ko/a.po', 'ko', 'Good.', '좋다.');
PRAGMA user_version=1;
"""


def test_a_schema_1_cache_is_migrated_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA_1)
    opened = Memory(path)
    assert opened.cached("deepl", "EN", "KO", ["Hello."]) == {"Hello.": "안녕."}
    assert opened.cached("libre", "en", "ja", ["Bye."]) == {"Bye.": "さよなら。"}
    assert opened.cached("deepl", "EN", "KO", ["Hello."], variant="m:1") == {}
    opened.remember("deepl", "EN", "KO", "Hello.", "여보세요.", variant="m:1")  # same text, another variant
    assert opened.cached("deepl", "EN", "KO", ["Hello."]) == {"Hello.": "안녕."}
    assert opened.cached("deepl", "EN", "KO", ["Hello."], variant="m:1") == {"Hello.": "여보세요."}
    assert opened.exact("ko", "Good.") is not None
    opened.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == memory_mod.SCHEMA_VERSION == 2
        assert db.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0] == 3
        assert db.execute("SELECT created FROM mt_cache WHERE text = 'Bye.'").fetchone()[0] == 2.0
    again = Memory(path)  # opening a migrated memory changes nothing
    assert len(again.cached("deepl", "EN", "KO", ["Hello."])) == 1
    again.close()


# --- the fuzzy index ---------------------------------------------------------------------------

WORDS = ("migrants families returnees workers children women health shelter water cash training camps "
         "districts province floods drought conflict storm support received assistance reached people "
         "IOM UNICEF partners government authorities new centre report data").split()
TEMPLATES = [
    "The {w} {w} reached {n} {w} in {n} {w} of the {w}.",
    "{W} and {w} received {w} {w} since {n} {w}.",
    "More than {n} {w} took part in the {w} {w} held in {W} on {n} {w}.",
    "According to the {w} {w}, {n} per cent of {w} cited {w} as the main {w}.",
    "{W} provided {w} {w} to {n} {w} affected by the {w} in {W}.",
]


def sentence(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    while "{" in template:
        template = template.replace("{w}", rng.choice(WORDS), 1).replace("{n}", str(rng.randint(2, 99999)), 1)
        template = template.replace("{W}", rng.choice(WORDS).capitalize(), 1)
    return template


def test_small_memories_are_scanned_exactly() -> None:
    rng = random.Random(1)
    sources = sorted({sentence(rng) for _ in range(500)})
    index = FuzzyIndex(sources)
    assert index.scans
    for query in (sentence(rng) for _ in range(50)):
        expected = process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=75)
        got = index.best(query, 75)
        assert (got is None) == (expected is None)
        if got and expected:
            ties = [s for s in sources if fuzz.ratio(query, s) == expected[1]]
            assert got[1] == expected[1] and sources[got[0]] == min(ties, key=lambda s: (len(s), s))


def test_the_index_finds_the_brute_force_best_match() -> None:
    rng = random.Random(7)
    sources = sorted({sentence(rng) for _ in range(8000)})
    index = FuzzyIndex(sources)
    assert not index.scans
    queries = [q for q in (sentence(rng) for _ in range(300)) if q not in set(sources)]
    agree = 0
    for query in queries:
        expected = process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=75)
        got = index.best(query, 75)
        if expected is None:
            agree += got is None
        else:
            agree += got is not None and got[1] == expected[1]
    assert agree / len(queries) >= 0.97
    assert len(index.candidates(queries[0], 75)) < len(sources) / 4
