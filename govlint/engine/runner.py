"""Running the rules on one report: select/ignore, severity overrides, suggestions, never a crash."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from govlint.engine.config import Settings
from govlint.engine.loader import LoadedRule
from govlint.engine.suggest import suggest, suggestion_text
from govlint.errors import ReadError
from govlint.findings import Finding, Hit, Severity
from govlint.mechanisms.identity import IdentityParams
from govlint.report.labels import normalize
from govlint.report.model import Report

log = logging.getLogger(__name__)
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


class Linter:
    """The loaded rules with the settings that apply to them."""

    def __init__(self, rules: list[LoadedRule], settings: Settings) -> None:
        self.rules = [r.with_params(settings.params[r.spec.code]) if r.spec.code in settings.params else r
                      for r in rules]
        self.settings = settings
        self._by_code = {r.spec.code: r for r in self.rules}

    def _finding(self, rule: LoadedRule, hit: Hit, message: str | None = None) -> Finding:
        spec = rule.spec
        default = hit.severity or spec.severity
        return Finding(
            code=spec.code, name=spec.name, severity=self.settings.severity_of(spec.code, default),
            message=message or spec.render(hit.variant, hit.fields), line=hit.line, column=hit.column,
            cells=list(hit.cells), section=hit.section, expected=hit.expected, actual=hit.actual,
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
        findings = self._with_suggestions(report, findings)
        return FileResult(path=path, report=report, findings=_sorted(findings))

    def check_pairs(self, results: list[FileResult]) -> None:
        """Run the across-years rules on every report whose agency's previous year is given too;
        the findings go to the later report."""
        dated = [r for r in results if r.report is not None and r.report.agency and r.report.year is not None]
        for result in dated:
            report = result.report
            assert report is not None and report.agency and report.year is not None
            previous = [r for r in dated if r.report and r.report.year == report.year - 1
                        and same_agency(r.report.agency or "", report.agency)]
            if len(previous) != 1:
                continue  # none, or several candidates for last year: nothing to compare safely
            last = previous[0].report
            assert last is not None
            rules = [r for r in self._applicable(report) if r.pairwise and last.template in r.spec.templates]
            for rule in rules:
                result.findings += self._run(rule, result.path, report, last)
            result.findings = _sorted(result.findings)

    def _applicable(self, report: Report) -> list[LoadedRule]:
        return [r for r in self.rules if self.settings.enabled(r.spec.code, report.source.path)
                and report.template in r.spec.templates]

    def _run(self, rule: LoadedRule, path: str, *reports: Report) -> list[Finding]:
        """The rule's findings on the report (and last year's, for an across-years rule)."""
        try:
            return [self._finding(rule, hit) for hit in rule.mechanism.check(*reports, rule.params)]  # type: ignore[arg-type]
        except Exception:  # a broken rule must not stop the others
            log.exception("rule %s failed on %s", rule.spec.code, path)
            return [self._internal(rule, path)]

    def _internal(self, rule: LoadedRule, path: str) -> Finding:
        return Finding(code=INTERNAL_ERROR_CODE, name="internal-error", severity=Severity.WARNING,
                       message=f"规则 {rule.spec.code} 在检查本文件时出错，已跳过；请将文件反馈给 govlint 维护者",
                       line=None, column=None)

    def _with_suggestions(self, report: Report, findings: list[Finding]) -> list[Finding]:
        identity_rules = [r for r in self.rules if isinstance(r.params, IdentityParams)]
        identity_codes = {r.spec.code for r in identity_rules}
        suggestions = suggest(report, [c for r in identity_rules for c in r.params.checks])
        if not suggestions:
            return findings
        explained: list[Finding] = []
        for finding in findings:
            table = finding.cells[0].split(".")[0] if finding.cells else None
            suggestion = suggestions.get(table) if table else None
            if suggestion is not None and finding.code in identity_codes and suggestion.cell in finding.cells:
                explained.append(finding.model_copy(update={
                    "suggestion": suggestion,
                    "message": f"{finding.message}；{suggestion_text(suggestion)}",
                }))
            else:
                explained.append(finding)
        return explained


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line if f.line is not None else 10**9, f.code))


MIN_AGENCY_NAME = 4


def same_agency(first: str, second: str) -> bool:
    """Whether two titles name the same agency: equal once folded, or one is the other with its
    place prefix (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
    a, b = normalize(first), normalize(second)
    if min(len(a), len(b)) < MIN_AGENCY_NAME:
        return a == b
    return a == b or a.endswith(b) or b.endswith(a)


def fails(results: Iterable[FileResult], fail_on: Severity) -> bool:
    """Whether any finding is at or above the failing severity."""
    return any(f.severity.rank >= fail_on.rank for r in results for f in r.findings)
