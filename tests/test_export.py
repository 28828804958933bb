"""`govlint export` for supervisors: the corpus as one workbook whose every truth cell is in its
column, the agencies of a list with no report, and `check --format csv`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import openpyxl
import pytest

from govlint.engine.runner import FileResult, Linter
from govlint.mechanisms.base import cell_name
from govlint.render import xlsx
from govlint.render.figures import NO_REPORT, cell_columns
from govlint.report.templates import templates
from tests.conftest import CORPUS_REPORTS, govlint, seed, truth_cells, truth_of

Sheet = list[dict[str, Any]]


def sheets(path: Path | IO[bytes]) -> dict[str, Sheet]:
    """Every sheet of a workbook as a list of rows keyed by the header."""
    book = openpyxl.load_workbook(path, read_only=True)
    tables: dict[str, Sheet] = {}
    for sheet in book.worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True))
        tables[sheet.title] = [dict(zip(header, row)) for row in rows]
    book.close()
    return tables


@pytest.fixture(scope="module")
def corpus_results(linter: Linter, linted: Callable[[Path], FileResult]) -> list[FileResult]:
    """The corpus checked as `govlint export` checks it: each report, then every pair of
    consecutive years of one agency (the command line's own run is test_expect_…)."""
    results = [linted(path) for path in CORPUS_REPORTS]
    linter.check_pairs(results)
    return results


@pytest.fixture(scope="module")
def corpus_workbook(corpus_results: list[FileResult]) -> dict[str, Sheet]:
    return sheets(io.BytesIO(xlsx.workbook(corpus_results)))


def test_one_row_per_report_with_its_template_and_year(corpus_workbook: dict[str, Sheet]) -> None:
    rows = corpus_workbook["报告"]
    assert [row["文件"] for row in rows] == [str(p) for p in CORPUS_REPORTS]
    for path, row in zip(CORPUS_REPORTS, rows):
        truth = truth_of(path)
        assert (row["格式"], row["年度"]) == (templates().templates[truth["template"]].label, truth["year"]), path.name


def test_every_truth_cell_is_its_columns_value(corpus_workbook: dict[str, Sheet]) -> None:
    headers = dict(cell_columns())
    unread_named = {row["文件"]: row["单元格"] or "" for row in corpus_workbook["问题"] if row["代码"] == "P003"}
    checked = 0
    for path, row in zip(CORPUS_REPORTS, corpus_workbook["报告"]):
        template = truth_of(path)["template"]
        for address, expected in truth_cells(truth_of(path)):
            value = row[headers[address]]
            if value is None and cell_name(address, template) in unread_named.get(str(path), ""):
                continue  # run-together text the report says it could not split (P003)
            assert value == (expected.strip() if isinstance(expected, str) else expected), (path.name, address)
            checked += 1
    assert checked > 2000


@pytest.mark.parametrize("name", ["hongze-2023.pdf", "hongze-2024.pdf"])
def test_findings_sheet_lists_every_finding(name: str, corpus_workbook: dict[str, Sheet],
                                            corpus_results: list[FileResult]) -> None:
    report = seed(name)
    (result,) = [r for r in corpus_results if r.path == str(report)]
    assert result.findings
    rows = [r for r in corpus_workbook["问题"] if r["文件"] == str(report)]
    assert [(r["代码"], r["行"], r["说明"]) for r in rows] == [(f.code, f.line, f.message) for f in result.findings]
    counts = next(r for r in corpus_workbook["报告"] if r["文件"] == str(report))
    assert counts["错误"] == sum(f.severity.value == "error" for f in result.findings)


def test_expect_names_exactly_the_agency_without_a_report(tmp_path: Path) -> None:
    reports = [seed("hongze-2024.pdf"), seed("shanghai-office-2025.md"), seed("004")]
    expected = tmp_path / "名单.txt"
    # the short names: the reports' titles carry place prefixes (淮安市洪泽区人民政府)
    expected.write_text("洪泽区人民政府\n\n上海市人民政府办公厅\n克井镇人民政府\n涟水县人民政府\n", encoding="utf-8")
    target = tmp_path / "汇总.xlsx"
    run = govlint("export", *map(str, reports), "-o", str(target), "--expect", str(expected), "-j", "2",
                  cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [f"govlint：已写入 {target}",
                                       "govlint：名单中有 1 个机关没有报告：涟水县人民政府"]
    rows = sheets(target)["报告"]
    assert [(r["机关"], r["格式"]) for r in rows if r["文件"] is None] == [("涟水县人民政府", NO_REPORT)]
    assert len(rows) == len(reports) + 1


def test_csv_export_has_the_same_row_per_report(tmp_path: Path) -> None:
    target = tmp_path / "汇总.csv"
    assert govlint("export", str(seed("004")), "-o", str(target), cwd=tmp_path).returncode == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte-order mark
    (row,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["机关"] == "克井镇人民政府" and row["年度"] == "2023"
    assert row[dict(cell_columns())["table3.results_total.natural_person"]] == "13"


def test_export_without_a_known_suffix_is_a_usage_error(tmp_path: Path) -> None:
    run = govlint("export", str(seed("004")), "-o", str(tmp_path / "汇总.txt"), cwd=tmp_path)
    assert run.returncode == 2 and ".xlsx" in run.stderr and not (tmp_path / "汇总.txt").exists()


def test_check_csv_format_has_a_row_per_finding(tmp_path: Path) -> None:
    findings = json.loads(govlint("check", str(seed("002")), "--format", "json", cwd=tmp_path).stdout)
    run = govlint("check", str(seed("002")), "--format", "csv", cwd=tmp_path)
    assert run.returncode == 1
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["代码"], r["级别"]) for r in rows] == [
        (f["code"], {"error": "错误", "warning": "警告", "info": "提示"}[f["severity"]])
        for f in findings["files"][0]["findings"]]
    assert "表三“2.没有现成信息需要另行制作／自然人”" in next(r["单元格"] for r in rows if r["代码"] == "S004")
