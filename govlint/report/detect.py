"""Which template a report follows, from the labels that belong to one template only."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import cache
from itertools import accumulate

from govlint.document import Block, Paragraph
from govlint.report.labels import normalize, split_ordinal
from govlint.report.model import Marker
from govlint.report.templates import Registry

MAX_LABEL_PARAGRAPH = 40
"""Longer paragraphs are narrative: a label named in a sentence is no template marker…"""
MIN_MARKERS_IN_RUN = 3
"""…unless it holds several: a table whose cells ran together into one line (crawler text)."""


def _texts(blocks: tuple[Block, ...], wanted: list[tuple[str, str, str]]) -> Iterator[tuple[str, int]]:
    """(normalized text, line) of every paragraph that may hold a label, and of every cell."""
    for block in blocks:
        if isinstance(block, Paragraph):
            norm = normalize(block.text)
            if (len(block.text) <= MAX_LABEL_PARAGRAPH
                    or sum(core in norm for _, _, core in wanted) >= MIN_MARKERS_IN_RUN):
                yield norm, block.line
        else:
            for row in block.rows:
                for cell in row:
                    if cell.text:
                        yield normalize(cell.text), cell.line


@cache
def _wanted(registry: Registry) -> list[tuple[str, str, str]]:
    """(template, label, normalized core) of every marker."""
    return [(template, label, split_ordinal(normalize(label))[1])
            for template, labels in registry.markers.items() for label in labels]


def find_markers(blocks: tuple[Block, ...], registry: Registry) -> list[Marker]:
    """The first place each template-specific label is seen."""
    wanted = _wanted(registry)
    texts = list(_texts(blocks, wanted))
    if not texts:
        return []
    joined = "\n".join(norm for norm, _ in texts)  # a core never holds a line break
    ends = list(accumulate(len(norm) + 1 for norm, _ in texts))
    first: dict[str, tuple[int, int, str]] = {}
    for order, (template, label, core) in enumerate(wanted):
        found = joined.find(core)
        if found < 0:
            continue
        text = bisect_right(ends, found)
        if label not in first or (text, order) < first[label][:2]:
            first[label] = (text, order, template)
    order_seen = sorted(first.items(), key=lambda item: (texts[item[1][0]][1], *item[1][:2]))
    return [Marker(template=template, label=label, line=texts[text][1]) for label, (text, _, template) in order_seen]


MIN_MARKERS = 2
"""A real table shows several labels of its template; one label alone may be a mention."""


def decide_template(markers: list[Marker], year: int | None, looks_like_report: bool, registry: Registry) -> str:
    """The template with tables whose markers are most (at least MIN_MARKERS; a variant whose own
    markers are seen before the template it extends), a tie going by the reporting year; else, for
    a text that looks like a report (a title or a section heading), a template without tables
    whose markers are seen or whose years the report's year falls in; else "unknown"."""
    counts = Counter(m.template for m in markers)
    recognised = [t for t in registry.with_tables if counts[t.name] >= MIN_MARKERS]
    variants_of = {t.extends for t in recognised if t.extends}
    candidates = [t for t in recognised if t.name not in variants_of]  # a variant beats what it changes
    if candidates:
        top = max(counts[t.name] for t in candidates)
        leaders = [t for t in candidates if counts[t.name] == top]
        by_year = registry.for_year(year) if year is not None else None
        for choice in (by_year, registry.fallback):
            if len(leaders) > 1 and choice in leaders:
                return choice.name
        return leaders[0].name
    for template in registry.templates.values():
        if template.has_tables:
            continue
        if looks_like_report and (counts[template.name] or (year is not None and template.covers(year))):
            return template.name
    return "unknown"
