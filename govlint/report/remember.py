"""Remembering results for short texts: cell values and labels repeat across reports."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")

SHORT = 64
"""Texts up to this length (cells, labels, headings) are remembered; longer ones, paragraphs,
are computed each time, so that a batch of many reports keeps its memory flat."""
REMEMBERED = 65536
"""Results each remembering function keeps."""


def remembered(function: Callable[[str], R]) -> Callable[[str], R]:
    """`function`, with its results for short texts kept."""
    cached = lru_cache(maxsize=REMEMBERED)(function)

    @wraps(function)
    def lookup(text: str) -> R:
        return cached(text) if len(text) <= SHORT else function(text)

    return lookup
