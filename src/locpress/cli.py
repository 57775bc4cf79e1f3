"""The `locpress` command: the only place that prints and exits.

Exit codes: 0 ok, 1 a gate failed, 2 usage or configuration error, 3 some file could not
be processed (the others still were).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from locpress import __version__
from locpress import config as config_mod
from locpress import findings as findings_mod
from locpress.errors import ConfigError, LocpressError
from locpress.findings import SEVERITIES
from locpress.run import portable
from locpress.run.project import (
    Project,
    locked,
    os_reason,
    printable,
    record_run,
    replay,
    write_file,
)
from locpress.stages.report import (
    EXIT_FILES,
    EXIT_OK,
    EXIT_USAGE,
    Report,
    as_json,
    table,
)
from locpress.wording import counted

if TYPE_CHECKING:  # the stages are imported when a command needs them: start-up is the cost of a no-op run
    from locpress.commands import pretranslate
    from locpress.pretranslate import memory
    from locpress.run.pipeline import Pipeline

EXAMPLES = {
    "extract": "locpress extract --release '2023/11/*'",
    "update": "locpress update --locale ko",
    "build": "locpress build --locale ko --draft",
    "status": "locpress status --format json --fail-under 100",
    "run": "locpress run            # extract, update, build, status",
    "preview": "locpress preview --port 8000   # then open http://127.0.0.1:8000/",
    "check": "locpress check --locale ko --format github --fail-on warning   # or: locpress check locales/ko/a.po",
    "review": "locpress review --locale ko --release '2023/11/*'",
    "pretranslate": "LOCPRESS_LIBRE_API_KEY=... locpress pretranslate --locale ko --engine libre --dry-run",
    "tm": "locpress tm stats            # or: tm rebuild, tm import old.tmx, tm export --locale ko ko.tmx",
    "align": "locpress align source/2019 archive/ko/2019 --locale ko   # or two files",
    "xliff": "locpress xliff export --locale ko -o xliff/   # then: locpress xliff import xliff/ko/2023/11/x.xlf",
    "init": "locpress init press-releases --locale ko --locale fr",
    "import": "locpress import saved/page.html --name 2023/11/climate-dialogue",
    "accept": "locpress accept --locale ko --origin aligned --dry-run   # then without --dry-run",
}
DESCRIPTIONS = {
    "accept": "Make the fuzzy entries of one locale's catalogs reviewed, after a reviewer checked them (in the "
              "drafts or the review sheets), and list them: only entries with a translation, of the --origin given; "
              "entries whose English changed (#| previous msgid) stay fuzzy unless --include-changed; "
              "pseudo-localized text and entries with check errors stay fuzzy and are listed.",
    "extract": "Split source releases into segments and write locales/templates/<release>.pot.",
    "update": "Bring locales/<locale>/<release>.po in step with the templates (msgmerge semantics), and give "
              "entries back the provenance comments another tool's merge dropped (from <release>.provenance.json).",
    "build": "Publish output/<locale>/<release>.md (and .html with build.formats) from reviewed catalogs: only "
             "releases at build.min_reviewed whose catalogs pass the checks at build.fail_on; an outdated or failing "
             "release is withdrawn from output/ (or kept with build.keep_outdated). --draft also writes drafts with "
             "every translation there is into drafts/<locale>/.",
    "status": "Report segments, words, reviewed, fuzzy and untranslated per locale and release "
              "and whether output/ publishes it (--format html writes the dashboard drafts/index.html).",
    "run": "extract, update, pretranslate (when pretranslate.engine is not `none`), build and status in one go, "
           "and the dashboard drafts/index.html when build.formats has html. A run that would change nothing "
           "replays the last one's output.",
    "preview": "Serve the project on 127.0.0.1: the dashboard and every release page rendered afresh as a draft "
               "(as build --draft writes them: banner, noindex, origin marks) on every request. Writes nothing.",
    "check": "Run the quality checks over translated and fuzzy entries and the catalogs themselves "
             "(--list shows them): of the catalogs given as CATALOG.po paths (as a pre-commit hook passes them), "
             "or of every selected locale and release; exit 1 when a finding reaches --fail-on.",
    "review": "Write drafts/review/<locale>/<release>.html: source and translation side by side with "
              "states, provenance, findings and what changed in fuzzy entries.",
    "pretranslate": "Fill empty entries: exact then fuzzy translation-memory matches, then machine translation "
                    "(fuzzy, with a provenance comment). Each text is sent once and cached before use.",
    "tm": "The translation memory in .locpress/: `rebuild` reads every catalog again, `stats` shows its size "
          "and the machine-translation cache, `import FILE.tmx` and `export FILE.tmx` exchange it as TMX 1.4.",
    "align": "Align English releases with translations made without locpress (two files, or two folders with the "
             "same relative paths): aligned sentences fill the empty entries of the release's catalog (fuzzy, "
             "or reviewed with --trust) and the translation memory. Blocks that cannot be aligned are listed.",
    "xliff": "Exchange catalogs as XLIFF 1.2 (valid against the strict and transitional schemas): `export` writes "
             "<DIR>/<locale>/<release>.xlf with a fingerprint of each entry; `import FILE.xlf` takes the targets and "
             "states that changed back into the catalogs (files of Translate Toolkit, Okapi, memoQ, Trados and "
             "Phrase too, matched by release name or by content), never over an entry changed since the export or, "
             "from elsewhere, a reviewed one: those are listed as conflicts.",
    "init": "Start a project in DIR (default: the -C folder): locpress.toml, source/, locales/, a .gitignore, "
            "a GitHub Actions workflow .github/workflows/translations.yml and a .pre-commit-config.yaml running "
            "`locpress check` on changed catalogs. Never overwrites a file; lists what it wrote.",
    "import": "Turn a saved web page, or a page's text copied from a browser, into a Markdown release under "
              "source/: its main text without the site's navigation, footers and related links, with title, date "
              "and location front matter. Never overwrites a source; lists what it dropped. A saved page needs "
              "trafilatura (pip install 'locpress[import]'); a text copy does not.",
}


def _printable_streams() -> None:
    """A console or pipe that cannot encode a character (a Windows code page, cp1252 or cp949)
    shows it as an escape instead of failing the command mid-report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    parser = _parser()
    args = _parse_args(parser, argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    _PRINTED.clear()
    try:
        code = _run(args)
    except LocpressError as exc:
        _error(exc)
        code = exc.exit_code
    except OSError as exc:  # what no stage turned into a LocpressError: still one line, never a traceback
        _error(LocpressError(os_reason(exc), exc.filename if isinstance(exc.filename, str) else None))
        code = EXIT_FILES
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`locpress status | head`): not an error
        return 0
    return code


