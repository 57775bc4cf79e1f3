"""Bad input through the CLI, one table: each case ends in one line `error: path:line: what`
and its exit code, never a traceback; the other releases are still processed and no file is
overwritten with less than it had. Oversized but valid input succeeds, fast, byte for byte.

Exit codes (cli.py): 3 for a file that cannot be processed (the others still are), 2 for a
configuration or usage error (nothing is processed, nothing written).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Result, snapshot

from locpress.gettext.catalog import parse_po

Make = Callable[..., Path]
Cli = Callable[..., Result]

A = "# Title\n\nOne sentence. Two sentences.\n"
B = "# Other\n\nAnother release.\n"
B_CHANGED = "# Other\n\nAnother release, changed.\n"

#: A valid catalog for release a, written by hand so that each defect below sits on a known line.
PO = """\
msgid ""
msgstr ""
"Language: ko\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#: source/a.md:1
msgid "Title"
msgstr "제목"

#: source/a.md:3
msgid "One sentence."
msgstr "한 문장."
"""

#: The files a run may change in a case where release a is broken: release b's own.
B_FILES = {"locales/templates/b.pot", "locales/ko/b.po"}
#: ... and those of releases a (its hand-written catalog made canonical) and 2023/c, when
#: only a symlink beside them is refused.
WITH_C = frozenset({*B_FILES, "locales/ko/a.po", "locales/templates/2023/c.pot", "locales/ko/2023/c.po"})

PARAGRAPH = " ".join(f"Sentence {i} says that IOM helped {i * 7} people in Seoul, e.g. with **kits**." for i in range(1300))
NESTED = "# Deep\n\n" + "".join("  " * i + f"- Item {i}. Level {i} is nested.\n" for i in range(50))
QUOTED = "# Deep\n\n" + "".join(">" * (i + 1) + f" Quote {i}.\n" for i in range(50))
TOO_DEEP = "# Deep\n\n" + "".join("  " * i + f"- Item {i}.\n" for i in range(70))


def po(edit: Callable[[str], str]) -> Callable[[Path], object]:
    """Put a broken catalog for release a in place (bytes: a BOM must survive)."""
    return lambda root: (root / "locales/ko/a.po").write_bytes(edit(PO).encode())


def source(data: str | bytes) -> Callable[[Path], object]:
    return lambda root: (root / "source/a.md").write_bytes(data if isinstance(data, bytes) else data.encode())


def config(extra: str, locales: str = '["ko"]') -> Callable[[Path], object]:
    return lambda root: (root / "locpress.toml").write_text(f'source_locale = "en"\nlocales = {locales}\n{extra}')


def glossary(text: str) -> Callable[[Path], object]:
    return lambda root: (root / "glossary.csv").write_text(text)


def symlink(link: str, folder: bool) -> Callable[[Path], object]:
    """A symlink inside the project to a file or folder beside it (and a release that would
    be written through it)."""

    def make(root: Path) -> None:
        (root / "source/2023/c.md").write_text("# C\n")
        outside = root.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "secret.md").write_text("# Secret\n\nNot for translation.\n")
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(outside if folder else outside / "secret.md", root / link)

    return make


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[Path], object]
    error: str | None  # the whole of stderr, without "error: " and the newline; None: success
    code: int
    command: tuple[str, ...] = ("run",)
    changed: frozenset[str] | None = None  # files written; default: release b's for exit 3, else none


CASES = [
    # --- catalogs: exit 3, the catalog left as it is, release b still updated ------------------
    Case("po unterminated string", po(lambda t: t.replace('"제목"', '"제목')),
         "locales/ko/a.po:12: end-of-line within string", 3),  # the line after, as msgfmt says
    Case("po bad escape", po(lambda t: t.replace('"제목"', '"제\\q목"')),
         "locales/ko/a.po:11: invalid escape sequence '\\q' (column 11)", 3),
    Case("po duplicate msgid", po(lambda t: t + '\nmsgid "Title"\nmsgstr "다른 제목"\n'),
         "locales/ko/a.po:17: duplicate message definition (first defined at line 10)", 3),
    Case("po wrong charset", po(lambda t: t.replace("charset=UTF-8", "charset=ISO-8859-1")),
         "locales/ko/a.po:1: header charset is 'ISO-8859-1': only UTF-8 catalogs are read and written", 3),
    Case("po missing charset", po(lambda t: t.replace('"Content-Type: text/plain; charset=UTF-8\\n"\n', "")),
         "locales/ko/a.po:1: header has no charset (Content-Type: text/plain; charset=UTF-8 is required)", 3),
    Case("po BOM", po(lambda t: "\ufeff" + t),
         "locales/ko/a.po:1: file starts with a UTF-8 byte order mark (BOM); remove it", 3),
    Case("po no header", po(lambda t: t.split("\n\n", 1)[1]),
         'locales/ko/a.po:2: header entry (msgid "") missing: it must be the first entry', 3),
    Case("po not UTF-8", lambda root: (root / "locales/ko/a.po").write_bytes(PO.replace("제목", "Caf\xe9").encode("latin-1", "replace")),
         "locales/ko/a.po:11: invalid multibyte sequence: byte(s) e9 at column 12 are not UTF-8", 3),
    # --- sources: exit 3, release a's template and catalog left as they are ---------------------
    Case("broken YAML front matter", source("---\ntitle: [unclosed\ndate: 2023-11-01\n---\n\n# T\n"),
         "source/a.md:3: broken YAML front matter: expected ',' or ']', but got ':' "
         "(while parsing a flow sequence that starts on line 2)", 3),
    Case("source not UTF-8", source("# Caf\xe9\n\nText.\n".encode("latin-1")),
         "source/a.md:1: not UTF-8 text (byte 0xe9)", 3),
    Case("source empty", source(b""), "source/a.md:1: empty release: nothing to translate", 3),
    Case("source binary", source(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
         "source/a.md:3: binary file, not a text release", 3),
    Case("source nested too deep", source(TOO_DEEP),
         "source/a.md:65: lists or block quotes nested too deeply to read safely", 3),
    # --- oversized but valid: success, fast, identical when built without translations ----------
    Case("source 100,000-character paragraph", source(f"# Long\n\n{PARAGRAPH}\n"), None, 0, ("run", "--draft")),
    Case("source 100,000 characters, no space", source(f"# Long\n\n{'x' * 100_000}\n"), None, 0, ("run", "--draft")),
    Case("source lists nested 50 deep", source(NESTED), None, 0, ("run", "--draft")),
    Case("source block quotes nested 50 deep", source(QUOTED), None, 0, ("run", "--draft")),
    # --- glossary: exit 3, no catalog touched -----------------------------------------------------
    Case("glossary malformed row (pretranslate)", glossary('en,ko,dnt\nIOM,국제이주기구,no\nUN,유엔\n'),
         "glossary.csv:3: 2 fields, but the header has 3", 3, ("pretranslate", "--engine", "pseudo")),
    Case("glossary malformed row (check)", glossary('en,ko,dnt\nIOM,국제이주기구,no\nUN,유엔\n'),
         "glossary.csv:3: 2 fields, but the header has 3", 3, ("check",)),
    Case("glossary unterminated quote (pretranslate)", glossary('en,ko\nIOM,국제이주기구\n"UN,유엔\n'),
         "glossary.csv:3: malformed CSV: unexpected end of data", 3, ("pretranslate", "--engine", "pseudo")),
    # --- configuration and usage: exit 2, nothing written -----------------------------------------
    Case("config unknown locale code", config("", '["ko", "xx_QQ"]'), "locpress.toml:2: unknown locale code 'xx_QQ'", 2),
    Case("--locale unknown code", lambda root: None, "--locale: unknown locale code 'zz'", 2, ("run", "--locale", "zz")),
    Case("config unknown key", config("[build]\nmin_reviewd = 50\n"), "locpress.toml:4: unknown key build.min_reviewd", 2),
    Case("config wrong type", config("[build]\nmin_reviewed = \"50\"\n"),
         "locpress.toml:4: key 'build.min_reviewed' must be an int or number, not str", 2),
    Case("config not TOML", config("[build\n"),
         "locpress.toml:3: invalid TOML: Expected ']' at the end of a table declaration (at line 3, column 7)", 2),
    # --- paths: confined to the project, exit 2, nothing written ----------------------------------
    Case("locale code ../", config("", '["../../escape"]'), "locpress.toml:2: invalid locale code '../../escape'", 2),
    Case("--locale ../", lambda root: None, "--locale: invalid locale code '../x'", 2, ("run", "--locale", "../x")),
    Case("--release ../", lambda root: None, "no release matches ../*", 2, ("run", "--release", "../*")),
    Case("source_dir ../", config('source_dir = "../outside"\n'),
         "locpress.toml:3: key 'source_dir' must be a folder inside the project, not '../outside'", 2),
    Case("output_dir absolute", config('output_dir = "/tmp"\n'),
         "locpress.toml:3: key 'output_dir' must be a folder inside the project, not '/tmp'", 2),
    # --- symlinks out of the project: that file (or folder below a configured one) is skipped,
    # exit 3, the rest processed; a configured folder is refused up front (test_hostile.py) ------
    Case("symlink in source/ to a file outside", symlink("source/leak.md", folder=False),
         "source/leak.md: symlink leaves the project (to {outside}/secret.md); skipped", 3, changed=WITH_C),
    Case("symlink in source/ to a folder outside", symlink("source/2023/leak", folder=True),
         "source/2023/leak: symlink leaves the project (to {outside}); the releases in it are skipped", 3,
         changed=WITH_C),
    Case("symlinked folder deep in locales/", symlink("locales/ko/2023", folder=True),
         "locales/ko/2023: path leaves the project (a symlink leads to {outside}); skipped", 3,
         changed=frozenset({*B_FILES, "locales/ko/a.po", "locales/templates/2023/c.pot"})),
]


@pytest.fixture
def base(project: Make, cli: Cli) -> Path:
    """Releases a and b with catalogs; b has a reviewed entry and then a changed source."""
    root = project({"a.md": A, "b.md": B})
    (root / "source/2023").mkdir()
    assert cli(root, "run").code == 0
    (root / "locales/ko/a.po").write_text(PO)
    b = root / "locales/ko/b.po"
    b.write_text(b.read_text().replace('msgid "Other"\nmsgstr ""', 'msgid "Other"\nmsgstr "기타"'))
    (root / "source/b.md").write_text(B_CHANGED)
    return root


def reviewed(data: bytes) -> set[tuple[str, str]]:
    return {(m.msgid, m.msgstr) for m in parse_po(data, "x").messages if m.reviewed and not m.obsolete}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, base: Path, cli: Cli) -> None:
    case.setup(base)
    before = snapshot(base)
    started = time.perf_counter()
    result = cli(base, *case.command)
    elapsed = time.perf_counter() - started
    after = snapshot(base)
    assert "Traceback" not in result.err + result.out
    assert result.code == case.code, result.err
    if case.error is None:
        assert result.err == ""
        assert elapsed < 10, f"{elapsed:.1f} s"
        text = (base / "source/a.md").read_text()
        draft = re.sub(r"<!-- DRAFT, not for publication .*? -->\n\n", "", (base / "drafts/ko/a.md").read_text(), count=1)
        assert draft == text  # no reviewed translation: the source back, marked as a draft
        template = parse_po((base / "locales/templates/a.pot").read_bytes(), "a.pot")
        if case.id.endswith("nested 50 deep"):  # every level extracted, none skipped
            assert len(template.messages) == 1 + 2 * 50 - 50 * case.id.startswith("source block"), case.id
        return
    outside = base.parent / "outside"
    assert result.err == f"error: {case.error.format(outside=outside)}\n"
    for name, data in before.items():  # nothing lost: every file still there ...
        assert name in after, f"{name} was deleted"
        if name.endswith(".po") and after[name] != data:  # ... and no reviewed entry gone
            assert reviewed(data) <= reviewed(after[name]), name
    if outside.exists():  # nothing was written through a symlink
        assert [p.name for p in outside.iterdir()] == ["secret.md"]
    changed = {name for name in after if before.get(name) != after[name]}
    expected = case.changed if case.changed is not None else B_FILES if case.code == 3 and case.command == ("run",) else set()
    assert changed == expected  # usage errors stop before writing; release a is left alone
    if expected == B_FILES:  # the other release was processed, its reviewed entry kept
        b = after["locales/ko/b.po"].decode()
        assert 'msgstr "기타"' in b and "Another release, changed." in b
