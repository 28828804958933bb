"""Prose slips a careful reader marks: doubled words, list numbering, sub-headings numbered as sections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

import regex

from govlint import patterns
from govlint.findings import Hit
from govlint.mechanisms.base import Mechanism, Params, template_spec
from govlint.report.claims import RunningText, parse_count
from govlint.report.labels import normalize, split_ordinal
from govlint.report.model import Report, TextLine
from govlint.report.sections import MAX_HEADING_LENGTH, resembles
from govlint.report.templates import templates

QUOTE_CONTEXT = 6


_CLAUSE_MARK = patterns.compile(r"[，。；：、,;:]")


HAN = ("\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf"
       "\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9\U00016fe2-\U00016fe3\U00016ff0-\U00016ff6"
       "\U00020000-\U0002a6df\U0002a700-\U0002b81e\U0002b820-\U0002cead\U0002ceb0-\U0002ebe0"
       "\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-\U0003134a\U00031350-\U00033479")
"""The Han script as a character class for `re`, whose backreferences are several times faster
than `regex`'s on long texts (it agrees with `regex`'s \\p{Han} on every code point, tested)."""
_HAN = patterns.compile(r"\p{Han}")


def _table_lines(report: Report) -> frozenset[int]:
    """Lines from a table's first line to its last cell: headers and labels are no prose."""
    def compute() -> frozenset[int]:
        lines: set[int] = set()
        for key, info in report.tables.items():
            cells = [c.line for row in (report.grid(key) or {}).values() for c in row.values() if c.line is not None]
            lines.update(range(info.line, max(cells, default=info.line) + 1))
        return frozenset(lines)
    return report.memo("prose-table-lines", compute)


def _prose_runs(report: Report, paragraphs: list[TextLine]) -> list[RunningText]:
    """The sentences among the paragraphs, outside tables, as runs of consecutive lines: a line
    with no clause mark (a menu item, a table header, a sub-heading) ends a run, so words are
    never joined across it."""
    table_lines = _table_lines(report)
    runs: list[list[TextLine]] = []
    previous = -1
    for paragraph in paragraphs:
        if paragraph.line in table_lines or not _CLAUSE_MARK.search(paragraph.text):
            continue
        if paragraph.line != previous + 1 or not runs:
            runs.append([])
        runs[-1].append(paragraph)
        previous = paragraph.line
    return [RunningText(run) for run in runs]


class DoubledParams(Params):
    never_doubled: str
    """Characters that are never written twice in a row (的, 了, 和…): 的的 is a slip."""
    allowed: tuple[str, ...] = ()
    """Words with a doubled character or part that are right (的的确确, 目的的, 研究研究)."""
    longest: int = 30
    """The longest doubled phrase looked for, in characters."""

    @cached_property
    def phrase(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<w>[{HAN}][{HAN}\d \u3000]{{1,{self.longest - 1}}}?)(?P=w)")

    @cached_property
    def single(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<w>[{re.escape(self.never_doubled)}])(?P=w)")


def doubled_words(report: Report, params: DoubledParams) -> Iterator[Hit]:
    """A word or phrase written twice in a row (审核审核, 资金资金), or a function character doubled
    (的的). Reduplicated words (常常, 人人, 认认真真) are single characters doubled, never reported
    unless listed in `never_doubled`; the words of `allowed` are never reported."""
    phrase, single = params.phrase, params.single
    body = [p for section in report.sections.values() for p in section.paragraphs]
    for running in _prose_runs(report, body):
        text = running.text
        for match in sorted([*phrase.finditer(text), *single.finditer(text)], key=lambda m: m.start()):
            word = match.group("w")
            if match.re is phrase and len(_HAN.findall(word)) < 2:
                continue
            if _allowed(text, match.start(), match.end(), params.allowed):
                continue
            start = max(match.start() - QUOTE_CONTEXT, 0)
            context = text[start:match.end() + QUOTE_CONTEXT].replace("\n", "")
            yield Hit(fields={"word": word.strip(), "context": context},
                      line=running.line_at(match.start()))


