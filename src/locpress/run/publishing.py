"""Driver of publication: what `output/` holds. A release is built there when it may be
published (reviewed enough, passing the gate), withdrawn when it may not; its web pages; what
no release would publish is swept out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from locpress import findings as findings_stage
from locpress.errors import ConfigError, LocpressError
from locpress.formats.sources import BINARY_FORMATS, FORMAT_NAMES, decode
from locpress.gettext.catalog import Catalog
from locpress.run import project as project_module
from locpress.run.project import (
    Release,
)
from locpress.run.runner import Lazy, Runner
from locpress.stages import build as build_stage
from locpress.stages import extract as extract_stage
from locpress.wording import counted

if TYPE_CHECKING:
    from locpress.qa import checks as checks_stage
    from locpress.qa import rules_catalog as catalog_rules
    from locpress.web import html as html_stage
else:  # imported on first use: a command pays only for the stages it runs (start-up is most of a no-op)
    checks_stage = Lazy("qa.checks")
    catalog_rules = Lazy("qa.rules_catalog")
    html_stage = Lazy("web.html")

def build_files(p: Runner, locale: str, release: Release) -> dict[str, Path]:
    return {"src": p.project.source_path(release), "po": p.project.catalog_path(locale, release),
            "out": p.project.output_path(locale, release)}


def build_one(p: Runner, locale: str, release: Release) -> None:
    key = f"b:{locale}:{release.name}"
    files = build_files(p, locale, release)
    out = files["out"]
    if p.state.fresh(key, files):
        return
    try:
        publish(p, locale, release, key, files)
    except LocpressError:
        withdraw(p, out, "not built (see the error)")
        p.state.drop(key)
        raise


def publish(p: Runner, locale: str, release: Release, key: str, files: dict[str, Path]) -> None:
    out = files["out"]
    shown = p.project.shown(out)
    doc = p.document(release)
    catalog, data = p.catalog(files["po"])
    if catalog is not None:
        p.record_counts(files["po"], catalog)
    translations = build_stage.reviewed_translations(catalog) if catalog else {}
    percent = build_stage.percent_reviewed(doc, translations)
    if percent < p.config.min_reviewed:
        missing = build_stage.to_review(doc, translations)
        p.report.notes.append(
            f"{shown}: not published, {percent:.1f}% reviewed (build.min_reviewed = {p.config.min_reviewed:g}; "
            "`--draft` writes a draft to review)")
        unpublish(p, key, out, f"{why(p, key, files)}, {counted(missing, 'segment')} to review")
        return
    failing = gate_findings(p, locale, release, catalog, data) if catalog is not None and data else []
    if failing:
        for finding in failing:
            p.report.gate_failures.append(
                f"not published: {finding.path}:{finding.line}: {finding.severity} [{finding.check}] "
                f"{finding.message}")
        p.report.notes.append(f"{shown}: not published, {counted(len(failing), 'check finding')} at or "
                                 f"above {p.config.gate} (build.fail_on) in {p.project.shown(files['po'])}")
        unpublish(p, key, out, f"{counted(len(failing), 'check finding')} at or above {p.config.gate}")
        return
    if release.suffix in BINARY_FORMATS:
        word = build_word(p, files["src"], translations, locale)
        p.write(out, word.data)
        built = word
    else:
        text = build_stage.build(doc, translations, locale)
        p.write(out, p.as_source(release, text.text))
        built = text
    if built.in_source_language:
        p.report.notes.append(
            f"{shown}: published with {built.in_source_language} of {built.segments} segments in the source "
            f"language (build.min_reviewed = {p.config.min_reviewed:g})")
    p.remember(key, files, in_source=built.in_source_language)


def why(p: Runner, key: str, files: dict[str, Path]) -> str:
    """What changed since the last publication, from the run state: source or catalog."""
    recorded = p.state.get(key)
    stamps = recorded.get("files", {}) if isinstance(recorded, dict) else {}
    if not stamps:
        return "not reviewed"
    if not project_module.unchanged(stamps.get("src"), files["src"], p.state.stat(files["src"])):
        return "source changed"
    return "catalog changed"


def unpublish(p: Runner, key: str, out: Path, reason: str) -> None:
    """An outdated or unfit release leaves `output/`, unless `build.keep_outdated` keeps it."""
    if p.config.keep_outdated and out.is_file():
        p.report.notes.append(f"kept {p.project.shown(out)} (build.keep_outdated): published-outdated, {reason}")
        return
    p.state.drop(key)
    withdraw(p, out, reason)


def withdraw(p: Runner, path: Path, reason: str) -> None:
    """Take a file out of `output/`: said on a `withdrawn` line."""
    p.state.forget(path)
    try:
        path.unlink()
    except (FileNotFoundError, IsADirectoryError):  # a folder in its place publishes nothing
        return
    except OSError as exc:
        p.report.errors.append(LocpressError(f"cannot withdraw: {exc.strerror or exc}", p.project.shown(path)))
        return
    p.report.withdrawn.append(f"{p.project.shown(path)}: {reason}")
    prune(p, path.parent)


def prune(p: Runner, folder: Path) -> None:
    """Remove folders a withdrawal left empty, up to `output/` itself."""
    top = p.project.output_dir()
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def gate_findings(p: Runner, locale: str, release: Release, catalog: Catalog, data: bytes) -> list[findings_stage.Finding]:
    """The `check` findings that stop a release's publication: at or above `build.fail_on`,
    on the catalog itself or on a reviewed entry (what the build uses); `[check] disable` applies."""
    file = catalog_rules.CatalogFile(locale, release.name, p.project.shown(p.project.catalog_path(locale, release)),
                                    data)
    file.template, file.template_path = p.check_template(release)
    file.parse()
    found = checks_stage.check_file(file, gate_context(p, locale), gate_checks(p))
    return [f for f in found if not f.fuzzy and findings_stage.at_least(f.severity, p.config.gate)]


def gate_checks(p: Runner) -> tuple[Any, ...]:
    """The checks of the gate (`[check] disable` applies), chosen once per command."""
    return p.memo(("gate checks",), lambda: checks_stage.selected(p.config.check_disable, p.config.path))


def gate_context(p: Runner, locale: str) -> Any:
    """A locale's check context (glossary, plural rules), made once per command."""
    return p.memo(("gate context", locale), lambda: checks_stage.context(locale, p.config, p.check_glossary()))


