"""Concurrency: two locpress commands on one project, a translator saving while locpress
writes, and Ctrl-C. The second command waits for the project lock (or, with --no-wait,
fails at once with exit 3); a catalog saved meanwhile is read again, never overwritten.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Result
from mt_server import MTServer

from locpress.gettext.catalog import parse_po, write_po
from locpress.run import pipeline
from locpress.run import project as project_mod
from locpress.stages import update as update_stage

Make = Callable[..., Path]
Cli = Callable[..., Result]
LOCPRESS = [sys.executable, "-m", "locpress.cli"]
WAITING = "waiting for another locpress command on this project to finish\n"
A = "# Title\n\nOne sentence. Two sentences.\n"
B = "# Other\n\nAnother release.\n"


def translated(path: Path, msgid: str, msgstr: str) -> None:
    """What a translator's editor does: read the catalog, change one entry, save it."""
    catalog = parse_po(path.read_bytes(), str(path))
    for message in catalog.messages:
        if message.msgid == msgid:
            message.msgstr, message.flags = msgstr, []
    path.write_text(write_po(catalog), encoding="utf-8")


def entries(path: Path) -> dict[str, str]:
    return {m.msgid: m.msgstr for m in parse_po(path.read_bytes(), str(path)).messages if not m.obsolete}


@pytest.fixture
def held() -> Iterator[tuple[MTServer, threading.Event, threading.Event]]:
    """A local MT server whose first answer waits until the test lets it go: the `run`
    asking it holds the project lock meanwhile."""
    asked, go = threading.Event(), threading.Event()

    def hold(_text: str) -> None:
        if not asked.is_set():
            asked.set()
            go.wait(30)

    with MTServer(on_request=hold) as server:
        yield server, asked, go
        go.set()


def test_a_second_run_waits_for_the_first_and_no_wait_fails(project: Make, held: tuple[MTServer, threading.Event,
                                                                                          threading.Event]) -> None:
    mt, asked, go = held
    root = project({"a.md": A, "b.md": B}, extra=f'[pretranslate]\nengine = "libre"\n[engines.libre]\n'
                                                 f'url = "{mt.endpoint("libre")}"\nconcurrency = 1\n')
    env = {**os.environ, "LOCPRESS_LIBRE_API_KEY": "k"}
    start = lambda *args: subprocess.Popen([*LOCPRESS, *args], cwd=root, env=env, text=True,  # noqa: E731
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = start("run", "--draft")
    assert asked.wait(30), "the first run never reached the engine"
    second = start("run", "--draft")
    assert second.stderr is not None and second.stderr.readline() == WAITING  # said at once, then blocks
    refused = subprocess.run([*LOCPRESS, "run", "--no-wait"], cwd=root, env=env, capture_output=True, text=True)
    assert (refused.returncode, refused.stderr) == (
        3, "error: .locpress/lock: another locpress command is running on this project\n")
    assert first.poll() is None and second.poll() is None  # the first works, the second waits
    go.set()
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert (first.returncode, err1) == (0, "") and (second.returncode, err2) == (0, ""), err1 + err2
    assert "wrote locales/ko/a.po" in out1 and "wrote" not in out2  # the second found everything done
    assert max(Counter(mt.texts).values()) == 1  # no text sent twice: the second read the first's cache
    for po in (root / "locales/ko/a.po", root / "locales/ko/b.po"):
        assert all(text.startswith("<ko>") for text in entries(po).values())
    assert not list(root.rglob("*.locpress-tmp"))


@pytest.mark.parametrize("moment", ["after locpress read it", "just before locpress renames its own"])
def test_a_catalog_saved_during_update_is_read_again(project: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                     moment: str) -> None:
    root = project({"a.md": A, "b.md": B})
    assert cli(root, "run").code == 0
    po = root / "locales/ko/a.po"
    (root / "source/a.md").write_text(A.replace("Two sentences.", "Two sentences. A third one."))
    saved: list[str] = []

    def translator_saves() -> None:
        if not saved:
            translated(po, "Title", "제목")
            saved.append(moment)

    if moment == "after locpress read it":
        read = pipeline.Pipeline.catalog

        def catalog(self: pipeline.Pipeline, path: Path) -> object:
            found = read(self, path)
            if path == po:
                translator_saves()
            return found

        monkeypatch.setattr(pipeline.Pipeline, "catalog", catalog)
    else:
        flush = project_mod.Writer.flush

        def flush_after_save(self: project_mod.Writer) -> list:
            if any(path == po for _tmp, path in self.pending):
                translator_saves()
            return flush(self)

        monkeypatch.setattr(project_mod.Writer, "flush", flush_after_save)
    result = cli(root, "run")  # extract, then update: the catalog has work to do
    assert saved and result.code == 0, result.err
    assert "note: locales/ko/a.po changed while locpress read it; reading it again" in result.out
    got = entries(po)
    assert got["Title"] == "제목" and "A third one." in got  # the translator's save, merged with the update
    assert not list(root.rglob("*.locpress-tmp"))


def test_ctrl_c_midway_leaves_every_file_whole(project: Make, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({f"r{i}.md": f"# Release {i}\n\nText {i}.\n" for i in range(6)})
    assert cli(root, "run").code == 0
    translated(root / "locales/ko/r0.po", "Release 0", "보도 0")
    for i in range(6):
        (root / f"source/r{i}.md").write_text(f"# Release {i}\n\nText {i}, revised.\n")
    merge, calls = update_stage.merge, []

    def interrupted(*args: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return merge(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(update_stage, "merge", interrupted)
    result = cli(root, "run")
    assert (result.code, result.err) == (130, "error: interrupted\n")
    for po in sorted((root / "locales").rglob("*.po*")):
        parse_po(po.read_bytes(), str(po))  # whole: the old file or the new, never half
    assert entries(root / "locales/ko/r0.po")["Release 0"] == "보도 0"
    assert not list(root.rglob("*.locpress-tmp"))
    monkeypatch.setattr(update_stage, "merge", merge)
    assert cli(root, "run").code == 0
    assert "Text 5, revised." in entries(root / "locales/ko/r5.po")
