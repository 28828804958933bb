"""From paths on the command line to results: expand directories, read, build, check."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from govlint.document import Document
from govlint.engine.runner import FileResult, Linter
from govlint.errors import ReadError
from govlint.readers import LEGACY_FORMATS, read_bytes, read_path, supported
from govlint.report.builder import build_report
from govlint.report.model import TemplateName


@dataclass
class Inputs:
    """The files to check, and what a directory walk passed over."""

    files: list[Path] = field(default_factory=list)
    skipped: int = 0


def collect(paths: Iterable[Path]) -> Inputs:
    """Files as given; directories searched recursively for supported (and legacy) report files."""
    inputs = Inputs()
    for path in paths:
        if not path.is_dir():
            inputs.files.append(path)
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            if supported(child) or child.suffix.lower() in LEGACY_FORMATS:
                inputs.files.append(child)
            else:
                inputs.skipped += 1
    return inputs


def _lint(linter: Linter, read: Callable[[], Document], template: TemplateName | None) -> FileResult:
    try:
        document = read()
    except ReadError as error:
        return linter.unreadable(error)
    return linter.check(build_report(document, template))


def lint_path(linter: Linter, path: Path, template: TemplateName | None) -> FileResult:
    """Read, build and check one file; an unreadable file becomes a P001 result."""
    return _lint(linter, lambda: read_path(path), template)


def lint_bytes(linter: Linter, data: bytes, name: str, template: TemplateName | None) -> FileResult:
    """Read, build and check bytes from standard input, typed by `name`'s suffix."""
    return _lint(linter, lambda: read_bytes(data, name, Path(name).suffix or ".txt"), template)


def default_jobs() -> int:
    """As many worker processes as this process may use CPUs."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def lint_all(linter: Linter, files: Iterable[Path], template: TemplateName | None, jobs: int = 1) -> list[FileResult]:
    """Every file's result, in the order given; with `jobs` > 1, several files at a time in that
    many worker processes (a county's directory of PDFs is read in parallel)."""
    paths = list(files)
    check = partial(lint_path, linter, template=template)
    if jobs <= 1 or len(paths) < 2:
        return [check(path) for path in paths]
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        return list(pool.map(check, paths))
