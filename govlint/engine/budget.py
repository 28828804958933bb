"""A time budget for one check: the check is stopped once its wall time runs out."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType


class BudgetExceeded(BaseException):  # not an error of the input, so not an Exception
    """Raised inside a check that has used up its time budget."""


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    raise BudgetExceeded


@contextlib.contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in the block once `seconds` of wall time have passed (POSIX, main thread).
    Without a budget, or where signals cannot be used, the block simply runs."""
    usable = seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
    if usable:
        try:
            previous = signal.signal(signal.SIGALRM, _out_of_time)
        except ValueError:  # not the main thread: no timer there
            usable = False
    if not usable:
        yield
        return
    assert seconds is not None
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
