"""Word reports made the way clerks make them: the blank 2021 template filled in with python-docx.

Every truth value is written into its cell of tests/fixtures/templates/template-2021.docx (in
tmp_path, never touching the fixture); govlint must read back exactly the truth, the template,
the year and the agency, and a changed table-三 cell must be reported with that cell.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from govlint.engine.files import lint_path
from govlint.engine.runner import Linter
from govlint.readers import read_path
from govlint.report.builder import build_report
from govlint.report.model import Grid, Report
from tests.conftest import CORPUS, govlint, seed, truth_of
from tests.word import TEMPLATE, fill_template, written

REPORTS: dict[str, tuple[str, int]] = {"seed-004": ("克井镇人民政府", 2023), "huaian-2024": ("淮安市人民政府", 2024)}
"""Report name → (agency, year)."""

CHANGED_CELL = ("granted", "natural_person")
"""The table-三 cell the broken variant changes."""


def truth_for(name: str) -> dict[str, Any]:
    """The truth file of one of the two reports."""
    return truth_of(seed("004") if name == "seed-004" else CORPUS / "huaian-2024.pdf")


def parsed_values(grid: Grid | None) -> dict[str, dict[str, Any]] | None:
    """A parsed table in the shape of a truth table: the number, else the text, else None."""
    if grid is None:
        return None
    return {row: {column: cell.value if cell.value is not None or not cell.raw else cell.raw
                  for column, cell in cells.items()} for row, cells in grid.items()}


def json_values(grid: dict[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    """The same, for a table of `govlint parse --format json`."""
    if grid is None:
        return None
    return {row: {column: cell["value"] if cell["value"] is not None or not cell["raw"] else cell["raw"]
                  for column, cell in cells.items()} for row, cells in grid.items()}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template_digest() -> str:
    return hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, template_digest: str) -> dict[str, Path]:
    """Both reports written once: name → path of the .docx."""
    folder = tmp_path_factory.mktemp("docx")
    paths = {name: fill_template(truth_for(name), agency, year, folder / f"{name}.docx")
             for name, (agency, year) in REPORTS.items()}
    assert hashlib.sha256(TEMPLATE.read_bytes()).hexdigest() == template_digest, "the fixture was modified"
    return paths


@pytest.fixture(scope="module")
def built(reports: dict[str, Path]) -> dict[str, Report]:
    return {name: build_report(read_path(path)) for name, path in reports.items()}


# --- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_every_cell_reads_back_as_the_truth(built: dict[str, Report], name: str) -> None:
    report, truth = built[name], truth_for(name)
    for table in ("table2", "table3", "table4"):
        assert parsed_values(report.grid(table)) == truth[table], table


@pytest.mark.parametrize("name", REPORTS)
def test_raw_text_is_what_was_typed(built: dict[str, Report], name: str) -> None:
    report, truth = built[name], truth_for(name)
    for table in ("table2", "table3", "table4"):
        for row, values in truth[table].items():
            for column, value in values.items():
                cell = report.cell(f"{table}.{row}.{column}")
                assert cell is not None and cell.raw == (written(value) or ""), f"{table}.{row}.{column}"
                assert cell.line is not None and 1 <= cell.line <= len(report.lines)
                if cell.raw:
                    assert cell.column is not None
                    start = cell.column - 1
                    assert report.lines[cell.line - 1][start:start + len(cell.raw)] == cell.raw


@pytest.mark.parametrize("name", REPORTS)
def test_template_year_agency_title_sections(built: dict[str, Report], name: str) -> None:
    report = built[name]
    agency, year = REPORTS[name]
    assert (report.template, report.year, report.agency) == ("2021", year, agency)
    assert report.title == f"{agency}{year}年政府信息公开工作年度报告"
    assert report.source.format == "docx"
    assert list(report.sections) == ["overview", "proactive", "applications", "review_litigation", "problems",
                                     "other"]
    assert "积极、稳妥推进政府信息公开各项工作" in report.sections["overview"].text


def test_cli_parse_json_gives_the_truth(reports: dict[str, Path], tmp_path: Path) -> None:
    path = reports["huaian-2024"]
    run = govlint("parse", str(path), "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    parsed = json.loads(run.stdout)
    truth = truth_for("huaian-2024")
    assert parsed["schema_version"] == 1
    assert parsed["source"]["format"] == "docx" and parsed["source"]["path"] == str(path)
    assert (parsed["template"], parsed["year"], parsed["agency"]) == ("2021", 2024, "淮安市人民政府")
    for table in ("table2", "table3", "table4"):
        assert json_values(parsed[table]) == truth[table], table
    assert parsed["table2"]["fees"]["amount"]["raw"] == "96171.6"


def test_check_seed_004_docx_has_no_structure_or_arithmetic_errors(reports: dict[str, Path],
                                                                     linter: Linter) -> None:
    result = lint_path(linter, reports["seed-004"], None)
    assert result.report is not None
    codes = {f.code for f in result.findings}
    assert not codes & {"T001", "T002", "T003", "T004", "S001", "S002", "S003", "S004", "P001", "P999"}, codes


def test_changed_table3_cell_is_reported_with_its_address(tmp_path: Path, linter: Linter) -> None:
    truth = truth_for("seed-004")
    row, column = CHANGED_CELL
    truth["table3"][row][column] += 1
    agency, year = REPORTS["seed-004"]
    path = fill_template(truth, agency, year, tmp_path / "broken.docx")
    address = f"table3.{row}.{column}"
    report = build_report(read_path(path))
    assert report.cell(address) is not None and report.cell(address).value == truth["table3"][row][column]

    result = lint_path(linter, path, None)
    citing = [f for f in result.findings if f.severity.value == "error" and address in f.cells]
    assert citing, [(f.code, f.cells) for f in result.findings]
    # every table-三 cell takes part in at least two identities: both fail, and one error at the
    # cell names them both with the value that mends them
    (error,) = citing
    assert "（T002）" in error.message and "（T003）" in error.message
    assert f"该格应为{truth['table3'][row][column] - 1}" in error.message
    cell = report.cell(address)
    assert cell is not None and any(f.line == cell.line for f in citing)
