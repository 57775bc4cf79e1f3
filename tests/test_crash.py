"""A lighter version of bench/stress_kill.py: SIGKILL `locpress run` midway, lose nothing."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from locpress.catalog import parse_po, write_po

LOCPRESS = [sys.executable, "-m", "locpress.cli"]


def release(i: int, version: int) -> str:
    body = "\n\n".join(
        f"Paragraph {j} of release {i} says {version * 7 + j} people were helped. IOM teams arrived on day {j}."
        for j in range(12))
    return f"---\ntitle: Release {i} about floods\n---\n\n# Release {i}\n\n{body}\n"


def test_killed_runs_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for i in range(25):
        path = root / "source" / f"r{i:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(release(i, 0))
    (root / "locpress.toml").write_text('source_locale = "en"\nlocales = ["ko", "fr", "ar"]\n')
    assert subprocess.run([*LOCPRESS, "run"], cwd=root, capture_output=True).returncode == 0
    reviewed: dict[tuple[str, str], str] = {}
    for po in sorted((root / "locales/ko").glob("r0*.po")):
        catalog = parse_po(po.read_bytes(), str(po))
        for message in catalog.messages:
            message.msgstr = "검토 " + message.msgid
            reviewed[(po.name, message.msgid)] = message.msgstr
        po.write_text(write_po(catalog))
    rng = random.Random(7)
    for round_ in range(5):
        for i in range(25):
            (root / "source" / f"r{i:02d}.md").write_text(release(i, round_ + 1))
        process = subprocess.Popen([*LOCPRESS, "run", "--draft"], cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for po in [p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot")]:
            catalog = parse_po(po.read_bytes(), str(po))  # raises on any half-written file
            if po.parent.name == "ko" and po.name.startswith("r0"):
                texts = {m.msgstr for m in catalog.messages}
                lost = [k for (name, k), v in reviewed.items() if name == po.name and v not in texts]
                assert not lost, f"round {round_}: {po.name} lost {lost[:2]}"
    final = subprocess.run([*LOCPRESS, "run", "--draft"], cwd=root, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    again = subprocess.run([*LOCPRESS, "run", "--draft"], cwd=root, capture_output=True, text=True)
    assert "wrote" not in again.stdout
    assert not list(root.rglob("*.locpress-tmp"))
