"""`--format concise`: one line per finding, `path:line:col: CODE message`."""

from __future__ import annotations

from collections.abc import Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    lines: list[str] = []
    for result in results:
        for f in result.findings:
            where = f"{result.path}:{f.line}:{f.column or 1}:" if f.line is not None else f"{result.path}:"
            lines.append(f"{where} {f.code} [{f.severity.chinese}] {f.message}")
    return "".join(line + "\n" for line in lines)
