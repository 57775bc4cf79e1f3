"""What deep-translator's public API gives each engine, measured against a local server.

Run: `.venv/bin/python bench/engines_api.py` (offline: everything talks to 127.0.0.1).
For each engine it reports whether the public constructor accepts the language codes
locpress needs, whether a request to a server that never answers returns (a timeout), the
HTTP status a 429 surfaces as, and how many TCP connections 10 texts take; then the same
for locpress's own client. The README's engine table quotes this output.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import deep_translator as dt  # noqa: E402
from mt_server import MTServer  # noqa: E402

from locpress.config import EngineSettings  # noqa: E402
from locpress.pretranslate import engines  # noqa: E402

PUBLIC = {
    "deepl": lambda url: dt.DeeplTranslator(source="en", target="ko", api_key="k"),
    "libre": lambda url: dt.LibreTranslator(source="en", target="ko", api_key="k", custom_url=url),
    "papago": lambda url: dt.PapagoTranslator(client_id="i", secret_key="s", source="en", target="ko"),
    "mymemory": lambda url: dt.MyMemoryTranslator(source="en-GB", target="ko-KR"),
    "baidu": lambda url: dt.BaiduTranslator(source="en", target="kor", appid="a", appkey="k"),
    "yandex": lambda url: dt.YandexTranslator(source="en", target="ko", api_key="k"),
    "google": lambda url: dt.GoogleTranslator(source="en", target="ko"),
}


def public_codes(name: str, url: str) -> str:
    try:
        PUBLIC[name](url)
        return "accepted"
    except Exception as exc:  # noqa: BLE001 (what the library raises is the finding)
        return f"refused ({type(exc).__name__})"


def returns_within(call, seconds: float) -> bool:
    done = threading.Event()

    def run() -> None:
        try:
            call()
        except Exception:  # noqa: BLE001
            pass
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(seconds)


def main() -> None:
    with MTServer() as mt:
        libre = mt.endpoint("libre")
        print("engine     public constructor with locpress's codes")
        for name in PUBLIC:
            print(f"{name:10} {public_codes(name, libre)}")
        mt.faults = ["hang:30"]
        client = dt.LibreTranslator(source="en", target="ko", api_key="k", custom_url=libre)
        started = time.monotonic()
        answered = returns_within(lambda: client.translate("Hello."), 5)
        print(f"libre public translate() on a silent server: {'returned' if answered else 'still waiting after 5 s'}")
        mt.faults = ["429:7"]
        try:
            client.translate("Hello.")
            surfaced = "no exception"
        except Exception as exc:  # noqa: BLE001
            surfaced = type(exc).__name__
        print(f"libre public translate() on 429 Retry-After 7: raises {surfaced} (no status, no Retry-After)")
        mt.faults = []
        before = len(mt.requests)
        for i in range(10):
            client.translate(f"Text {i}.")
        ports = {r.headers["X-Client-Port"] for r in mt.requests[before:]}
        print(f"libre public translate(), 10 texts: {len(ports)} TCP connections")
        ours = engines.make("libre", EngineSettings("libre", url=libre, timeout=1.0, retries=0), "en", "ko", {})
        before = len(mt.requests)
        for i in range(10):
            ours.translate(f"Text {i}.")
        ports = {r.headers["X-Client-Port"] for r in mt.requests[before:]}
        print(f"locpress libre, 10 texts: {len(ports)} TCP connection(s)")
        mt.faults = ["hang:30"]
        started = time.monotonic()
        try:
            ours.translate("Hello.")
        except engines.Failure as exc:
            print(f"locpress libre on a silent server: {exc.reason} after {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
