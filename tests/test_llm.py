"""The language-model engine: through the CLI, against a fake OpenAI-compatible server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Result
from llm_server import LLMServer

from locpress.config import EngineSettings, from_dict
from locpress.errors import ConfigError
from locpress.gettext.catalog import Message, parse_po, write_po
from locpress.pretranslate import llm
from locpress.pretranslate.engines import Failure

Make = Callable[..., Path]
Cli = Callable[..., Result]
KEY = "sk-llm-0c1d2e3f4a"
FLOODS = """---
title: Floods displace thousands
---

# Floods displace thousands

The floods displaced 12,000 people in the north. See [the report](https://www.iom.int/floods) for details.

KOICA funded shelter kits for 900 families.

For more information, please contact Sieun Lee, Email: <silee@iom.int>.
"""
STORMS = """# Storms

The storms displaced 14,000 people. Shelter kits reached 300 families.

For more information, please contact Sieun Lee, Email: <silee@iom.int>.
"""
GLOSSARY = "en,ko,dnt,note\nshelter kits,긴급 주거 키트,,the IOM kit\nKOICA,,yes,agency name\n"


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPT_KEY", KEY)


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as fake:
        yield fake


def table(server: LLMServer, name: str = "gpt", **extra: object) -> str:
    options = {"type": "openai", "url": server.url, "model": server.model, "api_key_env": "GPT_KEY",
               "temperature": 0.2, "max_tokens": 4000, "timeout": 2, "retries": 2, "backoff": 0.01,
               "max_delay": 1.0, **extra}
    lines = []
    for key, value in options.items():
        if isinstance(value, bool):
            shown = str(value).lower()
        elif isinstance(value, dict):
            shown = "{ " + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()) + " }"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key} = {shown}")
    return f"[engines.{name}]\n" + "\n".join(lines) + "\n"


def prepared(project: Make, cli: Cli, server: LLMServer, files: dict[str, str] | None = None,
             extra: str = "", glossary: bool = True, **settings: object) -> Path:
    config = '[pretranslate]\nengine = "gpt"\n' + table(server, **settings) + extra
    root = project(files or {"floods.md": FLOODS}, extra=config)
    if glossary:
        (root / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    return root


def entries(root: Path, name: str = "floods") -> dict[str, Message]:
    path = root / "locales" / "ko" / f"{name}.po"
    return {m.msgid: m for m in parse_po(path.read_bytes(), str(path)).messages if not m.obsolete and m.msgid}


# --- the request ----------------------------------------------------------------------------

def test_one_request_per_release_with_ids_context_glossary_and_style(project: Make, cli: Cli,
                                                                     server: LLMServer) -> None:
    root = prepared(project, cli, server, style={"ko": "Formal press register (합니다체)."})
    po = root / "locales" / "ko" / "floods.po"
    catalog = parse_po(po.read_bytes(), str(po))
    reviewed = next(m for m in catalog.messages if m.msgid == "Floods displace thousands")
    reviewed.msgstr = "홍수로 수천 명 이재민 발생"
    po.write_text(write_po(catalog), encoding="utf-8")
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0, result.err
    assert len(server.requests) == 1
    asked = server.requests[0]
    assert asked.headers["Authorization"] == f"Bearer {KEY}"
    assert asked.body["model"] == "test-model" and asked.body["temperature"] == 0.2
    assert asked.body["max_tokens"] == 4000
    assert asked.body["response_format"]["type"] == "json_schema"
    system = asked.body["messages"][0]["content"]
    assert "Korean (ko)" in system and "합니다체" in system and "<x0/>" in system
    document = asked.document
    assert document["title"] == "Floods displace thousands"
    ids = [s["id"] for s in document["segments"]]
    assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
    context = {s["text"]: s.get("translation") for s in asked.context}
    assert context["Floods displace thousands"] == "홍수로 수천 명 이재민 발생"
    todo = [s["text"] for s in asked.todo]
    assert any("<x0/>" in t and "<x1/>" in t for t in todo)  # the link travels as tags
    assert not any("https://www.iom.int/floods" in t for t in todo)
    glossary = {g["term"]: g for g in document["glossary"]}
    assert glossary["shelter kits"] == {"term": "shelter kits", "translation": "긴급 주거 키트",
                                        "do_not_translate": False, "note": "the IOM kit"}
    assert glossary["KOICA"]["do_not_translate"] is True
    found = entries(root)
    link = next(m for m in found.values() if "the report" in m.msgid)
    assert link.msgstr.startswith("<ko> ") and "](https://www.iom.int/floods)" in link.msgstr
    assert "fuzzy" in link.flags and "locpress: mt gpt (model test-model)" in link.auto_comments
    kit = next(m for m in found.values() if m.msgid.startswith("KOICA"))
    assert "긴급 주거 키트" in kit.msgstr and "KOICA" in kit.msgstr
    assert not [c for m in found.values() for c in m.auto_comments if "check:" in c]
    assert KEY not in po.read_text(encoding="utf-8")


def test_releases_share_boilerplate_and_a_rerun_sends_nothing(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": FLOODS, "storms.md": STORMS})
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) == 2  # one per release
    asked = server.asked_texts
    assert len(asked) == len(set(asked))  # the contact line is asked once
    assert all(m.msgstr for name in ("floods", "storms") for m in entries(root, name).values())
    before = len(server.requests)
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) == before
    # a new catalog for the same texts: filled from the cache, nothing sent
    (root / "locales" / "ko" / "storms.po").unlink()
    assert cli(root, "update").code == 0
    result = cli(root, "pretranslate", "--locale", "ko")
    assert len(server.requests) == before and "cache hits" in result.out
    assert all(m.msgstr for m in entries(root, "storms").values())


def test_dry_run_counts_requests_and_estimates_tokens(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": FLOODS, "storms.md": STORMS})
    result = cli(root, "pretranslate", "--locale", "ko", "--dry-run")
    assert result.code == 0 and not server.requests
    assert "2 requests, about " in result.out and " tokens" in result.out
    tokens = int(result.out.split("about ")[1].split(" tokens")[0].replace(",", ""))
    assert 300 < tokens < 5000


def test_max_chars_counts_segment_text_only(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server)
    result = cli(root, "pretranslate", "--locale", "ko", "--max-chars", "60")
    assert "character budget" in result.out + result.err
    sent = sum(len(s["text"].replace("<x0/>", "[X0X]").replace("<x1/>", "[X1X]"))
               for r in server.requests for s in r.todo)
    assert 0 < sent <= 60


def test_chunks_are_cut_at_paragraph_boundaries(project: Make, cli: Cli, server: LLMServer) -> None:
    paragraphs = "\n\n".join(f"Paragraph {i} has one sentence. Its second sentence is number {i}."
                               for i in range(6))
    root = prepared(project, cli, server, files={"long.md": f"# Long\n\n{paragraphs}\n"}, chunk_chars=200)
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) >= 2
    seen = []
    for asked in server.requests:
        texts = [s["text"] for s in asked.todo]
        seen.extend(texts)
        assert sum(len(t) for t in texts) <= 200
        for i in range(6):  # a paragraph's two sentences travel together
            assert (f"Paragraph {i} has one sentence." in texts) == (f"Its second sentence is number {i}." in texts)
    assert len(seen) == 13 and len(set(seen)) == 13


# --- answers that are wrong -------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["missing", "drop-tags", "no-term"])
def test_a_rejected_answer_is_asked_again_once_with_the_finding(project: Make, cli: Cli, server: LLMServer,
                                                                fault: str) -> None:
    root = prepared(project, cli, server)
    server.faults = [fault]
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) == 2
    again = server.requests[1].todo
    assert again and all("problem" in s for s in again)
    expected = {"missing": "missing from your answer", "drop-tags": "tag lost", "no-term": "glossary:"}[fault]
    assert expected in again[0]["problem"]
    assert all(m.msgstr and "fuzzy" in m.flags for m in entries(root).values())
    assert not [c for m in entries(root).values() for c in m.auto_comments if "check:" in c]


def test_still_wrong_after_asking_again_is_left_fuzzy_with_a_note(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server)
    server.faults = ["no-term", "no-term"]
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) == 2
    kit = next(m for m in entries(root).values() if m.msgid.startswith("KOICA"))
    assert "fuzzy" in kit.flags and "shelter kits" in kit.msgstr
    assert any(c.startswith("locpress: mt gpt (model test-model) check: glossary:") for c in kit.auto_comments)


@pytest.mark.parametrize("fault", ["malformed", "envelope", "429:0.1", "500", "hang:3"])
def test_malformed_rate_limited_and_slow_answers_are_retried(project: Make, cli: Cli, server: LLMServer,
                                                              fault: str) -> None:
    root = prepared(project, cli, server, timeout=1)
    server.faults = [fault]
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0, result.err
    assert len(server.requests) == 2
    assert all(m.msgstr for m in entries(root).values())


def test_fenced_json_and_extra_ids_are_handled(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server)
    server.faults = ["fenced"]
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert all(m.msgstr for m in entries(root).values()) and len(server.requests) == 1
    root2 = prepared(project, cli, server, files={"storms.md": STORMS})
    server.faults = ["extra"]
    result = cli(root2, "pretranslate", "--locale", "ko")
    assert "answered 1 ids it was not asked for" in result.out + result.err


def test_retry_after_beyond_max_delay_gives_up_and_keeps_nothing(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server)
    server.faults = ["429:3600"]
    result = cli(root, "pretranslate", "--locale", "ko")
    assert "asks to wait 3600 s" in result.out + result.err and len(server.requests) == 1
    assert not any(m.msgstr for m in entries(root).values() if m.msgid != "Floods displace thousands")


@pytest.mark.parametrize("fault", ["nul", "huge"])
def test_control_characters_and_huge_answers_never_reach_a_catalog(project: Make, cli: Cli, server: LLMServer,
                                                                   fault: str) -> None:
    root = prepared(project, cli, server, retries=0)
    server.faults = [fault, fault]
    result = cli(root, "pretranslate", "--locale", "ko")
    po = (root / "locales" / "ko" / "floods.po").read_bytes()
    assert b"\x00" not in po and b"\x1b" not in po and len(po) < 20_000
    said = result.out + result.err
    assert ("control character U+0000" in said) if fault == "nul" else ("refused" in said)
    memory = (root / ".locpress" / "memory.sqlite3").stat().st_size
    assert memory < 2_000_000


def test_a_refused_key_stops_with_one_line(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": FLOODS, "storms.md": STORMS})
    server.faults = ["401", "401"]
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 2 and result.err.count("refused the API key (HTTP 401)") == 1 and KEY not in result.err


# --- embargo ----------------------------------------------------------------------------------

EMBARGOED = FLOODS.replace("title: Floods", "embargo: 2099-01-01T09:00:00+09:00\ntitle: Floods")


def test_an_embargoed_release_is_never_sent_to_a_public_engine(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": EMBARGOED, "storms.md": STORMS})
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0
    assert len(server.requests) == 1 and server.requests[0].document["title"] == "Storms"
    said = result.out + result.err
    assert said.count("source/floods.md: embargoed until 2099-01-01T09:00:00+09:00; not sent to gpt") == 1
    assert not any(m.msgstr for m in entries(root).values())
    assert all(m.msgstr for m in entries(root, "storms").values())


def test_a_confidential_engine_gets_embargoed_releases(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": EMBARGOED}, confidential=True)
    assert cli(root, "pretranslate", "--locale", "ko").code == 0
    assert len(server.requests) == 1 and all(m.msgstr for m in entries(root).values())


def test_a_past_embargo_holds_nothing(project: Make, cli: Cli, server: LLMServer) -> None:
    past = EMBARGOED.replace("2099-01-01T09:00:00+09:00", "2001-01-01T00:00:00Z")
    root = prepared(project, cli, server, files={"floods.md": past})
    result = cli(root, "pretranslate", "--locale", "ko")
    assert len(server.requests) == 1 and "embargoed" not in result.out + result.err


@pytest.mark.parametrize(("value", "message"), [
    ("2099-01-01T09:00:00", "has no time zone"),
    ("2099-01-01", "is a date without a time and zone"),
    ("next week", "not an ISO date-time"),
])
def test_an_embargo_without_zone_is_an_error_with_its_line(project: Make, cli: Cli, server: LLMServer,
                                                          value: str, message: str) -> None:
    text = FLOODS.replace("title: Floods", f"embargo: {value}\ntitle: Floods")
    root = prepared(project, cli, server, files={"floods.md": text, "storms.md": STORMS})
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code != 0 and f"error: source/floods.md:2: embargo: " in result.err and message in result.err
    assert all(r.document["title"] == "Storms" for r in server.requests) and server.requests


# --- units ------------------------------------------------------------------------------------

def test_configuration_of_openai_engines() -> None:
    config = from_dict({"locales": ["ko"], "pretranslate": {"engine": "local"}, "engines": {
        "local": {"type": "openai", "url": "http://127.0.0.1:8000/v1", "model": "qwen", "confidential": True,
                  "style": {"ko": "formal"}},
        "public": {"type": "openai", "url": "https://api.openai.com/v1", "model": "gpt-4o-mini"}}}, Path("."))
    local = config.engine_settings("local")
    assert local.confidential and local.style == (("ko", "formal"),) and config.engine == "local"
    for data, expected in [
        ({"x": {"type": "openai", "url": "http://h/v1"}}, "needs url and model"),
        ({"x": {"type": "claude", "url": "http://h", "model": "m"}}, "type' must be one of openai"),
        ({"google": {"type": "openai", "url": "http://h", "model": "m"}}, "built-in engine"),
        ({"libre": {"model": "m"}}, "are for type = \"openai\" engines"),
        ({"x": {"type": "openai", "url": "http://h", "model": "m", "confidential": "yes"}}, "true or false"),
        ({"x": {"type": "openai", "url": "http://h", "model": "m", "temperature": 3}}, "between 0 and 2"),
    ]:
        with pytest.raises(ConfigError, match=expected):
            from_dict({"locales": ["ko"], "engines": data}, Path("."))
    with pytest.raises(ConfigError, match="pretranslate.engine"):
        from_dict({"locales": ["ko"], "pretranslate": {"engine": "nowhere"}}, Path("."))


def test_parse_answer_accepts_the_schema_and_refuses_the_rest() -> None:
    def body(content: str) -> bytes:
        return json.dumps({"choices": [{"message": {"content": content}, "finish_reason": "stop"}]}).encode()

    good = json.dumps({"translations": [{"id": "s1", "text": "가 <x0/> 나"}, {"id": "s1", "text": "dup"}]})
    assert llm.parse_answer(body(good)) == {"s1": "가 [X0X] 나"}
    assert llm.parse_answer(body('{"translations": {"s2": "다"}}')) == {"s2": "다"}
    for bad in (b"<html>", body("no json"), body('{"other": 1}')):
        with pytest.raises(Failure) as caught:
            llm.parse_answer(bad)
        assert caught.value.retry
    cut = json.dumps({"choices": [{"message": {"content": '{"tr'}, "finish_reason": "length"}]}).encode()
    with pytest.raises(Failure, match="cut at max_tokens"):
        llm.parse_answer(cut)


def test_cache_variant_follows_model_style_and_the_segments_glossary() -> None:
    def made(**settings: object) -> llm.LLMEngine:
        options = {"type": "openai", "url": "http://127.0.0.1/v1", "model": "m", **settings}
        return llm.make("gpt", EngineSettings("gpt", **options), "en", "ko", {})  # type: ignore[arg-type]

    entry = llm.Entry("shelter kits", "긴급 주거 키트", False, "")
    assert made().variant([]) == made().variant([])
    assert made().variant([]) != made(model="n").variant([])
    assert made().variant([]) != made(style=(("ko", "formal"),)).variant([])
    assert made().variant([]) != made().variant([entry])
    assert made().endpoint == "http://127.0.0.1/v1/chat/completions"
    azure = made(url="https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21")
    assert azure.endpoint == "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21"


def test_a_release_that_failed_is_the_only_one_sent_again(project: Make, cli: Cli, server: LLMServer) -> None:
    root = prepared(project, cli, server, files={"floods.md": FLOODS, "storms.md": STORMS}, retries=0,
                    concurrency=1)
    server.faults = ["", "500"]
    result = cli(root, "pretranslate", "--locale", "ko")
    assert result.code == 0 and "texts not translated: gpt: HTTP 500" in result.out + result.err
    done = [name for name in ("floods", "storms") if all(m.msgstr for m in entries(root, name).values())]
    assert len(done) == 1
    first = {s["text"] for s in server.requests[0].todo}
    cli(root, "pretranslate", "--locale", "ko")
    assert len(server.requests) == 3
    assert not first & {s["text"] for s in server.requests[2].todo}  # paid answers are not asked again
    assert all(m.msgstr for name in ("floods", "storms") for m in entries(root, name).values())
