"""Benchmark of the locpress spine (extract -> update -> build -> status -> run) against
mdpo, the Translate Toolkit chain and a msgmerge loop, on a generated corpus.

    python bench/spine.py                # N=1000 releases, everything; writes bench/RESULTS.md
    python bench/spine.py --quick        # N=100 smoke test (RESULTS.md untouched)
    python bench/spine.py --n 300        # another size
    python bench/spine.py --anchors-only # corpus + anchors (+ msgmerge on bench templates)
    python bench/spine.py --skip-anchors # locpress only (anchors read from the last run)

Everything it creates goes under ``bench/work/`` (git-ignored).  The anchors run from a
separate virtual environment, ``bench/work/venv-anchors`` (created on first use with
``pip install mdpo translate-toolkit[markdown,levenshtein] polib``).  See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
VENV = WORK / "venv-anchors"
RESULTS = BENCH / "RESULTS.md"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (bench/corpus.py)

LOCALES6 = ["ko", "ar", "es", "fr", "ru", "zh_Hans"]
ANCHOR_PACKAGES = ["mdpo", "translate-toolkit[markdown,levenshtein]", "polib"]
MSGMERGE = ["msgmerge", "--previous", "--no-wrap", "-q"]


# --------------------------------------------------------------------------------------
# Timing helpers
# --------------------------------------------------------------------------------------


@dataclass
class Row:
    group: str
    what: str
    seconds: float | None
    note: str = ""
    load: float | None = None    # 1-minute load average when the step ended
    cpu: float | None = None     # user + system CPU seconds of the command(s)


def loadavg() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        return None


@dataclass
class Run:
    n: int
    seed: int
    root: Path
    rows: list[Row] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    anomalies: list[str] = field(default_factory=list)
    log: Path | None = None
    pending_cpu: float = 0.0     # CPU of the commands timed since the last row

    def add(self, group: str, what: str, seconds: float | None, note: str = "",
            cpu: float | None | str = "pending") -> None:
        if cpu == "pending":
            cpu = self.pending_cpu if seconds is not None else None
        self.pending_cpu = 0.0
        self.rows.append(Row(group, what, seconds, note, loadavg(), cpu))
        s = "   n/a" if seconds is None else f"{seconds:8.3f}"
        c = f" (cpu {cpu:.2f})" if isinstance(cpu, float) else ""
        print(f"  {s} s{c}  {group}: {what}" + (f"  [{note}]" if note else ""), flush=True)

    def get(self, what: str) -> float | None:
        for r in self.rows:
            if r.what == what:
                return r.seconds
        return None

    def say(self, msg: str) -> None:
        print(msg, flush=True)
        if self.log:
            with self.log.open("a", encoding="utf-8") as fh:
                fh.write(msg + "\n")


class StepFailed(RuntimeError):
    pass


def timed(cmd: list[str] | str, cwd: Path, run: Run, shell: bool = False,
          check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Wall clock of one command (stdout/stderr captured; appended to the run log)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, shell=shell, capture_output=True, text=True,
                       executable="/bin/bash" if shell else None)
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p.cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    run.pending_cpu += p.cpu
    if run.log:
        with run.log.open("a", encoding="utf-8") as fh:
            shown = cmd if isinstance(cmd, str) else " ".join(map(str, cmd))
            fh.write(f"$ (cd {cwd} && {shown})  # rc={p.returncode} {dt:.3f}s\n")
            fh.write(p.stdout[-4000:])
            fh.write(p.stderr[-4000:])
    if check and p.returncode != 0:
        shown = cmd if isinstance(cmd, str) else " ".join(map(str, cmd))
        raise StepFailed(f"`{shown}` failed (rc={p.returncode}) in {cwd}:\n"
                         f"{(p.stderr or p.stdout)[-2000:]}")
    return dt, p


def best_of(k: int, fn, run: Run) -> float:
    """Best wall clock of k calls; the run's pending CPU becomes that call's."""
    best = None
    for _ in range(k):
        run.pending_cpu = 0.0
        t = fn()
        if best is None or t < best[0]:
            best = (t, run.pending_cpu)
    run.pending_cpu = best[1]
    return best[0]


# --------------------------------------------------------------------------------------
# Environment, corpus
# --------------------------------------------------------------------------------------


def anchor_python() -> Path:
    """The anchor venv's interpreter; the venv is created (and filled) if missing."""
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run([str(py), "-c", "import mdpo, translate, mistletoe, polib"],
                           capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "-q", *ANCHOR_PACKAGES], check=True)
    return py


