"""`--format json-lines`: one JSON object per finding per line — the json format's finding plus its path."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Piece
from govlint.render.common import concatenated, streamed
from govlint.render.json import finding_dict


def piece(result: FileResult, rules: dict[str, RuleSpec]) -> Piece:
    """The file's findings, a JSON object a line each."""
    return Piece("".join(json.dumps({"path": result.path, **finding_dict(f)}, ensure_ascii=False) + "\n"
                         for f in result.findings))


assemble = concatenated


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    return streamed(piece, assemble, results, rules)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
