"""What the template requires to be there: sections, their headings, tables, rows, cells, title."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import Field

from govlint.findings import Hit
from govlint.mechanisms.base import TABLE_NAMES, Mechanism, Params, template_of, template_spec
from govlint.report.labels import normalize, split_ordinal, strip_residue
from govlint.report.model import Report
from govlint.report.sections import MAX_HEADING_LENGTH, resembles
from govlint.report.templates import column_label, row_label, templates

_NUMERALS = "一二三四五六七八九十"


class NoParams(Params):
    pass


def _row_labels(table: str, rows: Iterable[str], template: str) -> str:
    """Rows by their printed labels, quoted, for messages: “规章”、“行政规范性文件”."""
    return "、".join(f"“{row_label(table, row, template)}”" for row in rows)


class SectionParams(Params):
    cues: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Section key → words of its usual sub-headings (（一）2024年工作中存在问题的改进情况)."""


def _place(report: Report, index: int) -> tuple[list[tuple[int, str]], list[int]]:
    """The short lines between the sections found before and after the index-th section of the
    template, and the lines of the sections that follow it."""
    specs = templates().sections
    before = [report.sections[s.key].place for s in specs[:index] if s.key in report.sections]
    following = [report.sections[s.key].place for s in specs[index + 1:] if s.key in report.sections]
    start, end = max(before, default=(0, 0)), min(following, default=(len(report.lines) + 1, 0))
    lines = [(p.line, strip_residue(p.text).lstrip("#").strip()) for p in report.paragraphs
             if start < p.place < end and len(p.text) <= MAX_HEADING_LENGTH]
    return lines, [line for line, _ in following]


def _reworded(report: Report, index: int) -> tuple[int, str] | None:
    """In a missing section's place, a line opening on its ordinal that names it in other words
    (五、工作中存在的不足…): its heading, reworded (S002)."""
    spec = templates().sections[index]
    lines, _ = _place(report, index)
    return next(((n, t) for n, t in lines if t.startswith(f"{spec.ordinal}、") and resembles(t, spec.key)), None)


def required_sections(report: Report, params: SectionParams) -> Iterator[Hit]:
    """Missing sections (a heading in other words is S002's). In the missing section's place, a
    numbered sub-heading using its words ((一)主要问题) is its content with the heading lost: the
    finding points there."""
    for index, spec in enumerate(templates().sections):
        if spec.key in report.sections or _reworded(report, index) is not None:
            continue
        lines, following = _place(report, index)
        fields = {"heading": spec.full_heading}
        cue = next(((n, t) for n, t in lines if _is_sub_heading(t)
                    and any(word in t for word in params.cues.get(spec.key, ()))), None)
        if cue is not None:
            yield Hit(variant="content_without_heading", fields={**fields, "cue": cue[1]}, line=cue[0],
                      section=spec.key)
        else:
            yield Hit(fields=fields, line=following[0] if following else None, section=spec.key)


def _is_sub_heading(text: str) -> bool:
    """A line numbered as inside a section, not a sentence: (一)主要问题, 1.改进情况 (六、… is a heading)."""
    ordinal = split_ordinal(normalize(text))[0]
    return ordinal is not None and (ordinal.startswith("(") or ordinal[0].isdigit()) and not text.endswith("。")


def section_headings(report: Report, params: NoParams) -> Iterator[Hit]:
    """Headings without their ordinal or with a wrong one, headings in other words, and the order."""
    specs = templates().sections
    for index, spec in enumerate(specs):
        if spec.key not in report.sections and (reworded := _reworded(report, index)) is not None:
            yield Hit(variant="reworded", fields={"heading": reworded[1], "expected": spec.full_heading},
                      line=reworded[0], section=spec.key)
    found = [s for s in specs if s.key in report.sections]
    for spec in found:
        section = report.sections[spec.key]
        fields = {"heading": section.heading, "expected": spec.full_heading, "ordinal": f"{spec.ordinal}、"}
        ordinal = normalize(section.ordinal or "")
        numeral = "".join(ch for ch in ordinal if ch in _NUMERALS)
        if not ordinal:
            yield Hit(variant="missing_ordinal", fields=fields, line=section.line, section=spec.key)
        elif numeral != spec.ordinal:
            yield Hit(variant="wrong_ordinal", fields=fields, line=section.line, section=spec.key)
    positions = [report.sections[s.key].position for s in found]
    if positions != sorted(positions):
        in_order = sorted(report.sections, key=lambda k: report.sections[k].position)
        order = "、".join(report.sections[k].heading for k in in_order)
        yield Hit(variant="order", fields={"order": order}, line=None)


def required_tables(report: Report, params: NoParams) -> Iterator[Hit]:
    """A section that must hold a table, where no table of that kind is seen at all."""
    for spec in templates().sections:
        section, table = report.sections.get(spec.key), spec.table
        if (table is not None and section is not None and report.grid(table) is None
                and table not in report.tables):
            yield Hit(fields={"heading": section.heading, "table": TABLE_NAMES[table]},
                      line=section.line, section=spec.key)


CONVERTED_FORMATS = frozenset({"html", "pdf"})
"""Formats that are usually a conversion of the clerk's Word file, whose tables may suffer in it."""


def unplaced_tables(report: Report, params: NoParams) -> Iterator[Hit]:
    """A table that is there (its header or labels were seen) but none of whose rows could be read."""
    for table, info in report.tables.items():
        if report.grid(table) is not None:
            continue
        rows = _row_labels(table, info.unread_rows, template_of(report)) if info.unread_rows else ""
        variant = "converted" if report.source.format in CONVERTED_FORMATS else "default"
        yield Hit(variant=variant, fields={"table": TABLE_NAMES[table], "rows": rows or "全部各行"},
                  line=info.line, section=templates().section_of_table(table))