def dist_version(py: Path | str, name: str) -> str:
    p = subprocess.run([str(py), "-c", "import importlib.metadata as m, sys; "
                        f"print(m.version({name!r}))"], capture_output=True, text=True)
    return p.stdout.strip() or "?"


def locpress_exe() -> str | None:
    """The real ``locpress`` entry point (not the pyenv shim, which adds ~0.1 s a call).

    ``LOCPRESS_EXE`` overrides it (e.g. a locpress installed in another venv)."""
    exe = os.environ.get("LOCPRESS_EXE") or shutil.which("locpress")
    if exe and "/.pyenv/shims/" in exe:
        p = subprocess.run(["pyenv", "which", "locpress"], capture_output=True, text=True)
        if p.returncode == 0 and p.stdout.strip():
            exe = p.stdout.strip()
    return exe


def machine_facts() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gettext = subprocess.run(["msgmerge", "--version"], capture_output=True, text=True)
    return {"date": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "nproc": os.cpu_count(),
            "cpu": cpu, "python": platform.python_version(),
            "gettext": gettext.stdout.splitlines()[0] if gettext.returncode == 0 else "?"}


def make_corpus(run: Run) -> Path:
    """Pristine generated corpus at ``root/corpus/source`` (regenerated if stale)."""
    c = run.root / "corpus"
    stamp = c / "STAMP"
    want = f"n={run.n} seed={run.seed} corpus.py={Path(corpus.__file__).stat().st_mtime}"
    if not (stamp.exists() and stamp.read_text() == want):
        shutil.rmtree(c, ignore_errors=True)
        corpus.generate(c, run.n, run.seed)
        stamp.write_text(want)
    st = corpus.stats(c)
    run.facts["corpus"] = st
    run.say(f"corpus: {st}")
    return c / "source"


# --------------------------------------------------------------------------------------
# Anchors
# --------------------------------------------------------------------------------------


def anchor_mdpo(run: Run, src: Path, py: Path) -> None:
    out = run.root / "mdpo"
    shutil.rmtree(out, ignore_errors=True)
    wall, p = timed([str(py), str(BENCH / "mdpo_driver.py"), str(src), str(out),
                     "--locales", ",".join(LOCALES6)], BENCH, run)
    res = json.loads(p.stdout.strip().splitlines()[-1])
    loc = res["locales"]
    one = loc["ko"]["extract"] + loc["ko"]["build"]
    six = sum(v["extract"] + v["build"] for v in loc.values())
    run.facts["mdpo_entries_per_locale"] = res["entries"] // len(loc)
    run.add("anchor", "mdpo extract + build, 1 locale", one,
            f"in-process (its own timer); extract {loc['ko']['extract']:.2f} + build "
            f"{loc['ko']['build']:.2f}; paragraph level; no start-up",
            cpu=loc["ko"]["cpu_extract"] + loc["ko"]["cpu_build"])
    run.add("anchor", "mdpo extract + build, 6 locales", six,
            f"in-process; md2po into each locale's catalog; process wall incl. start-up "
            f"{wall:.2f}",
            cpu=sum(v["cpu_extract"] + v["cpu_build"] for v in loc.values()))


def anchor_translate_toolkit(run: Run, src: Path, py: Path) -> None:
    """md2po (templates) + pot2po (per locale) + po2md (per locale), directory modes."""
    out = run.root / "tt"
    shutil.rmtree(out, ignore_errors=True)
    (out / "po").mkdir(parents=True)
    (out / "out").mkdir()
    b = VENV / "bin"
    # mdpo's md2po/po2md scripts shadow Translate Toolkit's in the shared venv: run the
    # Toolkit's converters as modules (same code as its md2po/po2md console scripts).
    md2po = [str(py), "-m", "translate.convert.md2po", "--progress=none"]
    po2md = [str(py), "-m", "translate.convert.po2md", "--progress=none"]
    pot2po = [str(b / "pot2po"), "--progress=none"]
    t_md2po, p0 = timed([*md2po, "-P", "-i", str(src), "-o", "pot"], out, run)
    per = {}
    for loc in LOCALES6:
        t1, p1 = timed([*pot2po, "-i", "pot", "-o", f"po/{loc}"], out, run)
        t2, p2 = timed([*po2md, "-i", f"po/{loc}", "-t", str(src), "-o", f"out/{loc}"], out,
                       run)
        per[loc] = (t1, t2, p1.cpu + p2.cpu)
    one = t_md2po + per["ko"][0] + per["ko"][1]
    six = t_md2po + sum(a + b for a, b, _ in per.values())
    run.add("anchor", "Translate Toolkit md2po + pot2po + po2md, 1 locale", one,
            f"md2po {t_md2po:.2f} + pot2po {per['ko'][0]:.2f} + po2md {per['ko'][1]:.2f}",
            cpu=p0.cpu + per["ko"][2])
    run.add("anchor", "Translate Toolkit md2po + pot2po + po2md, 6 locales", six,
            "md2po once, pot2po + po2md per locale",
            cpu=p0.cpu + sum(c for _, _, c in per.values()))


