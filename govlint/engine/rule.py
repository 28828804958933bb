"""A rule as data: code, name, severity, templates, Chinese title, messages, doc, mechanism."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govlint.findings import Severity

ALL_TEMPLATES = ("2021", "2019", "pre2019", "unknown")
"""The built-in templates (and "unknown"); a rule pack may name templates a registry adds."""


class RuleDoc(BaseModel):
    """The rule's documentation, in ruff's layout."""

    model_config = ConfigDict(frozen=True)

    what: str
    why: str
    example: str
    fix: str


class RuleSpec(BaseModel):
    """One rule, loaded from a TOML file of a rule pack."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-Z]{1,3}\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Severity
    templates: tuple[str, ...] = ALL_TEMPLATES
    title: str
    mechanism: str
    message: str
    messages: dict[str, str] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)
    doc: RuleDoc
    origin: str = ""

    @field_validator("templates")
    @classmethod
    def _template_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [name for name in value if not name or not name.isascii() or not name.replace("-", "").isalnum()]
        if bad:
            raise ValueError(f"template names must be ASCII letters, digits or '-': {bad}")
        return value

    def render(self, variant: str, fields: Mapping[str, object]) -> str:
        """The message for a hit: the variant's template filled with the hit's fields."""
        template = self.messages.get(variant, self.message)
        return string.Formatter().vformat(template, (), _Fields(fields))


class _Fields(dict[str, object]):
    """Format fields that leave an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
