"""python-docx or the OOXML parts with lxml: what each reaches of a Word release, and how fast.

    python bench/docx_library.py            # the real fixtures + the bench's Word corpus

For each document: the words of translatable text that python-docx's object model reaches
(body paragraphs, tables, headers and footers, the core title) against the words in
locpress's msgids (its own walk of the parts with lxml: also footnotes, endnotes, text
boxes, hyperlink text, alt text), and the time of each to read every document. The Word
corpus is the one `bench/docx_speed.py` writes (run it first, or only the fixtures are read).
"""

from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

import docx as python_docx  # python-docx, a test dependency

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))

from locpress.formats import docx as locpress_docx  # noqa: E402
from locpress.formats.segment import split_sentences  # noqa: E402

WORD = re.compile(r"\w+")
MARKUP = re.compile(r'<span id="[gx]\d+"/?>|</span>|</?(?:u|sup|sub|s)>|\*+|\]\([^)]*\)|\\|<br/>')


def split(text: str) -> list[tuple[int, int]]:
    return split_sentences(text)


def words(text: str) -> int:
    return len(WORD.findall(MARKUP.sub(" ", text)))


def python_docx_text(data: bytes) -> list[str]:
    """What python-docx's object model gives: paragraphs, table cells, headers, footers, title."""
    document = python_docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                texts.extend(p.text for p in part.paragraphs)
    texts.append(document.core_properties.title or "")
    return texts


def locpress_text(data: bytes) -> list[str]:
    return [segment.text for segment, _ in locpress_docx.parse(data, "x.docx", split).segments()]


def reached(read: object, data: bytes) -> str:
    try:
        return str(sum(words(t) for t in read(data)))  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - each refuses some documents (Strict OOXML): say so
        return f"refused ({type(exc).__name__})"


def timed(read: object, datas: list[bytes]) -> float:
    start = time.perf_counter()
    for data in datas:
        read(data)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    fixtures = sorted((ROOT / "tests/fixtures/docx-real").glob("*.docx")) + \
        sorted((ROOT / "tests/fixtures/docx").glob("*.docx"))
    print("| document | python-docx words | locpress words |")
    print("| --- | ---: | ---: |")
    totals = [0, 0]
    for path in fixtures:
        data = path.read_bytes()
        row = [reached(python_docx_text, data), reached(locpress_text, data)]
        if all(r.isdigit() for r in row):
            totals = [totals[0] + int(row[0]), totals[1] + int(row[1])]
        print(f"| {path.name} | {row[0]} | {row[1]} |")
    print(f"| all that both read | {totals[0]} | {totals[1]} |")
    corpus = sorted((BENCH / "work/docx/docx/source").rglob("*.docx"))
    datas = [p.read_bytes() for p in corpus] or [p.read_bytes() for p in fixtures]
    for _ in range(2):  # the second round is the one reported: imports and caches warm
        pd_s, lp_s = timed(python_docx_text, datas), timed(locpress_text, datas)
    print(f"\nread {len(datas)} documents: python-docx {pd_s:.2f} s (text only, no segmentation), "
          f"locpress {lp_s:.2f} s (text, inline markup and sentences)")


if __name__ == "__main__":
    main()
