"""No lost save: a translator saving a catalog in a tight loop while locpress rewrites it.

An editor process (tests/saver.py) saves the catalog over and over, each save with one more
reviewed translation changed, and stops after a random number of saves, so its last save
lands anywhere in the command's read-merge-write. After each trial the last save's
translations must be in the catalog — for saves by temporary file and rename, always; for
saves in place, unless the command printed a warning naming the catalog. Then the unit
tests of the exchange primitive and of the path taken where there is no exchange.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Result

from locpress.gettext.catalog import parse_po, write_po
from locpress.run import portable, runner, store

Make = Callable[..., Path]
Cli = Callable[..., Result]
HERE = Path(__file__).resolve().parent
SAVED = [f"Sentence {k} is what the translator keeps revising." for k in range(4)]
OTHER = [f"Paragraph {k} tells of {k * 3} boats that reached the coast." for k in range(24)]
TRIALS = 4  # per command and kind of save; bench/stress_saves.py runs hundreds


class Saver:
    """The editor process: one session per trial."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / "saver.py")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.going = True  # no session yet

    def start(self, path: Path, mode: str, saves: int, pause: float = 0.0001) -> None:
        """Begin a session: the editor loads the catalog, then waits for `go`."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"path": str(path), "mode": mode, "msgids": SAVED, "saves": saves,
                                             "pause": pause, "wait": True}) + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline() == "ready\n"
        self.going = False

    def go(self) -> None:
        """Start saving (once per session)."""
        assert self.process.stdin is not None
        if not self.going:
            self.going = True
            self.process.stdin.write("go\n")
            self.process.stdin.flush()

    def last(self) -> dict[str, str]:
        """Wait for the session's end: what its last save held."""
        assert self.process.stdout is not None
        self.go()
        answer: dict[str, str] = json.loads(self.process.stdout.readline())["last"]
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


@pytest.fixture
def saver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Saver]:
    """The editor; it starts saving when locpress has just read the catalog (`READ_HOOK`),
    so its saves land in the command's merge and write, the moment that matters."""
    editor = Saver()

    def read(path: Path) -> None:
        if path.suffix == ".po":
            editor.go()

    monkeypatch.setattr(runner, "READ_HOOK", read)
    yield editor
    editor.close()


def translations(path: Path) -> dict[str, str]:
    return {m.msgid: m.msgstr for m in parse_po(path.read_bytes(), str(path)).messages if not m.obsolete}


def reviewed(data: bytes, texts: dict[str, str], fuzzy: bool = False) -> bytes:
    """The catalog with `texts` as its translations (reviewed, or fuzzy)."""
    catalog = parse_po(data, "a.po")
    for message in catalog.messages:
        if message.msgid in texts:
            message.msgstr = texts[message.msgid]
            message.flags = ["fuzzy"] if fuzzy and message.msgid not in SAVED else []
    return write_po(catalog).encode()


Scenes = tuple[Path, dict[str, tuple[bytes, list[str]]]]


@pytest.fixture
def scenes(project: Make, cli: Cli) -> Scenes:
    """A project and, per command, the catalog it starts from and its arguments."""
    return build_scenes(project, cli)


def build_scenes(project: Make, cli: Cli) -> Scenes:
    """(Also used by bench/stress_saves.py.)"""
    body = "\n\n".join([" ".join(SAVED), *OTHER])
    root = project({"a.md": f"# Boats\n\n{body}\n"}, locales=("fr",), extra='[pretranslate]\nengine = "pseudo"\n')
    assert cli(root, "extract").code == 0 and cli(root, "update").code == 0
    po = root / "locales/fr/a.po"
    base = {m: f"base {m}" for m in SAVED}
    empty = reviewed(po.read_bytes(), base)
    french = "\n\n".join([" ".join(f"Phrase {k} que la traductrice révise." for k in range(4)),
                          *(f"Le paragraphe {k} parle de {k * 3} bateaux arrivés sur la côte." for k in range(24))])
    past = root / "past/a.md"
    past.parent.mkdir()
    past.write_text(f"# Bateaux\n\n{french}\n", encoding="utf-8")
    filled = {m: f"fr {m}" for m in ["Boats", *OTHER]}
    fuzzy = reviewed(empty, {**base, **filled}, fuzzy=True)
    po.write_bytes(reviewed(empty, {**base, **filled}))
    assert cli(root, "xliff", "export", "--locale", "fr").code == 0
    xlf = root / "drafts/xliff/fr/a.xlf"
    (root / "source/a.md").write_text(f"# Boats\n\n{body}\n\nA new paragraph about the harbour.\n", encoding="utf-8")
    assert cli(root, "extract").code == 0
    return root, {
        "update": (empty, ["update"]),
        "pretranslate": (empty, ["pretranslate", "--locale", "fr"]),
        "align": (empty, ["align", str(root / "source/a.md"), str(past), "--locale", "fr"]),
        "xliff import": (empty, ["xliff", "import", str(xlf)]),
        "accept": (fuzzy, ["accept", "--locale", "fr"]),
    }


