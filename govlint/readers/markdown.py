"""Markdown reports: `#` headings stay paragraphs, pipe tables become grids (see `text`)."""

from __future__ import annotations

from govlint.readers.text import read

__all__ = ["read"]
