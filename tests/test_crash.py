"""A lighter version of bench/stress_kill.py: SIGKILL `locpress run` midway, lose nothing."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from locpress.gettext.catalog import parse_po, write_po

LOCPRESS = [sys.executable, "-m", "locpress.cli"]


def release(i: int, version: int) -> str:
    body = "\n\n".join(
        f"Paragraph {j} of release {i} says {version * 7 + j} people were helped. IOM teams arrived on day {j}."
        for j in range(12))
    return f"---\ntitle: Release {i} about floods\n---\n\n# Release {i}\n\n{body}\n"


def test_killed_runs_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for i in range(25):
        path = root / "source" / f"r{i:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(release(i, 0))
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "fr", "ar"]\n')
    assert subprocess.run([*LOCPRESS, "run"], cwd=root, capture_output=True).returncode == 0
    reviewed: dict[tuple[str, str], str] = {}
    for po in sorted((root / "locales/ko").glob("r0*.po")):
        catalog = parse_po(po.read_bytes(), str(po))
        for message in catalog.messages:
            message.msgstr = "검토 " + message.msgid
            reviewed[(po.name, message.msgid)] = message.msgstr
        po.write_text(write_po(catalog))
    rng = random.Random(7)
    for round_ in range(5):
        for i in range(25):
            (root / "source" / f"r{i:02d}.md").write_text(release(i, round_ + 1))
        process = subprocess.Popen([*LOCPRESS, "run", "--draft"], cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for po in [p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot")]:
            catalog = parse_po(po.read_bytes(), str(po))  # raises on any half-written file
            if po.parent.name == "ko" and po.name.startswith("r0"):
                texts = {m.msgstr for m in catalog.messages}
                lost = [k for (name, k), v in reviewed.items() if name == po.name and v not in texts]
                assert not lost, f"round {round_}: {po.name} lost {lost[:2]}"
    final = subprocess.run([*LOCPRESS, "run", "--draft"], cwd=root, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    again = subprocess.run([*LOCPRESS, "run", "--draft"], cwd=root, capture_output=True, text=True)
    assert "wrote" not in again.stdout
    assert not list(root.rglob("*.locpress-tmp"))


def short(i: int, version: int) -> str:
    return f"# Release {i}\n\nRelease {i} says {version * 7} people were helped. Teams arrived on day {i}.\n"


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != b"Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc (Linux)")
def test_killing_the_main_process_ends_its_workers_and_frees_the_lock(tmp_path: Path) -> None:
    """SIGKILL of `locpress run` while its workers run: no worker outlives it (they die with
    their parent), the next run takes the lock and completes, and every file is valid."""
    root = tmp_path / "p"
    for i in range(100):  # 100 releases x 4 locales: enough items for worker processes
        path = root / "source" / f"r{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(short(i, 0))
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "fr", "ar", "de"]\n')
    assert subprocess.run([*LOCPRESS, "run"], cwd=root, capture_output=True, timeout=300).returncode == 0
    for round_ in range(1):
        for i in range(100):
            (root / "source" / f"r{i:03d}.md").write_text(short(i, round_ + 1))
        process = subprocess.Popen([*LOCPRESS, "run"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while not workers and process.poll() is None and time.monotonic() < deadline:
            workers = children(process.pid)
            time.sleep(0.005)
        assert workers, "the run ended before its workers could be seen"
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if alive(w)], "workers outlived the killed run"
        again = subprocess.run([*LOCPRESS, "run", "--no-wait"], cwd=root, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        files = [p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot")]
        for po in files:
            parse_po(po.read_bytes(), str(po))
        for po in files[:: 10] if shutil.which("msgfmt") else []:
            checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
    assert not list(root.rglob("*.locpress-tmp"))
