"""Hostile files and folders through the CLI, one table: overlapping folders, names a catalog
cannot hold, engine answers that must not reach a catalog, symlinks out of the project, and
the file system failing (EISDIR, ENOTDIR, EACCES, ENOSPC, EROFS, EIO) on each kind of file.

Every case ends in its exit code and, when something is wrong, lines of the one shape
`error: <path>[:line]: what` — never a traceback, never the content of a file a symlink
leads to, never a write outside the project — and, for a single bad file (exit 3), the
other releases and locales are still processed. A configuration error (exit 2) is found
before anything is read or written.

OS errors that a root test run cannot cause (EACCES) or that need a full or read-only disk
are injected through the file layer's seam, `locpress.run.project.open`, which every read and
write of a project file goes through; EACCES is also caused for real, as an unprivileged
user, in `test_unreadable_catalog_as_an_unprivileged_user`.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, snapshot
from mt_server import MTServer

from locpress import cli as cli_module
from locpress.errors import LocpressError
from locpress.gettext.catalog import parse_po

Make = Callable[..., Path]
Cli = Callable[..., Result]

A = "# Title\n\nOne sentence. Two sentences.\n"
B = "# Other\n\nAnother release.\n"
B_CHANGED = "# Other\n\nAnother release, changed.\n"
SECRET = "root:x:0:0:root:/root:/bin/bash\n"  # what a symlink leads to: never echoed, never published


@dataclass
class Env:
    """What a case's setup may use besides the project root."""

    monkeypatch: pytest.MonkeyPatch
    outside: Path  # a folder beside the project, holding `secret` (SECRET) and `page.html`
    mt: MTServer | None = None


Setup = Callable[[Path, Env], object]


@dataclass(frozen=True)
class Case:
    kind: str  # the class of the case, as counted in bench/RESULTS.md
    id: str
    setup: Setup
    code: int
    error: str | None = None  # the first `error:` line without "error: " ({outside} filled in); None: no error
    command: tuple[str, ...] = ("run",)
    others: bool = True  # release b (its source changed) still updated in both locales
    written: bool = True  # False: a configuration error, nothing in the project may change
    mt: bool = False
    said: str | None = None  # a line that stdout or stderr must also hold


# --- setups -----------------------------------------------------------------------------------

def config(extra: str) -> Setup:
    return lambda root, _env: (root / "locpress.toml").write_text(
        f'source_locale = "en"\nlocales = ["ko", "fr"]\n{extra}')


def pyproject(extra: str) -> Setup:
    def make(root: Path, _env: Env) -> None:
        (root / "locpress.toml").unlink()
        (root / "pyproject.toml").write_text(f'[tool.locpress]\nsource_locale = "en"\nlocales = ["ko", "fr"]\n{extra}')
    return make


def source_named(name: bytes) -> Setup:
    def make(root: Path, _env: Env) -> None:
        with open(os.path.join(os.fsencode(root / "source"), name), "wb") as handle:
            handle.write(b"# Named\n\nA release with an odd name.\n")
    return make


def link(where: str, to: str = "secret", folder: bool = False) -> Setup:
    """Replace `where` in the project with a symlink to `to` in the folder outside."""

    def make(root: Path, env: Env) -> None:
        path = root / where
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = env.outside / to
        if folder:
            target.mkdir(exist_ok=True)
        os.symlink(target, path)
    return make


def inside_link(where: str, to: str) -> Setup:
    def make(root: Path, _env: Env) -> None:
        path = root / where
        if path.is_dir():
            shutil.rmtree(path)
        os.symlink(root / to, path)
    return make


def folder_at(where: str) -> Setup:
    """A folder where a file belongs (EISDIR)."""

    def make(root: Path, _env: Env) -> None:
        path = root / where
        if path.exists():
            path.unlink()
        path.mkdir(parents=True)
    return make


def file_at(where: str) -> Setup:
    """A file where a folder belongs (ENOTDIR)."""

    def make(root: Path, _env: Env) -> None:
        path = root / where
        if path.is_dir():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not a folder\n")
    return make


