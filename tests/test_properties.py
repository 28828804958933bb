"""Property tests: any single changed number is caught; no input crashes the tool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlint.engine.files import lint_bytes
from govlint.engine.runner import Linter
from govlint.findings import Severity
from govlint.report.model import Report
from tests.conftest import CONSISTENT_SEEDS, SEEDS, apply_edits

CELLS = [
    (path, f"{table}.{row}.{column}")
    for path in CONSISTENT_SEEDS
    for table in ("table3", "table4")
    for row, columns in __import__("json").loads(
        (Path(__file__).parent / "fixtures" / "truth" / f"{path.stem}.truth.json").read_text(encoding="utf-8")
    )[table].items()
    for column in columns
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(CELLS), new=st.integers(min_value=0, max_value=99_999))
def test_any_changed_number_is_caught(target: tuple[Path, str], new: int, linter: Linter,
                                      parsed: Callable[[Path], Report]) -> None:
    path, address = target
    report = parsed(path)
    cell = report.cell(address)
    assert cell is not None
    if new == cell.value:
        new += 1
    text = apply_edits(path, report, [{"cell": address, "new": str(new)}])
    result = lint_bytes(linter, text.encode("utf-8"), path.name, None)
    errors = [f for f in result.findings if f.severity is Severity.ERROR and address in f.cells]
    assert errors, f"{address} changed to {new} in {path.name} was not caught: {[f.code for f in result.findings]}"


_SEED_BYTES = [p.read_bytes() for p in SEEDS]


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEED_BYTES)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 400))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        else:
            data = data[:at]
    return bytes(data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(mutated_seed(), st.binary(max_size=2000)),
       suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf"]))
def test_no_input_crashes(data: bytes, suffix: str, linter: Linter) -> None:
    result = lint_bytes(linter, data, f"input{suffix}", None)
    assert result.report is not None or [f.code for f in result.findings] == ["P001"]
    assert all(f.code != "P999" for f in result.findings)
