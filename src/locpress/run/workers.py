"""Parallel workers: a stage's items cut into one chunk per core, run in forked (or spawned)
copies of the runner, and what each did taken back (reports, errors, run-state changes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

from locpress import errors as errors_module
from locpress.config import Config
from locpress.errors import LocpressError
from locpress.run import portable
from locpress.run import project as project_module
from locpress.run.project import (
    Release,
    Writer,
)
from locpress.run.runner import Runner, _quiet
from locpress.stages.report import Report

PARALLEL_ITEMS = 400  # below this many (locale, release) items, worker processes cost more than they save
_FORKED: list[tuple[Runner, str, list[list[tuple[str, Release]]], Callable[[str, Release], None]]] = []


@dataclass
class _Outcome:
    """What a forked worker reports back: plain data, so it crosses the process boundary."""

    written: list[str]
    notes: list[str]
    errors: list[tuple[str, str, str | None, int | None]]
    failed: set[tuple[str, str]]
    state: dict[str, object]
    dropped: list[str]
    withdrawn: list[str]
    gate_failures: list[str]


def _forked_chunk(index: int) -> _Outcome:
    """In a forked worker: run one chunk of a stage on the parent's copy of the pipeline."""
    pipeline, stage, chunks, work = _FORKED[0]
    return run_chunk(pipeline, stage, chunks[index], work)


def _spawned_chunk(kind: type[Runner], config: Config, state: dict[str, Any], failed: set[tuple[str, str]],
                   stage: str, chunk: list[tuple[str, Release]], draft: bool) -> _Outcome:
    """In a spawned worker (where fork is missing or unsafe): a new runner of the same kind
    over the same project, given the parent's run state, runs one chunk of a stage."""
    pipeline = kind(config, Report())
    pipeline.state.data = state
    pipeline.failed = set(failed)
    return run_chunk(pipeline, stage, chunk, pipeline.stage_work(stage, draft))


def _inherited(context: BaseContext) -> tuple[int, ...]:
    """The descriptors a forked worker must close: the project lock goes with the command."""
    return tuple(project_module.HELD) if context.get_start_method() == "fork" else ()


def _rebuilt(error: tuple[str, str, str | None, int | None]) -> LocpressError:
    """A worker's error as the same class again (the class decides the exit code)."""
    kind, message, path, line = error
    found = getattr(errors_module, kind, LocpressError)
    cls = found if isinstance(found, type) and issubclass(found, LocpressError) else LocpressError
    return cls(message, path, line)



def each_parallel(p: Runner, stage: str, items: Sequence[tuple[str, Release]], draft: bool = False) -> None:
    """`_each` on every core: the items are cut into one chunk per worker (by release, so
    a template is read by one worker), each worker runs `_each` on its chunk — in a forked
    copy of this pipeline, or a spawned one where fork is missing or unsafe — and hands
    back what it reported and what the run state learnt.
    """
    work = p.stage_work(stage, draft)
    workers = min(portable.cpu_count(), 4)
    if len(items) < PARALLEL_ITEMS or workers < 2:
        p.each(stage, items, work)
        return
    names = sorted({release.name for _locale, release in items})
    slot = {name: index % workers for index, name in enumerate(names)}
    chunks: list[list[tuple[str, Release]]] = [[] for _ in range(workers)]
    for item in items:
        chunks[slot[item[1].name]].append(item)
    p.progress(stage, 0, len(items))
    context = portable.worker_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=portable.die_with_parent,
                             initargs=(_inherited(context),)) as pool:
        if context.get_start_method() == "fork":
            _FORKED[:] = [(p, stage, chunks, work)]
            try:
                outcomes = list(pool.map(_forked_chunk, range(len(chunks))))
            finally:
                _FORKED.clear()
        else:
            outcomes = list(pool.map(_spawned_chunk, *zip(*[
                (type(p), p.config, p.state.data, p.failed, stage, chunk, draft) for chunk in chunks])))
    for outcome in outcomes:
        absorb(p, outcome)
    p.progress(stage, len(items), len(items))


def run_chunk(p: Runner, stage: str, chunk: list[tuple[str, Release]], work: Callable[[str, Release], None]) -> _Outcome:
    """In a worker: `_each` over one chunk with a fresh report and writer."""
    p.report = Report()
    p.writer = Writer()
    p.deferred = []
    p.progress = _quiet
    before = dict(p.state.data)
    failed_before = set(p.failed)
    p.each(stage, chunk, work)
    p.settle()
    after = p.state.data
    return _Outcome(
        written=p.report.written, notes=p.report.notes,
        errors=[(type(e).__name__, e.message, e.path, e.line) for e in p.report.errors],
        failed=p.failed - failed_before,
        state={k: v for k, v in after.items() if before.get(k) != v},
        dropped=[k for k in before if k not in after],
        withdrawn=p.report.withdrawn, gate_failures=p.report.gate_failures)


def absorb(p: Runner, outcome: _Outcome) -> None:
    """Take in what a worker did: reports, errors, failures and run-state changes."""
    p.report.written.extend(outcome.written)
    p.report.notes.extend(outcome.notes)
    p.report.withdrawn.extend(outcome.withdrawn)
    p.report.gate_failures.extend(outcome.gate_failures)
    p.report.errors.extend(_rebuilt(error) for error in outcome.errors)
    p.failed.update(outcome.failed)
    for key, value in outcome.state.items():
        p.state.put(key, value)
    for key in outcome.dropped:
        p.state.drop(key)
    p.state.stats.clear()  # the workers wrote files this process may have stat'ed
