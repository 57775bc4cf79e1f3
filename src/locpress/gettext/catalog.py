"""The gettext catalog model: strict reading, canonical writing, merging, statistics.

Every behaviour mirrors GNU gettext 0.21 so that our files and the GNU tools agree:
``parse_po`` rejects what ``msgfmt --check`` rejects (plus a few conventions we refuse to
rewrite silently), ``write_po`` prints what ``msgcat --no-wrap`` prints, ``merge`` chooses
what ``msgmerge --previous`` chooses and ``stats`` counts like ``msgfmt --statistics``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel

from locpress.errors import CatalogError

#: msgmerge's FUZZY_THRESHOLD: a fuzzy source must be *more* similar than this.
FUZZY_THRESHOLD = 0.6
#: msgmerge's advantage for a source with the same (or no) msgctxt.
CONTEXT_BONUS = 0.00001
#: Extracted comments that belong to the translation, not the template (provenance, ignore
#: directives, glossary hints): an update keeps them on an exact match, where msgmerge
#: would replace every ``#.`` line with the template's.
KEPT_COMMENTS = ("locpress:", "glossary:")

#: Format flags GNU gettext 0.21 knows, in the order msgcat prints them.
FORMAT_NAMES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip


# --------------------------------------------------------------------------- model


@dataclass
class Message:
    """One PO entry; strings are unescaped, comments are stored without their marker."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    lineno: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        """The msgstr forms in index order (one form for a non-plural entry)."""
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def first_msgstr(self) -> str:
        """What GNU looks at to call an entry translated: msgstr or msgstr[0]."""
        if self.msgid_plural is None:
            return self.msgstr
        return self.msgstr_plural.get(0, "")

    @property
    def untranslated(self) -> bool:
        return self.first_msgstr == ""

    @property
    def fuzzy(self) -> bool:
        """Flagged fuzzy and translated (GNU ignores the flag on an empty msgstr)."""
        return "fuzzy" in self.flags and self.first_msgstr != ""

    @property
    def translated(self) -> bool:
        """msgfmt's "translated": msgstr (msgstr[0]) non-empty and not fuzzy."""
        return self.first_msgstr != "" and "fuzzy" not in self.flags

    @property
    def reviewed(self) -> bool:
        """Translated in every plural form and not fuzzy: safe to publish."""
        return self.translated and all(self.translations)


@dataclass
class Catalog:
    """A PO/POT file: the header entry (msgid "") and the other entries in file order."""

    header: Message
    messages: list[Message] = field(default_factory=list)

    @property
    def fields(self) -> list[tuple[str, str]]:
        return header_fields(self.header.msgstr)


@dataclass(frozen=True)
class CatalogStats:
    """Counts over live entries (header and obsolete excluded), as msgfmt --statistics."""

    total: int
    reviewed: int
    fuzzy: int
    untranslated: int
    words: int
    reviewed_words: int


def header_fields(msgstr: str) -> list[tuple[str, str]]:
    """Split a header msgstr into ordered (key, value) pairs; lines without ':' are skipped."""
    pairs = []
    for line in msgstr.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            pairs.append((key.strip(), value.strip()))
    return pairs


def header_message(
    fields: Iterable[tuple[str, str]],
    translator_comments: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> Message:
    """Build a header entry whose msgstr is ``Key: Value\\n`` per field."""
    msgstr = "".join(f"{key}: {value}\n" for key, value in fields)
    return Message(
        msgid="",
        msgstr=msgstr,
        translator_comments=list(translator_comments),
        flags=list(flags),
    )


def header_value(catalog: Catalog, key: str) -> str | None:
    """The value of a header field (case-insensitive key, as GNU compares), or None."""
    wanted = key.lower()
    for name, value in catalog.fields:
        if name.lower() == wanted:
            return value
    return None


# --------------------------------------------------------------------------- reading

_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[\s*(\d+)\s*\])?(?=[\s\"]|$)")
_TOKEN_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE_RE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
    "\\": "\\", '"': '"',
}  # fmt: skip
_CHARSET_RE = re.compile(r"charset=([^\s;]*)", re.IGNORECASE)


