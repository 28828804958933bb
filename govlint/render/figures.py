"""The figures of many reports as one table, for supervisors: a row per report (agency, year,
template, findings by severity, then every canonical cell of tables 二/三/四 under its Chinese
label) and a row per finding. The xlsx and csv exports and the web page's download share it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from govlint.engine.runner import FileResult, same_agency
from govlint.findings import Severity
from govlint.mechanisms.base import cell_name, template_of
from govlint.render.common import UNREAD_TEMPLATE, template_name
from govlint.report.model import Report
from govlint.report.templates import templates
from govlint.report.values import format_number

Value = str | int | float | None
REPORT_HEADER = ("文件", "机关", "年度", "格式", *(s.chinese for s in Severity))
FINDING_HEADER = ("文件", "行", "代码", "级别", "说明", "单元格")
NO_REPORT = "（名单中有，未找到报告）"


def _addresses() -> Iterator[tuple[str, str]]:
    """(address, template) of every cell of tables 二/三/四 in the templates with tables (newest
    first), in table order."""
    for spec in templates().with_tables:
        assert spec.table2 is not None and spec.table3 is not None and spec.table4 is not None
        for row in spec.table2.rows:
            for column, _ in row.columns:
                yield f"table2.{row.key}.{column}", spec.name
        for row3 in spec.table3.all_rows:
            for column3 in spec.table3.columns:
                yield f"table3.{row3.key}.{column3.key}", spec.name
        for block in spec.table4.blocks:
            for column4 in spec.table4.columns:
                yield f"table4.{block.key}.{column4.key}", spec.name


@cache
def cell_columns() -> tuple[tuple[str, str], ...]:
    """(canonical address, Chinese header) of every cell column, each address once: table 二's
    rows of the 2021 template first, then the rows only the 2019 template has."""
    columns: dict[str, str] = {}
    for address, template in _addresses():
        columns.setdefault(address, cell_name(address, template))
    return tuple(columns.items())


def cell_value(report: Report, address: str) -> Value:
    """The cell as a number when its text is just that number, else its text as written
    (a unit or note stays visible); None when the report has no such cell or it is blank."""
    cell = report.cell(address)
    if cell is None or not cell.raw.strip():
        return None
    if cell.value is not None and cell.raw.strip() == format_number(cell.value):
        return cell.value
    return cell.raw.strip()


def report_header() -> tuple[str, ...]:
    return (*REPORT_HEADER, *(label for _, label in cell_columns()))


def report_rows(results: Sequence[FileResult], missing: Sequence[str] = ()) -> list[tuple[Value, ...]]:
    """One row per result, then one per agency of the expected list with no report."""
    rows: list[tuple[Value, ...]] = []
    for result in results:
        report = result.report
        template = template_name(report) if report else UNREAD_TEMPLATE
        counts = tuple(result.count(s) for s in Severity)
        cells = tuple(cell_value(report, a) if report else None for a, _ in cell_columns())
        rows.append((result.path, report.agency if report else None, result.year, template, *counts, *cells))
    width = len(report_header())
    rows += [(None, agency, None, NO_REPORT, *([None] * (width - 4))) for agency in missing]
    return rows


def finding_rows(results: Sequence[FileResult]) -> list[tuple[Value, ...]]:
    """One row per finding: file, line, code, severity, message, the cells' Chinese names."""
    rows: list[tuple[Value, ...]] = []
    for result in results:
        template = template_of(result.report) if result.report else "2021"
        for finding in result.findings:
            cells = "、".join(cell_name(address, template) for address in finding.cells)
            rows.append((result.path, finding.line, finding.code, finding.severity.chinese, finding.message, cells))
    return rows


def missing_agencies(results: Sequence[FileResult], expected: Sequence[str]) -> list[str]:
    """The expected agencies that no report names, matched as the across-years pairing does
    (equal once folded, or one with a place prefix the other lacks)."""
    agencies = [r.report.agency for r in results if r.report is not None and r.report.agency]
    return [name for name in expected if not any(same_agency(name, agency) for agency in agencies)]