def failing(code: int, where: str, writing: bool) -> Setup:
    """The file layer raises `code` when a path ending in `where` is opened for reading, or
    (`writing`) when its temporary file is opened for writing."""

    def make(_root: Path, env: Env) -> None:
        real = builtins.open

        def fake(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, int):  # store opens its temporary file by descriptor
                name = os.readlink(f"/proc/self/fd/{file}")
            else:
                name = os.fsdecode(file) if isinstance(file, (str, bytes, os.PathLike)) else ""
            wants = ("w" in mode or "a" in mode) if writing else mode.startswith("r")
            folder, base = os.path.split(name)
            # a temporary file is `.<name>.<pid>.<random>.locpress-tmp`
            plain = re.sub(r"^\.(.*?)(?:\.\d+\.[^.]+)?\.locpress-tmp$", r"\1", base)
            target = os.path.join(folder, plain) if writing else name
            if wants and target.endswith(where):
                raise OSError(code, os.strerror(code), name)
            return real(file, mode, *args, **kwargs)

        env.monkeypatch.setattr("locpress.run.project.open", fake, raising=False)
        env.monkeypatch.setattr("locpress.run.store.open", fake, raising=False)
    return make


def both(*setups: Setup) -> Setup:
    def make(root: Path, env: Env) -> None:
        for setup in setups:
            setup(root, env)
    return make


def answering(translate: Callable[[str, str], str]) -> Setup:
    def make(_root: Path, env: Env) -> None:
        assert env.mt is not None
        env.mt.translate = translate
    return make


def xliff_roll_back(root: Path, _env: Env) -> None:
    """Export, review the entry in the .po afterwards: the old XLIFF must not roll it back."""
    assert cli_module.main(["xliff", "export", "-C", str(root), "--locale", "ko", "-o", str(root / "x")]) == 0
    xlf = root / "x/ko/a.xlf"
    xlf.write_text(xlf.read_text().replace("<target state=\"new\"></target>", "<target state=\"translated\">옛 번역</target>")
                   .replace("<target></target>", "<target state=\"translated\">옛 번역</target>"))
    po = root / "locales/ko/a.po"
    po.write_text(po.read_text().replace('msgid "Title"\nmsgstr ""', 'msgid "Title"\nmsgstr "새 제목"'))


def mt_command(*extra: str) -> tuple[str, ...]:
    return ("pretranslate", "--engine", "libre", "--engine-url", "{mt}", *extra)


PSEUDO = ("pretranslate", "--engine", "pseudo")
ENOSPC, EROFS, EACCES, EIO = errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO
OVERLAP = "keys '{0}' and '{1}' must be separate folders, neither inside the other"

