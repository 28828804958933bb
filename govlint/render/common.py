"""Small things several renderers share: counting findings, the section a finding belongs to."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, tally
from govlint.engine.spill import Piece
from govlint.findings import Finding, Severity

if TYPE_CHECKING:
    from govlint.report.model import Report
    from govlint.report.templates import Registry


def templates() -> Registry:
    """The template registry, loaded when a file's findings are first rendered (a run whose every
    file comes from the cache writes the pieces kept with them and never loads it)."""
    from govlint.report.templates import templates as registry

    return registry()


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    """{"files": N, "error": n, "warning": n, "info": n}."""
    kept = tally(results)
    return {"files": len(results), **{severity.value: kept[severity] for severity in Severity}}


Assemble = Callable[[Iterable[Piece], dict[str, int]], Iterator[str]]
"""A streamed format's whole output from its pieces, file by file, and the run's `summary`."""


def concatenated(pieces: Iterable[Piece], totals: dict[str, int]) -> Iterator[str]:
    """The `assemble` of a format whose output is its files' pieces one after another (nothing
    opens or closes it)."""
    return (part.text for part in pieces)


def streamed(piece: Callable[[FileResult, dict[str, RuleSpec]], Piece], assemble: Assemble,
             results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    """A streamed format's output from results: each file's piece made here, then assembled."""
    return assemble((piece(r, rules) for r in results), summary(results))


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


UNKNOWN_TEMPLATE = "未识别格式"


def template_name(report: Report) -> str:
    """The Chinese name of the report's template, for headers and summaries."""
    if report.spec is not None and report.spec.name == report.template:
        return report.spec.label
    known = templates().templates.get(report.template)
    return known.label if known is not None else UNKNOWN_TEMPLATE
UNREAD_TEMPLATE = "无法读取"
"""What stands for the template of a file that could not be read."""


def file_counts(result: FileResult) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n} for one file."""
    return {s.value: result.count(s) for s in Severity}


def findings_by_section(result: FileResult) -> list[tuple[str | None, list[Finding]]]:
    """The file's findings grouped by section, in template order (findings about the whole
    report first), each group by line then code."""
    order = {s.key: i for i, s in enumerate(templates().sections)}
    keyed = [(section_of(f, result.report), f) for f in result.findings]
    keyed.sort(key=lambda kf: (-1 if kf[0] is None else order.get(kf[0], 99), kf[1].line or 0, kf[1].code))
    groups: list[tuple[str | None, list[Finding]]] = []
    for key, finding in keyed:
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(finding)
    return groups


def portable_path(path: str) -> str:
    """The path with forward slashes, relative to the working directory when it lies below it."""
    candidate = Path(path)
    if candidate.is_absolute():
        with contextlib.suppress(ValueError):
            candidate = candidate.resolve().relative_to(Path.cwd().resolve())
    return candidate.as_posix()


def govlint_version() -> str:
    """The installed version of govlint ("0.0.0" when running from an uninstalled tree)."""
    try:
        return version("govlint")
    except PackageNotFoundError:
        return "0.0.0"
