"""`--format html`: one self-contained page — per file a summary, the findings by section, and
tables 二/三/四 redrawn as in the template with the cells of every finding highlighted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from jinja2 import Environment, PackageLoader

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.findings import Finding, Severity
from govlint.mechanisms.base import template_spec
from govlint.render.common import (
    UNREAD_TEMPLATE,
    file_counts,
    findings_by_section,
    govlint_version,
    section_heading,
    summary,
    template_name,
)
from govlint.report.model import Report
from govlint.report.templates import Table3Row, Table3Spec, Template

MISSING_TEXT = "缺"
MISSING_TITLE = "报告中没有这个单元格"
BLANK_TEXT = "空"
RESULTS_TOTAL_ROW = "results_total"

Marks = dict[str, list[Finding]]
"""canonical cell address → the findings about that cell."""


@dataclass(frozen=True)
class Slot:
    """One cell of a redrawn table: a label (`th`) or a value (`td`) with its highlighting."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    heading: bool = True
    classes: str = ""
    title: str = ""
    was: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class TableView:
    """A table as the template draws it: header rows, body rows, or why it is not drawn."""

    key: str
    caption: str
    head: list[list[Slot]] = field(default_factory=list)
    body: list[list[Slot]] = field(default_factory=list)
    absent: bool = False


@dataclass(frozen=True)
class Link:
    """A link the page that embeds the report adds above it (the web page's downloads)."""

    label: str
    href: str
    download: str | None = None
    """The file name to save under, for a download link."""


@dataclass(frozen=True)
class FileView:
    """Everything the page shows about one input file."""

    anchor: str
    result: FileResult
    template_name: str
    counts: dict[str, int]
    groups: list[tuple[str, list[Finding]]]
    tables: list[TableView]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _marks(findings: Sequence[Finding]) -> Marks:
    marks: Marks = {}
    for finding in findings:
        for address in dict.fromkeys([*finding.cells, *finding.related_cells]):
            marks.setdefault(address, []).append(finding)
    return marks


def _value_slot(report: Report, address: str, marks: Marks) -> Slot:
    """A value cell: its raw text (or 缺), the worst severity of its findings, their messages,
    and the suggested value when a finding suggests one for this cell."""
    cell = report.cell(address)
    found = marks.get(address, [])
    classes = ["value"]
    text = cell.raw if cell is not None else MISSING_TEXT
    if cell is None:
        classes.append("missing")
    elif not cell.raw:
        classes.append("blank")
    if found:
        worst = max(found, key=lambda f: f.severity.rank)
        classes += ["flagged", f"sev-{worst.severity.value}"]
    title = "\n".join(f"{f.code} {f.message}" for f in found) or (MISSING_TITLE if cell is None else "")
    suggested = next((f.suggestion for f in found if f.suggestion is not None and f.suggestion.cell == address), None)
    if suggested is None:
        return Slot(text, heading=False, classes=" ".join(classes), title=title, address=address)
    classes.append("suggested")
    return Slot(_number(suggested.value), heading=False, classes=" ".join(classes), title=title,
                was=text or BLANK_TEXT, address=address)


def _spread(slots: list[Slot], width: int) -> list[Slot]:
    """Widen the last slot so that a short row fills the table's width."""
    if not slots or len(slots) >= width:
        return slots
    return [*slots[:-1], replace(slots[-1], colspan=slots[-1].colspan + width - len(slots))]


def _table2(report: Report, spec: Template, marks: Marks) -> TableView:
    assert spec.table2 is not None
    width = max(len(r.columns) for r in spec.table2.rows)
    item_header = spec.table2.header_groups[0] if spec.table2.header_groups else ""
    body: list[list[Slot]] = []
    for block in spec.table2.blocks:
        body.append([Slot(block.label, colspan=width + 1, classes="block")])
        labels = [Slot(label, classes="column") for _, label in block.rows[0].columns]
        body.append([Slot(item_header, classes="column"), *_spread(labels, width)])
        for row in block.rows:
            values = [_value_slot(report, f"table2.{row.key}.{key}", marks) for key, _ in row.columns]
            body.append([Slot(row.label, classes="row"), *_spread(values, width)])
    return TableView("table2", "表二　主动公开政府信息情况", body=body)


