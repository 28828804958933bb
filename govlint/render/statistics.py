"""`check --statistics`: how often each rule fired, as ruff prints it — `count<TAB>CODE<TAB>name`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult


def counts(results: Sequence[FileResult]) -> list[tuple[int, str, str]]:
    """(count, code, name) per rule that fired, most frequent first, then by code."""
    tally = Counter((f.code, f.name) for r in results for f in r.findings)
    return sorted(((n, code, name) for (code, name), n in tally.items()), key=lambda t: (-t[0], t[1]))


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(f"{n}\t{code}\t{name}\n" for n, code, name in counts(results))
