"""Embargoes: the front-matter field, and every engine holding an embargoed release back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from mt_server import MTServer

from locpress.errors import SourceError
from locpress.gettext.catalog import parse_po
from locpress.pretranslate.embargo import embargo

Make = Callable[..., Path]
Cli = Callable[..., Result]
RELEASE = """---
title: Quarterly figures
embargo: {when}
---

# Quarterly figures

Arrivals rose by 12 percent in the quarter.
"""
OPEN = "# Open release\n\nThis one may be sent at any time.\n"




@pytest.mark.parametrize(("value", "expected"), [
    ("2026-12-01T09:00:00+09:00", dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone.utc)),
    ("2026-12-01T00:00:00Z", dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone.utc)),
    ('"2026-12-01T01:30:00+01:30"', dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone.utc)),
])
def test_an_embargo_is_a_date_time_with_its_zone(value: str, expected: dt.datetime) -> None:
    assert embargo(RELEASE.format(when=value), "source/q.md") == expected


@pytest.mark.parametrize(("value", "message"), [
    ("2026-12-01T09:00:00", "no time zone"), ("2026-12-01 09:00", "no time zone"),
    ("2026-12-01", "date without a time"), ("soon", "not an ISO date-time"), ("", "no date-time given"),
    ("[2026]", "not a date-time"),
])
def test_an_embargo_without_its_zone_is_an_error_at_its_line(value: str, message: str) -> None:
    with pytest.raises(SourceError, match=message) as caught:
        embargo(RELEASE.format(when=value), "source/q.md")
    assert caught.value.line == 3 and caught.value.path == "source/q.md"


def test_no_front_matter_or_no_field_is_no_embargo() -> None:
    assert embargo(OPEN, "source/o.md") is None
    assert embargo("---\ntitle: x\n---\n\nembargo: 2026-12-01\n", "source/o.md") is None


def _filled(root: Path, name: str) -> list[str]:
    path = root / "locales" / "ko" / f"{name}.po"
    return [m.msgstr for m in parse_po(path.read_bytes(), str(path)).messages if m.msgid and not m.obsolete]


@pytest.mark.parametrize("confidential", [False, True])
def test_a_public_engine_never_receives_an_embargoed_release(project: Make, cli: Cli, mt: MTServer,
                                                             confidential: bool) -> None:
    table = f'[pretranslate]\nengine = "libre"\n[engines.libre]\nurl = "{mt.endpoint("libre")}"\n' \
            f'retries = 0\nconfidential = {str(confidential).lower()}\n'
    root = project({"q.md": RELEASE.format(when="2999-01-01T00:00:00Z"), "open.md": OPEN}, extra=table)
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0, result.err
    sent = " ".join(mt.texts)
    assert ("Arrivals" in sent) == confidential and "This one may be sent" in sent
    lines = [line for line in (result.out + result.err).splitlines() if "embargoed until" in line]
    if confidential:
        assert not lines and all(_filled(root, "q"))
    else:
        assert lines == ["note: source/q.md: embargoed until 2999-01-01T00:00:00+00:00; not sent to libre, "
                         "which is not confidential = true (memory matches still filled)"]
        assert not any(_filled(root, "q")) and all(_filled(root, "open"))
        # a second run holds it back again (the release was not remembered as done)
        again = cli(root, "pretranslate", "--locale", "ko")
        assert "embargoed until" in again.out + again.err and "Arrivals" not in " ".join(mt.texts)


def test_the_memory_still_fills_an_embargoed_release_and_pseudo_counts_as_confidential(project: Make,
                                                                                       cli: Cli) -> None:
    root = project({"q.md": RELEASE.format(when="2999-01-01T00:00:00Z")}, extra='[pretranslate]\nengine = "pseudo"\n')
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0 and "embargoed" not in result.out + result.err
    assert all(m.startswith("[") for m in _filled(root, "q"))


def test_the_memory_still_fills_an_embargoed_release(project: Make, cli: Cli, mt: MTServer) -> None:
    from locpress.gettext.catalog import write_po
    table = f'[pretranslate]\nengine = "libre"\n[engines.libre]\nurl = "{mt.endpoint("libre")}"\nretries = 0\n'
    old = "# Old figures\n\nArrivals rose by 12 percent in the quarter.\n"
    root = project({"q.md": RELEASE.format(when="2999-01-01T00:00:00Z"), "old.md": old}, extra=table)
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    path = root / "locales" / "ko" / "old.po"
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        if message.msgid:
            message.msgstr = "분기 도착자 12% 증가." if message.msgid.startswith("Arrivals") else "옛 수치"
    path.write_text(write_po(catalog), encoding="utf-8")
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0 and "embargoed until" in result.out + result.err
    assert not any("Quarterly" in t or "Arrivals" in t for t in mt.texts)
    assert "분기 도착자 12% 증가." in _filled(root, "q")


# --- each source format declares it its own way ---------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<META NAME="Embargo" CONTENT="{when}">
<title>Quarterly figures</title>
</head>
<body>
<h1>Quarterly figures</h1>
<p>Arrivals rose by 12 percent in the quarter.</p>
</body>
</html>
"""
CUSTOM = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
          'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
          '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Embargo">'
          '<vt:{kind}>{when}</vt:{kind}></property></Properties>')


