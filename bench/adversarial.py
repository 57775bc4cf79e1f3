"""Time every stage that applies regular expressions to sources or translations on hostile input.

    python bench/adversarial.py [--size 100000] [--limit 0.2]

Each input is `--size` characters (long runs of `<!--`, backticks, `[`, `*`, `_`, `\\`,
nested brackets, and a 1 MB line). Each is given, as a source and as a translation, to
sentence segmentation, Markdown extraction, the checks, pre-translation masking, rendering
back into the document, HTML rendering and the alignment's target splitter. A stage over
`--limit` seconds is reported as SLOW and the exit status is 1. Times are CPU seconds of
this process (`time.process_time`) unless `--wall`: the machine may be shared, and other
work inflates the wall clock far more than the CPU time. Not a test: timings live here.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from locpress.config import DEFAULT_FRONT_MATTER, Config
from locpress.errors import LocpressError
from locpress.formats import document, markdown
from locpress.formats.segment import split_sentences
from locpress.formats.spans import Text
from locpress.gettext.catalog import Message
from locpress.pretranslate import llm, masking
from locpress.qa import checks
from locpress.stages import align
from locpress.stages.extract import splitter
from locpress.web import html

SPLIT = splitter(Config(root=Path(".")), markdown=True)


def inputs(size: int) -> dict[str, str]:
    def run(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]
    return {
        "<!--": run("<!--"),
        "<!-- a": run("<!-- a "),
        "backticks": run("`"),
        "backticks then a": "`" * (size - 1) + "a",
        "`` a `": run("`` a ` "),
        "....": run("."),
        "{/* a": run("{/* a "),
        "backtick runs 1..9": run("".join("`" * n + " a " for n in range(1, 10))),
        "[": run("["),
        "[a](": run("[a]("),
        "](": run("]("),
        "![": run("!["),
        "*": run("*"),
        "* ": run("* "),
        "_": run("_"),
        "**a": run("**a "),
        "\\": run("\\"),
        "nested brackets": "[" * (size // 2) + "]" * (size // 2),
        "nested parens": "[a](" + "(" * (size // 2) + ")" * (size // 2 - 4),
        "<a ": run("<a "),
        "<a b=": run("<a b="),
        "{/*": run("{/*"),
        "http://": run("http://"),
        "www.": run("www."),
        "a@": run("a@"),
        "a.": run("a."),
        "+1 ": run("+1 "),
        ". ": run(". "),
        "Mr. ": run("Mr. "),
        "1) ": run("1) "),
        "sentences": run("This is a sentence. "),
        "tabs": run("\t") + "a",
        "<:": "<" + run(":"),
        "```  ": "```" + run(" ") + "x",
        "[ X 1": run("[ X 1 "),
        "1. A ": run("1. A "),
        "a. B ": run("a. B "),
        '--" The ': run('--" The '),
        "[a? b] ": "[" + run("a? b] "),
        "short lines": run("ab cd\n"),
        "\r": run("A b\r"),
        "1 MB line": ("Word " * 220_000)[:1_000_000],
    }


def stages() -> dict[str, Callable[[str], object]]:
    source = "Alpha one.\n"
    doc = markdown.parse(source, "release.md", SPLIT, DEFAULT_FRONT_MATTER)
    ctx = checks.context("ko")

    def check(text: str) -> object:
        return checks.check_message(Message(msgid="Alpha one.", msgstr=text), ctx)

    def page(text: str) -> object:
        return html.render_markdown(document.render(doc, lambda s: text), source)

    def source_checks(text: str) -> object:
        t = Text(text)
        return t.code, t.links, t.html, t.urls, t.emails, t.prose, t.phones, t.figures, t.words

    return {
        "segment": lambda t: split_sentences(t),
        "segment plain": lambda t: split_sentences(t, markdown=False),
        "extract": lambda t: markdown.parse(t, "release.md", SPLIT, DEFAULT_FRONT_MATTER),
        "spans": source_checks,
        "checks": check,
        "mask": lambda t: masking.mask(t),
        "render": lambda t: document.render(doc, lambda s: t),
        "html": page,
        "split_target": lambda t: align.split_target(t),
        "restore": lambda t: masking.restore(masking.mask("Call `x` now."), t),
        "llm answer": lambda t: llm.unfenced(t),
        "align prose": lambda t: (align.prose(t), align.invariants(t)),
    }


CLOCK = time.process_time


def timed(function: Callable[[str], object], text: str) -> float:
    start = CLOCK()
    try:
        function(text)
    except LocpressError:
        pass  # a refusal with one error line is an answer too
    return CLOCK() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--limit", type=float, default=0.2)
    parser.add_argument("--only", default="", help="inputs whose name contains this")
    parser.add_argument("--skip", default="", help="comma-separated stages not to run")
    parser.add_argument("--wall", action="store_true", help="wall clock instead of CPU time")
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    slow = 0
    worst = 0.0
    for name, text in inputs(args.size).items():
        if args.only and args.only not in name:
            continue
        row = []
        tenth = text[:len(text) // 10]
        for stage, function in stages().items():
            if stage in args.skip.split(","):
                continue
            took, small = timed(function, text), timed(function, tenth)
            worst = max(worst, took)
            limit = args.limit * (10 if name == "1 MB line" else 1)
            # growth: time for the whole input over time for a tenth of it (10 when linear)
            growth = took / max(small, 0.002)
            if took > limit:
                slow += 1
                row.append(f"{stage} {took:.2f}s SLOW x{growth:.0f}")
            else:
                row.append(f"{stage} {took:.3f}")
        print(f"{name!r:24} {len(text):>8}  " + "  ".join(row), flush=True)
    print(f"{'wall clock' if args.wall else 'CPU'} seconds; load average {os.getloadavg()[0]:.2f}")
    print(f"{slow} slow; worst {worst:.3f} s (limit {args.limit} s per 100,000 characters; "
          f"xN after SLOW: time for the input over time for its first tenth, 10 when linear)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
