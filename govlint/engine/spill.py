"""Results kept on disk in input order: a batch of ten thousand reports holds one in memory at a time."""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import overload

from govlint.engine.runner import FileResult
from govlint.findings import Finding, Severity


class Spilled(Sequence[FileResult]):
    """An append-only sequence of results stored in a temporary file, read back on every access;
    findings added later (across years) are merged in line order as a result is read."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — lives as long as the sequence
        self._offsets: list[int] = []
        self._extra: dict[int, list[Finding]] = {}
        self.severities: Counter[Severity] = Counter()
        """Findings of each severity in all the results (see `runner.tally`)."""
        self.unreadable: list[tuple[str, str]] = []
        """(path, reason) of every input that could not be read."""

    def append(self, result: FileResult) -> None:
        self._file.seek(0, 2)
        self._offsets.append(self._file.tell())
        pickle.dump(result, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.severities.update(f.severity for f in result.findings)
        if result.report is None:
            self.unreadable.append((result.path, result.findings[0].message if result.findings else "无法读取"))

    def add(self, index: int, findings: list[Finding]) -> None:
        """More findings for the result at `index`."""
        self._extra.setdefault(index, []).extend(findings)
        self.severities.update(f.severity for f in findings)

    def _load(self, index: int) -> FileResult:
        self._file.seek(self._offsets[index])
        result: FileResult = pickle.load(self._file)
        extra = self._extra.get(index)
        return result.merged(extra) if extra else result

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> FileResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[FileResult]: ...
    def __getitem__(self, index: int | slice) -> FileResult | list[FileResult]:
        if isinstance(index, slice):
            return [self._load(i) for i in range(len(self))[index]]
        return self._load(range(len(self))[index])

    def __iter__(self) -> Iterator[FileResult]:
        return (self._load(i) for i in range(len(self)))
