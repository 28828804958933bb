"""When one single cell explains every failing identity of a table, name it and its right value.

Every cell of table 三 stands in two identities (its row total, and its column's 勾稽关系 or
result total), so a single wrong number makes exactly the identities through it fail. If the
failing identities share one cell, no other identity fails, and one value for that cell makes
all of them hold without breaking any identity that holds now, that value is the suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable

from govlint.findings import Suggestion
from govlint.mechanisms.base import cell_name, format_number, template_of
from govlint.mechanisms.identity import Check, Evaluation, evaluate
from govlint.report.model import Report


def _fix_value(evaluation: Evaluation, address: str) -> float | int | None:
    """The value of `address` that makes this identity hold (other terms unchanged)."""
    sign = 1 if any(t.address == address for t in evaluation.left) else -1
    current = next(t.value for t in evaluation.terms if t.address == address)
    value = current + sign * (evaluation.right_sum - evaluation.left_sum)
    return value


def suggest(report: Report, checks: Iterable[Check]) -> dict[str, Suggestion]:
    """table key → the single-cell explanation of its failing equalities, where there is one."""
    by_table: dict[str, list[Evaluation]] = {}
    for check in checks:
        if check.relation == "eq":
            by_table.setdefault(check.table, []).extend(evaluate(report, check))
    suggestions: dict[str, Suggestion] = {}
    for table, evaluations in by_table.items():
        failing = [e for e in evaluations if not e.holds]
        if not failing:
            continue
        shared = set.intersection(*({t.address for t in e.terms} for e in failing))
        found: list[Suggestion] = []
        for address in sorted(shared):
            values = {_fix_value(e, address) for e in failing}
            if len(values) != 1:
                continue
            value = values.pop()
            if value < 0 or value != int(value):
                continue
            touching = [e for e in evaluations if e.holds and any(t.address == address for t in e.terms)]
            if touching:
                continue  # changing it would break an identity that holds now
            found.append(Suggestion(cell=address, value=int(value),
                                    label=cell_name(address, template_of(report))))
        if len(found) == 1:
            suggestions[table] = found[0]
    return suggestions


def suggestion_text(suggestion: Suggestion) -> str:
    """The sentence appended to every finding the suggestion explains."""
    return f"若其余数字无误，{suggestion.label}应为{format_number(suggestion.value)}"
