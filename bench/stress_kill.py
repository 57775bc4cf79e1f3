"""Kill `locpress run` with SIGKILL at random moments and check that nothing is lost.

    python bench/stress_kill.py [--kills 50] [--releases 60] [--engine none|pseudo|libre] [--seed 1]

Each round starts `locpress run --draft` on a project whose sources were just revised (so
the run has real work: extract, update, pre-translation when an engine is set, build),
kills it after a random delay, then verifies:

- every .po/.pot parses with locpress's strict reader, and a sample passes `msgfmt --check`;
- every output file decodes and parses as Markdown;
- every reviewed translation recorded at the start is still in its catalog with the same
  text: live and reviewed while its sentence has stayed in the source all along, else (the
  sentence was edited or removed at some point, even if it came back later) anywhere in the
  catalog, fuzzy or obsolete, as msgmerge would keep it;
- with `--engine libre` (a slow LibreTranslate-compatible server on 127.0.0.1), no text is
  sent again once the server has answered it in a run that was not killed: what a run paid
  for was cached. A run killed with answers on the wire (sent by the server, not yet read and
  committed by the client) asks for those again: at most the engine's concurrency per kill,
  counted apart.

Rounds go on until `--kills` runs were killed (a round whose run finishes before its kill
moment is verified too, and later rounds aim earlier). At the end one run completes, and a
second run writes nothing. Prints a summary line and, with --results, appends it to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/corpus.py)

from locpress.formats.markdown import block_shape  # noqa: E402
from locpress.gettext.catalog import parse_po  # noqa: E402


class SlowMT:
    """A LibreTranslate-compatible server that is slow and counts every text it is sent, and
    those sent again after it had answered them."""

    def __init__(self, delay: float) -> None:
        self.sent: Counter[str] = Counter()
        self.answered: dict[str, int] = {}  # text -> the round that got its answer
        self.resent: dict[str, int] = {}  # asked again after an answer: text -> that answer's round
        self.round = -1  # set by the main loop; -1: the setup and the first full run
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    args = json.loads(body) if body.startswith(b"{") else urllib.parse.parse_qs(body.decode())
                except ValueError:
                    args = {}
                # deep-translator's LibreTranslator sends its fields in the query string
                args.update(urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query))
                texts = args.get("q", [])
                texts = texts if isinstance(texts, list) else [texts]
                target = args.get("target", ["?"])
                target = target[0] if isinstance(target, list) else target
                asked = [f"{target}\t{t}" for t in texts]  # one language pair's request
                with owner.lock:
                    owner.sent.update(asked)
                    owner.resent.update((t, owner.answered[t]) for t in asked if t in owner.answered)
                time.sleep(delay)
                out = ["[MT] " + t for t in texts]
                data = json.dumps({"translatedText": out if len(out) != 1 else out[0]}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:
                    return  # the run was killed while waiting: it never got the answer
                with owner.lock:
                    owner.answered.update((t, owner.round) for t in asked)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def locpress(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["locpress", *args], cwd=root, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def setup(work: Path, releases: int, engine: str, mt: SlowMT | None, seed: int) -> Path:
    root = work / "project"
    corpus.generate(root, n=releases, seed=seed)
    extra = ""
    if engine == "pseudo":
        extra = '[pretranslate]\nengine = "pseudo"\n'
    elif engine == "libre" and mt is not None:
        extra = f'[pretranslate]\nengine = "libre"\n[engines.libre]\nurl = "{mt.url}"\n'
    (root / "locpress.toml").write_text(f'source_locale = "en"\nlocales = ["ko", "fr"]\n{extra}')
    for command in (["extract"], ["update"]):
        done = locpress(root, *command)
        assert done.returncode == 0, done.stderr
    return root


def review_half(root: Path, rng: random.Random) -> dict[tuple[str, str], str]:
    """Translate and review half of the Korean catalogs; return what was reviewed."""
    reviewed: dict[tuple[str, str], str] = {}
    from locpress.gettext.catalog import write_po
    for po in sorted((root / "locales" / "ko").rglob("*.po")):
        if rng.random() < 0.5:
            continue
        catalog = parse_po(po.read_bytes(), str(po))
        for message in catalog.messages:
            message.msgstr, message.flags = "검토됨 " + message.msgid, []
            reviewed[(str(po.relative_to(root)), message.msgid)] = message.msgstr
        po.write_text(write_po(catalog), encoding="utf-8")
    return reviewed


def present(root: Path) -> dict[str, set[str]]:
    """The segments each catalog's release has now (catalog path -> msgids), by locpress's own
    readers, so that the verifier knows which sentences an edit took away."""
    from locpress import config
    from locpress.formats import sources
    from locpress.stages import extract

    conf = config.load(root)
    split = extract.splitter(conf, markdown=True)
    found: dict[str, set[str]] = {}
    for path in (root / "source").rglob("*.md"):
        name = path.relative_to(root / "source").with_suffix("").as_posix()
        doc = sources.parse(sources.decode(path.read_bytes(), name), f"{name}.md", split, conf.front_matter)
        ids = {sentence.text for sentence, _unit in doc.segments()}
        for locale in conf.locales:
            found[f"locales/{locale}/{name}.po"] = ids
    return found


def verify(root: Path, reviewed: dict[tuple[str, str], str], moved: set[tuple[str, str]],
           rng: random.Random) -> list[str]:
    """What is wrong after a round; `moved`: reviewed entries whose sentence left the source
    at some point (they may be fuzzy now, as msgmerge leaves them)."""
    problems: list[str] = []
    catalogs = sorted(p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot"))
    parsed = {}
    for path in catalogs:
        try:
            parsed[str(path.relative_to(root))] = parse_po(path.read_bytes(), str(path))
        except Exception as exc:  # noqa: BLE001 (any failure is a finding here)
            problems.append(f"{path.relative_to(root)}: {exc}")
    for path in rng.sample(catalogs, min(8, len(catalogs))):
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        if check.returncode:
            problems.append(f"msgfmt --check {path.relative_to(root)}: {check.stderr.strip()[:100]}")
    for (po, msgid), text in reviewed.items():
        catalog = parsed.get(po)
        if catalog is None:
            problems.append(f"{po}: missing or unreadable")
            continue
        same = [m for m in catalog.messages if m.msgid == msgid and not m.obsolete]
        if (po, msgid) not in moved and not (same and same[0].msgstr == text and same[0].reviewed):
            problems.append(f"{po}: reviewed {msgid[:40]!r} changed or lost though its sentence never left")
        elif text not in {m.msgstr for m in catalog.messages}:
            problems.append(f"{po}: reviewed translation of {msgid[:40]!r} lost")
    for out in (root / "output").rglob("*.md") if (root / "output").exists() else []:
        try:
            block_shape(out.read_bytes().decode("utf-8"))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{out.relative_to(root)}: {exc}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--releases", type=int, default=60)
    parser.add_argument("--engine", choices=("none", "pseudo", "libre"), default="none")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds per MT request (libre)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", action="store_true", help="append the summary to bench/RESULTS.md")
    args = parser.parse_args(argv)
    if shutil.which("locpress") is None:
        print("locpress is not installed (pip install -e .)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    mt = SlowMT(args.delay) if args.engine == "libre" else None
    env = {"LOCPRESS_LIBRE_API_KEY": "stress-test-key"}
    with tempfile.TemporaryDirectory(prefix="locpress-stress-") as tmp:
        root = setup(Path(tmp), args.releases, args.engine, mt, args.seed)
        reviewed = review_half(root, rng)
        started = time.perf_counter()
        full = locpress(root, "run", "--draft", env=env)
        duration = time.perf_counter() - started
        assert full.returncode == 0, full.stderr
        kills, rounds, failures, problems = 0, 0, 0, []
        killed: set[int] = set()
        moved: set[tuple[str, str]] = set()
        horizon = duration  # kill moments are drawn up to this; shortened when runs finish first
        while kills < args.kills and rounds < 4 * args.kills:
            corpus.edit(root, fraction=0.05, seed=args.seed * 1000 + rounds)
            now = present(root)
            moved |= {(po, msgid) for po, msgid in reviewed if msgid not in now.get(po, set())}
            if mt:
                mt.round = rounds
            process = subprocess.Popen(["locpress", "run", "--draft"], cwd=root, env={**os.environ, **env},
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = time.perf_counter()
            moment = rng.uniform(0.0, horizon)
            while process.poll() is None and time.perf_counter() - started < moment:
                time.sleep(0.005)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
                killed.add(rounds)
            else:
                horizon = time.perf_counter() - started
            process.wait()
            rounds += 1
            found = verify(root, reviewed, moved, rng)
            failures += bool(found)
            problems.extend(found)
        if mt:
            mt.round = rounds
        final = locpress(root, "run", "--draft", env=env)
        again = locpress(root, "run", "--draft", env=env)
        stray = [p for p in root.rglob("*.locpress-tmp")]
        on_the_wire = Counter(r for r in mt.resent.values() if r in killed) if mt else Counter()
        resent = sum(1 for r in mt.resent.values() if r not in killed) if mt else 0  # a caching bug
        summary = (f"stress ({args.engine}, {args.releases} releases x 2 locales): {kills} kills made "
                   f"in {rounds} rounds, {rounds - failures} rounds verified clean; "
                   f"final run exit {final.returncode}, second run wrote "
                   f"{again.stdout.count('wrote ')} files; stray temporary files {len(stray)}"
                   + (f"; texts sent {sum(mt.sent.values())} ({len(mt.sent)} distinct); sent again after an "
                      f"answer of a run that finished: {resent}; asked again after a kill: "
                      f"{sum(1 for t, n in mt.sent.items() if n > 1 and t not in mt.resent)} in flight, "
                      f"{sum(on_the_wire.values())} with the answer on the wire (at most "
                      f"{max(on_the_wire.values(), default=0)} per kill)" if mt else ""))
        print(summary)
        for line in problems[:20]:
            print("  " + line)
        if args.results:
            with open(HERE / "RESULTS.md", "a", encoding="utf-8") as handle:
                handle.write(f"\n- {time.strftime('%Y-%m-%d')}: {summary}\n")
        return 1 if problems or final.returncode or "wrote " in again.stdout or resent else 0


if __name__ == "__main__":
    sys.exit(main())
