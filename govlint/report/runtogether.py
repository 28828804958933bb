"""Run-together text (a whole report on one line, table cells without delimiters): split it at
the section headings, and recover the table cells the tables' own identities leave one reading for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from functools import cache, partial
from itertools import pairwise
from typing import NamedTuple

import regex

from govlint import patterns
from govlint.document import Cell, Paragraph
from govlint.report.labels import normalize, split_ordinal
from govlint.report.sections import heading_cores
from govlint.report.templates import ColumnSpec, Identity, Template, templates

SEARCH_BUDGET = 100_000
"""Search steps allowed for one paragraph (each corpus report, run together, takes under 15 000)."""

_INT = r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)"
_INTEGER = patterns.compile(_INT)
_SIGNED = patterns.compile(rf"[+\-]?{_INT}")
_DECIMAL = patterns.compile(rf"{_INT}(?:\.\d+)?")
_CHUNK = patterns.compile(r"\S+")
_REMARK = patterns.compile(r"^(.+?)[（(][^（）()]*[）)]$")

Span = tuple[int, int]
Reading = tuple[Span, ...]


class Recovery(NamedTuple):
    """Rows recovered from a run: `rows[i]` is [label, values…] of table row `keys[i]` (table,
    row); `ambiguous` maps a table to the rows whose cells could not be recovered uniquely."""

    rows: list[list[Cell]]
    keys: list[tuple[str, str]]
    ambiguous: dict[str, list[str]]


class _Label(NamedTuple):
    kind: str  # "heading", "row" or "header"
    key: str = ""  # the section or row key
    tables: frozenset[str] = frozenset()  # the tables it is printed in
    anchors: frozenset[str] = frozenset()  # the tables whose header it may start


class _Hit(NamedTuple):
    label: _Label
    start: int
    end: int


class _Exhausted(Exception):
    """A search ran past SEARCH_BUDGET."""


class _Budget:
    """Search steps left for one paragraph; past them the rows still to read stay ambiguous."""

    def __init__(self) -> None:
        self.left = SEARCH_BUDGET

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Exhausted


# ---------------------------------------------------------------- labels in run-together text


def _ordinal_pattern(ordinal: str) -> str:
    """A tolerant pattern for a normalized ordinal: `2.` also as `2、`, `(一)` with or without `、`."""
    numeral = ordinal.strip("()、.,:")
    if ordinal.startswith("("):
        return rf"\({regex.escape(numeral)}\)[、.]?"
    return rf"{regex.escape(numeral)}[、.,]"


def _label_pattern(label: str) -> str:
    """The label normalized; its ordinal is optional when the rest is distinctive (≥ 4 chars)."""
    ordinal, bare = split_ordinal(normalize(label))
    if ordinal is None:
        return str(regex.escape(bare))
    optional = "?" if len(bare) >= 4 else ""
    return rf"(?:{_ordinal_pattern(ordinal)}){optional}{regex.escape(bare)}"


def _label_entries() -> Iterable[tuple[str, str, _Label]]:
    """(pattern, normalized label, meaning) for every heading and table label of every template."""
    registry = templates()
    for section in registry.sections:
        for core in dict.fromkeys(normalize(v) for v in (section.heading, *section.variants)):
            ordinal = rf"(?:{section.ordinal}[、.,]|第{section.ordinal}部分[、:]?)"
            yield ordinal + regex.escape(core), core, _Label("heading", section.key)

    def row(label: str, table: str, key: str) -> tuple[str, _Label]:
        return label, _Label("row", key, frozenset({table}))

    def header(label: str, table: str, anchor: bool) -> tuple[str, _Label]:
        return label, _Label("header", "", frozenset({table}), frozenset({table} if anchor else ()))

    labels: list[tuple[str, _Label]] = []
    for spec in registry.with_tables:
        t2, t3, t4 = spec.table2, spec.table3, spec.table4
        assert t2 is not None and t3 is not None and t4 is not None
        labels += [row(r.label, "table2", r.key) for r in t2.rows]
        labels += [row(r.label, "table3", r.key) for r in t3.all_rows]
        labels += [row(b.label, "table4", b.key) for b in t4.blocks]
        labels += [header(b.label, "table2", True) for b in t2.blocks]
        labels += [header(label, "table2", False) for label in t2.header_groups]
        labels += [header(label, "table2", True) for r in t2.rows for _, label in r.columns]
        t3_anchors = {t3.note, *t3.header_groups, *t3.distinctive_columns}
        labels += [header(label, "table3", label in t3_anchors)
                   for label in (t3.note, *t3.groups, *(c.label for c in t3.columns))]
        labels += [header(c.label, "table4", c.part) for c in t4.columns]
        labels += [header(label, "table4", False) for label in t4.header_groups]
    for label, meaning in dict.fromkeys(labels):
        for variant in _variants(label):
            yield _label_pattern(variant), normalize(variant), meaning


def _variants(label: str) -> list[str]:
    """A label, and without its closing remark: （二）部分公开（区分处理的…） also as （二）部分公开."""
    match = _REMARK.match(label)
    return [label, match.group(1)] if match else [label]


@cache
def _scanner() -> tuple[regex.Pattern[str], dict[str, _Label]]:
    """One alternation of every label, longest first. A text that is both a row and a header
    label (（六）其他处理) stays a row; one header of several tables (总计) belongs to all."""
    entries: dict[str, tuple[str, _Label]] = {}
    for pattern, folded, meaning in _label_entries():
        if pattern in entries:
            seen = entries[pattern][1]
            if seen.kind == meaning.kind == "header":
                entries[pattern] = (folded, _Label("header", "", seen.tables | meaning.tables,
                                                   seen.anchors | meaning.anchors))
            continue
        entries[pattern] = (folded, meaning)
    ordered = sorted(entries.items(), key=lambda item: -len(item[1][0]))
    groups = {f"g{i}": meaning for i, (_, (_, meaning)) in enumerate(ordered)}
    alternation = "|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(ordered))
    return patterns.compile(alternation), groups


def _scan(text: str) -> list[_Hit]:
    """Every label in `text`, leftmost first, with its span in `text` itself."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = normalize(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    pattern, groups = _scanner()
    hits: list[_Hit] = []
    for match in pattern.finditer("".join(folded)):
        end = origin[match.end() - 1] + 1
        while end < len(text) and not text[end].isspace() and not normalize(text[end]):
            end += 1  # a closing quote belongs to its label
        hits.append(_Hit(groups[match.lastgroup or ""], origin[match.start()], end))
    return hits