def put(path: Path, data: bytes) -> None:
    """Set a catalog back to a trial's start (as an editor would: a new file renamed over it)."""
    tmp = path.with_name(".reset~")
    tmp.write_bytes(data)
    os.replace(tmp, path)


COMMANDS = ["update", "pretranslate", "align", "xliff import", "accept"]


@dataclass
class Trial:
    """One command run while the editor saved: what was lost of its last save, and how the
    command ended."""

    command: str
    code: int
    out: str
    err: str
    lost: dict[str, str]
    warned: bool
    retried: bool


def trial(root: Path, scene: dict[str, tuple[bytes, list[str]]], cli: Cli, saver: Saver, command: str, mode: str,
          saves: int) -> Trial:
    po = root / "locales/fr/a.po"
    start, args = scene[command]
    put(po, start)
    saver.start(po, mode, saves)
    result = cli(root, *args)
    last = saver.last()
    final = translations(po)
    return Trial(command, result.code, result.out, result.err, {m: t for m, t in last.items() if final.get(m) != t},
                 any(line.startswith("warning: locales/fr/a.po:") for line in result.out.splitlines()),
                 "changed while locpress read it" in result.out)


@pytest.mark.parametrize("mode", ["rename", "inplace"])
def test_no_save_is_lost_while_commands_rewrite_the_catalog(scenes: Scenes, cli: Cli, saver: Saver, mode: str) -> None:
    root, scene = scenes
    rng = random.Random(13)
    outcomes: Counter[str] = Counter()
    for command in COMMANDS:
        for number in range(TRIALS):
            done = trial(root, scene, cli, saver, command, mode, rng.randint(1, 40))
            assert done.code in (0, 3), (command, done.err)
            if done.code == 3:  # a save on every attempt (or a catalog left half-saved): reported
                assert done.err.startswith("error: locales/fr/a.po:"), done.err
            if mode == "rename" or not done.warned:
                assert not done.lost, f"{command} trial {number}: lost {done.lost}\n{done.err}"
            outcomes["retried"] += done.retried
    assert outcomes["retried"] > 0  # the saves did land inside commands' read-merge-write
    assert not list(root.rglob("*.locpress-tmp")) and not list(root.rglob("*.locpress-keep"))


def test_a_run_after_the_saves_merges_the_last_one(scenes: Scenes,
                                                   cli: Cli, saver: Saver) -> None:
    root, scene = scenes
    po = root / "locales/fr/a.po"
    put(po, scene["update"][0])
    saver.start(po, "rename", 40)
    first = cli(root, "update")
    last = saver.last()
    assert first.code in (0, 3)
    assert cli(root, "update").code == 0
    final = translations(po)
    assert all(final[m] == t for m, t in last.items())
    assert "A new paragraph about the harbour." in final  # merged: the new template's entry is there


# --- the primitive ----------------------------------------------------------------------------

def test_exchange_swaps_two_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    inodes = first.stat().st_ino, second.stat().st_ino
    if not portable.exchange(first, second):
        pytest.skip("this file system has no atomic exchange")  # pragma: no cover - tmpfs and ext4 have it
    assert (first.read_bytes(), second.read_bytes()) == (b"two", b"one")
    assert (second.stat().st_ino, first.stat().st_ino) == inodes
    with pytest.raises(FileNotFoundError):
        portable.exchange(tmp_path / "missing", second)


def test_exchange_is_refused_where_the_call_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").write_bytes(b"one")
    (tmp_path / "b").write_bytes(b"two")
    monkeypatch.setattr(portable, "libc", None)
    assert portable.exchange(tmp_path / "a", tmp_path / "b") is False
    assert (tmp_path / "a").read_bytes() == b"one"


def commit(path: Path, data: bytes, expected: bytes | None) -> None:
    store.commit(path, store.temporary(path, data), expected)


