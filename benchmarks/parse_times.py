"""Benchmark: how long govlint takes to read, build and check each report of a corpus folder.

For every report in the folder (default tests/fixtures/corpus) it measures, in-process:

* parse: `read_path` + `build_report` (what `govlint parse` does),
* check: read, build and run every rule (`lint_path` with `Linter(load_rules(), Settings())`),

each warmed up once and then timed N times (median reported). It prints a table per file, a
per-format summary (median over the reports of each format), and the process start-up cost: the
median wall time of `python -m govlint check samples/004_….txt` against `python -c "import pydantic"`,
and the whole folder checked at once, one file at a time (`-j 1`) and in parallel (`-j N`, N = CPUs).

Usage: python benchmarks/parse_times.py [FOLDER] [-n RUNS] [--startup-runs RUNS] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from govlint.engine.config import Settings
from govlint.engine.files import default_jobs, lint_path
from govlint.engine.loader import RuleLoadError, load_rules
from govlint.engine.runner import Linter
from govlint.errors import ReadError
from govlint.readers import read_path, supported
from govlint.report.builder import build_report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
STARTUP_SAMPLE = ROOT / "samples" / "004_1a8aabc305f300ec.txt"
FORMATS = (".txt", ".md", ".html", ".pdf", ".docx")
"""Formats summarised, in this order (others present are summarised after them)."""


@dataclass
class FileTiming:
    """The timings of one report, in milliseconds (None when it could not be read)."""

    name: str
    suffix: str
    size: int
    template: str | None
    parse_ms: float | None
    check_ms: float | None
    findings: int | None
    error: str | None = None


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Run `action` once to warm up, then `runs` times; the median wall time in milliseconds."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def reports_in(folder: Path) -> list[Path]:
    """The report files of a corpus folder (README and truth files excluded)."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and supported(p) and not p.name.lower().startswith("readme"))


def time_file(path: Path, linter: Linter, runs: int) -> FileTiming:
    """Parse and check timings of one report."""
    base = FileTiming(name=path.name, suffix=path.suffix.lower(), size=path.stat().st_size, template=None,
                      parse_ms=None, check_ms=None, findings=None)
    try:
        report = build_report(read_path(path))
    except ReadError as error:
        base.error = error.message
        return base
    base.template = report.template
    base.parse_ms = median_ms(lambda: build_report(read_path(path)), runs)
    base.check_ms = median_ms(lambda: lint_path(linter, path, None), runs)
    base.findings = len(lint_path(linter, path, None).findings)
    return base


def wall_ms(command: list[str], runs: int) -> float:
    """Median wall time of a command run `runs` times (after one warm-up), in milliseconds."""

    def run() -> None:
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return median_ms(run, runs)


def summary(timings: list[FileTiming]) -> dict[str, dict[str, float | int]]:
    """Per format: number of reports, median parse and check time per report."""
    suffixes = [s for s in FORMATS if any(t.suffix == s for t in timings)]
    suffixes += sorted({t.suffix for t in timings} - set(suffixes))
    result: dict[str, dict[str, float | int]] = {}
    for suffix in suffixes:
        done = [t for t in timings if t.suffix == suffix and t.parse_ms is not None and t.check_ms is not None]
        if done:
            result[suffix] = {
                "reports": len(done),
                "parse_ms": statistics.median(t.parse_ms for t in done if t.parse_ms is not None),
                "check_ms": statistics.median(t.check_ms for t in done if t.check_ms is not None),
            }
    return result


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:9.1f}"


