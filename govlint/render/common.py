"""Small things several renderers share: counting findings, the section a finding belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from govlint.engine.runner import FileResult
from govlint.findings import Finding, Severity
from govlint.report.model import Report
from govlint.report.templates import templates


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    """{"files": N, "error": n, "warning": n, "info": n}."""
    counts = {"files": len(results)}
    for severity in Severity:
        counts[severity.value] = sum(r.count(severity) for r in results)
    return counts


def section_of(finding: Finding, report: Report | None) -> str | None:
    """The section key a finding is about: the one it names, else the one its line falls in."""
    if finding.section is not None or report is None or finding.line is None:
        return finding.section
    containing = [s for s in report.sections.items() if s[1].line <= finding.line]
    return max(containing, key=lambda s: s[1].line)[0] if containing else None


def section_heading(key: str | None, report: Report | None) -> str:
    """The heading to group findings under."""
    if key is None:
        return "报告整体"
    if report is not None and key in report.sections:
        return report.sections[key].heading
    return templates().section(key).full_heading
