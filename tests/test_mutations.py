"""A changed table-三/四 number is caught in every format, not only in plain text.

From a consistent corpus report in each format, one cell at a time is changed by one (down where
up would add a digit) in the source itself: markdown at the position `govlint parse` gives, HTML
and Word in the element that holds the cell, PDF in the glyph codes of the page content that draw
it (tests/pdfedit.py). Which element or drawn number holds a cell is found once by writing marker
numbers into the source and reading which marker lands where. The changed input must read back
with exactly that cell changed, and an error finding must list it.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.etree import _Element

from govlint.engine.runner import Linter
from govlint.findings import Severity
from govlint.readers import read_bytes, read_path
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests import pdfedit
from tests.conftest import FIXTURES, apply_edits, truth_of

CORPUS = FIXTURES / "corpus"
MARK = 1_000_000
"""Marker numbers are MARK + the index of the numeric cell in the source."""
EXAMPLES = 8
"""Cells changed per format and run (drawn anew each run; every cell is a candidate)."""
PDF_EXAMPLES = 2
"""Fewer for PDF, where every changed file is read anew by the whole PDF reader (about a second);
`python -m benchmarks.mutations` changes every cell of every format."""


def addresses(path: Path) -> list[str]:
    """Every table-三/四 cell of the report's truth."""
    truth = truth_of(path)
    return [f"{table}.{row}.{column}" for table in ("table3", "table4")
            for row, columns in truth[table].items() for column in columns]


def changed_cells(before: Report, after: Report) -> dict[str, object]:
    """Table-三/四 cells whose value differs between two reports, with their new value."""
    changed: dict[str, object] = {}
    for table in ("table3", "table4"):
        old, new = before.grid(table) or {}, after.grid(table) or {}
        for row in old.keys() | new.keys():
            for column in old.get(row, {}).keys() | new.get(row, {}).keys():
                was, now = old.get(row, {}).get(column), new.get(row, {}).get(column)
                if (was and was.value) != (now and now.value):
                    changed[f"{table}.{row}.{column}"] = now and now.value
    return changed


def changed_value(old: int, digits: str = pdfedit.DIGITS) -> int:
    """`old` changed by one, down where up would add a digit; a source that cannot draw every digit
    (a PDF font subset: `digits`) gets the nearest value of as many digits that it can draw."""
    for step in range(1, 10 ** len(str(old))):
        for new in (old + step, old - step):
            text = str(new)
            if new >= 0 and len(text) == len(str(old)) and set(text) <= set(digits):
                return new
    raise AssertionError(f"{old} cannot be redrawn with the digits {digits}")


def assert_caught(linter: Linter, original: Report, new: int, mutated: Report, address: str) -> None:
    """Exactly `address` changed (to `new`), and an error finding lists it."""
    assert not [f for f in linter.check(original).findings if f.severity is Severity.ERROR and address in f.cells]
    assert changed_cells(original, mutated) == {address: new}
    findings = linter.check(mutated).findings
    assert [f for f in findings if f.severity is Severity.ERROR and address in f.cells], \
        f"{address} changed to {new} not caught: {[(f.code, f.cells) for f in findings]}"


# --- markdown: the text at the cell's position -------------------------------------------------

MARKDOWN = CORPUS / "shuyang-county-2025.md"


@cache
def markdown_report() -> Report:
    return build_report(read_path(MARKDOWN))


def mutated_markdown(address: str) -> tuple[int, Report]:
    report = markdown_report()
    new = changed_value(value_of(report, address))
    text = apply_edits(MARKDOWN, report, [{"cell": address, "new": str(new)}])
    return new, build_report(read_bytes(text.encode("utf-8"), MARKDOWN.name, ".md"))


# --- HTML and Word: the element holding the cell, found by markers -----------------------------


def _number_nodes(cells: Iterator[_Element], text_of: Callable[[_Element], str]) -> list[_Element]:
    """Cells whose whole text is a number, in source order."""
    return [cell for cell in cells if text_of(cell).strip().isdigit()]


