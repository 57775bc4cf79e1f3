"""Machine-translation engines: the services' HTTP APIs and deep-translator, made dependable.

Which way each engine goes (measured with deep-translator 1.11.4, see README):

- libre, deepl, microsoft, mymemory, papago, yandex, baidu: the service's documented HTTP
  API, built in `services.py` and sent through locpress's one HTTP client
  (`transport.Client`: one pooled `requests` session per engine, urllib3 retries off). Their
  deep-translator clients set no timeout, hide the HTTP status and `Retry-After`, take
  language names or fetch language lists from the internet, and open a connection per text.
- google: deep-translator's `GoogleTranslator` (public constructor and `translate`), since
  Google has no documented keyless API. Two private parts remain, so pyproject caps
  deep-translator below its next minor version: the `requests` name inside
  `deep_translator.google` is replaced by a shim that sends through our client (timeout,
  status, `Retry-After`), and `_base_url` is set when a `url` is configured.
- pseudo: offline pseudo-localization.

429, 5xx, timeouts and connection errors are retried with exponential backoff and jitter,
honouring Retry-After (up to `max_delay`), a bounded number of times. A refused key stops
the engine at once, and so do five texts failing in a row. Every answer is validated before
use: control characters (NUL, ESC, ...) and answers far longer than the text sent are
refused with a reason. The API key lives only in the engine object; no message made here
contains it.
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
from typing import Any, TypeVar

import requests

from locpress.config import ENGINE_NAMES, EngineSettings
from locpress.errors import ConfigError, LocpressError
from locpress.pretranslate import services, transport
from locpress.pretranslate.codes import engine_code

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
T = TypeVar("T")


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


# --- Google through deep-translator ----------------------------------------------------------

@dataclass
class _Call:
    """What the shim saw during one attempt of one text."""

    client: transport.Client
    status: int | None = None
    retry_after: str | None = None


class _Requests:
    """Stands in for `requests` inside `deep_translator.google` (private part, see module
    notes): sends through the engine's client. Outside one of our calls it is plain `requests`."""

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
        response = call.client.raw(method, url, **kwargs)
        call.status = response.status_code
        call.retry_after = response.headers.get("Retry-After")
        return response


_SHIM = _Requests()
_installed = threading.Lock()


def _install() -> None:
    """Route deep-translator's Google module through the shim (once per process)."""
    with _installed:
        import deep_translator.google as module  # type: ignore[import-untyped]
        if getattr(module, "requests", None) is not _SHIM:
            module.requests = _SHIM


def _google(source: str, target: str, url: str | None) -> Any:
    from deep_translator import GoogleTranslator  # type: ignore[import-untyped]
    client = GoogleTranslator(source=source, target=target)
    if url:
        client._base_url = url  # private: the one way to point it at a mirror or a test server
    return client


# --- answers --------------------------------------------------------------------------------

#: C0 controls except tab, newline and carriage return, DEL, and C1 controls: never in a catalog.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: An answer may be this many times the length of the text sent (plus a margin for short
#: texts) before it is refused: translations run up to about 3x longer (English to Tamil,
#: pseudo-localization), never 10x.
ANSWER_RATIO = 6
ANSWER_MARGIN = 200


def answer_problem(sent: str, answer: str) -> str | None:
    """Why an engine's answer cannot go into a catalog, or None when it can."""
    control = _CONTROL.search(answer)
    if control is not None:
        return f"answer contains the control character U+{ord(control.group()):04X}; not used"
    if len(answer) > ANSWER_RATIO * len(sent) + ANSWER_MARGIN:
        return (f"answer of {len(answer):,} characters for {len(sent):,} sent (limit "
                f"{ANSWER_RATIO} x + {ANSWER_MARGIN}); not used")
    return None


def answer_bytes(sent: str) -> int:
    """The largest HTTP body read for a request carrying `sent` (JSON escaping included)."""
    return min(transport.MAX_ANSWER_BYTES, 64 * 1024 + 8 * (ANSWER_RATIO * len(sent) + ANSWER_MARGIN))


# --- pseudo-localization --------------------------------------------------------------------

_ACCENTED = str.maketrans("AaBbCcDdEeFfGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
                          "ÅåßƀÇçÐðÉéƑƒĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž")


RLO, PDF = "\u202e", "\u202c"  # right-to-left override and its end (Unicode bidi controls)


