"""The exchange stages: `align`, `tm import|export` and `xliff export|import` over a project.

Like `pretranslate`, each stage reads and writes through `project` (atomic writes; a
catalog a translator saved meanwhile is read again, never overwritten) and records what
it did in summaries the CLI prints. The formats and the alignment themselves are pure
(`align`, `tmx`, `xliff`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import align as align_stage, htmlsource, markdown, tmx, xliff
from .catalog import write_po
from .config import joins_without_space
from .document import Document
from .errors import ConfigError, LocpressError
from .extract import splitter, whole
from .pretranslate import open_memory, sync_memory
from .project import Changed, Release, read_bytes, write_atomic
from .sources import FORMATS, decode, parse_text

if TYPE_CHECKING:
    from .pipeline import Pipeline


# --- align ----------------------------------------------------------------------------------

@dataclass
class Aligned:
    """One source file aligned with its translation."""

    source: str
    translation: str
    release: str | None
    alignment: align_stage.Alignment
    filled: align_stage.Filled


def file_pairs(source: Path, translation: Path) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(source, translation) files: the two files, or every release file of a source
    folder with the file at the same relative path in the translation folder; and the
    source files that have no translation."""
    if source.is_file():
        if not translation.is_file():
            raise ConfigError(f"not a file: {translation} (the source is a file)")
        return [(source, translation)], []
    if not source.is_dir() or not translation.is_dir():
        missing = source if not source.is_dir() else translation
        raise ConfigError(f"no such file or folder: {missing}")
    pairs, alone = [], []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder, name)
            if path.suffix not in FORMATS or name.startswith("."):
                continue
            other = translation / path.relative_to(source)
            if other.is_file():
                pairs.append((path, other))
            else:
                alone.append(str(path))
    return pairs, alone


class Alignment:
    """One `align` command: file pairs in, catalogs and memory filled."""

    def __init__(self, pipeline: Pipeline, locale: str, trust: bool) -> None:
        self.pipeline = pipeline
        self.project = pipeline.project
        self.config = pipeline.config
        self.locale = locale
        self.trust = trust
        self.joiner = "" if joins_without_space(locale) else " "

    def release_of(self, path: Path) -> Release | None:
        """The release a source file is, when it lies under the project's source folder."""
        base = (self.project.root / self.config.source_dir).resolve()
        try:
            relative = path.resolve().relative_to(base)
        except ValueError:
            return None
        return Release(relative.with_suffix("").as_posix(), path.suffix)

    def run(self, pairs: Sequence[tuple[Path, Path]]) -> list[Aligned]:
        releases = list({r.name: r for r in (self.release_of(s) for s, _t in pairs) if r is not None}.values())
        if releases:  # the catalogs must exist, and be up to date, before they are filled
            self.pipeline.extract(releases)
            self.pipeline.update(releases, [self.locale])
        done = []
        with open_memory(self.pipeline) as memory:
            for source, translation in pairs:
                try:
                    found = self.one(source, translation)
                except LocpressError as exc:
                    self.pipeline.report.errors.append(exc)
                    continue
                if found is not None:
                    origin = f"align:{found.translation}"
                    memory.add_imported(self.locale, origin, [(a, b, self.trust) for a, b in found.filled.pairs])
                    done.append(found)
        return done

    def one(self, source: Path, translation: Path) -> Aligned | None:
        release = self.release_of(source)
        failed = self.pipeline.failed
        if release is not None and (("", release.name) in failed or (self.locale, release.name) in failed):
            return None  # extract or update reported it
        doc = self.pipeline.document(release) if release is not None else self.read(source, self.source_split)
        shown = self.project.shown(translation.resolve())
        target = self.read(translation, self.target_split, doc.format)
        result = align_stage.align(doc, target)
        if release is not None:
            filled = self.fill(release, result.links, shown)
        else:  # not a release of this project: the memory only
            filled = align_stage.Filled(pairs=align_stage.pairs(result.links, self.joiner))
        return Aligned(self.project.shown(source.resolve()), shown, release.name if release else None,
                       result, filled)

    def source_split(self, markdown_file: bool) -> Callable[[str], list[tuple[int, int]]]:
        return splitter(self.config, markdown=markdown_file)

    def target_split(self, _markdown_file: bool) -> Callable[[str], list[tuple[int, int]]]:
        return whole if self.config.segmentation == "paragraph" else align_stage.split_target

    def read(self, path: Path, split: Callable[[bool], Callable[[str], list[tuple[int, int]]]],
             format: str | None = None) -> Document:
        """Parse a file with the reader of `format` (default: its own extension)."""
        shown = self.project.shown(path.resolve())
        data = read_bytes(path)
        if data is None:
            raise LocpressError("no such file", shown)
        if path.suffix in (".docx", ".docm"):  # a past translation kept as a Word file
            from . import docx
            return docx.parse(data, shown, split(True), self.pipeline.word_limits)
        text = decode(data, shown)
        if path.suffix == ".html" and format in (None, "html"):
            return htmlsource.parse(text, shown, split(True))
        is_markdown = (format or ("md" if path.suffix == ".md" else "txt")) == "md"
        if is_markdown:
            return markdown.parse(text, shown, split(True), self.config.front_matter)
        return parse_text(text, shown, split(False))

    def fill(self, release: Release, links: list[align_stage.Link], origin: str) -> align_stage.Filled:
        """Fill the release's catalog; if a translator saved it meanwhile, fill theirs."""
        path = self.project.catalog_path(self.locale, release)
        for _attempt in range(3):
            catalog, data = self.pipeline.catalog(path)
            if catalog is None:
                raise LocpressError("no catalog after update", self.project.shown(path))
            filled = align_stage.fill(catalog, links, origin, self.trust, self.joiner)
            try:
                if write_atomic(path, write_po(catalog).encode(), expected=data, check=True):
                    self.pipeline.state.forget(path)
                    self.pipeline.report.written.append(self.project.shown(path))
                return filled
            except Changed:
                self.pipeline.report.notes.append(f"{self.project.shown(path)} changed while locpress read it; "
                                                  "reading it again")
        raise LocpressError("keeps changing on disk; not aligned", self.project.shown(path))


