"""XLIFF 1.2: export structure and states, import rules, unsafe XML, Translate Toolkit, CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from locpress import xliff
from locpress.catalog import Catalog, Message, header_message, parse_po, write_po
from locpress.tmx import ExchangeError
from conftest import FIXTURES, Result

lxml_etree = pytest.importorskip("lxml.etree")
tt_xliff = pytest.importorskip("translate.storage.xliff")

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
          "needs-review-adaptation", "needs-review-l10n", "translated", "signed-off", "final"}
#: XLIFF 1.2 (xliff-core-1.2-strict.xsd): the children a trans-unit may have, in order.
UNIT_ORDER = ["source", "seg-source", "target"]
UNIT_TAIL = {"context-group", "count-group", "prop-group", "note", "alt-trans", "bin-unit"}


def _catalog() -> Catalog:
    return Catalog(header=header_message([("Language", "ko"), ("Content-Type", "text/plain; charset=UTF-8")]),
                   messages=[
                       Message("Floods & <b>rain</b>.", "홍수 & <b>비</b>.", auto_comments=["paragraph"],
                               references=["source/a.md:3"], translator_comments=["checked by Kim"]),
                       Message("A [link](https://x.org/?a=1&b=2).", "[링크](https://x.org/?a=1&b=2).",
                               flags=["fuzzy"], previous_msgid="A link.", auto_comments=["list item"]),
                       Message("Empty one.", auto_comments=["heading"], references=["source/a.md:1"]),
                       Message("Context", "문맥", msgctxt="menu"),
                       Message("Gone.", "사라짐.", obsolete=True),
                   ])


def _root(text: str) -> object:
    return lxml_etree.fromstring(text.encode())


def test_export_has_the_xliff12_structure() -> None:
    text, skipped = xliff.write_xliff(_catalog(), "2023/11/a", "en", "ko")
    root = _root(text)
    assert skipped == 0 and root.tag == f"{NS}xliff" and root.get("version") == "1.2"
    [file] = root
    assert {k: file.get(k) for k in ("original", "source-language", "target-language", "datatype")} == {
        "original": "2023/11/a", "source-language": "en", "target-language": "ko", "datatype": "po"}
    header, body = file
    tool = header.find(f"{NS}tool")
    assert tool is not None and tool.get("tool-id") == file.get("tool-id")
    units = body.findall(f"{NS}trans-unit")
    assert len(units) == 4 and len({u.get("id") for u in units}) == 4
    for unit in units:
        names = [child.tag.removeprefix(NS) for child in unit]
        head = [n for n in names if n in UNIT_ORDER]
        assert head == sorted(head, key=UNIT_ORDER.index) and names[:len(head)] == head
        assert set(names[len(head):]) <= UNIT_TAIL
        assert unit.find(f"{NS}target").get("state") in STATES
        assert unit.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_export_states_and_notes() -> None:
    units = _root(xliff.write_xliff(_catalog(), "a", "en", "ko")[0]).iter(f"{NS}trans-unit")
    found = {u.findtext(f"{NS}source"): u for u in units}
    reviewed, fuzzy, empty = found["Floods & <b>rain</b>."], found["A [link](https://x.org/?a=1&b=2)."], found["Empty one."]
    assert (reviewed.get("approved"), reviewed.find(f"{NS}target").get("state")) == ("yes", "final")
    assert (fuzzy.get("approved"), fuzzy.find(f"{NS}target").get("state")) == (None, "needs-review-translation")
    assert (empty.findtext(f"{NS}target"), empty.find(f"{NS}target").get("state")) == ("", "new")
    notes = [(n.get("from"), n.text) for n in reviewed.findall(f"{NS}note")]
    assert notes == [("developer", "paragraph"), ("translator", "checked by Kim")]
    assert "Gone." not in found


def test_read_back_what_we_wrote() -> None:
    [part] = xliff.read_xliff(xliff.write_xliff(_catalog(), "2023/11/a", "en", "ko")[0].encode(), "a.xlf")
    assert (part.original, part.source_language, part.target_language) == ("2023/11/a", "en", "ko")
    assert [(u.source, u.target, u.state, u.msgctxt, u.notes) for u in part.units] == [
        ("Floods & <b>rain</b>.", "홍수 & <b>비</b>.", "reviewed", None, ("checked by Kim",)),
        ("A [link](https://x.org/?a=1&b=2).", "[링크](https://x.org/?a=1&b=2).", "fuzzy", None, ()),
        ("Empty one.", "", "empty", None, ()),
        ("Context", "문맥", "reviewed", "menu", ()),
    ]


def _unit(source: str, target: str | None, state: str, notes: tuple[str, ...] = ()) -> xliff.XliffUnit:
    return xliff.XliffUnit(source, target, state, None, notes)


def test_import_changes_only_what_differs_and_says_when_a_reviewed_entry_gets_worse() -> None:
    catalog = _catalog()
    result = xliff.apply(catalog, [
        _unit("Floods & <b>rain</b>.", "홍수 & <b>비</b>.", "reviewed"),  # the same
        _unit("A [link](https://x.org/?a=1&b=2).", "[링크](https://x.org/?a=1&b=2).", "reviewed"),  # signed off
        _unit("Empty one.", "빈 것.", "fuzzy", ("new note",)),
        _unit("Not in the catalog.", "없음.", "reviewed"),
    ])
    assert (result.changed, result.unchanged, result.missing) == (2, 1, ["Not in the catalog."])
    entries = {m.msgid: m for m in catalog.messages}
    link = entries["A [link](https://x.org/?a=1&b=2)."]
    assert link.reviewed and link.previous_msgid is None
    empty = entries["Empty one."]
    assert (empty.msgstr, empty.fuzzy, empty.translator_comments) == ("빈 것.", True, ["new note"])
    worse = xliff.apply(catalog, [_unit("Floods & <b>rain</b>.", "홍수와 비.", "fuzzy"),
                                  _unit("Context", "", "empty")])
    assert worse.downgraded == ["Floods & <b>rain</b>."] and worse.kept == []
    assert entries["Floods & <b>rain</b>."].fuzzy
    kept = xliff.apply(catalog, [_unit("Empty one.", None, "empty")])
    assert kept.kept == ["Empty one."] and entries["Empty one."].msgstr == "빈 것."


def test_states_of_other_tools() -> None:
    data = f"""<xliff version="1.2" xmlns="{NS[1:-1]}"><file original="a" source-language="en-US"
 target-language="ko-KR" datatype="plaintext"><body><group>
 <trans-unit id="1"><source>A</source><target state="translated">가</target></trans-unit>
 <trans-unit id="2"><source>B</source><target state="signed-off">나</target></trans-unit>
 <trans-unit id="3" approved="yes"><source>C</source><target>다</target></trans-unit>
 <trans-unit id="4"><source>D</source></trans-unit>
 <trans-unit id="5"><source>E <g id="1">bold</g><x id="2"/></source><target state="new"/></trans-unit>
 </group></body></file></xliff>""".encode()
    [part] = xliff.read_xliff(data, "t.xlf")
    assert [(u.source, u.state) for u in part.units] == [
        ("A", "fuzzy"), ("B", "reviewed"), ("C", "reviewed"), ("D", "empty"), ("E bold", "empty")]


@pytest.mark.parametrize("name", ["billion-laughs", "external-entity"])
def test_malicious_xml_is_refused(name: str) -> None:
    data = (FIXTURES / "exchange" / f"{name}.tmx").read_bytes().replace(b"<!DOCTYPE tmx", b"<!DOCTYPE xliff")
    with pytest.raises(ExchangeError, match="refused"):
        xliff.read_xliff(data, "x.xlf")


def test_only_xliff_1() -> None:
    with pytest.raises(ExchangeError, match="only XLIFF 1.2"):
        xliff.read_xliff(b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>', "x.xlf")


# --- Translate Toolkit ------------------------------------------------------------------------

def test_translate_toolkit_reads_states_notes_and_context() -> None:
    store = tt_xliff.xlifffile.parsestring(xliff.write_xliff(_catalog(), "a", "en", "ko")[0].encode())
    units = {u.source: u for u in store.units}
    reviewed = units["Floods & <b>rain</b>."]
    assert reviewed.target == "홍수 & <b>비</b>." and reviewed.isapproved() and not reviewed.isfuzzy()
    assert reviewed.getnotes("translator") == "checked by Kim" and reviewed.getnotes("developer") == "paragraph"
    assert units["A [link](https://x.org/?a=1&b=2)."].isfuzzy()
    assert not units["Empty one."].istranslated()
    po_store = pytest.importorskip("translate.storage.poxliff").PoXliffFile.parsestring(
        xliff.write_xliff(_catalog(), "a", "en", "ko")[0].encode())
    assert {u.source: u.getlocations() for u in po_store.units}["Empty one."] == ["source/a.md:1"]


def test_an_edit_in_translate_toolkit_comes_back() -> None:
    catalog = _catalog()
    store = tt_xliff.xlifffile.parsestring(xliff.write_xliff(catalog, "a", "en", "ko")[0].encode())
    units = {u.source: u for u in store.units}
    units["Empty one."].target = "빈 항목."
    units["Empty one."].markfuzzy(False)  # Translate Toolkit approves: approved="yes"
    units["A [link](https://x.org/?a=1&b=2)."].target = "[새 링크](https://x.org/?a=1&b=2)."
    units["A [link](https://x.org/?a=1&b=2)."].markfuzzy(True)  # setting a target approves it in the Toolkit
    [part] = xliff.read_xliff(bytes(store), "tt.xlf")
    result = xliff.apply(catalog, part.units)
    entries = {m.msgid: m for m in catalog.messages}
    assert (entries["Empty one."].msgstr, entries["Empty one."].reviewed) == ("빈 항목.", True)
    link = entries["A [link](https://x.org/?a=1&b=2)."]
    assert (link.msgstr, link.fuzzy) == ("[새 링크](https://x.org/?a=1&b=2).", True)
    assert result.changed == 2 and not result.downgraded


# --- through the CLI ------------------------------------------------------------------------

RELEASE = "# Floods\n\nThe floods displaced 12,000 people. IOM teams arrived.\n"


def test_export_then_import_round_trip(project: Callable[..., Path], cli: Callable[..., Result],
                                       tmp_path: Path) -> None:
    root = project({"2023/11/floods.md": RELEASE})
    cli(root, "extract")
    cli(root, "update")
    po = root / "locales/ko/2023/11/floods.po"
    catalog = parse_po(po.read_bytes(), "floods.po")
    catalog.messages[0].msgstr = "홍수"
    po.write_text(write_po(catalog), encoding="utf-8")
    out = tmp_path / "x"
    result = cli(root, "xliff", "export", "--locale", "ko", "-o", str(out))
    assert result.code == 0 and "exported 1 catalogs" in result.out
    exported = out / "ko/2023/11/floods.xlf"
    store = tt_xliff.xlifffile.parsestring(exported.read_bytes())
    units = {u.source: u for u in store.units}
    units["IOM teams arrived."].target = "IOM 팀이 도착했습니다."
    units["IOM teams arrived."].markfuzzy(False)
    units["Floods"].markfuzzy(True)
    exported.write_bytes(bytes(store))
    before = po.read_bytes()
    result = cli(root, "xliff", "import", str(exported))
    assert result.code == 0, result.err
    assert "2 entries changed" in result.out and 'now fuzzy, was reviewed: "Floods"' in result.out
    entries = {m.msgid: m for m in parse_po(po.read_bytes(), "floods.po").messages}
    assert entries["IOM teams arrived."].reviewed and entries["Floods"].fuzzy
    assert entries["The floods displaced 12,000 people."].untranslated
    assert po.read_bytes() != before
    again = cli(root, "xliff", "import", str(exported))  # nothing differs any more: nothing written
    assert "0 entries changed" in again.out and "wrote" not in again.out


def test_import_for_an_unknown_locale_is_an_error(project: Callable[..., Path], cli: Callable[..., Result],
                                                  tmp_path: Path) -> None:
    root = project({"a.md": RELEASE})
    path = tmp_path / "a.xlf"
    path.write_text(f'<xliff version="1.2" xmlns="{NS[1:-1]}"><file original="a" source-language="en" '
                    'target-language="de" datatype="po"><body/></file></xliff>')
    result = cli(root, "xliff", "import", str(path))
    assert result.code == 3 and "target-language 'de' is not a configured locale" in result.err
