"""Drivers of extract and update: read the inputs, call the pure stage, write the result."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from locpress.gettext import provenance
from locpress.gettext.catalog import write_po
from locpress.run import workers
from locpress.run.project import (
    Release,
    now,
)
from locpress.run.runner import Runner
from locpress.stages import extract as extract_stage
from locpress.stages import update as update_stage


# --- extract ------------------------------------------------------------------------
def extract(p: Runner, releases: Sequence[Release]) -> None:
    stale = [("", r) for r in releases if not p.state.fresh(f"x:{r.name}", extract_files(p, r))]
    if len(stale) >= workers.PARALLEL_ITEMS:
        workers.each_parallel(p, "extract", stale)  # workers parse and write
    else:
        p.each("extract", stale, partial(extract_one, p))


def extract_files(p: Runner, release: Release) -> dict[str, Path]:
    return {"src": p.project.source_path(release), "pot": p.project.template_path(release)}


def extract_one(p: Runner, _locale: str, release: Release) -> None:
    key = f"x:{release.name}"
    files = extract_files(p, release)
    pot = files["pot"]
    if p.state.fresh(key, files):
        return
    doc, old = p.document(release), p.project.read(pot)  # read
    catalog, data = extract_stage.template_bytes(doc, f"{p.config.source_dir}/{release.source}", p.config, old,
                                                 now())
    p.write(pot, data)
    p.templates[release.name] = catalog
    p.remember(key, files)


# --- update -------------------------------------------------------------------------
def update(p: Runner, releases: Sequence[Release], locales: Sequence[str]) -> None:
    workers.each_parallel(p, "update", [(loc, r) for loc in locales for r in releases])


def update_one(p: Runner, locale: str, release: Release) -> None:
    pot, po = p.project.template_path(release), p.project.catalog_path(locale, release)
    key = f"u:{locale}:{release.name}"
    files = {"pot": pot, "po": po}
    if p.state.fresh(key, files):
        return
    if not po.exists():
        first = first_catalog(p, locale, release)
        if first is not None:
            p.write(po, first.encode(), expected=None, check=True)
            p.remember(key, files)
            return
    template, record, (old, old_bytes) = p.template(release), p.provenance_record(po), p.catalog(po)  # read
    merged = update_stage.updated(p.config, locale, template, old, record, now())
    p.write(po, write_po(merged).encode(), expected=old_bytes, check=True)  # `Changed`: `_each` retries
    found = provenance.record_of(merged, record)
    if found:  # also comments added by hand (`#. locpress: ignore`) are recorded before a merge drops them
        p.write(po.with_name(provenance.record_name(po.name)), provenance.dumps(found, po.name).encode())
    p.remember(key, files)


def first_catalog(p: Runner, locale: str, release: Release) -> str | None:
    """A new locale's catalog without parsing the template: merging a template into no
    catalog gives the template's entries under the locale's header, so when extract wrote
    this template (the run state vouches for its bytes) and it has no plural entry, the
    catalog is its text with the header replaced. None when that cannot be vouched for."""
    files = extract_files(p, release)
    data = p.read_input(files["pot"])
    if data is None or not p.state.fresh(f"x:{release.name}", files):
        return None
    return update_stage.first_catalog(p.config, locale, data, now())
