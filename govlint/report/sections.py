"""Finding the six section headings among the paragraphs."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import NamedTuple

import regex

from govlint import patterns
from govlint.document import Paragraph
from govlint.report.labels import normalize, split_ordinal, strip_residue
from govlint.report.remember import remembered
from govlint.report.templates import SectionSpec, templates

MAX_HEADING_LENGTH = 40
_TRAILING = patterns.compile(r"[:。.;；]+$")


class Heading(NamedTuple):
    """A paragraph recognised as the heading of a section."""

    key: str
    text: str
    ordinal: str | None
    line: int
    column: int = 1


def _core(spec: SectionSpec) -> list[str]:
    return [normalize(v) for v in (spec.heading, *spec.variants)]


@cache
def heading_cores() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(section key, its headings normalized) for each section."""
    return tuple((spec.key, tuple(_core(spec))) for spec in templates().sections)


def match_heading(paragraph: Paragraph) -> Heading | None:
    """The section a paragraph is the heading of, if it is one."""
    found = _heading_of(paragraph.text)
    if found is None:
        return None
    key, text, ordinal = found
    return Heading(key=key, text=text, ordinal=ordinal, line=paragraph.line, column=paragraph.column)


@remembered
def _heading_of(printed: str) -> tuple[str, str, str | None] | None:
    """(section key, heading text, ordinal) when a paragraph's text is a section heading."""
    text = strip_residue(printed).lstrip("#").strip()
    if not text or len(text) > MAX_HEADING_LENGTH:
        return None
    ordinal, rest = split_ordinal(normalize(text))
    if ordinal is not None and (ordinal.startswith("(") or ordinal[0].isdigit()):
        return None  # （一） and 1. number sub-headings inside a section, never the six sections
    rest = _TRAILING.sub("", rest)
    for key, cores in heading_cores():
        for core in cores:
            if rest == core or (core in rest and len(rest) - len(core) <= 6 and rest.endswith(core[-2:])):
                return key, text, ordinal
    return None


def find_headings(paragraphs: list[Paragraph]) -> list[Heading]:
    """The first heading of each section, in document order."""
    found: dict[str, Heading] = {}
    for paragraph in paragraphs:
        heading = match_heading(paragraph)
        if heading is not None and heading.key not in found:
            found[heading.key] = heading
    return sorted(found.values(), key=lambda h: (h.line, h.column))


def _bigrams(text: str) -> set[str]:
    han = regex.sub(r"[^\p{Han}]", "", text)
    return {han[i:i + 2] for i in range(len(han) - 1)}


@cache
def _distinctive() -> dict[str, frozenset[str]]:
    """Per section, the two-character words of its headings that no other section's heading has."""
    words = {spec.key: set().union(*(_bigrams(core) for core in _core(spec))) for spec in templates().sections}
    counts = Counter(word for found in words.values() for word in found)
    return {key: frozenset(w for w in found if counts[w] == 1) for key, found in words.items()}


def resembles(text: str, key: str) -> bool:
    """Whether a heading in other words names this section: it uses a word of the section's
    template heading that no other section's heading has (申请 for 三, 存在 or 改进 for 五)."""
    return bool(_bigrams(normalize(text)) & _distinctive()[key])
