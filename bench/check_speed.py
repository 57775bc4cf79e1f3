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
4. ``locpress check --format json`` over all catalogs (best of 3), then ``pofilter`` over
   the same catalog folders, one call per locale with ``--language``, run from the anchor
   virtual environment ``bench/work/venv-anchors`` (or ``bench/work/venv-pofilter``, made
   here with ``pip install translate-toolkit`` when the anchors are not installed).

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
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from locpress.catalog import parse_po, write_po

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
        return project, tuple(json.loads(stamp.read_text()))  # type: ignore[return-value]
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


def run_locpress(project: Path, base: Path, log: Path, repeat: int) -> tuple[list[float], dict]:
    report = base / "check.json"
    times = []
    data: dict = {}
    for _ in range(repeat):
        seconds, done = sh(["locpress", "check", "--format", "json", "--output", str(report)], project, log)
        if done.returncode not in (0, 1):
            raise SystemExit(f"locpress check failed ({done.returncode}); see {log}")
        times.append(seconds)
        data = json.loads(report.read_text(encoding="utf-8"))
    return times, data


def run_pofilter(project: Path, base: Path, log: Path) -> tuple[float, int, str]:
    exe = pofilter_exe()
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
    flagged = sum(text.count("\n# (pofilter) ") + text.startswith("# (pofilter) ")
                  for text in (p.read_text(encoding="utf-8") for p in out.rglob("*.po")))
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    return total, flagged, version


# --------------------------------------------------------------------------- results


def section(n: int, counts: tuple[int, int], ours: list[float], data: dict, theirs: float, flagged: int,
            version: str, load: float | None, catalogs: int) -> str:
    best = min(ours)
    speedup = theirs / best if best else float("inf")
    verdict = "PASS" if speedup >= TARGET_SPEEDUP else "FAIL"
    by_check: dict[str, int] = {}
    for finding in data.get("findings", []):
        by_check[finding["check"]] = by_check.get(finding["check"], 0) + 1
    checks = ", ".join(f"{name} {count}" for name, count in sorted(by_check.items(), key=lambda kv: -kv[1]))
    now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    if load is not None:
        machine += f"; 1-minute load average at the end: {load:.2f} (other work on the machine slows both tools)"
    return "\n".join([
        SECTION, "",
        f"Run {now} by `python bench/check_speed.py --n {n}`. Machine: {machine}.", "",
        f"Catalogs: {n} releases x {len(LOCALES)} locales ({', '.join(LOCALES)}) = {catalogs} catalogs, "
        f"{counts[0]} entries, every one translated (pseudo translations in each locale's script, figures "
        f"and dates written by Babel) with {counts[1]} seeded mistakes.", "",
        "| tool | what | seconds | findings |",
        "| --- | --- | ---: | ---: |",
        f"| locpress | `locpress check --format json` (all {len(_checks())} checks), best of {len(ours)} "
        f"({', '.join(f'{t:.2f}' for t in ours)}) | {best:.2f} | {data.get('errors', 0)} errors, "
        f"{data.get('warnings', 0)} warnings |",
        f"| anchor | `pofilter --language=L -i locales/L -o ...`, one call per locale ({version}) | "
        f"{theirs:.2f} | {flagged} failed tests |", "",
        f"locpress findings by check: {checks or 'none'}.", "",
        "| target | measured | verdict |", "| --- | --- | --- |",
        f"| `check` at least {TARGET_SPEEDUP:g}x faster than pofilter on the same catalogs | "
        f"{speedup:.1f}x ({best:.2f} s vs {theirs:.2f} s) | {verdict} |", ""])


def _checks() -> list[str]:
    from locpress.checks import NAMES
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
    parser.add_argument("--quick", action="store_true", help="N=100 and RESULTS.md untouched")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="locpress runs (best is kept)")
    args = parser.parse_args(argv)
    n = 100 if args.quick else args.n
    base = WORK / f"checks-n{n}"
    base.mkdir(parents=True, exist_ok=True)
    log = base / "commands.log"
    print(f"preparing {n} releases x {len(LOCALES)} locales in {base}", flush=True)
    project, counts = prepare(n, base, log)
    catalogs = sum(1 for loc in LOCALES for _ in (project / "locales" / loc).rglob("*.po"))
    ours, data = run_locpress(project, base, log, args.repeat)
    print(f"  locpress check: {', '.join(f'{t:.2f}' for t in ours)} s; "
          f"{data.get('errors')} errors, {data.get('warnings')} warnings", flush=True)
    theirs, flagged, version = run_pofilter(project, base, log)
    print(f"  pofilter: {theirs:.2f} s; {flagged} failed tests", flush=True)
    text = section(n, counts, ours, data, theirs, flagged, version, loadavg(), catalogs)
    print(text)
    if not (args.quick or args.no_results):
        write_results(text)
        print(f"wrote {RESULTS.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
