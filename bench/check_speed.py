"""Benchmark of `locpress check` against Translate Toolkit's `pofilter` on the same catalogs.

    python bench/check_speed.py              # N=1000 releases x 6 locales; appends "## Checks" to RESULTS.md
    python bench/check_speed.py --quick      # N=100 smoke run (RESULTS.md untouched)
    python bench/check_speed.py --n 300 --no-results

Steps (everything under ``bench/work/checks-n<N>/``, git-ignored):

1. ``bench/corpus.py generate`` writes N press releases (seed 42);
2. a locpress project with the six locales ``ko ar es fr ru zh_Hans`` runs ``extract`` and
   ``update``;
3. every entry is filled with a deterministic *pseudo translation* in the locale's script
   (Hangul, Arabic, Cyrillic, CJK, accented Latin) that keeps what a translator keeps: link
   targets, code, URLs, e-mails, phone numbers, acronyms, Markdown, and figures and dates
   rewritten as the locale writes them with Babel (``1,250만``, ``12,5 M``, ``2023年11月1日``);
   one entry in 50 gets a seeded mistake (a changed digit, a dropped link target), so both
   tools have something to report;
4. rounds (default 3) of: ``locpress check --format json --jobs 1``, the same with
   ``--jobs <CPUs>``, and ``pofilter`` over the same catalog folders, one call per locale
   with ``--language``, run from the anchor virtual environment ``bench/work/venv-anchors``
   (or ``bench/work/venv-pofilter``, made here with ``pip install translate-toolkit`` when the
   anchors are not installed). Interleaving spreads the load of a shared machine over all
   three; the best round of each counts.

The figures (wall clock, the 1-minute load average, findings of each tool) are printed and
appended under ``## Checks`` in ``bench/RESULTS.md`` (the section is replaced if present).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from locpress.gettext.catalog import parse_po, write_po

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
RESULTS = BENCH / "RESULTS.md"
LOCALES = ["ko", "ar", "es", "fr", "ru", "zh_Hans"]
VENVS = [WORK / "venv-anchors", WORK / "venv-pofilter"]
TARGET_SPEEDUP = 5.0
SECTION = "## Checks"

# --------------------------------------------------------------------------- pseudo translation

_KEEP_RE = re.compile(
    r"`[^`]*`|\]\([^)]*\)|<[^>]*>|https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+\d[\d ]{6,}\d"
    r"|\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"
    r"|(?:USD|EUR|GBP|CHF) ?\d(?:[\d,.]*\d)?(?: (?:million|billion))?|\d(?:[\d,.]*\d)?(?: (?:million|billion))"
    r"|\d(?:[\d,.]*\d)?%?"
    r"|\b[A-Z]{2,}[a-z]?\b|\*\*|[“”\"]")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_QUOTES = {"fr": "«»", "es": "«»", "ru": "«»", "ar": "«»"}
_SCRIPTS = {"ko": (0xAC00, 11172, 2), "zh_Hans": (0x4E00, 20000, 3), "ar": (0x0627, 36, 1), "ru": (0x0430, 32, 1)}
_ACCENTS = str.maketrans("aeiouncAEIOU", "àéîõüñçÂÉÎÕÜ")


def _word(word: str, locale: str) -> str:
    """A word rendered in the locale's script, deterministically (same word, same rendering)."""
    if locale in _SCRIPTS:
        base, size, per = _SCRIPTS[locale]
        chunks = [word[i:i + per] for i in range(0, len(word), per)]
        return "".join(chr(base + sum(ord(c) * 31 ** k for k, c in enumerate(chunk)) % size) for chunk in chunks)
    return word.translate(_ACCENTS) + ("e" if len(word) > 5 else "")


