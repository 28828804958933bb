"""Arithmetic over cells: the template's identities ("these cells add up to that cell"), for every
column or row, and inline inequalities ("at most").

One mechanism serves T001–T004 and T008. A blank or placeholder cell counts as 0; a cell with
text that is no number makes its identity unknown, and it is not checked (T005 reports it).
The template's identities are evaluated once per report; when one single cell explains every
failing identity of a table, each finding through that cell carries it as a suggestion, and the
engine folds them into one finding at that cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from govlint.findings import Hit, Suggestion
from govlint.mechanisms.base import Mechanism, Params, cell_name, short_row, template_spec
from govlint.report.model import Grid, Report
from govlint.report.templates import Identity, Template
from govlint.report.values import CellKind, cell_kind, format_number


class Check(Params):
    """One identity to check: a template identity by name (`table3.balance`), or an inline one."""

    variant: str = "default"
    identity: str | None = None
    table: Literal["table3", "table4"] | None = None
    each: Literal["column", "row"] = "column"
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    relation: Literal["eq", "le"] = "eq"


class IdentityParams(Params):
    checks: tuple[Check, ...]


class Term(NamedTuple):
    address: str
    name: str
    value: float | int
    blank: bool = False


class Evaluation(NamedTuple):
    """One identity evaluated on one report, at one column (or row)."""

    table: str
    identity: Identity
    relation: str
    key: str
    label: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    left_sum: float | int
    right_sum: float | int
    holds: bool

    @classmethod
    def of(cls, table: str, identity: Identity, relation: str, key: str, label: str,
           left: tuple[Term, ...], right: tuple[Term, ...]) -> Evaluation:
        """The evaluation of these terms: their sums, and whether the relation holds between them."""
        left_sum, right_sum = sum(t.value for t in left), sum(t.value for t in right)
        holds = left_sum <= right_sum if relation == "le" else left_sum == right_sum
        return cls(table, identity, relation, key, label, left, right, left_sum, right_sum, holds)

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.left + self.right


def _resolve(check: Check, template: Template) -> tuple[str, Identity] | None:
    """The table and identity a check stands for; None when the template has no such identity."""
    if check.identity is not None:
        identity = template.identity(check.identity)
        return None if identity is None else (check.identity.partition(".")[0], identity)
    assert check.table is not None, "an inline check names its table"
    return check.table, Identity(name=check.variant, each=check.each, left=check.left, right=check.right)


Place = tuple[str, str, str, str]
"""(row, column, address, name): one term's cell in its table, and how messages name it."""


class Instance(NamedTuple):
    """Where one instance of an identity takes its terms (one column's, or one row's)."""

    key: str
    label: str
    left: tuple[Place, ...]
    right: tuple[Place, ...]


@lru_cache(maxsize=4096)
def _instances(template: Template, table: str, identity: Identity, rows: tuple[str, ...]) -> tuple[Instance, ...]:
    """The identity's instances on a table with these rows: which cells each adds up (the same
    for every report of the template with those rows, so worked out once)."""
    spec = getattr(template, table)
    each_column = identity.each == "column"
    instances: list[Instance] = []
    for key in ([c.key for c in spec.columns] if each_column else rows):
        sides: list[tuple[Place, ...]] = []
        for names in (identity.left, identity.right):
            if each_column:
                sides.append(tuple((row, key, f"{table}.{row}.{key}", short_row(template, table, row))
                                   for row in spec.expand_rows(names, rows)))
            else:
                sides.append(tuple((key, column, f"{table}.{key}.{column}",
                                    template.column_label(table, key, column) or column)
                                   for column in spec.expand_columns(names)))
        label = (template.column_label(table, "", key) if each_column else template.row_label(table, key)) or key
        instances.append(Instance(key, label, *sides))
    return tuple(instances)


def _terms(grid: Grid, places: tuple[Place, ...]) -> tuple[Term, ...] | None:
    """The terms at these places; None when one is absent or holds no number (or none are given)."""
    terms: list[Term] = []
    for row, column, address, name in places:
        columns = grid.get(row)
        cell = columns.get(column) if columns is not None else None
        if cell is None:
            return None
        kind = cell_kind(cell.raw)
        if kind is CellKind.NUMBER:
            if cell.value is None:
                return None
            terms.append(Term(address, name, cell.value))
        elif kind is CellKind.TEXT:
            return None
        else:
            terms.append(Term(address, name, 0, blank=True))
    return tuple(terms) or None


def evaluate(report: Report, table: str, identity: Identity, relation: str = "eq") -> Iterator[Evaluation]:
    """Every instance of the identity whose terms are all present and numeric."""
    grid = report.grid(table)
    template = template_spec(report)
    if grid is None or getattr(template, table) is None:
        return
    for instance in _instances(template, table, identity, tuple(grid)):
        left = _terms(grid, instance.left)
        right = _terms(grid, instance.right) if left is not None else None
        if left is not None and right is not None:
            yield Evaluation.of(table, identity, relation, instance.key, instance.label, left, right)


