"""Arithmetic over cells: "these cells add up to that cell" (or "at most"), for every column/row.

One mechanism serves T001–T004 and T008. A blank or placeholder cell counts as 0; a cell with
text that is no number makes its identity unknown, and it is not checked (T005 reports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from govlint.findings import Hit
from govlint.mechanisms.base import Mechanism, Params, format_number, short_row, template_of
from govlint.report.model import Report
from govlint.report.templates import column_label, row_label, templates
from govlint.report.values import CellKind, cell_kind


class Check(Params):
    """One identity: per `each` key, sum(left terms) relation sum(right terms)."""

    variant: str = "default"
    table: Literal["table3", "table4"]
    each: Literal["column", "row"]
    left: tuple[str, ...]
    right: tuple[str, ...]
    relation: Literal["eq", "le"] = "eq"


class IdentityParams(Params):
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Term:
    address: str
    name: str
    value: float | int


@dataclass(frozen=True)
class Evaluation:
    """One identity evaluated on one report."""

    check: Check
    key: str
    label: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]

    @property
    def left_sum(self) -> float | int:
        return sum(t.value for t in self.left)

    @property
    def right_sum(self) -> float | int:
        return sum(t.value for t in self.right)

    @property
    def holds(self) -> bool:
        if self.check.relation == "le":
            return self.left_sum <= self.right_sum
        return self.left_sum == self.right_sum

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.left + self.right


def _expand(report: Report, table: str, names: tuple[str, ...], axis: str) -> list[str]:
    """Term keys with the symbolic sets resolved: $results, $applicants, $parts."""
    spec = templates()
    keys: list[str] = []
    for name in names:
        if name == "$results":
            present = frozenset(report.table3 or {})
            keys += [r.key for r in spec.table3.expected_rows(template_of(report), present) if r.result]
        elif name == "$applicants":
            keys += list(spec.table3.applicant_columns)
        elif name == "$parts":
            keys += [c.key for c in spec.table4.columns if c.key != "total"]
        else:
            keys.append(name)
    return keys


def _axis_keys(report: Report, check: Check) -> list[str]:
    spec = templates()
    grid = report.grid(check.table) or {}
    if check.each == "column":
        columns = spec.table3.columns if check.table == "table3" else spec.table4.columns
        return [c.key for c in columns]
    return list(grid)


def _term(report: Report, table: str, row: str, column: str, name: str) -> Term | None:
    cell = (report.grid(table) or {}).get(row, {}).get(column)
    if cell is None:
        return None
    kind = cell_kind(cell.raw)
    if kind is CellKind.TEXT:
        return None
    return Term(f"{table}.{row}.{column}", name, cell.value if kind is CellKind.NUMBER else 0)  # type: ignore[arg-type]


def evaluate(report: Report, check: Check) -> Iterator[Evaluation]:
    """Every instance of the identity whose terms are all present and numeric."""
    if report.grid(check.table) is None:
        return
    template = template_of(report)
    for key in _axis_keys(report, check):
        sides: list[tuple[Term, ...]] = []
        for names in (check.left, check.right):
            terms: list[Term | None] = []
            for other in _expand(report, check.table, names, check.each):
                if check.each == "column":
                    terms.append(_term(report, check.table, other, key, short_row(check.table, other, template)))
                else:
                    terms.append(_term(report, check.table, key, other, column_label(check.table, key, other)))
            if not terms or any(t is None for t in terms):
                break
            sides.append(tuple(t for t in terms if t is not None))
        if len(sides) != 2:
            continue
        label = (column_label(check.table, "", key) if check.each == "column"
                 else row_label(check.table, key, template))
        yield Evaluation(check, key, label, sides[0], sides[1])


def _terms_text(terms: tuple[Term, ...]) -> str:
    return "+".join(f"{t.name}({format_number(t.value)})" for t in terms)


def check_identities(report: Report, params: IdentityParams) -> Iterator[Hit]:
    for check in params.checks:
        for evaluation in evaluate(report, check):
            if evaluation.holds:
                continue
            anchor = report.cell(evaluation.right[0].address)
            yield Hit(
                variant=check.variant,
                fields={
                    "label": evaluation.label,
                    "left_terms": _terms_text(evaluation.left),
                    "right_terms": _terms_text(evaluation.right),
                    "left": format_number(evaluation.left_sum),
                    "right": format_number(evaluation.right_sum),
                    "difference": format_number(abs(evaluation.left_sum - evaluation.right_sum)),
                },
                line=anchor.line if anchor else None,
                column=anchor.column if anchor else None,
                cells=tuple(t.address for t in evaluation.terms),
                section=templates().section_of_table(check.table),
                expected=float(evaluation.left_sum),
                actual=float(evaluation.right_sum),
            )


IDENTITY = Mechanism(IdentityParams, check_identities)
