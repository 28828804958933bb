"""Reader for .docx (Word 2007+): body paragraphs and tables in order → `Document`.

The package is vetted with zipfile first (encrypted files, legacy .doc, zip bombs), then opened
with python-docx; merged cells are expanded into grids whose covered positions are "".
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
import lxml.etree
from docx.oxml.ns import qn

from govlint.document import Document, DocumentWriter, Merge, Source
from govlint.errors import ReadError
from govlint.readers.cells import collapse, join_segments

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
"""Compound File header: a legacy .doc, or an encrypted .docx (Office wraps those in OLE)."""
_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_MAX_RATIO = 200
_RATIO_FLOOR = 20 * 1024 * 1024
"""A member is a bomb when it expands more than _MAX_RATIO times AND beyond _RATIO_FLOOR bytes."""
_MAX_GRID_COLUMNS = 63
"""Word tables have at most 63 columns; larger span values in the XML are junk."""

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_CONTAINERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
"""Wrappers whose children are body content (content controls, custom XML)."""
_W_T = qn("w:t")
_MARKS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
"""Run content that stands for a character."""
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_IN_PARAGRAPH = frozenset({qn("w:pPr"), qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK})
"""Properties (tab stops), text boxes (their own paragraphs), deleted or moved-away revisions,
and the duplicate fallback of alternate content."""

_NOT_DOCX = "文件不是有效的 .docx（Word）文档，可能已损坏"
_NO_TEXT = "文档中没有可读取的文字"


def read(data: bytes, source_path: str) -> Document:
    """Read one Word document into a `Document`."""
    _vet_package(data, source_path)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as error:  # python-docx raises many types for malformed packages
        raise ReadError(source_path, _NOT_DOCX) from error
    if body is None:  # a `<w:document/>` without `<w:body>` holds no text at all
        raise ReadError(source_path, _NO_TEXT)
    writer = DocumentWriter(Source(path=source_path, format="docx"))
    for element in _blocks(body):
        if element.tag == _W_TBL:
            writer.table(_grid(element))
        else:
            for line in _paragraph_text(element).split("\n"):
                writer.paragraph(collapse(line))
    document = writer.document()
    if not document.blocks:
        raise ReadError(source_path, _NO_TEXT)
    return document


def _vet_package(data: bytes, source_path: str) -> None:
    """Refuse what python-docx must not see: OLE files, non-zips, and zip bombs."""
    if data.startswith(_OLE_MAGIC):
        raise ReadError(source_path,
                        "文件已加密或是旧版 Word 格式（.doc），请取消密码或在 Word 中另存为 .docx 后再检查")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ReadError(source_path, _NOT_DOCX) from error
    total = sum(member.file_size for member in members)
    if total > _MAX_UNCOMPRESSED:
        raise ReadError(source_path,
                        f"文件解压后超过 {_MAX_UNCOMPRESSED // 1048576} MB，可能是恶意构造的压缩包，已拒绝读取")
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(member.compress_size, 1):
            raise ReadError(source_path, "文件中有压缩比异常的部件，可能是恶意构造的压缩包，已拒绝读取")


def _blocks(body: lxml.etree._Element) -> Iterator[lxml.etree._Element]:
    """Body paragraphs and tables in document order, looking inside content controls."""
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if element.tag in (_W_P, _W_TBL):
            yield element
        elif element.tag in _CONTAINERS:
            stack.extend(reversed(element))


def _paragraph_text(paragraph: lxml.etree._Element) -> str:
    """The visible text of one paragraph, including hyperlinks, tracked insertions and fields."""
    parts: list[str] = []
    walker = lxml.etree.iterwalk(paragraph, events=("start",))
    for _, element in walker:
        if element.tag in _SKIPPED_IN_PARAGRAPH:
            walker.skip_subtree()
        elif element.tag == _W_T:
            parts.append(element.text or "")
        elif element.tag in _MARKS:
            parts.append(_MARKS[element.tag])
    return "".join(parts)


def _grid(table: lxml.etree._Element) -> list[list[str | Merge]]:
    """The table as rows of cell texts; merged cells hold their text once, the rest is marked."""
    rows: list[list[str | Merge]] = []
    for tr in _own(table, _W_TR):
        row: list[str | Merge] = [""] * _grid_before(tr)
        for tc in _own(table, _W_TC, within=tr):
            span = _grid_span(tc)
            row.append(Merge.UP if _is_continuation(tc) else _cell_text(tc))
            row.extend([Merge.LEFT] * (span - 1))
        rows.append(row)
    return rows


def _own(
    table: lxml.etree._Element, tag: str, within: lxml.etree._Element | None = None
) -> Iterator[lxml.etree._Element]:
    """Rows or cells of `table` itself (also inside content controls), not of tables nested in it."""
    for element in (table if within is None else within).iter(tag):
        if next(element.iterancestors(_W_TBL), None) is table:
            yield element


def _grid_before(tr: lxml.etree._Element) -> int:
    """Grid columns skipped before a row's first cell (`w:gridBefore`)."""
    return _grid_value(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), default=0)


def _grid_span(tc: lxml.etree._Element) -> int:
    """Grid columns a cell spans horizontally (`w:gridSpan`)."""
    return max(1, _grid_value(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), default=1))


def _is_continuation(tc: lxml.etree._Element) -> bool:
    """Whether a cell continues a vertical (`w:vMerge`) or legacy horizontal (`w:hMerge`) merge."""
    for name in ("w:vMerge", "w:hMerge"):
        merge = tc.find(f"{qn('w:tcPr')}/{qn(name)}")
        if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
            return True
    return False


def _grid_value(element: lxml.etree._Element | None, default: int) -> int:
    """A column count in `w:val` (at most 63), or `default` when absent or malformed."""
    value = element.get(qn("w:val"), "") if element is not None else ""
    return min(int(value[:6]), _MAX_GRID_COLUMNS) if value.isascii() and value.isdigit() else default


def _cell_text(tc: lxml.etree._Element) -> str:
    """A cell's paragraphs and lines (nested tables included) joined; no space between Chinese."""
    return join_segments(line for p in tc.iter(_W_P) for line in _paragraph_text(p).split("\n"))