def _figure(text: str, locale: str) -> str:
    """A figure or date of the source as the locale writes it (Babel)."""
    date = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text)
    if date:
        day, month, year = int(date.group(1)), _MONTHS.index(date.group(2)) + 1, int(date.group(3))
        return format_date(_dt.date(year, month, day), "long", locale=locale)
    money = re.fullmatch(r"(?:(USD|EUR|GBP|CHF) ?)?(\d[\d,.]*)( million| billion)?(%?)", text)
    if not money:
        return text
    currency, number, scale, percent = money.groups()
    value = float(number.replace(",", ""))
    if scale:
        value *= 1e6 if scale == " million" else 1e9
        shown = format_compact_decimal(value, format_type="short", locale=locale, fraction_digits=2)
    else:
        shown = format_decimal(value, locale=locale) if "." in number or "," in number else number
    return f"{currency + ' ' if currency else ''}{shown}{percent}"


def pseudo(text: str, locale: str) -> str:
    """A plausible translation: words in the locale's script, everything protected kept."""
    out, pos = [], 0
    quotes = _QUOTES.get(locale)
    inside = False  # within a straight-quoted passage
    for match in _KEEP_RE.finditer(text):
        out.append(_words(text[pos:match.start()], locale))
        kept = match.group(0)
        if kept in "“”\"" and quotes:
            opening = kept == "“" or (kept == '"' and not inside)
            inside = opening if kept == '"' else inside
            kept = quotes[0] if opening else quotes[1]
        elif kept[0].isdigit() or kept[:3] in ("USD", "EUR", "GBP", "CHF"):
            kept = _figure(kept, locale)
        out.append(kept)
        pos = match.end()
    out.append(_words(text[pos:], locale))
    result = "".join(out)
    if locale == "zh_Hans":
        result = re.sub(r"\.(\W*)$", r"。\1", result).replace(", ", "，")
    return result


def _words(text: str, locale: str) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: _word(m.group(0), locale), text)


def _mistake(text: str, rng: random.Random) -> str:
    """A seeded error: a changed digit, or a link target that lost a letter."""
    if "](" in text and rng.random() < 0.5:
        return re.sub(r"\]\(([^)]*?)(\w)\)", r"](\1)", text, count=1)
    digits = [m.start() for m in re.finditer(r"\d", text)]
    if not digits:
        return text
    at = rng.choice(digits)
    return text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1:]


def fill(project: Path, rate: float = 0.02, seed: int = 1) -> tuple[int, int]:
    """Translate every live entry of every catalog; return (entries, seeded mistakes)."""
    rng = random.Random(seed)
    entries = mistakes = 0
    for locale in LOCALES:
        for path in sorted((project / "locales" / locale).rglob("*.po")):
            catalog = parse_po(path.read_bytes(), str(path))
            for message in catalog.messages:
                if message.obsolete:
                    continue
                message.msgstr = pseudo(message.msgid, locale)
                if rng.random() < rate:
                    changed = _mistake(message.msgstr, rng)
                    mistakes += changed != message.msgstr
                    message.msgstr = changed
                message.flags = [f for f in message.flags if f != "fuzzy"]
                entries += 1
            path.write_text(write_po(catalog), encoding="utf-8")
    return entries, mistakes


# --------------------------------------------------------------------------- running


def sh(cmd: list[str], cwd: Path, log: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)}  (in {cwd}) -> exit {done.returncode}, {seconds:.2f} s\n")
        out.write((done.stderr or "")[-2000:] + "\n")
    return seconds, done


def loadavg() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def pofilter_exe() -> Path:
    """pofilter from the anchor venv, else from a venv of its own (created on first use)."""
    for venv in VENVS:
        exe = venv / "bin" / "pofilter"
        if exe.exists():
            return exe
    venv = VENVS[1]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "translate-toolkit"], check=True)
    return venv / "bin" / "pofilter"


