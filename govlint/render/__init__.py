"""Renderers: findings → text for people and pipelines. None of them knows how a rule works.

Each module exposes `render(results, rules) -> str`; those that can write their output file by file
also `stream(results, rules)`, yielding it piece by piece.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult

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
Streamer = Callable[[Sequence[FileResult], dict[str, RuleSpec]], Iterator[str]]
"""A format written piece by piece (file by file), so that a batch never holds the whole output."""
WHOLE_REPORTS = frozenset({"html"})
"""Formats that draw the tables and so need each report whole, not only its findings and headings."""


def renderer(name: str) -> Renderer:
    """The render function of a format."""
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]


def streamer(name: str) -> Streamer | None:
    """The stream function of a format that has one."""
    return getattr(importlib.import_module(FORMATS[name]), "stream", None)
