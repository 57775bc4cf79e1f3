"""A translator's editor saving a catalog in a tight loop, in a process of its own.

Like an editor, it holds the catalog in a buffer (read once per session) and saves the whole
buffer each time, with one more reviewed translation changed: entry `i % len(msgids)` gets
the text `rev<i> <msgid>`. Two kinds of save:

- `rename`: a temporary file beside the catalog, then a rename over it (Poedit, Lokalize);
- `inplace`: the catalog itself rewritten (alternately `open("wb")`, which truncates at
  once, and `open("r+b")`, write, then truncate: the editor whose write can come late).

Driven over stdin/stdout, one JSON line per session, so one process serves many trials:
`{"path": ..., "mode": ..., "msgids": [...], "saves": N, "pause": seconds, "wait": bool}` ->
(with `wait`: it reads the catalog, answers `ready` and waits for a line) it saves N times and
answers `{"last": {msgid: text}, "saves": N}` (what the last save held).

    python tests/saver.py            # the loop (used by tests/test_saves.py, bench/stress_saves.py)
"""

from __future__ import annotations

import json
import os
import re
import sys
import time


def po_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def set_msgstr(buffer: bytes, msgid: str, text: str) -> bytes:
    """The buffer with the (one-line, reviewed) entry `msgid` translated as `text`."""
    pattern = re.compile(rb'(\nmsgid "' + re.escape(po_string(msgid).encode()) + rb'"\nmsgstr )"[^\n]*"')
    found, count = pattern.subn(lambda m: m.group(1) + b'"' + po_string(text).encode() + b'"', buffer, 1)
    if count != 1:
        raise ValueError(f"no one-line entry {msgid!r}")
    return found


def session(path: str, mode: str, msgids: list[str], saves: int, pause: float, wait: bool) -> dict[str, object]:
    with open(path, "rb") as handle:
        buffer = handle.read()
    if wait:  # until the test says go (at the moment locpress has read the catalog)
        print("ready", flush=True)
        sys.stdin.readline()
    last: dict[str, str] = {}
    folder, name = os.path.split(path)
    for index in range(saves):
        msgid = msgids[index % len(msgids)]
        text = f"rev{index} {msgid}"
        buffer = set_msgstr(buffer, msgid, text)
        last[msgid] = text
        if mode == "rename":
            tmp = os.path.join(folder, f".{name}.saver~")
            with open(tmp, "wb") as out:
                out.write(buffer)
            os.replace(tmp, path)
        elif index % 2:
            with open(path, "r+b") as out:
                out.write(buffer)
                out.truncate()
        else:
            with open(path, "wb") as out:
                out.write(buffer)
        if pause:
            time.sleep(pause)
    return {"last": last, "saves": saves}


def main() -> None:
    for line in sys.stdin:
        asked = json.loads(line)
        print(json.dumps(session(asked["path"], asked["mode"], asked["msgids"], asked["saves"], asked["pause"],
                                 asked.get("wait", False))),
              flush=True)


if __name__ == "__main__":
    main()
