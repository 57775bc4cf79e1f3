"""The engine adapter: deep-translator's real clients against a local server, with faults."""

from __future__ import annotations

import threading
import time
import urllib.parse
from concurrent.futures import CancelledError

import pytest
from mt_server import MTServer

from locpress.config import EngineSettings
from locpress.errors import ConfigError
from locpress.pretranslate import engines

FAST = dict(timeout=0.5, retries=3, backoff=0.01, max_delay=1.0)




def engine(name: str, mt: MTServer, target: str = "ko", key: str | None = None, **settings: object) -> engines.Engine:
    options = {**FAST, **settings}
    configured = EngineSettings(name, url=mt.endpoint(name), **options)  # type: ignore[arg-type]
    environ = {f"LOCPRESS_{name.upper()}_API_KEY": key} if key else {}
    return engines.make(name, configured, "en", target, environ)


# --- locale codes -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "locale", "code"), [
    ("google", "zh_Hans", "zh-CN"), ("google", "ko", "ko"), ("google", "he", "iw"),
    ("libre", "zh_Hans", "zh"), ("libre", "ko", "ko"),
    ("mymemory", "ko", "ko-KR"), ("mymemory", "zh_Hans", "zh-CN"), ("mymemory", "pt_BR", "pt-BR"),
    ("mymemory", "de", "de-DE"),
    ("deepl", "ko", "KO"), ("deepl", "zh_Hans", "ZH-HANS"), ("deepl", "pt_BR", "PT-BR"),
    ("microsoft", "zh_Hans", "zh-Hans"), ("papago", "ko", "ko"), ("papago", "zh_Hans", "zh-CN"),
    ("baidu", "ko", "kor"), ("baidu", "zh_Hans", "zh"), ("yandex", "ru", "ru"),
])
def test_locale_codes_are_mapped_per_engine(name: str, locale: str, code: str) -> None:
    assert engines.engine_code(name, locale) == code


def test_unsupported_language_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="papago does not translate 'ar'"):
        engines.make("papago", EngineSettings("papago"), "en", "ar", {"LOCPRESS_PAPAGO_API_KEY": "id:secret"})


def test_missing_key_names_the_variable_and_api_key_env_is_honoured() -> None:
    with pytest.raises(engines.MissingKey, match="LOCPRESS_DEEPL_API_KEY"):
        engines.make("deepl", EngineSettings("deepl"), "en", "ko", {})
    made = engines.make("deepl", EngineSettings("deepl", api_key_env="MY_DEEPL"), "en", "ko", {"MY_DEEPL": "dk-secret-7"})
    assert made.key == "dk-secret-7" and "dk-secret-7" not in repr(made)
    with pytest.raises(ConfigError, match="ID:SECRET"):
        engines.make("baidu", EngineSettings("baidu"), "en", "ko", {"LOCPRESS_BAIDU_API_KEY": "no-colon"})


# --- every engine through deep-translator's real client -------------------------------------

@pytest.mark.parametrize(("name", "key", "sent", "headers"), [
    ("google", None, {"tl": "ko", "sl": "en"}, {}),
    ("libre", "sk-1", {"target": "ko", "source": "en", "api_key": "sk-1"}, {}),
    ("deepl", "dk-1", {"target_lang": "KO", "source_lang": "EN"}, {"Authorization": "DeepL-Auth-Key dk-1"}),
    ("microsoft", "mk-1", {"to": "ko", "from": "en", "api-version": "3.0"}, {"Ocp-Apim-Subscription-Key": "mk-1"}),
    ("mymemory", None, {"langpair": "en-GB|ko-KR"}, {}),
    ("papago", "id:secret", {"target": "ko", "source": "en"},
     {"X-NCP-APIGW-API-KEY-ID": "id", "X-NCP-APIGW-API-KEY": "secret"}),
    ("yandex", "yk-1", {"targetLanguageCode": "ko", "sourceLanguageCode": "en"}, {"Authorization": "Api-Key yk-1"}),
    ("baidu", "app:key", {"to": "kor", "from": "en", "appid": "app"}, {}),
])
def test_each_engine_translates_through_its_documented_api(mt: MTServer, name: str, key: str | None,
                                                           sent: dict[str, str], headers: dict[str, str]) -> None:
    made = engine(name, mt, key=key)
    assert made.translate("Hello [X0X]world[X1X].").endswith("Hello [X0X]world[X1X].")
    request = mt.requests[-1]
    assert {k: request.params.get(k) for k in sent} == sent  # codes, not names (Papago, DeepL ko)
    assert {k: request.headers.get(k) for k in headers} == headers  # keys in headers, never in the URL
    if key and name != "libre":
        assert key.split(":")[-1] not in urllib.parse.unquote(request.path)


