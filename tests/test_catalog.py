"""Tests for locpress.gettext.catalog, checked against GNU gettext (msgfmt, msgcat, msgmerge)."""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locpress.errors import CatalogError
from locpress.gettext.catalog import (
    FUZZY_THRESHOLD,
    Catalog,
    FuzzyMatcher,
    Message,
    canonical_flags,
    header_message,
    header_value,
    merge,
    parse_po,
    stats,
    write_po,
)

FIXTURES = Path(__file__).parent / "fixtures" / "po"
REAL = sorted(p for p in FIXTURES.glob("*.po") if "excerpt" not in p.name)
DUPLICATES = FIXTURES / "whatsnew_changelog_excerpt.po"
HAVE_GETTEXT = all(shutil.which(tool) for tool in ("msgfmt", "msgcat", "msgmerge"))
needs_gettext = pytest.mark.skipif(not HAVE_GETTEXT, reason="GNU gettext tools not installed")

HEADER = [
    ("Project-Id-Version", "locpress 0.1"),
    ("Report-Msgid-Bugs-To", ""),
    ("POT-Creation-Date", "2026-11-27 10:00+0000"),
    ("PO-Revision-Date", "2026-11-27 10:00+0000"),
    ("Last-Translator", "locpress"),
    ("Language-Team", "Korean"),
    ("Language", "ko"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=1; plural=0;"),
    ("X-Generator", "locpress 0.1"),
]
HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def run(args: list[str], path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*args, str(path)], capture_output=True, text=True, check=False)


def catalog(messages: list[Message], fields: list[tuple[str, str]] = HEADER) -> Catalog:
    return Catalog(header=header_message(fields), messages=messages)


def without_lines(messages: list[Message]) -> list[Message]:
    return [dataclasses.replace(m, lineno=0) for m in messages]


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    out = run(["msgfmt", "--statistics", "-o", "/dev/null"], path).stderr
    found = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out)}
    return (found.get("translated", 0), found.get("fuzzy", 0), found.get("untranslated", 0))


# --------------------------------------------------------------------------- real catalogs


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_catalog_round_trip_is_idempotent(path: Path) -> None:
    first = parse_po(path.read_bytes(), str(path))
    text = write_po(first)
    again = parse_po(text.encode(), "again.po")
    assert write_po(again) == text
    live = [m for m in first.messages if not (m.obsolete and m.untranslated)]
    assert len(again.messages) == len(live)


@needs_gettext
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_catalog_written_like_msgcat(path: Path) -> None:
    expected = run(["msgcat", "--no-wrap"], path).stdout
    assert write_po(parse_po(path.read_bytes(), str(path))) == expected


@needs_gettext
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_catalog_stats_match_msgfmt(path: Path) -> None:
    result = stats(parse_po(path.read_bytes(), str(path)))
    assert (result.reviewed, result.fuzzy, result.untranslated) == msgfmt_statistics(path)
    assert result.total == result.reviewed + result.fuzzy + result.untranslated


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_catalog_agrees_with_polib(path: Path) -> None:
    ours = parse_po(path.read_bytes(), str(path))
    theirs = polib.pofile(str(path), wrapwidth=0)
    assert len(theirs) == len(ours.messages)
    for mine, entry in zip(ours.messages, theirs, strict=True):
        assert (mine.msgctxt, mine.msgid, mine.msgid_plural or "") == (
            entry.msgctxt,
            entry.msgid,
            entry.msgid_plural,
        )
        assert mine.obsolete == entry.obsolete
        if mine.msgid_plural is None:
            assert mine.msgstr == entry.msgstr
        else:
            assert mine.msgstr_plural == {int(k): v for k, v in entry.msgstr_plural.items()}
        assert mine.flags == entry.flags
        if not mine.obsolete:  # polib does not read '#~|' lines
            assert mine.previous_msgid == entry.previous_msgid
            assert mine.references == [f"{f}:{n}" if n else f for f, n in entry.occurrences]
            # polib drops a trailing empty '#.' line
            assert "\n".join(mine.auto_comments).rstrip("\n") == entry.comment


