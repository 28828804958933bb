"""`--format concise`: one line per finding, `path:line:col: CODE message`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Piece
from govlint.findings import Finding
from govlint.render.common import concatenated, streamed


def piece(result: FileResult, rules: dict[str, RuleSpec]) -> Piece:
    """The file's findings, a line each."""
    return Piece("".join(_line(result.path, f) for f in result.findings))


def _line(path: str, f: Finding) -> str:
    where = f"{path}:{f.line}:{f.column or 1}:" if f.line is not None else f"{path}:"
    return f"{where} {f.code} [{f.severity.chinese}] {f.message}\n"


assemble = concatenated


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    return streamed(piece, assemble, results, rules)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
