"""Checking many reports at once: worker processes change nothing but the wall time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govlint.document import Document
from govlint.engine import files
from govlint.engine.files import collect, lint_all
from govlint.engine.runner import Linter
from govlint.report.model import Report, TemplateName
from tests.conftest import FIXTURES, SEEDS
from tests.test_cli import govlint


def _county(tmp_path: Path) -> Path:
    """A folder as a supervisor gets it: the seeds, two PDFs, a crawl, an unreadable file, a .doc."""
    folder = tmp_path / "县"
    folder.mkdir()
    for path in [*SEEDS, FIXTURES / "corpus" / "hongze-2023.pdf", FIXTURES / "corpus" / "huaian-2024.pdf",
                 FIXTURES / "corpus" / "pingtan-2019.txt"]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (folder / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return folder


def test_workers_give_the_results_of_one_process_in_the_same_order(tmp_path: Path, linter: Linter) -> None:
    files = collect([_county(tmp_path)]).files
    serial, parallel = lint_all(linter, files, None, jobs=1), lint_all(linter, files, None, jobs=2)
    assert [r.path for r in parallel] == [r.path for r in serial] == [str(p) for p in files]
    assert [r.findings for r in parallel] == [r.findings for r in serial]
    assert [r.report for r in parallel] == [r.report for r in serial]
    codes = {Path(r.path).name: {f.code for f in r.findings} for r in parallel}
    assert codes["损坏.pdf"] == codes["旧版.doc"] == {"P001"}
    assert {"T004"} <= codes["hongze-2023.pdf"]


def test_cli_output_does_not_depend_on_the_number_of_jobs(tmp_path: Path) -> None:
    folder = _county(tmp_path)
    runs = [govlint("check", str(folder), "--format", "json", "-j", jobs) for jobs in ("1", "2", "0")]
    assert {run.returncode for run in runs} == {2}  # the unreadable files
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert '"P001"' in runs[0].stdout


def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_kept(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _county(tmp_path)
    (folder / "致命.txt").write_text("杀死进程", encoding="utf-8")
    real_read = files.read_path

    def read(path: Path) -> Document:
        if path.name == "致命.txt":
            os._exit(9)  # as the kernel's OOM killer would end the worker
        return real_read(path)

    monkeypatch.setattr(files, "read_path", read)  # the workers are forked: they see the patch
    paths = collect([folder]).files
    results = lint_all(linter, paths, None, jobs=2)
    assert [r.path for r in results] == [str(p) for p in paths]
    by_name = {Path(r.path).name: r for r in results}
    (finding,) = by_name["致命.txt"].findings
    assert finding.code == "P001" and "进程意外终止" in finding.message
    monkeypatch.setattr(files, "read_path", real_read)
    expected = lint_all(linter, [p for p in paths if p.name != "致命.txt"], None, jobs=1)
    assert [r for r in results if Path(r.path).name != "致命.txt"] == expected


def test_an_internal_error_in_one_file_is_that_file_s_finding(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _county(tmp_path)
    real_build = files.build_report

    def build(document: Document, template: TemplateName | None = None) -> Report:
        if document.source.path.endswith("004_1a8aabc305f300ec.txt"):
            raise ZeroDivisionError("division by zero")
        return real_build(document, template)

    monkeypatch.setattr(files, "build_report", build)
    for jobs in (1, 2):
        results = {Path(r.path).name: r for r in lint_all(linter, collect([folder]).files, None, jobs=jobs)}
        (finding,) = results["004_1a8aabc305f300ec.txt"].findings
        assert finding.code == "P001" and "内部错误（ZeroDivisionError：division by zero）" in finding.message
        assert results["003_e6c6978af865b4f9.txt"].report is not None
