"""The template label tables (templates.toml) as typed, cached data."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

from pydantic import BaseModel, ConfigDict

TEMPLATE_YEARS = ("2021", "2019")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SectionSpec(_Frozen):
    key: str
    table: str | None = None
    """The table the section must hold (二, 三, 四)."""
    ordinal: str
    heading: str
    variants: tuple[str, ...] = ()

    @property
    def full_heading(self) -> str:
        return f"{self.ordinal}、{self.heading}"


class Table2Row(_Frozen):
    key: str
    label: str
    templates: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]


class Table2Block(_Frozen):
    label: str
    rows: tuple[Table2Row, ...]
    templates: tuple[str, ...] = TEMPLATE_YEARS


class Table2Spec(_Frozen):
    blocks: tuple[Table2Block, ...]
    header_groups: tuple[str, ...] = ()
    """Header labels above the columns that name no column (信息内容)."""
    column_terms: dict[str, tuple[str, ...]]
    note_negations: tuple[str, ...]

    def column_named_by(self, note: str) -> set[str]:
        """The columns whose terms a cell's note uses (none if the note negates)."""
        if any(word in note for word in self.note_negations):
            return set()
        return {column for column, terms in self.column_terms.items() if any(t in note for t in terms)}

    def rows(self, template: str) -> tuple[Table2Row, ...]:
        """The rows of table 二 in the given template, in order."""
        return tuple(r for b in self.blocks for r in b.rows if template in r.templates)


class KeyLabel(_Frozen):
    key: str
    label: str


class Table3Row(_Frozen):
    key: str
    label: str
    group: str | None = None
    result: bool = False
    templates: tuple[str, ...] = TEMPLATE_YEARS


class Table3Spec(_Frozen):
    note: str
    columns: tuple[KeyLabel, ...]
    groups: tuple[str, ...]
    header_groups: tuple[str, ...] = ()
    """Header labels above the columns that name no column (申请人情况, 法人或其他组织)."""
    rows: tuple[Table3Row, ...]

    def template_rows(self, template: str) -> tuple[Table3Row, ...]:
        """The rows of table 三 in the given template, in order."""
        return tuple(r for r in self.rows if template in r.templates)

    def expected_rows(self, template: str, present: set[str] | frozenset[str] = frozenset()) -> tuple[Table3Row, ...]:
        """The rows a report should have: the template's, except that a 2021 report whose
        （六）其他处理 is one row (or a 2019 one with the three sub-rows) keeps what it has —
        F004 reports the mixed template, the arithmetic still uses the rows that are there."""
        rows = list(self.template_rows(template))
        sub_rows = [r for r in self.rows if r.group == "（六）其他处理"]
        single = self.row("other")
        has_sub_rows = any(r.key in present for r in sub_rows)
        if template == "2021" and single.key in present and not has_sub_rows:
            at = rows.index(sub_rows[0])
            rows[at:at + len(sub_rows)] = [single]
        elif template == "2019" and has_sub_rows and single.key not in present:
            at = rows.index(single)
            rows[at:at + 1] = sub_rows
        return tuple(rows)

    def row(self, key: str) -> Table3Row:
        return next(r for r in self.rows if r.key == key)

    @property
    def applicant_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.key != "total")


class Table4Block(_Frozen):
    key: str
    label: str
    aliases: tuple[str, ...] = ()


class Table4Spec(_Frozen):
    blocks: tuple[Table4Block, ...]
    columns: tuple[KeyLabel, ...]
    header_groups: tuple[str, ...] = ()
    """Header labels above the blocks that name no block (行政诉讼)."""


class Templates(_Frozen):
    sections: tuple[SectionSpec, ...]
    table2: Table2Spec
    table3: Table3Spec
    table4: Table4Spec
    markers: dict[str, tuple[str, ...]]

    def section(self, key: str) -> SectionSpec:
        return next(s for s in self.sections if s.key == key)

    def section_of_table(self, table: str) -> str:
        """The key of the section that holds a table: table3 → applications."""
        return next(s.key for s in self.sections if s.table == table)


@cache
def templates() -> Templates:
    """The template data shipped with govlint."""
    text = files("govlint.report").joinpath("templates.toml").read_text(encoding="utf-8")
    return Templates.model_validate(tomllib.loads(text))


def row_label(table: str, row: str, template: str = "2021") -> str:
    """The printed label of a row (or table-四 block), for messages."""
    spec = templates()
    if table == "table3":
        return spec.table3.row(row).label
    if table == "table4":
        return next(b.label for b in spec.table4.blocks if b.key == row)
    for candidate in (template, *TEMPLATE_YEARS):
        for r in spec.table2.rows(candidate):
            if r.key == row:
                return r.label
    return row


def column_label(table: str, row: str, column: str, template: str = "2021") -> str:
    """The printed label of a column, for messages."""
    spec = templates()
    if table == "table3":
        return next(c.label for c in spec.table3.columns if c.key == column)
    if table == "table4":
        return next(c.label for c in spec.table4.columns if c.key == column)
    for candidate in (template, *TEMPLATE_YEARS):
        for r in spec.table2.rows(candidate):
            if r.key == row:
                for key, label in r.columns:
                    if key == column:
                        return label
    return column
