"""`govlint serve` over HTTP: the report for uploaded files, the limits with their Chinese
messages, names that are never paths, escaped text, nothing left on disk, a strict policy."""

from __future__ import annotations

import html
import io
import re
import socket
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.report.model import Report
from tests.conftest import (
    SERVE_MAX_FILES,
    SERVE_MAX_MB,
    WRONG_TOTAL_CELL,
    XSS_PAYLOADS,
    Site,
    govlint,
    seed,
    wrong_total_text,
    xss_text,
)


@pytest.fixture(scope="module")
def wrong_total_bytes(parsed: Callable[[Path], Report]) -> bytes:
    return wrong_total_text(parsed(seed("004"))).encode("utf-8")


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_upload_form_is_chinese_under_a_strict_policy(site: Site) -> None:
    answer = site.get()
    assert answer is not None and answer.status == 200
    assert "把报告文件拖到下面的框中" in answer.text and 'name="files" multiple' in answer.text
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script" not in policy and "http" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None and f'<style nonce="{nonce[1]}">' in answer.text
    assert "<script" not in answer.text


def test_report_marks_the_wrong_cell_and_offers_downloads(site: Site, wrong_total_bytes: bytes) -> None:
    answer = site.post([("克井镇2023年报.txt", wrong_total_bytes)])
    assert answer.status == 200
    assert f'data-cell="{WRONG_TOTAL_CELL}"' in answer.text and "<ins>13</ins>" in answer.text
    assert "表三“（七）总计／自然人”填写为 12" in answer.text and "若其余数字无误，该格应为13" in answer.text
    assert 'download="govlint-汇总.xlsx"' in answer.text and 'download="govlint-检查结果.json"' in answer.text
    nonce = re.search(r"'nonce-([^']+)'", answer.headers["content-security-policy"])
    assert nonce is not None and f'<style nonce="{nonce[1]}">' in answer.text


def test_uploaded_names_are_labels_never_paths(site: Site, wrong_total_bytes: bytes) -> None:
    archive = zipped({"../../逃出去.txt": wrong_total_bytes, "年报/../../../etc/passwd.txt": b"x",
                      "__MACOSX/._a.txt": b"x", "年报/照片.jpg": b"x"})
    answer = site.post([("../../上级/报告.txt", wrong_total_bytes), ("文件夹.zip", archive)])
    assert answer.status == 200
    assert "<h2>报告.txt</h2>" in answer.text and "<h2>文件夹.zip/逃出去.txt</h2>" in answer.text
    assert "<h2>文件夹.zip/年报/etc/passwd.txt</h2>" in answer.text
    assert "__MACOSX" not in answer.text
    assert "压缩包中有 1 个文件不是支持的报告格式" in answer.text
    assert [list(folder.iterdir()) for folder in (site.cwd, site.temp)] == [[], []]  # nothing written, nothing kept


def test_zip_names_in_the_packers_code_page_are_read(site: Site, wrong_total_bytes: bytes) -> None:
    placeholder, name = "abcdef.txt", "克井镇.txt".encode("gbk")  # same length: the name is swapped in place
    archive = zipped({placeholder: wrong_total_bytes}).replace(placeholder.encode(), name)
    assert site.post([("旧电脑打包.zip", archive)]).text.count("<h2>旧电脑打包.zip/克井镇.txt</h2>") == 1


@pytest.mark.parametrize(("files", "status", "words"), [
    ([("大.txt", b"0" * (SERVE_MAX_MB * 1024 * 1024 + 1))], 413, f"超过 {SERVE_MAX_MB} MB，超出本网页的上限"),
    ([("炸弹.zip", zipped({"a.txt": b"0" * (5 * SERVE_MAX_MB * 1024 * 1024)}, zipfile.ZIP_DEFLATED))], 413,
     f"解压后超过 {4 * SERVE_MAX_MB} MB"),
    ([(f"{i}.txt", b"x") for i in range(SERVE_MAX_FILES + 1)], 413, f"一次最多检查 {SERVE_MAX_FILES} 个文件"),
    ([("多.zip", zipped({f"{i}.txt": b"x" for i in range(10_000)}))], 413, f"一次最多检查 {SERVE_MAX_FILES} 个文件"),
    ([("坏.zip", b"PK\x03\x04 not a zip")], 400, "“坏.zip”不是有效的 zip 压缩包"),
    ([], 400, "没有收到可检查的文件"),
])
def test_limits_and_bad_uploads_get_their_chinese_message(site: Site, files: list[tuple[str, bytes]], status: int,
                                                          words: str) -> None:
    answer = site.post(files)
    assert answer.status == status
    assert words in answer.text and 'name="files"' in answer.text  # the form again, with the message


def test_a_file_that_is_no_report_is_told_so(site: Site) -> None:
    answer = site.post([("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), ("说明.txt", "请于月底前报送。".encode())])
    assert answer.status == 200
    assert "不支持的文件类型“.png”" in answer.text
    assert "可能不是" in answer.text or "F003" in answer.text


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=["script", "img-onerror"])
def test_report_text_and_names_are_escaped(site: Site, payload: str) -> None:
    answer = site.post([(f"{payload}.txt", xss_text(payload).encode("utf-8"))])
    assert answer.status == 200
    assert payload not in answer.text and payload in html.unescape(answer.text)


def test_a_taken_port_is_told_in_chinese(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        run = govlint("serve", "--port", port, cwd=tmp_path)
    assert run.returncode == 2
    assert f"{port} 端口" in run.stderr and "--port" in run.stderr and "Traceback" not in run.stderr