@pytest.fixture(params=["exchange", "hard link"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of replacing a catalog: the exchange, and the fallback where there is none."""
    if request.param == "hard link":
        monkeypatch.setattr(portable, "exchange", lambda _first, _second: False)
    return str(request.param)


def test_commit_replaces_what_was_read(tmp_path: Path, way: str) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    commit(path, b"new", b"old")
    assert path.read_bytes() == b"new"
    assert store.settle() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_commit_keeps_a_save_made_since_the_read(tmp_path: Path, way: str) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"saved by the translator")
    inode = path.stat().st_ino
    with pytest.raises(store.Changed):
        commit(path, b"merged from an older read", b"old")
    assert path.read_bytes() == b"saved by the translator"
    assert path.stat().st_ino == inode  # their file itself, not a copy
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_commit_of_a_new_file_keeps_one_created_meanwhile(tmp_path: Path, way: str) -> None:
    path = tmp_path / "a.po"
    commit(path, b"first", None)
    assert path.read_bytes() == b"first"
    with pytest.raises(store.Changed):
        commit(path, b"second", None)
    assert path.read_bytes() == b"first"


def test_a_save_landing_while_one_is_put_back_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exchange brought out a save (X); while it is swapped back, a newer save (Y) lands:
    Y is what stays, whatever the order."""
    path = tmp_path / "a.po"
    path.write_bytes(b"X")
    real = portable.exchange
    calls: list[int] = []

    def exchange(first: Path, second: Path) -> bool:
        calls.append(1)
        if len(calls) == 2:  # the translator saves Y just before we swap X back
            newer = tmp_path / "y~"
            newer.write_bytes(b"Y")
            os.replace(newer, second)
        return real(first, second)

    monkeypatch.setattr(portable, "exchange", exchange)
    with pytest.raises(store.Changed):
        commit(path, b"ours", b"old")
    assert path.read_bytes() == b"Y"
    assert len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_without_exchange_a_save_between_link_and_rename_is_put_back(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback: a write in place into the old file before our rename is found in the
    hard-linked copy afterwards, and that file is restored."""
    monkeypatch.setattr(portable, "exchange", lambda _first, _second: False)
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    real = store.install

    def install(tmp: Path, target: Path) -> None:
        if target == path and tmp.name.endswith(store.TEMP_SUFFIX):
            with open(path, "r+b") as handle:  # an editor writing in place just before the rename
                handle.write(b"new")
        real(tmp, target)

    monkeypatch.setattr(store, "install", install)
    with pytest.raises(store.Changed):
        commit(path, b"ours", b"old")
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_a_late_write_into_the_replaced_file_is_kept_and_reported(tmp_path: Path, way: str) -> None:
    (tmp_path / ".locpress").mkdir()
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    with open(path, "r+b") as editor:  # opened before locpress replaced the file
        commit(path, b"merged", b"old")
        editor.write(b"late")
    assert path.read_bytes() == b"merged"
    [(where, what)] = store.settle()
    assert where == path and "in place" in what
    [kept] = (tmp_path / store.RECOVERED).iterdir()
    assert kept.read_bytes() == b"late"


def test_until_settled_retries_what_changed_and_gives_up(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def attempt(items: object) -> list[str]:
        batch = list(items)  # type: ignore[call-overload]
        seen.append(batch)
        return [i for i in batch if i == "busy" or (i == "once" and len(seen) == 1)]

    left = store.until_settled(["a", "once", "busy"], attempt, lambda _item: None)
    assert left == ["busy"]
    assert seen[0] == ["a", "once", "busy"] and seen[1] == ["once", "busy"] and seen[2] == ["busy"]
    assert len(seen) == store.ATTEMPTS


def test_temporary_names_are_unique_and_stale_ones_are_swept(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    first, second = store.temporary(path, b"1"), store.temporary(path, b"2")
    assert first != second and first.read_bytes() == b"1" and second.read_bytes() == b"2"
    dead = tmp_path / f".a.po.{2**22 + 12345}.0000{store.TEMP_SUFFIX}"  # no such pid (above pid_max's default)
    dead.write_bytes(b"left by a killed run")
    assert store.sweep(tmp_path) == [dead]
    assert first.exists() and second.exists()  # this process's own


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="which process holds a file open: Linux /proc")
def test_an_editor_still_holding_the_replaced_file_open_is_reported(tmp_path: Path, way: str) -> None:
    """A write it makes after the command ended could not be seen: the loss is not ruled
    out, so it is reported."""
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    editor = subprocess.Popen([sys.executable, "-c", "import sys; f = open(sys.argv[1], 'r+b'); print('open', "
                               "flush=True); sys.stdin.readline()", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert editor.stdout is not None and editor.stdin is not None
    try:
        assert editor.stdout.readline() == "open\n"
        commit(path, b"merged", b"old")
        [(where, what)] = store.settle()
        assert where == path and f"process {editor.pid} (an editor?) still has the file" in what
    finally:
        editor.stdin.close()
        editor.wait(10)
    commit(path, b"merged again", b"merged")  # nobody holds it: nothing to report
    assert store.settle() == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="which process holds a file open: Linux /proc")
def test_the_cli_warns_about_an_editor_holding_the_replaced_catalog(scenes: Scenes, cli: Cli) -> None:
    root, scene = scenes
    po = root / "locales/fr/a.po"
    put(po, scene["update"][0])
    editor = subprocess.Popen([sys.executable, "-c", "import sys; f = open(sys.argv[1], 'r+b'); print('open', "
                               "flush=True); sys.stdin.readline()", str(po)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert editor.stdout is not None and editor.stdin is not None
    try:
        assert editor.stdout.readline() == "open\n"
        result = cli(root, "update")
    finally:
        editor.stdin.close()
        editor.wait(10)
    assert result.code == 0
    assert f"warning: locales/fr/a.po: process {editor.pid} (an editor?) still has the file" in result.out