def _allowed(text: str, start: int, end: int, allowed: tuple[str, ...]) -> bool:
    """Whether an allowed word covers the doubled span."""
    for word in allowed:
        window_start = max(start - len(word), 0)
        for found in regex.finditer(regex.escape(word), text[window_start:end + len(word)]):
            if window_start + found.start() <= start and window_start + found.end() >= end:
                return True
    return False


_ITEM = patterns.compile(r"(?:^|(?<=[。；;：:！？!?，,\s]))(?P<n>[一二三四五六七八九十]{1,3})是")


def list_numbering(report: Report, params: Params) -> Iterator[Hit]:
    """Lists numbered 一是、二是…: an ordinal that skips or repeats. Each 一是 starts a new list."""
    for section in report.sections.values():
        items: list[tuple[int, int, str]] = []
        for running in _prose_runs(report, section.paragraphs):
            for match in _ITEM.finditer(running.text):
                number = parse_count(match.group("n"))
                if number is not None:
                    items.append((number, running.line_at(match.start("n")), match.group(0)))
        lists: list[list[tuple[int, int, str]]] = []
        for item in items:
            if item[0] == 1 or not lists:
                lists.append([])
            lists[-1].append(item)
        for numbered in lists:
            numbers = [n for n, _, _ in numbered]
            if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] == 1:
                continue
            printed = "、".join(word for _, _, word in numbered)
            expected = "、".join(_chinese(n) + "是" for n in range(1, len(numbered) + 1))
            first_wrong = next(i for i, n in enumerate(numbers) if n != i + 1)
            yield Hit(fields={"printed": printed, "expected": expected, "heading": section.heading},
                      line=numbered[first_wrong][1])


_NUMERALS = "一二三四五六七八九十"


def _chinese(number: int) -> str:
    if number <= len(_NUMERALS):
        return _NUMERALS[number - 1]
    return "十" + _NUMERALS[number - 11] if number < 20 else str(number)


def section_ordinals(report: Report, params: Params) -> Iterator[Hit]:
    """Sub-headings inside a section numbered like the six sections (二、工作机制保障 inside 一、):
    they collide with the template's own 二、… headings."""
    headings = {spec.ordinal: spec.full_heading for spec in templates().sections}
    missing = {spec.ordinal: spec.key for spec in templates().sections if spec.key not in report.sections}
    table3 = template_spec(report).table3
    row_labels = {normalize(r.label) for r in (table3.all_rows if table3 is not None else ())}
    table_lines = _table_lines(report)
    for section in report.sections.values():
        found = []
        for paragraph in section.paragraphs:
            if paragraph.line in table_lines:
                continue
            text = paragraph.text.strip().lstrip("#").strip()
            ordinal, rest = split_ordinal(normalize(text))
            if (ordinal is None or not ordinal.endswith("、") or len(text) > MAX_HEADING_LENGTH
                    or text.endswith("。") or not rest or any(normalize(text).startswith(r) for r in row_labels)):
                continue  # not a heading, or a table 三 row label (一、本年新收…) outside its table
            numeral = ordinal.rstrip("、")
            if numeral in missing and resembles(text, missing[numeral]):
                continue  # a missing section's own heading in other words (S002)
            if numeral in headings:
                found.append((paragraph.line, text, numeral))
        if not found:
            continue
        line, text, numeral = found[0]
        others = "".join(f"“{t}”" for _, t, _ in found[:3]) + ("等" if len(found) > 3 else "")
        yield Hit(fields={"heading": section.heading, "count": len(found), "sub_headings": others,
                          "first": text, "collides": headings[numeral], "numeral": numeral},
                  line=line)


DOUBLED_WORDS = Mechanism(DoubledParams, doubled_words)
LIST_NUMBERING = Mechanism(Params, list_numbering)
SECTION_ORDINALS = Mechanism(Params, section_ordinals)
