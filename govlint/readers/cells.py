"""Text helpers shared by the readers of structured formats (.html, .docx, .pdf): whitespace and joins.

Chinese text is routinely split across markup (spans, Word runs, paragraphs inside a cell); these
helpers put it back together without inventing spaces between Chinese characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = (
    "\u2e80-\u2fff"  # radicals, Kangxi
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # compatibility forms
    "\uff00-\uffef"  # full-width forms: （）、：１２
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t\\r\\f]*\\n\\s*(?=[{_CJK}])")
"""A source line break between two Chinese characters: no space in rendering (CSS Text 3)."""


def is_cjk(char: str) -> bool:
    """Whether one character is Chinese (ideograph, full-width form or CJK punctuation)."""
    return bool(_CJK_CHAR.fullmatch(char))


def collapse(text: str) -> str:
    """Normalise no-break spaces, drop line breaks between Chinese characters, collapse whitespace."""
    text = _CJK_LINE_BREAK.sub("", text.replace("\xa0", " "))
    return " ".join(text.split())


def join_segments(segments: Iterable[str]) -> str:
    """Join text pieces (paragraphs of a cell): nothing between two CJK characters, else one space."""
    joined = ""
    for segment in segments:
        piece = collapse(segment)
        if not piece:
            continue
        if joined and not (is_cjk(joined[-1]) and is_cjk(piece[0])):
            joined += " "
        joined += piece
    return joined
