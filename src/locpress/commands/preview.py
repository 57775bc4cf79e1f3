"""`locpress preview`: look at the releases and the dashboard in a browser before publishing.

Serves the project on 127.0.0.1 only: the dashboard, and every release page rendered afresh
on every request from the current catalogs as the draft `build --draft` would write (every
translation there is, marked by origin, the source language where there is none; a banner and
`noindex`), so a translator sees each save on reload. Other files come from the output
folder. Preview writes nothing: `output/` changes only through `build` and `run`.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from markupsafe import escape

from locpress.config import Config
from locpress.errors import ConfigError, LocpressError
from locpress.run.pipeline import Pipeline
from locpress.run.project import Release, read_bytes
from locpress.stages.report import Report

HOST = "127.0.0.1"
Log = Callable[[str], None]


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def _html(status: int, text: str) -> Response:
    return Response(status, "text/html; charset=utf-8", text.encode())


def _problem(status: int, message: str) -> Response:
    return _html(status, f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>{status}</title>'
                         f"<p>{escape(message)}</p></html>\n")


def draft_page(pipeline: Pipeline, locale: str, release: Release) -> str:
    """A release's draft page built in memory from the catalog as it is now: the very page
    `build --draft` writes (every translation there is, marked by origin; banner, noindex)."""
    return pipeline.draft_html(locale, release)


def respond(config: Config, url: str) -> Response:
    """What the preview serves for a URL path: dashboard, draft release page or output file."""
    path = _url_path(url)
    if path is None:
        return _problem(HTTPStatus.BAD_REQUEST, "bad request: the URL is not a well-formed path")
    pipeline = Pipeline(config, Report())
    try:
        if path in ("", "index.html"):
            releases = pipeline.project.releases()
            return _html(200, pipeline.dashboard_html(releases, config.locales, every_page=True))
        release = _release_page(pipeline, path)
        if release is not None:
            return _html(200, draft_page(pipeline, *release))
        return _static(pipeline, path)
    except LocpressError as exc:
        return _problem(HTTPStatus.INTERNAL_SERVER_ERROR, f"error: {exc}")
    except (OSError, ValueError) as exc:  # whatever the file system says: an answer, never a dropped request
        return _problem(HTTPStatus.INTERNAL_SERVER_ERROR, f"error: /{path}: {type(exc).__name__}")


def _url_path(url: str) -> str | None:
    """The file path a request names, or None for a malformed one: bad percent-encoding,
    bytes that are not UTF-8, NUL and other control characters, a backslash."""
    try:
        raw = urlsplit(url).path
        if not raw.startswith("/") or _BAD_PERCENT.search(raw):
            return None
        path = unquote_to_bytes(raw).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in path) or "\\" in path:
        return None
    return path.lstrip("/")


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _release_page(pipeline: Pipeline, path: str) -> tuple[str, Release] | None:
    """(locale, release) when the path is `<locale>/<release>.html` of this project."""
    locale, _, rest = path.partition("/")
    if locale not in pipeline.config.locales or not rest.endswith(".html"):
        return None
    name = rest.removesuffix(".html")
    found = [r for r in pipeline.project.releases() if r.name == name]
    return (locale, found[0]) if found else None


def _static(pipeline: Pipeline, path: str) -> Response:
    """A file of the output folder; nothing outside it, no folder listings."""
    base = pipeline.project.output_dir().resolve()
    target = (base / path).resolve()
    if base not in target.parents or not target.is_file():
        return _problem(HTTPStatus.NOT_FOUND, f"not found: /{path}")
    data = read_bytes(target)
    if data is None:
        return _problem(HTTPStatus.NOT_FOUND, f"not found: /{path}")
    return Response(200, _content_type(target), data)


def _content_type(path: Path) -> str:
    if path.suffix in (".md", ".txt", ".po", ".pot"):
        return "text/plain; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server that knows the project it previews."""

    daemon_threads = True

    def __init__(self, config: Config, port: int, log: Log) -> None:
        self.config = config
        self.log = log
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._send(respond(self.server.config, self.path), body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(respond(self.server.config, self.path), body=False)

    def _send(self, response: Response, body: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        self.server.log(format % args)


def make_server(config: Config, port: int = 8000, log: Log = lambda _line: None) -> PreviewServer:
    """A preview server bound to 127.0.0.1 (port 0: any free port); call serve_forever()."""
    try:
        return PreviewServer(config, port, log)
    except OSError as exc:
        raise ConfigError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}", "--port") from None
