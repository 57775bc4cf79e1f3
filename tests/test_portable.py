"""Tests for locpress.run.portable and the Windows and macOS code paths, run here through its seams:
no fcntl (a stand-in msvcrt instead), no os.sync, no sched_getaffinity, no fork; Windows path
rules through PureWindowsPath; CRLF working copies as Git's core.autocrlf makes them."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

import pytest
from conftest import Result, snapshot

from locpress.run import checking, portable, workers
from locpress.run import project as project_module
from locpress.run.project import line_endings_like, locked, relative_posix, release_name

Make = Callable[..., Path]
Cli = Callable[..., Result]

RELEASE = "# Floods in the north\n\nIOM helped 4,500 people. Teams arrived on Monday.\n\n- Shelter kits.\n"


def fill(path: Path, translate: Callable[[str], str]) -> None:
    """Translate every entry of an LF catalog (msgid on one line, msgstr "" after it)."""
    out, msgid = [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith('msgid "') and line != 'msgid ""':
            msgid = line[7:-1]
        elif line == 'msgstr ""' and msgid is not None:
            line = f'msgstr "{translate(msgid)}"'
            msgid = None
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")


class FakeMsvcrt:
    """Windows' msvcrt.locking as the docs describe it: LK_NBLCK fails at once with EACCES
    while another handle holds the region; LK_UNLCK releases it."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self) -> None:
        self.held: dict[tuple[int, int], int] = {}  # (device, inode) -> fd holding it
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1 and os.lseek(fd, 0, os.SEEK_CUR) == 0
        self.calls.append((fd, mode))
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        if mode == self.LK_NBLCK:
            if key in self.held and self.held[key] != fd:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            self.held.pop(key, None)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """This process as Windows sees it: no fcntl, a msvcrt, no os.sync, no affinity, no fork."""
    fake = FakeMsvcrt()
    monkeypatch.setattr(portable, "fcntl", None)
    monkeypatch.setattr(portable, "msvcrt", fake)
    monkeypatch.delattr(os, "sync")
    monkeypatch.delattr(os, "sched_getaffinity")
    if hasattr(os, "process_cpu_count"):  # 3.13's is cpu_count where there is no affinity
        monkeypatch.setattr(os, "process_cpu_count", os.cpu_count)
    monkeypatch.setattr(portable, "can_fork", lambda: False)
    return fake


# --- the lock ---------------------------------------------------------------------------------


def test_lock_without_fcntl_excludes_and_waits(tmp_path: Path, windows: FakeMsvcrt,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portable, "LOCK_POLL", 0.01)
    order: list[str] = []
    with locked(tmp_path):
        with pytest.raises(Exception, match="another locpress command is running"):
            with locked(tmp_path, wait=False):
                pass

        def second() -> None:
            with locked(tmp_path, on_wait=lambda _message: order.append("waiting")):
                order.append("second holds it")

        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.1)
        order.append("first releases it")
    waiter.join(5)
    assert order == ["waiting", "first releases it", "second holds it"]
    assert windows.held == {}
    assert {mode for _fd, mode in windows.calls} == {FakeMsvcrt.LK_NBLCK, FakeMsvcrt.LK_UNLCK}


def test_lock_error_other_than_contention_is_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        LK_NBLCK, LK_UNLCK = 2, 0

        def locking(self, fd: int, mode: int, nbytes: int) -> None:
            raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(portable, "fcntl", None)
    monkeypatch.setattr(portable, "msvcrt", Broken())
    handle: IO[bytes]
    with open(tmp_path / "lock", "a+b") as handle, pytest.raises(OSError):
        portable.try_lock(handle)


# --- durability, CPUs, workers -----------------------------------------------------------------


def test_writes_are_made_durable_file_by_file_without_os_sync(tmp_path: Path, windows: FakeMsvcrt,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    writer = project_module.Writer()
    for name in ("a.po", "b.po", "c.po"):
        writer.write(tmp_path / name, f"{name}\n".encode())
    assert writer.flush() == []
    assert len(synced) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po", "b.po", "c.po"]


def test_cpu_count_without_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "process_cpu_count", lambda: 3, raising=False)
    assert portable.cpu_count() == 3
    monkeypatch.delattr(os, "process_cpu_count")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 5}, raising=False)
    assert portable.cpu_count() == 2
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert portable.cpu_count() == 1


def test_workers_are_spawned_where_fork_is_missing_or_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert portable.worker_context().get_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # another thread: fork is unsafe
    assert portable.worker_context().get_start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert portable.worker_context().get_start_method() == "spawn"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    assert portable.worker_context().get_start_method() == "spawn"


