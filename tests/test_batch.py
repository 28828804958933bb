"""Checking many reports at once: workers, the cache, the time budget and the directory walk change
nothing but the wall time; a file that hangs or kills its worker costs only that file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlint.document import Document
from govlint.engine import files
from govlint.engine.cache import Cache
from govlint.engine.files import Job, Jobs, Plan, lint_path
from govlint.engine.runner import FileResult, Linter, slim
from govlint.report import builder
from govlint.report.model import Report, TemplateName
from tests.conftest import FIXTURES, ROOT, SEEDS, checked, found, govlint

CORPUS = FIXTURES / "corpus"
BUDGET = 1
"""Seconds per file in the budget test: what the file that never finishes costs, and twenty
times what a seed takes to check."""


def _county(tmp_path: Path) -> Path:
    """A folder as a supervisor gets it: the seeds and seed 004's next year (copied word for word),
    a crawl, a saved portal page, an unreadable PDF, a .doc."""
    folder = tmp_path / "县"
    folder.mkdir()
    for path in [*SEEDS, CORPUS / "pingtan-2019.txt", CORPUS / "pingtan-2021.html"]:
        (folder / path.name).write_bytes(path.read_bytes())
    next_year = SEEDS[4].read_text(encoding="utf-8").replace("2023", "2024").replace("2022", "2023")
    (folder / "克井镇2024.txt").write_text(next_year, encoding="utf-8")
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (folder / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return folder


def _seeds(tmp_path: Path) -> Path:
    """The seeds alone: a town's folder."""
    folder = tmp_path / "镇"
    folder.mkdir()
    for path in SEEDS:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county folder shared by the tests that only read it."""
    return _county(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def by_jobs(county: Path, linter: Linter) -> dict[int, list[FileResult]]:
    """The county's results in this process (1) and in two worker processes (2)."""
    paths = found(county)
    return {jobs: checked(Plan((linter,)), paths, jobs) for jobs in (1, 2)}


def test_workers_give_the_results_of_one_process_in_the_same_order(county: Path,
                                                                   by_jobs: dict[int, list[FileResult]]) -> None:
    paths = found(county)
    serial, parallel = by_jobs[1], by_jobs[2]
    assert [r.path for r in parallel] == [r.path for r in serial] == [str(p) for p in paths]
    assert [r.findings for r in parallel] == [r.findings for r in serial]
    assert [r.report for r in parallel] == [r.report for r in serial]
    codes = {Path(r.path).name: {f.code for f in r.findings} for r in parallel}
    assert codes["损坏.pdf"] == codes["旧版.doc"] == {"P001"}
    assert {"S004"} <= codes["002_46d57eca6bfaa0cd.txt"]


def test_a_batch_finds_the_same_pairs_and_findings_as_whole_reports_in_memory(
        county: Path, by_jobs: dict[int, list[FileResult]], linter: Linter) -> None:
    paths = found(county)
    whole = [lint_path(linter, p, None) for p in paths]
    linter.check_pairs(whole)
    copied = {Path(r.path).name for r in whole for f in r.findings if f.code == "X003"}
    assert copied == {"克井镇2024.txt"}
    for batch in by_jobs.values():
        assert [r.findings for r in batch] == [r.findings for r in whole]
        assert [r.report for r in batch] == [slim(r).report for r in whole]
    kept = checked(Plan((linter,), keep_reports=True), paths, 2)
    assert [r.report for r in kept] == [r.report for r in whole]


def test_cli_output_does_not_depend_on_the_number_of_jobs_or_the_cache(tmp_path: Path) -> None:
    folder = _county(tmp_path)
    runs = [govlint("check", str(folder), "--format", "json", "-j", jobs, *cache, cwd=tmp_path)
            for jobs, cache in (("1", ["--no-cache"]), ("2", ["--no-cache"]), ("2", []))]
    assert {run.returncode for run in runs} == {2}  # the unreadable files
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert '"P001"' in runs[0].stdout
    document = runs[0].stdout  # written file by file, it is still exactly what json.dumps writes
    assert json.dumps(json.loads(document), ensure_ascii=False, indent=2) + "\n" == document
    full = [govlint("check", str(folder), "-j", jobs, cwd=tmp_path).stdout for jobs in ("1", "2")]
    assert full[0] == full[1] and "汇总：" in full[0]


