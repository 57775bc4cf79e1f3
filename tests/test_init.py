"""`locpress init`: a new project that works at once, never over existing files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from locpress.cli import main


def _init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["init", *args])
    return code, capsys.readouterr().out


def test_init_writes_a_project_that_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "press"
    code, out = _init(capsys, str(folder), "--locale", "ko", "-l", "zh-hans")
    assert code == 0 and "6 files written in" in out
    for name in ("locpress.toml", ".gitignore", ".github/workflows/translations.yml", ".pre-commit-config.yaml"):
        assert f"wrote {name}" in out and (folder / name).is_file()
    assert (folder / "source").is_dir() and (folder / "locales").is_dir()
    assert 'locales = ["ko", "zh_Hans"]' in (folder / "locpress.toml").read_text()
    ignored = (folder / ".gitignore").read_text().splitlines()
    assert {".locpress/", "*.mo", "drafts/"} <= set(ignored)
    workflow = yaml.safe_load((folder / ".github/workflows/translations.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["translations"]["steps"]]
    github = next(i for i, r in enumerate(runs) if "check --format github" in r)
    gate = next(i for i, r in enumerate(runs) if "status --fail-under" in r)
    junit = next(i for i, r in enumerate(runs) if "--format junit" in r)
    assert github < gate < junit
    upload = workflow["jobs"]["translations"]["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact") and upload["with"]["path"].split() == ["reports/", "drafts/"]
    hook = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"] == "locpress check" and hook["files"] == r"^locales/.*\.po$"
    (folder / "source/floods.md").write_text("# Floods\n\nThe floods displaced 12,000 people.\n", encoding="utf-8")
    assert main(["-C", str(folder), "run"]) == 0
    assert (folder / "locales/ko/floods.po").is_file() and not list((folder / "source").glob("*.po"))
    capsys.readouterr()
    assert main(["check", "-C", str(folder), str(folder / "locales/ko/floods.po")]) == 0
    assert "in 1 catalog" in capsys.readouterr().out


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "locpress.toml").write_text('source_locale = "en"\nlocales = ["fr"]\n')
    (tmp_path / ".gitignore").write_text("node_modules/\n*.mo\n")
    code, out = _init(capsys, "-C", str(tmp_path), "-l", "ko")
    assert code == 0
    assert "kept locpress.toml (it exists)" in out and "kept .gitignore (it exists); add to it: .locpress/ drafts/" in out
    assert (tmp_path / "locpress.toml").read_text() == 'source_locale = "en"\nlocales = ["fr"]\n'
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n*.mo\n"
    assert "wrote .github/workflows/translations.yml" in out and "4 files written" in out
    again = _init(capsys, str(tmp_path))[1]
    assert "0 files written" in again and "wrote" not in again


def test_init_refuses_an_unknown_locale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "x"), "-l", "xx-nowhere"]) == 2
    assert "unknown locale code" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_python_dash_m_locpress(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "locpress", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "init" in done.stdout and "-l L" in done.stdout


@pytest.mark.parametrize(("record", "expected"), [
    (None, "locpress=={version}"),  # from a package index
    ('{"url": "https://github.com/org/locpress", "vcs_info": {"vcs": "git", "commit_id": "abc123"}}',
     "locpress @ git+https://github.com/org/locpress@abc123"),
    ('{"url": "https://example.org/locpress-0.1.0.tar.gz", "archive_info": {}}',
     "locpress @ https://example.org/locpress-0.1.0.tar.gz"),
    ('{"url": "file:///home/me/locpress", "dir_info": {"editable": true}}', None),  # CI cannot reach it
])
def test_the_workflow_installs_locpress_from_where_it_came(monkeypatch: pytest.MonkeyPatch, record: str | None,
                                                           expected: str | None) -> None:
    from locpress import __version__
    from locpress.commands import init

    class Distribution:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return record

    monkeypatch.setattr(init.metadata, "distribution", lambda name: Distribution())
    want = expected.format(version=__version__) if expected else None
    assert init.install_spec() == want
    steps = yaml.safe_load(init.workflow_text(want))["jobs"]["translations"]["steps"]
    install = next(s["run"] for s in steps if s.get("name") == "install locpress")
    if want:
        assert install == f"python -m pip install '{want}'"
    else:  # a step that fails and says what to edit, never one that installs something else
        assert "::error" in install and install.endswith("exit 1")


def test_init_install_option_is_written_into_the_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _init(capsys, str(tmp_path / "p"), "--install", "locpress @ git+https://git.example.org/locpress@v1")
    assert code == 0 and "its install step needs editing" not in out
    text = (tmp_path / "p/.github/workflows/translations.yml").read_text()
    assert "python -m pip install 'locpress @ git+https://git.example.org/locpress@v1'" in text