def test_spawned_workers_give_the_same_project_as_one_process(project: Make, cli: Cli, windows: FakeMsvcrt,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"r{i}.md": RELEASE.replace("4,500", f"{i},500") for i in range(4)}
    root = project(files, locales=("ko", "fr"))
    assert cli(root, "run").code == 0
    for i in range(4):
        fill(root / f"locales/ko/r{i}.po", lambda s: f"[ko] {s}")
    serial = cli(root, "run", "-v")
    serial_files = snapshot(root)
    for path in list((root / "output").rglob("*")) + [root / ".locpress/state.json"]:
        if path.is_file():
            path.unlink()
    monkeypatch.setattr(workers, "PARALLEL_ITEMS", 2)
    monkeypatch.setattr(portable, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "_forked_chunk", None)  # the fork path cannot be taken
    spawned = cli(root, "run", "-v")
    assert spawned.code == serial.code == 0
    assert sorted(spawned.out.splitlines()) == sorted(serial.out.splitlines())
    assert snapshot(root) == serial_files
    assert "wrote" not in cli(root, "run").out  # the workers' run state came back


def test_parallel_check_with_spawned_workers(project: Make, cli: Cli, windows: FakeMsvcrt,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({"r.md": RELEASE}, locales=("ko", "fr"))
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: s.replace("4,500", "5,400"))
    monkeypatch.setattr(checking, "PARALLEL_MINIMUM", 0)
    serial = cli(root, "check", "--format", "json", "--jobs", "1")
    spawned = cli(root, "check", "--format", "json")
    assert serial.code == spawned.code == 1
    assert spawned.out == serial.out and "4,500" in serial.out