def render(folder: Path, runs: int, timings: list[FileTiming], per_format: dict[str, dict[str, float | int]],
           startup: dict[str, float], startup_runs: int, batch: dict[str, float]) -> str:
    """The plain-text report."""
    width = max([len(t.name) for t in timings] + [4])
    lines = [
        (f"govlint benchmark — corpus {folder} — median of {runs} runs after 1 warm-up "
         f"(Python {platform.python_version()}, {platform.machine()})"),
        "",
        f"{'file':<{width}}  {'kB':>6}  {'tmpl':>7}  {'parse ms':>9}  {'check ms':>9}  {'findings':>8}",
    ]
    for t in timings:
        if t.error is not None:
            lines.append(f"{t.name:<{width}}  {t.size / 1024:6.0f}  unreadable: {t.error}")
            continue
        lines.append(f"{t.name:<{width}}  {t.size / 1024:6.0f}  {t.template or '':>7}  {fmt(t.parse_ms)}  "
                     f"{fmt(t.check_ms)}  {t.findings:>8}")
    lines += ["", "per format (median per report):", f"{'format':<8}  {'reports':>7}  {'parse ms':>9}  {'check ms':>9}"]
    for suffix, row in per_format.items():
        lines.append(f"{suffix:<8}  {row['reports']:>7}  {fmt(float(row['parse_ms']))}  {fmt(float(row['check_ms']))}")
    missing = [s for s in FORMATS if s not in per_format]
    if missing:
        lines.append(f"(no {' '.join(missing)} reports in this folder)")
    startup_rows = [
        (f"python -m govlint check samples/{STARTUP_SAMPLE.name}", startup["govlint_check_ms"]),
        ('python -c "import pydantic"', startup["import_pydantic_ms"]),
        ("difference (govlint's own start-up and one check)", startup["difference_ms"]),
    ]
    label_width = max(len(label) for label, _ in startup_rows)
    lines += ["", f"process start-up (median wall time of {startup_runs} runs after 1 warm-up):"]
    lines += [f"  {label:<{label_width}}  {value:8.1f} ms" for label, value in startup_rows]
    jobs = int(batch["jobs"])
    lines += ["", f"whole folder, python -m govlint check FOLDER (median wall time of {startup_runs} runs):",
              f"  -j 1  {batch['serial_ms']:8.1f} ms", f"  -j {jobs}  {batch['parallel_ms']:8.1f} ms"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time govlint's parse and check on every report of a folder.")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="folder of reports (default: tests/fixtures/corpus)")
    parser.add_argument("-n", "--runs", type=int, default=5, help="timed runs per measurement (default 5)")
    parser.add_argument("--startup-runs", type=int, default=7, help="runs of the start-up comparison (default 7)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON to OUT")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    if args.runs < 1 or args.startup_runs < 1:
        parser.error("runs must be at least 1")

    try:
        linter = Linter(load_rules(), Settings())
    except RuleLoadError as error:
        print(f"cannot load the rules: {error}", file=sys.stderr)
        return 2
    timings = [time_file(path, linter, args.runs) for path in reports_in(args.corpus)]
    per_format = summary(timings)
    check = wall_ms([sys.executable, "-m", "govlint", "check", str(STARTUP_SAMPLE.relative_to(ROOT))],
                    args.startup_runs)
    pydantic = wall_ms([sys.executable, "-c", "import pydantic"], args.startup_runs)
    startup = {"govlint_check_ms": check, "import_pydantic_ms": pydantic, "difference_ms": check - pydantic}
    folder_check = [sys.executable, "-m", "govlint", "check", str(args.corpus.resolve()), "--exit-zero", "-j"]
    batch = {"jobs": default_jobs(), "serial_ms": wall_ms([*folder_check, "1"], args.startup_runs),
             "parallel_ms": wall_ms([*folder_check, str(default_jobs())], args.startup_runs)}

    print(render(args.corpus, args.runs, timings, per_format, startup, args.startup_runs, batch), end="")
    if args.json is not None:
        document = {
            "corpus": str(args.corpus), "runs": args.runs, "startup_runs": args.startup_runs,
            "python": platform.python_version(), "files": [asdict(t) for t in timings],
            "per_format": per_format, "startup": startup, "batch": batch,
        }
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
