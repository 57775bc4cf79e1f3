"""The `locpress` command line: the parser of every command and option, and what it parsed.

Builds the argparse parser (help texts, examples, the common options before and after the
command) and turns argv into an `Invocation`: the command's own options as argparse gave
them, never written to afterwards, and the common ones joined from both places. Prints
nothing and exits only as argparse does for a usage error, `--help` and `--version`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from locpress import __version__
from locpress import config as config_mod
from locpress.findings import SEVERITIES

LISTED = 20  # beyond this many files or notes, a command prints a summary unless -v

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


COMMANDS = ("extract", "update", "build", "status", "run", "check", "review", "pretranslate", "tm", "align", "xliff",
            "accept")


def _common(parser: argparse.ArgumentParser, prefix: str) -> None:
    """The options every project command takes, before the command (`locpress -C dir -l ko
    status`) as after it; `prefix` keeps the two apart until `_merged` joins them."""
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


COMMON = ("root", "verbose", "locale", "release", "no_wait")  # the options `_common` adds, by dest


@dataclass(frozen=True)
class Invocation:
    """What one command line asks for: the command, its common options (given before the
    command, after it, or both) and the command's own options as argparse parsed them."""

    command: str | None
    options: argparse.Namespace  # the command's own options; never written to
    root: str = "."
    verbose: bool = False
    locales: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()
    no_wait: bool = False
    files: tuple[str, ...] = ()  # the FILEs of `check`, `tm` and `xliff`, those after options too


def _merged(parsed: argparse.Namespace, files: Sequence[str]) -> Invocation:
    """One value per common option: the command's own, else the one before the command;
    repeatable ones from both places."""
    given = vars(parsed)

    def both(name: str) -> tuple[str, ...]:
        return (*(given.get(f"global_{name}") or []), *(given.get(name) or []))

    before, after = given.get("global_root"), given.get("root")
    own = {name: value for name, value in given.items()
           if name not in (*COMMON, "command", "files") and not name.startswith("global_")}
    return Invocation(
        command=given.get("command"), options=argparse.Namespace(**own),
        root=after if after is not None else before if before is not None else ".",
        verbose=bool(given.get("global_verbose") or given.get("verbose")),
        locales=both("locale"), releases=both("release"),
        no_wait=bool(given.get("global_no_wait") or given.get("no_wait")), files=tuple(files))


def make_parser() -> argparse.ArgumentParser:
    """`locpress` and its commands, with the help texts and examples `--help` shows."""
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


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> Invocation:
    """Parse, letting `tm`, `xliff` and `check` take their FILEs after options (`tm export
    --locale ko ko.tmx`), which argparse alone refuses once an optional positional was passed by."""
    parsed, extra = parser.parse_known_args(argv)
    files = list(getattr(parsed, "files", []))
    if extra and getattr(parsed, "command", None) in ("tm", "xliff", "check") \
            and not any(e.startswith("-") for e in extra):
        files += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return _merged(parsed, files)

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
