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

from locpress.commands.pretranslate import open_memory, sync_memory
from locpress.config import joins_without_space
from locpress.errors import ConfigError, LocpressError
from locpress.exchange import tmx, xliff, xliff_match
from locpress.formats import htmlsource, markdown
from locpress.formats.document import Document
from locpress.formats.sources import FORMATS, decode, parse_text
from locpress.gettext.catalog import write_po
from locpress.run.project import Project, Release, read_bytes, write_atomic, write_file
from locpress.stages import align as align_stage
from locpress.stages.extract import splitter, whole
from locpress.wording import counted

if TYPE_CHECKING:
    from locpress.run.pipeline import Pipeline


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
                    origin = f"align:{origin_name(self.project, translation)}"
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
            filled = self.fill(release, result.links, origin_name(self.project, translation))
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
            from locpress.formats import docx
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
        filled: list[align_stage.Filled] = []

        def produce(_again: bool) -> tuple[bytes | None, bytes | None]:
            catalog, data = self.pipeline.catalog(path)
            if catalog is None:
                raise LocpressError("no catalog after update", self.project.shown(path))
            filled[:] = [align_stage.fill(catalog, links, origin, self.trust, self.joiner)]
            return data, write_po(catalog).encode()

        self.pipeline.rewrite(path, produce, "aligned")
        return filled[0]


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
            memory.add_imported(locale, f"tmx:{origin_name(pipeline.project, path)}", units)
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
    if write_file(path, text.encode(), shown):
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
            try:
                if write_file(target, text.encode(), f"{shown}/{locale}/{release.name}.xlf"):
                    pipeline.report.written.append(f"{shown}/{locale}/{release.name}.xlf")
            except LocpressError as exc:  # this file is reported; the others are still exported
                pipeline.report.errors.append(exc)
                continue
            if skipped:
                pipeline.report.notes.append(f"{pipeline.project.shown(path)}: {skipped} plural or unwritable "
                                             "entries left out of the XLIFF")
            count += 1
    return count


@dataclass
class XliffImported:
    """One catalog an XLIFF `<file>` was applied to."""

    path: str
    catalog: str
    result: xliff.Imported
    how: str = ""  # how the catalog was found, when `original` is not the release name
    shared: list[str] = field(default_factory=list)  # units that filled other catalogs too


@dataclass
class XliffRead:
    """What `xliff import FILE` did: per catalog, and the units no catalog has."""

    done: list[XliffImported] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    path: str = ""


def xliff_import(pipeline: Pipeline, path: Path, shown: str, overwrite_reviewed: bool = False) -> XliffRead:
    """Apply each `<file>` of an XLIFF document to its release's catalog: the release
    `original` names, or, when it names none, every catalog of the locale that has the
    units' source texts (shared boilerplate fills each of them)."""
    data = read_bytes(path)
    if data is None:
        raise ConfigError("no such file", shown)
    config, project = pipeline.config, pipeline.project
    read = XliffRead(path=shown)
    origin = origin_name(project, path)
    for part in xliff.read_xliff(data, shown):
        locale = _locale_of(part, config.locales, shown)
        releases = {r.name: r for r in project.releases()}
        markers = [f"{config.locales_dir}/{locale}/", f"{config.locales_dir}/templates/", f"{config.source_dir}/"]
        name, how = xliff_match.release_for(part.original, list(releases), markers)
        if name is not None:
            catalog_path = project.catalog_path(locale, releases.get(name, Release(name, "")))
            result = _apply_xliff(pipeline, catalog_path, part.units, overwrite_reviewed, origin)
            read.done.append(XliffImported(shown, project.shown(catalog_path), result, how))
            continue
        _import_by_content(pipeline, part, locale, list(releases.values()), overwrite_reviewed, origin, read)
    return read


def _locale_of(part: xliff.XliffFile, locales: Sequence[str], shown: str) -> str:
    if not part.target_language:
        if len(locales) == 1:
            return locales[0]
        raise LocpressError("a <file> without target-language= (which names the locale)", shown)
    locale = tmx.locale_for(part.target_language, locales)
    if locale is None:
        raise LocpressError(f"target-language {part.target_language!r} is not a configured locale "
                            f"({', '.join(locales)})", shown)
    return locale


