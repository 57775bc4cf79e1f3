"""What `output/` holds is exactly what may be published: current, reviewed, gated; drafts apart.

Every test drives the CLI on a temporary project, as a press office would: revise a source,
draft, save a catalog while a command runs, publish a broken translation, accept checked work.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from conftest import Result, snapshot
from test_cli import entries, fill

from locpress.gettext.catalog import parse_po, write_po
from locpress.run import runner as pipeline_module

Make = Callable[..., Path]
Cli = Callable[..., Result]

SOURCE = """---
title: Floods displace thousands
date: 2023-11-01
---

# Floods displace thousands

The floods displaced 56 percent of the families. Read the [appeal](https://www.iom.int/appeal).

A second paragraph says more.
"""
KO = {"Floods displace thousands": "홍수로 수천 명 이재민 발생",
      "The floods displaced 56 percent of the families.": "홍수로 가족의 56%가 피난했습니다.",
      "Read the [appeal](https://www.iom.int/appeal).": "[호소문](https://www.iom.int/appeal)을 읽으십시오.",
      "A second paragraph says more.": "두 번째 단락이 더 말합니다."}
HTML = '[build]\nformats = ["md", "html"]\n'


def translate(table: dict[str, str]) -> Callable[[str], str]:
    return lambda s: table.get(s, s)


def published(root: Path, locales: tuple[str, ...] = ("ko",), extra: str = HTML) -> None:
    """Run, translate Korean (and French with the same table) and run again: published."""
    for locale in locales:
        fill(root / f"locales/{locale}/r.po", translate(KO))


def setup(project: Make, cli: Cli, locales: tuple[str, ...] = ("ko",), extra: str = HTML) -> Path:
    root = project({"r.md": SOURCE}, locales=locales, extra=extra)
    assert cli(root, "run").code == 0
    published(root, locales)
    result = cli(root, "run")
    assert result.code == 0, result.err
    for locale in locales:
        assert (root / f"output/{locale}/r.md").is_file()
    return root


def valid_html(text: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(text)  # raises ParseError at the first error
    assert not parser.errors


# --- 0. the folders ------------------------------------------------------------------------

def test_dashboard_review_sheets_and_xliff_live_in_drafts(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    assert (root / "drafts/index.html").is_file() and not (root / "output/index.html").exists()
    assert cli(root, "review").code == 0
    assert (root / "drafts/review/ko/r.html").is_file()
    result = cli(root, "xliff", "export", "--locale", "ko")
    assert result.code == 0 and "drafts/xliff" in result.out
    assert (root / "drafts/xliff/ko/r.xlf").is_file()
    assert cli(root, "status", "--format", "html").code == 0
    assert sorted(p.relative_to(root / "output").as_posix() for p in (root / "output").rglob("*") if p.is_file()) \
        == ["ko/r.html", "ko/r.md"]
    page = (root / "drafts/index.html").read_text()
    assert 'href="../output/ko/r.html"' in page and 'href="review/ko/r.html"' in page


def test_what_older_versions_wrote_into_output_is_withdrawn(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    (root / "output/index.html").write_text('<html><meta name="generator" content="locpress"></html>')
    (root / "output/review/ko").mkdir(parents=True)
    assert cli(root, "review").code == 0  # as an older locpress wrote it, into output/
    shutil.copy(root / "drafts/review/ko/r.html", root / "output/review/ko/r.html")
    (root / "output/xliff/ko").mkdir(parents=True)
    (root / "output/xliff/ko/r.xlf").write_text('<?xml version="1.0"?>\n<xliff version="1.2"></xliff>\n')
    (root / "output/press-kit.pdf").write_bytes(b"%PDF")  # not locpress's: left alone
    result = cli(root, "build")
    assert "withdrawn output/index.html: the dashboard: now in drafts/, not for publication" in result.out
    assert "withdrawn output/review/ko/r.html: review sheets: now in drafts/" in result.out
    assert "withdrawn output/xliff/ko/r.xlf: XLIFF exports: now in drafts/" in result.out
    assert not (root / "output/index.html").exists() and not (root / "output/review").exists()
    assert not (root / "output/xliff").exists()
    assert (root / "output/press-kit.pdf").exists()


def test_drafts_dir_is_configurable_and_never_inside_output(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra='drafts_dir = "work/drafts"\n')
    assert cli(root, "run").code == 0
    assert cli(root, "build", "--draft").code == 0
    assert (root / "work/drafts/ko/r.md").is_file()
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\ndrafts_dir = "output/drafts"\n')
    bad = cli(root, "build")
    assert bad.code == 2 and "must be separate folders" in bad.err


# --- 1. the invariant: withdrawn, or kept and reported ------------------------------------

def test_revised_source_withdraws_the_outdated_release(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    source = root / "source/r.md"
    source.write_text(SOURCE.replace("56 percent", "58 percent").replace("A second paragraph says more.\n", ""))
    result = cli(root, "run")
    assert result.code == 0, result.err
    assert "withdrawn output/ko/r.md: source changed, 1 segment to review" in result.out
    assert "withdrawn output/ko/r.html: its release is not published" in result.out
    assert not (root / "output/ko").exists()
    status = cli(root, "status", "--fail-under", "100")
    assert status.code == 1
    rows = json.loads(cli(root, "status", "--format", "json").out)["locales"][0]["releases"]
    assert rows[0]["published"] == "no"
    again = cli(root, "run")
    assert again.code == 0 and "withdrawn" not in again.out


def test_any_command_that_makes_a_release_stale_withdraws_it(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    (root / "source/r.md").write_text(SOURCE.replace("56 percent", "58 percent"))
    result = cli(root, "extract")  # not run, not build: output/ is still never stale
    assert result.code == 0
    assert "withdrawn output/ko/r.md: source changed, 1 segment to review" in result.out
    assert not (root / "output/ko/r.md").exists() and not (root / "output/ko/r.html").exists()
    assert cli(root, "update").code == 0 and "withdrawn" not in cli(root, "update").out


def test_an_unchanged_release_is_left_alone_by_other_commands(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    before = snapshot(root / "output")
    for command in (("extract",), ("update",), ("accept", "--locale", "ko")):
        result = cli(root, *command)
        assert result.code == 0 and "withdrawn" not in result.out, command
    assert snapshot(root / "output") == before


def test_keep_outdated_keeps_and_reports_it_everywhere(project: Make, cli: Cli) -> None:
    root = setup(project, cli, extra=HTML + "keep_outdated = true\n")
    before = (root / "output/ko/r.md").read_bytes()
    (root / "source/r.md").write_text(SOURCE.replace("56 percent", "58 percent"))
    result = cli(root, "run")
    assert result.code == 0
    assert "kept output/ko/r.md (build.keep_outdated): published-outdated, source changed, 1 segment to review" \
        in result.out
    assert (root / "output/ko/r.md").read_bytes() == before
    rows = json.loads(cli(root, "status", "--format", "json").out)["locales"][0]["releases"]
    assert rows[0]["published"] == "outdated"
    assert "outdated</strong>" in (root / "drafts/index.html").read_text()
    check = cli(root, "check")
    assert "[published-outdated]" in check.out and check.code == 0  # a warning
    assert cli(root, "check", "--fail-on", "warning").code == 1
    fill(root / "locales/ko/r.po", translate({**KO, "The floods displaced 58 percent of the families.":
                                              "홍수로 가족의 58%가 피난했습니다."}))
    assert cli(root, "run").code == 0
    assert "58%" in (root / "output/ko/r.md").read_text()
    assert "[published-outdated]" not in cli(root, "check").out
    rows = json.loads(cli(root, "status", "--format", "json").out)["locales"][0]["releases"]
    assert rows[0]["published"] == "current"


def test_a_removed_release_and_a_dropped_format_are_withdrawn(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\n')  # html no longer built
    result = cli(root, "build")
    assert "withdrawn output/ko/r.html: not a format this project builds (build.formats)" in result.out
    (root / "source/r.md").unlink()
    (root / "source/other.md").write_text("# Other\n")
    result = cli(root, "build")
    assert "withdrawn output/ko/r.md: its source release is gone" in result.out
    assert not (root / "output/ko").exists()


def test_a_locale_no_longer_configured_is_withdrawn(project: Make, cli: Cli) -> None:
    root = setup(project, cli, locales=("ko", "fr"))
    (root / "output/fr/notes.md").write_text("# not a release\n")
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\n' + HTML)
    result = cli(root, "run")
    assert "withdrawn output/fr/r.md: fr is not a configured locale" in result.out
    assert not (root / "output/fr/r.html").exists() and (root / "output/fr/notes.md").exists()
    assert 'hreflang="fr"' not in (root / "output/ko/r.html").read_text()


def test_published_pages_link_only_to_published_pages(project: Make, cli: Cli) -> None:
    root = setup(project, cli, locales=("ko", "fr"))
    assert 'hreflang="fr"' in (root / "output/ko/r.html").read_text()
    fill(root / "locales/fr/r.po", translate(KO), fuzzy=True)  # French no longer reviewed
    result = cli(root, "build", "--locale", "fr")
    assert "withdrawn output/fr/r.md" in result.out
    ko = (root / "output/ko/r.html").read_text()  # rebuilt although only fr was selected
    assert 'hreflang="fr"' not in ko and "fr/r.html" not in ko


def test_min_reviewed_below_100_publishes_with_source_text_and_says_so(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra="[build]\nmin_reviewed = 50\n")
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "" if "second" in s else KO[s])
    result = cli(root, "run")
    assert "output/ko/r.md: published with 1 of 5 segments in the source language" in result.out
    assert "A second paragraph says more." in (root / "output/ko/r.md").read_text()
    rows = json.loads(cli(root, "status", "--format", "json").out)["locales"][0]["releases"]
    assert rows[0]["published"] == "current" and rows[0]["in_source_language"] == 1


# --- 2. drafts apart ----------------------------------------------------------------------

def test_drafts_never_enter_output_and_nothing_published_links_them(project: Make, cli: Cli) -> None:
    root = setup(project, cli, locales=("ko", "ar"))  # ar: published too, then withdrawn below
    fill(root / "locales/ar/r.po", lambda s: "", fuzzy=False)
    assert cli(root, "run").code == 0
    before = snapshot(root / "output")
    draft = cli(root, "build", "--draft", "--locale", "ar")
    assert draft.code == 0
    assert (root / "drafts/ar/r.md").is_file() and (root / "drafts/ar/r.html").is_file()
    assert (root / "drafts/ar/DRAFT-NOTICE.txt").read_text().startswith("DRAFT")
    body = (root / "drafts/ar/r.md").read_text()  # the draft itself says so, under its front matter
    assert "<!-- DRAFT, not for publication (locpress build --draft): " in body
    assert body.startswith("---\n") == SOURCE.startswith("---\n")
    assert cli(root, "run").code == 0
    assert snapshot(root / "output") == before
    for page in (root / "output").rglob("*.html"):
        text = page.read_text()
        assert "/ar/" not in text and 'hreflang="ar"' not in text and "drafts" not in text


def test_a_draft_links_only_to_drafts_that_exist(project: Make, cli: Cli) -> None:
    root = setup(project, cli, locales=("ko", "ar", "fr"))
    assert cli(root, "build", "--draft", "--locale", "ar").code == 0
    ar = (root / "drafts/ar/r.html").read_text()
    assert 'hreflang="ko"' not in ar and 'hreflang="fr"' not in ar  # no ko or fr draft was written
    assert cli(root, "build", "--draft", "--locale", "ko").code == 0
    ko = (root / "drafts/ko/r.html").read_text()
    assert 'hreflang="ar"' in ko and 'hreflang="fr"' not in ko
    assert cli(root, "build", "--draft").code == 0  # all of them: each links to every other
    fr = (root / "drafts/fr/r.html").read_text()
    assert 'hreflang="ko"' in fr and 'hreflang="ar"' in fr


def test_a_draft_shows_every_translation_marked_by_origin(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, locales=("ar",), extra=HTML)
    cli(root, "run")
    po = root / "locales/ar/r.po"
    catalog = parse_po(po.read_bytes(), str(po))
    origins = {"Floods displace thousands": ("فيضانات", "locpress: mt google", True),
               "The floods displaced 56 percent of the families.": ("نزحت 56 في المائة من الأسر.",
                                                                     "locpress: aligned from old/r.md", True),
               "Read the [appeal](https://www.iom.int/appeal).": ("اقرأ [النداء](https://www.iom.int/appeal).",
                                                               "", False)}
    for message in catalog.messages:
        if message.msgid in origins:
            text, note, fuzzy = origins[message.msgid]
            message.msgstr = text
            message.auto_comments += [note] if note else []
            message.flags = ["fuzzy"] if fuzzy else []
    po.write_text(write_po(catalog), encoding="utf-8")
    result = cli(root, "build", "--draft")
    assert "draft drafts/ar/r.md: 1 reviewed, 2 mt, 1 aligned, 1 source" in result.out  # the title is twice
    md = (root / "drafts/ar/r.md").read_text()
    assert "نزحت 56" in md and "فيضانات" in md and "A second paragraph says more." in md
    page = (root / "drafts/ar/r.html").read_text()
    valid_html(page)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'class="draft-banner"' in page and "Draft — not for publication" in page
    assert '<span class="origin origin-mt">فيضانات</span>' in page
    assert '<span class="origin origin-aligned">نزحت 56' in page
    assert '<span class="origin origin-source" lang="en" dir="ltr">A second paragraph says more.</span>' in page
    assert '<html lang="ar" dir="rtl">' in page
    assert "\ue000" not in page and "\ue001" not in page
    assert not (root / "output/ar").exists()


def test_web_page_and_word_releases_have_drafts_too(project: Make, cli: Cli) -> None:
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floods</title></head>'
            "<body><main><h1>Floods</h1><p>The floods displaced 56 percent of the families.</p></main></body></html>\n")
    root = project({"w.html": page}, extra=HTML)
    cli(root, "run")
    fill(root / "locales/ko/w.po", lambda s: "홍수" if s == "Floods" else "", fuzzy=True)
    assert cli(root, "build", "--draft").code == 0
    draft = (root / "drafts/ko/w.html").read_text()
    assert '<span class="origin origin-fuzzy">홍수</span>' in draft and "noindex" in draft
    assert "<title>홍수</title>" in draft
    assert not (root / "output/ko").exists()


def test_preview_serves_the_same_draft(project: Make, cli: Cli) -> None:
    from locpress import config as config_mod
    from locpress.commands import preview

    root = project({"r.md": SOURCE}, extra=HTML)
    cli(root, "run")
    fill(root / "locales/ko/r.po", translate(KO), fuzzy=True)
    cli(root, "build", "--draft")
    served = preview.respond(config_mod.load(root), "/ko/r.html")
    assert served.status == 200
    assert served.body.decode() == (root / "drafts/ko/r.html").read_text()


# --- 3. pseudo-localization ------------------------------------------------------------------

def test_pseudo_draft_is_right_to_left_and_passes_the_checks(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, locales=("ar",), extra=HTML + '[pretranslate]\nengine = "pseudo"\n')
    assert cli(root, "run").code == 0
    check = cli(root, "check", "--format", "json")
    found = json.loads(check.out)["findings"]
    assert found == [], found  # no error, and no warning about what pseudo-localization is for
    # a translator's own translation in its place is checked in full, fuzzy or reviewed
    fill(root / "locales/ar/r.po", lambda s: "ترجمة " + s.replace("56", "65"), fuzzy=True)
    assert {f["check"] for f in json.loads(cli(root, "check", "--format", "json").out)["findings"]} >= {"numbers"}
    cli(root, "run")
    fill(root / "locales/ar/r.po", lambda s: "", fuzzy=False)
    assert cli(root, "pretranslate").code == 0
    cli(root, "build", "--draft")
    page = (root / "drafts/ar/r.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page and 'class="origin origin-pseudo"' in page
    md = (root / "drafts/ar/r.md").read_text()
    assert "\u202e" in md and "\u202c" in md  # the words run right to left
    assert "https://www.iom.int/appeal" in md and "56" in md
    assert 'href="https://www.iom.int/appeal"' in page and "56" in page
    assert not (root / "output/ar").exists()


# --- 4. the gate --------------------------------------------------------------------------

def test_a_broken_link_is_not_published_and_the_old_version_withdrawn(project: Make, cli: Cli) -> None:
    root = setup(project, cli)
    broken = {**KO, "Read the [appeal](https://www.iom.int/appeal).": "[발표]((https://www.iom.int/appeal))을 읽으십시오."}
    fill(root / "locales/ko/r.po", translate(broken))
    result = cli(root, "build")
    assert result.code == 1
    line = next(m.lineno for m in parse_po((root / "locales/ko/r.po").read_bytes(), "r.po").messages
                if m.msgid.startswith("Read the"))
    assert f"not published: locales/ko/r.po:{line}: error [links]" in result.err
    assert "withdrawn output/ko/r.md: " in result.out and "at or above error" in result.out
    assert not (root / "output/ko/r.md").exists() and not (root / "output/ko/r.html").exists()
    assert cli(root, "build").code == 1  # still refused on the next run


def test_the_gate_follows_check_settings(project: Make, cli: Cli) -> None:
    broken = {**KO, "Read the [appeal](https://www.iom.int/appeal).": "[발표]((https://www.iom.int/appeal))을 읽으십시오."}
    root = setup(project, cli, extra=HTML + '[check]\ndisable = ["links", "markdown"]\n')
    fill(root / "locales/ko/r.po", translate(broken))
    assert cli(root, "build").code == 0  # what the project disabled does not gate
    assert "((https" in (root / "output/ko/r.md").read_text()


def test_the_gate_at_warnings_with_keep_outdated(project: Make, cli: Cli) -> None:
    root2 = setup(project, cli, extra='[build]\nfail_on = "warning"\nkeep_outdated = true\n')
    fill(root2 / "locales/ko/r.po", translate({**KO, "A second paragraph says more.": "두 번째  단락."}))
    result = cli(root2, "build")
    assert result.code == 1 and "[double-space]" in result.err
    assert "kept output/ko/r.md (build.keep_outdated)" in result.out and (root2 / "output/ko/r.md").exists()


def test_fuzzy_errors_do_not_gate_a_release_that_does_not_use_them(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE}, extra="[build]\nmin_reviewed = 0\n")
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "[x]((y))", fuzzy=True)
    result = cli(root, "build")
    assert result.code == 0 and (root / "output/ko/r.md").read_text() == SOURCE


# --- 5. race-free change detection ----------------------------------------------------------

@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[Path], None]], list[Path]]:
    """Edit a file right after the pipeline first reads it (between the read and the write)."""

    def install(suffix: str, edit: Callable[[Path], None]) -> list[Path]:
        done: list[Path] = []

        def on_read(path: Path) -> None:
            if path.name.endswith(suffix) and not done:
                done.append(path)
                edit(path)

        monkeypatch.setattr(pipeline_module, "READ_HOOK", on_read)
        return done

    return install


def test_a_source_saved_while_extract_runs_is_extracted_next_time(project: Make, cli: Cli, hook: Callable[..., list[Path]]) -> None:
    root = project({"r.md": SOURCE})
    edited = hook("r.md", lambda p: p.write_text(SOURCE.replace("56 percent", "58 percent")))
    assert cli(root, "extract").code == 0
    assert edited
    pot = root / "locales/templates/r.pot"
    assert "58 percent" not in pot.read_text()  # this run read the old text
    pipeline_module.READ_HOOK = None
    assert cli(root, "extract").code == 0
    assert "58 percent" in pot.read_text()


def test_a_catalog_saved_while_build_runs_is_built_next_time(project: Make, cli: Cli, hook: Callable[..., list[Path]]) -> None:
    root = setup(project, cli, extra="")
    po = root / "locales/ko/r.po"
    newer = translate({**KO, "A second paragraph says more.": "두 번째 단락이 조금 더 말합니다."})
    (root / "source/r.md").write_text(SOURCE + "\n")  # something to build
    edited = hook("r.po", lambda p: fill(p, newer))
    assert cli(root, "build").code == 0 and edited
    assert "조금 더" not in (root / "output/ko/r.md").read_text()
    pipeline_module.READ_HOOK = None
    assert cli(root, "build").code == 0
    assert "조금 더" in (root / "output/ko/r.md").read_text()


def test_replayed_run_sees_a_catalog_of_another_locale(project: Make, cli: Cli) -> None:
    root = setup(project, cli, locales=("ko", "fr"))
    assert cli(root, "run", "--locale", "ko").code == 0
    assert cli(root, "run", "--locale", "ko").code == 0  # recorded, replayed from now on
    fill(root / "locales/fr/r.po", lambda s: "", fuzzy=False)
    result = cli(root, "run", "--locale", "ko")
    assert "wrote drafts/index.html" in result.out  # the dashboard covers every locale
    assert "0.0%" in (root / "drafts/index.html").read_text()


def test_repeated_locales_are_merged(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE})
    assert cli(root, "extract").code == 0
    result = cli(root, "update", "--locale", "ko", "--locale", "ko")
    assert result.code == 0, result.err
    assert result.out.count("wrote locales/ko/r.po") == 1


def test_dependency_versions_are_part_of_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from locpress.run import project as project_module

    before = project_module.dependency_stamp()
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "babel" else real(name))
    assert project_module.dependency_stamp() != before


# --- 6. accept ------------------------------------------------------------------------------

def fuzzy_catalog(root: Path, notes: dict[str, str], previous: str | None = None,
                  texts: dict[str, str] | None = None) -> Path:
    po = root / "locales/ko/r.po"
    catalog = parse_po(po.read_bytes(), str(po))
    for message in catalog.messages:
        if message.msgid in notes:
            message.msgstr = {**KO, **(texts or {})}[message.msgid]
            message.flags = ["fuzzy"]
            message.auto_comments.append(notes[message.msgid])
            if previous and message.msgid.startswith("A second"):
                message.previous_msgid = previous
    po.write_text(write_po(catalog), encoding="utf-8")
    return po


def test_accept_makes_checked_fuzzy_entries_reviewed(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE})
    cli(root, "run")
    notes = {"Floods displace thousands": "locpress: aligned from old/r.md",
             "The floods displaced 56 percent of the families.": "locpress: mt google",
             "Read the [appeal](https://www.iom.int/appeal).": "locpress: aligned from old/r.md",
             "A second paragraph says more.": "locpress: aligned from old/r.md"}
    po = fuzzy_catalog(root, notes, previous="A second paragraph said more.")
    before = po.read_bytes()
    dry = cli(root, "accept", "--locale", "ko", "--origin", "aligned", "--dry-run")
    assert dry.code == 0 and po.read_bytes() == before
    assert "would accept 2 entries, left 1 fuzzy (dry run: nothing written)" in dry.out
    assert "left fuzzy locales/ko/r.po:" in dry.out and "English changed" in dry.out
    result = cli(root, "accept", "--locale", "ko", "--origin", "aligned")
    assert "accepted locales/ko/r.po:" in result.out and "accepted 2 entries, left 1 fuzzy" in result.out
    found = entries(po)
    assert found["Floods displace thousands"].reviewed  # type: ignore[attr-defined]
    assert found["Read the [appeal](https://www.iom.int/appeal)."].reviewed  # type: ignore[attr-defined]
    assert not found["The floods displaced 56 percent of the families."].reviewed  # mt: not asked for
    assert "fuzzy" in found["A second paragraph says more."].flags  # type: ignore[attr-defined]
    changed = cli(root, "accept", "--locale", "ko", "--include-changed")
    assert "accepted 2 entries" in changed.out
    assert all(m.reviewed for m in entries(po).values())  # type: ignore[attr-defined]


def test_accept_never_takes_pseudo_text_or_check_errors(project: Make, cli: Cli) -> None:
    root = project({"r.md": SOURCE})
    cli(root, "run")
    po = fuzzy_catalog(root, {"Floods displace thousands": "locpress: mt pseudo",
                              "Read the [appeal](https://www.iom.int/appeal).": "locpress: tm 100% from x"},
                      texts={"Read the [appeal](https://www.iom.int/appeal).": "[발표]((https://www.iom.int/appeal))"})
    result = cli(root, "accept", "--locale", "ko")
    assert "pseudo-localized text is never accepted" in result.out
    assert "[links]" in result.out or "[markdown]" in result.out
    assert "accepted 0 entries, left 2 fuzzy" in result.out
    assert all("fuzzy" in m.flags for m in entries(po).values() if m.msgstr)  # type: ignore[attr-defined]
    assert cli(root, "accept").code == 2 or "one --locale" in cli(root, "accept").err


# --- 7. pages: inline code monospace, valid HTML ----------------------------------------------

CODE_SOURCE = "# Data\n\nDownload the `dtm_dataset` file today.\n"


@pytest.mark.parametrize("locale", ["ko", "zh_Hans", "ar", "fr"])
def test_pages_are_valid_html_and_code_keeps_a_monospace_font(project: Make, cli: Cli, locale: str) -> None:
    root = project({"r.md": CODE_SOURCE}, locales=(locale,), extra=HTML)
    cli(root, "run")
    fill(root / f"locales/{locale}/r.po", lambda s: "데이터" if s == "Data" else "`dtm_dataset` 파일을 내려받으십시오.")
    assert cli(root, "run").code == 0
    page = (root / f"output/{locale}/r.html").read_text()
    valid_html(page)
    valid_html((root / "drafts/index.html").read_text())
    assert "<code>dtm_dataset</code>" in page
    # script fonts are set where a lang attribute is (and inherited), never on code itself
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "code, kbd, samp, pre { font-family: \"Noto Sans Mono\"" in style
    for rule in [r for r in style.split("}") if ":lang(" in r and "font-family" in r]:
        selectors = rule.split("{")[0]
        assert all(s.strip().startswith(("[lang]", "html:lang", "nav.languages")) for s in selectors.split(",")), rule
    cli(root, "build", "--draft")
    valid_html((root / f"drafts/{locale}/r.html").read_text())
    shutil.rmtree(root / "drafts")
