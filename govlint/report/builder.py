"""Document → Report: sections, title/agency/year, template, and tables under canonical keys."""

from __future__ import annotations

from govlint.document import Document, Paragraph
from govlint.report.claims import (
    extract_claims,
    extract_dates,
    extract_enumerations,
    extract_period,
    extract_year_mentions,
)
from govlint.report.copies import first_report
from govlint.report.detect import decide_template, find_markers
from govlint.report.meta import read_meta
from govlint.report.model import Grid, Marker, Report, Section, TextLine
from govlint.report.sections import find_headings
from govlint.report.tables import read_tables
from govlint.report.templates import Registry, Template, templates


def build_report(document: Document, template: str | None = None, registry: Registry | None = None) -> Report:
    """Build the structured report; `template` forces a template instead of detecting it, and
    `registry` adds templates to the built-in ones."""
    registry = registry or templates()
    first = first_report(document.blocks)
    blocks = first.blocks
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    headings = find_headings(paragraphs)
    first_heading = (headings[0].line, headings[0].column) if headings else None
    front = [p for p in paragraphs if first_heading is None or (p.line, p.column) < first_heading]
    meta = read_meta(front, paragraphs)

    markers = find_markers(blocks, registry)
    looks_like_report = meta.title is not None or bool(headings)
    detected = decide_template(markers, meta.year, looks_like_report, registry)
    spec = registry.get(template or detected)
    tables = read_tables(blocks, spec)
    markers += _alternative_markers(spec, tables.grids.get("table3", {}))
    if not template:
        detected = decide_template(markers, meta.year, looks_like_report, registry)

    lines = [TextLine(line=p.line, text=p.text, column=p.column) for p in paragraphs]
    sections: dict[str, Section] = {}
    for position, heading in enumerate(headings, start=1):
        start = (heading.line, heading.column)
        end = (headings[position].line, headings[position].column) if position < len(headings) else None
        body = [line for line in lines if line.place > start and (end is None or line.place < end)]
        sections[heading.key] = Section(heading=heading.text, line=heading.line, column=heading.column,
                                        ordinal=heading.ordinal, position=position, paragraphs=body)
    front_lines = [TextLine(line=p.line, text=p.text) for p in front]
    return Report(
        source=document.source,
        template=template or detected,
        spec=spec,
        year=meta.year,
        agency=meta.agency,
        title=meta.title,
        title_line=meta.title_line,
        sections=sections,
        table2=tables.grids.get("table2"),
        table3=tables.grids.get("table3"),
        table4=tables.grids.get("table4"),
        tables=tables.info,
        markers=sorted(markers, key=lambda m: m.line),
        label_notes=tables.notes,
        claims=extract_claims(lines),
        enumerations=extract_enumerations(lines),
        period=extract_period(lines),
        dates=extract_dates(front_lines, lines),
        year_mentions=extract_year_mentions(lines),
        paragraphs=lines,
        lines=document.lines if first.next_start is None else document.lines[:_last_line(document, first.next_start)],
        next_report_line=None if first.next_start is None else first.next_start.line,
    )


def _last_line(document: Document, next_start: Paragraph) -> int:
    """The last line of a report followed by another: the line before the next one's start, or
    that line itself when text of this report stands before it on the line (run together)."""
    before = document.lines[next_start.line - 1][:next_start.column - 1]
    return next_start.line if before.strip() else next_start.line - 1


def _alternative_markers(spec: Template, table3: Grid) -> list[Marker]:
    """Another template's row kept in table 三 in place of the rows it replaces (the 2019 single
    row （六）其他处理 in a 2021 report) marks that template too (F004)."""
    if spec.table3 is None:
        return []
    return [Marker(template=row.marks, label=row.marker or row.label,
                   line=next(iter(table3[row.key].values())).line or 0)
            for row in spec.table3.alternatives
            if row.marks is not None and row.key in table3 and not set(row.replaces) & table3.keys()]
