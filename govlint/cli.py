"""The `govlint` command: check, parse, rules, explain. Exit codes 0 / 1 / 2 as in ruff."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from govlint.engine.cache import DEFAULT_FOLDER as DEFAULT_CACHE_FOLDER
from govlint.engine.cache import Cache
from govlint.engine.config import ConfigError, Settings, find_config, load_settings
from govlint.engine.files import Job, Plan, check_all, collect, default_jobs
from govlint.engine.loader import LoadedRule, RuleLoadError, load_rules
from govlint.engine.runner import Linter, fails
from govlint.errors import ReadError
from govlint.findings import Severity
from govlint.readers import read_path
from govlint.render import FORMATS, WHOLE_REPORTS, renderer, statistics, streamer
from govlint.render.ruledocs import explain_text, rule_reference
from govlint.report.builder import build_report
from govlint.report.model import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEFAULT_TIMEOUT = 120.0
"""Seconds one file may take: far beyond any report met so far, short enough that a file that
never finishes does not hold up a province's batch."""


def _fail(message: str) -> NoReturn:
    click.echo(f"govlint：{message}", err=True)
    sys.exit(EXIT_ERROR)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _settings(config: Path | None) -> Settings:
    return _settings_of(config if config is not None else find_config(Path.cwd()))


def _settings_of(found: Path | None) -> Settings:
    try:
        return load_settings(found)
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
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="每个文件最多检查几秒；超时的文件报告为无法读取（P001），不影响其他文件。")
@click.option("--no-cache", is_flag=True, help="不使用缓存，每个文件都重新检查。")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help=f"缓存目录（默认为当前目录下的 {DEFAULT_CACHE_FOLDER}）。")
@click.option("--progress/--no-progress", default=None,
              help="显示检查进度（默认：在终端上检查多个文件时显示）。")
def check(paths: tuple[Path, ...], output_format: str, output_file: Path | None, select: str | None,
          extend_select: str | None, ignore: str | None, fail_on: str | None, exit_zero: bool,
          config: Path | None, template: str | None, stdin_filename: str, show_statistics: bool,
          jobs: int, timeout: float, no_cache: bool, cache_dir: Path | None, progress: bool | None) -> None:
    """检查一个或多个报告文件（或目录，或 - 表示标准输入）。"""
    if not paths:
        _fail("请指定要检查的文件或目录，例如：govlint check 报告.txt")
    overrides: dict[str, object] = {}
    for key, value in (("select", _codes(select)), ("extend_select", _codes(extend_select)),
                       ("ignore", _codes(ignore))):
        if value is not None:
            overrides[key] = value
    if fail_on:
        overrides["fail_on"] = Severity(fail_on)
    if template:
        overrides["template"] = template
    linters = _Linters(config, overrides)
    settings = linters.settings_at(Path.cwd())
    inputs = collect(p for p in paths if p != Path("-"))
    batch: list[Job] = []
    if Path("-") in paths:
        batch.append(Job(stdin_filename, data=sys.stdin.buffer.read(), linter=linters.index_at(Path.cwd())))
    batch += [Job(str(p), path=p, linter=linters.index_at(p.parent), walked=p in inputs.walked) for p in inputs.files]
    whole = output_format in WHOLE_REPORTS and not show_statistics
    cache = None if no_cache else Cache(cache_dir or Path.cwd() / DEFAULT_CACHE_FOLDER)
    plan = Plan(tuple(linters.all), keep_reports=whole, budget=timeout, cache=cache)
    with _progress(progress, len(batch)) as done:
        checked = check_all(plan, batch, jobs or default_jobs(), done)
    results = checked.results
    if not results:
        _fail("没有找到可检查的报告文件（支持 .txt .md .html .htm .docx .pdf）")

    specs = {r.spec.code: r.spec for linter in linters.all for r in linter.rules}
    stream = None if show_statistics else streamer(output_format)
    if stream is not None:
        chunks: Iterable[str] = stream(results, specs)
    else:
        chunks = [(statistics.render if show_statistics else renderer(output_format))(results, specs)]
    _write(chunks, output_file)
    unreadable = [r for r in results if r.report is None]
    for result in unreadable:
        click.echo(f"govlint：{result.path}：{result.findings[0].message if result.findings else '无法读取'}", err=True)
    skipped = inputs.skipped + checked.skipped
    if skipped:
        click.echo(f"govlint：目录中有 {skipped} 个文件不是支持的报告格式，已跳过", err=True)
    if unreadable:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(results, settings.fail_on) and not exit_zero else EXIT_CLEAN)


class _Linters:
    """A linter per configuration file: each checked file gets the nearest configuration at or
    above its folder (as ruff does), else the working directory's, or the one given with --config
    for all; CLI options override each."""

    def __init__(self, config: Path | None, overrides: dict[str, object]) -> None:
        self.config, self.overrides = config, overrides
        self.all: list[Linter] = []
        self._by_config: dict[Path | None, int] = {}
        self._by_folder: dict[Path, int] = {}

    def index_at(self, folder: Path) -> int:
        """The place in `all` of the linter for files in `folder`."""
        folder = folder.absolute()
        if folder not in self._by_folder:
            found = self.config or find_config(folder) or find_config(Path.cwd())
            if found not in self._by_config:
                settings = _settings_of(found).model_copy(update=self.overrides)
                self._by_config[found] = len(self.all)
                self.all.append(Linter(_rules(settings), settings))
            self._by_folder[folder] = self._by_config[found]
        return self._by_folder[folder]

    def settings_at(self, folder: Path) -> Settings:
        """The settings of the run as a whole (its exit code): those for the working directory."""
        return self.all[self.index_at(folder)].settings


def _write(chunks: Iterable[str], output_file: Path | None) -> None:
    """The output piece by piece, to the file or the screen."""
    if output_file is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    with output_file.open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk)


@contextmanager
def _progress(enabled: bool | None, total: int) -> Iterator[Callable[[Job], None]]:
    """A progress bar on stderr (files done / total, time left, the current file) while a batch
    runs: by default only when stderr is a terminal and there are several files (forced onto a
    pipe, click writes its label once instead of redrawing the bar)."""
    stderr = sys.stderr
    if not (enabled if enabled is not None else total > 1 and stderr.isatty()):
        yield lambda job: None
        return
    current: dict[str, str] = {}

    def describe(_: object) -> str:
        eta = f"剩余约 {bar.format_eta()}" if bar.eta_known and bar.pos else ""
        return f"{eta}  {current.get('name', '')}"

    with click.progressbar(length=total, label="正在检查", file=stderr, show_eta=False, show_percent=False,
                           item_show_func=describe) as bar:

        def done(job: Job) -> None:
            current["name"] = job.name
            bar.update(1, job.name)

        yield done


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
