"""How well `locpress import` keeps a page's main text and drops the rest, on real saved pages.

The pages and their gold come from trafilatura's own evaluation (Apache-2.0): `tests/eval/`
and `tests/cache/` hold saved pages of news sites, press offices, blogs and shops, and
`tests/evaldata.json` lists for each page snippets that belong to its main text ("with") and
snippets of navigation, footers, dates or related links that do not ("without"). Scoring is
trafilatura's: a "with" snippet found is a true positive, missing a false negative; a
"without" snippet found is a false positive, absent a true negative. Precision, recall and F1
over all snippets follow. Snippets are looked for in the release's plain text (Markdown and
escapes removed, spaces collapsed), so the Markdown output is not penalized for its marks.

    git --git-dir=$(fetch github:adbar/trafilatura) archive HEAD tests | tar x -C /tmp/traf
    python bench/import_eval.py /tmp/traf/tests              # all 990 pages
    python bench/import_eval.py /tmp/traf/tests --limit 100  # the first 100
    python bench/import_eval.py /tmp/traf/tests --write      # also write "## Import" in bench/RESULTS.md

Two rows: locpress import (its options: Markdown, links, tables, favor_precision) and
trafilatura's plain `extract()` with its defaults on the same pages, as the anchor.
No network; no timed figures are asserted anywhere (speed is only reported).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from locpress.commands.importer import _plain, extract_page
from locpress.errors import LocpressError

_SPACE = re.compile(r"\s+")


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    failed: int = 0
    seconds: float = 0.0

    def add(self, text: str, gold: dict[str, list[str]]) -> None:
        for snippet in gold.get("with", []):
            if _norm(snippet) in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in gold.get("without", []):
            if _norm(snippet) in text:
                self.fp += 1
            else:
                self.tn += 1

    def line(self, label: str, pages: int) -> str:
        precision = self.tp / max(self.tp + self.fp, 1)
        recall = self.tp / max(self.tp + self.fn, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        accuracy = (self.tp + self.tn) / max(self.tp + self.tn + self.fp + self.fn, 1)
        return (f"| {label} | {pages} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {accuracy:.3f} | "
                f"{self.failed} | {self.seconds / max(pages, 1) * 1000:.0f} ms |")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tests", type=Path, help="trafilatura's tests/ folder (evaldata.json, eval/, cache/)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--write", action="store_true", help='write "## Import" in bench/RESULTS.md')
    args = parser.parse_args()
    import trafilatura

    gold: dict[str, dict[str, object]] = json.loads((args.tests / "evaldata.json").read_text(encoding="utf-8"))
    items = list(gold.values())[: args.limit or None]
    ours, anchor = Score(), Score()
    pages = 0
    for item in items:
        name = str(item["file"])
        path = next((p for p in (args.tests / "eval" / name, args.tests / "cache" / name) if p.exists()), None)
        if path is None:
            continue
        pages += 1
        html = path.read_bytes().decode("utf-8", "replace")
        snippets = {k: list(v) for k, v in item.items() if k in ("with", "without") and isinstance(v, list)}
        start = time.perf_counter()
        try:
            text = _norm(_plain(extract_page(html, name).markdown))
        except LocpressError:
            text, ours.failed = "", ours.failed + 1
        ours.seconds += time.perf_counter() - start
        ours.add(text, snippets)
        start = time.perf_counter()
        plain = trafilatura.extract(html) or ""
        anchor.seconds += time.perf_counter() - start
        if not plain:
            anchor.failed += 1
        anchor.add(_norm(plain), snippets)
    header = ["| Extractor | Pages | Precision | Recall | F1 | Accuracy | No text | Time/page |",
              "|---|---|---|---|---|---|---|---|"]
    rows = [ours.line("locpress import (trafilatura, markdown, favor_precision)", pages),
            anchor.line(f"trafilatura {trafilatura.__version__} extract(), defaults", pages)]
    print("\n".join(header + rows))
    if args.write:
        _write(header + rows, pages, ours)
    return 0


def _write(table: list[str], pages: int, ours: Score) -> None:
    results = Path(__file__).parent / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Results\n"
    section = "\n".join([
        "## Import (`bench/import_eval.py`)",
        "",
        f"`locpress import` on {pages} saved pages of trafilatura's evaluation set (tests/eval and",
        "tests/cache of github:adbar/trafilatura, Apache-2.0), scored with its gold snippets",
        f"(tp {ours.tp}, fn {ours.fn}, fp {ours.fp}, tn {ours.tn} for locpress):",
        "",
        *table,
        "",
    ])
    pattern = re.compile(r"## Import \(`bench/import_eval.py`\)\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(section.rstrip("\n"), text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
