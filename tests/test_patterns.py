"""The compiled-pattern store: a later run loads the programs an earlier one compiled, they match
exactly as freshly compiled patterns do, and a store that is broken or cannot be written only
costs the speed-up."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from govlint import patterns
from tests.conftest import ROOT, seed

NO_COMPILING = ("import regex\n"
                "def refuse(*args, **kwargs):\n"
                "    raise SystemExit('regex.compile was called: ' + repr(args[:1]))\n"
                "regex.compile = refuse\n")
"""Run before govlint in a process that must take every pattern from the store."""


def _check(report: Path, cache_home: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`govlint check REPORT` in its own process, with `cache_home` as the user's cache folder."""
    argv = ["govlint", "check", str(report), "--no-cache"]
    code = f"{prelude}import sys\nfrom govlint.cli import main\nsys.argv = {argv!r}\nmain()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONIOENCODING": "utf-8"})


def _store_in(cache_home: Path) -> Path:
    """Where the store is when `cache_home` is the user's cache folder."""
    path = patterns.store_path()
    assert path is not None, "this machine's user has a home folder"
    return cache_home / "govlint" / path.name


def _stored(cache_home: Path) -> dict[tuple[str, int], bytes]:
    programs: dict[tuple[str, int], bytes] = pickle.loads(_store_in(cache_home).read_bytes())
    return programs


def test_a_second_run_takes_every_pattern_from_the_store(tmp_path: Path) -> None:
    report = seed("002")  # its opening paragraph names every section, so the label scanner runs too
    first = _check(report, tmp_path)
    assert first.returncode == 1 and "内部错误" not in first.stderr, first.stderr
    assert len(_stored(tmp_path)) > 50
    second = _check(report, tmp_path, prelude=NO_COMPILING)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)


def test_a_stored_program_matches_as_the_pattern_compiled_afresh(tmp_path: Path) -> None:
    report = seed("000")
    assert _check(report, tmp_path).returncode in {0, 1}
    text = report.read_text(encoding="utf-8")
    for (pattern, flags), program in _stored(tmp_path).items():
        loaded, fresh = pickle.loads(program), regex.compile(pattern, flags)
        assert [(m.span(), m.groupdict()) for m in loaded.finditer(text)] == \
               [(m.span(), m.groupdict()) for m in fresh.finditer(text)], pattern


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(["a", "list"]),
                                     pickle.dumps({("x+", 0): b"not a program"})])
def test_a_broken_store_is_compiled_again_and_rewritten(tmp_path: Path, content: bytes) -> None:
    report = seed("002")
    expected = _check(report, tmp_path / "clean")
    store = _store_in(tmp_path / "broken")
    store.parent.mkdir(parents=True)
    store.write_bytes(content)
    run = _check(report, tmp_path / "broken")
    assert (run.returncode, run.stdout, run.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert _stored(tmp_path / "broken").keys() >= _stored(tmp_path / "clean").keys()


def test_a_cache_folder_that_cannot_be_written_costs_only_the_speed_up(tmp_path: Path) -> None:
    report = seed("002")
    expected = _check(report, tmp_path / "writable")
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    run = _check(report, not_a_folder)
    assert (run.returncode, run.stdout, run.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_a_store_past_its_limit_keeps_the_patterns_of_the_run_that_wrote_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(patterns, "STORE_LIMIT", 3)
    earlier = patterns._Store()
    for pattern in ("a+", "b+", "c+"):
        earlier.compile(pattern, 0)
    earlier.save()
    later = patterns._Store()
    assert later.compile("a+", 0).pattern == "a+"
    later.compile("d+", 0)
    later.save()
    assert sorted(_stored(tmp_path)) == [("a+", 0), ("d+", 0)]


def test_a_user_without_a_home_folder_compiles_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(patterns, "cache_home", no_home)
    store = patterns._Store()
    assert store.compile("(?P<n>\\d+)件", 0).search("共12件").group("n") == "12"
    store.save()  # nowhere to keep it: nothing is written, nothing fails
