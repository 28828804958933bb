"""`--format json-lines`: one JSON object per finding per line — the json format's finding plus its path."""

from __future__ import annotations

import json
from collections.abc import Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.render.json import finding_dict


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(
        json.dumps({"path": r.path, **finding_dict(f)}, ensure_ascii=False) + "\n"
        for r in results for f in r.findings
    )
