"""The Han class the doubled-word search uses with `re` is exactly `regex`'s \\p{Han}."""

from __future__ import annotations

import re

import regex

from govlint.mechanisms.prose import HAN

PROSE_HAN = re.compile(f"[{HAN}]")
REGEX_HAN = regex.compile(r"\p{Han}")
PLANES = [*range(0xD800), *range(0xE000, 0x10000), *range(0x16F00, 0x17000), *range(0x20000, 0x33500)]
"""The BMP and the astral blocks that hold Han characters, with their neighbours."""


def test_han_class_agrees_with_regex_on_every_code_point() -> None:
    differing = [hex(c) for c in PLANES if bool(PROSE_HAN.match(chr(c))) != bool(REGEX_HAN.match(chr(c)))]
    assert differing == []
