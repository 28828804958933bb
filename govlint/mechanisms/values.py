"""What a cell may hold: counts are non-negative integers; blanks and placeholders are reported."""

from __future__ import annotations

from collections.abc import Iterator

from govlint import patterns
from govlint.findings import Hit, Severity
from govlint.mechanisms.base import TABLE_NAMES, Mechanism, Params, cell_name, template_of
from govlint.mechanisms.identity import diagnoses
from govlint.report.model import CellValue, Report
from govlint.report.templates import column_label, templates
from govlint.report.values import CellKind, cell_kind, format_number, note_of, parse_amount


class CellValueParams(Params):
    decimal_cells: tuple[str, ...] = ()
    """Addresses that may hold a decimal (收费金额, 采购总金额)."""
    signed_columns: tuple[str, ...] = ()
    """Column keys that may be signed (2019 本年增/减)."""


class BlankParams(Params):
    shown: int = 6
    """How many cells to name in the message before "等"."""


class FeeUnitParams(Params):
    cell: str
    text_pattern: str
    """Finds an amount in the text; named groups `amount` and `unit` (元 or 万元)."""


def _cells(report: Report, tables: tuple[str, ...] = ("table2", "table3", "table4")) -> Iterator[tuple[str, CellValue]]:
    for table in tables:
        for row, columns in (report.grid(table) or {}).items():
            for column, cell in columns.items():
                yield f"{table}.{row}.{column}", cell


def cell_values(report: Report, params: CellValueParams) -> Iterator[Hit]:
    template = template_of(report)
    for address, cell in _cells(report):
        kind = cell_kind(cell.raw)
        if kind in (CellKind.BLANK, CellKind.PLACEHOLDER):
            continue
        column = address.rsplit(".", 1)[1]
        value = cell.value
        severity: Severity | None = None
        unit = ""
        amount = parse_amount(cell.raw) if address in params.decimal_cells else None
        if amount is not None:
            header_unit = _header_unit(address, template)
            if header_unit not in (None, amount[1]):
                continue  # a unit other than the header's: T007 says how to convert
            variant, severity = ("unit_in_header" if header_unit else "unit"), Severity.INFO
            value, unit = amount
        elif kind is CellKind.TEXT:
            variant = "text"
        elif value is not None and value < 0 and column not in params.signed_columns:
            variant = "negative"
        elif isinstance(value, float) and address not in params.decimal_cells:
            variant = "fraction"
        elif note_of(cell.raw):
            variant, severity = "note", Severity.INFO
        else:
            continue
        fields = {"cell": cell_name(address, template), "raw": cell.raw, "value": value, "unit": unit}
        yield Hit(variant=variant, fields=fields, line=cell.line, column=cell.column,
                  cells=(address,), section=templates().section_of_table(address.split(".")[0]), severity=severity)


_UNIT = patterns.compile(r"单位[:：]\s*(万元|元)")


def _header_unit(address: str, template: str) -> str | None:
    """The unit a column's header states (本年收费金额（单位：万元） → 万元), if any."""
    table, row, column = address.split(".")
    match = _UNIT.search(column_label(table, row, column, template))
    return match.group(1) if match else None


def blank_cells(report: Report, params: BlankParams) -> Iterator[Hit]:
    template = template_of(report)
    for table in ("table2", "table3", "table4"):
        blanks = [(address, cell) for address, cell in _cells(report, (table,))
                  if cell_kind(cell.raw) in (CellKind.BLANK, CellKind.PLACEHOLDER)]
        if not blanks:
            continue
        names = "、".join(cell_name(a, template).removeprefix(TABLE_NAMES[table]) for a, _ in blanks[:params.shown])
        more = f"等 {len(blanks)} 个" if len(blanks) > params.shown else ""
        placeholders = sorted({c.raw for _, c in blanks if c.raw})
        first = blanks[0][1]
        diagnosed = diagnoses(report).get(table)
        called_for = "" if diagnosed is None or diagnosed.cell not in {a for a, _ in blanks} else (
            f"；其中{diagnosed.label}按表中等式应填 {format_number(diagnosed.value)}")
        yield Hit(
            variant="placeholder" if placeholders else "default",
            fields={"table": TABLE_NAMES[table], "count": len(blanks), "cells": names + more,
                    "placeholders": "、".join(f"“{p}”" for p in placeholders), "called_for": called_for},
            line=first.line, column=first.column, cells=tuple(a for a, _ in blanks),
            section=templates().section_of_table(table),
        )


def fee_unit(report: Report, params: FeeUnitParams) -> Iterator[Hit]:
    cell = report.cell(params.cell)
    if cell is None or report.template != "2021":
        return
    fields = {"raw": cell.raw, "cell": cell_name(params.cell)}
    if "元" in cell.raw and "万元" not in cell.raw:
        yield Hit(variant="yuan", fields=fields, line=cell.line, column=cell.column, cells=(params.cell,),
                  section=templates().section_of_table("table2"))
        return
    if not cell.value:
        return
    for paragraph in report.paragraphs:
        for match in patterns.compile(params.text_pattern).finditer(paragraph.text):
            amount = float(match.group("amount").replace(",", ""))
            in_yuan = amount if match.group("unit") == "元" else amount * 10000
            if abs(cell.value - in_yuan) < 0.5 and in_yuan >= 10000:
                yield Hit(variant="text", line=cell.line, column=cell.column, cells=(params.cell,),
                          fields={**fields, "text": match.group(0), "text_line": paragraph.line,
                                  "wan": format_number(round(in_yuan / 10000, 6))},
                          section=templates().section_of_table("table2"))
                return


CELL_VALUES = Mechanism(CellValueParams, cell_values)
BLANK_CELLS = Mechanism(BlankParams, blank_cells)
FEE_UNIT = Mechanism(FeeUnitParams, fee_unit)
