"""Hostile input files through the command line: exit code 2, one Chinese sentence, no crash, no hang.

Every file is built in tmp_path. Each run (in this process, through click's CliRunner) must end
with exit code 2 (the input could not be read), name the file on stderr in Chinese, show no
traceback, and leave the input byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.engine.files import lint_bytes, lint_path
from govlint.engine.runner import Linter
from tests.conftest import FIXTURES, govlint, seed
from tests.readers.test_pdf_reader import encrypted_pdf

TEMPLATE_DOCX = FIXTURES / "templates" / "template-2021.docx"
CORPUS_PDF = FIXTURES / "corpus" / "huaian-2024.pdf"
CJK = re.compile(r"[\u4e00-\u9fff]")


def digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks (the sparse 200 MB file included)."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` → its digest."""
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_sentence_about(stderr: str, path: Path, words: str) -> None:
    """stderr has a Chinese sentence naming `path` that contains `words`, and nothing crashed."""
    lines = [line for line in stderr.splitlines() if str(path) in line]
    assert lines, f"{path.name} not named on stderr: {stderr!r}"
    assert any(len(CJK.findall(line)) >= 4 and words in line for line in lines), stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr, stderr


# --- hostile files ---------------------------------------------------------------------------


def truncated_docx(folder: Path) -> Path:
    """A real Word file cut in half."""
    data = TEMPLATE_DOCX.read_bytes()
    target = folder / "截断的报告.docx"
    target.write_bytes(data[: len(data) // 2])
    return target


def random_docx(folder: Path) -> Path:
    """Random bytes named .docx."""
    target = folder / "random.docx"
    target.write_bytes(random.Random(7).randbytes(64_000))
    return target


def encrypted_docx(folder: Path) -> Path:
    """An OLE compound file header named .docx: what Office writes for a password-protected document."""
    target = folder / "加密.docx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    target.write_bytes(header + random.Random(3).randbytes(8_192))
    return target


def bomb(target: Path, megabytes: int, level: int | None = None) -> Path:
    """A package whose document part inflates to `megabytes` MB of zeros (streamed, so fast;
    deflate `level` 1 is faster still but packs zeros about 230 : 1 instead of about 1000 : 1)."""
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(zeros)
    return target


def zip_bomb_docx(folder: Path) -> Path:
    """300 MB of zeros in one member (about 1.4 MB on disk): over any sane unpacked size."""
    return bomb(folder / "bomb.docx", 300, level=1)


def ratio_bomb_docx(folder: Path) -> Path:
    """150 MB of zeros in one member: under a total-size limit, but compressed about 1000 : 1."""
    return bomb(folder / "ratio-bomb.docx", 150)


def truncated_pdf(folder: Path) -> Path:
    """A corpus PDF cut to its first 20 kB."""
    target = folder / "truncated.pdf"
    target.write_bytes(CORPUS_PDF.read_bytes()[:20_000])
    return target


def encrypted_pdf_file(folder: Path) -> Path:
    """A PDF encrypted with a user password (standard security handler)."""
    target = folder / "locked.pdf"
    target.write_bytes(encrypted_pdf(b"secret", b"owner"))
    return target


def png_pdf(folder: Path) -> Path:
    """A PNG image renamed .pdf."""
    target = folder / "scan.pdf"
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + random.Random(2).randbytes(5_000))
    return target


def huge_txt(folder: Path) -> Path:
    """A 200 MB text file: one line of Chinese, then a sparse hole of zeros (no disk used)."""
    target = folder / "huge.txt"
    with target.open("wb") as handle:
        handle.write("某某镇人民政府2023年政府信息公开工作年度报告\n".encode())
        handle.truncate(200 * 1024 * 1024)
    return target


def deep_html(folder: Path) -> Path:
    """100 000 nested <div> elements around a heading."""
    target = folder / "deep.html"
    depth = 100_000
    target.write_text("<html><body>" + "<div>" * depth + "<p>一、总体情况</p>" + "</div>" * depth + "</body></html>",
                      encoding="utf-8")
    return target


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated-docx": (truncated_docx, "损坏"),
    "random-docx": (random_docx, "损坏"),
    "encrypted-docx": (encrypted_docx, "加密"),
    "zip-bomb-docx": (zip_bomb_docx, "压缩包"),
    "ratio-bomb-docx": (ratio_bomb_docx, "压缩"),
    "truncated-pdf": (truncated_pdf, "损坏"),
    "encrypted-pdf": (encrypted_pdf_file, "加密"),
    "png-pdf": (png_pdf, "PDF"),
    "200mb-txt": (huge_txt, "过大"),
    "deep-html": (deep_html, "HTML"),
}
"""Case → (builder, words the Chinese sentence on stderr must contain)."""


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_exits_2_in_chinese(tmp_path: Path, case: str) -> None:
    build, words = HOSTILE[case]
    folder = tmp_path / "in"
    folder.mkdir()
    target = build(folder)
    before = digests(folder)
    run = govlint("check", str(target), cwd=tmp_path)
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert_sentence_about(run.stderr, target, words)
    assert "Traceback" not in run.stdout
    assert digests(folder) == before