def _heading_chain(hits: list[_Hit]) -> list[_Hit]:
    """The longest run of section headings in template order (the earliest one on ties)."""
    rank = {s.key: i for i, s in enumerate(templates().sections)}
    heads = [h for h in hits if h.label.kind == "heading"]
    chains: list[list[_Hit]] = []
    for index, head in enumerate(heads):
        before = (chains[j] for j in range(index) if rank[heads[j].label.key] < rank[head.label.key])
        chains.append([*max(before, key=len, default=[]), head])
    return max(chains, key=len, default=[])


# ---------------------------------------------------------------- sections


def split_sections(paragraph: Paragraph) -> list[Paragraph]:
    """A paragraph holding two or more section headings (with ordinals, in template order) cut
    before and after each heading, so every heading becomes a paragraph of its own."""
    text = paragraph.text
    if _sections_named(text) < 2:
        return [paragraph]  # most paragraphs: no need to scan them label by label
    headings = _heading_chain(_scan(text))
    if len(headings) < 2:
        return [paragraph]
    spans = [(h.start, h.end) for h in headings] + _near_misses(text, headings)
    cuts = sorted({0, len(text), *(start for start, _ in spans), *(end for _, end in spans)})
    pieces: list[Paragraph] = []
    for start, end in pairwise(cuts):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            column = paragraph.column + start + len(piece) - len(piece.lstrip())
            pieces.append(Paragraph(text=stripped, line=paragraph.line, column=column))
    return pieces


