"""`govlint serve` in Chromium, as a clerk uses it: a Word report with one wrong （七）总计 cell
uploaded through the page, the marked cell and its suggestion seen, the Excel file downloaded
and opened; no console error, no request outside the site; an upload too large and a file that
is no report get their Chinese messages. Screenshots → test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from govlint.render.figures import cell_columns
from tests.browser.conftest import Visit, assert_chinese_glyphs, screenshot
from tests.conftest import SERVE_MAX_MB, WRONG_TOTAL_CELL, Site, seed, truth_of
from tests.word import fill_template

AGENCY = "克井镇人民政府"


@pytest.fixture(scope="module")
def url(site: Site) -> str:
    return site.url


@pytest.fixture(scope="module")
def wrong_total_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed 004 typed into the blank 2021 Word template, its （七）总计／自然人 written 12 instead of 13."""
    truth = truth_of(seed("004"))
    row, column = WRONG_TOTAL_CELL.split(".")[1:]
    assert truth["table3"][row][column] == 13
    truth["table3"][row][column] = 12
    return fill_template(truth, AGENCY, truth["year"], tmp_path_factory.mktemp("docx") / "克井镇2023年报.docx")


def assert_clean(visit: Visit, status: int | None = None) -> None:
    """No console error (but Chromium's note of the page's own error status, when it answers
    with one), no dialog, no request outside the site, no resource loaded at all."""
    errors = [e for e in visit.errors if status is None or f"status of {status}" not in e]
    assert errors == [], f"console errors: {errors}"
    assert visit.external_requests == [], f"requests outside the site: {visit.external_requests}"
    assert visit.dialogs == []
    assert visit.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)") == []


def upload(visit: Callable[[Path | str], Visit], url: str, *files: Path | dict[str, object]) -> Visit:
    """Open the page, choose the files, press 检查 and wait for the answer."""
    opened = visit(url)
    assert opened.page.get_by_text("把报告文件拖到下面的框中").is_visible()
    opened.page.set_input_files("#files", list(files))  # type: ignore[arg-type]
    with opened.page.expect_navigation(wait_until="load"):
        opened.page.get_by_role("button", name="检查").click()
    return opened


def test_clerk_checks_a_word_report(visit: Callable[[Path | str], Visit], url: str, wrong_total_docx: Path,
                                    artifact: Callable[[str], Path], tmp_path: Path) -> None:
    opened = upload(visit, url, wrong_total_docx)
    page = opened.page
    cell = page.locator(f'td[data-cell="{WRONG_TOTAL_CELL}"]')
    assert cell.is_visible() and "flagged" in (cell.get_attribute("class") or "")
    assert cell.locator("del").inner_text() == "12" and cell.locator("ins").inner_text() == "13"
    assert page.get_by_text("若其余数字无误，该格应为13", exact=False).first.is_visible()
    assert page.locator("h2", has_text="克井镇2023年报.docx").is_visible()
    assert_chinese_glyphs(page)
    screenshot(opened, artifact("serve-wrong-total.png"))
    page.locator("figure#file-1-table3").screenshot(path=str(artifact("serve-wrong-total-table3.png")))

    with page.expect_download() as download:
        page.get_by_role("link", name="下载表格数字（Excel）").click()
    saved = tmp_path / "汇总.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "govlint-汇总.xlsx"
    sheet = openpyxl.load_workbook(saved, read_only=True)["报告"]
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row))
    assert values["文件"] == "克井镇2023年报.docx" and values["机关"] == AGENCY and values["年度"] == 2023
    assert values[dict(cell_columns())[WRONG_TOTAL_CELL]] == 12  # the figure as the report gives it
    assert values["错误"] == 1  # one wrong cell, one error (the identities it breaks folded into it)

    with page.expect_download() as findings:
        page.get_by_role("link", name="下载检查结果（JSON）").click()
    assert findings.value.suggested_filename == "govlint-检查结果.json"
    assert_clean(opened)


def test_upload_too_large_is_refused_in_chinese(visit: Callable[[Path | str], Visit], url: str,
                                                artifact: Callable[[str], Path]) -> None:
    big = {"name": "扫描版.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * (SERVE_MAX_MB * 1024 * 1024)}
    opened = upload(visit, url, big)
    message = opened.page.get_by_role("alert")
    assert message.is_visible() and f"超过 {SERVE_MAX_MB} MB，超出本网页的上限" in message.inner_text()
    assert opened.page.locator("#files").is_visible()  # the form again, to try once more
    screenshot(opened, artifact("serve-too-large.png"))
    assert_clean(opened, status=413)


def test_a_file_that_is_no_report_is_told_so(visit: Callable[[Path | str], Visit], url: str) -> None:
    picture = {"name": "照片.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}
    opened = upload(visit, url, picture)
    assert opened.page.get_by_text("不支持的文件类型“.png”").first.is_visible()
    assert_clean(opened)
