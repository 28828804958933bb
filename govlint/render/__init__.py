"""Renderers: findings → text for people and pipelines. None of them knows how a rule works.

Each module exposes `render(results, rules) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

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


def renderer(name: str) -> Renderer:
    """The render function of a format."""
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]