def _table3_head(spec: Table3Spec) -> list[list[Slot]]:
    """The template's header: the applicants above all columns, the legal entities above the
    columns between the first and the total (as the national templates draw it)."""
    columns = spec.columns
    natural, legal, total = columns[0], columns[1:-1], columns[-1]
    applicants, entities = (*spec.header_groups, "", "")[:2]
    return [
        [Slot(spec.note, colspan=3, rowspan=3, classes="note"), Slot(applicants, colspan=len(columns))],
        [Slot(natural.label, rowspan=2, classes="column"), Slot(entities, colspan=len(legal)),
         Slot(total.label, rowspan=2, classes="column")],
        [Slot(c.label, classes="column") for c in legal],
    ]


def _table3_labels(rows: Sequence[Table3Row], results_heading: str) -> list[list[Slot]]:
    """The three label columns of table 三: 三、本年度办理结果 spans the result rows, each
    group label (（三）不予公开 …) spans its items, other labels fill the remaining columns."""
    in_results = [r.result or r.key == RESULTS_TOTAL_ROW for r in rows]
    labels: list[list[Slot]] = []
    for i, row in enumerate(rows):
        if not in_results[i]:
            labels.append([Slot(row.label, colspan=3, classes="row")])
            continue
        slots: list[Slot] = []
        if i == 0 or not in_results[i - 1]:
            slots.append(Slot(results_heading, rowspan=sum(in_results[i:]), classes="group"))
        if row.group is None:
            slots.append(Slot(row.label, colspan=2, classes="row"))
        else:
            if i == 0 or rows[i - 1].group != row.group:
                size = sum(1 for r in rows[i:] if r.group == row.group)
                slots.append(Slot(row.group, rowspan=size, classes="group"))
            slots.append(Slot(row.label, classes="row"))
        labels.append(slots)
    return labels


def _table3(report: Report, template: Template, marks: Marks) -> TableView:
    spec = template.table3
    assert spec is not None
    rows = spec.expected_rows(report.table3 or {})
    labels = _table3_labels(rows, spec.groups[0])
    body = [
        label + [_value_slot(report, f"table3.{row.key}.{c.key}", marks) for c in spec.columns]
        for row, label in zip(rows, labels, strict=True)
    ]
    return TableView("table3", "表三　收到和处理政府信息公开申请情况", head=_table3_head(spec), body=body)


def _table4(report: Report, template: Template, marks: Marks) -> TableView:
    spec = template.table4
    assert spec is not None
    review, litigation = spec.blocks[0], spec.blocks[1:]
    width = len(spec.columns)
    litigation_header = spec.header_groups[0] if spec.header_groups else ""
    head = [
        [Slot(review.label, colspan=width), Slot(litigation_header, colspan=width * len(litigation))],
        [Slot(c.label, rowspan=2, classes="column") for c in spec.columns]
        + [Slot(b.label, colspan=width) for b in litigation],
        [Slot(c.label, classes="column") for b in litigation for c in spec.columns],
    ]
    body = [[_value_slot(report, f"table4.{b.key}.{c.key}", marks) for b in spec.blocks for c in spec.columns]]
    return TableView("table4", "表四　政府信息公开行政复议、行政诉讼情况", head=head, body=body)


TABLES: tuple[Callable[[Report, Template, Marks], TableView], ...] = (_table2, _table3, _table4)


def _tables(report: Report | None, findings: Sequence[Finding]) -> list[TableView]:
    """Tables 二/三/四 as the report's template draws them (none for a template without tables)."""
    if report is None:
        return []
    spec = template_spec(report)
    if not spec.has_tables:
        return []
    marks = _marks(findings)
    views = []
    for draw in TABLES:
        view = draw(report, spec, marks)
        views.append(view if report.grid(view.key) is not None else TableView(view.key, view.caption, absent=True))
    return views


def _file_view(index: int, result: FileResult) -> FileView:
    return FileView(
        anchor=f"file-{index}",
        result=result,
        template_name=template_name(result.report) if result.report else UNREAD_TEMPLATE,
        counts=file_counts(result),
        groups=[(section_heading(key, result.report), found) for key, found in findings_by_section(result)],
        tables=_tables(result.report, result.findings),
    )


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("govlint.render", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec], *, links: Sequence[Link] = (),
           notes: Sequence[str] = (), style_nonce: str | None = None) -> str:
    """The page; `links`, `notes` (sentences above the report) and the nonce of its one style
    element are for a page that serves it under a Content-Security-Policy (govlint serve)."""
    files = [_file_view(i, r) for i, r in enumerate(results, start=1)]
    used = sorted({f.code for r in results for f in r.findings})
    return _environment().get_template("report.html").render(
        files=files,
        total=summary(results),
        rules=[rules[code] for code in used if code in rules],
        version=govlint_version(),
        severities=list(Severity),
        links=links,
        notes=notes,
        style_nonce=style_nonce,
    )
