"""Text checks: conversion residue in the source, and what the narrative states against the tables."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from govlint.findings import Hit
from govlint.mechanisms.base import Mechanism, Params, cell_name, format_number, template_of
from govlint.report.model import Report
from govlint.report.values import CellKind, cell_kind

_SENTENCE_END = ("。", "；", "！", "？", "：", ":", ";")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


class Residue(Params):
    name: str
    pattern: str
    outside_tables: bool = False
    """Only lines that hold no table cell (a bare page number looks like a value)."""


class ResidueParams(Params):
    patterns: tuple[Residue, ...]


class Claim(Params):
    subject: str
    pattern: str
    """A regex over the running text; the named group `n` is the number, when the claim has one."""
    cells: tuple[str, ...]


class ClaimParams(Params):
    claims: tuple[Claim, ...]


def parse_count(text: str) -> int | None:
    """`13`, `1,956`, `十三`, `一百零五`, `零`/`为零` → the number; None if it is none."""
    text = text.strip().replace(",", "").replace("，", "")
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + section + digit


@dataclass(frozen=True)
class RunningText:
    """The report's paragraphs joined into one text (lines wrapped mid-sentence re-joined)."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    @classmethod
    def of(cls, report: Report) -> "RunningText":
        parts: list[str] = []
        starts: list[int] = []
        lines: list[int] = []
        offset = 0
        for paragraph in report.paragraphs:
            starts.append(offset)
            lines.append(paragraph.line)
            separator = "\n" if paragraph.text.endswith(_SENTENCE_END) else ""
            parts.append(paragraph.text + separator)
            offset += len(paragraph.text) + len(separator)
        return cls("".join(parts), tuple(starts), tuple(lines))

    def line_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[index] if index >= 0 else None


def residue(report: Report, params: ResidueParams) -> Iterator[Hit]:
    table_lines = {cell.line for grid in (report.table2, report.table3, report.table4) if grid
                   for columns in grid.values() for cell in columns.values()}
    for item in params.patterns:
        pattern = regex.compile(item.pattern)
        places = [(number, match) for number, line in enumerate(report.lines, start=1)
                  if not (item.outside_tables and number in table_lines)
                  for match in pattern.finditer(line)]
        if places:
            number, match = places[0]
            yield Hit(fields={"name": item.name, "count": len(places), "sample": match.group(0).strip() or item.name},
                      line=number, column=match.start() + 1)


def _sum(report: Report, cells: tuple[str, ...]) -> int | float | None:
    total: int | float = 0
    for address in cells:
        cell = report.cell(address)
        if cell is None or cell_kind(cell.raw) is CellKind.TEXT:
            return None
        total += cell.value or 0
    return total


def narrative_zero(report: Report, params: ClaimParams) -> Iterator[Hit]:
    text = RunningText.of(report)
    template = template_of(report)
    for claim in params.claims:
        match = regex.search(claim.pattern, text.text)
        if match is None:
            continue
        nonzero = [a for a in claim.cells if (report.cell(a) is not None and (report.cell(a).value or 0) != 0)]  # type: ignore[union-attr]
        if not nonzero:
            continue
        yield Hit(
            fields={"subject": claim.subject, "quote": match.group(0),
                    "cells_text": "、".join(f"{cell_name(a, template)}为{format_number(report.cell(a).value)}" for a in nonzero)},  # type: ignore[union-attr]
            line=text.line_at(match.start()), cells=tuple(nonzero),
        )


def narrative_claim(report: Report, params: ClaimParams) -> Iterator[Hit]:
    text = RunningText.of(report)
    template = template_of(report)
    for claim in params.claims:
        table_value = _sum(report, claim.cells)
        if table_value is None:
            continue
        for match in regex.finditer(claim.pattern, text.text):
            stated = parse_count(match.group("n"))
            if stated is None or stated == table_value:
                continue
            names = "＋".join(cell_name(a, template) for a in claim.cells)
            yield Hit(
                fields={"subject": claim.subject, "quote": match.group(0), "stated": stated,
                        "table_value": format_number(table_value), "cells_text": names},
                line=text.line_at(match.start()), cells=claim.cells,
                expected=float(table_value), actual=float(stated),
            )
            break


RESIDUE = Mechanism(ResidueParams, residue)
NARRATIVE_ZERO = Mechanism(ClaimParams, narrative_zero)
NARRATIVE_CLAIM = Mechanism(ClaimParams, narrative_claim)