@pytest.mark.parametrize("case", ["zip-bomb-docx", "200mb-txt", "deep-html", "encrypted-pdf"])
def test_hostile_file_parse_exits_2_in_chinese(tmp_path: Path, case: str) -> None:
    build, words = HOSTILE[case]
    target = build(tmp_path)
    before = digest(target)
    run = govlint("parse", str(target), cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == "", (run.returncode, run.stderr)
    assert_sentence_about(run.stderr, target, words)
    assert digest(target) == before


def test_hostile_file_among_good_ones_still_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / seed("004").name
    shutil.copyfile(seed("004"), good)
    bomb = zip_bomb_docx(folder)
    before = digests(folder)
    run = govlint("check", str(folder), "--format", "json", cwd=tmp_path)
    assert run.returncode == 2
    files = {f["path"]: f for f in json.loads(run.stdout)["files"]}
    assert files.keys() == {str(good), str(bomb)}
    assert [f["code"] for f in files[str(bomb)]["findings"]] == ["P001"]
    assert_sentence_about(run.stderr, bomb, "压缩包")
    assert str(good) not in run.stderr
    assert digests(folder) == before


# --- directories -----------------------------------------------------------------------------


def test_legacy_word_files_in_a_directory_ask_for_docx(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4_096)
    doc, wps = folder / "2023年报告.doc", folder / "2024年报告.wps"
    doc.write_bytes(ole)
    wps.write_bytes(ole)
    before = digests(folder)
    run = govlint("check", str(folder), cwd=tmp_path)
    assert run.returncode == 2
    assert_sentence_about(run.stderr, doc, "另存为 .docx")
    assert_sentence_about(run.stderr, wps, "另存为 .docx")
    assert "已跳过" not in run.stderr
    assert digests(folder) == before


def test_unsupported_file_in_a_directory_is_skipped_and_counted(tmp_path: Path, linter: Linter) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    good = folder / seed("004").name
    shutil.copyfile(seed("004"), good)
    (folder / "扫描件.png").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(5).randbytes(2_000))
    before = digests(folder)
    expected = 1 if any(f.severity.value == "error" for f in lint_path(linter, good, None).findings) else 0

    run = govlint("check", str(folder), "--format", "json", cwd=tmp_path)
    assert run.returncode == expected, run.stderr
    document = json.loads(run.stdout)
    assert [f["path"] for f in document["files"]] == [str(good)]
    assert "已跳过" in run.stderr and "1 个文件" in run.stderr
    assert "扫描件.png" not in run.stdout
    assert "Traceback" not in run.stderr
    assert digests(folder) == before


# --- crashes found by benchmarks/fuzz.py -----------------------------------------------------


def with_empty_last_row(data: bytes, suffix: str) -> bytes:
    """A real HTML or Word report with an empty row (no cell at all) after the last row of its
    last table (table 四)."""
    if suffix == ".html":
        html = data.decode("utf-8")
        at = html.rfind("</table>")
        return (html[:at] + "<tr></tr>" + html[at:]).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                at = content.rfind(b"</w:tbl>")
                content = content[:at] + b"<w:tr></w:tr>" + content[at:]
            target.writestr(member, content)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["pingtan-2021.html", "pingtan-2021-word.docx"])
def test_an_empty_table_row_is_no_row(name: str, linter: Linter) -> None:
    original = (FIXTURES / "corpus" / name).read_bytes()
    expected = lint_bytes(linter, original, name, None)
    result = lint_bytes(linter, with_empty_last_row(original, Path(name).suffix), name, None)
    assert expected.report is not None and expected.report.cell("table4.review.total").value is not None
    assert result.report == expected.report
    assert [f.message for f in result.findings] == [f.message for f in expected.findings]
