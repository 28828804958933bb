"""Word reports made the way clerks make them: the blank 2021 template filled in with python-docx.

Every truth value is written into its cell of tests/fixtures/templates/template-2021.docx (in
tmp_path, never touching the fixture); govlint must read back exactly the truth, the template,
the year and the agency, and a changed table-三 cell must be reported with that cell.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from govlint.engine.files import lint_path
from govlint.engine.runner import Linter
from govlint.readers import read_path
from govlint.report.builder import build_report
from govlint.report.model import Grid, Report
from govlint.report.templates import templates
from tests.conftest import FIXTURES, seed, truth_of

TEMPLATE = FIXTURES / "templates" / "template-2021.docx"

TABLE2_ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rules": ("规章", ("issued", "repealed", "in_force")),
    "normative_docs": ("行政规范性文件", ("issued", "repealed", "in_force")),
    "licensing": ("行政许可", ("decisions",)),
    "penalty": ("行政处罚", ("decisions",)),
    "coercion": ("行政强制", ("decisions",)),
    "fees": ("行政事业性收费", ("amount",)),
}
"""Table 二: row key → (row label, column keys in printed order)."""

TABLE3_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
TABLE3_ROWS: dict[str, str] = {row.key: row.label for row in templates().get("2021").table3.rows}
"""Table 三 (2021): row key → the row's own label (the last label cell of its row)."""

TABLE4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

HUAIAN_TRUTH = FIXTURES / "corpus" / "huaian-2024.truth.json"
REPORTS: dict[str, tuple[str, int]] = {"seed-004": ("克井镇人民政府", 2023), "huaian-2024": ("淮安市人民政府", 2024)}
"""Report name → (agency, year)."""

CHANGED_CELL = ("granted", "natural_person")
"""The table-三 cell the broken variant changes."""


def truth_for(name: str) -> dict[str, Any]:
    """The truth file of one of the two reports."""
    if name == "seed-004":
        return truth_of(seed("004"))
    return json.loads(HUAIAN_TRUTH.read_text(encoding="utf-8"))


# --- filling the template ------------------------------------------------------------------


def tc_text(tc: etree._Element) -> str:
    """The visible text of one table cell element."""
    return "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()


def set_paragraph_text(paragraph: Paragraph, text: str) -> None:
    """Replace a paragraph's text, keeping the formatting of its first run."""
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def set_cell_text(table: Table, tc: etree._Element, text: str) -> None:
    """Write `text` into one physical cell (its first paragraph; further paragraphs removed)."""
    cell = _Cell(tc, table)
    first, *rest = cell.paragraphs
    set_paragraph_text(first, text)
    for paragraph in rest:
        paragraph._p.getparent().remove(paragraph._p)


def written(value: Any) -> str | None:
    """A truth value as the clerk types it; None for a cell left blank."""
    if value is None:
        return None
    return str(value)


def table_containing(document: Any, marker: str) -> Table:
    """The one table of the document whose text contains `marker`."""
    (table,) = [t for t in document.tables if any(marker in tc_text(tc) for tc in t._tbl.iter(qn("w:tc")))]
    return table


def table2_cells(table: Table) -> Iterator[tuple[str, str, etree._Element]]:
    """(row key, column key, value cell) of table 二, located by row label."""
    for tr in table._tbl.tr_lst:
        tcs = tr.tc_lst
        for row, (label, columns) in TABLE2_ROWS.items():
            if tc_text(tcs[0]) == label:
                assert len(tcs) == 1 + len(columns), f"table 二 row {label} has {len(tcs)} cells"
                yield from ((row, column, tc) for column, tc in zip(columns, tcs[1:]))


def table3_cells(table: Table) -> Iterator[tuple[str, str, etree._Element]]:
    """(row key, column key, value cell) of table 三: the 7 cells after each row's label cells."""
    labels = {label: row for row, label in TABLE3_ROWS.items()}
    for tr in table._tbl.tr_lst:
        tcs = tr.tc_lst
        if len(tcs) < 8:
            continue
        row = labels.get(tc_text(tcs[-8]))
        if row is not None:
            yield from ((row, column, tc) for column, tc in zip(TABLE3_COLUMNS, tcs[-7:]))


def table4_cells(table: Table) -> Iterator[tuple[str, str, etree._Element]]:
    """(block key, column key, value cell) of table 四: its single data row of 15."""
    tcs = table._tbl.tr_lst[-1].tc_lst
    assert len(tcs) == 15 and not any(tc_text(tc) for tc in tcs), "table 四's last row must be the blank data row"
    keys = [(block, column) for block in TABLE4_BLOCKS for column in TABLE4_COLUMNS]
    yield from ((block, column, tc) for (block, column), tc in zip(keys, tcs))


def narrative(truth: dict[str, Any], agency: str, year: int) -> list[str]:
    """Text for the three "（文字描述…）" placeholders: 总体情况, 存在的主要问题, 其他事项."""
    received = truth["table3"]["new_received"]["total"]
    return [
        (f"{year}年，{agency}根据《中华人民共和国政府信息公开条例》，积极、稳妥推进政府信息公开各项工作，"
         f"不断完善政务公开工作机制，强化公开平台建设。本年度共受理政府信息公开申请{received}件，"
         "均按照相关程序规范在规定时间内进行答复。"),
        "信息公开及时更新力度还不够强。下一步将加强业务培训，提高工作人员思想认识及业务能力。",
        f"{year}年未收取信息公开处理费用。",
    ]


def fill_template(truth: dict[str, Any], agency: str, year: int, target: Path) -> Path:
    """Write a report for `truth` into `target`, from the blank template (which stays untouched)."""
    document = docx.Document(str(TEMPLATE))
    (title,) = [p for p in document.paragraphs if p.text.strip() == "政府信息公开工作年度报告格式模板"]
    set_paragraph_text(title, f"{agency}{year}年政府信息公开工作年度报告")
    placeholders = [p for p in document.paragraphs if p.text.strip().startswith("（文字描述")]
    texts = narrative(truth, agency, year)
    assert len(placeholders) == len(texts)
    for paragraph, text in zip(placeholders, texts):
        set_paragraph_text(paragraph, text)

    located = {
        "table2": (table_containing(document, "第二十条第（一）项"), table2_cells),
        "table3": (table_containing(document, "申请人情况"), table3_cells),
        "table4": (table_containing(document, "复议后起诉"), table4_cells),
    }
    for key, (table, cells) in located.items():
        found = {(row, column): tc for row, column, tc in cells(table)}
        wanted = {(row, column) for row, values in truth[key].items() for column in values}
        assert wanted <= found.keys(), f"{key}: no cell for {sorted(wanted - found.keys())}"
        for (row, column), tc in found.items():
            text = written(truth[key].get(row, {}).get(column))
            if text is not None:
                set_cell_text(table, tc, text)
    document.save(str(target))
    return target


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
    run = subprocess.run([sys.executable, "-m", "govlint", "parse", str(path), "--format", "json"],
                         check=False, capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8"})
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
