"""Extract + build of N Word releases against the same releases in Markdown (target: within 3x).

    python bench/docx_speed.py            # N=1000
    python bench/docx_speed.py --n 100    # a smoke run

The Markdown corpus is bench/corpus.py's; each release is also written as a .docx with
python-docx (title as the document title and a heading, paragraphs with their **bold** runs,
bullet lists, tables), so both projects hold the same text. Each project then runs, through
the CLI, `locpress extract` and `locpress update` (not timed: the same work for both), and
`locpress build --draft` is timed after extract. Work goes under bench/work/docx/ (git-ignored).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "docx"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]+)\)")


def to_docx(markdown: str, target: Path) -> None:
    import docx

    text = markdown
    title = ""
    if text.startswith("---\n"):
        head, _, text = text[4:].partition("\n---\n")
        for line in head.splitlines():
            if line.startswith("title:"):
                title = line[6:].strip().strip("'\"")
    document = docx.Document()
    document.core_properties.title = title
    if title:
        document.add_heading(title, level=1)
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if block.startswith("#"):
            document.add_heading(block.lstrip("# "), level=2)
        elif lines[0].startswith("|"):
            rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines if not set(line) <= set("|-: ")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row[:len(rows[0])]):
                    table.cell(r, c).text = cell
        elif lines[0].startswith("- "):
            for line in lines:
                _runs(document.add_paragraph(style="List Bullet"), line[2:])
        else:
            _runs(document.add_paragraph(), " ".join(lines))
    document.save(str(target))


def _runs(paragraph: object, text: str) -> None:
    text = _LINK.sub(r"\1", text)
    at = 0
    for match in _BOLD.finditer(text):
        paragraph.add_run(text[at:match.start()])  # type: ignore[attr-defined]
        paragraph.add_run(match.group(1)).bold = True  # type: ignore[attr-defined]
        at = match.end()
    paragraph.add_run(text[at:])  # type: ignore[attr-defined]


def locpress(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "locpress.cli", *args, "-C", str(root)], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    md, word = WORK / "md", WORK / "docx"
    corpus.generate(md, args.n)
    for root in (md, word):
        root.mkdir(parents=True, exist_ok=True)
        (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\n')
    started = time.perf_counter()
    for path in sorted((md / "source").rglob("*.md")):
        target = word / "source" / path.relative_to(md / "source").with_suffix(".docx")
        target.parent.mkdir(parents=True, exist_ok=True)
        to_docx(path.read_text(encoding="utf-8"), target)
    print(f"made {args.n} Word releases in {time.perf_counter() - started:.1f} s")
    times = {}
    for name, root in (("md", md), ("docx", word)):
        extract = locpress(root, "extract")
        locpress(root, "update")
        build = locpress(root, "build", "--draft")
        times[name] = (extract, build)
        print(f"{name:5} extract {extract:6.2f} s  build --draft {build:6.2f} s  total {extract + build:6.2f} s")
    ratio = sum(times["docx"]) / sum(times["md"])
    print(f"Word / Markdown: {ratio:.2f}x (target: within 3x)")


if __name__ == "__main__":
    main()
