"""TMX 1.4: writing, reading, language codes, unsafe XML, Translate Toolkit round trips, CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, Result

from locpress.exchange import tmx
from locpress.exchange.tmx import ExchangeError, TmxUnit
from locpress.gettext.catalog import parse_po
from locpress.pretranslate.memory import Memory

lxml_etree = pytest.importorskip("lxml.etree")
tt_tmx = pytest.importorskip("translate.storage.tmx")

UNITS = [
    TmxUnit("The appeal is **41%** funded & growing.", "호소는 **41%** 충족되었고 & 늘고 있습니다.", "ko"),
    TmxUnit("See [the report](https://iom.int/r?a=1&b=2) <b>now</b>.", "[보고서](https://iom.int/r?a=1&b=2)를 <b>지금</b> 보세요.",
            "ko", reviewed=False, origin="align:ko/r.md"),
    TmxUnit("Floods in the north.", "北部洪水。", "zh_Hans"),
]


def _dtd() -> object:
    return lxml_etree.DTD(str(FIXTURES / "exchange" / "tmx14.dtd"))


def test_written_tmx_is_valid_against_the_tmx14_dtd() -> None:
    text, skipped = tmx.write_tmx(UNITS, "en")
    assert skipped == 0
    dtd = _dtd()
    assert dtd.validate(lxml_etree.fromstring(text.encode())), dtd.error_log.filter_from_errors()
    assert '<tuv xml:lang="zh-Hans"><seg>北部洪水。</seg></tuv>' in text
    assert "[the report](https://iom.int/r?a=1&amp;b=2) &lt;b&gt;now&lt;/b&gt;." in text


def test_write_then_read_keeps_every_unit() -> None:
    text, _ = tmx.write_tmx(UNITS, "en")
    found = tmx.read_tmx(text.encode(), "t.tmx", "en", ["ko", "zh_Hans"])
    assert found.units == UNITS


def test_text_xml_cannot_carry_is_left_out() -> None:
    text, skipped = tmx.write_tmx([TmxUnit("bell \x07", "종 \x07", "ko"), UNITS[0]], "en")
    assert skipped == 1 and "\x07" not in text


@pytest.mark.parametrize(("code", "locale"), [
    ("ko", "ko"), ("ko-KR", "ko"), ("KO-kr", "ko"), ("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"),
    ("zh-TW", None), ("pt-BR", "pt_BR"), ("pt-PT", None), ("fr-CA", "fr"), ("xx-YY", None), ("", None),
])
def test_language_codes_map_to_configured_locales(code: str, locale: str | None) -> None:
    assert tmx.locale_for(code, ["ko", "zh_Hans", "pt_BR", "fr"]) == locale


def test_inline_elements_keep_their_native_code_and_variants_are_accepted() -> None:
    data = """<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en-US" srclang="en-US" datatype="html"/>
<body>
 <tu><tuv xml:lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept><ph>&lt;br/&gt;</ph></seg></tuv>
     <tuv xml:lang="ko-KR"><seg><bpt i="1">&lt;b&gt;</bpt>여기<ept i="1">&lt;/b&gt;</ept>를 누르세요<ph>&lt;br/&gt;</ph></seg></tuv>
     <tuv xml:lang="de-DE"><seg>Hier</seg></tuv></tu>
 <tu><tuv xml:lang="en-US"><seg>No translation</seg></tuv></tu>
