"""The built-in mechanisms, by the name rule files use in `mechanism = "…"`.

A rule pack may also name its own mechanism as `package.module:OBJECT`, an instance of
`govlint.mechanisms.base.Mechanism` (one report) or `PairMechanism` (two consecutive years).
"""

from __future__ import annotations

from typing import Any

from govlint.mechanisms.across import CROSS_IDENTITY, SIMILARITY
from govlint.mechanisms.base import Mechanism, PairMechanism
from govlint.mechanisms.dates import DEADLINE, PERIOD, YEAR_CONSISTENCY
from govlint.mechanisms.identity import IDENTITY
from govlint.mechanisms.prose import DOUBLED_WORDS, LIST_NUMBERING, SECTION_ORDINALS
from govlint.mechanisms.structure import (
    ANOTHER_REPORT,
    DETACHED_COLUMNS,
    REQUIRED_CELLS,
    REQUIRED_SECTIONS,
    REQUIRED_TABLES,
    RUN_TOGETHER,
    SECTION_HEADINGS,
    TITLE,
    UNPLACED_TABLES,
    UNREADABLE,
)
from govlint.mechanisms.template import LABEL_CONFORMANCE, TEMPLATE
from govlint.mechanisms.text import ENUMERATION, NARRATIVE_CLAIM, NARRATIVE_ZERO, SECTION_MENTIONS, TEXT_PATTERN
from govlint.mechanisms.values import BLANK_CELLS, CELL_VALUES, FEE_UNIT

BUILTIN: dict[str, Mechanism[Any] | PairMechanism[Any]] = {
    "read-error": UNREADABLE,
    "run-together": RUN_TOGETHER,
    "detached-column": DETACHED_COLUMNS,
    "identity": IDENTITY,
    "required-sections": REQUIRED_SECTIONS,
    "section-headings": SECTION_HEADINGS,
    "required-tables": REQUIRED_TABLES,
    "unplaced-tables": UNPLACED_TABLES,
    "required-cells": REQUIRED_CELLS,
    "title": TITLE,
    "another-report": ANOTHER_REPORT,
    "template": TEMPLATE,
    "label-conformance": LABEL_CONFORMANCE,
    "cell-values": CELL_VALUES,
    "blank-cells": BLANK_CELLS,
    "fee-unit": FEE_UNIT,
    "text-pattern": TEXT_PATTERN,
    "narrative-zero": NARRATIVE_ZERO,
    "narrative-claim": NARRATIVE_CLAIM,
    "enumeration": ENUMERATION,
    "section-mentions": SECTION_MENTIONS,
    "period": PERIOD,
    "year-consistency": YEAR_CONSISTENCY,
    "deadline": DEADLINE,
    "cross-identity": CROSS_IDENTITY,
    "similarity": SIMILARITY,
    "doubled-words": DOUBLED_WORDS,
    "list-numbering": LIST_NUMBERING,
    "section-ordinals": SECTION_ORDINALS,
}
