"""`--format json-lines`: one JSON object per finding per line — the json format's finding plus its path."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.render.json import finding_dict


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    """The output finding by finding."""
    return (json.dumps({"path": r.path, **finding_dict(f)}, ensure_ascii=False) + "\n"
            for r in results for f in r.findings)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
