"""CSV: `--format csv` gives a row per finding; the export's .csv a row per report."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.render.figures import FINDING_HEADER, Value, finding_rows, report_header, report_rows


def _table(header: Sequence[str], rows: Sequence[Sequence[Value]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue()


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    """Every finding: file, line, code, severity, message, cells (RFC 4180, UTF-8)."""
    return _table(FINDING_HEADER, finding_rows(results))


def reports(results: Sequence[FileResult], missing: Sequence[str] = ()) -> str:
    """A row per report with every cell of tables 二/三/四 (the export's .csv)."""
    return _table(report_header(), report_rows(results, missing))