def word_with_embargo(when: str, kind: str = "lpwstr") -> bytes:
    """The python-docx fixture with a custom document property `Embargo`, as Word writes one."""
    import io
    import zipfile
    source = zipfile.ZipFile(FIXTURES / "docx/python-docx.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            target.writestr(info, data)
        target.writestr("docProps/custom.xml", CUSTOM.format(when=when, kind=kind))
    return out.getvalue()


def test_a_web_page_declares_its_embargo_in_a_meta_element() -> None:
    from locpress.pretranslate.embargo import of_source
    when = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.timezone.utc)
    assert of_source(PAGE.format(when="2026-12-01T09:00:00+09:00").encode(), ".html", "source/q.html") == when
    assert of_source(PAGE.replace('<META NAME="Embargo" CONTENT="{when}">\n', "").encode(), ".html", "q") is None
    # the body is not where a page declares it
    body = PAGE.replace('<META NAME="Embargo" CONTENT="{when}">\n', "").replace(
        "<h1>", '<meta name="embargo" content="2026-12-01"><h1>')
    assert of_source(body.encode(), ".html", "q") is None
    with pytest.raises(SourceError, match="no time zone") as caught:
        of_source(PAGE.format(when="2026-12-01T09:00").encode(), ".html", "source/q.html")
    assert str(caught.value).startswith("source/q.html:5: ")


@pytest.mark.parametrize("kind", ["lpwstr", "filetime"])
def test_a_word_document_declares_its_embargo_in_a_custom_property(kind: str) -> None:
    from locpress.pretranslate.embargo import of_source
    data = word_with_embargo("2026-12-01T00:00:00Z", kind)
    assert of_source(data, ".docx", "source/q.docx") == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert of_source((FIXTURES / "docx/python-docx.docx").read_bytes(), ".docx", "q") is None
    with pytest.raises(SourceError, match="no time zone") as caught:
        of_source(word_with_embargo("2026-12-01T09:00:00"), ".docx", "source/q.docx")
    assert str(caught.value).startswith("source/q.docx: embargo")


def test_a_word_embargo_is_read_within_the_projects_word_limits() -> None:
    from locpress.errors import SourceError
    from locpress.formats.docx_package import Limits
    from locpress.pretranslate.embargo import of_source

    data = word_with_embargo("2026-12-01T00:00:00Z")
    assert of_source(data, ".docx", "source/q.docx", Limits()) == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    with pytest.raises(SourceError):  # what the project's [word] max_unpacked refuses is not opened here either
        of_source(data, ".docx", "source/q.docx", Limits(max_unpacked=64))


def test_a_public_engine_never_receives_an_embargoed_web_page_or_word_document(project: Make, cli: Cli,
                                                                              mt: MTServer) -> None:
    table = f'[pretranslate]\nengine = "libre"\n[engines.libre]\nurl = "{mt.endpoint("libre")}"\nretries = 0\n'
    root = project({"page.html": PAGE.format(when="2999-01-01T00:00:00Z"),
                    "word.docx": word_with_embargo("2999-01-01T00:00:00Z"), "open.md": OPEN}, extra=table)
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0, result.err
    held = sorted(line.split(":")[1].strip() for line in (result.out + result.err).splitlines()
                  if "embargoed until 2999" in line)
    assert held == ["source/page.html", "source/word.docx"]
    sent = " ".join(mt.texts)
    assert "This one may be sent" in sent and "Arrivals" not in sent and "census" not in sent.lower()
    assert not any(_filled(root, "page")) and not any(_filled(root, "word"))
