"""The CI output formats publishing pipelines read: gitlab (Code Quality JSON) and junit (JUnit XML)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from govlint.engine.files import lint_path
from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Linter
from govlint.findings import Severity
from govlint.render import FORMATS, gitlab, junit, renderer
from govlint.render.common import portable_path
from tests.conftest import ROOT, XSS_PAYLOADS, govlint, govlint_process, seed, synthetic, xss_text

SEED_002 = "samples/" + seed("002").name
SEED_002_FINDINGS = [("S005", "minor", 26), ("S004", "major", 60), ("S001", "major", 64)]
"""Seed 002 (cut short inside table 三): code, GitLab severity and line of each finding, in order."""

HOSTILE = " <script>alert('x')</script> \"引号\" & &amp; ]]>\n第二行\r\n第三行\t完\n"
HEX = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(scope="module")
def clean(linted: Callable[[Path], FileResult]) -> FileResult:
    result = linted(seed("004"))
    assert result.findings == [], "seed 004 is a consistent report"
    return result


@pytest.fixture
def unreadable(tmp_path: Path, linter: Linter) -> FileResult:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = lint_path(linter, empty, None)
    assert [(f.code, f.line) for f in result.findings] == [("P001", None)]
    return result


def test_formats_are_registered_and_offered_by_the_cli(tmp_path: Path) -> None:
    assert renderer("gitlab") is gitlab.render and renderer("junit") is junit.render
    assert FORMATS["gitlab"] == "govlint.render.gitlab" and FORMATS["junit"] == "govlint.render.junit"
    run = govlint("check", "--help", cwd=tmp_path)
    assert run.returncode == 0
    offered = re.search(r"--format \[([^\]]+)\]", run.stdout)
    assert offered is not None and {"gitlab", "junit"} <= set(offered[1].split("|"))


# ---------------------------------------------------------------- gitlab


def test_gitlab_issue_per_finding_of_seed_002(cut_short: FileResult, rules: dict[str, RuleSpec],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = gitlab.render([cut_short], rules)
    issues = json.loads(text)
    assert text == json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
    assert "缺少法定部分" in text  # Chinese as it is, not \u escapes
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == SEED_002_FINDINGS
    for item, finding in zip(issues, cut_short.findings, strict=True):
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["description"] == f"{finding.code} {finding.message}"
        assert item["location"] == {"path": SEED_002, "lines": {"begin": finding.line}}
        assert HEX.fullmatch(item["fingerprint"])


def test_gitlab_table3_total_and_paths_outside_the_working_directory(
        wrong_total: FileResult, rules: dict[str, RuleSpec], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (t001,) = [i for i in json.loads(gitlab.render([wrong_total], rules)) if i["check_name"] == "T001"]
    description = t001["description"]
    assert description.startswith("T001 表三“（七）总计／自然人”填写为 12") and "勾稽关系不成立" in description
    assert t001["severity"] == "major"
    assert t001["location"] == {"path": Path(wrong_total.path).as_posix(), "lines": {"begin": 64}}


def test_gitlab_severities() -> None:
    got = {s: gitlab.issues([synthetic("m", severity=s)])[0]["severity"] for s in Severity}
    assert got == {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
    assert set(got.values()) <= {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_unreadable_file_starts_at_line_1(unreadable: FileResult, rules: dict[str, RuleSpec]) -> None:
    (item,) = json.loads(gitlab.render([unreadable], rules))
    assert item["check_name"] == "P001" and item["severity"] == "major"
    assert item["description"].startswith("P001 ") and "无法读取" in item["description"]
    assert item["location"] == {"path": portable_path(unreadable.path), "lines": {"begin": 1}}


def test_gitlab_fingerprints_are_unique_within_a_run(cut_short: FileResult, wrong_total: FileResult,
                                                      rules: dict[str, RuleSpec]) -> None:
    issues = json.loads(gitlab.render([cut_short, wrong_total], rules))
    assert len(issues) == len(cut_short.findings) + len(wrong_total.findings)
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)


def test_gitlab_fingerprints_tell_apart_what_differs() -> None:
    def prints(*results: FileResult) -> list[str]:
        return [i["fingerprint"] for i in gitlab.issues(results)]

    same = synthetic("相同的问题", line=3)
    # moved to another line by an edit above it: the same finding (GitLab does not show it as fixed and new)
    assert prints(same) == prints(synthetic("相同的问题", line=4, column=1))
    assert prints(same) != prints(synthetic("相同的问题", path="reports/另一份.txt"))
    assert prints(same) != prints(synthetic("另一个问题"))
    # the very same finding twice (in one file): still two issues, two fingerprints, the first unchanged
    twice = FileResult(path="reports/报告.txt", report=None, findings=same.findings * 2)
    first, second = prints(twice)
    assert first == prints(same)[0] and second != first


def test_gitlab_fingerprints_are_the_same_on_every_run(linter: Linter, cut_short: FileResult,
                                                        wrong_total: FileResult, rules: dict[str, RuleSpec],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    again = [lint_path(linter, seed("002"), None), lint_path(linter, Path(wrong_total.path), None)]
    assert gitlab.render(again, rules) == gitlab.render([cut_short, wrong_total], rules)
    # and in another process, with a hash seed of its own (no per-process hash seed leaks in)
    run = govlint_process("check", SEED_002, "--format", "gitlab", "--no-cache", cwd=ROOT)
    assert run.returncode == 1
    assert run.stdout == gitlab.render([cut_short], rules)


def test_gitlab_keeps_hostile_text_exactly() -> None:
    (item,) = json.loads(gitlab.render([synthetic(HOSTILE)], {}))
    assert item["description"] == f"N002 {HOSTILE}"


# ---------------------------------------------------------------- junit


def parse_junit(text: str) -> ET.Element:
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n") and text.endswith("\n")
    return ET.fromstring(text.encode("utf-8"))


def test_junit_suites_cases_and_counts(cut_short: FileResult, wrong_total: FileResult, clean: FileResult,
                                       unreadable: FileResult, rules: dict[str, RuleSpec],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    results = [cut_short, wrong_total, clean, unreadable]
    root = parse_junit(junit.render(results, rules))
    findings = sum(len(r.findings) for r in results)
    assert root.tag == "testsuites" and root.get("name") == "govlint"
    assert root.get("failures") == str(findings) and root.get("tests") == str(findings + 1)  # + the clean file
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [portable_path(r.path) for r in results]
    for suite, result in zip(suites, results, strict=True):
        cases = suite.findall("testcase")
        failures = suite.findall("testcase/failure")
        assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failures))
        assert len(failures) == len(result.findings)
        assert {c.get("classname") for c in cases} == {suite.get("name")}
        for case, finding in zip(cases, result.findings):
            (failure,) = case.findall("failure")
            assert failure.get("message") == finding.message
            assert failure.get("type") == finding.severity.value
            assert finding.message in (failure.text or "")
    assert [c.get("name") for c in suites[0]] == [f"{code} 第{line}行" for code, _, line in SEED_002_FINDINGS]
    assert "T001 第64行" in [c.get("name") for c in suites[1]]
    assert [c.get("name") for c in suites[3]] == ["P001"]  # no line: the code alone


def test_junit_clean_report_is_one_passing_testcase(clean: FileResult, rules: dict[str, RuleSpec]) -> None:
    root = parse_junit(junit.render([clean], rules))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    (suite,) = root
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")
    (case,) = suite
    assert case.tag == "testcase" and case.get("name") == "govlint" and list(case) == []


def test_junit_keeps_hostile_text_exactly() -> None:
    path = 'reports/甲&乙 "<b>".txt'
    text = junit.render([synthetic(HOSTILE, path=path, line=None, column=None, severity=Severity.INFO)], {})
    assert "<script>" not in text and "<b>" not in text
    (case,) = parse_junit(text).iter("testcase")
    assert case.get("classname") == path and case.get("name") == "N002"
    (failure,) = case
    assert failure.get("message") == HOSTILE and failure.get("type") == "info"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_junit_keeps_report_text_quoted_in_messages(payload: str, lint_text: Callable[[str, str], FileResult],
                                                     rules: dict[str, RuleSpec]) -> None:
    result = lint_text(xss_text(payload), "xss.txt")
    assert any(payload in f.message for f in result.findings), "the payload should reach a message"
    text = junit.render([result], rules)
    assert payload not in text
    messages = [f.get("message") for f in parse_junit(text).iter("failure")]
    assert messages == [f.message for f in result.findings]


def test_junit_writes_characters_xml_cannot_hold_as_escapes() -> None:
    message = "空字符\x00垂直制表\x0b代理\ud800结束"
    (failure,) = parse_junit(junit.render([synthetic(message)], {})).iter("failure")
    assert failure.get("message") == "空字符\\x00垂直制表\\x0b代理\\ud800结束"


def test_junit_via_cli(tmp_path: Path) -> None:
    run = govlint("check", SEED_002, "--format", "junit", "--no-cache", cwd=ROOT)
    assert run.returncode == 1
    root = parse_junit(run.stdout)
    (suite,) = root
    assert suite.get("name") == SEED_002 and (suite.get("tests"), suite.get("failures")) == ("3", "3")
    assert [c.get("name") for c in suite] == [f"{code} 第{line}行" for code, _, line in SEED_002_FINDINGS]
    target = tmp_path / "junit.xml"
    govlint("check", str(seed("004")), "--format", "junit", "-o", str(target), cwd=tmp_path)
    (case,) = parse_junit(target.read_text(encoding="utf-8")).iter("testcase")
    assert case.get("name") == "govlint"

