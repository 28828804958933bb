"""Which template a report follows, from the labels that belong to one template only."""

from __future__ import annotations

from collections.abc import Iterator

from govlint.document import Block, Paragraph
from govlint.report.labels import normalize, split_ordinal
from govlint.report.model import Marker, TemplateName
from govlint.report.templates import templates

MAX_LABEL_PARAGRAPH = 40
"""Longer paragraphs are narrative: a label named in a sentence is no template marker…"""
MIN_MARKERS_IN_RUN = 3
"""…unless it holds several: a table whose cells ran together into one line (crawler text)."""


def _texts(blocks: tuple[Block, ...]) -> Iterator[tuple[str, int]]:
    for block in blocks:
        if isinstance(block, Paragraph):
            if len(block.text) <= MAX_LABEL_PARAGRAPH or _marker_count(block.text) >= MIN_MARKERS_IN_RUN:
                yield block.text, block.line
        else:
            for row in block.rows:
                for cell in row:
                    if cell.text:
                        yield cell.text, cell.line


def _wanted() -> list[tuple[str, str, str]]:
    """(template, label, normalized core) of every marker."""
    return [(template, label, split_ordinal(normalize(label))[1])
            for template, labels in templates().markers.items() for label in labels]


def _marker_count(text: str) -> int:
    norm = normalize(text)
    return sum(core in norm for _, _, core in _wanted())


def find_markers(blocks: tuple[Block, ...]) -> list[Marker]:
    """The first place each template-specific label is seen."""
    wanted = _wanted()
    seen: dict[str, Marker] = {}
    for text, line in _texts(blocks):
        norm = normalize(text)
        for template, label, core in wanted:
            if label not in seen and core in norm:
                seen[label] = Marker(template=template, label=label, line=line)  # type: ignore[arg-type]
    return sorted(seen.values(), key=lambda m: m.line)


MIN_MARKERS = 2
"""A real table shows several labels of its template; one label alone may be a mention."""


def decide_template(markers: list[Marker], year: int | None, looks_like_report: bool) -> TemplateName:
    """The template with more markers; a tie goes by the reporting year."""
    count_2021 = sum(m.template == "2021" for m in markers)
    count_2019 = sum(m.template == "2019" for m in markers)
    if max(count_2021, count_2019) >= MIN_MARKERS:
        if count_2021 != count_2019:
            return "2021" if count_2021 > count_2019 else "2019"
        return "2019" if year is not None and year < 2021 else "2021"
    if any(m.template == "pre2019" for m in markers):
        return "pre2019"
    return "pre2019" if looks_like_report and year is not None and year < 2019 else "unknown"
