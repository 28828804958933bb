"""Cells placed by header and label, never by count: broken variants of real reports.

Each test takes a real portal page or Word file from the corpus, changes one thing in its tables
the way real files differ (columns in another order with their headers, blank cells, a header
row missing, spans that do not line up, a blank table 四) and checks that every cell is read to
the truth at its own column, or that the row is left unread and reported — never shifted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest

from govlint.document import Document
from govlint.engine.files import lint_path
from govlint.engine.runner import FileResult, Linter
from govlint.readers import read_path
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests.conftest import CORPUS, truth_of

TABLE3_COLUMNS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")


def _text(element: lxml.html.HtmlElement) -> str:
    return "".join(element.itertext()).strip()


def _edit_html(name: str, tmp_path: Path, edit: Callable[[lxml.html.HtmlElement], None]) -> Report:
    """A corpus page with `edit` applied to its table 三 (the table holding 申请人情况)."""
    page = lxml.html.fromstring((CORPUS / name).read_bytes())
    table = next(t for t in page.iter("table") if "申请人情况" in _text(t) and "自然人" in _text(t))
    edit(table)
    target = tmp_path / name
    target.write_bytes(lxml.html.tostring(page, encoding="utf-8"))
    return build_report(read_path(target))


def _data_rows(table: lxml.html.HtmlElement) -> list[list[lxml.html.HtmlElement]]:
    """Table 三's rows that hold numbers: their last seven cells are the seven columns."""
    rows = [list(tr.iterchildren("td", "th")) for tr in table.iter("tr")]
    return [cells for cells in rows if len(cells) >= 7 and all(_text(c).isdigit() for c in cells[-7:])]


