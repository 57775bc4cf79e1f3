"""Sentence-boundary precision, recall and F1 of locpress and its peers on gold sets.

    python bench/segment_eval.py [--set dev|heldout|all] [--errors locpress]

Gold sets are JSON Lines in bench/gold/ (`text`, `sentences`; see bench/gold/SOURCES.md).
A boundary is the end of a sentence other than the last, counted in non-space characters
from the start, so white space and a peer's trimming never matter. A case whose gold
sentences do not spell the text (a cleaned-up gold) is left out and counted. Peers (pySBD,
sentencex, nupunkt) are used when importable: install them in a virtual environment of your
own; locpress does not depend on them. `--errors NAME` prints that tool's wrong cases.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

from locpress.formats.segment import split_sentences

GOLD = Path(__file__).resolve().parent / "gold"
SETS = {"dev": ["dev.jsonl"], "heldout": ["heldout_pragmatic.jsonl", "heldout_press.jsonl"]}
_SPACE = re.compile(r"\s+")


def load(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def boundaries(sentences: list[str]) -> set[int]:
    ends, at = set(), 0
    for s in sentences[:-1]:
        at += len(_SPACE.sub("", s))
        ends.add(at)
    return ends


def tools() -> dict[str, Callable[[str], list[str]]]:
    found: dict[str, Callable[[str], list[str]]] = {
        "locpress": lambda t: [t[s:e] for s, e in split_sentences(t, markdown=False)]}
    try:
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = lambda t: [str(s) for s in seg.segment(t)]
    except ImportError:
        pass
    try:
        import sentencex
        found["sentencex"] = lambda t: list(sentencex.segment("en", t))
    except ImportError:
        pass
    try:
        import nupunkt
        found["nupunkt"] = lambda t: list(nupunkt.sent_tokenize(t))
    except ImportError:
        pass
    return found


def score(cases: list[dict[str, object]], tool: Callable[[str], list[str]], show: bool) -> dict[str, float]:
    tp = fp = fn = exact = used = 0
    for case in cases:
        text, gold = str(case["text"]), [str(s) for s in case["sentences"]]  # type: ignore[union-attr]
        if _SPACE.sub("", text) != _SPACE.sub("", "".join(gold)):
            continue
        used += 1
        got = [s for s in tool(text) if s.strip()]
        want, have = boundaries(gold), boundaries(got)
        tp += len(want & have)
        fp += len(have - want)
        fn += len(want - have)
        if want == have:
            exact += 1
        elif show:
            print(f"--- {case['id']}\n  gold: {gold}\n  got:  {got}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"cases": used, "exact": exact, "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="all", choices=["dev", "heldout", "all"])
    parser.add_argument("--errors", default="", help="print the wrong cases of this tool")
    args = parser.parse_args()
    files = [f for key, names in SETS.items() if args.set in (key, "all") for f in names]
    found = tools()
    for name in files:
        cases = load(name)
        print(f"\n{name}: {len(cases)} cases")
        print(f"| tool | cases | exact | P | R | F1 |\n|---|---:|---:|---:|---:|---:|")
        for tool, function in found.items():
            s = score(cases, function, tool == args.errors)
            print(f"| {tool} | {s['cases']:.0f} | {s['exact']:.0f} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} |")


if __name__ == "__main__":
    main()
