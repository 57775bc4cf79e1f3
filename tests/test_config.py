"""Configuration: the smallest valid file, folders by default, and errors that name the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locpress import config
from locpress.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "locpress.toml") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def test_smallest_config_uses_default_folders(tmp_path: Path) -> None:
    cfg = config.load(write(tmp_path, 'source_locale = "en"\nlocales = ["ko"]\n'))
    assert cfg.locales == ("ko",)
    assert (cfg.source_dir, cfg.locales_dir, cfg.output_dir) == ("source", "locales", "output")
    assert cfg.front_matter == ("title", "subtitle", "summary", "description")
    assert cfg.segmentation == "sentence" and cfg.min_reviewed == 100.0


def test_pyproject_tool_section(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n[tool.locpress]\nlocales = ["zh-hans", "pt_br"]\n[tool.locpress.build]\nmin_reviewed = 90\n'
    cfg = config.load(write(tmp_path, text, "pyproject.toml"))
    assert cfg.locales == ("zh_Hans", "pt_BR")
    assert cfg.min_reviewed == 90.0
    assert cfg.path == "pyproject.toml"


def test_locpress_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[tool.locpress]\nlocales = ["fr"]\n', "pyproject.toml")
    assert config.load(write(tmp_path, 'locales = ["ko"]\n')).locales == ("ko",)


@pytest.mark.parametrize(("text", "message"), [
    ('locales = ["ko"]\nlocale = "x"\n', "unknown key 'locale'"),
    ('locales = ["ko"]\n[build]\nmin_reviewd = 5\n', "unknown key build.min_reviewd"),
    ('locales = ["ko"]\n[bulid]\nx = 1\n', "unknown key 'bulid'"),
    ('locales = "ko"\n', "key 'locales' must be a list"),
    ('locales = ["ko", 3]\n', "key 'locales' must be a list of strings"),
    ('locales = ["ko"]\n[build]\nmin_reviewed = "all"\n', "key 'build.min_reviewed' must be an int or number"),
    ('locales = ["ko"]\n[build]\nmin_reviewed = true\n', "key 'build.min_reviewed' must be"),
    ('locales = ["ko"]\n[build]\nmin_reviewed = 120\n', "between 0 and 100"),
    ('locales = ["ko"]\n[extract]\nsegmentation = "words"\n', "extract.segmentation"),
    ('locales = ["ko"]\n[build]\nformats = ["pdf"]\n', "unknown format 'pdf'"),
    ('locales = ["xx_Qq"]\n', "unknown locale code 'xx_Qq'"),
    ('locales = ["../../escape"]\n', "invalid locale code '../../escape'"),
    ('locales = ["ko", "ko"]\n', "lists a locale twice"),
    ('locales = ["en"]\n', "contains the source locale"),
    ('source_locale = "en"\n', "missing key 'locales'"),
    ('locales = ["ko"]\noutput_dir = "../elsewhere"\n', "must be a folder inside the project"),
    ('locales = ["ko"\n', "invalid TOML"),
])
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    assert message in str(caught.value)
    assert str(caught.value).startswith("locpress.toml")
    assert caught.value.exit_code == 2


def test_toml_syntax_error_has_a_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, 'locales = ["ko"]\n\nsource_locale = \n'))
    assert caught.value.line == 3


def test_no_config_at_all(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no locpress.toml"):
        config.load(tmp_path)


@pytest.mark.parametrize(("code", "expected"), [
    ("ko", "ko"), ("zh_Hans", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("pt_BR", "pt_BR"), ("ar", "ar")])
def test_locale_codes_are_normalized_by_babel(code: str, expected: str) -> None:
    assert config.normalize_locale(code) == expected


def test_plural_forms_and_joining() -> None:
    assert config.plural_forms("ko") == "nplurals=1; plural=0;"
    assert config.plural_forms("ar").startswith("nplurals=6;")
    assert config.joins_without_space("zh_Hans") and config.joins_without_space("ja")
    assert not config.joins_without_space("ko")


def test_fingerprint_changes_with_options(tmp_path: Path) -> None:
    a = config.from_dict({"locales": ["ko"]}, tmp_path)
    b = config.from_dict({"locales": ["ko"], "extract": {"segmentation": "paragraph"}}, tmp_path)
    assert a.fingerprint() != b.fingerprint()
    assert a.fingerprint() == config.from_dict({"locales": ["ko"]}, tmp_path).fingerprint()


@pytest.mark.parametrize(("folders", "keys"), [
    ({"output_dir": "source"}, "keys 'source_dir' and 'output_dir'"),
    ({"output_dir": "source/built"}, "keys 'source_dir' and 'output_dir'"),
    ({"source_dir": "locales/en"}, "keys 'source_dir' and 'locales_dir'"),
    ({"drafts_dir": "./Output/drafts"}, "keys 'output_dir' and 'drafts_dir'"),
    ({"locales_dir": "drafts"}, "keys 'locales_dir' and 'drafts_dir'"),
    ({"output_dir": ".locpress/out"}, "key 'output_dir' and the run state .locpress/"),
    ({"locales_dir": "templates"}, "key 'locales_dir' and the templates/ folder (templates/release.html)"),
])
def test_folders_must_be_separate(folders: dict[str, str], keys: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{keys} must be separate folders, neither inside the other")) as refused:
        config.from_dict({"locales": ["ko"], **folders}, Path("."))
    assert refused.value.path == "locpress.toml"


def test_folders_that_only_share_a_prefix_are_separate() -> None:
    found = config.from_dict({"locales": ["ko"], "output_dir": "output", "drafts_dir": "output-drafts",
                              "source_dir": "sources", "locales_dir": "source-locales"}, Path("."))
    assert (found.output_dir, found.drafts_dir) == ("output", "output-drafts")
