"""The spine end to end through the CLI: extract, update, build, status, run."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import HAS_GETTEXT, Result, snapshot

from locpress.gettext.catalog import parse_po, write_po

needs_gettext = pytest.mark.skipif(not HAS_GETTEXT, reason="GNU gettext not installed (.ci/run installs it)")

RELEASE = """---
title: Floods displace thousands
date: 2023-11-01
---

# Floods displace thousands

The floods displaced 12,000 people in the north. IOM teams arrived on Monday.

- Shelter kits for 900 families.
- Water for [all](https://www.iom.int/water).

For more information, please contact Mr. Kyoo-ho Lee, Tel.: +82 70 4820 2751.
"""
Make = Callable[..., Path]
Cli = Callable[..., Result]


#: `[check] disable` for tests that fill catalogs with stand-in translations (a word for every
#: sentence): they drop links, numbers and markup on purpose, which the publication gate
#: (build.fail_on) would refuse; the gate has tests of its own (test_publish.py).
GATE_OFF = ('[check]\ndisable = ["links", "code", "html", "markdown", "tokens", "urls", "emails", "phones", '
            '"numbers", "dates", "dnt", "whitespace"]\n')


def fill(path: Path, fn: Callable[[str], str], fuzzy: bool = False) -> None:
    """Translate every live entry of a catalog with fn, as a translator would."""
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        if not message.obsolete:
            message.msgstr = fn(message.msgid)
            message.flags = [f for f in message.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    path.write_text(write_po(catalog), encoding="utf-8")


def entries(path: Path) -> dict[str, object]:
    return {m.msgid: m for m in parse_po(path.read_bytes(), str(path)).messages if not m.obsolete}


def test_extract_writes_template_with_references_and_kinds(project: Make, cli: Cli) -> None:
    root = project({"2023/11/floods.md": RELEASE})
    result = cli(root, "extract")
    assert result.code == 0, result.err
    pot = root / "locales/templates/2023/11/floods.pot"
    assert "wrote locales/templates/2023/11/floods.pot" in result.out
    text = pot.read_text()
    assert "#. front matter title\n#. heading\n#: source/2023/11/floods.md:2 source/2023/11/floods.md:6\n" \
           'msgid "Floods displace thousands"' in text
    assert '#. list item\n#: source/2023/11/floods.md:11\nmsgid "Water for [all](https://www.iom.int/water)."' in text
    assert 'msgid "For more information, please contact Mr. Kyoo-ho Lee, Tel.: +82 70 4820 2751."' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"X-Generator: locpress' in text


def test_update_creates_catalogs_with_locale_headers(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE}, locales=("ko", "ar", "zh_Hans"))
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    ar = (root / "locales/ar/r.po").read_text()
    assert '"Language: ar\\n"' in ar and '"Plural-Forms: nplurals=6;' in ar
    assert '"Language: zh_Hans\\n"' in (root / "locales/zh_Hans/r.po").read_text()
    assert set(entries(root / "locales/ko/r.po")) == set(entries(root / "locales/templates/r.pot"))


@needs_gettext
def test_everything_written_is_valid_canonical_gettext(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE, "t.txt": "Headline\n\nA line. Another \"quoted\" one.\n"},
                   locales=("ko", "ar", "ru"))
    assert cli(root, "run", "--draft").code == 0
    files = sorted((root / "locales").rglob("*.po*"))
    assert len(files) == 8
    for path in files:
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        canonical = subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True)
        assert canonical.stdout == path.read_bytes(), path


def test_second_run_changes_nothing(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE, "s.md": "# Storms\n\nStorms hit the coast.\n"}, locales=("ko", "fr"))
    assert cli(root, "run").code == 0
    fill(root / "locales/ko/r.po", lambda s: "번역 " + s)
    assert cli(root, "run").code == 0
    before = snapshot(root)
    again = cli(root, "run")
    assert again.code == 0 and "wrote" not in again.out
    assert snapshot(root) == before
    (root / ".locpress/state.json").unlink()  # without the run state: recomputed, still nothing written
    assert "wrote" not in cli(root, "run").out
    assert snapshot(root) == before


def test_build_only_reviewed_releases_unless_draft(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE})
    cli(root, "extract"), cli(root, "update")
    result = cli(root, "build")
    assert result.code == 0 and "not published, 0.0% reviewed" in result.out
    assert not (root / "output/ko/r.md").exists()
    draft = cli(root, "build", "--draft")  # drafts apart: never in output/
    assert "draft drafts/ko/r.md: 7 source" in draft.out
    marked = RELEASE.replace("---\n\n# ", "---\n\n<!-- DRAFT, not for publication (locpress build --draft): "
                                          "7 source -->\n\n# ", 1)
    assert marked != RELEASE and (root / "drafts/ko/r.md").read_text() == marked
    assert not (root / "output/ko/r.md").exists()
    fill(root / "locales/ko/r.po", lambda s: "KO " + s, fuzzy=True)
    cli(root, "build")
    assert not (root / "output/ko/r.md").exists()  # fuzzy is not reviewed: nothing published
    fill(root / "locales/ko/r.po", lambda s: "KO " + s)
    assert cli(root, "build").code == 0
    built = (root / "output/ko/r.md").read_text()
    assert "title: KO Floods displace thousands\n" in built
    assert "# KO Floods displace thousands\n" in built
    assert "KO The floods displaced 12,000 people in the north. KO IOM teams arrived on Monday.\n" in built
    assert "- KO Water for [all](https://www.iom.int/water).\n" in built


def test_min_reviewed_threshold(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# A\n\nOne. Two. Three. Four.\n"}, extra="[build]\nmin_reviewed = 60\n")
    cli(root, "extract"), cli(root, "update")
    fill(root / "locales/ko/r.po", lambda s: "" if s in ("Four.", "Three.") else "KO " + s)
    assert "not built, 60.0%" not in cli(root, "build").out  # 3 of 5 reviewed = 60%: built
    assert (root / "output/ko/r.md").read_text() == "# KO A\n\nKO One. KO Two. Three. Four.\n"


def test_chinese_sentences_join_without_space(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# A\n\nOne. Two.\nThree.\n"}, locales=("zh_Hans",))
    cli(root, "extract"), cli(root, "update")
    fill(root / "locales/zh_Hans/r.po", lambda s: {"A": "甲", "One.": "一。", "Two.": "二。", "Three.": "三。"}[s])
    cli(root, "build")
    assert (root / "output/zh_Hans/r.md").read_text() == "# 甲\n\n一。二。三。\n"


def test_status_counts_and_json(project: Make, cli: Cli) -> None:
    root = project({"a.md": "# A\n\nOne. Two. Three.\n", "b.txt": "B\n\nFour five.\n"})
    cli(root, "extract"), cli(root, "update")
    fill(root / "locales/ko/a.po", lambda s: "KO" if s in ("A", "One.") else "")
    catalog = parse_po((root / "locales/ko/a.po").read_bytes(), "a.po")
    catalog.messages[2].msgstr, catalog.messages[2].flags = "KO", ["fuzzy"]
    (root / "locales/ko/a.po").write_text(write_po(catalog))
    result = cli(root, "status", "--format", "json")
    data = json.loads(result.out)
    rows = {r["release"]: r for r in data["locales"][0]["releases"]}
    assert data["locales"][0]["locale"] == "ko"
    assert {k: rows["a"][k] for k in ("total", "reviewed", "fuzzy", "untranslated", "words", "reviewed_words")} == \
        {"total": 4, "reviewed": 2, "fuzzy": 1, "untranslated": 1, "words": 4, "reviewed_words": 2}
    assert rows["b"]["untranslated"] == 2 and rows["b"]["words"] == 3
    table = cli(root, "status").out
    assert re.search(r"^a\s+4\s+4\s+2\s+1\s+1\s+50\.0$", table, re.M), table


@needs_gettext
def test_status_agrees_with_msgfmt_statistics(project: Make, cli: Cli) -> None:
    root = project({"a.md": RELEASE})
    cli(root, "extract"), cli(root, "update")
    po = root / "locales/ko/a.po"
    fill(po, lambda s: "KO" if len(s) % 3 else "")
    row = json.loads(cli(root, "status", "--format", "json").out)["locales"][0]["releases"][0]
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True).stderr
    numbers = {k: int(m.group(1)) if (m := re.search(rf"(\d+) {k}", stats)) else 0
               for k in ("translated", "fuzzy", "untranslated")}
    assert (row["reviewed"], row["fuzzy"], row["untranslated"]) == \
        (numbers["translated"], numbers["fuzzy"], numbers["untranslated"])


def test_fail_under_gate(project: Make, cli: Cli) -> None:
    root = project({"a.md": "# A\n\nOne.\n"})
    cli(root, "run")
    failed = cli(root, "status", "--fail-under", "100")
    assert failed.code == 1 and "below threshold: ko a: 0.0% reviewed" in failed.err
    assert cli(root, "status", "--fail-under", "0").code == 0
    fill(root / "locales/ko/a.po", lambda s: "KO " + s)
    assert cli(root, "run", "--fail-under", "100").code == 0


def test_update_follows_msgmerge_semantics(project: Make, cli: Cli) -> None:
    v1 = "# Floods\n\nThe floods displaced 12,000 people. Teams arrived on Monday.\n\nKits went to 900 families.\n"
    v2 = "# Floods\n\nThe floods displaced 15,000 people. Teams arrived on Monday.\n\nA new sentence.\n"
    root = project({"r.md": v1})
    cli(root, "run")
    po = root / "locales/ko/r.po"
    fill(po, lambda s: "KO " + s)
    (root / "source/r.md").write_text(v2)
    cli(root, "run")
    live = entries(po)
    changed = live["The floods displaced 15,000 people."]
    assert changed.msgstr == "KO The floods displaced 12,000 people." and "fuzzy" in changed.flags
    assert changed.previous_msgid == "The floods displaced 12,000 people."
    assert live["Teams arrived on Monday."].reviewed
    assert live["A new sentence."].msgstr == ""
    assert "#~ msgid \"Kits went to 900 families.\"\n#~ msgstr \"KO Kits went to 900 families.\"" in po.read_text()
    (root / "source/r.md").write_text(v1)
    cli(root, "run")
    assert entries(po)["Kits went to 900 families."].msgstr == "KO Kits went to 900 families."


def test_translator_edit_between_runs_is_picked_up(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# A\n\nOne.\n"})
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: "가" if s == "A" else "하나.")
    assert cli(root, "run").code == 0
    assert (root / "output/ko/r.md").read_text() == "# 가\n\n하나.\n"


def test_plain_text_release(project: Make, cli: Cli) -> None:
    text = "IOM ROK hosts dialogue\nSeoul — The event took place. It was good.\n- Where we work\n***\n"
    root = project({"seed.txt": text})
    cli(root, "extract"), cli(root, "update")
    assert list(entries(root / "locales/ko/seed.po")) == [
        "IOM ROK hosts dialogue", "Seoul — The event took place.", "It was good.", "Where we work"]
    fill(root / "locales/ko/seed.po", lambda s: "KO " + s)
    cli(root, "build")
    assert (root / "output/ko/seed.txt").read_text() == (
        "KO IOM ROK hosts dialogue\nKO Seoul — The event took place. KO It was good.\n- KO Where we work\n***\n")


def test_release_and_locale_selection(project: Make, cli: Cli) -> None:
    root = project({"2023/a.md": "# A\n", "2024/b.md": "# B\n"}, locales=("ko", "fr"))
    cli(root, "extract", "--release", "2023/*")
    assert (root / "locales/templates/2023/a.pot").exists()
    assert not (root / "locales/templates/2024/b.pot").exists()
    cli(root, "extract")
    cli(root, "update", "--locale", "fr")
    assert (root / "locales/fr/2024/b.po").exists() and not (root / "locales/ko").exists()


def test_corrupt_catalog_is_reported_and_left_alone(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# T\n\nOne sentence. Two sentences.\n", "s.md": "# S\n\nAnother release.\n"})
    cli(root, "extract"), cli(root, "update")
    po = root / "locales/ko/r.po"
    broken = po.read_text().replace('msgstr ""\n\n#', 'msgstr "unterminated\n\n#', 1)
    po.write_text(broken)
    (root / "source/s.md").write_text("# S\n\nAnother release, changed.\n")
    cli(root, "extract")
    result = cli(root, "update")
    assert result.code == 3
    assert re.search(r"^error: locales/ko/r\.po:\d+: ", result.err, re.M), result.err
    assert "Traceback" not in result.err
    assert po.read_text() == broken
    assert "Another release, changed." in (root / "locales/ko/s.po").read_text()


def test_broken_front_matter_is_one_clear_error(project: Make, cli: Cli) -> None:
    root = project({"bad.md": "---\ntitle: [unclosed\ndate: 2023-11-01\n---\n\nText.\n", "ok.md": "# Fine\n"})
    result = cli(root, "extract")
    assert result.code == 3
    assert result.err.startswith("error: source/bad.md:3: broken YAML front matter")
    assert len(result.err.strip().splitlines()) == 1
    assert (root / "locales/templates/ok.pot").exists() and not (root / "locales/templates/bad.pot").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("update", "--locale", "xx"), "error: --locale: unknown locale code 'xx'"),
    (("update", "--locale", "fr"), "error: --locale: locale 'fr' is not configured"),
    (("extract", "--release", "nope/*"), "error: no release matches nope/*"),
])
def test_usage_errors_exit_2(project: Make, cli: Cli, args: tuple[str, ...], message: str) -> None:
    root = project({"r.md": "# T\n"})
    result = cli(root, *args)
    assert result.code == 2 and result.err.startswith(message)


def test_config_errors_exit_2(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# T\n"}, extra="[build]\nmin_reviewd = 5\n")
    result = cli(root, "run")
    assert result.code == 2
    assert result.err == "error: locpress.toml:4: unknown key build.min_reviewd\n"


def test_missing_template_is_reported(project: Make, cli: Cli) -> None:
    root = project({"r.md": "# T\n"})
    result = cli(root, "update")
    assert result.code == 3 and "run `locpress extract` first" in result.err


def test_paragraph_mode(project: Make, cli: Cli) -> None:
    root = project({"r.md": "Para one. Still one.\n"}, extra='[extract]\nsegmentation = "paragraph"\n')
    cli(root, "extract")
    assert 'msgid "Para one. Still one."' in (root / "locales/templates/r.pot").read_text()


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    from locpress.cli import main
    with pytest.raises(SystemExit) as done:
        main(["update", "--help"])
    assert done.value.code == 0
    assert "example: locpress update --locale ko" in capsys.readouterr().out


def _age(root: Path, seconds: float = 30) -> None:
    """Make every file look old, so the run state trusts its stamps (no racy entries)."""
    old = __import__("time").time() - seconds
    for path in root.rglob("*"):
        if path.is_file() and path.name != "run.json":
            __import__("os").utime(path, (old, old))


def test_a_no_op_run_is_replayed_until_something_changes(project: Make, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({"r.md": "# A\n\nOne.\n"})
    cli(root, "run")
    _age(root)
    first = cli(root, "run")  # a run that writes nothing is recorded...
    import locpress.run.pipeline

    def no_pipeline(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the pipeline ran although nothing changed")

    monkeypatch.setattr(locpress.run.pipeline, "Pipeline", no_pipeline)
    again = cli(root, "run")  # ...and replayed without reading the files
    assert (again.code, again.out) == (first.code, first.out)
    monkeypatch.undo()
    fill(root / "locales/ko/r.po", lambda s: "KO " + s)
    _age(root, 20)  # same-looking age, but a different size and time: not replayed
    changed = cli(root, "run")
    assert "wrote output/ko/r.md" in changed.out
    assert (root / "output/ko/r.md").read_text() == "# KO A\n\nKO One.\n"


def test_many_files_are_summarized_unless_verbose(project: Make, cli: Cli) -> None:
    root = project({f"r{i:02d}.md": f"# Release {i}\n" for i in range(25)})
    summary = cli(root, "extract")
    assert summary.out == "wrote 25 files in locales/templates/\n"
    (root / "source/r00.md").write_text("# Changed\n")
    for i in range(1, 25):
        (root / f"source/r{i:02d}.md").write_text(f"# Release {i}, changed\n")
    verbose = cli(root, "extract", "-v")
    assert verbose.out.count("wrote ") == 25


def test_update_and_build_on_several_processes_match_one(project: Make, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import locpress.run.workers

    files = {f"r{i}.md": f"# Release {i}\n\nPeople {i} were helped. Teams arrived.\n" for i in range(6)}
    root = project(files, locales=("ko", "fr", "zh_Hans"))
    assert cli(root, "run").code == 0
    for locale in ("ko", "zh_Hans"):
        for i in range(6):
            fill(root / f"locales/{locale}/r{i}.po", lambda s: f"[{locale}] {s}")
    (root / "locales/fr/r3.po").write_text("msgid \"broken\n")
    serial = cli(root, "run", "-v")
    serial_files = snapshot(root)
    assert serial.code == 3 and "error: locales/fr/r3.po:2: end-of-line within string" in serial.err
    for path in list((root / "output").rglob("*")) + [root / ".locpress/state.json"]:
        if path.is_file():
            path.unlink()
    monkeypatch.setattr(locpress.run.workers, "PARALLEL_ITEMS", 2)
    forked = cli(root, "run", "-v")
    assert forked.code == 3 and forked.err == serial.err
    assert sorted(forked.out.splitlines()) == sorted(serial.out.splitlines())
    assert snapshot(root) == serial_files
    assert "wrote" not in cli(root, "run").out  # the workers' run state came back to the parent


def test_build_takes_the_parse_from_extract_until_the_source_changes(project: Make, cli: Cli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import locpress.run.pipeline
    import locpress.run.runner

    root = project({"r.md": "---\ntitle: A title\n---\n\n# A\n\nOne. Two.\n"})
    cli(root, "extract"), cli(root, "update")
    fill(root / "locales/ko/r.po", lambda s: "KO " + s)

    def no_parse(*_args: object) -> None:
        raise AssertionError("parsed again although the source did not change")

    monkeypatch.setattr(locpress.run.runner, "parse_source", no_parse)
    assert cli(root, "build").code == 0
    assert (root / "output/ko/r.md").read_text() == "---\ntitle: KO A title\n---\n\n# KO A\n\nKO One. KO Two.\n"
    (root / "source/r.md").write_text("---\ntitle: A title\n---\n\n# A\n\nOne. Three.\n")
    with pytest.raises(AssertionError, match="parsed again"):
        cli(root, "build")


def test_a_new_catalog_is_the_template_under_the_locale_header(project: Make, cli: Cli,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut for new catalogs writes exactly what merging the template into nothing writes."""
    import locpress.run.pipeline
    from locpress.config import load
    from locpress.gettext.catalog import merge
    from locpress.gettext.headers import catalog_header

    text = (RELEASE + "\n| a | b |\n|---|---|\n| Cell one. | `code` \\| x |\n\n> Quote \"quoted\".  \n> Next\\\\ line.\n")
    root = project({"r.md": text, "t.txt": "Headline\n\nA line. Another \"quoted\" one.\n"},
                   locales=("ko", "ar", "zh_Hans"))
    cli(root, "extract")

    def unparsed(*_args: object) -> None:
        raise AssertionError("the template was parsed")

    monkeypatch.setattr(locpress.run.pipeline.Pipeline, "template", unparsed)
    assert cli(root, "update").code == 0
    monkeypatch.undo()
    config = load(root)
    for locale in ("ko", "ar", "zh_Hans"):
        for name in ("r", "t"):
            pot = root / f"locales/templates/{name}.pot"
            template = parse_po(pot.read_bytes(), str(pot))
            po = root / f"locales/{locale}/{name}.po"
            written = po.read_text()
            date = parse_po(po.read_bytes(), str(po)).fields
            header = [(k, v) for k, v in date]
            assert written == write_po(merge(template, None, header))
            assert header == catalog_header(config, locale, template, None, dict(date)["PO-Revision-Date"])


def test_many_notes_show_the_first_ones_and_count_the_rest(project: Make, cli: Cli) -> None:
    root = project({f"r{i:02d}.md": f"# Release {i}\n" for i in range(25)})
    cli(root, "extract"), cli(root, "update")
    notes = [line for line in cli(root, "build").out.splitlines() if line.startswith("note:")]
    assert len(notes) == 11 and notes[-1] == "note: ... and 15 more notes (-v lists them all)"


def test_global_options_before_the_command(project: Make, capsys: pytest.CaptureFixture[str]) -> None:
    from locpress.cli import main

    root = project({"a.md": "# A\n\nOne sentence.\n"}, locales=("ko", "fr"))
    assert main(["-C", str(root), "run"]) == 0
    capsys.readouterr()
    assert main(["-C", str(root), "-l", "ko", "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ko:") and "fr:" not in out
    assert main(["-l", "fr", "status", "-C", str(root), "--format", "json"]) == 0
    assert '"locale": "fr"' in capsys.readouterr().out
    assert main(["-C", str(root), "-l", "ko", "status", "-l", "fr"]) == 0  # repeatable: both places count
    both = capsys.readouterr().out
    assert "ko:" in both and "fr:" in both
    assert main(["-C", str(root), "-l", "de", "status"]) == 2
    assert "locale 'de' is not configured" in capsys.readouterr().err


def test_help_texts_say_what_each_command_does(capsys: pytest.CaptureFixture[str]) -> None:
    from locpress.cli import main

    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "extract, update, pretranslate (when pretranslate.engine is not `none`), build and status" in text
    # argparse spells a short alias "-l L, --locale L" up to 3.12 and "-l, --locale L" from 3.13
    assert re.search(r"-l( L)?, --locale L", text)
    with pytest.raises(SystemExit):
        main(["xliff", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--overwrite-reviewed" in text and "conflicts" in text and "Trados" in text
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "CATALOG.po" in capsys.readouterr().out


def test_counts_in_words_and_one_severity_word_per_line(project: Make, cli: Cli, tmp_path: Path) -> None:
    from locpress.cli import _noted
    from locpress.wording import counted

    assert [counted(1, "catalog"), counted(2, "catalog"), counted(0, "entry"), counted(1, "empty segment"),
            counted(3, "empty segment"), counted(1200, "character")] == [
        "1 catalog", "2 catalogs", "0 entries", "1 empty segment", "3 empty segments", "1,200 characters"]
    assert _noted("warning: libre: timed out") == "warning: libre: timed out"
    assert _noted("a.po changed") == "note: a.po changed"
    root = project({"a.md": "# A\n\nOne sentence.\n"})
    cli(root, "run")
    result = cli(root, "xliff", "export", "-o", str(tmp_path / "x"))
    assert "exported 1 catalog as XLIFF 1.2" in result.out


def test_check_takes_catalog_paths(project: Make, cli: Cli) -> None:
    root = project({"a.md": "# A\n\nIt costs 41%.\n", "b.md": "# B\n\nIt costs 12%.\n"}, locales=("ko", "fr"))
    cli(root, "run")
    for release, text in (("a", "14%"), ("b", "99%")):
        po = root / f"locales/ko/{release}.po"
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""\n\n#. paragraph', 'msgstr ""\n\n#. paragraph')
                      .replace(f'msgid "It costs {"41%" if release == "a" else "12%"}."\nmsgstr ""',
                               f'msgid "It costs {"41%" if release == "a" else "12%"}."\nmsgstr "비용은 {text}입니다."'),
                      encoding="utf-8")
    only_a = cli(root, "check", str(root / "locales/ko/a.po"))
    assert only_a.code == 1 and "locales/ko/a.po" in only_a.out and "locales/ko/b.po" not in only_a.out
    assert "in 1 catalog" in only_a.out
    both = cli(root, "check", str(root / "locales/ko/a.po"), str(root / "locales/fr/b.po"))
    assert "in 2 catalogs" in both.out and "locales/ko/b.po" not in both.out
    stray = cli(root, "check", str(root / "source/a.md"))
    assert stray.code == 2 and "not a catalog of this project" in stray.err


def test_a_console_that_cannot_encode_the_text_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    """A Windows console or pipe in cp1252: a release named in Hangul is reported, escaped."""
    import os
    import sys
    (tmp_path / "source").mkdir()
    (tmp_path / "source/발표.md").write_text("# Title\n\nOne sentence.\n", encoding="utf-8")
    (tmp_path / "locpress.toml").write_text('locales = ["ar"]\n', encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "locpress", "-C", str(tmp_path), "run"], env=env,
                          capture_output=True)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert b"\\ubc1c\\ud45c" in done.stdout  # the name, escaped: 발표
