"""XLIFF 1.2: export structure, states and schema validity; import rules, fingerprints and
conflicts; files of other CAT tools; unsafe XML; Translate Toolkit; CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, Result

from locpress.exchange import xliff, xliff_match
from locpress.exchange.tmx import ExchangeError
from locpress.gettext.catalog import (
    Catalog,
    Message,
    header_message,
    parse_po,
    write_po,
)

lxml_etree = pytest.importorskip("lxml.etree")
tt_xliff = pytest.importorskip("translate.storage.xliff")

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
          "needs-review-adaptation", "needs-review-l10n", "translated", "signed-off", "final"}
#: XLIFF 1.2 (xliff-core-1.2-strict.xsd): the children a trans-unit may have, in order.
UNIT_ORDER = ["source", "seg-source", "target"]
UNIT_TAIL = {"context-group", "count-group", "prop-group", "note", "alt-trans", "bin-unit"}
SCHEMAS = FIXTURES / "schemas"
EXCHANGE = FIXTURES / "exchange"


def _schema(name: str) -> object:
    """An official XLIFF 1.2 schema, its xml.xsd import pointed at the local copy (offline)."""
    text = (SCHEMAS / name).read_text(encoding="utf-8")
    text = text.replace("http://www.w3.org/2001/xml.xsd", (SCHEMAS / "xml.xsd").resolve().as_uri())
    return lxml_etree.XMLSchema(lxml_etree.fromstring(text.encode(), base_url=SCHEMAS.resolve().as_uri() + "/"))


_SCHEMAS: list[object] = []


def assert_valid(data: bytes | str) -> None:
    """Valid against both the strict and the transitional XLIFF 1.2 schema."""
    if not _SCHEMAS:
        _SCHEMAS.extend(_schema(n) for n in ("xliff-core-1.2-strict.xsd", "xliff-core-1.2-transitional.xsd"))
    document = lxml_etree.fromstring(data.encode() if isinstance(data, str) else data)
    for schema in _SCHEMAS:
        assert schema.validate(document), [str(e) for e in schema.error_log][:5]


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
    assert_valid(text)
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
    assert notes[:2] == [("developer", "paragraph"), ("translator", "checked by Kim")]
    assert notes[2][0] == "locpress" and notes[2][1].startswith(xliff.FINGERPRINT)
    assert "Gone." not in found


def test_read_back_what_we_wrote() -> None:
    catalog = _catalog()
    [part] = xliff.read_xliff(xliff.write_xliff(catalog, "2023/11/a", "en", "ko")[0].encode(), "a.xlf")
    assert (part.original, part.source_language, part.target_language) == ("2023/11/a", "en", "ko")
    live = [m for m in catalog.messages if not m.obsolete]
    assert [u.fingerprint for u in part.units] == [xliff.entry_fingerprint(m) for m in live]
    assert len(set(u.fingerprint for u in part.units)) == 4
    assert [(u.source, u.target, u.state, u.msgctxt, u.notes) for u in part.units] == [  # states and context
        ("Floods & <b>rain</b>.", "홍수 & <b>비</b>.", "reviewed", None, ("checked by Kim",)),
        ("A [link](https://x.org/?a=1&b=2).", "[링크](https://x.org/?a=1&b=2).", "fuzzy", None, ()),
        ("Empty one.", "", "empty", None, ()),
        ("Context", "문맥", "reviewed", "menu", ()),
    ]


def _unit(source: str, target: str | None, state: str, notes: tuple[str, ...] = (),
          exported: Message | None = None, msgctxt: str | None = None) -> xliff.XliffUnit:
    """A unit from elsewhere, or (with `exported`) one locpress exported from that entry."""
    mark = xliff.entry_fingerprint(exported) if exported is not None else None
    return xliff.XliffUnit(source, target, state, msgctxt, notes, mark)


def _entries(catalog: Catalog) -> dict[str, Message]:
    return {m.msgid: m for m in catalog.messages}


def test_exported_units_change_what_differs_and_say_when_a_reviewed_entry_gets_worse() -> None:
    catalog = _catalog()
    entries = _entries(catalog)
    reviewed, link, empty = (entries[k] for k in ("Floods & <b>rain</b>.", "A [link](https://x.org/?a=1&b=2).",
                                                  "Empty one."))
    prints = {m.msgid: Message(m.msgid, m.msgstr, m.msgctxt, flags=list(m.flags)) for m in catalog.messages}
    result = xliff.apply(catalog, [
        _unit(reviewed.msgid, reviewed.msgstr, "reviewed", exported=prints[reviewed.msgid]),  # the same
        _unit(link.msgid, link.msgstr, "reviewed", exported=prints[link.msgid]),  # signed off
        _unit(empty.msgid, "빈 것.", "fuzzy", ("new note",), exported=prints[empty.msgid]),
        _unit("Not in the catalog.", "없음.", "reviewed"),
    ], provenance="locpress: xliff from a.xlf")
    assert (result.changed, result.unchanged, result.missing, result.conflicts) == (2, 1, ["Not in the catalog."], [])
    assert link.reviewed and link.previous_msgid is None
    assert (empty.msgstr, empty.fuzzy, empty.translator_comments) == ("빈 것.", True, ["new note"])
    assert empty.auto_comments == ["heading", "locpress: xliff from a.xlf"]
    worse = xliff.apply(catalog, [_unit(reviewed.msgid, "홍수와 비.", "fuzzy", exported=prints[reviewed.msgid])])
    assert worse.downgraded == [reviewed.msgid] and reviewed.fuzzy and worse.conflicts == []
    kept = xliff.apply(catalog, [_unit("Empty one.", None, "empty")])
    assert kept.kept == ["Empty one."] and empty.msgstr == "빈 것."


def test_an_export_never_rolls_back_newer_work_in_the_catalog() -> None:
    """Issue 13: a reviewed translation edited in the .po after the export is not replaced."""
    catalog = _catalog()
    [part] = xliff.read_xliff(xliff.write_xliff(catalog, "a", "en", "ko")[0].encode(), "a.xlf")
    units = {u.source: u for u in part.units}
    entry = _entries(catalog)["Floods & <b>rain</b>."]
    entry.msgstr = "홍수와 <b>폭우</b>."  # the reviewer's newer text, in the catalog
    sent_back = [
        xliff.XliffUnit(entry.msgid, "홍수 & <b>비가</b>.", "reviewed", None, (), units[entry.msgid].fingerprint),
        units["Context"],  # left as exported: nothing to do, whatever the catalog did meanwhile
    ]
    _entries(catalog)["Context"].msgstr = "맥락"
    result = xliff.apply(catalog, sent_back)
    assert entry.msgstr == "홍수와 <b>폭우</b>." and entry.reviewed
    assert _entries(catalog)["Context"].msgstr == "맥락"
    assert [(c.msgid, c.ours, c.theirs, c.why) for c in result.conflicts] == [
        (entry.msgid, "홍수와 <b>폭우</b>.", "홍수 & <b>비가</b>.", xliff.CHANGED_SINCE)]
    assert (result.changed, result.unchanged) == (0, 2)
    forced = xliff.apply(catalog, sent_back, overwrite_reviewed=True)
    assert entry.msgstr == "홍수 & <b>비가</b>." and [c.msgid for c in forced.overwritten] == [entry.msgid]


def test_a_foreign_xliff_fills_empty_and_fuzzy_entries_but_not_reviewed_ones() -> None:
    catalog = _catalog()
    entries = _entries(catalog)
    result = xliff.apply(catalog, [
        _unit("Floods & <b>rain</b>.", "다른 번역.", "reviewed"),  # reviewed in the catalog: a conflict
        _unit("A [link](https://x.org/?a=1&b=2).", "[새](https://x.org/?a=1&b=2).", "fuzzy"),  # fuzzy: replaced
        _unit("Empty one.", "빈 것.", "reviewed"),  # empty: filled, reviewed as the tool says
        _unit("Context", "문맥", "fuzzy"),  # same text, the tool keeps no sign-off: not a downgrade
    ])
    assert entries["Floods & <b>rain</b>."].msgstr == "홍수 & <b>비</b>." and entries["Floods & <b>rain</b>."].reviewed
    assert entries["A [link](https://x.org/?a=1&b=2)."].msgstr == "[새](https://x.org/?a=1&b=2)."
    assert entries["Empty one."].reviewed and entries["Context"].reviewed
    assert [(c.msgid, c.why) for c in result.conflicts] == [("Floods & <b>rain</b>.", xliff.REVIEWED_ENTRY)]
    assert (result.changed, result.unchanged, result.downgraded) == (2, 2, [])
    forced = xliff.apply(catalog, [_unit("Floods & <b>rain</b>.", "다른 번역.", "fuzzy")], overwrite_reviewed=True)
    assert entries["Floods & <b>rain</b>."].fuzzy and forced.downgraded == ["Floods & <b>rain</b>."]


def test_a_unit_without_context_matches_the_one_entry_with_its_source() -> None:
    catalog = _catalog()
    catalog.messages.append(Message("Twice", "두 번 1", msgctxt="a", flags=["fuzzy"]))
    catalog.messages.append(Message("Twice", "두 번 2", msgctxt="b", flags=["fuzzy"]))
    result = xliff.apply(catalog, [_unit("Context", "컨텍스트", "fuzzy"), _unit("Twice", "둘", "fuzzy"),
                                   _unit("Twice", "둘 b", "fuzzy", msgctxt="b")])
    entries = {m.key: m for m in catalog.messages}
    assert [c.msgid for c in result.conflicts] == ["Context"]  # found (reviewed, so not replaced)
    assert result.missing == ["Twice"] and entries[("b", "Twice")].msgstr == "둘 b"


@pytest.mark.parametrize("original,release,how", [
    ("2023/11/floods", "2023/11/floods", ""),
    ("locales/ko/2023/11/floods.po", "2023/11/floods", "file name"),
    ("floods.md", "2023/11/floods", "file name"),
    ("C:\\Users\\kim\\Studio\\ko-KR\\floods.md.xlf.sdlxliff", "2023/11/floods", "file name"),
    ("/home/kim/project/source/2023/11/floods.md", "2023/11/floods", "file name"),
    ("news.md", None, ""),  # two releases are called news: the name does not say which
    ("IOM_Floods.docx", None, ""),
])
def test_original_names_a_release_the_way_each_tool_writes_it(original: str, release: str | None, how: str) -> None:
    found, said = xliff_match.release_for(original, ["2023/11/floods", "2023/11/news", "2024/01/news"],
                                          ["locales/ko/", "locales/templates/", "source/"])
    assert found == release and how in said and (said == "") == (how == "")


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
    # What a Translate Toolkit user loses for a valid file: it reads only context groups named
    # "po-reference", a name the schema allows once per <file>; locpress restores them from the template.
    assert {u.source: u.getlocations() for u in po_store.units}["Empty one."] == []


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
    assert result.code == 0 and "exported 1 catalog as XLIFF" in result.out
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


def test_every_export_of_a_project_validates(project: Callable[..., Path], cli: Callable[..., Result],
                                             tmp_path: Path) -> None:
    root = project({"2023/11/floods.md": RELEASE, "a.md": "# A & <b>\n\n- One. Two.\n- `code` [x](https://x.org/?a&b).\n"},
                   locales=("ko", "zh_Hans", "ar"))
    cli(root, "extract")
    cli(root, "update")
    result = cli(root, "xliff", "export", "-o", str(tmp_path / "x"))
    files = sorted((tmp_path / "x").rglob("*.xlf"))
    assert result.code == 0 and "exported 6 catalogs as XLIFF 1.2" in result.out and len(files) == 6
    for path in files:
        assert_valid(path.read_bytes())


# --- other CAT tools ----------------------------------------------------------------------------

FLOODS = "# Floods\n\nThe floods displaced 12,000 people. IOM teams arrived.\n\nFor more information, contact the press office.\n"
APPEAL = "# Appeal\n\nIOM appeals for USD 12.5 million.\n\nFor more information, contact the press office.\n"


def _two_releases(project: Callable[..., Path], cli: Callable[..., Result]) -> Path:
    root = project({"2023/11/floods.md": FLOODS, "2023/12/appeal.md": APPEAL})
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    return root


def _states(root: Path, release: str) -> dict[str, tuple[str, str]]:
    catalog = parse_po((root / f"locales/ko/{release}.po").read_bytes(), "x.po")
    return {m.msgid: (m.msgstr, xliff.state(m)) for m in catalog.messages}


def test_translate_toolkit_po2xliff_output_is_imported(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    """tests/fixtures/exchange/tt-po2xliff-floods.xlf: po2xliff (Translate Toolkit 3.20.4) of the
    catalog, edited with the Toolkit: XLIFF 1.1 namespace, a gettext header unit, original= the .po path."""
    root = _two_releases(project, cli)
    result = cli(root, "xliff", "import", str(EXCHANGE / "tt-po2xliff-floods.xlf"))
    assert result.code == 0, result.err
    assert ('into locales/ko/2023/11/floods.po (matched by file name: original "locales/ko/2023/11/floods.po"): '
            "3 entries changed, 1 unchanged") in result.out
    assert "no such entry" not in result.out and "Project-Id-Version" not in result.out  # the header unit
    states = _states(root, "2023/11/floods")
    assert states["Floods"] == ("홍수", "reviewed") and states["IOM teams arrived."] == ("IOM 팀이 도착했습니다.", "reviewed")
    assert states["The floods displaced 12,000 people."] == ("홍수로 1만 2천 명이 집을 잃었습니다.", "fuzzy")
    catalog = parse_po((root / "locales/ko/2023/11/floods.po").read_bytes(), "x.po")
    floods = next(m for m in catalog.messages if m.msgid == "Floods")
    assert floods.translator_comments == ["checked by Kim"]  # TT's <note from="po-translator">
    assert "locpress: xliff from tt-po2xliff-floods.xlf" in floods.auto_comments  # a bare name: outside the project


def test_po2xliff_run_now_on_our_catalog_comes_back(project: Callable[..., Path], cli: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    po2xliff = pytest.importorskip("translate.convert.po2xliff")
    root = _two_releases(project, cli)
    po = root / "locales/ko/2023/12/appeal.po"
    out = tmp_path / "appeal.xlf"
    with po.open("rb") as source, out.open("wb") as target:
        po2xliff.convertpo(source, target, None)
    store = tt_xliff.xlifffile.parsefile(str(out))
    unit = next(u for u in store.units if u.source == "Appeal")
    unit.target = "호소"
    unit.markfuzzy(False)
    out.write_bytes(bytes(store))
    result = cli(root, "xliff", "import", str(out))
    assert result.code == 0 and "matched by file name" in result.out and "1 entry changed" in result.out
    assert _states(root, "2023/12/appeal")["Appeal"] == ("호소", "reviewed")


def test_okapi_file_with_segmented_paragraphs(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = _two_releases(project, cli)
    result = cli(root, "xliff", "import", str(EXCHANGE / "okapi-floods.xlf"))
    assert result.code == 0 and 'matched by file name: original "floods.md"' in result.out
    states = _states(root, "2023/11/floods")
    assert states["Floods"] == ("홍수 피해", "fuzzy")  # no state: a translation to review
    assert states["The floods displaced 12,000 people."] == ("홍수로 1만 2천 명이 피란했습니다.", "fuzzy")  # mrk mid 0
    assert states["IOM teams arrived."] == ("IOM 팀이 도착했습니다.", "fuzzy")  # mrk mid 1
    assert states["For more information, contact the press office."][1] == "reviewed"  # signed-off


def test_memoq_file_is_matched_by_content(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = _two_releases(project, cli)
    result = cli(root, "xliff", "import", str(EXCHANGE / "memoq-floods.mqxliff"))
    assert result.code == 0, result.err
    assert ('(original "IOM_Floods_Nov2023.docx" is not a release: matched by content, 3 of 4 units): '
            "2 entries changed") in result.out
    assert 'in no catalog: "Photo: IOM/Kim"' in result.out and "appeal.po" not in result.out
    states = _states(root, "2023/11/floods")
    assert states["Floods"] == ("홍수", "reviewed")  # Reviewer1Confirmed
    assert states["The floods displaced 12,000 people."][1] == "fuzzy"  # ManuallyConfirmed: the translator's
    assert states["IOM teams arrived."] == ("", "empty")  # NotStarted


def test_trados_sdlxliff_states_per_segment(project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = _two_releases(project, cli)
    result = cli(root, "xliff", "import", str(EXCHANGE / "trados-appeal.sdlxliff"))
    assert result.code == 0, result.err
    assert 'into locales/ko/2023/12/appeal.po (matched by file name: original "C:\\Users' in result.out
    assert "3 entries changed, 0 unchanged" in result.out and "floods.po" not in result.out
    appeal = _states(root, "2023/12/appeal")
    assert appeal["Appeal"] == ("긴급 호소", "reviewed")  # ApprovedSignOff
    assert appeal["IOM appeals for USD 12.5 million."] == ("IOM은 1,250만 달러를 호소합니다.", "fuzzy")  # Translated
    assert appeal["For more information, contact the press office."] == (
        "자세한 내용은 언론 담당실에 문의하십시오.", "reviewed")  # ApprovedTranslation


def test_phrase_boilerplate_fills_each_catalog_and_never_replaces_reviewed_work(
        project: Callable[..., Path], cli: Callable[..., Result]) -> None:
    root = _two_releases(project, cli)
    contact = "For more information, contact the press office."
    phrase = str(EXCHANGE / "phrase-boilerplate.mxliff")
    result = cli(root, "xliff", "import", phrase)
    assert result.code == 0, result.err
    assert '(original "iom-boilerplate.txt" is not a release: matched by content, 1 of 2 units)' in result.out
    assert result.out.count(f'also in other catalogs, filled in each: "{contact}"') == 2
    assert 'in no catalog: "IOM is the UN Migration Agency."' in result.out
    theirs = ("자세한 내용은 홍보실로 문의하십시오.", "fuzzy")  # m:confirmed is a translator's: fuzzy
    assert _states(root, "2023/11/floods")[contact] == theirs and _states(root, "2023/12/appeal")[contact] == theirs
    assert cli(root, "xliff", "import", str(EXCHANGE / "trados-appeal.sdlxliff")).code == 0  # reviewed in appeal
    before = (root / "locales/ko/2023/12/appeal.po").read_bytes()
    again = cli(root, "xliff", "import", phrase)
    assert again.out.count(f'conflict: "{contact}"') == 1 and "1 conflict in" in again.out
    assert (root / "locales/ko/2023/12/appeal.po").read_bytes() == before
    forced = cli(root, "xliff", "import", "--overwrite-reviewed", phrase)
    assert forced.code == 0 and forced.out.count("overwritten (--overwrite-reviewed)") == 1
    assert _states(root, "2023/12/appeal")[contact] == theirs


def test_import_after_the_catalog_changed_reports_the_conflict(project: Callable[..., Path],
                                                               cli: Callable[..., Result], tmp_path: Path) -> None:
    """Issue 13: an XLIFF exported before a reviewed translation was edited in the .po."""
    root = project({"2023/11/floods.md": RELEASE})
    cli(root, "extract")
    cli(root, "update")
    po = root / "locales/ko/2023/11/floods.po"
    catalog = parse_po(po.read_bytes(), "floods.po")
    catalog.messages[0].msgstr = "홍수"
    po.write_text(write_po(catalog), encoding="utf-8")
    cli(root, "xliff", "export", "-o", str(tmp_path / "x"))
    exported = tmp_path / "x/ko/2023/11/floods.xlf"
    store = tt_xliff.xlifffile.parsestring(exported.read_bytes())
    units = {u.source: u for u in store.units}
    units["Floods"].target = "홍수 (옛 번역)"
    units["IOM teams arrived."].target = "IOM 팀이 도착했습니다."
    exported.write_bytes(bytes(store))
    catalog.messages[0].msgstr = "대홍수"  # the reviewer's newer work, after the export
    po.write_text(write_po(catalog), encoding="utf-8")
    result = cli(root, "xliff", "import", str(exported))
    assert result.code == 0
    assert ('conflict: "Floods": the catalog entry changed since the export; kept the catalog\'s "대홍수", '
            'not the XLIFF\'s "홍수 (옛 번역)"') in result.out and "1 conflict in" in result.out
    states = _states(root, "2023/11/floods")
    assert states["Floods"] == ("대홍수", "reviewed") and states["IOM teams arrived."][0] == "IOM 팀이 도착했습니다."
    forced = cli(root, "xliff", "import", "--overwrite-reviewed", str(exported))
    assert "overwritten (--overwrite-reviewed)" in forced.out and _states(root, "2023/11/floods")["Floods"][0] == "홍수 (옛 번역)"


def test_a_file_no_catalog_has_is_an_error_and_the_next_file_is_still_imported(
        project: Callable[..., Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    root = _two_releases(project, cli)
    alien = tmp_path / "alien.xlf"
    alien.write_text(f'<xliff version="1.2" xmlns="{NS[1:-1]}"><file original="x.docx" source-language="en" '
                     'target-language="ko" datatype="plaintext"><body><trans-unit id="1"><source>Nothing here.'
                     '</source><target>없음</target></trans-unit></body></file></xliff>', encoding="utf-8")
    result = cli(root, "xliff", "import", str(alien), str(EXCHANGE / "okapi-floods.xlf"))
    assert result.code == 3
    assert ('original "x.docx" is not a release of this project, and none of its 1 unit is in a catalog of ko'
            in result.err)
    assert "okapi-floods.xlf into locales/ko/2023/11/floods.po" in result.out
