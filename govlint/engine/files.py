"""From paths on the command line to results: expand directories, then read, build and check every
file — from the cache when it is unchanged, else in worker processes, each under a time budget —
and run the across-years rules on the pairs found."""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar, overload

from govlint.engine.budget import BudgetExceeded, budget
from govlint.engine.cache import Cache, code_digest, content_digest, digest
from govlint.engine.runner import Dated, FileResult, Linter, PairIndex, Pairing, slim
from govlint.engine.spill import Packed, Pieces, Spilled, pack
from govlint.errors import ReadError
from govlint.findings import Finding
from govlint.readers import LEGACY_FORMATS, READERS, load_path, read_bytes, read_path, suffix_of

if TYPE_CHECKING:
    from govlint.document import Document
    from govlint.report.model import Report, TemplateName


def jobs_of(paths: Iterable[Path], linter_at: Callable[[str], int], given: Iterable[Job] = ()) -> tuple[Jobs, int]:
    """The `given` jobs (standard input's), then a job for every file given or found under a
    directory given — directories searched recursively for supported (and legacy) report files;
    `linter_at(folder)` says whose configuration applies — and how many files a walk passed over."""
    jobs, skipped = Jobs(), 0
    linters: dict[str, int] = {}

    def linter_of(name: str) -> int:
        folder = os.path.dirname(name)
        if folder not in linters:
            linters[folder] = linter_at(folder)
        return linters[folder]

    def found() -> Iterator[Job]:
        nonlocal skipped
        yield from given
        for path in paths:
            if not path.is_dir():
                yield Job(str(path), linter=linter_of(str(path)))
                continue
            for name in _walk(str(path)):
                if suffix_of(name).lower() in KNOWN_SUFFIXES:
                    yield Job(name, linter=linter_of(name), walked=True)
                else:
                    skipped += 1

    jobs.extend(found())
    return jobs, skipped


KNOWN_SUFFIXES = frozenset(READERS) | frozenset(LEGACY_FORMATS)


def _walk(folder: str) -> Iterator[str]:
    """The files under a folder in the order of their sorted paths, without hidden files or
    folders and without following links to folders (as `Path.rglob` walks)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted((entry.name, entry) for entry in scan if not entry.name.startswith("."))
    except PermissionError:
        return
    for _, entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.is_file():
            yield entry.path


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

    def load(self) -> bytes:
        """The input's bytes (a file that cannot be read raises `ReadError`)."""
        return load_path(self.name) if self.data is None else self.data

    def parse(self, data: bytes) -> Document:
        """The document of the input's bytes, read by its name's suffix (standard input's by
        default as text)."""
        return read_bytes(data, self.name, suffix_of(self.name) or (".txt" if self.data is not None else ""))

    def read(self) -> Document:
        return self.parse(self.load())


_ABSENT = 0xFFFFFFFF
"""In `Jobs`, the run of a job that is kept whole (one with bytes of its own)."""


class Jobs(Sequence[Job]):
    """A batch's jobs, held in a few bytes each: a folder's path once per run of files in it, the
    names in the run joined into one string, two numbers a file. A `Job` is made when one is asked
    for and lives while it is used, so that the list of a province's files stays small — in this
    process, and in every worker forked from it, which maps all of it again."""

    def __init__(self) -> None:
        self._runs: list[tuple[str, str, int, bool]] = []
        """(the folder part of the names, the names' other parts joined by NUL, linter, walked):
        consecutive jobs that share the first and last two."""
        self._run = array("I")
        self._start = array("I")
        """Per job, its run and where its name starts in the run's names."""
        self._whole: dict[int, Job] = {}
        """The jobs with bytes of their own (standard input's), by their place."""

    def extend(self, jobs: Iterable[Job]) -> None:
        run: tuple[str, int, bool] | None = None
        names: list[str] = []
        length = 0
        for job in jobs:
            if job.data is not None:
                self._whole[len(self._run)] = job
                self._run.append(_ABSENT)
                self._start.append(0)
                continue
            base = os.path.basename(job.name)
            key = (job.name[:len(job.name) - len(base)], job.linter, job.walked)
            if key != run:
                self._close(run, names)
                run, names, length = key, [], 0
            self._run.append(len(self._runs))
            self._start.append(length)
            names.append(base)
            length += len(base) + 1
        self._close(run, names)

    def _close(self, run: tuple[str, int, bool] | None, names: list[str]) -> None:
        if run is not None:
            folder, linter, walked = run
            self._runs.append((folder, "\0".join(names), linter, walked))

    def __len__(self) -> int:
        return len(self._run)

    @overload
    def __getitem__(self, index: int) -> Job: ...
    @overload
    def __getitem__(self, index: slice) -> list[Job]: ...
    def __getitem__(self, index: int | slice) -> Job | list[Job]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        place = range(len(self))[index]
        run = self._run[place]
        if run == _ABSENT:
            return self._whole[place]
        folder, names, linter, walked = self._runs[run]
        start = self._start[place]
        end = names.find("\0", start)
        return Job(folder + names[start:end if end >= 0 else len(names)], linter=linter, walked=walked)


