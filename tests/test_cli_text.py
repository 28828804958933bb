"""What a user reads from the command line is Chinese: help pages, usage errors, config errors;
and a misspelt rule code is an error, never a gate silently switched off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govlint.render import FORMATS
from tests.conftest import govlint, seed

CLICK_ENGLISH = ("Usage", "Options", "Commands", "Show this message", "Error", "Invalid value", "No such",
                 "Missing", "default", "TEXT", "PATH", "INTEGER", "FILE", "Try ")
COMMANDS = {"check", "export", "serve", "parse", "rules", "explain"}
ALLOWED_WORDS = {"govlint", "python", "auto", "CPU", "stdin", "txt", "toml", "pyproject", "lines", "error",
                 "warning", "info", "select", "ignore", "web", "xlsx", "csv", "text", "MB", "UTF", "Excel", "Markdown",
                 *FORMATS, *COMMANDS}
"""Latin words the help may use besides option names: commands, formats, values and file names."""


def latin_words(text: str) -> set[str]:
    """The Latin words of a text once option names (-o, --fail-on), file paths and codes (T006) are out."""
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*|[\w/]+\.md", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if not re.fullmatch(r"[A-Z]\d*", w)}


@pytest.mark.parametrize("command", [(), *((c,) for c in sorted(COMMANDS))])
def test_help_pages_are_chinese(command: tuple[str, ...]) -> None:
    run = govlint(*command, "--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("用法：") and "选项：" in run.stdout and "显示本帮助并退出。" in run.stdout
    assert not [w for w in CLICK_ENGLISH if w in run.stdout]
    assert latin_words(run.stdout) <= ALLOWED_WORDS, latin_words(run.stdout) - ALLOWED_WORDS


def test_group_help_lists_commands_in_chinese() -> None:
    run = govlint("--help")
    assert "命令：" in run.stdout and "export" in run.stdout and "serve" in run.stdout


@pytest.mark.parametrize(("args", "words"), [
    (("check", "x.txt", "--fail-on", "bogus"), ["--fail-on", "“bogus”", "error、warning、info"]),
    (("check", "x.txt", "--selec", "T"), ["没有选项 --selec", "--select"]),
    (("check", "x.txt", "--select"), ["--select", "缺少值"]),
    (("check", "x.txt", "--exit-zero=1"), ["--exit-zero", "不带值"]),
    (("check", "x.txt", "-j", "many"), ["--jobs", "“many”不是整数"]),
    (("chek", "x.txt"), ["没有命令“chek”", "“check”"]),
    (("parse",), ["缺少参数"]),
    (("explain", "T001", "T002"), ["多余的参数：T002"]),
    (("check", "x.txt", "--config", "no-such.toml"), ["--config", "“no-such.toml”不存在"]),
])
def test_usage_errors_are_chinese_and_exit_2(args: tuple[str, ...], words: list[str], tmp_path: Path) -> None:
    run = govlint(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert all(w in run.stderr for w in words), run.stderr
    assert not [w for w in CLICK_ENGLISH if w in run.stderr], run.stderr
    assert latin_words(run.stderr) <= ALLOWED_WORDS | {"chek", "bogus", "many", "no", "such"}


@pytest.mark.parametrize(("config", "words"), [
    ('fail_on = "x"', ["“fail_on”", "“fail-on”", "error、warning、info"]),
    ('fail-on = "x"', ["“fail-on”", "“x”", "error、warning、info"]),
    ('select = "T"', ["“select”", "列表"]),
    ('severity = { S006 = "low" }', ["severity.S006", "“low”", "error、warning、info"]),
    ("select = [", ["不是有效的 TOML 格式"]),
    ('select = ["Z999"]', ["select", "“Z999”", "不是已知的规则代码或前缀"]),
    ('per-file-ignores = { "*.txt" = ["T0O1"] }', ["per-file-ignores", "“T0O1”", "“T001”"]),
    ('severity = { T01 = "info" }', ["severity", "“T01”", "不是已知的规则代码"]),
    ("select = []", ["select", "没有给出任何规则代码"]),
    ("[params.X003]\nthreshhold = 0.5", ["params.X003", "“threshhold”", "“threshold”"]),
    ('[params.X003]\nthreshold = "high"', ["params.X003", "“threshold”", "“high”", "应为数字"]),
])
def test_config_errors_name_the_file_the_key_and_what_is_allowed(config: str, words: list[str],
                                                                  tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text(config + "\n", encoding="utf-8")
    run = govlint("check", str(seed("004")), cwd=tmp_path)
    assert run.returncode == 2
    assert str(tmp_path / "govlint.toml") in run.stderr
    assert all(w in run.stderr for w in words), run.stderr
    assert "pydantic" not in run.stderr and "Traceback" not in run.stderr and "内部错误" not in run.stderr


@pytest.mark.parametrize(("args", "words"), [
    (("--select", "Z999"), ["--select", "“Z999”", "您是不是要写"]),
    (("--select", ""), ["--select", "没有给出任何规则代码"]),
    (("--ignore", "Z999"), ["--ignore", "“Z999”"]),
    (("--extend-select", "T9"), ["--extend-select", "“T9”"]),
    (("--select", "T001", "--ignore", "T001"), ["一条也不剩"]),
])
def test_a_gate_cannot_be_switched_off_by_a_typo(args: tuple[str, ...], words: list[str], tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text('select = ["T", "S"]\n', encoding="utf-8")  # valid: the typo is ours
    run = govlint("check", str(seed("002")), *args, cwd=tmp_path)  # seed 002 has errors
    assert run.returncode == 2 and run.stdout == ""
    assert all(w in run.stderr for w in words), run.stderr
    assert "govlint.toml" not in run.stderr


def test_known_codes_and_prefixes_still_pass(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), "--select", "S,t001", "--ignore", "S001", cwd=tmp_path)
    assert run.returncode == 1 and "S004" in run.stdout and "S001" not in run.stdout


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    run = govlint("check", str(seed("002")), "-o", str(tmp_path / "没有的目录" / "x.json"), cwd=tmp_path)
    assert run.returncode == 2
    assert "没有的目录" in run.stderr and "不存在" in run.stderr and "内部错误" not in run.stderr
    assert not (tmp_path / "没有的目录").exists()


def test_written_output_is_announced_on_stderr(tmp_path: Path) -> None:
    target = tmp_path / "结果.json"
    run = govlint("check", str(seed("002")), "--format", "json", "-o", str(target), cwd=tmp_path)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.strip() == f"govlint：已写入 {target}"
    assert target.read_text(encoding="utf-8").startswith("{")


def test_rules_severities_are_chinese() -> None:
    lines = govlint("rules").stdout.splitlines()
    severities = {line.split("\t")[2] for line in lines}
    assert severities == {"错误", "警告", "提示"}
