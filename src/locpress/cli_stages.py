"""What each `locpress` command asks of the runner, and what it gives back to print.

`stages` runs the pipeline's stages for one parsed command and returns a `Done` (or the
check report's `Result`); the selection helpers turn the command line into locales and
catalogs. Nothing here prints or exits: `cli` prints what these return.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from locpress import config as config_mod
from locpress import findings as findings_mod
from locpress.cli_parser import Invocation
from locpress.errors import ConfigError, LocpressError
from locpress.run import portable
from locpress.run.project import Project
from locpress.wording import counted

if TYPE_CHECKING:  # the stages are imported when a command needs them: start-up is the cost of a no-op run
    from locpress.commands import pretranslate
    from locpress.pretranslate import memory
    from locpress.run.pipeline import Pipeline


@dataclass(frozen=True)
class Done:
    """What the stages of one command produced for the CLI to print, beside the Report."""

    exchanged: tuple[str, ...] = ()  # lines of align, tm, xliff and accept
    pretranslated: tuple[pretranslate.Summary, ...] = ()  # one per locale
    memory: tuple[list[memory.LocaleStats], list[memory.CacheStats]] | None = None  # `tm rebuild|stats`


def stages(cmd: Invocation, pipeline: Pipeline, releases: list, locales: list[str]) -> findings_mod.Result | Done:
    """Run the stages `cmd.command` stands for over the selection: `check` gives its
    findings, every other command what it produced beside the pipeline's Report."""
    command, args = cmd.command, cmd.options
    if command == "check":
        result = pipeline.check(releases, locales, args.fail_on or pipeline.config.check_fail_on,
                                args.jobs or portable.cpu_count())
        outdated = pipeline.outdated_findings(releases, locales)  # `published-outdated`: output/ vs a build now
        return findings_mod.Result(result.catalogs, result.findings + tuple(outdated), result.fail_on) \
            if outdated else result
    exchanged: list[str] = []
    pretranslated: list[pretranslate.Summary] = []
    stats: tuple[list[memory.LocaleStats], list[memory.CacheStats]] | None = None
    if command == "review":
        pipeline.review(releases, locales)
    if command == "accept":
        from locpress.commands import accept

        if len(locales) != 1 or not cmd.locales:
            raise ConfigError("accept needs one --locale (the language whose entries were checked)", "--locale")
        accepted = accept.accept(pipeline, releases, locales[0], args.origin, args.include_changed, args.dry_run)
        exchanged = accept.describe(accepted, args.dry_run)
    if command in ("extract", "run"):
        pipeline.extract(releases)
    if command in ("update", "run"):
        pipeline.update(releases, locales)
    if command == "pretranslate" or (command == "run" and pipeline.config.engine != "none"):
        from locpress.commands import pretranslate
        pretranslated = pretranslate.pretranslate(pipeline, releases, locales,
                                                  _pretranslate_options(cmd, pipeline.config), os.environ)
    if command in ("align", "xliff") or (command == "tm" and args.action in ("import", "export")):
        exchanged = _exchange(cmd, pipeline, releases, locales)
    elif command == "tm":
        from locpress.commands import pretranslate
        stats = (pretranslate.tm_rebuild(pipeline, locales), []) if args.action == "rebuild" \
            else pretranslate.tm_stats(pipeline, locales)
    if command in ("extract", "update", "pretranslate", "align", "accept") or (command == "xliff" and args.action
                                                                               == "import") \
            or (command == "tm" and args.action == "import"):
        # output/ holds only what may be published, after any command: what these made stale goes
        pipeline.sync_published(pipeline.project.releases() if command in ("align", "xliff", "tm") else releases,
                                locales)
    if command in ("build", "run"):
        pipeline.build(releases, locales, args.draft)
    if command in ("status", "run"):
        pipeline.status(releases, locales)
    if (command == "status" and args.format == "html") or (command == "run" and "html" in pipeline.config.formats):
        # The dashboard always shows the whole project, whatever --locale/--release selected.
        findings = pipeline.qa_findings(Path(args.findings), args.findings) if args.findings else None
        pipeline.dashboard(pipeline.project.releases(), pipeline.config.locales, findings)
    return Done(tuple(exchanged), tuple(pretranslated), stats)