def msgmerge_loop(run: Run, old: Path, pot: Path, new: Path, rels: list[str],
                  label: str, parallel: bool = True) -> None:
    """``msgmerge --previous --no-wrap -q -o new.po old.po new.pot`` for every release."""
    for d in (new, new.with_name(new.name + "-P2")):
        shutil.rmtree(d, ignore_errors=True)
        for r in rels:
            (d / r).parent.mkdir(parents=True, exist_ok=True)
    lst = new.parent / "releases.txt"
    lst.write_text("".join(r + "\n" for r in rels))
    loop = (f'while IFS= read -r r; do {" ".join(MSGMERGE)} -o "{new}/$r.po" "{old}/$r.po" '
            f'"{pot}/$r.pot" || exit 1; done < "{lst}"')
    t, _ = timed(loop, new.parent, run, shell=True)
    run.add("anchor", f"msgmerge loop, {len(rels)} catalogs{label}", t,
            "bash loop of msgmerge subprocesses")
    if parallel:
        p2 = new.with_name(new.name + "-P2")
        xa = (f'xargs -P2 -I{{}} {" ".join(MSGMERGE)} -o "{p2}/{{}}.po" "{old}/{{}}.po" '
              f'"{pot}/{{}}.pot" < "{lst}"')
        t2, _ = timed(xa, new.parent, run, shell=True)
        run.add("anchor", f"msgmerge xargs -P2, {len(rels)} catalogs{label}", t2,
                "parallel, 2 processes (informative)")


def fill_catalogs(paths: list[Path], prefix: str = "KO ") -> int:
    """Translate every entry as ``prefix + msgid`` and clear fuzzy (a translator's work)."""
    import polib

    n = 0
    for p in paths:
        po = polib.pofile(str(p), wrapwidth=0)
        for e in po:
            if e.obsolete:
                continue
            e.msgstr = prefix + e.msgid
            if e.msgid_plural:
                e.msgstr_plural = {0: prefix + e.msgid, 1: prefix + e.msgid_plural}
                e.msgstr = ""
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
            e.previous_msgid = e.previous_msgid_plural = e.previous_msgctxt = None
            n += 1
        po.save(str(p))
    return n


def bench_templates(src: Path, dst: Path) -> None:
    """Sentence-level .pot files made by the bench's own segmenter (fallback templates)."""
    import polib

    for f in sorted(src.rglob("*.md")):
        rel = f.relative_to(src).with_suffix("")
        pot = polib.POFile(wrapwidth=0)
        pot.metadata = {"Project-Id-Version": "bench", "MIME-Version": "1.0",
                        "Content-Type": "text/plain; charset=UTF-8",
                        "Content-Transfer-Encoding": "8bit"}
        seen = set()
        for s in corpus.segments(f.read_text(encoding="utf-8")):
            if s not in seen:
                seen.add(s)
                pot.append(polib.POEntry(msgid=s, msgstr=""))
        out = dst / f"{rel}.pot"
        out.parent.mkdir(parents=True, exist_ok=True)
        pot.save(str(out))