def parse_po(data: bytes, path: str) -> Catalog:
    """Read a PO/POT file strictly; raise CatalogError(what, path, line) on anything wrong.

    Takes bytes so that a byte that is not UTF-8 can be located; a BOM is refused rather
    than silently rewritten. CRLF line endings are read as LF (the runner writes the file
    back with the line endings it had).
    """
    text = _decode(data, path)
    reader = _Reader(path, text.endswith("\n"))
    lines = _numbered_lines(text)
    last = len(lines) - 1
    for position, (lineno, line) in enumerate(lines):
        reader.feed(line, lineno, position == last)
    messages = reader.finish()
    return _catalog(messages, path)


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """Lines with their numbers; like GNU's lexer, a backslash before a newline splices."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    numbered = list(enumerate(lines, 1))
    if "\\\n" not in text:
        return numbered
    spliced: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for lineno, line in numbered:
        if pending is not None:
            lineno, line = pending[0], pending[1] + line
        pending = (lineno, line[:-1]) if line.endswith("\\") else None
        if pending is None:
            spliced.append((lineno, line))
    if pending is not None:
        spliced.append(pending)
    return spliced


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise CatalogError("file starts with a UTF-8 byte order mark (BOM); remove it", path, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        bad = data[exc.start : exc.end].hex(" ")
        raise CatalogError(
            f"invalid multibyte sequence: byte(s) {bad} at column {column} are not UTF-8",
            path,
            line,
        ) from None
    for char, what in (("\x04", "context separator <EOT>"), ("\x00", "NUL character")):
        found = text.find(char)
        if found >= 0:
            raise CatalogError(f"{what} within the file", path, text.count("\n", 0, found) + 1)
    if "\r\n" in text:  # a Windows working copy (Git's core.autocrlf); written back as it was
        text = text.replace("\r\n", "\n")
    return text


def _catalog(messages: list[Message], path: str) -> Catalog:
    if not messages or messages[0].key != (None, "") or messages[0].obsolete:
        line = messages[0].lineno if messages else 1
        what = 'header entry (msgid "") missing: it must be the first entry'
        raise CatalogError(what, path, line)
    _check_duplicates(messages, path)
    header = messages[0]
    _check_charset(header, path)
    return Catalog(header=header, messages=messages[1:])


def _check_duplicates(messages: list[Message], path: str) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    for message in messages:
        first = seen.setdefault(message.key, message.lineno)
        if first != message.lineno:
            raise CatalogError(
                f"duplicate message definition (first defined at line {first})",
                path,
                message.lineno,
            )


def _check_charset(header: Message, path: str) -> None:
    content_type = None
    for name, value in header_fields(header.msgstr):
        if name.lower() == "content-type":
            content_type = value
    match = _CHARSET_RE.search(content_type or "")
    if match is None:
        raise CatalogError(
            "header has no charset (Content-Type: text/plain; charset=UTF-8 is required)",
            path,
            header.lineno,
        )
    if match.group(1).upper() != "UTF-8":
        raise CatalogError(
            f"header charset is {match.group(1)!r}: only UTF-8 catalogs are read and written",
            path,
            header.lineno,
        )


class _Reader:
    """Line-oriented state machine; ``section`` is the last keyword seen in the entry."""

    def __init__(self, path: str, ends_with_newline: bool) -> None:
        self.path = path
        self.ends_with_newline = ends_with_newline
        self.messages: list[Message] = []
        self.entry = Message(msgid="")
        self.section = ""  # "", msgctxt, msgid, msgid_plural, msgstr, msgstr[n]
        self.parts: list[str] = []
        self.previous = ""  # the '#|' field receiving continuation strings
        self.done = False  # entry has a msgstr: the next keyword or comment starts another

    def error(self, what: str, line: int) -> CatalogError:
        return CatalogError(what, self.path, line)

    def feed(self, line: str, lineno: int, last: bool) -> None:
        first = line[:1]
        if first == '"':
            self.continuation(line, lineno, last, obsolete=False)
        elif first == "m":
            self.keyword(line, lineno, last, obsolete=False)
        elif first == "#":
            self.comment(line, lineno, last)
        elif line.strip():
            stripped = line.lstrip()
            if line[0] in " \t\f\v" and stripped[:1] in ('"', "m", "#"):
                self.feed(stripped, lineno, last)
            else:
                raise self.error(f"keyword {stripped.split()[0]!r} unknown", lineno)

    # -- comments -------------------------------------------------------------------

    def comment(self, line: str, lineno: int, last: bool) -> None:
        kind = line[1:2]
        if kind == "~":
            self.obsolete_line(line, lineno, last)
            return
        if kind == "|":
            self.previous_line(line[2:], lineno, last, obsolete=False)
            return
        self.start_comment(lineno)
        text = line[2:] if kind in (",", ".", ":") else line[1:]
        if text[:1] == " ":
            text = text[1:]
        entry = self.entry
        if kind == ",":
            entry.flags.extend(flag.strip() for flag in text.split(",") if flag.strip())
        elif kind == ".":
            entry.auto_comments.append(text)
        elif kind == ":":
            for ref in text.split():
                if ref not in entry.references:
                    entry.references.append(ref)
        else:
            entry.translator_comments.append(text)

    def start_comment(self, lineno: int) -> None:
        if self.done:
            self.finish_entry()
        elif self.section:
            raise self.error("missing 'msgstr' section", self.entry.lineno or lineno)
        elif self.previous:
            # msgfmt reports the syntax error on the token after the comment line.
            what = "syntax error: comment line after '#|' previous-msgid lines"
            raise self.error(what, lineno + 1)

    def obsolete_line(self, line: str, lineno: int, last: bool) -> None:
        if line[2:3] == "|":
            self.previous_line(line[3:], lineno, last, obsolete=True)
            return
        rest = line[2:].lstrip()
        if not rest:
            return
        if rest[0] == '"':
            self.continuation(rest, lineno, last, obsolete=True, column=len(line) - len(rest))
        else:
            self.keyword(rest, lineno, last, obsolete=True, column=len(line) - len(rest))

    # -- previous msgid (#|) --------------------------------------------------------

    def previous_line(self, rest: str, lineno: int, last: bool, obsolete: bool) -> None:
        if self.done:
            self.finish_entry()
        elif self.section:
            raise self.error("missing 'msgstr' section", self.entry.lineno or lineno)
        rest = rest.lstrip()
        entry = self.entry
        if entry.previous_msgid is None and entry.previous_msgctxt is None:
            entry.obsolete = obsolete
        elif entry.obsolete != obsolete:
            raise self.error("inconsistent use of #~", lineno)
        if rest[:1] == '"':
            if not self.previous:
                raise self.error("syntax error: string without a '#|' keyword", lineno)
            value = self.strings(rest, lineno, last, 0)
            setattr(entry, self.previous, getattr(entry, self.previous) + value)
            return
        match = _KEYWORD_RE.match(rest)
        if match is None or match.group(2) is not None or match.group(1) == "msgstr":
            raise self.error(f"syntax error in '#|' line: {rest!r}", lineno)
        name = "previous_" + match.group(1)
        value = self.strings(rest[match.end() :].lstrip(), lineno, last, 0)
        setattr(entry, name, value)
        self.previous = name

    # -- keywords and strings -------------------------------------------------------

    def keyword(self, line: str, lineno: int, last: bool, obsolete: bool, column: int = 0) -> None:
        match = _KEYWORD_RE.match(line)
        if match is None:
            raise self.error(f"keyword {line.split()[0]!r} unknown", lineno)
        name, index = match.group(1), match.group(2)
        self.flush()
        if name in ("msgctxt", "msgid"):
            self.begin(name, lineno, obsolete)
        elif name == "msgid_plural":
            what = "syntax error: 'msgid_plural' out of place"
            self.expect(self.section == "msgid", what, lineno)
        else:
            self.msgstr_keyword(index, lineno)
        if self.entry.obsolete != obsolete:
            raise self.error("inconsistent use of #~", lineno)
        self.section = name if index is None else f"msgstr[{index}]"
        rest = line[match.end() :].lstrip()
        start = column + len(line) - len(rest)
        self.parts.append(self.strings(rest, lineno, last, start))

    def begin(self, name: str, lineno: int, obsolete: bool) -> None:
        if self.done:
            self.finish_entry()
        if self.section == "msgctxt" and name == "msgid":
            self.entry.lineno = lineno
            return
        if self.section:
            raise self.error("missing 'msgstr' section", self.entry.lineno or lineno)
        if self.entry.previous_msgid is None and self.entry.previous_msgctxt is None:
            self.entry.obsolete = obsolete
        self.entry.lineno = lineno
        self.previous = ""

    def msgstr_keyword(self, index: str | None, lineno: int) -> None:
        section, entry = self.section, self.entry
        if index is None:
            self.expect(section == "msgid", "syntax error: 'msgstr' out of place", lineno)
        elif section == "msgid":
            raise self.error("missing 'msgid_plural' section", entry.lineno)
        elif section == "msgid_plural":
            self.expect(int(index) == 0, "first plural form has nonzero index", lineno)
        else:
            expected = f"msgstr[{len(entry.msgstr_plural)}]"
            self.expect(
                section.startswith("msgstr[") and int(index) == len(entry.msgstr_plural),
                f"plural form has wrong index (expected {expected})",
                lineno,
            )
        self.done = True

    def expect(self, condition: bool, what: str, lineno: int) -> None:
        if not condition:
            raise self.error(what, lineno)

    def continuation(
        self, line: str, lineno: int, last: bool, obsolete: bool, column: int = 0
    ) -> None:
        if not self.section:
            raise self.error("syntax error: string without a keyword", lineno)
        if self.entry.obsolete != obsolete:
            raise self.error("inconsistent use of #~", lineno)
        if line[-1:] == '"' and line.find('"', 1) == len(line) - 1 and "\\" not in line:
            self.parts.append(line[1:-1])
        else:
            self.parts.append(self.strings(line, lineno, last, column))

    def strings(self, rest: str, lineno: int, last: bool, column: int) -> str:
        """Parse one or more string tokens making up the rest of a line."""
        values = []
        pos = 0
        while True:
            if rest[pos : pos + 1] != '"':
                if pos == 0:
                    raise self.error("syntax error: expected a string", lineno)
                raise self.error(f"keyword {rest[pos:].split()[0]!r} unknown", lineno)
            match = _TOKEN_RE.match(rest, pos)
            if match is None:
                if last and not self.ends_with_newline:
                    raise self.error("end-of-file within string", lineno)
                # msgfmt counts the newline it has consumed: it names the next line.
                raise self.error("end-of-line within string", lineno + 1)
            body = match.group(1)
            values.append(_unescape(body, self, lineno, column + pos + 2) if "\\" in body else body)
            pos = match.end()
            while rest[pos : pos + 1] in (" ", "\t", "\f", "\v") and pos < len(rest):
                pos += 1
            if pos >= len(rest):
                return "".join(values)

    def flush(self) -> None:
        """Store the strings collected for the current section into the entry."""
        section = self.section
        if not self.parts:
            return
        value = "".join(self.parts)
        self.parts = []
        entry = self.entry
        if section == "msgid":
            entry.msgid = value
        elif section == "msgstr":
            entry.msgstr = value
        elif section == "msgctxt":
            entry.msgctxt = value
        elif section == "msgid_plural":
            entry.msgid_plural = value
        else:
            entry.msgstr_plural[int(section[7:-1])] = value

    def finish_entry(self) -> None:
        self.flush()
        self.messages.append(self.entry)
        self.entry = Message(msgid="")
        self.section = ""
        self.previous = ""
        self.done = False

    def finish(self) -> list[Message]:
        if self.done:
            self.finish_entry()
        elif self.section:
            raise self.error("missing 'msgstr' section", self.entry.lineno)
        return self.messages


def _unescape(body: str, reader: _Reader, lineno: int, column: int) -> str:
    """Resolve C escapes; octal and hex escapes give bytes that must form UTF-8."""
    pieces: list[bytes] = []
    pos = 0
    for match in _ESCAPE_RE.finditer(body):
        pieces.append(body[pos : match.start()].encode("utf-8"))
        simple, octal, hexa, bad = match.groups()
        if bad is not None:
            where = column + match.start() + 1
            raise reader.error(f"invalid escape sequence '\\{bad}' (column {where})", lineno)
        if simple is not None:
            pieces.append(_SIMPLE_ESCAPES[simple].encode("ascii"))
        else:
            code = int(octal, 8) if octal is not None else int(hexa, 16)
            pieces.append(bytes([code & 0xFF]))
        pos = match.end()
    pieces.append(body[pos:].encode("utf-8"))
    try:
        value = b"".join(pieces).decode("utf-8")
    except UnicodeDecodeError:
        raise reader.error("invalid multibyte sequence made by escape sequences", lineno) from None
    if "\x04" in value or "\x00" in value:
        raise reader.error("context separator <EOT> or NUL within string", lineno)
    return value


# --------------------------------------------------------------------------- writing

_ESCAPE_TABLE = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
     "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
)  # fmt: skip
#: msgcat's page width; with --no-wrap it still applies to '#:' reference lines.
PAGE_WIDTH = 79
_RANGE_RE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)$")


def write_po(catalog: Catalog) -> str:
    """The catalog in GNU canonical form: byte-identical to ``msgcat --no-wrap``."""
    blocks = ["\n".join(_entry_lines(catalog.header))]
    live = [m for m in catalog.messages if not m.obsolete]
    # GNU prints obsolete entries last, and never an untranslated one.
    obsolete = [m for m in catalog.messages if m.obsolete and not m.untranslated]
    blocks.extend("\n".join(_entry_lines(message)) for message in live + obsolete)
    return "\n\n".join(blocks) + "\n"


def canonical_flags(message: Message) -> list[str]:
    """The flags msgcat prints: fuzzy, known formats in GNU order, range, no-wrap."""
    if not message.flags:
        return []
    formats: dict[str, str] = {}
    flags: list[str] = []
    rng = ""
    wrap = ""
    for flag in message.flags:
        if flag.endswith("-format"):
            _format_flag(flag[:-7], formats)
        elif flag.startswith("range:"):
            match = _RANGE_RE.match(flag)
            rng = f"range: {int(match.group(1))}..{int(match.group(2))}" if match else rng
        elif flag in ("wrap", "no-wrap"):
            wrap = flag
    if "fuzzy" in message.flags and message.first_msgstr:
        flags.append("fuzzy")
    if formats:
        flags.extend(formats[name] for name in FORMAT_NAMES if formats.get(name))
    if rng:
        flags.append(rng)
    if wrap == "no-wrap":
        flags.append(wrap)
    return flags


def _format_flag(name: str, formats: dict[str, str]) -> None:
    for prefix, shown in (("no-", "no-{}-format"), ("possible-", "{}-format"), ("impossible-", "")):
        if name.startswith(prefix) and name[len(prefix) :] in FORMAT_NAMES:
            formats[name[len(prefix) :]] = shown.format(name[len(prefix) :])
            return
    if name in FORMAT_NAMES:
        formats[name] = f"{name}-format"


def _entry_lines(message: Message) -> Iterator[str]:
    for comment in message.translator_comments:
        yield f"# {comment}" if comment else "#"
    for comment in message.auto_comments:
        yield f"#. {comment}" if comment else "#."
    if message.references:
        yield from _reference_lines(message.references)
    flags = canonical_flags(message)
    if flags:
        yield "#, " + ", ".join(flags)
    prefix = "#~ " if message.obsolete else ""
    previous = "#~| " if message.obsolete else "#| "
    for keyword, value in (
        ("msgctxt", message.previous_msgctxt),
        ("msgid", message.previous_msgid),
        ("msgid_plural", message.previous_msgid_plural),
    ):
        if value is not None:
            yield from _string_lines(previous, keyword, value)
    if message.msgctxt is not None:
        yield from _string_lines(prefix, "msgctxt", message.msgctxt)
    yield from _string_lines(prefix, "msgid", message.msgid)
    if message.msgid_plural is None:
        yield from _string_lines(prefix, "msgstr", message.msgstr)
        return
    yield from _string_lines(prefix, "msgid_plural", message.msgid_plural)
    forms = message.msgstr_plural or {0: "", 1: ""}  # a template's untranslated forms, as xgettext
    for index in sorted(forms):
        yield from _string_lines(prefix, f"msgstr[{index}]", forms[index])


def _reference_lines(references: list[str]) -> Iterator[str]:
    """GNU wraps '#:' lines at column 79 even with --no-wrap, and drops leading './'."""
    line = "#:"
    for reference in references:
        while reference.startswith("./"):
            reference = reference[2:]
        if len(line) > 2 and len(line) + len(reference) + 1 > PAGE_WIDTH:
            yield line
            line = "#:"
        line += " " + reference
    yield line


def _string_lines(prefix: str, keyword: str, value: str) -> Iterator[str]:
    """GNU splits a string after each newline that is not its last character."""
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        yield f'{prefix}{keyword} "{value.translate(_ESCAPE_TABLE)}"'
        return
    yield f'{prefix}{keyword} ""'
    pieces = value.split("\n")
    for piece in pieces[:-1]:
        yield f'{prefix}"{piece.translate(_ESCAPE_TABLE)}\\n"'
    if pieces[-1]:
        yield f'{prefix}"{pieces[-1].translate(_ESCAPE_TABLE)}"'


# --------------------------------------------------------------------------- statistics


def stats(catalog: Catalog) -> CatalogStats:
    """Counts as ``msgfmt --statistics``: msgstr[0] decides translated, fuzzy needs it too."""
    total = reviewed = fuzzy = untranslated = words = reviewed_words = 0
    for message in catalog.messages:
        if message.obsolete:
            continue
        count = len(message.msgid.split())
        total += 1
        words += count
        if message.untranslated:
            untranslated += 1
        elif "fuzzy" in message.flags:
            fuzzy += 1
        else:
            reviewed += 1
            reviewed_words += count
    return CatalogStats(total, reviewed, fuzzy, untranslated, words, reviewed_words)


# --------------------------------------------------------------------------- merging


def merge(template: Catalog, old: Catalog | None, header: list[tuple[str, str]]) -> Catalog:
    """Update ``old`` to ``template`` like ``msgmerge --previous``; see the module notes.

    Exact (msgctxt, msgid) matches, live or obsolete, keep their translation and state;
    other template entries take the most similar old translation as a fuzzy entry;
    old entries left unused become obsolete. Every template entry is matched on its own,
    so one old entry can serve several template entries (as in msgmerge).
    """
    definitions = old.messages if old is not None else []
    exact: dict[tuple[str | None, str], Message] = {}
    for message in definitions:
        exact.setdefault(message.key, message)
    matcher = FuzzyMatcher(definitions)
    nplurals = _nplurals(header)
    used: set[int] = set()
    result = []
    for ref in template.messages:
        if ref.obsolete:
            continue
        source = exact.get(ref.key)
        fuzzy = source is None
        if source is None:
            source = matcher.best(ref.msgctxt, ref.msgid)
        if source is None:
            result.append(_untranslated(ref, nplurals))
            continue
        used.add(id(source))
        result.append(_merged(source, ref, fuzzy, nplurals))
    result.extend(_obsoleted(m) for m in definitions if id(m) not in used and not m.untranslated)
    return Catalog(header=_merged_header(template, old, header), messages=result)


def _merged_header(
    template: Catalog, old: Catalog | None, header: list[tuple[str, str]]
) -> Message:
    comments = old.header.translator_comments if old is not None else []
    return header_message(header, comments or template.header.translator_comments)


def _nplurals(header: list[tuple[str, str]]) -> int:
    for key, value in header:
        match = re.search(r"nplurals\s*=\s*(\d+)", value)
        if key.lower() == "plural-forms" and match:
            return int(match.group(1))
    return 2  # GNU's default when Plural-Forms is missing


def _untranslated(ref: Message, nplurals: int) -> Message:
    return Message(
        msgid=ref.msgid,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        msgstr_plural={i: "" for i in range(nplurals)} if ref.msgid_plural is not None else {},
        flags=[f for f in ref.flags if f != "fuzzy"],
        auto_comments=list(ref.auto_comments),
        translator_comments=list(ref.translator_comments),
        references=list(ref.references),
        lineno=ref.lineno,
    )


def _merged(source: Message, ref: Message, force_fuzzy: bool, nplurals: int) -> Message:
    """GNU message_merge: strings and '# ' from the old entry, the rest from the template."""
    was_fuzzy = "fuzzy" in source.flags
    fuzzy = was_fuzzy or force_fuzzy or source.msgid_plural != ref.msgid_plural
    msgstr, plural = _merged_msgstr(source, ref, nplurals)
    if was_fuzzy:
        previous = (source.previous_msgctxt, source.previous_msgid, source.previous_msgid_plural)
    else:
        previous = (source.msgctxt, source.msgid, source.msgid_plural)
    first = plural.get(0, "") if ref.msgid_plural is not None else msgstr
    same = previous == (ref.msgctxt, ref.msgid, ref.msgid_plural)
    if not fuzzy or not first or same:
        previous = (None, None, None)
    return Message(
        msgid=ref.msgid,
        msgstr=msgstr,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        msgstr_plural=plural,
        flags=(["fuzzy"] if fuzzy else []) + [f for f in ref.flags if f != "fuzzy"],
        auto_comments=_auto_comments(ref, source, force_fuzzy),
        translator_comments=list(source.translator_comments),
        references=list(ref.references),
        previous_msgctxt=previous[0],
        previous_msgid=previous[1],
        previous_msgid_plural=previous[2],
        lineno=ref.lineno,
    )


def _auto_comments(ref: Message, source: Message, fuzzy_match: bool) -> list[str]:
    kept = [] if fuzzy_match else [c for c in source.auto_comments
                                   if c.startswith(KEPT_COMMENTS) and c not in ref.auto_comments]
    return list(ref.auto_comments) + kept


def _merged_msgstr(source: Message, ref: Message, nplurals: int) -> tuple[str, dict[int, str]]:
    if ref.msgid_plural is None:
        return source.first_msgstr, {}
    if source.msgid_plural is None:
        return "", {i: source.msgstr for i in range(nplurals)}
    return "", dict(source.msgstr_plural)


def _obsoleted(message: Message) -> Message:
    previous = (message.previous_msgctxt, message.previous_msgid, message.previous_msgid_plural)
    if previous == (message.msgctxt, message.msgid, message.msgid_plural):
        previous = (None, None, None)
    return Message(
        msgid=message.msgid,
        msgstr=message.msgstr,
        msgctxt=message.msgctxt,
        msgid_plural=message.msgid_plural,
        msgstr_plural=dict(message.msgstr_plural),
        flags=list(message.flags),
        translator_comments=list(message.translator_comments),
        previous_msgctxt=previous[0],
        previous_msgid=previous[1],
        previous_msgid_plural=previous[2],
        obsolete=True,
        lineno=message.lineno,
    )


class FuzzyMatcher:
    """msgmerge's choice of a fuzzy source among old entries (msgl-fsearch.c, fstrcmp.c).

    Candidates are all old entries, live or obsolete, whose msgstr[0] is non-empty.
    The weight is fstrcmp over UTF-8 bytes, 2*LCS/(len1+len2), plus CONTEXT_BONUS when
    the candidate has no msgctxt or the same one; a candidate wins only if its weight is
    strictly greater than FUZZY_THRESHOLD and than every earlier one. msgmerge visits
    candidates sharing a character 4-gram with the msgid, most shared 4-grams first,
    then in file order; a msgid under 4 characters is compared with candidates whose
    byte length is within the reach of the threshold, shortest first.
    """

    def __init__(self, definitions: list[Message]) -> None:
        self.candidates = [m for m in definitions if m.first_msgstr and m.msgid]
        self.bytes = [_as_bytes(m.msgid) for m in self.candidates]
        self.grams: list[frozenset[str]] | None = None

    def best(self, msgctxt: str | None, msgid: str) -> Message | None:
        if not self.candidates or not msgid:
            return None
        query = _as_bytes(msgid)
        hits = process.extract(
            query,
            self.bytes,
            scorer=Indel.normalized_similarity,
            score_cutoff=FUZZY_THRESHOLD - 2 * CONTEXT_BONUS,
            limit=None,
        )
        weighted = []
        for _choice, _score, index in hits:
            weight = self.weight(index, msgctxt, query)
            if weight > FUZZY_THRESHOLD:
                weighted.append((weight, index))
        weighted.sort(key=lambda pair: -pair[0])
        for _weight, group in _groups(weighted):
            chosen = self.tie_break(group, msgid, query)
            if chosen is not None:
                return self.candidates[chosen]
        return None

    def weight(self, index: int, msgctxt: str | None, query: str) -> float:
        other = self.bytes[index]
        total = len(query) + len(other)
        weight = (total - Indel.distance(query, other)) / total
        context = self.candidates[index].msgctxt
        if context is None or context == msgctxt:
            weight += CONTEXT_BONUS
        return weight

    def tie_break(self, group: list[int], msgid: str, query: str) -> int | None:
        """Among equal weights msgmerge keeps the first one it visits."""
        if len(msgid) < 4:
            reach = 2 / FUZZY_THRESHOLD - 1
            low, high = math.ceil(len(query) / reach), int(len(query) * reach)
            near = [i for i in group if low <= len(self.bytes[i]) <= high]
            return min(near, key=lambda i: (len(self.bytes[i]), i), default=None)
        grams = [msgid[i : i + 4] for i in range(len(msgid) - 3)]
        shared = [(sum(g in self.gram_set(i) for g in grams), i) for i in group]
        visited = [(-count, i) for count, i in shared if count > 0]
        return min(visited)[1] if visited else None

    def gram_set(self, index: int) -> frozenset[str]:
        if self.grams is None:
            self.grams = [frozenset() for _ in self.candidates]
        if not self.grams[index]:
            text = self.candidates[index].msgid
            self.grams[index] = frozenset(text[i : i + 4] for i in range(len(text) - 3))
        return self.grams[index]


def _as_bytes(text: str) -> str:
    """One character per UTF-8 byte, so that rapidfuzz compares bytes like fstrcmp."""
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


def _groups(weighted: list[tuple[float, int]]) -> Iterator[tuple[float, list[int]]]:
    start = 0
    while start < len(weighted):
        end = start
        while end < len(weighted) and weighted[end][0] == weighted[start][0]:
            end += 1
        yield weighted[start][0], [index for _w, index in weighted[start:end]]
        start = end