def test_cli_imports_and_runs_with_linux_only_calls_taken_away(project: Make, tmp_path: Path) -> None:
    """A fresh interpreter where fcntl cannot be imported and os has no sync or affinity, as
    on Windows: the whole pipeline runs, and --help works (nothing is asked at parse time)."""
    root = project({"r.md": RELEASE}, locales=("ko",))
    script = (
        "import sys, os, multiprocessing\n"
        "sys.modules['fcntl'] = None\n"
        "del os.sync, os.sched_getaffinity\n"
        "if hasattr(os, 'process_cpu_count'): os.process_cpu_count = os.cpu_count\n"
        "multiprocessing.get_all_start_methods = lambda: ['spawn']\n"
        "from locpress.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "import locpress.run.portable as p\n"
        "assert p.fcntl is None and p.msvcrt is None and not p.can_fork()\n"
        "sys.exit(code)\n"
    )
    run = subprocess.run([sys.executable, "-c", script, "run", "-C", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (root / "locales/ko/r.po").is_file() and "0.0" in run.stdout
    helped = subprocess.run([sys.executable, "-c", script, "check", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "CPUs available" in helped.stdout


# --- paths: / in every file, whatever the OS ----------------------------------------------------


def test_release_names_and_shown_paths_use_slashes_under_windows_rules() -> None:
    assert release_name(PureWindowsPath("2023\\11"), "floods") == "2023/11/floods"
    assert release_name(PureWindowsPath("."), "floods") == "floods"
    assert release_name(PurePosixPath("2023/11"), "floods") == "2023/11/floods"
    root = PureWindowsPath("C:\\Users\\ana\\press")
    assert relative_posix(root / "locales" / "ko" / "a.po", root) == "locales/ko/a.po"
    assert relative_posix(PureWindowsPath("D:\\elsewhere\\x.tmx"), root) == "D:/elsewhere/x.tmx"


def test_references_in_catalogs_use_slashes(project: Make, cli: Cli) -> None:
    root = project({"2023/11/r.md": RELEASE})
    cli(root, "run")
    text = (root / "locales/templates/2023/11/r.pot").read_text()
    references = [line for line in text.splitlines() if line.startswith("#:")]
    assert references and all(line.startswith("#: source/2023/11/r.md:") for line in references)


# --- CRLF working copies -------------------------------------------------------------------------


def crlf(root: Path, *folders: str) -> list[Path]:
    """Convert every text file under the folders to CRLF, as a checkout with autocrlf does."""
    changed = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".po", ".pot", ".md", ".txt", ".html"}:
                path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
                changed.append(path)
    return changed


def test_crlf_checkout_is_read_and_left_as_it_was(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE}, locales=("ko", "fr"))
    cli(root, "run")
    fill(root / "locales/ko/r.po", lambda s: f"[ko] {s}")
    assert cli(root, "run").code == 0
    lf = snapshot(root)
    crlf(root, "source", "locales", "output")
    (root / ".locpress/state.json").unlink()
    checked_out = snapshot(root)
    again = cli(root, "run")
    assert again.code == 0, again.err
    assert "wrote" not in again.out and snapshot(root) == checked_out
    status = json.loads(cli(root, "status", "--format", "json").out)
    assert [r["reviewed"] for loc in status["locales"] for r in loc["releases"]] == [4, 0]
    assert {k: v.replace(b"\r\n", b"\n") for k, v in snapshot(root).items()} == lf


def test_a_translator_edit_in_a_crlf_catalog_is_built_and_stays_crlf(project: Make, cli: Cli) -> None:
    root = project({"r.md": RELEASE}, locales=("ko",))
    cli(root, "run")
    crlf(root, "source", "locales")
    po = root / "locales/ko/r.po"
    text = po.read_bytes().decode().replace("\r\n", "\n")
    po.write_bytes(text.replace('msgstr ""\n\n#', 'msgstr "KO"\n\n#', 1).replace("\n", "\r\n").encode())
    done = cli(root, "run")
    assert done.code == 0, done.err
    data = po.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and b'msgstr "KO"\r\n' in data
    assert cli(root, "run").out.count("wrote") == 0


def test_a_crlf_source_gives_the_same_catalogs_as_lf(project: Make, cli: Cli, tmp_path: Path) -> None:
    root = project({"r.md": RELEASE, "notes.txt": "Headline\n\nOne. Two.\n"}, locales=("ko",))
    cli(root, "run")
    lf = {k: v for k, v in snapshot(root).items() if k.startswith("locales/")}
    assert len(crlf(root, "source")) == 2
    for path in (root / "locales").rglob("*.po*"):
        path.unlink()
    assert cli(root, "run").code == 0
    again = {k: v for k, v in snapshot(root).items() if k.startswith("locales/")}
    assert again.keys() == lf.keys()
    for name in lf:
        strip = lambda data: b"\n".join(l for l in data.split(b"\n") if b"-Date:" not in l)  # noqa: E731
        assert strip(again[name]) == strip(lf[name]), name


@pytest.mark.parametrize(("current", "data", "suffix", "expected"), [
    (None, b"a\nb\n", ".po", b"a\nb\n"),                # a new file: LF
    (b"a\r\nb\r\n", b"a\nc\n", ".po", b"a\r\nc\r\n"),    # a CRLF copy stays CRLF
    (b"a\nb\r\n", b"a\nc\n", ".po", b"a\nc\n"),          # the first line decides
    (b"a\r\nb\r\n", b"a\r\nc\r\n", ".md", b"a\r\nc\r\n"),  # already CRLF (a CRLF source's output)
    (b"PK\r\n\x00", b"PK\n\x01", ".docx", b"PK\n\x01"),  # never in binary files
])
def test_line_endings_like(current: bytes | None, data: bytes, suffix: str, expected: bytes) -> None:
    assert line_endings_like(current, data, suffix) == expected


ORPHAN = """
import multiprocessing, os, sys, time
from locpress.run import portable
if sys.argv[1] == "no prctl":
    portable.libc = None  # the portable path: the worker watches its parent's sentinel


def worker(ready):
    portable.die_with_parent()
    ready.set()
    time.sleep(60)


if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    child = context.Process(target=worker, args=(ready,))
    child.start()
    ready.wait(30)
    print(child.pid, flush=True)
    os._exit(0)  # the parent goes at once, as under SIGKILL: no clean-up, no join
"""


@pytest.mark.skipif(not Path("/proc/self").is_dir() or "fork" not in __import__("multiprocessing")
                    .get_all_start_methods(), reason="forks a worker and watches it in /proc")
@pytest.mark.parametrize("how", ["prctl", "no prctl"])
def test_a_worker_dies_with_its_parent(how: str) -> None:
    parent = subprocess.run([sys.executable, "-c", ORPHAN, how], capture_output=True, text=True, timeout=60)
    pid = int(parent.stdout)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not Path(f"/proc/{pid}").exists() or b"Z" in Path(f"/proc/{pid}/stat").read_bytes().split(b")")[-1][:3]


def test_exchange_errors_other_than_unsupported_raise(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"1")
    if not portable.exchange(tmp_path / "a", tmp_path / "a"):
        pytest.skip("no exchange on this file system")
    with pytest.raises(FileNotFoundError):
        portable.exchange(tmp_path / "a", tmp_path / "missing")