def template_evaluations(report: Report) -> tuple[Evaluation, ...]:
    """Every instance of every identity of the report's template, evaluated once per report."""
    template = template_spec(report)
    return report.memo("identities", lambda: tuple(
        e for table in ("table2", "table3", "table4") for identity in template.identities(table)
        for e in evaluate(report, table, identity)))


def diagnoses(report: Report) -> dict[str, Suggestion]:
    """table → the single cell that explains every failing identity of the table, and its value.

    Every cell of table 三 stands in two identities (its row total, and its column's 勾稽关系 or
    result total), so a single wrong number makes exactly the identities through it fail. If
    the failing identities share one cell, no identity that holds goes through it, and one value
    for it makes all of them hold, that value is the suggestion.
    """
    return report.memo("diagnoses", lambda: _diagnose(report))


def _diagnose(report: Report) -> dict[str, Suggestion]:
    by_table: dict[str, list[Evaluation]] = {}
    for evaluation in template_evaluations(report):
        by_table.setdefault(evaluation.table, []).append(evaluation)
    found: dict[str, Suggestion] = {}
    for table, evaluations in by_table.items():
        failing = [e for e in evaluations if not e.holds]
        if not failing:
            continue
        shared = set.intersection(*({t.address for t in e.terms} for e in failing))
        candidates: list[Suggestion] = []
        for address in sorted(shared):
            values = {_fix_value(e, address) for e in failing}
            if len(values) != 1:
                continue
            value = values.pop()
            if value < 0 or value != int(value):
                continue
            if any(e.holds and any(t.address == address for t in e.terms) for e in evaluations):
                continue  # changing it would break an identity that holds now
            candidates.append(Suggestion(cell=address, value=int(value),
                                         label=cell_name(address, template_spec(report))))
        if len(candidates) == 1:
            found[table] = candidates[0]
    return found


def _fix_value(evaluation: Evaluation, address: str) -> float | int:
    """The value of `address` that makes this identity hold (other terms unchanged)."""
    sign = 1 if any(t.address == address for t in evaluation.left) else -1
    current = next(t.value for t in evaluation.terms if t.address == address)
    return current + sign * (evaluation.right_sum - evaluation.left_sum)


def _mends(evaluation: Evaluation, suggestion: Suggestion) -> bool:
    """Whether the suggested value makes this (failing) identity or inequality hold."""
    terms = [t for t in evaluation.terms if t.address == suggestion.cell]
    if not terms:
        return False
    change = suggestion.value - terms[0].value
    left = evaluation.left_sum + change * sum(t.address == suggestion.cell for t in evaluation.left)
    right = evaluation.right_sum + change * sum(t.address == suggestion.cell for t in evaluation.right)
    return left <= right if evaluation.relation == "le" else left == right


def _stated(terms: tuple[Term, ...]) -> str:
    """What a side of one cell says: `为 13`, or `未填写（按 0 计）` for a blank cell."""
    if len(terms) == 1 and terms[0].blank:
        return "未填写（按 0 计）"
    return f"为 {format_number(sum(t.value for t in terms))}"


def terms_text(terms: tuple[Term, ...]) -> str:
    """`一(13)+二(0)`; a blank term as `二(未填写，按0计)`."""
    return "+".join(f"{t.name}({'未填写，按0计' if t.blank else format_number(t.value)})" for t in terms)


def check_identities(report: Report, params: IdentityParams) -> Iterator[Hit]:
    template = template_spec(report)
    suggestions = diagnoses(report)
    for check in params.checks:
        resolved = _resolve(check, template)
        if resolved is None:
            continue
        table, identity = resolved
        if check.identity is not None and check.relation == "eq":
            evaluations = [e for e in template_evaluations(report) if e.identity is identity and e.table == table]
        else:
            evaluations = list(evaluate(report, table, identity, check.relation))
        for evaluation in evaluations:
            if evaluation.holds:
                continue
            anchor = report.cell(evaluation.right[0].address)
            suggestion = suggestions.get(table)
            cells = tuple(t.address for t in evaluation.terms)
            yield Hit(
                variant=check.variant,
                fields={
                    "label": evaluation.label,
                    "left_terms": terms_text(evaluation.left),
                    "right_terms": terms_text(evaluation.right),
                    "left": format_number(evaluation.left_sum),
                    "right": format_number(evaluation.right_sum),
                    "right_stated": _stated(evaluation.right),
                    "difference": format_number(abs(evaluation.left_sum - evaluation.right_sum)),
                },
                line=anchor.line if anchor else None,
                column=anchor.column if anchor else None,
                cells=cells,
                section=template.section_of_table(table),
                expected=_as_float(evaluation.left_sum),
                actual=_as_float(evaluation.right_sum),
                suggestion=suggestion if suggestion is not None and _mends(evaluation, suggestion) else None,
            )


def _as_float(value: float | int) -> float | None:
    """A number for the JSON output; None when it is too large for a float."""
    try:
        return float(value)
    except OverflowError:
        return None


IDENTITY = Mechanism(IdentityParams, check_identities)
