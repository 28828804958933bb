"""The result cache's store: one shard per folder and settings, files known by their status, a
file changed in any way a miss, an owner's older entries dropped, a broken shard an empty one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.engine import cache as store
from govlint.engine.cache import Cache
from govlint.engine.files import Plan
from govlint.engine.runner import Linter
from govlint.report import builder
from tests.conftest import SEEDS, checked, found

LATER = 10 * 10**9
"""How much later than now a reading is made to seem (ns), when a test needs a file whose last
change is long past: its change time can't be set back."""


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the files the cache reads to hash (one entry a reading)."""
    readings: list[int] = []
    real = store.content_digest

    def counted(data: bytes) -> str:
        readings.append(len(data))
        return real(data)

    monkeypatch.setattr(store, "content_digest", counted)
    return readings


def _read_later(monkeypatch: pytest.MonkeyPatch) -> None:
    real = store.now
    monkeypatch.setattr(store, "now", lambda: real() + LATER)


def _first_reading(tmp_path: Path) -> tuple[Path, str | None]:
    """A copy of a seed, read once by a cache that is then written: the copy and its digest."""
    (tmp_path / "镇").mkdir()
    path = tmp_path / "镇" / "报告.txt"
    path.write_bytes(SEEDS[0].read_bytes())
    first = Cache(tmp_path / "cache")
    digest = first.content(str(path), "scope")
    first.save()
    return path, digest


def test_a_file_whose_status_is_unchanged_is_not_read_again(
        tmp_path: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    _read_later(monkeypatch)
    path, digest = _first_reading(tmp_path)
    assert len(hashed) == 1
    assert Cache(tmp_path / "cache").content(str(path), "scope") == digest
    assert len(hashed) == 1  # known from the shard, by the file's size, times and inode


def test_a_file_read_just_after_it_changed_is_hashed_again(tmp_path: Path, hashed: list[int]) -> None:
    path, _ = _first_reading(tmp_path)
    second = Cache(tmp_path / "cache")
    assert second.content(str(path), "scope") == store.content_digest(path.read_bytes())
    assert len(hashed) == 3  # the first reading was too close to the change for its times to tell


def test_a_file_changed_to_the_same_size_and_times_is_read_again(
        tmp_path: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    _read_later(monkeypatch)
    path, old = _first_reading(tmp_path)
    before = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"2023", b"2024", 1))  # as `cp -p` of another year's copy
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    new = Cache(tmp_path / "cache").content(str(path), "scope")
    assert new != old and new == store.content_digest(path.read_bytes())


def test_a_new_entry_of_a_file_replaces_its_older_ones_and_keeps_the_others(tmp_path: Path) -> None:
    names = [str(tmp_path / "镇" / name) for name in ("一.txt", "二.txt")]
    first = Cache(tmp_path / "cache")
    first.put(names[0], "scope", "old", "一的旧结果")
    first.put(names[1], "scope", "other", "二的结果")
    assert first.get(names[0], "scope", "old") == "一的旧结果"  # read back before the shard is written
    first.save()
    second = Cache(tmp_path / "cache")
    assert second.has(names[0], "scope", "old")
    second.put(names[0], "scope", "new", "一的新结果")
    second.save()
    assert (tmp_path / "cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")  # as ruff marks its own
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172")
    third = Cache(tmp_path / "cache")
    assert not third.has(names[0], "scope", "old")
    assert third.get(names[0], "scope", "new") == "一的新结果"
    assert third.get(names[1], "scope", "other") == "二的结果"  # a file this run did not check
    assert not third.has(names[1], "another scope", "other")  # other settings: another shard


@pytest.mark.parametrize("damage", [
    lambda data: data[:20],
    lambda data: data[:-3],
    lambda data: b"\0" * len(data),
    lambda data: data[: len(data) // 2] + b"\xff" * (len(data) - len(data) // 2),
])
def test_a_damaged_shard_is_an_empty_one(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    name = str(tmp_path / "镇" / "一.txt")
    first = Cache(tmp_path / "cache")
    first.put(name, "scope", "key", ["结果"] * 100)
    first.save()
    (shard,) = (p for p in (tmp_path / "cache").rglob("*") if p.is_file() and len(p.name) == 64)
    shard.write_bytes(damage(shard.read_bytes()))
    again = Cache(tmp_path / "cache")
    assert again.get(name, "scope", "key") in (None, ["结果"] * 100)  # read back whole, or not at all
    again.put(name, "scope", "key", "新结果")
    again.save()
    assert Cache(tmp_path / "cache").get(name, "scope", "key") == "新结果"


def _towns(tmp_path: Path) -> list[Path]:
    """Twelve folders of the seeds, as a county's towns send them."""
    for number in range(12):
        folder = tmp_path / "县" / f"镇{number:02d}"
        folder.mkdir(parents=True)
        for seed in SEEDS:
            (folder / seed.name).write_bytes(seed.read_bytes())
    return found(tmp_path / "县")


def test_shards_let_go_and_opened_again_in_a_long_batch_keep_every_result(
        tmp_path: Path, linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _towns(tmp_path)
    monkeypatch.setattr(store, "HELD_ENTRIES", 8)  # a few folders held at once
    monkeypatch.setattr(store, "OPEN_SHARDS", 1)
    plan = Plan((linter,))
    first = checked(plan, paths, cache=Cache(tmp_path / "cache"))
    assert first == checked(plan, paths, cache=Cache(tmp_path / "other")) and len(first) == len(paths)

    def build(*args: object) -> None:
        raise AssertionError("a file was built again")

    monkeypatch.setattr(builder, "build_report", build)
    assert checked(plan, paths, cache=Cache(tmp_path / "cache")) == first


def test_a_cache_folder_that_cannot_be_made_only_costs_the_speed_up(tmp_path: Path, linter: Linter) -> None:
    paths = _towns(tmp_path)[:10]
    blocked = tmp_path / "不是目录"
    blocked.write_text("一个文件占了缓存目录的名字", encoding="utf-8")
    plan = Plan((linter,))
    expected = checked(plan, paths)
    assert checked(plan, paths, cache=Cache(blocked)) == expected
    assert checked(plan, paths, cache=Cache(blocked / "下一层")) == expected
    assert blocked.read_text(encoding="utf-8") == "一个文件占了缓存目录的名字"
