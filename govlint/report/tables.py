"""Tables 二/三/四 from a document's blocks: each row found by its label, each cell placed in
the template's column it belongs to.

A real grid (HTML, Word, PDF) is placed by its header: a cell goes to the column its position
falls under (see placement). Everything else — text layouts, and grid rows no header band
places — is read as one stream of rows (a paragraph is a row of one label and any numbers that
end it), because such layouts scatter a table: values on the line after their label, header
rows repeated at page breaks, rows whose first cell moved. A stream row is read only when its
values fit the template's columns in one way; what does not fit is recorded as unread, never
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from govlint import patterns
from govlint.document import Block, Cell, Paragraph, Table
from govlint.report.labels import LabelIndex, Match, normalize, split_ordinal
from govlint.report.model import CellValue, DetachedColumn, Grid, LabelNote, TableInfo
from govlint.report.placement import ColumnMap, Slot, Unplaced, header_table, place, resolve
from govlint.report.runtogether import recover_rows
from govlint.report.sections import match_heading
from govlint.report.templates import Table2Spec, Table3Spec, Table4Spec, Template
from govlint.report.values import bracket_note, is_value_like, note_of, parse_number

RUN_TOGETHER_LENGTH = 40
"""A paragraph this long that holds table labels is a table whose cells ran together."""
_NUMBER_TOKEN = patterns.compile(r"[+\-]?[\d,]+(?:\.\d+)?|/|-|—")


class RowTarget(NamedTuple):
    """Where the values of a labelled row go."""

    table: str
    row: str
    columns: tuple[str, ...]


@dataclass
class TableReading:
    """Tables read from a document, with what was tolerated and what could not be read."""

    grids: dict[str, Grid] = field(default_factory=dict)
    info: dict[str, TableInfo] = field(default_factory=dict)
    notes: list[LabelNote] = field(default_factory=list)


@cache
def _row_index(spec: Template) -> LabelIndex[RowTarget]:
    """Every row label of the template's tables (and table 四's block labels)."""
    entries: list[tuple[str, RowTarget]] = []
    if spec.table2 is not None:
        for row in spec.table2.rows:
            entries.append((row.label, RowTarget("table2", row.key, tuple(k for k, _ in row.columns))))
    if spec.table3 is not None:
        t3_columns = tuple(c.key for c in spec.table3.columns)
        for t3row in spec.table3.all_rows:
            entries.append((t3row.label, RowTarget("table3", t3row.key, t3_columns)))
    if spec.table4 is not None:
        t4_columns = tuple(c.key for c in spec.table4.columns)
        for block in spec.table4.blocks:
            for label in (block.label, *block.aliases):
                entries.append((label, RowTarget("table4", block.key, t4_columns)))
    return LabelIndex(entries)


@cache
def _header_index(spec: Template) -> LabelIndex[str]:
    """Labels that only head a table; seeing one tells which table the rows below belong to."""
    entries: list[tuple[str, str]] = []
    if spec.table3 is not None:
        t3 = spec.table3
        entries += [(label, "table3") for label in (t3.note, *t3.header_groups)]
        entries += [(label, "table3") for label in t3.distinctive_columns]
    if spec.table2 is not None:
        entries += [(label, "table2") for label in (*(b.label for b in spec.table2.blocks), *spec.table2.header_groups)]
    if spec.table4 is not None:
        entries += [(c.label, "table4") for c in spec.table4.columns if c.part]
        entries += [(label, "table4") for label in spec.table4.header_groups]
    return LabelIndex(entries)


@cache
def _column_index(spec: Template) -> LabelIndex[str]:
    rows = spec.table2.rows if spec.table2 is not None else ()
    return LabelIndex({label: key for row in rows for key, label in row.columns}.items())


MIN_CORE_LENGTH = 4
"""Row labels shorter than this (ordinal left out) are too common to count in prose."""


@cache
def _row_label_cores(spec: Template) -> tuple[str, ...]:
    """The template's row labels without their ordinals, normalized (the distinctive ones)."""
    cores = {split_ordinal(normalize(m.label))[1] for m in _row_index(spec).entries()}
    return tuple(core for core in cores if len(core) >= MIN_CORE_LENGTH)


def _labels_named(spec: Template, text: str) -> int:
    """How many row labels a paragraph holds: a run-together table holds several, prose rarely
    more than one (a cheap test before the paragraph is scanned label by label)."""
    folded = normalize(text)
    return sum(core in folded for core in _row_label_cores(spec))


