"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 for the language-model tests.

It checks each request as a real server would need it (model, a system and a user message,
the user message being the release as JSON with ids) and answers deterministically: each
segment marked `translate` becomes `<target> text`, glossary terms replaced by their target
term, tags kept. Scripted faults, one per request in order: `malformed` (the message is not
JSON), `envelope` (the body is not a chat completion), `fenced` (JSON inside a ``` fence),
`missing` (the first asked id left out), `drop-tags` (the first asked segment with tags
loses them), `no-term` (glossary terms left untranslated), `extra` (an id nobody asked for),
`nul` (a NUL in the first answer), `huge` (10 MB for the first answer), `429:<seconds>`,
`500`, `401`, `hang:<seconds>`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Asked:
    """One request as the server understood it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    document: dict[str, Any]

    @property
    def todo(self) -> list[dict[str, Any]]:
        return [s for s in self.document["segments"] if s.get("translate")]

    @property
    def context(self) -> list[dict[str, Any]]:
        return [s for s in self.document["segments"] if not s.get("translate")]


@dataclass
class LLMServer:
    """`with LLMServer() as llm: ... llm.url ...` (the `url` of an `[engines.x]` table)."""

    model: str = "test-model"
    faults: list[str] = field(default_factory=list)
    requests: list[Asked] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why requests were refused as malformed

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                server.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda _request, _address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"

    def __enter__(self) -> LLMServer:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def asked_texts(self) -> list[str]:
        return [s["text"] for r in self.requests for s in r.todo]

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        problem, asked = self._understood(h.path, dict(h.headers.items()), raw)
        if asked is None:
            with self.lock:
                self.refused.append(problem)
            return _send(h, 400, {"error": {"message": problem}})
        with self.lock:
            self.requests.append(asked)
            fault = self.faults.pop(0) if self.faults else ""
        kind, _, argument = fault.partition(":")
        if kind == "hang":
            time.sleep(float(argument or 5))
            return _send(h, 200, {"choices": []})
        if kind in ("429", "500", "401"):
            return _send(h, int(kind), {"error": {"message": "fault"}}, {"Retry-After": argument} if argument else {})
        if kind == "envelope":
            return _send(h, 200, {"result": "not a chat completion"})
        content = self._content(asked, kind)
        _send(h, 200, {"id": "c1", "object": "chat.completion", "model": self.model, "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]})

    def _understood(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[str, Asked | None]:
        if not path.startswith("/v1/chat/completions"):
            return f"no such path {path}", None
        try:
            body = json.loads(raw)
            messages = body["messages"]
            roles = [m["role"] for m in messages]
            document = json.loads(messages[-1]["content"])
            segments = document["segments"]
        except (ValueError, KeyError, IndexError, TypeError):
            return "not a chat request with the release as JSON", None
        if body.get("model") != self.model:
            return f"unknown model {body.get('model')!r}", None
        if roles != ["system", "user"]:
            return f"messages {roles}", None
        if not all(isinstance(s.get("id"), str) and isinstance(s.get("text"), str) for s in segments):
            return "a segment without id or text", None
        return "", Asked(path, headers, body, document)

    def _content(self, asked: Asked, kind: str) -> str:
        if kind == "malformed":
            return '{"translations": [{"id": "s1", "text": "unterminated'
        target = "ko"
        system = asked.body["messages"][0]["content"]
        found = re.search(r"into [^(]*\(([\w-]+)\)", system)
        if found:
            target = found.group(1)
        glossary = [] if kind == "no-term" else asked.document.get("glossary", [])
        items = []
        for index, segment in enumerate(asked.todo):
            if kind == "missing" and index == 0:
                continue
            text = segment["text"]
            if glossary:  # whole words, longest term first, in one pass
                terms = sorted(glossary, key=lambda e: -len(e["term"]))
                wanted = {e["term"].lower(): e["translation"] for e in terms}
                pattern = "|".join(re.escape(e["term"]) for e in terms)
                text = re.sub(rf"(?<![\w-])(?:{pattern})(?![\w-])", lambda m: wanted[m.group(0).lower()], text,
                              flags=re.IGNORECASE)
            text = f"<{target}> {text}"
            if kind == "drop-tags" and "<x" in text:
                text = re.sub(r"<x\d+/>", "", text)
                kind = ""  # only the first segment with tags
            if index == 0 and kind == "nul":
                text += "\x00\x1b[2J"
            if index == 0 and kind == "huge":
                text = "x" * 10_000_000
            items.append({"id": segment["id"], "text": text})
        if kind == "extra":
            items.append({"id": "s999", "text": "nobody asked"})
        content = json.dumps({"translations": items}, ensure_ascii=False)
        return f"```json\n{content}\n```" if kind == "fenced" else content


def _send(h: BaseHTTPRequestHandler, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
    payload = json.dumps(data, ensure_ascii=False).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(payload)))
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.end_headers()
    try:
        h.wfile.write(payload)
    except OSError:
        pass
