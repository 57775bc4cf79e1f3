"""Which release an XLIFF `<file>` is, when its `original` is not a release name.

Tools write `original` their own way: locpress the release name (`2023/11/floods`),
Translate Toolkit's po2xliff the path of the catalog it was given
(`locales/ko/2023/11/floods.po`), Okapi the source document (`floods.md`), Trados and memoQ
the full path of the file they imported (`C:\\Projects\\IOM\\floods.xlf`). This module
finds the release from the name alone; when that fails, the caller matches the units'
source text and context against the catalogs.
"""

from __future__ import annotations

from collections.abc import Sequence

EXTENSIONS = (".sdlxliff", ".mqxliff", ".mxliff", ".xliff", ".xlf", ".po", ".pot", ".md", ".markdown", ".txt")


def release_for(original: str, releases: Sequence[str], markers: Sequence[str]) -> tuple[str | None, str]:
    """The release `original` names, and how it was found ("" when it is the release name
    itself); (None, "") when the name does not say. `markers` are the project folders a
    path may go through (`locales/ko/`, `source/`)."""
    if original in releases:
        return original, ""
    name = _stem(original.replace("\\", "/"))
    for marker in markers:
        found = ("/" + name).rfind("/" + marker)
        if found >= 0:
            name = ("/" + name)[found + 1 + len(marker):]
            break
    if name in releases:
        return name, f'matched by file name: original "{original}"'
    tail = name.rsplit("/", 1)[-1]
    candidates = [r for r in releases if name.endswith("/" + r) or r.endswith("/" + name)]
    if not candidates:  # a path of another machine: its file name alone
        candidates = [r for r in releases if r.rsplit("/", 1)[-1] == tail]
    if len(candidates) == 1:
        return candidates[0], f'matched by file name: original "{original}"'
    return None, ""


def _stem(name: str) -> str:
    """The name without the extensions tools add (`floods.md.xlf.sdlxliff` is `floods`)."""
    changed = True
    while changed:
        changed = False
        for extension in EXTENSIONS:
            if name.lower().endswith(extension) and len(name) > len(extension):
                name = name[: -len(extension)]
                changed = True
    return name.strip("/")