def anchor_msgmerge_fallback(run: Run, src: Path) -> None:
    """msgmerge on templates from the bench segmenter (used when locpress is unavailable)."""
    mm = run.root / "msgmerge-bench"
    shutil.rmtree(mm, ignore_errors=True)
    bench_templates(src, mm / "pot-old")
    old = mm / "old"
    shutil.copytree(mm / "pot-old", old)
    pots = sorted(old.rglob("*.pot"))
    for p in pots:
        p.rename(p.with_suffix(".po"))
    fill_catalogs(sorted(old.rglob("*.po")))
    edited = mm / "edited"
    shutil.copytree(src, edited / "source")
    st = corpus.edit(edited)
    run.say(f"10% edit (bench templates): {dict(st)}")
    bench_templates(edited / "source", mm / "pot")
    rels = sorted(str(p.relative_to(old).with_suffix("")) for p in old.rglob("*.po"))
    msgmerge_loop(run, old, mm / "pot", mm / "new", rels, " (bench-segmenter templates)")


# --------------------------------------------------------------------------------------
# locpress (through its CLI)
# --------------------------------------------------------------------------------------


def lp_project(run: Run, src: Path, name: str, locales: list[str]) -> Path:
    proj = run.root / name
    shutil.rmtree(proj, ignore_errors=True)
    proj.mkdir(parents=True)
    shutil.copytree(src, proj / "source")
    loc = ", ".join(f'"{x}"' for x in locales)
    (proj / "locpress.toml").write_text(f'source_locale = "en"\nlocales = [{loc}]\n')
    return proj


def lp(run: Run, proj: Path, *args: str) -> float:
    exe = run.facts["locpress_exe"]
    t, p = timed([exe, *args], proj, run)
    return t


def lp_cold(run: Run, proj: Path, tag: str) -> None:
    """Cold extract, update, build --draft, status on a fresh project."""
    cpu = 0.0
    t1 = lp(run, proj, "extract")
    cpu += run.pending_cpu
    run.add("locpress", f"extract (cold), {tag}", t1)
    t2 = lp(run, proj, "update")
    cpu += run.pending_cpu
    run.add("locpress", f"update (cold), {tag}", t2)
    t3 = lp(run, proj, "build", "--draft")
    cpu += run.pending_cpu
    run.add("locpress", f"build --draft (cold), {tag}", t3)
    run.add("locpress", f"extract + update + build (cold), {tag}", t1 + t2 + t3, cpu=cpu)
    t4, p = timed([run.facts["locpress_exe"], "status"], proj, run)
    run.add("locpress", f"status, {tag}", t4)
    run.facts[f"status_{tag}"] = (p.stdout or "")[-1500:]


def lp_noop(run: Run, proj: Path, tag: str) -> None:
    t0 = lp(run, proj, "run", "--draft")
    run.add("locpress", f"run --draft right after the cold steps, {tag}", t0,
            "first run after extract/update/build")
    t = best_of(3, lambda: lp(run, proj, "run", "--draft"), run)
    run.add("locpress", f"run --draft no-op, {tag}", t, "best of 3")


def rel_catalogs(base: Path, suffix: str) -> dict[str, Path]:
    return {str(p.relative_to(base).with_suffix("")): p for p in sorted(base.rglob("*" +
                                                                                suffix))}


def lp_revision(run: Run, proj: Path, tag: str) -> None:
    """Translate ko, edit 10%, extract; then locpress update --locale ko vs msgmerge."""
    ko = proj / "locales" / "ko"
    tpl = proj / "locales" / "templates"
    n = fill_catalogs(sorted(ko.rglob("*.po")))
    run.say(f"filled {n} ko entries with 'KO ' + msgid")
    mm = run.root / "msgmerge"
    shutil.rmtree(mm, ignore_errors=True)
    shutil.copytree(ko, mm / "old")                      # identical starting catalogs
    st = corpus.edit(proj)
    run.facts["edit"] = dict(st)
    run.say(f"10% edit: {dict(st)}")
    t = lp(run, proj, "extract")
    run.add("locpress", f"extract after 10% edit, {tag}", t)
    shutil.copytree(tpl, mm / "pot")                     # the same templates for both
    old = rel_catalogs(mm / "old", ".po")
    pots = rel_catalogs(mm / "pot", ".pot")
    rels = sorted(set(old) & set(pots))
    if set(old) ^ set(pots):
        run.anomalies.append(f"catalogs without template or vice versa: "
                             f"{sorted(set(old) ^ set(pots))[:5]}")
    msgmerge_loop(run, mm / "old", mm / "pot", mm / "new", rels, "")
    t = lp(run, proj, "update", "--locale", "ko")
    run.add("locpress", f"update --locale ko after 10% edit, {tag}", t)
    agreement(run, mm / "new", ko, rels)
    t = lp(run, proj, "update")
    run.add("locpress", f"update (other 5 locales) after 10% edit, {tag}", t, "informative")
    t = lp(run, proj, "build", "--draft")
    run.add("locpress", f"build --draft after 10% edit, {tag}", t, "informative")
    t = best_of(3, lambda: lp(run, proj, "run", "--draft"), run)
    run.add("locpress", f"run --draft no-op after the edit, {tag}", t, "best of 3")


