"""The stages run over a project's files: extract, update, build, status.

Each stage applies the pure functions of its module to every selected release, reads and
writes through `project`, and records what happened in a `Report`. A file that cannot be
processed is reported and skipped; the others still are. Fingerprints in the run state let
a run over unchanged files read nothing at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cached_property
from multiprocessing.context import BaseContext
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from locpress import __version__
from locpress import errors as errors_module
from locpress import findings as findings_stage
from locpress.config import Config, joins_without_space
from locpress.errors import ConfigError, LocpressError
from locpress.formats import document as document_module
from locpress.formats import htmlsource
from locpress.formats import markdown as markdown_module
from locpress.formats.document import Document
from locpress.formats.sources import BINARY_FORMATS, FORMAT_NAMES, decode
from locpress.formats.sources import parse as parse_source
from locpress.gettext import catalog as catalog_module
from locpress.gettext import headers, provenance
from locpress.gettext.catalog import Catalog, merge, parse_po, stats, write_po
from locpress.qa.glossary import Glossary
from locpress.qa.glossary import parse_bytes as parse_glossary_bytes
from locpress.run import portable, store
from locpress.run import project as project_module
from locpress.run.project import (
    Changed,
    Project,
    Release,
    State,
    Writer,
    code_stamp,
    dependency_stamp,
    now,
    read_bytes,
    write_atomic,
)
from locpress.stages import build as build_stage
from locpress.stages import extract as extract_stage
from locpress.stages import resegment
from locpress.stages.report import Report, Row
from locpress.wording import counted


class _Lazy:
    """A module imported when one of its names is first used."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(f"locpress.{self._name}")
        return getattr(self._module, attribute)


if TYPE_CHECKING:
    from locpress.qa import checks as checks_stage
    from locpress.qa import rules_catalog as catalog_rules
    from locpress.web import dashboard as dashboard_stage
    from locpress.web import html as html_stage
    from locpress.web import review as review_stage
else:  # imported on first use: a command pays only for the stages it runs (start-up is most of a no-op)
    checks_stage, dashboard_stage, html_stage = _Lazy("qa.checks"), _Lazy("web.dashboard"), _Lazy("web.html")
    catalog_rules = _Lazy("qa.rules_catalog")
    review_stage = _Lazy("web.review")

Progress = Callable[[str, int, int], None]
#: Called with each input file right after the pipeline read it: tests edit the file there,
#: between a stage's read and its write, to prove the next run notices (never timing luck).
READ_HOOK: Callable[[Path], None] | None = None
BOM = b"\xef\xbb\xbf"
_DATE = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.M)


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


PARALLEL_ITEMS = 400  # below this many (locale, release) items, worker processes cost more than they save
_FORKED: list[tuple[Pipeline, str, list[list[tuple[str, Release]]], Callable[[str, Release], None]]] = []


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
    return pipeline._chunk(stage, chunks[index], work)


def _spawned_chunk(config: Config, state: dict[str, Any], failed: set[tuple[str, str]], stage: str,
                   chunk: list[tuple[str, Release]], draft: bool) -> _Outcome:
    """In a spawned worker (where fork is missing or unsafe): a new pipeline over the same
    project, given the parent's run state, runs one chunk of a stage."""
    pipeline = Pipeline(config, Report())
    pipeline.state.data = state
    pipeline.failed = set(failed)
    return pipeline._chunk(stage, chunk, pipeline._stage_work(stage, draft))


def _just_modified(path: Path) -> bool:
    """Modified within the file system's racy interval: an editor may be writing it still."""
    try:
        return os.stat(path).st_mtime_ns >= time.time_ns() - project_module.RACY_NS
    except OSError:
        return False


def _inherited(context: BaseContext) -> tuple[int, ...]:
    """The descriptors a forked worker must close: the project lock goes with the command."""
    return tuple(project_module.HELD) if context.get_start_method() == "fork" else ()


def _rebuilt(error: tuple[str, str, str | None, int | None]) -> LocpressError:
    """A worker's error as the same class again (the class decides the exit code)."""
    kind, message, path, line = error
    found = getattr(errors_module, kind, LocpressError)
    cls = found if isinstance(found, type) and issubclass(found, LocpressError) else LocpressError
    return cls(message, path, line)


