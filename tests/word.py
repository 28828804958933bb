"""The blank 2021 Word template (tests/fixtures/templates/template-2021.docx) filled in with
python-docx the way clerks fill it: a title, the narrative placeholders and every table cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from govlint.report.templates import templates

TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "templates" / "template-2021.docx"

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