@cache
def _shortest_heading() -> int:
    return min(len(core) for _, cores in heading_cores() for core in cores)


def _sections_named(text: str) -> int:
    """How many sections' headings the text holds somewhere (a cheap test before a scan)."""
    if len(text) < 2 * _shortest_heading():
        return 0
    folded = normalize(text)
    return sum(any(core in folded for core in cores) for _, cores in heading_cores())


NEAR_MISS_RATIO = 0.8
"""How close a printed heading must come to the template's (a typo such as 行政法复议)."""


def _near_misses(text: str, chain: list[_Hit]) -> list[Span]:
    """A section missing from the chain whose ordinal stands, between its neighbours, before a
    near copy of its heading: that span, cut out as its heading (the structure rules then say
    how it differs), as a heading printed with a typo would be a line of its own elsewhere."""
    sections = templates().sections
    rank = {s.key: i for i, s in enumerate(sections)}
    found = {h.label.key: h for h in chain}
    spans: list[Span] = []
    for index, section in enumerate(sections):
        if section.key in found:
            continue
        before = [h.end for h in chain if rank[h.label.key] < index]
        after = [h.start for h in chain if rank[h.label.key] > index]
        low, high = max(before, default=0), min(after, default=len(text))
        cores = [normalize(v) for v in (section.heading, *section.variants)]
        for match in regex.finditer(rf"{section.ordinal}[、.,，]", text[low:high]):
            start = low + match.end()
            span = _closest(text, start, cores)
            if span is not None:
                spans.append((low + match.start(), span))
                break
    return spans


def _closest(text: str, start: int, cores: list[str]) -> int | None:
    """The end of the text from `start` that comes closest to one of `cores`, if close enough."""
    best: tuple[float, int] | None = None
    for core in cores:
        for length in range(max(4, len(core) - 3), len(core) + 4):
            ratio = SequenceMatcher(None, normalize(text[start:start + length]), core, autojunk=False).ratio()
            if ratio >= NEAR_MISS_RATIO and (best is None or ratio > best[0]):
                best = (ratio, start + length)
    return None if best is None else best[1]


# ---------------------------------------------------------------- splitting one digit run


class _Digits(NamedTuple):
    """A run without its spaces: `text`, the paragraph offset of each char, and for each char
    the end of its space-separated piece (a cell starting there must end by it)."""

    text: str
    offsets: tuple[int, ...]
    limits: tuple[int, ...]

    @classmethod
    def of(cls, paragraph: str, start: int, end: int) -> _Digits:
        pieces: list[str] = []
        offsets: list[int] = []
        limits: list[int] = []
        for match in _CHUNK.finditer(paragraph, start, end):
            pieces.append(match.group(0))
            offsets.extend(range(match.start(), match.end()))
            limits.extend([len(offsets)] * len(match.group(0)))
        return cls("".join(pieces), tuple(offsets), tuple(limits))

    def span(self, start: int, end: int) -> Span:
        return self.offsets[start], self.offsets[end - 1] + 1


def _integer(piece: str) -> int:
    return int(piece.replace(",", ""))


def _format_readings(digits: _Digits, budget: _Budget, patterns: Sequence[regex.Pattern[str]]) -> list[Reading]:
    """Up to two ways to cut the run into len(patterns) cells, each matching its pattern."""
    width, size = len(patterns), len(digits.text)
    found: list[Reading] = []
    cuts: list[Span] = []

    def walk(at: int) -> None:
        if len(cuts) == width or at == size:
            if len(cuts) == width and at == size:
                found.append(tuple(digits.span(*c) for c in cuts))
            return
        for stop in range(at + 1, digits.limits[at] + 1):
            budget.spend()
            if size - stop < width - len(cuts) - 1 or len(found) == 2:
                break
            if patterns[len(cuts)].fullmatch(digits.text, at, stop):
                cuts.append((at, stop))
                walk(stop)
                cuts.pop()

    walk(0)
    return found


