"""The one seam between locpress and the operating system's non-portable calls.

Linux, macOS and Windows differ in how a file is locked, how written data is made durable,
how many CPUs a process may use and how worker processes start. Every such call goes through
this module, is looked up when it is made (never at import or argument-parsing time), and has
a portable fallback; tests take the Linux-only calls away (`monkeypatch.setattr(portable,
"fcntl", None)`, ...) to run the Windows and macOS code paths here.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterable
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Any

try:  # POSIX
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt as _msvcrt  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    _msvcrt = None

fcntl: Any = _fcntl
msvcrt: Any = _msvcrt
LOCK_POLL = 0.05  # seconds between attempts where the OS has no blocking lock (Windows)


def try_lock(handle: IO[bytes]) -> bool:
    """Take the exclusive lock on an open file without waiting; False when another holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True
    if msvcrt is not None:
        handle.seek(0)
        try:  # a one-byte region lock; it may lie beyond the end of the file
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    return True  # no lock on this platform: one command at a time is the user's to keep


def lock(handle: IO[bytes]) -> None:
    """Take the exclusive lock, waiting as long as another process holds it."""
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        return
    while not try_lock(handle):
        time.sleep(LOCK_POLL)


def unlock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    elif msvcrt is not None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def make_durable(paths: Iterable[Path]) -> None:
    """Flush written files to the disk: one `sync()` where the OS has it (a thousand fsyncs
    cost seconds), else an fsync of each file."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
        return
    for path in paths:
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def cpu_count() -> int:
    """CPUs this process may use: its affinity where the OS tells it, else all of them."""
    counted = getattr(os, "process_cpu_count", None)  # 3.13: the affinity where there is one
    if counted is None:
        affinity = getattr(os, "sched_getaffinity", None)  # Linux
        if affinity is not None:
            return max(1, len(affinity(0)))
        counted = os.cpu_count
    return max(1, counted() or 1)


def can_fork() -> bool:
    """Whether workers may be forked: on Linux, while this process runs one thread (a fork
    copies only the calling thread, so a lock another thread held would never be released in
    the child). macOS offers fork, but its system libraries are not fork-safe (CPython starts
    workers by spawn there), and Windows has none."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def worker_context() -> BaseContext:
    """How worker processes start: forked (they share what the parent parsed) where that is
    safe, else spawned (they import locpress again and read what they need)."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")
