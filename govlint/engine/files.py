"""From paths on the command line to results: expand directories, then read, build and check every
file — from the cache when it is unchanged, else in worker processes, each under a time budget —
and run the across-years rules on the pairs found."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from govlint.engine.budget import BudgetExceeded, budget
from govlint.engine.cache import Cache, code_digest, digest
from govlint.engine.runner import Dated, FileResult, Linter, PairIndex, slim
from govlint.engine.spill import Packed, Pieces, Spilled, pack
from govlint.errors import ReadError
from govlint.findings import Finding
from govlint.readers import LEGACY_FORMATS, READERS, read_bytes, read_path, suffix_of

if TYPE_CHECKING:
    from govlint.document import Document
    from govlint.report.model import Report, TemplateName


@dataclass
class Inputs:
    """The files to check (their names, as a batch keeps them), which of them a directory walk
    found, and how many files it passed over."""

    files: list[str] = field(default_factory=list)
    walked: set[str] = field(default_factory=set)
    skipped: int = 0


def collect(paths: Iterable[Path]) -> Inputs:
    """Files as given; directories searched recursively for supported (and legacy) report files."""
    inputs = Inputs()
    for path in paths:
        if not path.is_dir():
            inputs.files.append(str(path))
            continue
        for name in _walk(str(path)):
            suffix = os.path.splitext(name)[1].lower()
            if suffix in READERS or suffix in LEGACY_FORMATS:
                inputs.files.append(name)
                inputs.walked.add(name)
            else:
                inputs.skipped += 1
    return inputs


def _walk(folder: str) -> Iterator[str]:
    """The files under a folder in the order of their sorted paths, without hidden files or
    folders and without following links to folders (as `Path.rglob` walks)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except PermissionError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.is_file():
            yield entry.path


def jobs_of(paths: Iterable[Path], linter_at: Callable[[Path], int]) -> tuple[list[Job], int]:
    """A job for every file given or found under a directory given (`linter_at(folder)` says
    whose configuration applies), and how many files a directory walk passed over."""
    inputs = collect(paths)
    linters: dict[str, int] = {}
    jobs = []
    for name in inputs.files:
        folder = os.path.dirname(name)
        if folder not in linters:
            linters[folder] = linter_at(Path(folder))
        jobs.append(Job(name, linter=linters[folder], walked=name in inputs.walked))
    return jobs, inputs.skipped


MAX_DEFAULT_JOBS = 8
"""Enough to keep a county's reports moving; more workers mostly add memory (a large PDF or
.docx can take hundreds of MB while it is read)."""


def default_jobs() -> int:
    """As many worker processes as this process may use CPUs, at most MAX_DEFAULT_JOBS."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cpus, MAX_DEFAULT_JOBS)


def _build(document: Document, template: TemplateName | None) -> Report:
    """The report of a document. The builder is imported when a file is first built: a run whose
    every file comes from the cache never loads it (nor the patterns it compiles)."""
    from govlint.report.builder import build_report

    return build_report(document, template)


def _lint(linter: Linter, name: str, read: Callable[[], Document], template: TemplateName | None) -> FileResult:
    try:
        return linter.check(_build(read(), template))
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
    return _lint(linter, name, Job(name, data=data).read, template)


class Job(NamedTuple):
    """One input: a file on disk named `name`, or standard input's bytes (`data`) under a name; and
    the linter (by its place in the plan) whose configuration applies to it. A batch holds one per
    file, so it keeps the name only, not a Path."""

    name: str
    data: bytes | None = None
    linter: int = 0
    walked: bool = False

    def read(self) -> Document:
        if self.data is None:
            return read_path(self.name)
        return read_bytes(self.data, self.name, suffix_of(self.name) or ".txt")

    def content(self) -> bytes | None:
        """The bytes the result depends on; None when they cannot be read (nothing is cached then)."""
        if self.data is not None or not os.path.isfile(self.name):
            return None
        try:
            with open(self.name, "rb") as handle:
                return handle.read()
        except OSError:
            return None


class Plan(NamedTuple):
    """Everything a worker needs, sent to it once: the linters (one per configuration), whether
    renderers need whole reports, the time budget per file (seconds), the cache, the format's pieces."""

    linters: tuple[Linter, ...]
    keep_reports: bool = False
    budget: float | None = None
    cache: Cache | None = None
    pieces: Pieces | None = None
    """How the run's streamed format writes each file, made along with its result."""

    def fingerprints(self) -> list[str]:
        """Per linter, what besides a file's content its result depends on: govlint's code, the
        settings (the configured parameters among them) and every rule as its file says."""
        return [digest([code_digest().encode(), linter.settings.model_dump_json().encode(),
                        str(self.keep_reports).encode(), (self.pieces.format if self.pieces else "").encode(),
                        *(r.spec.model_dump_json().encode() for r in linter.rules)])
                for linter in self.linters]

    def prepare(self) -> None:
        """Bind every rule to its mechanism before any file is checked (a broken rule fails the
        run here, once, not in every file); a run whose every file is cached never does."""
        for linter in self.linters:
            linter.prepare()