def _sum_readings(digits: _Digits, budget: _Budget, size: int, count: int) -> list[Reading]:
    """Every way to cut the run into `count` groups of `size` integer cells whose last cell is
    the sum of the others (table 三's row total, table 四's block total)."""
    text, length = digits.text, len(digits.text)
    found: list[Reading] = []
    cuts: list[Span] = []

    def parts(at: int, end: int, left: int, remaining: int, longest: int) -> Iterator[None]:
        if left == 0 or at == end:
            if left == 0 and at == end and remaining == 0:
                yield None
            return
        last = at + 1 if text[at] == "0" else min(digits.limits[at], end)
        for stop in range(at + 1, last + 1):
            budget.spend()
            if end - stop < left - 1 or not _INTEGER.fullmatch(text, at, stop):
                continue
            value = _integer(text[at:stop])
            if value > remaining:
                break
            if end - stop > (left - 1) * longest:
                continue
            cuts.append((at, stop))
            yield from parts(stop, end, left - 1, remaining - value, longest)
            cuts.pop()

    def groups(at: int, group: int) -> None:
        if group == count:
            if at == length:
                found.append(tuple(digits.span(*c) for c in cuts))
            return
        for end in range(at + size, length - (count - group - 1) * size + 1):
            for total in range(end - 1, at + size - 2, -1):
                budget.spend()
                if digits.limits[total] < end:
                    break
                if not _INTEGER.fullmatch(text, total, end):
                    continue
                value = _integer(text[total:end])
                for _ in parts(at, total, size - 1, value, _longest(len(str(value)))):
                    cuts.append((total, end))
                    groups(end, group + 1)
                    cuts.pop()

    groups(0, 0)
    return found


def _longest(digits: int) -> int:
    """The most characters a number of at most `digits` digits takes, thousands separators included."""
    return digits + (digits - 1) // 3


# ---------------------------------------------------------------- table 三: identities across rows


def _solve(options: list[list[tuple[int, ...]]], coefficients: list[list[int]], width: int,
           budget: _Budget) -> list[int] | None:
    """Indices of one choice per row making every equation sum to 0 in every column, or None.

    `coefficients[r][e]` is row r's factor in equation e; rows are searched in the given order,
    pruned by the least and most the remaining rows can still add."""
    equations = len(coefficients[0]) if coefficients else 0
    low = [[[0] * width for _ in range(equations)] for _ in range(len(options) + 1)]
    high = [[[0] * width for _ in range(equations)] for _ in range(len(options) + 1)]
    for row in range(len(options) - 1, -1, -1):
        for e in range(equations):
            for c in range(width):
                terms = [coefficients[row][e] * values[c] for values in options[row]]
                low[row][e][c] = low[row + 1][e][c] + min(terms)
                high[row][e][c] = high[row + 1][e][c] + max(terms)
    residual = [[0] * width for _ in range(equations)]
    choice: list[int] = []

    def feasible(row: int) -> bool:
        return all(low[row][e][c] <= -residual[e][c] <= high[row][e][c]
                   for e in range(equations) for c in range(width))

    def add(row: int, values: tuple[int, ...], sign: int) -> None:
        for e in range(equations):
            factor = sign * coefficients[row][e]
            if factor:
                for c in range(width):
                    residual[e][c] += factor * values[c]

    def walk(row: int) -> bool:
        budget.spend()
        if row == len(options):
            return True
        for index, values in enumerate(options[row]):
            add(row, values, 1)
            choice.append(index)
            if feasible(row + 1) and walk(row + 1):
                return True
            choice.pop()
            add(row, values, -1)
        return False

    return choice if walk(0) else None