def agreement(run: Run, mm_new: Path, lp_ko: Path, rels: list[str]) -> None:
    """For each entry msgmerge marks fuzzy: does locpress give the same ``#| msgid``?"""
    import polib

    total = agree = 0
    kinds: dict[str, int] = {}
    examples: dict[str, list] = {}
    lp_extra = 0
    lp_fuzzy_total = mm_fuzzy_total = 0
    exact_keep = exact_total = 0
    only_mm = only_lp = obsolete_mm = obsolete_lp = 0
    for rel in rels:
        a = polib.pofile(str(mm_new / f"{rel}.po"), wrapwidth=0)
        bpath = lp_ko / f"{rel}.po"
        if not bpath.exists():
            kinds["locpress catalog missing"] = kinds.get("locpress catalog missing", 0) + 1
            continue
        b = polib.pofile(str(bpath), wrapwidth=0)
        bmap = {(e.msgctxt, e.msgid): e for e in b if not e.obsolete}
        amap = {(e.msgctxt, e.msgid): e for e in a if not e.obsolete}
        lp_fuzzy_total += sum(1 for e in bmap.values() if "fuzzy" in e.flags)
        only_mm += len(amap.keys() - bmap.keys())
        only_lp += len(bmap.keys() - amap.keys())
        obsolete_mm += sum(1 for e in a if e.obsolete)
        obsolete_lp += sum(1 for e in b if e.obsolete)
        for key, e in amap.items():
            le = bmap.get(key)
            if "fuzzy" not in e.flags:
                if e.msgstr and le is not None:
                    exact_total += 1
                    exact_keep += int(le.msgstr == e.msgstr and "fuzzy" not in le.flags)
                continue
            mm_fuzzy_total += 1
            total += 1
            if le is None:
                k = "msgid missing in locpress"
            elif le.previous_msgid == e.previous_msgid:
                agree += 1
                continue
            elif "fuzzy" not in le.flags:
                k = "locpress: not fuzzy" + (" (translated)" if le.msgstr else " (empty)")
            elif le.previous_msgid is None:
                k = "locpress: fuzzy without #| msgid"
            else:
                k = "locpress: other #| msgid"
            kinds[k] = kinds.get(k, 0) + 1
            examples.setdefault(k, [])
            if len(examples[k]) < 3:
                examples[k].append({"release": rel, "msgid": e.msgid,
                                    "msgmerge_prev": e.previous_msgid,
                                    "locpress_prev": le.previous_msgid if le else None,
                                    "locpress_msgstr": le.msgstr if le else None})
        for key, le in bmap.items():
            if "fuzzy" in le.flags and not ("fuzzy" in amap[key].flags if key in amap
                                             else False):
                lp_extra += 1
                k = "locpress fuzzy where msgmerge is not"
                examples.setdefault(k, [])
                if len(examples[k]) < 3:
                    ae = amap.get(key)
                    examples[k].append({"release": rel, "msgid": le.msgid,
                                        "locpress_prev": le.previous_msgid,
                                        "msgmerge_msgstr": ae.msgstr if ae else None})
    pct = 100.0 * agree / total if total else float("nan")
    run.facts["agreement"] = {"msgmerge_fuzzy": total, "agree": agree, "pct": pct,
                              "disagreements": kinds, "locpress_fuzzy": lp_fuzzy_total,
                              "locpress_fuzzy_not_in_msgmerge": lp_extra,
                              "exact_translated_kept": f"{exact_keep}/{exact_total}",
                              "entries_only_in_msgmerge": only_mm,
                              "entries_only_in_locpress": only_lp,
                              "obsolete_msgmerge": obsolete_mm, "obsolete_locpress": obsolete_lp,
                              "examples": examples}
    run.say(f"agreement on msgmerge's fuzzy entries: {agree}/{total} = {pct:.1f}%  "
            f"{kinds}; locpress fuzzy not fuzzy in msgmerge: {lp_extra}; "
            f"exact translated kept: {exact_keep}/{exact_total}")


