"""Alignment: target sentences, Gale-Church, block pairing, catalog filling, the CLI."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from conftest import Result

from locpress.formats.markdown import parse
from locpress.formats.segment import split_sentences
from locpress.gettext.catalog import Catalog, Message, header_message, parse_po
from locpress.pretranslate.memory import Memory
from locpress.stages import align

EN_SPLIT = partial(split_sentences, markdown=True, lang="en")
KEYS = ("title",)

SOURCE = """---
title: Floods displace thousands
---

# Floods displace thousands

The floods displaced 12,000 people in the north. IOM teams arrived on Monday.

- Shelter kits for 900 families.
- Water for [all](https://www.iom.int/water).

```sh
curl https://www.iom.int
```

| Region | People |
|---|---|
| North | Many people |

For more information, contact the office. It opens at 9.
"""

KOREAN = """---
title: 홍수로 수천 명 이재민 발생
---

# 홍수로 수천 명 이재민 발생

홍수로 북부에서 12,000명이 집을 잃었습니다. IOM 팀은 월요일에 도착했습니다.

- 900가구를 위한 쉼터 키트.
- [모두](https://www.iom.int/water)를 위한 물.

```sh
curl https://www.iom.int
```

| 지역 | 인원 |
|---|---|
| 북부 | 많은 사람들 |

자세한 내용은 사무소에 문의하십시오. 사무소는 9시에 문을 엽니다.
"""


def _docs(source: str, target: str) -> tuple[align.Document, align.Document]:
    return parse(source, "en.md", EN_SPLIT, KEYS), parse(target, "ko.md", align.split_target, KEYS)


@pytest.mark.parametrize(("text", "expected"), [
    ("첫 문장입니다. 둘째 문장입니다.", ["첫 문장입니다.", "둘째 문장입니다."]),
    ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
    ("`a. B` 코드는 그대로입니다. 다음.", ["`a. B` 코드는 그대로입니다.", "다음."]),
    ("[링크. 안](https://x.org/a.b) 입니다. 끝.", ["[링크. 안](https://x.org/a.b) 입니다.", "끝."]),
    ("예: e.g. 이것. Mr. Kim 입니다.", ["예: e.g. 이것.", "Mr. Kim 입니다."]),
    ("Привет. мир продолжается. Да!", ["Привет. мир продолжается.", "Да!"]),
    ("  ", []),
    # issue 15: a sentence that starts with a link, a code span or a lower-case Latin word
    ("업그레이드했습니다. [릴리스 노트](https://x.org/n)를 보세요.", ["업그레이드했습니다.", "[릴리스 노트](https://x.org/n)를 보세요."]),
    ("설치합니다. `kubectl`을 실행하세요.", ["설치합니다.", "`kubectl`을 실행하세요."]),
    ("지원됩니다. v1.20에서는 달라졌습니다. gRPC를 씁니다.", ["지원됩니다.", "v1.20에서는 달라졌습니다.", "gRPC를 씁니다."]),
    ("已经发布。gRPC 现在可用。", ["已经发布。", "gRPC 现在可用。"]),
    ("تم الإصدار. kubectl متاح الآن.", ["تم الإصدار.", "kubectl متاح الآن."]),
    ("C'est fini, etc. et la suite.", ["C'est fini, etc. et la suite."]),
    ("보일러 플레이트를 [만들었습니다.](https://x.org/k) 하지만 어렵습니다.",
     ["보일러 플레이트를 [만들었습니다.](https://x.org/k)", "하지만 어렵습니다."]),
    ("[列表中的 key](/learn/keys)。key 应该根据你的数据生成。", ["[列表中的 key](/learn/keys)。", "key 应该根据你的数据生成。"]),
    ("<!-- 주석. 안 --> 문장입니다. {/* 주석. 안 */} 끝.", ["<!-- 주석. 안 --> 문장입니다.", "{/* 주석. 안 */} 끝."]),
])
def test_split_target(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in align.split_target(text)] == expected


def test_gale_church_prefers_one_to_one_and_finds_a_merge() -> None:
    assert align.gale_church([20, 30, 40], [10, 15, 20], 0.5) == [(0, 1, 0, 1), (1, 1, 1, 1), (2, 1, 2, 1)]
    # the first two source sentences are translated by one target sentence
    assert align.gale_church([40, 40, 60], [40, 30], 0.5) == [(0, 2, 0, 1), (2, 1, 1, 1)]


def test_identical_structure_aligns_every_block_and_sentence() -> None:
    result = align.align(*_docs(SOURCE, KOREAN))
    assert not result.refused
    assert result.text_pairs == result.source_blocks == 10
    pairs = dict(align.pairs(result.links))
    assert pairs["The floods displaced 12,000 people in the north."] == "홍수로 북부에서 12,000명이 집을 잃었습니다."
    assert pairs["Water for [all](https://www.iom.int/water)."] == "[모두](https://www.iom.int/water)를 위한 물."
    assert pairs["Many people"] == "많은 사람들"
    assert pairs["Floods displace thousands"] == "홍수로 수천 명 이재민 발생"


def test_a_block_without_counterpart_is_refused_not_guessed() -> None:
    extra = SOURCE.replace("- Shelter kits", "A new paragraph about donors. It thanks them.\n\n- Shelter kits")
    result = align.align(*_docs(extra, KOREAN))
    assert [(r.side, r.block.kind, r.block.line) for r in result.refused] == [("source", "paragraph", 9)]
    assert "A new paragraph about donors." not in dict(align.pairs(result.links))
    assert result.text_pairs == 10


def test_an_extra_translated_paragraph_is_refused() -> None:
    extra = KOREAN.replace("- 900가구", "번역자가 덧붙인 문단입니다.\n\n- 900가구")
    result = align.align(*_docs(SOURCE, extra))
    assert [(r.side, r.block.line) for r in result.refused] == [("translation", 9)]


def test_blocks_of_different_kinds_never_pair() -> None:
    result = align.align(*_docs("# Title\n\nA paragraph.\n", "제목입니다.\n\n단락입니다.\n"))
    assert {(r.side, r.block.kind) for r in result.refused} >= {("source", "heading 1")}
    assert all(a.kind == b.kind for a, b, _s in result.pairs)


def _catalog(*msgids: str, translated: dict[str, str] | None = None) -> Catalog:
    translated = translated or {}
    return Catalog(header=header_message([("Content-Type", "text/plain; charset=UTF-8")]),
                   messages=[Message(msgid=m, msgstr=translated.get(m, "")) for m in msgids])


def _link(source: tuple[str, ...], target: tuple[str, ...]) -> align.Link:
    return align.Link(source, target, tuple(True for _ in source), 1)


def test_fill_only_empty_entries_fuzzy_with_provenance() -> None:
    catalog = _catalog("One.", "Two.", translated={"Two.": "둘 (사람이 번역)."})
    done = align.fill(catalog, [_link(("One.",), ("하나.",)), _link(("Two.",), ("둘.",))], "ko/r.md", trust=False)
    one, two = catalog.messages
    assert (one.msgstr, one.flags, one.auto_comments) == ("하나.", ["fuzzy"], ["locpress: aligned from ko/r.md"])
    assert (two.msgstr, two.flags) == ("둘 (사람이 번역).", [])
    assert (done.filled, done.kept) == (1, 1)


def test_fill_with_trust_is_reviewed_and_one_to_two_joins_the_translation() -> None:
    catalog = _catalog("One long sentence.")
    align.fill(catalog, [_link(("One long sentence.",), ("첫째.", "둘째."))], "k.md", trust=True)
    assert (catalog.messages[0].msgstr, catalog.messages[0].reviewed) == ("첫째. 둘째.", True)
    chinese = _catalog("One long sentence.")
    align.fill(chinese, [_link(("One long sentence.",), ("第一。", "第二。"))], "z.md", trust=True, joiner="")
    assert chinese.messages[0].msgstr == "第一。第二。"


def test_two_to_one_fills_the_first_entry_fuzzy_even_when_trusted() -> None:
    catalog = _catalog("First.", "Second.")
    done = align.fill(catalog, [_link(("First.", "Second."), ("하나로 합친 문장.",))], "k.md", trust=True)
    first, second = catalog.messages
    assert (first.msgstr, first.fuzzy) == ("하나로 합친 문장.", True)
    assert 'and the next: "Second."' in first.auto_comments[-1]
    assert second.untranslated and done.joined == 1


def test_english_left_untranslated_is_not_a_translation() -> None:
    catalog = _catalog("This stays in English here.", "React")
    links = [_link(("This stays in English here.",), ("This stays in English here.",)), _link(("React",), ("React",))]
    done = align.fill(catalog, links, "k.md", trust=False)
    assert catalog.messages[0].untranslated and catalog.messages[1].msgstr == "React"
    assert done.copies == 1


# --- through the CLI ------------------------------------------------------------------------

def test_align_command_fills_catalog_and_memory(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = project({"2023/11/floods.md": SOURCE})
    (root / "archive").mkdir()
    (root / "archive" / "floods.ko.md").write_text(KOREAN, encoding="utf-8")
    result = cli(root, "align", str(root / "source/2023/11/floods.md"), str(root / "archive/floods.ko.md"),
                 "--locale", "ko")
    assert result.code == 0, result.err
    assert "aligned source/2023/11/floods.md with archive/floods.ko.md (release 2023/11/floods): 10 of 10" \
        in result.out
    catalog = parse_po((root / "locales/ko/2023/11/floods.po").read_bytes(), "floods.po")
    entries = {m.msgid: m for m in catalog.messages}
    entry = entries["IOM teams arrived on Monday."]
    assert (entry.msgstr, entry.fuzzy) == ("IOM 팀은 월요일에 도착했습니다.", True)
    assert "locpress: aligned from archive/floods.ko.md" in entry.auto_comments
    memory = Memory(root / ".locpress/memory.sqlite3")
    match = memory.exact("ko", "IOM teams arrived on Monday.")
    assert match is not None and (match.target, match.reviewed) == ("IOM 팀은 월요일에 도착했습니다.", False)
    memory.close()


def test_align_folders_reports_refused_blocks_and_missing_translations(
        project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    extra = SOURCE.replace("- Shelter kits", "A new paragraph about donors.\n\n- Shelter kits")
    root = project({"a.md": extra, "b.md": SOURCE})
    (root / "ko").mkdir()
    (root / "ko" / "a.md").write_text(KOREAN, encoding="utf-8")
    result = cli(root, "align", str(root / "source"), str(root / "ko"), "--locale", "ko", "--trust")
    assert result.code == 0, result.err
    assert 'refused source/a.md:9: paragraph "A new paragraph about donors.": no counterpart' in result.out
    assert f"no translation for {root / 'source' / 'b.md'}" in result.out
    catalog = parse_po((root / "locales/ko/a.po").read_bytes(), "a.po")
    reviewed = {m.msgid: m.msgstr for m in catalog.messages if m.reviewed}
    assert reviewed["Many people"] == "많은 사람들"
    assert "A new paragraph about donors." not in reviewed


def test_align_never_overwrites_and_then_pretranslate_uses_the_memory(
        project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = project({"a.md": SOURCE, "later.md": "# Other\n\nIOM teams arrived on Monday.\n"})
    cli(root, "extract")
    cli(root, "update")
    po = root / "locales/ko/a.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Many people"\nmsgstr ""', 'msgid "Many people"\nmsgstr "사람 많음"'), encoding="utf-8")
    (root / "a.ko.md").write_text(KOREAN, encoding="utf-8")
    assert cli(root, "align", str(root / "source/a.md"), str(root / "a.ko.md"), "--locale", "ko").code == 0
    entries = {m.msgid: m for m in parse_po(po.read_bytes(), "a.po").messages}
    assert (entries["Many people"].msgstr, entries["Many people"].reviewed) == ("사람 많음", True)
    assert cli(root, "pretranslate", "--release", "later").code == 0
    later = {m.msgid: m for m in parse_po((root / "locales/ko/later.po").read_bytes(), "l.po").messages}
    assert later["IOM teams arrived on Monday."].msgstr == "IOM 팀은 월요일에 도착했습니다."
    assert later["IOM teams arrived on Monday."].fuzzy  # an untrusted alignment never fills as reviewed


def test_align_needs_one_locale(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = project({"a.md": SOURCE}, locales=("ko", "fr"))
    (root / "a.ko.md").write_text(KOREAN, encoding="utf-8")
    result = cli(root, "align", str(root / "source/a.md"), str(root / "a.ko.md"))
    assert result.code == 2 and "align needs one --locale" in result.err
