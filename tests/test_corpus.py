"""The real reports of the corpus against their hand-transcribed truth: every cell, template, year,
and the table identities that fail according to the truth (as ../shared/tools/score.py counts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.engine.runner import FileResult, Linter
from govlint.report.model import Report
from tests.conftest import CORPUS, CORPUS_REPORTS, truth_cells, truth_of


def _right(report: Report, address: str, expected: object) -> bool | None:
    """True if read right, False if misread, None if unread."""
    cell = report.cell(address)
    if isinstance(expected, str):
        return None if cell is None else cell.raw.strip() == expected.strip()
    if cell is None or (cell.value is None and expected is not None):
        return None
    return cell.value == expected if expected is not None else cell.value is None


@pytest.mark.parametrize("path", CORPUS_REPORTS, ids=lambda p: p.name)
def test_every_cell_is_right_or_flagged_unread(path: Path, parsed: Callable[[Path], Report]) -> None:
    """Every truth cell must be read right; only the crawler text (pingtan-*.txt) may leave cells
    unread, exactly in the rows P003 names."""
    report, truth = parsed(path), truth_of(path)
    assert (report.template, report.year) == (truth["template"], truth["year"])
    misread = [a for a, v in truth_cells(truth) if _right(report, a, v) is False]
    unread = {a for a, v in truth_cells(truth) if _right(report, a, v) is None}
    assert not misread
    flagged = {f"{table}.{row}." for table, info in report.tables.items() for row in info.run_together_rows}
    unread = {a for a in unread if not any(a.startswith(prefix) for prefix in flagged)}
    assert not unread, sorted(unread)[:10]


RUN_TOGETHER_FLAGGED = {"pingtan-2019.txt": 7, "pingtan-2021.txt": 1, "pingtan-2023.txt": 1, "pingtan-2025.txt": 1}


@pytest.mark.parametrize("name", sorted(RUN_TOGETHER_FLAGGED))
def test_run_together_rows_left_unread_are_reported(name: str, linted: Callable[[Path], FileResult]) -> None:
    result = linted(CORPUS / name)
    (finding,) = [f for f in result.findings if f.code == "P003"]
    assert finding.message.count("“") == RUN_TOGETHER_FLAGGED[name]
    assert result.report is not None
    assert all(address.split(".")[1] not in (result.report.grid("table2") or {}) for address in finding.cells)


def test_hongze_identity_failures_are_found(linted: Callable[[Path], FileResult]) -> None:
    result = linted(CORPUS / "hongze-2023.pdf")
    failing = {tuple(f.cells) for f in result.findings if f.code == "T004"}
    assert {c for cells in failing for c in cells} >= {"table4.review.total", "table4.litigation_after_review.total"}


def test_consecutive_years_of_one_agency_carry_over(linter: Linter, linted: Callable[[Path], FileResult]) -> None:
    results = [linted(CORPUS / name) for name in ("hongze-2023.pdf", "hongze-2024.pdf")]
    linter.check_pairs(results)
    assert not [f for r in results for f in r.findings if f.code == "X001"]
    # the two were paired (洪泽区人民政府 / 淮安市洪泽区人民政府): a different carry-over is caught
    last, this = results[0].report, results[1].report
    assert last is not None and this is not None
    carried = last.table3["carried_forward"]
    changed = {**last.table3, "carried_forward": {**carried, "total": carried["total"].model_copy(update={"value": 9})}}
    again = [FileResult(path="2023", report=last.model_copy(update={"table3": changed})),
             FileResult(path="2024", report=this)]
    linter.check_pairs(again)
    assert [f.cells for f in again[1].findings if f.code == "X001"] == [["table3.carried_over.total"]]


@pytest.mark.parametrize("year", [2019, 2021, 2023, 2025])
def test_saved_portal_page_names_the_agency_of_its_title_not_the_breadcrumb(
        year: int, parsed: Callable[[Path], Report]) -> None:
    # the page's breadcrumb ends in 政府信息公开年报, right above the title
    page, crawl = parsed(CORPUS / f"pingtan-{year}.html"), parsed(CORPUS / f"pingtan-{year}.txt")
    assert page.agency == crawl.agency == "平潭综合实验区"
    assert page.title == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
