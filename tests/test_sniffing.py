"""The content, not the name, chooses the reader when it says what it is: web pages saved or piped
under a plain-text name, Word and PDF files on standard input; scanned PDFs are told as such."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from benchmarks.fuzz import pdf_pages
from govlint.errors import ReadError
from govlint.readers import read_bytes, sniff
from govlint.report.builder import build_report
from govlint.report.model import Report
from tests.conftest import CORPUS, SEEDS, Run, govlint

SCANNED = "PDF 是扫描件，没有可读取的文字；请提供 Word 原件或可复制文字的 PDF"


def same_report(read: Report, original: Report) -> None:
    """Everything govlint checks is the same: template, year, agency, sections and every cell."""
    assert (read.template, read.year, read.agency) == (original.template, original.year, original.agency)
    assert read.sections == original.sections
    for table in ("table2", "table3", "table4"):
        assert read.grid(table) == original.grid(table)


def report_of(data: bytes, name: str) -> Report:
    return build_report(read_bytes(data, name, Path(name).suffix))


@pytest.mark.parametrize("page", ["pingtan-2023.html", "shuyang-drc-2023.html"])
@pytest.mark.parametrize("name", ["stdin.txt", "保存的网页.txt", "page.md"])
def test_web_page_under_a_text_name_reads_as_html(page: str, name: str) -> None:
    data = (CORPUS / page).read_bytes()
    original = report_of(data, page)
    read = report_of(data, name)
    assert read.source.format == "html"
    assert read.source.path == name
    same_report(read, original)
    assert original.agency and not original.agency.startswith("<")


def test_web_page_on_standard_input_through_the_command_line() -> None:
    data = (CORPUS / "pingtan-2023.html").read_bytes()
    run = govlint("check", "-", stdin=data)
    assert run.returncode == 0, run.stderr
    assert "平潭综合实验区" in run.stdout and "S003" not in run.stdout


@pytest.mark.parametrize("path", [*SEEDS, CORPUS / "shanghai-stc-2024.md", CORPUS / "pingtan-2023.txt"])
def test_text_reports_stay_text(path: Path) -> None:
    assert sniff(path.read_bytes(), path.suffix) is None
    assert report_of(path.read_bytes(), "stdin.txt").source.format == "text"


def test_word_file_on_standard_input() -> None:
    path = CORPUS / "pingtan-2023-word.docx"
    read = report_of(path.read_bytes(), "stdin.txt")
    assert read.source.format == "docx"
    same_report(read, report_of(path.read_bytes(), path.name))
    piped = govlint("check", "-", stdin=path.read_bytes())
    named = govlint("check", str(path))
    renamed = (out.replace(str(path), "stdin.txt") for out in (named.stdout, named.stderr))
    assert piped == Run(named.returncode, *renamed)


def test_pdf_on_standard_input() -> None:
    page = pdf_pages((CORPUS / "pingtan-2023-word.pdf").read_bytes())[0]
    read = read_bytes(page, "stdin.txt", ".txt")
    assert read.source.format == "pdf"
    assert read.blocks == read_bytes(page, "page.pdf", ".pdf").blocks


def test_a_named_format_is_kept_when_the_content_names_none() -> None:
    with pytest.raises(ReadError, match="不是有效的 PDF"):
        read_bytes((CORPUS / "pingtan-2023.txt").read_bytes(), "report.pdf", ".pdf")


def scanned_pdf(pages: int) -> bytes:
    """A PDF whose pages are pictures of text (what a scanner writes)."""
    images = []
    for number in range(pages):
        image = Image.new("L", (595, 842), 255)
        ImageDraw.Draw(image).text((72, 72), f"page {number + 1}", fill=0)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


@pytest.mark.parametrize("name", ["扫描件.pdf", "stdin.txt"])
def test_scanned_pdf_is_unreadable_with_its_reason(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    target.write_bytes(scanned_pdf(3))
    run = govlint("check", str(target), cwd=tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 2
    assert f"{target}" in output and SCANNED in output
    assert "F003" not in output and "Traceback" not in output
