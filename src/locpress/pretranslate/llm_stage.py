"""Pre-translation with a language-model engine: release by release, in context.

`pretranslate.Pretranslation` plans the locale as for any engine (memory first; what is
left becomes jobs, each distinct text once per locale); this module turns each release into
a `llm.Brief` — the title, every entry in order with its translation where there is one,
the glossary entries it contains — sends the releases concurrently, and records every
accepted answer in the cache before it is used. Each answer is checked with the same
entry checks as `locpress check` (error-level findings, plus unused glossary terms, lost
tags and engine answer problems); what they reject is asked again once, and what is still
wrong is left fuzzy with a `#. locpress:` note naming the finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from locpress.config import Config
from locpress.errors import LocpressError
from locpress.findings import ERROR
from locpress.gettext.catalog import Message
from locpress.pretranslate import engines, llm
from locpress.pretranslate.masking import restore
from locpress.pretranslate.memory import Memory
from locpress.pretranslate.prefill import Job as _Job
from locpress.pretranslate.prefill import Loaded as _Release
from locpress.pretranslate.prefill import Options, Results, Summary
from locpress.qa import checks
from locpress.qa.glossary import Glossary


class _Progress(Protocol):
    def progress(self, stage: str, done: int, total: int) -> None: ...


class _Notes(Protocol):
    notes: list[str]


class Pretranslation(Protocol):
    """What this module uses of the pretranslate stage that calls it."""

    glossary: Glossary
    config: Config
    options: Options
    stopped: LocpressError | None
    check_contexts: dict[str, Any]

    @property
    def pipeline(self) -> _Progress: ...

    @property
    def report(self) -> _Notes: ...

    def within_budget(self, send: list[str], summary: Summary) -> list[str]: ...

    def engine_failed(self, error: LocpressError) -> None: ...


@dataclass
class _Plan:
    """One release to send: its brief, and which masked text each todo id stands for."""

    item: _Release
    brief: llm.Brief
    texts: dict[str, str]  # segment id -> masked text


def entries(stage: Pretranslation, text: str, locale: str) -> list[llm.Entry]:
    return [llm.Entry(t.source, t.target(locale), t.dnt, t.note) for t in stage.glossary.find(text)]


def findings(stage: Pretranslation, locale: str, source: str, translation: str) -> list[str]:
    """What the checks reject in a translation: error-level findings and unused glossary terms."""
    context = stage.check_contexts.get(locale)
    if context is None:
        context = stage.check_contexts[locale] = checks.context(locale, stage.config, stage.glossary)
    found = checks.check_message(Message(msgid=source, msgstr=translation), context)
    return [text for check, text in found if check.severity == ERROR or check.name == "glossary"]


def problems(stage: Pretranslation, locale: str, job: _Job, answer: str) -> list[str]:
    """Everything wrong with an answer (tokens): engine answer rules, lost tags, checks."""
    wrong = engines.answer_problem(job.masked.text, answer)
    if wrong is not None:
        return [wrong]
    text, lost = restore(job.masked, answer)
    return [f"tag {p}" for p in lost] + findings(stage, locale, restore(job.masked, job.masked.text)[0], text)


def run(stage: Pretranslation, memory: Memory, engine: llm.LLMEngine, loaded: list[_Release],
        jobs: dict[str, _Job], summary: Summary) -> Results:
    """Translate a locale's jobs release by release; returns masked text -> answer (a
    failed Future for what failed; absent for what was not sent)."""
    locale = summary.locale
    variants = {text: engine.variant(entries(stage, text, locale)) for text in jobs}
    results: Results = {}
    by_variant: dict[str, list[str]] = {}
    for text, job in jobs.items():
        if job.pieces:
            by_variant.setdefault(variants[text], []).append(job.masked.text)
    for variant, texts in by_variant.items():
        results.update(memory.cached(engine.name, engine.source, engine.target, texts, variant))
    summary.cache_hits = len(results)
    wanted = [jobs[t].masked.text for item in loaded for t in item.jobs
              if jobs[t].pieces and jobs[t].masked.text not in results]
    send = set(stage.within_budget(list(dict.fromkeys(wanted)), summary))
    plans = _plans(stage, loaded, jobs, results, send, locale)
    if stage.options.dry_run:
        summary.characters = sum(len(t) for t in send)
        for plan in plans:
            requests, tokens = engine.estimate(plan.brief)
            summary.requests += requests
            summary.tokens += tokens
        return results
    by_masked = {job.masked.text: (text, job) for text, job in jobs.items()}
    total = len(plans)
    stage.pipeline.progress(f"translate {locale}", 0, total)
    with ThreadPoolExecutor(max_workers=engine.settings.concurrency,
                            thread_name_prefix=f"locpress-{engine.name}") as pool:
        futures = [pool.submit(_release, stage, memory, engine, plan, by_masked, variants, locale)
                   for plan in plans]
        for done, (plan, future) in enumerate(zip(plans, futures), 1):
            try:
                outcomes = future.result()
            except engines.EngineError as exc:
                engine.stopped.set()
                if stage.stopped is None:  # one line, however many releases were in flight
                    stage.engine_failed(exc)
                continue
            except engines.Cancelled:
                continue
            for sid, outcome in outcomes.items():
                masked = plan.texts[sid]
                if outcome.answer is not None and outcome.failure is None:
                    results[masked] = outcome.answer
                else:
                    failed: Future[str] = Future()
                    failed.set_exception(engines.Failure(outcome.failure or "no answer"))
                    results[masked] = failed
            stage.pipeline.progress(f"translate {locale}", done, total)
    engine.close()
    if engine.extra_ids:
        stage.report.notes.append(f"{locale}: {engine.name} answered {engine.extra_ids} ids it was not asked "
                                  "for; ignored")
    return results


def _release(stage: Pretranslation, memory: Memory, engine: llm.LLMEngine, plan: _Plan,
             by_masked: dict[str, tuple[str, _Job]], variants: dict[str, str],
             locale: str) -> dict[str, llm.Outcome]:
    if engine.stopped.is_set():
        return {}

    def check(sid: str, answer: str) -> list[str]:
        return problems(stage, locale, by_masked[plan.texts[sid]][1], answer)

    def answered(sid: str, answer: str) -> None:
        masked = plan.texts[sid]
        memory.remember(engine.name, engine.source, engine.target, masked, answer, variants[by_masked[masked][0]])

    return engine.translate_release(plan.brief, check, answered)


def _plans(stage: Pretranslation, loaded: Sequence[_Release], jobs: dict[str, _Job], results: Results,
           send: set[str], locale: str) -> list[_Plan]:
    """A brief per release with something to send; a text in several releases is sent with
    the first and is context-free in the others (it is filled from the same answer)."""
    plans = []
    claimed: set[str] = set()
    for item in loaded:
        mine = {t for t in item.jobs if jobs[t].masked.text in send and jobs[t].masked.text not in claimed}
        if not mine:
            continue
        segments: list[llm.Segment] = []
        texts: dict[str, str] = {}
        previous = None
        found: dict[str, llm.Entry] = {}
        messages = [m for m in item.catalog.messages if not m.obsolete and m.msgid and m.msgid_plural is None]
        for number, message in enumerate(messages, 1):
            sid = f"s{number}"
            where = message.references[0] if message.references else None
            paragraph = where is None or where != previous
            previous = where
            text = message.msgid
            for entry in entries(stage, text, locale):
                found.setdefault(entry.term, entry)
            job = jobs.get(text)
            if text in mine and job is not None:
                claimed.add(job.masked.text)
                texts[sid] = job.masked.text
                segments.append(llm.Segment(sid, job.masked.text, todo=True, paragraph=paragraph))
                continue
            translation = None
            if message.msgstr:
                translation = message.msgstr
            elif text in item.fills:
                translation = item.fills[text].msgstr
            elif job is not None and isinstance(results.get(job.masked.text), str):
                translation = restore(job.masked, str(results[job.masked.text]))[0]
            segments.append(llm.Segment(sid, text, translation, paragraph=paragraph))
        title = messages[0].msgid if messages else item.release.name
        brief = llm.Brief(item.release.name, title, tuple(segments), tuple(found.values()))
        plans.append(_Plan(item, brief, texts))
    return plans
