"""The `locpress` command: the only place that prints and exits.

`cli_parser` parses the command line into an `Invocation`, `cli_stages` runs what it asks of
the runner; this module prints what they return and picks the exit code.

Exit codes: 0 ok, 1 a gate failed, 2 usage or configuration error, 3 some file could not
be processed (the others still were).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from locpress import config as config_mod
from locpress import findings as findings_mod
from locpress.cli_parser import LISTED, Invocation, make_parser, parse
from locpress.cli_stages import Done, catalogs_given, chosen_locales, signature, stages
from locpress.errors import ConfigError, LocpressError
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


def _printable_streams() -> None:
    """A console or pipe that cannot encode a character (a Windows code page, cp1252 or cp949)
    shows it as an escape instead of failing the command mid-report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    parser = make_parser()
    cmd = parse(parser, argv)
    if not cmd.command:
        parser.print_help()
        return EXIT_USAGE
    _PRINTED.clear()
    try:
        code = _run(cmd)
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


def _run(cmd: Invocation) -> int:
    if cmd.command == "init":
        return _init(cmd)
    if cmd.command == "check" and cmd.options.list:
        return _list_checks(Path(cmd.root))
    root = Path(cmd.root)
    if not root.is_dir():
        raise ConfigError(f"no such project folder: {cmd.root}")
    config = config_mod.load(root)
    project = Project(config)
    project.check_folders()  # overlapping folders, symlinks out: refused before anything is read or written
    if cmd.command == "preview":
        return _preview(config, cmd.options.port)
    if cmd.command == "import":
        return _import(config, cmd)
    locales = chosen_locales(cmd.locales, config)
    report = Report()
    with locked(root, wait=not cmd.no_wait, on_wait=lambda m: print(m, file=sys.stderr)):
        releases = project.releases(cmd.releases)
        report.errors.extend(project.skipped_errors(cmd.releases))  # files left out: one line each
        if cmd.releases and not releases and not report.errors:
            raise ConfigError(f"no release matches {' '.join(cmd.releases)}")
        wanted = None  # `check CATALOG.po ...`: (locale, release) given
        if cmd.command == "check" and cmd.files:
            wanted = catalogs_given(project, cmd.files, releases, locales)
            releases = [r for r in releases if r.name in {name for _locale, name in wanted}]
            locales = [loc for loc in locales if loc in {locale for locale, _name in wanted}]
        quick = _quick_rerun(cmd, config, project, locales)
        if quick is not None:
            return quick
        from locpress.run.pipeline import Pipeline

        pipeline = Pipeline(config, report, _progress(sys.stderr))
        try:
            outcome = stages(cmd, pipeline, releases, locales)
        finally:
            pipeline.save()
        if isinstance(outcome, findings_mod.Result):
            return _finish_check(cmd, report, outcome, root, wanted)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = _finish(cmd, report, outcome)
        sys.stdout.write(output.getvalue())
        if cmd.command == "run" and code == EXIT_OK and not report.written and not report.withdrawn \
                and config.engine == "none":
            digest, _newest = project.tree_stamp(project.releases(), list(config.locales))
            with contextlib.suppress(OSError):  # only a shortcut for the next run: without it, the run is done again
                record_run(project.root, signature(cmd, locales), digest, output.getvalue(), code)
    return code


def _init(cmd: Invocation) -> int:
    """`locpress init [DIR] [--locale L ...]`: a new project, never over an existing file."""
    from locpress.commands import init

    args = cmd.options
    folder = Path(args.folder if args.folder is not None else cmd.root)
    locales = [config_mod.normalize_locale(code, "--locale") for code in cmd.locales]
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


def _quick_rerun(cmd: Invocation, config: config_mod.Config, project: Project, locales: list[str]) -> int | None:
    """Replay the last `run` when it changed nothing and no file it reads or writes changed
    since: then the full pipeline would read everything to find, again, nothing to do."""
    if cmd.command != "run" or config.engine != "none":
        return None
    digest, newest = project.tree_stamp(project.releases(), list(config.locales))  # the dashboard reads all
    record = replay(project.root, signature(cmd, locales), digest, newest)
    if record is None:
        return None
    sys.stdout.write(str(record.get("output", "")))
    return int(record.get("code", EXIT_OK))


def _finish(cmd: Invocation, report: Report, done: Done) -> int:
    """Print what the command did (files, notes, its own lines, the status table); the gates
    decide the exit code."""
    out, args, verbose = sys.stdout, cmd.options, cmd.verbose
    for error in report.errors:
        _error(error)
    if cmd.command != "status" or args.format == "html":
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
    if cmd.command in ("status", "run"):
        if getattr(args, "format", "table") == "json":
            print(as_json(report.rows), file=out)
        elif getattr(args, "format", "table") == "html":
            if not report.written:
                print("the dashboard is up to date", file=out)
        elif report.rows:
            brief = cmd.command == "run" and len(report.rows) > LISTED and not verbose
            print(table(report.rows, releases=not brief), file=out)
            if brief:
                print("(totals per locale; `locpress status` shows every release)", file=out)
    for failure in report.gate_failures:
        print(failure if failure.startswith(NOT_PUBLISHED) else f"below threshold: {failure}", file=sys.stderr)
    return report.exit_code


NOT_PUBLISHED = "not published: "


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


def _finish_check(cmd: Invocation, report: Report, result: findings_mod.Result, root: Path,
                  wanted: set[tuple[str, str]] | None) -> int:
    """Print (or write) the check report in the chosen format; findings decide the gate."""
    args = cmd.options
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


def _import(config: config_mod.Config, cmd: Invocation) -> int:
    from locpress.commands import importer

    args = cmd.options
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
