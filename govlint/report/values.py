"""Reading one cell's text: a number, a blank, a placeholder, or text that is no number."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from govlint import patterns
from govlint.report.remember import remembered

PLACEHOLDERS = frozenset({"/", "／", "\\", "-", "－", "–", "—", "——", "--", "无", "空", "—-", "-—", "×"})
"""What clerks write for "nothing"; counted as 0 in the identities, reported by T006."""

_NUMBER = patterns.compile(r"^(?P<number>[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<note>\([^()]*\))?$")
"""A number, optionally followed by a note in brackets: `22（其中修订16件）` holds 22."""
_BRACKETED = patterns.compile(r"\([^()]*\)")
MAX_DIGITS = 15
"""Digits a number may have: a float holds 15 exactly, and no report counts near 10^15. Longer
digit strings are no count (a cell reads as text, T005) and never reach arithmetic."""


class CellKind(StrEnum):
    NUMBER = "number"
    BLANK = "blank"
    PLACEHOLDER = "placeholder"
    TEXT = "text"


def _folded(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().replace(" ", "")


@remembered
def cell_kind(raw: str) -> CellKind:
    """What a cell's text is."""
    folded = _folded(raw)
    if not folded:
        return CellKind.BLANK
    if folded in PLACEHOLDERS or raw.strip() in PLACEHOLDERS:
        return CellKind.PLACEHOLDER
    if (match := _NUMBER.match(folded)) and within_digits(match["number"]):
        return CellKind.NUMBER
    return CellKind.TEXT


def within_digits(text: str) -> bool:
    """Whether `text` holds at most MAX_DIGITS digits (see there)."""
    return sum(ch.isdecimal() for ch in text) <= MAX_DIGITS


@remembered
def parse_number(raw: str) -> int | float | None:
    """The number a cell holds (`1,956` → 1956, `256.1789` → 256.1789, `+3` → 3), else None."""
    if cell_kind(raw) is not CellKind.NUMBER:
        return None
    match = _NUMBER.match(_folded(raw))
    assert match is not None  # cell_kind said NUMBER
    folded = str(match["number"]).replace(",", "")
    if "." in folded:
        return float(folded)
    return int(folded)


_AMOUNT = patterns.compile(r"^(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<unit>万元|元)$")


def parse_amount(raw: str) -> tuple[int | float, str] | None:
    """A sum of money written with its unit (`75394432.52元` → (75394432.52, "元")), else None."""
    match = _AMOUNT.match(_folded(raw))
    if match is None:
        return None
    number = match["number"].replace(",", "")
    return (float(number) if "." in number else int(number)), match["unit"]


@remembered
def note_of(raw: str) -> str:
    """The bracketed note after a cell's number (`其中修订16件`), or an empty string."""
    match = _NUMBER.match(_folded(raw))
    return match["note"][1:-1] if match and match["note"] else ""


@remembered
def bracket_note(raw: str) -> str | None:
    """The text of a line that is only a bracketed note (`（含自然失效29件）`), else None."""
    return raw.strip()[1:-1] if _BRACKETED.fullmatch(_folded(raw)) else None


@remembered
def is_value_like(raw: str) -> bool:
    """Whether a cell could hold a table value (a number, blank or placeholder), not a label."""
    return cell_kind(raw) is not CellKind.TEXT


def format_number(value: float | int) -> str:
    """Integers without a decimal point, other numbers as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
