"""The .docx reader on the 2021 Word template filled with numbers, and on hostile files."""

from __future__ import annotations

import io
import itertools
import os
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from govlint.document import Document, Paragraph, Table
from govlint.errors import ReadError
from govlint.readers import docx as docx_reader
from tests.conftest import assert_positions

TEMPLATE = Path(__file__).parent.parent / "fixtures" / "templates" / "template-2021.docx"
TEMPLATE_BYTES = TEMPLATE.read_bytes()
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE2_ROWS = ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")


def fill_template(path: Path) -> dict[str, list[str]]:
    """Write the template with a distinct number in every data cell to `path`.

    Returns, per table row (keyed by its last label cell, or "table4"), the numbers written in
    reading order. Merged cells are written once.
    """
    document = docx.Document(str(TEMPLATE))
    numbers = (str(n) for n in itertools.count(101, 7))
    written: dict[str, list[str]] = {}
    table2, table3, table4 = document.tables
    for row in table2.rows:
        if row.cells[0].text in TABLE2_ROWS:
            written[row.cells[0].text] = _fill_row(row.cells[1:], numbers)
    for row in table3.rows[3:]:
        label = next(cell.text for cell in reversed(row.cells[:3]) if cell.text.strip())
        written[label] = _fill_row(row.cells[3:], numbers)
    written["table4"] = _fill_row(table4.rows[3].cells, numbers)
    document.save(str(path))
    return written


def _fill_row(cells: Sequence[_Cell], numbers: Iterator[str]) -> list[str]:
    """Put the next number into each distinct cell (merged cells repeat in python-docx)."""
    seen: set[int] = set()
    written = []
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cell.text = next(numbers)
            written.append(cell.text)
    return written


def tables(document: Document) -> list[list[list[str]]]:
    """The table grids of a document as plain text."""
    grids = [block for block in document.blocks if isinstance(block, Table)]
    return [[[cell.text for cell in row] for row in grid.rows] for grid in grids]



@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, dict[str, list[str]]]:
    """The filled template, read back, and the numbers written into it."""
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    written = fill_template(path)
    return docx_reader.read(path.read_bytes(), str(path)), written


def test_every_number_comes_back_next_to_its_label(filled: tuple[Document, dict[str, list[str]]]) -> None:
    document, written = filled
    grids = tables(document)
    assert len(grids) == 3
    for label, numbers in written.items():
        if label == "table4":
            continue
        rows = [row for grid in grids[:2] for row in grid if label in row]
        assert len(rows) == 1, label
        after = rows[0][rows[0].index(label) + 1 :]
        assert [text for text in after if text] == numbers, label
    assert grids[2][3] == written["table4"]
    assert len(written["table4"]) == 15


