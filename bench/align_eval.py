"""Alignment on real human translations: the English/Korean react.dev blog posts.

    python bench/align_eval.py [--corpus DIR] [--seed 7] [--sample 50]
    python bench/align_eval.py --selfcheck 200     # round trip on the sample and a generated corpus

For every post in `DIR/en/` with a translation at the same path in `DIR/ko/` (default: the
shared corpus `../shared/corpora/parallel/react.dev`), runs locpress's alignment exactly
as `locpress align` does (the project's English splitter on the source, the target-side
splitter on the translation, the same reader for both) and reports text blocks aligned,
sentence links by shape, entries a fresh catalog would get, and every refused block.

Then it draws a seeded random sample of aligned sentence pairs for checking by hand. The
sample lives in `bench/align_sample.tsv` (en, ko, verdict, comment): when the file exists,
its verdicts are kept and counted (a pair drawn again keeps its verdict); new pairs get an
empty verdict to fill in with `right` or `wrong`.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from locpress.config import from_dict
from locpress.formats import markdown
from locpress.stages import align, extract

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "parallel" / "react.dev"
SAMPLE = HERE / "align_sample.tsv"


def evaluate(corpus: Path) -> tuple[list[tuple[str, align.Link]], list[str], Counter[str]]:
    """(every usable link with its post, lines describing refusals, counts)."""
    config = from_dict({"locales": ["ko"]}, corpus)
    split = extract.splitter(config, markdown=True)
    links: list[tuple[str, align.Link]] = []
    refusals: list[str] = []
    counts: Counter[str] = Counter()
    for path in sorted((corpus / "en").rglob("*.md")):
        name = path.relative_to(corpus / "en").as_posix()
        other = corpus / "ko" / name
        if not other.is_file():
            continue
        source = markdown.parse(path.read_text(encoding="utf-8"), name, split, config.front_matter)
        target = markdown.parse(other.read_text(encoding="utf-8"), name, align.split_target, config.front_matter)
        result = align.align(source, target)
        template = extract.template(source, name, [("Content-Type", "text/plain; charset=UTF-8")])
        filled = align.fill(template, result.links, name, trust=False)
        counts.update(posts=1, source_blocks=result.source_blocks, target_blocks=result.target_blocks,
                      aligned_blocks=result.text_pairs, links=len(result.links), entries=len(template.messages),
                      filled=filled.filled, joined=filled.joined, copies=filled.copies,
                      source_sentences=sum(len(u.sentences) for u in source.units),
                      aligned_sentences=sum(len(link.source) for link in result.links if link.target))
        counts.update(f"link {len(link.source)}-{len(link.target)}" for link in result.links)
        for refused in result.refused:
            counts[f"refused {refused.side}"] += 1
            refusals.append(f"{refused.side} {name}:{refused.block.line} {refused.block.kind}: "
                            f"{refused.block.text[:90]!r} ({refused.reason})")
        links.extend((name, link) for link in result.links if align.usable(link))
    return links, refusals, counts


def sample(links: list[tuple[str, align.Link]], seed: int, size: int) -> list[dict[str, str]]:
    """The seeded sample, with the verdicts already in the sample file kept."""
    known: dict[tuple[str, str], dict[str, str]] = {}
    if SAMPLE.exists():
        with SAMPLE.open(encoding="utf-8", newline="") as handle:
            known = {(r["en"], r["ko"]): r for r in csv.DictReader(handle, delimiter="\t")}
    drawn = random.Random(seed).sample(links, min(size, len(links)))
    rows = []
    for _post, link in drawn:
        en, ko = " ".join(link.source), " ".join(link.target)
        rows.append(known.get((en, ko), {"en": en, "ko": ko, "verdict": "", "comment": ""}))
    return rows


def write_sample(rows: list[dict[str, str]]) -> None:
    with SAMPLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["en", "ko", "verdict", "comment"], delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def selfcheck(count: int) -> str:
    """Build a fully reviewed catalog into a Korean document, align the source with it in a
    fresh project (`locpress align source/ built/`), and count the pairs recovered: the
    repository's sample release plus `count` releases of `bench/corpus.py`."""
    import polib

    work = Path(tempfile.mkdtemp(prefix="align-selfcheck-"))
    try:
        subprocess.run([sys.executable, str(HERE / "corpus.py"), "generate", str(work / "gen"), "--n", str(count)],
                       check=True, capture_output=True)
        runs = []
        for name in ("built", "fresh"):
            root = work / name
            shutil.copytree(work / "gen" / "source", root / "source")
            shutil.copy(HERE.parent / "source/2023/11/climate-dialogue.md", root / "source/sample.md")
            (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\n')
            for command in (["extract"], ["update"]):
                subprocess.run(["locpress", *command], cwd=root, check=True, capture_output=True)
            runs.append(root)
        built, fresh = runs
        expected: dict[tuple[str, str], str] = {}
        for po_path in sorted((built / "locales/ko").rglob("*.po")):
            po = polib.pofile(str(po_path), wrapwidth=0)
            for entry in po:
                entry.msgstr = f"번역 {abs(hash(entry.msgid)) % 10**7} 문장입니다."
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                expected[(po_path.relative_to(built).as_posix(), entry.msgid)] = entry.msgstr
            po.save(str(po_path))
        subprocess.run(["locpress", "build"], cwd=built, check=True, capture_output=True)
        subprocess.run(["locpress", "align", "source", str(built / "output/ko"), "--locale", "ko"], cwd=fresh,
                       check=True, capture_output=True)
        got = {}
        for po_path in sorted((fresh / "locales/ko").rglob("*.po")):
            for entry in polib.pofile(str(po_path), wrapwidth=0):
                got[(po_path.relative_to(fresh).as_posix(), entry.msgid)] = entry.msgstr
        right = sum(1 for key, value in expected.items() if got.get(key) == value)
        return f"self-check: {right}/{len(expected)} pairs recovered in {count + 1} releases"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--selfcheck", type=int, metavar="N", help="only the round-trip self-check, on N releases")
    args = parser.parse_args()
    if args.selfcheck:
        print(selfcheck(args.selfcheck))
        return 0
    links, refusals, c = evaluate(args.corpus)
    print(f"posts {c['posts']}; text blocks: source {c['source_blocks']}, translation {c['target_blocks']}, "
          f"aligned {c['aligned_blocks']} ({100 * c['aligned_blocks'] / max(c['source_blocks'], 1):.1f}% of source)")
    print(f"refused blocks: source {c['refused source']}, translation {c['refused translation']}")
    shapes = ", ".join(f"{k[5:]} {v}" for k, v in sorted(c.items()) if k.startswith("link "))
    print(f"source sentences {c['source_sentences']}, in a link with a translation {c['aligned_sentences']} "
          f"({100 * c['aligned_sentences'] / max(c['source_sentences'], 1):.1f}%); links {c['links']} ({shapes})")
    print(f"catalog entries {c['entries']}: filled {c['filled']} ({100 * c['filled'] / max(c['entries'], 1):.1f}%), "
          f"of which 2-1 joined {c['joined']}; English left as is in the translation: {c['copies']}")
    for line in refusals:
        print(f"  refused {line}")
    rows = sample(links, args.seed, args.sample)
    write_sample(rows)
    judged = [r for r in rows if r["verdict"] in ("right", "wrong")]
    right = sum(r["verdict"] == "right" for r in judged)
    print(f"hand-checked sample ({SAMPLE.name}): {right}/{len(judged)} right, {len(rows) - len(judged)} not judged yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
