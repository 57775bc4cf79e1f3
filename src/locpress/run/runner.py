"""The runner: the one owner of a project's files and of the order of things."""

from __future__ import annotations

import hashlib
import importlib
import os
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

from locpress import __version__
from locpress.config import Config
from locpress.errors import LocpressError
from locpress.formats import document as document_module
from locpress.formats import htmlsource
from locpress.formats import markdown as markdown_module
from locpress.formats.document import Document
from locpress.formats.sources import BINARY_FORMATS, FORMAT_NAMES, decode
from locpress.formats.sources import parse as parse_source
from locpress.gettext import provenance
from locpress.gettext.catalog import Catalog, parse_po, stats
from locpress.qa.glossary import Glossary
from locpress.qa.glossary import parse_bytes as parse_glossary_bytes
from locpress.run import project as project_module
from locpress.run import store
from locpress.run.project import (
    Changed,
    Project,
    Release,
    State,
    Writer,
    code_stamp,
    dependency_stamp,
    read_bytes,
    write_atomic,
)
from locpress.stages import extract as extract_stage
from locpress.stages.report import Report


class Lazy:
    """A module imported when one of its names is first used."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(f"locpress.{self._name}")
        return getattr(self._module, attribute)


_T = TypeVar("_T")
Progress = Callable[[str, int, int], None]
#: Called with each input file right after the pipeline read it: tests edit the file there,
#: between a stage's read and its write, to prove the next run notices (never timing luck).
READ_HOOK: Callable[[Path], None] | None = None
BOM = b"\xef\xbb\xbf"


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def _just_modified(path: Path) -> bool:
    """Modified within the file system's racy interval: an editor may be writing it still."""
    try:
        return os.stat(path).st_mtime_ns >= time.time_ns() - project_module.RACY_NS
    except OSError:
        return False


class Runner:
    """One command's pass over a project: the one owner of its files and of the order of
    things. Stages are pure functions (`locpress.stages`, `locpress.qa`, `locpress.web`); the
    drivers (`extracting`, `publishing`, `drafting`, `checking`) read through the runner,
    call a stage, and write through it. The runner reads (stamping each input as it is
    read), keeps the parse cache and the documents, templates and catalogs it parsed, runs
    items one by one (`each`) with the one retry of `store.until_settled`, writes (`write`,
    `rewrite`, batched and atomic through `store`), and keeps the run state and the report."""

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
        self.memos: dict[tuple[str, ...], Any] = {}  # what a driver reads or makes once per command

    def memo(self, key: tuple[str, ...], make: Callable[[], _T]) -> _T:
        """What `make` gives, made once per command (a check context, the release template)."""
        if key not in self.memos:
            self.memos[key] = make()
        return cast(_T, self.memos[key])

    def stage_work(self, stage: str, draft: bool = False) -> Callable[[str, Release], None]:
        """What a parallel stage does to one (locale, release) item: the pipeline's."""
        raise NotImplementedError(stage)

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
            data = self.read_input(path)
            if data is None:
                raise LocpressError("source file disappeared", shown)
            self.documents[release.name] = self._parsed(release, shown, data)
            if data.startswith(BOM):
                self.boms.add(release.name)
        return self.documents[release.name]

    def as_source(self, release: Release, text: str) -> bytes:
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

    def read_input(self, path: Path) -> bytes | None:
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
            data = self.read_input(path)
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

    def each(self, stage: str, items: Sequence[tuple[str, Release]], work: Callable[[str, Release], None]) -> None:
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

    def write(self, path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> None:
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

    def remember(self, key: str, files: dict[str, Path], **extra: object) -> None:
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

    @cached_property
    def word_limits(self) -> Any:
        from locpress.formats.docx_package import Limits
        return Limits(max_unpacked=self.config.word_max_unpacked, max_ratio=self.config.word_max_ratio)

    def record_counts(self, path: Path, catalog: Catalog, template: bool = False) -> list[int]:
        """Remember a catalog's status counts: a stage that parsed it anyway (build) saves
        `status` from parsing it again."""
        s = stats(catalog)
        if template:
            s = type(s)(s.total, 0, 0, s.total, s.words, 0)
        counts = [s.total, s.reviewed, s.fuzzy, s.untranslated, s.words, s.reviewed_words]
        self.state.remember(f"s:{self.project.shown(path)}", {"po": path}, counts=counts)
        return counts

    def check_glossary(self) -> Glossary:
        """The project's glossary.csv (empty when there is none)."""
        path = self.project.glossary_path()
        data = self.project.read(path)
        if data is None:
            return Glossary()
        return parse_glossary_bytes(data, self.project.shown(path), self.config.source_locale)

    def check_template(self, release: Release) -> tuple[Catalog | None, str]:
        """(template, its path) for the `outdated` check; an unreadable template is an error."""
        shown = self.project.shown(self.project.template_path(release))
        try:
            return self.template(release), shown
        except LocpressError as exc:
            if not os.path.lexists(self.project.template_path(release)):
                return None, shown
            self.report.errors.append(exc)
            return None, ""
