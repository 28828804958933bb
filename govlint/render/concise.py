"""`--format concise`: one line per finding, `path:line:col: CODE message`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    """The output file by file."""
    for result in results:
        for f in result.findings:
            where = f"{result.path}:{f.line}:{f.column or 1}:" if f.line is not None else f"{result.path}:"
            yield f"{where} {f.code} [{f.severity.chinese}] {f.message}\n"


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
