"""`--format sarif`: SARIF 2.1.0 for code-scanning tools, with tool.driver.rules generated from the rule docs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.findings import Finding, Severity
from govlint.render.common import govlint_version, portable_path
from govlint.render.ruledocs import explain_text, rule_markdown

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_descriptor(spec: RuleSpec) -> dict[str, Any]:
    """A reportingDescriptor built from the rule's own doc (the same text as `govlint explain`)."""
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.doc.what},
        "help": {"text": explain_text(spec), "markdown": rule_markdown(spec)},
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
        "properties": {"templates": list(spec.templates)},
    }


def _ad_hoc_descriptor(finding: Finding) -> dict[str, Any]:
    """For a finding whose code is no loaded rule (an internal error): enough to be valid."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }


def _descriptors(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> list[dict[str, Any]]:
    descriptors = [rule_descriptor(rules[code]) for code in sorted(rules)]
    known = set(rules)
    for finding in (f for r in results for f in r.findings):
        if finding.code not in known:
            known.add(finding.code)
            descriptors.append(_ad_hoc_descriptor(finding))
    return descriptors


def artifact_uri(path: str) -> str:
    """A relative URI (forward slashes, percent-encoded) below the working directory, else a file: URI."""
    portable = PurePosixPath(portable_path(path))
    return portable.as_uri() if portable.is_absolute() else quote(str(portable), safe="/")


def _location(path: str, finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if finding.line is not None:
        region = {"startLine": finding.line}
        if finding.column is not None:
            region["startColumn"] = finding.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(path: str, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    properties: dict[str, Any] = {"cells": finding.cells}
    if finding.suggestion is not None:
        properties["suggestion"] = finding.suggestion.model_dump(mode="json")
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(path, finding)],
        "properties": properties,
    }


def sarif_log(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> dict[str, Any]:
    """The SARIF log as a dict: one run, every loaded rule, one result per finding."""
    descriptors = _descriptors(results, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    driver = {"name": "govlint", "version": govlint_version(), "rules": descriptors}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": [_result(r.path, f, index) for r in results for f in r.findings],
        }],
    }


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return json.dumps(sarif_log(results, rules), ensure_ascii=False, indent=2) + "\n"