def test_a_second_run_reads_unchanged_files_from_the_cache(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = found(_county(tmp_path))
    plan, cache = Plan((linter,)), Cache(tmp_path / "cache")
    first = checked(plan, paths, 2, cache)

    def build(document: Document, template: TemplateName | None = None) -> Report:
        raise AssertionError(f"{document.source.path} was built again")

    monkeypatch.setattr(builder, "build_report", build)
    assert checked(plan, paths, 1, cache) == first  # neither a file nor a pair was checked again


def _cached_run(folder: Path, cwd: Path) -> tuple[str, str]:
    """`govlint check FOLDER` in a process of its own: its output, and which of the builder, the
    report model and the mechanisms it loaded."""
    probe = ("import sys\nfrom govlint.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('govlint.report.builder', "
             "'govlint.report.model', 'govlint.mechanisms.'))), file=sys.stderr)")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}  # the govlint the tests import
    run = subprocess.run([sys.executable, "-c", probe, "check", str(folder)], cwd=cwd, check=False,
                         capture_output=True, env=env)
    return run.stdout.decode("utf-8"), run.stderr.decode("utf-8").splitlines()[-1]


def test_a_run_whose_every_file_is_cached_writes_the_same_output_without_building_a_report(
        tmp_path: Path) -> None:
    county, town = _county(tmp_path), _seeds(tmp_path)
    for folder in (county, town):
        fresh = govlint("check", str(folder), "--no-cache", cwd=tmp_path)
        assert govlint("check", str(folder), cwd=tmp_path) == fresh  # fills the cache
        output, loaded = _cached_run(folder, tmp_path)
        assert output == fresh.stdout and "汇总：" in output
        if folder == county:  # the later report of a pair gains X003 after the batch: only it is drawn again
            assert "X003" in output and loaded == "['govlint.report.model']"
        else:
            assert loaded == "[]"


def test_the_cache_is_never_stale_and_a_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    folder = _county(tmp_path)
    fresh = govlint("check", str(folder), "--format", "json", "--no-cache", cwd=tmp_path).stdout
    assert govlint("check", str(folder), "--format", "json", cwd=tmp_path).stdout == fresh
    entries = [p for p in (tmp_path / ".govlint_cache").rglob("*") if p.is_file() and len(p.name) == 64]
    assert entries
    for entry in entries[::2]:
        entry.write_bytes(entry.read_bytes()[:20])
    assert govlint("check", str(folder), "--format", "json", cwd=tmp_path).stdout == fresh
    (tmp_path / "govlint.toml").write_text('ignore = ["T"]\n', encoding="utf-8")
    changed = json.loads(govlint("check", str(folder), "--format", "json", cwd=tmp_path).stdout)
    assert changed == json.loads(govlint("check", str(folder), "--format", "json", "--no-cache", cwd=tmp_path).stdout)
    assert not [f for file in changed["files"] for f in file["findings"] if f["code"].startswith("T")]
    assert '"T00' in fresh


