"""Count lost saves: a translator's editor saving a catalog while locpress rewrites it.

    python bench/stress_saves.py [--trials 100] [--seed 1] [--results]

For each of `update`, `pretranslate`, `align`, `xliff import` and `accept`, and each kind of
save (`rename`: temporary file + rename, as Poedit and Lokalize; `inplace`: the catalog
rewritten in place), runs the command `--trials` times through the CLI while an editor
process (tests/saver.py) saves 1-40 times, starting the moment locpress has read the catalog.
A save is lost when its reviewed translations are not in the catalog afterwards; for saves in
place, a loss the command warned about (a `warning:` line naming the catalog, its content
kept in .locpress/recovered/) is counted apart from a silent one.

Then the windows, measured on this machine over 2,000 commits each: with the exchange, the
time from the swap to the end of the comparison of what came out (a save landing then is
found and swapped back: no window); without it (the hard-link path), the time from the last
check to the rename, during which a rename-save would be lost.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import Result  # noqa: E402
from test_saves import COMMANDS, Saver, build_scenes, trial  # noqa: E402

from locpress.cli import main  # noqa: E402
from locpress.run import pipeline, portable, store  # noqa: E402


def cli(root: Path, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([args[0], "-C", str(root), *args[1:]])
    return Result(code, out.getvalue(), err.getvalue())


def project_maker(base: Path) -> Callable[..., Path]:
    def make(files: dict[str, str], locales: tuple[str, ...] = ("ko",), extra: str = "") -> Path:
        root = base / "project"
        root.mkdir()
        listed = ", ".join(f'"{loc}"' for loc in locales)
        (root / "locpress.toml").write_text(f'source_locale = "en"\nlocales = [{listed}]\n{extra}')
        for name, text in files.items():
            (root / "source").mkdir(exist_ok=True)
            (root / "source" / name).write_text(text, encoding="utf-8")
        return root
    return make


def stress(trials: int, seed: int, only: str = "") -> list[str]:
    rng = random.Random(seed)
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        root, scene = build_scenes(project_maker(Path(folder)), cli)
        saver = Saver()
        pipeline.READ_HOOK = lambda path: saver.go() if path.suffix == ".po" else None
        try:
            for mode in ("rename", "inplace"):
                for command in COMMANDS:
                    if only and only not in (mode, command, f"{command}/{mode}"):
                        continue
                    counts: Counter[str] = Counter()
                    for _ in range(trials):
                        done = trial(root, scene, cli, saver, command, mode, rng.randint(1, 40))
                        counts["lost"] += bool(done.lost) and not done.warned
                        if done.lost and not done.warned:
                            print(f"lost: {command}/{mode}: {done.lost}\n{done.out}{done.err}", flush=True)
                        counts["warned"] += done.warned
                        counts["warned, not lost"] += done.warned and not done.lost
                        counts["retried"] += done.retried
                        counts["exit 3"] += done.code == 3
                    lines.append(f"| {command} | {mode} | {trials} | {counts['lost']} | {counts['warned']} "
                                 f"| {counts['retried']} | {counts['exit 3']} |")
                    print(lines[-1], flush=True)
        finally:
            pipeline.READ_HOOK = None
            saver.close()
    return lines


def windows(commits: int = 2000) -> list[str]:
    """Microseconds: exchange -> end of comparison; hard-link path: last check -> rename."""
    found: dict[str, list[float]] = {"exchange": [], "hard link": []}
    real_exchange, real_install = portable.exchange, store.install
    mark: list[int] = []

    def exchange(first: Path, second: Path) -> bool:
        done = real_exchange(first, second)
        mark[:] = [time.perf_counter_ns()]
        return done

    def watch(path: Path, handle: IO[bytes], data: bytes) -> None:
        if mark:
            found[way].append((time.perf_counter_ns() - mark[0]) / 1000)
        mark.clear()
        handle.close()

    def install(tmp: Path, path: Path) -> None:
        if way == "hard link" and mark:
            found[way].append((time.perf_counter_ns() - mark[0]) / 1000)
        mark.clear()
        real_install(tmp, path)

    real_stat = store.os.stat
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.po"
        data = b'msgid ""\nmsgstr ""\n' + b"x" * 20000
        path.write_bytes(data)
        saved_watch = store._watch
        store._watch = watch  # type: ignore[assignment]
        store.install = install  # type: ignore[assignment]
        try:
            for way in ("exchange", "hard link"):
                portable.exchange = exchange if way == "exchange" else (lambda _a, _b: False)  # type: ignore[assignment]
                if way == "hard link":  # the last check is the inode comparison just before the rename
                    def stat(target: object, *args: object, **kwargs: object) -> object:
                        answer = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
                        if str(target) == str(path):
                            mark[:] = [time.perf_counter_ns()]
                        return answer
                    store.os.stat = stat  # type: ignore[assignment]
                for index in range(commits):
                    new = data + str(index).encode()
                    store.commit(path, store.temporary(path, new), data)
                    data = new
                store.os.stat = real_stat
        finally:
            portable.exchange, store.install, store._watch = real_exchange, real_install, saved_watch  # type: ignore[assignment]
            store.os.stat = real_stat
    lines = []
    for way, values in found.items():
        values.sort()
        lines.append(f"| {way} | {len(values)} | {statistics.median(values):.1f} | "
                     f"{values[int(len(values) * 0.99)]:.1f} | {values[-1]:.1f} |")
        print(lines[-1], flush=True)
    return lines


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", action="store_true", help="append the tables to bench/RESULTS.md")
    parser.add_argument("--only", default="", help="one command, one kind of save, or command/kind")
    args = parser.parse_args()
    started = time.monotonic()
    table = stress(args.trials, args.seed, args.only)
    measured = windows()
    print(f"{time.monotonic() - started:.0f} s")
    if args.results:
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write("\n| command | saves | trials | silent losses | warned | retried | exit 3 |\n"
                      "|---|---|---|---|---|---|---|\n" + "\n".join(table) + "\n")
            out.write("\n| path | commits | median µs | p99 µs | max µs |\n|---|---|---|---|---|\n"
                      + "\n".join(measured) + "\n")


if __name__ == "__main__":
    main_()
