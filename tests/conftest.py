"""Shared helpers: temporary projects driven through the CLI entry point in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mt_server import MTServer, forbid_internet

from locpress.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

# Word releases rendered by headless LibreOffice and read back with poppler: skipped where they
# are not installed, except in CI (.ci/run installs them, so there a missing one fails);
# LOCPRESS_NO_OFFICE=1 skips them on purpose (the Windows and macOS jobs of the GitHub workflow).
_OFFICE_MISSING = shutil.which("soffice") is None or shutil.which("pdftotext") is None
needs_office = pytest.mark.skipif(
    os.environ.get("LOCPRESS_NO_OFFICE") == "1" or (_OFFICE_MISSING and not os.environ.get("CI")),
    reason="LOCPRESS_NO_OFFICE=1" if os.environ.get("LOCPRESS_NO_OFFICE") == "1"
    else "LibreOffice (soffice) or poppler (pdftotext) is not installed (.ci/run installs them)")
HAS_GETTEXT = shutil.which("msgfmt") is not None


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches beyond 127.0.0.1: engines are tested against local servers."""
    forbid_internet(monkeypatch)


@pytest.fixture
def mt() -> Iterator[MTServer]:
    """A local server speaking each machine-translation service's documented API."""
    with MTServer() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Make a project: `project({"a.md": "..."}, locales=("ko",), extra="[build]\\n...")`."""

    def make(files: dict[str, str | bytes], locales: tuple[str, ...] = ("ko",), extra: str = "") -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        listed = ", ".join(f'"{loc}"' for loc in locales)
        (root / "locpress.toml").write_text(f'source_locale = "en"\nlocales = [{listed}]\n{extra}')
        for name, data in files.items():
            path = root / "source" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return root

    return make


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `locpress ARGS -C root` in-process and capture what it printed."""

    def run(root: Path, *args: str) -> Result:
        command, rest = args[0], list(args[1:])
        code = main([command, "-C", str(root), *rest])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a project except the run state, for "nothing changed" assertions."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".locpress" not in p.parts}
