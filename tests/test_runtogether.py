"""Run-together crawler text: sections split at their headings, table cells recovered only
where the identities leave one reading — on the four Pingtan pages and on synthetic tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.document import Document, Paragraph
from govlint.engine.files import lint_path
from govlint.engine.runner import FileResult, Linter
from govlint.readers import read_path
from govlint.report.runtogether import Recovery, recover_rows, split_sections
from govlint.report.templates import templates
from govlint.report.values import parse_number
from tests.conftest import FIXTURES, truth_of

CORPUS = FIXTURES / "corpus"
PINGTAN = sorted(p for p in CORPUS.glob("pingtan-*.txt") if truth_of(p)["template"] in {"2019", "2021"})
"""The crawler texts of the national templates (the pre-2019 ones have no tables 二/三/四)."""
ZEROS = "0000000"
T3_HEADER = "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"

# What each page yields today: (cells recovered, rows left ambiguous). Misread cells must be 0.
ACHIEVED = {
    "pingtan-2019": (179, {"table2": ["normative_docs", "licensing", "other_services", "penalty", "coercion",
                                      "fees", "procurement"]}),
    "pingtan-2021": (197, {"table2": ["normative_docs"]}),
    "pingtan-2023": (197, {"table2": ["normative_docs"]}),
    "pingtan-2025": (197, {"table2": ["normative_docs"]}),
}


def _long_paragraph(document: Document) -> Paragraph:
    return max((b for b in document.blocks if isinstance(b, Paragraph)), key=lambda p: len(p.text))


def _texts(recovery: Recovery) -> dict[tuple[str, str], list[str]]:
    return {key: [cell.text for cell in row[1:]] for key, row in zip(recovery.keys, recovery.rows)}


def _matches(text: str, expected: object) -> bool:
    return text == expected or (isinstance(expected, (int, float)) and parse_number(text) == expected)


@pytest.mark.parametrize("path", PINGTAN, ids=lambda p: p.stem)
def test_sections_split_in_order(path: Path) -> None:
    document = read_path(path)
    pieces = split_sections(_long_paragraph(document))
    headings = [s.full_heading for s in templates().sections]
    starts = [p.text for p in pieces if p.text in headings]
    assert starts == headings
    for piece in pieces:
        assert document.lines[piece.line - 1][piece.column - 1:].startswith(piece.text)


@pytest.mark.parametrize("path", PINGTAN, ids=lambda p: p.stem)
def test_recovered_cells_are_the_truth(path: Path, record_property: Callable[[str, object], None]) -> None:
    document, truth = read_path(path), truth_of(path)
    paragraph = _long_paragraph(document)
    recovery = recover_rows(paragraph, templates().get(truth["template"]))

    wrong, cells = [], 0
    for (table, row), cells_of_row in zip(recovery.keys, recovery.rows):
        expected = list(truth[table][row].values())
        values = cells_of_row[1:]
        assert len(values) == len(expected), (table, row)
        for cell, value in zip(values, expected):
            cells += 1
            if not _matches(cell.text, value):
                wrong.append((table, row, cell.text, value))
        for cell in cells_of_row:
            if cell.column is not None:
                assert document.lines[cell.line - 1][cell.column - 1:].startswith(cell.text), cell
    ambiguous_rows = sum(len(rows) for rows in recovery.ambiguous.values())
    record_property("cells_recovered", cells)
    record_property("rows_ambiguous", ambiguous_rows)
    print(f"{path.stem}: {cells} cells recovered, {ambiguous_rows} rows ambiguous")

    assert wrong == []
    least, ambiguous = ACHIEVED[path.stem]
    assert cells >= least
    assert recovery.ambiguous == ambiguous


@pytest.mark.parametrize("path", PINGTAN, ids=lambda p: p.stem)
def test_split_pieces_recover_the_same_rows(path: Path) -> None:
    paragraph = _long_paragraph(read_path(path))
    template = truth_of(path)["template"]
    whole = recover_rows(paragraph, templates().get(template))
    pieces = [recover_rows(piece, templates().get(template)) for piece in split_sections(paragraph)]
    assert [row for p in pieces for row in p.rows] == whole.rows
    assert {t: rows for p in pieces for t, rows in p.ambiguous.items()} == whole.ambiguous


# ---------------------------------------------------------------- synthetic tables


def _table3(rows: dict[str, str], template: str = "2021") -> Paragraph:
    """Section 三 as a crawler prints it: heading, note, header, then label + digits per row."""
    spec = templates().get(template).table3
    body = "".join(r.label + rows.get(r.key, ZEROS) for r in spec.rows if rows.get(r.key) != "")
    text = f"三、收到和处理政府信息公开申请情况{spec.note}{T3_HEADER}{body}四、政府信息公开行政复议、行政诉讼情况"
    return Paragraph(text=text, line=1, column=1)


def test_one_reading_by_the_row_total_stands_when_the_table_adds_up() -> None:
    # 120000012 adds up only as 12,0,0,0,0,0,12 (1,20,0,0,0,0,12 does not)
    rows = {"new_received": "120000012", "results_total": "120000012", "granted": "120000012"}
    recovery = recover_rows(_table3(rows), templates().get("2021"))
    assert _texts(recovery)[("table3", "new_received")] == ["12", "0", "0", "0", "0", "0", "12"]
    assert recovery.ambiguous == {}
    # alone, no column identity confirms it, but its own row total leaves one cut: it is read
    lone = {r.key: "" for r in templates().get("2021").table3.all_rows} | {"new_received": "120000012"}
    alone = recover_rows(_table3(lone), templates().get("2021"))
    assert _texts(alone)[("table3", "new_received")] == ["12", "0", "0", "0", "0", "0", "12"]
    assert alone.ambiguous == {}


def test_a_row_read_by_its_row_total_reports_the_columns_it_breaks(lint_text: Callable[..., FileResult]) -> None:
    """A real crawler text whose 二、上年结转 row is 1 0 0 0 0 0 1 (one cut by its row total): the
    row is read, and the 勾稽关系 it breaks is the report's mistake (T001), not an unread row."""
    text = (CORPUS / "pingtan-2021.txt").read_text(encoding="utf-8")
    broken = text.replace("二、上年结转政府信息公开申请数量0000000", "二、上年结转政府信息公开申请数量1000001", 1)
    assert broken != text
    result = lint_text(broken, "pingtan-2021.txt")
    assert result.report is not None and result.report.table3 is not None
    assert result.report.table3["carried_over"]["natural_person"].value == 1
    t001 = [f for f in result.findings if f.code == "T001"]
    assert {c for f in t001 for c in f.cells} >= {"table3.carried_over.natural_person", "table3.carried_over.total"}
    assert not any(f.code == "P003" and "上年结转" in f.message for f in result.findings)


