"""Results kept on disk in input order: a batch of ten thousand reports holds one in memory at a time."""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Pairing, pairing
from govlint.findings import Finding, Severity

SEVERITIES = tuple(Severity)


class Piece(NamedTuple):
    """One file's part of a streamed output (see govlint.render), and what the format's closing
    part needs of that file (`facts`: the full format's overview row)."""

    text: str
    facts: tuple[Any, ...] = ()


class Pieces(NamedTuple):
    """How a streamed format writes one file: made where the file is checked (in parallel, in the
    workers) and kept with its result, so that a file from the cache is written as it was."""

    format: str
    """The format's name (part of the cache key)."""
    make: Callable[[FileResult, dict[str, RuleSpec]], Piece]
    rules: dict[str, RuleSpec]

    def __call__(self, result: FileResult) -> Piece:
        return self.make(result, self.rules)


class Packed(NamedTuple):
    """One result as the bytes it travels and is kept in (from a worker, or the cache, to the
    spill file), with what a batch needs of it before rendering, so that it is unpickled only
    where it is rendered."""

    data: bytes
    path: str
    counts: tuple[int, ...]
    """How many findings of each severity, in the order of `Severity` (plain numbers: a cached
    result is read back without making an enum member per finding)."""
    unreadable: str | None
    """Why the input could not be read, or None."""
    report_like: bool
    """Whether the input shows any sign of being an annual report (see `looks_like_report`)."""
    pairing: Pairing | None
    """For pairing across years (see `runner.pairing`)."""
    piece: bytes | None = None
    """The file's part of the output (a pickled `Piece`), when the run's format is streamed."""
    content: str | None = None
    """The digest of the bytes the result was made from, when the cache asked for it."""


def pack(result: FileResult, pieces: Pieces | None = None) -> Packed:
    """The result as bytes, with its facts for the batch (and its piece of the output)."""
    report = result.report
    return Packed(
        data=pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
        path=result.path,
        counts=tuple(result.count(severity) for severity in SEVERITIES),
        unreadable=None if report is not None else (result.findings[0].message if result.findings else "无法读取"),
        report_like=looks_like_report(result),
        pairing=pairing(result),
        piece=pickle.dumps(pieces(result), protocol=pickle.HIGHEST_PROTOCOL) if pieces is not None else None)


def looks_like_report(result: FileResult) -> bool:
    """Whether a readable file shows any sign of being an annual report: a known template, a
    title or a section heading (a README met in a directory walk shows none)."""
    report = result.report
    return report is None or report.template != "unknown" or bool(report.title) or bool(report.sections)


class Spilled(Sequence[FileResult]):
    """An append-only sequence of results stored in a temporary file, read back on every access;
    findings added later (across years) are merged in line order as a result is read."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 — lives as long as the sequence
        self._offsets = array("Q")
        """Where each result starts in the file (numbers in an array: no object a result)."""
        self._end = 0
        self._read_since = False
        """Whether a result was read since the last was kept (the file is then elsewhere than its end)."""
        self._pieces = tempfile.TemporaryFile()  # noqa: SIM115 — written in order, read once in order
        self._has_piece = bytearray()
        self._extra: dict[int, list[Finding]] = {}
        self.severities: Counter[Severity] = Counter()
        """Findings of each severity in all the results (see `runner.tally`)."""
        self.unreadable: list[tuple[str, str]] = []
        """(path, reason) of every input that could not be read."""

    def append(self, result: Packed) -> None:
        """Keep a packed result (and its piece of the output apart, to be read back in order)."""
        if self._read_since:
            self._file.seek(self._end)
            self._read_since = False
        self._offsets.append(self._end)
        self._end += self._file.write(result.data)
        self._has_piece.append(result.piece is not None)
        if result.piece is not None:
            self._pieces.write(result.piece)
        for severity, count in zip(SEVERITIES, result.counts):
            if count:
                self.severities[severity] += count
        if result.unreadable is not None:
            self.unreadable.append((result.path, result.unreadable))

    def add(self, index: int, findings: list[Finding]) -> None:
        """More findings for the result at `index`."""
        self._extra.setdefault(index, []).extend(findings)
        self.severities.update(f.severity for f in findings)

    def pieces(self, pieces: Pieces) -> Iterator[Piece]:
        """Every result's piece of the output, in order: as kept, or made again for a result that
        has none or has gained findings since (across years)."""
        self._pieces.seek(0)
        for index, kept in enumerate(self._has_piece):
            piece: Piece | None = pickle.load(self._pieces) if kept else None
            yield pieces(self._load(index)) if piece is None or index in self._extra else piece

    def _load(self, index: int) -> FileResult:
        self._read_since = True
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
