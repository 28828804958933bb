"""The format-neutral document every reader produces: paragraphs and table grids with positions.

Readers know file formats and nothing about reports; the report builder knows reports and
nothing about file formats. This module is the contract between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Literal, NamedTuple, overload

from pydantic import BaseModel, ConfigDict


class Source(BaseModel):
    """Where a document came from and how its bytes were decoded."""

    model_config = ConfigDict(frozen=True)

    path: str
    format: str
    encoding: str | None = None


class Merge(StrEnum):
    """A grid position covered by a merged cell: continuing the cell to its left (a colspan) or
    the cell above (a rowspan)."""

    LEFT = "left"
    UP = "up"


class Cell(NamedTuple):
    """One table cell: its trimmed text and where that text starts (1-based).

    `merged` marks a grid position that is part of a merged cell whose text stands at its
    origin; readers that cannot tell (markdown, text) leave it `None` and the text empty.
    """

    text: str
    line: int
    column: int | None = None
    merged: Merge | None = None


class Paragraph(NamedTuple):
    """A run of text outside tables (one source line, or one extracted paragraph)."""

    text: str
    line: int
    column: int = 1
    kind: Literal["paragraph"] = "paragraph"


class Table(NamedTuple):
    """A table grid: rows of cells, in reading order. Rows may have different lengths."""

    rows: tuple[tuple[Cell, ...], ...]
    line: int
    aligned: bool = False
    """True when the rows share columns (a real grid from HTML, Word or PDF, spans expanded)."""
    kind: Literal["table"] = "table"


Block = Paragraph | Table


class LazyBlocks(Sequence[Block]):
    """Blocks made only as they are asked for, in order: a consumer that stops early (the report
    builder, where a file holds a second report) leaves the rest of a long file unparsed. Asking
    for its length or an index reads it all."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self._made: list[Block] = []
        self._pending: Iterator[Block] | None = iter(blocks)

    def __iter__(self) -> Iterator[Block]:
        index = 0
        while True:
            if index == len(self._made):
                if self._pending is None:
                    return
                block = next(self._pending, None)
                if block is None:
                    self._pending = None
                    return
                self._made.append(block)
            yield self._made[index]
            index += 1

    def _all(self) -> list[Block]:
        if self._pending is not None:
            self._made.extend(self._pending)
            self._pending = None
        return self._made

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> Block: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Block]: ...

    def __getitem__(self, index: int | slice) -> Block | Sequence[Block]:
        return self._all()[index]


class Document(NamedTuple):
    """The blocks of one input in reading order, and the text their positions refer to.

    For plain-text inputs `lines` is the decoded source itself; for formats without lines of
    their own (.html, .docx, .pdf) it is the text govlint extracted, and positions refer to it.
    """

    source: Source
    lines: tuple[str, ...]
    blocks: Sequence[Block] = ()
    """In reading order; a tuple, or `LazyBlocks` from a reader that parses as they are read."""


class DocumentWriter:
    """Lays out extracted paragraphs and tables as text lines and records their positions.

    Readers of formats without lines of their own feed it blocks in reading order; each
    paragraph becomes one line and each table row one tab-separated line, so that
    `govlint parse --format text` can show exactly the text that line/column refer to.
    """

    def __init__(self, source: Source) -> None:
        self._source = source
        self._lines: list[str] = []
        self._blocks: list[Block] = []

    def paragraph(self, text: str) -> None:
        """Add one paragraph (internal line breaks are folded into spaces); blank ones are dropped."""
        text = " ".join(text.split("\n")).strip()
        if not text:
            return
        self._lines.append(text)
        self._blocks.append(Paragraph(text=text, line=len(self._lines)))

    def table(self, rows: Sequence[Sequence[str | Merge]]) -> None:
        """Add one table grid; each row is written as one line of tab-separated cells.

        A position given as a `Merge` is covered by a merged cell: it is written as an empty
        cell and keeps the mark, so that the report builder can tell a span from a blank. A row
        without a single position (an empty `<tr>` or `<w:tr>`) is no row of the grid.
        """
        if not any(any(not isinstance(c, Merge) and c.strip() for c in row) for row in rows):
            return
        first_line = len(self._lines) + 1
        grid: list[tuple[Cell, ...]] = []
        for row in filter(None, rows):
            texts = ["" if isinstance(c, Merge) else " ".join(c.split()) for c in row]
            line_no = len(self._lines) + 1
            cells: list[Cell] = []
            offset = 0
            for text, given in zip(texts, row):
                column = offset + 1 if text else None
                merged = given if isinstance(given, Merge) else None
                cells.append(Cell(text=text, line=line_no, column=column, merged=merged))
                offset += len(text) + 1  # the tab that follows
            self._lines.append("\t".join(texts))
            grid.append(tuple(cells))
        self._blocks.append(Table(rows=tuple(grid), line=first_line, aligned=True))

    def document(self) -> Document:
        """The finished document."""
        return Document(source=self._source, lines=tuple(self._lines), blocks=tuple(self._blocks))
