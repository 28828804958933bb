"""`--format json`: the machine-readable output of spec/INTERFACE.md (schema_version 1)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Piece
from govlint.findings import Finding
from govlint.render.common import streamed


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding with the interface's fields first; extras only when they carry something."""
    data: dict[str, Any] = {
        "code": finding.code, "name": finding.name, "severity": finding.severity.value,
        "message": finding.message, "line": finding.line, "column": finding.column, "cells": finding.cells,
    }
    if finding.expected is not None:
        data["expected"] = finding.expected
        data["actual"] = finding.actual
    if finding.suggestion is not None:
        data["suggestion"] = finding.suggestion.model_dump(mode="json")
    if finding.related_cells:
        data["related_cells"] = finding.related_cells
    return data


def file_dict(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "template": result.template,
        "year": result.year,
        "agency": result.report.agency if result.report else None,
        "findings": [finding_dict(f) for f in result.findings],
    }


def _nested(value: object, depth: int) -> str:
    """`value` as json.dumps(indent=2) writes it `depth` levels down in an enclosing document."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def piece(result: FileResult, rules: dict[str, RuleSpec]) -> Piece:
    """The file's object, indented as it sits in the document."""
    return Piece(_nested(file_dict(result), 2))


def assemble(pieces: Iterable[Piece], totals: dict[str, int]) -> Iterator[str]:
    """The document file by file, byte for byte what json.dumps(indent=2) writes for the whole."""
    yield '{\n  "schema_version": 1,\n  "files": ['
    for number, part in enumerate(pieces):
        yield ("," if number else "") + "\n    " + part.text
    yield ("\n  ]" if totals["files"] else "]") + ',\n  "summary": ' + _nested(totals, 1) + "\n}\n"


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    return streamed(piece, assemble, results, rules)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
