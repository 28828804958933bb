"""The structured report: what govlint understood of one input, under the canonical keys."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from govlint.document import Source
from govlint.report.templates import Template

T = TypeVar("T")

TemplateName = str
"""A template's name (`2021`, `2019`, `pre2019`, or one a registry adds), or `unknown`."""
TableKey = Literal["table2", "table3", "table4"]


class CellValue(BaseModel):
    """One table cell: its text as written, its number, and where the text starts."""

    model_config = ConfigDict(frozen=True)

    value: int | float | None
    raw: str
    line: int | None
    column: int | None


Grid = dict[str, dict[str, CellValue]]
"""row (or block) key → column key → cell."""


class TextLine(BaseModel):
    """A paragraph of running text with its line (and column, when a line holds several)."""

    model_config = ConfigDict(frozen=True)

    line: int
    text: str
    column: int = Field(default=1, exclude=True)

    @property
    def place(self) -> tuple[int, int]:
        """(line, column): where the text starts, for ordering pieces of one line."""
        return self.line, self.column


class Section(BaseModel):
    """One of the six sections: its heading as printed, and its running text."""

    heading: str
    line: int
    column: int = Field(default=1, exclude=True)
    ordinal: str | None = Field(description="the ordinal as printed (一、, 1., （一）…), or null")
    position: int = Field(description="1-based order of appearance among the sections found")
    paragraphs: list[TextLine] = Field(default_factory=list, exclude=True)

    @property
    def place(self) -> tuple[int, int]:
        """(line, column): where the text starts, for ordering pieces of one line."""
        return self.line, self.column

    @property
    def text(self) -> str:
        """The section's running text, one paragraph a line."""
        return "\n".join(p.text for p in self.paragraphs)


class Claim(BaseModel):
    """A number the narrative states about a table quantity (or a declared zero)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    subject: str
    value: int
    quote: str
    line: int


class Enumeration(BaseModel):
    """A stated total and its parts: 共发布信息24条，其中政策文件2条、…"""

    model_config = ConfigDict(frozen=True)

    total: int
    parts: list[int]
    unit: str
    quote: str
    line: int


class Period(BaseModel):
    """The stated statistics period (统计期限)."""

    model_config = ConfigDict(frozen=True)

    start: datetime.date
    end: datetime.date
    quote: str
    line: int


class DateClaim(BaseModel):
    """The date under the signature (`signed`) or a stated publication date (`published`)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["signed", "published"]
    date: datetime.date
    quote: str
    line: int


class YearMention(BaseModel):
    """A sentence opening on a year and describing that year's work: `2023年，我镇…`."""

    model_config = ConfigDict(frozen=True)

    year: int
    quote: str
    line: int


class LabelNote(BaseModel):
    """A template label matched although printed differently (a typo, an edited wording)."""

    model_config = ConfigDict(frozen=True)

    table: TableKey
    row: str | None
    table_column: str | None
    printed: str
    expected: str
    line: int
    column: int | None


class Marker(BaseModel):
    """A label that belongs to one template only, where it was seen."""

    model_config = ConfigDict(frozen=True)

    template: str
    label: str
    line: int


class DetachedColumn(BaseModel):
    """A column whose cells a converter moved out of the table, read back by what their notes say."""

    model_config = ConfigDict(frozen=True)

    column: str
    rows: list[str]
    note: str = Field(description="the note that names the column, e.g. 含自然失效29件")
    line: int = Field(description="line of the first moved cell")


class TableInfo(BaseModel):
    """Where a table was found, and what of it could not be read."""

    line: int
    unread_rows: list[str] = Field(default_factory=list, description="rows whose cells could not be told apart")
    run_together_rows: list[str] = Field(
        default_factory=list, description="rows of run-together text whose cells no single reading recovers")
    detached_columns: list[DetachedColumn] = Field(
        default_factory=list, description="columns read from cells found outside the table")
    unplaced: bool = Field(
        default=False, description="some values stand where the table's header names no single column")


class Report(BaseModel):
    """A report as govlint understood it. Tables use the canonical keys; absent means absent."""

    schema_version: int = 1
    source: Source
    template: TemplateName
    year: int | None
    agency: str | None
    title: str | None
    title_line: int | None = None
    sections: dict[str, Section] = Field(default_factory=dict)
    table2: Grid | None = None
    table3: Grid | None = None
    table4: Grid | None = None
    tables: dict[str, TableInfo] = Field(default_factory=dict)
    markers: list[Marker] = Field(default_factory=list)
    label_notes: list[LabelNote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    enumerations: list[Enumeration] = Field(default_factory=list)
    period: Period | None = None
    dates: list[DateClaim] = Field(default_factory=list)
    year_mentions: list[YearMention] = Field(default_factory=list)
    paragraphs: list[TextLine] = Field(default_factory=list, exclude=True)
    lines: tuple[str, ...] = Field(default_factory=tuple, exclude=True)
    """The report's lines: the file's, up to where another report begins."""
    next_report_line: int | None = Field(default=None, exclude=True)
    """The line where the file holds another report after this one (S008); its text is not read."""
    spec: Template | None = Field(default=None, exclude=True)
    """The template the tables were read against (the fallback's for an unknown one)."""
    _memo: dict[str, Any] = PrivateAttr(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A value derived from the report (identities evaluated, say), computed once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def grid(self, table: str) -> Grid | None:
        """A table by its key (`table2`, `table3`, `table4`)."""
        grid: Grid | None = getattr(self, table)
        return grid

    def cell(self, address: str) -> CellValue | None:
        """The cell at a canonical address such as `table3.results_total.total`."""
        table, row, column = address.split(".")
        grid = self.grid(table)
        return None if grid is None else grid.get(row, {}).get(column)