def test_one_session_serves_every_text_of_an_engine(mt: MTServer) -> None:
    made = engine("deepl", mt, key="dk-1")
    for i in range(5):
        made.translate(f"Text {i}.")
    assert made._client is not None and len(mt.requests) == 5
    ports = {r.headers.get("X-Client-Port") for r in mt.requests}
    assert ports == {mt.requests[0].headers.get("X-Client-Port")}  # one kept-alive connection


def test_libre_needs_no_key_and_uses_the_configured_url(mt: MTServer) -> None:
    made = engine("libre", mt)
    assert made.translate("Hello.") == "<ko>Hello."
    assert mt.requests[0].path == "/libre/translate" and "api_key" not in mt.requests[0].params


def test_yandex_list_answer_becomes_text(mt: MTServer) -> None:
    assert engine("yandex", mt, key="y").translate("Hello.") == "<ko>Hello."


# --- faults -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["libre", "google"])
@pytest.mark.parametrize("fault", ["500", "503", "429:0", "hang:2", "drop"])
def test_transient_faults_are_retried(mt: MTServer, name: str, fault: str) -> None:
    mt.faults = [fault, fault]
    started = time.monotonic()
    assert engine(name, mt, timeout=0.3).translate("Hello.") == "<ko>Hello."
    assert len(mt.requests) == 3
    assert time.monotonic() - started < 5


def test_retry_after_is_honoured(mt: MTServer) -> None:
    mt.faults = ["429:0.4"]
    started = time.monotonic()
    assert engine("libre", mt).translate("Hello.") == "<ko>Hello."
    assert time.monotonic() - started >= 0.4


def test_retry_after_longer_than_max_delay_gives_up_at_once(mt: MTServer) -> None:
    mt.faults = ["429:3600"]
    with pytest.raises(engines.Failure, match="asks to wait 3600 s"):
        engine("libre", mt).translate("Hello.")
    assert len(mt.requests) == 1


def test_retries_are_bounded_and_back_off_exponentially_with_jitter(mt: MTServer) -> None:
    mt.faults = ["500"] * 10
    delays: list[float] = []
    configured = EngineSettings("libre", url=mt.endpoint("libre"), timeout=0.5, retries=3, backoff=1.0, max_delay=3.0)
    made = engines.make("libre", configured, "en", "ko", {}, sleep=lambda d: delays.append(d) is None)
    with pytest.raises(engines.Failure, match="HTTP 500"):
        made.translate("Hello.")
    assert len(mt.requests) == 4
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0 and 1.5 <= delays[2] <= 3.0


@pytest.mark.parametrize("name", ["libre", "google"])
@pytest.mark.parametrize("fault", ["empty", "malformed"])
def test_empty_or_malformed_answers_fail_without_retry(mt: MTServer, name: str, fault: str) -> None:
    mt.faults = [fault]
    with pytest.raises(engines.Failure):
        engine(name, mt).translate("Hello.")
    assert len(mt.requests) == 1


@pytest.mark.parametrize("name", ["libre", "google", "deepl"])
@pytest.mark.parametrize(("fault", "reason"), [("nul", r"control character U\+0000"), ("huge", "refused|not used")])
def test_control_characters_and_huge_answers_are_refused(mt: MTServer, name: str, fault: str, reason: str) -> None:
    mt.faults = [fault]
    # A generous timeout: building a 10 MB answer on a loaded machine must not look like a timeout.
    with pytest.raises(engines.Failure, match=reason):
        engine(name, mt, key="k-1", timeout=10.0).translate("Hello.")
    assert len(mt.requests) == 1  # not worth a retry


def test_answer_problem_limits() -> None:
    assert engines.answer_problem("Hello.", "안녕하세요.\n\tTab") is None
    assert "U+001B" in (engines.answer_problem("Hello.", "a\x1b[2J") or "")
    assert "U+0085" in (engines.answer_problem("Hello.", "a\x85") or "")
    assert engines.answer_problem("x" * 100, "y" * 800) is None
    assert "not used" in (engines.answer_problem("x" * 100, "y" * 801) or "")


