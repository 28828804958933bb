"""Benchmark: govlint on a county's folder of reports, as a supervisor runs it.

It builds a folder of N text reports from samples/ (copies under varied names), then measures,
each as a separate `python -m govlint check` process (whole-process wall time, output discarded):

* reports per second with -j 1 and -j 2 (no cache), and the CPU per report of the -j 1 run;
* peak RSS of the whole process tree (govlint and its workers, sampled from /proc), for every
  folder size given with --rss-sizes;
* the cache: a first run into an empty cache folder, then a second over the unchanged folder;
* cold start: `govlint check` of one seed against the floor of the packages themselves,
  `python -c "from pydantic import BaseModel; import click, regex"` with one one-field model,
  medians of wall and of CPU time, the two commands run in turn (so that a noisy machine slows
  both alike); govlint byte-compiled first as a pip install leaves it (an editable install under
  PYTHONDONTWRITEBYTECODE would compile its source on every start, which the installed packages of
  the floor never do) and run once before, which fills its store of compiled patterns as any
  earlier run on the machine has;
* building a 50 MB text report (read + build, in-process) and reading and building the 6-page PDF
  tests/fixtures/corpus/huaian-2024.pdf.

Usage: python benchmarks/batch.py [-n 2000] [--rss-sizes 1000,10000] [--startup-runs 15] [--repeat 3] [--skip-large]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from govlint.engine.gctune import tune_gc
from govlint.readers import read_bytes, read_path
from govlint.report.builder import build_report

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("0*.txt"))
PDF = ROOT / "tests" / "fixtures" / "corpus" / "huaian-2024.pdf"
FLOOR = "from pydantic import BaseModel; import click, regex\nclass One(BaseModel):\n    x: int\nOne(x=1)"
LARGE_BYTES = 50 * 1024 * 1024
PAGE = 4096


def build_folder(folder: Path, count: int) -> Path:
    """`count` copies of the samples under varied names, ten to a sub-folder (as towns send them)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_bytes() for p in SAMPLES]
    for number in range(count):
        target = folder / f"乡镇{number // 10:04d}" / f"{number:05d}_{SAMPLES[number % len(SAMPLES)].stem}.txt"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(texts[number % len(texts)])
    return folder


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process tree, peak tree RSS in bytes) of one command."""
    peak = 0
    before = os.times()
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not finished.is_set():
            peak = max(peak, _tree_rss(process.pid))
            finished.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    finished.set()
    sampler.join()
    wall = time.perf_counter() - began
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, peak


def govlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "govlint", "check", *args]


def medians(commands: list[list[str]], runs: int, cwd: Path) -> list[tuple[float, float]]:
    """Median wall and median CPU seconds of each command, the commands run in turn."""
    timings = [[run(command, cwd) for command in commands] for _ in range(runs)]
    return [(statistics.median(t[i][0] for t in timings), statistics.median(t[i][1] for t in timings))
            for i in range(len(commands))]


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def large_text() -> bytes:
    """About 50 MB: a sample's tables and text repeated, as a converter that looped might write."""
    body = SAMPLES[4].read_bytes()
    return body * (LARGE_BYTES // len(body))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--reports", type=int, default=2000, help="reports in the folder (default 2000)")
    parser.add_argument("--rss-sizes", default="", help="also measure peak RSS for these folder sizes, e.g. 1000,10000")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each batch measurement, median kept (default 3)")
    parser.add_argument("--skip-large", action="store_true", help="skip the 50 MB text and the PDF")
    options = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="govlint-batch-"))
    try:
        folder = build_folder(work / "county", options.reports)
        rates = {}
        for jobs in (1, 2):
            runs = [run(govlint(str(folder), "-j", str(jobs), "--no-cache"), work) for _ in range(options.repeat)]
            wall, cpu, peak = (statistics.median(r[i] for r in runs) for i in range(3))
            rates[jobs] = options.reports / wall
            print(f"-j {jobs}: {options.reports} reports in {wall:.1f} s = {rates[jobs]:.1f} reports/s, "
                  f"CPU {1000 * cpu / options.reports:.1f} ms/report, peak RSS {peak / 2**20:.0f} MB "
                  f"(median of {options.repeat}; walls {', '.join(f'{r[0]:.1f}' for r in runs)} s)")
        print(f"-j 2 / -j 1: {rates[2] / rates[1]:.2f}x")
        pairs = []
        for number in range(options.repeat):
            cache = work / f"cache-{number}"
            pairs.append((run(govlint(str(folder), "--cache-dir", str(cache)), work)[0],
                          run(govlint(str(folder), "--cache-dir", str(cache)), work)[0]))
        first, second = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
        print(f"cache: first run {first:.1f} s, second run {second:.2f} s = {first / second:.1f}x faster "
              f"(medians of {options.repeat} pairs: {', '.join(f'{a:.1f}/{b:.2f}' for a, b in pairs)} s)")
        for size in [int(s) for s in options.rss_sizes.split(",") if s.strip()]:
            sized = build_folder(work / f"county-{size}", size)
            wall, _, peak = run(govlint(str(sized), "-j", "2", "--no-cache"), work)
            print(f"{size} reports (-j 2): {wall:.1f} s, peak RSS {peak / 2**20:.0f} MB")
            shutil.rmtree(sized)
        compileall.compile_dir(ROOT / "govlint", quiet=1)
        single = govlint(str(SAMPLES[4]), "--no-cache")
        run(single, work)
        (one, one_cpu), (floor, floor_cpu) = medians([single, [sys.executable, "-c", FLOOR]],
                                                     options.startup_runs, work)
        print(f"cold start: govlint check one seed {1000 * one:.0f} ms, floor {1000 * floor:.0f} ms "
              f"= {one / floor:.2f}x (CPU {1000 * one_cpu:.0f} ms against {1000 * floor_cpu:.0f} ms "
              f"= {one_cpu / floor_cpu:.2f}x)")
        if not options.skip_large:
            tune_gc()  # as `govlint` itself does when it starts
            data = large_text()
            seconds = timed(lambda: build_report(read_bytes(data, "large.txt", ".txt")))
            print(f"50 MB text: read + build {seconds:.1f} s")
            pages = timed(lambda: build_report(read_path(PDF)))
            print(f"6-page PDF ({PDF.name}): read + build {pages:.2f} s = {pages / 6:.2f} s/page")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
