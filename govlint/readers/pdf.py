"""PDF reader: text lines and ruled tables (pdfplumber) in reading order, tables joined across pages."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils.clustering import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import extract_text

from govlint.document import Document, DocumentWriter, Merge, Source
from govlint.errors import ReadError
from govlint.readers.cells import join_segments

MAX_PAGES = 500
"""PDFs with more pages are refused: no annual report comes near this."""

MAX_EDGES_PER_PAGE = 4_000
"""Rule segments on one page; a report page has fewer than a hundred."""

MAX_GRID_POINTS = 5_000
"""Rule positions across × rule positions down on one page (a report page: a few hundred).

pdfplumber's cell search is quadratic in rule crossings; this bounds it to well under a second.
"""

MAX_CHARS_PER_PAGE = 50_000
"""A dense A4 page holds a few thousand characters."""

TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
"""Ruled tables only (pdfplumber's default 3 pt tolerances), found among visible rules (`_is_rule`).

Unruled text never becomes a grid: the "text" strategy turns body paragraphs into tables. Per page,
`_closing_rules` adds the borders Word leaves out where a table is cut by a page break.
"""

MARGIN_BAND = 0.08
"""Share of the page height at the top and at the bottom where headers and footers live."""

RUNNING_HEADER_PAGES = 3
"""A margin line repeated on this many pages is a running header or footer."""

DUPLICATE_TOLERANCE = 1
"""Points within which a second copy of a character (same text, font and size) is a duplicate
(pdfplumber's `dedupe_chars` default): some PDF makers draw a character twice, slightly offset,
to simulate bold."""

_DUPLICATE_KEY = itemgetter("upright", "text", "fontname", "size")
_POSITION = itemgetter("doctop", "x0")

_OUTER_EDGE_TOLERANCE = 6.0
_INNER_EDGE_TOLERANCE = 3.0
_RULE_THICKNESS = 3.0
_HEADER_SCAN = 1024

_NOT_PDF = "文件不是有效的 PDF，可能已损坏"
_ENCRYPTED = "PDF 已加密，需要密码才能读取"
_NO_TEXT = "PDF 中没有可提取的文字，请提供 Word 原件或可复制文字的 PDF"
_SCANNED = "PDF 是扫描件，没有可读取的文字；请提供 Word 原件或可复制文字的 PDF"

SCAN_CHARS_PER_PAGE = 30
"""A PDF whose pages mostly carry images and that holds fewer text characters than this per page
(a page number, a scanner's stamp) is a scan: its report is in the pictures."""

_WIDE = (
    r"\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"  # quotes, dash, ellipsis and dot used as CJK punctuation
    r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
_SPACE_BETWEEN_WIDE = re.compile(rf"(?<=[{_WIDE}])\s+(?=[{_WIDE}])")
_DASHES = "-－—–―~～"
_DECORATED_PAGE_NUMBER = re.compile(
    rf"[{_DASHES}]+\d+[{_DASHES}]+"  # — 3 —, - 3 -
    r"|第\d+页(?:[,，/／]?共\d+页)?|共\d+页[,，/／]?第\d+页"  # 第 3 页 共 6 页
    r"|\d+[/／]\d+"  # 3/6
)
_BARE_PAGE_NUMBER = re.compile(rf"[{_DASHES}]*\d+[{_DASHES}]*")


@dataclass(frozen=True)
class _Line:
    """One visual text line outside tables."""

    text: str
    top: float
    in_margin: bool


@dataclass(frozen=True)
class _Grid:
    """One table as found on one page: cleaned cell texts and its column boundaries."""

    rows: list[list[str | Merge]]
    top: float
    edges: tuple[float, ...]


_Block = _Line | _Grid


def read(data: bytes, source_path: str) -> Document:
    """Read a PDF into a `Document`; raise `ReadError` for anything that cannot be read."""
    if b"%PDF-" not in data[:_HEADER_SCAN]:
        raise ReadError(source_path, _NOT_PDF)
    try:
        pages = _read_pages(data, source_path)
    except ReadError:
        raise
    except Exception as error:  # the boundary: pdfminer raises many unrelated types on bad input
        raise ReadError(source_path, _message_for(error)) from error
    writer = DocumentWriter(Source(path=source_path, format="pdf"))
    for block in _join_pages(_drop_page_furniture(pages)):
        if isinstance(block, _Line):
            writer.paragraph(block.text)
        else:
            writer.table(block.rows)
    document = writer.document()
    if not document.blocks:
        raise ReadError(source_path, _NO_TEXT)
    return document


def _message_for(error: Exception) -> str:
    """The user message for an exception raised while parsing."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    return _ENCRYPTED if isinstance(cause, PDFEncryptionError) else _NOT_PDF


def _read_pages(data: bytes, source_path: str) -> list[list[_Block]]:
    """The blocks of every page, each page in reading order."""
    pages: list[list[_Block]] = []
    pictured, characters = 0, 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page_count = _count_pages(pdf.doc)
        if page_count == 0:
            raise ReadError(source_path, _NOT_PDF)
        if page_count > MAX_PAGES:
            raise ReadError(source_path, f"PDF 超过 {MAX_PAGES} 页，不像是年度报告，已拒绝读取")
        for page in pdf.pages:
            pages.append(_page_blocks(page, source_path))
            pictured += bool(page.images)
            characters += len(page.chars)
            page.close()  # drop the parsed layout: memory stays bounded by one page
    if 2 * pictured >= len(pages) and characters < SCAN_CHARS_PER_PAGE * len(pages):
        raise ReadError(source_path, _SCANNED)
    return pages


def _count_pages(document: PDFDocument) -> int:
    """Pages in the page tree, counting no further than one past the limit."""
    return sum(1 for _ in islice(PDFPage.create_pages(document), MAX_PAGES + 1))


def _page_blocks(page: Page, source_path: str) -> list[_Block]:
    """Text lines outside tables and the tables of one page, ordered by their top."""
    shown = page.filter(_is_visible)
    unique = {id(char) for char in _unique_chars(shown.chars)}
    visible = shown.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in unique)
    edges = visible.edges
    too_many = (
        len(edges) > MAX_EDGES_PER_PAGE
        or _grid_points(edges) > MAX_GRID_POINTS
        or len(visible.chars) > MAX_CHARS_PER_PAGE
    )
    if too_many:
        raise ReadError(source_path, f"PDF 第 {page.page_number} 页图形或文字对象过多，无法读取")
    tables = visible.find_tables({**TABLE_SETTINGS, "explicit_horizontal_lines": _closing_rules(edges)})
    found = [(table, _cell_chars(table, visible.chars)) for table in tables]
    taken = {id(char) for _, rows in found for row in rows for cell in row if cell for char in cell}
    outside = visible.filter(lambda obj: id(obj) not in taken)
    band = page.height * MARGIN_BAND
    blocks: list[_Block] = [
        _Line(text, line["top"], line["bottom"] < band or line["top"] > page.height - band)
        for line in outside.extract_text_lines(return_chars=False)
        if (text := _clean(line["text"]))
    ]
    blocks.extend(_grid(table, rows) for table, rows in found)
    return sorted(blocks, key=lambda block: block.top)


def _unique_chars(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of characters sharing text, font and size within `DUPLICATE_TOLERANCE` down and across, the
    first by position: pdfplumber's `dedupe_chars` without its quadratic reordering (`list.index`)."""
    unique: list[dict[str, Any]] = []
    for _, same in groupby(sorted(chars, key=_DUPLICATE_KEY), key=_DUPLICATE_KEY):
        for line in _near(list(same), "doctop"):
            unique.extend(min(copies, key=_POSITION) for copies in _near(line, "x0"))
    return unique


def _near(chars: list[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    """Characters grouped by a coordinate, each within `DUPLICATE_TOLERANCE` of the next (pdfplumber's
    clustering); a character without a namesake is a group of its own, with nothing to compare."""
    return [chars] if len(chars) == 1 else cluster_objects(chars, itemgetter(key), DUPLICATE_TOLERANCE)


def _is_visible(obj: dict[str, Any]) -> bool:
    """Drop graphics that draw no rule: white lines, white fills and shading behind text."""
    kind = obj.get("object_type")
    if kind == "line":
        return not _is_white(obj.get("stroking_color"))
    if kind in ("rect", "curve"):
        return _is_rule(obj)
    return True


def _is_rule(obj: dict[str, Any]) -> bool:
    """A stroked outline, or a thin filled bar, in a colour that shows on white paper."""
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return True
    thin = min(obj["width"], obj["height"]) < _RULE_THICKNESS
    return bool(obj.get("fill")) and thin and not _is_white(obj.get("non_stroking_color"))


def _is_white(color: Any) -> bool:
    """Whether a gray, RGB or CMYK colour is (nearly) white."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(c, (int, float)) for c in color):
        return False
    if len(color) in (1, 3):
        return bool(min(color) >= 0.95)
    if len(color) == 4:
        return bool(max(color) <= 0.05)
    return False


def _grid_points(edges: Sequence[dict[str, Any]]) -> int:
    """Distinct vertical-rule positions times distinct horizontal-rule positions (snapped)."""
    snap = TABLE_SETTINGS["snap_tolerance"]
    xs = {round(edge["x0"] / snap) for edge in edges if edge["orientation"] == "v"}
    ys = {round(edge["top"] / snap) for edge in edges if edge["orientation"] == "h"}
    return len(xs) * len(ys)


def _closing_rules(edges: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules closing a table cut by a page break, whose vertical rules end in mid-air.

    Word does not draw the bottom border of a table that runs off the page, nor the top border
    where it resumes; without one the rows at the break are lost. Only the highest and the lowest
    vertical-rule ends of the page are considered, and only where one of them touches no rule.
    """
    verticals = [edge for edge in edges if edge["orientation"] == "v"]
    horizontals = [edge for edge in edges if edge["orientation"] == "h"]
    if len(verticals) < 2:
        return []
    rules: list[dict[str, Any]] = []
    highest, lowest = min(edge["top"] for edge in verticals), max(edge["bottom"] for edge in verticals)
    for end, y in (("top", highest), ("bottom", lowest)):
        group = [edge for edge in verticals if abs(edge[end] - y) <= _INNER_EDGE_TOLERANCE]
        if len(group) >= 2 and not all(_touches(edge["x0"], edge[end], horizontals) for edge in group):
            rules.append(_horizontal_rule(min(e["x0"] for e in group), max(e["x1"] for e in group), y))
    return rules


def _horizontal_rule(x0: float, x1: float, y: float) -> dict[str, Any]:
    """A horizontal edge in pdfplumber's form, for `explicit_horizontal_lines`."""
    return {
        "object_type": "line_edge",
        "orientation": "h",
        "x0": x0,
        "x1": x1,
        "width": x1 - x0,
        "top": y,
        "bottom": y,
        "height": 0,
    }


def _touches(x: float, y: float, horizontals: Sequence[dict[str, Any]]) -> bool:
    """Whether the point (x, y) lies on one of the horizontal rules."""
    tolerance = _INNER_EDGE_TOLERANCE
    return any(
        abs(edge["top"] - y) <= tolerance and edge["x0"] - tolerance <= x <= edge["x1"] + tolerance
        for edge in horizontals
    )


_CellChars = list[list[list[dict[str, Any]] | None]]
"""Per table row and grid position, the characters of the cell there; None where no cell starts."""


def _cell_chars(table: Table, chars: Sequence[dict[str, Any]]) -> _CellChars:
    """The characters whose centre lies in each cell (the rule of pdfplumber's `Table.extract`), each
    table row searched among the table's characters only and each cell among its row's."""
    centres = [(char, (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2) for char in chars]
    bbox = table.bbox  # a property: the extremes of all cells, computed anew on every access
    inside = [centre for centre in centres if _contains(bbox, centre[1], centre[2])]
    rows: _CellChars = []
    for row in table.rows:
        in_row = [centre for centre in inside if _contains(row.bbox, centre[1], centre[2])]
        rows.append([None if cell is None else [char for char, x, y in in_row if _contains(cell, x, y)]
                     for cell in row.cells])
    return rows


def _contains(bbox: tuple[float, float, float, float], x: float, y: float) -> bool:
    """Whether a point lies in a (x0, top, x1, bottom) box, right and bottom edges excluded."""
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def _grid(table: Table, cell_chars: _CellChars) -> _Grid:
    """A table's cells as cleaned text, positions covered by a merged cell marked."""
    boxes = [row.cells for row in table.rows]
    starts: dict[int, float] = {}
    for row_boxes in boxes:
        for index, box in enumerate(row_boxes):
            if box is not None:
                starts[index] = min(starts.get(index, box[0]), box[0])
    rows: list[list[str | Merge]] = []
    for row_chars, row_boxes in zip(cell_chars, boxes):
        rows.append([_clean(extract_text(chars) if chars else "") if chars is not None
                     else _merge_at(row_boxes, index, starts) for index, chars in enumerate(row_chars)])
    edges = sorted({round(cell[0], 1) for cell in table.cells} | {round(cell[2], 1) for cell in table.cells})
    return _Grid(rows, table.bbox[1], tuple(edges))


def _merge_at(row_boxes: Sequence[tuple[float, float, float, float] | None], index: int,
              starts: dict[int, float]) -> Merge:
    """Whether a position without a cell of its own continues the cell to its left (the left
    cell reaches over the position's start) or the cell above."""
    left = next((box for box in reversed(row_boxes[:index]) if box is not None), None)
    start = starts.get(index)
    if left is not None and start is not None and left[2] > start + _INNER_EDGE_TOLERANCE:
        return Merge.LEFT
    return Merge.UP


def _clean(text: str) -> str:
    """Cell or line text: spaces pdfminer put between wide characters dropped, lines joined."""
    return join_segments(_SPACE_BETWEEN_WIDE.sub("", line) for line in text.split("\n"))


def _drop_page_furniture(pages: list[list[_Block]]) -> list[list[_Block]]:
    """Remove page numbers and running headers/footers repeated in the margins of 3+ pages."""
    seen = Counter(
        text for page in pages for text in {b.text for b in page if isinstance(b, _Line) and b.in_margin}
    )
    running = {text for text, count in seen.items() if count >= RUNNING_HEADER_PAGES}
    return [[block for block in page if not _is_furniture(block, running)] for page in pages]


def _is_furniture(block: _Block, running: set[str]) -> bool:
    """Whether a block is a page number or a running header/footer."""
    if not isinstance(block, _Line):
        return False
    return _is_page_number(block) or (block.in_margin and block.text in running)


def _is_page_number(line: _Line) -> bool:
    """A page number: a decorated form (— 3 —, 第3页, 3/6) anywhere, a bare number in the margins."""
    text = "".join(line.text.split())
    if _DECORATED_PAGE_NUMBER.fullmatch(text):
        return True
    return line.in_margin and _BARE_PAGE_NUMBER.fullmatch(text) is not None


def _join_pages(pages: Iterable[list[_Block]]) -> list[_Block]:
    """All blocks in order; a table ending one page and continued at the top of the next is one table."""
    blocks: list[_Block] = []
    previous_ends_with_table = False
    for page in pages:
        if not page:
            previous_ends_with_table = False
            continue
        first = page[0]
        upper = blocks[-1] if previous_ends_with_table else None
        rest = page
        if (isinstance(upper, _Grid) and isinstance(first, _Grid) and _continues(upper, first)
                and _width(upper) == _width(first)):
            rows = _rejoin_split_row(upper.rows, _without_repeated_header(upper.rows, first.rows))
            blocks[-1] = _Grid(rows, upper.top, upper.edges)
            rest = page[1:]
        elif isinstance(upper, _Grid) and isinstance(first, _Grid) and _continues(upper, first):
            laid = _laid_onto(upper, first)
            rows = _rejoin_split_row(upper.rows, [laid]) if laid is not None else [*upper.rows, []]
            if len(rows) == len(upper.rows):  # its first row ended the row above: the rest stands apart
                blocks[-1] = _Grid(rows, upper.top, upper.edges)
                rest = [_Grid(first.rows[1:], first.top, first.edges), *page[1:]] if first.rows[1:] else page[1:]
        blocks.extend(rest)
        previous_ends_with_table = isinstance(blocks[-1], _Grid)
    return blocks


_DIGITS = re.compile(r"\d")


def _rejoin_split_row(upper: list[list[str | Merge]], lower: list[list[str | Merge]]) -> list[list[str | Merge]]:
    """The rows of a table continued on the next page, with a row the page break cut in two made
    whole again: when the continuation's first row holds text only (no digit) while the row above
    holds digits, and has a cell of its own wherever that row has one, its texts end the cells
    above (`1.本机关不掌握相关政` + `府信息`)."""
    if not upper or not lower:
        return upper + lower
    above, first = upper[-1], lower[0]
    texts = [c for c in first if not isinstance(c, Merge) and c]
    if (not texts or any(_DIGITS.search(t) for t in texts)
            or not any(not isinstance(c, Merge) and _DIGITS.search(c) for c in above)
            or any(not isinstance(a, Merge) and isinstance(b, Merge) for a, b in zip(above, first))):
        return upper + lower
    joined: list[str | Merge] = [a if isinstance(b, Merge) or not b else (b if isinstance(a, Merge) else a + b)
                                 for a, b in zip(above, first)]
    return [*upper[:-1], joined, *lower[1:]]


def _laid_onto(upper: _Grid, lower: _Grid) -> list[str | Merge] | None:
    """The first row of a continuation whose columns differ from the part above, its texts laid
    onto the upper part's columns by where they stand across the page; None if the columns of
    either part cannot be told from its edges."""
    if len(upper.edges) - 1 != _width(upper) or len(lower.edges) - 1 != _width(lower) or not lower.rows:
        return None
    laid: list[str | Merge] = [""] * _width(upper)
    row = lower.rows[0]
    for index, cell in enumerate(row):
        if isinstance(cell, Merge) or not cell:
            continue
        end = index + 1
        while end < len(row) and row[end] is Merge.LEFT:
            end += 1
        left, right = lower.edges[index], lower.edges[end]
        columns = [i for i in range(_width(upper)) if upper.edges[i] < right - _INNER_EDGE_TOLERANCE
                   and upper.edges[i + 1] > left + _INNER_EDGE_TOLERANCE]
        if len(columns) != 1:
            return None  # a cell across several columns (a block label) is a row of its own
        laid[columns[0]] = f"{laid[columns[0]]}{cell}"
    return laid


def _width(grid: _Grid) -> int:
    """The number of grid positions of a table's rows: a continuation of another width is kept
    apart, since its positions are not the columns of the part above."""
    return max((len(row) for row in grid.rows), default=0)


def _continues(upper: _Grid, lower: _Grid) -> bool:
    """Same outer edges, and the same column count or one set of column boundaries within the other."""
    if abs(upper.edges[0] - lower.edges[0]) > _OUTER_EDGE_TOLERANCE:
        return False
    if abs(upper.edges[-1] - lower.edges[-1]) > _OUTER_EDGE_TOLERANCE:
        return False
    inner_upper, inner_lower = upper.edges[1:-1], lower.edges[1:-1]
    return (
        len(inner_upper) == len(inner_lower)
        or _within(inner_upper, inner_lower)
        or _within(inner_lower, inner_upper)
    )


def _within(some: Sequence[float], others: Sequence[float]) -> bool:
    """Whether every boundary in `some` has one in `others` close by."""
    return all(any(abs(x - y) <= _INNER_EDGE_TOLERANCE for y in others) for x in some)


def _without_repeated_header(upper: list[list[str | Merge]], lower: list[list[str | Merge]]) -> list[list[str | Merge]]:
    """The continuation's rows minus a leading repeat of the table's first rows (its header)."""
    repeated = 0
    limit = min(len(upper) - 1, len(lower))
    while repeated < limit and any(lower[repeated]) and lower[repeated] == upper[repeated]:
        repeated += 1
    return lower[repeated:]