Task = tuple[Job, str | None]
"""A job and the cache key its result is stored under (None: not cached)."""
PairTask = tuple[Job, Job, str | None]
"""The later and the earlier report of one agency, and the cache key of their across-years findings."""


def out_of_time(linter: Linter, name: str, seconds: float | None) -> FileResult:
    """The P001 result of a file whose check used up its time budget."""
    return linter.unreadable(ReadError(name, f"检查此文件超过了每个文件 {seconds:g} 秒的时间限制，已停止；"
                                             "请单独检查此文件，必要时用 --timeout 放宽限制"))


def check_task(plan: Plan, task: Task) -> Packed:
    """One file's result under the plan's time budget, stored in the cache when it is complete."""
    job, key = task
    linter = plan.linters[job.linter]
    try:
        with budget(plan.budget):
            result = _lint(linter, job.name, job.read, linter.template)
    except BudgetExceeded:
        return pack(out_of_time(linter, job.name, plan.budget), plan.pieces)
    packed = pack(result if plan.keep_reports else slim(result), plan.pieces)
    if key is not None and plan.cache is not None:
        plan.cache.put(key, packed)
    return packed


def check_pair_task(plan: Plan, task: PairTask) -> list[Finding]:
    """The across-years findings of a pair, rebuilt from their files (nothing when either cannot
    be rebuilt within the budget, as an unread pair is not compared)."""
    later, earlier, key = task
    linter = plan.linters[later.linter]
    try:
        with budget(plan.budget):
            report, last = (_build(j.read(), linter.template) for j in (later, earlier))
            findings = linter.check_pair(report, last)
    except (BudgetExceeded, ReadError):
        return []
    if key is not None and plan.cache is not None:
        plan.cache.put(key, findings)
    return findings


_PLAN: Plan | None = None


def _start_worker(plan: Plan) -> None:
    global _PLAN  # noqa: PLW0603 — the worker's one piece of state, set once when it starts
    _PLAN = plan


def _worker_check(task: Task) -> Packed:
    assert _PLAN is not None
    return check_task(_PLAN, task)


def _worker_pair(task: PairTask) -> list[Finding]:
    assert _PLAN is not None
    return check_pair_task(_PLAN, task)


def _dead_worker(plan: Plan) -> Callable[[Task], Packed]:
    def dead(task: Task) -> Packed:
        job = task[0]
        reason = "检查此文件的进程意外终止（可能是文件过大、内存不足），请单独检查此文件"
        return pack(plan.linters[job.linter].unreadable(ReadError(job.name, reason)), plan.pieces)
    return dead


def _no_pair(task: PairTask) -> list[Finding]:
    return []


def _ordered(plan: Plan, tasks: Sequence[Task], workers: int) -> Iterator[Packed]:
    if workers <= 1 or len(tasks) < 2:
        return (check_task(plan, task) for task in tasks)
    from govlint.engine.pool import Workers  # one file needs no process pool

    return Workers(_worker_check, _dead_worker(plan), workers, _start_worker, (plan,)).map(tasks)


