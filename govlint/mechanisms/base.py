"""What a mechanism is, and helpers every mechanism shares (cell names for messages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict

from govlint import patterns
from govlint.findings import Hit
from govlint.report.model import Report
from govlint.report.templates import Template, column_label, row_label, templates

P = TypeVar("P", bound=BaseModel)

_NUMERAL = patterns.compile(r"^([一二三四五六七八九十]+)、")
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


class Params(BaseModel):
    """Base of every mechanism's parameters: unknown keys in a rule file are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Mechanism(NamedTuple, Generic[P]):
    """A check written once and parameterised by rule files: `check(report, params)` → hits."""

    params: type[P]
    check: Callable[[Report, P], Iterable[Hit]]


def template_spec(report: Report) -> Template:
    """The template the report's tables were read against (the fallback for an unknown one)."""
    return report.spec if report.spec is not None else templates().get(report.template)


def template_of(report: Report) -> str:
    """The name of the template whose labels describe this report's tables."""
    return template_spec(report).name


def short_row(template: Template, table: str, row: str) -> str:
    """A row's name as clerks say it: `一` for 一、本年新收…, otherwise its label."""
    label = template.row_label(table, row) or row_label(table, row, template.name)
    numeral = _NUMERAL.match(label)
    return numeral.group(1) if numeral else label


def cell_name(address: str, template: str | Template = "2021") -> str:
    """`table3.results_total.natural_person` → 表三“（七）总计／自然人”."""
    table, row, column = address.split(".")
    name = template if isinstance(template, str) else template.name
    own = None if isinstance(template, str) else template
    row_text = (own.row_label(table, row) if own else None) or row_label(table, row, name)
    column_text = (own.column_label(table, row, column) if own else None) or column_label(table, row, column, name)
    return f"{TABLE_NAMES[table]}“{row_text}／{column_text}”"


class PairMechanism(NamedTuple, Generic[P]):
    """A check across two reports of one agency: `check(report, last_year, params)` → hits."""

    params: type[P]
    check: Callable[[Report, Report, P], Iterable[Hit]]