# --- TMX ------------------------------------------------------------------------------------

@dataclass
class TmImported:
    path: str
    units: dict[str, int] = field(default_factory=dict)  # per locale
    read: tmx.TmxRead = field(default_factory=tmx.TmxRead)


def tm_import(pipeline: Pipeline, path: Path, shown: str, trust: bool) -> TmImported:
    """Put a TMX file's units into the memory of the configured locales (replacing what an
    earlier import of the same file put there)."""
    data = read_bytes(path)
    if data is None:
        raise ConfigError("no such file", shown)
    found = tmx.read_tmx(data, shown, pipeline.config.source_locale, pipeline.config.locales)
    result = TmImported(shown, read=found)
    with open_memory(pipeline) as memory:
        for locale in pipeline.config.locales:
            units = [(u.source, u.target, u.reviewed and trust) for u in found.units if u.locale == locale]
            memory.add_imported(locale, f"tmx:{shown}", units)
            result.units[locale] = len(units)
    return result


def tm_export(pipeline: Pipeline, locales: Sequence[str], path: Path, shown: str) -> tuple[int, int]:
    """Write the memory of the locales (brought up to date first) as TMX; returns (units
    written, units left out)."""
    units = []
    with open_memory(pipeline) as memory:
        for locale in locales:
            sync_memory(pipeline, memory, locale)
            units += [tmx.TmxUnit(m.source, m.target, locale, m.reviewed, m.release) for m in memory.entries(locale)]
    text, skipped = tmx.write_tmx(units, pipeline.config.source_locale)
    if write_atomic(path, text.encode()):
        pipeline.report.written.append(shown)
    return len(units) - skipped, skipped


# --- XLIFF ----------------------------------------------------------------------------------

def xliff_export(pipeline: Pipeline, releases: Sequence[Release], locales: Sequence[str], folder: Path,
                 shown: str) -> int:
    """Write `<folder>/<locale>/<release>.xlf` for every catalog; returns how many."""
    count = 0
    for locale in locales:
        for release in releases:
            path = pipeline.project.catalog_path(locale, release)
            try:
                catalog, _ = pipeline.catalog(path)
            except LocpressError as exc:
                pipeline.report.errors.append(exc)
                continue
            if catalog is None:
                pipeline.report.notes.append(f"{release.name}: no catalog for {locale}; run `locpress update`")
                continue
            text, skipped = xliff.write_xliff(catalog, release.name, pipeline.config.source_locale, locale)
            target = folder / locale / f"{release.name}.xlf"
            if write_atomic(target, text.encode()):
                pipeline.report.written.append(f"{shown}/{locale}/{release.name}.xlf")
            if skipped:
                pipeline.report.notes.append(f"{pipeline.project.shown(path)}: {skipped} plural or unwritable "
                                             "entries left out of the XLIFF")
            count += 1
    return count


