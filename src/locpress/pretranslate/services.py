"""The documented HTTP APIs of the machine-translation services locpress calls directly.

deep-translator's public API cannot give what pre-translation needs from these services —
a timeout on every request (it sets none), the HTTP status and `Retry-After` of a refused
request (it raises one exception for 400, 429 and 500 alike, or none), exact language codes
(it maps names, and DeepL rejects `ko` through it), a pooled session instead of a new
connection per text — so locpress builds the request each service documents and parses its
answer here, and sends it through its one HTTP client (`transport.Client`). Google has no
documented keyless API and stays on deep-translator (see engines.py).

Each function is pure: `request()` gives what to send, `parse()` reads what came back.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from locpress.pretranslate.transport import Answer

DIRECT = ("libre", "deepl", "microsoft", "mymemory", "papago", "yandex", "baidu")

#: The services' documented endpoints. `url` replaces the base (libre, deepl: `translate`
#: is appended) or the whole endpoint (the others).
DEFAULT_URLS = {
    "libre": "https://libretranslate.com/",
    "deepl": "https://api.deepl.com/v2/",
    "deepl-free": "https://api-free.deepl.com/v2/",
    "microsoft": "https://api.cognitive.microsofttranslator.com/translate",
    "mymemory": "https://api.mymemory.translated.net/get",
    "papago": "https://papago.apigw.ntruss.com/nmt/v1/translation",
    "yandex": "https://translate.api.cloud.yandex.net/translate/v2/translate",
    "baidu": "https://fanyi-api.baidu.com/api/trans/vip/translate",
}
_APPENDED = frozenset({"libre", "deepl"})
#: Baidu error codes: the key is wrong / worth trying again later.
_BAIDU_KEY = frozenset({"52003", "54001", "58000", "58001", "90107"})
_BAIDU_RETRY = frozenset({"52001", "52002", "54003", "54005"})


@dataclass(frozen=True)
class Call:
    """One HTTP request: keyword arguments as `transport.Client.request` takes them."""

    method: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def arguments(self) -> dict[str, Any]:
        found: dict[str, Any] = {"params": self.params, "headers": self.headers}
        if self.data is not None:
            found["data"] = self.data
        if self.json is not None:
            found["json"] = self.json
        return found


class ServiceError(Exception):
    """A 200 answer that reports an error in its body (Baidu, MyMemory)."""

    def __init__(self, reason: str, retry: bool = False, key: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.key = key


def endpoint(name: str, url: str | None, key: str | None = None) -> str:
    if url is None:
        base = DEFAULT_URLS["deepl-free" if name == "deepl" and key and key.endswith(":fx") else name]
    else:
        base = url
    if name in _APPENDED:
        return (base if base.endswith("/") else base + "/") + "translate"
    return base


def request(name: str, text: str, source: str, target: str, key: str | None, url: str | None,
            region: str | None = None) -> Call:
    """The request that translates one text, as the service documents it."""
    where = endpoint(name, url, key)
    if name == "libre":
        body: dict[str, str] = {"q": text, "source": source, "target": target, "format": "text"}
        if key:
            body["api_key"] = key
        return Call("POST", where, json=body)
    if name == "deepl":
        return Call("POST", where, data={"text": text, "source_lang": source, "target_lang": target},
                    headers={"Authorization": f"DeepL-Auth-Key {key or ''}"})
    if name == "microsoft":
        headers = {"Ocp-Apim-Subscription-Key": key or "", "Content-Type": "application/json"}
        if region:
            headers["Ocp-Apim-Subscription-Region"] = region
        return Call("POST", where, params={"api-version": "3.0", "from": source, "to": target},
                    json=[{"Text": text}], headers=headers)
    if name == "mymemory":
        return Call("GET", where, params={"q": text, "langpair": f"{source}|{target}"})
    if name == "papago":
        client_id, _, secret = (key or "").partition(":")
        return Call("POST", where, data={"source": source, "target": target, "text": text},
                    headers={"X-NCP-APIGW-API-KEY-ID": client_id, "X-NCP-APIGW-API-KEY": secret})
    if name == "yandex":
        return Call("POST", where, json={"sourceLanguageCode": source, "targetLanguageCode": target,
                                         "texts": [text], "format": "PLAIN_TEXT"},
                    headers={"Authorization": f"Api-Key {key or ''}"})
    if name == "baidu":
        appid, _, appkey = (key or "").partition(":")
        salt = str(random.randint(32768, 65536))
        sign = hashlib.md5((appid + text + salt + appkey).encode()).hexdigest()  # noqa: S324 (Baidu's scheme)
        return Call("POST", where, data={"q": text, "from": source, "to": target, "appid": appid,
                                         "salt": salt, "sign": sign})
    raise ValueError(f"no direct API for {name}")


def parse(name: str, answer: Answer) -> str:
    """The translation in a 200 answer; ValueError/KeyError/TypeError when it has none,
    ServiceError when the body reports an error."""
    data = answer.json()
    if name == "libre":
        result = data["translatedText"]
        return "\n".join(result) if isinstance(result, list) else _str(result)
    if name == "deepl":
        return "\n".join(_str(t["text"]) for t in data["translations"])
    if name == "microsoft":
        return "\n".join(_str(t["text"]) for t in data[0]["translations"])
    if name == "mymemory":
        status = data.get("responseStatus", 200)
        if str(status) != "200":
            raise ServiceError(f"MyMemory status {status}", retry=str(status) == "429")
        return _str(data["responseData"]["translatedText"])
    if name == "papago":
        return _str(data["message"]["result"]["translatedText"])
    if name == "yandex":
        return "\n".join(_str(t["text"]) for t in data["translations"])
    if name == "baidu":
        if "error_code" in data and str(data["error_code"]) not in ("0", "52000"):
            code = str(data["error_code"])
            raise ServiceError(f"Baidu error {code}", retry=code in _BAIDU_RETRY, key=code in _BAIDU_KEY)
        return "\n".join(_str(t["dst"]) for t in data["trans_result"])
    raise ValueError(f"no direct API for {name}")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value
