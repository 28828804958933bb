"""Reader for .html/.htm: saved portal pages and Word-pasted CMS markup → `Document`.

The article is located heuristically (menus and footers are left out), then its blocks are laid
out in document order: one paragraph per block element or `<br>`-separated line, one grid per table.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from govlint.document import Document, DocumentWriter, Merge, Source
from govlint.errors import ReadError
from govlint.readers.cells import collapse, join_segments
from govlint.readers.decoding import decode

Grid = list[list[str | Merge]]

_SNIFF_BYTES = 4096
"""How much of the file is searched for a `<meta>` charset declaration."""

_DROPPED_TAGS = ("script", "style", "noscript", "head", "template", "iframe", "object", "svg")
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_MAX_COLSPAN = 1000
"""The HTML standard clamps colspan to 1000."""
_MAX_GRID_CELLS = 200_000
"""More expanded table positions than this in one page is not a report; refuse it."""

_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_NUMBER_CELL = re.compile(r"[-+]?\d[\d,.]*%?")
_MIN_NUMBER_CELLS = 3
"""A table with at least this many numeric cells is a data table (not layout or a footer)."""
_CLIMB_SLACK = 300
"""The article container may grow by this many characters (or 5 %) to take in title and byline."""
_NOT_XML_CHARS = {**dict.fromkeys([*range(0x09), 0x0B, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]), 0x0C: " "}
"""Characters an XML tree cannot hold: C0 controls render as nothing and are dropped, a form feed
is HTML whitespace (a space). Left in, lxml refuses the text when a dropped element's tail moves."""


def read(data: bytes, source_path: str) -> Document:
    """Read one HTML page into a `Document`."""
    text, encoding = _decode(data, source_path)
    body = _parse(text, source_path)
    writer = DocumentWriter(Source(path=source_path, format="html", encoding=encoding))
    budget = _GridBudget(source_path)
    for block in _flow(_article(body)):
        if isinstance(block, str):
            writer.paragraph(block)
        else:
            writer.table(_grid(block, budget))
    document = writer.document()
    if not document.blocks:
        raise ReadError(source_path, "页面中没有可读取的正文")
    return document


# --- decoding -------------------------------------------------------------------------------