def value_of(report: Report, address: str) -> int:
    """The count a cell holds."""
    cell = report.cell(address)
    assert cell is not None and isinstance(cell.value, int), f"{address}: {cell}"
    return cell.value


def _marked_map(report: Report, path: Path) -> dict[str, int]:
    """Address → index of the numeric source cell that holds it, from a report of the marked source."""
    found = {address: value_of(report, address) - MARK for address in addresses(path)}
    assert all(index >= 0 for index in found.values()), "every table-三/四 cell must come from a numeric source cell"
    return found


HTML = CORPUS / "pingtan-2023.html"


def _html_cells(root: _Element) -> list[_Element]:
    return _number_nodes(root.iter("td", "th"), lambda cell: cell.text_content())


def _set_html_number(cell: _Element, number: int) -> None:
    """Replace the digits in the text node of `cell` that holds them."""
    for node in cell.iter():
        for attribute in ("text", "tail"):
            value = getattr(node, attribute)
            if node is cell and attribute == "tail":
                continue
            if value and value.strip().isdigit():
                setattr(node, attribute, value.replace(value.strip(), str(number)))
                return
    raise AssertionError("no digits in the cell's own text")


def _html_bytes(root: _Element) -> bytes:
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


@cache
def html_source() -> tuple[_Element, Report, dict[str, int]]:
    """The parsed page, its report as re-serialised, and where each cell sits among the numeric cells."""
    root = lxml.html.document_fromstring(HTML.read_bytes())
    original = build_report(read_bytes(_html_bytes(root), HTML.name, ".html"))
    marked = copy.deepcopy(root)
    for index, cell in enumerate(_html_cells(marked)):
        _set_html_number(cell, MARK + index)
    report = build_report(read_bytes(_html_bytes(marked), HTML.name, ".html"))
    return root, original, _marked_map(report, HTML)


def mutated_html(address: str) -> tuple[int, Report]:
    root, original, where = html_source()
    page = copy.deepcopy(root)
    new = changed_value(value_of(original, address))
    _set_html_number(_html_cells(page)[where[address]], new)
    return new, build_report(read_bytes(_html_bytes(page), HTML.name, ".html"))


WORD = CORPUS / "pingtan-2023-word.docx"


def _word_text(tc: _Element) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _word_cells(document: docx.document.Document) -> list[_Element]:
    return _number_nodes(document.element.body.iter(qn("w:tc")), _word_text)


def _set_word_number(tc: _Element, number: int) -> None:
    """The cell's first text run holds the number, the others are emptied."""
    texts = list(tc.iter(qn("w:t")))
    texts[0].text = str(number)
    for t in texts[1:]:
        t.text = ""


def _word_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@cache
def word_source() -> tuple[Report, dict[str, int]]:
    original = build_report(read_path(WORD))
    marked = docx.Document(str(WORD))
    for index, tc in enumerate(_word_cells(marked)):
        _set_word_number(tc, MARK + index)
    report = build_report(read_bytes(_word_bytes(marked), WORD.name, ".docx"))
    return original, _marked_map(report, WORD)


def mutated_word(address: str) -> tuple[int, Report]:
    original, where = word_source()
    document = docx.Document(str(WORD))  # a fresh copy each time; the corpus file is never written
    new = changed_value(value_of(original, address))
    _set_word_number(_word_cells(document)[where[address]], new)
    return new, build_report(read_bytes(_word_bytes(document), WORD.name, ".docx"))


# --- PDF: the glyph codes that draw the cell, found by markers in the last digit -------------

PDF = CORPUS / "pingtan-2023-word.pdf"


def _places(count: int, base: int) -> int:
    """Digits in `base` needed to tell `count` things apart."""
    places = 1
    while base**places < count:
        places += 1
    return places