@dataclass
class XliffImported:
    path: str
    catalog: str
    result: xliff.Imported


def xliff_import(pipeline: Pipeline, path: Path, shown: str) -> list[XliffImported]:
    """Apply each `<file>` of an XLIFF document to its release's catalog."""
    data = read_bytes(path)
    if data is None:
        raise ConfigError("no such file", shown)
    done = []
    for part in xliff.read_xliff(data, shown):
        locale = tmx.locale_for(part.target_language, pipeline.config.locales)
        if locale is None:
            raise LocpressError(f"target-language {part.target_language!r} is not a configured locale "
                                f"({', '.join(pipeline.config.locales)})", shown)
        if not part.original:
            raise LocpressError("a <file> without original= (which names the release)", shown)
        catalog_path = pipeline.project.catalog_path(locale, Release(part.original, ""))
        result = _apply_xliff(pipeline, catalog_path, part.units)
        done.append(XliffImported(shown, pipeline.project.shown(catalog_path), result))
    return done


def _apply_xliff(pipeline: Pipeline, path: Path, units: list[xliff.XliffUnit]) -> xliff.Imported:
    shown = pipeline.project.shown(path)
    for _attempt in range(3):
        catalog, data = pipeline.catalog(path)
        if catalog is None:
            raise LocpressError("no such catalog (the XLIFF names a release this project does not have)", shown)
        result = xliff.apply(catalog, units)
        try:
            if write_atomic(path, write_po(catalog).encode(), expected=data, check=True):
                pipeline.state.forget(path)
                pipeline.report.written.append(shown)
            return result
        except Changed:
            pipeline.report.notes.append(f"{shown} changed while locpress read it; reading it again")
    raise LocpressError("keeps changing on disk; not imported", shown)


# --- what the CLI prints --------------------------------------------------------------------

def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'


def describe_alignments(done: Sequence[Aligned], alone: Sequence[str]) -> list[str]:
    """A line per file pair, then every refused block with its place, then lone sources."""
    lines = []
    for item in done:
        result, filled = item.alignment, item.filled
        shapes = Counter(f"{len(link.source)}-{len(link.target)}" for link in result.links)
        where = f"release {item.release}" if item.release else "not a release of this project: memory only"
        catalog = (f"; catalog: {filled.filled} filled, {filled.kept} already translated, {filled.joined} joined"
                   if item.release else "")
        lines.append(f"aligned {item.source} with {item.translation} ({where}): {result.text_pairs} of {result.source_blocks} "
                     f"blocks, {len(result.links)} sentence links ({', '.join(f'{n} {k}' for k, n in sorted(shapes.items()))})"
                     f"{catalog}; memory: {len(filled.pairs)} pairs")
        for refused in result.refused:
            path = item.source if refused.side == "source" else item.translation
            lines.append(f"  refused {path}:{refused.block.line}: {refused.block.kind} "
                         f"{_excerpt(refused.block.text)}: {refused.reason}")
    lines += [f"no translation for {path}" for path in alone]
    return lines


def describe_tm_import(done: TmImported) -> list[str]:
    found = done.read
    per_locale = ", ".join(f"{locale} {count}" for locale, count in done.units.items())
    lines = [f"imported {sum(done.units.values())} units from {done.path} ({per_locale})"]
    if found.incomplete:
        lines.append(f"  {found.incomplete} units without a source or a translation left out")
    for lang, count in sorted(found.other_languages.items()):
        lines.append(f"  {count} units in {lang!r} left out: not a configured locale")
    return lines


def describe_xliff_import(done: Sequence[XliffImported]) -> list[str]:
    lines = []
    for item in done:
        result = item.result
        lines.append(f"imported {item.path} into {item.catalog}: {result.changed} entries changed, "
                     f"{result.unchanged} unchanged")
        lines += [f"  now fuzzy, was reviewed: {_excerpt(m)}" for m in result.downgraded]
        lines += [f"  kept the translation (the XLIFF target is empty): {_excerpt(m)}" for m in result.kept]
        lines += [f"  no such entry (the source changed since the export?): {_excerpt(m)}" for m in result.missing]
    return lines
