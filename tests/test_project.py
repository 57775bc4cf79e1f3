"""The project on disk: discovery, confinement, atomic writes, locking, run state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from locpress import config
from locpress.errors import ConfigError, LocpressError
from locpress.run import portable, project


def make(tmp_path: Path, files: dict[str, str]) -> project.Project:
    for name, text in files.items():
        path = tmp_path / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project.Project(config.from_dict({"locales": ["ko"]}, tmp_path))


def test_release_names_are_paths_without_extension(tmp_path: Path) -> None:
    p = make(tmp_path, {"2023/11/climate-dialogue.md": "# A\n", "seed.txt": "A\n", "notes.rst": "x", ".hidden.md": "x"})
    assert [(r.name, r.suffix) for r in p.releases()] == [("2023/11/climate-dialogue", ".md"), ("seed", ".txt")]
    assert [r.name for r in p.releases(["2023/*"])] == ["2023/11/climate-dialogue"]
    assert [r.name for r in p.releases(["*.txt"])] == ["seed"]
    release = p.releases()[0]
    assert p.catalog_path("zh_Hans", release) == p.root / "locales/zh_Hans/2023/11/climate-dialogue.po"
    assert p.output_path("ko", release) == p.root / "output/ko/2023/11/climate-dialogue.md"


def test_two_sources_for_one_release_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="two sources for release a"):
        make(tmp_path, {"a.md": "# A\n", "a.txt": "A\n"}).releases()


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# secret\n")
    root = tmp_path / "p"
    p = make(root, {"a.md": "# A\n"})
    os.symlink(outside, root / "source" / "leak.md")
    assert [r.name for r in p.releases()] == ["a"]  # the link is skipped, the rest discovered
    [error] = p.skipped_errors()
    assert (error.path, error.message) == ("source/leak.md", f"symlink leaves the project (to {outside}); skipped")
    assert p.skipped_errors(["b*"]) == [] and p.skipped_errors(["leak"]) == [error]


@pytest.mark.parametrize(("name", "problem"), [
    ("a\nb", "control character U+000A"), ("a\tb", "control character U+0009"), ("a\x1b[2Jb", "U+001B"),
    ("a\u2028b", "U+2028"), ("a\x85b", "U+0085"), ("a\\b", "backslash"),
    ("a\udcffb", "not UTF-8 (byte 0xff)"), ("a b", None), ("2023/명동 a", None), ("a\u00a0b", None)])
def test_names_that_a_reference_cannot_hold_are_refused(name: str, problem: str | None) -> None:
    found = project.name_problem(name)
    assert found is None if problem is None else problem in (found or "")


def test_printable_escapes_what_would_break_a_line_or_a_terminal() -> None:
    assert project.printable("source/x\ny\x1b.md") == "source/x\\ny\\x1b.md"
    assert project.printable("source/x\udcff.md") == "source/x\\xff.md"
    assert project.printable("source/명동 a.md") == "source/명동 a.md"


def test_folders_are_checked_before_anything_runs(tmp_path: Path) -> None:
    p = make(tmp_path / "p", {"a.md": "# A\n"})
    p.check_folders()  # absent folders are fine
    (tmp_path / "p" / ".locpress").write_text("a file")
    with pytest.raises(ConfigError, match="not a folder"):
        p.check_folders()
    (tmp_path / "p" / ".locpress").unlink()
    os.symlink(tmp_path / "p" / "source", tmp_path / "p" / "output")  # inside, but the same folder
    with pytest.raises(ConfigError, match="key 'source_dir' and key 'output_dir' must be separate folders"):
        p.check_folders()
    (tmp_path / "p" / "output").unlink()
    os.symlink(tmp_path, tmp_path / "p" / "locales")
    with pytest.raises(ConfigError, match="folder leaves the project"):
        p.check_folders()


def test_read_refuses_links_out_and_says_os_errors_in_one_line(tmp_path: Path) -> None:
    p = make(tmp_path / "p", {"a.md": "# A\n"})
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0")
    os.symlink(secret, tmp_path / "p" / "glossary.csv")
    with pytest.raises(LocpressError) as refused:
        p.read(p.glossary_path())
    assert "root:x" not in str(refused.value) and refused.value.path == "glossary.csv"
    os.symlink(tmp_path / "p" / "source" / "a.md", tmp_path / "p" / "inside.md")  # a link inside is followed
    assert p.read(tmp_path / "p" / "inside.md") == b"# A\n"
    (tmp_path / "p" / "folder.po").mkdir()
    with pytest.raises(LocpressError, match="cannot read: Is a directory"):
        p.read(tmp_path / "p" / "folder.po")
    assert p.read(tmp_path / "p" / "missing.po") is None


def test_paths_are_confined(tmp_path: Path) -> None:
    p = make(tmp_path, {"a.md": "# A\n"})
    with pytest.raises(ConfigError, match="path leaves the project"):
        p.catalog_path("../../x", project.Release("a", ".md"))


def test_write_atomic_skips_identical_content(tmp_path: Path) -> None:
    path = tmp_path / "d" / "f.po"
    assert project.write_atomic(path, b"one")
    mtime = path.stat().st_mtime_ns
    time.sleep(0.01)
    assert not project.write_atomic(path, b"one")
    assert path.stat().st_mtime_ns == mtime
    assert project.write_atomic(path, b"two") and path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["f.po"]  # no temporary file left


def test_write_atomic_refuses_to_overwrite_a_concurrent_edit(tmp_path: Path) -> None:
    path = tmp_path / "f.po"
    path.write_bytes(b"read by locpress")
    path.write_bytes(b"saved by a translator meanwhile")
    with pytest.raises(project.Changed):
        project.write_atomic(path, b"merged", expected=b"read by locpress", check=True)
    assert path.read_bytes() == b"saved by a translator meanwhile"
    fresh = tmp_path / "new.po"
    fresh.write_bytes(b"created meanwhile")  # a file that appeared since locpress looked counts too
    with pytest.raises(project.Changed):
        project.write_atomic(fresh, b"x", expected=None, check=True)


def test_write_atomic_keeps_old_file_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.po"
    path.write_bytes(b"old")

    def boom(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        project.write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.po"]


def test_lock_waits_or_fails(tmp_path: Path) -> None:
    messages: list[str] = []
    with project.locked(tmp_path):
        with pytest.raises(LocpressError, match="another locpress command is running"):
            with project.locked(tmp_path, wait=False):
                pass
        done = threading.Event()

        def second() -> None:
            with project.locked(tmp_path, on_wait=messages.append):
                done.set()

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        assert not done.is_set()
    thread.join(5)
    assert done.is_set() and messages == ["waiting for another locpress command on this project to finish"]


HOLDER = """
import os, subprocess, sys
from pathlib import Path
from locpress.run import project
with project.locked(Path(sys.argv[1])):
    heir = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=tuple(project.HELD),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(heir.pid, flush=True)
    os._exit(0)  # gone, while the process it started still holds the lock's descriptor
