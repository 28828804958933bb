"""Running the rules on one report: select/ignore, severity overrides, suggestions, never a crash."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

from govlint.engine.config import Settings
from govlint.engine.loader import LoadedRule
from govlint.errors import ReadError
from govlint.findings import Finding, Hit, Severity

if TYPE_CHECKING:
    from govlint.report.model import Report, TemplateName

READ_ERROR_CODE = "P001"
INTERNAL_ERROR_CODE = "P999"


@dataclass
class FileResult:
    """The findings for one input (with its report when it could be read)."""

    path: str
    report: Report | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def template(self) -> str | None:
        return self.report.template if self.report else None

    @property
    def year(self) -> int | None:
        return self.report.year if self.report else None

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)

    def merged(self, extra: list[Finding]) -> FileResult:
        """The same result with more findings, all in line order."""
        return FileResult(path=self.path, report=self.report, findings=_sorted([*self.findings, *extra]))


class Linter:
    """The loaded rules with the settings that apply to them."""

    def __init__(self, rules: list[LoadedRule], settings: Settings) -> None:
        self.rules = [r.with_params(settings.params[r.spec.code]) if r.spec.code in settings.params else r
                      for r in rules]
        self.settings = settings
        self.template: TemplateName | None = None if settings.template == "auto" else settings.template
        """The template every report is checked as, when the settings force one."""
        self._by_code = {r.spec.code: r for r in self.rules}

    def prepare(self) -> None:
        """Import every rule's mechanism and validate its parameters (a broken rule fails here)."""
        for rule in self.rules:
            rule.bind()

    def _finding(self, rule: LoadedRule, hit: Hit, message: str | None = None) -> Finding:
        spec = rule.spec
        default = hit.severity or spec.severity
        return Finding(
            code=spec.code, name=spec.name, severity=self.settings.severity_of(spec.code, default),
            message=message or spec.render(hit.variant, hit.fields), line=hit.line, column=hit.column,
            cells=list(hit.cells), section=hit.section, expected=hit.expected, actual=hit.actual,
            suggestion=hit.suggestion,
        )

    def unreadable(self, error: ReadError) -> FileResult:
        """The result for an input that could not be read at all (P001)."""
        rule = self._by_code.get(READ_ERROR_CODE)
        message = error.message
        if rule is None:
            return FileResult(path=error.path, report=None)
        finding = self._finding(rule, Hit(fields={"reason": message}, line=None))
        return FileResult(path=error.path, report=None, findings=[finding])

    def check(self, report: Report) -> FileResult:
        """Every enabled rule that applies to the report's template, in line order."""
        path = report.source.path
        findings: list[Finding] = []
        for rule in self._applicable(report):
            if not rule.pairwise:
                findings += self._run(rule, path, report)
        findings = fold_diagnosed(report, findings)
        return FileResult(path=path, report=report, findings=_sorted(findings))

    def check_pairs(self, results: list[FileResult]) -> None:
        """Run the across-years rules on every report whose agency's previous year is given too;
        the findings go to the later report."""
        index = PairIndex(d for i, r in enumerate(results) if (d := dated(i, r)) is not None)
        for later, earlier in index.pairs():
            report, last = results[later.place].report, results[earlier.place].report
            assert report is not None and last is not None
            extra = self.check_pair(report, last)
            if extra:
                results[later.place] = results[later.place].merged(extra)

    def pairs_with(self, later: Dated, earlier: Dated, path: str) -> bool:
        """Whether any across-years rule applies to this pair, the later report's file at `path`
        (decided without their reports)."""
        return any(r.pairwise and earlier.template in r.spec.templates
                   for r in self._enabled(frozenset({later.template}), path))

    def check_pair(self, report: Report, last: Report) -> list[Finding]:
        """The across-years findings of `report` against last year's `last`."""
        rules = [r for r in self._applicable(report)
                 if r.pairwise and not lineage(last).isdisjoint(r.spec.templates)]
        return [f for rule in rules for f in self._run(rule, report.source.path, report, last)]

    def _applicable(self, report: Report) -> list[LoadedRule]:
        return self._enabled(lineage(report), report.source.path)

    def _enabled(self, templates: frozenset[str], path: str) -> list[LoadedRule]:
        """The enabled rules for a file whose template (or the one it is a variant of) is in `templates`."""
        return [r for r in self.rules if self.settings.enabled(r.spec.code, path)
                and not templates.isdisjoint(r.spec.templates)]

    def _run(self, rule: LoadedRule, path: str, *reports: Report) -> list[Finding]:
        """The rule's findings on the report (and last year's, for an across-years rule)."""
        try:
            return [self._finding(rule, hit) for hit in rule.mechanism.check(*reports, rule.params)]  # type: ignore[call-arg]
        except Exception:  # a broken rule must not stop the others
            import logging  # only here: a run without a failing rule never loads it

            logging.getLogger(__name__).exception("rule %s failed on %s", rule.spec.code, path)
            return [self._internal(rule, path)]

    def _internal(self, rule: LoadedRule, path: str) -> Finding:
        return Finding(code=INTERNAL_ERROR_CODE, name="internal-error", severity=Severity.WARNING,
                       message=f"规则 {rule.spec.code} 在检查本文件时出错，已跳过；请将文件反馈给 govlint 维护者",
                       line=None, column=None)

