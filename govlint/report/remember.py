"""Remembering results for texts: cell values and labels repeat across reports, and one report's
paragraphs are looked at by several steps of its reading."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")

SHORT = 64
"""Texts up to this length (cells, labels, headings) are remembered, the SHORT_KEPT most recently
used of them (the labels and numbers every report repeats stay; a province's distinct reports
would fill a larger memo: 65,536 texts held ~12 MB in each of seven remembered steps, in every
worker, where 8,192 hold ~1.5 MB and read the corpus as fast)…"""
SHORT_KEPT = 8192
LONG = 16384
"""…and texts up to this length (paragraphs) too, only the last LONG_KEPT of them (the
paragraphs of the report being read); longer ones are computed each time. So a batch of many
reports keeps its memory flat."""
LONG_KEPT = 128


def remembered(function: Callable[[str], R]) -> Callable[[str], R]:
    """`function`, with its results for texts up to LONG characters kept."""
    short = lru_cache(maxsize=SHORT_KEPT)(function)
    long = lru_cache(maxsize=LONG_KEPT)(function)

    @wraps(function)
    def lookup(text: str) -> R:
        size = len(text)
        if size <= SHORT:
            return short(text)
        return long(text) if size <= LONG else function(text)

    return lookup