def _import_by_content(pipeline: Pipeline, part: xliff.XliffFile, locale: str, releases: Sequence[Release],
                       overwrite_reviewed: bool, origin: str, read: XliffRead) -> None:
    """Find the catalogs of a `<file>` from its units: source text plus context."""
    project = pipeline.project
    where: dict[int, list[Path]] = {}
    for release in releases:
        path = project.catalog_path(locale, release)
        try:
            catalog, _data = pipeline.catalog(path)
        except LocpressError as exc:
            pipeline.report.errors.append(exc)
            continue
        if catalog is None:
            continue
        entries = xliff.Entries(catalog)
        for index, unit in enumerate(part.units):
            if any(entry is not None for _unit, entry in entries.resolve(unit)):
                where.setdefault(index, []).append(path)
    if not where:
        what = f'original "{part.original}"' if part.original else "a <file> without original="
        raise LocpressError(f"{what} is not a release of this project, and none of its "
                            f"{counted(len(part.units), 'unit')} is in a catalog of {locale}", read.path)
    read.unmatched += [u.source for i, u in enumerate(part.units) if i not in where]
    catalogs: dict[Path, list[int]] = {}
    for index, paths in where.items():
        for path in paths:
            catalogs.setdefault(path, []).append(index)
    found = f'original "{part.original}"' if part.original else "no original="
    for path, indexes in catalogs.items():
        units = [part.units[i] for i in sorted(indexes)]
        result = _apply_xliff(pipeline, path, units, overwrite_reviewed, origin)
        how = (f"{found} is not a release: matched by content, "
               f"{len(units)} of {counted(len(part.units), 'unit')}")
        shared = [part.units[i].source for i in sorted(indexes) if len(where[i]) > 1]
        read.done.append(XliffImported(read.path, project.shown(path), result, how, shared))


def _apply_xliff(pipeline: Pipeline, path: Path, units: list[xliff.XliffUnit], overwrite_reviewed: bool,
                 origin: str) -> xliff.Imported:
    shown = pipeline.project.shown(path)
    results: list[xliff.Imported] = []

    def produce(_again: bool) -> tuple[bytes | None, bytes | None]:
        catalog, data = pipeline.catalog(path)
        if catalog is None:
            raise LocpressError("no such catalog (the XLIFF names a release this project does not have)", shown)
        results[:] = [xliff.apply(catalog, units, overwrite_reviewed, f"{xliff.PROVENANCE}{origin}")]
        return data, write_po(catalog).encode()

    pipeline.rewrite(path, produce, "imported")
    return results[0]


def origin_name(project: Project, path: Path) -> str:
    """How a file from outside is named in what locpress writes into catalogs and the
    memory: its path in the project, or its bare name when it lies outside (a catalog is
    committed, and an absolute path of someone's machine means nothing to the others)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(project.root).as_posix()
    except ValueError:
        return resolved.name


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
        lines.append(f"aligned {item.source} with {item.translation} ({where}): {result.text_pairs} of "
                     f"{counted(result.source_blocks, 'block')}, {counted(len(result.links), 'sentence link')} "
                     f"({', '.join(f'{n} {k}' for k, n in sorted(shapes.items()))})"
                     f"{catalog}; memory: {counted(len(filled.pairs), 'pair')}")
        for refused in result.refused:
            path = item.source if refused.side == "source" else item.translation
            lines.append(f"  refused {path}:{refused.block.line}: {refused.block.kind} "
                         f"{_excerpt(refused.block.text)}: {refused.reason}")
        lines += [f"  kept the catalog's translation of {_excerpt(msgid)}: the aligned one differs ({_excerpt(ours)})"
                  for msgid, ours in filled.differs]
    lines += [f"no translation for {path}" for path in alone]
    return lines


def describe_tm_import(done: TmImported) -> list[str]:
    found = done.read
    per_locale = ", ".join(f"{locale} {count}" for locale, count in done.units.items())
    lines = [f"imported {counted(sum(done.units.values()), 'unit')} from {done.path} ({per_locale})"]
    if found.incomplete:
        lines.append(f"  {counted(found.incomplete, 'unit')} without a source or a translation left out")
    for lang, count in sorted(found.other_languages.items()):
        lines.append(f"  {counted(count, 'unit')} in {lang!r} left out: not a configured locale")
    return lines


def describe_xliff_import(read: XliffRead) -> list[str]:
    """A line per catalog, then what was not taken and why."""
    lines = []
    conflicts = 0
    for item in read.done:
        result = item.result
        how = f" ({item.how})" if item.how else ""
        lines.append(f"imported {item.path} into {item.catalog}{how}: {counted(result.changed, 'entry')} changed, "
                     f"{result.unchanged} unchanged")
        lines += [f"  now fuzzy, was reviewed: {_excerpt(m)}" for m in result.downgraded]
        lines += [f"  kept the translation (the XLIFF target is empty): {_excerpt(m)}" for m in result.kept]
        lines += [f"  no such entry (the source changed since the export?): {_excerpt(m)}" for m in result.missing]
        lines += [f"  also in other catalogs, filled in each: {_excerpt(m)}" for m in item.shared]
        for conflict in result.conflicts:
            lines.append(f"  conflict: {_excerpt(conflict.msgid)}: {conflict.why}; kept the catalog's "
                         f"{_excerpt(conflict.ours)}, not the XLIFF's {_excerpt(conflict.theirs)}")
        for conflict in result.overwritten:
            lines.append(f"  overwritten (--overwrite-reviewed): {_excerpt(conflict.msgid)}: {conflict.why}; "
                         f"was {_excerpt(conflict.ours)}, now {_excerpt(conflict.theirs)}")
        conflicts += len(result.conflicts)
    lines += [f"  in no catalog: {_excerpt(m)}" for m in read.unmatched]
    if conflicts:
        lines.append(f"{counted(conflicts, 'conflict')} in {read.path}: the catalog's work was kept "
                     "(`--overwrite-reviewed` takes the XLIFF's side)")
    return lines