def test_duplicate_msgid_is_reported_at_the_second_definition() -> None:
    with pytest.raises(CatalogError) as info:
        parse_po(DUPLICATES.read_bytes(), str(DUPLICATES))
    assert info.value.line == 859
    assert info.value.path == str(DUPLICATES)
    assert "duplicate message definition" in info.value.message


@needs_gettext
def test_duplicate_line_is_msgfmt_line() -> None:
    out = run(["msgfmt", "--check", "-o", "/dev/null"], DUPLICATES).stderr
    first = re.search(r":(\d+): duplicate message definition", out)
    assert first is not None and int(first.group(1)) == 859


def test_parse_of_a_large_catalog() -> None:
    """Reads every entry of a 12,288-entry catalog (its speed is bench/spine.py's to measure)."""
    messages = [
        Message(
            msgid=f"Sentence {i} of a long changelog with `markup` and \"quotes\".\nSecond line.",
            references=[f"../NEWS:{i}"],
            msgctxt="ctx" if i % 7 == 0 else None,
        )
        for i in range(12_288)
    ]
    data = write_po(catalog(messages)).encode()
    parsed = parse_po(data, "big.po")
    assert [m.msgid for m in parsed.messages] == [m.msgid for m in messages]


# --------------------------------------------------------------------------- strict reader

BAD = [
    # name, body after a valid header (or whole file), expected line, message part, msgfmt rejects
    ("unterminated", 'msgid "abc\nmsgstr "x"\n', 6, "end-of-line within string", True),
    ("unterminated-msgstr", 'msgid "abc"\nmsgstr "x\n', 7, "end-of-line within string", True),
    ("unterminated-continuation", 'msgid "abc"\nmsgstr ""\n"cont\n', 8, "end-of-line within", True),
    ("unterminated-eof", 'msgid "abc"\nmsgstr "x', 6, "end-of-file within string", True),
    ("escape", 'msgid "a\\qb"\nmsgstr "x"\n', 5, "invalid escape sequence '\\q'", True),
    ("escape-unicode", 'msgid "\\u00e9"\nmsgstr "x"\n', 5, "invalid escape sequence", True),
    ("escape-quote", "msgid \"it\\'s\"\nmsgstr \"x\"\n", 5, "invalid escape sequence", True),
    ("order", 'msgstr "x"\nmsgid "a"\n', 5, "syntax error", True),
    ("missing-msgstr", 'msgid "a"\n\nmsgid "b"\nmsgstr "y"\n', 5, "missing 'msgstr'", True),
    ("missing-msgstr-eof", 'msgid "a"\n', 5, "missing 'msgstr' section", True),
    ("duplicate", 'msgid "a"\nmsgstr "x"\n\nmsgid "b"\nmsgstr "y"\n\nmsgid "a"\nmsgstr "z"\n', 11,
     "duplicate message definition", True),
    ("duplicate-obsolete", 'msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n', 8,
     "duplicate message definition", True),
    ("plural-index", 'msgid "a"\nmsgid_plural "b"\nmsgstr[1] "x"\n', 7, "nonzero index", True),
    ("plural-missing", 'msgid "a"\nmsgstr[0] "x"\n', 5, "missing 'msgid_plural'", True),
    ("unknown-keyword", 'msgid "a"\nmsgstr "x"\nfoo\n', 7, "keyword 'foo' unknown", True),
    ("trailing-junk", 'msgid "a"\nmsgstr "x" junk\n', 6, "keyword 'junk' unknown", True),
    ("inconsistent-obsolete", 'msgid "a"\n#~ msgstr "x"\n', 6, "inconsistent use of #~", True),
    ("bad-utf8", 'msgid "a"\nmsgstr "b\udcff"\n', 6, "invalid multibyte sequence", True),
]  # fmt: skip


def bad_bytes(body: str) -> bytes:
    return (HEAD + body).encode("utf-8", "surrogateescape")


@pytest.mark.parametrize(("name", "body", "line", "what", "gnu"), BAD, ids=[b[0] for b in BAD])
def test_reader_rejects_like_msgfmt(name: str, body: str, line: int, what: str, gnu: bool) -> None:
    with pytest.raises(CatalogError) as info:
        parse_po(bad_bytes(body), f"{name}.po")
    assert (info.value.path, info.value.line) == (f"{name}.po", line)
    assert what in info.value.message


