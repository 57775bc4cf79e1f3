"""The `locpress` command: the only place that prints and exits.

Exit codes: 0 ok, 1 a gate failed, 2 usage or configuration error, 3 some file could not
be processed (the others still were).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__, config as config_mod
from .errors import ConfigError, LocpressError
from .pipeline import Pipeline
from .project import locked
from .report import EXIT_USAGE, Report, as_json, table

EXAMPLES = {
    "extract": "locpress extract --release '2023/11/*'",
    "update": "locpress update --locale ko",
    "build": "locpress build --locale ko --draft",
    "status": "locpress status --format json --fail-under 100",
    "run": "locpress run            # extract, update, build, status",
}
DESCRIPTIONS = {
    "extract": "Split source releases into segments and write locales/templates/<release>.pot.",
    "update": "Bring locales/<locale>/<release>.po in step with the templates (msgmerge semantics).",
    "build": "Write output/<locale>/<release>.md from reviewed catalogs.",
    "status": "Report segments, words, reviewed, fuzzy and untranslated per locale and release.",
    "run": "extract, update, build and status in one go.",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = _run(args)
    except LocpressError as exc:
        _error(exc)
        code = exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`locpress status | head`): not an error
        return 0
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="locpress", description="Localization pipeline for press releases.",
        epilog="example: locpress run -C path/to/project")
    parser.add_argument("--version", action="version", version=f"locpress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in ("extract", "update", "build", "status", "run"):
        sub = commands.add_parser(name, help=DESCRIPTIONS[name], description=DESCRIPTIONS[name],
                                  epilog=f"example: {EXAMPLES[name]}",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("-C", dest="root", default=".", metavar="DIR", help="project root (default: .)")
        sub.add_argument("--locale", action="append", default=[], metavar="L",
                         help="only this locale (repeatable; default: all configured)")
        sub.add_argument("--release", action="append", default=[], metavar="GLOB",
                         help="only releases whose name matches (repeatable), e.g. '2023/*'")
        sub.add_argument("--no-wait", action="store_true",
                         help="fail at once if another locpress command runs on the project")
        if name in ("build", "run"):
            sub.add_argument("--draft", action="store_true",
                             help="build releases below build.min_reviewed, with source text where no "
                                  "reviewed translation exists")
        if name in ("status", "run"):
            sub.add_argument("--fail-under", type=_percent, metavar="P",
                             help="exit 1 when any selected release is below P percent reviewed")
        if name == "status":
            sub.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 0 and 100")
    return value


def _run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if not root.is_dir():
        raise ConfigError(f"no such project folder: {args.root}")
    config = config_mod.load(root)
    locales = _locales(args.locale, config)
    report = Report()
    with locked(root, wait=not args.no_wait, on_wait=lambda m: print(m, file=sys.stderr)):
        pipeline = Pipeline(config, report, _progress(sys.stderr))
        releases = pipeline.project.releases(args.release)
        if args.release and not releases:
            raise ConfigError(f"no release matches {' '.join(args.release)}")
        try:
            _stages(args.command, args, pipeline, releases, locales)
        finally:
            pipeline.save()
    return _finish(args, report)


def _locales(requested: list[str], config: config_mod.Config) -> list[str]:
    chosen = [config_mod.normalize_locale(code, "--locale") for code in requested]
    for locale in chosen:
        if locale not in config.locales:
            raise ConfigError(f"locale {locale!r} is not configured (locales = {list(config.locales)})", "--locale")
    return chosen or list(config.locales)


def _stages(command: str, args: argparse.Namespace, pipeline: Pipeline, releases: list, locales: list[str]) -> None:
    if command in ("extract", "run"):
        pipeline.extract(releases)
    if command in ("update", "run"):
        pipeline.update(releases, locales)
    if command in ("build", "run"):
        pipeline.build(releases, locales, args.draft)
    if command in ("status", "run"):
        pipeline.status(releases, locales)


def _finish(args: argparse.Namespace, report: Report) -> int:
    out = sys.stdout
    for error in report.errors:
        _error(error)
    if args.command != "status":
        for path in report.written:
            print(f"wrote {path}", file=out)
        for note in report.notes:
            print(f"note: {note}", file=out)
    if getattr(args, "fail_under", None) is not None:
        report.gate(args.fail_under)
    if args.command in ("status", "run"):
        if getattr(args, "format", "table") == "json":
            print(as_json(report.rows), file=out)
        elif report.rows:
            print(table(report.rows), file=out)
        for failure in report.gate_failures:
            print(f"below threshold: {failure}", file=sys.stderr)
    return report.exit_code


def _error(error: LocpressError) -> None:
    print(f"error: {error}", file=sys.stderr)


def _progress(stream: TextIO) -> Callable[[str, int, int], None]:
    """A one-line progress bar on a terminal; nothing at all in CI and pipes."""
    if not stream.isatty():
        return lambda _stage, _done, _total: None

    def show(stage: str, done: int, total: int) -> None:
        if total < 20:
            return
        if done < total and done % max(1, total // 100):
            return
        filled = int(30 * done / total)
        end = "\n" if done >= total else ""
        stream.write(f"\r{stage:8} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{end}")
        stream.flush()

    return show


if __name__ == "__main__":
    sys.exit(main())
