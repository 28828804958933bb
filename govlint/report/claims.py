"""What the narrative states: counts, declared zeros, enumerations, the statistics period, dates.

Patterns live in claims.toml; this module runs them over the running text (paragraphs joined,
lines wrapped mid-sentence re-joined) and records each claim with its line.
"""

from __future__ import annotations

import bisect
import datetime
from functools import cache
from importlib.resources import files

import regex
import tomli
from pydantic import BaseModel, ConfigDict

from govlint import patterns
from govlint.report.model import Claim, DateClaim, Enumeration, Period, TextLine, YearMention
from govlint.report.values import within_digits

_NUMERALS = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:(?<!\d,?)(?:\d{{1,3}}(?:,\d{{3}})+|\d+)|(?<![{_NUMERALS}])[{_NUMERALS}]+)"
"""A count in digits or Chinese numerals, starting where its run starts: a number is never read
from the middle of a longer one (which also keeps long digit runs from backtracking quadratically)."""
_SENTENCE_END = ("。", "；", "！", "？", "：", ":", ";", "）")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_DATE = (
    r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4})\s*年\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_PERIOD = patterns.compile(
    r"统计(?:期限|周期|时限|时间|区间|期)[^。]{0,12}?(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日"
    r"[^。\d]{0,6}?(?:至|到|—|－|-|~|～)\s*(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_ENUMERATION = patterns.compile(
    rf"(?P<total>{NUM})\s*(?P<unit>条|件|篇|项|个|期|场)[^。；，,（(]{{0,6}}?[，,。]?\s*[（(]?\s*"
    r"(?:其中|(?<=[（(])包括)(?:包括)?[：:，,]?(?P<parts>[^。；\n]+)"
)
"""共N条，其中a条、b条… — also in brackets: 共N条，(其中a条、…) or N条（包括a条、…）."""
_OPEN, _CLOSE = "（(", "）)"
_PUBLISHED = patterns.compile(
    r"(?:发布|发文|成文|公开)?(?:时间|日期)\s*[:：]\s*"
    rf"(?:(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})|{_DATE})"
)
"""A page header's date: 发布时间：2022-02-08, 时间：2022-02-08 16:34 (a portal's article line)."""
SIGNATURE_SEARCH = 6
_SIGNED_DATE = patterns.compile(rf"\s*[（(]?{_DATE}[）)]?\s*")
_BRACKETED_DATE = patterns.compile(rf"\s*[（(]{_DATE}[）)]\s*")
_RATE = patterns.compile(r"%|％|同比|增长|下降|占")
_LIST_MARK = patterns.compile(r"([、，,；;])")
_SENTENCE_BREAK = patterns.compile(r"[。；！？\n]")
_YEAR_MENTION = patterns.compile(
    r"(?:(?:^|(?<=[。；！？\n]))\s*(?P<y>\d{4})\s*年(?:度)?\s*[，,](?![^。，]{0,12}(?:相比|同比|对比))"
    r"|(?<![与较比同至到\d])(?P<y>\d{4})\s*年(?:度)?\s*[，,]?\s*"
    r"(?:全年|我(?:镇|乡|街道|局|委|区|县|市|厅|办|单位|机关|部门)|本(?:镇|乡|街道|局|委|区|县|市|单位|机关|部门)|共|累计|全[区县市镇乡])"
    r"(?![^。，]{0,12}(?:相比|同比|对比)))"
)
"""A sentence opening on a year and describing that year's work (see `extract_year_mentions`)."""