def _decode(data: bytes, source_path: str) -> tuple[str, str]:
    """Bytes → text: a BOM first, then the page's own `<meta>` charset, then detection.

    Non-ASCII bytes that are valid UTF-8 are UTF-8 whatever the page declares: saved pages
    often keep a stale GBK declaration, and GBK text practically never validates as UTF-8.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, source_path)
    declared = _declared_charset(data[:_SNIFF_BYTES])
    if declared is not None and not _is_non_ascii_utf8(data):
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError):
            pass  # a wrong declaration, or a codec that is not a text encoding: detect instead
    return decode(data, source_path)


def _is_non_ascii_utf8(data: bytes) -> bool:
    """Whether the bytes hold non-ASCII text that is valid UTF-8 (then `decode` picks UTF-8)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_charset(head: bytes) -> str | None:
    """The codec named by `<meta charset>` or `<meta http-equiv content=…charset=…>`, if usable."""
    try:
        root = lxml.html.document_fromstring(head, parser=lxml.html.HTMLParser(encoding="iso-8859-1"))
    except (lxml.etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        label = meta.get("charset")
        if label is None and (meta.get("http-equiv") or "").strip().lower() == "content-type":
            label = _charset_from_content(meta.get("content") or "")
        if label:
            return _codec_name(label)
    return None


def _charset_from_content(content: str) -> str | None:
    """The charset parameter of a Content-Type value such as `text/html; charset=gbk`."""
    _, found, rest = content.lower().partition("charset=")
    label = rest.split(";")[0].strip().strip("\"'").strip()
    return label if found and label else None


def _codec_name(label: str) -> str | None:
    """Python codec for an HTML charset label; GB labels widen to GB18030 as browsers do."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "hz"):
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a meta tag cannot declare UTF-16 (HTML standard); BOMs were handled
    return name


# --- parsing and article detection ------------------------------------------------------------


def _parse(text: str, source_path: str) -> lxml.html.HtmlElement:
    """Parse the page and strip what never renders as text; returns `<body>` (or the root)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    markup = text.translate(_NOT_XML_CHARS).encode("utf-8", "replace")
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReadError(source_path, "页面中没有可读取的正文") from error
    if any(entry.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT for entry in parser.error_log):
        raise ReadError(source_path, "HTML 嵌套层级过深，无法解析")
    for element in list(root.iter(*_DROPPED_TAGS)):
        element.drop_tree()  # type: ignore[attr-defined]
    body = root.find("body")
    return body if body is not None else root


def _article(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the report: the common container of its data tables and main text.

    The container then takes in ancestors that add little text (the title and byline usually sit
    just outside the article body), and stops before the one that adds the site's menus.
    """
    anchors = [table for table in body.iter("table") if _is_data_table(table)]
    text_parent = _main_text_parent(body)
    if text_parent is not None:
        anchors.append(text_parent)
    if not anchors:
        return body
    container = _common_ancestor(anchors)
    core = _text_length(container)
    limit = max(_CLIMB_SLACK, core // 20)
    while container is not body:
        parent = container.getparent()
        if parent is None or _text_length(parent) - core > limit:
            break
        container = parent
    return container


def _is_data_table(table: lxml.html.HtmlElement) -> bool:
    """A table without nested tables holding several numeric cells."""
    if table.find(".//table") is not None:
        return False
    numeric = 0
    for cell in table.iter("td", "th"):
        if _NUMBER_CELL.fullmatch(collapse(cell.text_content())):
            numeric += 1
            if numeric >= _MIN_NUMBER_CELLS:
                return True
    return False


def _main_text_parent(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element whose `<p>` children hold the most text (the classic readability heuristic)."""
    scores: dict[lxml.html.HtmlElement, int] = {}
    for paragraph in body.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(collapse(paragraph.text_content()))
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0 else None


def _common_ancestor(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The deepest element containing all of `elements` (each counts as containing itself)."""
    chains = [[element, *element.iterancestors()][::-1] for element in elements]
    common = chains[0][0]
    for level in zip(*chains):
        if any(node is not level[0] for node in level):
            break
        common = level[0]
    return common


def _text_length(element: lxml.html.HtmlElement) -> int:
    """Characters of visible text, whitespace excluded."""
    return sum(len(word) for word in element.text_content().split())


# --- layout: paragraphs and tables in document order -------------------------------------------


def _flow(root: lxml.html.HtmlElement) -> Iterator[str | lxml.html.HtmlElement]:
    """Blocks under `root` in document order: paragraph texts, and data `<table>` elements.

    Block elements and `<br>` end a paragraph; inline elements are concatenated as they are.
    A table that contains other tables is layout: its cells flow like any other block.
    """
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        text = collapse("".join(buffer))
        buffer.clear()
        if text:
            yield text

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag == "br":
                yield from flush()
            elif tag == "table" and element.find(".//table") is None:
                yield from flush()
                yield from _caption(element)
                yield element
                walker.skip_subtree()
                continue
            elif tag in _BLOCK_TAGS:
                yield from flush()
            if tag:
                buffer.append(element.text or "")
        else:
            if tag in _BLOCK_TAGS:
                yield from flush()
            if element is not root:
                buffer.append(element.tail or "")
    yield from flush()


def _caption(table: lxml.html.HtmlElement) -> Iterator[str]:
    """The text of a table's `<caption>`, which reads as a paragraph before the table."""
    caption = table.find("caption")
    if caption is not None:
        yield _cell_text(caption)


def _grid(table: lxml.html.HtmlElement, budget: _GridBudget) -> Grid:
    """The table as rows of cell texts, spans expanded: the origin holds the text, the rest is marked."""
    rows: Grid = []
    covered: set[tuple[int, int]] = set()  # (row, column) positions taken by rowspans from above
    trs = list(table.iter("tr"))
    for row_index, tr in enumerate(trs):
        row: list[str | Merge] = []
        for cell in tr.iterchildren("td", "th"):
            _skip_covered(row, row_index, covered)
            colspan = _span(cell.get("colspan"), _MAX_COLSPAN)
            rowspan = _span(cell.get("rowspan"), len(trs) - row_index)
            budget.spend(colspan * rowspan)
            start = len(row)
            row.append(_cell_text(cell))
            row.extend([Merge.LEFT] * (colspan - 1))
            for below in range(row_index + 1, row_index + rowspan):
                covered.update((below, column) for column in range(start, start + colspan))
        _skip_covered(row, row_index, covered)
        rows.append(row)
    return rows


def _skip_covered(row: list[str | Merge], row_index: int, covered: set[tuple[int, int]]) -> None:
    """Mark every position a rowspan from above covers at the row's current end."""
    while (row_index, len(row)) in covered:
        covered.remove((row_index, len(row)))
        row.append(Merge.UP)


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as a count between 1 and `limit` (0 and junk count as 1)."""
    digits = _LEADING_DIGITS.match(value or "")
    count = int(digits.group(1)[:6]) if digits else 1
    return max(1, min(count, limit))


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """A cell's text: its block children and `<br>` lines joined (no space between Chinese)."""
    return join_segments(block for block in _flow(cell) if isinstance(block, str))


class _GridBudget:
    """Caps the expanded table positions of one page, so hostile spans cannot exhaust memory."""

    def __init__(self, source_path: str) -> None:
        self._source_path = source_path
        self._left = _MAX_GRID_CELLS

    def spend(self, positions: int) -> None:
        """Account for `positions` grid positions; raises ReadError once the page exceeds the cap."""
        self._left -= positions
        if self._left < 0:
            raise ReadError(self._source_path, f"页面中的表格过大（超过 {_MAX_GRID_CELLS} 个单元格），无法解析")
