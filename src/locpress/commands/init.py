"""`locpress init`: the files a new project starts with.

`project_files` says what they are (pure); `create` writes the ones that do not exist yet,
never overwriting anything, and says what it did.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from locpress import __version__
from locpress.config import CONFIG_FILE
from locpress.errors import ConfigError

#: What git should not track: locpress's run state and memory, the `.mo` files Poedit
#: compiles on save, the drafts/work folder, and temporary files of a write cut short.
IGNORED = (".locpress/", "*.mo", "drafts/", ".*.locpress-tmp")
WORKFLOW = ".github/workflows/translations.yml"
PRE_COMMIT = ".pre-commit-config.yaml"


@dataclass(frozen=True)
class Planned:
    path: str  # relative to the project folder
    text: str
    why: str


def config_text(locales: Sequence[str]) -> str:
    listed = ", ".join(f'"{locale}"' for locale in locales)
    hint = "" if locales else '  # add the target languages, e.g. ["ko", "fr", "zh_Hans"]'
    return ("# locpress project: see the README's Configuration section for every key.\n"
            'source_locale = "en"\n'
            f"locales = [{listed}]{hint}\n")


def install_spec() -> str | None:
    """How CI can install the locpress that runs now, as a pip requirement (PEP 610's record of
    where it came from): the release from the package index, or the same git commit or
    archive; None where it came from a folder on this machine, which CI cannot reach."""
    try:
        record = metadata.distribution("locpress").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if record is None:
        return f"locpress=={__version__}"  # from an index
    try:
        origin = json.loads(record)
    except ValueError:
        return None
    url = str(origin.get("url", ""))
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and not url.startswith("file:"):
        return f"locpress @ git+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    if url.startswith(("https://", "http://")):
        return f"locpress @ {url}"
    return None


NO_SPEC = ('echo "::error file=.github/workflows/translations.yml::say where locpress is installed from '
           '(a pip requirement, e.g. locpress @ git+https://github.com/ORG/locpress@TAG)" && exit 1')


def workflow_text(install: str | None) -> str:
    """GitHub Actions: annotations first, then the gate, and the JUnit report kept."""
    step = f"python -m pip install '{install}'" if install else NO_SPEC
    return f"""name: translations
on: [push, pull_request]
jobs:
  translations:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {{python-version: "3.12"}}
      - name: install locpress   # made by `locpress init`; `init --install SPEC` says where from
        run: {step}
      - name: check (annotations on the .po lines)
        run: locpress check --format github
      - name: status gate
        if: ${{{{ !cancelled() }}}}
        run: locpress status --fail-under 100
      - name: JUnit report, review sheets and drafts (for staff, not for publication)
        if: ${{{{ !cancelled() }}}}
        run: |
          locpress check --format junit --output reports/locpress-check.xml || true
          locpress review && locpress build --draft || true
      - if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: translation-reports
          path: |
            reports/
            drafts/
"""


def pre_commit_text(locales_dir: str = "locales") -> str:
    """A local pre-commit hook: `locpress check` on the catalogs a commit changes."""
    return f"""repos:
  - repo: local
    hooks:
      - id: locpress-check
        name: locpress check (changed catalogs)
        entry: locpress check
        language: system
        files: ^{locales_dir}/.*\\.po$
"""


def project_files(locales: Sequence[str], install: str | None) -> list[Planned]:
    return [
        Planned(CONFIG_FILE, config_text(locales), "configuration"),
        Planned("source/.gitkeep", "", "English releases go in source/"),
        Planned("locales/.gitkeep", "", "catalogs appear in locales/"),
        Planned(".gitignore", "".join(f"{line}\n" for line in IGNORED), "run state, *.mo, drafts/"),
        Planned(WORKFLOW, workflow_text(install), "CI: check, status gate, JUnit report" + (
            "" if install else "; its install step needs editing (locpress came from a local folder: "
            "give `--install SPEC`)")),
        Planned(PRE_COMMIT, pre_commit_text(), "pre-commit hook: locpress check on changed catalogs"),
    ]


def create(folder: Path, locales: Sequence[str], install: str | None) -> list[str]:
    """Write the project files that are missing in `folder` (made if need be); the lines
    to print, one per file: written, or kept as it was."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError("not a folder", str(folder))
    lines = []
    for planned in project_files(locales, install):
        path = folder / planned.path
        if path.exists() or path.is_symlink():
            lines.append(f"kept {planned.path} (it exists)" + _missing_ignores(path, planned))
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never over a file
                handle.write(planned.text)
        except OSError as exc:
            raise ConfigError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        lines.append(f"wrote {planned.path}: {planned.why}")
    return lines


def _missing_ignores(path: Path, planned: Planned) -> str:
    if planned.path != ".gitignore":
        return ""
    try:
        have = {line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()}
    except OSError:
        return ""
    missing = [line for line in IGNORED if line not in have]
    return f"; add to it: {' '.join(missing)}" if missing else ""


def shown(folder: Path) -> str:
    """The folder as the user named it, relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(folder.resolve(), Path.cwd().resolve())
    except ValueError:
        return str(folder)
    return str(folder) if relative.startswith("..") else relative
