"""How often the cycle collector runs: a check allocates tens of thousands of small objects per
report (cells, lines, findings), nearly all freed by reference counting or kept for the whole run,
so CPython's default of a collection every 700 allocations spends a large part of a long text's
time traversing objects that are not garbage (mypy tunes its collector the same way)."""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 200_000
"""Allocations between collections of the youngest generation (CPython's default is 700)."""
OLDER_THRESHOLDS = (30, 30)


def tune_gc() -> None:
    """Collect less often, and leave out of every collection the objects made while starting up
    (modules, compiled patterns, templates), which live until the process ends. Only the first
    call in a process freezes (a program that calls the entry point again, as tests do, would
    otherwise keep whatever garbage was waiting each time)."""
    if gc.get_threshold()[0] != YOUNG_THRESHOLD:
        gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