def prepare(n: int, base: Path, log: Path) -> tuple[Path, tuple[int, int]]:
    """Corpus, project, templates, catalogs and pseudo translations (reused when present)."""
    project = base / "project"
    stamp = base / "READY"
    if stamp.exists():
        entries, mistakes = json.loads(stamp.read_text())
        return project, (entries, mistakes)
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    subprocess.run([sys.executable, str(BENCH / "corpus.py"), "generate", str(base / "corpus"), "--n", str(n)],
                   check=True, capture_output=True)
    shutil.copytree(base / "corpus" / "source", project / "source")
    listed = ", ".join(f'"{loc}"' for loc in LOCALES)
    (project / "locpress.toml").write_text(f'source_locale = "en"\nlocales = [{listed}]\n', encoding="utf-8")
    for step in ("extract", "update"):
        seconds, done = sh(["locpress", step], project, log)
        if done.returncode != 0:
            raise SystemExit(f"locpress {step} failed ({done.returncode}); see {log}")
        print(f"  locpress {step}: {seconds:.1f} s", flush=True)
    counts = fill(project)
    stamp.write_text(json.dumps(counts))
    return project, counts


def run_locpress(project: Path, base: Path, log: Path, jobs: int) -> tuple[float, dict[str, Any]]:
    """One `locpress check` over every catalog; (seconds, the JSON report)."""
    report = base / "check.json"
    seconds, done = sh(["locpress", "check", "--format", "json", "--output", str(report), "--jobs", str(jobs)],
                       project, log)
    if done.returncode not in (0, 1):
        raise SystemExit(f"locpress check failed ({done.returncode}); see {log}")
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def run_pofilter(exe: Path, project: Path, base: Path, log: Path) -> tuple[float, dict[str, int]]:
    """pofilter over every catalog, one call per locale (for its language checks); (seconds, failures by test)."""
    out = base / "pofilter-out"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    total = 0.0
    for locale in LOCALES:
        seconds, done = sh([str(exe), "--progress=none", f"--language={locale}", "-i",
                            str(project / "locales" / locale), "-o", str(out / locale)], project, log)
        if done.returncode != 0:
            raise SystemExit(f"pofilter failed ({done.returncode}); see {log}")
        total += seconds
    flagged: dict[str, int] = {}
    for path in out.rglob("*.po"):
        for test in re.findall(r"^# \(pofilter\) ([\w-]+):", path.read_text(encoding="utf-8"), re.M):
            flagged[test] = flagged.get(test, 0) + 1
    return total, flagged


@dataclass
class Figures:
    """Wall-clock seconds of each contender, one per round, and what each found."""

    serial: list[float] = field(default_factory=list)
    parallel: list[float] = field(default_factory=list)
    pofilter: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)


def measure(project: Path, base: Path, log: Path, rounds: int, jobs: int) -> Figures:
    """Rounds of (check in one process, check with `jobs` processes, pofilter), interleaved so
    that changes in the machine's load touch every contender alike."""
    exe = pofilter_exe()
    figures = Figures()
    for number in range(1, rounds + 1):
        seconds, figures.report = run_locpress(project, base, log, 1)
        figures.serial.append(seconds)
        if jobs > 1:
            figures.parallel.append(run_locpress(project, base, log, jobs)[0])
        seconds, figures.flagged = run_pofilter(exe, project, base, log)
        figures.pofilter.append(seconds)
        load = loadavg()
        if load is not None:
            figures.loads.append(load)
        print(f"  round {number}: check {figures.serial[-1]:.2f} s"
              + (f", check --jobs {jobs} {figures.parallel[-1]:.2f} s" if jobs > 1 else "")
              + f", pofilter {figures.pofilter[-1]:.2f} s, load {load}", flush=True)
    return figures


# --------------------------------------------------------------------------- results


def _top(counts: dict[str, int], limit: int = 8) -> str:
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {count}" for name, count in ranked[:limit]) or "none"


