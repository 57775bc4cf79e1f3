"""Speed of locpress.formats.segment.split_sentences on realistic press-release prose.

    python bench/segment_speed.py [--mb 5] [--seed 1]

Generates about ``--mb`` MB of Markdown paragraphs (deterministic for a seed), times
``split_sentences`` paragraph by paragraph (best of 3) and prints MB/s. If pySBD is
importable it is timed on a 200 KB slice for comparison, and its score on the Golden Rules
fixture is printed for the record. locpress does not depend on pySBD.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from locpress.formats.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "segmentation" / "en_golden_rules.jsonl"

ORGS = ["IOM", "the U.N. Refugee Agency", "Acme Inc.", "Hanbit Co., Ltd.", "the World Bank",
        "UNICEF", "Global Relief Ltd.", "the European Commission", "the U.S. Government"]
PEOPLE = ["Mr. Kyoo-ho Lee", "Dr. Amina Yusuf", "Ms. Sara Jonas", "Prof. Jonas E. Smith",
          "H.E. Ambassador Park", "Gen. Ortiz", "Mrs. Chen", "Jane R. Doe"]
PLACES = ["Seoul", "Dhaka", "Cox's Bazar", "Addis Ababa", "Geneva", "New York", "Kyiv"]
VERBS = ["launched", "announced", "expanded", "completed", "welcomed", "funded", "opened"]
THINGS = ["a new shelter programme", "its annual report", "a USD 12.5 million appeal",
          "a water and sanitation project", "the first phase of the road repairs",
          "a training course for 250 health workers", "version 2.4.1 of its data portal"]
STARTS = ["The", "This", "It", "In 2024,", "However,", "Meanwhile,", "According to the report,",
          "Since 2019,", "Today,", "During the visit,", "As of Nov. 1,"]


def _sentence(rng: random.Random) -> str:
    """One sentence of press-release English, picked from varied templates."""
    org, who, place = rng.choice(ORGS), rng.choice(PEOPLE), rng.choice(PLACES)
    verb, thing, start = rng.choice(VERBS), rng.choice(THINGS), rng.choice(STARTS)
    n, pct = rng.randint(2, 9800), round(rng.uniform(0.5, 60), 1)
    return rng.choice([
        f"{start} {org} {verb} {thing} in {place} on {rng.randint(1, 28)} Jan. {rng.randint(2019, 2025)}.",
        f"“We are proud of what our teams achieved,” said {who}, who leads the work in {place}.",
        f"The programme reached {n:,} people, e.g. families, older persons, etc., up {pct}% on last year.",
        f"{who} met officials from {org} at 10 a.m. to discuss {thing}.",
        f"Funding of USD {pct} million was confirmed, i.e. about {n} per household.",
        f"More information is available at https://www.example.org/{place.lower().replace(' ', '-')}/{n}.",
        f"For details, see [the full report](https://example.org/r/{n} \"Report No. {n % 9 + 1}\").",
        f"Contact: {who.split()[-1].lower()}@example.org, Tel.: +82 70 4820 {n:04d}.",
        f"**{org[0].upper() + org[1:]} {verb} {thing}.** The work continues until Sept. 30.",
        f"Did {org} meet the target of {n} shelters in {place}? Not yet, said {who}.",
        f"Partners include {org}, the U.K. and {rng.choice(ORGS)}, among others.",
        f"{start} {n} volunteers worked in {place} with {org} in the U.S. and abroad.",
        f"{who} said: “The needs remain high... We cannot stop now.”",
    ])


def make_corpus(size: int, seed: int) -> list[str]:
    """Paragraphs of 2-6 sentences totalling about `size` bytes of UTF-8."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        paragraphs.append(para)
        total += len(para.encode()) + 2
    return paragraphs


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Best wall time of `runs` calls: the least disturbed measurement."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def mb_per_s(paragraphs: Sequence[str], fn: Callable[[str], object], runs: int) -> float:
    size = sum(len(p.encode()) for p in paragraphs)
    return size / 1e6 / best_of(runs, lambda: [fn(p) for p in paragraphs])


def _golden_newline_split(text: str) -> list[str]:
    """The plain-text reader's rule: lines are segments when nothing else ends a sentence."""
    return text.split("\n") if not any(c in text for c in ".!?…") else [text]


def golden_score(segment: Callable[[str, dict[str, str]], list[str]]) -> list[str]:
    """Ids of the Golden Rules that `segment` gets wrong (after collapsing whitespace)."""
    failed = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        rule = json.loads(line)
        got = [" ".join(s.split()) for s in segment(rule["text"], rule["options"])]
        if [s for s in got if s] != [" ".join(s.split()) for s in rule["sentences"]]:
            failed.append(rule["id"])
    return failed


def ours(text: str, options: dict[str, str]) -> list[str]:
    return [part[s:e] for part in _golden_newline_split(text)
            for s, e in split_sentences(part)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paragraphs = make_corpus(int(args.mb * 1e6), args.seed)
    whole = "\n\n".join(paragraphs)
    print(f"corpus: {len(whole.encode()) / 1e6:.2f} MB in {len(paragraphs)} paragraphs, "
          f"{sum(len(split_sentences(p)) for p in paragraphs)} sentences")
    print(f"locpress, per paragraph: {mb_per_s(paragraphs, split_sentences, 3):6.2f} MB/s")
    print(f"locpress, one call:      {mb_per_s([whole], split_sentences, 3):6.2f} MB/s")
    print(f"locpress Golden Rules failed: {golden_score(ours) or 'none'}")
    try:
        import pysbd  # type: ignore[import-untyped]
    except ImportError:
        print("pysbd not installed: pip install pysbd to compare")
        return 0
    plain = pysbd.Segmenter(language="en", clean=False)
    sample, size = [], 0
    for p in paragraphs:
        if size >= 200_000:
            break
        sample.append(p)
        size += len(p.encode())
    print(f"pySBD {pysbd.__version__} (clean=False), per paragraph, 200 KB: "
          f"{mb_per_s(sample, plain.segment, 1):6.2f} MB/s")
    print(f"locpress on the same slice:                        {mb_per_s(sample, split_sentences, 3):6.2f} MB/s")

    def theirs(text: str, options: dict[str, str]) -> list[str]:
        seg = pysbd.Segmenter(language="en", clean=True, **options)  # its best setting
        return [str(s) for s in seg.segment(text)]

    failed = golden_score(theirs)
    print(f"pySBD Golden Rules (clean=True): {52 - len(failed)}/52, failed: {failed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