def sweep(p: Runner) -> None:
    """Withdraw what no release of the project would publish: outputs of removed releases,
    of formats no longer built, and what older versions of locpress wrote into `output/`
    (the dashboard, review sheets, XLIFF exports: now in the drafts folder)."""
    base = p.project.output_dir()
    if not base.is_dir():
        return
    releases = {r.name: r for r in p.project.releases()}
    html = "html" in p.config.formats
    for locale in p.config.locales:
        folder = base / locale
        if not folder.is_dir():
            continue
        for path in sorted(f for f in folder.rglob("*") if f.is_file()):
            relative = path.relative_to(folder).as_posix()
            stem, suffix = relative.rsplit(".", 1) if "." in relative.rsplit("/", 1)[-1] else (relative, "")
            if f".{suffix}" not in (*FORMAT_NAMES, *BINARY_FORMATS, ".html"):
                continue
            release = releases.get(stem)
            if release is None:
                withdraw(p, path, "its source release is gone")
            elif f".{suffix}" != release.suffix and not (suffix == "html" and html and release.suffix
                                                          not in BINARY_FORMATS):
                withdraw(p, path, "not a format this project builds (build.formats)")
    for folder in sorted(d for d in base.iterdir() if d.is_dir() and d.name not in p.config.locales):
        if not _locale_code(folder.name):
            continue
        for path in sorted(f for f in folder.rglob("*") if f.is_file()):  # only files of this project's releases
            stem = path.relative_to(folder).as_posix().rsplit(".", 1)[0]
            if stem in releases:
                withdraw(p, path, f"{folder.name} is not a configured locale (locales = {list(p.config.locales)})")
    for legacy, what in (("index.html", "the dashboard"), ("review", "review sheets"), ("xliff", "XLIFF exports")):
        path = base / legacy
        files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else []
        for file in files:
            try:
                head = (p.project.read(file) or b"")[:4096]
            except LocpressError:  # not ours to judge: left where it is
                continue
            if b'content="locpress"' in head or b"<xliff" in head or b"<title>Review: " in head:
                withdraw(p, file, f"{what}: now in {p.config.drafts_dir}/, not for publication")


def build_word(p: Runner, source: Path, translations: dict[str, str], locale: str) -> Any:
    """A Word release built from its source's bytes (docx.build walks them again)."""
    from locpress.config import joins_without_space
    from locpress.formats import docx
    data = p.read_input(source)
    if data is None:
        raise LocpressError("source file disappeared", p.project.shown(source))
    return docx.build(data, p.project.shown(source), extract_stage.splitter(p.config, markdown=True),
                      translations, locale, "" if joins_without_space(locale) else " ", p.word_limits)


