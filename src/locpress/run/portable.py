"""The one seam between locpress and the operating system's non-portable calls.

Linux, macOS and Windows differ in how a file is locked, how written data is made durable,
how many CPUs a process may use and how worker processes start. Every such call goes through
this module, is looked up when it is made (never at import or argument-parsing time), and has
a portable fallback; tests take the Linux-only calls away (`monkeypatch.setattr(portable,
"fcntl", None)`, ...) to run the Windows and macOS code paths here.
"""

from __future__ import annotations

import ctypes
import errno
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Any

fcntl: Any
msvcrt: Any
try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None
try:  # Windows
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None
LOCK_POLL = 0.05  # seconds between attempts where the OS has no blocking lock (Windows)
#: The C library, for the calls Python has no wrapper for (renameat2, renamex_np, prctl);
#: None where there is none to load (tests set it to None to take the calls away).
libc: Any
try:
    libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None
except OSError:  # pragma: no cover - a POSIX system without a loadable C library
    libc = None
AT_FDCWD = -100
RENAME_EXCHANGE = 2  # Linux renameat2 flag
RENAME_SWAP = 2  # macOS renamex_np flag
PR_SET_PDEATHSIG = 1


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


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing files in one atomic step: each name then holds the other's file.
    Linux `renameat2(RENAME_EXCHANGE)`, macOS `renamex_np(RENAME_SWAP)`. False where there is
    no such call or the file system refuses it (EINVAL, ENOSYS, ENOTSUP: some network and
    FUSE file systems, Windows): the caller takes the slower path. Other errors raise."""
    if libc is None:
        return False
    old, new = os.fsencode(first), os.fsencode(second)
    if sys.platform.startswith("linux"):
        call = getattr(libc, "renameat2", None)
        result = call(AT_FDCWD, old, AT_FDCWD, new, RENAME_EXCHANGE) if call is not None else None
    elif sys.platform == "darwin":
        call = getattr(libc, "renamex_np", None)
        result = call(old, new, RENAME_SWAP) if call is not None else None
    else:
        result = None
    if result is None:
        return False
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            return False
        raise OSError(code, os.strerror(code), str(first))
    return True


def process_start(pid: int) -> str | None:
    """A mark of a running process that a new process given the same pid would not share
    (its start time where the OS says it: Linux's /proc), "" when only its existence is
    known, None when no such process runs."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[-1].split()
        if fields[0] in (b"Z", b"X"):
            return None  # ended, not yet reaped (a container's init may never reap it)
        return fields[19].decode()  # field 22, starttime: the fields after the name start at 3
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return None  # /proc is there and the process is not
    except (OSError, IndexError):
        pass
    if os.name != "posix":
        return ""  # Windows: os.kill would end the process; a lock is released with its holder anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return ""
    return ""


def writers_of(names: set[str]) -> dict[str, int]:
    """Which of these unlinked files another process holds open for writing: name -> pid.
    Linux (/proc, the processes this user may look into); empty where the OS does not say."""
    found: dict[str, int] = {}
    if not names or not os.path.isdir("/proc/self/fd"):
        return found
    me = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == me:
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if not target.endswith(" (deleted)") or target[:-10] not in names:
                continue
            try:
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    flags = next((int(line.split()[1], 8) for line in info if line.startswith("flags:")), 0)
            except (OSError, ValueError):
                flags = os.O_RDWR  # cannot tell: count it
            if flags & (os.O_WRONLY | os.O_RDWR):
                found[target[:-10]] = int(pid)
    return found


def die_with_parent(inherited: Iterable[int] = ()) -> None:
    """In a worker process, at its start: end when the process that started it ends, even
    killed outright (a SIGKILLed run must not leave workers behind holding files open).
    Linux: `prctl(PR_SET_PDEATHSIG, SIGKILL)`; everywhere, also a thread that waits on the
    parent's sentinel (a pipe or handle that closes when the parent goes) and ends the
    process. `inherited` are descriptors a forked worker must not keep (the project lock)."""
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:
            pass
    parent = multiprocessing.parent_process()
    if libc is not None and sys.platform.startswith("linux"):
        call = getattr(libc, "prctl", None)
        if call is not None:
            call(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent is not None and parent.pid is not None and sys.platform.startswith("linux") and os.getppid() != parent.pid:
        os._exit(1)  # the parent went before the call above could take effect
    sentinel = getattr(parent, "sentinel", None) if parent is not None else None
    if sentinel is not None:
        threading.Thread(target=_end_with, args=(sentinel,), daemon=True, name="locpress-parent").start()


def _end_with(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)
