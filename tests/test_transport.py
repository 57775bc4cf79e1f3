"""The one HTTP client: no retries of its own, statuses passed up, oversized answers refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from locpress.pretranslate.transport import Client, Transport


class _Server:
    def __init__(self) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                outer.hits += 1
                if self.path == "/500":
                    self._send(500, b"no", {"Retry-After": "3"})
                elif self.path == "/big":
                    self._send(200, b"x" * 5000)
                elif self.path == "/stream":  # no Content-Length: read until the connection closes
                    self.send_response(200)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for _ in range(50):
                        self.wfile.write(b"y" * 1000)
                    self.close_connection = True
                else:
                    self._send(200, b'{"ok": true}')

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"


@pytest.fixture
def server() -> Iterator[_Server]:
    found = _Server()
    threading.Thread(target=found.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield found
    found.httpd.shutdown()
    found.httpd.server_close()


def test_an_answer_comes_back_whole_with_its_status(server: _Server) -> None:
    answer = Client(2.0).request("GET", server.url + "/ok")
    assert answer.status == 200 and answer.json() == {"ok": True}


def test_a_server_error_is_passed_up_once_never_retried_by_the_client(server: _Server) -> None:
    answer = Client(2.0).request("GET", server.url + "/500")
    assert answer.status == 500 and answer.retry_after == "3" and server.hits == 1


@pytest.mark.parametrize("path", ["/big", "/stream"])
def test_answers_over_the_limit_are_refused_and_not_retried(server: _Server, path: str) -> None:
    with pytest.raises(Transport, match="refused") as caught:
        Client(2.0).request("GET", server.url + path, max_bytes=4000)
    assert not caught.value.retry


def test_no_connection_is_a_retryable_transport_failure() -> None:
    with pytest.raises(Transport, match="connection failed") as caught:
        Client(0.5).request("GET", "http://127.0.0.1:9/")
    assert caught.value.retry
