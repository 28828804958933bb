"""`--format full` (the default): per file, findings grouped by section, in Chinese, for a clerk."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import cast

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Piece
from govlint.findings import Severity
from govlint.render.common import (
    UNREAD_TEMPLATE,
    file_counts,
    findings_by_section,
    section_heading,
    streamed,
    template_name,
)


def _header(result: FileResult) -> str:
    report = result.report
    if report is None:
        return f"■ {result.path}"
    facts = [template_name(report)]
    if report.year is not None:
        facts.append(f"{report.year}年度")
    if report.agency:
        facts.append(report.agency)
    return f"■ {result.path}（{'，'.join(facts)}）"


def _counts(counts: dict[str, int]) -> str:
    return "，".join(f"{s.chinese} {counts[s.value]}" for s in Severity)


def _file(result: FileResult) -> list[str]:
    lines = [_header(result)]
    if not result.findings:
        return [*lines, "  未发现问题。", ""]
    for key, findings in findings_by_section(result):
        lines.append(f"  【{section_heading(key, result.report)}】")
        for f in findings:
            where = f"第{f.line}行" if f.line is not None else "全文"
            lines.append(f"    {where:<7} {f.severity.chinese} {f.code}  {f.message}")
    lines += [f"  小计：{_counts(file_counts(result))}", ""]
    return lines


UNKNOWN = "－"
"""A full-width dash: two columns wide on every terminal (— is one or two, depending on the font)."""


_WIDE = frozenset({"W", "F"})
"""East Asian widths that take two columns (wide and fullwidth)."""


def display_width(text: str) -> int:
    """Columns the text takes on a terminal: Chinese characters take two. (Measured once per file,
    where it is checked: not remembered, as a province's paths would fill any memo.)"""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_WIDE.__contains__, map(unicodedata.east_asian_width, text)))


Row = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]
"""A file's line of the overview: (file, agency, year, template), the columns each of these takes,
and its counts by severity (measured where the file is checked, and kept with its result)."""


def _overview_row(result: FileResult) -> Row:
    report, counts = result.report, file_counts(result)
    labels = (str(result.path), (report.agency or UNKNOWN) if report else UNKNOWN,
              str(report.year) if report and report.year else UNKNOWN,
              template_name(report) if report else UNREAD_TEMPLATE)
    return labels, tuple(map(display_width, labels)), tuple(counts[s.value] for s in Severity)


def _overview(files: list[Row]) -> Iterator[str]:
    """One line per file, for a supervisor checking many reports: which ones need work."""
    header = ("文件", "机关", "年度", "格式", *(s.chinese for s in Severity))
    error = list(Severity).index(Severity.ERROR)
    failing = sum(1 for _, _, counts in files if counts[error])
    widths = [max(display_width(name), max((columns[i] for _, columns, _ in files), default=0))
              for i, name in enumerate(header[:4])]
    widths += [max(display_width(name), max((len(str(counts[i])) for _, _, counts in files), default=0))
               for i, name in enumerate(header[4:])]
    yield f"汇总：{len(files)} 个文件中，{failing} 个有错误，{len(files) - failing} 个没有错误\n"
    yield _padded(header, tuple(map(display_width, header)), widths)
    for labels, columns, counts in files:  # a line at a time: a province's overview is long
        texts = tuple(map(str, counts))
        yield _padded((*labels, *texts), (*columns, *map(len, texts)), widths)
    yield "\n"


def _padded(cells: tuple[str, ...], taken: tuple[int, ...], widths: list[int]) -> str:
    """One line of the overview: each cell padded to its column's width (`taken`: the columns
    each cell takes)."""
    line = "  ".join(cell + " " * (width - used) for cell, used, width in zip(cells, taken, widths))
    return f"  {line.rstrip()}\n"


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def piece(result: FileResult, rules: dict[str, RuleSpec]) -> Piece:
    """The file's findings, and its row of the overview."""
    return Piece(_text(_file(result)), _overview_row(result))


def assemble(pieces: Iterable[Piece], totals: dict[str, int]) -> Iterator[str]:
    """The output file by file, then the overview and the totals."""
    rows: list[Row] = []
    for part in pieces:
        yield part.text
        rows.append(cast(Row, part.facts))
    if len(rows) > 1:
        yield from _overview(rows)
    yield _text([f"共检查 {totals['files']} 个文件：{_counts(totals)}"])


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    return streamed(piece, assemble, results, rules)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