def _times(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def section(n: int, counts: tuple[int, int], figures: Figures, version: str, catalogs: int, jobs: int) -> str:
    ours, theirs = min(figures.serial), min(figures.pofilter)
    best = min(figures.serial + figures.parallel)
    data = figures.report
    by_check: dict[str, int] = {}
    for finding in data.get("findings", []):
        by_check[finding["check"]] = by_check.get(finding["check"], 0) + 1
    checks = ", ".join(f"{name} {count}" for name, count in sorted(by_check.items(), key=lambda kv: -kv[1]))
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    loads = f"; 1-minute load average after each round: {_times(figures.loads)}" if figures.loads else ""
    rows = [f"| locpress | `locpress check --format json --jobs 1` (all {len(_checks())} checks, one process) | "
            f"{_times(figures.serial)} | {ours:.2f} | {data.get('errors', 0)} errors, {data.get('warnings', 0)} "
            "warnings |"]
    if figures.parallel:
        rows.append(f"| locpress | `locpress check --format json --jobs {jobs}` (locales in {jobs} processes) | "
                    f"{_times(figures.parallel)} | {min(figures.parallel):.2f} | same |")
    rows.append(f"| anchor | `pofilter --language=L -i locales/L -o ...`, one call per locale ({version}) | "
                f"{_times(figures.pofilter)} | {theirs:.2f} | {sum(figures.flagged.values())} failed tests |")
    verdicts = [f"| `check` at least {TARGET_SPEEDUP:g}x faster than pofilter, one process | "
                f"{theirs / ours:.1f}x ({ours:.2f} s vs {theirs:.2f} s) | "
                f"{'PASS' if theirs / ours >= TARGET_SPEEDUP else 'FAIL'} |"]
    if figures.parallel:
        verdicts.append(f"| the same with `--jobs {jobs}` (the default on this machine) | "
                        f"{theirs / best:.1f}x ({best:.2f} s vs {theirs:.2f} s) | "
                        f"{'PASS' if theirs / best >= TARGET_SPEEDUP else 'FAIL'} |")
    return "\n".join([
        SECTION, "",
        f"Run {now} by `python bench/check_speed.py --n {n}`. Machine: {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}{loads} (the machine is shared: other work slows every contender, which is "
        "why the rounds are interleaved and the best round counts).", "",
        f"Catalogs: {n} releases x {len(LOCALES)} locales ({', '.join(LOCALES)}) = {catalogs} catalogs, "
        f"{counts[0]} entries, every one translated (pseudo translations in each locale's script that keep what a "
        f"translator keeps, figures and dates written by Babel) with {counts[1]} seeded mistakes.", "",
        "| tool | command | seconds per round | best | findings |",
        "| --- | --- | --- | ---: | --- |", *rows, "",
        f"locpress findings by check: {checks or 'none'}.", "",
        f"pofilter failures by test: {_top(figures.flagged)}. Most are on correct translations: it compares "
        "capitals, punctuation and quoting with English and does not read figures the locale's way (`1250만`, "
        "`12,5 M`), so it is no judge of which tool finds more; the figures above compare the time each takes to "
        "read and check the same catalogs.", "",
        "| target | measured | verdict |", "| --- | --- | --- |", *verdicts, ""])


def _checks() -> list[str]:
    from locpress.qa.checks import NAMES
    return list(NAMES)


def write_results(text: str) -> None:
    """Replace (or append) the `## Checks` section; other sections are left as they are."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = current.find(f"\n{SECTION}\n")
    if start >= 0:
        following = current.find("\n## ", start + len(SECTION) + 2)
        current = current[:start + 1] + (current[following + 1:] if following >= 0 else "")
    RESULTS.write_text(current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="releases (default 1000)")
    parser.add_argument("--quick", action="store_true", help="N=100, one round, RESULTS.md untouched")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (the best counts; default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel run")
    args = parser.parse_args(argv)
    n = 100 if args.quick else args.n
    base = WORK / f"checks-n{n}"
    base.mkdir(parents=True, exist_ok=True)
    log = base / "commands.log"
    print(f"preparing {n} releases x {len(LOCALES)} locales in {base}", flush=True)
    project, counts = prepare(n, base, log)
    catalogs = sum(1 for loc in LOCALES for _ in (project / "locales" / loc).rglob("*.po"))
    figures = measure(project, base, log, 1 if args.quick else args.rounds, args.jobs)
    version = subprocess.run([str(pofilter_exe()), "--version"], capture_output=True, text=True).stdout.strip()
    text = section(n, counts, figures, version, catalogs, args.jobs)
    print(text)
    if not (args.quick or args.no_results):
        write_results(text)
        print(f"wrote {RESULTS.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
