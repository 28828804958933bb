"""Shared fixtures: the seeds, the linter, and applying one-thing-changed edits to a real report."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govlint.cli import main
from govlint.document import Document, Paragraph
from govlint.engine.config import Settings
from govlint.engine.files import lint_path
from govlint.engine.loader import load_rules
from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Linter
from govlint.readers import read_path
from govlint.report.builder import build_report
from govlint.report.model import Report
from govlint.report.templates import templates

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(SAMPLES.glob("0*.txt"))
CONSISTENT_SEEDS = [p for p in SEEDS if p.name[:3] in {"000", "001", "004"}]


TABLE3_LABELS: dict[str, str] = {row.key: row.label for t in templates().with_tables for row in t.table3.all_rows}
"""Table-三 row key → its label as printed in the template."""


def assert_positions(document: Document) -> None:
    """Every paragraph and non-empty cell points at its own text in `document.lines`."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            assert document.lines[block.line - 1][block.column - 1 :].startswith(block.text)
            continue
        for row in block.rows:
            for cell in row:
                if cell.text:
                    assert cell.column is not None
                    assert document.lines[cell.line - 1][cell.column - 1 :].startswith(cell.text)


@dataclass(frozen=True)
class Run:
    """How a govlint command ended: exit code and both output streams."""

    returncode: int
    stdout: str
    stderr: str


def govlint(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> Run:
    """`govlint ARGS` through its entry point, in this process (click's CliRunner isolation),
    from the folder `cwd` (else here): exit codes, Chinese usage errors and all. An internal
    error fails the test, as it would be a bug met by a user."""
    runner = CliRunner()
    argv = sys.argv
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext(), \
            runner.isolation(input=stdin) as (out, err, _):
        sys.argv = ["govlint", *args]
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            sys.argv = argv
        stdout, stderr = out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")
    assert "内部错误" not in stderr, stderr
    return Run(code, stdout, stderr)


def govlint_process(*args: str, cwd: Path, stdin: bytes | None = None) -> Run:
    """`python -m govlint ARGS` as a user runs it: the entry point, its exit codes and stderr."""
    run = subprocess.run([sys.executable, "-m", "govlint", *args], check=False, capture_output=True, cwd=cwd,
                         input=stdin, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    return Run(run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8"))


def seed(prefix: str) -> Path:
    """A seed in samples/ by its number (`004`), or a corpus report by its name (`hongze-2023.pdf`)."""
    if (FIXTURES / "corpus" / prefix).is_file():
        return FIXTURES / "corpus" / prefix
    return next(p for p in SEEDS if p.name.startswith(prefix))


def truth_of(path: Path) -> dict[str, Any]:
    truth_dir = FIXTURES / "truth" if path.parent == SAMPLES else path.parent
    return json.loads((truth_dir / f"{path.stem}.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter(load_rules(), Settings())


@pytest.fixture(scope="session")
def parsed() -> Callable[[Path], Report]:
    cache: dict[Path, Report] = {}

    def parse(path: Path) -> Report:
        if path not in cache:
            cache[path] = build_report(read_path(path))
        return cache[path]

    return parse


def apply_edits(path: Path, report: Report, edits: Sequence[Mapping[str, Any]]) -> str:
    """The text of `path` with edits applied (bottom-up, so line numbers stay those of the original).

    An edit is one of: {cell = "table3.x.y", new = "…"} (replaces the cell's raw text where
    `govlint parse` says it is); {line = N, old = "…", new = "…"} (first occurrence on line N);
    {line = N, insert = "…"} (a new line before line N); {delete = [first, last]} (lines).
    """
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\n")

    def anchor(edit: Mapping[str, Any]) -> tuple[int, int]:
        if "cell" in edit:
            cell = report.cell(edit["cell"])
            assert cell is not None and cell.line is not None, f"no cell {edit['cell']} in {path.name}"
            return cell.line, cell.column or 0
        return (edit["line"] if "line" in edit else edit["delete"][0]), 0

    for edit in sorted(edits, key=anchor, reverse=True):
        if "cell" in edit:
            cell = report.cell(edit["cell"])
            assert cell is not None and cell.line is not None and cell.column is not None
            line = lines[cell.line - 1]
            start = cell.column - 1
            assert line[start:start + len(cell.raw)] == cell.raw, "parse positions must point at the raw text"
            lines[cell.line - 1] = line[:start] + edit["new"] + line[start + len(cell.raw):]
        elif "delete" in edit:
            first, last = edit["delete"]
            del lines[first - 1:last]
        elif "insert" in edit:
            lines.insert(edit["line"] - 1, edit["insert"])
        else:
            line = lines[edit["line"] - 1]
            assert edit["old"] in line, f"{edit['old']!r} not on line {edit['line']} of {path.name}"
            lines[edit["line"] - 1] = line.replace(edit["old"], edit["new"], 1)
    return "\n".join(lines)


@pytest.fixture
def lint_text(tmp_path: Path, linter: Linter) -> Callable[[str, str], FileResult]:
    def run(text: str, name: str = "report.txt") -> FileResult:
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
        return lint_path(linter, target, None)

    return run


WRONG_TOTAL_CELL = "table3.results_total.natural_person"


def wrong_total_text(report: Report) -> str:
    """Seed 004 with its （七）总计／自然人 cell changed from 13 to 12."""
    return apply_edits(seed("004"), report, [{"cell": WRONG_TOTAL_CELL, "new": "12"}])


@pytest.fixture(scope="session")
def rules(linter: Linter) -> dict[str, RuleSpec]:
    """The loaded rules by code, as renderers receive them."""
    return {r.spec.code: r.spec for r in linter.rules}


@pytest.fixture(scope="session")
def cut_short(linter: Linter) -> FileResult:
    """Seed 002 (cut short inside table 三) linted."""
    return lint_path(linter, seed("002"), None)


@pytest.fixture(scope="session")
def wrong_total(linter: Linter, parsed: Callable[[Path], Report],
                tmp_path_factory: pytest.TempPathFactory) -> FileResult:
    """Seed 004 with one wrong total, linted."""
    path = tmp_path_factory.mktemp("wrong") / "004-wrong-total.txt"
    path.write_text(wrong_total_text(parsed(seed("004"))), encoding="utf-8")
    return lint_path(linter, path, None)
