"""Runs the rule fixtures of cases.toml: each one a real report with one thing changed."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govlint.engine.files import lint_path
from govlint.engine.runner import Linter
from govlint.report.model import Report
from tests.conftest import apply_edits, seed

CASES: list[dict[str, Any]] = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]
PARAMS = [(case, prefix) for case in CASES for prefix in case["samples"]]


@pytest.mark.parametrize(("case", "prefix"), PARAMS, ids=[f"{c['name']}[{p}]" for c, p in PARAMS])
def test_case(case: dict[str, Any], prefix: str, parsed: Callable[[Path], Report], linter: Linter,
              tmp_path: Path) -> None:
    path = seed(prefix)
    reports = [("this", path, case.get("edits", []))]
    if "previous" in case:
        previous = seed(case["previous"]["sample"])
        reports.append(("last", previous, case["previous"].get("edits", [])))
    results = []
    for folder, source, edits in reports:
        (tmp_path / folder).mkdir()
        target = tmp_path / folder / source.name
        target.write_text(apply_edits(source, parsed(source), edits), encoding="utf-8")
        results.append(lint_path(linter, target, None))
    linter.check_pairs(results)
    result = results[0]
    codes = [f.code for f in result.findings]
    for expected in case.get("expect", []):
        candidates = [f for f in result.findings if f.code == expected["code"]]
        assert candidates, f"expected {expected['code']}, got {codes}"
        matching = [f for f in candidates
                    if set(expected.get("cells", [])) <= set(f.cells) and expected.get("message", "") in f.message
                    and expected.get("line", f.line) == f.line and expected.get("severity", f.severity) == f.severity]
        found = [(f.message, f.cells) for f in candidates]
        assert matching, f"no {expected['code']} finding matches {expected}: {found}"
    for code in case.get("absent", []):
        assert code not in codes, [f.message for f in result.findings if f.code == code]
    for address, value in case.get("read", {}).items():
        assert result.report is not None
        cell = result.report.cell(address)
        assert cell is not None and cell.value == value, (address, cell)


def test_every_rule_has_a_failing_case() -> None:
    from govlint.engine.loader import load_rules

    covered = {e["code"] for case in CASES for e in case.get("expect", [])}
    # P001, S007 and S008 are tested in test_cli.py, test_placement.py and test_another_report.py
    untested = {r.spec.code for r in load_rules()} - covered - {"P001", "S007", "S008"}
    assert not untested
