"""Regular expressions compiled once per installation, not once per run.

The `regex` module parses a pattern in Python: govlint's hundred-odd patterns (readers, builder,
rule files) took ~45 ms of every start, a third of what govlint adds to the interpreter's own.
A compiled pattern pickles as its compiled program (regex's own pickle support), which loads some
thirty times faster than parsing the pattern again. So every pattern compiled here is kept in a
store in the user's cache folder, as Python keeps bytecode in `__pycache__` and black keeps its
cache there: keyed by the pattern's text and flags, in a file named by the versions of regex and
Python. The store is read at the first pattern and written back when the process ends, if it
compiled a pattern the store did not hold. A store that is missing, unreadable or written by
something else only costs the speed-up: a pattern it cannot give is compiled as usual.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import regex

STORE_LIMIT = 2048
"""Patterns a store keeps at most: govlint's own are ~110; rule files may add their own, and a
store outgrowing this keeps only the patterns of the run that wrote it."""

Key = tuple[str, int]


def cache_home() -> Path:
    """The user's cache folder where platformdirs would find it (XDG_CACHE_HOME or ~/.cache;
    ~/Library/Caches on macOS; LOCALAPPDATA on Windows), written out because importing
    platformdirs costs ~4 ms of the start-up this store is for."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def store_path() -> Path | None:
    """The store of this regex and Python (another version's compiled programs are never read);
    None when the user has no home folder to keep it in (a service account without one)."""
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    try:
        home = cache_home()
    except (RuntimeError, KeyError):  # Path.home() when neither HOME nor the password database names one
        return None
    return home / "govlint" / f"patterns-regex{regex.__version__}-py{python}.pickle"


class _Store:
    """The compiled patterns of this process, and the stored programs they were loaded from."""

    def __init__(self) -> None:
        self._stored: dict[Key, bytes] | None = None
        self._compiled: dict[Key, regex.Pattern[str]] = {}
        self._learnt = False

    def _programs(self) -> dict[Key, bytes]:
        if self._stored is None:
            self._stored = _read(store_path())
        return self._stored

    def compile(self, pattern: str, flags: int) -> regex.Pattern[str]:
        key = (pattern, int(flags))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _loaded(self._programs().get(key), pattern)
            if compiled is None:
                compiled = regex.compile(pattern, flags)
                if not self._learnt:
                    atexit.register(self.save)
                self._learnt = True
            self._compiled[key] = compiled
        return compiled

    def save(self) -> None:
        """Add this process's patterns to the store as it is now (another run may have added
        its own meanwhile), written whole or not at all; a folder that cannot be written only
        costs the speed-up."""
        path = store_path()
        if path is None:
            return
        programs = {key: pickle.dumps(pattern) for key, pattern in self._compiled.items()}
        merged = {**_read(path), **programs}
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(merged if len(merged) <= STORE_LIMIT else programs, out)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise


def _read(path: Path | None) -> dict[Key, bytes]:
    """The stored programs; none when there is no store or it is not one."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            programs = pickle.load(handle)
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign store is an empty one
        return {}
    return programs if isinstance(programs, dict) else {}


def _loaded(program: bytes | None, pattern: str) -> regex.Pattern[str] | None:
    """The pattern a stored program makes, if it is one and of this pattern's text."""
    if program is None:
        return None
    try:
        compiled = pickle.loads(program)
    except Exception:  # noqa: BLE001 — an entry that does not load is compiled again
        return None
    return compiled if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern else None


_STORE = _Store()


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """`regex.compile(pattern, flags)`, remembered in this process and, through the store, in
    later ones."""
    return _STORE.compile(pattern, flags)
