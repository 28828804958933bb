"""Shared fixtures: the seeds and the corpus, each read, built and checked once per session; the
linter; running the command line; and applying one-thing-changed edits to a real report."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from govlint.cli import main
from govlint.document import Document, Paragraph
from govlint.engine.cache import Cache
from govlint.engine.config import Settings
from govlint.engine.files import Job, Plan, check_all, jobs_of, lint_path
from govlint.engine.loader import load_rules
from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Linter
from govlint.findings import Finding, Severity
from govlint.readers import read_path
from govlint.report.builder import build_report
from govlint.report.model import Report
from govlint.report.templates import templates
from tests.serve import Answer, get, post, serving

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(SAMPLES.glob("0*.txt"))
CONSISTENT_SEEDS = [p for p in SEEDS if p.name[:3] in {"000", "001", "004"}]
CORPUS = FIXTURES / "corpus"
CORPUS_REPORTS = sorted(p for p in CORPUS.iterdir() if p.suffix in {".html", ".md", ".pdf", ".txt", ".docx"}
                        and p.with_suffix(".truth.json").exists())
"""The real reports with a hand-transcribed truth."""


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
    from the folder `cwd` (else a fresh empty one, so that no configuration or result cache of
    the repository is met): exit codes, Chinese usage errors and all. An internal error fails
    the test, as it would be a bug met by a user."""
    runner = CliRunner()
    argv = sys.argv
    with tempfile.TemporaryDirectory() if cwd is None else contextlib.nullcontext(str(cwd)) as folder, \
            contextlib.chdir(folder), runner.isolation(input=stdin) as (out, err, _):
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


def checked(plan: Plan, paths: Sequence[Path], jobs: int = 1, cache: Cache | None = None) -> list[FileResult]:
    """The results of a batch over the files, in order, with `jobs` workers (and the cache)."""
    return list(check_all(plan, [Job(str(p)) for p in paths], jobs, cache=cache).results)


def found(folder: Path) -> list[Path]:
    """The files a directory walk of the folder finds, in order."""
    return [Path(job.name) for job in jobs_of([folder], lambda _: 0)[0]]


def seed(prefix: str) -> Path:
    """A seed in samples/ by its number (`004`), or a corpus report by its name (`hongze-2023.pdf`)."""
    if (FIXTURES / "corpus" / prefix).is_file():
        return FIXTURES / "corpus" / prefix
    return next(p for p in SEEDS if p.name.startswith(prefix))


def truth_of(path: Path) -> dict[str, Any]:
    truth_dir = FIXTURES / "truth" if path.parent == SAMPLES else path.parent
    return json.loads((truth_dir / f"{path.stem}.truth.json").read_text(encoding="utf-8"))


def truth_cells(truth: dict[str, Any]) -> list[tuple[str, object]]:
    """Every (cell address, value) of a truth's tables 二, 三 and 四."""
    return [(f"{table}.{row}.{column}", value)
            for table in ("table2", "table3", "table4")
            for row, columns in (truth.get(table) or {}).items()
            for column, value in columns.items()]


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter(load_rules(), Settings())


@pytest.fixture(scope="session")
def document() -> Callable[[Path], Document]:
    """A file read once per session (a corpus PDF takes seconds): shared, so never to be changed."""
    return functools.cache(read_path)


@pytest.fixture(scope="session")
def parsed(document: Callable[[Path], Document]) -> Callable[[Path], Report]:
    """A file's report, built once per session from `document`."""
    return functools.cache(lambda path: build_report(document(path)))


@pytest.fixture(scope="session")
def linted(linter: Linter, parsed: Callable[[Path], Report]) -> Callable[[Path], FileResult]:
    """A readable file checked once per session, as `lint_path` checks it: shared, so its findings
    are never to be changed (across-years checks take a list of their own)."""
    return functools.cache(lambda path: linter.check(parsed(path)))


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
XSS_PAYLOADS = ["<script>alert('x')</script>", '"><img src=x onerror=alert(1)>']


def xss_text(payload: str) -> str:
    """Seed 004 with `payload` in the title and in section 一's text (where N003 quotes it: the
    listed parts are made one short of the total so that the sentence reaches a message)."""
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("人民政府", f"人民政府{payload}", 1)
    lines[8] = lines[8].replace("公开平台发布信息 1471 条", f"公开平台{payload}发布信息 1470 条", 1)
    return "\n".join(lines)


def synthetic(message: str, *, path: str = "reports/报告.txt", line: int | None = 3, column: int | None = 5,
              severity: Severity = Severity.WARNING) -> FileResult:
    """A result with one hand-made finding, for escaping and location edge cases."""
    finding = Finding(code="N002", name="claim-mismatch", severity=severity, message=message,
                      line=line, column=column)
    return FileResult(path=path, report=None, findings=[finding])


def wrong_total_text(report: Report) -> str:
    """Seed 004 with its （七）总计／自然人 cell changed from 13 to 12."""
    return apply_edits(seed("004"), report, [{"cell": WRONG_TOTAL_CELL, "new": "12"}])


@pytest.fixture(scope="session")
def rules(linter: Linter) -> dict[str, RuleSpec]:
    """The loaded rules by code, as renderers receive them."""
    return {r.spec.code: r.spec for r in linter.rules}


@pytest.fixture(scope="session")
def cut_short(linted: Callable[[Path], FileResult]) -> FileResult:
    """Seed 002 (cut short inside table 三) linted."""
    return linted(seed("002"))


@pytest.fixture(scope="session")
def wrong_total(linter: Linter, parsed: Callable[[Path], Report],
                tmp_path_factory: pytest.TempPathFactory) -> FileResult:
    """Seed 004 with one wrong total, linted."""
    path = tmp_path_factory.mktemp("wrong") / "004-wrong-total.txt"
    path.write_text(wrong_total_text(parsed(seed("004"))), encoding="utf-8")
    return lint_path(linter, path, None)


SERVE_MAX_MB = 1
SERVE_MAX_FILES = 3
"""The limits the shared `govlint serve` runs with: small, so that the tests can reach them."""


@dataclass(frozen=True)
class Site:
    """The shared `govlint serve`: its base URL, its working folder and its temporary folder."""

    url: str
    cwd: Path
    temp: Path

    def get(self) -> Answer | None:
        """The answer to a GET of the page."""
        return get(self.url)

    def post(self, files: Sequence[tuple[str, bytes]]) -> Answer:
        """The answer to posting files to the page's form."""
        return post(self.url, files)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One `govlint serve` process for the session, with limits of SERVE_MAX_MB and
    SERVE_MAX_FILES, run in an empty folder with an empty temporary folder of its own."""
    cwd, temp = tmp_path_factory.mktemp("serve-cwd"), tmp_path_factory.mktemp("serve-tmp")
    with serving("--max-size", str(SERVE_MAX_MB), "--max-files", str(SERVE_MAX_FILES), cwd=cwd, temp=temp) as url:
        yield Site(url, cwd, temp)
