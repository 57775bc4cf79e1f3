"""The project on disk: folder layout, release discovery, safe writes, locking, run state.

This is the only module that knows where files live and reads them; writes go through
`store` (atomic, race-free against translators' saves, the one retry loop) and are skipped
when the content would not change, so a second run leaves every file untouched.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import hashlib
import json
import os
import stat as stat_module
import time
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path, PurePath, PurePosixPath
from typing import IO, Any

from locpress.config import CONFIG_FILE, Config
from locpress.errors import ConfigError, LocpressError
from locpress.formats.sources import FORMATS, Release
from locpress.run import portable, store
from locpress.run.store import (  # noqa: F401  (the write path)
    TEMP_SUFFIX,
    Changed,
    Writer,
    line_endings_like,
    write_atomic,
)

__all__ = ["Release"]  # defined with the sources (plain data), named here for the runner's callers
STATE_DIR = ".locpress"
RUN_FILE = "run.json"
PARSE_CACHE = "parsed"
GLOSSARY_FILE = "glossary.csv"
MEMORY_FILE = "memory.sqlite3"
TEMPLATES = "templates"


class Project:
    """Paths of a project, all relative to its root and confined to it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root.resolve()
        self._root = str(self.root)
        self._checked: set[str] = set()
        self._paths: dict[str, Path] = {}
        #: Source files discovery left out, each with its one-line error (bad name, symlink out).
        self.skipped: dict[str, tuple[str, LocpressError]] = {}

    # --- layout -------------------------------------------------------------------------
    def source_path(self, release: Release) -> Path:
        return self._inside(f"{self.config.source_dir}/{release.source}")

    def template_path(self, release: Release) -> Path:
        return self._inside(f"{self.config.locales_dir}/{TEMPLATES}/{release.name}.pot")

    def catalog_path(self, locale: str, release: Release) -> Path:
        return self._inside(f"{self.config.locales_dir}/{locale}/{release.name}.po")

    def output_path(self, locale: str, release: Release, suffix: str | None = None) -> Path:
        return self._inside(f"{self.config.output_dir}/{locale}/{release.name}{suffix or release.suffix}")

    def draft_path(self, locale: str, release: Release, suffix: str | None = None) -> Path:
        """Where `build --draft` writes a release: the drafts folder, never `output/`."""
        return self._inside(f"{self.config.drafts_dir}/{locale}/{release.name}{suffix or release.suffix}")

    def review_path(self, locale: str, release: Release) -> Path:
        """The review sheet that `locpress review` writes for a release."""
        return self._inside(f"{self.config.drafts_dir}/review/{locale}/{release.name}.html")

    def dashboard_path(self) -> Path:
        return self._inside(f"{self.config.drafts_dir}/index.html")

    def drafts_dir(self) -> Path:
        return self._inside(self.config.drafts_dir)

    def release_template_path(self) -> Path:
        """A project's own HTML template, used instead of locpress's when it exists."""
        return self._inside(f"{TEMPLATES}/release.html")

    def output_dir(self) -> Path:
        return self._inside(self.config.output_dir)

    def glossary_path(self) -> Path:
        """`glossary.csv` at the project root (optional)."""
        return self._inside(GLOSSARY_FILE)

    def memory_path(self) -> Path:
        """The translation memory and MT cache: derived data, git-ignored with the run state."""
        return self._inside(f"{STATE_DIR}/{MEMORY_FILE}")

    def shown(self, path: Path) -> str:
        """The path as users see it in messages: relative to the project root."""
        return relative_posix(path, self.root)

    def _inside(self, relative: str) -> Path:
        """The path under the root; `..`, absolute parts and symlinked folders that lead
        out of the project, at any depth, are refused (checked once per folder)."""
        known = self._paths.get(relative)
        if known is not None:
            return known
        parts = relative.split("/")
        if relative.startswith("/") or ".." in parts or "\\" in relative:
            raise ConfigError("path leaves the project", relative)
        if len(parts) > 1:
            self._folder_inside("/".join(parts[:-1]))  # resolving it follows every symlink on the way
        path = self._paths.get(relative)
        if path is None:
            path = self._paths[relative] = Path(f"{self._root}/{relative}")
        return path

    def _folder_inside(self, folder: str) -> None:
        """A folder below a configured one that a symlink leads out: the files in it are
        skipped, one error each (a configured folder was refused by `check_folders`)."""
        if folder in self._checked:
            return
        resolved = (self.root / folder).resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise LocpressError(f"path leaves the project (a symlink leads to {resolved}); skipped", folder)
        self._checked.add(folder)

    def _leaves(self, path: Path) -> Path | None:
        """Where a symlink at `path` leads, when that is outside the project; else None."""
        if not os.path.islink(path):
            return None
        resolved = Path(os.path.realpath(path))
        return None if resolved == self.root or self.root in resolved.parents else resolved

    def refuse_link(self, path: Path) -> None:
        """Refuse a file that is a symlink leading out of the project (never read or written
        through it; the message names the link and its target, never the target's content)."""
        target = self._leaves(path)
        if target is not None:
            raise LocpressError(f"symlink leaves the project (to {target}); not read or written", self.shown(path))

    def read(self, path: Path) -> bytes | None:
        """A project file's bytes (None when missing): a symlink out of the project and any
        OS error (a folder in its place, no permission) are one-line errors on its path."""
        self.refuse_link(path)
        try:
            return _read_file(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LocpressError(f"cannot read: {os_reason(exc)}", self.shown(path)) from None

    def folders(self) -> dict[str, str]:
        """The project's own folders, by the key (or the name) that places them."""
        cfg = self.config
        return {"source_dir": cfg.source_dir, "locales_dir": cfg.locales_dir, "output_dir": cfg.output_dir,
                "drafts_dir": cfg.drafts_dir, TEMPLATES: TEMPLATES, STATE_DIR: STATE_DIR}

    def check_folders(self) -> None:
        """Before anything is processed: each folder of the project (and each locale's) is a
        folder, or absent, inside the project; none is, through a symlink, another one or
        inside another; the lock and the run state are not symlinks out. ConfigError, exit 2."""
        cfg = self.config
        where = cfg.path
        resolved: dict[str, Path] = {}
        folders = self.folders()
        for key, folder in folders.items():
            self._check_folder(key, folder, where)
            resolved[key] = Path(os.path.realpath(self.root / folder))
        for locale in (TEMPLATES, *cfg.locales):
            for key in ("locales_dir", "output_dir", "drafts_dir"):
                if key != "locales_dir" and locale == TEMPLATES:
                    continue
                self._check_folder(key, f"{folders[key]}/{locale}", where)
        names = list(resolved)
        for index, first in enumerate(names):
            for second in names[index + 1:]:
                a, b = resolved[first], resolved[second]
                if a == b or a in b.parents or b in a.parents:
                    raise ConfigError(f"{_key(first)} and {_key(second)} must be separate folders, neither "
                                      f"inside the other, but a symlink makes them overlap ({self.shown(a)}, "
                                      f"{self.shown(b)})", where)
        for name in ("lock", "state.json", RUN_FILE, MEMORY_FILE):
            target = self._leaves(self.root / STATE_DIR / name)
            if target is not None:
                raise ConfigError(f"symlink leaves the project (to {target}); locpress keeps its run state "
                                  "here: remove the link", f"{STATE_DIR}/{name}")

    def _check_folder(self, key: str, folder: str, where: str) -> None:
        path = self.root / folder
        resolved = Path(os.path.realpath(path))
        if resolved != self.root and self.root not in resolved.parents:
            raise ConfigError(f"folder leaves the project (a symlink leads to {resolved}); {_key(key)} must be "
                              f"a folder inside it", folder)
        if os.path.lexists(path) and not path.is_dir():
            what = "locpress keeps its run state there" if key == STATE_DIR else f"{_key(key)} in {where}"
            raise ConfigError(f"not a folder ({what}): move the file away", folder)

    # --- discovery ----------------------------------------------------------------------
    def releases(self, patterns: Sequence[str] = ()) -> list[Release]:
        """Source releases, sorted by name, optionally filtered by glob patterns."""
        base = self.root / self.config.source_dir
        if not base.is_dir():
            raise ConfigError(f"no source folder {self.config.source_dir}/ in {self.root}")
        found: dict[str, Release] = {}
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for link in [Path(dirpath, d) for d in dirnames]:  # os.walk would skip them silently
                if link.is_symlink() and base.resolve() not in link.resolve().parents:
                    dirnames.remove(link.name)
                    self._skip(link, f"symlink leaves the project (to {link.resolve()}); the releases in it "
                               "are skipped")
            for filename in filenames:
                stem, suffix = os.path.splitext(filename)
                if suffix not in FORMATS or filename.startswith("."):
                    continue
                path = Path(dirpath, filename)
                if path.is_symlink() and base.resolve() not in path.resolve().parents:
                    self._skip(path, f"symlink leaves the project (to {path.resolve()}); skipped")
                    continue
                name = release_name(Path(dirpath).relative_to(base), stem)
                problem = name_problem(name)
                if problem is not None:
                    self._skip(path, f"{problem}; skipped (rename the file)")
                    continue
                if name in found:
                    raise ConfigError(f"two sources for release {name}: {name}{found[name].suffix} and {filename}")
                found[name] = Release(name, suffix)
        names = sorted(found)
        if patterns:
            names = [n for n in names if any(fnmatch.fnmatchcase(n, p) or fnmatch.fnmatchcase(found[n].source, p)
                                             for p in patterns)]
        return [found[n] for n in names]

    def _skip(self, path: Path, message: str) -> None:
        shown = printable(self.shown(path))
        name = printable(relative_posix(path, self.root / self.config.source_dir))
        self.skipped.setdefault(shown, (name, LocpressError(message, shown)))

    def skipped_errors(self, patterns: Sequence[str] = ()) -> list[LocpressError]:
        """The errors of the source files discovery skipped (those the patterns select)."""
        return [error for name, error in self.skipped.values()
                if not patterns or any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(name.rsplit(".", 1)[0], p)
                                       for p in patterns)]

    def parse_cache_path(self, release: Release) -> Path:
        name = hashlib.sha1(release.source.encode()).hexdigest()[:20]
        return self._inside(f"{STATE_DIR}/{PARSE_CACHE}/{name}.json")

    def read_parse_cache(self, release: Release, key: str) -> list[Any] | None:
        """The cached units of a release parsed under `key`, or None (absent, stale, damaged)."""
        path = self.parse_cache_path(release)
        try:
            raw = None if os.path.islink(path) else read_bytes(path)  # derived data: never through a link
            record = json.loads(raw) if raw else None
        except (ValueError, LocpressError):
            return None
        if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("units"), list):
            return None
        units: list[Any] = record["units"]
        return units

    def write_parse_cache(self, release: Release, key: str, units: list[Any]) -> None:
        """Derived data, written in place without fsync: a file cut short by a crash is not
        valid JSON (it ends with a brace), so it only costs a parse, like a missing one."""
        path = self.parse_cache_path(release)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
            with open(handle, "wb") as stream:
                stream.write(json.dumps({"key": key, "units": units}).encode())
        except OSError:
            return

    def tree_stamp(self, releases: Sequence[Release], locales: Sequence[str]) -> tuple[str, int]:
        """A digest of every file a run reads or writes (by stat, not content), and the
        newest modification time among them: what `locpress run` replays a no-op from."""
        cfg = self.config
        names = [CONFIG_FILE, "pyproject.toml", GLOSSARY_FILE, f"{TEMPLATES}/release.html", f"{cfg.drafts_dir}/index.html"]
        for release in releases:
            names.append(f"{cfg.source_dir}/{release.source}")
            names.append(f"{cfg.locales_dir}/{TEMPLATES}/{release.name}.pot")
            for locale in locales:
                names.append(f"{cfg.locales_dir}/{locale}/{release.name}.po")
                names.append(f"{cfg.locales_dir}/{locale}/{release.name}.provenance.json")
        # Every file in output/, whoever put it there: a run withdraws what it should not publish.
        for dirpath, dirnames, filenames in os.walk(self.root / cfg.output_dir):
            dirnames.sort()
            names.extend(relative_posix(Path(dirpath, f), self.root) for f in sorted(filenames))
            names.append(relative_posix(Path(dirpath), self.root))
        paths = [f"{self._root}/{name}" for name in names]
        code = [str(p) for p in code_files()]  # a new locpress redoes everything
        digest = hashlib.sha1()
        newest = 0
        for index, path in enumerate(paths + code):
            try:
                info = os.stat(path)
            except (FileNotFoundError, NotADirectoryError):  # a file where a folder goes: not there
                digest.update(f"{path}\0-\n".encode(errors="surrogateescape"))
                continue
            if index < len(paths):
                newest = max(newest, info.st_mtime_ns)
            digest.update(f"{path}\0{info.st_size}\0{info.st_ino}\0{info.st_mtime_ns}\n".encode(errors="surrogateescape"))
        return digest.hexdigest(), newest

    def catalog_releases(self, locale: str) -> list[str]:
        """Names of the releases that have a catalog for a locale (for status of orphans)."""
        base = self.root / self.config.locales_dir / locale
        return sorted(p.relative_to(base).as_posix()[:-3] for p in base.rglob("*.po")) if base.is_dir() else []


