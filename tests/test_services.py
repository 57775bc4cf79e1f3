"""The services' documented APIs: requests as documented, errors reported in answer bodies."""

from __future__ import annotations

import json

import pytest

from locpress.pretranslate import services
from locpress.pretranslate.transport import Answer


def answer(data: object) -> Answer:
    return Answer(200, json.dumps(data).encode())


def test_endpoints_default_to_the_documented_ones_and_take_a_configured_url() -> None:
    assert services.endpoint("deepl", None, "k:fx") == "https://api-free.deepl.com/v2/translate"
    assert services.endpoint("deepl", None, "k") == "https://api.deepl.com/v2/translate"
    assert services.endpoint("libre", "http://lt.local", None) == "http://lt.local/translate"
    assert services.endpoint("microsoft", "http://ms.local/translate", None) == "http://ms.local/translate"


def test_baidu_signs_its_request() -> None:
    import hashlib
    call = services.request("baidu", "Hello.", "en", "kor", "app:secret", None)
    data = call.data or {}
    expected = hashlib.md5(("app" + "Hello." + data["salt"] + "secret").encode()).hexdigest()  # noqa: S324
    assert data["sign"] == expected and "secret" not in json.dumps(call.arguments()).replace(data["sign"], "")


@pytest.mark.parametrize(("name", "data", "retry", "key"), [
    ("baidu", {"error_code": "52003", "error_msg": "UNAUTHORIZED USER"}, False, True),
    ("baidu", {"error_code": "54003", "error_msg": "Invalid Access Limit"}, True, False),
    ("baidu", {"error_code": "58002"}, False, False),
    ("mymemory", {"responseStatus": 429, "responseData": {"translatedText": "QUOTA"}}, True, False),
    ("mymemory", {"responseStatus": "403", "responseData": {"translatedText": "INVALID"}}, False, False),
])
def test_errors_in_answer_bodies_are_not_translations(name: str, data: object, retry: bool, key: bool) -> None:
    with pytest.raises(services.ServiceError) as caught:
        services.parse(name, answer(data))
    assert caught.value.retry == retry and caught.value.key == key


@pytest.mark.parametrize(("name", "data"), [
    ("deepl", {"translations": [{"text": 3}]}), ("microsoft", {"oops": 1}), ("yandex", {"translations": []}),
    ("papago", {"message": {}}),
])
def test_answers_without_the_documented_fields_fail(name: str, data: object) -> None:
    with pytest.raises((KeyError, TypeError, IndexError, ValueError)):
        result = services.parse(name, answer(data))
        if not result:
            raise ValueError("empty")