def locpress_ready(src: Path | None = None) -> tuple[bool, str]:
    """Try the whole CLI on a tiny project in a temp dir."""
    exe = locpress_exe()
    if not exe:
        return False, "no locpress on PATH"
    p = subprocess.run([exe, "--help"], cwd="/tmp", capture_output=True, text=True)
    if p.returncode != 0:
        return False, f"locpress --help: rc={p.returncode}: {(p.stderr or p.stdout)[-600:]}"
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        corpus.generate(d, 3, 5)
        (d / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "ar"]\n')
        for args in (["extract"], ["update"], ["build", "--draft"], ["status"],
                     ["run", "--draft"], ["update", "--locale", "ko"]):
            p = subprocess.run([exe, *args], cwd=d, capture_output=True, text=True)
            if p.returncode != 0:
                return False, (f"locpress {' '.join(args)}: rc={p.returncode}: "
                               f"{(p.stderr or p.stdout)[-800:]}")
        pots = list((d / "locales" / "templates").rglob("*.pot"))
        pos = list((d / "locales" / "ko").rglob("*.po"))
        outs = list((d / "drafts" / "ko").rglob("*.md"))  # build --draft writes drafts there, never into output/
        if not (len(pots) == len(pos) == len(outs) == 3):
            return False, f"unexpected layout: {len(pots)} pot, {len(pos)} po, {len(outs)} md"
    return True, "ok"


