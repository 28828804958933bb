"""Checks across two reports of the same agency in consecutive years."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import NamedTuple

from govlint import patterns
from govlint.findings import Hit
from govlint.mechanisms.base import PairMechanism, Params, cell_name, template_of
from govlint.report.model import Report, Section
from govlint.report.templates import column_label, row_label, templates
from govlint.report.values import CellKind, cell_kind, format_number

LAST_YEAR = "last:"


class CrossCheck(Params):
    """For each key: sum(left) = sum(right); a term is an address with `{key}`, optionally
    prefixed by `-` (subtract) and `last:` (a cell of last year's report)."""

    each: tuple[str, ...]
    left: tuple[str, ...]
    right: tuple[str, ...]


class CrossParams(Params):
    checks: tuple[CrossCheck, ...]


class _Term(NamedTuple):
    address: str
    value: float | int
    last_year: bool
    negative: bool

    @property
    def signed(self) -> float | int:
        return -self.value if self.negative else self.value


def _term(report: Report, last: Report, term: str, key: str) -> _Term | None:
    negative = term.startswith("-")
    term = term.lstrip("-")
    source = last if term.startswith(LAST_YEAR) else report
    address = term.removeprefix(LAST_YEAR).format(key=key)
    cell = source.cell(address)
    if cell is None or cell_kind(cell.raw) is CellKind.TEXT:
        return None
    return _Term(address, cell.value or 0, source is last, negative)


def _side(report: Report, last: Report, terms: tuple[str, ...], key: str) -> list[_Term] | None:
    found = [_term(report, last, t, key) for t in terms]
    return None if any(f is None for f in found) else [f for f in found if f is not None]


def _describe(side: list[_Term], template: str) -> str:
    text = ""
    for index, term in enumerate(side):
        name = f"{'上年' if term.last_year else '本年'}{cell_name(term.address, template)}({format_number(term.value)})"
        text += name if index == 0 else ("－" if term.negative else "＋") + name
    return text


def cross_identity(report: Report, last: Report, params: CrossParams) -> Iterator[Hit]:
    template = template_of(report)
    for check in params.checks:
        for key in check.each:
            left = _side(report, last, check.left, key)
            right = _side(report, last, check.right, key)
            if left is None or right is None:
                continue
            left_sum, right_sum = sum(t.signed for t in left), sum(t.signed for t in right)
            if left_sum == right_sum:
                continue
            anchor = report.cell(left[0].address)
            yield Hit(
                fields={"label": column_label("table3", "", key) if key in _t3_columns() else row_label("table2", key),
                        "left": format_number(left_sum), "right": format_number(right_sum),
                        "left_terms": _describe(left, template), "right_terms": _describe(right, template),
                        "last_path": last.source.path, "last_year": last.year},
                line=anchor.line if anchor else None, column=anchor.column if anchor else None,
                cells=tuple(t.address for t in left + right if not t.last_year),
                expected=float(right_sum), actual=float(left_sum),
            )


def _t3_columns() -> set[str]:
    return {c.key for c in templates().fallback.table3.columns}  # type: ignore[union-attr]


class SimilarityParams(Params):
    sections: tuple[str, ...]
    threshold: float = 0.85
    min_length: int = 40
    """Sections with less own text than this (e.g. only 无) are not compared."""
    required: tuple[str, ...] = ()
    """Patterns of sentences every report must contain (the fee statement): not the section's own text."""


_SENTENCE = patterns.compile(r"[^。；！？]*[。；！？]?")
_CLAUSE_MARK = patterns.compile(r"[，。；！？,;]")
_DIGITS = patterns.compile(r"\d+")
_SPACE = patterns.compile(r"\s+")


def _own_text(section: Section, required: tuple[str, ...]) -> str:
    """The section's sentences, without what every report must say and without lines that are no
    sentence (sub-headings, page furniture such as 附件下载 or 关闭); years and counts masked, since
    they change every year even in a copied text."""
    kept = [sentence for paragraph in section.paragraphs for sentence in _SENTENCE.findall(paragraph.text)
            if _CLAUSE_MARK.search(sentence) and not any(patterns.compile(p).search(sentence) for p in required)]
    return _DIGITS.sub("#", _SPACE.sub("", "".join(kept)))


def similarity(report: Report, last: Report, params: SimilarityParams) -> Iterator[Hit]:
    for key in params.sections:
        this, before = report.sections.get(key), last.sections.get(key)
        if this is None or before is None:
            continue
        a, b = _own_text(this, params.required), _own_text(before, params.required)
        if min(len(a), len(b)) < params.min_length:
            continue
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if matcher.real_quick_ratio() < params.threshold or matcher.quick_ratio() < params.threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= params.threshold:
            yield Hit(fields={"heading": this.heading, "percent": f"{ratio:.0%}", "last_path": last.source.path,
                              "last_year": last.year},
                      line=this.line, section=key)


CROSS_IDENTITY = PairMechanism(CrossParams, cross_identity)
SIMILARITY = PairMechanism(SimilarityParams, similarity)