COMMANDS = ("extract", "update", "build", "status", "run", "check", "review", "pretranslate", "tm", "align", "xliff",
            "accept")


def _common(parser: argparse.ArgumentParser, prefix: str) -> None:
    """The options every project command takes, before the command (`locpress -C dir -l ko
    status`) as after it; `prefix` keeps the two apart until `_merge_common` joins them."""
    suppress = argparse.SUPPRESS
    parser.add_argument("-C", dest=f"{prefix}root", default=suppress, metavar="DIR", help="project root (default: .)")
    parser.add_argument("-v", "--verbose", dest=f"{prefix}verbose", action="store_true", default=suppress,
                        help=f"list every file written and every note (default: a summary beyond {LISTED})")
    parser.add_argument("-l", "--locale", dest=f"{prefix}locale", action="append", default=suppress, metavar="L",
                        help="only this locale (repeatable; default: all configured)")
    parser.add_argument("--release", dest=f"{prefix}release", action="append", default=suppress, metavar="GLOB",
                        help="only releases whose name matches (repeatable), e.g. '2023/*'")
    parser.add_argument("--no-wait", dest=f"{prefix}no_wait", action="store_true", default=suppress,
                        help="fail at once if another locpress command runs on the project")


def _merge_common(args: argparse.Namespace) -> argparse.Namespace:
    """One value per common option: the command's own, else the one before the command;
    repeatable ones from both places."""
    merged = vars(args)
    for name, default in (("root", "."), ("verbose", False), ("locale", []), ("release", []), ("no_wait", False)):
        before, after = merged.pop(f"global_{name}", None), merged.get(name)
        if isinstance(default, list):
            merged[name] = [*(before or []), *(after or [])]
        elif name == "root":
            merged[name] = after if after is not None else before if before is not None else default
        else:
            merged[name] = bool(before or after)
    return args


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="locpress", description="Localization pipeline for press releases.",
        epilog="example: locpress -C path/to/project -l ko run      (python -m locpress works too)")
    parser.add_argument("--version", action="version", version=f"locpress {__version__}")
    _common(parser, "global_")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        sub = commands.add_parser(name, help=DESCRIPTIONS[name], description=DESCRIPTIONS[name],
                                  epilog=f"example: {EXAMPLES[name]}",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        if name in ("tm", "align", "xliff"):
            _exchange_arguments(sub, name)
        _common(sub, "")
        if name in ("build", "run"):
            sub.add_argument("--draft", action="store_true",
                             help="also write drafts into drafts/<locale>/ (never output/): every translation "
                                  "there is, marked by origin, the source where there is none")
        if name in ("status", "run"):
            sub.add_argument("--fail-under", type=_percent, metavar="P",
                             help="exit 1 when any selected release is below P percent reviewed")
            sub.add_argument("--findings", metavar="FILE",
                             help="show QA counts on the dashboard from a `locpress check --format json` report")
        if name == "status":
            sub.add_argument("--format", choices=("table", "json", "html"), default="table",
                             help="table (default), json, or html (writes the dashboard drafts/index.html)")
        if name == "check":
            _check_arguments(sub)
        if name in ("pretranslate", "run"):
            _pretranslate_arguments(sub, name)
        if name == "accept":
            sub.add_argument("--origin", action="append", choices=("aligned", "tm", "mt"), default=[],
                             help="only entries from this origin (repeatable; default: all but pseudo)")
            sub.add_argument("--include-changed", action="store_true",
                             help="also accept entries whose English changed since they were translated")
            sub.add_argument("--dry-run", action="store_true", help="list what would be accepted, write nothing")
    preview = commands.add_parser("preview", help=DESCRIPTIONS["preview"], description=DESCRIPTIONS["preview"],
                                  epilog=f"example: {EXAMPLES['preview']}",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    preview.add_argument("-C", dest="root", default=argparse.SUPPRESS, metavar="DIR",
                         help="project root (default: .)")
    preview.add_argument("--port", type=_port, default=8000, metavar="N",
                         help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    init = commands.add_parser("init", help=DESCRIPTIONS["init"], description=DESCRIPTIONS["init"],
                               epilog=f"example: {EXAMPLES['init']}",
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("folder", nargs="?", metavar="DIR", help="the new project's folder (created if need be)")
    init.add_argument("-C", dest="root", default=argparse.SUPPRESS, metavar="DIR", help="the folder, as DIR")
    init.add_argument("-l", "--locale", action="append", default=argparse.SUPPRESS, metavar="L",
                      help="a target locale (repeatable; default: ko)")
    init.add_argument("--install", metavar="SPEC", default=None,
                      help="how the CI workflow installs locpress, as a pip requirement (default: where this "
                           "locpress came from, e.g. locpress @ git+https://github.com/ORG/locpress@TAG)")
    page = commands.add_parser("import", help=DESCRIPTIONS["import"], description=DESCRIPTIONS["import"],
                               epilog=f"example: {EXAMPLES['import']}",
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    page.add_argument("page", metavar="PAGE", help="a saved web page (.html), or the text of one copied from a "
                      "browser (.txt); relative to the current folder")
    page.add_argument("--name", metavar="NAME", help="the release name under source/ (default: the page's file name)")
    page.add_argument("-C", dest="root", default=argparse.SUPPRESS, metavar="DIR", help="project root (default: .)")
    return parser


def _parse_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, letting `tm`, `xliff` and `check` take their FILEs after options (`tm export
    --locale ko ko.tmx`), which argparse alone refuses once an optional positional was passed by."""
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) in ("tm", "xliff", "check") \
            and not any(e.startswith("-") for e in extra):
        args.files = [*args.files, *extra]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return _merge_common(args)


def _exchange_arguments(sub: argparse.ArgumentParser, name: str) -> None:
    if name == "tm":
        sub.add_argument("action", choices=("rebuild", "stats", "import", "export"))
        sub.add_argument("files", nargs="*", metavar="FILE.tmx", help="the TMX file to import or export")
    elif name == "xliff":
        sub.add_argument("action", choices=("export", "import"))
        sub.add_argument("files", nargs="*", metavar="FILE.xlf", help="the XLIFF files to import")
        sub.add_argument("-o", dest="output", metavar="DIR", help="export into DIR (default: <drafts_dir>/xliff)")
        sub.add_argument("--overwrite-reviewed", action="store_true",
                         help="on import, take the XLIFF's side of every conflict: over reviewed entries and "
                              "entries changed since the export (default: keep the catalog's, and list them)")
    else:
        sub.add_argument("source", metavar="EN", help="an English release, or a folder of them")
        sub.add_argument("translation", metavar="KO", help="its translation, or a folder with the same relative paths")
    if name in ("tm", "align"):
        sub.add_argument("--trust", action="store_true",
                         help="count the translations as reviewed (default: fuzzy, for a translator to confirm)")


def _check_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="*", metavar="CATALOG.po",
                     help="check only these catalogs (paths from the current folder), as a pre-commit hook passes them")
    sub.add_argument("--format", choices=("text", "json", "github", "junit"), default="text",
                     help="text (default), json, github (workflow annotations) or junit (XML)")
    sub.add_argument("--fail-on", choices=SEVERITIES, default=None,
                     help="exit 1 when a finding has this severity or a higher one (default: check.fail_on, error)")
    sub.add_argument("--output", metavar="FILE",
                     help="write the report to FILE (relative to the current folder) instead of stdout")
    sub.add_argument("--list", action="store_true", help="list the checks with their severity and title, and exit")
    sub.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                     help="check up to N locales at once, in separate processes (default: the CPUs available)")


def _pretranslate_arguments(sub: argparse.ArgumentParser, name: str) -> None:
    sub.add_argument("--fail-on-engine-error", action="store_true",
                     help="exit 3 when machine translation fails (default: warn; filled entries are kept "
                          "and a rerun resumes)")
    if name == "run":
        return
    sub.add_argument("--engine", metavar="NAME",
                     help=f"machine-translation engine ({', '.join(config_mod.ENGINE_NAMES)}, or the name of an "
                          "[engines.NAME] table with type = \"openai\"; default: pretranslate.engine)")
    sub.add_argument("--engine-url", metavar="URL", type=_url,
                     help="the engine's endpoint (self-hosted LibreTranslate, a proxy, a test server)")
    sub.add_argument("--dry-run", action="store_true",
                     help="show what would be filled and sent, without network access or writing catalogs")
    sub.add_argument("--max-chars", type=_count, metavar="N",
                     help="send at most N characters to the engine in this run (default: pretranslate.max_chars)")


def _url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 0 and 100")
    return value


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":
        return _init(args)
    if args.command == "check" and args.list:
        return _list_checks(Path(args.root))
    root = Path(args.root)
    if not root.is_dir():
        raise ConfigError(f"no such project folder: {args.root}")
    config = config_mod.load(root)
    project = Project(config)
    project.check_folders()  # overlapping folders, symlinks out: refused before anything is read or written
    if args.command == "preview":
        return _preview(config, args.port)
    if args.command == "import":
        return _import(config, args)
    locales = _locales(args.locale, config)
    report = Report()
    with locked(root, wait=not args.no_wait, on_wait=lambda m: print(m, file=sys.stderr)):
        releases = project.releases(args.release)
        report.errors.extend(project.skipped_errors(args.release))  # files left out: one line each
        if args.release and not releases and not report.errors:
            raise ConfigError(f"no release matches {' '.join(args.release)}")
        done = Done()
        if args.command == "check" and args.files:
            done.catalogs = _catalogs_given(project, args.files, releases, locales)
            releases = [r for r in releases if r.name in {name for _locale, name in done.catalogs}]
            locales = [loc for loc in locales if loc in {locale for locale, _name in done.catalogs}]
        quick = _quick_rerun(args, config, project, releases, locales)
        if quick is not None:
            return quick
        from locpress.run.pipeline import Pipeline

        pipeline = Pipeline(config, report, _progress(sys.stderr))
        try:
            checked = _stages(args.command, args, pipeline, releases, locales, done)
        finally:
            pipeline.save()
        if checked is not None:
            return _finish_check(args, report, checked, root, done.catalogs)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = _finish(args, report, done)
        sys.stdout.write(output.getvalue())
        if args.command == "run" and code == EXIT_OK and not report.written and not report.withdrawn \
                and config.engine == "none":
            digest, _newest = project.tree_stamp(project.releases(), list(config.locales))
            with contextlib.suppress(OSError):  # only a shortcut for the next run: without it, the run is done again
                record_run(project.root, _signature(args, locales), digest, output.getvalue(), code)
    return code


def _catalogs_given(project: Project, files: list[str], releases: list, locales: list[str]) -> set[tuple[str, str]]:
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


def _init(args: argparse.Namespace) -> int:
    """`locpress init [DIR] [--locale L ...]`: a new project, never over an existing file."""
    from locpress.commands import init

    folder = Path(args.folder if args.folder is not None else args.root)
    locales = [config_mod.normalize_locale(code, "--locale") for code in args.locale]
    if len(set(locales)) != len(locales):
        raise ConfigError("a locale is given twice", "--locale")
    lines = init.create(folder, locales, args.install if args.install else init.install_spec())
    for line in lines:
        print(line)
    written = sum(line.startswith("wrote ") for line in lines)
    where = init.shown(folder)
    hint = not locales and f"wrote {config_mod.CONFIG_FILE}: configuration" in lines
    print(f"{counted(written, 'file')} written in {where}" + (
        f"; add target locales to {where}/{config_mod.CONFIG_FILE} (locales = [\"ko\"])" if hint else ""))
    return EXIT_OK


def _signature(args: argparse.Namespace, locales: list[str]) -> str:
    """What makes two `run` commands the same: their options and the selection."""
    from locpress.run.project import dependency_stamp

    options = {k: v for k, v in sorted(vars(args).items()) if k not in ("root", "no_wait")}
    return json.dumps([options, locales, dependency_stamp()], sort_keys=True, default=str)


def _quick_rerun(args: argparse.Namespace, config: config_mod.Config, project: Project, releases: list,
                 locales: list[str]) -> int | None:
    """Replay the last `run` when it changed nothing and no file it reads or writes changed
    since: then the full pipeline would read everything to find, again, nothing to do."""
    if args.command != "run" or config.engine != "none":
        return None
    digest, newest = project.tree_stamp(project.releases(), list(config.locales))  # the dashboard reads all
    record = replay(project.root, _signature(args, locales), digest, newest)
    if record is None:
        return None
    sys.stdout.write(str(record.get("output", "")))
    return int(record.get("code", EXIT_OK))


def _locales(requested: list[str], config: config_mod.Config) -> list[str]:
    chosen = list(dict.fromkeys(config_mod.normalize_locale(code, "--locale") for code in requested))
    for locale in chosen:
        if locale not in config.locales:
            raise ConfigError(f"locale {locale!r} is not configured (locales = {list(config.locales)})", "--locale")
    return chosen or list(config.locales)


@dataclass
class Done:
    """What the stages of one command produced for the CLI to print, beside the Report."""

    catalogs: set[tuple[str, str]] | None = None  # `check CATALOG.po ...`: (locale, release) given
    exchanged: list[str] = field(default_factory=list)  # lines of align, tm, xliff and accept
    pretranslated: list[pretranslate.Summary] = field(default_factory=list)  # one per locale
    memory: tuple[list[memory.LocaleStats], list[memory.CacheStats]] | None = None  # `tm rebuild|stats`


def _stages(command: str, args: argparse.Namespace, pipeline: Pipeline, releases: list,
            locales: list[str], done: Done) -> findings_mod.Result | None:
    if command == "check":
        result = pipeline.check(releases, locales, args.fail_on or pipeline.config.check_fail_on,
                                args.jobs or portable.cpu_count())
        outdated = pipeline.outdated_findings(releases, locales)  # `published-outdated`: output/ vs a build now
        return findings_mod.Result(result.catalogs, result.findings + tuple(outdated), result.fail_on) \
            if outdated else result
    if command == "review":
        pipeline.review(releases, locales)
    if command == "accept":
        from locpress.commands import accept

        if len(locales) != 1 or not args.locale:
            raise ConfigError("accept needs one --locale (the language whose entries were checked)", "--locale")
        accepted = accept.accept(pipeline, releases, locales[0], args.origin, args.include_changed, args.dry_run)
        done.exchanged = accept.describe(accepted, args.dry_run)
    if command in ("extract", "run"):
        pipeline.extract(releases)
    if command in ("update", "run"):
        pipeline.update(releases, locales)
    if command == "pretranslate" or (command == "run" and pipeline.config.engine != "none"):
        from locpress.commands import pretranslate
        done.pretranslated = pretranslate.pretranslate(pipeline, releases, locales,
                                                       _pretranslate_options(args, pipeline.config), os.environ)
    if command in ("align", "xliff") or (command == "tm" and args.action in ("import", "export")):
        done.exchanged = _exchange(command, args, pipeline, releases, locales)
    elif command == "tm":
        from locpress.commands import pretranslate
        done.memory = (pretranslate.tm_rebuild(pipeline, locales), []) if args.action == "rebuild" \
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
    return None


def _exchange(command: str, args: argparse.Namespace, pipeline: Pipeline, releases: list,
              locales: list[str]) -> list[str]:
    """`align`, `tm import|export`, `xliff export|import`; file arguments are relative to the
    current folder, like any command-line path. Returns the lines to print."""
    from locpress.commands import exchange

    if command == "align":
        if len(locales) != 1:
            raise ConfigError("align needs one --locale (the language of the translation)", "--locale")
        pairs, alone = exchange.file_pairs(Path(args.source), Path(args.translation))
        done = exchange.Alignment(pipeline, locales[0], args.trust).run(pairs)
        return exchange.describe_alignments(done, alone)
    if command == "tm":
        if len(args.files) != 1:
            raise ConfigError(f"tm {args.action} needs one FILE.tmx")
        name = args.files[0]
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
    if not args.files:
        raise ConfigError("xliff import needs one or more FILE.xlf")
    lines = []
    for name in args.files:
        try:
            imported = exchange.xliff_import(pipeline, Path(name), name, args.overwrite_reviewed)
        except LocpressError as exc:  # this file is reported; the others are still imported
            pipeline.report.errors.append(exc)
            continue
        lines += exchange.describe_xliff_import(imported)
    return lines


def _pretranslate_options(args: argparse.Namespace, config: config_mod.Config) -> pretranslate.Options:
    from locpress.commands import pretranslate

    return pretranslate.Options(
        engine=getattr(args, "engine", None) or config.engine, url=getattr(args, "engine_url", None),
        dry_run=getattr(args, "dry_run", False), max_chars=getattr(args, "max_chars", None),
        fail_on_engine_error=args.fail_on_engine_error)


def _finish(args: argparse.Namespace, report: Report, done: Done) -> int:
    out = sys.stdout
    for error in report.errors:
        _error(error)
    verbose = getattr(args, "verbose", False)
    if args.command != "status" or args.format == "html":
        for line in _listed([f"wrote {path}" for path in report.written], verbose, 0,
                            lambda _hidden: _written_groups(report.written)):
            print(line, file=out)
        for line in report.withdrawn:
            print(f"withdrawn {line}", file=out)
        for note in report.notes:  # warnings (a save that may be lost, an engine failing) are never cut short
            if note.startswith("warning: "):
                print(note, file=out)
        for line in _listed([_noted(note) for note in report.notes if not note.startswith("warning: ")], verbose,
                            LISTED // 2,
                            lambda hidden: [f"note: ... and {counted(hidden, 'more note')} (-v lists them all)"]):
            print(line, file=out)
    for line in done.exchanged:
        print(line, file=out)
    for summary in done.pretranslated:
        print(_summary_line(summary), file=out)
    if done.memory is not None:
        locales, caches = done.memory
        print(_memory_lines(locales, caches, rebuilt=args.action == "rebuild"), file=out)
    if getattr(args, "fail_under", None) is not None:
        report.gate(args.fail_under)
    if args.command in ("status", "run"):
        if getattr(args, "format", "table") == "json":
            print(as_json(report.rows), file=out)
        elif getattr(args, "format", "table") == "html":
            if not report.written:
                print("the dashboard is up to date", file=out)
        elif report.rows:
            brief = args.command == "run" and len(report.rows) > LISTED and not verbose
            print(table(report.rows, releases=not brief), file=out)
            if brief:
                print("(totals per locale; `locpress status` shows every release)", file=out)
    for failure in report.gate_failures:
        print(failure if failure.startswith(NOT_PUBLISHED) else f"below threshold: {failure}", file=sys.stderr)
    return report.exit_code


NOT_PUBLISHED = "not published: "


LISTED = 20  # beyond this many files or notes, a command prints a summary unless -v
SEVERITY_WORDS = ("warning: ", "error: ", "note: ")


def _noted(note: str) -> str:
    """A note's line: one severity word, the note's own when it has one ("warning: ...")."""
    return note if note.startswith(SEVERITY_WORDS) else f"note: {note}"


def _listed(lines: list[str], verbose: bool, head: int, summary: Callable[[int], list[str]]) -> list[str]:
    """All the lines, or (when there are many) the first `head` and a summary of the rest."""
    if verbose or len(lines) <= LISTED:
        return lines
    return lines[:head] + summary(len(lines) - head)


def _written_groups(paths: list[str]) -> list[str]:
    """`wrote 1000 files in locales/ko/`: one line per folder pair."""
    groups: dict[str, int] = {}
    for path in paths:
        parts = path.split("/")
        folder = "/".join(parts[:2]) + "/" if len(parts) > 2 else ""
        groups[folder] = groups.get(folder, 0) + 1
    return [f"wrote {counted(count, 'file')} in {folder or './'}" for folder, count in groups.items()]


def _finish_check(args: argparse.Namespace, report: Report, result: findings_mod.Result, root: Path,
                  wanted: set[tuple[str, str]] | None) -> int:
    """Print (or write) the check report in the chosen format; findings decide the gate."""
    for error in report.errors:
        _error(error)
    if wanted is not None:  # CATALOG.po paths: only those, not every pair of their locales and releases
        result = findings_mod.Result(tuple(c for c in result.catalogs if (c.locale, c.release) in wanted),
                                     tuple(f for f in result.findings if (f.locale, f.release) in wanted),
                                     result.fail_on)
    if args.format == "json":
        text = findings_mod.as_json(result)
    elif args.format == "github":
        text = findings_mod.as_github(result, _repository_prefix(root))
    elif args.format == "junit":
        text = findings_mod.as_junit(result)
    else:
        text = findings_mod.as_text(result)
    if args.output:
        write_file(Path(args.output), (text.rstrip("\n") + "\n").encode(), args.output)
        print(f"wrote {args.output}\n{findings_mod.summary(result)}", file=sys.stdout)
    else:
        print(text.rstrip("\n"), file=sys.stdout)
    if result.failing:
        report.gate_failures.append(f"{counted(len(result.failing), 'finding')} at or above {result.fail_on}")
    return report.exit_code


def _repository_prefix(root: Path) -> str:
    """The project folder relative to the current one, which GitHub takes as the repository root."""
    relative = os.path.relpath(root.resolve(), Path.cwd().resolve())
    return "" if relative == "." or relative.startswith("..") else relative.replace(os.sep, "/") + "/"


def _list_checks(root: Path) -> int:
    """`check --list`; works outside a project, and marks what the project disables."""
    try:
        disabled = set(config_mod.load(root).check_disable) if root.is_dir() else set()
    except LocpressError:
        disabled = set()
    from locpress.qa.checks import CHECKS

    width = max(len(check.name) for check in CHECKS)
    for check in CHECKS:
        mark = "  (disabled in this project)" if check.name in disabled else ""
        print(f"{check.name:{width}}  {check.severity:7}  {check.scope:7}  {check.title}{mark}")
    return 0


def _import(config: config_mod.Config, args: argparse.Namespace) -> int:
    from locpress.commands import importer

    with locked(config.root, wait=True, on_wait=lambda m: print(m, file=sys.stderr)):
        imported, written = importer.import_page(Project(config), Path(args.page), args.page, args.name)
    for line in importer.describe(imported, written):
        print(line)
    return EXIT_OK


def _preview(config: config_mod.Config, port: int) -> int:
    """Serve until Ctrl-C, which is how a preview ends (exit 0, not "interrupted")."""
    from locpress.commands import preview

    server = preview.make_server(config, port, log=lambda line: print(line, file=sys.stderr))
    print(f"serving drafts of the releases of {config.root}, rendered from the current catalogs, at {server.url} "
          "(Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _summary_line(s: pretranslate.Summary) -> str:
    """One line per locale: what came from memory, from the engine, and what it cost."""
    memory = f"memory {s.tm_exact + s.tm_fuzzy} ({s.tm_exact} exact, {s.tm_fuzzy} fuzzy)"
    empty = counted(s.empty, "empty segment")
    if s.dry_run:
        return (f"pretranslate {s.locale} (dry run, {s.engine}): {empty}, {memory}, "
                f"{s.unique} unique to translate: {counted(s.characters, 'character')} to send, {s.cache_hits} cached"
                + (f"; {counted(s.requests, 'request')}, about {counted(s.tokens, 'token')}" if s.tokens else ""))
    machine = f"machine {s.mt} ({s.engine})" + (f", {s.copied} copied" if s.copied else "")
    problems = "".join(f", {n} {what}" for n, what in ((s.failed, "failed"), (s.skipped, "not sent")) if n)
    return (f"pretranslate {s.locale}: {empty}, {memory}, {machine}{problems}; "
            f"{counted(s.characters, 'character')} sent in {counted(s.requests, 'request')}, "
            f"{counted(s.cache_hits, 'cache hit')}")


def _memory_lines(locales: list, caches: list, rebuilt: bool) -> str:
    lines = [f"{'rebuilt' if rebuilt else 'memory'} {m.locale}: {counted(m.segments, 'segment')} "
             f"({m.sources} distinct) from {counted(m.catalogs, 'catalog')}"
             for m in locales] or ["memory: empty (no reviewed entries yet)"]
    lines += [f"mt cache {c.engine} {c.source_lang}->{c.target_lang}: {counted(c.entries, 'text')}, "
              f"{counted(c.characters, 'character')}" for c in caches]
    return "\n".join(lines)


def _error(error: LocpressError) -> None:
    """`error: path:line: what`, always one line: control characters (a newline in a file
    name or a message) are written as escapes."""
    path = None if error.path is None else printable(error.path)
    where = "" if path is None else f"{path}:{error.line}: " if error.line else f"{path}: "
    line = f"error: {where}" + printable(" ".join(error.message.splitlines()))
    if line not in _PRINTED:
        _PRINTED.add(line)
        print(line, file=sys.stderr)


_PRINTED: set[str] = set()  # the same error reached from two stages is said once


def _progress(stream: TextIO) -> Callable[[str, int, int], None]:
    """A one-line progress bar on a terminal; nothing at all in CI and pipes."""
    if not stream.isatty():
        return lambda _stage, _done, _total: None
    started: dict[str, float] = {}

    def show(stage: str, done: int, total: int) -> None:
        if total < 20:
            return
        start = started.setdefault(stage, time.monotonic())
        if done < total and done % max(1, total // 100):
            return
        filled = int(30 * done / total)
        end = "\n" if done >= total else ""
        eta = ""
        if 0 < done < total:
            left = int((time.monotonic() - start) / done * (total - done))
            eta = f" ETA {left // 60}:{left % 60:02d}"
        stream.write(f"\r{stage:8} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{eta:<12}{end}")
        stream.flush()

    return show


if __name__ == "__main__":
    sys.exit(main())
