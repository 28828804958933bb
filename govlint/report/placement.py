"""Placing a grid's cells by its header: a cell belongs to the column its position falls under.

A table's header rows (the template's column labels, their groups and, in table 四, the blocks)
are resolved position by position: for every grid position, the labels above it from the top
header row down, a merged cell covering the positions it spans. A data row's cells then go to
the column their position falls under; a blank cell stays blank at its own column, and a value
under no column, or spanning two, leaves its row unread — never shifted into a neighbour.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from govlint.document import Cell, Merge
from govlint.report.labels import LabelIndex
from govlint.report.templates import Template
from govlint.report.values import is_value_like

MIN_HEADER_LABELS = 2
"""A row is a header when it names at least this many labels of one table's header."""


class Role(StrEnum):
    COLUMN = "column"
    BLOCK = "block"
    GROUP = "group"


class HeaderLabel(NamedTuple):
    """What a label printed in a header means: a column, a table-四 block, or a group."""

    table: str
    role: Role
    key: str | None = None


class Slot(NamedTuple):
    """The column a grid position falls under (and its block in table 四)."""

    column: str
    block: str | None = None


class ColumnMap(NamedTuple):
    """The columns of one header band: grid position → slot (None: under no column)."""

    table: str
    slots: tuple[Slot | None, ...]

    def slot(self, position: int) -> Slot | None:
        return self.slots[position] if position < len(self.slots) else None


class Unplaced(Exception):
    """A row whose cells cannot all be told to a column."""


@cache
def header_index(template: Template) -> LabelIndex[HeaderLabel]:
    """Every label that may stand in the header of one of the template's tables."""
    entries: list[tuple[str, HeaderLabel]] = []
    if template.table3 is not None:
        t3 = template.table3
        entries.append((t3.note, HeaderLabel("table3", Role.GROUP)))
        entries += [(c.label, HeaderLabel("table3", Role.COLUMN, c.key)) for c in t3.columns]
        entries += [(label, HeaderLabel("table3", Role.GROUP)) for label in t3.header_groups]
    if template.table4 is not None:
        t4 = template.table4
        entries += [(c.label, HeaderLabel("table4", Role.COLUMN, c.key)) for c in t4.columns]
        entries += [(label, HeaderLabel("table4", Role.BLOCK, b.key))
                    for b in t4.blocks for label in (b.label, *b.aliases)]
        entries += [(label, HeaderLabel("table4", Role.GROUP)) for label in t4.header_groups]
    if template.table2 is not None:
        t2 = template.table2
        columns = {label: key for row in t2.rows for key, label in row.columns}
        entries += [(label, HeaderLabel("table2", Role.COLUMN, key)) for label, key in columns.items()]
        entries += [(label, HeaderLabel("table2", Role.GROUP)) for label in t2.header_groups]
        entries += [(b.label, HeaderLabel("table2", Role.GROUP)) for b in t2.blocks]
    return LabelIndex(entries)


def _meaning(cell: Cell, template: Template, table: str | None = None) -> HeaderLabel | None:
    """What a header cell's label means (in `table`, if given); None when unknown or ambiguous
    (总计 heads both table 三 and table 四)."""
    if not cell.text or is_value_like(cell.text):
        return None
    meanings = {m.item for m in header_index(template).match(cell.text, fuzzy=False)
                if table is None or m.item.table == table}
    return meanings.pop() if len(meanings) == 1 else None


def header_table(row: Sequence[Cell], template: Template) -> str | None:
    """The table whose header this row is, or None: a row of labels only (no values) naming at
    least MIN_HEADER_LABELS labels of one table's header and none of another's."""
    if any(c.text and is_value_like(c.text) for c in row):
        return None
    meanings = [m for m in (_meaning(c, template) for c in row) if m is not None]
    tables = {m.table for m in meanings}
    if len(tables) != 1 or len(meanings) < MIN_HEADER_LABELS:
        return None
    return tables.pop()


def resolve(band: Sequence[Sequence[Cell]], table: str, template: Template) -> ColumnMap:
    """The column map of a band of header rows, read top down, merged cells spanning."""
    width = max(len(row) for row in band)
    columns: list[str | None] = [None] * width
    blocks: list[str | None] = [None] * width
    for row in band:
        meanings: list[HeaderLabel | None] = []
        for position in range(width):
            cell = row[position] if position < len(row) else None
            if cell is None or cell.merged is Merge.UP:
                meanings.append(None)  # the label above goes on
                continue
            if cell.merged is Merge.LEFT:
                meanings.append(meanings[-1] if meanings else None)
                continue
            meaning = _meaning(cell, template, table)
            meanings.append(meaning)
            if cell.text and meaning is None:
                columns[position] = None  # an unknown label under a column: not that column
        for position, meaning in enumerate(meanings):
            if meaning is None:
                continue
            if meaning.role is Role.COLUMN:
                columns[position] = meaning.key
            elif meaning.role is Role.BLOCK:
                blocks[position], columns[position] = meaning.key, None
            else:
                columns[position] = None
    slots = tuple(Slot(column, blocks[i]) if column is not None else None for i, column in enumerate(columns))
    return ColumnMap(table, slots)


def place(row: Sequence[Cell], start: int, column_map: ColumnMap) -> dict[Slot, Cell]:
    """The cells of a data row from position `start` on, by the slot their position falls under.

    A blank cell is placed as blank; a value under no slot, a value whose merged cell reaches
    into another slot, or two values under one slot raise `Unplaced`. A slot of the map that the
    row does not reach is a blank cell of the row (the row simply ended early).
    """
    placed: dict[Slot, Cell] = {}
    origin: tuple[Slot | None, Cell] | None = None
    for position in range(start, max(len(row), len(column_map.slots))):
        cell = row[position] if position < len(row) else None
        slot = column_map.slot(position)
        if cell is not None and cell.merged is Merge.LEFT:
            if origin is not None and origin[1].text and slot != origin[0]:
                raise Unplaced  # one value spanning two columns
            continue
        if cell is not None and cell.merged is Merge.UP:
            continue
        if cell is not None and cell.text:
            if slot is None or (slot in placed and placed[slot].text):
                raise Unplaced
            placed[slot] = cell
        elif slot is not None and slot not in placed:
            line = cell.line if cell is not None else row[-1].line
            placed[slot] = cell if cell is not None else Cell(text="", line=line)
        origin = (slot, cell) if cell is not None else None
    return placed