"""


def test_a_lock_whose_holder_is_gone_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.run([sys.executable, "-c", HOLDER, str(tmp_path)], capture_output=True, text=True, timeout=30)
    heir = int(holder.stdout)
    try:
        lock = tmp_path / ".locpress/lock"
        with open(lock, "a+b") as handle:
            assert not portable.try_lock(handle)  # the heir holds it
        with project.locked(tmp_path, wait=False):
            assert lock.read_text().split()[0] == str(os.getpid())
            with pytest.raises(LocpressError, match="another locpress command is running"):
                with project.locked(tmp_path, wait=False):
                    pass
    finally:
        os.kill(heir, signal.SIGKILL)


def test_the_lock_records_its_holder_and_a_live_one_is_waited_for(tmp_path: Path) -> None:
    with project.locked(tmp_path):
        pid, started = (tmp_path / ".locpress/lock").read_text().split()
        assert int(pid) == os.getpid() and started == portable.process_start(os.getpid())
    with project.locked(tmp_path, wait=False):  # released: taken at once
        pass


def test_a_same_size_edit_within_the_timestamp_tick_is_still_seen(tmp_path: Path) -> None:
    path = tmp_path / "f.po"
    path.write_text("msgstr one")
    recorded = project.stamp(path)
    assert recorded is not None and recorded[3]  # fresh file: content digest kept
    mtime = path.stat().st_mtime_ns
    path.write_text("msgstr two")  # same size...
    os.utime(path, ns=(mtime, mtime))  # ...and the same coarse timestamp
    assert not project.unchanged(recorded, path, os.stat(path))
    path.write_text("msgstr one")
    os.utime(path, ns=(mtime, mtime))
    assert project.unchanged(recorded, path, os.stat(path))


def test_old_files_are_compared_by_stat_alone(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    old = time.time() - 10
    os.utime(path, (old, old))
    recorded = project.stamp(path)
    assert recorded is not None and recorded[3] == ""
    assert project.unchanged(recorded, path, os.stat(path))
    assert project.stamp(tmp_path / "missing") is None
    assert not project.unchanged(recorded, tmp_path / "missing", None)


def test_state_fresh_and_remember(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("# A\n")
    state = project.State(tmp_path, "v1")
    assert not state.fresh("x:a", {"src": source})
    state.remember("x:a", {"src": source}, draft=True)
    assert state.fresh("x:a", {"src": source}, draft=True)
    assert not state.fresh("x:a", {"src": source}, draft=False)
    source.write_text("# B, longer\n")
    state.forget(source)
    assert not state.fresh("x:a", {"src": source}, draft=True)
    state.remember("x:a", {"src": tmp_path / "missing"})
    assert state.get("x:a") is None


def test_state_round_trip_and_version_reset(tmp_path: Path) -> None:
    state = project.State(tmp_path, "v1")
    state.put("x:a", {"src": [1, 2, 3]})
    state.save()
    assert project.State(tmp_path, "v1").get("x:a") == {"src": [1, 2, 3]}
    assert project.State(tmp_path, "v2").get("x:a") is None
    (tmp_path / ".locpress/state.json").write_text("{not json")
    assert project.State(tmp_path, "v1").get("x:a") is None