def _unique_rows(candidates: dict[str, list[tuple[Reading, tuple[int, ...]]]], forced: set[str],
                 equations: list[dict[str, int]], width: int, budget: _Budget) -> dict[str, Reading]:
    """The rows read one way only: by the format alone (`forced`), or in every solution of the
    equations (rows with a single cut by their row total are read by the caller in any case)."""
    unique = {key: candidates[key][0][0] for key in forced}
    bound = sorted({key for e in equations for key in e}, key=lambda k: len(candidates[k]))
    coefficients = [[e.get(key, 0) for e in equations] for key in bound]

    def solve(allowed: dict[str, list[int]]) -> dict[str, int] | None:
        options = [[candidates[key][i][1] for i in allowed[key]] for key in bound]
        picked = _solve(options, coefficients, width, budget)
        return None if picked is None else {key: allowed[key][i] for key, i in zip(bound, picked)}

    everything = {key: list(range(len(candidates[key]))) for key in bound}
    try:
        base = solve(everything)
    except _Exhausted:
        return unique
    if base is None:
        return unique
    unsettled: set[str] = set()
    for key in bound:
        if len(candidates[key]) == 1:
            unique[key] = candidates[key][0][0]
        if len(candidates[key]) == 1 or key in unsettled:
            continue
        try:
            other = solve({**everything, key: [i for i in everything[key] if i != base[key]]})
        except _Exhausted:
            unsettled.add(key)
            continue
        if other is None:
            unique[key] = candidates[key][base[key]][0]
        else:
            unsettled |= {k for k in bound if other[k] != base[k]}
    return unique


# ---------------------------------------------------------------- recovering a paragraph's rows


class _Run(NamedTuple):
    """The text after a label, up to the next label: where a row's values must be."""

    hit: _Hit
    end: int