def locpress_digest() -> str:
    """Short digest of the installed locpress package's sources (the code is moving)."""
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("locpress")
    if not spec or not spec.submodule_search_locations:
        return "?"
    h = hashlib.sha256()
    for f in sorted(Path(list(spec.submodule_search_locations)[0]).glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def run_locpress(run: Run, src: Path) -> None:
    run.facts["locpress_exe"] = locpress_exe()
    run.facts["locpress_version"] = (f"{dist_version(sys.executable, 'locpress')} "
                                     f"(sources sha256 {locpress_digest()})")
    p1 = lp_project(run, src, "lp-1", ["ko"])
    lp_cold(run, p1, "1 locale")
    lp_noop(run, p1, "1 locale")
    p6 = lp_project(run, src, "lp-6", LOCALES6)
    lp_cold(run, p6, "6 locales")
    lp_noop(run, p6, "6 locales")
    check_outputs(run, p6)
    lp_revision(run, p6, "6 locales")


def check_outputs(run: Run, proj: Path) -> None:
    """Cheap sanity checks of what locpress wrote (reported as anomalies)."""
    import polib

    src = rel_catalogs(proj / "source", ".md")
    pots = rel_catalogs(proj / "locales" / "templates", ".pot")
    run.facts["locpress_templates"] = len(pots)
    entries = sum(len(polib.pofile(str(p))) for p in pots.values())
    run.facts["locpress_entries"] = entries
    for loc in LOCALES6:
        outs = rel_catalogs(proj / "drafts" / loc, ".md")
        if set(outs) != set(src):
            run.anomalies.append(f"drafts/{loc}: {len(outs)} files for {len(src)} releases")
    # Draft build of empty catalogs should reproduce the source text.
    differ = [r for r, p in rel_catalogs(proj / "drafts" / "ko", ".md").items()
              if r in src and p.read_text(encoding="utf-8") != src[r].read_text(
                  encoding="utf-8")]
    run.facts["draft_outputs_differing_from_source"] = len(differ)
    if differ:
        run.say(f"note: {len(differ)} draft outputs differ from their source, e.g. {differ[:2]}")


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def verdicts(run: Run) -> list[tuple[str, str, str]]:
    g = run.get
    out = []

    def ratio(a, b):
        return (b / a) if a and b else None

    for tag, mdpo_k, tt_k in (("1 locale", "mdpo extract + build, 1 locale",
                               "Translate Toolkit md2po + pot2po + po2md, 1 locale"),
                              ("6 locales", "mdpo extract + build, 6 locales",
                               "Translate Toolkit md2po + pot2po + po2md, 6 locales")):
        lp_t = g(f"extract + update + build (cold), {tag}")
        md, tt = g(mdpo_k), g(tt_k)
        r = ratio(lp_t, md)
        out.append((f"cold extract + update + build no slower than mdpo ({tag})",
                    f"locpress {fmt(lp_t)} s vs mdpo {fmt(md)} s"
                    + (f" (mdpo/locpress = {r:.2f}x)" if r else ""),
                    "n/a" if r is None else ("PASS" if r >= 1 else "FAIL")))
        r = ratio(lp_t, tt)
        out.append((f">= 4x faster than the Translate Toolkit chain ({tag})",
                    f"locpress {fmt(lp_t)} s vs TT {fmt(tt)} s"
                    + (f" ({r:.2f}x)" if r else ""),
                    "n/a" if r is None else ("PASS" if r >= 4 else "FAIL")))
    t = g("run --draft no-op, 6 locales")
    out.append(("no-op run --draft < 0.5 s (N x 6 locales)", f"{fmt(t)} s",
                "n/a" if t is None else ("PASS" if t < 0.5 else "FAIL")))
    a = g("update --locale ko after 10% edit, 6 locales")
    m = next((r.seconds for r in run.rows if r.what.startswith("msgmerge loop")
              and "bench-segmenter" not in r.what), None)
    out.append(("update after 10% edit at least as fast as the msgmerge loop",
                f"locpress {fmt(a)} s vs msgmerge loop {fmt(m)} s",
                "n/a" if a is None or m is None else ("PASS" if a <= m else "FAIL")))
    ag = run.facts.get("agreement")
    out.append(("agreement with msgmerge's `#| msgid` >= 95%",
                f"{ag['agree']}/{ag['msgmerge_fuzzy']} = {ag['pct']:.1f}%" if ag else "n/a",
                "n/a" if not ag else ("PASS" if ag["pct"] >= 95 else "FAIL")))
    return out


def fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def markdown(run: Run) -> str:
    f = run.facts
    m = f["machine"]
    lines = ["## Spine", "",
             f"Run {m['date']} by `python bench/spine.py --n {run.n}` (seed {run.seed}). "
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, 1-minute "
             f"load average {m.get('load_start')} at the start. "
             f"Anchors: mdpo {f.get('mdpo', '?')}, translate-toolkit "
             f"{f.get('translate_toolkit', '?')} (venv `bench/work/venv-anchors`), "
             f"{m['gettext']}. locpress {f.get('locpress_version', 'n/a')}.", ""]
    c = f.get("corpus")
    if c:
        lines += [f"Corpus: {c['releases']} releases, {c['segments']} segments by the bench "
                  f"segmenter ({c['distinct']} distinct; {c['recurring_pct']}% of occurrences "
                  f"recur in 2+ releases). "
                  + (f"locpress extracted {f['locpress_entries']} template entries "
                     f"in {f['locpress_templates']} templates. "
                     if "locpress_entries" in f else "")
                  + (f"mdpo: {f['mdpo_entries_per_locale']} paragraph-level entries. "
                     if "mdpo_entries_per_locale" in f else ""), ""]
    lines += ["*seconds*: wall clock of the command(s), one run each unless noted (the "
              "targets are judged on it). *cpu s*: user + system CPU time of the same "
              "command(s), less sensitive to other work on the machine. *load*: the 1-minute "
              f"load average when the step ended (the machine has {m['nproc']} CPUs).", "",
              "| group | step | seconds | cpu s | load | note |",
              "| --- | --- | ---: | ---: | ---: | --- |"]
    for r in run.rows:
        lines.append(f"| {r.group} | {r.what} | {fmt(r.seconds)} | {fmt(r.cpu)} | "
                     f"{fmt(r.load)} | {r.note} |")
    lines += ["", "| target | measured | verdict |", "| --- | --- | --- |"]
    for t, meas, v in verdicts(run):
        lines.append(f"| {t} | {meas} | {v} |")
    ag = f.get("agreement")
    if ag:
        lines += ["", f"Agreement: of {ag['msgmerge_fuzzy']} entries msgmerge marks fuzzy, "
                  f"locpress has the same `#| msgid` for {ag['agree']} ({ag['pct']:.1f}%). "
                  f"Disagreements by kind: {json.dumps(ag['disagreements'])}. "
                  f"locpress marks {ag['locpress_fuzzy']} entries fuzzy, "
                  f"{ag['locpress_fuzzy_not_in_msgmerge']} of them not fuzzy in msgmerge's "
                  f"output. Unchanged translated entries kept identically: "
                  f"{ag['exact_translated_kept']}. Live entries only in msgmerge's catalogs: "
                  f"{ag['entries_only_in_msgmerge']}, only in locpress's: "
                  f"{ag['entries_only_in_locpress']}; obsolete (`#~`) entries: msgmerge "
                  f"{ag['obsolete_msgmerge']}, locpress {ag['obsolete_locpress']}."]
        for k, exs in ag["examples"].items():
            for e in exs[:2]:
                lines.append(f"- {k}: `{json.dumps(e, ensure_ascii=False)[:600]}`")
    if f.get("edit"):
        lines += ["", f"10% edit: {json.dumps(f['edit'])}."]
    if run.anomalies:
        lines += ["", "Anomalies:"] + [f"- {a}" for a in run.anomalies]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\n"
    m = re.search(r"^## Spine\b.*?(?=^## |\Z)", old, flags=re.S | re.M)
    new = old[:m.start()] + text + ("\n" + old[m.end():] if old[m.end():] else "") if m \
        else old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")


def print_table(run: Run) -> None:
    w = max(len(r.what) for r in run.rows) if run.rows else 10
    print()
    print(f"{'group':9} {'step':{w}} {'seconds':>9} {'cpu s':>7} {'load':>5}  note")
    for r in run.rows:
        print(f"{r.group:9} {r.what:{w}} {fmt(r.seconds):>9} {fmt(r.cpu):>7} "
              f"{fmt(r.load):>5}  {r.note}")
    print()
    for t, meas, v in verdicts(run):
        print(f"{v:5} {t}: {meas}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="locpress spine benchmark")
    ap.add_argument("--n", type=int, default=1000, help="releases in the corpus")
    ap.add_argument("--quick", action="store_true", help="smoke test on N=100")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--anchors-only", action="store_true")
    ap.add_argument("--skip-anchors", action="store_true",
                    help="reuse the anchor rows of the last run of this N")
    ap.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="first wait (at most SECONDS) for the 1-minute load average to "
                         "drop below 1.0; the machine may be shared")
    a = ap.parse_args(argv)
    if a.wait_quiet:
        deadline = time.monotonic() + a.wait_quiet
        while (loadavg() or 0) >= 1.0 and time.monotonic() < deadline:
            time.sleep(10)
        print(f"load average {loadavg()}", flush=True)
    n = 100 if a.quick else a.n
    root = WORK / f"spine-n{n}"
    root.mkdir(parents=True, exist_ok=True)
    run = Run(n=n, seed=a.seed, root=root, log=root / "commands.log")
    run.log.write_text("")
    run.facts["machine"] = machine_facts()
    run.facts["machine"]["load_start"] = loadavg()
    src = make_corpus(run)
    py = anchor_python()
    run.facts["mdpo"] = dist_version(py, "mdpo")
    run.facts["translate_toolkit"] = dist_version(py, "translate-toolkit")
    saved = root / "anchors.json"
    if a.skip_anchors and saved.exists():
        run.rows += [Row(**r) for r in json.loads(saved.read_text())]
    else:
        run.say("anchors ...")
        anchor_mdpo(run, src, py)
        anchor_translate_toolkit(run, src, py)
        if a.anchors_only:
            anchor_msgmerge_fallback(run, src)
        saved.write_text(json.dumps([r.__dict__ for r in run.rows]))
    if not a.anchors_only:
        ok, why = locpress_ready()
        if not ok:
            run.anomalies.append(f"locpress not usable: {why}")
            run.say(f"locpress not usable: {why}")
        else:
            run.say("locpress ...")
            try:
                run_locpress(run, src)
            except StepFailed as e:
                run.anomalies.append(str(e).replace("\n", " ")[:1500])
                run.say(f"FAILED: {e}")
    print_table(run)
    md = markdown(run)
    (root / "RESULTS-spine.md").write_text(md, encoding="utf-8")
    if not (a.quick or a.no_results):
        write_results(md)
        print(f"\nwrote {RESULTS.relative_to(BENCH.parent)}")
    for x in run.anomalies:
        print("ANOMALY:", x)
    return 0


if __name__ == "__main__":
    sys.exit(main())
