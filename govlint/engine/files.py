"""From paths on the command line to results: expand directories, read, build, check."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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


MAX_DEFAULT_JOBS = 8
"""Enough to keep a county's reports moving; more workers mostly add memory (a large PDF or
.docx can take hundreds of MB while it is read)."""


def _lint(linter: Linter, name: str, read: Callable[[], Document], template: TemplateName | None) -> FileResult:
    try:
        return linter.check(build_report(read(), template))
    except ReadError as error:
        return linter.unreadable(error)
    except Exception as error:  # noqa: BLE001 — a bug met in one file must not lose the others' results
        reason = f"govlint 检查此文件时出现内部错误（{type(error).__name__}：{error}），请将此文件反馈给 govlint 维护者"
        return linter.unreadable(ReadError(name, reason))


def lint_path(linter: Linter, path: Path, template: TemplateName | None) -> FileResult:
    """Read, build and check one file; an unreadable file becomes a P001 result."""
    return _lint(linter, str(path), lambda: read_path(path), template)


def lint_bytes(linter: Linter, data: bytes, name: str, template: TemplateName | None) -> FileResult:
    """Read, build and check bytes from standard input, typed by `name`'s suffix."""
    return _lint(linter, name, lambda: read_bytes(data, name, Path(name).suffix or ".txt"), template)


def default_jobs() -> int:
    """As many worker processes as this process may use CPUs, at most MAX_DEFAULT_JOBS."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cpus, MAX_DEFAULT_JOBS)


def lint_all(linter: Linter, files: Iterable[Path], template: TemplateName | None, jobs: int = 1) -> list[FileResult]:
    """Every file's result, in the order given; with `jobs` > 1, several files at a time in that
    many worker processes (a county's directory of PDFs is read in parallel)."""
    paths = list(files)
    check = partial(lint_path, linter, template=template)
    if jobs <= 1 or len(paths) < 2:
        return [check(path) for path in paths]
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_leave_interrupts_to_the_parent)
    try:
        futures = [pool.submit(check, path) for path in paths]
        return [_result(future, path, check, linter) for future, path in zip(futures, paths)]
    finally:  # on Ctrl-C, files not yet started are dropped; the workers finish the one in hand
        pool.shutdown(cancel_futures=True)


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the terminal; only the parent acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _result(future: Future[FileResult], path: Path, check: Callable[[Path], FileResult],
            linter: Linter) -> FileResult:
    """A worker's result; if a worker died (killed for memory, say), every file it left unfinished
    is checked again in a worker of its own, and the one that kills that worker too is reported."""
    try:
        return future.result()
    except BrokenProcessPool:
        pass
    with ProcessPoolExecutor(max_workers=1, initializer=_leave_interrupts_to_the_parent) as alone:
        retry = alone.submit(check, path)
    try:
        return retry.result()
    except BrokenProcessPool:
        reason = "检查此文件的进程意外终止（可能是文件过大、内存不足），请单独检查此文件"
        return linter.unreadable(ReadError(str(path), reason))