def stream_row(row: tuple[Cell, ...]) -> list[Cell]:
    """A grid row read as a stream: its cells without the positions merged cells cover."""
    return [cell for cell in row if cell.merged is None]


_TOKEN = patterns.compile(r"\S+")


def _paragraph_cells(paragraph: Paragraph) -> list[Cell]:
    text = paragraph.text
    tokens = list(_TOKEN.finditer(text))
    split = len(tokens)
    while split > 0 and _NUMBER_TOKEN.fullmatch(tokens[split - 1].group(0)):
        split -= 1
    cells: list[Cell] = []
    if split > 0:
        label_end = tokens[split - 1].end()
        cells.append(Cell(text=text[:label_end], line=paragraph.line, column=paragraph.column))
    for token in tokens[split:]:
        cells.append(Cell(text=token.group(0), line=paragraph.line, column=paragraph.column + token.start()))
    return cells


def fit(values: list[Cell], width: int) -> list[Cell] | None:
    """Exactly `width` value cells, dropping empty filler cells at the ends; None if impossible
    or if the fillers can be dropped in ways that put a blank in different columns (a blank
    cell stays at its column: it never lets the next value slide into its place)."""
    extra = len(values) - width
    if extra <= 0:
        return values[:] if extra == 0 else None
    cuts = [lead for lead in range(extra + 1)
            if not any(c.text for c in values[:lead]) and not any(c.text for c in values[lead + width:])]
    readings = {tuple(c.text for c in values[lead:lead + width]) for lead in cuts}
    return values[cuts[0]:cuts[0] + width] if len(readings) == 1 else None


def _cell_value(cell: Cell) -> CellValue:
    return CellValue(value=parse_number(cell.text), raw=cell.text, line=cell.line, column=cell.column)


@dataclass
class _Detached:
    """A lone value in table 二 outside any row, under a block label (第二十条第（一）项)."""

    cell: Cell
    block: str
    seen_at: int
    note: str
    """The cell's bracketed note, in the cell or on the line below (`含自然失效29件`)."""


class _ShortRow(NamedTuple):
    """A labelled table-二 row holding one value fewer than its columns."""

    target: RowTarget
    values: tuple[Cell, ...]
    label: Cell
    matches: tuple[Match[RowTarget], ...]


class _Orphan(NamedTuple):
    """Seven numbers in table 三 whose label is lost (detached or garbled by a converter)."""

    values: tuple[Cell, ...]


