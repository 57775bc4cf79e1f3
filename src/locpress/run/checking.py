"""Drivers of status, check and review sheets over the selected catalogs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from typing import TYPE_CHECKING

from locpress import findings as findings_stage
from locpress.config import Config
from locpress.errors import LocpressError
from locpress.qa.glossary import Glossary
from locpress.run import portable, publishing
from locpress.run.project import (
    Release,
)
from locpress.run.runner import Lazy, Runner
from locpress.run.workers import _inherited
from locpress.stages.report import Report, Row

if TYPE_CHECKING:
    from locpress.qa import checks as checks_stage
    from locpress.qa import rules_catalog as catalog_rules
    from locpress.web import review as review_stage
else:  # imported on first use: a command pays only for the stages it runs (start-up is most of a no-op)
    checks_stage = Lazy("qa.checks")
    catalog_rules = Lazy("qa.rules_catalog")
    review_stage = Lazy("web.review")

# --- status -------------------------------------------------------------------------
def status(p: Runner, releases: Sequence[Release], locales: Sequence[str]) -> None:
    p.each("status", [(loc, r) for loc in locales for r in releases], partial(status_one, p))


def status_one(p: Runner, locale: str, release: Release) -> None:
    found = row(p, locale, release)
    if found is None:
        p.report.notes.append(f"{release.name}: no catalog for {locale}; run `locpress update`")
        return
    p.report.rows.append(published(p, locale, release, found))


def published(p: Runner, locale: str, release: Release, row: Row) -> Row:
    """The row with whether (and how) `output/` publishes the release."""
    if not p.project.output_path(locale, release).is_file():
        return dataclasses.replace(row, published="no")
    if publishing.outdated(p, locale, release):
        return dataclasses.replace(row, published="outdated")
    recorded = p.state.get(f"b:{locale}:{release.name}")
    extra = recorded.get("extra", {}) if isinstance(recorded, dict) else {}
    in_source = extra.get("in_source", 0) if isinstance(extra, dict) else 0
    return dataclasses.replace(row, published="current", in_source_language=int(in_source or 0))


def row(p: Runner, locale: str, release: Release) -> Row | None:
    """Counts of a release in a locale (from its template when the catalog does not exist
    yet); None when neither exists."""
    po = p.project.catalog_path(locale, release)
    path = po if po.exists() else p.project.template_path(release)
    key = f"s:{p.project.shown(path)}"
    cached = p.state.get(key)
    if p.state.fresh(key, {"po": path}) and isinstance(cached, dict):
        counts = cached["extra"]["counts"]
    else:
        catalog, _ = p.catalog(path)
        if catalog is None:
            return None
        counts = p.record_counts(path, catalog, template=path != po)
    return Row(locale, release.name, *counts)


# --- check and review ---------------------------------------------------------------
def check(p: Runner, releases: Sequence[Release], locales: Sequence[str],
          fail_on: str = findings_stage.ERROR, jobs: int = 1) -> findings_stage.Result:
    """Run the checks over the selected catalogs; other releases inform consistency only.

    Locales are independent, so with `jobs` > 1 they are checked in that many processes.
    """
    glossary = p.check_glossary()
    jobs = min(jobs, len(locales))
    if jobs <= 1 or len(releases) * len(locales) < PARALLEL_MINIMUM:
        return checked(p, releases, locales, glossary, fail_on)[0]
    found: dict[str, tuple[list[findings_stage.Checked], list[findings_stage.Finding]]] = {}
    context = portable.worker_context()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=portable.die_with_parent,
                             initargs=(_inherited(context),)) as pool:
        futures = {pool.submit(_check_job, p.config, list(releases), locale, glossary): locale
                   for locale in locales}
        for done, future in enumerate(as_completed(futures)):
            p.progress("check", done, len(locales))
            catalogs, findings, errors = future.result()
            found[futures[future]] = (catalogs, findings)
            p.report.errors.extend(LocpressError(message, path, line) for message, path, line in errors)
    p.progress("check", len(locales), len(locales))
    return findings_stage.Result(tuple(c for locale in locales for c in found[locale][0]),
                                 tuple(f for locale in locales for f in found[locale][1]), fail_on)


def checked(p: Runner, releases: Sequence[Release], locales: Sequence[str], glossary: Glossary,
             fail_on: str = findings_stage.ERROR
             ) -> tuple[findings_stage.Result, dict[tuple[str, str], catalog_rules.CatalogFile]]:
    enabled = checks_stage.selected(p.config.check_disable, p.config.path)
    found: list[findings_stage.Finding] = []
    catalogs: list[findings_stage.Checked] = []
    files_by_name: dict[tuple[str, str], catalog_rules.CatalogFile] = {}
    for done, locale in enumerate(locales):
        p.progress("check", done, len(locales))
        files = check_files(p, locale, releases, catalogs)
        files_by_name.update(((f.locale, f.release), f) for f in files if f.selected)
        context = checks_stage.context(locale, p.config, glossary)
        found.extend(checks_stage.check_locale(files, context, enabled))
    p.progress("check", len(locales), len(locales))
    return findings_stage.Result(tuple(catalogs), tuple(found), fail_on), files_by_name


def check_files(p: Runner, locale: str, releases: Sequence[Release],
                 catalogs: list[findings_stage.Checked]) -> list[catalog_rules.CatalogFile]:
    files = []
    for release in releases:
        path = p.project.catalog_path(locale, release)
        shown = p.project.shown(path)
        try:
            data = p.project.read(path)
        except LocpressError as exc:  # this catalog is reported; the others are still checked
            p.report.errors.append(exc)
            continue
        catalogs.append(findings_stage.Checked(locale, release.name, shown, data is not None))
        if data is None:
            continue
        file = catalog_rules.CatalogFile(locale, release.name, shown, data)
        file.template, file.template_path = p.check_template(release)
        file.parse()
        files.append(file)
    selected = {release.name for release in releases}
    for name in p.project.catalog_releases(locale):
        if name not in selected:
            other = Release(name, "")
            path = p.project.catalog_path(locale, other)
            try:
                data = p.project.read(path)
            except LocpressError as exc:
                p.report.errors.append(exc)
                continue
            if data is not None:
                file = catalog_rules.CatalogFile(locale, name, p.project.shown(path), data, selected=False)
                file.parse()
                files.append(file)
    return files


def review(p: Runner, releases: Sequence[Release], locales: Sequence[str]) -> None:
    """Write drafts/review/<locale>/<release>.html for every selected catalog."""
    result, files = checked(p, releases, locales, p.check_glossary())
    for catalog in result.catalogs:
        file = files.get((catalog.locale, catalog.release))
        if file is None:
            p.report.notes.append(f"{catalog.path}: no catalog; run `locpress update`")
            continue
        if file.catalog is None:
            line, message = file.problems[0]
            p.report.errors.append(LocpressError(f"{message}; no review sheet written", catalog.path, line))
            continue
        sheet = review_stage.Sheet(catalog.locale, catalog.release, catalog.path, file.catalog,
                                   tuple(result.of(catalog)), p.config.source_locale)
        release = Release(catalog.release, "")
        p.write(p.project.review_path(catalog.locale, release), review_stage.render(sheet).encode())


#: Fewer catalogs than this are checked in one process: starting workers would cost more.
PARALLEL_MINIMUM = 200


def _check_job(config: Config, releases: list[Release], locale: str, glossary: Glossary
               ) -> tuple[list[findings_stage.Checked], list[findings_stage.Finding], list[tuple[str, str | None, int | None]]]:
    """One locale's checks in a worker process; errors travel back as (message, path, line)."""
    report = Report()
    result, _files = checked(Runner(config, report), releases, [locale], glossary)
    return list(result.catalogs), list(result.findings), [(e.message, e.path, e.line) for e in report.errors]
