"""Machine-translation engines: one adapter over deep-translator that makes it dependable.

deep-translator 1.11.4 is thin, and this module fixes what pre-translation cannot live with:

- no request timeouts: every request made by its engine modules goes through `_Requests`,
  which adds our timeout and a per-thread session, records the HTTP status and Retry-After,
  and turns network errors into `_Transport` (they escaped unwrapped, or were logged and
  swallowed by the Microsoft engine, or caught as the wrong `ConnectionError`);
- `translate_batch` is a sequential loop that loses every result on the first error: texts
  go one by one through a thread pool (`Pool`), each result handed to a callback (which
  caches it) as soon as it arrives;
- language names and codes: we map our locale codes to each engine's codes ourselves and
  bypass its name table (DeepL rejects `ko`, Papago sends `Korean` instead of `ko`);
- LibreTranslate ignores `base_url` (it takes `custom_url`) and insists on a key; Microsoft
  fetches its language list from the internet in its constructor (never, here); Yandex
  returns a list; some engines return None or an empty string on an empty answer.

429, 5xx, timeouts and connection errors are retried with exponential backoff and jitter,
honouring Retry-After, a bounded number of times. A refused key stops the engine at once,
and so do five texts failing in a row (the service is down: no point sending the rest).
The API key lives only in the engine object; no message made here contains it.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from .config import ENGINE_NAMES, EngineSettings
from .errors import ConfigError, LocpressError

#: Characters per request, under each engine's own limit (and under URL length limits for
#: engines that deep-translator calls with the text in the query string).
MAX_LENGTH = {"google": 4999, "mymemory": 499, "deepl": 4000, "microsoft": 10000, "papago": 5000,
              "libre": 2000, "yandex": 10000, "baidu": 2000, "pseudo": 0, "none": 0}
KEY_REQUIRED = frozenset({"deepl", "microsoft", "papago", "yandex", "baidu"})
KEY_OPTIONAL = frozenset({"libre"})
#: Engines whose credentials are two values, given as `ID:SECRET` in one variable.
PAIRED_KEYS = frozenset({"papago", "baidu"})
#: Engines that cost nothing and need no cache.
FREE = frozenset({"pseudo", "none"})
#: Texts failing in a row after which the engine is taken to be down.
DOWN_AFTER = 5
TOKEN = re.compile(r"\[X\d+X\]")


class EngineError(LocpressError):
    """The engine cannot be used for this run (refused key, service down)."""


class MissingKey(ConfigError):
    """No API key in the environment for an engine that needs one."""


class KeyRefused(EngineError):
    """The service says the key is wrong: a configuration error, never worth retrying."""

    exit_code = 2


class Failure(Exception):
    """One text could not be translated; `retry` says whether trying again may help."""

    def __init__(self, reason: str, retry: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.wait = wait


class Cancelled(Exception):
    """The run stopped (engine down, budget, interrupt) before this text was sent."""


def key_variable(name: str, settings: EngineSettings) -> str:
    """Where the API key of an engine is read from."""
    return settings.api_key_env or f"LOCPRESS_{name.upper()}_API_KEY"


# --- locale codes -------------------------------------------------------------------------

_GOOGLE = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN", "he": "iw", "jv": "jw", "fil": "tl",
           "nb": "no", "nn": "no", "mni": "mni-Mtei"}
_LIBRE = {"zh_Hans": "zh", "zh_Hant": "zt", "zh": "zh"}
_MYMEMORY = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN"}
_DEEPL_TARGETS = frozenset("AR BG CS DA DE EL EN-GB EN-US ES ET FI FR HU ID IT JA KO LT LV NB NL PL PT-BR PT-PT "
                           "RO RU SK SL SV TR UK ZH-HANS ZH-HANT".split())
_DEEPL = {"zh_Hans": "ZH-HANS", "zh_Hant": "ZH-HANT", "zh": "ZH-HANS", "pt_BR": "PT-BR", "pt": "PT-PT",
          "pt_PT": "PT-PT", "en": "EN-US", "en_GB": "EN-GB", "en_US": "EN-US", "no": "NB", "nb": "NB"}
_MICROSOFT = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "zh": "zh-Hans", "pt_PT": "pt-pt", "sr_Latn": "sr-Latn",
              "sr_Cyrl": "sr-Cyrl", "fr_CA": "fr-ca", "nb": "nb", "no": "nb"}
_PAPAGO = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN"}
_PAPAGO_CODES = frozenset({"ko", "en", "ja", "zh-CN", "zh-TW", "es", "fr", "vi", "th", "id", "ru", "de", "it"})
_BAIDU = {"zh_Hans": "zh", "zh_Hant": "cht", "zh": "zh", "ko": "kor", "ja": "jp", "ar": "ara", "fr": "fra",
          "es": "spa", "vi": "vie", "th": "th", "ru": "ru", "de": "de", "pt": "pt", "it": "it", "en": "en",
          "nl": "nl", "pl": "pl", "el": "el", "sv": "swe", "da": "dan", "fi": "fin", "cs": "cs", "ro": "ro",
          "hu": "hu", "bg": "bul", "et": "est", "sl": "slo"}


def engine_code(name: str, locale: str, source: bool = False) -> str | None:
    """Our locale code (Babel's `zh_Hans`, `pt_BR`) as the engine spells it; None if the
    engine does not offer the language."""
    language = locale.split("_")[0]
    if name in ("pseudo", "none"):
        return locale
    if name == "google":
        from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES  # type: ignore[import-untyped]
        code = _GOOGLE.get(locale) or _GOOGLE.get(language) or language
        return code if code in GOOGLE_LANGUAGES_TO_CODES.values() else None
    if name == "libre":
        return _LIBRE.get(locale) or language
    if name == "mymemory":
        return _mymemory(locale, language)
    if name == "deepl":
        if source:
            return language.upper()
        code = _DEEPL.get(locale) or _DEEPL.get(language) or language.upper()
        return code if code in _DEEPL_TARGETS else None
    if name == "microsoft":
        return _MICROSOFT.get(locale) or language
    if name == "papago":
        code = _PAPAGO.get(locale) or language
        return code if code in _PAPAGO_CODES else None
    if name == "baidu":
        return _BAIDU.get(locale) or _BAIDU.get(language)
    return language  # yandex


def _mymemory(locale: str, language: str) -> str | None:
    from babel import Locale
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES as codes
    if locale in _MYMEMORY:
        return _MYMEMORY[locale]
    regional = locale.replace("_", "-")
    if "-" in regional and regional in codes.values():
        return regional
    english = Locale.parse(language).english_name
    by_name = codes.get(english.lower()) if english else None
    if by_name:
        return str(by_name)
    return next((str(c) for c in codes.values() if str(c).split("-")[0] == language), None)


# --- splitting ----------------------------------------------------------------------------

_BOUNDARIES = (
    re.compile(r"[.!?。！？…][\"'”’)\]]*(\s+)"),  # after a sentence
    re.compile(r"[,;:，；：、](\s+)"),  # after a clause
    re.compile(r"(\s+)"),  # between words
)


def split(text: str, limit: int) -> list[tuple[str, str]]:
    """Pieces of at most `limit` characters, each with the whitespace that followed it,
    cut at sentence boundaries if possible, else at clauses, else between words."""
    pieces: list[tuple[str, str]] = []
    while limit > 0 and len(text) > limit:
        cut = _cut(text, limit)
        pieces.append((text[:cut[0]], text[cut[0]:cut[1]]))
        text = text[cut[1]:]
    pieces.append((text, ""))
    return pieces


def _cut(text: str, limit: int) -> tuple[int, int]:
    for boundary in _BOUNDARIES:
        best = None
        for match in boundary.finditer(text, 0, limit + 1):
            if 0 < match.start(1) <= limit:
                best = match.span(1)
        if best is not None:
            return best
    token = TOKEN.search(text, max(0, limit - 12))
    end = token.start() if token is not None and token.start() < limit < token.end() else limit
    return end, end


# --- the requests shim ------------------------------------------------------------------

class _Transport(Exception):
    """A request that got no HTTP answer: timeout or connection failure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Call:
    """What the shim saw during one attempt of one text."""

    timeout: float
    status: int | None = None
    retry_after: str | None = None


class _Requests:
    """Stands in for `requests` inside deep-translator's engine modules (see module notes).

    Outside one of our calls (no `_Call` on this thread) it is plain `requests`.
    """

    def __init__(self) -> None:
        self.local = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, kwargs)

    def _send(self, method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        call: _Call | None = getattr(self.local, "call", None)
        if call is None:
            return requests.request(method, url, **kwargs)
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
        kwargs["timeout"] = call.timeout
        try:
            response = session.request(method, url, **kwargs)
        except requests.Timeout:
            raise _Transport(f"no answer within {call.timeout:g} s") from None
        except requests.ConnectionError:
            raise _Transport("connection failed") from None
        except requests.RequestException as exc:
            raise _Transport(f"request failed ({type(exc).__name__})") from None
        call.status = response.status_code
        call.retry_after = response.headers.get("Retry-After")
        return response


_SHIM = _Requests()
_installed = threading.Lock()
_MODULES = ("google", "mymemory", "deepl", "microsoft", "papago", "libre", "yandex", "baidu")


def _install() -> None:
    """Route deep-translator's engine modules through the shim (once per process)."""
    with _installed:
        import importlib
        for name in _MODULES:
            module = importlib.import_module(f"deep_translator.{name}")
            if getattr(module, "requests", None) is not _SHIM:
                setattr(module, "requests", _SHIM)


# --- clients --------------------------------------------------------------------------------

def _passthrough(cls: type) -> type:
    """A subclass that takes language codes as given: we map them ourselves."""

    def _map_language_to_code(self: Any, *languages: str) -> Any:
        return iter(languages)

    def _get_supported_languages(self: Any) -> dict[str, str]:
        return {}  # Microsoft's constructor would fetch this from the internet

    return type(f"Locpress{cls.__name__}", (cls,), {"_map_language_to_code": _map_language_to_code,
                                                    "_get_supported_languages": _get_supported_languages})


def _client(name: str, source: str, target: str, key: str | None, url: str | None, region: str | None) -> Any:
    """A deep-translator translator for one language pair, pointed at `url` if given."""
    import deep_translator as dt  # type: ignore[import-untyped]
    if name == "libre":
        client = _passthrough(dt.LibreTranslator)(source=source, target=target, api_key=key or "-",
                                                  use_free_api=not key, custom_url=_slash(url) if url else None)
        client.api_key = key or None  # LibreTranslate servers may need no key
        return client
    if name == "deepl":
        client = _passthrough(dt.DeeplTranslator)(source=source, target=target, api_key=key,
                                                  use_free_api=bool(key and key.endswith(":fx")))
        url = _slash(url) if url else None
    elif name == "microsoft":
        client = _passthrough(dt.MicrosoftTranslator)(source=source, target=target, api_key=key, region=region)
    elif name == "papago":
        client_id, _, secret = (key or "").partition(":")
        client = _passthrough(dt.PapagoTranslator)(client_id=client_id, secret_key=secret, source=source,
                                                   target=target)
    elif name == "baidu":
        appid, _, appkey = (key or "").partition(":")
        client = _passthrough(dt.BaiduTranslator)(source=source, target=target, appid=appid, appkey=appkey)
    elif name == "yandex":
        client = _passthrough(dt.YandexTranslator)(source=source, target=target, api_key=key)
        if url and "{endpoint}" not in url:
            url = _slash(url) + "{endpoint}"
    elif name == "mymemory":
        client = _passthrough(dt.MyMemoryTranslator)(source=source, target=target)
    else:
        client = _passthrough(dt.GoogleTranslator)(source=source, target=target)
    if url:
        client._base_url = url
    return client


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


# --- pseudo-localization --------------------------------------------------------------------

_ACCENTED = str.maketrans("AaBbCcDdEeFfGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
                          "ÅåßƀÇçÐðÉéƑƒĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž")


def pseudo(text: str) -> str:
    """Accented, about 30% longer and bracketed, tokens kept: shows layouts that clip or
    strings that escaped translation, without any service."""
    parts = TOKEN.split(text)
    tokens = TOKEN.findall(text)
    accented = "".join(p.translate(_ACCENTED) + (tokens[i] if i < len(tokens) else "") for i, p in enumerate(parts))
    padding = "·" * max(1, round(len(text) * 0.3) - 3)
    return f"[{accented} {padding}]"


# --- the engine ------------------------------------------------------------------------------

Sleep = Callable[[float], bool]


@dataclass
class Engine:
    """One engine for one language pair, with its retry policy. Thread-safe."""

    name: str
    source: str
    target: str
    settings: EngineSettings
    key: str | None = field(default=None, repr=False)
    sleep: Sleep | None = None
    requests: int = field(default=0, init=False)
    characters: int = field(default=0, init=False)
    stopped: threading.Event = field(default_factory=threading.Event, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.name not in FREE:
            _install()

    @property
    def free(self) -> bool:
        return self.name in FREE

    @property
    def max_length(self) -> int:
        return self.settings.max_length or MAX_LENGTH[self.name]

    def translate(self, text: str) -> str:
        """Translate one request-sized text, retrying what may succeed on a second try."""
        attempt = 0
        while True:
            if self.stopped.is_set():
                raise Cancelled()
            try:
                return self._once(text)
            except Failure as failure:
                if not failure.retry or attempt >= self.settings.retries:
                    raise
                delay = self._delay(failure, attempt)
                attempt += 1
                if not self._wait(delay):
                    raise Cancelled() from None

    def _delay(self, failure: Failure, attempt: int) -> float:
        if failure.wait is not None:
            if failure.wait > self.settings.max_delay:
                raise Failure(f"{failure.reason}; the server asks to wait {failure.wait:g} s, more than "
                              f"engines.{self.name}.max_delay = {self.settings.max_delay:g}")
            return failure.wait
        delay = min(self.settings.max_delay, self.settings.backoff * 2.0 ** attempt)
        return delay * random.uniform(0.5, 1.0)

    def _wait(self, delay: float) -> bool:
        """Sleep unless the run stops meanwhile; False when it did."""
        if self.sleep is not None:
            return self.sleep(delay) and not self.stopped.is_set()
        return not self.stopped.wait(delay)

    def _once(self, text: str) -> str:
        with self._lock:
            self.requests += 1
            self.characters += len(text)
        if self.name == "pseudo":
            return pseudo(text)
        call = _Call(self.settings.timeout)
        _SHIM.local.call = call
        try:
            client = _client(self.name, self.source, self.target, self.key, self.settings.url, self.settings.region)
            result = client.translate(text)
        except _Transport as exc:
            raise Failure(exc.reason, retry=True) from None
        except Exception as exc:  # deep-translator raises anything from KeyError to StopIteration
            raise self._failure(call, exc) from None
        finally:
            _SHIM.local.call = None
        return self._checked(call, result)

    def _failure(self, call: _Call, exc: Exception) -> Exception:
        status = call.status
        if status in (401, 403):
            return KeyRefused(f"{self.name}: the service refused the API key (HTTP {status})")
        if status is not None and (status == 429 or status >= 500):
            return Failure(f"HTTP {status}", retry=True, wait=_retry_after(call.retry_after))
        if status is not None and status >= 400:
            return Failure(f"HTTP {status}")
        return Failure(f"unusable answer ({type(exc).__name__})")

    def _checked(self, call: _Call, result: Any) -> str:
        if call.status is not None and (call.status == 429 or call.status >= 500):
            raise Failure(f"HTTP {call.status}", retry=True, wait=_retry_after(call.retry_after))
        if isinstance(result, list):
            result = "\n".join(str(r) for r in result)
        if not isinstance(result, str) or not result.strip():
            raise Failure("empty answer")
        return result


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number (fractions accepted) or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def make(name: str, settings: EngineSettings, source_locale: str, target_locale: str,
         environ: Mapping[str, str], sleep: Sleep | None = None, require_key: bool = True) -> Engine:
    """An engine for one locale pair; raises ConfigError for a missing key or language.
    `environ` is passed in (the CLI gives os.environ): the library reads no variables."""
    if name not in ENGINE_NAMES:
        raise ConfigError(f"unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})")
    key = None
    if name in KEY_REQUIRED | KEY_OPTIONAL:
        variable = key_variable(name, settings)
        key = environ.get(variable) or None
        if key is None and name in KEY_REQUIRED and require_key:
            raise MissingKey(f"{name}: no API key; set the environment variable {variable}")
        if key is not None and name in PAIRED_KEYS and not re.fullmatch(r"[^:]+:[^:]+", key):
            raise ConfigError(f"{name}: {variable} must hold ID:SECRET (two values joined by a colon)")
    source = engine_code(name, source_locale, source=True)
    target = engine_code(name, target_locale)
    if source is None or target is None:
        missing = source_locale if source is None else target_locale
        raise ConfigError(f"{name} does not translate {missing!r}; choose another engine for it")
    return Engine(name, source, target, settings, key, sleep)


class Pool:
    """Texts translated concurrently; `on_result(text, translation)` runs in the worker
    before the future completes, so a result is recorded before anyone can use it."""

    def __init__(self, engine: Engine, on_result: Callable[[str, str], None]) -> None:
        self.engine = engine
        self.on_result = on_result
        self.down: EngineError | None = None
        self._failures = 0
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=engine.settings.concurrency,
                                            thread_name_prefix=f"locpress-{engine.name}")

    def submit(self, text: str) -> Future[str]:
        return self._executor.submit(self._work, text)

    def _work(self, text: str) -> str:
        if self.down is not None or self.engine.stopped.is_set():
            raise Cancelled()
        try:
            translation = self.engine.translate(text)
        except EngineError as exc:
            self._stop(exc)
            raise
        except Failure:
            with self._lock:
                self._failures += 1
                if self._failures >= DOWN_AFTER and self.down is None:
                    self._stop(EngineError(f"{self.engine.name}: {DOWN_AFTER} texts failed in a row; "
                                           "stopped sending (run again to resume)"))
            raise
        self.on_result(text, translation)
        with self._lock:
            self._failures = 0
        return translation

    def _stop(self, error: EngineError) -> None:
        if self.down is None:
            self.down = error
        self.engine.stopped.set()

    def close(self) -> None:
        """Drop the texts not yet started and wait for those in flight, whose answers are
        paid for and must be recorded (the run is over, or interrupted)."""
        self.engine.stopped.set()
        self._executor.shutdown(wait=True, cancel_futures=True)
