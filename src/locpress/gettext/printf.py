"""Format strings as `msgfmt --check` reads them: c-format, python-format, python-brace-format.

An entry flagged `#, python-format` whose msgstr has a stray `%` (`10%까지`) breaks the program
that formats it, and GNU msgfmt refuses the whole catalog. The parsers follow gettext 0.21's
format-c.c, format-python.c and format-python-brace.c closely enough to agree with msgfmt on
real catalogs (tests/test_checks.py runs both over the Korean corpus); reasons are worded as
msgfmt words them so that a translator who knows one knows the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("c-format", "python-format", "python-brace-format")
_C_SIZES = ("hh", "ll", "h", "l", "L", "q", "j", "z", "Z", "t")
_C_TYPES = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"),
            **dict.fromkeys("eEfFgGaA", "double"), "c": "char", "s": "string", "p": "pointer",
            "n": "count", "C": "wchar", "S": "wstring"}
_PY_TYPES = {"c": "char", **dict.fromkeys("sra", "any"), **dict.fromkeys("diuoxX", "integer"),
             **dict.fromkeys("eEfFgG", "float")}


class FormatError(ValueError):
    """A string that is not a valid format string of its kind; the message is msgfmt's reason."""


@dataclass
class Directives:
    """The arguments a format string consumes: by position (type per slot) or by name."""

    unnamed: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)


def parse(kind: str, text: str) -> Directives:
    """The directives of a format string; FormatError says why it is not one."""
    if kind == "c-format":
        return _parse_c(text)
    if kind == "python-format":
        return _parse_python(text)
    return _parse_brace(text)


def compare(kind: str, msgid: str, msgstr: str, strict: bool) -> str | None:
    """Why msgstr cannot replace msgid as a format string, or None when it can.

    `strict` is msgfmt's equality: a singular msgstr must use every argument of msgid; a
    plural form may leave some out (Korean `%d개` for "one file" and "%d files").
    """
    try:
        source = parse(kind, msgid)
    except FormatError:
        return None  # msgfmt checks nothing when msgid itself is not a format string
    try:
        target = parse(kind, msgstr)
    except FormatError as exc:
        return f"'msgstr' is not a valid {_language(kind)} format string, unlike 'msgid'. Reason: {exc}"
    if kind == "python-brace-format":
        return _compare_named(source.named, target.named, strict, typed=False)
    if source.named and target.named:
        return _compare_named(source.named, target.named, strict, typed=True)
    if source.named and target.unnamed:
        return "format specifications in 'msgid' expect a mapping, those in 'msgstr' expect a tuple"
    if source.unnamed and target.named:
        return "format specifications in 'msgid' expect a tuple, those in 'msgstr' expect a mapping"
    return _compare_unnamed(kind, source.unnamed, target.unnamed, strict)


def _language(kind: str) -> str:
    return {"c-format": "C", "python-format": "Python", "python-brace-format": "Python brace"}[kind]


def _compare_named(source: dict[str, str], target: dict[str, str], strict: bool, typed: bool) -> str | None:
    for name in sorted(target):
        if name not in source:
            return f"a format specification for argument '{name}', as in 'msgstr', doesn't exist in 'msgid'"
    for name in sorted(source):
        if name not in target:
            if strict:
                return f"a format specification for argument '{name}' doesn't exist in 'msgstr'"
        elif typed and source[name] != target[name] and (strict or "any" not in (source[name], target[name])):
            return f"format specifications in 'msgid' and 'msgstr' for argument '{name}' are not the same"
    return None


def _compare_unnamed(kind: str, source: list[str], target: list[str], strict: bool) -> str | None:
    if kind == "python-format":
        if len(source) != len(target):
            return "number of format specifications in 'msgid' and 'msgstr' does not match"
    for index in range(max(len(source), len(target))):
        if index >= len(source):
            return f"a format specification for argument {index + 1}, as in 'msgstr', doesn't exist in 'msgid'"
        if index >= len(target):
            if strict:
                return f"a format specification for argument {index + 1} doesn't exist in 'msgstr'"
            continue
        same = source[index] == target[index] or (not strict and "any" in (source[index], target[index]))
        if not same:
            return f"format specifications in 'msgid' and 'msgstr' for argument {index + 1} are not the same"
    return None


def _bad_conversion(char: str, number: int) -> FormatError:
    if not char:
        return FormatError("The string ends in the middle of a directive.")
    if char.isascii() and char.isprintable():
        return FormatError(f"In the directive number {number}, the character '{char}' is not a valid "
                           "conversion specifier.")
    return FormatError(f"The character that terminates the directive number {number} is not a valid "
                       "conversion specifier.")