def lineage(report: Report) -> frozenset[str]:
    """The report's template and the one it is a variant of: the rules of either apply."""
    spec = report.spec
    extends = spec.extends if spec is not None and spec.name == report.template else None
    return frozenset({report.template, *([extends] if extends else [])})


def fold_diagnosed(report: Report, findings: list[Finding]) -> list[Finding]:
    """One cause, one finding: the identity findings that one diagnosed cell explains become one
    finding at that cell, listing every identity it breaks and the value that mends them all."""
    by_cell: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.suggestion is not None:
            by_cell.setdefault(finding.suggestion.cell, []).append(finding)
    kept: list[Finding] = []
    for finding in findings:
        if finding.suggestion is not None:
            group = by_cell[finding.suggestion.cell]
            if finding is min(group, key=lambda f: f.code):
                kept.append(_folded(report, group))
            continue
        kept.append(finding)
    return kept


def _folded(report: Report, group: list[Finding]) -> Finding:
    first = min(group, key=lambda f: f.code)
    suggestion = first.suggestion
    assert suggestion is not None
    cell = report.cell(suggestion.cell)
    from govlint.report.values import format_number  # as the labels below: not loaded by a cached run

    value = format_number(suggestion.value)
    if len(group) == 1:
        message = f"{first.message}；若其余数字无误，{suggestion.label}应为{value}"
    else:
        written = f"填写为 {cell.raw}" if cell is not None and cell.raw else "未填写（按 0 计）"
        broken = "；".join(f"{f.message}（{f.code}）" for f in sorted(group, key=lambda f: f.code))
        message = (f"{suggestion.label}{written}，使 {len(group)} 个等式不成立：{broken}。"
                   f"若其余数字无误，该格应为{value}，改后这些等式全部成立")
    related = [c for c in dict.fromkeys(c for f in group for c in f.cells) if c != suggestion.cell]
    return first.model_copy(update={
        "message": message, "cells": [suggestion.cell], "related_cells": related,
        "line": cell.line if cell is not None and cell.line is not None else first.line,
        "column": cell.column if cell is not None else first.column,
    })


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line if f.line is not None else 10**9, f.code))


MIN_AGENCY_NAME = 4


def same_agency(first: str, second: str) -> bool:
    """Whether two titles name the same agency: equal once folded, or one is the other with its
    place prefix (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
    from govlint.report.labels import normalize

    return _same_folded(normalize(first), normalize(second))


def _same_folded(a: str, b: str) -> bool:
    if min(len(a), len(b)) < MIN_AGENCY_NAME:
        return a == b
    return a == b or a.endswith(b) or b.endswith(a)


class Dated(NamedTuple):
    """What pairing needs of one report: its place in the batch, year, folded agency, template."""

    place: int
    year: int
    agency: str
    template: str


Pairing = tuple[int, str, str]
"""(year, folded agency, template): what pairs a report with its agency's other years."""


