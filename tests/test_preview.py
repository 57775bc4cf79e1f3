"""`locpress preview`: drafts rendered on request, files of output/ only, nothing written."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Result, snapshot
from test_cli import fill

from locpress import config as config_mod
from locpress.commands import preview

Make = Callable[..., Path]
Cli = Callable[..., Result]
SOURCE = "---\ntitle: Floods\ndate: 2023-11-01\n---\n\nThe floods displaced 12,000 people.\n\nIOM teams arrived.\n"


@pytest.fixture
def half_done(project: Make, cli: Cli) -> Path:
    """A project whose Korean catalog has one of three segments reviewed, nothing built."""
    root = project({"2023/11/floods.md": SOURCE}, locales=("ko", "ar"), extra='[build]\nformats = ["md", "html"]\n')
    cli(root, "run")
    fill(root / "locales/ko/2023/11/floods.po", lambda s: "홍수" if s == "Floods" else "")
    return root


def get(root: Path, url: str) -> preview.Response:
    return preview.respond(config_mod.load(root), url)


def test_release_page_is_a_fresh_draft_and_nothing_is_written(half_done: Path) -> None:
    before = snapshot(half_done)
    response = get(half_done, "/ko/2023/11/floods.html")
    assert response.status == 200 and response.content_type == "text/html; charset=utf-8"
    page = response.body.decode()
    assert '<html lang="ko" dir="ltr">' in page and "<title>홍수</title>" in page
    assert "Draft — not for publication. 1 reviewed, 2 source." in page  # as `build --draft` writes it
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "2023년 11월 1일" in page
    assert 'href="../../../ar/2023/11/floods.html"' in page  # every locale with a catalog can be previewed
    assert snapshot(half_done) == before


def test_a_save_shows_on_reload(half_done: Path) -> None:
    assert "홍수가" not in get(half_done, "/ko/2023/11/floods.html").body.decode()
    fill(half_done / "locales/ko/2023/11/floods.po", lambda s: {"Floods": "홍수"}.get(s, "홍수가 났습니다."))
    page = get(half_done, "/ko/2023/11/floods.html").body.decode()
    assert '<p><span class="origin origin-reviewed">홍수가 났습니다.</span></p>' in page
    assert "origin origin-source" not in page


def test_dashboard_links_every_draft(half_done: Path) -> None:
    page = get(half_done, "/").body.decode()
    assert '<a class="page" href="ko/2023/11/floods.html"' in page
    assert '<a class="page" href="ar/2023/11/floods.html"' in page
    assert get(half_done, "/index.html?x=1").body.decode() == page


def test_other_files_come_from_output(half_done: Path) -> None:
    (half_done / "output/ko").mkdir(parents=True)
    (half_done / "output/ko/notes.md").write_text("# 메모\n")
    response = get(half_done, "/ko/notes.md")
    assert (response.status, response.content_type, response.body) == (200, "text/plain; charset=utf-8", "# 메모\n".encode())


@pytest.mark.parametrize("url", ["/../locpress.toml", "/%2e%2e/locpress.toml", "/ko/", "/ko/2023/11/missing.html",
                                 "/xx/2023/11/floods.html", "/..%2f..%2fetc/passwd"])
def test_nothing_outside_output_and_no_listings(half_done: Path, url: str) -> None:
    (half_done / "output/ko").mkdir(parents=True, exist_ok=True)
    response = get(half_done, url)
    assert response.status == 404
    assert b"locales" not in response.body


def test_a_broken_catalog_is_an_error_page(half_done: Path) -> None:
    (half_done / "locales/ko/2023/11/floods.po").write_text('msgid "<b>"\nmsgstr "unterminated\n')
    response = get(half_done, "/ko/2023/11/floods.html")
    assert response.status == 500
    assert b"error: locales/ko/2023/11/floods.po:" in response.body and b"<b>" not in response.body


@pytest.mark.parametrize("url", ["/ko/%00.html", "/%00", "/ko/2023/11/floods.html%0a", "/%zz", "/ko/%e9.md",
                                 "/%", "/ko/%1b[2J.md", "/ko\\notes.md", "/ko/%5c..%5clocpress.toml", "no-slash"])
def test_a_malformed_url_is_a_bad_request(half_done: Path, url: str) -> None:
    response = get(half_done, url)
    assert response.status == 400 and b"bad request" in response.body


def test_a_malformed_url_gets_an_answer_over_http(server: preview.PreviewServer) -> None:
    """NUL bytes in the request line: an answer (400), not a dropped connection."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as sock:
        sock.sendall(b"GET /ko/%00%00.html HTTP/1.0\r\nHost: x\r\n\r\n")
        reply = sock.recv(4096)
    assert reply.startswith((b"HTTP/1.0 400", b"HTTP/1.1 400")), reply[:40]


@pytest.fixture
def server(half_done: Path) -> Iterator[preview.PreviewServer]:
    lines: list[str] = []
    running = preview.make_server(config_mod.load(half_done), 0, lines.append)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def test_serves_on_loopback_over_http(server: preview.PreviewServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    with urllib.request.urlopen(server.url + "ko/2023/11/floods.html", timeout=10) as reply:
        assert reply.status == 200 and reply.headers["Cache-Control"] == "no-store"
        assert "홍수" in reply.read().decode()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server.url + "nothing-here", timeout=10)
    assert missing.value.code == 404


def test_port_in_use_is_a_usage_error(half_done: Path, cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli(half_done, "preview", "--port", str(taken.getsockname()[1]))
    assert result.code == 2
    assert result.err.startswith("error: --port: cannot serve on 127.0.0.1:")


def test_bad_port_is_rejected(half_done: Path, cli: Cli) -> None:
    with pytest.raises(SystemExit) as exited:
        cli(half_done, "preview", "--port", "http")
    assert exited.value.code == 2