class _Recoverer:
    """One paragraph's tables, read region by region with one search budget."""

    def __init__(self, paragraph: Paragraph, spec: Template) -> None:
        assert spec.table2 is not None and spec.table3 is not None and spec.table4 is not None
        self.paragraph = paragraph
        self.text = paragraph.text
        self.t2, self.t3, self.t4 = spec.table2, spec.table3, spec.table4
        self.sums = {"table3": _last_is_sum(self.t3.part_columns, self.t3.columns, self.t3.identities),
                     "table4": _last_is_sum(self.t4.part_columns, self.t4.columns, self.t4.identities)}
        self.hits = _scan(self.text)
        self.budget = _Budget()
        self.rows: list[list[Cell]] = []
        self.keys: list[tuple[str, str]] = []
        self.ambiguous: dict[str, list[str]] = {}

    def recovery(self) -> Recovery:
        readers = {"table2": self._table2, "table3": self._table3, "table4": self._table4}
        for table, (start, end) in self._regions().items():
            readers[table](self._runs(table, start, end))
        return Recovery(rows=self.rows, keys=self.keys, ambiguous=self.ambiguous)

    def _regions(self) -> dict[str, Span]:
        """Each table from its first header (inside its own section when the heading is in the
        paragraph) to the next heading or the next table's header."""
        chain = _heading_chain(self.hits)
        heading_of = {h.label.key: h for h in chain}
        headers = self._headers()
        regions: dict[str, Span] = {}
        for section, table in ((s.key, s.table) for s in templates().sections if s.table):
            floor = heading_of[section].end if section in heading_of else 0
            start = next((h.start for h, t in headers if t == table and h.start >= floor), None)
            if start is None:
                continue
            stops = [h.start for h in chain if h.start >= start]
            stops += [h.start for h, t in headers if t != table and h.start > start]
            regions[table] = (start, min(stops, default=len(self.text)))
        return regions

    def _headers(self) -> list[tuple[_Hit, str]]:
        """Anchor labels that stand back to back with another label of their table, as a table
        header does (in running text they stand among other words: 其中结果维持 72 件)."""
        found: list[tuple[_Hit, str]] = []
        for hit, following in zip(self.hits, self.hits[1:]):
            if not self.text[hit.end:following.start].strip():
                found += [(hit, table) for table in hit.label.anchors & following.label.tables]
        return found

    def _runs(self, table: str, start: int, end: int) -> list[_Run]:
        """The text after each label of `table` in the region, up to the next label: the first
        non-empty one per row label, and those after header labels that start with a digit."""
        inside = [h for h in self.hits if start <= h.start < end]
        runs: list[_Run] = []
        rows: set[str] = set()
        for index, hit in enumerate(inside):
            stop = inside[index + 1].start if index + 1 < len(inside) else end
            gap = self.text[hit.end:stop].strip()
            if table not in hit.label.tables or not gap:
                continue
            if hit.label.kind == "row" and hit.label.key not in rows:
                rows.add(hit.label.key)
                runs.append(_Run(hit, stop))
            elif hit.label.kind == "header" and gap[0].isdigit():
                runs.append(_Run(hit, stop))
        return runs

    def _cell(self, start: int, end: int) -> Cell:
        return Cell(text=self.text[start:end], line=self.paragraph.line, column=self.paragraph.column + start)

    def _keep(self, table: str, key: str, label: Cell, reading: Reading) -> None:
        self.rows.append([label, *(self._cell(s, e) for s, e in reading)])
        self.keys.append((table, key))

    def _unread(self, table: str, key: str) -> None:
        self.ambiguous.setdefault(table, []).append(key)

    def _readings(self, run: _Run, search: Callable[[_Digits, _Budget], list[Reading]]) -> list[Reading]:
        """The readings `search` finds in the run; none once the budget is spent."""
        try:
            return search(_Digits.of(self.text, run.hit.end, run.end), self.budget)
        except _Exhausted:
            return []

    def _summed(self, table: str, run: _Run, size: int, count: int) -> tuple[list[Reading], bool]:
        """The readings of a table 三/四 run whose row totals hold, and whether the format alone
        leaves only that one. A single cut whose totals fail is not kept: a blank cell can make
        the digits fit the width by chance. A template whose row identity is not "the last
        column is the sum of the others" leaves only the format to go by."""
        formats = self._readings(run, partial(_format_readings, patterns=[_INTEGER] * (size * count)))
        if not self.sums[table]:
            return (formats, True) if len(formats) == 1 else ([], False)
        if len(formats) < 2:
            held = [r for r in formats if self._totals_hold(r, size)]
            return held, bool(held)
        return self._readings(run, partial(_sum_readings, size=size, count=count)), False

    def _totals_hold(self, reading: Reading, size: int) -> bool:
        values = [_integer(self.text[s:e]) for s, e in reading]
        return all(sum(values[i:i + size - 1]) == values[i + size - 1] for i in range(0, len(values), size))

    def _label(self, run: _Run) -> Cell:
        return self._cell(run.hit.start, run.hit.end)

    def _table2(self, runs: list[_Run]) -> None:
        """A row is read when the format leaves one reading (table 二 has no identities)."""
        specs = {r.key: r for r in self.t2.rows}
        for run in runs:
            spec = specs.get(run.hit.label.key)
            if run.hit.label.kind != "row" or spec is None:
                continue
            patterns = [_SIGNED if key == "change" else _DECIMAL if key == "amount" else _INTEGER
                        for key, _ in spec.columns]
            readings = self._readings(run, partial(_format_readings, patterns=patterns))
            if len(readings) == 1:
                self._keep("table2", spec.key, self._label(run), readings[0])
            else:
                self._unread("table2", spec.key)

    def _table3(self, runs: list[_Run]) -> None:
        """Rows read by their row totals, then settled across rows by the column identities."""
        width = len(self.t3.columns)
        found = {run.hit.label.key: run for run in runs if run.hit.label.kind == "row"}
        candidates: dict[str, list[tuple[Reading, tuple[int, ...]]]] = {}
        forced: set[str] = set()
        for key, run in found.items():
            readings, alone = self._summed("table3", run, width, 1)
            candidates[key] = [(r, tuple(_integer(self.text[s:e]) for s, e in r)) for r in readings]
            if alone:
                forced.add(key)
        readable = {key for key, readings in candidates.items() if readings}
        equations = self._t3_equations(set(found), readable)
        unique = _unique_rows(candidates, forced, equations, width, self.budget)
        for key, options in candidates.items():
            if len(options) == 1:  # one cut by its own row total: read, even if the columns then fail
                unique.setdefault(key, options[0][0])
        for key, run in found.items():
            if key in unique:
                self._keep("table3", key, self._label(run), unique[key])
            else:
                self._unread("table3", key)

    def _t3_equations(self, present: set[str], readable: set[str]) -> list[dict[str, int]]:
        """The template's column identities of table 三 (勾稽关系, the result total) whose rows
        are all readable, as row → coefficient."""
        equations: list[dict[str, int]] = []
        for identity in self.t3.identities:
            if identity.each != "column":
                continue
            terms: dict[str, int] = {}
            for names, sign in ((identity.left, 1), (identity.right, -1)):
                for key in self.t3.expand_rows(names, present):
                    terms[key] = terms.get(key, 0) + sign
            if terms.keys() <= readable:
                equations.append(terms)
        return equations

    def _table4(self, runs: list[_Run]) -> None:
        """Runs after block labels hold one block each; else the first run after the header holds
        all 15 cells. A block is read when every reading that keeps each block's total agrees on it."""
        spec = self.t4
        width = len(spec.columns)
        groups = [(run, [run.hit.label.key]) for run in runs if run.hit.label.kind == "row"]
        if not groups:
            groups = [(run, [b.key for b in spec.blocks]) for run in runs[:1]]
        for run, keys in groups:
            readings, _ = self._summed("table4", run, width, len(keys))
            for index, key in enumerate(keys):
                parts = {r[index * width:(index + 1) * width] for r in readings}
                if len(parts) == 1:
                    label = self._label(run) if run.hit.label.kind == "row" else self._block_label(key, run)
                    self._keep("table4", key, label, parts.pop())
                else:
                    self._unread("table4", key)

    def _block_label(self, key: str, run: _Run) -> Cell:
        """The block's label as printed in the table header before the run, else unplaced."""
        printed = [h for h in self.hits if h.label.kind == "row" and h.label.key == key
                   and "table4" in h.label.tables and h.end <= run.hit.end]
        if printed:
            return self._cell(printed[-1].start, printed[-1].end)
        label = next(b.label for b in self.t4.blocks if b.key == key)
        return Cell(text=label, line=self.paragraph.line, column=None)


def _last_is_sum(parts: tuple[str, ...], columns: Sequence[ColumnSpec], identities: Iterable[Identity]) -> bool:
    """Whether a table's row identity says its last column is the sum of all the others (the
    shape the digit search of a run-together row relies on)."""
    keys = [c.key for c in columns]
    return list(parts) == keys[:-1] and any(
        i.each == "row" and i.left == ("$parts",) and i.right == (keys[-1],) for i in identities)


def recover_rows(paragraph: Paragraph, spec: Template) -> Recovery:
    """The rows of tables 二/三/四 in a run-together paragraph whose cells have exactly one
    reading, with positions in the paragraph's line; the other rows found, as ambiguous.

    Cells are integers without leading zeros (a decimal only in 收费金额/采购总金额, a sign only
    in 本年增/减), and a space always ends a cell. A table 二 row is kept when the format leaves
    one cut; a table 三 row when its cuts that add up to the row total are narrowed to one by the
    format alone or by the column identities (勾稽关系, result totals) in every solution; a table
    四 block when every cut keeping the three block totals agrees on it. Nothing is guessed."""
    return _Recoverer(paragraph, spec).recovery()
