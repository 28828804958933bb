"""Loading rule packs: the built-in pack and third-party ones through the `govlint.rules`
entry-point group, and extra folders named in config — all through `load_folder`."""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Iterable
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govlint.engine.rule import RuleSpec
from govlint.mechanisms import BUILTIN
from govlint.mechanisms.base import Mechanism, PairMechanism

ENTRY_POINT_GROUP = "govlint.rules"


class RuleLoadError(Exception):
    """A rule file or pack that cannot be used; the message names the file."""


class LoadedRule:
    """A rule spec bound to its mechanism, with its parameters validated."""

    def __init__(self, spec: RuleSpec, mechanism: Mechanism[Any] | PairMechanism[Any], params: Any) -> None:
        self.spec = spec
        self.mechanism = mechanism
        self.params = params

    @property
    def pairwise(self) -> bool:
        """Whether the rule compares two consecutive years of one agency."""
        return isinstance(self.mechanism, PairMechanism)

    def with_params(self, overrides: dict[str, Any]) -> LoadedRule:
        """The same rule with some parameters replaced (from configuration)."""
        try:
            params = self.mechanism.params.model_validate({**self.spec.params, **overrides})
        except ValidationError as error:
            raise RuleLoadError(f"配置中规则 {self.spec.code} 的参数有误：{error}") from error
        return LoadedRule(self.spec, self.mechanism, params)


def resolve_mechanism(name: str) -> Mechanism[Any] | PairMechanism[Any]:
    """A built-in mechanism by name, or a plugin's `package.module:OBJECT`."""
    if name in BUILTIN:
        return BUILTIN[name]
    if ":" in name:
        module_name, _, attribute = name.partition(":")
        found = getattr(importlib.import_module(module_name), attribute, None)
        if isinstance(found, (Mechanism, PairMechanism)):
            return found
    raise RuleLoadError(f"未知的检查机制“{name}”")


def _bind(spec: RuleSpec) -> LoadedRule:
    mechanism = resolve_mechanism(spec.mechanism)
    try:
        params = mechanism.params.model_validate(spec.params)
    except ValidationError as error:
        raise RuleLoadError(f"规则 {spec.code} 的参数有误：{error}") from error
    return LoadedRule(spec, mechanism, params)


def load_folder(folder: Traversable | Path, origin: str) -> list[LoadedRule]:
    """Every `*.toml` rule file in a folder (not recursive), sorted by name."""
    rules: list[LoadedRule] = []
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name)
    for entry in entries:
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            rules.append(_bind(RuleSpec.model_validate({**data, "origin": origin})))
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
