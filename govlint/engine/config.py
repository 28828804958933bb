"""Configuration: `[tool.govlint]` in pyproject.toml or a `govlint.toml`, with ruff's key names."""

from __future__ import annotations

import difflib
import fnmatch
import os
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from govlint.findings import Severity

CONFIG_FILES = ("govlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is Chinese and names the file."""


class Settings(BaseModel):
    """What to check and how strictly. The CLI overrides what it is given."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    select: tuple[str, ...] = ("",)
    """Codes or prefixes to run; the empty prefix selects everything."""
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    """Per-code severity overrides, e.g. {"S006" = "info"}."""
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict, alias="per-file-ignores")
    rule_paths: tuple[Path, ...] = Field(default=(), alias="rule-paths")
    """Extra folders of rule files, relative to the configuration file."""
    fail_on: Severity = Field(default=Severity.ERROR, alias="fail-on")
    template: Literal["auto", "2021", "2019"] = "auto"
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-code parameter overrides, e.g. [tool.govlint.params.X003] threshold = 0.9."""

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Whether a rule runs (ruff's semantics: the most specific prefix wins, ignore on ties)."""
        selected = _longest(code, (*self.select, *self.extend_select))
        ignored = _longest(code, self.ignore)
        if path is not None:
            name = os.path.basename(path)
            for pattern, codes in self.per_file_ignores.items():
                if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, pattern):
                    ignored = max(ignored, _longest(code, codes))
        return selected >= 0 and selected > ignored

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def selections(self) -> dict[str, tuple[str, ...]]:
        """The rule codes each configuration key names, for the keys that were given."""
        named = {
            "select": self.select, "extend-select": self.extend_select, "ignore": self.ignore,
            "per-file-ignores": tuple(c for codes in self.per_file_ignores.values() for c in codes),
            "severity": tuple(self.severity), "params": tuple(self.params),
        }
        return {key: codes for key, codes in named.items() if KEYS[key] in self.model_fields_set}


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix that matches the code, -1 if none."""
    lengths = [len(p) for p in prefixes if code.startswith(p.strip().upper())]
    return max(lengths, default=-1)


def find_config(start: str | os.PathLike[str], known: dict[str, Path | None] | None = None) -> Path | None:
    """The nearest govlint.toml, or pyproject.toml with a [tool.govlint] table, at or above `start`.
    `known` remembers the answer for every folder looked at (a batch of many folders shares it)."""
    known = {} if known is None else known
    visited: list[str] = []
    found: Path | None = None
    folder = os.path.abspath(start)
    while True:
        if folder in known:
            found = known[folder]
            break
        visited.append(folder)
        found = _config_in(folder)
        parent = os.path.dirname(folder)
        if found is not None or parent == folder:
            break
        folder = parent
    for seen in visited:
        known[seen] = found
    return found


def _config_in(folder: str) -> Path | None:
    for name in CONFIG_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and (
            name == "govlint.toml" or "[tool.govlint" in Path(candidate).read_text(encoding="utf-8", errors="ignore")
        ):
            return Path(candidate)
    return None


KEYS: dict[str, str] = {(f.alias or name): name for name, f in Settings.model_fields.items()}
"""Configuration key as written in the file (ruff's spelling) → field name."""
KINDS = {
    "select": "代码或前缀的列表，如 [\"T\", \"S001\"]", "extend-select": "代码或前缀的列表，如 [\"N001\"]",
    "ignore": "代码或前缀的列表，如 [\"T006\"]", "severity": "表，如 { S006 = \"info\" }",
    "per-file-ignores": "表，如 { \"历史/*.txt\" = [\"F001\"] }", "rule-paths": "目录的列表，如 [\"本地规则\"]",
    "params": "以规则代码为名的表，如 [params.X003]",
}
"""What each key takes, for messages about a value of the wrong kind."""
SEVERITY_VALUES = "、".join(s.value for s in Severity)
CHOICES = {"fail-on": SEVERITY_VALUES, "severity": SEVERITY_VALUES, "template": "auto、2021、2019"}
"""The allowed values of the keys that take one of a few words."""


def _nearest(word: str, known: Iterable[str], cutoff: float = 0.5) -> str:
    """"，您是不是要写“X”" for the nearest known word, or nothing."""
    near = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f"，您是不是要写“{near[0]}”" if near else ""


def _allowed(key: str) -> str:
    """What a key takes: its allowed values, or the kind of value."""
    if key in CHOICES:
        return f"可选的值：{CHOICES[key]}"
    return f"应为{KINDS[key]}"


def _unknown_keys(data: Mapping[str, Any], path: Path) -> None:
    for key in data:
        if key not in KEYS:
            near = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.5)
            hint = f"，您是不是要写“{near[0]}”（{_allowed(near[0])}）" if near else ""
            raise ConfigError(f"配置文件 {path} 中没有“{key}”这一项{hint}；可用的项：{'、'.join(KEYS)}")


def _value_error(error: ErrorDetails, path: Path) -> str:
    """One Chinese sentence for the first thing pydantic refused."""
    location = [str(part) for part in error["loc"]]
    value = error.get("input")
    shown = f"“{value}”" if isinstance(value, str | int | float) else ""
    return f"配置文件 {path} 中“{'.'.join(location)}”的值{shown}无效；{_allowed(location[0])}"


EXACT_CODE_KEYS = ("severity", "params")
"""Keys that name whole rule codes; the others also take prefixes."""
SELECT_KEYS = ("select", "--select")


def check_codes(selections: Mapping[str, Collection[str]], known: Collection[str], where: str) -> None:
    """Refuse a code or prefix that names no rule, and a selection of nothing: a misspelt code
    must not switch a check off. `where` is the configuration file or 命令行."""
    for key, codes in selections.items():
        if key in SELECT_KEYS and not codes:
            raise ConfigError(f"{where}中 {key} 没有给出任何规则代码；要运行全部规则，请删去这一项")
        for code in codes:
            wanted = code.strip().upper()
            exact = key.lstrip("-") in EXACT_CODE_KEYS
            if wanted and any(k == wanted if exact else k.startswith(wanted) for k in known):
                continue
            kind = "规则代码" if exact else "规则代码或前缀"
            raise ConfigError(f"{where}中 {key} 的“{code}”不是已知的{kind}{_nearest(wanted, known, cutoff=0)}；"
                              "运行 govlint rules 查看全部规则")


VALUE_KINDS = {"int": "整数", "float": "数字", "bool": "true 或 false", "string": "文字", "list": "列表",
               "tuple": "列表", "dict": "表"}
"""Words in pydantic's error types → the kind of value they wanted."""


def check_params(params: Mapping[str, Mapping[str, Any]], models: Mapping[str, tuple[type[BaseModel], dict[str, Any]]],
                 where: str) -> None:
    """Refuse `[params.CODE]` values the rule's mechanism does not take; `models` gives, per
    code, the parameter model and the rule file's own values."""
    for code, overrides in params.items():
        model, defaults = models[code]
        try:
            model.model_validate({**defaults, **overrides})
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(part) for part in first["loc"])
            if first["type"] == "extra_forbidden":
                raise ConfigError(f"{where}中 params.{code} 没有“{key}”这一项{_nearest(key, model.model_fields)}；"
                                  f"可用的项：{'、'.join(model.model_fields)}") from error
            kind = next((word for name, word in VALUE_KINDS.items() if name in first["type"]), "")
            raise ConfigError(f"{where}中 params.{code} 的“{key}”的值“{first.get('input')}”无效"
                              f"{'，应为' + kind if kind else ''}") from error


def check_selection(settings: Settings, known: Collection[str]) -> None:
    """Refuse settings under which no rule runs at all."""
    if not any(settings.enabled(code) for code in known):
        raise ConfigError("所选的规则经 ignore 排除后一条也不剩，这样什么也不会检查；请修改 select 或 ignore")


def _toml_error(error: tomli.TOMLDecodeError) -> str:
    return f"（第{error.lineno}行第{error.colno}列附近）"


def load_settings(path: Path | None) -> Settings:
    """Settings from a configuration file (defaults when there is none)."""
    if path is None:
        return Settings()
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"无法读取配置文件 {path}：请确认文件存在并以 UTF-8 编码保存") from error
    except tomli.TOMLDecodeError as error:
        raise ConfigError(f"配置文件 {path} 不是有效的 TOML 格式{_toml_error(error)}，"
                          "请检查引号、方括号和等号是否成对、完整") from error
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("govlint", {})
    _unknown_keys(data, path)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_value_error(error.errors()[0], path)) from error
    folders = tuple(p if p.is_absolute() else (path.parent / p) for p in settings.rule_paths)
    return settings.model_copy(update={"rule_paths": folders})
