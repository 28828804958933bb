"""A changed table-三/四 number is caught in every format, not only in plain text.

From a consistent corpus report in each format, one cell at a time is changed by one in the
source itself, where the format allows it: markdown at the position `govlint parse` gives, HTML
and Word in the element that holds the cell (found once by writing a distinct marker number into
every numeric cell and reading which marker lands where). PDF has no writer among the
dependencies, so its cells are changed in the document the PDF reader produced. The changed input
must read back with exactly that cell changed, and an error finding must list it.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.etree import _Element

from govlint.document import Document, Table
from govlint.engine.runner import Linter
from govlint.findings import Severity
from govlint.readers import read_bytes, read_path
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests.conftest import FIXTURES, apply_edits, truth_of

CORPUS = FIXTURES / "corpus"
MARK = 1_000_000
"""Marker numbers are MARK + the index of the numeric cell in the source."""
EXAMPLES = 8
"""Cells changed per format and run (drawn anew each run; every cell is a candidate)."""


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


def assert_caught(linter: Linter, original: Report, mutated: Report, address: str) -> None:
    """Exactly `address` changed (by one), and an error finding lists it."""
    new = value_of(original, address) + 1
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


def mutated_markdown(address: str) -> Report:
    report = markdown_report()
    text = apply_edits(MARKDOWN, report, [{"cell": address, "new": str(value_of(report, address) + 1)}])
    return build_report(read_bytes(text.encode("utf-8"), MARKDOWN.name, ".md"))


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


def mutated_html(address: str) -> Report:
    root, original, where = html_source()
    page = copy.deepcopy(root)
    _set_html_number(_html_cells(page)[where[address]], value_of(original, address) + 1)
    return build_report(read_bytes(_html_bytes(page), HTML.name, ".html"))


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


def mutated_word(address: str) -> Report:
    original, where = word_source()
    document = docx.Document(str(WORD))  # a fresh copy each time; the corpus file is never written
    _set_word_number(_word_cells(document)[where[address]], value_of(original, address) + 1)
    return build_report(read_bytes(_word_bytes(document), WORD.name, ".docx"))


# --- PDF: the cell in the document the reader produced -----------------------------------------

PDF = CORPUS / "pingtan-2023-word.pdf"


@cache
def pdf_document() -> Document:
    return read_path(PDF)


def mutated_pdf(address: str) -> Report:
    document = pdf_document()
    report = build_report(document)
    cell, new = report.cell(address), str(value_of(report, address) + 1)
    assert cell is not None
    position = (cell.line, cell.column, cell.raw)

    def changed(table: Table) -> Table:
        rows = tuple(tuple(c.model_copy(update={"text": new}) if (c.line, c.column, c.text) == position else c
                           for c in row) for row in table.rows)
        return table.model_copy(update={"rows": rows})

    blocks = [changed(block) if isinstance(block, Table) else block for block in document.blocks]
    return build_report(document.model_copy(update={"blocks": tuple(blocks)}))


FORMATS: dict[str, tuple[Path, Callable[[], Report], Callable[[str], Report]]] = {
    "markdown": (MARKDOWN, markdown_report, mutated_markdown),
    "html": (HTML, lambda: html_source()[1], mutated_html),
    "docx": (WORD, lambda: word_source()[0], mutated_word),
    "pdf": (PDF, lambda: build_report(pdf_document()), mutated_pdf),
}


@pytest.mark.parametrize("kind", list(FORMATS))
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_changed_number_is_caught(kind: str, data: st.DataObject, linter: Linter) -> None:
    path, original, mutated = FORMATS[kind]
    address = data.draw(st.sampled_from(addresses(path)), label="cell")
    assert_caught(linter, original(), mutated(address), address)


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_markers_reach_every_cell_and_the_source_reads_as_before(kind: str, parsed: Callable[[Path], Report]) -> None:
    path, original, _ = FORMATS[kind]
    assert changed_cells(parsed(path), original()) == {}
    assert len({*(html_source()[2] if kind == "html" else word_source()[1]).values()}) == len(addresses(path))
