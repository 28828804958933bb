"""What a rule reports: severities, the hits mechanisms yield, the findings renderers show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How bad a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def chinese(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Suggestion(BaseModel):
    """A value that would make every failing identity hold, if the other numbers are right."""

    model_config = ConfigDict(frozen=True)

    cell: str
    value: int | float
    label: str


class Hit(NamedTuple):
    """What a mechanism found; the engine turns it into a Finding with the rule's message (the
    Finding is validated; a hit is a plain value, made by the hundred per report)."""

    variant: str = "default"
    fields: Mapping[str, object] = MappingProxyType({})
    line: int | None = None
    column: int | None = None
    cells: Sequence[str] = ()
    section: str | None = None
    expected: float | None = None
    actual: float | None = None
    severity: Severity | None = None
    suggestion: Suggestion | None = None


class Finding(BaseModel):
    """One problem in one report, as every renderer receives it."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    severity: Severity
    message: str
    line: int | None
    column: int | None
    cells: list[str] = Field(default_factory=list)
    section: str | None = None
    expected: float | None = None
    actual: float | None = None
    suggestion: Suggestion | None = None
    related_cells: list[str] = Field(default_factory=list)
    """For one finding folded from several: the cells of every identity it stands for."""
