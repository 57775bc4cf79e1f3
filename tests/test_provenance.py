"""Provenance that survives other tools: the real `msgmerge` drops locpress's comments, the
next `locpress update` restores them byte for byte; paths in catalogs never leak."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import HAS_GETTEXT, Result

from locpress.errors import CatalogError
from locpress.exchange import tmx
from locpress.gettext import provenance
from locpress.gettext.catalog import Catalog, Message, header_message, parse_po

needs_msgmerge = pytest.mark.skipif(not HAS_GETTEXT or shutil.which("msgmerge") is None,
                                    reason="GNU gettext's msgmerge is needed")

FLOODS = ("# Floods\n\nThe floods displaced 12,000 people. IOM teams arrived.\n\n"
          "For more information, contact the press office.\n")
APPEAL = "# Appeal\n\nIOM appeals for USD 12.5 million. The appeal is 41% funded.\n"
PSEUDO = '[pretranslate]\nengine = "pseudo"\n'


def _project(project: Callable[..., Path], cli: Callable[..., Result]) -> Path:
    root = project({"2023/11/floods.md": FLOODS, "2023/12/appeal.md": APPEAL}, locales=("ko", "fr"), extra=PSEUDO)
    (root / "glossary.csv").write_text("en,ko,fr,note,dnt\nIOM,,,,yes\npress office,언론 담당실,service de presse,,\n",
                                       encoding="utf-8")
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    assert cli(root, "pretranslate").code == 0
    return root


def _catalogs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "locales").rglob("*.po"))}


def _msgmerge(root: Path, *options: str) -> None:
    """What Weblate's msgmerge add-on and Poedit's "Update from POT" run over each catalog."""
    for po in sorted((root / "locales").rglob("*.po")):
        if po.parent.name == "templates":
            continue
        release = po.relative_to(root / "locales").as_posix().split("/", 1)[1][:-3]
        pot = root / "locales/templates" / f"{release}.pot"
        subprocess.run(["msgmerge", "--quiet", *options, "-o", str(po), str(po), str(pot)], check=True)


@needs_msgmerge
@pytest.mark.parametrize("options", [("--previous",), ()], ids=["weblate-previous", "poedit-plain"])
def test_update_restores_what_msgmerge_dropped_byte_for_byte(project: Callable[..., Path], cli: Callable[..., Result],
                                                             options: tuple[str, ...]) -> None:
    root = _project(project, cli)
    appeal = root / "locales/ko/2023/12/appeal.po"
    text = appeal.read_text(encoding="utf-8").replace('msgid "The appeal is 41% funded."',
                                                      '#. locpress: ignore numbers\nmsgid "The appeal is 41% funded."')
    appeal.write_text(text, encoding="utf-8")  # a directive added by hand
    assert cli(root, "update").code == 0
    before = _catalogs(root)
    assert sum(b.count(b"#. locpress: mt pseudo") for b in before.values()) == 14
    assert sum(b.count(b"#. glossary: ") for b in before.values()) >= 4
    _msgmerge(root, *options)
    merged = _catalogs(root)
    assert all(b"#. locpress:" not in data and b"#. glossary:" not in data for data in merged.values())
    shutil.rmtree(root / ".locpress")  # a fresh clone: the record is committed, not in .locpress/
    result = cli(root, "update")
    assert result.code == 0, result.err
    assert _catalogs(root) == before
    assert cli(root, "update").out == ""  # and a second update changes nothing


def test_the_record_lies_beside_the_catalog_and_is_stable(project: Callable[..., Path],
                                                          cli: Callable[..., Result]) -> None:
    root = _project(project, cli)
    record = root / "locales/ko/2023/11/floods.provenance.json"
    entries = provenance.loads(record.read_bytes(), "x")
    assert entries[(None, "IOM teams arrived.")] == ["locpress: mt pseudo", "glossary: IOM = IOM"]
    assert entries[(None, "For more information, contact the press office.")] == [
        "locpress: mt pseudo", "glossary: press office = 언론 담당실"]
    data = record.read_bytes()
    assert cli(root, "update").code == 0 and cli(root, "pretranslate").code == 0
    assert record.read_bytes() == data


def test_a_changed_sentence_loses_its_provenance_as_in_update() -> None:
    old = Catalog(header_message([]), [Message("Same.", "같음.", flags=["fuzzy"]), Message("New text.", "")])
    record = {(None, "Same."): ["locpress: mt deepl"], (None, "Old text."): ["locpress: mt deepl"]}
    assert provenance.restore(old, record) == 1
    assert old.messages[0].auto_comments == ["locpress: mt deepl"] and old.messages[1].auto_comments == []
    kept = Catalog(header_message([]), [Message("Same.", "같음.", auto_comments=["paragraph", "locpress: tm 100%"])])
    assert provenance.restore(kept, record) == 0  # it has its own: not doubled
    assert provenance.record_of(kept, record) == {(None, "Same."): ["locpress: tm 100%"]}


def test_a_damaged_record_is_one_error_line() -> None:
    with pytest.raises(CatalogError, match="not a locpress provenance record"):
        provenance.loads(b"{not json", "locales/ko/a.provenance.json")


def test_paths_in_catalogs_are_project_relative_or_bare_names(project: Callable[..., Path],
                                                              cli: Callable[..., Result], tmp_path: Path) -> None:
    root = project({"2023/11/floods.md": FLOODS, "2023/12/appeal.md": APPEAL})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "floods.ko.md").write_text("# 홍수\n\n홍수로 12,000명이 집을 잃었습니다. IOM 팀이 도착했습니다.\n\n"
                                          "자세한 내용은 언론 담당실에 문의하십시오.\n", encoding="utf-8")
    (root / "archive").mkdir()
    (root / "archive/appeal.ko.md").write_text("# 호소\n\nIOM은 1,250만 달러를 호소합니다. 호소는 41% 충족되었습니다.\n",
                                               encoding="utf-8")
    memory = outside / "old.tmx"
    memory.write_text(tmx.write_tmx([tmx.TmxUnit("IOM appeals for USD 12.5 million.", "IOM은 1,250만 달러를 호소합니다.",
                                                 "ko")], "en")[0], encoding="utf-8")
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    assert cli(root, "align", str(root / "source/2023/11/floods.md"), str(outside / "floods.ko.md"), "-l", "ko").code == 0
    assert cli(root, "tm", "import", str(memory)).code == 0
    assert cli(root, "pretranslate").code == 0
    assert cli(root, "align", str(root / "source/2023/12/appeal.md"), str(root / "archive/appeal.ko.md"),
               "-l", "ko").code == 0
    texts = "".join(p.read_text(encoding="utf-8") for p in (root / "locales").rglob("*.po"))
    texts += "".join(p.read_text(encoding="utf-8") for p in (root / "locales").rglob("*.provenance.json"))
    assert str(tmp_path) not in texts and str(root) not in texts
    assert "#. locpress: aligned from floods.ko.md" in texts
    assert "#. locpress: aligned from archive/appeal.ko.md" in texts
    assert "#. locpress: tm 100% from tmx:old.tmx" in texts
