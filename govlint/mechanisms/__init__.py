"""The built-in mechanisms, by the name rule files use in `mechanism = "…"`.

A rule pack may also name its own mechanism as `package.module:OBJECT`, an instance of
`govlint.mechanisms.base.Mechanism` (one report) or `PairMechanism` (two consecutive years). The
built-in names stand for such references too: a mechanism's module is imported when a rule that
uses it first runs, so a run whose every file comes from the cache imports none of them.
"""

from __future__ import annotations

BUILTIN: dict[str, str] = {
    "read-error": "govlint.mechanisms.structure:UNREADABLE",
    "another-report": "govlint.mechanisms.structure:ANOTHER_REPORT",
    "run-together": "govlint.mechanisms.structure:RUN_TOGETHER",
    "detached-column": "govlint.mechanisms.structure:DETACHED_COLUMNS",
    "identity": "govlint.mechanisms.identity:IDENTITY",
    "required-sections": "govlint.mechanisms.structure:REQUIRED_SECTIONS",
    "section-headings": "govlint.mechanisms.structure:SECTION_HEADINGS",
    "required-tables": "govlint.mechanisms.structure:REQUIRED_TABLES",
    "unplaced-tables": "govlint.mechanisms.structure:UNPLACED_TABLES",
    "required-cells": "govlint.mechanisms.structure:REQUIRED_CELLS",
    "title": "govlint.mechanisms.structure:TITLE",
    "template": "govlint.mechanisms.template:TEMPLATE",
    "label-conformance": "govlint.mechanisms.template:LABEL_CONFORMANCE",
    "cell-values": "govlint.mechanisms.values:CELL_VALUES",
    "blank-cells": "govlint.mechanisms.values:BLANK_CELLS",
    "fee-unit": "govlint.mechanisms.values:FEE_UNIT",
    "text-pattern": "govlint.mechanisms.text:TEXT_PATTERN",
    "narrative-zero": "govlint.mechanisms.text:NARRATIVE_ZERO",
    "narrative-claim": "govlint.mechanisms.text:NARRATIVE_CLAIM",
    "enumeration": "govlint.mechanisms.text:ENUMERATION",
    "section-mentions": "govlint.mechanisms.text:SECTION_MENTIONS",
    "period": "govlint.mechanisms.dates:PERIOD",
    "year-consistency": "govlint.mechanisms.dates:YEAR_CONSISTENCY",
    "deadline": "govlint.mechanisms.dates:DEADLINE",
    "cross-identity": "govlint.mechanisms.across:CROSS_IDENTITY",
    "similarity": "govlint.mechanisms.across:SIMILARITY",
    "doubled-words": "govlint.mechanisms.prose:DOUBLED_WORDS",
    "list-numbering": "govlint.mechanisms.prose:LIST_NUMBERING",
    "section-ordinals": "govlint.mechanisms.prose:SECTION_ORDINALS",
}
