"""The HTML reader on the real corpus pages and on synthetic markup (spans, merges, hostile input)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from govlint.document import Document, Paragraph, Table
from govlint.errors import ReadError
from govlint.readers import html
from tests.conftest import TABLE3_LABELS, assert_positions

CORPUS = Path(__file__).parent.parent / "fixtures" / "corpus"
PAGES = ["pingtan-2019", "pingtan-2021", "pingtan-2023", "pingtan-2025", "shuyang-drc-2023"]

SECTION_PREFIXES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议",
    "五、存在",
    "六、其他需要报告的事项",
]
TABLE2_LABELS = {
    "rules": "规章",
    "normative_docs": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}


def read(markup: str | bytes) -> Document:
    """Read synthetic markup (str is encoded as UTF-8)."""
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    return html.read(data, "page.html")


def tables(document: Document) -> list[list[list[str]]]:
    """The table grids of a document as plain text."""
    grids = [block for block in document.blocks if isinstance(block, Table)]
    return [[[cell.text for cell in row] for row in grid.rows] for grid in grids]


def paragraphs(document: Document) -> list[str]:
    """The paragraph texts of a document."""
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]



def rendered(value: object) -> str:
    """A truth value as the cell text that shows it."""
    return value if isinstance(value, str) else str(value)


def row_numbers(document: Document, label: str) -> list[str]:
    """The non-empty cells after `label` in the one table row whose cell contains it."""
    matches = []
    for grid in tables(document):
        for row in grid:
            hits = [index for index, text in enumerate(row) if label in text]
            if hits:
                matches.append([text for text in row[hits[-1] + 1 :] if text])
    assert len(matches) == 1, f"{label}: {len(matches)} rows"
    return matches[0]


@pytest.fixture(scope="module", params=PAGES)
def page(request: pytest.FixtureRequest) -> tuple[Document, dict]:
    """A corpus page, read, with its truth."""
    name = request.param
    document = html.read((CORPUS / f"{name}.html").read_bytes(), f"{name}.html")
    return document, json.loads((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))


def test_corpus_page_has_title_and_sections_in_order(page: tuple[Document, dict]) -> None:
    document, _ = page
    texts = paragraphs(document)
    assert any("政府信息公开" in text and "年度报告" in text for text in texts)
    positions = []
    for prefix in SECTION_PREFIXES:
        start = positions[-1] + 1 if positions else 0
        positions.append(next(i for i, text in enumerate(texts) if i >= start and text.startswith(prefix)))
    assert positions == sorted(positions)


def test_corpus_tables_sit_between_their_headings(page: tuple[Document, dict]) -> None:
    document, _ = page
    order = [
        ("heading", block.text[:2]) if isinstance(block, Paragraph) else ("table", block.rows[0][0].text[:8])
        for block in document.blocks
        if isinstance(block, Table) or block.text.startswith(("二、", "三、", "四、", "五、"))
    ]
    kinds = [kind for kind, _ in order]
    assert kinds == ["heading", "table", "heading", "table", "heading", "table", "heading"]
    assert order[3][1] == "（本列数据的勾稽"


def test_corpus_table3_rows_hold_the_truth(page: tuple[Document, dict]) -> None:
    document, truth = page
    for key, cells in truth["table3"].items():
        expected = [rendered(value) for value in cells.values() if value is not None]
        assert row_numbers(document, TABLE3_LABELS[key]) == expected, key


def test_corpus_table2_rows_hold_the_truth(page: tuple[Document, dict]) -> None:
    document, truth = page
    for key, cells in truth["table2"].items():
        expected = [rendered(value) for value in cells.values() if value is not None]
        assert row_numbers(document, TABLE2_LABELS[key]) == expected, key


def test_corpus_table4_numbers_in_one_row(page: tuple[Document, dict]) -> None:
    document, truth = page
    expected = [rendered(value) for block in truth["table4"].values() for value in block.values()]
    grid = next(grid for grid in tables(document) if grid[0][0] == "行政复议")
    assert [text for text in grid[-1] if text] == expected


def test_corpus_positions_point_at_text(page: tuple[Document, dict]) -> None:
    assert_positions(page[0])


def test_corpus_page_leaves_out_menus_footers_and_scripts(page: tuple[Document, dict]) -> None:
    text = "\n".join(page[0].lines)
    for junk in ("ICP备", "友情链接", "function", "var ", "{"):
        assert junk not in text


def test_spans_are_expanded_with_blanks() -> None:
    document = read(
        """<table>
        <tr><td rowspan="2" colspan="2">A</td><td colspan="2">B</td></tr>
        <tr><td>c</td><td rowspan="2">d</td></tr>
        <tr><td>e</td><td colspan="2">f</td></tr>
        </table>"""
    )
    assert tables(document) == [
        [["A", "", "B", ""], ["", "", "c", "d"], ["e", "f", "", ""]],
    ]
    assert_positions(document)


def test_junk_span_values_count_as_one() -> None:
    document = read('<table><tr><td colspan="x">1</td><td rowspan="0">2</td><td colspan="2.5">3</td></tr></table>')
    assert tables(document) == [[["1", "2", "3", ""]]]


def test_labels_split_across_spans_are_joined_without_spaces() -> None:
    document = read(
        """<p><span>本年新收</span><span>政府信息</span><font>公开申请</font><o:p></o:p></p>
        <table><tr><td><p><span>商业</span>
        <span>企业</span></p></td><td><p>科研</p><p>机构</p></td><td>总<br>计</td>
        <td><p>Total</p><p>count</p></td></tr></table>"""
    )
    assert paragraphs(document) == ["本年新收政府信息公开申请"]
    assert tables(document) == [[["商业企业", "科研机构", "总计", "Total count"]]]


def test_nbsp_cells_are_blank_and_nbsp_text_is_a_space() -> None:
    document = read(
        "<p>规章&nbsp;&nbsp;制度</p>"
        "<table><tr><td>规章</td><td>&nbsp;</td><td><p>&nbsp;</p></td><td>7</td></tr></table>"
    )
    assert paragraphs(document) == ["规章 制度"]
    assert tables(document) == [[["规章", "", "", "7"]]]
    assert_positions(document)


def test_script_style_and_comments_are_dropped() -> None:
    document = read(
        """<html><head><title>标题</title><style>p { color: red }</style></head><body>
        <script>var secret = 1;</script><noscript>请启用脚本</noscript>
        <!-- 注释 --><p>正文<!--[if gte mso 9]><xml>mso</xml><![endif]-->内容</p>
        <template><p>模板</p></template></body></html>"""
    )
    assert document.lines == ("正文内容",)


def test_br_and_blocks_make_paragraphs_in_order_around_tables() -> None:
    document = read(
        """<div>一、总体情况<br/>第一行<br>第二行</div>
        <table><tr><td>规章</td><td>1</td></tr></table>
        中间文字
        <table><tr><td>行政许可</td><td>2</td></tr></table>
        <h2>三、收到</h2><ul><li>甲</li><li>乙</li></ul>"""
    )
    kinds = [block.text if isinstance(block, Paragraph) else "TABLE" for block in document.blocks]
    assert kinds == ["一、总体情况", "第一行", "第二行", "TABLE", "中间文字", "TABLE", "三、收到", "甲", "乙"]
    assert_positions(document)


def test_layout_table_flows_and_inner_table_becomes_a_grid() -> None:
    document = read(
        """<table><tr><td>网站导航</td></tr><tr><td><p>报告正文</p>
        <table><tr><td>规章</td><td>1</td></tr><tr><td>规范性文件</td><td>2</td></tr></table>
        <p>结尾</p></td></tr></table>"""
    )
    assert paragraphs(document) == ["网站导航", "报告正文", "结尾"]
    assert tables(document) == [[["规章", "1"], ["规范性文件", "2"]]]


def test_article_is_found_among_menus_and_footer() -> None:
    rows = "".join(f"<tr><td>项目{i}</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(5))
    menu = "".join(f"<li>栏目{i}</li>" for i in range(80))
    document = read(
        f"""<body><ul class="nav">{menu}</ul><div class="main">
        <h1>某县2023年政府信息公开工作年度报告</h1><div class="byline">来源：县政府</div>
        <div class="content"><p>一、总体情况</p><p>{"正文" * 200}</p><table>{rows}</table><p>六、其他</p></div>
        </div><div class="footer">{"版权所有" * 60}</div></body>"""
    )
    texts = paragraphs(document)
    assert texts[0] == "某县2023年政府信息公开工作年度报告"
    assert texts[-1] == "六、其他"
    assert not any(text.startswith(("栏目", "版权所有")) for text in texts)


def test_gbk_page_with_meta_charset_decodes() -> None:
    markup = '<html><head><meta charset="gbk"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    document = read(markup.encode("gbk"))
    assert paragraphs(document) == ["政府信息公开工作年度报告"]
    assert document.source.encoding == "gb18030"


def test_http_equiv_gb2312_and_undeclared_gbk_decode() -> None:
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>申请人情况</p>'
    assert paragraphs(read(declared.encode("gbk"))) == ["申请人情况"]
    assert paragraphs(read("<p>本年度办理结果</p>".encode("gb18030"))) == ["本年度办理结果"]


def test_stale_gbk_declaration_on_utf8_bytes_reads_as_utf8() -> None:
    document = read('<meta charset="gb2312"><p>政府信息公开工作年度报告</p>'.encode())
    assert paragraphs(document) == ["政府信息公开工作年度报告"]
    assert document.source.encoding == "utf-8"


@pytest.mark.parametrize("label", ["rot13", "zlib", "base64", "idna", "utf-16", '"', "", "no-such-charset"])
def test_unusable_charset_declarations_fall_back_to_detection(label: str) -> None:
    assert paragraphs(read(f'<meta charset="{label}"><p>总体情况</p>'.encode("gbk"))) == ["总体情况"]


def test_bom_wins_over_a_wrong_meta() -> None:
    data = b"\xef\xbb\xbf" + '<meta charset="gbk"><p>总体情况</p>'.encode()
    assert paragraphs(read(data)) == ["总体情况"]


def test_deep_nesting_fails_cleanly() -> None:
    markup = "<html><body><p>开头</p>" + "<div>" * 100_000 + "深处" + "</div>" * 100_000 + "</body></html>"
    try:
        document = read(markup)
    except ReadError as error:
        assert error.message == "HTML 嵌套层级过深，无法解析"
    else:
        assert "深处" in "".join(document.lines)


def test_hostile_spans_are_bounded() -> None:
    row = '<tr><td colspan="1000" rowspan="65534">1</td></tr>'
    with pytest.raises(ReadError, match="表格过大"):
        read("<table>" + row * 500 + "</table>")


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body></body></html>",
        "<html><head><title>只有标题</title></head><body><script>x()</script><p>&nbsp;</p></body></html>",
        "<!-- 只有注释 -->",
    ],
)
def test_page_without_text_is_a_read_error(markup: str) -> None:
    with pytest.raises(ReadError) as caught:
        read(markup)
    assert caught.value.message == "页面中没有可读取的正文"


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff" * 64, b"%PDF-1.7\n\x00\x00", bytes(range(256)) * 8])
def test_binary_input_is_a_read_error_or_harmless(data: bytes) -> None:
    with contextlib.suppress(ReadError):
        assert_positions(read(data))
