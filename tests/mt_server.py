"""A machine-translation service on 127.0.0.1 for the engine and pretranslate tests.

It speaks the services' documented APIs as locpress sends them (LibreTranslate's `POST
/translate`, DeepL v2, Microsoft Translator v3, MyMemory, Papago (NCP), Yandex Cloud v2,
Baidu) and Google's `/m` page as deep-translator's client reads it, each under its own path
(`<url>libre/`, `<url>m`, ...). It records every request and injects scripted
faults: `429:<retry-after>`, `500`, `403`, `hang:<seconds>`, `drop` (close without an
answer), `empty`, `malformed`, `nul` (NUL and ESC in the answer), `huge` (10 MB),
and token manglers `mangle`, `lose`, `dup`.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    raw: bytes


@dataclass
class MTServer:
    """`with MTServer() as mt: ... mt.url ...`"""

    translate: Callable[[str, str], str] = lambda text, target: f"<{target}>{text}"
    faults: list[str] = field(default_factory=list)
    faults_by_text: dict[str, list[str]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    after_answers: int | None = None  # from then on every request hangs (see `stop_answering`)
    on_request: Callable[[str], None] | None = None
    active: int = 0
    max_active: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real services: shows whether a client reuses it

            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                server.handle(self)

            do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda _request, _address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> MTServer:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def endpoint(self, engine: str) -> str:
        """The `url` option that points an engine at this server."""
        return self.url + {"google": "m", "libre": "libre/", "deepl": "deepl/", "microsoft": "microsoft",
                           "mymemory": "mymemory", "papago": "papago", "yandex": "yandex/translate",
                           "baidu": "baidu"}[engine]

    @property
    def texts(self) -> list[str]:
        """Every text that reached the server, answered or not."""
        return [text for r in self.requests if (text := _text(r)) is not None]

    # --- handling ---------------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlparse(h.path)
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        params.update(_body_params(body))
        headers = {**dict(h.headers.items()), "X-Client-Port": str(h.client_address[1])}
        request = Request(parsed.path, params, headers, body)
        text = _text(request) or ""
        with self.lock:
            self.requests.append(request)
            by_text = self.faults_by_text.get(text)
            fault = by_text.pop(0) if by_text else (self.faults.pop(0) if self.faults else "")
            hang = self.after_answers is not None and len(self.answered) >= self.after_answers
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if self.on_request is not None:
                self.on_request(text)
            if hang:
                self.release.wait(30)
                return
            self.respond(h, request, text, fault)
        finally:
            with self.lock:
                self.active -= 1

    def respond(self, h: BaseHTTPRequestHandler, request: Request, text: str, fault: str) -> None:
        kind, _, argument = fault.partition(":")
        if kind == "hang":
            time.sleep(float(argument or 5))
        elif kind == "drop":
            h.close_connection = True
            return
        elif kind in ("429", "500", "503", "403", "400"):
            headers = {"Retry-After": argument} if argument else {}
            return _send(h, int(kind), "application/json", b'{"error": "fault"}', headers)
        target = _target(request)
        translation = _mangle(kind, self.translate(text, target))
        if kind == "empty":
            translation = ""
        elif kind == "nul":
            translation += "\x00\x1b[31m"
        elif kind == "huge":
            translation = "x" * 10_000_000
        with self.lock:
            self.answered.append(text)
        content_type, payload = _answer(request.path, translation, malformed=kind == "malformed")
        _send(h, 200, content_type, payload)


def _body_params(body: bytes) -> dict[str, str]:
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}
    if isinstance(data, list):  # Microsoft: [{"Text": ...}]
        return {"text": data[0].get("Text", data[0].get("text", ""))} if data else {}
    found = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in data.items()}
    if isinstance(data.get("texts"), list) and data["texts"]:  # Yandex Cloud v2
        found["text"] = data["texts"][0]
    return found


def _text(request: Request) -> str | None:
    for key in ("q", "text"):
        if key in request.params:
            return request.params[key]
    return None


def _target(request: Request) -> str:
    params = request.params
    if "langpair" in params:
        return params["langpair"].split("|")[-1]
    if "lang" in params:
        return params["lang"].split("-")[-1]
    for key in ("target", "tl", "target_lang", "to", "targetLanguageCode"):
        if key in params:
            return params[key]
    return "?"


def _mangle(kind: str, translation: str) -> str:
    if kind == "mangle":  # respaced, recased tokens
        return re.sub(r"\[X(\d+)X\]", lambda m: f"[x {m.group(1)} x]", translation)
    if kind == "lose":
        return re.sub(r"\[X0X\]", "", translation)
    if kind == "dup":
        return translation + " [X0X]"
    return translation


def _answer(path: str, translation: str, malformed: bool) -> tuple[str, bytes]:
    if malformed:
        return "application/json", b"{not json <html"
    if path == "/m":
        page = f'<html><body><div class="result-container">{html.escape(translation)}</div></body></html>'
        return "text/html; charset=utf-8", page.encode()
    if path.startswith("/deepl"):
        data: Any = {"translations": [{"text": translation}]}
    elif path.startswith("/microsoft"):
        data = [{"translations": [{"text": translation, "to": "?"}]}]
    elif path.startswith("/mymemory"):
        data = {"responseData": {"translatedText": translation}, "matches": []}
    elif path.startswith("/papago"):
        data = {"message": {"result": {"translatedText": translation}}}
    elif path.startswith("/yandex"):
        data = {"translations": [{"text": translation}]}
    elif path.startswith("/baidu"):
        data = {"trans_result": [{"dst": translation}]}
    else:
        data = {"translatedText": translation}
    return "application/json", json.dumps(data, ensure_ascii=False).encode()


def _send(h: BaseHTTPRequestHandler, status: int, content_type: str, payload: bytes,
          headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(payload)))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(payload)


def forbid_internet(monkeypatch: Any) -> None:
    """Make any connection to an address other than 127.0.0.1 fail loudly."""
    import socket

    real = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and sock.family in (
                socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"a test tried to reach {address!r}")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
