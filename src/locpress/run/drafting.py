"""Drivers of drafts (`build --draft`) and the dashboard: the work folder, never `output/`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from locpress.errors import ConfigError, LocpressError
from locpress.formats.sources import BINARY_FORMATS
from locpress.run import checking, publishing
from locpress.run.project import (
    Release,
    read_bytes,
)
from locpress.run.runner import Lazy, Runner
from locpress.stages import build as build_stage
from locpress.stages.report import Row

if TYPE_CHECKING:
    from locpress.web import dashboard as dashboard_stage
    from locpress.web import html as html_stage
else:  # imported on first use: a command pays only for the stages it runs (start-up is most of a no-op)
    dashboard_stage = Lazy("web.dashboard")
    html_stage = Lazy("web.html")

# --- drafts -------------------------------------------------------------------------
def draft_one(p: Runner, locale: str, release: Release) -> None:
    """A draft of the release in the drafts folder, in the release's own format: every
    translation there is (reviewed, memory, machine, aligned, pseudo), the source where
    there is none. Its web page is `_draft_page_one`'s, once every draft is written."""
    key = f"d:{locale}:{release.name}"
    files = {"src": p.project.source_path(release), "po": p.project.catalog_path(locale, release),
             "out": p.project.draft_path(locale, release)}
    template = html_stage.template_digest(publishing.release_template(p)[0])
    if p.state.fresh(key, files, template=template):
        return
    doc = p.document(release)
    catalog, _ = p.catalog(p.project.catalog_path(locale, release))
    found = build_stage.draft_translations(catalog) if catalog else {}
    texts = {text: origin_text[0] for text, origin_text in found.items()}
    counts = build_stage.origin_counts(doc, found)
    shown = p.project.shown(p.project.draft_path(locale, release))
    if release.suffix in BINARY_FORMATS:
        p.write(files["out"], publishing.build_word(p, p.project.source_path(release), texts, locale).data)
    elif release.suffix == ".html":  # a web page is its own page: the draft page, marked by origin
        p.write(files["out"], draft_html(p, locale, release, []).encode())
    else:
        built = build_stage.build(doc, texts, locale)
        text = built.text if release.suffix != ".md" else build_stage.mark_markdown_draft(
            built.text, build_stage.describe_origins(counts))
        p.write(files["out"], p.as_source(release, text))
    p.report.notes.append(f"draft {shown}: {build_stage.describe_origins(counts)}")
    p.remember(key, files, template=template)


def draft_page_one(p: Runner, locale: str, release: Release) -> None:
    """The web page of a Markdown or text draft; its language switcher links to the drafts
    of the release that exist."""
    if release.suffix in (*BINARY_FORMATS, ".html") or ("", release.name) in p.failed:
        return
    page = p.project.draft_path(locale, release, ".html")
    files = {"src": p.project.source_path(release), "po": p.project.catalog_path(locale, release),
             "out": p.project.draft_path(locale, release), "page": page}
    if not files["out"].is_file():
        return
    key = f"dp:{locale}:{release.name}"
    locales = [loc for loc in p.config.locales if p.project.draft_path(loc, release).is_file()]
    template = html_stage.template_digest(publishing.release_template(p)[0])
    if p.state.fresh(key, files, locales=locales, template=template):
        return
    p.write(page, draft_html(p, locale, release, locales).encode())
    p.remember(key, files, locales=locales, template=template)


def draft_html(p: Runner, locale: str, release: Release, locales: Sequence[str] | None = None) -> str:
    """The draft page of a release: banner, `noindex`, each segment marked by origin."""
    doc = p.document(release)
    catalog, _ = p.catalog(p.project.catalog_path(locale, release))
    found = build_stage.draft_translations(catalog) if catalog else {}
    counts = build_stage.origin_counts(doc, found)
    marked = build_stage.marked_build(doc, found, locale)
    source_lang = html_stage.lang_tag(p.config.source_locale)
    source_dir = html_stage.direction(p.config.source_locale)
    if locales is None:
        locales = [loc for loc in p.config.locales if p.project.catalog_path(loc, release).is_file()]
    note = f"Draft — not for publication. {build_stage.describe_origins(counts)}."
    if release.suffix == ".html":
        page = html_stage.marks_to_spans(marked, source_lang, source_dir)
    else:
        page = publishing.release_html(p, locale, release, marked, locales)
        page = html_stage.marks_to_spans(page, source_lang, source_dir)
    return html_stage.as_draft(page, note, counts)


def write_draft_notices(p: Runner, locales: Sequence[str]) -> None:
    for locale in locales:
        path = p.project.drafts_dir() / locale / build_stage.DRAFT_NOTICE
        if path.parent.is_dir():
            p.write(path, build_stage.draft_notice_text(locale).encode())


# --- dashboard ----------------------------------------------------------------------
def dashboard(p: Runner, releases: Sequence[Release], locales: Sequence[str],
              findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None) -> None:
    """Write the dashboard (`drafts/index.html`); `findings` are QA counts by (locale, release name)."""
    p.write(p.project.dashboard_path(),
                dashboard_html(p, releases, locales, findings).encode())


def dashboard_html(p: Runner, releases: Sequence[Release], locales: Sequence[str],
                   findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None,
                   every_page: bool = False) -> str:
    """The dashboard page; with `every_page`, link every release (preview renders drafts)."""
    entries = []
    for locale in locales:
        for release in releases:
            row = dashboard_row(p, locale, release)
            if row is None:
                continue
            published = p.project.output_path(locale, release, ".html" if release.suffix not in BINARY_FORMATS
                                                  and "html" in p.config.formats else None)
            page: str | None
            if every_page:
                page, draft = f"{locale}/{release.name}.html", None
            else:
                page = link(p, published) if p.project.output_path(locale, release).is_file() else None
                draft = link(p, p.project.draft_path(locale, release, ".html")) \
                    or link(p, p.project.draft_path(locale, release))
            entries.append(dashboard_stage.Entry(
                row, page=page, review=link(p, p.project.review_path(locale, release)),
                findings=(findings or {}).get((locale, release.name)), draft=draft,
                outdated=not every_page and page is not None and publishing.outdated(p, locale, release)))
    return dashboard_stage.render(entries, p.config.project_name)


def qa_findings(p: Runner, path: Path, shown: str) -> dict[tuple[str, str], dashboard_stage.Findings]:
    """QA counts for the dashboard from a saved `locpress check --format json` report."""
    data = read_bytes(path)
    if data is None:
        raise ConfigError("no such file (write one with `locpress check --format json --output FILE`)", shown)
    try:
        return dashboard_stage.findings_from_report(json.loads(data))
    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors too
        raise LocpressError(f"not a check report: {exc}", shown) from None


def dashboard_row(p: Runner, locale: str, release: Release) -> Row | None:
    """A release's row, or None after reporting (once) a catalog that cannot be read."""
    try:
        return checking.row(p, locale, release)
    except LocpressError as exc:
        if str(exc) not in {str(e) for e in p.report.errors}:
            p.report.errors.append(exc)
        return None


def link(p: Runner, path: Path) -> str | None:
    """`path` relative to the dashboard in the drafts folder, when the file is there."""
    if not path.is_file():
        return None
    return Path(os.path.relpath(path, p.project.dashboard_path().parent)).as_posix()