def test_refused_key_stops_and_never_shows_the_key(mt: MTServer) -> None:
    mt.faults = ["403"]
    with pytest.raises(engines.KeyRefused) as caught:
        engine("libre", mt, key="sk-secret-42").translate("Hello.")
    assert "sk-secret-42" not in str(caught.value) and caught.value.exit_code == 2


def test_connection_refused_is_a_retried_failure() -> None:
    configured = EngineSettings("libre", url="http://127.0.0.1:9/", timeout=0.2, retries=1, backoff=0.0)
    with pytest.raises(engines.Failure, match="connection failed"):
        engines.make("libre", configured, "en", "ko", {}).translate("Hello.")


# --- the pool ---------------------------------------------------------------------------------

def test_pool_runs_concurrently_and_records_each_result_before_it_is_used(mt: MTServer) -> None:
    mt.faults = ["hang:0.2"] * 8
    recorded: dict[str, str] = {}
    made = engine("libre", mt, concurrency=4)
    pool = engines.Pool(made, lambda text, translation: recorded.__setitem__(text, translation))
    futures = {f"Text {i}.": pool.submit(f"Text {i}.") for i in range(8)}
    for text, future in futures.items():
        assert future.result() == f"<ko>{text}"
        assert recorded[text] == future.result()
    pool.close()
    assert mt.max_active >= 3


def test_one_failing_text_loses_no_other_result(mt: MTServer) -> None:
    mt.faults_by_text = {"Bad.": ["400"]}
    pool = engines.Pool(engine("libre", mt, concurrency=2), lambda _t, _r: None)
    futures = [pool.submit(t) for t in ("One.", "Bad.", "Two.")]
    assert futures[0].result() == "<ko>One." and futures[2].result() == "<ko>Two."
    with pytest.raises(engines.Failure, match="HTTP 400"):
        futures[1].result()
    pool.close()


def test_pool_stops_sending_when_the_engine_is_down(mt: MTServer) -> None:
    mt.faults = ["500"] * 1000
    pool = engines.Pool(engine("libre", mt, concurrency=1, retries=0), lambda _t, _r: None)
    futures = [pool.submit(f"Text {i}.") for i in range(20)]
    for future in futures:
        try:
            future.exception()
        except CancelledError:
            pass
    pool.close()
    assert pool.down is not None and "5 texts failed in a row" in str(pool.down)
    assert len(mt.requests) == engines.DOWN_AFTER
    assert all(f.cancelled() or f.exception() is not None for f in futures)


def test_shim_is_transparent_outside_our_calls(mt: MTServer) -> None:
    engines._install()
    import deep_translator.google as google_module
    assert google_module.requests is engines._SHIM
    response = google_module.requests.post(mt.endpoint("libre") + "translate", params={"q": "x", "target": "ko"})
    assert response.json() == {"translatedText": "<ko>x"}
    assert threading.current_thread() is threading.main_thread()


# --- splitting and pseudo-localization -----------------------------------------------------------

def test_split_prefers_sentences_then_clauses_then_words() -> None:
    text = "One two three. Four five, six seven eight nine ten."
    pieces = engines.split(text, 20)
    assert [p for p, _ in pieces] == ["One two three.", "Four five,", "six seven eight nine", "ten."]
    assert "".join(p + s for p, s in pieces) == text
    assert all(len(p) <= 20 for p, _ in pieces)
    assert engines.split(text, 0) == [(text, "")]


def test_split_never_cuts_a_token() -> None:
    pieces = engines.split("abcdefg[X12X]hij", 10)
    assert pieces[0][0] == "abcdefg" and pieces[1][0].startswith("[X12X]")


def test_pseudo_is_accented_longer_bracketed_and_keeps_tokens() -> None:
    text = "Water for [X0X]all[X1X] families in the north."
    result = engines.pseudo(text)
    assert result.startswith("[") and result.endswith("]")
    assert "[X0X]" in result and "[X1X]" in result and "Ŵåţéŕ" in result
    assert 1.25 * len(text) <= len(result) <= 1.4 * len(text)
    made = engines.make("pseudo", EngineSettings("pseudo"), "en", "ko", {})
    assert made.translate(text) == result and made.free