</body></tmx>""".encode()
    found = tmx.read_tmx(data, "t.tmx", "en", ["ko"])
    assert [(u.source, u.target, u.locale) for u in found.units] == [
        ("Press <b>here</b><br/>", "<b>여기</b>를 누르세요<br/>", "ko")]
    assert found.other_languages == {"de-DE": 1} and found.incomplete == 1


@pytest.mark.parametrize("name", ["billion-laughs", "external-entity"])
def test_malicious_xml_is_refused(name: str) -> None:
    data = (FIXTURES / "exchange" / f"{name}.tmx").read_bytes()
    with pytest.raises(ExchangeError) as caught:
        tmx.read_tmx(data, f"{name}.tmx", "en", ["ko"])
    assert "refused" in caught.value.message and caught.value.line == 2


def test_broken_xml_names_its_line() -> None:
    with pytest.raises(ExchangeError) as caught:
        tmx.read_tmx(b'<tmx version="1.4">\n<body>\n<tu></body></tmx>', "b.tmx", "en", ["ko"])
    assert caught.value.line == 3 and caught.value.message.startswith("not well-formed XML")


def test_not_a_tmx_file() -> None:
    with pytest.raises(ExchangeError, match="not a TMX file"):
        tmx.read_tmx(b"<xliff/>", "x.tmx", "en", ["ko"])


# --- Translate Toolkit ------------------------------------------------------------------------

def test_translate_toolkit_reads_what_we_write() -> None:
    text, _ = tmx.write_tmx(UNITS[:2], "en")
    store = tt_tmx.tmxfile.parsestring(text.encode())
    assert [(u.source, u.target) for u in store.units] == [(u.source, u.target) for u in UNITS[:2]]


def test_we_read_what_translate_toolkit_writes() -> None:
    store = tt_tmx.tmxfile(sourcelanguage="en", targetlanguage="ko-KR")
    for source, target in (("A & B <i>", "에이 & 비 <i>"), ("`code` stays.", "`code`는 그대로.")):
        store.addsourceunit(source).target = target
    found = tmx.read_tmx(bytes(store), "tt.tmx", "en", ["ko"])
    assert [(u.source, u.target, u.locale) for u in found.units] == [
        ("A & B <i>", "에이 & 비 <i>", "ko"), ("`code` stays.", "`code`는 그대로.", "ko")]


# --- through the CLI ------------------------------------------------------------------------

RELEASE = "# Floods\n\nThe floods displaced 12,000 people.\n"


def test_import_feeds_pretranslation_and_export_writes_the_memory(
        project: Callable[..., Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    root = project({"a.md": RELEASE})
    exchange = tmp_path / "old.tmx"
    text, _ = tmx.write_tmx([TmxUnit("The floods displaced 12,000 people.", "홍수로 12,000명이 집을 잃었습니다.", "ko"),
                             TmxUnit("Floods", "홍수", "ko")], "en")
    exchange.write_text(text, encoding="utf-8")
    result = cli(root, "tm", "import", str(exchange), "--trust")
    assert result.code == 0, result.err
    assert f"imported 2 units from {exchange} (ko 2)" in result.out
    cli(root, "extract")
    assert cli(root, "update").code == 0
    assert cli(root, "pretranslate").code == 0
    catalog = {m.msgid: m for m in parse_po((root / "locales/ko/a.po").read_bytes(), "a.po").messages}
    assert catalog["Floods"].msgstr == "홍수" and catalog["Floods"].reviewed  # trusted: reviewed
    out = tmp_path / "out.tmx"
    assert cli(root, "tm", "export", "--locale", "ko", str(out)).code == 0
    again = tmx.read_tmx(out.read_bytes(), "out.tmx", "en", ["ko"])
    assert {(u.source, u.target) for u in again.units} >= {("Floods", "홍수")}


def test_import_without_trust_fills_fuzzy_and_reimport_replaces(
        project: Callable[..., Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    root = project({"a.md": RELEASE})
    exchange = tmp_path / "old.tmx"
    exchange.write_text(tmx.write_tmx([TmxUnit("Floods", "홍수", "ko")], "en")[0], encoding="utf-8")
    assert cli(root, "tm", "import", str(exchange)).code == 0
    exchange.write_text(tmx.write_tmx([TmxUnit("Floods", "큰물", "ko")], "en")[0], encoding="utf-8")
    assert cli(root, "tm", "import", str(exchange)).code == 0
    memory = Memory(root / ".locpress/memory.sqlite3")
    assert [(m.target, m.reviewed) for m in memory.entries("ko")] == [("큰물", False)]
    memory.close()
    assert cli(root, "tm", "rebuild").code == 0  # imported units survive a rebuild
    memory = Memory(root / ".locpress/memory.sqlite3")
    assert memory.exact("ko", "Floods") is not None
    memory.close()
    cli(root, "extract")
    cli(root, "update")
    assert cli(root, "pretranslate").code == 0
    catalog = {m.msgid: m for m in parse_po((root / "locales/ko/a.po").read_bytes(), "a.po").messages}
    assert (catalog["Floods"].msgstr, catalog["Floods"].fuzzy) == ("큰물", True)


def test_import_of_unsafe_xml_is_an_error(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = project({"a.md": RELEASE})
    bomb = FIXTURES / "exchange" / "billion-laughs.tmx"
    result = cli(root, "tm", "import", str(bomb))
    assert result.code == 3
    assert result.err.startswith(f"error: {bomb}:2: refused") and len(result.err.splitlines()) == 1