class Plan(NamedTuple):
    """Everything a worker needs, sent to it once: the linters (one per configuration), whether
    renderers need whole reports, the time budget per file (seconds), the format's pieces."""

    linters: tuple[Linter, ...]
    keep_reports: bool = False
    budget: float | None = None
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
"""A job and the digest of its bytes as the cache found them (None: not cached)."""
PairTask = tuple[Job, Job, tuple[str, str] | None]
"""The later and the earlier report of one agency, and the digests of their bytes as the cache
found them (None: not cached)."""


def out_of_time(linter: Linter, name: str, seconds: float | None) -> FileResult:
    """The P001 result of a file whose check used up its time budget."""
    return linter.unreadable(ReadError(name, f"检查此文件超过了每个文件 {seconds:g} 秒的时间限制，已停止；"
                                             "请单独检查此文件，必要时用 --timeout 放宽限制"))


class _Reading:
    """Reads jobs, noting the digest of each one's bytes when the cache asks for it."""

    def __init__(self, digests: bool) -> None:
        self.digests = digests
        self.seen: list[str] = []

    def __call__(self, job: Job) -> Document:
        data = job.load()
        if self.digests:
            self.seen.append(content_digest(data))
        return job.parse(data)


def check_task(plan: Plan, task: Task) -> Packed:
    """One file's result under the plan's time budget, with the digest of the bytes it was made
    from when the cache asks (it is kept only when they are the bytes the cache found)."""
    job, expected = task
    linter = plan.linters[job.linter]
    reading = _Reading(expected is not None)
    try:
        with budget(plan.budget):
            result = _lint(linter, job.name, lambda: reading(job), linter.template)
    except BudgetExceeded:
        return pack(out_of_time(linter, job.name, plan.budget), plan.pieces)
    packed = pack(result if plan.keep_reports else slim(result), plan.pieces)
    return packed._replace(content=reading.seen[0]) if reading.seen else packed


PairChecked = tuple[list[Finding], tuple[str, ...]]
"""A pair's findings, and the digests of the bytes they were made from (when the cache asks)."""


def check_pair_task(plan: Plan, task: PairTask) -> PairChecked:
    """The across-years findings of a pair, rebuilt from their files (nothing when either cannot
    be rebuilt within the budget, as an unread pair is not compared)."""
    later, earlier, expected = task
    linter = plan.linters[later.linter]
    reading = _Reading(expected is not None)
    try:
        with budget(plan.budget):
            report, last = (_build(reading(j), linter.template) for j in (later, earlier))
            findings = linter.check_pair(report, last)
    except (BudgetExceeded, ReadError):
        return [], ()
    return findings, tuple(reading.seen)


_PLAN: Plan | None = None


def _start_worker(plan: Plan) -> None:
    global _PLAN  # noqa: PLW0603 — the worker's one piece of state, set once when it starts
    _PLAN = plan


def _worker_check(task: Task) -> Packed:
    assert _PLAN is not None
    return check_task(_PLAN, task)


def _worker_pair(task: PairTask) -> PairChecked:
    assert _PLAN is not None
    return check_pair_task(_PLAN, task)


