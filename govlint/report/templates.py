"""The report templates as data: one file per national format in formats/, and the registry.

Each file describes one template (2021, 2019, pre2019): its sections, its three tables' header
labels, row labels and identities, and the labels only it prints. Everything that needs to know a
template reads it from here; adding a template is adding a file (`Registry.load` takes extra
folders), as sqlfluff adds a dialect.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Literal

import tomli
from pydantic import BaseModel, ConfigDict, Field

TABLES = ("table2", "table3", "table4")
MIN_DISTINCTIVE_LABEL = 3
"""A column label this long names its table alone."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TemplateError(ValueError):
    """A template file that cannot be loaded; the message names the file."""


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


class Identity(_Frozen):
    """An equality the template's numbers obey, per column or per row: sum(left) = sum(right).

    Terms are row keys (`each = "column"`) or column keys (`each = "row"`); `$results` stands for
    the rows marked `result`, `$parts` for the columns marked `part`.
    """

    name: str
    each: Literal["column", "row"]
    left: tuple[str, ...]
    right: tuple[str, ...]


class Table2Row(_Frozen):
    key: str
    label: str
    columns: tuple[tuple[str, str], ...]
    """(column key, the column's label as printed in the header)."""


class Table2Block(_Frozen):
    label: str
    rows: tuple[Table2Row, ...]


class Table2Spec(_Frozen):
    blocks: tuple[Table2Block, ...]
    header_groups: tuple[str, ...] = ()
    """Header labels above the columns that name no column (信息内容)."""
    column_terms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    note_negations: tuple[str, ...] = ()
    identities: tuple[Identity, ...] = ()

    @property
    def rows(self) -> tuple[Table2Row, ...]:
        """The rows of table 二, in order."""
        return tuple(r for b in self.blocks for r in b.rows)

    def column_named_by(self, note: str) -> set[str]:
        """The columns whose terms a cell's note uses (none if the note negates)."""
        if any(word in note for word in self.note_negations):
            return set()
        return {column for column, terms in self.column_terms.items() if any(t in note for t in terms)}


class ColumnSpec(_Frozen):
    key: str
    label: str
    part: bool = False
    """Whether the column is one of those that add up to the row's total."""


class Table3Row(_Frozen):
    key: str
    label: str
    group: str | None = None
    result: bool = False
    replaces: tuple[str, ...] = ()
    """For an alternative row (the other template's): the rows it stands in for."""
    marks: str | None = None
    marker: str | None = None
    """For an alternative row that only another template has: that template, and how the
    marker is quoted when a report holds it (F004)."""


class Table3Spec(_Frozen):
    note: str
    header_groups: tuple[str, ...] = ()
    """Header labels above the columns that name no column (申请人情况, 法人或其他组织)."""
    groups: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[Table3Row, ...]
    alternatives: tuple[Table3Row, ...] = ()
    identities: tuple[Identity, ...] = ()

    @property
    def all_rows(self) -> tuple[Table3Row, ...]:
        """The template's rows and the alternatives a report may hold instead."""
        return self.rows + self.alternatives

    def expected_rows(self, present: Iterable[str] = ()) -> tuple[Table3Row, ...]:
        """The rows a report should have: the template's, except that an alternative row the
        report holds instead of the rows it replaces takes their place (F004 reports the mixed
        template; the arithmetic uses the rows that are there)."""
        present = set(present)
        rows = list(self.rows)
        for alternative in self.alternatives:
            if alternative.key in present and not present & set(alternative.replaces):
                at = next(i for i, r in enumerate(rows) if r.key in alternative.replaces)
                rows = [r for r in rows if r.key not in alternative.replaces]
                if alternative.key not in {r.key for r in rows}:
                    rows.insert(at, alternative)
        return tuple(rows)

    def row(self, key: str) -> Table3Row:
        return next(r for r in self.all_rows if r.key == key)

    @property
    def part_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.part)

    @property
    def distinctive_columns(self) -> tuple[str, ...]:
        """Labels of the applicant columns that name this table alone (其他, 总计 head others too)."""
        return tuple(c.label for c in self.columns if c.part and len(c.label) >= MIN_DISTINCTIVE_LABEL)

    def expand_rows(self, names: Iterable[str], present: Iterable[str] = ()) -> list[str]:
        """Row keys of an identity's side, `$results` resolved against the rows a report has."""
        keys: list[str] = []
        for name in names:
            keys += [r.key for r in self.expected_rows(present) if r.result] if name == "$results" else [name]
        return keys

    def expand_columns(self, names: Iterable[str]) -> list[str]:
        """Column keys of an identity's side, `$parts` resolved."""
        return _expand_parts(names, self.part_columns)


