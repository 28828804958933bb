"""The supervisors' Excel workbook: sheet 报告 (a row per report, with every cell of tables
二/三/四) and sheet 问题 (a row per finding), from govlint.render.figures."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govlint.engine.runner import FileResult
from govlint.render.figures import FINDING_HEADER, Value, finding_rows, report_header, report_rows

WIDTHS = {"报告": (36, 24, 8, 14, 6, 6, 6), "问题": (36, 8, 8, 8, 90, 40)}
"""Column widths (characters) of each sheet's leading columns; cell columns get CELL_WIDTH."""
CELL_WIDTH = 14


def _sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Value]]) -> None:
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = WIDTHS[sheet.title]
    for index in range(1, len(header) + 1):
        width = widths[index - 1] if index <= len(widths) else CELL_WIDTH
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook(results: Sequence[FileResult], missing: Sequence[str] = ()) -> bytes:
    """The .xlsx file's bytes."""
    book = Workbook()
    reports = book.active
    assert reports is not None
    reports.title = "报告"
    _sheet(reports, report_header(), report_rows(results, missing))
    _sheet(book.create_sheet("问题"), FINDING_HEADER, finding_rows(results))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
