"""The calendar: the statistics period, the year the text speaks of, the publication deadline."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from govlint.findings import Hit
from govlint.mechanisms.base import Mechanism, Params, template_spec
from govlint.report.model import Report


class YearParams(Params):
    lookback: int = 3
    """Earlier years mentioned this far back count as leftovers; older ones are history."""


def _fmt(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def period(report: Report, params: Params) -> Iterator[Hit]:
    """The stated 统计期限 must be 1 January – 31 December of the reporting year."""
    stated, year = report.period, report.year
    if stated is None or year is None:
        return
    expected = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if (stated.start, stated.end) != expected:
        yield Hit(fields={"quote": stated.quote, "year": year, "start": _fmt(stated.start), "end": _fmt(stated.end),
                          "expected": f"{_fmt(expected[0])}至{_fmt(expected[1])}"},
                  line=stated.line)


def year_consistency(report: Report, params: YearParams) -> Iterator[Hit]:
    """Title, statistics period and the body's year statements must agree on the reporting year."""
    year = report.year
    if year is None:
        return
    if report.period is not None and report.title is not None and str(year) in report.title.replace(" ", ""):
        period_year = report.period.start.year
        if period_year != year:
            yield Hit(variant="period", fields={"year": year, "other": period_year, "quote": report.period.quote},
                      line=report.period.line)
    for mention in report.year_mentions:
        if year - params.lookback <= mention.year < year:
            yield Hit(variant="body", fields={"year": year, "other": mention.year, "quote": mention.quote},
                      line=mention.line)


def deadline(report: Report, params: Params) -> Iterator[Hit]:
    """The report must be dated and published by its template's deadline of the following year
    (1月31日 under the 2019 条例, 3月31日 for reports before 2019)."""
    if report.year is None:
        return
    template = template_spec(report)
    month, day = (int(part) for part in template.deadline.split("-"))
    limit = datetime.date(report.year + 1, month, day)
    for claim in report.dates:
        if claim.date > limit:
            yield Hit(variant=claim.kind, fields={"date": _fmt(claim.date), "limit": _fmt(limit), "year": report.year,
                                                  "quote": claim.quote, "basis": template.deadline_basis},
                      line=claim.line)


PERIOD = Mechanism(Params, period)
YEAR_CONSISTENCY = Mechanism(YearParams, year_consistency)
DEADLINE = Mechanism(Params, deadline)