def _exchange(cmd: Invocation, pipeline: Pipeline, releases: list, locales: list[str]) -> list[str]:
    """`align`, `tm import|export`, `xliff export|import`; file arguments are relative to the
    current folder, like any command-line path. Returns the lines to print."""
    from locpress.commands import exchange

    args = cmd.options
    if cmd.command == "align":
        if len(locales) != 1:
            raise ConfigError("align needs one --locale (the language of the translation)", "--locale")
        pairs, alone = exchange.file_pairs(Path(args.source), Path(args.translation))
        done = exchange.Alignment(pipeline, locales[0], args.trust).run(pairs)
        return exchange.describe_alignments(done, alone)
    if cmd.command == "tm":
        if len(cmd.files) != 1:
            raise ConfigError(f"tm {args.action} needs one FILE.tmx")
        name = cmd.files[0]
        if args.action == "import":
            return exchange.describe_tm_import(exchange.tm_import(pipeline, Path(name), name, args.trust))
        written, skipped = exchange.tm_export(pipeline, locales, Path(name), name)
        return [f"exported {counted(written, 'unit')} to {name}" + (f" ({skipped} left out: text XML cannot carry)"
                                                                     if skipped else "")]
    if args.action == "export":
        folder = args.output or f"{pipeline.config.drafts_dir}/xliff"
        base = Path(args.output) if args.output else pipeline.project.root / folder
        count = exchange.xliff_export(pipeline, releases, locales, base, folder.rstrip("/"))
        return [f"exported {counted(count, 'catalog')} as XLIFF 1.2 to {folder}"]
    if not cmd.files:
        raise ConfigError("xliff import needs one or more FILE.xlf")
    lines = []
    for name in cmd.files:
        try:
            imported = exchange.xliff_import(pipeline, Path(name), name, args.overwrite_reviewed)
        except LocpressError as exc:  # this file is reported; the others are still imported
            pipeline.report.errors.append(exc)
            continue
        lines += exchange.describe_xliff_import(imported)
    return lines


def _pretranslate_options(cmd: Invocation, config: config_mod.Config) -> pretranslate.Options:
    from locpress.commands import pretranslate

    args = cmd.options
    return pretranslate.Options(
        engine=getattr(args, "engine", None) or config.engine, url=getattr(args, "engine_url", None),
        dry_run=getattr(args, "dry_run", False), max_chars=getattr(args, "max_chars", None),
        fail_on_engine_error=args.fail_on_engine_error)


def catalogs_given(project: Project, files: tuple[str, ...], releases: list,
                   locales: list[str]) -> set[tuple[str, str]]:
    """(locale, release) of each CATALOG.po given to `check`; a file that is not a catalog of
    a selected release and locale of this project is a usage error."""
    base = (project.root / project.config.locales_dir).resolve()
    names = {r.name for r in releases}
    wanted = set()
    for name in files:
        try:
            relative = Path(name).resolve().relative_to(base).as_posix()
        except ValueError:
            raise ConfigError(f"not a catalog of this project (not under {project.config.locales_dir}/)", name) from None
        locale, _slash, rest = relative.partition("/")
        if not rest.endswith(".po") or locale not in locales or rest[:-3] not in names:
            raise ConfigError("not the catalog of a selected locale and release of this project", name)
        wanted.add((locale, rest[:-3]))
    return wanted


def chosen_locales(requested: tuple[str, ...], config: config_mod.Config) -> list[str]:
    """The locales of `--locale` (each configured), or every configured one."""
    chosen = list(dict.fromkeys(config_mod.normalize_locale(code, "--locale") for code in requested))
    for locale in chosen:
        if locale not in config.locales:
            raise ConfigError(f"locale {locale!r} is not configured (locales = {list(config.locales)})", "--locale")
    return chosen or list(config.locales)


def signature(cmd: Invocation, locales: list[str]) -> str:
    """What makes two `run` commands the same: their options and the selection."""
    from locpress.run.project import dependency_stamp

    options = {"command": cmd.command, **vars(cmd.options), "locale": list(cmd.locales),
               "release": list(cmd.releases), "verbose": cmd.verbose}
    return json.dumps([dict(sorted(options.items())), locales, dependency_stamp()], sort_keys=True, default=str)