@needs_gettext
@pytest.mark.parametrize(("name", "body", "line", "what", "gnu"), BAD, ids=[b[0] for b in BAD])
def test_msgfmt_gives_the_same_line(
    tmp_path: Path, name: str, body: str, line: int, what: str, gnu: bool
) -> None:
    path = tmp_path / f"{name}.po"
    path.write_bytes(bad_bytes(body))
    result = run(["msgfmt", "--check", "-o", "/dev/null"], path)
    assert result.returncode != 0
    errors = [ln for ln in result.stderr.splitlines() if "warning" not in ln and f"{name}.po:" in ln]
    assert errors and errors[0].split(":")[1] == str(line)


POLICY = [
    # errors by our policy (msgfmt accepts or words it differently), with the line we report
    ("bom", b"\xef\xbb\xbf" + HEAD.encode() + b'msgid "a"\nmsgstr "b"\n', 1, "byte order mark"),
    ("no-charset", b'msgid ""\nmsgstr "Project-Id-Version: x\\n"\n', 1, "no charset"),
    ("latin1", b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n', 1,
     "only UTF-8"),
    ("charset-placeholder", b'msgid ""\nmsgstr "Content-Type: text/plain; charset=CHARSET\\n"\n',
     1, "only UTF-8"),
    ("no-header", b'msgid "a"\nmsgstr "b"\n', 1, "header entry"),
    ("empty", b"", 1, "header entry"),
    ("header-not-first", b'msgid "a"\nmsgstr "b"\n\n' + HEAD.encode(), 1, "header entry"),
    ("eot", HEAD.encode() + b'msgid "a\x04b"\nmsgstr "b"\n', 5, "<EOT>"),
    ("octal-not-utf8", HEAD.encode() + b'msgid "\\351"\nmsgstr "b"\n', 5, "multibyte"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "line", "what"), POLICY, ids=[p[0] for p in POLICY])
def test_reader_refuses_conventions_we_do_not_rewrite(
    name: str, data: bytes, line: int, what: str
) -> None:
    with pytest.raises(CatalogError) as info:
        parse_po(data, f"{name}.po")
    assert info.value.line == line
    assert what in info.value.message


def test_reader_accepts_gnu_escapes_and_layout() -> None:
    data = HEAD + (
        '#  two spaces\n#.extracted\n#: a.md:1 ./b.md:2\n#: a.md:1 c.md\n#, fuzzy, c-format\n'
        '#| msgctxt "old"\n#| msgid "o"\n#| "ld"\nmsgctxt "k"\nmsgid "A\\x42\\103 \\303\\251 \\t\\"\\\\"\n'
        '  msgstr "" "x"\n"y"\n'
    )
    message = parse_po(data.encode(), "ok.po").messages[0]
    assert message.msgid == 'ABC é \t"\\'
    assert message.msgstr == "xy"
    assert message.translator_comments == [" two spaces"]
    assert message.auto_comments == ["extracted"]
    assert message.references == ["a.md:1", "./b.md:2", "c.md"]
    assert (message.previous_msgctxt, message.previous_msgid) == ("old", "old")
    assert message.fuzzy and message.lineno == 14


def test_reader_splices_backslash_newline_like_gnu() -> None:
    data = HEAD + '# C:\\\n# next\nmsgid "ab\\\ncd"\nmsgstr "x"\n'
    message = parse_po(data.encode(), "splice.po").messages[0]
    assert message.translator_comments == ["C:# next"]
    assert (message.msgid, message.lineno) == ("abcd", 7)


def test_message_states() -> None:
    plural = Message("a", msgid_plural="as", msgstr_plural={0: "x", 1: ""})
    assert plural.translated and not plural.reviewed  # msgfmt counts msgstr[0] only
    empty_fuzzy = Message("b", flags=["fuzzy"])
    assert empty_fuzzy.untranslated and not empty_fuzzy.fuzzy
    assert Message("c", "y").reviewed
    assert Message("d", "y", flags=["fuzzy"]).fuzzy


# --------------------------------------------------------------------------- canonical writer


