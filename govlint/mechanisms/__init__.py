"""The built-in mechanisms, by the name rule files use in `mechanism = "…"`.

A rule pack may also name its own mechanism as `package.module:OBJECT`, an instance of
`govlint.mechanisms.base.Mechanism`.
"""

from __future__ import annotations

from typing import Any

from govlint.mechanisms.base import Mechanism
from govlint.mechanisms.identity import IDENTITY
from govlint.mechanisms.structure import (
    REQUIRED_CELLS,
    REQUIRED_SECTIONS,
    REQUIRED_TABLES,
    SECTION_HEADINGS,
    TITLE,
    UNREADABLE,
)
from govlint.mechanisms.template import LABEL_CONFORMANCE, TEMPLATE
from govlint.mechanisms.text import NARRATIVE_CLAIM, NARRATIVE_ZERO, RESIDUE
from govlint.mechanisms.values import BLANK_CELLS, CELL_VALUES, FEE_UNIT

BUILTIN: dict[str, Mechanism[Any]] = {
    "read-error": UNREADABLE,
    "identity": IDENTITY,
    "required-sections": REQUIRED_SECTIONS,
    "section-headings": SECTION_HEADINGS,
    "required-tables": REQUIRED_TABLES,
    "required-cells": REQUIRED_CELLS,
    "title": TITLE,
    "template": TEMPLATE,
    "label-conformance": LABEL_CONFORMANCE,
    "cell-values": CELL_VALUES,
    "blank-cells": BLANK_CELLS,
    "fee-unit": FEE_UNIT,
    "residue": RESIDUE,
    "narrative-zero": NARRATIVE_ZERO,
    "narrative-claim": NARRATIVE_CLAIM,
}
