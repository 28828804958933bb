"""What a mechanism is, and helpers every mechanism shares (cell names for messages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import regex
from pydantic import BaseModel, ConfigDict

from govlint.findings import Hit
from govlint.report.model import Report
from govlint.report.templates import column_label, row_label

P = TypeVar("P", bound=BaseModel)

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


class Params(BaseModel):
    """Base of every mechanism's parameters: unknown keys in a rule file are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Mechanism(Generic[P]):
    """A check written once and parameterised by rule files: `check(report, params)` → hits."""

    params: type[P]
    check: Callable[[Report, P], Iterable[Hit]]


def template_of(report: Report) -> str:
    """The template whose labels describe this report's tables."""
    return report.template if report.template in ("2021", "2019") else "2021"


def short_row(table: str, row: str, template: str) -> str:
    """A row's name as clerks say it: `一` for 一、本年新收…, otherwise its label."""
    label = row_label(table, row, template)
    numeral = regex.match(r"^([一二三四五六七八九十]+)、", label)
    return numeral.group(1) if numeral else label


def cell_name(address: str, template: str = "2021") -> str:
    """`table3.results_total.natural_person` → 表三“（七）总计／自然人”."""
    table, row, column = address.split(".")
    return f"{TABLE_NAMES[table]}“{row_label(table, row, template)}／{column_label(table, row, column, template)}”"


def format_number(value: float | int) -> str:
    """Integers without a decimal point, other numbers as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class PairMechanism(Generic[P]):
    """A check across two reports of one agency: `check(report, last_year, params)` → hits."""

    params: type[P]
    check: Callable[[Report, Report, P], Iterable[Hit]]
