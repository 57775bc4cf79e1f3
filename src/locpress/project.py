"""The project on disk: folder layout, release discovery, safe writes, locking, run state.

This is the only module that knows where files live and that reads or writes them. Every
write is atomic (temporary file in the same folder, fsync, rename) and skipped when the
content would not change, so a second run leaves every file untouched.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import fnmatch
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import ConfigError, LocpressError
from .sources import FORMATS

STATE_DIR = ".locpress"
GLOSSARY_FILE = "glossary.csv"
MEMORY_FILE = "memory.sqlite3"
TEMPLATES = "templates"


@dataclass(frozen=True)
class Release:
    """A source release: `name` is its path under source/ without the extension."""

    name: str
    suffix: str

    @property
    def source(self) -> str:
        return f"{self.name}{self.suffix}"


class Project:
    """Paths of a project, all relative to its root and confined to it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root.resolve()

    # --- layout -------------------------------------------------------------------------
    def source_path(self, release: Release) -> Path:
        return self._inside(Path(self.config.source_dir) / release.source)

    def template_path(self, release: Release) -> Path:
        return self._inside(Path(self.config.locales_dir) / TEMPLATES / f"{release.name}.pot")

    def catalog_path(self, locale: str, release: Release) -> Path:
        return self._inside(Path(self.config.locales_dir) / locale / f"{release.name}.po")

    def output_path(self, locale: str, release: Release, suffix: str | None = None) -> Path:
        return self._inside(Path(self.config.output_dir) / locale / f"{release.name}{suffix or release.suffix}")

    def review_path(self, locale: str, release: Release) -> Path:
        """The review sheet that `locpress review` writes for a release."""
        return self._inside(Path(self.config.output_dir) / "review" / locale / f"{release.name}.html")

    def dashboard_path(self) -> Path:
        return self._inside(Path(self.config.output_dir) / "index.html")

    def release_template_path(self) -> Path:
        """A project's own HTML template, used instead of locpress's when it exists."""
        return self._inside(Path(TEMPLATES) / "release.html")

    def output_dir(self) -> Path:
        return self._inside(Path(self.config.output_dir))

    def glossary_path(self) -> Path:
        """`glossary.csv` at the project root (optional)."""
        return self._inside(Path(GLOSSARY_FILE))

    def memory_path(self) -> Path:
        """The translation memory and MT cache: derived data, git-ignored with the run state."""
        return self._inside(Path(STATE_DIR) / MEMORY_FILE)

    def shown(self, path: Path) -> str:
        """The path as users see it in messages: relative to the project root."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def _inside(self, relative: Path) -> Path:
        path = self.root / relative
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise ConfigError(f"path leaves the project: {relative}")
        return path

    # --- discovery ----------------------------------------------------------------------
    def releases(self, patterns: Sequence[str] = ()) -> list[Release]:
        """Source releases, sorted by name, optionally filtered by glob patterns."""
        base = self.root / self.config.source_dir
        if not base.is_dir():
            raise ConfigError(f"no source folder {self.config.source_dir}/ in {self.root}")
        found: dict[str, Release] = {}
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in filenames:
                stem, suffix = os.path.splitext(filename)
                if suffix not in FORMATS or filename.startswith("."):
                    continue
                path = Path(dirpath, filename)
                if path.is_symlink() and base.resolve() not in path.resolve().parents:
                    raise ConfigError(f"symlink leaves the project: {self.shown(path)}")
                name = Path(dirpath, stem).relative_to(base).as_posix()
                if name in found:
                    raise ConfigError(f"two sources for release {name}: {name}{found[name].suffix} and {filename}")
                found[name] = Release(name, suffix)
        names = sorted(found)
        if patterns:
            names = [n for n in names if any(fnmatch.fnmatchcase(n, p) or fnmatch.fnmatchcase(found[n].source, p)
                                             for p in patterns)]
        return [found[n] for n in names]

    def catalog_releases(self, locale: str) -> list[str]:
        """Names of the releases that have a catalog for a locale (for status of orphans)."""
        base = self.root / self.config.locales_dir / locale
        return sorted(p.relative_to(base).as_posix()[:-3] for p in base.rglob("*.po")) if base.is_dir() else []


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> bool:
    """Write `data` to `path` unless it already holds exactly that; return whether it wrote.

    With `check`, the file must still hold `expected` (what the caller read before computing
    `data`; None for a file that did not exist); if someone changed it meanwhile, raise
    `Changed` so the caller reads it again rather than overwrite their work.
    """
    current = read_bytes(path)
    if current == data:
        return False
    if check and current != expected:
        raise Changed(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


class Changed(LocpressError):
    """A file changed on disk between reading it and writing it back."""


@contextlib.contextmanager
def locked(root: Path, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project lock: a second locpress on the same project waits (or fails)."""
    folder = root / STATE_DIR
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if not wait:
                raise LocpressError("another locpress command is running on this project", str(folder / "lock")) from None
            if on_wait:
                on_wait("waiting for another locpress command on this project to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


RACY_NS = 1_000_000_000


def stamp(path: Path) -> list[int] | None:
    """What a file looks like without reading it: size, inode and modification time.

    None for a missing file, and for one modified in the last second: file systems keep
    coarse timestamps, so a same-size edit made just after ours could share our stamp
    (git's "racy" entries). Such a file is simply read again next time.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if info.st_mtime_ns >= time.time_ns() - RACY_NS:
        return None
    return [info.st_size, info.st_ino, info.st_mtime_ns]


class State:
    """Fingerprints of what the last run read and wrote, so a no-op run reads nothing.

    Kept in `.locpress/state.json` (git-ignored). Losing it only costs time: every stage
    then recomputes and, finding identical content, writes nothing.
    """

    def __init__(self, root: Path, version: str) -> None:
        self.path = root / STATE_DIR / "state.json"
        self.version = version
        self.data: dict[str, Any] = {}
        self.dirty = False
        raw = read_bytes(self.path)
        if raw:
            with contextlib.suppress(ValueError):
                loaded = json.loads(raw)
                if isinstance(loaded, dict) and loaded.get("version") == version:
                    self.data = loaded.get("entries", {})

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        if self.data.get(key) != value:
            self.data[key] = value
            self.dirty = True

    def drop(self, key: str) -> None:
        if self.data.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            body = json.dumps({"version": self.version, "entries": self.data}, sort_keys=True)
            write_atomic(self.path, body.encode())
            self.dirty = False


def now() -> str:
    """A gettext header date: `2023-11-01 09:30+0000`."""
    return time.strftime("%Y-%m-%d %H:%M%z", time.localtime())
