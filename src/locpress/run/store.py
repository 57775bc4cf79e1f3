"""Writing files without losing anyone's save: atomic replacement, and the one retry loop.

Every file locpress writes goes to a temporary file beside it (a name of its own per writer),
is made durable and then renamed into place, so readers see the old file or the new one.

A catalog is also a translator's file, saved by editors while a command runs: by a temporary
file and a rename (Poedit, Lokalize, "safe write") or by truncating and writing in place.
Replacing one (`commit`) is therefore a compare-and-swap on content, not a rename:

- where the OS can exchange two names atomically (`portable.exchange`), the new file is
  swapped in and the file swapped out is compared with what was read; if it differs, a
  translator saved meanwhile: it is swapped back (and a save that landed during that, too)
  and `Changed` is raised. No rename-save can be lost: whatever comes out is looked at.
- elsewhere, a hard link keeps the old file while the new one is renamed over it; the kept
  file is compared afterwards and restored on a mismatch. A rename-save landing between the
  last check and the rename (one system call) is the window that remains there.
- a file swapped out is kept open until `settle`: a save written in place into it after the
  comparison (an editor that opened it before the swap) is then found, kept under
  `.locpress/recovered/` and reported, never dropped silently.

`until_settled` is the one loop "a translator saved meanwhile: read again, merge again, try
again", bounded; `rewrite` is it for one file. Every writer of catalogs goes through them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

from locpress.errors import LocpressError
from locpress.run import portable

TEMP_SUFFIX = ".locpress-tmp"
KEEP_SUFFIX = ".locpress-keep"
RECOVERED = ".locpress/recovered"
ATTEMPTS = 8  # reads, merges and writes of one file before "keeps changing on disk"
BACKOFF = 0.0005  # seconds before the second attempt, doubling up to 0.1 (all attempts: about 0.3 s)
SWAPS = 64  # exchanges when saves keep landing while one is being put back
WATCHED = 256  # swapped-out files kept open at once for `settle` (each is one descriptor)

T = TypeVar("T")


class Changed(LocpressError):
    """A file changed on disk between reading it and writing it back."""


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


# --- temporary files ------------------------------------------------------------------------

def temporary(path: Path, data: bytes, suffix: str = TEMP_SUFFIX) -> Path:
    """Write `data` to a new file beside `path`, named for this process and this write
    (`.<name>.<pid>.<random>.locpress-tmp`): two writers never share one, and a run killed
    mid-write leaves a file whose process is gone, which `sweep` removes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_once(path.parent)
    tmp = _unique(path, suffix)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with open(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def _unique(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}")


_SWEPT: set[str] = set()


def _sweep_once(folder: Path) -> None:
    key = f"{os.getpid()}:{folder}"
    if key not in _SWEPT and folder.is_dir():
        _SWEPT.add(key)
        sweep(folder)


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files of writers that are gone (killed runs); those of a process
    still running are its own. Returns what was removed."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if not name.startswith(".") or not name.endswith((TEMP_SUFFIX, KEEP_SUFFIX)):
            continue
        parts = name.rsplit(".", 3)  # .<target>.<pid>.<random><suffix>
        pid = parts[1] if len(parts) == 4 else ""
        if pid.isdigit() and portable.process_start(int(pid)) is not None:
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
            removed.append(folder / name)
    return removed


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


# --- replacing a file -------------------------------------------------------------------------

def replace(path: Path, data: bytes) -> None:
    """Temporary file, fsync, rename: for files nobody else edits (templates, outputs, state)."""
    tmp = temporary(path, data)
    try:
        _fsync(tmp)
        install(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def install(tmp: Path, path: Path) -> None:
    """The rename: the one place locpress calls `os.replace`."""
    os.replace(tmp, path)


def commit(path: Path, tmp: Path, expected: bytes | None) -> None:
    """Put the (durable) file `tmp` at `path` if `path` still holds `expected` (None: no file
    there); otherwise leave `path` as a translator saved it and raise `Changed`. `tmp` is
    gone afterwards either way."""
    held: list[IO[bytes]] = []  # every file whose inode is compared stays open: no number is reused meanwhile
    try:
        held.append(open(tmp, "rb"))
        ours = os.fstat(held[0].fileno()).st_ino
        if expected is None:
            _create(tmp, path)
        elif portable.exchange(tmp, path):
            _swapped(tmp, path, expected, ours, held)
        else:
            _kept(tmp, path, expected)
    finally:
        for handle in held:
            handle.close()
        _unlink(tmp)


def _create(tmp: Path, path: Path) -> None:
    """A file that did not exist when read: a hard link creates it only if it still does not."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise Changed("created on disk while locpress wrote it", str(path)) from None
    except OSError:  # no hard links on this file system
        if os.path.lexists(path):
            raise Changed("created on disk while locpress wrote it", str(path)) from None
        install(tmp, path)


def _swapped(tmp: Path, path: Path, expected: bytes, ours: int, held: list[IO[bytes]]) -> None:
    """After the exchange, `tmp` names what `path` held: ours (inode `ours`) stays only if
    that is `expected`."""
    handle = open(tmp, "rb")
    try:
        found = handle.read()
        if found == expected:
            _watch(path, handle, found)
            return
    except BaseException:
        handle.close()
        raise
    held.append(handle)
    _put_back(tmp, path, ours, held)
    raise Changed("changed on disk while locpress wrote it", str(path))


def _put_back(tmp: Path, path: Path, ours: int, held: list[IO[bytes]]) -> None:
    """Swap the translator's file back in. A save landing meanwhile replaced ours at `path`;
    the next exchange brings it out instead of ours, so it is swapped in again (it is newer
    than the one we put back), until what comes out is what we expected to. Inodes identify
    the files: each one compared is held open, so the file system cannot give its number to
    a new file (an editor's next save) in the meantime."""
    expected_out = ours
    for _ in range(SWAPS):
        going_in = os.fstat(held[-1].fileno()).st_ino  # `held[-1]` is the file now at `tmp`
        if not portable.exchange(tmp, path):
            raise LocpressError("the file system stopped exchanging files", str(path))
        came_out = open(tmp, "rb")
        held.append(came_out)
        if os.fstat(came_out.fileno()).st_ino == expected_out:
            return  # `tmp` now holds ours (or a save superseded by a later one of the same editor)
        expected_out = going_in
    raise Changed("keeps changing on disk", str(path))


def _kept(tmp: Path, path: Path, expected: bytes) -> None:
    """Without an exchange: link the old file, rename ours over it, then compare the old
    file; on a mismatch it is put back. Only a rename-save between the inode check and our
    rename can be lost (see README, Reliability)."""
    keep = _unique(path, KEEP_SUFFIX)
    try:
        os.link(path, keep)
    except FileNotFoundError:
        raise Changed("removed on disk while locpress wrote it", str(path)) from None
    try:
        handle = open(keep, "rb")
        try:
            _replace_kept(tmp, path, keep, handle, expected)
        except BaseException:
            handle.close()
            raise
    finally:
        _unlink(keep)


def _replace_kept(tmp: Path, path: Path, keep: Path, handle: IO[bytes], expected: bytes) -> None:
    if handle.read() != expected or os.stat(path).st_ino != os.fstat(handle.fileno()).st_ino:
        raise Changed("changed on disk while locpress wrote it", str(path))
    install(tmp, path)
    handle.seek(0)
    found = handle.read()
    if found != expected:  # written in place between our read and the rename
        install(keep, path)
        raise Changed("changed on disk while locpress wrote it", str(path))
    _watch(path, handle, found)


# --- saves written in place into a file already replaced -------------------------------------

@dataclass
class _Retired:
    path: Path
    handle: IO[bytes]
    name: str  # what the file was called when it was unlinked (an editor's descriptor shows it)
    size: int
    mtime: int
    digest: bytes


_RETIRED: list[_Retired] = []
_LATE: list[tuple[Path, str]] = []


def _watch(path: Path, handle: IO[bytes], data: bytes) -> None:
    info = os.fstat(handle.fileno())
    _RETIRED.append(_Retired(path, handle, os.path.abspath(handle.name), info.st_size, info.st_mtime_ns,
                             hashlib.sha1(data).digest()))
    if len(_RETIRED) > WATCHED:
        batch, _RETIRED[:] = _RETIRED[:WATCHED // 2], _RETIRED[WATCHED // 2:]
        _LATE.extend(_look(batch))


def settle() -> list[tuple[Path, str]]:
    """Look once more at every file this process swapped out; (path, what happened) for each
    one written in place after it was replaced (its content kept under `.locpress/recovered/`)
    or still open for writing in another process (an editor that may write there yet)."""
    warnings, _LATE[:] = list(_LATE), []
    batch, _RETIRED[:] = list(_RETIRED), []
    return warnings + _look(batch)


def _look(batch: list[_Retired]) -> list[tuple[Path, str]]:
    """First who still has the files open for writing (a write after this look could not be
    seen), then what they hold now."""
    if not batch:
        return []
    # An editor's descriptor shows the name it was opened by (the catalog's, after a rename
    # over it) or the one the file had when it was unlinked (ours, after the exchange).
    holders = portable.writers_of({r.name for r in batch} | {str(r.path) for r in batch})
    found = []
    for retired in batch:
        try:
            late = _late(retired)
            if late is not None:
                found.append(_recover(retired.path, late))
            holder = holders.get(retired.name) or holders.get(str(retired.path))
            if holder is not None:
                found.append((retired.path, (f"process {holder} (an editor?) still has the file locpress "
                                             "replaced open for writing: what it writes there now is lost; "
                                             "save the catalog again in it")))
        finally:
            retired.handle.close()
    return found


def _late(retired: _Retired) -> bytes | None:
    """The file's content, when it is not what it was at the swap."""
    info = os.fstat(retired.handle.fileno())
    retired.handle.seek(0)
    now = retired.handle.read()
    if (info.st_size, info.st_mtime_ns) == (retired.size, retired.mtime) and hashlib.sha1(now).digest() == retired.digest:
        return None
    return now


def _recover(path: Path, data: bytes) -> tuple[Path, str]:
    root = _project_root(path)
    name = f"{path.name}.{time.strftime('%Y%m%dT%H%M%S')}.{secrets.token_hex(3)}"
    target = root / RECOVERED / name
    try:
        replace(target, data)
        kept = f"kept in {target.relative_to(root).as_posix()}"
    except OSError as exc:
        kept = f"could not be kept ({exc.strerror or exc})"
    return path, (f"an editor wrote into the file in place while locpress replaced it; "
                  f"what it wrote is {kept}: merge it by hand")


def _project_root(path: Path) -> Path:
    for folder in path.parents:
        if (folder / ".locpress").is_dir():
            return folder
    return path.parent


# --- the one retry loop -------------------------------------------------------------------------

def until_settled(items: Sequence[T], attempt: Callable[[Sequence[T]], Sequence[T]],
                  noticed: Callable[[T], None]) -> list[T]:
    """Run `attempt` over the items; it returns those a translator saved meanwhile (it left
    them unwritten), which are read, merged and written again — at most `ATTEMPTS` times in
    all. Returns the items still changing then (the caller reports them)."""
    pending = list(items)
    for tries in range(ATTEMPTS):
        if tries:
            time.sleep(min(BACKOFF * 2 ** tries, 0.1))  # an editor saving twice in a row is done by then
        changed = list(attempt(pending))
        if not changed:
            return []
        for item in changed:
            noticed(item)
        pending = changed
    return pending


def rewrite(path: Path, produce: Callable[[bool], tuple[bytes | None, bytes | None]],
            noticed: Callable[[Path], None], what: str = "written") -> bool:
    """Read, merge and write one file until it is written over what was read: `produce(again)`
    reads the file (`again`: after a translator's save) and returns (the bytes it read, the
    bytes to write; None: nothing to write). Returns whether it wrote."""
    wrote = False
    tries = 0

    def attempt(_paths: Sequence[Path]) -> list[Path]:
        nonlocal wrote, tries
        again = tries > 0
        tries += 1
        try:
            read_as, data = produce(again)
            if data is None:
                return []
            wrote = write_checked(path, data, read_as)
        except Changed:
            return [path]
        return []

    if until_settled([path], attempt, noticed):
        raise Changed(f"keeps changing on disk; not {what}", str(path))
    return wrote


def write_checked(path: Path, data: bytes, expected: bytes | None) -> bool:
    """Write `data` over `path` if it still holds `expected`; False when it already holds
    `data`; `Changed` when a translator saved it meanwhile (their file is left in place)."""
    prepared = prepared_bytes(path, data, expected, True)
    if prepared is None:
        return False
    tmp = temporary(path, prepared)
    try:
        _fsync(tmp)
    except BaseException:
        _unlink(tmp)
        raise
    commit(path, tmp, expected)
    return True


def prepared_bytes(path: Path, data: bytes, expected: bytes | None, check: bool) -> bytes | None:
    """The bytes to write over `path` (in its line endings), or None when it holds them;
    with `check`, `Changed` when it no longer holds `expected`."""
    _sweep_once(path.parent)  # also where nothing is written: a killed run's leftovers go
    current = read(path)
    data = line_endings_like(current, data, path.suffix)
    if current == data:
        return None
    if check and current != expected:
        raise Changed("changed on disk while locpress read it", str(path))
    return data


TEXT_SUFFIXES = frozenset({".po", ".pot", ".md", ".txt", ".html"})


def line_endings_like(current: bytes | None, data: bytes, suffix: str) -> bytes:
    """`data` with CRLF line endings when the text file it replaces has them and `data` has
    none: a Windows working copy (Git's `core.autocrlf`) keeps its line endings, so a run
    causes no churn there, and Git normalizes them again on commit."""
    if current is None or suffix not in TEXT_SUFFIXES or b"\r" in data:
        return data
    first = current.find(b"\n")
    if first <= 0 or current[first - 1:first] != b"\r":
        return data
    return data.replace(b"\n", b"\r\n")


def write_atomic(path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> bool:
    """Write `data` to `path` unless it already holds exactly that; return whether it wrote.
    With `check`, only over `expected` (see `write_checked`)."""
    if check:
        return write_checked(path, data, expected)
    prepared = prepared_bytes(path, data, expected, False)
    if prepared is None:
        return False
    replace(path, prepared)
    return True


class Writer:
    """Atomic writes of many files with one sync: each file goes to a temporary file at once;
    `flush` makes them all durable at once (`portable.make_durable`: one sync where the OS has
    it) and only then puts each in place. Readers never see a half-written file, and a crash
    before then leaves the old files as they were. A file written with `check` is committed
    by `commit`: one a translator saved meanwhile is kept, and `flush` returns `Changed` for it.
    """

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        self.holds: dict[Path, bytes | None] = {}  # what a checked file must still hold

    def write(self, path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> bool:
        """Prepare a write; `Changed` at once when a checked file already differs."""
        try:
            prepared = prepared_bytes(path, data, expected, check)
            if prepared is None:
                return False
            self.pending.append((temporary(path, prepared), path))
        except OSError as exc:
            raise LocpressError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        if check:
            self.holds[path] = expected
        return True

    def flush(self) -> list[LocpressError]:
        """Make every pending write durable and visible; the ones that failed, as errors."""
        if not self.pending:
            return []
        pending, holds = self.pending, self.holds
        self.pending, self.holds = [], {}
        errors: list[LocpressError] = []
        try:
            portable.make_durable(tmp for tmp, _path in pending)
        except BaseException:
            for tmp, _path in pending:
                _unlink(tmp)
            raise
        for index, (tmp, path) in enumerate(pending):
            try:
                if path in holds:
                    commit(path, tmp, holds[path])
                else:
                    install(tmp, path)
            except Changed as exc:
                errors.append(exc)
            except OSError as exc:
                _unlink(tmp)
                errors.append(LocpressError(f"cannot write: {exc.strerror or exc}", str(path)))
            except BaseException:
                for left, _path in pending[index:]:
                    _unlink(left)
                raise
        return errors