def test_merged_cells_are_blank_not_repeated(filled: tuple[Document, dict[str, list[str]]]) -> None:
    document, written = filled
    table2, table3, table4 = tables(document)
    assert table2[0] == ["第二十条第（一）项", "", "", ""]
    assert table2[5] == ["信息内容", "本年处理决定数量", "", ""]
    assert table2[6] == ["行政许可", *written["行政许可"], "", ""]
    assert table3[:3] == [
        [NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    assert [row[0] for row in table3[3:]] == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
    ] + [""] * 21 + ["四、结转下年度继续办理"]
    assert [row[1] for row in table3[5:15]] == [
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
    ] + [""] * 7
    assert table3[5][2] == "" and table3[7][2] == "1.属于国家秘密"
    assert table3[-1][:3] == ["四、结转下年度继续办理", "", ""]
    assert table4[0] == ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9
    assert table4[2][:5] == ["", "", "", "", ""]


def test_paragraphs_inside_a_cell_join_without_spaces(filled: tuple[Document, dict[str, list[str]]]) -> None:
    table4 = tables(filled[0])[2]
    assert table4[1][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_body_paragraphs_and_tables_keep_their_order(filled: tuple[Document, dict[str, list[str]]]) -> None:
    document, _ = filled
    order = [block.text if isinstance(block, Paragraph) else "TABLE" for block in document.blocks]
    assert order == [
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "（文字描述）",
        "二、主动公开政府信息情况",
        "TABLE",
        "三、收到和处理政府信息公开申请情况",
        "TABLE",
        "四、政府信息公开行政复议、行政诉讼情况",
        "TABLE",
        "五、存在的主要问题及改进情况",
        "（文字描述）",
        "六、其他需要报告的事项",
        "（文字描述，收取信息处理费情况在此处报告。）",
    ]


def test_positions_point_at_text(filled: tuple[Document, dict[str, list[str]]]) -> None:
    assert_positions(filled[0])


def test_blank_template_reads() -> None:
    document = docx_reader.read(TEMPLATE_BYTES, str(TEMPLATE))
    assert_positions(document)
    assert tables(document)[0][2] == ["规章", "", "", ""]


def test_nested_table_text_stays_in_its_cell(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "规章"
    outer.cell(0, 1).text = "5"
    inner = outer.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内"
    inner.cell(0, 1).text = "表"
    outer.cell(1, 0).text = "行政许可"
    path = tmp_path / "nested.docx"
    document.save(str(path))
    result = docx_reader.read(path.read_bytes(), str(path))
    assert tables(result) == [[["规章", "5"], ["行政许可", "内表"]]]
    assert_positions(result)


def _element(tag: str, text: str | None = None, **attributes: str) -> OxmlElement:
    """A WordprocessingML element, e.g. `_element("w:t", "文字")`."""
    element = OxmlElement(tag, attrs={qn(f"w:{name}"): value for name, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _run(text: str, tag: str = "w:t") -> OxmlElement:
    """A `w:r` holding `text` in a `tag` element."""
    run = _element("w:r")
    run.append(_element(tag, text))
    return run


def test_merge_continuations_and_grid_before_are_blank(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row_index, row in enumerate(table.rows):
        for column_index, cell in enumerate(row.cells):
            cell.text = f"{row_index}{column_index}"
    table.cell(0, 0).merge(table.cell(1, 0))
    continuation = table.rows[1]._tr.tc_lst[0]
    continuation.append(_element("w:p"))
    continuation[-1].append(_run("残留"))
    last = table.rows[2]._tr
    last.remove(last.tc_lst[0])
    last.get_or_add_trPr().append(_element("w:gridBefore", val="1"))
    path = tmp_path / "merged.docx"
    document.save(str(path))
    result = docx_reader.read(path.read_bytes(), str(path))
    assert tables(result) == [[["00 10", "01", "02"], ["", "11", "12"], ["", "21", "22"]]]


def test_paragraph_text_includes_revisions_and_wrappers_but_not_deletions(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("本年")._p
    inserted = _element("w:ins", id="1", author="clerk", date="2024-01-01T00:00:00Z")
    inserted.append(_run("新收"))
    deleted = _element("w:del", id="2", author="clerk", date="2024-01-01T00:00:00Z")
    deleted.append(_run("删除", tag="w:delText"))
    smart_tag = _element("w:smartTag", element="place")
    smart_tag.append(_run("政府信息"))
    paragraph.extend([inserted, deleted, smart_tag, _run("", tag="w:br"), _run("公开申请")])
    path = tmp_path / "revisions.docx"
    document.save(str(path))
    assert docx_reader.read(path.read_bytes(), str(path)).lines == ("本年新收政府信息", "公开申请")


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip archive holding `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _template_with(name: str, content: bytes) -> bytes:
    """The template package with one member replaced."""
    with zipfile.ZipFile(TEMPLATE) as template:
        members = {info.filename: template.read(info) for info in template.infolist()}
    members[name] = content
    return _zip(members)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (TEMPLATE_BYTES[: len(TEMPLATE_BYTES) // 2], "不是有效的 .docx"),
        (os.urandom(4096), "不是有效的 .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "已加密或是旧版 Word 格式"),
        (_zip({"hello.txt": b"hello"}), "不是有效的 .docx"),
        (_template_with("word/document.xml", b"<w:document><w:body>"), "不是有效的 .docx"),
        (_template_with("[Content_Types].xml", b"\x00garbage"), "不是有效的 .docx"),
    ],
    ids=["truncated", "random-bytes", "ole-header", "zip-not-word", "broken-xml", "broken-content-types"],
)
def test_hostile_files_are_read_errors(data: bytes, message: str) -> None:
    with pytest.raises(ReadError) as caught:
        docx_reader.read(data, "bad.docx")
    assert message in caught.value.message


def _bomb(path: Path, megabytes: int) -> bytes:
    """A zip with one member of `megabytes` MB of zeros, written in a streaming way."""
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(chunk)
    return path.read_bytes()


@pytest.mark.parametrize(("megabytes", "message"), [(300, "超过 200 MB"), (30, "压缩比异常")])
def test_zip_bombs_are_refused(tmp_path: Path, megabytes: int, message: str) -> None:
    data = _bomb(tmp_path / "bomb.docx", megabytes)
    with pytest.raises(ReadError) as caught:
        docx_reader.read(data, "bomb.docx")
    assert message in caught.value.message


def test_document_without_text_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(ReadError, match="没有可读取的文字"):
        docx_reader.read(path.read_bytes(), str(path))
