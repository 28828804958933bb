"""Renderers: findings → text for people and pipelines. None of them knows how a rule works.

Each module exposes `render(results, rules) -> str`; those that can write their output file by file
also `stream(results, rules)`, yielding it piece by piece, and its two halves: `piece(result,
rules)`, one file's part (made in the workers and kept in the cache with the file's result), and
`assemble(pieces, summary)`, the whole output from the pieces.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Pieces
from govlint.render.common import Assemble

FORMATS: dict[str, str] = {
    "full": "govlint.render.full",
    "concise": "govlint.render.concise",
    "json": "govlint.render.json",
    "json-lines": "govlint.render.json_lines",
    "csv": "govlint.render.csv",
    "github": "govlint.render.github",
    "sarif": "govlint.render.sarif",
    "gitlab": "govlint.render.gitlab",
    "junit": "govlint.render.junit",
    "html": "govlint.render.html",
}

Renderer = Callable[[Sequence[FileResult], dict[str, RuleSpec]], str]
WHOLE_REPORTS = frozenset({"html"})
"""Formats that draw the tables and so need each report whole, not only its findings and headings."""


def renderer(name: str) -> Renderer:
    """The render function of a format."""
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]


def pieces(name: str, rules: dict[str, RuleSpec]) -> tuple[Pieces, Assemble] | None:
    """How a streamed format writes each file and puts the pieces together; None for the others."""
    module = importlib.import_module(FORMATS[name])
    if not hasattr(module, "piece"):
        return None
    return Pieces(name, module.piece, rules), module.assemble
