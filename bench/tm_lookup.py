"""Benchmark of pre-translation: translation-memory lookup speed, and "never pay twice".

    python bench/tm_lookup.py             # both parts, full size; writes "## Pre-translation" in RESULTS.md
    python bench/tm_lookup.py --quick     # 20,000 segments / 200 queries / 100 releases; RESULTS.md untouched
    python bench/tm_lookup.py --lookup-only | --corpus-only

(a) **Lookup.** A memory of 100,000 distinct segments of press-release English (the
sentences of releases made by `bench/corpus.py`, seed 42) is stored in a locpress memory
(`.locpress/memory.sqlite3` of a scratch project); 1,000 segments of other releases (seed
4242) that are not in it are looked up with `Memory.fuzzy(locale, text, 75)`, the call
`pretranslate` makes. Reported: time to build the index, median and 95th percentile per
lookup, and agreement with a brute-force `rapidfuzz.process.extractOne(..., scorer=fuzz.ratio,
score_cutoff=75)` over all 100,000: the same best score (ties are equally good matches) and,
for information, the very same segment. Targets: median < 1 ms, agreement >= 99%.

(b) **Never pay twice.** The 1,000-release corpus (`bench/corpus.py generate`, seed 42) in a
project with locale `ko` and engine `libre` pointed at a LibreTranslate-compatible server on
127.0.0.1 that counts what it receives; `locpress extract`, `update`, `pretranslate` through
the CLI, then `pretranslate` again. Target: characters sent on the first run == characters of
the unique untranslated segments as an engine receives them (protected spans as `[X0X]`
tokens; the raw figure is shown too), and 0 on the second run.

Everything is created under `bench/work/pretranslate/` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "pretranslate"
RESULTS = BENCH / "RESULTS.md"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (bench/corpus.py, used as is)

from locpress.gettext.catalog import parse_po  # noqa: E402
from locpress.pretranslate.masking import mask  # noqa: E402
from locpress.pretranslate.memory import Memory  # noqa: E402

# --- (a) lookup ---------------------------------------------------------------------------

def sentences(seed: int, want: int, exclude: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Distinct segments of generated releases, in order of appearance."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    start = _dt.date(2021, 1, 1)
    while len(found) < want:
        _slug, text = corpus.make_release(rng, start + _dt.timedelta(days=rng.randint(0, 1460)))
        for segment in corpus.segments(text):
            if segment not in exclude:
                found.setdefault(segment, None)
    return list(found)[:want]


def lookup(size: int, queries: int) -> dict[str, Any]:
    memory_texts = sentences(42, size)
    query_texts = sentences(4242, queries, set(memory_texts))
    folder = WORK / "lookup"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    memory = Memory(folder / "memory.sqlite3")
    memory.sync("ko", {"bench.po": ("bench", [1])}, lambda _p: [(s, "KO " + s) for s in memory_texts])
    started = time.perf_counter()
    memory.index("ko")
    build = time.perf_counter() - started
    times, found = [], []
    for query in query_texts:
        started = time.perf_counter()
        found.append(memory.fuzzy("ko", query, 75))
        times.append(time.perf_counter() - started)
    memory.close()
    started = time.perf_counter()
    brute = [process.extractOne(q, memory_texts, scorer=fuzz.ratio, score_cutoff=75) for q in query_texts]
    brute_time = (time.perf_counter() - started) / len(query_texts)
    same_score = same_text = 0
    for hit, best in zip(found, brute):
        if best is None:
            same_score += hit is None
            same_text += hit is None
        elif hit is not None:
            same_score += hit.score == best[1]
            same_text += hit.source == best[0]
    times.sort()
    return {"segments": size, "queries": len(query_texts), "build_s": build,
            "median_ms": statistics.median(times) * 1000, "p95_ms": times[int(0.95 * len(times))] * 1000,
            "brute_ms": brute_time * 1000, "agree_score": 100 * same_score / len(query_texts),
            "agree_text": 100 * same_text / len(query_texts),
            "matched": sum(b is not None for b in brute)}


# --- (b) never pay twice ---------------------------------------------------------------------

class Counting:
    """LibreTranslate's /translate on 127.0.0.1, counting texts and characters received."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.lock = threading.Lock()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else a 40 ms delayed-ACK stall per answer

            def log_message(self, *_args: Any) -> None:
                return None

            def do_POST(self) -> None:
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                text = query.get("q", [""])[0]
                with counter.lock:
                    counter.texts.append(text)
                body = json.dumps({"translatedText": "KO " + text}, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def locpress(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "locpress.cli", *args, "-C", str(root)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"locpress {' '.join(args)} exited {result.returncode}: {result.stderr[-500:]}")
    return time.perf_counter() - started, result.stdout


def never_twice(releases: int) -> dict[str, Any]:
    root = WORK / f"corpus-n{releases}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    corpus.generate(root, n=releases, seed=42)
    server = Counting()
    (root / "locpress.toml").write_text(
        f'source_locale = "en"\nlocales = ["ko"]\n[pretranslate]\nengine = "libre"\n'
        f'[engines.libre]\nurl = "{server.url}"\n', encoding="utf-8")
    locpress(root, "extract")
    locpress(root, "update")
    untranslated: dict[str, None] = {}
    occurrences = 0
    for po in sorted((root / "locales/ko").rglob("*.po")):
        for message in parse_po(po.read_bytes(), str(po)).messages:
            if not message.obsolete and not message.msgstr:
                untranslated.setdefault(message.msgid, None)
                occurrences += 1
    masked = {mask(text).text for text in untranslated}
    first_s, first_out = locpress(root, "pretranslate")
    first = list(server.texts)
    second_s, second_out = locpress(root, "pretranslate")
    return {"releases": releases, "occurrences": occurrences, "unique": len(untranslated),
            "unique_chars": sum(len(t) for t in untranslated), "masked_unique": len(masked),
            "masked_chars": sum(len(t) for t in masked), "sent": len(first), "sent_distinct": len(set(first)),
            "sent_chars": sum(len(t) for t in first), "second_sent": len(server.texts) - len(first),
            "first_s": first_s, "second_s": second_s,
            "summary": [line for line in (first_out + second_out).splitlines() if line.startswith("pretranslate")]}


# --- report ------------------------------------------------------------------------------------

def markdown(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    lines = ["## Pre-translation", "",
             f"`python bench/tm_lookup.py`, {_dt.date.today().isoformat()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.", ""]
    if a:
        verdict = "pass" if a["median_ms"] < 1 and a["agree_score"] >= 99 else "FAIL"
        lines += [
            "**(a) Translation-memory lookup** (`Memory.fuzzy`, rapidfuzz `fuzz.ratio`, minimum 75): "
            f"{a['queries']:,} new segments against {a['segments']:,} remembered ones.", "",
            "| measure | value | target |", "|---|---|---|",
            f"| median per lookup | {a['median_ms']:.3f} ms | < 1 ms |",
            f"| 95th percentile | {a['p95_ms']:.3f} ms | |",
            f"| same best score as brute force | {a['agree_score']:.1f}% | >= 99% |",
            f"| same best segment (ties aside) | {a['agree_text']:.1f}% | |",
            f"| brute-force scan, for comparison | {a['brute_ms']:.1f} ms per lookup | |",
            f"| index build (once per run and locale) | {a['build_s']:.2f} s | |",
            f"| queries with a match >= 75 | {a['matched']:,} | |", "", f"Verdict: **{verdict}**.", ""]
    if b:
        verdict = "pass" if b["sent_chars"] == b["masked_chars"] and b["second_sent"] == 0 else "FAIL"
        lines += [
            f"**(b) Never pay twice** on the {b['releases']:,}-release corpus, locale `ko`, engine `libre` "
            "(LibreTranslate API on 127.0.0.1, through deep-translator's client):", "",
            "| measure | value |", "|---|---|",
            f"| untranslated entries (all catalogs) | {b['occurrences']:,} |",
            f"| unique untranslated segments | {b['unique']:,} ({b['unique_chars']:,} characters) |",
            f"| the same as an engine receives them (spans as tokens) | {b['masked_unique']:,} texts, "
            f"{b['masked_chars']:,} characters |",
            f"| first run: texts / characters sent | {b['sent']:,} / {b['sent_chars']:,} "
            f"({b['sent_distinct']:,} distinct) |",
            f"| second run: texts sent | {b['second_sent']} |",
            f"| time: first run / second run | {b['first_s']:.1f} s / {b['second_s']:.1f} s |", "",
            *(["The first run sends fewer texts than there are unique segments because some segments differ "
               "only in protected spans (a URL, an e-mail address): they are the same request.", ""]
              if b["masked_unique"] < b["unique"] else []),
            *(f"    {line}" for line in b["summary"]), "", f"Verdict: **{verdict}**.", ""]
    return "\n".join(lines)


def write_results(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\n"
    found = re.search(r"^## Pre-translation\b.*?(?=^## |\Z)", old, flags=re.S | re.M)
    if found:
        new = old[:found.start()] + text + ("\n" + old[found.end():] if old[found.end():] else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="locpress pre-translation benchmark")
    parser.add_argument("--quick", action="store_true", help="small sizes; RESULTS.md untouched")
    parser.add_argument("--lookup-only", action="store_true")
    parser.add_argument("--corpus-only", action="store_true")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    a = None if args.corpus_only else lookup(20_000 if args.quick else 100_000, 200 if args.quick else 1000)
    if a:
        print(json.dumps(a, indent=1))
    b = None if args.lookup_only else never_twice(100 if args.quick else 1000)
    if b:
        print(json.dumps(b, indent=1, ensure_ascii=False))
    text = markdown(a, b)
    print(text)
    if not args.quick and not args.no_results and not (args.lookup_only or args.corpus_only):
        write_results(text)
        print(f"wrote {RESULTS.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
