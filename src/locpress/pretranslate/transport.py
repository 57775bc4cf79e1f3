"""The one HTTP client of everything locpress calls itself: `requests` with urllib3's `Retry`.

Each engine owns one `Client` (one `requests.Session`, its connection pool sized to the
engine's concurrency), shared by its worker threads. urllib3's own retries are off
(`Retry(total=0)`): the retry contract — which failures are retried, exponential backoff
with jitter, `Retry-After`, `max_delay` — is locpress's, in `engines.Engine`, the same for
every engine. A request that gets no HTTP answer raises `Transport`; any HTTP answer comes
back as an `Answer` with its status and `Retry-After`, whatever the status.

Answers are read as a stream and refused past `max_bytes` (an engine answering megabytes
for a sentence must not grow a catalog or the memory), and no message made here quotes a
URL's query string or a header, where API keys travel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

#: Answers larger than this are refused whatever was sent.
MAX_ANSWER_BYTES = 8 * 1024 * 1024


class Transport(Exception):
    """A request that got no usable HTTP answer: timeout, connection failure, oversized body."""

    def __init__(self, reason: str, retry: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, read in full."""

    status: int
    body: bytes
    retry_after: str | None = None
    content_type: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.body.decode("utf-8"))


class Client:
    """One session with a bounded pool; thread-safe for concurrent requests."""

    def __init__(self, timeout: float, pool: int = 4, user_agent: str = "locpress") -> None:
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(1, pool), max_retries=Retry(total=0, redirect=0))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(self, method: str, url: str, *, max_bytes: int = MAX_ANSWER_BYTES,
                timeout: float | None = None, **kwargs: Any) -> Answer:
        """Send one request (keyword arguments as for `requests`: params, data, json, headers)."""
        limit = self.timeout if timeout is None else timeout
        with _failures(limit), self.session.request(method, url, timeout=limit, stream=True,
                                                    allow_redirects=False, **kwargs) as response:
            body = _read(response, max_bytes)
            return Answer(response.status_code, body, response.headers.get("Retry-After"),
                          response.headers.get("Content-Type", ""))

    def raw(self, method: str, url: str, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        """A plain `requests.Response` through this session (for deep-translator's Google
        client, which reads the response itself); errors as in `request`."""
        limit = self.timeout if timeout is None else timeout
        kwargs.pop("timeout", None)
        with _failures(limit):
            return self.session.request(method, url, timeout=limit, allow_redirects=False, **kwargs)

    def close(self) -> None:
        self.session.close()


@contextmanager
def _failures(limit: float) -> Iterator[None]:
    """What `requests` raises, as one `Transport` error with a short reason."""
    try:
        yield
    except requests.Timeout:
        raise Transport(f"no answer within {limit:g} s") from None
    except requests.ConnectionError:
        raise Transport("connection failed") from None
    except requests.RequestException as exc:
        raise Transport(f"request failed ({type(exc).__name__})") from None


def _read(response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise Transport(f"answer of {int(declared):,} bytes refused (limit {max_bytes:,})", retry=False)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            raise Transport(f"answer over {max_bytes:,} bytes refused", retry=False)
        chunks.append(chunk)
    return b"".join(chunks)
