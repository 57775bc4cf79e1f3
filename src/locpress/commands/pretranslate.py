"""Pre-translation: give translators a draft for every empty entry, and never pay twice.

Only empty entries are filled (a reviewed entry, or a fuzzy one with text, is never
touched), in this order: an exact translation-memory match (reviewed, or fuzzy with
`pretranslate.exact_tm = "fuzzy"`), a fuzzy match scoring at least `pretranslate.tm_min_score`
(fuzzy), then machine translation (fuzzy). Each filled entry says where it came from in a
`#. locpress: ...` comment, and gets `#. glossary: ...` hints for the terms it contains.

Machine translation sends each distinct text of a locale once, whatever the number of
releases that contain it; inline code, link targets, URLs, e-mail addresses, phone numbers,
HTML tags and do-not-translate terms travel as `[X1X]` tokens and are put back afterwards.
Every paid answer is cached before it is used and each catalog is saved as soon as its
release is complete, so an interrupted run resumes without re-sending anything.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from locpress.config import joins_without_space
from locpress.errors import ConfigError, LocpressError
from locpress.gettext.catalog import Catalog, write_po
from locpress.pretranslate import embargo, engines, llm, llm_stage
from locpress.pretranslate.masking import has_words, mask, restore
from locpress.pretranslate.masking import quoted as _quoted
from locpress.pretranslate.memory import CacheStats, LocaleStats, Memory, reviewed_pairs
from locpress.pretranslate.prefill import (
    PROVENANCE,
    Fill,
    Job,
    Loaded,
    Options,
    Results,
    Summary,
    apply,
    empty_entries,
    mt_fill,
    tm_fill,
)
from locpress.qa.glossary import Glossary
from locpress.qa.glossary import parse_bytes as parse_glossary
from locpress.run.project import Release, stamp

if TYPE_CHECKING:
    from locpress.run.pipeline import Pipeline

__all__ = ["PROVENANCE", "Fill", "Options", "Summary", "Pretranslation", "apply", "empty_entries", "mt_fill",
           "pretranslate", "tm_fill", "tm_rebuild", "tm_stats"]


class Pretranslation:
    """One `pretranslate` command over the selected releases and locales."""

    def __init__(self, pipeline: Pipeline, options: Options, environ: Mapping[str, str],
                 sleep: engines.Sleep | None = None, now: dt.datetime | None = None) -> None:
        self.pipeline = pipeline
        self.config = pipeline.config
        self.project = pipeline.project
        self.report = pipeline.report
        self.options = options
        self.environ = environ
        self.sleep = sleep
        self.summaries: list[Summary] = []
        self.budget = options.max_chars if options.max_chars is not None else self.config.max_chars
        self.glossary = Glossary()
        self.watched: dict[str, Path] = {}  # files besides the catalog that change the result
        self.stopped: LocpressError | None = None  # the engine failed for good: TM only from now on
        self.now = now or dt.datetime.now(dt.timezone.utc)
        self.check_contexts: dict[str, Any] = {}  # locale -> qa.context.Context (language-model answers)
        self.held_noted: set[str] = set()

    def run(self, releases: Sequence[Release], locales: Sequence[str]) -> list[Summary]:
        try:
            self.glossary = load_glossary(self.pipeline)
        except LocpressError as exc:  # no pre-translation without the do-not-translate list
            self.report.errors.append(exc)
            return []
        path = self.project.glossary_path()
        self.watched = {"glossary": path} if path.exists() else {}
        with open_memory(self.pipeline) as memory:
            for locale in locales:
                self.summaries.append(self._locale(memory, releases, locale))
        return self.summaries

    # --- one locale -------------------------------------------------------------------
    def _locale(self, memory: Memory, releases: Sequence[Release], locale: str) -> Summary:
        summary = Summary(locale, self.options.engine, self.options.dry_run)
        sync_memory(self.pipeline, memory, locale)
        engine = self._engine(locale)
        generation = memory.generation(locale)
        loaded = [r for r in (self._load(locale, release, generation) for release in releases) if r is not None]
        self._hold(loaded, engine, summary)
        jobs = self._plan(memory, locale, loaded, engine, summary)
        if isinstance(engine, llm.LLMEngine):
            answers = llm_stage.run(self, memory, engine, loaded, jobs, summary)
            if not self.options.dry_run:
                self._save_all(loaded, answers, jobs, engine, summary)
                summary.requests, summary.characters = engine.requests, engine.characters
            return summary
        pieces = list(dict.fromkeys(p for job in jobs.values() for p, _ in job.pieces))
        cached = {} if engine is None or engine.free else memory.cached(engine.name, engine.source,
                                                                         engine.target, pieces)
        summary.cache_hits = sum(1 for p in pieces if p in cached)
        send = self.within_budget([p for p in pieces if p not in cached], summary)
        if self.options.dry_run:
            summary.characters = sum(len(p) for p in send)
            return summary
        pool = None
        results: Results = dict(cached)
        try:
            if engine is not None and send:
                pool = self._translate(memory, engine, send, results, summary)
            self._save_all(loaded, results, jobs, engine, summary)
        finally:
            if pool is not None:
                self._close(pool)
        if engine is not None:
            summary.requests, summary.characters = engine.requests, engine.characters
        return summary

    def _engine(self, locale: str) -> engines.Engine | None:
        name = self.options.engine
        if name == "none" or self.stopped is not None:
            return None
        settings = self.config.engine_settings(name)
        if self.options.url:
            settings = replace(settings, url=self.options.url)
        try:
            make = llm.make if settings.type == "openai" else engines.make
            return make(name, settings, self.config.source_locale, locale, self.environ, self.sleep,
                        require_key=not self.options.dry_run)
        except ConfigError as exc:
            self.report.errors.append(exc)
            if isinstance(exc, engines.MissingKey):
                self.stopped = exc
            return None

    def _load(self, locale: str, release: Release, generation: int) -> Loaded | None:
        path = self.project.catalog_path(locale, release)
        extra: dict[str, object] = {"tm": generation, "glossary": bool(self.watched), "engine": [
            self.options.engine, self.options.url, self.config.exact_tm, self.config.tm_min_score]}
        if self.pipeline.state.fresh(self._key(locale, release), {"po": path, **self.watched}, **extra):
            return None  # nothing left that this run could fill
        try:
            catalog, data = self.pipeline.catalog(path)
        except LocpressError as exc:
            self.report.errors.append(exc)
            return None
        if catalog is None or data is None:
            self.report.notes.append(f"{release.name}: no catalog for {locale}; run `locpress update`")
            return None
        try:
            until = self._embargo(release)
        except LocpressError as exc:
            self.report.errors.append(exc)
            return None
        return Loaded(release, path, catalog, data, extra, embargo=until)

    def _embargo(self, release: Release) -> dt.datetime | None:
        source = self.project.source_path(release)
        data = self.project.read(source)
        if data is None:
            return None
        return embargo.of_source(data, release.suffix, self.project.shown(source), self.pipeline.word_limits)

    def _hold(self, loaded: list[Loaded], engine: engines.Engine | None, summary: Summary) -> None:
        """Releases under embargo are not sent to an engine that is not confidential; the
        memory still fills them, and one line per release says so."""
        if engine is None or engine.confidential:
            return
        for item in loaded:
            if item.embargo is not None and item.embargo > self.now:
                item.held = True
                summary.held += 1
                if item.release.name not in self.held_noted:
                    self.held_noted.add(item.release.name)
                    self.report.notes.append(
                        f"{self.project.shown(self.project.source_path(item.release))}: embargoed until "
                        f"{embargo.shown(item.embargo)}; not sent to {engine.name}, which is not confidential = true "
                        "(memory matches still filled)")

    @staticmethod
    def _key(locale: str, release: Release) -> str:
        return f"p:{locale}:{release.name}"

    def _plan(self, memory: Memory, locale: str, loaded: list[Loaded], engine: engines.Engine | None,
              summary: Summary) -> dict[str, Job]:
        """Decide every empty entry: memory first, then a machine-translation job."""
        jobs: dict[str, Job] = {}
        decided: dict[str, Fill | None] = {}
        exact_reviewed = self.config.exact_tm == "reviewed"
        for item in loaded:
            for message in empty_entries(item.catalog):
                summary.empty += 1
                text = message.msgid
                if text not in decided:
                    match = memory.exact(locale, text) or memory.fuzzy(locale, text, self.config.tm_min_score)
                    decided[text] = tm_fill(match, exact_reviewed) if match else None
                fill = decided[text]
                if fill is not None:
                    item.fills[text] = fill
                    if fill.previous is None:
                        summary.tm_exact += 1
                    else:
                        summary.tm_fuzzy += 1
                elif engine is not None and not item.held:
                    item.jobs.append(text)
                    if text not in jobs:
                        jobs[text] = self._job(text, engine)
        summary.unique = len(jobs)
        return jobs

    def _job(self, text: str, engine: engines.Engine) -> Job:
        masked = mask(text, self.glossary.dnt_spans(text))
        pieces = engines.split(masked.text, engine.max_length) if has_words(masked) else []
        return Job(masked, pieces)

    def within_budget(self, send: list[str], summary: Summary) -> list[str]:
        """The texts to send, stopping before the character budget would be exceeded."""
        if self.budget is None:
            return send
        total = 0
        for index, text in enumerate(send):
            if total + len(text) > self.budget:
                over = sum(len(t) for t in send[index:])
                self.report.notes.append(
                    f"{summary.locale}: stopped before the character budget: {len(send) - index} texts "
                    f"({over:,} characters) not sent (--max-chars / pretranslate.max_chars)")
                self.budget -= total
                return send[:index]
            total += len(text)
        self.budget -= total
        return send

    def _translate(self, memory: Memory, engine: engines.Engine, send: list[str], results: Results,
                   summary: Summary) -> engines.Pool:
        """Submit every text at once, in release order; each answer is cached as it comes."""

        def remember(text: str, translation: str) -> None:
            if not engine.free:
                memory.remember(engine.name, engine.source, engine.target, text, translation)

        pool = engines.Pool(engine, remember)
        done = [0]
        lock = threading.Lock()
        stage = f"translate {summary.locale}"

        def progress(_future: Future[str]) -> None:
            with lock:
                done[0] += 1
                self.pipeline.progress(stage, done[0], len(send))

        self.pipeline.progress(stage, 0, len(send))
        for text in send:
            future = pool.submit(text)
            future.add_done_callback(progress)
            results[text] = future
        return pool

    def _close(self, pool: engines.Pool) -> None:
        """Let the texts in flight finish (their answers are cached); report a stopped engine."""
        pool.close()
        if pool.down is not None:
            self.stopped = pool.down
            self._engine_problem(pool.down)

    def _save_all(self, loaded: list[Loaded], results: Results, jobs: Mapping[str, Job],
                  engine: engines.Engine | None, summary: Summary) -> None:
        """Fill and save release by release, each as soon as its answers are in."""
        failures: dict[str, str] = {}
        usable = engine is not None or self.options.engine == "none"  # else a later run may do more
        for item in loaded:
            complete = usable and not item.held
            for text in item.jobs:
                fill, reason = self._mt_fill(jobs[text], results, engine, summary.locale)
                if fill is not None:
                    item.fills[text] = fill
                    summary.copied += fill.comments[0].startswith(f"{PROVENANCE}copied")
                    summary.mt += not fill.comments[0].startswith(f"{PROVENANCE}copied")
                else:
                    complete = False
                    if reason is not None:
                        failures[text] = reason
                        summary.failed += 1
                    else:
                        summary.skipped += 1
            try:
                self._save(item, summary.locale)
            except LocpressError as exc:  # this catalog is reported (a full disk); the others are still saved
                self.report.errors.append(exc)
                continue
            if complete:
                self.pipeline.state.remember(self._key(summary.locale, item.release),
                                             {"po": item.path, **self.watched}, **item.unchanged_since)
        for reason, count in Counter(failures.values()).items():
            self._engine_problem(LocpressError(f"{summary.locale}: {count} texts not translated: "
                                               f"{summary.engine}: {reason}"))

    def _mt_fill(self, job: Job, results: Results, engine: engines.Engine | None,
                 locale: str) -> tuple[Fill | None, str | None]:
        """The fill for a translated job, or (None, why it failed), or (None, None): not sent."""
        if engine is None:
            return None, None
        if not job.pieces:
            note = f"{PROVENANCE}copied: nothing to translate"
            return Fill(restore(job.masked, job.masked.text)[0], True, (note,)), None
        parts = []
        for index, (piece, separator) in enumerate(job.pieces):
            found = results.get(piece)
            if found is None:
                return None, None  # over budget
            try:
                answer = found if isinstance(found, str) else found.result()
            except engines.Failure as failure:
                return None, failure.reason
            except (engines.Cancelled, CancelledError, engines.EngineError):
                return None, None
            wrong = engines.answer_problem(piece, answer)  # also for answers cached by older versions
            if wrong is not None:
                return None, wrong
            last = index == len(job.pieces) - 1
            parts.append(answer if last or joins_without_space(locale) else answer.rstrip() + separator)
        text, problems = restore(job.masked, "".join(parts))
        rejected: list[str] = []
        if isinstance(engine, llm.LLMEngine):
            source = restore(job.masked, job.masked.text)[0]
            rejected = llm_stage.findings(self, locale, source, text)
        return mt_fill(engine.label, text, problems, rejected), None

    def _save(self, item: Loaded, locale: str) -> None:
        """Write the catalog; if a translator saved it meanwhile, apply the fills to theirs."""

        def hints(text: str) -> list[str]:
            return self.glossary.hints(text, locale)

        def produce(again: bool) -> tuple[bytes | None, bytes | None]:
            catalog, data = item.catalog, item.data  # type: Catalog, bytes | None
            if again:
                fresh, data = self.pipeline.catalog(item.path)
                if fresh is None:
                    return data, None
                catalog = fresh
            apply(catalog, item.fills, hints)
            return data, write_po(catalog).encode()

        self.pipeline.rewrite(item.path, produce, "pre-translated")

    def engine_failed(self, error: LocpressError) -> None:
        """The engine is unusable for the rest of the run (a refused key)."""
        self.stopped = error
        self._engine_problem(error)

    def _engine_problem(self, error: LocpressError) -> None:
        """Engine failures lose no work, so they warn unless --fail-on-engine-error; a key
        the service refuses is always an error."""
        if self.options.fail_on_engine_error or isinstance(error, engines.KeyRefused):
            self.report.errors.append(error)
        else:
            self.report.notes.append(f"warning: {error}")


# --- memory and glossary plumbing (IO through project and pipeline) ---------------------------

def pretranslate(pipeline: Pipeline, releases: Sequence[Release], locales: Sequence[str], options: Options,
                 environ: Mapping[str, str]) -> list[Summary]:
    """Fill empty entries from the translation memory, then machine translation."""
    return Pretranslation(pipeline, options, environ).run(releases, locales)


def tm_rebuild(pipeline: Pipeline, locales: Sequence[str]) -> list[LocaleStats]:
    """Forget the memory's catalogs and read them all again (the MT cache is kept)."""
    with open_memory(pipeline) as memory:
        memory.clear()
        for locale in locales:
            sync_memory(pipeline, memory, locale)
        return memory.stats()