@cache
def pdf_source() -> tuple[Report, list[pdfedit.Number], dict[str, int]]:
    """The report, the numbers the PDF draws, and which of them each table-三/四 cell was read from.

    Only numbers drawn with the digits of some table-三/四 cell are candidates (numbers of the text
    that no cell shares, such as years, stay as they are). A PDF's number keeps its width, so a
    marker cannot be a distinct long number: each read of marked bytes writes one base-b digit of
    the candidate's index into its last digit, b being the digits every candidate's font can draw.
    """
    data = PDF.read_bytes()
    original = build_report(read_path(PDF))
    drawn = pdfedit.numbers(data)
    values = {str(value_of(original, address)) for address in addresses(PDF)}
    candidates = [index for index, number in enumerate(drawn) if number.text in values]
    alphabet = "".join(d for d in pdfedit.DIGITS if all(d in drawn[index].digits for index in candidates))
    base = len(alphabet)
    assert base > 1, f"the candidates' fonts share the digits {alphabet!r} only"
    found = dict.fromkeys(addresses(PDF), 0)
    for place in range(_places(len(candidates), base)):
        marks = {index: drawn[index].text[:-1] + alphabet[k // base**place % base]
                 for k, index in enumerate(candidates)}
        marked = build_report(read_bytes(pdfedit.rewritten(data, marks), PDF.name, ".pdf"))
        for address in found:
            found[address] += alphabet.index(str(value_of(marked, address))[-1]) * base**place
    assert all(k < len(candidates) for k in found.values()), "every table-三/四 cell must come from a drawn number"
    return original, drawn, {address: candidates[k] for address, k in found.items()}


def mutated_pdf(address: str) -> tuple[int, Report]:
    original, drawn, where = pdf_source()
    new = changed_value(value_of(original, address), drawn[where[address]].digits)
    data = pdfedit.rewritten(PDF.read_bytes(), {where[address]: str(new)})  # bytes in memory only
    return new, build_report(read_bytes(data, PDF.name, ".pdf"))


class Case(NamedTuple):
    """A corpus report in one format: its report as read, how to change one cell, cells per run."""

    path: Path
    original: Callable[[], Report]
    mutated: Callable[[str], tuple[int, Report]]
    examples: int


FORMATS: dict[str, Case] = {
    "markdown": Case(MARKDOWN, markdown_report, mutated_markdown, EXAMPLES),
    "html": Case(HTML, lambda: html_source()[1], mutated_html, EXAMPLES),
    "docx": Case(WORD, lambda: word_source()[0], mutated_word, EXAMPLES),
    "pdf": Case(PDF, lambda: pdf_source()[0], mutated_pdf, PDF_EXAMPLES),
}


def check_cell(linter: Linter, kind: str, address: str) -> None:
    """Change one cell of the format's report in its source and assert the change is caught."""
    case = FORMATS[kind]
    new, mutated = case.mutated(address)
    assert_caught(linter, case.original(), new, mutated, address)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_changed_number_is_caught(kind: str, linter: Linter) -> None:
    @settings(max_examples=FORMATS[kind].examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(address=st.sampled_from(addresses(FORMATS[kind].path)))
    def caught(address: str) -> None:
        check_cell(linter, kind, address)

    caught()


MARKED: dict[str, Callable[[], dict[str, int]]] = {
    "html": lambda: html_source()[2], "docx": lambda: word_source()[1], "pdf": lambda: pdf_source()[2],
}
"""Per format found by markers: each cell's index among the source's numbers."""


@pytest.mark.parametrize("kind", list(MARKED))
def test_markers_reach_every_cell(kind: str) -> None:
    assert len({*MARKED[kind]().values()}) == len(addresses(FORMATS[kind].path))


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_the_source_rewritten_reads_as_before(kind: str, parsed: Callable[[Path], Report]) -> None:
    path, original, _, _ = FORMATS[kind]
    assert changed_cells(parsed(path), original()) == {}


def test_each_pdf_cell_is_drawn_as_the_number_it_reads() -> None:
    original, drawn, where = pdf_source()
    assert {address: drawn[index].text for address, index in where.items()} == \
        {address: str(value_of(original, address)) for address in where}