def release_name(folder: PurePath, stem: str) -> str:
    """A release's name from its folder under source/ and its file's stem: `/` between the
    parts on every OS, so catalogs made on Windows and Linux are the same bytes."""
    return PurePosixPath(*folder.parts, stem).as_posix()


#: What a `#:` reference cannot hold and read back as written: control characters (a newline
#: ends the comment; a tab is read as a separator) and line or paragraph separators.
_UNWRITABLE = frozenset(range(0x20)) | {0x7F, *range(0x80, 0xA0), 0x2028, 0x2029}


def name_problem(name: str) -> str | None:
    """Why a release name cannot be a release (None when it can): it goes into `#:`
    references, catalog paths and output paths on every OS. Spaces are kept as they are, as
    GNU gettext 0.21 writes and reads them."""
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            return f"file name is not UTF-8 (byte 0x{code - 0xDC00:02x})"
        if code in _UNWRITABLE:
            return f"file name contains the control character U+{code:04X}, which a catalog's #: reference cannot hold"
    if "\\" in name:
        return "file name contains a backslash, which Windows reads as a folder separator"
    return None


def printable(text: str) -> str:
    """`text` with control characters and bytes that are not UTF-8 written as escapes, so a
    message naming a file stays one line and sends nothing to the terminal."""
    if all(ord(c) not in _UNWRITABLE and not 0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code in _UNWRITABLE or 0xD800 <= code <= 0xDFFF:
            out.append(repr(char)[1:-1] if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def os_reason(exc: OSError) -> str:
    """An OS error in a few words, as `strerror` says it (`Is a directory`, `No space left on device`)."""
    return exc.strerror or type(exc).__name__


def _key(key: str) -> str:
    return f"key '{key}'" if key.endswith("_dir") else f"the {key}/ folder"


def relative_posix(path: PurePath, root: PurePath) -> str:
    """`path` relative to `root` with `/` (as written into files and messages), or the whole
    path with `/` when it lies outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_file(path: Path) -> bytes:
    """Every read of a file goes through `open` here: the seam where tests inject OS errors
    (EACCES as root, EIO) that a real file system will not give on demand. Only a regular
    file is read: a pipe or a device in a file's place would block the run or never end."""
    with open(path, "rb", opener=_nonblocking) as handle:
        if not stat_module.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, socket or device)", str(path))
        return handle.read()


def _nonblocking(name: str, flags: int) -> int:
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def read_bytes(path: Path) -> bytes | None:
    """A file's bytes, None when missing; another OS error is a one-line LocpressError."""
    try:
        return _read_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LocpressError(f"cannot read: {os_reason(exc)}", str(path)) from None


def write_file(path: Path, data: bytes, shown: str, expected: bytes | None = None, check: bool = False) -> bool:
    """`write_atomic`, its OS errors (a full disk, a folder in the file's place) one-line
    errors on `shown`; `Changed` passes through for the caller to read the file again."""
    try:
        return write_atomic(path, data, expected, check)
    except Changed:
        raise
    except OSError as exc:
        raise LocpressError(f"cannot write: {os_reason(exc)}", shown) from None
    except LocpressError as exc:  # reading what the file holds now failed
        raise LocpressError(f"cannot write: {exc.message.removeprefix('cannot read: ')}", shown) from None


LOCK_FILE = "lock"
#: Descriptors of the project lock this process holds: a forked worker closes its copies
#: (`portable.die_with_parent`), so the lock goes with the command that took it.
HELD: list[int] = []


@contextlib.contextmanager
def locked(root: Path, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project lock: a second locpress on the same project waits (or fails).

    The lock file records its holder (pid and start time). A lock held although its holder
    is gone (a process that inherited it lives on) is taken over: a new lock file is renamed
    over it, under `lock.takeover` so that two commands cannot both take it over.
    """
    folder = root / STATE_DIR
    folder.mkdir(exist_ok=True)
    path = folder / LOCK_FILE
    handle = _acquire(path, wait, on_wait)
    try:
        HELD.append(handle.fileno())
        yield
    finally:
        HELD.remove(handle.fileno())
        portable.unlock(handle)
        handle.close()


def _acquire(path: Path, wait: bool, on_wait: Callable[[str], None] | None) -> IO[bytes]:
    """Take the lock, polling while another live command holds it. Taking it and reading or
    writing its record happen under `lock.takeover`, so a record is never read half-made."""
    told = False
    while True:
        taken = _try_acquire(path)
        if taken is not None:
            return taken
        if not wait:
            raise LocpressError("another locpress command is running on this project", str(path))
        if on_wait and not told:
            on_wait("waiting for another locpress command on this project to finish")
            told = True
        time.sleep(portable.LOCK_POLL)


def _try_acquire(path: Path) -> IO[bytes] | None:
    with open(path.with_name(LOCK_FILE + ".takeover"), "a+b") as guard:
        portable.lock(guard)
        try:
            handle = open(path, "a+b")
            try:
                if portable.try_lock(handle):
                    _record_holder(handle)
                    return handle
                if not _holder_gone(handle):
                    handle.close()
                    return None
                handle.close()
                return _take_over(path)
            except BaseException:
                handle.close()
                raise
        finally:
            portable.unlock(guard)


def _record_holder(handle: IO[bytes]) -> None:
    record = f"{os.getpid()} {portable.process_start(os.getpid()) or ''}\n".encode()
    if portable.fcntl is None:  # Windows: a locked region cannot be read by others (nor need it be:
        return  # the lock is released with the process that holds it, no worker inherits it)
    handle.seek(0)
    handle.truncate()
    handle.write(record)
    handle.flush()


def _holder_gone(handle: IO[bytes]) -> bool:
    """Whether the lock file names a holder that no longer runs (pid gone, or reused by a
    process started at another time). A file without a record (an older locpress) has a
    holder as far as we know."""
    handle.seek(0)
    fields = handle.read(200).split()
    if not fields or not fields[0].isdigit():
        return False
    started = portable.process_start(int(fields[0]))
    if started is None:
        return True
    return len(fields) > 1 and started != "" and fields[1].decode(errors="replace") != started


def _take_over(path: Path) -> IO[bytes] | None:
    """Replace a lock file whose holder is gone (while a process that inherited its lock
    lives on) by a new one this process holds."""
    tmp = path.with_name(f".{LOCK_FILE}.{os.getpid()}{TEMP_SUFFIX}")
    fresh = open(tmp, "w+b")
    try:
        if not portable.try_lock(fresh):
            fresh.close()
            return None
        _record_holder(fresh)
        store.install(tmp, path)
    except BaseException:
        fresh.close()
        raise
    return fresh


RACY_NS = 2_000_000_000


def stamp(path: Path, info: os.stat_result | None = None) -> list[int | str] | None:
    """What a file looks like: size, inode and modification time (None when missing).

    File systems keep coarse timestamps, so a same-size edit made just after ours could
    share our stamp (git's "racy" entries): a file modified in the last two seconds also
    gets a digest of its content, which `unchanged` then checks.
    """
    if info is None:
        try:
            info = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder goes: not there
            return None
    racy = info.st_mtime_ns >= time.time_ns() - RACY_NS
    return [info.st_size, info.st_ino, info.st_mtime_ns, _digest(path) if racy else ""]


def unchanged(recorded: object, path: Path, info: os.stat_result | None) -> bool:
    """Whether a file (whose stat is `info`, None when missing) still is what `stamp` recorded."""
    if info is None or not isinstance(recorded, list) or len(recorded) != 4:
        return False
    if [info.st_size, info.st_ino, info.st_mtime_ns] != recorded[:3]:
        return False
    return not recorded[3] or recorded[3] == _digest(path)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha1(_read_file(path)).hexdigest()  # never blocks on a pipe
    except FileNotFoundError:
        return "missing"
    except OSError:  # unreadable now: not what was recorded, so the stage reads it and says why
        return "unreadable"


class State:
    """Fingerprints of what the last run read and wrote, so a no-op run reads nothing.

    Kept in `.locpress/state.json` (git-ignored). Losing it only costs time: every stage
    then recomputes and, finding identical content, writes nothing.
    """

    def __init__(self, root: Path, version: str) -> None:
        self.path = root / STATE_DIR / "state.json"
        self.version = version
        self.data: dict[str, Any] = {}
        self.stats: dict[str, os.stat_result | None] = {}
        self.dirty = False
        try:
            raw = None if os.path.islink(self.path) else read_bytes(self.path)
        except LocpressError:  # a folder in its place: only costs time (and `save` says why)
            raw = None
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

    def fresh(self, key: str, files: dict[str, Path], **extra: object) -> bool:
        """Whether every file is as recorded under `key` and the extra values are the same."""
        recorded = self.data.get(key)
        if not isinstance(recorded, dict) or not isinstance(recorded.get("extra"), dict):
            return False
        if extra and any(recorded["extra"].get(k) != v for k, v in _jsonable(extra).items()):
            return False
        stamps = recorded.get("files", {})
        if set(stamps) != set(files) or not all(unchanged(stamps[n], p, self.stat(p)) for n, p in files.items()):
            return False
        if any(v[3] for v in stamps.values()):  # racy when recorded: settle it once it is old
            self.remember(key, files, **recorded["extra"])
        return True

    def remember(self, key: str, files: dict[str, Path], **extra: object) -> None:
        """Record the files (all must exist) as they are now, for `fresh` next time."""
        self.record(key, files, {}, extra)

    def record(self, key: str, files: dict[str, Path], read: dict[str, Any], extra: dict[str, object]) -> None:
        """`remember`, with the files the command read as they were when it read them (`read`:
        path -> stamp taken before reading), the others as they are now. An input saved between
        its read and this call then differs from its record: the next run redoes the work."""
        known = read
        stamps = {name: known[str(path)] if str(path) in known else stamp(path, self.stat(path))
                  for name, path in files.items()}
        if any(v is None for v in stamps.values()):
            self.drop(key)
        else:
            self.put(key, {"files": stamps, "extra": _jsonable(extra)})

    def stat(self, path: Path) -> os.stat_result | None:
        """The file's stat, asked once per command (`forget` it after writing it)."""
        key = str(path)
        if key not in self.stats:
            try:
                self.stats[key] = os.stat(key)
            except (FileNotFoundError, NotADirectoryError):  # a file where a folder goes: not there
                self.stats[key] = None
        return self.stats[key]

    def forget(self, path: Path) -> None:
        self.stats.pop(str(path), None)

    def drop(self, key: str) -> None:
        if self.data.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            body = json.dumps({"version": self.version, "entries": self.data}, sort_keys=True)
            write_atomic(self.path, body.encode())
            self.dirty = False


def _jsonable(value: dict[str, object]) -> dict[str, object]:
    """The value as it reads back from JSON (tuples become lists), for comparisons."""
    loaded: dict[str, object] = json.loads(json.dumps(value))
    return loaded


#: The distributions whose versions shape what locpress derives (plural rules, Markdown
#: rendering, front matter, templates): a new version redoes what the old one derived.
SHAPING = ("babel", "markdown-it-py", "PyYAML", "Jinja2", "MarkupSafe", "lxml")


def dependency_stamp() -> str:
    """Python's version and those of the distributions in `SHAPING`."""
    import platform
    from importlib import metadata

    parts = [platform.python_implementation(), platform.python_version()]
    for name in SHAPING:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return hashlib.sha1(";".join(parts).encode()).hexdigest()[:16]


PACKAGE = Path(__file__).resolve().parents[1]  # src/locpress


@lru_cache(maxsize=1)
def code_files() -> tuple[Path, ...]:
    """Every module and page template of locpress, in a stable order."""
    return tuple(sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html")]))


def code_stamp() -> str:
    """Size and time of every module of locpress: a changed reader or segmenter invalidates
    what was derived with the old one."""
    digest = hashlib.sha1()
    package = PACKAGE.parent
    for path in code_files():
        info = path.stat()
        digest.update(f"{path.relative_to(package).as_posix()}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def replay(root: Path, signature: str, digest: str, newest: int) -> dict[str, Any] | None:
    """The recorded outcome of the last identical no-op run, if nothing changed since.

    Files modified within `RACY_NS` of the recording could have changed without changing
    their stat, so such a record is not trusted (as with the per-file run state).
    """
    path = root / STATE_DIR / RUN_FILE
    try:
        raw = None if os.path.islink(path) else read_bytes(path)
        record = json.loads(raw) if raw else None
    except (ValueError, LocpressError):
        return None
    if not isinstance(record, dict) or record.get("signature") != signature or record.get("digest") != digest:
        return None
    if newest >= int(record.get("recorded", 0)) - RACY_NS:
        return None
    return record


def record_run(root: Path, signature: str, digest: str, output: str, code: int) -> None:
    body = {"signature": signature, "digest": digest, "recorded": time.time_ns(), "output": output, "code": code}
    write_atomic(root / STATE_DIR / RUN_FILE, json.dumps(body).encode())


def now() -> str:
    """A gettext header date: `2023-11-01 09:30+0000`."""
    return time.strftime("%Y-%m-%d %H:%M%z", time.localtime())