def test_two_readings_settled_by_the_column_identities() -> None:
    # 270020130 reads 27,0,0,2,0,1,30 or 2,7,0,0,20,1,30; the spaced 一 row fixes every column
    recovery = recover_rows(_table3({"new_received": "27 0 0 2 0 1 30", "granted": "270020130",
                                     "results_total": "270020130"}), templates().get("2021"))
    texts = _texts(recovery)
    assert texts[("table3", "granted")] == ["27", "0", "0", "2", "0", "1", "30"]
    assert texts[("table3", "results_total")] == ["27", "0", "0", "2", "0", "1", "30"]
    assert recovery.ambiguous == {}


def test_rows_the_identities_cannot_settle_stay_ambiguous() -> None:
    # without 四 the 勾稽关系 is gone: granted and 总计 can both be read either way, together
    recovery = recover_rows(_table3({"new_received": "27 0 0 2 0 1 30", "granted": "270020130",
                                     "results_total": "270020130", "carried_forward": ""}), templates().get("2021"))
    assert recovery.ambiguous == {"table3": ["granted", "results_total"]}
    assert ("table3", "new_received") in recovery.keys


def test_an_inconsistent_table_yields_nothing_wrong() -> None:
    # 四 = 1 breaks the 勾稽关系 for every reading of 总计; 3.其他 (1000002) breaks its own row
    # total, and its only cut is not trusted either (a blank cell can make 7 digits by chance)
    printed = {"new_received": "27 0 0 2 0 1 30", "granted": "270020130", "results_total": "270020130",
               "carried_forward": "1000001", "other_other": "1000002"}
    recovery = recover_rows(_table3(printed), templates().get("2021"))
    assert recovery.ambiguous == {"table3": ["granted", "other_other", "results_total"]}
    texts = _texts(recovery)
    assert len(texts) == len(templates().get("2021").table3.rows) - 3
    for (_, row), values in texts.items():
        assert values == list(printed.get(row, ZEROS).replace(" ", "")) or values == printed[row].split()