def test_writer_layout() -> None:
    refs = [f"source/releases/2026/very-long-press-release-name-{i}.md:{i}" for i in range(3)]
    cat = catalog(
        [
            Message("multi\nline", "a\n\n", references=refs, flags=["c-format", "my-flag", "fuzzy"]),
            Message("tab\tquote\"back\\slash\n", "ok\n", previous_msgid="p\nq",
                    flags=["fuzzy", "no-wrap", "python-format"]),
            Message("gone", "", obsolete=True),
            Message("kept", "번역", obsolete=True, previous_msgid="kep", flags=["fuzzy"]),
        ]
    )  # fmt: skip
    body = write_po(cat).split("\n\n", 1)[1]
    assert body == (
        f"#: {refs[0]}\n#: {refs[1]}\n#: {refs[2]}\n"
        '#, fuzzy, c-format\nmsgid ""\n"multi\\n"\n"line"\nmsgstr ""\n"a\\n"\n"\\n"\n\n'
        '#, fuzzy, python-format, no-wrap\n#| msgid ""\n#| "p\\n"\n#| "q"\n'
        'msgid "tab\\tquote\\"back\\\\slash\\n"\nmsgstr "ok\\n"\n\n'
        '#, fuzzy\n#~| msgid "kep"\n#~ msgid "kept"\n#~ msgstr "번역"\n'
    )


def test_canonical_flags_follow_gnu_order() -> None:
    message = Message("a", "b", flags=["no-wrap", "wrap", "sh-format", "no-c-format", "fuzzy",
                                       "range: 0..9", "impossible-perl-format", "custom"])  # fmt: skip
    assert canonical_flags(message) == ["fuzzy", "no-c-format", "sh-format", "range: 0..9"]


TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_characters="\x00\x04"),
        st.sampled_from(list('\\"\t\n\r\a\b\f\v 한국어 العربية')),
    ),
    max_size=30,
)
# GNU's lexer splices a backslash-newline, so no comment line may end with a backslash.
LINE = st.text(st.characters(codec="utf-8", exclude_characters="\x00\x04\n\r"), max_size=20).map(
    lambda text: text.rstrip("\\")
)
REFERENCE = st.from_regex(r"\A[a-z][a-z0-9_/.-]{0,30}(:[1-9][0-9]{0,3})?\Z")


def same_edges(value: str, like: str) -> str:
    """msgfmt --check wants msgid and msgstr to agree on a leading/trailing newline."""
    if not value:
        return value
    core = value.strip("\n") or "x"
    return ("\n" if like.startswith("\n") else "") + core + ("\n" if like.endswith("\n") else "")


@st.composite
def messages(draw: st.DrawFn, msgid: str) -> Message:
    plural = draw(st.booleans()) and draw(st.booleans())
    obsolete = draw(st.integers(0, 5)) == 0
    previous = draw(st.none() | TEXT)
    message = Message(
        msgid=msgid,
        msgctxt=draw(st.none() | TEXT),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "no-c-format", "no-wrap", "x-y"]),
                            unique=True, max_size=3)),
        auto_comments=[] if obsolete else draw(st.lists(LINE, max_size=2)),
        translator_comments=draw(st.lists(LINE, max_size=2)),
        references=[] if obsolete else draw(st.lists(REFERENCE, unique=True, max_size=12)),
        previous_msgid=previous,
        previous_msgctxt=draw(st.none() | TEXT) if previous is not None else None,
        obsolete=obsolete,
    )  # fmt: skip
    if plural:
        message.msgid_plural = same_edges(draw(TEXT) or "p", msgid)
        first, second = draw(TEXT), draw(TEXT) or "y"
        message.msgstr_plural = {0: same_edges(first, msgid), 1: same_edges(second, msgid)}
        if not first:
            message.msgstr_plural[1] = ""
        if previous is not None:
            message.previous_msgid_plural = draw(st.none() | TEXT)
    else:
        message.msgstr = same_edges(draw(TEXT), msgid)
    return message


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    ids = draw(st.lists(TEXT.filter(bool), min_size=1, max_size=25, unique=True))
    fields = [*HEADER[:-2], ("Plural-Forms", "nplurals=2; plural=(n != 1);")]
    return catalog([draw(messages(msgid)) for msgid in ids], fields)


