"""Files are read by name, without a Path per file (Python 3.11's pathlib interns every part of
every path for good): the suffix is the one pathlib would give, and what cannot be read is refused
with the reason."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePath

import pytest

from govlint.errors import ReadError
from govlint.readers import read_path, suffix_of
from tests.conftest import SEEDS


@pytest.mark.parametrize("name", ["报告.txt", "年报/克井镇.docx", "a/b.tar.gz", ".bashrc", "报告.", "年报.d/报告",
                                  "报告", "a..txt", "/年报/报告.PDF", "年报/.txt", "年报/报告.txt."])
def test_a_suffix_is_the_one_pathlib_gives(name: str) -> None:
    assert suffix_of(name) == PurePath(name).suffix


def test_a_report_read_by_name_is_the_one_read_by_path() -> None:
    for seed in SEEDS:
        by_name, by_path = read_path(str(seed)), read_path(seed)
        assert (by_name.source, by_name.lines, list(by_name.blocks)) == \
               (by_path.source, by_path.lines, list(by_path.blocks))


@pytest.mark.parametrize(("make", "reason"), [
    (lambda folder: folder / "没有这个文件.txt", "文件不存在"),
    (lambda folder: folder, "这是一个目录，不是文件"),
    (lambda folder: folder / SEEDS[0].name / "报告.txt", "文件不存在"),  # a file taken for a folder
])
def test_what_cannot_be_read_is_refused_with_the_reason(tmp_path: Path, make: Callable[[Path], Path],
                                                       reason: str) -> None:
    (tmp_path / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes())
    with pytest.raises(ReadError) as refused:
        read_path(str(make(tmp_path)))
    assert refused.value.message == reason


def test_a_link_that_loops_is_refused_not_a_traceback(tmp_path: Path) -> None:
    loop = tmp_path / "环.txt"
    os.symlink(loop, loop)
    with pytest.raises(ReadError) as refused:
        read_path(str(loop))
    assert refused.value.message.startswith("无法读取文件")
