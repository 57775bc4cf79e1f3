"""Pre-translation end to end through the CLI, against a local machine-translation server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from mt_server import MTServer

from locpress.config import from_dict
from locpress.errors import ConfigError
from locpress.gettext.catalog import Message, parse_po, write_po
from locpress.pretranslate.masking import Masked, mask, restore

Make = Callable[..., Path]
Cli = Callable[..., Result]
KEY = "sk-test-5f1e2d3c4b"
FLOODS = """---
title: Floods displace thousands
---

# Floods displace thousands

The floods displaced 12,000 people in the north. See [the report](https://www.iom.int/floods) for details.

For more information, please contact Sieun Lee, Tel.: +82 70 4820 2751, Email: <silee@iom.int>.
"""
STORMS = """# Storms

The storms displaced 14,000 people in the north. KOICA funded `shelter kits` for 900 families.

For more information, please contact Sieun Lee, Tel.: +82 70 4820 2751, Email: <silee@iom.int>.
"""
CONTACT = "For more information, please contact Sieun Lee, Tel.: +82 70 4820 2751, Email: <silee@iom.int>."


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCPRESS_LIBRE_API_KEY", KEY)


def libre(mt: MTServer, engine: str = "libre", **settings: object) -> str:
    options = {"timeout": 2, "backoff": 0.01, "max_delay": 1.0, "retries": 2, **settings}
    table = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in options.items())
    return f'[pretranslate]\nengine = "{engine}"\n[engines.{engine}]\nurl = "{mt.endpoint(engine)}"\n{table}'


def prepared(project: Make, cli: Cli, files: dict[str, str], extra: str = "", locales: tuple[str, ...] = ("ko",)) -> Path:
    root = project(files, locales=locales, extra=extra)
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    return root


def entries(path: Path) -> dict[str, Message]:
    return {m.msgid: m for m in parse_po(path.read_bytes(), str(path)).messages if not m.obsolete}


def translate_all(path: Path, fn: Callable[[str], str]) -> None:
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        message.msgstr = fn(message.msgid)
        message.flags = [f for f in message.flags if f != "fuzzy"]
    path.write_text(write_po(catalog), encoding="utf-8")


def unique_msgids(root: Path, locale: str = "ko") -> set[str]:
    return {msgid for po in (root / "locales" / locale).rglob("*.po") for msgid in entries(po)}


# --- protected spans ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "spans"), [
    ("Run `npm install` now.", ["`npm install`"]),
    ("Read [the report](https://www.iom.int/x \"Title\") today.", ["[", "](https://www.iom.int/x \"Title\")"]),
    ("See ![chart](img/a.png) and [ref][1].", ["![", "](img/a.png)", "[", "][1]"]),
    ("Visit https://www.iom.int/news, then www.un.org.", ["https://www.iom.int/news", "www.un.org"]),
    ("Write to silee@iom.int or <press@iom.int>.", ["silee@iom.int", "<press@iom.int>"]),
    ("Call +82 70 4820 2751 today.", ["+82 70 4820 2751"]),
    ("A <b>bold</b> move<br/>.", ["<b>", "</b>", "<br/>"]),
    ("Tokens [X0X] in the source survive.", ["[X0X]"]),
])
def test_mask_protects_spans_and_restore_puts_them_back(text: str, spans: list[str]) -> None:
    masked = mask(text)
    assert list(masked.spans) == spans
    assert restore(masked, masked.text) == (text, [])


def test_mask_protects_do_not_translate_terms() -> None:
    text = "KOICA and COP28 met."
    masked = mask(text, [(0, 5), (10, 15)])
    assert masked.text == "[X0X] and [X1X] met." and masked.spans == ("KOICA", "COP28")


@pytest.mark.parametrize("mangled", ["[x 0 x] und [ X1X ]", "X0X und [X1X]", "［X0X］ und [X1X]"])
def test_restore_recognises_respaced_and_recased_tokens(mangled: str) -> None:
    assert restore(Masked("[X0X] and [X1X]", ("KOICA", "`x`")), mangled) == ("KOICA und `x`", [])


def test_restore_reports_lost_and_duplicated_spans() -> None:
    masked = Masked("[X0X] and [X1X]", ("https://a.org", "KOICA"))
    assert restore(masked, "und [X1X] [X1X]") == ("und KOICA KOICA", ['lost "https://a.org"', 'duplicated "KOICA"'])


# --- fill order, states, provenance ---------------------------------------------------------------

def test_fill_order_states_and_provenance(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"2023/11/floods.md": FLOODS}, libre(mt))
    floods = root / "locales/ko/2023/11/floods.po"
    translate_all(floods, lambda s: "KO:" + s)
    (root / "source/2023/12/storms.md").parent.mkdir(parents=True)
    (root / "source/2023/12/storms.md").write_text(STORMS)
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    storms = root / "locales/ko/2023/12/storms.po"
    result = cli(root, "pretranslate")
    assert result.code == 0, result.err
    got = entries(storms)
    exact = got[CONTACT]
    assert exact.msgstr == "KO:" + CONTACT and "fuzzy" not in exact.flags
    assert exact.auto_comments[-1] == "locpress: tm 100% from 2023/11/floods"
    near = got["The storms displaced 14,000 people in the north."]
    assert near.msgstr == "KO:The floods displaced 12,000 people in the north." and "fuzzy" in near.flags
    assert near.auto_comments[-1].startswith('locpress: tm ') and \
        near.auto_comments[-1].endswith('% for "The floods displaced 12,000 people in the north."')
    assert near.previous_msgid == "The floods displaced 12,000 people in the north."
    machine = got["Storms"]
    assert machine.msgstr == "<ko>Storms" and "fuzzy" in machine.flags
    assert machine.auto_comments[-1] == "locpress: mt libre"
    assert "pretranslate ko: 4 empty segments, memory 2 (1 exact, 1 fuzzy), machine 2 (libre)" in result.out
    assert set(mt.texts) == {"Storms", "KOICA funded [X0X] for 900 families."}


def test_exact_matches_can_be_filled_fuzzy(project: Make, cli: Cli) -> None:
    root = prepared(project, cli, {"a.md": FLOODS}, '[pretranslate]\nexact_tm = "fuzzy"\n')
    translate_all(root / "locales/ko/a.po", lambda s: "KO:" + s)
    (root / "source/b.md").write_text(STORMS)
    cli(root, "extract"), cli(root, "update")
    assert cli(root, "pretranslate").code == 0
    contact = entries(root / "locales/ko/b.po")[CONTACT]
    assert contact.msgstr == "KO:" + CONTACT and "fuzzy" in contact.flags


def test_reviewed_and_fuzzy_entries_with_text_are_never_touched(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, libre(mt))
    po = root / "locales/ko/a.po"
    catalog = parse_po(po.read_bytes(), str(po))
    catalog.messages[0].msgstr = "검토됨"
    catalog.messages[1].msgstr, catalog.messages[1].flags = "퍼지", ["fuzzy"]
    po.write_text(write_po(catalog), encoding="utf-8")
    before = {m.msgid: (m.msgstr, m.flags, m.auto_comments) for m in catalog.messages[:2]}
    assert cli(root, "pretranslate").code == 0
    after = entries(po)
    for msgid, state in before.items():
        assert (after[msgid].msgstr, after[msgid].flags, after[msgid].auto_comments) == state
    assert catalog.messages[0].msgid not in mt.texts and catalog.messages[1].msgid not in mt.texts


def test_glossary_hints_and_do_not_translate_terms(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, libre(mt))
    (root / "glossary.csv").write_text("en,ko,dnt\nKOICA,,yes\nfamilies,가족,\n", encoding="utf-8")
    assert cli(root, "pretranslate").code == 0
    entry = entries(root / "locales/ko/a.po")["KOICA funded `shelter kits` for 900 families."]
    assert entry.auto_comments[-2:] == ["glossary: families = 가족", "glossary: KOICA = KOICA"]
    assert "KOICA" not in " ".join(mt.texts) and entry.msgstr.startswith("<ko>KOICA funded `shelter kits`")


def test_an_invalid_glossary_stops_pretranslation_with_its_line(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, libre(mt))
    (root / "glossary.csv").write_text("en,ko\nIOM\n", encoding="utf-8")
    result = cli(root, "pretranslate")
    assert result.code == 3 and "error: glossary.csv:2: 1 fields, but the header has 2" in result.err
    assert mt.texts == []


# --- never pay twice ----------------------------------------------------------------------------

def test_identical_texts_are_sent_once_and_a_rerun_sends_nothing(project: Make, cli: Cli, mt: MTServer) -> None:
    files = {f"2024/0{i}/r.md": f"# Release {i}\n\nIOM is part of the United Nations System.\n\n"
                                f"Text number {i} is here.\n" for i in range(1, 5)}
    root = prepared(project, cli, files, libre(mt), locales=("ko", "zh_Hans"))
    assert cli(root, "pretranslate").code == 0
    unique = unique_msgids(root)
    assert Counter(mt.texts) == {text: 2 for text in unique}  # once per locale
    sent = len(mt.texts)
    assert cli(root, "pretranslate").code == 0
    assert len(mt.texts) == sent
    for po in (root / "locales").rglob("*.po"):  # catalogs lost: filled again from the cache
        po.unlink()
    assert cli(root, "update").code == 0
    result = cli(root, "pretranslate")
    assert len(mt.texts) == sent and "0 characters sent in 0 requests, 9 cache hits" in result.out
    assert all(m.msgstr for po in (root / "locales/ko").rglob("*.po") for m in entries(po).values())


def test_a_run_killed_midway_resumes_without_resending(project: Make, cli: Cli, mt: MTServer) -> None:
    files = {f"r{i}.md": f"# Release {i}\n\nFirst sentence of {i}. Second sentence of {i}.\n" for i in range(6)}
    root = prepared(project, cli, files, libre(mt, concurrency=1))
    mt.after_answers = 7
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    process = subprocess.Popen([sys.executable, "-m", "locpress.cli", "pretranslate", "-C", str(root)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(mt.requests) <= 7 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    paid = list(mt.answered)
    assert len(paid) == 7
    mt.after_answers = None
    first = len(mt.requests)
    assert cli(root, "pretranslate").code == 0
    resent = mt.texts[first:]
    assert not set(resent) & set(paid)
    assert set(resent) | set(paid) == unique_msgids(root)
    assert all(m.msgstr for po in (root / "locales/ko").rglob("*.po") for m in entries(po).values())


def test_engine_going_down_keeps_finished_releases_and_the_rerun_resumes(project: Make, cli: Cli,
                                                                         mt: MTServer) -> None:
    files = {f"r{i}.md": f"# Release {i}\n\nOnly sentence of {i}.\n" for i in range(8)}
    root = prepared(project, cli, files, libre(mt, concurrency=1, retries=0))
    mt.translate = lambda text, target: f"<{target}>{text}"
    answered: list[str] = []
    mt.on_request = lambda text: answered.append(text)
    mt.faults = [""] * 6 + ["500"] * 100
    result = cli(root, "pretranslate")
    assert result.code == 0 and "warning: libre: 5 texts failed in a row" in result.out
    done = [po for po in sorted((root / "locales/ko").glob("*.po")) if all(m.msgstr for m in entries(po).values())]
    assert len(done) == 3  # six answers: three whole releases saved
    paid = list(mt.answered)
    mt.faults = []
    first = len(mt.requests)
    assert cli(root, "pretranslate", "--fail-on-engine-error").code == 0
    assert not set(mt.texts[first:]) & set(paid)
    assert all(m.msgstr for po in (root / "locales/ko").glob("*.po") for m in entries(po).values())


def test_engine_failures_warn_by_default_and_fail_with_the_flag(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, libre(mt, retries=0))
    mt.faults_by_text = {"Storms": ["400", "400"]}
    result = cli(root, "pretranslate")
    assert result.code == 0 and "\nwarning: ko: 1 texts not translated: libre: HTTP 400" in result.out
    assert not entries(root / "locales/ko/a.po")["Storms"].msgstr
    result = cli(root, "pretranslate", "--fail-on-engine-error")
    assert result.code == 3 and "error: ko: 1 texts not translated: libre: HTTP 400" in result.err
    assert mt.texts.count("KOICA funded [X0X] for 900 families.") == 1


def test_the_api_key_is_never_written_or_printed(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": FLOODS, "b.md": STORMS}, libre(mt, retries=0))
    mt.faults = ["drop", "500", "429:0", "hang:3", "403"]
    outputs = [cli(root, "pretranslate"), cli(root, "pretranslate", "--dry-run"), cli(root, "tm", "stats"),
               cli(root, "pretranslate", "--fail-on-engine-error"), cli(root, "run")]
    assert any(r.code == 2 and "refused the API key (HTTP 403)" in r.err for r in outputs)
    assert all(KEY not in r.out + r.err for r in outputs)
    assert any(r.params.get("api_key") == KEY for r in mt.requests)  # it was used...
    written = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "memory.sqlite3" for p in written)
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []  # ...and never written


# --- dry run, budget, engines, run ---------------------------------------------------------------

def test_dry_run_counts_without_network_or_writes(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": FLOODS, "b.md": STORMS}, libre(mt))
    before = (root / "locales/ko/a.po").read_bytes()
    result = cli(root, "pretranslate", "--dry-run")
    assert result.code == 0 and mt.requests == []
    assert (root / "locales/ko/a.po").read_bytes() == before
    characters = sum(len(mask(text).text) for text in unique_msgids(root))
    assert "pretranslate ko (dry run, libre): 8 empty segments, memory 0 (0 exact, 0 fuzzy), 7 unique to " \
           f"translate: {characters} characters to send, 0 cached" in result.out


def test_max_chars_stops_before_the_budget_and_a_rerun_continues(project: Make, cli: Cli, mt: MTServer) -> None:
    files = {f"r{i}.md": f"# Release {i}\n\nSentence number {i}.\n" for i in range(4)}
    root = prepared(project, cli, files, libre(mt, concurrency=1))
    result = cli(root, "pretranslate", "--max-chars", "50")
    assert mt.texts == ["Release 0", "Sentence number 0.", "Release 1"]  # 36 characters; 18 more would pass 50
    assert "stopped before the character budget: 5 texts (72 characters) not sent" in result.out
    assert "5 not sent" in result.out
    assert cli(root, "pretranslate").code == 0
    assert len(mt.texts) == 8 and len(set(mt.texts)) == 8


def test_long_texts_are_split_at_sentence_boundaries(project: Make, cli: Cli, mt: MTServer) -> None:
    paragraph = "One short sentence here. Another one follows it. And a third, with a clause, ends it."
    root = prepared(project, cli, {"a.md": f"{paragraph}\n"},
                    libre(mt, max_length=40, concurrency=1) + '[extract]\nsegmentation = "paragraph"\n')
    assert cli(root, "pretranslate").code == 0
    assert mt.texts == ["One short sentence here.", "Another one follows it.", "And a third, with a clause, ends it."]
    assert entries(root / "locales/ko/a.po")[paragraph].msgstr == \
        "<ko>One short sentence here. <ko>Another one follows it. <ko>And a third, with a clause, ends it."


def test_a_mangling_engine_keeps_spans_and_a_losing_one_is_flagged(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": FLOODS}, libre(mt))
    sentence = "See [the report](https://www.iom.int/floods) for details."
    mt.faults_by_text = {"See [X0X]the report[X1X] for details.": ["mangle"], "Call [X0X].": []}
    mt.faults_by_text[mask(CONTACT).text] = ["lose"]
    assert cli(root, "pretranslate").code == 0
    got = entries(root / "locales/ko/a.po")
    assert got[sentence].msgstr == "<ko>" + sentence and got[sentence].auto_comments[-1] == "locpress: mt libre"
    lost = got[CONTACT]
    assert "fuzzy" in lost.flags and 'locpress: mt libre lost "+82 70 4820 2751"' in lost.auto_comments


def test_pseudo_engine_needs_no_service(project: Make, cli: Cli) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, locales=("ko", "zh_Hans"))
    result = cli(root, "pretranslate", "--engine", "pseudo", "--locale", "zh_Hans")
    assert result.code == 0, result.err
    entry = entries(root / "locales/zh_Hans/a.po")["KOICA funded `shelter kits` for 900 families."]
    assert entry.msgstr.startswith("[ĶÖÎÇÅ ƒûñðéð `shelter kits`") and entry.auto_comments[-1] == "locpress: mt pseudo"
    assert all(not m.msgstr for m in entries(root / "locales/ko/a.po").values())


def test_missing_key_is_a_one_line_error_and_memory_still_fills(project: Make, cli: Cli,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = prepared(project, cli, {"a.md": FLOODS}, '[pretranslate]\nengine = "deepl"\n')
    translate_all(root / "locales/ko/a.po", lambda s: "KO:" + s)
    (root / "source/b.md").write_text(STORMS)
    cli(root, "extract"), cli(root, "update")
    result = cli(root, "pretranslate")
    assert result.code == 2
    assert result.err.strip() == "error: deepl: no API key; set the environment variable LOCPRESS_DEEPL_API_KEY"
    assert entries(root / "locales/ko/b.po")[CONTACT].msgstr == "KO:" + CONTACT


def test_run_pretranslates_only_when_an_engine_is_configured(project: Make, cli: Cli, mt: MTServer) -> None:
    root = project({"a.md": STORMS})
    assert cli(root, "run", "--draft").code == 0 and "pretranslate" not in cli(root, "run").out
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko"]\n' + libre(mt))
    result = cli(root, "run", "--draft")
    assert result.code == 0 and "pretranslate ko: 4 empty segments" in result.out
    assert entries(root / "locales/ko/a.po")["Storms"].msgstr == "<ko>Storms"


def test_engine_url_option_overrides_the_configuration(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": "# Hello\n"}, '[engines.libre]\nurl = "http://127.0.0.1:9/"\n')
    result = cli(root, "pretranslate", "--engine", "libre", "--engine-url", mt.endpoint("libre"))
    assert result.code == 0 and mt.texts == ["Hello"]


def test_tm_rebuild_and_stats(project: Make, cli: Cli) -> None:
    root = prepared(project, cli, {"a.md": FLOODS})
    translate_all(root / "locales/ko/a.po", lambda s: "KO:" + s)
    result = cli(root, "tm", "rebuild")
    assert result.code == 0 and "rebuilt ko: 4 segments (4 distinct) from 1 catalog" in result.out
    assert "memory ko: 4 segments" in cli(root, "tm", "stats").out


@pytest.mark.parametrize(("data", "message"), [
    ({"pretranslate": {"engine": "bing"}}, "key 'pretranslate.engine' must be one of"),
    ({"pretranslate": {"exact_tm": "maybe"}}, "key 'pretranslate.exact_tm' must be one of reviewed, fuzzy"),
    ({"pretranslate": {"tm_min_score": 120}}, "key 'pretranslate.tm_min_score' must be a percentage"),
    ({"pretranslate": {"engnie": "google"}}, "unknown key pretranslate.engnie"),
    ({"engines": {"libre": {"api_key": "sk-x"}}}, "unknown key engines.libre.api_key (API keys are read"),
    ({"engines": {"libre": {"timeout": "fast"}}}, "key 'engines.libre.timeout' must be an int or number"),
    ({"engines": {"libre": {"url": "ftp://x"}}}, "key 'engines.libre.url' must start with http"),
    ({"engines": {"libre": {"api_key_env": "sk-123 secret"}}}, "must be the name of an environment variable"),
    ({"engines": {"bing": {}}}, "unknown engine engines.bing"),
])
def test_configuration_errors_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_dict({"locales": ["ko"], **data}, Path("."))
    assert message in str(caught.value) and "sk-x" not in str(caught.value)


def test_update_keeps_provenance_and_glossary_comments(project: Make, cli: Cli) -> None:
    """Provenance must survive `locpress update` (catalog.merge keeps `locpress:` and
    `glossary:` auto comments of the old entry; this rule belongs to the catalog module)."""
    root = prepared(project, cli, {"a.md": STORMS}, '[pretranslate]\nengine = "pseudo"\n')
    (root / "glossary.csv").write_text("en,ko\nfamilies,가족\n", encoding="utf-8")
    assert cli(root, "pretranslate").code == 0
    before = entries(root / "locales/ko/a.po")["KOICA funded `shelter kits` for 900 families."].auto_comments
    (root / "source/a.md").write_text(STORMS + "\nA new paragraph.\n")
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    after = entries(root / "locales/ko/a.po")["KOICA funded `shelter kits` for 900 families."].auto_comments
    assert before[-2:] == ["locpress: mt pseudo", "glossary: families = 가족"] and after == before


def test_a_catalog_saved_by_a_translator_meanwhile_is_read_again(project: Make, cli: Cli, mt: MTServer) -> None:
    root = prepared(project, cli, {"a.md": STORMS}, libre(mt, concurrency=1))
    po = root / "locales/ko/a.po"

    def translator_saves(_text: str) -> None:
        if len(mt.requests) == 1:
            catalog = parse_po(po.read_bytes(), str(po))
            for message in catalog.messages:
                if message.msgid == CONTACT:
                    message.msgstr = "번역가의 번역"
            po.write_text(write_po(catalog), encoding="utf-8")

    mt.on_request = translator_saves
    result = cli(root, "pretranslate")
    assert result.code == 0 and "locales/ko/a.po changed while locpress read it; reading it again" in result.out
    got = entries(po)
    assert got[CONTACT].msgstr == "번역가의 번역" and "fuzzy" not in got[CONTACT].flags
    assert got["Storms"].msgstr == "<ko>Storms"


def test_a_run_without_the_key_is_not_remembered_as_done(project: Make, cli: Cli, mt: MTServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = prepared(project, cli, {"a.md": "# Hello\n"}, libre(mt, engine="deepl"))
    assert cli(root, "pretranslate").code == 2 and mt.texts == []
    time.sleep(2.1)  # past the racy window: the catalog's stamp alone would say "unchanged"
    monkeypatch.setenv("LOCPRESS_DEEPL_API_KEY", "dk-1")
    assert cli(root, "pretranslate").code == 0 and mt.texts == ["Hello"]
    assert cli(root, "pretranslate").code == 0 and mt.texts == ["Hello"]


def test_progress_has_an_eta_on_a_terminal_and_nothing_in_a_pipe() -> None:
    import io

    from locpress import cli as cli_module

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        show = cli_module._progress(stream)
        for done in (0, 20, 40):
            show("translate ko", done, 40)
    assert "20/40 ETA 0:00" in terminal.getvalue() and terminal.getvalue().endswith("40/40            \n")
    assert pipe.getvalue() == ""