def outdated(p: Runner, locale: str, release: Release) -> bool:
    """Whether `output/` holds a version of the release other than what `build` would
    publish now (kept by `build.keep_outdated`, or not rebuilt yet)."""
    files = build_files(p, locale, release)
    out = files["out"]
    if not out.is_file() or p.state.fresh(f"b:{locale}:{release.name}", files):
        return False
    try:
        doc = p.document(release)
        catalog, _ = p.catalog(files["po"])
        translations = build_stage.reviewed_translations(catalog) if catalog else {}
        if build_stage.percent_reviewed(doc, translations) < p.config.min_reviewed:
            return True
        if release.suffix in BINARY_FORMATS:
            want = build_word(p, files["src"], translations, locale).data
        else:
            want = p.as_source(release, build_stage.build(doc, translations, locale).text)
    except LocpressError:
        return True
    have = p.project.read(out) or b""
    return project_module.line_endings_like(have, want, out.suffix) != have


def outdated_findings(p: Runner, releases: Sequence[Release], locales: Sequence[str]) -> list[findings_stage.Finding]:
    """`published-outdated` findings, one per published release that is not current."""
    if "published-outdated" in p.config.check_disable:
        return []
    found = []
    for locale in locales:
        for release in releases:
            if outdated(p, locale, release):
                po = p.project.shown(p.project.catalog_path(locale, release))
                found.append(findings_stage.Finding(
                    "published-outdated", findings_stage.WARNING,
                    f"{p.project.shown(p.project.output_path(locale, release))} is published but not "
                    "current (kept by build.keep_outdated, or not rebuilt yet): it says what the English said before", locale,
                    release.name, po, 1))
    return found


# --- html ---------------------------------------------------------------------------
def html_one(p: Runner, locale: str, release: Release) -> None:
    """Render the built release to HTML: a pass of its own after every locale is built,
    because each page links to the same release in every locale that has it. A web page
    is its own localized page, and a Word release has none."""
    if release.suffix == ".html" or release.suffix in BINARY_FORMATS:
        return
    built, page = p.project.output_path(locale, release), p.project.output_path(locale, release, ".html")
    key = f"h:{locale}:{release.name}"
    data = p.read_input(built)
    if data is None:
        p.state.drop(key)
        withdraw(p, page, "its release is not published")
        return
    locales = built_locales(p, release)
    files = {"src": p.project.source_path(release), "built": built, "page": page}
    template = html_stage.template_digest(release_template(p)[0])
    if p.state.fresh(key, files, locales=locales, template=template):
        return
    text = decode(data, p.project.shown(built))
    p.write(page, release_html(p, locale, release, text, locales).encode())
    p.remember(key, files, locales=locales, template=template)


def built_locales(p: Runner, release: Release) -> list[str]:
    """The configured locales whose output holds this release, in configuration order:
    a published page links only to published pages."""
    return [loc for loc in p.config.locales if p.project.output_path(loc, release).is_file()]


def release_template(p: Runner) -> tuple[str | None, str]:
    """(the project's own release template or None, its path as shown in errors), read once
    per command."""

    def read() -> tuple[str | None, str]:
        path = p.project.release_template_path()
        data = p.read_input(path)
        shown = p.project.shown(path)
        return (decode(data, shown) if data is not None else None), shown

    return p.memo(("release template",), read)


def release_html(p: Runner, locale: str, release: Release, text: str, locales: Sequence[str], draft: str = "") -> str:
    """The HTML page of a built release text (Markdown or plain text) in one locale."""
    source = p.project.source_path(release)
    data = p.read_input(source)
    if data is None:
        raise LocpressError("source file disappeared", p.project.shown(source))
    word = release.suffix in BINARY_FORMATS  # previewed as its text: a paragraph per translatable block
    page = html_stage.Page(locale=locale, release=release.name, text=text.replace("\n", "\n\n") if word else text,
                           source=p.document(release).text.replace("\n", "\n\n") if word
                           else decode(data, p.project.shown(source)),
                           format="txt" if word else release.suffix.lstrip("."), locales=tuple(locales), draft=draft)
    override, shown = release_template(p)
    return html_stage.render(page, override, shown)


def _locale_code(name: str) -> bool:
    """Whether a folder name is a locale code (`fr`, `pt_BR`), as a locale's output folder is."""
    from locpress.config import normalize_locale

    try:
        normalize_locale(name)
    except ConfigError:
        return False
    return True


