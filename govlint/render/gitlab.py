"""`--format gitlab`: a GitLab Code Quality report (artifacts: reports: codequality), as ruff writes it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.findings import Finding, Severity
from govlint.render.common import portable_path

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
"""govlint's severity → GitLab's (which accepts info, minor, major, critical, blocker)."""


def fingerprint(path: str, finding: Finding, occurrence: int = 0) -> str:
    """A stable id for the finding: the same on every run and after edits that move it to another
    line (so a merge request does not show it as fixed and new), different for another path, code
    or message. `occurrence` tells apart findings that agree on all of these."""
    parts = [path, finding.code, finding.message]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def issue(path: str, finding: Finding, occurrence: int = 0) -> dict[str, Any]:
    """One Code Quality issue; a finding without a line (a missing part, an unreadable file) is put on line 1."""
    return {
        "description": f"{finding.code} {finding.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint(path, finding, occurrence),
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.line if finding.line is not None else 1}},
    }


def issues(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    """Every finding of every file, in order, each with a fingerprint unique within the report."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for result in results:
        path = portable_path(result.path)
        for finding in result.findings:
            base = fingerprint(path, finding)
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            out.append(issue(path, finding, occurrence))
    return out


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return json.dumps(issues(results), ensure_ascii=False, indent=2) + "\n"
