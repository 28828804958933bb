"""The output formats as pipelines and people receive them: full, sarif, github, json-lines, --statistics, html."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import pytest
from markupsafe import escape

from govlint.engine.files import lint_path
from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Linter
from govlint.findings import Finding, Severity
from govlint.render import FORMATS, full, github, html, json_lines, renderer, sarif, statistics
from govlint.render.json import finding_dict
from govlint.report.templates import templates
from tests.conftest import CORPUS, ROOT, WRONG_TOTAL_CELL, XSS_PAYLOADS, govlint, seed, synthetic, xss_text


def test_full_output_of_several_files_ends_with_an_overview_per_file(
        cut_short: FileResult, wrong_total: FileResult, linted: Callable[[Path], FileResult],
        rules: dict[str, RuleSpec]) -> None:
    clean = linted(seed("004"))
    text = full.render([cut_short, wrong_total, clean], rules)
    overview = text[text.index("汇总："):].splitlines()
    assert overview[0] == "汇总：3 个文件中，2 个有错误，1 个没有错误"
    assert overview[1].split() == ["文件", "机关", "年度", "格式", "错误", "警告", "提示"]
    rows = {row.split()[0]: row.split()[1:] for row in overview[2:5]}
    for result in (cut_short, wrong_total, clean):
        assert result.report is not None
        counts = [str(result.count(s)) for s in Severity]
        assert rows[str(result.path)] == [result.report.agency, str(result.report.year), "2021年版格式", *counts]
    # the columns line up on a terminal, where a Chinese character takes two columns
    starts = {full.display_width(row[:row.index(str(r.report.year))])  # type: ignore[union-attr]
              for row, r in zip(overview[2:5], (cut_short, wrong_total, clean))}
    assert len(starts) == 1
    assert "汇总" not in full.render([clean], rules)


def test_formats_are_registered() -> None:
    assert {"html", "sarif", "github", "json-lines"} <= set(FORMATS)
    assert renderer("json-lines") is json_lines.render


# ---------------------------------------------------------------- sarif


def test_sarif_structure(cut_short: FileResult, wrong_total: FileResult, rules: dict[str, RuleSpec],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    log = json.loads(sarif.render([cut_short, wrong_total], rules))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "govlint" and driver["version"] == version("govlint")
    ids = [r["id"] for r in driver["rules"]]
    assert set(rules) <= set(ids) and len(ids) == len(set(ids))
    for descriptor in driver["rules"]:
        spec = rules[descriptor["id"]]
        assert descriptor["name"] == spec.name
        assert descriptor["shortDescription"]["text"] == spec.title
        assert descriptor["fullDescription"]["text"] == spec.doc.what
        assert spec.doc.fix in descriptor["help"]["text"] and spec.doc.fix in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    assert len(run["results"]) == len(cut_short.findings) + len(wrong_total.findings)
    for result in run["results"]:
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and "\\" not in uri


def test_sarif_locations_and_cells(cut_short: FileResult, wrong_total: FileResult, rules: dict[str, RuleSpec],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    results = sarif.sarif_log([cut_short, wrong_total], rules)["runs"][0]["results"]
    s004 = next(r for r in results if r["ruleId"] == "S004")
    assert s004["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "samples/" + seed("002").name
    t001 = next(r for r in results if r["ruleId"] == "T001")
    location = t001["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("file:///")  # outside the working directory
    assert location["region"] == {"startLine": 64, "startColumn": 9}
    assert WRONG_TOTAL_CELL in t001["properties"]["cells"]
    assert t001["properties"]["suggestion"]["value"] == 13


def test_sarif_finding_without_line_keeps_its_file(rules: dict[str, RuleSpec]) -> None:
    result = synthetic("全文问题", line=None, column=None, severity=Severity.INFO)
    (out,) = sarif.sarif_log([result], rules)["runs"][0]["results"]
    assert out["level"] == "note"
    assert out["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "reports/%E6%8A%A5%E5%91%8A.txt"}}}]


def test_sarif_describes_codes_that_are_no_loaded_rule() -> None:
    result = synthetic("规则出错", severity=Severity.WARNING)
    log = sarif.sarif_log([result], {})
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["N002"]
    assert log["runs"][0]["results"][0]["ruleIndex"] == 0


# ---------------------------------------------------------------- github

COMMAND = re.compile(r"^::(error|warning|notice) file=[^,:\n]+(,line=\d+(,col=\d+)?)?,title=[^,:\n]+::[^\r\n]+$")


def test_github_lines_are_workflow_commands(cut_short: FileResult, wrong_total: FileResult,
                                           rules: dict[str, RuleSpec]) -> None:
    lines = github.render([cut_short, wrong_total], rules).splitlines()
    assert len(lines) == len(cut_short.findings) + len(wrong_total.findings)
    for line in lines:
        assert COMMAND.match(line), line
    assert any(line.startswith("::error ") and ",title=S001 missing-section::" in line for line in lines)
    assert any(",line=64,col=9,title=T001 table3-balance::" in line for line in lines)


def test_github_escaping() -> None:
    message = "比例 50%\r\n下一行: 甲, 乙"
    result = synthetic(message, path="reports/a,b:c.txt", severity=Severity.INFO)
    line = github.render([result], {})
    assert line == ("::notice file=reports/a%2Cb%3Ac.txt,line=3,col=5,title=N002 claim-mismatch::"
                    "比例 50%25%0D%0A下一行: 甲, 乙\n")
    assert github.escape_property("a%b\nc:d,e") == "a%25b%0Ac%3Ad%2Ce"
    assert github.escape_data("a%b\rc:d,e") == "a%25b%0Dc:d,e"


def test_github_omits_line_when_unknown() -> None:
    line = github.render([synthetic("缺少", line=None, column=None, severity=Severity.ERROR)], {})
    assert line.startswith("::error file=reports/报告.txt,title=N002 claim-mismatch::")


# ---------------------------------------------------------------- json-lines


def test_json_lines(cut_short: FileResult, wrong_total: FileResult, rules: dict[str, RuleSpec]) -> None:
    text = json_lines.render([cut_short, wrong_total], rules)
    objects = [json.loads(line) for line in text.splitlines()]
    expected = [{"path": r.path, **finding_dict(f)} for r in (cut_short, wrong_total) for f in r.findings]
    assert objects == expected
    assert all(line.startswith('{"path": ') for line in text.splitlines())
    assert "自然人" in text  # Chinese kept as it is


# ---------------------------------------------------------------- statistics


def test_statistics_for_seed_002(cut_short: FileResult, rules: dict[str, RuleSpec]) -> None:
    lines = statistics.render([cut_short], rules).splitlines()
    assert "1\tS001\tmissing-section" in lines
    assert all(re.fullmatch(r"\d+\t[A-Z]+\d{3}\t[a-z0-9-]+", line) for line in lines)
    assert {line.split("\t")[1] for line in lines} == {f.code for f in cut_short.findings}


def test_statistics_order() -> None:
    def result(*codes: str) -> FileResult:
        return FileResult(path="r.txt", report=None, findings=[
            Finding(code=c, name=f"rule-{c.lower()}", severity=Severity.ERROR, message="m", line=1, column=1)
            for c in codes])

    text = statistics.render([result("T003", "S001", "T003"), result("N002", "S001", "T003")], {})
    assert text == "3\tT003\trule-t003\n2\tS001\trule-s001\n1\tN002\trule-n002\n"


def test_statistics_flag_replaces_the_output(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), "--statistics", cwd=tmp_path)
    assert run.returncode == 1
    assert "1\tS001\tmissing-section" in run.stdout.splitlines()
    assert "■" not in run.stdout and "共检查" not in run.stdout
    target = tmp_path / "stats.txt"
    govlint("check", str(seed("002")), "--statistics", "-o", str(target), cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == run.stdout


# ---------------------------------------------------------------- html


class Cells(HTMLParser):
    """The value cells of a page: data-cell address → (classes, title, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, tuple[set[str], str, str]] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        address = found.get("data-cell")
        if tag == "td" and address:
            self._open = address
            self.cells[address] = (set((found.get("class") or "").split()), found.get("title") or "", "")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            classes, title, text = self.cells[self._open]
            self.cells[self._open] = (classes, title, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._open = None


def cells_of(page: str) -> dict[str, tuple[set[str], str, str]]:
    parser = Cells()
    parser.feed(page)
    return parser.cells


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_self_contained(page: str) -> None:
    """No script, no stylesheet link, no frame or image, and every link points inside the page."""
    parser = Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "iframe", "img", "object", "embed", "base", "frame"}, names
    for _, attrs in parser.tags:
        for key in ("src", "href", "srcset", "action", "formaction", "poster", "background"):
            assert attrs.get(key) is None or str(attrs[key]).startswith("#"), attrs
        assert not any(key.startswith("on") for key in attrs), attrs
    style = page[page.index("<style>"):page.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "http" not in style


def table_row_labels(page: str, table: str) -> list[str]:
    """The row labels (class "row") of a redrawn table, top to bottom."""
    start = page.index(f'<table class="grid {table}">')
    fragment = page[start:page.index("</table>", start)]
    return re.findall(r'<th[^>]*class="row"[^>]*>([^<]*)</th>', fragment)


def test_html_is_self_contained_and_printable(cut_short: FileResult, wrong_total: FileResult,
                                             rules: dict[str, RuleSpec]) -> None:
    page = html.render([cut_short, wrong_total], rules)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert_self_contained(page)
    assert "@media print" in page and "size: A4" in page


def test_html_seed_002(cut_short: FileResult, rules: dict[str, RuleSpec]) -> None:
    page = html.render([cut_short], rules)
    for finding in cut_short.findings:
        assert str(escape(finding.message)) in page
    assert "S001" in page and "缺少法定部分" in page
    assert '<table class="grid table2">' in page and '<table class="grid table3">' in page
    assert "报告中没有找到此表" in page  # table 四 is cut off
    assert cut_short.report is not None and cut_short.report.agency and cut_short.report.agency in page
    cells = cells_of(page)
    classes, title, text = cells["table3.unable_needs_creation.natural_person"]
    assert {"missing", "flagged", "sev-error"} <= classes and text == "缺" and "S004" in title
    classes, title, _ = cells["table3.new_received.total"]
    assert "flagged" not in classes and "missing" not in classes


def test_html_highlights_every_cell_of_every_finding(cut_short: FileResult, wrong_total: FileResult,
                                                     rules: dict[str, RuleSpec]) -> None:
    for result in (cut_short, wrong_total):
        cells = cells_of(html.render([result], rules))
        for finding in result.findings:
            for address in finding.cells:
                classes, title, _ = cells[address]
                shown = next(c for c in classes if c.startswith("sev-"))  # the worst finding of the cell
                assert "flagged" in classes and Severity(shown[4:]).rank >= finding.severity.rank
                assert f"{finding.code} {finding.message}" in title


def test_html_shows_the_suggested_value(wrong_total: FileResult, rules: dict[str, RuleSpec]) -> None:
    page = html.render([wrong_total], rules)
    classes, title, text = cells_of(page)[WRONG_TOTAL_CELL]
    assert {"flagged", "sev-error", "suggested"} <= classes
    assert text == "12 → 13" and title.startswith("T001 ")
    shown = '><del>12</del><span class="arrow"> → </span><ins>13</ins>'
    assert re.search(rf'data-cell="{WRONG_TOTAL_CELL}"[^>]*{re.escape(shown)}', page)


def test_html_table_rows_follow_the_template(wrong_total: FileResult, linted: Callable[[Path], FileResult],
                                             rules: dict[str, RuleSpec]) -> None:
    page = html.render([wrong_total], rules)
    assert table_row_labels(page, "table3") == [r.label for r in templates().get("2021").table3.rows]
    assert table_row_labels(page, "table2") == [r.label for r in templates().get("2021").table2.rows]
    assert "本年制发件数" in page and "本年新制作数量" not in page
    assert 'data-cell="table4.litigation_after_review.total"' in page
    report_2019 = linted(CORPUS / "pingtan-2019.html")
    assert report_2019.template == "2019"
    page_2019 = html.render([report_2019], rules)
    assert "本年新制作数量" in page_2019 and "其他对外管理服务事项" in page_2019 and "政府集中采购" in page_2019
    assert table_row_labels(page_2019, "table3") == [r.label for r in templates().get("2019").table3.rows]
    assert 'data-cell="table3.other.total"' in page_2019
    assert 'data-cell="table3.other_no_correction.total"' not in page_2019
    assert "本年制发件数" not in page_2019


def test_html_several_files_get_a_contents_list(cut_short: FileResult, wrong_total: FileResult,
                                               rules: dict[str, RuleSpec]) -> None:
    page = html.render([cut_short, wrong_total], rules)
    contents = page[page.index('<nav class="contents"'):page.index("</nav>")]
    assert contents.index('href="#file-1"') < contents.index('href="#file-2"')
    assert str(escape(cut_short.path)) in contents and str(escape(wrong_total.path)) in contents
    assert 'id="file-1"' in page and 'id="file-2"' in page
    assert '<nav class="contents"' not in html.render([cut_short], rules)


def test_html_unreadable_file_and_clean_file(tmp_path: Path, linter: Linter, rules: dict[str, RuleSpec]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    unreadable = lint_path(linter, empty, None)
    page = html.render([unreadable, synthetic("x")], rules)
    assert "P001" in page and "无法读取" in page
    clean = FileResult(path="clean.txt", report=None, findings=[])
    assert "未发现问题" in html.render([clean], rules)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_html_escapes_report_text(payload: str, lint_text: Callable[[str, str], FileResult],
                                  rules: dict[str, RuleSpec]) -> None:
    result = lint_text(xss_text(payload), "xss.txt")
    assert result.report is not None and payload in (result.report.title or "")
    assert any(payload in f.message for f in result.findings), "the payload should reach a message"
    page = html.render([result], rules)
    assert "<script" not in page and "<img" not in page and payload not in page
    for text in [result.report.title, result.report.agency, *(f.message for f in result.findings)]:
        assert text is not None and str(escape(text)) in page
    assert_self_contained(page)


def test_html_via_cli(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    run = govlint("check", str(seed("002")), str(seed("004")), "--format", "html", "-o", str(target), cwd=tmp_path)
    assert run.returncode == 1 and run.stdout == ""
    page = target.read_text(encoding="utf-8")
    assert page.count('<section class="file"') == 2 and '<nav class="contents"' in page
