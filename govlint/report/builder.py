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
from govlint.report.detect import decide_template, find_markers
from govlint.report.meta import read_meta
from govlint.report.model import Marker, Report, Section, TemplateName, TextLine
from govlint.report.runtogether import split_sections
from govlint.report.sections import find_headings
from govlint.report.tables import read_tables


def build_report(document: Document, template: TemplateName | None = None) -> Report:
    """Build the structured report; `template` forces a template instead of detecting it."""
    blocks = tuple(piece for block in document.blocks
                   for piece in (split_sections(block) if isinstance(block, Paragraph) else [block]))
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    headings = find_headings(paragraphs)
    first_heading = headings[0].line if headings else None
    front = [p for p in paragraphs if first_heading is None or p.line < first_heading]
    meta = read_meta(front, paragraphs)

    markers = find_markers(blocks)
    looks_like_report = meta.title is not None or bool(headings)
    detected = decide_template(markers, meta.year, looks_like_report)
    tables = read_tables(blocks, template or detected)
    table3 = tables.grids.get("table3", {})
    if "other" in table3 and not {"other_no_correction", "other_unpaid_fee", "other_other"} & table3.keys():
        line = next(iter(table3["other"].values())).line or 0
        markers.append(Marker(template="2019", label="（六）其他处理（单行，无三个子项）", line=line))
        detected = decide_template(markers, meta.year, looks_like_report)

    sections: dict[str, Section] = {}
    for position, heading in enumerate(headings, start=1):
        end = headings[position].line if position < len(headings) else None
        body = [TextLine(line=p.line, text=p.text) for p in paragraphs
                if p.line > heading.line and (end is None or p.line < end)]
        sections[heading.key] = Section(heading=heading.text, line=heading.line, ordinal=heading.ordinal,
                                        position=position, paragraphs=body)
    lines = [TextLine(line=p.line, text=p.text) for p in paragraphs]
    front_lines = [TextLine(line=p.line, text=p.text) for p in front]
    return Report(
        source=document.source,
        template=template or detected,
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
        lines=document.lines,
    )
