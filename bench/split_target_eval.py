"""Two-to-one alignment links on human translations, and which ones the target splitter caused.

    python bench/split_target_eval.py [--corpus DIR] [--list]

For every react.dev post in `DIR/en/` translated in `DIR/<lang>/` (ko, zh-hans, ar), aligns
the two as `locpress align` does and looks at each link of two or more English sentences to
one target sentence. When that target sentence has a sentence end inside it (`.!?؟` before a
space, or `。！？`), the splitter refused a cut a reader would make: "caused by the splitter".
Otherwise the translator wrote one sentence for two (nothing to fix). `--list` prints them.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from locpress.config import from_dict
from locpress.formats import markdown
from locpress.stages import align, extract

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "parallel" / "react.dev"
_INSIDE_STOP = re.compile(r"[.!?…؟](?=\s+\S)|[。！？]+(?=[^\s。！？」』”’）)\]])")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    corpus: Path = args.corpus
    config = from_dict({"locales": ["ko"]}, corpus)
    split = extract.splitter(config, markdown=True)
    for lang in ("ko", "zh-hans", "ar"):
        counts: Counter[str] = Counter()
        listed: list[str] = []
        for path in sorted((corpus / "en").rglob("*.md")):
            name = path.relative_to(corpus / "en").as_posix()
            other = corpus / lang / name
            if not other.is_file():
                continue
            source = markdown.parse(path.read_text(encoding="utf-8"), name, split, config.front_matter)
            target = markdown.parse(other.read_text(encoding="utf-8"), name, align.split_target, config.front_matter)
            result = align.align(source, target)
            counts["posts"] += 1
            counts["links"] += len(result.links)
            for link in result.links:
                if len(link.source) >= 2 and len(link.target) == 1:
                    text = link.target[0]
                    kind = "splitter" if _INSIDE_STOP.search(align.prose(text).rstrip()) else "translator"
                    counts[f"2-to-1 {kind}"] += 1
                    listed.append(f"  [{kind}] {name}: {' | '.join(link.source)[:160]!r}\n      -> {text[:160]!r}")
        print(f"{lang}: {counts['posts']} posts, {counts['links']} links, "
              f"two-to-one caused by the splitter {counts['2-to-1 splitter']}, "
              f"by the translation {counts['2-to-1 translator']}")
        if args.list:
            print("\n".join(listed))


if __name__ == "__main__":
    main()