def _dead_worker(plan: Plan) -> Callable[[Task], Packed]:
    def dead(task: Task) -> Packed:
        job = task[0]
        reason = "检查此文件的进程意外终止（可能是文件过大、内存不足），请单独检查此文件"
        return pack(plan.linters[job.linter].unreadable(ReadError(job.name, reason)), plan.pieces)
    return dead


def _no_pair(task: PairTask) -> PairChecked:
    return [], ()


def _ordered(plan: Plan, tasks: Iterable[Task], count: int, workers: int) -> Generator[Packed, None, None]:
    """The results of `count` tasks, in order; the tasks are taken as the workers need them."""
    if workers <= 1 or count < 2:
        return (check_task(plan, task) for task in tasks)
    from govlint.engine.pool import Workers  # one file needs no process pool

    return Workers(_worker_check, _dead_worker(plan), workers, _start_worker, (plan,)).map(tasks, count)


def _ordered_pairs(plan: Plan, tasks: Sequence[PairTask], workers: int) -> Generator[PairChecked, None, None]:
    if workers <= 1 or len(tasks) < 2:
        return (check_pair_task(plan, task) for task in tasks)
    from govlint.engine.pool import Workers  # one pair needs no process pool

    return Workers(_worker_pair, _no_pair, workers, _start_worker, (plan,)).map(tasks, len(tasks))


@dataclass
class Batch:
    """The results of a run in input order (kept on disk), and how many walked files were not reports."""

    results: Spilled
    skipped: int = 0


def check_all(plan: Plan, jobs: Sequence[Job], workers: int,
              done: Callable[[Job], None] | None = None, cache: Cache | None = None) -> Batch:
    """Every job's result, in order, with the across-years findings of the pairs among them.
    Unchanged files come from the cache; `done` is told of every file as it is finished."""
    try:
        return _Run(plan, workers, cache).check(jobs, done)
    finally:
        if cache is not None:
            cache.save()