def _ordered_pairs(plan: Plan, tasks: Sequence[PairTask], workers: int) -> Iterator[list[Finding]]:
    if workers <= 1 or len(tasks) < 2:
        return (check_pair_task(plan, task) for task in tasks)
    from govlint.engine.pool import Workers  # one pair needs no process pool

    return Workers(_worker_pair, _no_pair, workers, _start_worker, (plan,)).map(tasks)


@dataclass
class Batch:
    """The results of a run in input order (kept on disk), and how many walked files were not reports."""

    results: Spilled
    skipped: int = 0


def _stored(plan: Plan, key: str | None) -> bool:
    return plan.cache is not None and key is not None and plan.cache.has(key)


Stored = TypeVar("Stored")
Input = TypeVar("Input", Task, PairTask)


def _from_cache(plan: Plan, task: Input, kind: type[Stored], compute: Callable[[Plan, Input], Stored]) -> Stored:
    """The stored value of a task; computed here when the entry turns out to be unreadable."""
    assert plan.cache is not None
    value = plan.cache.get(task[-1])  # type: ignore[arg-type]
    return value if isinstance(value, kind) else compute(plan, task)


def check_all(plan: Plan, jobs: Sequence[Job], workers: int,
              done: Callable[[Job], None] | None = None) -> Batch:
    """Every job's result, in order, with the across-years findings of the pairs among them.
    Unchanged files come from the cache; `done` is told of every file as it is finished."""
    fingerprints = plan.fingerprints() if plan.cache is not None else []
    keys: list[str | None] = []
    for job in jobs:
        content = job.content() if plan.cache is not None else None
        key = None if content is None else digest([fingerprints[job.linter].encode(), job.name.encode(), content])
        keys.append(key)
    stored = [_stored(plan, key) for key in keys]
    if not all(stored):
        plan.prepare()
    computed = _ordered(plan, [(job, key) for job, key, hit in zip(jobs, keys, stored) if not hit], workers)
    batch = Batch(Spilled())
    kept: list[tuple[Dated, Job, str | None]] = []
    for job, key, hit in zip(jobs, keys, stored):
        result = _from_cache(plan, (job, key), Packed, check_task) if hit else next(computed)
        if done is not None:
            done(job)
        if job.walked and not result.report_like:
            batch.skipped += 1
            continue
        if result.pairing is not None:
            year, agency, template = result.pairing
            kept.append((Dated(len(batch.results), year, agency, sys.intern(template), job.name), job, key))
        batch.results.append(result)
    _add_pairs(plan, kept, fingerprints, batch.results, workers)
    return batch


def _add_pairs(plan: Plan, kept: list[tuple[Dated, Job, str | None]], fingerprints: list[str],
               results: Spilled, workers: int) -> None:
    """Run the across-years rules on every pair of consecutive years of one agency in the batch.
    A pair's findings are cached like a file's result, and so is a pair no across-years rule
    applies to (as no findings), so that a run whose every file and pair is cached binds no rule."""
    jobs = {entry.place: (job, key) for entry, job, key in kept}
    pairs: list[tuple[Dated, Dated, PairTask]] = []
    for later, earlier in PairIndex(e for e, _, _ in kept).pairs():
        (job, key), (last_job, last_key) = jobs[later.place], jobs[earlier.place]
        pair_key = None if key is None or last_key is None else digest(
            [fingerprints[job.linter].encode(), b"pair", key.encode(), last_key.encode()])
        pairs.append((later, earlier, (job, last_job, pair_key)))
    stored = [_stored(plan, task[2]) for _, _, task in pairs]
    if not all(stored):
        plan.prepare()
    compared = [hit or plan.linters[task[0].linter].pairs_with(later, earlier)
                for (later, earlier, task), hit in zip(pairs, stored)]
    computed = _ordered_pairs(plan, [task for (_, _, task), hit, compare in zip(pairs, stored, compared)
                                     if compare and not hit], workers)
    for (later, _, task), hit, compare in zip(pairs, stored, compared):
        if not compare:
            if task[2] is not None and plan.cache is not None:
                plan.cache.put(task[2], [])
            continue
        findings = _from_cache(plan, task, list, check_pair_task) if hit else next(computed)
        if findings:
            results.add(later.place, findings)