def test_ordinal_digits_and_spaces_stay_out_of_cells() -> None:
    recovery = recover_rows(_table3({"granted": "500000 5", "partially_granted": "1000001",
                                     "results_total": "600000 6", "new_received": "6000006"}), templates().get("2021"))
    texts = _texts(recovery)
    assert texts[("table3", "granted")] == ["5", "0", "0", "0", "0", "0", "5"]
    assert texts[("table3", "withheld_state_secret")] == ["0"] * 7  # 0000000 before 2.其他法律…
    granted = recovery.rows[recovery.keys.index(("table3", "granted"))]
    assert granted[-1].column == granted[-2].column + 2  # across the space


def test_table2_and_table4_runs() -> None:
    text = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000"
            "行政规范性文件693665第二十条第（八）项信息内容 本年收费金额（单位：万元）行政事业性收费24252.311082"
            "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
            "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
            "10203120001200000五、存在的主要问题及改进情况")
    recovery = recover_rows(Paragraph(text=text, line=1, column=1), templates().get("2021"))
    texts = _texts(recovery)
    assert texts[("table2", "rules")] == ["0", "0", "0"]
    assert texts[("table2", "fees")] == ["24252.311082"]
    assert texts[("table4", "review")] == ["1", "0", "2", "0", "3"]
    assert texts[("table4", "litigation_direct")] == ["12", "0", "0", "0", "12"]
    assert recovery.ambiguous == {"table2": ["normative_docs"]}


def test_prose_mentioning_labels_is_no_table() -> None:
    text = ("全年办理行政复议 36 起，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件；"
            "涉及自然人80件、商业企业1件，予以公开22件，其他处理2件。行政许可2293项。")
    recovery = recover_rows(Paragraph(text=text, line=3, column=1), templates().get("2021"))
    assert recovery.rows == [] and recovery.ambiguous == {}


def test_section_names_without_ordinals_do_not_split() -> None:
    intro = Paragraph(text="本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                           "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况和其他需要报告的事项等六个部分。",
                      line=2, column=3)
    assert split_sections(intro) == [intro]
    text = "前言。 一、总体情况 正文一。二、主动公开政府信息情况  正文二"
    pieces = split_sections(Paragraph(text=text, line=4, column=5))
    assert [p.text for p in pieces] == ["前言。", "一、总体情况", "正文一。", "二、主动公开政府信息情况", "正文二"]
    assert all(text[p.column - 5:].startswith(p.text) and p.line == 4 for p in pieces)


@pytest.mark.parametrize("path", PINGTAN, ids=lambda p: p.stem)
def test_sections_of_a_one_line_text_hold_their_text(path: Path, linter: Linter) -> None:
    """Every section of the one-line crawler text has its own content (as in the .html)."""
    result = lint_path(linter, path, None)
    assert result.report is not None
    for key in ("overview", "problems", "other"):
        assert result.report.sections[key].text.strip(), key
    assert not {f.code for f in result.findings} & {"N004", "N005", "N006"}


def test_a_misspelt_heading_in_one_line_text_is_found_as_in_the_page(tmp_path: Path, linter: Linter) -> None:
    """行政法复议 for 行政复议 in section 四's heading: the crawler text and the saved page of the
    same report get the same finding about that heading."""
    found = []
    for suffix in (".txt", ".html"):
        original = (CORPUS / f"pingtan-2021{suffix}").read_text(encoding="utf-8")
        heading = "四、政府信息公开行政复议、行政诉讼情况"
        misspelt = original.replace(heading, heading.replace("行政复议", "行政法复议"), 1)
        assert misspelt != original
        target = tmp_path / f"pingtan-2021{suffix}"
        target.write_text(misspelt, encoding="utf-8")
        result = lint_path(linter, target, None)
        found.append({(f.code, f.message) for f in result.findings if "行政法复议" in f.message})
    assert found[0] and found[0] == found[1]
