"""Loading rule packs: the built-in pack and third-party ones through the `govlint.rules`
entry-point group, and extra folders named in config — all through `load_folder`."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli
from pydantic import ValidationError

from govlint.engine.rule import RuleSpec
from govlint.mechanisms import BUILTIN

if TYPE_CHECKING:
    from govlint.mechanisms.base import Mechanism, PairMechanism

ENTRY_POINT_GROUP = "govlint.rules"


class RuleLoadError(Exception):
    """A rule file or pack that cannot be used; the message names the file."""


class LoadedRule:
    """A rule spec and its parameters. Its mechanism is imported, and the parameters validated
    against it, by `bind` or when the rule first runs: a run that finds every file in the cache
    imports no mechanism at all."""

    def __init__(self, spec: RuleSpec, source: str = "", overrides: Mapping[str, Any] | None = None) -> None:
        self.spec = spec
        self.source = source
        """The rule file's name, for errors."""
        self.overrides = dict(overrides or {})
        """Parameters the configuration sets on top of the rule file's."""

    @cached_property
    def mechanism(self) -> Mechanism[Any] | PairMechanism[Any]:
        try:
            return resolve_mechanism(self.spec.mechanism)
        except (RuleLoadError, ImportError) as error:
            raise RuleLoadError(f"无法加载规则文件 {self.source}（{self.spec.origin}）：{error}") from error

    @cached_property
    def params(self) -> Any:
        """The parameters, validated by the mechanism's model."""
        try:
            return self.mechanism.params.model_validate({**self.spec.params, **self.overrides})
        except ValidationError as error:
            if self.overrides:
                raise RuleLoadError(f"配置中规则 {self.spec.code} 的参数有误：{error}") from error
            raise RuleLoadError(f"无法加载规则文件 {self.source}（{self.spec.origin}）："
                                f"规则 {self.spec.code} 的参数有误：{error}") from error

    def bind(self) -> LoadedRule:
        """Import the mechanism and validate the parameters now (a broken rule fails here)."""
        _ = self.params
        return self

    @property
    def pairwise(self) -> bool:
        """Whether the rule compares two consecutive years of one agency."""
        from govlint.mechanisms.base import PairMechanism

        return isinstance(self.mechanism, PairMechanism)

    def with_params(self, overrides: dict[str, Any]) -> LoadedRule:
        """The same rule with some parameters replaced (from configuration), validated now."""
        return LoadedRule(self.spec, self.source, {**self.overrides, **overrides}).bind()


def resolve_mechanism(name: str) -> Mechanism[Any] | PairMechanism[Any]:
    """A built-in mechanism by name, or a plugin's `package.module:OBJECT`."""
    from govlint.mechanisms.base import Mechanism, PairMechanism

    reference = BUILTIN.get(name, name)
    if ":" in reference:
        module_name, _, attribute = reference.partition(":")
        found = getattr(importlib.import_module(module_name), attribute, None)
        if isinstance(found, (Mechanism, PairMechanism)):
            return found
    raise RuleLoadError(f"未知的检查机制“{name}”")


def load_folder(folder: Traversable | Path, origin: str) -> list[LoadedRule]:
    """Every `*.toml` rule file in a folder (not recursive), sorted by name."""
    rules: list[LoadedRule] = []
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)
    for entry in entries:
        try:
            data = tomli.loads(entry.read_text(encoding="utf-8"))
            rules.append(LoadedRule(RuleSpec.model_validate({**data, "origin": origin}), entry.name))
        except (ValidationError, ValueError, RuleLoadError, ImportError, OSError) as error:
            raise RuleLoadError(f"无法加载规则文件 {entry.name}（{origin}）：{error}") from error
    return rules


def load_pack(package: str, origin: str) -> list[LoadedRule]:
    """The rule files shipped inside an importable package (a rule pack)."""
    return load_folder(files(package), origin)


def load_rules(extra_folders: Iterable[Path] = ()) -> list[LoadedRule]:
    """Every rule from every installed pack, then from the extra folders; later codes may not clash."""
    rules: list[LoadedRule] = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name != "builtin", e.name)):
        rules += load_pack(entry_point.value.split(":")[0], f"pack {entry_point.name}")
    for folder in extra_folders:
        if not folder.is_dir():
            raise RuleLoadError(f"配置中的规则目录不存在：{folder}")
        rules += load_folder(folder, str(folder))
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.spec.code in seen:
            raise RuleLoadError(f"规则代码 {rule.spec.code} 重复（{seen[rule.spec.code]} 与 {rule.spec.origin}）")
        seen[rule.spec.code] = rule.spec.origin
    return sorted(rules, key=lambda r: r.spec.code)
