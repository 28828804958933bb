"""The `govlint` command: check, parse, rules, explain. Exit codes 0 / 1 / 2 as in ruff."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from govlint.engine.config import ConfigError, Settings, find_config, load_settings
from govlint.engine.files import collect, default_jobs, lint_all, lint_bytes
from govlint.engine.loader import LoadedRule, RuleLoadError, load_rules
from govlint.engine.runner import FileResult, Linter, fails
from govlint.errors import ReadError
from govlint.findings import Severity
from govlint.readers import read_path
from govlint.render import FORMATS, renderer, statistics
from govlint.render.ruledocs import explain_text, rule_reference
from govlint.report.builder import build_report
from govlint.report.model import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> NoReturn:
    click.echo(f"govlint：{message}", err=True)
    sys.exit(EXIT_ERROR)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config if config is not None else find_config(Path.cwd()))
    except ConfigError as error:
        _fail(str(error))


def _rules(settings: Settings) -> list[LoadedRule]:
    try:
        return load_rules(settings.rule_paths)
    except RuleLoadError as error:
        _fail(str(error))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govlint")
def cli() -> None:
    """govlint：政府信息公开工作年度报告一致性检查。"""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="full", show_default=True,
              help="输出格式。")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path), help="写入文件而不是屏幕。")
@click.option("--select", help="只运行这些规则（逗号分隔的代码或前缀，如 T,S001）。")
@click.option("--extend-select", help="在配置之外再运行这些规则。")
@click.option("--ignore", help="不运行这些规则。")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]),
              help="达到该级别的问题使退出码为 1（默认 error）。")
@click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出（读不了的文件仍为 2）。")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="配置文件。")
@click.option("--template", type=click.Choice(["auto", "2021", "2019"]), help="不自动识别，按指定版本的格式检查。")
@click.option("--stdin-filename", default="stdin.txt", show_default=True, help="从标准输入（-）读取时使用的文件名。")
@click.option("--statistics", "show_statistics", is_flag=True,
              help="只列出每条规则的问题数量（数量、代码、名称），代替逐条输出。")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default="0，即按 CPU 数",
              help="同时检查几个文件（进程数）；1 表示逐个检查。")
def check(paths: tuple[Path, ...], output_format: str, output_file: Path | None, select: str | None,
          extend_select: str | None, ignore: str | None, fail_on: str | None, exit_zero: bool,
          config: Path | None, template: str | None, stdin_filename: str, show_statistics: bool,
          jobs: int) -> None:
    """检查一个或多个报告文件（或目录，或 - 表示标准输入）。"""
    if not paths:
        _fail("请指定要检查的文件或目录，例如：govlint check 报告.txt")
    settings = _settings(config)
    overrides: dict[str, object] = {}
    for key, value in (("select", _codes(select)), ("extend_select", _codes(extend_select)),
                       ("ignore", _codes(ignore))):
        if value is not None:
            overrides[key] = value
    if fail_on:
        overrides["fail_on"] = Severity(fail_on)
    if template:
        overrides["template"] = template
    settings = settings.model_copy(update=overrides)
    rules = _rules(settings)
    linter = Linter(rules, settings)
    forced = None if settings.template == "auto" else settings.template

    results: list[FileResult] = []
    if Path("-") in paths:
        results.append(lint_bytes(linter, sys.stdin.buffer.read(), stdin_filename, forced))
    inputs = collect(p for p in paths if p != Path("-"))
    results += lint_all(linter, inputs.files, forced, jobs or default_jobs())
    linter.check_pairs(results)
    if not results:
        _fail("没有找到可检查的报告文件（支持 .txt .md .html .htm .docx .pdf）")

    render = statistics.render if show_statistics else renderer(output_format)
    output = render(results, {r.spec.code: r.spec for r in rules})
    if output_file is not None:
        output_file.write_text(output, encoding="utf-8")
    else:
        click.echo(output, nl=False)
    unreadable = [r for r in results if r.report is None]
    for result in unreadable:
        click.echo(f"govlint：{result.path}：{result.findings[0].message if result.findings else '无法读取'}", err=True)
    if inputs.skipped:
        click.echo(f"govlint：目录中有 {inputs.skipped} 个文件不是支持的报告格式，已跳过", err=True)
    if unreadable:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(results, settings.fail_on) and not exit_zero else EXIT_CLEAN)


def _parse_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def _parse_text(report: Report) -> str:
    lines = [
        f"文件：{report.source.path}（{report.source.format}，{report.source.encoding or '二进制格式'}）",
        f"格式：{report.template}　年度：{report.year}　机关：{report.agency}",
        f"标题：{report.title}",
        "部分：" + "；".join(f"{s.heading}（第{s.line}行）" for s in report.sections.values()),
        "",
        "以下为 govlint 读取到的文本，行号即检查结果中的行号：",
    ]
    width = len(str(len(report.lines)))
    lines += [f"{n:>{width}} | {text}" for n, text in enumerate(report.lines, start=1)]
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--template", type=click.Choice(["auto", "2021", "2019"]), default="auto")
def parse(file: Path, output_format: str, template: str) -> None:
    """显示 govlint 对一个报告的理解（结构化数据或带行号的文本）。"""
    try:
        document = read_path(file)
    except ReadError as error:
        _fail(str(error))
    report = build_report(document, None if template == "auto" else template)  # type: ignore[arg-type]
    click.echo(_parse_json(report) if output_format == "json" else _parse_text(report), nl=False)


@cli.command(name="rules")
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path), help="把规则参考文档（Markdown）写入该目录。")
def list_rules(docs: Path | None) -> None:
    """列出全部规则：代码、名称、级别、标题。"""
    specs = [rule.spec for rule in _rules(_settings(None))]
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
        for name, text in rule_reference(specs).items():
            (docs / name).write_text(text, encoding="utf-8")
        return
    for spec in specs:
        click.echo(f"{spec.code}\t{spec.name}\t{spec.severity.value}\t{spec.title}")


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """显示一条规则的说明。"""
    specs = {r.spec.code: r.spec for r in _rules(_settings(None))}
    spec = specs.get(code.strip().upper())
    if spec is None:
        _fail(f"没有代码为 {code} 的规则；运行 govlint rules 查看全部规则")
    click.echo(explain_text(spec))


def main() -> None:
    """Entry point: never lets a traceback reach the user."""
    try:
        code = cli.main(standalone_mode=False)  # Click itself would print "Aborted!" and exit 1 on Ctrl-C
    except SystemExit:
        raise
    except click.ClickException as error:  # a usage error: Click's message, exit 2
        error.show()
        sys.exit(error.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _fail("已中断")
    except Exception as error:  # noqa: BLE001 - the last line of defence: a Chinese sentence, exit 2
        _fail(f"内部错误：{type(error).__name__}：{error}。请将输入文件反馈给 govlint 维护者")
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
