"""Crashes found by fuzzing, kept as regressions, and a bounded fuzz target over every format.

Every input either reads or is refused with one Chinese sentence (P001); no exception escapes, no
rule fails (P999) and no readable file is reported as an internal error.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import SUFFIXES, load_sources, mutant
from govlint.engine.files import lint_bytes
from govlint.engine.runner import FileResult, Linter
from govlint.errors import ReadError
from govlint.findings import Severity
from govlint.readers import read_bytes
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests.conftest import FIXTURES, SEEDS, apply_edits, seed

TOTAL = "table3.results_total.natural_person"
"""A table-三 cell every identity of its row and column runs through."""
ENUMERATION = "共{n}条，其中主动公开3条、依申请公开4条。"


def assert_sound(result: FileResult) -> None:
    """Read (the rules all ran) or refused with a proper reason: never an internal error."""
    codes = [f.code for f in result.findings]
    assert "P999" not in codes, [f.message for f in result.findings]
    assert all("内部错误" not in f.message for f in result.findings), [f.message for f in result.findings]
    assert result.report is not None or codes == ["P001"], codes


def with_cell(parsed: Callable[[Path], Report], address: str, new: str) -> bytes:
    """Seed 004 with one table cell's text replaced."""
    path = seed("004")
    return apply_edits(path, parsed(path), [{"cell": address, "new": new}]).encode()


def with_sentence(sentence: str) -> bytes:
    """Seed 004 with a narrative sentence inserted after its title line."""
    title, rest = seed("004").read_text(encoding="utf-8").split("\n", 1)
    return f"{title}\n{sentence}\n{rest}".encode()


@pytest.mark.parametrize("digits", [16, 400, 4301])
def test_a_cell_with_too_many_digits_is_no_count(digits: int, linter: Linter,
                                                parsed: Callable[[Path], Report]) -> None:
    result = lint_bytes(linter, with_cell(parsed, TOTAL, "9" * digits), "004.txt", None)
    assert_sound(result)
    assert any(f.code == "T005" and f.cells == [TOTAL] for f in result.findings)
    assert result.report is not None and result.report.cell(TOTAL).value is None  # type: ignore[union-attr]


def test_fifteen_digits_still_count(linter: Linter, parsed: Callable[[Path], Report]) -> None:
    result = lint_bytes(linter, with_cell(parsed, TOTAL, "9" * 15), "004.txt", None)
    assert_sound(result)
    assert result.report is not None and result.report.cell(TOTAL).value == int("9" * 15)  # type: ignore[union-attr]
    assert any(f.severity is Severity.ERROR and TOTAL in f.cells and f.code != "T005" for f in result.findings)


def test_a_huge_number_next_to_a_decimal_one(linter: Linter, parsed: Callable[[Path], Report]) -> None:
    path = seed("004")
    edits = [{"cell": TOTAL, "new": "9" * 15}, {"cell": "table3.results_total.other_org", "new": "0.5"}]
    assert_sound(lint_bytes(linter, apply_edits(path, parsed(path), edits).encode(), "004.txt", None))
    assert_sound(lint_bytes(linter, with_cell(parsed, TOTAL, "9" * 20 + ".5"), "004.txt", None))


@pytest.mark.parametrize("digits", [400, 4301])
def test_a_claim_with_too_many_digits_is_not_read(digits: int, linter: Linter) -> None:
    result = lint_bytes(linter, with_sentence(ENUMERATION.format(n="9" * digits)), "004.txt", None)
    assert_sound(result)
    assert result.report is not None
    assert not [e for e in result.report.enumerations if e.parts == [3, 4]]
    readable = lint_bytes(linter, with_sentence(ENUMERATION.format(n="8")), "004.txt", None)
    assert [e.total for e in readable.report.enumerations if e.parts == [3, 4]] == [8]  # type: ignore[union-attr]


def test_a_number_is_never_read_from_the_middle_of_a_longer_one(linter: Linter) -> None:
    result = lint_bytes(linter, with_sentence(ENUMERATION.format(n="1234,567")), "004.txt", None)
    assert result.report is not None
    assert not [e for e in result.report.enumerations if e.parts == [3, 4]]


@pytest.mark.parametrize("tag", ["script", "style"])
def test_html_control_character_after_a_dropped_element(tag: str) -> None:
    document = read_bytes(f"<p>a<{tag}></{tag}>\x0bb\x0cc</p>".encode(), "page.html", ".html")
    assert [block.text for block in document.blocks] == ["ab c"]  # type: ignore[union-attr]


def test_corpus_page_with_control_characters_reads_as_without(parsed: Callable[[Path], Report]) -> None:
    path = FIXTURES / "corpus" / "pingtan-2023.html"
    data = path.read_bytes().replace(b"</script>", b"</script>\x0b\x01").replace(b"</style>", b"</style>\x1f")
    assert data != path.read_bytes()
    assert build_report(read_bytes(data, path.name, ".html")).tables == parsed(path).tables


def docx_with_document(xml: bytes) -> bytes:
    """The blank template with its word/document.xml replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(FIXTURES / "templates" / "template-2021.docx") as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            target.writestr(member, xml if member.filename == "word/document.xml" else source.read(member))
    return buffer.getvalue()


def test_docx_without_body(linter: Linter) -> None:
    xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    with pytest.raises(ReadError, match="文档中没有可读取的文字"):
        read_bytes(docx_with_document(xml), "empty.docx", ".docx")
    result = lint_bytes(linter, docx_with_document(xml), "empty.docx", None)
    assert_sound(result)


def test_utf8_with_a_few_broken_bytes_reads_as_utf8(parsed: Callable[[Path], Report]) -> None:
    path = seed("004")
    data = bytearray(path.read_bytes())
    title_end = data.index(b"\n")
    data[title_end - 2] = 0xFF  # inside the last character of the title
    report = build_report(read_bytes(bytes(data), path.name, ".txt"))
    assert report.source.encoding == "utf-8"
    assert report.tables == parsed(path).tables
    whole = path.read_bytes()
    last = max(i for i, byte in enumerate(whole) if byte >= 0xC0)  # the last multi-byte character begins here
    cut = build_report(read_bytes(whole[:last + 1], path.name, ".txt"))  # a download cut inside it
    assert cut.source.encoding == "utf-8"
    assert cut.grid("table3") == parsed(path).grid("table3")


def test_gbk_text_is_not_taken_for_broken_utf8() -> None:
    text = seed("004").read_text(encoding="utf-8")
    document = read_bytes(text.encode("gb18030"), "gbk.txt", ".txt")
    assert document.source.encoding == "gb18030"
    assert "\n".join(document.lines) == text


# --- the fuzz target ----------------------------------------------------------------------------

FUZZ_SOURCES = load_sources([
    *SEEDS, *(FIXTURES / "corpus" / name for name in (
        "pingtan-2023.txt", "shanghai-stc-2024.md", "pingtan-2023.html", "shuyang-drc-2023.html",
        "pingtan-2023-word.docx", "pingtan-2023-word.pdf")),
])
"""The seeds and one or two corpus reports of each format (each PDF page on its own)."""


@pytest.mark.parametrize("suffix", [s for s in SUFFIXES if s])
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_mutated_reports_read_or_are_refused(suffix: str, rng: random.Random, linter: Linter) -> None:
    name, data = mutant(FUZZ_SOURCES, rng, suffix)
    assert_sound(lint_bytes(linter, data, name, None))
