"""The stages run over a project's files: extract, update, build, status, check, review,
drafts and the dashboard, as the commands call them.

`Runner` (runner.py) owns the files and the order of things; the drivers apply the pure
functions of the stages to every selected release through it; a file that cannot be
processed is reported and skipped, the others still are. Fingerprints in the run state let a
run over unchanged files read nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from locpress import findings as findings_stage
from locpress.run import (
    checking,
    drafting,
    extracting,
    publishing,
    workers,
)
from locpress.run.project import (
    Release,
)
from locpress.run.runner import Lazy, Runner

if TYPE_CHECKING:
    from locpress.web import dashboard as dashboard_stage
else:  # imported on first use: a command pays only for the stages it runs (start-up is most of a no-op)
    dashboard_stage = Lazy("web.dashboard")

class Pipeline(Runner):
    """The stages over a project, as commands call them: each entry point is its driver's
    (`extracting`, `publishing`, `drafting`, `checking`) over this runner."""

    def stage_work(self, stage: str, draft: bool = False) -> Callable[[str, Release], None]:
        """What a parallel stage does to one (locale, release) item."""
        if stage == "extract":
            return partial(extracting.extract_one, self)
        if stage == "update":
            return partial(extracting.update_one, self)
        if stage == "draft":
            return partial(drafting.draft_one, self)
        return partial(publishing.build_one, self)

    # --- build --------------------------------------------------------------------------
    def build(self, releases: Sequence[Release], locales: Sequence[str], draft: bool) -> None:
        """Publish what may be published into `output/` and withdraw what may not (see
        `_build_one`); with `draft`, also write every selected release as a draft into the
        drafts folder, never into `output/`."""
        items = [(loc, r) for loc in locales for r in releases]
        workers.each_parallel(self, "build", items)
        publishing.sweep(self)
        if "html" in self.config.formats:  # every locale: a withdrawn page leaves the others' switchers
            self.each("html", [(loc, r) for loc in self.config.locales for r in releases], partial(publishing.html_one, self))
        if draft:
            workers.each_parallel(self, "draft", items)
            if "html" in self.config.formats:  # after every draft: each page links to the drafts there are
                self.each("draft page", items, partial(drafting.draft_page_one, self))
            drafting.write_draft_notices(self, locales)

    def sync_published(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        """After a command that changed sources or catalogs (extract, update, pretranslate,
        accept, align, an import): every published release those changes made stale is built
        again, or withdrawn (kept with `build.keep_outdated`) when it may no longer be
        published, so `output/` never holds a stale release. A release that fails the gate here
        is said in a note: the gate's exit code belongs to `build` and `run`."""
        self.flush()
        stale = [(loc, r) for loc in locales for r in releases if self.project.output_path(loc, r).is_file()
                 and not self.state.fresh(f"b:{loc}:{r.name}", publishing.build_files(self, loc, r))]
        if not stale:
            return
        before = len(self.report.gate_failures)
        self.each("build", stale, partial(publishing.build_one, self))
        self.report.notes.extend(f"{line} (`locpress build` exits 1 on it)" for line in self.report.gate_failures[before:])
        del self.report.gate_failures[before:]
        if "html" in self.config.formats:
            names = {r.name for _loc, r in stale}
            self.each("html", [(loc, r) for loc in self.config.locales for r in releases if r.name in names],
                       partial(publishing.html_one, self))

    def extract(self, releases: Sequence[Release]) -> None:
        extracting.extract(self, releases)

    def update(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        extracting.update(self, releases, locales)

    def status(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        checking.status(self, releases, locales)

    def check(self, releases: Sequence[Release], locales: Sequence[str],
              fail_on: str = findings_stage.ERROR, jobs: int = 1) -> findings_stage.Result:
        return checking.check(self, releases, locales, fail_on, jobs)

    def review(self, releases: Sequence[Release], locales: Sequence[str]) -> None:
        checking.review(self, releases, locales)

    def outdated_findings(self, releases: Sequence[Release], locales: Sequence[str]) -> list[findings_stage.Finding]:
        return publishing.outdated_findings(self, releases, locales)

    def dashboard(self, releases: Sequence[Release], locales: Sequence[str],
                  findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None) -> None:
        drafting.dashboard(self, releases, locales, findings)

    def dashboard_html(self, releases: Sequence[Release], locales: Sequence[str],
                       findings: Mapping[tuple[str, str], dashboard_stage.Findings] | None = None,
                       every_page: bool = False) -> str:
        return drafting.dashboard_html(self, releases, locales, findings, every_page)

    def draft_html(self, locale: str, release: Release, locales: Sequence[str] | None = None) -> str:
        return drafting.draft_html(self, locale, release, locales)

    def qa_findings(self, path: Path, shown: str) -> dict[tuple[str, str], dashboard_stage.Findings]:
        return drafting.qa_findings(self, path, shown)