def tm_stats(pipeline: Pipeline, locales: Sequence[str]) -> tuple[list[LocaleStats], list[CacheStats]]:
    """The memory brought up to date, then its size per locale, and the MT cache."""
    with open_memory(pipeline) as memory:
        for locale in locales:
            sync_memory(pipeline, memory, locale)
        return memory.stats(), memory.cache_stats()


def load_glossary(pipeline: Pipeline) -> Glossary:
    """The project's glossary.csv, or an empty glossary when there is none."""
    path = pipeline.project.glossary_path()
    data = pipeline.project.read(path)
    if data is None:
        return Glossary()
    return parse_glossary(data, pipeline.project.shown(path), pipeline.config.source_locale)


class open_memory:
    """`with open_memory(pipeline) as memory:` the project's memory, closed afterwards."""

    def __init__(self, pipeline: Pipeline) -> None:
        path = pipeline.project.memory_path()
        pipeline.project.refuse_link(path)
        self.memory = Memory(path, pipeline.project.shown(path))

    def __enter__(self) -> Memory:
        return self.memory

    def __exit__(self, *_exc: object) -> None:
        self.memory.close()


def sync_memory(pipeline: Pipeline, memory: Memory, locale: str) -> int:
    """Bring the memory of a locale up to date with its catalogs (only changed ones are read)."""
    project = pipeline.project
    current = {}
    for name in project.catalog_releases(locale):
        path = project.catalog_path(locale, Release(name, ""))
        current[project.shown(path)] = (name, stamp(path))

    def read(shown: str) -> Iterable[tuple[str, str]] | None:
        try:
            catalog, _ = pipeline.catalog(project.root / shown)
        except LocpressError as exc:
            pipeline.report.errors.append(exc)
            return None
        return reviewed_pairs(catalog) if catalog is not None else None

    return memory.sync(locale, current, read)
