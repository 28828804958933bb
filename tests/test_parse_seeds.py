"""Every cell of every seed, against the hand-transcribed truth; template and year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.report.model import Report
from tests.conftest import SEEDS, truth_of


def _cases() -> list[tuple[Path, str, object]]:
    cases = []
    for path in SEEDS:
        truth = truth_of(path)
        for table in ("table2", "table3", "table4"):
            for row, columns in (truth.get(table) or {}).items():
                for column, value in columns.items():
                    cases.append((path, f"{table}.{row}.{column}", value))
    return cases


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_template_year_and_tables(path: Path, parsed: Callable[[Path], Report]) -> None:
    report, truth = parsed(path), truth_of(path)
    assert report.template == truth["template"]
    assert report.year == truth["year"]
    for table in ("table2", "table3", "table4"):
        assert (report.grid(table) is None) == (truth.get(table) is None), table


def test_every_seed_cell(parsed: Callable[[Path], Report]) -> None:
    wrong = []
    for path, address, expected in _cases():
        cell = parsed(path).cell(address)
        if cell is None:
            wrong.append((path.name, address, expected, "absent"))
        elif expected is None:
            if cell.value is not None:
                wrong.append((path.name, address, expected, cell.raw))
        elif cell.value != expected:
            wrong.append((path.name, address, expected, cell.raw))
    assert not wrong, wrong[:10]
    assert len(_cases()) == 899


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_positions_point_at_raw_text(path: Path, parsed: Callable[[Path], Report]) -> None:
    report = parsed(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    for table in ("table2", "table3", "table4"):
        for columns in (report.grid(table) or {}).values():
            for cell in columns.values():
                if cell.raw:
                    assert cell.line is not None and cell.column is not None
                    assert lines[cell.line - 1][cell.column - 1:].startswith(cell.raw)


def test_agency_and_title(parsed: Callable[[Path], Report]) -> None:
    from tests.conftest import seed

    assert parsed(seed("000")).agency == "康驿镇人民政府"
    assert parsed(seed("000")).title == "康驿镇人民政府2024年政府信息公开工作年度报告"
    assert parsed(seed("003")).agency == "康庄镇人民政府"
    assert parsed(seed("004")).agency == "克井镇人民政府"


def test_sections_found_with_lines(parsed: Callable[[Path], Report]) -> None:
    from tests.conftest import seed

    report = parsed(seed("002"))
    assert list(report.sections) == ["overview", "proactive", "applications", "problems", "other"]
    assert report.sections["applications"].line == 43
    assert "未收到政府信息公开申请" in report.sections["overview"].text


def test_title_broken_over_two_lines(tmp_path: Path) -> None:
    from govlint.readers import read_path
    from govlint.report.builder import build_report
    from tests.conftest import seed

    lines = seed("004").read_text(encoding="utf-8").split("\n")
    lines[2:3] = ["济源市克井镇人民政府2023年政务公开暨", "政府信息公开工作年度报告"]
    path = tmp_path / "split-title.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = build_report(read_path(path))
    assert report.title == "济源市克井镇人民政府2023年政务公开暨政府信息公开工作年度报告"
    assert (report.agency, report.year, report.title_line) == ("济源市克井镇人民政府", 2023, 3)
