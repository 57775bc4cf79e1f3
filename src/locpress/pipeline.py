"""The stages run over a project's files: extract, update, build, status.

Each stage applies the pure functions of its module to every selected release, reads and
writes through `project`, and records what happened in a `Report`. A file that cannot be
processed is reported and skipped; the others still are. Fingerprints in the run state let
a run over unchanged files read nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, build as build_stage, extract as extract_stage
from .catalog import Catalog, parse_po, stats, write_po, merge
from .config import Config
from .document import Document
from .errors import LocpressError
from .project import Changed, Project, Release, State, now, read_bytes, stamp, write_atomic
from .report import Report, Row
from .sources import decode, parse as parse_source

Progress = Callable[[str, int, int], None]
_DATE = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.M)


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


class Pipeline:
    """One command's pass over a project; caches what it parsed for the later stages."""

    def __init__(self, config: Config, report: Report, progress: Progress = _quiet) -> None:
        self.config = config
        self.project = Project(config)
        self.report = report
        self.progress = progress
        self.state = State(self.project.root, f"{__version__}:{config.fingerprint()}")
        self.documents: dict[str, Document] = {}
        self.templates: dict[str, Catalog] = {}

    def save(self) -> None:
        self.state.save()

    # --- reading ------------------------------------------------------------------------
    def document(self, release: Release) -> Document:
        if release.name not in self.documents:
            path = self.project.source_path(release)
            shown = self.project.shown(path)
            data = read_bytes(path)
            if data is None:
                raise LocpressError("source file disappeared", shown)
            split = extract_stage.splitter(self.config, markdown=release.suffix == ".md")
            self.documents[release.name] = parse_source(decode(data, shown), shown, split,
                                                        self.config.front_matter)
        return self.documents[release.name]

    def catalog(self, path: Path) -> tuple[Catalog | None, bytes | None]:
        data = read_bytes(path)
        return (parse_po(data, self.project.shown(path)), data) if data is not None else (None, None)

    def template(self, release: Release) -> Catalog:
        if release.name not in self.templates:
            found, _ = self.catalog(self.project.template_path(release))
            if found is None:
                raise LocpressError("no template: run `locpress extract` first",
                                    self.project.shown(self.project.template_path(release)))
            self.templates[release.name] = found
        return self.templates[release.name]

    def _each(self, stage: str, items: Sequence[tuple[str, Release]], work: Callable[[str, Release], None]) -> None:
        for done, (locale, release) in enumerate(items):
            self.progress(stage, done, len(items))
            try:
                work(locale, release)
            except LocpressError as exc:
                self.report.errors.append(exc)
        self.progress(stage, len(items), len(items))

    def _write(self, path: Path, data: bytes, expected: bytes | None = None, check: bool = False) -> None:
        if write_atomic(path, data, expected, check):
            self.report.written.append(self.project.shown(path))

    # --- extract ------------------------------------------------------------------------
    def extract(self, releases: Sequence[Release]) -> None:
        self._each("extract", [("", r) for r in releases], self._extract_one)

    def _extract_one(self, _locale: str, release: Release) -> None:
        source, pot = self.project.source_path(release), self.project.template_path(release)
        key = f"x:{release.name}"
        fingerprint = {"src": stamp(source), "pot": stamp(pot)}
        if None not in fingerprint.values() and self.state.get(key) == fingerprint:
            return
        doc = self.document(release)
        old = read_bytes(pot)
        old_date = _DATE.search(old) if old else None
        date = old_date.group(1).decode() if old_date else now()
        reference = f"{self.config.source_dir}/{release.source}"
        catalog = extract_stage.template(doc, reference, extract_stage.template_header(self.config, date))
        data = write_po(catalog).encode()
        if old is not None and data != old and old_date:
            catalog = extract_stage.template(doc, reference, extract_stage.template_header(self.config, now()))
            data = write_po(catalog).encode()
        self._write(pot, data)
        self.templates[release.name] = catalog
        self.state.put(key, {"src": stamp(source), "pot": stamp(pot)})

    # --- update -------------------------------------------------------------------------
    def update(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        self._each("update", [(loc, r) for loc in locales for r in releases], self._update_one)

    def _update_one(self, locale: str, release: Release) -> None:
        pot, po = self.project.template_path(release), self.project.catalog_path(locale, release)
        key = f"u:{locale}:{release.name}"
        fingerprint = {"pot": stamp(pot), "po": stamp(po)}
        if None not in fingerprint.values() and self.state.get(key) == fingerprint:
            return
        template = self.template(release)
        for _attempt in range(3):
            old, old_bytes = self.catalog(po)
            header = extract_stage.catalog_header(self.config, locale, template, old, now())
            data = write_po(merge(template, old, header)).encode()
            try:
                self._write(po, data, expected=old_bytes, check=True)
                break
            except Changed:
                self.report.notes.append(f"{self.project.shown(po)} changed while locpress read it; reading it again")
        else:
            raise LocpressError("keeps changing on disk; not updated", self.project.shown(po))
        self.state.put(key, {"pot": stamp(pot), "po": stamp(po)})

    # --- build --------------------------------------------------------------------------
    def build(self, releases: Sequence[Release], locales: Sequence[str], draft: bool) -> None:
        self._each("build", [(loc, r) for loc in locales for r in releases],
                   lambda loc, r: self._build_one(loc, r, draft))

    def _build_one(self, locale: str, release: Release, draft: bool) -> None:
        source, po = self.project.source_path(release), self.project.catalog_path(locale, release)
        out = self.project.output_path(locale, release)
        key = f"b:{locale}:{release.name}"
        fingerprint = {"src": stamp(source), "po": stamp(po), "out": stamp(out), "draft": draft}
        if None not in fingerprint.values() and self.state.get(key) == fingerprint:
            return
        doc = self.document(release)
        catalog, _ = self.catalog(po)
        translations = build_stage.reviewed_translations(catalog) if catalog else {}
        percent = build_stage.percent_reviewed(doc, translations)
        shown = self.project.shown(out)
        if percent < self.config.min_reviewed and not draft:
            self.report.notes.append(
                f"{shown}: not built, {percent:.1f}% reviewed (build.min_reviewed = {self.config.min_reviewed:g}; "
                "--draft builds anyway)")
            self.state.drop(key)
            return
        built = build_stage.build(doc, translations, locale)
        self._write(out, built.text.encode())
        if built.in_source_language:
            self.report.notes.append(
                f"{shown}: draft, {built.in_source_language} of {built.segments} segments in the source language")
        self.state.put(key, {"src": stamp(source), "po": stamp(po), "out": stamp(out), "draft": draft})

    # --- status -------------------------------------------------------------------------
    def status(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        self._each("status", [(loc, r) for loc in locales for r in releases], self._status_one)

    def _status_one(self, locale: str, release: Release) -> None:
        po = self.project.catalog_path(locale, release)
        path = po if po.exists() else self.project.template_path(release)
        key = f"s:{self.project.shown(path)}"
        fingerprint = stamp(path)
        cached = self.state.get(key)
        if fingerprint is not None and cached and cached[0] == fingerprint:
            counts = cached[1]
        else:
            catalog, _ = self.catalog(path)
            if catalog is None:
                self.report.notes.append(f"{release.name}: no catalog for {locale}; run `locpress update`")
                return
            s = stats(catalog)
            if path != po:
                s = type(s)(s.total, 0, 0, s.total, s.words, 0)
            counts = [s.total, s.reviewed, s.fuzzy, s.untranslated, s.words, s.reviewed_words]
            self.state.put(key, [fingerprint, counts])
        self.report.rows.append(Row(locale, release.name, *counts))
