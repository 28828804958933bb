"""The HTML report in a real browser: highlighted cells visible, the suggested value shown, no
console error, nothing loaded from outside, report text never executed. Screenshots → test-artifacts/."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govlint.report.model import Report
from tests.browser.conftest import Visit, assert_chinese_glyphs, screenshot
from tests.conftest import WRONG_TOTAL_CELL, XSS_PAYLOADS, govlint, seed, wrong_total_text, xss_text

FLAGGED_CELLS_JS = """() => Array.from(document.querySelectorAll("td.flagged")).map(el => {
  const box = el.getBoundingClientRect();
  return {cell: el.dataset.cell, visible: el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}),
          left: box.left + window.scrollX, top: box.top + window.scrollY, width: box.width, height: box.height,
          background: getComputedStyle(el).backgroundColor};
})"""
PAGE_JS = """() => ({width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight, viewport: window.innerWidth,
  plain: getComputedStyle(document.querySelector("td.value:not(.flagged)")).backgroundColor,
  resources: performance.getEntriesByType("resource").map(e => e.name)})"""


def render(report: Path, target: Path) -> tuple[Path, list[dict[str, Any]]]:
    """`govlint check REPORT --format html -o TARGET`, and the findings as the json format gives them."""
    run = govlint("check", str(report), "--format", "html", "-o", str(target))
    assert run.returncode in (0, 1), run.stderr
    findings = json.loads(govlint("check", str(report), "--format", "json").stdout)["files"][0]["findings"]
    return target, findings


def assert_clean_load(visit: Visit) -> None:
    assert visit.errors == [], f"console errors: {visit.errors}"
    assert visit.external_requests == [], f"external resources loaded: {visit.external_requests}"
    assert visit.dialogs == [], f"dialogs opened: {visit.dialogs}"
    assert visit.page.evaluate(PAGE_JS)["resources"] == []


def assert_flagged_cells_visible(visit: Visit, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every cell of every finding is drawn, highlighted, visible and inside the page."""
    cells = visit.page.evaluate(FLAGGED_CELLS_JS)
    page = visit.page.evaluate(PAGE_JS)
    assert {c["cell"] for c in cells} == {a for f in findings for a in [*f["cells"], *f.get("related_cells", [])]}
    assert page["width"] <= page["viewport"], "the page must not scroll sideways"
    for cell in cells:
        assert cell["visible"], cell
        assert cell["width"] > 0 and cell["height"] > 0, cell
        assert cell["left"] >= 0 and cell["top"] >= 0, cell
        assert cell["left"] + cell["width"] <= page["width"] and cell["top"] + cell["height"] <= page["height"], cell
        assert cell["background"] != page["plain"], f"{cell['cell']} is not highlighted"
    return cells


def test_seed_002_in_chromium(visit: Callable[[Path], Visit], artifact: Callable[[str], Path]) -> None:
    page_file, findings = render(seed("002"), artifact("html-report-002.html"))
    opened = visit(page_file)
    assert_clean_load(opened)
    cells = assert_flagged_cells_visible(opened, findings)
    assert len(cells) == 84  # the twelve rows table 三 lacks, seven columns each
    assert_chinese_glyphs(opened.page)
    missing = opened.page.locator('td[data-cell="table3.unable_needs_creation.natural_person"]')
    assert missing.inner_text() == "缺" and "S004" in (missing.get_attribute("title") or "")
    assert opened.page.get_by_text("缺少法定部分“四、政府信息公开行政复议、行政诉讼情况”").first.is_visible()
    assert screenshot(opened, artifact("html-report-002.png")).stat().st_size > 0


def test_wrong_total_in_chromium(visit: Callable[[Path], Visit], artifact: Callable[[str], Path],
                                 parsed: Callable[[Path], Report], tmp_path: Path) -> None:
    source = tmp_path / "004-wrong-total.txt"
    source.write_text(wrong_total_text(parsed(seed("004"))), encoding="utf-8")
    page_file, findings = render(source, artifact("html-report-wrong-total.html"))
    (error,) = [f for f in findings if f["severity"] == "error"]  # one cause, one finding
    assert error["cells"] == [WRONG_TOTAL_CELL] and "（T002）" in error["message"] and "（T003）" in error["message"]
    opened = visit(page_file)
    assert_clean_load(opened)
    assert_flagged_cells_visible(opened, findings)

    cell = opened.page.locator(f'td[data-cell="{WRONG_TOTAL_CELL}"]')
    assert cell.is_visible()
    assert cell.locator("ins").inner_text() == "13" and cell.locator("del").inner_text() == "12"
    assert "13" in cell.inner_text()
    row_label = cell.evaluate("el => el.parentElement.querySelector('th.row').textContent")
    assert row_label == "（七）总计"
    assert (cell.get_attribute("title") or "").startswith("T001 ")
    box = cell.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0

    screenshot(opened, artifact("html-report-wrong-total.png"))
    table = artifact("html-report-wrong-total-table3.png")
    opened.page.locator("figure#file-1-table3").screenshot(path=str(table))
    print(f"screenshot: {table}")
    pdf = artifact("html-report-wrong-total.pdf")
    opened.page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    print(f"print (A4): {pdf}")


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=["script", "img-onerror"])
def test_report_text_is_never_executed(payload: str, visit: Callable[[Path], Visit],
                                       artifact: Callable[[str], Path], tmp_path: Path) -> None:
    source = tmp_path / "xss.txt"
    source.write_text(xss_text(payload), encoding="utf-8")
    page_file, _ = render(source, tmp_path / "xss.html")
    opened = visit(page_file)
    assert_clean_load(opened)
    assert opened.page.locator("script, img").count() == 0
    assert opened.page.get_by_text(payload).first.is_visible()  # shown as text
