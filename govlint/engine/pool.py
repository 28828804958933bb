"""Worker processes that start once and take their inputs in chunks, in order; a worker that dies
costs only the input that killed it."""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Generic, TypeVar

from govlint.engine.gctune import tune_gc

Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNKS_PER_WORKER = 4
"""Chunks handed out ahead per worker: enough to keep every worker busy, few enough to keep the
results waiting for an earlier slow file small."""
MAX_CHUNK = 16


class Workers(Generic[Item, Result]):
    """`task` over items in worker processes, results in the items' order.

    `initializer(*initargs)` runs once in every worker (the linters arrive there once, not with
    every input). When a worker dies, the inputs of its chunk are checked again one by one, each
    in a process of its own, and the one that kills that process too gets `dead(item)`.
    """

    def __init__(self, task: Callable[[Item], Result], dead: Callable[[Item], Result], workers: int,
                 initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
        self.task, self.dead, self.workers = task, dead, workers
        self.initializer, self.initargs = initializer, initargs

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker,
                                   initargs=(self.initializer, self.initargs))

    def map(self, items: Iterable[Item], count: int) -> Generator[Result, None, None]:
        """The result of each of `count` items, in order, as soon as it and every earlier one is
        done. Items are taken from `items` as chunks are handed out, not all at once."""
        size = max(1, min(MAX_CHUNK, count // (self.workers * CHUNKS_PER_WORKER)))
        taken = iter(items)
        chunks = iter(lambda: list(islice(taken, size)), [])
        pool = self._pool(min(self.workers, count))
        pending: deque[tuple[list[Item], Future[list[Result]]]] = deque()
        try:
            while True:
                for chunk in islice(chunks, self.workers * CHUNKS_PER_WORKER - len(pending)):
                    pending.append((chunk, pool.submit(_run_chunk, self.task, chunk)))
                if not pending:
                    return
                chunk, future = pending.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = self._pool(min(self.workers, count))
                    pending = deque((c, f if _succeeded(f) else pool.submit(_run_chunk, self.task, c))
                                    for c, f in pending)
                    results = [self._alone(item) for item in chunk]
                yield from results
        finally:  # on Ctrl-C, chunks not yet started are dropped; the workers finish the one in hand
            pool.shutdown(cancel_futures=True)

    def _alone(self, item: Item) -> Result:
        with self._pool(1) as alone:
            retry = alone.submit(self.task, item)
            try:
                return retry.result()
            except BrokenProcessPool:
                return self.dead(item)


def _succeeded(future: Future[list[Result]]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _run_chunk(task: Callable[[Item], Result], chunk: Iterable[Item]) -> list[Result]:
    return [task(item) for item in chunk]


def _quiet_worker(initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
    """Ctrl-C reaches every process of the terminal; only the parent acts on it. The collector is
    tuned as in the parent (a worker started by spawning rather than forking inherits nothing)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tune_gc()
    initializer(*initargs)