def _swap(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> None:
    parent_a, parent_b = a.getparent(), b.getparent()
    index_a, index_b = parent_a.index(a), parent_b.index(b)
    parent_a.remove(a)
    parent_b.remove(b)
    parent_a.insert(index_a, b)
    parent_b.insert(index_b, a)


def _set_text(cell: lxml.html.HtmlElement, text: str) -> None:
    for child in list(cell):
        cell.remove(child)
    cell.text = text


def _table3_of(report: Report) -> dict[str, dict[str, object]]:
    return {row: {column: cell.value for column, cell in cells.items()} for row, cells in (report.table3 or {}).items()}


def test_columns_in_another_order_with_their_headers_are_read_by_header(tmp_path: Path) -> None:
    """社会公益组织 and 其他 swapped, header and every data row alike (their numbers differ)."""

    def swap_columns(table: lxml.html.HtmlElement) -> None:
        header = next(tr for tr in table.iter("tr") if "社会公益组织" in _text(tr) and "商业企业" in _text(tr))
        cells = list(header.iterchildren("td", "th"))
        social = next(c for c in cells if _text(c) == "社会公益组织")
        other = next(c for c in cells if _text(c) == "其他")
        _swap(social, other)
        for row in _data_rows(table):
            _swap(row[-4], row[-2])

    report = _edit_html("pingtan-2021.html", tmp_path, swap_columns)
    assert _table3_of(report) == truth_of(CORPUS / "pingtan-2021.html")["table3"]


def test_blank_cells_stay_blank_at_their_column(tmp_path: Path) -> None:
    """A blank 总计 column and a blank cell in the middle of every row: nothing moves left."""

    def blank(table: lxml.html.HtmlElement) -> None:
        for row in _data_rows(table):
            _set_text(row[-1], "")
            _set_text(row[-5], "")

    report = _edit_html("pingtan-2021.html", tmp_path, blank)
    truth = truth_of(CORPUS / "pingtan-2021.html")["table3"]
    expected = {row: {c: (None if c in ("total", "research") else v) for c, v in cells.items()}
                for row, cells in truth.items()}
    assert _table3_of(report) == expected


def test_a_blank_cell_the_identities_fix_is_said_blank_with_the_number_it_calls_for(
        tmp_path: Path, linter: Linter) -> None:
    """Blank is not zero: the blank 一／社会公益组织 (2 in the report) is counted as 0 but named as
    blank, in one finding at that cell with the value both its identities call for."""

    def blank(table: lxml.html.HtmlElement) -> None:
        _set_text(_data_rows(table)[0][-4], "")

    result = linter.check(_edit_html("pingtan-2021.html", tmp_path, blank))
    errors = [f for f in result.findings if f.severity.value == "error"]
    assert len(errors) == 1
    (error,) = errors
    assert error.cells == ["table3.new_received.social_org"]
    assert "“一、本年新收政府信息公开申请数量／社会公益组织”未填写（按 0 计）" in error.message
    assert "该格应为2" in error.message and "（T001）" in error.message and "（T003）" in error.message
    (blanks,) = [f for f in result.findings if f.code == "T006"]
    assert "按表中等式应填 2" in blanks.message


def test_a_missing_header_row_leaves_the_rows_unread_and_reported(tmp_path: Path, linter: Linter) -> None:
    """Without the row naming 商业企业…其他, the five columns under 法人或其他组织 cannot be told apart."""

    def drop_leaf_header(table: lxml.html.HtmlElement) -> None:
        header = next(tr for tr in table.iter("tr") if "商业企业" in _text(tr))
        header.getparent().remove(header)

    report = _edit_html("pingtan-2021.html", tmp_path, drop_leaf_header)
    assert not report.table3
    assert report.tables["table3"].unplaced
    result = linter.check(report)
    assert any(f.code == "S007" and "表头" in f.message and "Word 原件" in f.message for f in result.findings)
    assert not any(f.code == "S003" and "表三" in f.message for f in result.findings)


def test_a_value_spanning_two_columns_leaves_its_row_unread(tmp_path: Path) -> None:
    """A cell whose span reaches from 社会公益组织 into 法律服务机构 belongs to neither."""

    def straddle(table: lxml.html.HtmlElement) -> None:
        row = _data_rows(table)[0]
        row[-4].set("colspan", "2")
        row[-3].getparent().remove(row[-3])

    report = _edit_html("pingtan-2021.html", tmp_path, straddle)
    assert "new_received" not in (report.table3 or {})
    assert "new_received" in report.tables["table3"].unread_rows
    truth = truth_of(CORPUS / "pingtan-2021.html")["table3"]
    assert {k: v for k, v in _table3_of(report).items()} == {k: v for k, v in truth.items() if k != "new_received"}


def test_table2_values_under_no_column_are_not_shifted(tmp_path: Path) -> None:
    """Table 二 whose block label cell spans one position fewer than its header row: the values of
    规章 move one position right, the last one under no column — the row is unread, not shifted."""
    page = lxml.html.fromstring((CORPUS / "pingtan-2021.html").read_bytes())
    table = next(t for t in page.iter("table") if "本年制发件数" in _text(t))
    row = next(tr for tr in table.iter("tr") if _text(next(tr.iterchildren("td", "th"))) == "规章")
    row.insert(1, lxml.html.fromstring("<td></td>"))
    target = tmp_path / "pingtan-2021.html"
    target.write_bytes(lxml.html.tostring(page, encoding="utf-8"))
    report = build_report(read_path(target))
    assert "rules" not in (report.table2 or {})
    assert "rules" in report.tables["table2"].unread_rows
    assert report.table2 is not None and report.table2["normative_docs"]["in_force"].value == 665


# --- Word ---------------------------------------------------------------------------------


def _word_table4(tmp_path: Path, blank: Callable[[list[list[Any]]], None]) -> FileResult:
    document = docx.Document(str(CORPUS / "pingtan-2021-word.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text.strip() == "行政复议")
    data = [row.cells for row in table.rows[3:]]
    blank(data)
    target = tmp_path / "table4.docx"
    document.save(str(target))
    return target


@pytest.mark.parametrize("which", ["all", "one"])
def test_blank_table4_in_word_is_found_with_its_blanks(which: str, tmp_path: Path, linter: Linter) -> None:
    def blank(rows: list[list[Any]]) -> None:
        cells = [cell for row in rows for cell in row]
        for cell in cells if which == "all" else cells[1:2]:
            cell.text = ""

    result = lint_path(linter, _word_table4(tmp_path, blank), None)
    assert result.report is not None and result.report.table4 is not None
    codes = {f.code for f in result.findings}
    assert "S003" not in codes
    assert "T006" in codes
    review = result.report.table4["review"]
    assert review["corrected"].value is None
    if which == "one":
        assert review["other"].value == 2 and result.report.table4["litigation_direct"]["total"].value == 12


def test_a_row_cut_by_a_page_break_is_made_whole(document: Callable[[Path], Document],
                                                 linted: Callable[[Path], FileResult]) -> None:
    """A Word file saved as PDF whose table 三 breaks inside （四）1.本机关不掌握相关政府信息: the
    label's end (府信息) heads the next page with no number of its own; it ends the row above."""
    path = CORPUS / "pingtan-2023-word.pdf"
    blocks = document(path).blocks
    labels = [cell.text for block in blocks if hasattr(block, "rows") for row in block.rows for cell in row]
    assert "1.本机关不掌握相关政府信息" in labels and "府信息" not in labels
    assert not [f for f in linted(path).findings if f.code == "S005" and "本机关不掌握" in f.message]


def test_a_row_cut_by_a_page_break_is_whole_when_the_next_page_has_other_columns(
        parsed: Callable[[Path], Report], linted: Callable[[Path], FileResult]) -> None:
    """The continuation's columns differ from the part above (its table is drawn anew): the
    label's end (形）) is laid onto the column it stands under; a block label spanning several
    columns at the top of a page stays a row of its own."""
    assert not [f for f in linted(CORPUS / "pingtan-2019-word.pdf").findings if f.code == "S005"]
    hongze = parsed(CORPUS / "hongze-2024.pdf")
    assert hongze.table2 is not None and hongze.table2["licensing"]["decisions"].value == 9487