CASES = [
    # --- overlapping folders: exit 2 before anything is read or written -------------------------
    Case("overlap", "output_dir = source", config('output_dir = "source"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("source_dir", "output_dir")
         + " (source_dir = 'source', output_dir = 'source')", written=False),
    Case("overlap", "output_dir inside source_dir", config('output_dir = "source/out"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("source_dir", "output_dir")
         + " (source_dir = 'source', output_dir = 'source/out')", written=False),
    Case("overlap", "locales_dir = source", config('locales_dir = "source"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("source_dir", "locales_dir")
         + " (source_dir = 'source', locales_dir = 'source')", written=False),
    Case("overlap", "source_dir inside locales_dir", config('source_dir = "locales/en"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("source_dir", "locales_dir")
         + " (source_dir = 'locales/en', locales_dir = 'locales')", written=False),
    Case("overlap", "drafts_dir = locales", config('drafts_dir = "locales"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("locales_dir", "drafts_dir")
         + " (locales_dir = 'locales', drafts_dir = 'locales')", written=False),
    Case("overlap", "drafts_dir inside output_dir", config('drafts_dir = "output/drafts"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("output_dir", "drafts_dir")
         + " (output_dir = 'output', drafts_dir = 'output/drafts'): drafts are never published", written=False),
    Case("overlap", "output_dir = .locpress", config('output_dir = ".locpress"\n'), 2,
         "locpress.toml:3: key 'output_dir' and the run state .locpress/ must be separate folders, neither "
         "inside the other (output_dir = '.locpress')", written=False),
    Case("overlap", "source_dir = templates", config('source_dir = "templates"\n'), 2,
         "locpress.toml:3: key 'source_dir' and the templates/ folder (templates/release.html) must be separate "
         "folders, neither inside the other (source_dir = 'templates')", written=False),
    Case("overlap", "output_dir = ./Source/ (case, ./)", config('output_dir = "./Source/"\n'), 2,
         "locpress.toml:3: " + OVERLAP.format("source_dir", "output_dir")
         + " (source_dir = 'source', output_dir = './Source/')", written=False),
    Case("overlap", "pyproject.toml output_dir = source", pyproject('output_dir = "source"\n'), 2,
         "pyproject.toml:4: " + OVERLAP.format("source_dir", "output_dir")
         + " (source_dir = 'source', output_dir = 'source')", written=False),
    Case("overlap", "output/ a symlink to source/", inside_link("output", "source"), 2,
         "locpress.toml: key 'source_dir' and key 'output_dir' must be separate folders, neither inside the "
         "other, but a symlink makes them overlap (source, source)", written=False),
    # --- names a #: reference cannot hold: that source skipped, exit 3 --------------------------
    Case("names", "newline in a source name", source_named(b"x\ny.md"), 3,
         "source/x\\ny.md: file name contains the control character U+000A, which a catalog's #: reference "
         "cannot hold; skipped (rename the file)"),
    Case("names", "tab in a source name", source_named(b"x\ty.md"), 3,
         "source/x\\ty.md: file name contains the control character U+0009, which a catalog's #: reference "
         "cannot hold; skipped (rename the file)"),
    Case("names", "ESC in a source name", source_named(b"x\x1b[2Jy.md"), 3,
         "source/x\\x1b[2Jy.md: file name contains the control character U+001B, which a catalog's #: reference "
         "cannot hold; skipped (rename the file)"),
    Case("names", "DEL in a source name", source_named(b"x\x7f.md"), 3,
         "source/x\\x7f.md: file name contains the control character U+007F, which a catalog's #: reference "
         "cannot hold; skipped (rename the file)"),
    Case("names", "line separator in a source name", source_named("x\u2028y.md".encode()), 3,
         "source/x\\u2028y.md: file name contains the control character U+2028, which a catalog's #: reference "
         "cannot hold; skipped (rename the file)"),
    Case("names", "source name not UTF-8", source_named(b"caf\xe9.md"), 3,
         "source/caf\\xe9.md: file name is not UTF-8 (byte 0xe9); skipped (rename the file)"),
    Case("names", "backslash in a source name", source_named(b"a\\b.md"), 3,
         "source/a\\b.md: file name contains a backslash, which Windows reads as a folder separator; "
         "skipped (rename the file)"),
    Case("names", "import --name with a newline", lambda _root, _env: None, 2,
         "--name: not a release name: 'a\\nb': file name contains the control character U+000A, which a catalog's "
         "#: reference cannot hold", command=("import", "{outside}/page.html", "--name", "a\nb"), written=False),
    Case("names", "space in a source name (kept, as gettext writes it)", source_named(b"x y.md"), 0),
    Case("names", "Korean and NBSP in a source name", source_named("명동\u00a0소식.md".encode()), 0),
    # --- engine answers: refused, the entry left untranslated, one line -------------------------
    Case("answers", "NUL and ESC in an answer", answering(lambda t, _l: f"{t}\x00\x1b[31m"), 0,
         command=mt_command(), mt=True, others=False, said="control character U+0000; not used"),
    Case("answers", "ESC alone in an answer", answering(lambda t, _l: f"\x1b]0;owned\x07{t}"), 0,
         command=mt_command(), mt=True, others=False, said="control character U+001B; not used"),
    Case("answers", "10 MB answer to a sentence", answering(lambda _t, _l: "x" * 10_000_000), 0,
         command=mt_command(), mt=True, others=False, said="refused"),
    Case("answers", "answer 20 x the text sent", answering(lambda t, _l: t * 60), 0,
         command=mt_command(), mt=True, others=False, said="(limit 6 x + 200); not used"),
    Case("answers", "same answers with --fail-on-engine-error", answering(lambda t, _l: f"{t}\x00"), 3,
         "ko: 5 texts not translated: libre: answer contains the control character U+0000; not used",
         command=mt_command("--fail-on-engine-error"), mt=True, others=False),
    # --- symlinks to one file outside: that file skipped, exit 3, its content never said ---------
    Case("symlinks", "catalog -> file outside", link("locales/ko/a.po"), 3,
         "locales/ko/a.po: symlink leaves the project (to {outside}/secret); not read or written"),
    Case("symlinks", "template -> file outside", link("locales/templates/a.pot"), 3,
         "locales/templates/a.pot: symlink leaves the project (to {outside}/secret); not read or written"),
    Case("symlinks", "glossary.csv -> file outside (check)", link("glossary.csv"), 3,
         "glossary.csv: symlink leaves the project (to {outside}/secret); not read or written",
         command=("check",), others=False),
    Case("symlinks", "glossary.csv -> file outside (pretranslate)", link("glossary.csv"), 3,
         "glossary.csv: symlink leaves the project (to {outside}/secret); not read or written",
         command=PSEUDO, others=False),
    Case("symlinks", "templates/release.html -> file outside", both(
        config('[build]\nformats = ["md", "html"]\nmin_reviewed = 0\n'), link("templates/release.html", "page.html")),
         3, "templates/release.html: symlink leaves the project (to {outside}/page.html); not read or written"),
    Case("symlinks", "source -> file outside", link("source/c.md"), 3,
         "source/c.md: symlink leaves the project (to {outside}/secret); skipped"),
    Case("symlinks", "provenance record -> file outside", both(
        link("locales/ko/a.provenance.json"), lambda root, _e: (root / "source/a.md").write_text(A + "\nMore.\n")),
         3, "locales/ko/a.provenance.json: symlink leaves the project (to {outside}/secret); not read or written"),
    Case("symlinks", "published file -> file outside", both(
        config("[build]\nmin_reviewed = 0\n"), link("output/ko/a.md")), 3,
         "output/ko/a.md: symlink leaves the project (to {outside}/secret); not read or written"),
    Case("symlinks", "folder below locales/ko -> outside", both(
        lambda root, _e: (root / "source/2023").mkdir(), lambda root, _e: (root / "source/2023/c.md").write_text("# C\n"),
        link("locales/ko/2023", "far", folder=True)), 3,
         "locales/ko/2023: path leaves the project (a symlink leads to {outside}/far); skipped"),
    # --- symlinked configured folders and run state: exit 2 before anything ---------------------
    Case("symlinks", "locales/ -> outside", link("locales", "far", folder=True), 2,
         "locales: folder leaves the project (a symlink leads to {outside}/far); key 'locales_dir' must be a "
         "folder inside it", written=False),
    Case("symlinks", "source/ -> outside", link("source", "far", folder=True), 2,
         "source: folder leaves the project (a symlink leads to {outside}/far); key 'source_dir' must be a "
         "folder inside it", written=False),
    Case("symlinks", "output/ -> outside", link("output", "far", folder=True), 2,
         "output: folder leaves the project (a symlink leads to {outside}/far); key 'output_dir' must be a "
         "folder inside it", written=False),
    Case("symlinks", "drafts/ -> outside", link("drafts", "far", folder=True), 2,
         "drafts: folder leaves the project (a symlink leads to {outside}/far); key 'drafts_dir' must be a "
         "folder inside it", command=("run", "--draft"), written=False),
    Case("symlinks", "locales/ko -> outside", link("locales/ko", "far", folder=True), 2,
         "locales/ko: folder leaves the project (a symlink leads to {outside}/far); key 'locales_dir' must be a "
         "folder inside it", written=False),
    Case("symlinks", "templates/ -> outside", link("templates", "far", folder=True), 2,
         "templates: folder leaves the project (a symlink leads to {outside}/far); the templates/ folder must be "
         "a folder inside it", written=False),
    Case("symlinks", ".locpress/ -> outside", link(".locpress", "far", folder=True), 2,
         ".locpress: folder leaves the project (a symlink leads to {outside}/far); the .locpress/ folder must be "
         "a folder inside it", written=False),
    Case("symlinks", ".locpress/lock -> file outside", link(".locpress/lock", "lock"), 2,
         ".locpress/lock: symlink leaves the project (to {outside}/lock); locpress keeps its run state here: "
         "remove the link", written=False),
    Case("symlinks", ".locpress/state.json -> file outside", link(".locpress/state.json"), 2,
         ".locpress/state.json: symlink leaves the project (to {outside}/secret); locpress keeps its run state "
         "here: remove the link", written=False),
    Case("symlinks", "translation memory -> file outside", link(".locpress/memory.sqlite3"), 2,
         ".locpress/memory.sqlite3: symlink leaves the project (to {outside}/secret); locpress keeps its run "
         "state here: remove the link", command=PSEUDO, written=False),
    # --- a folder or a file in the way ----------------------------------------------------------
    Case("EISDIR", "catalog is a folder", folder_at("locales/ko/a.po"), 3,
         "locales/ko/a.po: cannot read: Is a directory"),
    Case("EISDIR", "template is a folder", folder_at("locales/templates/a.pot"), 3,
         "locales/templates/a.pot: cannot read: Is a directory"),
    Case("EISDIR", "glossary.csv is a folder (check)", folder_at("glossary.csv"), 3,
         "glossary.csv: cannot read: Is a directory", command=("check",), others=False),
    Case("EISDIR", "glossary.csv is a folder (pretranslate)", folder_at("glossary.csv"), 3,
         "glossary.csv: cannot read: Is a directory", command=PSEUDO, others=False),
    Case("EISDIR", "templates/release.html is a folder", both(
        config('[build]\nformats = ["md", "html"]\nmin_reviewed = 0\n'), folder_at("templates/release.html")), 3,
         "templates/release.html: cannot read: Is a directory"),
    Case("EISDIR", "run state is a folder", folder_at(".locpress/state.json"), 3,
         ".locpress/state.json: cannot save the run state: Is a directory; the next run redoes its work"),
    Case("EISDIR", "published file is a folder", both(config("[build]\nmin_reviewed = 0\n"),
                                                      folder_at("output/ko/a.md/x")), 3,
         "output/ko/a.md: cannot write: Is a directory"),
    Case("EISDIR", "tm import given a folder", folder_at("given"), 3, "{root}/given: cannot read: Is a directory",
         command=("tm", "import", "{root}/given"), others=False),
    Case("EISDIR", "tm export given a folder", folder_at("given"), 3, "{root}/given: cannot write: Is a directory",
         command=("tm", "export", "--locale", "ko", "{root}/given"), others=False),
    Case("EISDIR", "check --output given a folder", folder_at("given"), 3,
         "{root}/given: cannot write: Is a directory", command=("check", "--output", "{root}/given"), others=False),
    Case("EISDIR", "xliff import given a folder", folder_at("given"), 3, "{root}/given: cannot read: Is a directory",
         command=("xliff", "import", "{root}/given"), others=False),
    Case("ENOTDIR", ".locpress is a file", file_at(".locpress"), 2,
         ".locpress: not a folder (locpress keeps its run state there): move the file away", written=False),
    Case("ENOTDIR", "locales/ko is a file", file_at("locales/ko"), 2,
         "locales/ko: not a folder (key 'locales_dir' in locpress.toml): move the file away", written=False),
    Case("ENOTDIR", "output/ is a file", file_at("output"), 2,
         "output: not a folder (key 'output_dir' in locpress.toml): move the file away", written=False),
    Case("ENOTDIR", "a file where a release's catalog folder goes", both(
        lambda root, _e: (root / "source/2023").mkdir(), lambda root, _e: (root / "source/2023/c.md").write_text("# C\n"),
        file_at("locales/ko/2023")), 3, "locales/ko/2023/c.po: cannot write: Not a directory"),
    Case("ENOTDIR", "xliff export -o onto a file", file_at("given"), 3,
         "{root}/given/ko/a.xlf: cannot write: Not a directory", command=("xliff", "export", "-o", "{root}/given"),
         others=False),
    Case("FIFO", "a pipe where a source goes", lambda root, _e: os.mkfifo(root / "source/c.md"), 3,
         "source/c.md: cannot read: not a regular file (a pipe, socket or device)"),
    Case("FIFO", "a pipe where a catalog goes", both(lambda root, _e: (root / "locales/ko/a.po").unlink(),
                                                      lambda root, _e: os.mkfifo(root / "locales/ko/a.po")), 3,
         "locales/ko/a.po: cannot read: not a regular file (a pipe, socket or device)"),
    Case("FIFO", "a pipe where glossary.csv goes", lambda root, _e: os.mkfifo(root / "glossary.csv"), 3,
         "glossary.csv: cannot read: not a regular file (a pipe, socket or device)", command=("check",), others=False),
    # --- the file system refusing (injected through the file layer) -----------------------------
    Case("EACCES", "catalog unreadable", failing(EACCES, "locales/ko/a.po", writing=False), 3,
         "locales/ko/a.po: cannot read: Permission denied"),
    Case("EACCES", "source unreadable", both(failing(EACCES, "source/a.md", writing=False),
                                            lambda root, _e: (root / "source/a.md").write_text(A + "\nMore.\n")), 3,
         "source/a.md: cannot read: Permission denied"),
    Case("EACCES", "glossary unreadable (check)", both(lambda root, _e: (root / "glossary.csv").write_text("en,ko\n"),
                                                      failing(EACCES, "glossary.csv", writing=False)), 3,
         "glossary.csv: cannot read: Permission denied", command=("check",), others=False),
    Case("EIO", "source read fails", both(failing(EIO, "source/a.md", writing=False),
                                          lambda root, _e: (root / "source/a.md").write_text(A + "\nMore.\n")), 3,
         "source/a.md: cannot read: Input/output error"),
    Case("ENOSPC", "disk full writing one catalog", failing(ENOSPC, "locales/ko/b.po", writing=True), 3,
         "locales/ko/b.po: cannot write: No space left on device", others=False, said="wrote locales/fr/b.po"),
    Case("ENOSPC", "disk full saving the run state", failing(ENOSPC, ".locpress/state.json", writing=True), 3,
         ".locpress/state.json: cannot save the run state: No space left on device; the next run redoes "
         "its work"),
    Case("ENOSPC", "disk full in xliff export", failing(ENOSPC, ".xlf", writing=True), 3,
         "drafts/xliff/ko/a.xlf: cannot write: No space left on device", command=("xliff", "export"), others=False),
    Case("ENOSPC", "disk full in tm export", failing(ENOSPC, "out.tmx", writing=True), 3,
         "{root}/out.tmx: cannot write: No space left on device", command=("tm", "export", "{root}/out.tmx"),
         others=False),
    Case("ENOSPC", "disk full writing a pre-translated catalog", failing(ENOSPC, "locales/ko/a.po", writing=True), 3,
         "locales/ko/a.po: cannot write: No space left on device", command=PSEUDO, others=False,
         said="pretranslate fr:"),
    Case("EROFS", "read-only output", both(config("[build]\nmin_reviewed = 0\n"),
                                           failing(EROFS, "output/ko/a.md", writing=True)), 3,
         "output/ko/a.md: cannot write: Read-only file system", said="wrote output/fr/a.md"),
    Case("EROFS", "read-only check --output", failing(EROFS, "report.txt", writing=True), 3,
         "{root}/report.txt: cannot write: Read-only file system", command=("check", "--output", "{root}/report.txt"),
         others=False),
    # --- imports never roll back newer work (issue 13, item 2) ----------------------------------
    Case("imports", "old XLIFF over a newer reviewed entry", xliff_roll_back, 0,
         command=("xliff", "import", "{root}/x/ko/a.xlf"), others=False, said='conflict: "Title"' ),
]


@pytest.fixture
def base(project: Make, cli: Cli, tmp_path: Path) -> Path:
    """Releases a and b in ko and fr, run once; then b's source changes, so a run must
    update b's catalogs: proof that the other releases are still processed."""
    root = project({"a.md": A, "b.md": B}, locales=("ko", "fr"))
    assert cli(root, "run").code == 0
    (root / "source/b.md").write_text(B_CHANGED)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text(SECRET)
    (outside / "page.html").write_text("<p>{{ secret_page }}</p>\n" + SECRET)
    return root


def _outside_files(outside: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outside)): p.read_bytes() for p in sorted(outside.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.id}" for c in CASES])
def test_hostile(case: Case, base: Path, cli: Cli, request: pytest.FixtureRequest,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    outside = base.parent / "outside"
    env = Env(monkeypatch, outside, request.getfixturevalue("mt") if case.mt else None)
    before_outside = _outside_files(outside)
    case.setup(base, env)
    before = snapshot(base)
    mt_url = env.mt.endpoint("libre") if env.mt else ""
    result = cli(base, *(a.format(root=base, mt=mt_url, outside=outside) for a in case.command))
    monkeypatch.undo()  # the injected failure ends with the command
    said = result.out + result.err
    assert "Traceback" not in said
    assert result.code == case.code, said
    assert "root:x:0" not in said and "secret_page" not in said  # never what a link leads to
    assert _outside_files(outside) == before_outside  # nothing written outside the project
    errors = [line for line in result.err.splitlines() if line]
    assert all(line.startswith("error: ") for line in errors), errors  # one line each, one shape
    assert not [c for c in said if unicodedata.category(c) == "Cc" and c not in "\n\t"], "a control character said"
    if case.error is None:
        assert errors == [], errors
    else:
        assert errors and errors[0] == "error: " + case.error.format(outside=outside, root=base), errors
        assert len(set(errors)) == len(errors)  # each said once
    if case.said is not None:
        assert case.said in said, said
    after = snapshot(base)
    if not case.written:
        assert after == before  # a configuration error stops before anything is written
    for name, data in before.items():  # nothing lost: no file deleted, no reviewed entry gone
        if name.endswith(".po"):
            assert name in after, f"{name} was deleted"
            assert _reviewed(data) <= _reviewed(after[name]), name
    for data in after.values():
        assert b"\x00" not in data or not data.startswith(b"msgid"), "a catalog holds a NUL"
    assert "secret_page" not in "".join(d.decode("utf-8", "replace") for n, d in after.items()
                                        if n.startswith("output/"))  # a template outside is never published
    if case.others and case.written:
        for locale in ("ko", "fr"):
            assert "Another release, changed." in (base / f"locales/{locale}/b.po").read_text(), locale
    if case.kind == "names" and case.code == 0:
        second = cli(base, "run")
        assert second.code == 0 and "wrote" not in second.out  # read back and written the same: byte-stable
    if case.kind == "answers":
        for po in (base / "locales").rglob("*.po"):
            data = po.read_bytes()
            assert b"\x00" not in data and b"\x1b" not in data and len(data) < 20_000, po
    if case.kind == "imports":
        assert 'msgstr "새 제목"' in (base / "locales/ko/a.po").read_text()


def _reviewed(data: bytes) -> set[tuple[str, str]]:
    try:
        catalog = parse_po(data, "x")
    except LocpressError:
        return set()
    return {(m.msgid, m.msgstr) for m in catalog.messages if m.reviewed and not m.obsolete}


# --- beyond the table --------------------------------------------------------------------------

def _nobody_can_run_locpress() -> bool:
    """Whether user 65534 can start this Python and import locpress (a checkout under a
    folder only root may enter cannot be: then the seam causes the EACCES instead)."""
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                           "import locpress"], capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def test_unreadable_catalog_as_an_unprivileged_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """EACCES for real: root reads a `chmod 000` file anyway, so the command runs as nobody
    (setpriv) when the tests run as root, and in this process otherwise (or, where nobody
    cannot reach the checkout, through the read seam)."""
    root_user = os.geteuid() == 0
    if root_user and shutil.which("setpriv") is None:
        pytest.fail("running as root without setpriv: cannot drop privileges to cause EACCES")
    if root_user and not _nobody_can_run_locpress():
        real = builtins.open

        def refused(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, os.PathLike)) and os.fspath(file).endswith("locales/ko/a.po") \
                    and mode.startswith("r") and not os.stat(file).st_mode & 0o777:
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real(file, mode, *args, **kwargs)

        monkeypatch.setattr("locpress.run.project.open", refused, raising=False)
        root_user = False  # the chmod 000 below is then refused through the seam, in this process
    folder = Path(tempfile.mkdtemp(prefix="locpress-eacces-"))
    try:
        root = folder / "p"
        (root / "source").mkdir(parents=True)
        (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "fr"]\n')
        (root / "source/a.md").write_text(A)
        (root / "source/b.md").write_text(B)
        assert cli_module.main(["run", "-C", str(root)]) == 0
        (root / "source/b.md").write_text(B_CHANGED)
        (root / "locales/ko/a.po").chmod(0)
        if root_user:
            os.chmod(folder, 0o755)
            for path in [root, *root.rglob("*")]:
                os.chown(path, 65534, 65534, follow_symlinks=False)
            done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                                   "-m", "locpress", "run", "-C", str(root)], capture_output=True, text=True,
                                  timeout=300, env={**os.environ, "HOME": str(folder)}, check=False)
            code, err = done.returncode, done.stderr
        else:
            out, err_stream = _captured(lambda: cli_module.main(["run", "-C", str(root)]))
            code, err = out, err_stream
        assert "Traceback" not in err
        assert (code, err.splitlines()[0]) == (3, "error: locales/ko/a.po: cannot read: Permission denied"), err
        assert "Another release, changed." in (root / "locales/fr/b.po").read_text()
        assert "Another release, changed." in (root / "locales/ko/b.po").read_text()
    finally:
        for path in [folder, *folder.rglob("*")]:
            with_mode = path.stat(follow_symlinks=False).st_mode
            if not path.is_symlink():
                os.chmod(path, with_mode | 0o700)
        shutil.rmtree(folder)


def _captured(call: Callable[[], int]) -> tuple[int, str]:
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = call()
    return code, err.getvalue()


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(("name", "data", "sentence"), [
    ("a.md", BOM + b"---\r\ntitle: Hello\r\n---\r\n\r\n# Title\r\n\r\nOne sentence.  Two.\r\n\r\n- item\r\n", b"One sentence."),
    ("a.md", BOM + b"# Title\n\nOne sentence.\n", b"One sentence."),
    ("a.md", b"# Title\r\n\r\nOne sentence.\r\n", b"One sentence."),
    ("t.txt", BOM + b"Headline\r\n\r\nOne sentence.\r\n", b"One sentence."),
    ("h.html", BOM + b"<!DOCTYPE html>\r\n<html lang=\"en\"><head><title>T</title></head><body>\r\n<p>One sentence.</p>"
     b"\r\n</body></html>\r\n", b"One sentence."),
])
def test_build_keeps_every_byte_outside_the_translated_text(project: Make, cli: Cli, name: str, data: bytes,
                                                             sentence: bytes) -> None:
    """A BOM, CRLF line endings, double spaces, front matter: the build changes only the
    translated text (and, in a web page, the `lang` of the page)."""
    root = project({name: data}, extra="[build]\nmin_reviewed = 0\n")
    assert cli(root, "run").code == 0
    po = root / f"locales/ko/{name.rsplit('.', 1)[0]}.po"
    po.write_text(po.read_text().replace(f'msgid "{sentence.decode()}"\nmsgstr ""',
                                         f'msgid "{sentence.decode()}"\nmsgstr "한 문장."'))
    result = cli(root, "run", "--draft")
    assert result.code == 0, result.err
    want = data.replace(sentence, "한 문장.".encode()).replace(b'<html lang="en">', b'<html lang="ko" dir="ltr">')
    assert (root / "output/ko" / name).read_bytes() == want
    if not name.endswith(".html"):
        draft = (root / "drafts/ko" / name).read_bytes()
        if name.endswith(".md"):  # a Markdown draft says it is one, in the source's line endings
            newline = b"\r\n" if b"\r\n" in data else b"\n"
            marker = re.search(rb"<!-- DRAFT, not for publication .*? -->" + newline * 2, draft)
            assert marker is not None and b"\n" not in marker.group(0).replace(b"\r\n", b"").rstrip(b"\n")
            draft = draft.replace(marker.group(0), b"", 1)
        assert draft == want
    assert "wrote" not in cli(root, "run").out  # and a second run leaves it as it is


def test_an_error_message_is_always_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    cli_module._PRINTED.clear()
    cli_module._error(LocpressError("broken YAML:\n  in line 2\r\n\x1b[31mred", "source/x\ny.md", 3))
    assert capsys.readouterr().err == "error: source/x\\ny.md:3: broken YAML:   in line 2 \\x1b[31mred\n"


def test_the_table_covers_every_class() -> None:
    kinds = {case.kind for case in CASES}
    assert kinds == {"overlap", "names", "answers", "symlinks", "EISDIR", "ENOTDIR", "FIFO", "EACCES", "EIO",
                     "ENOSPC", "EROFS", "imports"}
    assert len({(c.kind, c.id) for c in CASES}) == len(CASES)


def test_a_full_disk_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real full disk: a 512 KB tmpfs (where the tests may mount one) filled to the last
    block; else every write fails with ENOSPC through the file layer's seam. Either way each
    failed write is one line, and every catalog is still whole, with its reviewed entries."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                                                   capture_output=True, check=False).returncode == 0
    try:
        root = mount / "p"
        (root / "source").mkdir(parents=True)
        (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "fr"]\n')
        for index in range(6):
            (root / f"source/r{index}.md").write_text(f"# Release {index}\n\n{A}")
        code, _err = _captured(lambda: cli_module.main(["run", "-C", str(root)]))
        assert code == 0
        po = root / "locales/ko/r0.po"
        po.write_text(po.read_text().replace('msgid "Title"\nmsgstr ""', 'msgid "Title"\nmsgstr "제목"'))
        before = {p: p.read_bytes() for p in root.rglob("*.po")}
        for index in range(6):
            (root / f"source/r{index}.md").write_text(f"# Release {index}\n\n{A}\nA new sentence {index}.\n")
        if mounted:
            filler = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)  # every block the disk has left
            with contextlib.suppress(OSError):
                while True:
                    os.write(filler, b"\0" * 512)
            os.close(filler)
        else:
            failing(ENOSPC, "", writing=True)(root, Env(monkeypatch, tmp_path))
        code, err = _captured(lambda: cli_module.main(["run", "-C", str(root)]))
        monkeypatch.undo()
        assert "Traceback" not in err and code == 3, err
        lines = err.splitlines()
        assert lines and all(line.startswith("error: ") and "No space left on device" in line for line in lines), err
        for path, data in before.items():  # each catalog old or new, never cut short, reviewed work kept
            assert _reviewed(data) <= _reviewed(path.read_bytes()), path
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=False)
