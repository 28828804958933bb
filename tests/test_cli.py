"""The command line as users and pipelines see it: exit codes, formats, config, bad input.

Most commands run in this process (click's CliRunner); `python -m govlint` runs end to end where the
process is what is seen: its exit codes 1 and 2, and standard input piped into it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLES, govlint, govlint_process, seed


def test_check_seed_002_reports_the_cut(tmp_path: Path) -> None:
    run = govlint_process("check", str(seed("002")), "--format", "json", cwd=tmp_path)
    assert run.returncode == 1
    document = json.loads(run.stdout)
    assert document["schema_version"] == 1
    (file,) = document["files"]
    assert (file["template"], file["year"]) == ("2021", 2024)
    assert {"S001", "S004", "S005"} <= {f["code"] for f in file["findings"]}
    assert set(file["findings"][0]) >= {"code", "name", "severity", "message", "line", "column", "cells"}
    lines = [f["line"] if f["line"] is not None else 10**9 for f in file["findings"]]
    assert lines == sorted(lines)
    assert document["summary"]["files"] == 1 and document["summary"]["error"] >= 2


def test_full_format_is_chinese_and_grouped(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), cwd=tmp_path)
    assert "【三、收到和处理政府信息公开申请情况】" in run.stdout
    assert "第60行" in run.stdout and "错误 S004" in run.stdout


def test_concise_format(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), "--format", "concise", cwd=tmp_path)
    assert f"{seed('002')}:26:13: S005" in run.stdout


def test_clean_seed_exits_zero_and_exit_zero_flag(tmp_path: Path) -> None:
    assert govlint("check", str(seed("004")), cwd=tmp_path).returncode == 0
    assert govlint("check", str(seed("002")), "--exit-zero", cwd=tmp_path).returncode == 0
    assert govlint("check", str(seed("000")), "--fail-on", "warning", cwd=tmp_path).returncode == 1


def test_select_and_ignore(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), "--format", "json", "--select", "S", "--ignore", "S001", cwd=tmp_path)
    codes = {f["code"] for f in json.loads(run.stdout)["files"][0]["findings"]}
    assert codes == {"S004", "S005"}


def test_directory_is_searched(tmp_path: Path) -> None:
    run = govlint("check", str(SAMPLES), "--format", "json", cwd=tmp_path)
    assert json.loads(run.stdout)["summary"]["files"] == 5


@pytest.mark.parametrize(("name", "content", "words"), [
    ("empty.txt", b"", "文件为空"),
    ("random.txt", bytes(range(256)) * 40, "不是"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "另存为 .docx"),
])
def test_unreadable_input_exits_2_in_chinese(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    run = govlint("check", str(target), cwd=tmp_path)
    assert run.returncode == 2
    assert words in run.stderr and name in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert target.read_bytes() == content  # never modified


def test_missing_path_exits_2(tmp_path: Path) -> None:
    run = govlint("check", str(tmp_path / "没有这个文件.txt"), cwd=tmp_path)
    assert run.returncode == 2 and "文件不存在" in run.stderr and "Traceback" not in run.stderr
    run = govlint("parse", str(tmp_path / "没有这个文件.txt"), cwd=tmp_path)
    assert run.returncode == 2 and "文件不存在" in run.stderr


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_parse_like_utf8(tmp_path: Path, encoding: str) -> None:
    original = seed("004")
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    parsed = json.loads(govlint("parse", str(copy), cwd=tmp_path).stdout)
    reference = json.loads(govlint("parse", str(original), cwd=tmp_path).stdout)
    for key in ("template", "year", "agency", "title", "sections", "table2", "table3", "table4"):
        assert parsed[key] == reference[key], key


def test_parse_json_follows_the_interface(tmp_path: Path) -> None:
    report = json.loads(govlint("parse", str(seed("004")), cwd=tmp_path).stdout)
    assert report["schema_version"] == 1
    assert report["source"] == {"path": str(seed("004")), "format": "text", "encoding": "utf-8"}
    assert report["sections"]["overview"]["heading"] == "一、总体情况"
    assert report["table3"]["new_received"]["natural_person"] == {"value": 13, "raw": "13", "line": 41, "column": 19}
    assert report["table2"]["fees"]["amount"]["value"] == 256.1789
    assert "other" not in report["table3"]


def test_parse_text_shows_numbered_lines(tmp_path: Path) -> None:
    run = govlint("parse", str(seed("004")), "--format", "text", cwd=tmp_path)
    assert "41 | 一、本年新收政府信息公开申请数量" in run.stdout


def test_stdin(tmp_path: Path) -> None:
    run = govlint_process("check", "-", "--format", "json", cwd=tmp_path, stdin=seed("002").read_bytes())
    assert {"S001", "S004"} <= {f["code"] for f in json.loads(run.stdout)["files"][0]["findings"]}


def test_rules_and_explain(tmp_path: Path) -> None:
    listing = govlint("rules", cwd=tmp_path).stdout
    for code in ["P001", "P002", "F001", "F002", "F003", "F004", "S001", "S002", "S003", "S004", "S005", "S006",
                 "T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008", "N001", "N002"]:
        assert f"{code}\t" in listing
    explained = govlint("explain", "T001", cwd=tmp_path).stdout
    assert "勾稽关系" in explained and "如何修改" in explained
    assert govlint("explain", "Z999", cwd=tmp_path).returncode == 2


def test_config_rule_folder_is_loaded_and_fires(tmp_path: Path) -> None:
    local = tmp_path / "local-rules"
    local.mkdir()
    (local / "L001.toml").write_text((FIXTURES / "local-rule.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "govlint.toml").write_text('rule-paths = ["local-rules"]\nignore = ["S006"]\n', encoding="utf-8")
    assert "L001\t" in govlint("rules", cwd=tmp_path).stdout
    run = govlint("check", str(seed("004")), "--format", "json", cwd=tmp_path)
    findings = json.loads(run.stdout)["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["L001"]
    assert "市政府公开办" in findings[0]["message"] and findings[0]["line"] == 15


@pytest.mark.parametrize(("change", "said"), [
    (("text-pattern", "no-such-mechanism"), "未知的检查机制“no-such-mechanism”"),
    (('pattern = "市政府公开办"', "pattern = 3"), "规则 L001 的参数有误"),
])
def test_a_local_rule_that_cannot_be_bound_stops_the_check_naming_its_file(
        tmp_path: Path, change: tuple[str, str], said: str) -> None:
    local = tmp_path / "local-rules"
    local.mkdir()
    rule = (FIXTURES / "local-rule.toml").read_text(encoding="utf-8").replace(*change)
    (local / "L001.toml").write_text(rule, encoding="utf-8")
    (tmp_path / "govlint.toml").write_text('rule-paths = ["local-rules"]\n', encoding="utf-8")
    run = govlint("check", str(seed("004")), cwd=tmp_path)
    assert run.returncode == 2 and not run.stdout
    assert "无法加载规则文件 L001.toml" in run.stderr and said in run.stderr


def test_pyproject_config_and_cli_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.govlint]\nignore = ["S"]\n', encoding="utf-8")
    run = govlint("check", str(seed("002")), "--format", "json", cwd=tmp_path)
    assert not {f["code"] for f in json.loads(run.stdout)["files"][0]["findings"]} & {"S001", "S004", "S005"}
    run = govlint("check", str(seed("002")), "--format", "json", "--ignore", "T", cwd=tmp_path)
    assert "S001" in {f["code"] for f in json.loads(run.stdout)["files"][0]["findings"]}


def test_bad_config_is_a_chinese_error(tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text("select = [", encoding="utf-8")
    run = govlint_process("check", str(seed("004")), cwd=tmp_path)
    assert run.returncode == 2 and "配置文件" in run.stderr and "Traceback" not in run.stderr
