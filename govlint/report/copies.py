"""A file holding more than one report: a converter that looped, two reports pasted into one file.

A report has each of its sections once. When the whole sequence of its section headings, in
order, starts again after its last section, the rest of the file is another report (or another
copy of this one): that report begins at its title, or at its first heading when no title stands
between the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from govlint.document import Block, Paragraph
from govlint.report.labels import normalize, split_ordinal
from govlint.report.meta import TITLE_SEARCH, title_start
from govlint.report.runtogether import split_sections
from govlint.report.sections import MAX_HEADING_LENGTH, match_heading

MIN_SECTIONS = 3
"""Fewer headings than half the template's six are too few to tell a second report from a
heading that happens to be repeated."""


class FirstReport(NamedTuple):
    """The blocks of the file's first report (paragraphs cut at section headings), and where the
    next report begins when the file holds another."""

    blocks: tuple[Block, ...]
    next_start: Paragraph | None = None


def first_report(blocks: Iterable[Block]) -> FirstReport:
    """The first report's blocks, read up to the point where the file's second report begins.

    The blocks are consumed only that far: the rest of the file is not cut into sections. A
    table of contents is no report: the sequence of headings seen again after it is the report.
    """
    pieces: list[Block] = []
    order: list[str] = []  # section keys in order of their first heading
    first = -1  # index in `pieces` of the first heading of the report being read
    last_heading = -1  # index in `pieces` of its last heading seen before a repeat began
    repeat = -1  # index in `pieces` of the heading that may begin the sequence again
    matched = 0  # how much of `order` the repeat has shown, in order
    for block in blocks:
        for piece in split_sections(block) if isinstance(block, Paragraph) else (block,):
            pieces.append(piece)
            heading = match_heading(piece) if isinstance(piece, Paragraph) else None
            if heading is None:
                continue
            if heading.key not in order:  # a section of the first report: any repeat so far was none
                order.append(heading.key)
                repeat, matched = -1, 0
            elif len(order) >= MIN_SECTIONS and heading.key == order[0]:
                repeat, matched = len(pieces) - 1, 1
            elif repeat >= 0 and heading.key == order[matched]:
                matched += 1
            if first < 0:
                first = len(pieces) - 1
            if repeat >= 0 and matched == len(order):
                if _contents_only(pieces[first:repeat]):
                    first, repeat, matched = repeat, -1, 0
                else:
                    start = _start(pieces, last_heading, repeat)
                    begins = pieces[start]
                    assert isinstance(begins, Paragraph)  # a title or a heading
                    return FirstReport(tuple(pieces[:start]), next_start=begins)
            if repeat < 0:
                last_heading = len(pieces) - 1
    return FirstReport(tuple(pieces))


def _contents_only(pieces: list[Block]) -> bool:
    """Short lines only (headings, sub-headings, page numbers), no table and no sentence: the
    entries of a table of contents, not a report's sections."""
    return all(isinstance(piece, Paragraph) and len(piece.text) <= MAX_HEADING_LENGTH for piece in pieces)


def _start(pieces: list[Block], last_heading: int, repeat: int) -> int:
    """Where the second report begins: its title, read as a report's title is read (the first
    among the TITLE_SEARCH paragraphs of its front matter, here those before its first heading
    and after the first report's last heading), but no numbered item of the first report's last
    section (7. …年度报告…); else its first heading."""
    between = [(index, piece) for index, piece in enumerate(pieces[last_heading + 1:repeat], start=last_heading + 1)
               if isinstance(piece, Paragraph) and split_ordinal(normalize(piece.text))[0] is None]
    front = between[-TITLE_SEARCH:]
    found = title_start([piece for _, piece in front])
    return repeat if found is None else front[found][0]