def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_kept(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _county(tmp_path)
    (folder / "致命.txt").write_text("杀死进程", encoding="utf-8")
    real_load = files.load_path

    def load(path: str) -> bytes:
        if os.path.basename(path) == "致命.txt":
            os._exit(9)  # as the kernel's OOM killer would end the worker
        return real_load(path)

    monkeypatch.setattr(files, "load_path", load)  # the workers are forked: they see the patch
    paths = found(folder)
    results = checked(Plan((linter,)), paths, 2)
    assert [r.path for r in results] == [str(p) for p in paths]
    by_name = {Path(r.path).name: r for r in results}
    (finding,) = by_name["致命.txt"].findings
    assert finding.code == "P001" and "进程意外终止" in finding.message
    monkeypatch.setattr(files, "load_path", real_load)
    expected = checked(Plan((linter,)), [p for p in paths if p.name != "致命.txt"], 1)
    assert [r for r in results if Path(r.path).name != "致命.txt"] == expected


def test_a_file_that_never_finishes_reading_costs_only_that_file(tmp_path: Path, linter: Linter) -> None:
    folder = _seeds(tmp_path)
    endless = folder / "永远读不完.txt"
    os.mkfifo(endless)  # opening a pipe nobody writes to waits for ever
    paths = [*found(folder)[:2], endless, *found(folder)[2:]]
    plan = Plan((linter,), budget=BUDGET)
    runs = [checked(plan, paths, jobs) for jobs in (1, 2)]
    assert runs[0] == runs[1]
    by_name = {Path(r.path).name: r for r in runs[0]}
    (finding,) = by_name[endless.name].findings
    assert finding.code == "P001" and f"{BUDGET} 秒的时间限制" in finding.message
    assert [r for r in runs[0] if r.path != str(endless)] == checked(Plan((linter,)), found(folder), 1)


def test_an_internal_error_in_one_file_is_that_file_s_finding(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _county(tmp_path)
    real_build = builder.build_report

    def build(document: Document, template: TemplateName | None = None) -> Report:
        if document.source.path.endswith("004_1a8aabc305f300ec.txt"):
            raise ZeroDivisionError("division by zero")
        return real_build(document, template)

    monkeypatch.setattr(builder, "build_report", build)
    for jobs in (1, 2):
        results = {Path(r.path).name: r for r in checked(Plan((linter,)), found(folder), jobs)}
        (finding,) = results["004_1a8aabc305f300ec.txt"].findings
        assert finding.code == "P001" and "内部错误（ZeroDivisionError：division by zero）" in finding.message
        assert results["003_e6c6978af865b4f9.txt"].report is not None


_NAMES = st.sampled_from(["a.txt", "县/镇/报告.txt", "县/镇/2024年报告.docx", "/tmp/县/b.pdf", "县/镇/", "./c.md",
                          "镇", "县/镇/报告.txt", "县\\镇.html"])
_JOBS = st.lists(st.builds(Job, _NAMES, st.none() | st.binary(max_size=3), st.integers(0, 2), st.booleans()),
                 max_size=40)


@settings(max_examples=200, deadline=None)
@given(_JOBS)
def test_the_compact_list_of_jobs_gives_back_every_job_as_it_was_added(jobs: list[Job]) -> None:
    kept = Jobs()
    kept.extend(jobs[:5])
    kept.extend(jobs[5:])
    assert list(kept) == jobs and len(kept) == len(jobs)
    assert kept[-1:] == jobs[-1:] and all(kept[i] == jobs[i] for i in range(-len(jobs), len(jobs)))


def test_a_walked_file_with_no_sign_of_a_report_is_skipped_but_a_named_one_is_checked(tmp_path: Path) -> None:
    folder = _seeds(tmp_path)
    before = govlint("check", str(folder), "--format", "json", "--no-cache", cwd=tmp_path)
    (folder / "README.md").write_text("# 说明\n\n本目录存放各镇报送的年度报告。\n", encoding="utf-8")
    after = govlint("check", str(folder), "--format", "json", "--no-cache", cwd=tmp_path)
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout)
    named = govlint("check", str(folder / "README.md"), "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(named.stdout)["files"][0]["findings"]] == ["F003"]


def test_each_file_gets_the_configuration_nearest_to_it(tmp_path: Path) -> None:
    strict, relaxed = tmp_path / "strict", tmp_path / "relaxed"
    for folder in (strict, relaxed):
        folder.mkdir()
        (folder / "002.txt").write_bytes(SEEDS[2].read_bytes())
    (relaxed / "govlint.toml").write_text('ignore = ["S"]\n', encoding="utf-8")
    document = json.loads(govlint("check", str(tmp_path), "--format", "json", cwd=tmp_path).stdout)
    codes = {Path(f["path"]).parent.name: {x["code"] for x in f["findings"]} for f in document["files"]}
    assert "S004" in codes["strict"] and not {c for c in codes["relaxed"] if c.startswith("S")}
    (tmp_path / "all.toml").write_text('ignore = ["T"]\n', encoding="utf-8")
    forced = json.loads(govlint("check", str(tmp_path), "--format", "json", "--config", str(tmp_path / "all.toml"),
                                cwd=tmp_path).stdout)
    assert all("S004" in {x["code"] for x in f["findings"]} for f in forced["files"])


def test_progress_goes_to_stderr_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    folder = _seeds(tmp_path)
    quiet = govlint("check", str(folder), "--format", "concise", cwd=tmp_path)
    shown = govlint("check", str(folder), "--format", "concise", "--progress", cwd=tmp_path)
    assert "正在检查" not in quiet.stderr and "正在检查" in shown.stderr
    assert quiet.stdout == shown.stdout
