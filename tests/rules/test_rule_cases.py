"""Runs the rule fixtures of cases.toml: each one a real report with one thing changed."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govlint.engine.runner import FileResult
from govlint.report.model import Report
from tests.conftest import apply_edits, seed

CASES: list[dict[str, Any]] = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]
PARAMS = [(case, prefix) for case in CASES for prefix in case["samples"]]


@pytest.mark.parametrize(("case", "prefix"), PARAMS, ids=[f"{c['name']}[{p}]" for c, p in PARAMS])
def test_case(case: dict[str, Any], prefix: str, parsed: Callable[[Path], Report],
              lint_text: Callable[[str, str], FileResult]) -> None:
    path = seed(prefix)
    text = apply_edits(path, parsed(path), case.get("edits", []))
    result = lint_text(text, path.name)
    codes = [f.code for f in result.findings]
    for expected in case.get("expect", []):
        candidates = [f for f in result.findings if f.code == expected["code"]]
        assert candidates, f"expected {expected['code']}, got {codes}"
        matching = [f for f in candidates
                    if set(expected.get("cells", [])) <= set(f.cells) and expected.get("message", "") in f.message]
        assert matching, f"no {expected['code']} finding matches {expected}: {[(f.message, f.cells) for f in candidates]}"
    for code in case.get("absent", []):
        assert code not in codes, [f.message for f in result.findings if f.code == code]


def test_every_rule_has_a_failing_case() -> None:
    from govlint.engine.loader import load_rules

    covered = {e["code"] for case in CASES for e in case.get("expect", [])}
    untested = {r.spec.code for r in load_rules()} - covered - {"P001"}  # P001: tests/test_cli.py
    assert not untested