def pseudo(text: str, rtl: bool = False) -> str:
    """Accented, about 30% longer and bracketed, tokens kept: shows layouts that clip or
    strings that escaped translation, without any service. For a right-to-left locale
    (`rtl`) the words run right to left (a bidi override around each run of words; links,
    numbers and code stay as they are), so a pseudo draft checks a mirrored layout."""
    parts = TOKEN.split(text)
    tokens = TOKEN.findall(text)

    def words(part: str) -> str:
        accented = part.translate(_ACCENTED)
        if not rtl or not accented.strip():
            return accented
        core = accented.strip()
        start = accented.index(core)
        return f"{accented[:start]}{RLO}{core}{PDF}{accented[start + len(core):]}"

    accented = "".join(words(p) + (tokens[i] if i < len(tokens) else "") for i, p in enumerate(parts))
    padding = "·" * max(1, round(len(text) * 0.3) - 3)
    return f"[{accented} {padding}]"


def _right_to_left(locale: str) -> bool:
    from babel import Locale

    try:
        return bool(Locale.parse(locale.replace("-", "_")).character_order == "right-to-left")
    except (ValueError, TypeError):
        return False


# --- the engine ------------------------------------------------------------------------------

Sleep = Callable[[float], bool]


@dataclass
class Engine:
    """One engine for one language pair, with its retry policy and its HTTP client. Thread-safe."""

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
    _client: transport.Client | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.name == "google":
            _install()

    @property
    def free(self) -> bool:
        return self.name in FREE

    @property
    def confidential(self) -> bool:
        """Whether an embargoed text may be sent to it: offline, or marked `confidential = true`."""
        return self.name in FREE or self.settings.confidential

    @property
    def label(self) -> str:
        """How provenance names it."""
        return self.name

    @property
    def cache_variant(self) -> str:
        """What besides (engine, languages, text) determines an answer: nothing here."""
        return ""

    @property
    def max_length(self) -> int:
        return self.settings.max_length or MAX_LENGTH.get(self.name, 0)

    @property
    def client(self) -> transport.Client:
        with self._lock:
            if self._client is None:
                self._client = transport.Client(self.settings.timeout, self.settings.concurrency)
            return self._client

    def close(self) -> None:
        """Close the HTTP client (its pooled connections)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def translate(self, text: str) -> str:
        """Translate one request-sized text, retrying what may succeed on a second try."""
        return self.retrying(lambda: self._once(text))

    def retrying(self, attempt: Callable[[], T]) -> T:
        """Run `attempt` under the retry contract: a retryable `Failure` is tried again after
        a backoff (or the server's Retry-After), up to `retries` times."""
        tries = 0
        while True:
            if self.stopped.is_set():
                raise Cancelled()
            try:
                return attempt()
            except Failure as failure:
                if not failure.retry or tries >= self.settings.retries:
                    raise
                delay = self._delay(failure, tries)
                tries += 1
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

    def count(self, characters: int) -> None:
        with self._lock:
            self.requests += 1
            self.characters += characters

    def _once(self, text: str) -> str:
        self.count(len(text))
        if self.name == "pseudo":
            return pseudo(text, rtl=_right_to_left(self.target))
        if self.name == "google":
            result = self._google(text)
        else:
            result = self._direct(text)
        problem = answer_problem(text, result)
        if problem is not None:
            raise Failure(problem)
        return result

    def _direct(self, text: str) -> str:
        call = services.request(self.name, text, self.source, self.target, self.key, self.settings.url,
                                self.settings.region)
        answer = self.send(call.method, call.url, answer_bytes(text), **call.arguments())
        try:
            result = services.parse(self.name, answer)
        except services.ServiceError as exc:
            if exc.key:
                raise KeyRefused(f"{self.name}: the service refused the API key ({exc.reason})") from None
            raise Failure(exc.reason, retry=exc.retry) from None
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise Failure("unusable answer (not the documented JSON)") from None
        if not result.strip():
            raise Failure("empty answer")
        return result

    def send(self, method: str, url: str, max_bytes: int, **kwargs: Any) -> transport.Answer:
        """One HTTP request through the engine's client; a status that is not 200 becomes
        KeyRefused (401, 403) or a Failure, retryable for 408, 429 and 5xx."""
        try:
            answer = self.client.request(method, url, max_bytes=max_bytes, **kwargs)
        except transport.Transport as exc:
            raise Failure(exc.reason, retry=exc.retry) from None
        status = answer.status
        if status in (401, 403):
            raise KeyRefused(f"{self.name}: the service refused the API key (HTTP {status})")
        if status in (408, 429) or status >= 500:
            raise Failure(f"HTTP {status}", retry=True, wait=_retry_after(answer.retry_after))
        if status != 200:
            raise Failure(f"HTTP {status}")
        return answer

    def _google(self, text: str) -> str:
        call = _Call(self.client)
        _SHIM.local.call = call
        try:
            result = _google(self.source, self.target, self.settings.url).translate(text)
        except transport.Transport as exc:
            raise Failure(exc.reason, retry=exc.retry) from None
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
    if settings.type is not None:
        raise ConfigError(f"engine {name!r} has type {settings.type!r}: made by its own module (llm.make)")
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
        self.engine.close()
