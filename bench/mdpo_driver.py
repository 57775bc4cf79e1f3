"""mdpo anchor for bench/spine.py: runs INSIDE the anchor venv (bench/work/venv-anchors).

    venv-anchors/bin/python bench/mdpo_driver.py SOURCE_DIR OUT_DIR --locales ko,ar

In one process, with mdpo's Python API, as an mdpo user updates one catalog per language:
for each locale and each release ``SOURCE_DIR/<rel>.md``,
``markdown_to_pofile(src, po_filepath=OUT/locales/<locale>/<rel>.po, save=True)`` (extract
into the catalog, paragraph level: mdpo's msgids are blocks), then
``pofile_to_markdown(src, po, save=OUT/output/<locale>/<rel>.md)`` (build).
Prints one JSON object with its own timings (seconds, perf_counter): per locale
``extract`` and ``build`` (wall) and ``cpu_extract``/``cpu_build`` (process CPU), and
the totals.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--locales", default="ko")
    a = ap.parse_args()
    source, out = Path(a.source), Path(a.out)
    srcs = sorted(source.rglob("*.md"))
    res: dict = {"mdpo": version("mdpo"), "releases": len(srcs),
                 "locales": {}}
    entries = 0
    t_all = time.perf_counter()
    for loc in a.locales.split(","):
        t0, c0 = time.perf_counter(), time.process_time()
        pos = []
        for src in srcs:
            rel = src.relative_to(source).with_suffix("")
            po = out / "locales" / loc / f"{rel}.po"
            po.parent.mkdir(parents=True, exist_ok=True)
            pf = markdown_to_pofile(str(src), po_filepath=str(po), save=True)
            entries += len(pf)
            pos.append((src, po, out / "output" / loc / f"{rel}.md"))
        t1, c1 = time.perf_counter(), time.process_time()
        for src, po, dst in pos:
            dst.parent.mkdir(parents=True, exist_ok=True)
            pofile_to_markdown(str(src), str(po), save=str(dst))
        t2, c2 = time.perf_counter(), time.process_time()
        res["locales"][loc] = {"extract": t1 - t0, "build": t2 - t1,
                               "cpu_extract": c1 - c0, "cpu_build": c2 - c1}
    res["total"] = time.perf_counter() - t_all
    res["entries"] = entries
    json.dump(res, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