class _Reader:
    def __init__(self, spec: Template) -> None:
        self.spec = spec
        self.rows = _row_index(spec)
        self.headers = _header_index(spec)
        self.columns = _column_index(spec)
        self.result = TableReading()
        self.context: str | None = None
        self.pending: tuple[RowTarget, Cell] | None = None
        self.table3_events: list[str | _Orphan] = []
        """Table-三 rows in document order: the key of a labelled row, or an orphan."""
        self.block: str | None = None
        """The table-二 block label (第二十条第（一）项) last seen."""
        self.detached: list[_Detached] = []
        self.short_rows: list[_ShortRow] = []
        self.rows_fed = 0

    @property
    def t2(self) -> Table2Spec:
        assert self.spec.table2 is not None
        return self.spec.table2

    @property
    def t3(self) -> Table3Spec:
        assert self.spec.table3 is not None
        return self.spec.table3

    @property
    def t4(self) -> Table4Spec:
        assert self.spec.table4 is not None
        return self.spec.table4

    def feed(self, cells: list[Cell], paragraph: Paragraph | None) -> None:
        self.rows_fed += 1
        if paragraph is not None and self._note_of_detached(paragraph):
            return
        if paragraph is not None:
            heading = match_heading(paragraph)
            if heading is not None:
                self.context, self.pending, self.block = self.spec.section(heading.key).table, None, None
                return
            if (len(paragraph.text) > RUN_TOGETHER_LENGTH and _labels_named(self.spec, paragraph.text) >= 2
                    and self._run_together(paragraph)):
                return
        label_at, matches = self._label(cells, fuzzy=paragraph is None)
        if label_at is None:
            if not self._header(cells):
                self._unlabelled(cells)
            return
        values = cells[label_at + 1:]
        target = self._choose(matches, values)
        label = cells[label_at]
        self.context = target.table
        fitted = fit(values, len(target.columns))
        if fitted is not None and (target.table != "table4" or any(v.text for v in fitted)):
            self._assign(target, fitted, label, matches)
        elif not any(v.text for v in values):
            self.pending = (target, label)
            self._note(target, label, matches)
        else:
            self._unread(target, label.line)
            filled = tuple(v for v in values if v.text)
            if target.table == "table2" and len(filled) == len(target.columns) - 1:
                self.short_rows.append(_ShortRow(target, filled, label, tuple(matches)))

    def feed_grid(self, table: Table) -> None:
        """A real grid: rows under a header band are placed by the column their cells fall
        under; rows without one (or that the band does not place) are read as a stream."""
        band: list[tuple[Cell, ...]] = []
        column_map: ColumnMap | None = None
        previous_was_header = False
        for row in table.rows:
            header = header_table(row, self.spec)
            if header is not None:
                band = [*band, row] if previous_was_header else [row]
                column_map = resolve(band, header, self.spec)
                self.result.info.setdefault(header, TableInfo(line=row[0].line))
                self.feed(stream_row(row), None)
            elif column_map is None or not self._place(row, column_map):
                self.feed(stream_row(row), None)
            previous_was_header = header is not None

    def _place(self, row: tuple[Cell, ...], column_map: ColumnMap) -> bool:
        """Place one data row by its header; False when the row is not one of the band's table."""
        self.rows_fed += 1
        label_at, matches = self._label(list(row), fuzzy=True)
        matches = [m for m in matches if m.item.table == column_map.table]
        if label_at is None and column_map.table != "table4":
            return False
        if label_at is not None and not matches:
            return False
        try:
            placed = place(row, 0 if label_at is None else label_at + 1, column_map)
        except Unplaced:
            if matches:
                self._unread(matches[0].item, row[label_at or 0].line, unplaced=True)
            else:
                self.result.info[column_map.table].unplaced = True
            return True
        if label_at is None:
            return self._place_blocks(placed)
        target = next((m.item for m in matches if all(
            s.column in m.item.columns for s, c in placed.items() if c.text)), None)
        if target is None:
            self._unread(matches[0].item, row[label_at].line, unplaced=True)
            return True
        cells = {s.column: c for s, c in placed.items() if s.column in target.columns and s.block in (None, target.row)}
        self.context = target.table
        self._assign(target, cells, row[label_at], matches)
        return True

    def _place_blocks(self, placed: dict[Slot, Cell]) -> bool:
        """Table 四's unlabelled row: each cell to the block and column of its header. A row of
        blank cells is the table's data row left blank, unless the table was read already."""
        if any(s.block is None for s in placed) or not placed or (
                not any(c.text for c in placed.values()) and "table4" in self.result.grids):
            return False
        columns = tuple(c.key for c in self.t4.columns)
        for block in self.t4.blocks:
            cells = {s.column: c for s, c in placed.items() if s.block == block.key}
            if cells:
                self._assign(RowTarget("table4", block.key, columns), cells, None, [])
        return True

    def _note_of_detached(self, paragraph: Paragraph) -> bool:
        """A note line right below a detached value belongs to that value's cell (a table's
        bracketed header note does not)."""
        note = bracket_note(paragraph.text)
        if (note is None or not self.detached or self.detached[-1].seen_at != self.rows_fed - 1
                or self.headers.match(paragraph.text, fuzzy=False)):
            return False
        self.detached[-1].note = note
        return True

    def _run_together(self, paragraph: Paragraph) -> bool:
        """Rows of a table whose cells ran together into one line; True if there were any."""
        recovery = recover_rows(paragraph, self.spec)
        for (table, row), cells in zip(recovery.keys, recovery.rows):
            columns = self._columns_of(table, row)
            fitted = fit(cells[1:], len(columns))
            if fitted is not None:
                self._assign(RowTarget(table, row, columns), fitted, cells[0] if cells[0].column else None, [])
        for table, rows in recovery.ambiguous.items():
            info = self.result.info.setdefault(table, TableInfo(line=paragraph.line))
            info.run_together_rows.extend(r for r in rows if r not in info.run_together_rows)
        return bool(recovery.rows or recovery.ambiguous)

    def _columns_of(self, table: str, row: str) -> tuple[str, ...]:
        for target in (m.item for m in self.rows.entries()):
            if target.table == table and target.row == row:
                return target.columns
        return ()

    def _label(self, cells: list[Cell], fuzzy: bool) -> tuple[int | None, list[Match[RowTarget]]]:
        for index in range(len(cells) - 1, -1, -1):
            text = cells[index].text
            if not text or is_value_like(text):
                continue
            matches = self.rows.match(text, fuzzy=fuzzy)
            if matches:
                return index, matches
            if self.headers.match(text, fuzzy=False):
                break
        return None, []

    def _header(self, cells: list[Cell]) -> bool:
        """A header row tells which table the rows below belong to; a pending label of the same
        table keeps waiting for its values below the header."""
        for cell in reversed(cells):
            header = self.headers.match(cell.text, fuzzy=False) if cell.text else []
            if header:
                table = header[0].item
                if self.pending is not None and self.pending[0].table != table:
                    self.pending = None
                self.context = table
                if any(header[0].label == b.label for b in self.t2.blocks):
                    self.block = header[0].label
                self._columns_header(cells)
                return True
        return False

    def _choose(self, matches: list[Match[RowTarget]], values: list[Cell]) -> RowTarget:
        """Of the entries a label stands for, the one whose width the values fit."""
        for match in matches:
            if fit(values, len(match.item.columns)) is not None:
                return match.item
        return matches[0].item

    def _columns_header(self, cells: list[Cell]) -> None:
        if self.context != "table2" or not cells or normalize(cells[0].text) != "信息内容":
            return
        for cell in cells[1:]:
            if not cell.text:
                continue
            for match in self.columns.match(cell.text)[:1]:
                if not match.exact:
                    self.result.notes.append(LabelNote(
                        table="table2", row=None, table_column=match.item, printed=cell.text,
                        expected=match.label, line=cell.line, column=cell.column))

    def _unlabelled(self, cells: list[Cell]) -> None:
        """A row with no known label: detached values of the pending label, table 四's row of
        fifteen, or (in table 三) numbers whose label was lost."""
        text_at = max((i for i, c in enumerate(cells) if c.text and not is_value_like(c.text)), default=-1)
        values = cells[text_at + 1:]
        if not any(c.text for c in values):
            if text_at >= 0:
                self.pending = None
            return
        if text_at < 0 and self.pending is not None:
            target, label = self.pending
            fitted = fit(values, len(target.columns))
            if fitted is not None:
                self._assign(target, fitted, label, [])
                return
        filled = [c for c in values if c.text]
        if (text_at < 0 and self.pending is None and self.context == "table2" and self.block is not None
                and len(filled) == 1):
            self.detached.append(_Detached(filled[0], self.block, self.rows_fed, note_of(filled[0].text)))
            return
        if self.context == "table4" and text_at < 0:
            self._table4_row(values)
        elif self.context == "table3":
            fitted = fit(values, len(self.t3.columns))
            if fitted is not None:
                self.table3_events.append(_Orphan(tuple(fitted)))
        if self.pending is not None:
            target, label = self.pending
            self._unread(target, label.line)

    def _table4_row(self, values: list[Cell]) -> None:
        fitted = fit(values, len(self.t4.blocks) * len(self.t4.columns))
        if fitted is None:
            return
        spec = self.t4
        columns = tuple(c.key for c in spec.columns)
        for index, block in enumerate(spec.blocks):
            chunk = fitted[index * len(columns):(index + 1) * len(columns)]
            self._assign(RowTarget("table4", block.key, columns), chunk, None, [])

    def _assign(self, target: RowTarget, values: list[Cell] | dict[str, Cell], label: Cell | None,
                matches: list[Match[RowTarget]]) -> None:
        """Record a row's cells: a list in the row's column order, or cells by column key."""
        cells = values if isinstance(values, dict) else dict(zip(target.columns, values))
        self.pending = None
        grid = self.result.grids.setdefault(target.table, {})
        line = label.line if label is not None else next(iter(cells.values())).line
        self.result.info.setdefault(target.table, TableInfo(line=line))
        if target.row in grid:
            return
        grid[target.row] = {key: _cell_value(cells[key]) for key in target.columns if key in cells}
        if target.table == "table3":
            self.table3_events.append(target.row)
        if label is not None:
            self._note(target, label, matches)
        unread = self.result.info[target.table].unread_rows
        if target.row in unread:
            unread.remove(target.row)

    def _note(self, target: RowTarget, label: Cell, matches: list[Match[RowTarget]]) -> None:
        for match in matches:
            if match.item == target and not match.exact:
                self.result.notes.append(LabelNote(
                    table=target.table, row=target.row, table_column=None, printed=label.text,
                    expected=match.label, line=label.line, column=label.column))
                return

    def _unread(self, target: RowTarget, line: int, unplaced: bool = False) -> None:
        """A row whose values could not be read; `unplaced` when its header does not tell
        which column a value falls under."""
        self.pending = None
        info = self.result.info.setdefault(target.table, TableInfo(line=line))
        if target.row not in self.result.grids.get(target.table, {}) and target.row not in info.unread_rows:
            info.unread_rows.append(target.row)
        info.unplaced = info.unplaced or unplaced

    def place_detached(self) -> None:
        """Read table 二's rows that lack one value, when a converter moved that column's cells
        out of the table (a row `| 规章 | 22 | 235 |` under a header of three columns, and the
        lone values `22（其中修订16件）`, `55（含自然失效29件）` under the block's label 第二十条第（一）项).

        Placed only when the block's short rows, in template order, are as many as the values
        found under the block's label, every value carries a note (a bare number may be a page
        number), and the notes name one column of the rows and no other; the values go to the
        rows in the order they appear, as a converter reads a column top to bottom (P004 says
        so). Otherwise the rows stay unread, to be reported, never guessed.
        """
        spec = self.t2
        grid = self.result.grids.get("table2", {})
        for block in spec.blocks:
            keys = [r.key for r in block.rows]
            detached = [d for d in self.detached if d.block == block.label]
            rows = [r for r in self.short_rows if r.target.row in keys and r.target.row not in grid]
            if not detached or len(detached) != len(rows) or not all(d.note for d in detached) or [
                    r.target.row for r in rows] != sorted((r.target.row for r in rows), key=keys.index):
                continue
            named = [(spec.column_named_by(d.note), d.note) for d in detached]
            columns = set().union(*(n for n, _ in named))
            if len(columns) != 1 or not all(columns <= set(r.target.columns) for r in rows):
                continue
            (column,) = columns
            for row, moved in zip(rows, detached):
                at = row.target.columns.index(column)
                self._assign(row.target, [*row.values[:at], moved.cell, *row.values[at:]], row.label,
                             list(row.matches))
            self.result.info["table2"].detached_columns.append(DetachedColumn(
                column=column, rows=[r.target.row for r in rows],
                note=next(note for n, note in named if n), line=detached[0].cell.line or 0))

    def place_orphans(self) -> None:
        """Give table 三's orphaned number rows to the rows missing between two labelled rows.

        Between two rows read with their labels, the orphans seen there (in document order) go
        to the template rows missing between them (in template order) — only when the counts
        are equal and every such row adds up (its six applicant columns to its 总计); otherwise
        nothing is placed and the rows stay missing, to be reported, never guessed.
        """
        grid = self.result.grids.get("table3")
        if grid is None:
            return
        spec = self.t3
        order = [r.key for r in spec.expected_rows(grid)]
        columns = tuple(c.key for c in spec.columns)
        anchor = -1
        orphans: list[_Orphan] = []
        for event in [*self.table3_events, None]:
            if isinstance(event, _Orphan):
                orphans.append(event)
                continue
            if event is not None and event not in order:
                continue
            until = order.index(event) if event is not None else len(order)
            missing = [k for k in order[anchor + 1:until] if k not in grid]
            if orphans and len(orphans) == len(missing) and all(map(_adds_up, orphans)):
                for key, orphan in zip(missing, orphans):
                    grid[key] = {c: _cell_value(cell) for c, cell in zip(columns, orphan.values)}
                    info = self.result.info["table3"]
                    if key in info.unread_rows:
                        info.unread_rows.remove(key)
            orphans = []
            anchor = max(anchor, until)


def _adds_up(orphan: _Orphan) -> bool:
    numbers = [parse_number(c.text) for c in orphan.values]
    if any(n is None and c.text for n, c in zip(numbers, orphan.values)):
        return False
    *parts, total = [n or 0 for n in numbers]
    return sum(parts) == total


def read_tables(blocks: tuple[Block, ...], spec: Template) -> TableReading:
    """Read tables 二/三/四 out of the document's blocks, using the template's rows; a template
    without tables (reports before 2019) has none to read."""
    reader = _Reader(spec)
    if not spec.has_tables:
        return reader.result
    for block in blocks:
        if isinstance(block, Paragraph):
            reader.feed(_paragraph_cells(block), block)
        elif block.aligned:
            reader.feed_grid(block)
        else:
            for row in block.rows:
                reader.feed(list(row), None)
    reader.place_detached()
    reader.place_orphans()
    return reader.result