class _Run:
    """One batch: what the cache knows of its files, and the results in order."""

    def __init__(self, plan: Plan, workers: int, cache: Cache | None) -> None:
        self.plan, self.workers, self.cache = plan, workers, cache
        self.fingerprints = plan.fingerprints() if cache is not None else []

    def _scope(self, job: Job) -> str:
        """What besides its content a job's result depends on (see `Plan.fingerprints`)."""
        return self.fingerprints[job.linter]

    def _stored(self, job: Job, key: str | None) -> bool:
        return self.cache is not None and key is not None and self.cache.has(job.name, self._scope(job), key)

    def _get(self, job: Job, key: str | None, kind: type[Stored]) -> Stored | None:
        """The value stored under a key in the shard of `job`'s folder, if it is one of `kind`."""
        assert self.cache is not None and key is not None
        value = self.cache.get(job.name, self._scope(job), key)
        return value if isinstance(value, kind) else None

    def check(self, jobs: Sequence[Job], done: Callable[[Job], None] | None) -> Batch:
        plan, cache = self.plan, self.cache
        contents = [None if cache is None or job.data is not None else cache.content(job.name, self._scope(job))
                    for job in jobs]
        stored = [self._stored(job, _file_key(job, content)) for job, content in zip(jobs, contents)]
        if not all(stored):
            plan.prepare()
        computed = _ordered(plan, ((job, content) for job, content, hit in zip(jobs, contents, stored) if not hit),
                            stored.count(False), self.workers)
        batch = Batch(Spilled())
        kept = _Kept()
        with closing(computed):  # the workers end with the last file, before the pairs are found
            for index, (job, content, hit) in enumerate(zip(jobs, contents, stored)):
                result = self._from_cache(job, content) if hit else self._keep(job, content, next(computed))
                if done is not None:
                    done(job)
                if job.walked and not result.report_like:
                    batch.skipped += 1
                    continue
                if result.pairing is not None:
                    kept.add(len(batch.results), index, result.pairing)
                batch.results.append(result)
        self._add_pairs(kept, jobs, contents, batch.results)
        return batch

    def _from_cache(self, job: Job, content: str | None) -> Packed:
        """The stored result of a file; checked here when the entry turns out to be unreadable."""
        packed = self._get(job, _file_key(job, content), Packed)
        return packed if packed is not None else self._keep(job, content, check_task(self.plan, (job, content)))

    def _keep(self, job: Job, content: str | None, packed: Packed) -> Packed:
        """A file's new result, stored when it was made from the bytes the cache found."""
        key = _file_key(job, content)
        if self.cache is not None and key is not None and packed.content == content:
            self.cache.put(job.name, self._scope(job), key, packed)
        return packed

    def _add_pairs(self, kept: _Kept, jobs: Sequence[Job], contents: Sequence[str | None], results: Spilled) -> None:
        """Run the across-years rules on every pair of consecutive years of one agency in the
        batch. A pair's findings are cached like a file's result (in the later file's shard), and
        so is a pair no across-years rule applies to (as no findings), so that a run whose every
        file and pair is cached binds no rule."""
        plan = self.plan
        job_at = dict(zip(kept.places, kept.jobs))
        pairs: list[tuple[Dated, Dated, PairTask]] = []
        for later, earlier in PairIndex(kept.dated()).pairs():
            index, last_index = job_at[later.place], job_at[earlier.place]
            content, last_content = contents[index], contents[last_index]
            both = None if content is None or last_content is None else (content, last_content)
            pairs.append((later, earlier, (jobs[index], jobs[last_index], both)))
        stored = [self._stored(task[0], _pair_key(task)) for _, _, task in pairs]
        if not all(stored):
            plan.prepare()
        compared = [hit or plan.linters[task[0].linter].pairs_with(later, earlier, task[0].name)
                    for (later, earlier, task), hit in zip(pairs, stored)]
        computed = _ordered_pairs(plan, [task for (_, _, task), hit, compare in zip(pairs, stored, compared)
                                         if compare and not hit], self.workers)
        for (later, _, task), hit, compare in zip(pairs, stored, compared):
            if not compare:  # no across-years rule applies: no findings, whatever the bytes
                self._keep_pair(task, ([], task[2] or ()))
                continue
            findings = self._pair_from_cache(task) if hit else self._keep_pair(task, next(computed))
            if findings:
                results.add(later.place, findings)

    def _pair_from_cache(self, task: PairTask) -> list[Finding]:
        findings = self._get(task[0], _pair_key(task), list)
        return findings if findings is not None else self._keep_pair(task, check_pair_task(self.plan, task))

    def _keep_pair(self, task: PairTask, checked: PairChecked) -> list[Finding]:
        """A pair's findings, stored when they were made from the bytes the cache found."""
        later, earlier, contents = task
        findings, seen = checked
        key = _pair_key(task)
        if self.cache is not None and key is not None and seen == contents:
            self.cache.put(later.name, self._scope(later), key, findings, owner=f"{later.name}\0{earlier.name}")
        return findings


class _Kept:
    """The pairing facts of a batch's reports, gathered as their results come in: a report's
    place in the batch, its job's place and its year as numbers in arrays, its template one
    string shared by all (a batch keeps them to the end, so they take no object a report)."""

    def __init__(self) -> None:
        self.places, self.jobs, self.years = array("I"), array("I"), array("i")
        self.agencies: list[str] = []
        self.templates: list[str] = []

    def add(self, place: int, job: int, facts: Pairing) -> None:
        year, agency, template = facts
        self.places.append(place)
        self.jobs.append(job)
        self.years.append(year)
        self.agencies.append(agency)
        self.templates.append(sys.intern(template))

    def dated(self) -> Iterator[Dated]:
        return map(Dated, self.places, self.years, self.agencies, self.templates)


Stored = TypeVar("Stored")


def _file_key(job: Job, content: str | None) -> str | None:
    """A file's key in its shard (which stands for its settings already): its name and content
    digest (a name holds no NUL); None when the cache does not know its content."""
    return None if content is None else f"{job.name}\0{content}"


def _pair_key(task: PairTask) -> str | None:
    """A pair's key in the later file's shard: both names and both contents' digests."""
    later, earlier, contents = task
    return None if contents is None else "\0".join((later.name, earlier.name, *contents))
