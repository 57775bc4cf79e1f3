"""Project configuration: defaults < `locpress.toml` (or `[tool.locpress]`) < command line.

Unknown keys and wrong types are errors that name the key, so a typo never silently falls
back to a default.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from locpress.errors import ConfigError
from locpress.findings import CHECK_NAMES

CONFIG_FILE = "locpress.toml"
DEFAULT_FRONT_MATTER = ("title", "subtitle", "summary", "description")
SEGMENTATION_MODES = ("sentence", "paragraph")
# "md" (or the source's own format) is always written; "html" adds a web page next to it.
BUILD_FORMATS = ("md", "html")
# Languages whose sentences are written one after another without a space.
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "yue"})
# Machine-translation engines (`[pretranslate] engine`); see engines.py.
ENGINE_NAMES = ("google", "mymemory", "deepl", "microsoft", "papago", "libre", "yandex", "baidu", "pseudo", "none")
EXACT_TM_MODES = ("reviewed", "fuzzy")


@dataclass(frozen=True)
class EngineSettings:
    """`[engines.<name>]`: how to reach one engine. Never holds the API key itself, only the
    name of the environment variable that does, so no file locpress writes can contain it."""

    name: str
    url: str | None = None
    api_key_env: str | None = None
    timeout: float = 30.0
    concurrency: int = 4
    retries: int = 4
    backoff: float = 1.0
    max_delay: float = 60.0
    max_length: int | None = None
    region: str | None = None
    confidential: bool = False  # self-hosted: embargoed releases may be sent to it
    # `type = "openai"`: an OpenAI-compatible chat-completions engine (llm.py)
    type: str | None = None
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    response_format: str = "json_schema"
    chunk_chars: int = 6000
    style: tuple[tuple[str, str], ...] = ()  # locale -> style note


_ENGINE_KEYS: dict[str, type | tuple[type, ...]] = {
    "url": str, "api_key_env": str, "timeout": (int, float), "concurrency": int, "retries": int,
    "backoff": (int, float), "max_delay": (int, float), "max_length": int, "region": str,
    "confidential": bool, "type": str, "model": str, "temperature": (int, float), "max_tokens": int,
    "response_format": str, "chunk_chars": int, "style": dict,
}
ENGINE_TYPES = ("openai",)
RESPONSE_FORMATS = ("json_schema", "json_object", "none")


@dataclass(frozen=True)
class Config:
    """Everything the stages need to know about a project."""

    root: Path
    source_locale: str = "en"
    locales: tuple[str, ...] = ()
    source_dir: str = "source"
    locales_dir: str = "locales"
    output_dir: str = "output"
    drafts_dir: str = "drafts"  # what only staff see: drafts, review sheets, XLIFF exports, the dashboard
    project_name: str = "locpress"
    segmentation: str = "sentence"
    front_matter: tuple[str, ...] = DEFAULT_FRONT_MATTER
    min_reviewed: float = 100.0
    formats: tuple[str, ...] = ("md",)
    path: str = CONFIG_FILE
    engine: str = "none"
    exact_tm: str = "reviewed"
    tm_min_score: float = 75.0
    max_chars: int | None = None
    engines: tuple[EngineSettings, ...] = ()
    check_disable: tuple[str, ...] = ()
    check_fail_on: str = "error"
    build_fail_on: str | None = None  # `[build] fail_on`: the publication gate (default: check_fail_on)
    keep_outdated: bool = False  # `[build] keep_outdated`: an outdated release stays published, reported
    check_min_length_ratio: float = 0.4
    check_max_length_ratio: float = 2.5
    word_max_unpacked: int = 100 * 1024 * 1024  # `[word]`: what a .docx may unpack to (docx_package.Limits)
    word_max_ratio: float = 100.0

    @property
    def gate(self) -> str:
        """The severity at which `build` refuses to publish a release (`[build] fail_on`)."""
        return self.build_fail_on or self.check_fail_on

    def engine_settings(self, name: str) -> EngineSettings:
        """The `[engines.<name>]` table, or the defaults when there is none."""
        return next((e for e in self.engines if e.name == name), EngineSettings(name))

    def fingerprint(self) -> str:
        """A digest of every option that changes what extract or build write."""
        data = [self.source_locale, self.segmentation, list(self.front_matter),
                self.min_reviewed, list(self.formats), self.project_name, self.drafts_dir,
                self.gate, self.keep_outdated, list(self.check_disable),
                self.check_min_length_ratio, self.check_max_length_ratio]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]


# key -> (type, config attribute); sections are nested dicts of the same shape.
_TOP: dict[str, tuple[type | tuple[type, ...], str]] = {
    "source_locale": (str, "source_locale"),
    "locales": (list, "locales"),
    "source_dir": (str, "source_dir"),
    "locales_dir": (str, "locales_dir"),
    "output_dir": (str, "output_dir"),
    "drafts_dir": (str, "drafts_dir"),
    "project": (str, "project_name"),
}
_SECTIONS: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "extract": {
        "segmentation": (str, "segmentation"),
        "front_matter": (list, "front_matter"),
    },
    "build": {
        "min_reviewed": ((int, float), "min_reviewed"),
        "formats": (list, "formats"),
        "fail_on": (str, "build_fail_on"),
        "keep_outdated": (bool, "keep_outdated"),
    },
    "pretranslate": {
        "engine": (str, "engine"),
        "exact_tm": (str, "exact_tm"),
        "tm_min_score": ((int, float), "tm_min_score"),
        "max_chars": (int, "max_chars"),
    },
    "check": {
        "disable": (list, "check_disable"),
        "fail_on": (str, "check_fail_on"),
        "min_length_ratio": ((int, float), "check_min_length_ratio"),
        "max_length_ratio": ((int, float), "check_max_length_ratio"),
    },
    "word": {
        "max_unpacked": (int, "word_max_unpacked"),
        "max_ratio": ((int, float), "word_max_ratio"),
    },
}


def normalize_locale(code: str, where: str = CONFIG_FILE) -> str:
    """`ko`, `zh-Hans`, `pt_br` -> Babel's canonical `ko`, `zh_Hans`, `pt_BR`."""
    if not code or not all(c.isalnum() or c in "-_" for c in code):
        raise ConfigError(f"invalid locale code {code!r}", where)
    try:
        return str(Locale.parse(code.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(f"unknown locale code {code!r}", where) from None


def plural_forms(locale: str) -> str:
    """The Plural-Forms header value for a locale, from Babel's CLDR data."""
    return get_plural(locale).plural_forms


def joins_without_space(locale: str) -> bool:
    """Whether sentences of this locale follow each other with no space (Chinese, Japanese)."""
    return locale.split("_")[0] in NO_SPACE_LANGUAGES


def load(root: Path) -> Config:
    """Read the project's configuration from `locpress.toml` or `[tool.locpress]`."""
    path = root / CONFIG_FILE
    if path.is_file():
        data = _read_toml(path, root)
        shown = CONFIG_FILE
    else:
        pyproject = root / "pyproject.toml"
        section = _read_toml(pyproject, root).get("tool", {}).get("locpress") if pyproject.is_file() else None
        if not isinstance(section, dict):
            raise ConfigError(f"no {CONFIG_FILE} (or [tool.locpress] in pyproject.toml) in {root}")
        shown = "pyproject.toml"
        data = section
    try:
        return from_dict(data, root, shown)
    except ConfigError as exc:
        if exc.path == shown and exc.line is None:
            text = (root / shown).read_text(encoding="utf-8")
            exc.line = _line_of(exc.message, text, "tool.locpress." if shown != CONFIG_FILE else "")
        raise


_NAMED = re.compile(r"'([^'\s]+)'|key ([\w.-]+)|\[([\w.-]+)\]|engine (engines\.[\w-]+)")
_TABLE = re.compile(r"\s*\[\s*([\w.-]+)\s*\]")
_ASSIGN = re.compile(r"\s*([\w.-]+)\s*=")


def _line_of(message: str, text: str, prefix: str) -> int | None:
    """The line of the key an error names (`build.min_reviewd`), else of the value it quotes
    (`'xx_QQ'`), so that configuration errors read `locpress.toml:4: ...` like the others."""
    lines = text.splitlines()
    keys: dict[str, int] = {}
    table = ""
    for number, line in enumerate(lines, 1):
        if match := _TABLE.match(line):
            table = match.group(1)
            keys.setdefault(table, number)
        elif match := _ASSIGN.match(line):
            keys.setdefault(f"{table}.{match.group(1)}".lstrip("."), number)
    for named in (next(g for g in m.groups() if g) for m in _NAMED.finditer(message)):
        if prefix + named in keys:
            return keys[prefix + named]
        quoted = next((n for n, line in enumerate(lines, 1) if f'"{named}"' in line or f"'{named}'" in line), None)
        if quoted is not None:
            return quoted
    return None


def _read_toml(path: Path, root: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError(f"invalid TOML: {exc}", path.name, line) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path.name) from None


def _toml_error_line(message: str) -> int | None:
    marker = "(at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",", 1)[0]
        return int(digits) if digits.isdigit() else None
    return None


def from_dict(data: dict[str, Any], root: Path, shown: str = CONFIG_FILE) -> Config:
    """Validate a configuration mapping; every key must be known and well typed."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TOP:
            values[_TOP[key][1]] = _typed(value, _TOP[key][0], key, shown)
        elif key == "engines":
            values["engines"] = _engines(value, shown)
        elif key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] must be a table", shown)
            for sub, subvalue in value.items():
                if sub not in _SECTIONS[key]:
                    raise ConfigError(f"unknown key {key}.{sub}", shown)
                kind, attr = _SECTIONS[key][sub]
                values[attr] = _typed(subvalue, kind, f"{key}.{sub}", shown)
        else:
            raise ConfigError(f"unknown key {key!r}", shown)
    if "locales" not in values:
        raise ConfigError("missing key 'locales' (e.g. locales = [\"ko\"])", shown)
    return _finish(values, root, shown)


def _engines(data: Any, shown: str) -> tuple[EngineSettings, ...]:
    """`[engines.<name>]` tables; an unknown engine or key is an error naming it."""
    if not isinstance(data, dict):
        raise ConfigError("[engines] must hold tables such as [engines.google]", shown)
    found = []
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"[engines.{name}] must be a table", shown)
        if name not in ENGINE_NAMES and "type" not in table:
            raise ConfigError(f"unknown engine engines.{name} (known: {', '.join(ENGINE_NAMES)}, or a table "
                              f"with type = \"openai\")", shown)
        values: dict[str, Any] = {}
        for key, value in table.items():
            where = f"engines.{name}.{key}"
            if key not in _ENGINE_KEYS:
                hint = " (API keys are read from the environment; api_key_env names the variable)" \
                    if "key" in key else ""
                raise ConfigError(f"unknown key {where}{hint}", shown)
            values[key] = _engine_value(value, _ENGINE_KEYS[key], where, shown)
        found.append(_checked_engine(EngineSettings(name, **values), shown))
    return tuple(found)


def _engine_value(value: Any, kind: type | tuple[type, ...], where: str, shown: str) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"key {where!r} must be true or false, not {type(value).__name__}", shown)
        return value
    if kind is dict:  # style: locale -> note
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f"key {where!r} must be a table of locale = \"note\"", shown)
        return tuple(sorted((normalize_locale(k, shown), v) for k, v in value.items()))
    return _typed(value, kind, where, shown)


def _checked_engine(settings: EngineSettings, shown: str) -> EngineSettings:
    where = f"engines.{settings.name}"
    if settings.name in ENGINE_NAMES and settings.type is not None:
        raise ConfigError(f"key '{where}.type': {settings.name} is a built-in engine; give the table "
                          "another name", shown)
    if settings.type is not None:
        if settings.type not in ENGINE_TYPES:
            raise ConfigError(f"key '{where}.type' must be one of {', '.join(ENGINE_TYPES)}", shown)
        if not re.fullmatch(r"[A-Za-z][\w-]{0,39}", settings.name):
            raise ConfigError(f"engine name {settings.name!r} must be letters, digits, - or _", shown)
        if not settings.url or not settings.model:
            raise ConfigError(f"[{where}] with type = \"openai\" needs url and model", shown)
        if settings.response_format not in RESPONSE_FORMATS:
            raise ConfigError(f"key '{where}.response_format' must be one of {', '.join(RESPONSE_FORMATS)}",
                              shown)
        if settings.temperature is not None and not 0 <= settings.temperature <= 2:
            raise ConfigError(f"key '{where}.temperature' must be between 0 and 2", shown)
        if settings.max_tokens is not None and not 1 <= settings.max_tokens <= 1_000_000:
            raise ConfigError(f"key '{where}.max_tokens' must be between 1 and 1000000", shown)
        if not 200 <= settings.chunk_chars <= 1_000_000:
            raise ConfigError(f"key '{where}.chunk_chars' must be between 200 and 1000000", shown)
    elif any(getattr(settings, k) != getattr(EngineSettings(settings.name), k)
             for k in ("model", "temperature", "max_tokens", "response_format", "chunk_chars", "style")):
        raise ConfigError(f"[{where}]: model, temperature, max_tokens, response_format, chunk_chars and "
                          "style are for type = \"openai\" engines", shown)
    if settings.url is not None and not settings.url.startswith(("http://", "https://")):
        raise ConfigError(f"key '{where}.url' must start with http:// or https://", shown)
    if settings.api_key_env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", settings.api_key_env):
        raise ConfigError(f"key '{where}.api_key_env' must be the name of an environment variable", shown)
    limits = (("timeout", 0.001, 3600), ("concurrency", 1, 64), ("retries", 0, 20), ("backoff", 0, 600),
              ("max_delay", 0, 3600), ("max_length", 20, 1_000_000))
    for key, low, high in limits:
        value = getattr(settings, key)
        if value is not None and not low <= value <= high:
            raise ConfigError(f"key '{where}.{key}' must be between {low:g} and {high:g}", shown)
    temperature = None if settings.temperature is None else float(settings.temperature)
    return replace(settings, timeout=float(settings.timeout), backoff=float(settings.backoff),
                   max_delay=float(settings.max_delay), temperature=temperature)


def _typed(value: Any, kind: type | tuple[type, ...], key: str, shown: str) -> Any:
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"key {key!r} must be {_article(names)}, not {type(value).__name__}", shown)
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                raise ConfigError(f"key {key!r} must be a list of strings", shown)
        return tuple(value)
    return value


def _article(names: str) -> str:
    names = names.replace("str", "string").replace("float", "number")
    return ("an " if names[0] in "aeiou" else "a ") + names


def _finish(values: dict[str, Any], root: Path, shown: str) -> Config:
    values["source_locale"] = normalize_locale(values.get("source_locale", "en"), shown)
    locales = tuple(normalize_locale(code, shown) for code in values["locales"])
    if len(set(locales)) != len(locales):
        raise ConfigError("key 'locales' lists a locale twice", shown)
    if values["source_locale"] in locales:
        raise ConfigError("key 'locales' contains the source locale", shown)
    values["locales"] = locales
    if values.get("segmentation", "sentence") not in SEGMENTATION_MODES:
        raise ConfigError(f"key 'extract.segmentation' must be one of {', '.join(SEGMENTATION_MODES)}", shown)
    if not 0 <= values.get("min_reviewed", 100) <= 100:
        raise ConfigError("key 'build.min_reviewed' must be a percentage between 0 and 100", shown)
    values["min_reviewed"] = float(values.get("min_reviewed", 100))
    for fmt in values.get("formats", ("md",)):
        if fmt not in BUILD_FORMATS:
            raise ConfigError(f"key 'build.formats': unknown format {fmt!r} (known: {', '.join(BUILD_FORMATS)})", shown)
    for key in ("source_dir", "locales_dir", "output_dir", "drafts_dir"):
        _inside(values.get(key, key.split("_")[0]), key, shown)
    _disjoint(values, shown)
    if values.get("build_fail_on", "error") not in ("error", "warning"):
        raise ConfigError("key 'build.fail_on' must be \"error\" or \"warning\"", shown)
    _check_pretranslate(values, shown)
    _check_checks(values, shown)
    return Config(root=root, path=shown, **values)


def _check_pretranslate(values: dict[str, Any], shown: str) -> None:
    configured = [e.name for e in values.get("engines", ()) if e.type is not None]
    if values.get("engine", "none") not in (*ENGINE_NAMES, *configured):
        raise ConfigError(f"key 'pretranslate.engine' must be one of {', '.join((*ENGINE_NAMES, *configured))}",
                          shown)
    if values.get("exact_tm", "reviewed") not in EXACT_TM_MODES:
        raise ConfigError(f"key 'pretranslate.exact_tm' must be one of {', '.join(EXACT_TM_MODES)}", shown)
    if not 0 < values.get("tm_min_score", 75) <= 100:
        raise ConfigError("key 'pretranslate.tm_min_score' must be a percentage above 0, at most 100", shown)
    values["tm_min_score"] = float(values.get("tm_min_score", 75))
    if values.get("max_chars", 1) < 0:
        raise ConfigError("key 'pretranslate.max_chars' must not be negative", shown)


def _check_checks(values: dict[str, Any], shown: str) -> None:
    """`[check]`: names of checks to disable must exist, as `locpress check --list` shows them."""
    for name in values.get("check_disable", ()):
        if name not in CHECK_NAMES:
            raise ConfigError(f"key 'check.disable': unknown check {name!r} (see `locpress check --list`)", shown)
    if values.get("check_fail_on", "error") not in ("error", "warning"):
        raise ConfigError("key 'check.fail_on' must be \"error\" or \"warning\"", shown)
    low, high = values.get("check_min_length_ratio", 0.4), values.get("check_max_length_ratio", 2.5)
    if not 0 <= low < high:
        raise ConfigError("keys 'check.min_length_ratio' and 'check.max_length_ratio' need 0 <= min < max", shown)
    values["check_min_length_ratio"], values["check_max_length_ratio"] = float(low), float(high)


#: Folders whose place is fixed: the project's own release template, and the run state.
FIXED_FOLDERS = {"templates": "the templates/ folder (templates/release.html)", ".locpress": "the run state .locpress/"}


def _disjoint(values: dict[str, Any], shown: str) -> None:
    """The project's folders are separate, none inside another: `output_dir = "source"`
    would build releases over the English sources, or read them back as sources. Compared
    without regard to case, as macOS and Windows file systems do, so the answer is the same
    on every OS."""
    keys = ("source_dir", "locales_dir", "output_dir", "drafts_dir")
    folders = {key: tuple(part.casefold() for part in Path(values.get(key, key.split("_")[0])).parts)
               for key in keys}
    folders.update((name, (name,)) for name in FIXED_FOLDERS)
    names = list(folders)
    for index, first in enumerate(names):
        for second in names[index + 1:]:
            a, b = folders[first], folders[second]
            if a[:len(b)] != b and b[:len(a)] != a:
                continue
            said = [f"{k} = {values.get(k, k.split('_')[0])!r}" for k in (first, second) if k in keys]
            if second in FIXED_FOLDERS:
                raise ConfigError(f"key '{first}' and {FIXED_FOLDERS[second]} must be separate folders, neither "
                                  f"inside the other ({', '.join(said)})", shown)
            why = ": drafts are never published" if {first, second} == {"output_dir", "drafts_dir"} else ""
            raise ConfigError(f"keys '{first}' and '{second}' must be separate folders, neither inside the other "
                              f"({', '.join(said)}){why}", shown)


def _inside(folder: str, key: str, shown: str) -> None:
    parts = Path(folder).parts
    if not parts or Path(folder).is_absolute() or ".." in parts:
        raise ConfigError(f"key {key!r} must be a folder inside the project, not {folder!r}", shown)