@needs_gettext
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_written_catalogs_are_msgcat_canonical_and_pass_msgfmt(tmp_path_factory, cat) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("w") / "w.po"
    text = write_po(cat)
    path.write_text(text, encoding="utf-8")
    cat_result = run(["msgcat", "--no-wrap", "--force-po"], path)
    assert cat_result.stdout == text, cat_result.stderr
    check = run(["msgfmt", "--check", "-o", "/dev/null"], path)
    assert check.returncode == 0, check.stderr
    kept = [m for m in cat.messages if not m.obsolete]
    kept += [m for m in cat.messages if m.obsolete and not m.untranslated]
    expected = [dataclasses.replace(m, flags=canonical_flags(m)) for m in kept]
    assert without_lines(parse_po(text.encode(), "w.po").messages) == expected


@needs_gettext
def test_full_header_passes_msgfmt_check_silently(tmp_path: Path) -> None:
    cat = catalog([Message("One.", "하나."), Message("File", msgid_plural="Files",
                                                     msgstr_plural={0: "파일"})])  # fmt: skip
    path = tmp_path / "ko.po"
    path.write_text(write_po(cat), encoding="utf-8")
    result = run(["msgfmt", "--check", "-o", "/dev/null"], path)
    assert (result.returncode, result.stderr) == (0, "")
    assert header_value(parse_po(path.read_bytes(), str(path)), "plural-forms") == (
        "nplurals=1; plural=0;"
    )
    assert header_value(cat, "X-Unknown") is None


# --------------------------------------------------------------------------- statistics


@needs_gettext
def test_stats_plural_and_fuzzy_edge_cases(tmp_path: Path) -> None:
    cat = catalog(
        [
            Message("a", msgid_plural="as", msgstr_plural={0: "", 1: ""}),
            Message("b", msgid_plural="bs", msgstr_plural={0: "x"}, flags=["fuzzy"]),
            Message("c two words", msgid_plural="cs", msgstr_plural={0: "x"}),
            Message("d", flags=["fuzzy"]),
            Message("e", "y"),
            Message("f", "z", obsolete=True),
        ]
    )
    path = tmp_path / "s.po"
    path.write_text(write_po(cat), encoding="utf-8")
    result = stats(cat)
    assert (result.reviewed, result.fuzzy, result.untranslated) == msgfmt_statistics(path)
    assert result == stats(parse_po(path.read_bytes(), str(path)))
    assert (result.total, result.words, result.reviewed_words) == (5, 7, 4)


# --------------------------------------------------------------------------- merge


def gnu_merge(tmp_path: Path, old: Catalog, template: Catalog) -> str:
    (tmp_path / "old.po").write_text(write_po(old), encoding="utf-8")
    (tmp_path / "new.pot").write_text(write_po(template), encoding="utf-8")
    result = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", "old.po", "new.pot"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def body(text: str) -> str:
    return text.split("\n\n", 1)[1] if "\n\n" in text else ""


def drop_same_previous(text: str) -> str:
    """Our one deliberate difference: no '#|' that repeats the entry's own msgid."""
    cat = parse_po(text.encode(), "gnu.po")
    for m in cat.messages:
        if (m.previous_msgctxt, m.previous_msgid, m.previous_msgid_plural) == m.key + (
            m.msgid_plural,
        ):
            m.previous_msgctxt = m.previous_msgid = m.previous_msgid_plural = None
    return write_po(cat)


def assert_merge_like_msgmerge(tmp_path: Path, old: Catalog, template: Catalog) -> Catalog:
    ours = merge(template, old, HEADER)
    assert body(write_po(ours)) == body(drop_same_previous(gnu_merge(tmp_path, old, template)))
    return ours


def pot(*msgids: str | tuple[str, str]) -> Catalog:
    entries = []
    for i, item in enumerate(msgids):
        ctxt, msgid = item if isinstance(item, tuple) else (None, item)
        entries.append(Message(msgid, msgctxt=ctxt, references=[f"release.md:{i + 1}"],
                               auto_comments=["paragraph"]))  # fmt: skip
    return catalog(entries)


