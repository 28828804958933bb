"""Text checks: patterns in the source text, and what the narrative states against the tables."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from govlint import patterns
from govlint.findings import Hit, Severity
from govlint.mechanisms.base import Mechanism, Params, cell_name, template_of
from govlint.report.model import Report
from govlint.report.values import CellKind, cell_kind, format_number


class Pattern(Params):
    name: str
    pattern: str
    """Matched line by line; written for one line (no lookaround past a line's ends)."""
    outside_tables: bool = False
    """Only lines that hold no table cell (a bare page number looks like a value)."""


class PatternParams(Params):
    patterns: tuple[Pattern, ...]


def text_pattern(report: Report, params: PatternParams) -> Iterator[Hit]:
    """One hit per pattern found in the text, at its first place, with the count of places."""
    text = report.memo("text", lambda: "\n".join(report.lines))
    for item in params.patterns:
        pattern = patterns.compile(item.pattern, regex.MULTILINE)
        if pattern.search(text) is None:
            continue  # what matches in a line matches in the text the lines make up
        table_lines = _cell_lines(report) if item.outside_tables else frozenset()
        places = [(number, match) for number, line in enumerate(report.lines, start=1)
                  if number not in table_lines for match in pattern.finditer(line)]
        if places:
            number, match = places[0]
            yield Hit(fields={"name": item.name, "count": len(places), "sample": match.group(0).strip() or item.name},
                      line=number, column=match.start() + 1)


def _cell_lines(report: Report) -> frozenset[int]:
    """The lines that hold a table cell."""
    return report.memo("table-lines", lambda: frozenset(
        cell.line for grid in (report.table2, report.table3, report.table4) if grid
        for columns in grid.values() for cell in columns.values() if cell.line is not None))


def _sum(report: Report, cells: tuple[str, ...]) -> int | float | None:
    """The table's total over cells; None if a cell is missing, blank or holds text (the table
    then states no number to compare with)."""
    total: int | float = 0
    for address in cells:
        cell = report.cell(address)
        if cell is None or cell.value is None or cell_kind(cell.raw) is not CellKind.NUMBER:
            return None
        total += cell.value
    return total


class ClaimCheck(Params):
    claim: str
    """A claim kind of claims.toml."""
    cells: tuple[str, ...]
    """The cells whose total the claim states."""
    also: tuple[tuple[str, ...], ...] = ()
    """Other totals a clerk may mean by the same words (受理 may include 上年结转): accepted, with a hint."""
    name: str | None = None
    """How messages name the cells when they are a group (表三“（四）无法提供”各项的总计之和)."""


class ClaimParams(Params):
    checks: tuple[ClaimCheck, ...]


def narrative_zero(report: Report, params: ClaimParams) -> Iterator[Hit]:
    """The text declares none; the table has some."""
    template = template_of(report)
    for check in params.checks:
        claim = next((c for c in report.claims if c.kind == check.claim), None)
        if claim is None:
            continue
        nonzero = [(a, cell) for a in check.cells if (cell := report.cell(a)) is not None and cell.value]
        if not nonzero:
            continue
        described = "、".join(f"{cell_name(a, template)}为{format_number(cell.value or 0)}" for a, cell in nonzero)
        yield Hit(fields={"subject": claim.subject, "quote": claim.quote, "cells_text": described},
                  line=claim.line, cells=tuple(a for a, _ in nonzero))


def _cells_text(cells: tuple[str, ...], template: str) -> str:
    return "＋".join(cell_name(a, template) for a in cells)


def narrative_claim(report: Report, params: ClaimParams) -> Iterator[Hit]:
    """The text states a number; the table's cells add up to another. A number that is another
    total the same words may mean (`also`) is accepted with a hint to say which it is."""
    template = template_of(report)
    for check in params.checks:
        table_value = _sum(report, check.cells)
        if table_value is None:
            continue
        others = [(cells, v) for cells in check.also if (v := _sum(report, cells)) is not None]
        for claim in (c for c in report.claims if c.kind == check.claim):
            if claim.value == table_value:
                continue
            fields = {"subject": claim.subject, "quote": claim.quote, "stated": claim.value,
                      "table_value": format_number(table_value),
                      "cells_text": check.name or _cells_text(check.cells, template)}
            other = next((cells for cells, v in others if v == claim.value), None)
            if other is not None:
                yield Hit(variant="also", fields={**fields, "also_text": _cells_text(other, template)},
                          line=claim.line, cells=other, severity=Severity.INFO)
                continue
            yield Hit(fields=fields, line=claim.line, cells=check.cells, expected=float(table_value),
                      actual=float(claim.value))


def enumeration(report: Report, params: Params) -> Iterator[Hit]:
    """A stated total whose listed parts add up to another number."""
    for item in report.enumerations:
        parts_sum = sum(item.parts)
        if parts_sum != item.total:
            quote = item.quote if len(item.quote) <= 60 else item.quote[:60] + "…"
            yield Hit(variant="exceeds" if parts_sum > item.total else "default",
                      fields={"quote": quote, "total": item.total, "unit": item.unit, "parts_sum": parts_sum,
                              "parts": "+".join(map(str, item.parts)), "difference": abs(parts_sum - item.total)},
                      line=item.line, expected=float(item.total), actual=float(parts_sum))


class Requirement(Params):
    name: str
    pattern: str


class MentionParams(Params):
    section: str
    require: tuple[Requirement, ...]
    empty_pattern: str = r"^[\s。.，,：:；;无]*$"
    """Section text that says nothing (blank, or only 无)."""
    escalate_if_nonzero: str | None = None
    """A cell that, when not 0, makes a missing mention an error (fees were then charged)."""


def section_mentions(report: Report, params: MentionParams) -> Iterator[Hit]:
    """A section must say something, and mention each required subject."""
    section = report.sections.get(params.section)
    if section is None:
        return
    fields: dict[str, object] = {"heading": section.heading}
    if patterns.compile(params.empty_pattern).match(section.text):
        yield Hit(variant="empty", fields=fields, line=section.line, section=params.section)
        return
    missing = [r.name for r in params.require if not patterns.compile(r.pattern).search(section.text)]
    if not missing:
        return
    fields["missing"] = "、".join(missing)
    cell = report.cell(params.escalate_if_nonzero) if params.escalate_if_nonzero else None
    if cell is not None and cell.value and params.escalate_if_nonzero:
        name = cell_name(params.escalate_if_nonzero, template_of(report))
        fields["escalation"] = f"{name}为{format_number(cell.value)}"
        yield Hit(variant="escalated", fields=fields, line=section.line, section=params.section,
                  severity=Severity.ERROR)
        return
    yield Hit(fields=fields, line=section.line, section=params.section)


TEXT_PATTERN = Mechanism(PatternParams, text_pattern)
NARRATIVE_ZERO = Mechanism(ClaimParams, narrative_zero)
NARRATIVE_CLAIM = Mechanism(ClaimParams, narrative_claim)
ENUMERATION = Mechanism(Params, enumeration)
SECTION_MENTIONS = Mechanism(MentionParams, section_mentions)