class Pipeline:
    """One command's pass over a project; caches what it parsed for the later stages."""

    def __init__(self, config: Config, report: Report, progress: Progress = _quiet) -> None:
        self.config = config
        self.project = Project(config)
        self.report = report
        self.progress = progress
        # What everything derived depends on besides the files: locpress, its code, the options.
        self.state = State(self.project.root,
                           f"{__version__}:{code_stamp()}:{dependency_stamp()}:{config.fingerprint()}")
        self.read_stamps: dict[str, Any] = {}  # path -> its stamp taken before this command read it
        self.documents: dict[str, Document] = {}
        self.boms: set[str] = set()  # releases whose source starts with a UTF-8 byte order mark
        self.templates: dict[str, Catalog] = {}
        self.failed: set[tuple[str, str]] = set()  # (locale or "", release) already reported
        self.writer = Writer()
        self.working: tuple[str, Release] = ("", Release("", ""))  # the item `_each` works on
        self.owners: dict[str, tuple[str, Release]] = {}  # checked writes: path -> their item
        self.deferred: list[tuple[str, dict[str, Path], dict[str, object]]] = []

    def save(self) -> None:
        self.flush()
        self._record_provenance()
        try:
            self.state.save()
        except (OSError, LocpressError) as exc:  # derived data: losing it costs the next run time, nothing else
            reason = project_module.os_reason(exc) if isinstance(exc, OSError) else \
                exc.message.removeprefix("cannot read: ")
            self.report.errors.append(LocpressError(f"cannot save the run state: {reason}; the next run "
                                                    "redoes its work", self.project.shown(self.state.path)))
        self.settle()

    def _record_provenance(self) -> None:
        """Keep each written catalog's provenance record beside it (see `provenance`)."""
        base = f"{self.config.locales_dir}/"
        for shown in dict.fromkeys(self.report.written):
            if not shown.endswith(".po") or not shown.startswith(base):
                continue
            path = self.project.root / shown
            record_path = path.with_name(provenance.record_name(path.name))
            record_shown = self.project.shown(record_path)
            try:
                data, record = self.project.read(path), self.project.read(record_path)
                if data is None or not provenance.needs_parse(data, record):
                    continue
                text = provenance.refreshed(parse_po(data, shown), data, record, path.name, record_shown)
                if text is not None:
                    write_atomic(record_path, text.encode())
                elif record is not None:
                    record_path.unlink()
            except LocpressError as exc:
                self.report.errors.append(exc)
            except OSError as exc:
                self.report.errors.append(LocpressError(f"cannot write: {exc.strerror or exc}", record_shown))

    def provenance_record(self, po: Path) -> provenance.Record:
        """The provenance record beside a catalog (empty when there is none)."""
        record_path = po.with_name(provenance.record_name(po.name))
        data = self.project.read(record_path)
        return provenance.loads(data, self.project.shown(record_path)) if data is not None else {}

    # --- reading ------------------------------------------------------------------------
    def document(self, release: Release) -> Document:
        if release.name not in self.documents:
            path = self.project.source_path(release)
            shown = self.project.shown(path)
            data = self._read(path)
            if data is None:
                raise LocpressError("source file disappeared", shown)
            self.documents[release.name] = self._parsed(release, shown, data)
            if data.startswith(BOM):
                self.boms.add(release.name)
        return self.documents[release.name]

    def _as_source(self, release: Release, text: str) -> bytes:
        """A built text release as bytes, with the byte order mark its source starts with (the
        readers drop it; the build puts back every byte outside the translated text)."""
        return (BOM if release.name in self.boms else b"") + text.encode()

    def _parsed(self, release: Release, shown: str, data: bytes) -> Document:
        """Parse a release, or take its units from the parse cache when neither the source
        bytes nor the options nor locpress changed since (build after extract parses nothing)."""
        if release.suffix in BINARY_FORMATS:  # Word: parsed from its bytes each time (build walks them anyway)
            from locpress.formats import docx
            return docx.parse(data, shown, extract_stage.splitter(self.config, markdown=True), self.word_limits)
        key = hashlib.sha1(data + self.state.version.encode()).hexdigest()
        text = decode(data, shown)
        fmt = FORMAT_NAMES.get(release.suffix, "txt")
        cached = self.project.read_parse_cache(release, key)
        if cached is not None:
            encoder = htmlsource.attribute_encoder if fmt == "html" else markdown_module.scalar_encoder
            return document_module.from_data(shown, text, fmt, cached, encoder)
        split = extract_stage.splitter(self.config, markdown=release.suffix in (".md", ".html"))
        doc = parse_source(text, shown, split, self.config.front_matter)
        self.project.write_parse_cache(release, key, document_module.to_data(doc))
        return doc

    def _read(self, path: Path) -> bytes | None:
        """An input's bytes, its stamp taken before reading: what the run state records for
        it, so a file saved after this read (while the command runs) is read again next time."""
        known = str(path) in self.read_stamps
        info = None if known else self.state.stat(path)
        data = self.project.read(path)
        if not known:
            self.read_stamps[str(path)] = project_module.stamp(path, info) if info is not None and data is not None \
                else None
        if READ_HOOK is not None and data is not None:
            READ_HOOK(path)
        return data

    def catalog(self, path: Path) -> tuple[Catalog | None, bytes | None]:
        """A catalog and the bytes it was read from. One that does not parse and reads
        differently a moment later was caught half-saved by an editor writing in place: it
        is read again (the one retry loop, `store.until_settled`)."""
        found: list[tuple[Catalog | None, bytes | None]] = []
        failure: list[LocpressError] = []

        def attempt(_paths: Sequence[Path]) -> list[Path]:
            data = self._read(path)
            try:
                found[:] = [(parse_po(data, self.project.shown(path)), data) if data is not None else (None, None)]
            except LocpressError as exc:
                failure[:] = [exc]
                return [path] if read_bytes(path) != data or _just_modified(path) else []
            return []

        store.until_settled([path], attempt, lambda _path: None)
        if not found:
            raise failure[0]
        return found[0]

    def template(self, release: Release) -> Catalog:
        if release.name not in self.templates:
            found, _ = self.catalog(self.project.template_path(release))
            if found is None:
                raise LocpressError("no template: run `locpress extract` first",
                                    self.project.shown(self.project.template_path(release)))
            self.templates[release.name] = found
        return self.templates[release.name]

    def _each(self, stage: str, items: Sequence[tuple[str, Release]], work: Callable[[str, Release], None]) -> None:
        first = True
        changing: dict[tuple[str, str], str] = {}  # item -> the file a translator keeps saving

        def attempt(batch: Sequence[tuple[str, Release]]) -> list[tuple[str, Release]]:
            nonlocal first
            changed = []
            for done, (locale, release) in enumerate(batch):
                if first:
                    self.progress(stage, done, len(batch))
                if ("", release.name) in self.failed or (locale, release.name) in self.failed:
                    continue  # reported once by an earlier stage of this command
                shown = self._one(work, locale, release)
                if shown is not None:
                    changing[(locale, release.name)] = shown
                    changed.append((locale, release))
            first = False
            for shown, item in self.flush():
                if item not in changed:
                    changing[(item[0], item[1].name)] = shown
                    changed.append(item)
            return changed

        # a catalog saved meanwhile (a translator's editor) is read again, merged again
        left = store.until_settled(items, attempt, lambda _item: None)
        self.report.errors.extend(LocpressError("keeps changing on disk; not updated", changing[(loc, r.name)])
                                  for loc, r in left)
        self.progress(stage, len(items), len(items))

    def _stage_work(self, stage: str, draft: bool = False) -> Callable[[str, Release], None]:
        """What a parallel stage does to one (locale, release) item."""
        if stage == "extract":
            return self._extract_one
        if stage == "update":
            return self._update_one
        if stage == "draft":
            return self._draft_one
        return self._build_one

    def _each_parallel(self, stage: str, items: Sequence[tuple[str, Release]], draft: bool = False) -> None:
        """`_each` on every core: the items are cut into one chunk per worker (by release, so
        a template is read by one worker), each worker runs `_each` on its chunk — in a forked
        copy of this pipeline, or a spawned one where fork is missing or unsafe — and hands
        back what it reported and what the run state learnt.
        """
        work = self._stage_work(stage, draft)
        workers = min(portable.cpu_count(), 4)
        if len(items) < PARALLEL_ITEMS or workers < 2:
            self._each(stage, items, work)
            return
        names = sorted({release.name for _locale, release in items})
        slot = {name: index % workers for index, name in enumerate(names)}
        chunks: list[list[tuple[str, Release]]] = [[] for _ in range(workers)]
        for item in items:
            chunks[slot[item[1].name]].append(item)
        self.progress(stage, 0, len(items))
        context = portable.worker_context()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=portable.die_with_parent,
                                 initargs=(_inherited(context),)) as pool:
            if context.get_start_method() == "fork":
                _FORKED[:] = [(self, stage, chunks, work)]
                try:
                    outcomes = list(pool.map(_forked_chunk, range(len(chunks))))
                finally:
                    _FORKED.clear()
            else:
                outcomes = list(pool.map(_spawned_chunk, *zip(*[
                    (self.config, self.state.data, self.failed, stage, chunk, draft) for chunk in chunks])))
        for outcome in outcomes:
            self._absorb(outcome)
        self.progress(stage, len(items), len(items))

    def _chunk(self, stage: str, chunk: list[tuple[str, Release]], work: Callable[[str, Release], None]) -> _Outcome:
        """In a worker: `_each` over one chunk with a fresh report and writer."""
        self.report = Report()
        self.writer = Writer()
        self.deferred = []
        self.progress = _quiet
        before = dict(self.state.data)
        failed_before = set(self.failed)
        self._each(stage, chunk, work)
        self.settle()
        after = self.state.data
        return _Outcome(
            written=self.report.written, notes=self.report.notes,
            errors=[(type(e).__name__, e.message, e.path, e.line) for e in self.report.errors],
            failed=self.failed - failed_before,
            state={k: v for k, v in after.items() if before.get(k) != v},
            dropped=[k for k in before if k not in after],
            withdrawn=self.report.withdrawn, gate_failures=self.report.gate_failures)

    def _absorb(self, outcome: _Outcome) -> None:
        """Take in what a worker did: reports, errors, failures and run-state changes."""
        self.report.written.extend(outcome.written)
        self.report.notes.extend(outcome.notes)
        self.report.withdrawn.extend(outcome.withdrawn)
        self.report.gate_failures.extend(outcome.gate_failures)
        self.report.errors.extend(_rebuilt(error) for error in outcome.errors)
        self.failed.update(outcome.failed)
        for key, value in outcome.state.items():
            self.state.put(key, value)
        for key in outcome.dropped:
            self.state.drop(key)
        self.state.stats.clear()  # the workers wrote files this process may have stat'ed

    def _one(self, work: Callable[[str, Release], None], locale: str, release: Release) -> str | None:
        """Do one item; the file a translator saved meanwhile (left unwritten), if any."""
        self.working = (locale, release)
        try:
            work(locale, release)
        except Changed as exc:
            shown = self.project.shown(Path(exc.path or ""))
            self.report.notes.append(f"{shown} changed while locpress read it; reading it again")
            return shown
        except LocpressError as exc:
            self.report.errors.append(exc)
            self.failed.add((locale, release.name))
        return None

    def _write(self, path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> None:
        self.project.refuse_link(path)
        self.state.forget(path)
        self.read_stamps.pop(str(path), None)  # recorded as written, once the write is done
        try:
            wrote = self.writer.write(path, data, expected, check)
        except Changed:
            raise
        except LocpressError as exc:  # the file in the way cannot be read or written: on its path as shown
            reason = exc.message.removeprefix("cannot read: ").removeprefix("cannot write: ")
            raise LocpressError(f"cannot write: {reason}", self.project.shown(path)) from None
        if wrote:
            self.report.written.append(self.project.shown(path))
            if check:
                self.owners[str(path)] = self.working

    def rewrite(self, path: Path, produce: Callable[[bool], tuple[bytes | None, bytes | None]], what: str) -> bool:
        """Write one catalog now through the one retry loop (`store.rewrite`): `produce(again)`
        reads it (with `catalog`) and returns (what it read, what to write)."""
        shown = self.project.shown(path)

        def noticed(_path: Path) -> None:
            self.report.notes.append(f"{shown} changed while locpress read it; reading it again")

        try:
            wrote = store.rewrite(path, produce, noticed, what)
        except Changed as exc:
            raise Changed(exc.message, shown) from None
        except OSError as exc:  # a full disk, a folder in the file's place: one line on the path as shown
            raise LocpressError(f"cannot write: {project_module.os_reason(exc)}", shown) from None
        finally:
            self.state.forget(path)
        if wrote:
            self.report.written.append(shown)
        return wrote

    def settle(self) -> None:
        """Report every save an editor wrote in place into a file this process had replaced."""
        for path, what in store.settle():
            self.report.notes.append(f"warning: {self.project.shown(path)}: {what}")

    def _remember(self, key: str, files: dict[str, Path], **extra: object) -> None:
        """Record the files' fingerprints once their pending writes are done."""
        self.deferred.append((key, files, extra))

    def flush(self) -> list[tuple[str, tuple[str, Release]]]:
        """Finish the writes of a stage before the next one reads the files; return the
        files (and their locale and release) that changed on disk meanwhile, left unwritten."""
        errors = self.writer.flush()
        self.report.errors.extend(LocpressError(e.message, self.project.shown(Path(e.path or "")))
                                  for e in errors if not isinstance(e, Changed))
        changed = [(self.project.shown(Path(e.path or "")), self.owners[e.path or ""])
                   for e in errors if isinstance(e, Changed)]
        for shown, _owner in changed:
            self.report.written.remove(shown)
            self.report.notes.append(f"{shown} changed while locpress read it; reading it again")
        for key, files, extra in self.deferred:
            for path in files.values():
                self.state.forget(path)
            if errors:
                self.state.drop(key)  # recompute next time rather than trust a failed write
            else:
                self.state.record(key, files, self._read_stamps(files), extra)
        self.deferred = []
        return changed

    def _read_stamps(self, files: dict[str, Path]) -> dict[str, Any]:
        """The stamps taken when these files were read (None: read while missing or unknown)."""
        return {str(p): self.read_stamps[str(p)] for p in files.values() if str(p) in self.read_stamps}

    # --- extract ------------------------------------------------------------------------
    def extract(self, releases: Sequence[Release]) -> None:
        stale = [("", r) for r in releases if not self.state.fresh(f"x:{r.name}", self._extract_files(r))]
        if len(stale) >= PARALLEL_ITEMS:
            self._each_parallel("extract", stale)  # workers parse and write
        else:
            self._each("extract", stale, self._extract_one)

    def _extract_files(self, release: Release) -> dict[str, Path]:
        return {"src": self.project.source_path(release), "pot": self.project.template_path(release)}

    def _extract_one(self, _locale: str, release: Release) -> None:
        key = f"x:{release.name}"
        files = self._extract_files(release)
        pot = files["pot"]
        if self.state.fresh(key, files):
            return
        doc = self.document(release)
        old = self.project.read(pot)
        if old is not None and b"\r\n" in old:  # a CRLF working copy: compared as written
            old = old.replace(b"\r\n", b"\n")
        old_date = _DATE.search(old) if old else None
        date = old_date.group(1).decode() if old_date else now()
        reference = f"{self.config.source_dir}/{release.source}"
        catalog = extract_stage.template(doc, reference, headers.template_header(self.config, date))
        data = write_po(catalog).encode()
        if old is not None and data != old and old_date:
            catalog = extract_stage.template(doc, reference, headers.template_header(self.config, now()))
            data = write_po(catalog).encode()
        self._write(pot, data)
        self.templates[release.name] = catalog
        self._remember(key, files)

    # --- update -------------------------------------------------------------------------
    def update(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        self._each_parallel("update", [(loc, r) for loc in locales for r in releases])

    def _update_one(self, locale: str, release: Release) -> None:
        pot, po = self.project.template_path(release), self.project.catalog_path(locale, release)
        key = f"u:{locale}:{release.name}"
        files = {"pot": pot, "po": po}
        if self.state.fresh(key, files):
            return
        if not po.exists():
            first = self._first_catalog(locale, release)
            if first is not None:
                self._write(po, first.encode(), expected=None, check=True)
                self._remember(key, files)
                return
        template = self.template(release)
        record = self.provenance_record(po)
        old, old_bytes = self.catalog(po)
        if old is not None and record:  # what another tool's msgmerge dropped comes back
            provenance.restore(old, record)
        header = headers.catalog_header(self.config, locale, template, old, now())
        joiner = "" if joins_without_space(locale) else " "
        merged = merge(template, resegment.carry_over(template, old, joiner), header)
        self._write(po, write_po(merged).encode(), expected=old_bytes, check=True)  # `Changed`: `_each` retries
        found = provenance.record_of(merged, record)
        if found:  # also comments added by hand (`#. locpress: ignore`) are recorded before a merge drops them
            self._write(po.with_name(provenance.record_name(po.name)), provenance.dumps(found, po.name).encode())
        self._remember(key, files)

    def _first_catalog(self, locale: str, release: Release) -> str | None:
        """A new locale's catalog without parsing the template: merging a template into no
        catalog gives the template's entries under the locale's header, so when extract wrote
        this template (the run state vouches for its bytes) and it has no plural entry, the
        catalog is its text with the header replaced. None when that cannot be vouched for."""
        files = self._extract_files(release)
        data = self._read(files["pot"])
        if data is None or not self.state.fresh(f"x:{release.name}", files):
            return None
        text = data.decode("utf-8")
        if not text.startswith('msgid ""\n') or "\nmsgid_plural " in text:
            return None
        date = _DATE.search(data)
        template = Catalog(header=catalog_module.header_message([("POT-Creation-Date", date.group(1).decode())])
                           if date else catalog_module.header_message([]))
        header = headers.catalog_header(self.config, locale, template, None, now())
        head = write_po(Catalog(header=catalog_module.header_message(header)))
        cut = text.find("\n\n")
        return head if cut < 0 else head + "\n" + text[cut + 2:]

    # --- build --------------------------------------------------------------------------
    def build(self, releases: Sequence[Release], locales: Sequence[str], draft: bool) -> None:
        """Publish what may be published into `output/` and withdraw what may not (see
        `_build_one`); with `draft`, also write every selected release as a draft into the
        drafts folder, never into `output/`."""
        items = [(loc, r) for loc in locales for r in releases]
        self._each_parallel("build", items)
        self._sweep()
        if "html" in self.config.formats:  # every locale: a withdrawn page leaves the others' switchers
            self._each("html", [(loc, r) for loc in self.config.locales for r in releases], self._html_one)
        if draft:
            self._each_parallel("draft", items)
            if "html" in self.config.formats:  # after every draft: each page links to the drafts there are
                self._each("draft page", items, self._draft_page_one)
            self._write_draft_notices(locales)

    def sync_published(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        """After a command that changed sources or catalogs (extract, update, pretranslate,
        accept, align, an import): every published release those changes made stale is built
        again, or withdrawn (kept with `build.keep_outdated`) when it may no longer be
        published, so `output/` never holds a stale release. A release that fails the gate here
        is said in a note: the gate's exit code belongs to `build` and `run`."""
        self.flush()
        stale = [(loc, r) for loc in locales for r in releases if self.project.output_path(loc, r).is_file()
                 and not self.state.fresh(f"b:{loc}:{r.name}", self._build_files(loc, r))]
        if not stale:
            return
        before = len(self.report.gate_failures)
        self._each("build", stale, self._build_one)
        self.report.notes.extend(f"{line} (`locpress build` exits 1 on it)" for line in self.report.gate_failures[before:])
        del self.report.gate_failures[before:]
        if "html" in self.config.formats:
            names = {r.name for _loc, r in stale}
            self._each("html", [(loc, r) for loc in self.config.locales for r in releases if r.name in names],
                       self._html_one)

    def _build_files(self, locale: str, release: Release) -> dict[str, Path]:
        return {"src": self.project.source_path(release), "po": self.project.catalog_path(locale, release),
                "out": self.project.output_path(locale, release)}

    def _build_one(self, locale: str, release: Release) -> None:
        key = f"b:{locale}:{release.name}"
        files = self._build_files(locale, release)
        out = files["out"]
        if self.state.fresh(key, files):
            return
        try:
            self._publish(locale, release, key, files)
        except LocpressError:
            self._withdraw(out, "not built (see the error)")
            self.state.drop(key)
            raise

    def _publish(self, locale: str, release: Release, key: str, files: dict[str, Path]) -> None:
        out = files["out"]
        shown = self.project.shown(out)
        doc = self.document(release)
        catalog, data = self.catalog(files["po"])
        if catalog is not None:
            self._record_counts(files["po"], catalog)
        translations = build_stage.reviewed_translations(catalog) if catalog else {}
        percent = build_stage.percent_reviewed(doc, translations)
        if percent < self.config.min_reviewed:
            missing = build_stage.to_review(doc, translations)
            self.report.notes.append(
                f"{shown}: not published, {percent:.1f}% reviewed (build.min_reviewed = {self.config.min_reviewed:g}; "
                "`--draft` writes a draft to review)")
            self._unpublish(key, out, f"{self._why(key, files)}, {counted(missing, 'segment')} to review")
            return
        failing = self.gate_findings(locale, release, catalog, data) if catalog is not None and data else []
        if failing:
            for finding in failing:
                self.report.gate_failures.append(
                    f"not published: {finding.path}:{finding.line}: {finding.severity} [{finding.check}] "
                    f"{finding.message}")
            self.report.notes.append(f"{shown}: not published, {counted(len(failing), 'check finding')} at or "
                                     f"above {self.config.gate} (build.fail_on) in {self.project.shown(files['po'])}")
            self._unpublish(key, out, f"{counted(len(failing), 'check finding')} at or above {self.config.gate}")
            return
        if release.suffix in BINARY_FORMATS:
            word = self._build_word(files["src"], translations, locale)
            self._write(out, word.data)
            built = word
        else:
            text = build_stage.build(doc, translations, locale)
            self._write(out, self._as_source(release, text.text))
            built = text
        if built.in_source_language:
            self.report.notes.append(
                f"{shown}: published with {built.in_source_language} of {built.segments} segments in the source "
                f"language (build.min_reviewed = {self.config.min_reviewed:g})")
        self._remember(key, files, in_source=built.in_source_language)

    def _why(self, key: str, files: dict[str, Path]) -> str:
        """What changed since the last publication, from the run state: source or catalog."""
        recorded = self.state.get(key)
        stamps = recorded.get("files", {}) if isinstance(recorded, dict) else {}
        if not stamps:
            return "not reviewed"
        if not project_module.unchanged(stamps.get("src"), files["src"], self.state.stat(files["src"])):
            return "source changed"
        return "catalog changed"

    def _unpublish(self, key: str, out: Path, reason: str) -> None:
        """An outdated or unfit release leaves `output/`, unless `build.keep_outdated` keeps it."""
        if self.config.keep_outdated and out.is_file():
            self.report.notes.append(f"kept {self.project.shown(out)} (build.keep_outdated): published-outdated, {reason}")
            return
        self.state.drop(key)
        self._withdraw(out, reason)

    def _withdraw(self, path: Path, reason: str) -> None:
        """Take a file out of `output/`: said on a `withdrawn` line."""
        self.state.forget(path)
        try:
            path.unlink()
        except (FileNotFoundError, IsADirectoryError):  # a folder in its place publishes nothing
            return
        except OSError as exc:
            self.report.errors.append(LocpressError(f"cannot withdraw: {exc.strerror or exc}", self.project.shown(path)))
            return
        self.report.withdrawn.append(f"{self.project.shown(path)}: {reason}")
        self._prune(path.parent)

    def _prune(self, folder: Path) -> None:
        """Remove folders a withdrawal left empty, up to `output/` itself."""
        top = self.project.output_dir()
        while folder != top and top in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def gate_findings(self, locale: str, release: Release, catalog: Catalog, data: bytes) -> list[findings_stage.Finding]:
        """The `check` findings that stop a release's publication: at or above `build.fail_on`,
        on the catalog itself or on a reviewed entry (what the build uses); `[check] disable` applies."""
        file = catalog_rules.CatalogFile(locale, release.name, self.project.shown(self.project.catalog_path(locale, release)),
                                        data)
        file.template, file.template_path = self._check_template(release)
        file.parse()
        found = checks_stage.check_file(file, self._gate_context(locale), self._gate_checks)
        return [f for f in found if not f.fuzzy and findings_stage.at_least(f.severity, self.config.gate)]

    @cached_property
    def _gate_checks(self) -> tuple[Any, ...]:
        return checks_stage.selected(self.config.check_disable, self.config.path)

    def _gate_context(self, locale: str) -> Any:
        cache: dict[str, Any] = self.__dict__.setdefault("_gate_contexts", {})
        if locale not in cache:
            cache[locale] = checks_stage.context(locale, self.config, self.check_glossary())
        return cache[locale]

    def _sweep(self) -> None:
        """Withdraw what no release of the project would publish: outputs of removed releases,
        of formats no longer built, and what older versions of locpress wrote into `output/`
        (the dashboard, review sheets, XLIFF exports: now in the drafts folder)."""
        base = self.project.output_dir()
        if not base.is_dir():
            return
        releases = {r.name: r for r in self.project.releases()}
        html = "html" in self.config.formats
        for locale in self.config.locales:
            folder = base / locale
            if not folder.is_dir():
                continue
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                relative = path.relative_to(folder).as_posix()
                stem, suffix = relative.rsplit(".", 1) if "." in relative.rsplit("/", 1)[-1] else (relative, "")
                if f".{suffix}" not in (*FORMAT_NAMES, *BINARY_FORMATS, ".html"):
                    continue
                release = releases.get(stem)
                if release is None:
                    self._withdraw(path, "its source release is gone")
                elif f".{suffix}" != release.suffix and not (suffix == "html" and html and release.suffix
                                                              not in BINARY_FORMATS):
                    self._withdraw(path, "not a format this project builds (build.formats)")
        for folder in sorted(p for p in base.iterdir() if p.is_dir() and p.name not in self.config.locales):
            if not _locale_code(folder.name):
                continue
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):  # only files of this project's releases
                stem = path.relative_to(folder).as_posix().rsplit(".", 1)[0]
                if stem in releases:
                    self._withdraw(path, f"{folder.name} is not a configured locale (locales = {list(self.config.locales)})")
        for legacy, what in (("index.html", "the dashboard"), ("review", "review sheets"), ("xliff", "XLIFF exports")):
            path = base / legacy
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
            for file in files:
                try:
                    head = (self.project.read(file) or b"")[:4096]
                except LocpressError:  # not ours to judge: left where it is
                    continue
                if b'content="locpress"' in head or b"<xliff" in head or b"<title>Review: " in head:
                    self._withdraw(file, f"{what}: now in {self.config.drafts_dir}/, not for publication")

    @cached_property
    def word_limits(self) -> Any:
        from locpress.formats.docx_package import Limits
        return Limits(max_unpacked=self.config.word_max_unpacked, max_ratio=self.config.word_max_ratio)

    def _build_word(self, source: Path, translations: dict[str, str], locale: str) -> Any:
        """A Word release built from its source's bytes (docx.build walks them again)."""
        from locpress.config import joins_without_space
        from locpress.formats import docx
        data = self._read(source)
        if data is None:
            raise LocpressError("source file disappeared", self.project.shown(source))
        return docx.build(data, self.project.shown(source), extract_stage.splitter(self.config, markdown=True),
                          translations, locale, "" if joins_without_space(locale) else " ", self.word_limits)

    def outdated(self, locale: str, release: Release) -> bool:
        """Whether `output/` holds a version of the release other than what `build` would
        publish now (kept by `build.keep_outdated`, or not rebuilt yet)."""
        files = self._build_files(locale, release)
        out = files["out"]
        if not out.is_file() or self.state.fresh(f"b:{locale}:{release.name}", files):
            return False
        try:
            doc = self.document(release)
            catalog, _ = self.catalog(files["po"])
            translations = build_stage.reviewed_translations(catalog) if catalog else {}
            if build_stage.percent_reviewed(doc, translations) < self.config.min_reviewed:
                return True
            if release.suffix in BINARY_FORMATS:
                want = self._build_word(files["src"], translations, locale).data
            else:
                want = self._as_source(release, build_stage.build(doc, translations, locale).text)
        except LocpressError:
            return True
        have = self.project.read(out) or b""
        return project_module.line_endings_like(have, want, out.suffix) != have

    def outdated_findings(self, releases: Sequence[Release], locales: Sequence[str]) -> list[findings_stage.Finding]:
        """`published-outdated` findings, one per published release that is not current."""
        if "published-outdated" in self.config.check_disable:
            return []
        found = []
        for locale in locales:
            for release in releases:
                if self.outdated(locale, release):
                    po = self.project.shown(self.project.catalog_path(locale, release))
                    found.append(findings_stage.Finding(
                        "published-outdated", findings_stage.WARNING,
                        f"{self.project.shown(self.project.output_path(locale, release))} is published but not "
                        "current (kept by build.keep_outdated, or not rebuilt yet): it says what the English said before", locale,
                        release.name, po, 1))
        return found

    # --- drafts -------------------------------------------------------------------------
    def _draft_one(self, locale: str, release: Release) -> None:
        """A draft of the release in the drafts folder, in the release's own format: every
        translation there is (reviewed, memory, machine, aligned, pseudo), the source where
        there is none. Its web page is `_draft_page_one`'s, once every draft is written."""
        key = f"d:{locale}:{release.name}"
        files = {"src": self.project.source_path(release), "po": self.project.catalog_path(locale, release),
                 "out": self.project.draft_path(locale, release)}
        template = html_stage.template_digest(self.release_template[0])
        if self.state.fresh(key, files, template=template):
            return
        doc = self.document(release)
        catalog, _ = self.catalog(self.project.catalog_path(locale, release))
        found = build_stage.draft_translations(catalog) if catalog else {}
        texts = {text: origin_text[0] for text, origin_text in found.items()}
        counts = build_stage.origin_counts(doc, found)
        shown = self.project.shown(self.project.draft_path(locale, release))
        if release.suffix in BINARY_FORMATS:
            self._write(files["out"], self._build_word(self.project.source_path(release), texts, locale).data)
        elif release.suffix == ".html":  # a web page is its own page: the draft page, marked by origin
            self._write(files["out"], self.draft_html(locale, release, []).encode())
        else:
            built = build_stage.build(doc, texts, locale)
            text = built.text if release.suffix != ".md" else build_stage.mark_markdown_draft(
                built.text, build_stage.describe_origins(counts))
            self._write(files["out"], self._as_source(release, text))
        self.report.notes.append(f"draft {shown}: {build_stage.describe_origins(counts)}")
        self._remember(key, files, template=template)

    def _draft_page_one(self, locale: str, release: Release) -> None:
        """The web page of a Markdown or text draft; its language switcher links to the drafts
        of the release that exist."""
        if release.suffix in (*BINARY_FORMATS, ".html") or ("", release.name) in self.failed:
            return
        page = self.project.draft_path(locale, release, ".html")
        files = {"src": self.project.source_path(release), "po": self.project.catalog_path(locale, release),
                 "out": self.project.draft_path(locale, release), "page": page}
        if not files["out"].is_file():
            return
        key = f"dp:{locale}:{release.name}"
        locales = [loc for loc in self.config.locales if self.project.draft_path(loc, release).is_file()]
        template = html_stage.template_digest(self.release_template[0])
        if self.state.fresh(key, files, locales=locales, template=template):
            return
        self._write(page, self.draft_html(locale, release, locales).encode())
        self._remember(key, files, locales=locales, template=template)

    def draft_html(self, locale: str, release: Release, locales: Sequence[str] | None = None) -> str:
        """The draft page of a release: banner, `noindex`, each segment marked by origin."""
        doc = self.document(release)
        catalog, _ = self.catalog(self.project.catalog_path(locale, release))
        found = build_stage.draft_translations(catalog) if catalog else {}
        counts = build_stage.origin_counts(doc, found)
        marked = build_stage.marked_build(doc, found, locale)
        source_lang = html_stage.lang_tag(self.config.source_locale)
        source_dir = html_stage.direction(self.config.source_locale)
        if locales is None:
            locales = [loc for loc in self.config.locales if self.project.catalog_path(loc, release).is_file()]
        note = f"Draft — not for publication. {build_stage.describe_origins(counts)}."
        if release.suffix == ".html":
            page = html_stage.marks_to_spans(marked, source_lang, source_dir)
        else:
            page = self.release_html(locale, release, marked, locales)
            page = html_stage.marks_to_spans(page, source_lang, source_dir)
        return html_stage.as_draft(page, note, counts)

    def _write_draft_notices(self, locales: Sequence[str]) -> None:
        for locale in locales:
            path = self.project.drafts_dir() / locale / build_stage.DRAFT_NOTICE
            if path.parent.is_dir():
                self._write(path, build_stage.draft_notice_text(locale).encode())

    # --- html ---------------------------------------------------------------------------
    def _html_one(self, locale: str, release: Release) -> None:
        """Render the built release to HTML: a pass of its own after every locale is built,
        because each page links to the same release in every locale that has it. A web page
        is its own localized page, and a Word release has none."""
        if release.suffix == ".html" or release.suffix in BINARY_FORMATS:
            return
        built, page = self.project.output_path(locale, release), self.project.output_path(locale, release, ".html")
        key = f"h:{locale}:{release.name}"
        data = self._read(built)
        if data is None:
            self.state.drop(key)
            self._withdraw(page, "its release is not published")
            return
        locales = self.built_locales(release)
        files = {"src": self.project.source_path(release), "built": built, "page": page}
        template = html_stage.template_digest(self.release_template[0])
        if self.state.fresh(key, files, locales=locales, template=template):
            return
        text = decode(data, self.project.shown(built))
        self._write(page, self.release_html(locale, release, text, locales).encode())
        self._remember(key, files, locales=locales, template=template)

    def built_locales(self, release: Release) -> list[str]:
        """The configured locales whose output holds this release, in configuration order:
        a published page links only to published pages."""
        return [loc for loc in self.config.locales if self.project.output_path(loc, release).is_file()]

    @cached_property
    def release_template(self) -> tuple[str | None, str]:
        """(the project's own release template or None, its path as shown in errors)."""
        path = self.project.release_template_path()
        data = self._read(path)
        shown = self.project.shown(path)
        return (decode(data, shown) if data is not None else None), shown

    def release_html(self, locale: str, release: Release, text: str, locales: Sequence[str], draft: str = "") -> str:
        """The HTML page of a built release text (Markdown or plain text) in one locale."""
        source = self.project.source_path(release)
        data = self._read(source)
        if data is None:
            raise LocpressError("source file disappeared", self.project.shown(source))
        word = release.suffix in BINARY_FORMATS  # previewed as its text: a paragraph per translatable block
        page = html_stage.Page(locale=locale, release=release.name, text=text.replace("\n", "\n\n") if word else text,
                               source=self.document(release).text.replace("\n", "\n\n") if word
                               else decode(data, self.project.shown(source)),
                               format="txt" if word else release.suffix.lstrip("."), locales=tuple(locales), draft=draft)
        override, shown = self.release_template
        return html_stage.render(page, override, shown)

    # --- dashboard ----------------------------------------------------------------------
    def dashboard(self, releases: Sequence[Release], locales: Sequence[str],
                  findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None) -> None:
        """Write the dashboard (`drafts/index.html`); `findings` are QA counts by (locale, release name)."""
        self._write(self.project.dashboard_path(),
                    self.dashboard_html(releases, locales, findings).encode())

    def dashboard_html(self, releases: Sequence[Release], locales: Sequence[str],
                       findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None,
                       every_page: bool = False) -> str:
        """The dashboard page; with `every_page`, link every release (preview renders drafts)."""
        entries = []
        for locale in locales:
            for release in releases:
                row = self._dashboard_row(locale, release)
                if row is None:
                    continue
                published = self.project.output_path(locale, release, ".html" if release.suffix not in BINARY_FORMATS
                                                      and "html" in self.config.formats else None)
                page: str | None
                if every_page:
                    page, draft = f"{locale}/{release.name}.html", None
                else:
                    page = self._link(published) if self.project.output_path(locale, release).is_file() else None
                    draft = self._link(self.project.draft_path(locale, release, ".html")) \
                        or self._link(self.project.draft_path(locale, release))
                entries.append(dashboard_stage.Entry(
                    row, page=page, review=self._link(self.project.review_path(locale, release)),
                    findings=(findings or {}).get((locale, release.name)), draft=draft,
                    outdated=not every_page and page is not None and self.outdated(locale, release)))
        return dashboard_stage.render(entries, self.config.project_name)

    def qa_findings(self, path: Path, shown: str) -> dict[tuple[str, str], dashboard_stage.Findings]:
        """QA counts for the dashboard from a saved `locpress check --format json` report."""
        data = read_bytes(path)
        if data is None:
            raise ConfigError("no such file (write one with `locpress check --format json --output FILE`)", shown)
        try:
            return dashboard_stage.findings_from_report(json.loads(data))
        except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors too
            raise LocpressError(f"not a check report: {exc}", shown) from None

    def _dashboard_row(self, locale: str, release: Release) -> Row | None:
        """A release's row, or None after reporting (once) a catalog that cannot be read."""
        try:
            return self.row(locale, release)
        except LocpressError as exc:
            if str(exc) not in {str(e) for e in self.report.errors}:
                self.report.errors.append(exc)
            return None

    def _link(self, path: Path) -> str | None:
        """`path` relative to the dashboard in the drafts folder, when the file is there."""
        if not path.is_file():
            return None
        return Path(os.path.relpath(path, self.project.dashboard_path().parent)).as_posix()

    # --- status -------------------------------------------------------------------------
    def status(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        self._each("status", [(loc, r) for loc in locales for r in releases], self._status_one)

    def _status_one(self, locale: str, release: Release) -> None:
        row = self.row(locale, release)
        if row is None:
            self.report.notes.append(f"{release.name}: no catalog for {locale}; run `locpress update`")
            return
        self.report.rows.append(self._published(locale, release, row))

    def _published(self, locale: str, release: Release, row: Row) -> Row:
        """The row with whether (and how) `output/` publishes the release."""
        if not self.project.output_path(locale, release).is_file():
            return dataclasses.replace(row, published="no")
        if self.outdated(locale, release):
            return dataclasses.replace(row, published="outdated")
        recorded = self.state.get(f"b:{locale}:{release.name}")
        extra = recorded.get("extra", {}) if isinstance(recorded, dict) else {}
        in_source = extra.get("in_source", 0) if isinstance(extra, dict) else 0
        return dataclasses.replace(row, published="current", in_source_language=int(in_source or 0))

    def row(self, locale: str, release: Release) -> Row | None:
        """Counts of a release in a locale (from its template when the catalog does not exist
        yet); None when neither exists."""
        po = self.project.catalog_path(locale, release)
        path = po if po.exists() else self.project.template_path(release)
        key = f"s:{self.project.shown(path)}"
        cached = self.state.get(key)
        if self.state.fresh(key, {"po": path}) and isinstance(cached, dict):
            counts = cached["extra"]["counts"]
        else:
            catalog, _ = self.catalog(path)
            if catalog is None:
                return None
            counts = self._record_counts(path, catalog, template=path != po)
        return Row(locale, release.name, *counts)

    def _record_counts(self, path: Path, catalog: Catalog, template: bool = False) -> list[int]:
        """Remember a catalog's status counts: a stage that parsed it anyway (build) saves
        `status` from parsing it again."""
        s = stats(catalog)
        if template:
            s = type(s)(s.total, 0, 0, s.total, s.words, 0)
        counts = [s.total, s.reviewed, s.fuzzy, s.untranslated, s.words, s.reviewed_words]
        self.state.remember(f"s:{self.project.shown(path)}", {"po": path}, counts=counts)
        return counts

    # --- check and review ---------------------------------------------------------------
    def check(self, releases: Sequence[Release], locales: Sequence[str],
              fail_on: str = findings_stage.ERROR, jobs: int = 1) -> findings_stage.Result:
        """Run the checks over the selected catalogs; other releases inform consistency only.

        Locales are independent, so with `jobs` > 1 they are checked in that many processes.
        """
        glossary = self.check_glossary()
        jobs = min(jobs, len(locales))
        if jobs <= 1 or len(releases) * len(locales) < PARALLEL_MINIMUM:
            return self._checked(releases, locales, glossary, fail_on)[0]
        found: dict[str, tuple[list[findings_stage.Checked], list[findings_stage.Finding]]] = {}
        context = portable.worker_context()
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=portable.die_with_parent,
                                 initargs=(_inherited(context),)) as pool:
            futures = {pool.submit(_check_job, self.config, list(releases), locale, glossary): locale
                       for locale in locales}
            for done, future in enumerate(as_completed(futures)):
                self.progress("check", done, len(locales))
                catalogs, findings, errors = future.result()
                found[futures[future]] = (catalogs, findings)
                self.report.errors.extend(LocpressError(message, path, line) for message, path, line in errors)
        self.progress("check", len(locales), len(locales))
        return findings_stage.Result(tuple(c for locale in locales for c in found[locale][0]),
                                     tuple(f for locale in locales for f in found[locale][1]), fail_on)

    def _checked(self, releases: Sequence[Release], locales: Sequence[str], glossary: Glossary,
                 fail_on: str = findings_stage.ERROR
                 ) -> tuple[findings_stage.Result, dict[tuple[str, str], catalog_rules.CatalogFile]]:
        enabled = checks_stage.selected(self.config.check_disable, self.config.path)
        found: list[findings_stage.Finding] = []
        catalogs: list[findings_stage.Checked] = []
        files_by_name: dict[tuple[str, str], catalog_rules.CatalogFile] = {}
        for done, locale in enumerate(locales):
            self.progress("check", done, len(locales))
            files = self._check_files(locale, releases, catalogs)
            files_by_name.update(((f.locale, f.release), f) for f in files if f.selected)
            context = checks_stage.context(locale, self.config, glossary)
            found.extend(checks_stage.check_locale(files, context, enabled))
        self.progress("check", len(locales), len(locales))
        return findings_stage.Result(tuple(catalogs), tuple(found), fail_on), files_by_name

    def check_glossary(self) -> Glossary:
        """The project's glossary.csv (empty when there is none)."""
        path = self.project.glossary_path()
        data = self.project.read(path)
        if data is None:
            return Glossary()
        return parse_glossary_bytes(data, self.project.shown(path), self.config.source_locale)

    def _check_files(self, locale: str, releases: Sequence[Release],
                     catalogs: list[findings_stage.Checked]) -> list[catalog_rules.CatalogFile]:
        files = []
        for release in releases:
            path = self.project.catalog_path(locale, release)
            shown = self.project.shown(path)
            try:
                data = self.project.read(path)
            except LocpressError as exc:  # this catalog is reported; the others are still checked
                self.report.errors.append(exc)
                continue
            catalogs.append(findings_stage.Checked(locale, release.name, shown, data is not None))
            if data is None:
                continue
            file = catalog_rules.CatalogFile(locale, release.name, shown, data)
            file.template, file.template_path = self._check_template(release)
            file.parse()
            files.append(file)
        selected = {release.name for release in releases}
        for name in self.project.catalog_releases(locale):
            if name not in selected:
                other = Release(name, "")
                path = self.project.catalog_path(locale, other)
                try:
                    data = self.project.read(path)
                except LocpressError as exc:
                    self.report.errors.append(exc)
                    continue
                if data is not None:
                    file = catalog_rules.CatalogFile(locale, name, self.project.shown(path), data, selected=False)
                    file.parse()
                    files.append(file)
        return files

    def _check_template(self, release: Release) -> tuple[Catalog | None, str]:
        """(template, its path) for the `outdated` check; an unreadable template is an error."""
        shown = self.project.shown(self.project.template_path(release))
        try:
            return self.template(release), shown
        except LocpressError as exc:
            if not os.path.lexists(self.project.template_path(release)):
                return None, shown
            self.report.errors.append(exc)
            return None, ""

    def review(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        """Write drafts/review/<locale>/<release>.html for every selected catalog."""
        result, files = self._checked(releases, locales, self.check_glossary())
        for catalog in result.catalogs:
            file = files.get((catalog.locale, catalog.release))
            if file is None:
                self.report.notes.append(f"{catalog.path}: no catalog; run `locpress update`")
                continue
            if file.catalog is None:
                line, message = file.problems[0]
                self.report.errors.append(LocpressError(f"{message}; no review sheet written", catalog.path, line))
                continue
            sheet = review_stage.Sheet(catalog.locale, catalog.release, catalog.path, file.catalog,
                                       tuple(result.of(catalog)), self.config.source_locale)
            release = Release(catalog.release, "")
            self._write(self.project.review_path(catalog.locale, release), review_stage.render(sheet).encode())


def _locale_code(name: str) -> bool:
    """Whether a folder name is a locale code (`fr`, `pt_BR`), as a locale's output folder is."""
    from locpress.config import normalize_locale

    try:
        normalize_locale(name)
    except ConfigError:
        return False
    return True


#: Fewer catalogs than this are checked in one process: starting workers would cost more.
PARALLEL_MINIMUM = 200


def _check_job(config: Config, releases: list[Release], locale: str, glossary: Glossary
               ) -> tuple[list[findings_stage.Checked], list[findings_stage.Finding], list[tuple[str, str | None, int | None]]]:
    """One locale's checks in a worker process; errors travel back as (message, path, line)."""
    report = Report()
    result, _files = Pipeline(config, report)._checked(releases, [locale], glossary)
    return list(result.catalogs), list(result.findings), [(e.message, e.path, e.line) for e in report.errors]