OLD = catalog(
    [
        Message("Acme launches the Rocket 3 in Seoul today.", "애크미가 오늘 서울에서 로켓 3을 출시합니다.",
                translator_comments=["checked by legal"], references=["old.md:1"]),
        Message("Revenue grew 20 percent in the third quarter.", "3분기 매출이 20% 증가했습니다."),
        Message("Contact: press@acme.example", "문의: press@acme.example"),
        Message("The product ships in March.", "제품은 3월에 출시됩니다.", flags=["fuzzy"],
                previous_msgid="The product ships in February."),
        Message("About Acme", "애크미 소개", obsolete=True),
        Message("Acme was founded in 1999.", "애크미는 1999년에 설립되었습니다.", obsolete=True,
                flags=["fuzzy"]),
        Message("Untranslated sentence here.", ""),
    ]
)  # fmt: skip


@needs_gettext
def test_merge_changed_removed_resurrected_reordered(tmp_path: Path) -> None:
    template = pot(
        "About Acme",  # resurrected, reviewed again
        "Revenue grew 25 percent in the third quarter.",  # edited: fuzzy from the old one
        "Acme launches the Rocket 3 in Seoul today.",  # moved up, exact
        "Acme was founded in 1999.",  # resurrected, stays fuzzy
        "The product ships in March.",  # fuzzy kept with its #|
        "A completely new paragraph about something else.",
    )
    ours = assert_merge_like_msgmerge(tmp_path, OLD, template)
    by_id = {m.msgid: m for m in ours.messages}
    assert by_id["About Acme"].reviewed
    assert by_id["Acme was founded in 1999."].fuzzy
    edited = by_id["Revenue grew 25 percent in the third quarter."]
    assert edited.fuzzy and edited.previous_msgid == "Revenue grew 20 percent in the third quarter."
    exact = by_id["Acme launches the Rocket 3 in Seoul today."]
    assert exact.translator_comments == ["checked by legal"] and exact.references == ["release.md:3"]
    assert exact.previous_msgid is None
    assert by_id["The product ships in March."].previous_msgid == "The product ships in February."
    # a fuzzy source counts as used: only the untouched live entry becomes obsolete
    assert [m.msgid for m in ours.messages if m.obsolete] == ["Contact: press@acme.example"]


@needs_gettext
def test_merge_exact_source_also_serves_as_fuzzy_source(tmp_path: Path) -> None:
    template = pot("Revenue grew 20 percent in the third quarter.",
                   "Revenue grew 20 percent in the fourth quarter.",
                   "Revenue grew 30 percent in the third quarter.")  # fmt: skip
    ours = assert_merge_like_msgmerge(tmp_path, OLD, template)
    sources = {m.previous_msgid for m in ours.messages[1:3]}
    assert sources == {"Revenue grew 20 percent in the third quarter."}


@needs_gettext
def test_merge_tie_break_and_duplicate_looking_sentences(tmp_path: Path) -> None:
    old = catalog(
        [
            Message("The company said on Monday.", "월요일에 회사가 말했다."),
            Message("The company said on Friday.", "금요일에 회사가 말했다."),
            Message("The company said on Sunday night.", "일요일 밤에 회사가 말했다.", msgctxt="quote"),
            Message("said", "말했다"),
            Message("sad", "슬픈", obsolete=True),
        ]
    )
    template = pot("The company said on Tuesday.", ("quote", "The company said on Sunday!"),
                   ("other", "The company said on Monday!"), "sid", "The company said on Monday.")  # fmt: skip
    ours = assert_merge_like_msgmerge(tmp_path, old, template)
    assert ours.messages[0].previous_msgid == "The company said on Monday."  # first of a tie
    assert ours.messages[3].previous_msgid == "said"  # short msgid: shorter candidate first


