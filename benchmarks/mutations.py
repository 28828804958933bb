"""Every table-三/四 cell of the mutation test's corpus reports changed in turn, in each format's
source, and whether an error finding lists it (tests/test_mutations.py draws a few per run).

Usage, from the repository root: nice -n 10 python -m benchmarks.mutations [--format pdf]…
"""

from __future__ import annotations

import argparse
import time

from govlint.engine.config import Settings
from govlint.engine.loader import load_rules
from govlint.engine.runner import Linter
from tests.test_mutations import FORMATS, addresses, check_cell


def main() -> int:
    """Print `FORMAT: N/M caught` per format and each cell that was not; exit 1 if any was not."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=list(FORMATS), action="append", dest="formats",
                        help="only this format (repeatable; default: all)")
    args = parser.parse_args()
    linter = Linter(load_rules(), Settings())
    missed = 0
    for kind in args.formats or list(FORMATS):
        cells = addresses(FORMATS[kind].path)
        start = time.perf_counter()
        failures: list[str] = []
        for address in cells:
            try:
                check_cell(linter, kind, address)
            except AssertionError as error:
                failures.append(f"  {address}: {error}")
        print(f"{kind}: {len(cells) - len(failures)}/{len(cells)} caught ({time.perf_counter() - start:.0f} s)")
        print("\n".join(failures), end="\n" if failures else "")
        missed += len(failures)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
