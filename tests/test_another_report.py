"""A file holding a report more than once: the first report is read, and S008 says where the next begins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.engine.runner import FileResult
from govlint.readers import read_bytes
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests.conftest import CORPUS_REPORTS, SEEDS, seed

Lint = Callable[[str, str], FileResult]


def _public(report: Report) -> dict[str, object]:
    """The report as `govlint parse` prints it, but for its source."""
    return report.model_dump(exclude={"source"})


def _start_in_copy(first: Path, second: Report) -> int:
    """The line of the combined file where `second`'s text (appended to `first`) begins its report."""
    begins = second.title_line or min(section.line for section in second.sections.values())
    return len(first.read_text(encoding="utf-8").split("\n")) - 1 + begins


def _findings(result: FileResult) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.line, f.message) for f in result.findings]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_a_report_written_twice_is_read_once(path: Path, parsed: Callable[[Path], Report],
                                             linted: Callable[[Path], FileResult], lint_text: Lint) -> None:
    text = path.read_text(encoding="utf-8")
    result = lint_text(text + text, path.name)
    assert result.report is not None
    assert _public(result.report) == _public(parsed(path))
    start = _start_in_copy(path, parsed(path))
    assert result.report.next_report_line == start
    assert len(result.report.lines) == start - 1
    another = [f for f in result.findings if f.code == "S008"]
    assert [(f.line, f.severity) for f in another] == [(start, "warning")]
    assert f"从第 {start} 行起" in another[0].message
    assert [f for f in _findings(result) if f[0] != "S008"] == _findings(linted(path))  # no W003 on the copy


def test_two_reports_in_one_file(parsed: Callable[[Path], Report], linted: Callable[[Path], FileResult],
                                 lint_text: Lint) -> None:
    first, second = seed("001"), seed("003")
    result = lint_text(first.read_text(encoding="utf-8") + second.read_text(encoding="utf-8"), "两份.txt")
    assert result.report is not None
    assert _public(result.report) == _public(parsed(first))
    assert result.report.next_report_line == _start_in_copy(first, parsed(second))
    assert [f for f in _findings(result) if f[0] != "S008"] == _findings(linted(first))


def test_reports_run_together_on_one_line_are_cut_inside_it(parsed: Callable[[Path], Report]) -> None:
    """Crawler text keeps a report on a few long lines: the second report's title follows the
    first report's last words on the same line, and that line stays the first report's."""
    first, second = seed("pingtan-2019.txt"), seed("pingtan-2023.txt")
    data = first.read_bytes() + second.read_bytes()
    report = build_report(read_bytes(data, "两份.txt", ".txt"))
    assert report.next_report_line == len(first.read_text(encoding="utf-8").split("\n"))
    assert len(report.lines) == report.next_report_line
    assert report.table3 == parsed(first).table3
    assert report.sections.keys() == parsed(first).sections.keys()


@pytest.mark.parametrize("path", [*SEEDS, *CORPUS_REPORTS], ids=lambda p: p.name)
def test_a_single_report_is_read_whole(path: Path, parsed: Callable[[Path], Report]) -> None:
    """A section's heading matched again further on (a sub-heading in its words, sub-headings
    numbered 二、三、四 inside 一) starts no second report: the whole sequence does not recur."""
    report = parsed(path)
    assert report.next_report_line is None
    assert len(report.lines) == len(read_bytes(path.read_bytes(), path.name, path.suffix).lines)


def test_the_copies_after_the_second_are_read_only_when_asked_for(parsed: Callable[[Path], Report]) -> None:
    """The builder stops taking blocks at the second report; the document still holds them all,
    made when asked for, the same as a document read through."""
    path = seed("004")
    data = path.read_bytes() * 3
    document = read_bytes(data, "三份.txt", ".txt")
    report = build_report(document)
    assert _public(report) == _public(parsed(path))
    through = read_bytes(data, "三份.txt", ".txt")
    assert len(through.blocks) == 3 * len(read_bytes(path.read_bytes(), path.name, ".txt").blocks)
    assert list(document.blocks) == list(through.blocks)
    assert document.blocks[-1] == through.blocks[-1]


def _with_contents(path: Path, report: Report) -> str:
    """The report's text with a table of contents under its title: its headings as printed, one
    sub-heading among them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert report.title_line is not None
    headings = [s.heading for s in sorted(report.sections.values(), key=lambda s: s.position)]
    contents = ["目录", headings[0], "（一）工作机制", *headings[1:]]
    return "\n".join([*lines[:report.title_line], *contents, *lines[report.title_line:]])


def test_a_table_of_contents_is_no_first_report(parsed: Callable[[Path], Report], lint_text: Lint) -> None:
    path = seed("001")
    text = _with_contents(path, parsed(path))
    alone = lint_text(text, path.name).report
    assert alone is not None and alone.next_report_line is None
    assert alone.table3 is not None and parsed(path).table3 is not None
    assert {k: {c: v.value for c, v in row.items()} for k, row in alone.table3.items()} == {
        k: {c: v.value for c, v in row.items()} for k, row in parsed(path).table3.items()}
    twice = lint_text(text + "\n" + text, path.name).report
    assert twice is not None
    assert twice.next_report_line == len(text.split("\n")) + (parsed(path).title_line or 0)