def _digits(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isdigit() and text[pos].isascii():
        pos += 1
    return pos


def _parse_python(text: str) -> Directives:
    result = Directives()
    pos = text.find("%")
    number = 0
    while pos >= 0:
        number += 1
        pos += 1
        name = None
        if text[pos:pos + 1] == "(":
            pos, name = _python_name(text, pos, number)
        while text[pos:pos + 1] and text[pos] in "-+ #0":
            pos += 1
        pos = _python_star(text, pos, name, result)
        if text[pos:pos + 1] == ".":
            pos = _python_star(text, pos + 1, name, result)
        while text[pos:pos + 1] and text[pos] in "hlL":
            pos += 1
        char = text[pos:pos + 1]
        if char == "%":
            number -= 1
        elif char in _PY_TYPES:
            _python_argument(result, name, _PY_TYPES[char])
        else:
            raise _bad_conversion(char, number)
        pos = text.find("%", pos + 1)
    if result.named and result.unnamed:
        raise FormatError("The string refers to arguments both through argument names and through unnamed "
                          "argument specifications.")
    return result


def _python_name(text: str, pos: int, number: int) -> tuple[int, str]:
    depth, start = 1, pos + 1
    pos += 1
    while depth:
        if pos >= len(text):
            raise FormatError(f"In the directive number {number}, the token after '(' is not followed by ')'.")
        depth += {"(": 1, ")": -1}.get(text[pos], 0)
        pos += 1
    return pos, text[start:pos - 1]


def _python_star(text: str, pos: int, name: str | None, result: Directives) -> int:
    if text[pos:pos + 1] == "*":
        if name is not None:
            raise FormatError("A '*' width or precision is not allowed with a named argument.")
        result.unnamed.append("integer")
        return pos + 1
    return _digits(text, pos)


def _python_argument(result: Directives, name: str | None, kind: str) -> None:
    if name is None:
        result.unnamed.append(kind)
        return
    known = result.named.get(name)
    if known is not None and known != kind and "any" not in (known, kind):
        raise FormatError(f"The string refers to the argument named '{name}' in incompatible ways.")
    result.named[name] = kind if known in (None, "any") else known


def _parse_c(text: str) -> Directives:
    slots: dict[int, str] = {}
    pos = text.find("%")
    number = unnumbered = 0
    numbered = False
    while pos >= 0:
        number += 1
        pos += 1
        if text[pos:pos + 1] == "%":
            number -= 1
            pos = text.find("%", pos + 1)
            continue
        position, pos = _c_position(text, pos)
        numbered = numbered or position is not None
        while text[pos:pos + 1] and text[pos] in "-+ #0'I":
            pos += 1
        pos, unnumbered = _c_star(text, pos, slots, unnumbered)
        if text[pos:pos + 1] == ".":
            pos, unnumbered = _c_star(text, pos + 1, slots, unnumbered)
        size = next((s for s in _C_SIZES if text.startswith(s, pos)), "")
        pos += len(size)
        char = text[pos:pos + 1]
        if char == "m":
            pos = text.find("%", pos + 1)
            continue
        if char not in _C_TYPES:
            raise _bad_conversion(char, number)
        if position is None:
            unnumbered += 1
            position = unnumbered
        kind = size + _C_TYPES[char]
        if slots.setdefault(position, kind) != kind:
            raise FormatError(f"The string refers to argument number {position} in incompatible ways.")
        pos = text.find("%", pos + 1)
    if numbered and unnumbered:
        raise FormatError("The string refers to arguments both through absolute argument numbers and through "
                          "unnumbered argument specifications.")
    if slots and sorted(slots) != list(range(1, len(slots) + 1)):
        missing = next(i for i in range(1, max(slots) + 1) if i not in slots)
        raise FormatError(f"The string refers to argument number {max(slots)} but ignores argument number {missing}.")
    return Directives(unnamed=[slots[i] for i in sorted(slots)])


def _c_position(text: str, pos: int) -> tuple[int | None, int]:
    end = _digits(text, pos)
    if end > pos and text[end:end + 1] == "$":
        return int(text[pos:end]), end + 1
    return None, pos


def _c_star(text: str, pos: int, slots: dict[int, str], unnumbered: int) -> tuple[int, int]:
    if text[pos:pos + 1] != "*":
        return _digits(text, pos), unnumbered
    position, after = _c_position(text, pos + 1)
    if position is None:
        unnumbered += 1
        position = unnumbered
    slots.setdefault(position, "int")
    return after, unnumbered


def _parse_brace(text: str) -> Directives:
    result = Directives()
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in "{}" and text[pos + 1:pos + 2] == char:
            pos += 2
            continue
        if char == "}":
            raise FormatError("The string contains a lone '}' after directive number "
                              f"{len(result.named)}.")
        if char == "{":
            end = text.find("}", pos)
            if end < 0:
                raise FormatError("The string ends in the middle of a directive.")
            field_name = text[pos + 1:end].split("!", 1)[0].split(":", 1)[0]
            base = field_name.split(".", 1)[0].split("[", 1)[0]
            result.named[base] = "any"
            pos = end + 1
            continue
        pos += 1
    return result
