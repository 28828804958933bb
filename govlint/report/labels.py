"""Tolerant label matching: full/half width, spaces, line breaks, ordinals, small typos."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Generic, NamedTuple, TypeVar

from govlint import patterns
from govlint.report.remember import remembered

T = TypeVar("T")

_RESIDUE = patterns.compile(r"\[bookmark:[^\]]*\]|&nbsp;")
_LIST_NUMBER = patterns.compile(r"^(\d{1,2})[、,]")
_DROP = patterns.compile(r"[\s\p{Zs}\u200b\ufeff“”\"'‘’「」『』#*_`|]+")
_ORDINAL = patterns.compile(
    r"^(?:[一二三四五六七八九十]+[、.,:]|\([一二三四五六七八九十]+\)[、.]?|\d{1,2}[、.,](?!\d)|\(\d{1,2}\)|第[一二三四五六七八九十]+部分[、:]?)"
)
FUZZY_THRESHOLD = 0.8
MEMO_SIZE = 65536
"""Printed labels an index remembers the matches of (then it starts afresh)."""


@remembered
def normalize(text: str) -> str:
    """Canonical form for comparing labels: NFKC, no whitespace or quotes, unified separators."""
    folded = unicodedata.normalize("NFKC", _RESIDUE.sub("", text))
    folded = folded.replace("，", ",").replace("．", ".").replace("：", ":")
    return str(_LIST_NUMBER.sub(r"\1.", _DROP.sub("", folded)))


def strip_residue(text: str) -> str:
    """Text without Word-conversion residue such as `[bookmark: _GoBack]`."""
    return str(_RESIDUE.sub("", text))


def split_ordinal(text: str) -> tuple[str | None, str]:
    """(ordinal, rest) of a normalized label: `(三)不予公开` → (`(三)`, `不予公开`)."""
    match = _ORDINAL.match(text)
    if not match:
        return None, text
    return match.group(0), text[match.end():]


class Match(NamedTuple, Generic[T]):
    """A label matched to a template entry; `exact` is False when only the fuzzy match held."""

    item: T
    label: str
    exact: bool


class LabelIndex(Generic[T]):
    """Finds the template entry a printed label stands for."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._entries = [(normalize(label), label, item) for label, item in entries]
        self._fuzzy_entries = [(bare, norm, label, item) for norm, label, item in self._entries
                               if len(bare := split_ordinal(norm)[1]) >= 4]
        self._exact: dict[str, list[tuple[str, T]]] = {}
        self._bare: dict[str, list[tuple[str, T]]] = {}
        self._memo: dict[tuple[str, bool], list[Match[T]]] = {}
        for norm, label, item in self._entries:
            self._exact.setdefault(norm, []).append((label, item))
            bare = split_ordinal(norm)[1]
            if len(bare) >= 4:
                self._bare.setdefault(bare, []).append((label, item))

    def entries(self) -> list[Match[T]]:
        """Every entry, as an exact match of its own label."""
        return [Match(item, label, True) for _, label, item in self._entries]

    def match(self, printed: str, fuzzy: bool = True) -> list[Match[T]]:
        """Every entry `printed` stands for (several when a label is shared, e.g. by templates);
        remembered, since the same labels come back in every report."""
        key = (printed, fuzzy)
        if key not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = self._match(printed, fuzzy)
        return self._memo[key]

    def _match(self, printed: str, fuzzy: bool) -> list[Match[T]]:
        norm = normalize(printed)
        if not norm:
            return []
        if norm in self._exact:
            return [Match(item, label, True) for label, item in self._exact[norm]]
        bare = split_ordinal(norm)[1]
        if len(bare) >= 4 and bare in self._bare:
            return [Match(item, label, True) for label, item in self._bare[bare]]
        if not fuzzy or len(bare) < 4:
            return []
        return self._fuzzy(norm, bare)

    def _fuzzy(self, norm: str, bare: str) -> list[Match[T]]:
        scored: list[tuple[float, str, str, T]] = []
        for entry_bare, entry_norm, label, item in self._fuzzy_entries:
            if abs(len(entry_bare) - len(bare)) > max(3, len(entry_bare) // 3):
                continue
            matcher = SequenceMatcher(None, bare, entry_bare, autojunk=False)
            if matcher.quick_ratio() < FUZZY_THRESHOLD:
                continue  # an upper bound of ratio(): the characters in common are already too few
            ratio = matcher.ratio()
            if ratio >= FUZZY_THRESHOLD:
                scored.append((ratio, entry_norm, label, item))
        if not scored:
            return []
        best = max(s[0] for s in scored)
        winners = {s[1] for s in scored if s[0] == best}
        if len(winners) > 1:
            return []  # two different labels are equally close: do not guess
        return [Match(item, label, False) for ratio, _, label, item in scored if ratio == best]
