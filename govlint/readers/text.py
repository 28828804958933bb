"""Plain-text reports: Word's one-cell-per-line export, PDF's tab-separated rows, pipe tables.

Every line is classified on its own, so one file may mix layouts (markdown headings above
tab-separated tables, as a PDF converter leaves them):

- a *cell line* starts with a tab and holds no other tab (Word's export: one cell a line, rows
  separated by blank lines, long header cells wrapped onto following lines without a tab);
- a *row line* holds a tab after some text, or two or more tabs (tab-separated rows);
- a *pipe line* is a markdown table row `| a | b |` (separator rows `|---|` are skipped);
- anything else is a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from govlint import patterns
from govlint.document import Block, Cell, Document, LazyBlocks, Paragraph, Source, Table
from govlint.readers.decoding import decode

_STRIP = " \t\u3000\u00a0\u200b\ufeff\f\v"
_PIPE_SEPARATOR = patterns.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CJK = patterns.compile(r"\p{Han}")


def read(data: bytes, source_path: str) -> Document:
    """Decode and parse a plain-text or markdown report."""
    text, encoding = decode(data, source_path)
    return parse_text(text, Source(path=source_path, format=_format_of(source_path), encoding=encoding))


def _format_of(source_path: str) -> str:
    return "markdown" if source_path.lower().endswith((".md", ".markdown")) else "text"


def split_lines(text: str) -> tuple[str, ...]:
    """Split on newlines only (CRLF and lone CR folded), so line numbers match any editor."""
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def parse_text(text: str, source: Source) -> Document:
    """Parse decoded text into a Document whose positions refer to `text` itself."""
    lines = split_lines(text)
    return Document(source=source, lines=lines, blocks=LazyBlocks(_blocks(lines)))


def join_wrapped(first: str, second: str) -> str:
    """Join two pieces of one wrapped cell: no space between Chinese characters."""
    if not first or not second:
        return first + second
    if _CJK.match(first[-1]) or _CJK.match(second[0]):
        return first + second
    return f"{first} {second}"


def _cell(raw: str, line_no: int, start: int) -> Cell:
    """A cell from `raw`, which begins at 0-based offset `start` of its line."""
    stripped = raw.strip(_STRIP)
    if not stripped:
        return Cell(stripped, line_no, None)
    return Cell(stripped, line_no, start + len(raw) - len(raw.lstrip(_STRIP)) + 1)


def _split_cells(line: str, line_no: int, separator: str) -> list[Cell]:
    cells: list[Cell] = []
    offset = 0
    step = len(separator)
    for part in line.split(separator):
        stripped = part.strip(_STRIP)
        # most parts have nothing to strip: their text starts where they do
        cells.append(Cell(part, line_no, offset + 1) if stripped and len(stripped) == len(part)
                     else _cell(part, line_no, offset))
        offset += len(part) + step
    return cells


def _kind(line: str) -> str:
    body = line.rstrip("\r")
    if "\t" in body:
        head, _, rest = body.partition("\t")
        if head.strip(_STRIP) or "\t" in rest:
            return "row"
        return "cell"
    if not body.strip(_STRIP):
        return "blank"
    if body.lstrip(" ").startswith("|") and body.rstrip(_STRIP).endswith("|"):
        return "separator" if _PIPE_SEPARATOR.match(body) else "pipe"
    return "text"


@dataclass
class _Grid:
    """Rows being collected for one table."""

    rows: list[list[Cell]] = field(default_factory=list)
    line: int = 0

    def add_row(self, row: list[Cell], line_no: int) -> None:
        if not self.rows:
            self.line = line_no
        self.rows.append(row)

    def table(self) -> Table | None:
        rows = tuple(tuple(r) for r in self.rows if r)
        return Table(rows=rows, line=self.line) if rows else None


def _blocks(lines: tuple[str, ...]) -> Iterator[Block]:
    grid = _Grid()
    row: list[Cell] = []  # the open row of a one-cell-per-line table
    in_cells = False  # inside a one-cell-per-line table
    previous = "blank"

    def close_row() -> None:
        nonlocal row
        if row:
            grid.add_row(row, row[0].line)
            row = []

    def close_table() -> Iterator[Block]:
        nonlocal grid, in_cells
        close_row()
        table = grid.table()
        grid, in_cells = _Grid(), False
        if table is not None:
            yield table

    for index, line in enumerate(lines):
        line_no = index + 1
        kind = _kind(line)
        if kind == "cell":
            if not in_cells:
                yield from close_table()
                in_cells = True
            row.append(_cell(line.split("\t", 1)[1], line_no, line.index("\t") + 1))
        elif kind == "text" and in_cells and previous == "cell" and row:
            # a wrapped header cell (`商业` / `企业`): continue the cell above
            last = row[-1]
            joined = join_wrapped(last.text, line.strip(_STRIP))
            row[-1] = Cell(text=joined, line=last.line, column=last.column)
            kind = "cell"
        elif kind == "blank":
            if in_cells:
                close_row()
            elif grid.rows:
                yield from close_table()
        elif kind in ("row", "pipe"):
            if in_cells:
                yield from close_table()
            cells = _split_cells(line, line_no, "\t") if kind == "row" else _pipe_cells(line, line_no)
            grid.add_row(cells, line_no)
        elif kind == "separator":
            pass
        else:
            yield from close_table()
            stripped = line.strip(_STRIP)
            yield Paragraph(text=stripped, line=line_no, column=line.index(stripped) + 1)
        previous = kind
    yield from close_table()


def _pipe_cells(line: str, line_no: int) -> list[Cell]:
    """Cells of a markdown pipe row, without the empty ends outside the outer pipes."""
    start = line.index("|") + 1
    end = line.rstrip(_STRIP).rindex("|")
    inner = line[start:end]
    return [
        Cell(text=c.text, line=line_no, column=None if c.column is None else c.column + start)
        for c in _split_cells(inner, line_no, "|")
    ]