@needs_gettext
def test_merge_plural_and_context_changes(tmp_path: Path) -> None:
    old = catalog(
        [
            Message("One file was updated.", "파일 하나가 갱신되었습니다."),
            Message("%d files", msgid_plural="%d filez", msgstr_plural={0: "파일 %d개"}),
            Message("Open", "열기", msgctxt="menu"),
        ]
    )
    template = catalog(
        [
            Message("One file was updated.", msgid_plural="%d files were updated."),
            Message("%d files", msgid_plural="%d files"),
            Message("Open", msgctxt="button"),
        ]
    )
    ours = assert_merge_like_msgmerge(tmp_path, old, template)
    assert all(m.fuzzy for m in ours.messages if not m.obsolete)


@needs_gettext
def test_merge_random_catalogs_agree_with_msgmerge(tmp_path: Path) -> None:
    rng = random.Random(20261127)
    words = "the a press release Acme announces new product today growth 서울 신제품 ab".split()
    for _case in range(60):
        sentences = list(dict.fromkeys(
            " ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(10)
        ))  # fmt: skip
        old = catalog([random_old(rng, s) for s in sentences])
        old.messages.sort(key=lambda m: m.obsolete)
        edited = [edit(rng, s) if rng.random() < 0.5 else s for s in sentences]
        rng.shuffle(edited)
        assert_merge_like_msgmerge(tmp_path, old, pot(*dict.fromkeys(edited)))


def random_old(rng: random.Random, sentence: str) -> Message:
    state = rng.random()
    message = Message(sentence, "" if state < 0.15 else f"T:{sentence}")
    message.flags = ["fuzzy"] if state > 0.8 else []
    message.obsolete = bool(message.msgstr) and rng.random() < 0.2
    return message


def edit(rng: random.Random, sentence: str) -> str:
    words = sentence.split()
    words[rng.randrange(len(words))] = rng.choice(["market", "Seoul", "a", "발표"])
    return " ".join(words)


def test_merge_never_loses_a_reviewed_translation() -> None:
    template = pot("Something entirely different.", "Another unrelated line.")
    result = merge(template, OLD, HEADER)
    kept = {m.msgstr for m in result.messages}
    assert {m.msgstr for m in OLD.messages if m.reviewed} <= kept
    assert "Untranslated sentence here." not in {m.msgid for m in result.messages}


def test_merge_without_old_and_header() -> None:
    template = catalog([Message("File", msgid_plural="Files"), Message("Hello.")])
    template.header.translator_comments = ["SOME DESCRIPTIVE TITLE."]
    result = merge(template, None, HEADER)
    assert result.fields == HEADER
    assert result.header.translator_comments == ["SOME DESCRIPTIVE TITLE."]
    assert result.messages[0].msgstr_plural == {0: ""}
    assert all(m.untranslated for m in result.messages)


def test_fuzzy_matcher_threshold_and_bytes() -> None:
    matcher = FuzzyMatcher([Message("abcde", "x"), Message("서울입니다", "y")])
    assert matcher.best(None, "abcdefgh") is not None  # 10/13 > 0.6
    assert matcher.best(None, "abcdefghijklm") is None  # 10/18 < 0.6
    assert matcher.best(None, "서울") is None  # 12/21 bytes: below FUZZY_THRESHOLD
    assert FUZZY_THRESHOLD == 0.6


def test_merge_keeps_locpress_comments_on_exact_matches_only() -> None:
    template = parse_po(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'#. paragraph\nmsgid "Same sentence."\nmsgstr ""\n\n'
        b'#. paragraph\nmsgid "Changed sentence, now longer."\nmsgstr ""\n', "t.pot")
    old = parse_po(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'#. heading\n#. locpress: tm 100% from 2023/a\n#. locpress: ignore numbers\n#. glossary: IOM = IOM\n'
        b'msgid "Same sentence."\nmsgstr "KO same"\n\n'
        b'#. locpress: mt google\nmsgid "Changed sentence, now long."\nmsgstr "KO changed"\n', "o.po")
    merged = {m.msgid: m for m in merge(template, old, [("Content-Type", "text/plain; charset=UTF-8")]).messages}
    assert merged["Same sentence."].auto_comments == [
        "paragraph", "locpress: tm 100% from 2023/a", "locpress: ignore numbers", "glossary: IOM = IOM"]
    changed = merged["Changed sentence, now longer."]
    assert "fuzzy" in changed.flags and changed.auto_comments == ["paragraph"]
