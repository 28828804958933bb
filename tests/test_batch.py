"""Checking many reports at once: worker processes change nothing but the wall time."""

from __future__ import annotations

from pathlib import Path

from govlint.engine.files import collect, lint_all
from govlint.engine.runner import Linter
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
