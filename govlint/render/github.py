"""`--format github`: GitHub Actions workflow commands, so findings show as annotations on the files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.engine.spill import Piece
from govlint.findings import Finding, Severity
from govlint.render.common import concatenated, portable_path, streamed

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (what follows `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (`file=…`, `title=…`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(path: str, finding: Finding) -> str:
    """One annotation: `::error file=…,line=…,col=…,title=CODE name::message`."""
    properties = [("file", portable_path(path))]
    if finding.line is not None:
        properties.append(("line", str(finding.line)))
        if finding.column is not None:
            properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def piece(result: FileResult, rules: dict[str, RuleSpec]) -> Piece:
    """The file's findings, an annotation a line each."""
    return Piece("".join(command(result.path, f) + "\n" for f in result.findings))


assemble = concatenated


def stream(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> Iterator[str]:
    return streamed(piece, assemble, results, rules)


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    return "".join(stream(results, rules))
