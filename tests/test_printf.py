"""Format strings as msgfmt --check reads them (the corpus agreement is in test_checks.py)."""

from __future__ import annotations

import pytest

from locpress.gettext import printf


@pytest.mark.parametrize(("kind", "msgid", "msgstr", "strict", "problem"), [
    ("python-format", "%(name)s joined", "%(name)s 님이 참여", True, None),
    ("python-format", "%(name)s joined", "%(nom)s a rejoint", True, "'nom'"),
    ("python-format", "up to 10% faster", "최대 10%까지", True, "not a valid Python format string"),
    ("python-format", "%s faster", "%s, 10%, macOS", True, "the character ','"),
    ("python-format", "%s and %d", "%s et %s", True, "argument 2 are not the same"),
    ("python-format", "%(a)s", "%s", True, "expect a mapping"),
    ("c-format", "%d files in %s", "%2$s 안의 파일 %1$d개", True, None),
    ("c-format", "%s of %s", "%s", True, "argument 2 doesn't exist in 'msgstr'"),
    ("c-format", "%s of %s", "%s", False, None),
    ("c-format", "%s", "%s %s", False, "argument 2, as in 'msgstr', doesn't exist"),
    ("c-format", "%lu bytes", "%lu 바이트", True, None),
    ("c-format", "%d%%", "%d%%", True, None),
    ("python-brace-format", "{name} joined", "{name} 님이 참여", True, None),
    ("python-brace-format", "{name} joined", "{nom} a rejoint", True, "'nom'"),
    ("python-brace-format", "{a}", "{a", True, "ends in the middle"),
])
def test_compare(kind: str, msgid: str, msgstr: str, strict: bool, problem: str | None) -> None:
    found = printf.compare(kind, msgid, msgstr, strict)
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_an_invalid_msgid_is_not_checked() -> None:
    assert printf.compare("python-format", "100%", "100%", True) is None
