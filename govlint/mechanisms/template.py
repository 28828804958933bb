"""Which template the report uses, judged against its reporting year; and labels as printed."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Literal

from govlint import patterns
from govlint.findings import Hit, Severity
from govlint.mechanisms.base import TABLE_NAMES, Mechanism, Params, template_spec
from govlint.report.model import Report
from govlint.report.templates import row_label

FIRST_2021_YEAR = 2021


class TemplateParams(Params):
    condition: Literal["legacy-late", "legacy-in-time", "unrecognised", "predates", "mixed"]


MARKERS_SHOWN = 3


def _markers(report: Report, template: str) -> str:
    labels = [f"“{m.label}”" for m in report.markers if m.template == template]
    more = "等" if len(labels) > MARKERS_SHOWN else ""
    return "、".join(labels[:MARKERS_SHOWN]) + more


def template_check(report: Report, params: TemplateParams) -> Iterator[Hit]:
    markers = [m for m in report.markers if m.template == "2019"]
    pre2019 = _markers(report, "pre2019")
    fields = {"year": report.year, "markers_2019": _markers(report, "2019"),
              "markers_2021": _markers(report, "2021"), "markers_pre2019": pre2019,
              "pre2019_evidence": f"（{pre2019}）" if pre2019 else ""}
    line = markers[0].line if markers else None
    if params.condition == "legacy-late":
        if report.template == "2019" and report.year is not None and report.year >= FIRST_2021_YEAR:
            yield Hit(fields=fields, line=line)
    elif params.condition == "legacy-in-time":
        if report.template == "2019" and report.year is not None and report.year < FIRST_2021_YEAR:
            yield Hit(fields=fields, line=line)
    elif params.condition == "unrecognised":
        if report.template == "unknown":
            yield Hit(variant=report.template, fields=fields, line=report.title_line)
    elif params.condition == "predates":
        if not template_spec(report).has_tables:
            yield Hit(fields=fields, line=report.title_line)
    elif any(m.template == "2021" for m in report.markers) and markers:
        minority = "2019" if report.template == "2021" else "2021"
        first = next(m for m in report.markers if m.template == minority)
        yield Hit(fields={**fields, "template": report.template, "minority": minority,
                          "minority_markers": _markers(report, minority)}, line=first.line)


_NOT_WORD = patterns.compile(r"[\p{P}\p{S}\s]+")
_SPACE = patterns.compile(r"\s+")


def differences(printed: str, expected: str) -> str:
    """Where a label differs from the template's, for messages: “度”应为“废”、缺少“法规禁”、多了“，”."""
    printed, expected = _SPACE.sub("", printed), _SPACE.sub("", expected)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, printed, expected, autojunk=False).get_opcodes():
        if op == "replace":
            parts.append(f"“{printed[i1:i2]}”应为“{expected[j1:j2]}”")
        elif op == "delete":
            parts.append(f"多了“{printed[i1:i2]}”")
        elif op == "insert":
            parts.append(f"缺少“{expected[j1:j2]}”")
    return "、".join(parts)


def label_conformance(report: Report, params: Params) -> Iterator[Hit]:
    """Labels printed otherwise than the template's; a difference of punctuation only is a hint."""
    for note in report.label_notes:
        fields = {"table": TABLE_NAMES[note.table], "printed": note.printed, "expected": note.expected,
                  "differences": differences(note.printed, note.expected)}
        if note.row is not None:
            fields["row"] = row_label(note.table, note.row, report.template)
        variant = "row" if note.table_column is None else "column"
        punctuation = _NOT_WORD.sub("", note.printed) == _NOT_WORD.sub("", note.expected)
        cells: tuple[str, ...] = ()
        if note.row is not None:
            grid = report.grid(note.table) or {}
            cells = tuple(f"{note.table}.{note.row}.{c}" for c in grid.get(note.row, {}))
        yield Hit(variant=f"{variant}_punctuation" if punctuation else variant, fields=fields, line=note.line,
                  column=note.column, cells=cells, severity=Severity.INFO if punctuation else None)


TEMPLATE = Mechanism(TemplateParams, template_check)
LABEL_CONFORMANCE = Mechanism(Params, label_conformance)
