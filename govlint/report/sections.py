"""Finding the six section headings among the paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from govlint.document import Paragraph
from govlint.report.labels import normalize, split_ordinal, strip_residue
from govlint.report.templates import SectionSpec, templates

MAX_HEADING_LENGTH = 40
_TRAILING = regex.compile(r"[:。.;；]+$")


@dataclass(frozen=True)
class Heading:
    """A paragraph recognised as the heading of a section."""

    key: str
    text: str
    ordinal: str | None
    line: int
    column: int = 1


def _core(spec: SectionSpec) -> list[str]:
    return [normalize(v) for v in (spec.heading, *spec.variants)]


def match_heading(paragraph: Paragraph) -> Heading | None:
    """The section a paragraph is the heading of, if it is one."""
    text = strip_residue(paragraph.text).lstrip("#").strip()
    if not text or len(text) > MAX_HEADING_LENGTH:
        return None
    ordinal, rest = split_ordinal(normalize(text))
    if ordinal is not None and (ordinal.startswith("(") or ordinal[0].isdigit()):
        return None  # （一） and 1. number sub-headings inside a section, never the six sections
    rest = _TRAILING.sub("", rest)
    for spec in templates().sections:
        for core in _core(spec):
            if rest == core or (core in rest and len(rest) - len(core) <= 6 and rest.endswith(core[-2:])):
                return Heading(key=spec.key, text=text, ordinal=ordinal, line=paragraph.line,
                               column=paragraph.column)
    return None


def find_headings(paragraphs: list[Paragraph]) -> list[Heading]:
    """The first heading of each section, in document order."""
    found: dict[str, Heading] = {}
    for paragraph in paragraphs:
        heading = match_heading(paragraph)
        if heading is not None and heading.key not in found:
            found[heading.key] = heading
    return sorted(found.values(), key=lambda h: (h.line, h.column))