def _expected_rows(report: Report, table: str) -> list[tuple[str, tuple[str, ...]]]:
    """(row key, column keys) of every row the report's template wants in the table."""
    spec = template_spec(report)
    if table == "table2" and spec.table2 is not None:
        return [(r.key, tuple(k for k, _ in r.columns)) for r in spec.table2.rows]
    if table == "table4" and spec.table4 is not None:
        columns = tuple(c.key for c in spec.table4.columns)
        return [(b.key, columns) for b in spec.table4.blocks]
    if table == "table3" and spec.table3 is not None:
        columns = tuple(c.key for c in spec.table3.columns)
        return [(r.key, columns) for r in spec.table3.expected_rows(report.table3 or {})]
    return []


def required_cells(report: Report, params: NoParams) -> Iterator[Hit]:
    if not template_spec(report).has_tables:
        return
    for table in ("table2", "table3", "table4"):
        grid = report.grid(table)
        if grid is None:
            continue
        template = template_of(report)
        expected = _expected_rows(report, table)
        flagged = set(info.run_together_rows) if (info := report.tables.get(table)) else set()
        missing_rows = [key for key, _ in expected if key not in grid and key not in flagged]  # P003 has those
        missing_cells = [f"{table}.{key}.{c}" for key, columns in expected if key in grid
                         for c in columns if c not in grid[key]]
        info = report.tables.get(table)
        line = info.line if info else None
        section = templates().section_of_table(table)
        if missing_rows:
            keys = [key for key, _ in expected]
            present = [k for k in keys if k in grid]
            tail = bool(present) and all(keys.index(k) > keys.index(present[-1]) for k in missing_rows)
            unread = [k for k in missing_rows if info and k in info.unread_rows]
            cells = tuple(f"{table}.{key}.{c}" for key, columns in expected if key in missing_rows for c in columns)
            fields = {
                "table": TABLE_NAMES[table],
                "count": len(missing_rows),
                "rows": _row_labels(table, missing_rows, template),
                "last": row_label(table, present[-1], template) if present else "",
                "first_missing": row_label(table, missing_rows[0], template),
                "last_missing": row_label(table, missing_rows[-1], template),
                "unread": _row_labels(table, unread, template),
            }
            variant = "unread" if unread and len(unread) == len(missing_rows) else ("truncated" if tail else "rows")
            if variant == "truncated":
                line = min((c.line for c in grid[present[-1]].values() if c.line is not None), default=line)
            yield Hit(variant=variant, fields=fields, line=line, cells=cells, section=section)
        if missing_cells:
            yield Hit(variant="cells", fields={"table": TABLE_NAMES[table], "count": len(missing_cells)},
                      line=line, cells=tuple(missing_cells), section=section)


def title(report: Report, params: NoParams) -> Iterator[Hit]:
    if report.title is None:
        yield Hit(variant="missing", line=1)
        return
    fields = {"title": report.title}
    if report.year is None or str(report.year) not in report.title.replace(" ", ""):
        yield Hit(variant="no_year", fields=fields, line=report.title_line)
    if report.agency is None:
        yield Hit(variant="no_agency", fields=fields, line=report.title_line)


def another_report(report: Report, params: NoParams) -> Iterator[Hit]:
    """The file holds another report after this one, from the line the builder stopped reading."""
    if report.next_report_line is not None:
        yield Hit(fields={"line": report.next_report_line}, line=report.next_report_line)


REQUIRED_SECTIONS = Mechanism(SectionParams, required_sections)
SECTION_HEADINGS = Mechanism(NoParams, section_headings)
REQUIRED_TABLES = Mechanism(NoParams, required_tables)
UNPLACED_TABLES = Mechanism(NoParams, unplaced_tables)
REQUIRED_CELLS = Mechanism(NoParams, required_cells)
TITLE = Mechanism(NoParams, title)
ANOTHER_REPORT = Mechanism(NoParams, another_report)


def unreadable(report: Report, params: NoParams) -> Iterator[Hit]:
    """P001 is raised by the engine when an input cannot be read; a built report never has it."""
    return iter(())


UNREADABLE = Mechanism(NoParams, unreadable)


def run_together(report: Report, params: NoParams) -> Iterator[Hit]:
    """Rows of run-together text that no single reading recovers (P003)."""
    template = template_of(report)
    for table, info in report.tables.items():
        if not info.run_together_rows:
            continue
        columns = {key: cols for key, cols in _expected_rows(report, table)}
        yield Hit(fields={"table": TABLE_NAMES[table], "count": len(info.run_together_rows),
                          "rows": _row_labels(table, info.run_together_rows, template)},
                  line=info.line,
                  cells=tuple(f"{table}.{r}.{c}" for r in info.run_together_rows for c in columns.get(r, ())),
                  section=templates().section_of_table(table))


RUN_TOGETHER = Mechanism(NoParams, run_together)


def detached_columns(report: Report, params: NoParams) -> Iterator[Hit]:
    """Columns read from cells a converter moved out of the table (P004)."""
    template = template_of(report)
    for table, info in report.tables.items():
        for moved in info.detached_columns:
            yield Hit(fields={"table": TABLE_NAMES[table], "count": len(moved.rows), "note": moved.note,
                              "column": column_label(table, moved.rows[0], moved.column, template),
                              "rows": _row_labels(table, moved.rows, template)},
                      line=moved.line,
                      cells=tuple(f"{table}.{r}.{moved.column}" for r in moved.rows),
                      section=templates().section_of_table(table))


DETACHED_COLUMNS = Mechanism(NoParams, detached_columns)
