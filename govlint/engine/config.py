"""Configuration: `[tool.govlint]` in pyproject.toml or a `govlint.toml`, with ruff's key names."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
        for pattern, codes in self.per_file_ignores.items():
            if path is not None and (fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern)):
                ignored = max(ignored, _longest(code, codes))
        return selected >= 0 and selected > ignored

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix that matches the code, -1 if none."""
    lengths = [len(p) for p in prefixes if code.startswith(p.strip().upper())]
    return max(lengths, default=-1)


def find_config(start: Path) -> Path | None:
    """The nearest govlint.toml, or pyproject.toml with a [tool.govlint] table, at or above `start`."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (
                name == "govlint.toml" or "[tool.govlint" in candidate.read_text(encoding="utf-8", errors="ignore")
            ):
                return candidate
    return None


def load_settings(path: Path | None) -> Settings:
    """Settings from a configuration file (defaults when there is none)."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"无法读取配置文件 {path}：{error}") from error
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("govlint", {})
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"配置文件 {path} 有误：{error}") from error
    folders = tuple(p if p.is_absolute() else (path.parent / p) for p in settings.rule_paths)
    return settings.model_copy(update={"rule_paths": folders})