def pairing(result: FileResult) -> Pairing | None:
    """The pairing facts of a result, if its report names an agency and a year."""
    report = result.report
    if report is None or not report.agency or report.year is None:
        return None
    from govlint.report.labels import normalize  # which compiles patterns: not loaded by a cached run

    return report.year, normalize(report.agency), report.template


def dated(index: int, result: FileResult) -> Dated | None:
    """The result's pairing facts at its place in the batch."""
    facts = pairing(result)
    return None if facts is None else Dated(index, *facts)


class PairIndex:
    """Reports by (year, folded agency) and by (year, suffix of the agency), so that finding last
    year's report of an agency costs a few dictionary look-ups, not a pass over the batch."""

    def __init__(self, entries: Iterable[Dated]) -> None:
        self.entries = list(entries)
        self._named: dict[tuple[int, str], list[Dated]] = defaultdict(list)
        self._reversed: dict[int, list[tuple[str, int, Dated]]] = defaultdict(list)
        """Each year's reports by their agency spelt backwards, sorted: the agencies ending with a
        name are a run of them (one string a report, not one per suffix of its agency)."""
        for entry in self.entries:
            self._named[entry.year, entry.agency].append(entry)
            self._reversed[entry.year].append((entry.agency[::-1], entry.place, entry))
        for backwards in self._reversed.values():
            backwards.sort()

    def _ending_with(self, year: int, agency: str) -> Iterator[Dated]:
        """The reports of a year whose agency ends with `agency` (itself included)."""
        backwards = self._reversed.get(year, [])
        tail = agency[::-1]
        for name, _, entry in islice(backwards, bisect_left(backwards, (tail,)), None):
            if not name.startswith(tail):
                return
            yield entry

    def previous(self, entry: Dated) -> Dated | None:
        """The one report of the same agency a year earlier; None if there is none or several."""
        year, agency = entry.year - 1, entry.agency
        found = {e.place: e for e in self._named.get((year, agency), [])}
        if len(agency) >= MIN_AGENCY_NAME:
            found.update((e.place, e) for e in self._ending_with(year, agency))
            for start in range(1, len(agency) - MIN_AGENCY_NAME + 1):
                found.update((e.place, e) for e in self._named.get((year, agency[start:]), []))
        matches = [e for e in found.values() if _same_folded(e.agency, agency)]
        return matches[0] if len(matches) == 1 else None

    def pairs(self) -> list[tuple[Dated, Dated]]:
        """(later, earlier) for every report whose agency's previous year is in the batch once."""
        return [(entry, last) for entry in self.entries if (last := self.previous(entry)) is not None]


def slim(result: FileResult) -> FileResult:
    """The result with its report cut down to what renderers other than html read (template, year,
    agency, title, section headings), so that a batch can keep thousands of them."""
    report = result.report
    if report is None:
        return result
    sections = {key: s.model_copy(update={"paragraphs": []}) for key, s in report.sections.items()}
    header = type(report)(source=report.source, template=report.template, year=report.year,  # a Report
                          agency=report.agency, title=report.title, title_line=report.title_line,
                          sections=sections)
    return FileResult(path=result.path, report=header, findings=result.findings)


def tally(results: Iterable[FileResult]) -> Counter[Severity]:
    """How many findings of each severity the results hold (kept by a batch as it grows)."""
    kept: Counter[Severity] | None = getattr(results, "severities", None)
    return kept if kept is not None else Counter(f.severity for r in results for f in r.findings)


def fails(results: Iterable[FileResult], fail_on: Severity) -> bool:
    """Whether any finding is at or above the failing severity."""
    return any(count and severity.rank >= fail_on.rank for severity, count in tally(results).items())