class Table4Block(_Frozen):
    key: str
    label: str
    aliases: tuple[str, ...] = ()


class Table4Spec(_Frozen):
    header_groups: tuple[str, ...] = ()
    """Header labels above the blocks that name no block (行政诉讼)."""
    blocks: tuple[Table4Block, ...]
    columns: tuple[ColumnSpec, ...]
    identities: tuple[Identity, ...] = ()

    @property
    def part_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.part)

    def expand_rows(self, names: Iterable[str], present: Iterable[str] = ()) -> list[str]:
        """Block keys of an identity's side (table 四 has no symbolic row sets)."""
        return list(names)

    def expand_columns(self, names: Iterable[str]) -> list[str]:
        """Column keys of an identity's side, `$parts` resolved."""
        return _expand_parts(names, self.part_columns)


def _expand_parts(names: Iterable[str], parts: tuple[str, ...]) -> list[str]:
    keys: list[str] = []
    for name in names:
        keys += list(parts) if name == "$parts" else [name]
    return keys


class Template(_Frozen):
    """One report template."""

    name: str
    label: str
    """How the template is named to users: 2021年版格式."""
    title: str
    description: str
    first_year: int | None = None
    last_year: int | None = None
    """The reporting years the template is the right one for."""
    fallback: bool = False
    """Whether a report whose template is not recognised is read and checked against this one."""
    deadline: str = "01-31"
    """Month-day of the following year by which the report must be published…"""
    deadline_basis: str = "《条例》第四十九条：每年1月31日前公布"
    """…and the article that says so, as messages quote it."""
    extends: str | None = None
    """The template this one is a variant of: rules written for that one apply to this one too."""
    markers: tuple[str, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    table2: Table2Spec | None = None
    table3: Table3Spec | None = None
    table4: Table4Spec | None = None

    def __hash__(self) -> int:
        """Templates are loaded once and compared by identity, so that indexes of one can be cached."""
        return id(self)

    @property
    def has_tables(self) -> bool:
        return self.table3 is not None

    def covers(self, year: int) -> bool:
        """Whether this is the right template for a report of that year."""
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year)

    def section(self, key: str) -> SectionSpec:
        return next(s for s in self.sections if s.key == key)

    def section_of_table(self, table: str) -> str:
        """The key of the section that holds a table: table3 → applications."""
        return next(s.key for s in self.sections if s.table == table)

    def identities(self, table: str) -> tuple[Identity, ...]:
        spec = getattr(self, table)
        return spec.identities if spec is not None else ()

    def identity(self, qualified: str) -> Identity | None:
        """An identity by its qualified name, e.g. `table3.balance`."""
        table, _, name = qualified.partition(".")
        return next((i for i in self.identities(table) if i.name == name), None)

    def row_label(self, table: str, row: str) -> str | None:
        """The printed label of a row (or table-四 block), None if the template has no such row."""
        return self._labels[0].get((table, row))

    def column_label(self, table: str, row: str, column: str) -> str | None:
        """The printed label of a column, None if the template has no such column."""
        labels = self._labels[1]
        return labels.get((table, row, column)) or labels.get((table, "", column))

    @cached_property
    def _labels(self) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], str]]:
        """(table, row) → row label and (table, row, column) → column label ("" for any row)."""
        rows: dict[tuple[str, str], str] = {}
        columns: dict[tuple[str, str, str], str] = {}
        if self.table3 is not None:
            rows |= {("table3", r.key): r.label for r in reversed(self.table3.all_rows)}
            columns |= {("table3", "", c.key): c.label for c in self.table3.columns}
        if self.table4 is not None:
            rows |= {("table4", b.key): b.label for b in self.table4.blocks}
            columns |= {("table4", "", c.key): c.label for c in self.table4.columns}
        if self.table2 is not None:
            rows |= {("table2", r.key): r.label for r in reversed(self.table2.rows)}
            columns |= {("table2", r.key, key): label for r in self.table2.rows for key, label in r.columns}
        return rows, columns


