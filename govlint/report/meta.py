"""The report's title, agency and reporting year, read from its first paragraphs and its text."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from govlint import patterns
from govlint.document import Paragraph

_TITLE_WORDS = patterns.compile(r"政府信息公开.{0,6}报告|政务公开.{0,6}报告")
_YEAR = patterns.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = patterns.compile(
    r"统计(?:期限|周期|时限|时间|区间)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
)
_TITLE_NOISE = patterns.compile(
    r"^(?:标题\s*[:：]\s*|#+\s*)|\s+|（[^）]*）$|\([^)]*\)$|"
    r"(?:(?:19|20)\d{2}\s*年度?)|政务公开(?:工作)?暨|政府信息公开工作年度报告|政务公开工作年度报告|政府信息公开年度报告|"
    r"政府信息公开工作报告|工作年度报告|年度报告"
)
_AGENCY_LINE = patterns.compile(
    r"^\p{Han}{2,30}(?:政府|局|委员会|委|办公室|办|厅|院|中心|所|站|处|街道办事处|管委会|管理委员会)$"
)
_NAME_AND_YEAR = patterns.compile(r"^\p{Han}{2,30}\s*(?:19|20)\d{2}\s*年度?$")
"""The first line of a title broken after its year: 平潭综合实验区2019年 / 政府信息公开工作年度报告."""
MAX_TITLE_LENGTH = 70
TITLE_SEARCH = 12


class Meta(NamedTuple):
    title: str | None
    title_line: int | None
    agency: str | None
    year: int | None


def read_meta(front: list[Paragraph], body: list[Paragraph]) -> Meta:
    """Title and agency from the paragraphs before the first section; year from title or text."""
    title, line, index = _title(front[:TITLE_SEARCH])
    agency = _agency(title, front, index) if title else None
    return Meta(title=title, title_line=line, agency=agency, year=_year(title, body))


_REPORT_WORDS = patterns.compile(r"政府信息公开|政务公开|年度报告")
_TITLE_PREFIX = patterns.compile(r"^(?:标题\s*[:：]\s*|#+\s*)")


def title_start(paragraphs: list[Paragraph]) -> int | None:
    """The index of the paragraph where a title among `paragraphs` begins, if one is there: the
    title's last paragraph, or the one above it when the title began there."""
    _, line, last = _title(paragraphs)
    return None if line is None else max(i for i in (last - 1, last) if i >= 0 and paragraphs[i].line == line)


def _title(front: list[Paragraph]) -> tuple[str | None, int | None, int]:
    for index, paragraph in enumerate(front):
        text = paragraph.text.strip()
        if len(text) > MAX_TITLE_LENGTH or not _REPORT_WORDS.search(text):
            continue
        if _TITLE_WORDS.search(text):
            previous = front[index - 1].text.strip() if index > 0 else ""
            if len(_TITLE_NOISE.sub("", _clean_title(text))) < 2 and (
                    _AGENCY_LINE.match(previous) or _NAME_AND_YEAR.match(previous)):
                return previous + _clean_title(text), front[index - 1].line, index  # 洪泽区人民政府 / 2023 年…报告
            return _clean_title(text), paragraph.line, index
        following = front[index + 1].text if index + 1 < len(front) else ""
        if following and not (_TITLE_WORDS.search(following) and _YEAR.search(following) and not _YEAR.search(text)):
            # a title broken over two lines; not a breadcrumb (政府信息公开年报) above a whole title
            joined = text + following.strip()
            if len(joined) <= MAX_TITLE_LENGTH and _TITLE_WORDS.search(joined):
                return _clean_title(joined), paragraph.line, index + 1
    return None, None, -1


def _clean_title(text: str) -> str:
    return str(_TITLE_PREFIX.sub("", text)).strip()


def _agency(title: str, front: list[Paragraph], index: int) -> str | None:
    name = str(_TITLE_NOISE.sub("", title))
    if len(name) >= 2:
        return name
    for paragraph in front[index + 1: index + 3]:  # 政府信息公开工作年度报告 / 康庄镇人民政府
        text = paragraph.text.strip()
        if _AGENCY_LINE.match(text):
            return text
    return None


def _year(title: str | None, body: list[Paragraph]) -> int | None:
    if title:
        years = _YEAR.findall(title)
        if years:
            return int(years[0])
    text = "\n".join(p.text for p in body)
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1))
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return counts.most_common(1)[0][0]