class ClaimKind(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    subject: str
    patterns: tuple[str, ...]
    value: int | None = None


@cache
def _kinds() -> tuple[tuple[ClaimKind, tuple[regex.Pattern[str], ...]], ...]:
    text = files("govlint.report").joinpath("claims.toml").read_text(encoding="utf-8")
    kinds = [ClaimKind.model_validate(k) for k in tomli.loads(text)["kinds"]]
    return tuple((k, tuple(patterns.compile(p.replace("NUM", NUM)) for p in k.patterns)) for k in kinds)


def parse_count(text: str) -> int | None:
    """`13`, `1,956`, `十三`, `一百零五`, `零` → the number; None if it is none."""
    text = text.strip().replace(",", "")
    if text.isdecimal():
        return int(text) if within_digits(text) else None
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + section + digit


def _year_number(text: str) -> int | None:
    """`2025` or `二〇二五` → 2025."""
    if text.isdigit():
        return int(text)
    digits = [_DIGITS.get(ch) for ch in text]
    return None if None in digits else int("".join(str(d) for d in digits))


class RunningText:
    """Paragraphs joined into one text; a line wrapped mid-sentence is re-joined without a break."""

    def __init__(self, paragraphs: list[TextLine]) -> None:
        parts: list[str] = []
        self._starts: list[int] = []
        self._lines: list[int] = []
        offset = 0
        for paragraph in paragraphs:
            self._starts.append(offset)
            self._lines.append(paragraph.line)
            separator = "\n" if paragraph.text.endswith(_SENTENCE_END) else ""
            parts.append(paragraph.text + separator)
            offset += len(paragraph.text) + len(separator)
        self.text = "".join(parts)

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._lines[max(index, 0)] if self._lines else 1


class _Spans:
    """Disjoint spans of a text, kept sorted so that an overlap is found by its two neighbours."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Take the span unless it overlaps one already taken; whether it was taken."""
        index = bisect.bisect_left(self._starts, start)
        if index < len(self._starts) and self._starts[index] < end:
            return False
        if index > 0 and self._ends[index - 1] > start:
            return False
        self._starts.insert(index, start)
        self._ends.insert(index, end)
        return True


def extract_claims(paragraphs: list[TextLine]) -> list[Claim]:
    """Counts and declared zeros stated in the text, in order."""
    running = RunningText(paragraphs)
    claims: list[Claim] = []
    for kind, kind_patterns in _kinds():
        taken = _Spans()
        for pattern in kind_patterns:
            for match in pattern.finditer(running.text):
                value = kind.value if kind.value is not None else parse_count(match.group("n"))
                if value is None or not taken.add(*match.span()):
                    continue  # one statement matched by two phrasings is one claim
                claims.append(Claim(kind=kind.kind, subject=kind.subject, value=value,
                                    quote=match.group(0), line=running.line_at(match.start())))
    return sorted(claims, key=lambda c: (c.line, c.kind))


def extract_enumerations(paragraphs: list[TextLine]) -> list[Enumeration]:
    """"共N条，其中a条、b条…" where every listed part carries its count in the same unit."""
    running = RunningText(paragraphs)
    found: list[Enumeration] = []
    for match in _ENUMERATION.finditer(running.text):
        unit = match.group("unit")
        listed, end = _outside_brackets(match.group("parts"))
        part_pattern = _part_pattern(unit)
        parts: list[int | None] = []
        for segment in _items(listed, part_pattern):
            counts = part_pattern.findall(segment)
            if len(counts) != 1 or _RATE.search(segment):
                parts = []
                break
            parts.append(parse_count(counts[0]))
        total = parse_count(match.group("total"))
        if len(parts) >= 2 and total is not None and None not in parts:
            quote = running.text[match.start():match.start("parts") + end]
            found.append(Enumeration(total=total, parts=[p for p in parts if p is not None], unit=unit,
                                     quote=quote, line=running.line_at(match.start())))
    return found


def _part_pattern(unit: str) -> regex.Pattern[str]:
    """A listed part's count in the enumeration's unit."""
    return patterns.compile(rf"(?P<n>{NUM})\s*{unit}")


def _items(listed: str, count: regex.Pattern[str]) -> list[str]:
    """The listed items: a piece without a count joins the next (政策、规范性文件类信息68条 is one item)."""
    items, pending = [], ""
    for piece in _LIST_MARK.split(listed):
        pending += piece
        if count.search(piece):
            items.append(pending)
            pending = ""
    if pending.strip("、，,；; "):
        items.append(pending)
    return items


def _outside_brackets(text: str) -> tuple[str, int]:
    """The listed parts without their bracketed sub-items (预决算197条（政府32条、部门165条）),
    up to the bracket that closes the list; and the length of text the list spans."""
    kept: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            if depth == 0:
                return "".join(kept), index
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept), len(text)


def extract_period(paragraphs: list[TextLine]) -> Period | None:
    """The stated 统计期限, if any."""
    running = RunningText(paragraphs)
    match = _PERIOD.search(running.text)
    if match is None:
        return None
    y1 = int(match.group("y1"))
    y2 = int(match.group("y2")) if match.group("y2") else y1
    try:
        start = datetime.date(y1, int(match.group("m1")), int(match.group("d1")))
        end = datetime.date(y2, int(match.group("m2")), int(match.group("d2")))
    except ValueError:
        return None
    return Period(start=start, end=end, quote=match.group(0), line=running.line_at(match.start()))


def _date(match: regex.Match[str]) -> datetime.date | None:
    year = _year_number(match.group("y"))
    month, day = parse_count(match.group("m")), parse_count(match.group("d"))
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def extract_dates(front: list[TextLine], paragraphs: list[TextLine]) -> list[DateClaim]:
    """The date under the signature (落款) and a stated publication date."""
    claims: list[DateClaim] = []
    for paragraph in reversed(paragraphs[-SIGNATURE_SEARCH:]):
        match = _SIGNED_DATE.fullmatch(paragraph.text)
        if match and (date := _date(match)):
            claims.append(DateClaim(kind="signed", date=date, quote=paragraph.text.strip(), line=paragraph.line))
            break
    for paragraph in front:
        match = _PUBLISHED.search(paragraph.text) or _BRACKETED_DATE.fullmatch(paragraph.text)
        if match and (date := _date(match)):
            claims.append(DateClaim(kind="published", date=date, quote=match.group(0).strip(), line=paragraph.line))
            break
    return claims


def extract_year_mentions(paragraphs: list[TextLine]) -> list[YearMention]:
    """Sentences that open on a year describing that year's work:
    `2023年，我镇…`, `2023年共受理…`, `2023年本单位…`. Comparisons (与2023年相比) are skipped."""
    running = RunningText(paragraphs)
    return [YearMention(year=int(m.group("y")), quote=_sentence_from(running.text, m.start(), QUOTE_LENGTH),
                        line=running.line_at(m.start()))
            for m in _YEAR_MENTION.finditer(running.text)]


QUOTE_LENGTH = 20


def _sentence_from(text: str, start: int, length: int) -> str:
    """Up to `length` characters of the sentence that begins at `start`."""
    return str(_SENTENCE_BREAK.split(text[start:start + length], maxsplit=1)[0]).strip()