class Registry:
    """The templates govlint knows: the built-in ones and any loaded from extra folders."""

    def __init__(self, loaded: Iterable[Template]) -> None:
        self.templates: dict[str, Template] = {t.name: t for t in loaded}
        fallbacks = [t for t in self.templates.values() if t.fallback]
        if len(fallbacks) != 1:
            raise TemplateError(f"模板中应恰有一个 fallback = true 的格式，现有 {len(fallbacks)} 个")
        self.fallback = fallbacks[0]

    @classmethod
    def load(cls, folders: Iterable[Path] = ()) -> Registry:
        """The built-in templates, then those in `folders` (a file of the same name replaces one)."""
        texts = [(str(f), f.read_text(encoding="utf-8"))
                 for f in files("govlint.report").joinpath("formats").iterdir() if f.name.endswith(".toml")]
        for folder in folders:
            texts += [(str(p), p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.toml"))]
        loaded: dict[str, Template] = {}
        for name, text in texts:
            try:
                template = Template.model_validate(tomli.loads(text))
            except (tomli.TOMLDecodeError, ValueError) as error:
                raise TemplateError(f"模板文件 {name} 无法读取：{error}") from error
            loaded[template.name] = template
        return cls(loaded.values())

    def get(self, name: str) -> Template:
        """A template by name; a report whose template is unknown is read against the fallback."""
        return self.templates.get(name, self.fallback)

    @cached_property
    def with_tables(self) -> tuple[Template, ...]:
        """The templates that have the three tables, newest first."""
        return tuple(sorted((t for t in self.templates.values() if t.has_tables),
                            key=lambda t: -(t.first_year or 0)))

    def for_year(self, year: int) -> Template | None:
        """The template with tables that is right for a reporting year."""
        return next((t for t in self.with_tables if t.covers(year)), None)

    @property
    def sections(self) -> tuple[SectionSpec, ...]:
        """The sections of the national templates (the fallback's)."""
        return self.fallback.sections

    def section(self, key: str) -> SectionSpec:
        return self.fallback.section(key)

    def section_of_table(self, table: str) -> str:
        return self.fallback.section_of_table(table)

    @cached_property
    def markers(self) -> dict[str, tuple[str, ...]]:
        """Template name → the labels only it prints."""
        return {t.name: t.markers for t in self.templates.values() if t.markers}


@cache
def templates() -> Registry:
    """The templates shipped with govlint."""
    return Registry.load()


def row_label(table: str, row: str, template: str = "2021", registry: Registry | None = None) -> str:
    """The printed label of a row (or table-四 block), for messages; the key if no template has it."""
    registry = registry or templates()
    for candidate in (registry.get(template), *registry.with_tables):
        label = candidate.row_label(table, row)
        if label is not None:
            return label
    return row


def column_label(table: str, row: str, column: str, template: str = "2021",
                 registry: Registry | None = None) -> str:
    """The printed label of a column, for messages; the key if no template has it."""
    registry = registry or templates()
    for candidate in (registry.get(template), *registry.with_tables):
        label = candidate.column_label(table, row, column)
        if label is not None:
            return label
    return column
