"""The `govlint` command: check, export, serve, parse, rules, explain. Exit codes 0 / 1 / 2 as in ruff."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from govlint import cli_text
from govlint.cli_text import Choice, Count, ExistingFile, Folder, OutputFile
from govlint.engine.cache import DEFAULT_FOLDER as DEFAULT_CACHE_FOLDER
from govlint.engine.cache import Cache
from govlint.engine.config import (
    ConfigError,
    Settings,
    check_codes,
    check_params,
    check_selection,
    find_config,
    load_settings,
)
from govlint.engine.files import Job, Plan, check_all, default_jobs, jobs_of
from govlint.engine.gctune import tune_gc
from govlint.engine.loader import LoadedRule, RuleLoadError, load_rules
from govlint.engine.runner import FileResult, Linter, fails
from govlint.errors import ReadError
from govlint.findings import Severity
from govlint.readers import read_path
from govlint.render import FORMATS, WHOLE_REPORTS, pieces, renderer
from govlint.render.common import summary

if TYPE_CHECKING:
    from govlint.report.model import Report

# What only some commands need is imported in those commands (the export's tables, the rule
# reference, the builder of `parse`), so that `check` starts with no more than it uses.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> NoReturn:
    click.echo(f"govlint：{message}", err=True)
    sys.exit(EXIT_ERROR)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _config(config: Path | None) -> Path | None:
    """The configuration file given, else the nearest one above the working directory."""
    return config if config is not None else find_config(Path.cwd())


def _settings(path: Path | None) -> Settings:
    try:
        return load_settings(path)
    except ConfigError as error:
        _fail(str(error))


@contextmanager
def _rule_errors() -> Iterator[None]:
    """A rule that cannot be used, met when the rules are loaded or first bound to their
    mechanisms: one sentence naming its file, exit 2."""
    try:
        yield
    except RuleLoadError as error:
        _fail(str(error))


def _rules(settings: Settings) -> list[LoadedRule]:
    with _rule_errors():
        return load_rules(settings.rule_paths)


SELECTION_OPTIONS = {"--select": "select", "--extend-select": "extend_select", "--ignore": "ignore"}
"""Command-line option → the setting it replaces."""


def _linter(config: Path | None, select: str | None = None, extend_select: str | None = None,
            ignore: str | None = None, **overrides: object) -> tuple[Linter, list[LoadedRule]]:
    """The settings of the configuration file with the command line's on top, every code in
    either checked against the loaded rules, and the linter they make."""
    path = _config(config)
    from_file = _settings(path)
    rules = _rules(from_file)
    known = [r.spec.code for r in rules]
    given = {option: codes for option, codes in zip(SELECTION_OPTIONS, map(_codes, (select, extend_select, ignore)))
             if codes is not None}
    update = {SELECTION_OPTIONS[option]: codes for option, codes in given.items()}
    settings = from_file.model_copy(update={**update, **{k: v for k, v in overrides.items() if v is not None}})
    try:
        if path is not None:
            where = f"配置文件 {path} "
            check_codes(from_file.selections(), known, where)
            with _rule_errors():  # only the configured rules are bound to their mechanisms here
                models = {r.spec.code: (r.mechanism.params, r.spec.params) for r in rules
                          if r.spec.code in from_file.params}
            check_params(from_file.params, models, where)
        check_codes(given, known, "命令行")
        check_selection(settings, known)
    except ConfigError as error:
        _fail(str(error))
    with _rule_errors():
        return Linter(rules, settings), rules


def _write(output_file: Path, data: str | bytes | Iterable[str]) -> None:
    """Write an output file (bytes, a text, or a text piece by piece) and say where on stderr."""
    try:
        if isinstance(data, bytes):
            output_file.write_bytes(data)
        else:
            with output_file.open("w", encoding="utf-8") as out:
                for chunk in [data] if isinstance(data, str) else data:
                    out.write(chunk)
    except OSError as error:
        _fail(f"无法写入 {output_file}：{error.strerror or '没有权限或磁盘已满'}")
    click.echo(f"govlint：已写入 {output_file}", err=True)


ECHO_CHARS = 1 << 16


def _emit(chunks: Iterable[str], output_file: Path | None) -> None:
    """The output piece by piece, to the screen or (with -o) to a file."""
    if output_file is not None:
        _write(output_file, chunks)
        return
    pending: list[str] = []
    size = 0
    for chunk in chunks:  # in pieces of some 64 KB: `click.echo` flushes every time it writes
        pending.append(chunk)
        size += len(chunk)
        if size >= ECHO_CHARS:
            click.echo("".join(pending), nl=False)
            pending, size = [], 0
    click.echo("".join(pending), nl=False)


FORMAT_HELP = "输出格式，默认 full（按部分分组）；concise 每个问题一行；json 的字段见 docs/interface.md。"
EXPORTS = ("xlsx", "csv")
JOBS_HELP = "同时检查几个文件（进程数）；1 表示逐个检查，默认 0 即按 CPU 数。"
DEFAULT_TIMEOUT = 120.0
"""Seconds one file may take: far beyond any report met so far, short enough that a file that
never finishes does not hold up a province's batch."""


@click.group(cls=cli_text.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govlint", message="%(prog)s %(version)s", help="显示版本号并退出。")
def cli() -> None:
    """govlint：政府信息公开工作年度报告一致性检查。"""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[路径]…")
@click.option("--format", "output_format", type=Choice(sorted(FORMATS)), default="full", help=FORMAT_HELP)
@click.option("-o", "--output-file", type=OutputFile(), help="写入该文件而不是屏幕（所在文件夹须已存在）。")
@click.option("--select", metavar="代码", help="只运行这些规则：逗号分隔的代码或前缀，如 T,S001；默认全部规则。")
@click.option("--extend-select", metavar="代码", help="在 select 之外再运行这些规则（代码或前缀）。")
@click.option("--ignore", metavar="代码", help="不运行这些规则（代码或前缀，如 T006）。")
@click.option("--fail-on", type=Choice([s.value for s in Severity]),
              help="达到该级别（错误、警告、提示）的问题使退出码为 1，默认 error。")
@click.option("--exit-zero", is_flag=True, help="有问题也以 0 退出（读不了的文件仍为 2）。")
@click.option("--config", type=ExistingFile(),
              help="配置文件（默认在当前目录及其上级查找 govlint.toml 或 pyproject.toml）。")
@click.option("--template", type=Choice(["auto", "2021", "2019"]),
              help="按指定版本的格式检查，默认 auto（自动识别）。")
@click.option("--stdin-filename", default="stdin.txt", metavar="文件名",
              help="从标准输入（-）读取时使用的文件名，其扩展名决定格式，默认 stdin.txt。")
@click.option("--statistics", "show_statistics", is_flag=True,
              help="只列出每条规则的问题数量（数量、代码、名称），代替逐条输出。")
@click.option("-j", "--jobs", type=Count(), default=0, metavar="N", help=JOBS_HELP)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, metavar="秒",
              help=f"每个文件最多检查几秒，默认 {DEFAULT_TIMEOUT:g}；超时的文件报告为无法读取（P001），不影响其他。")
@click.option("--no-cache", is_flag=True, help="不使用缓存，每个文件都重新检查。")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="缓存目录，默认在当前目录下（上次检查过、内容未变的文件不再重新检查）。")
@click.option("--progress/--no-progress", default=None,
              help="显示检查进度，默认在终端上检查多个文件时显示。")
def check(paths: tuple[Path, ...], output_format: str, output_file: Path | None, select: str | None,
          extend_select: str | None, ignore: str | None, fail_on: str | None, exit_zero: bool,
          config: Path | None, template: str | None, stdin_filename: str, show_statistics: bool,
          jobs: int, timeout: float, no_cache: bool, cache_dir: Path | None, progress: bool | None) -> None:
    """检查一个或多个报告文件（或目录，或 - 表示标准输入）。"""
    if not paths:
        _fail("请指定要检查的文件或目录，例如：govlint check 报告.txt")
    linters = _Linters(config, select, extend_select, ignore,
                       fail_on=Severity(fail_on) if fail_on else None, template=template)
    settings = linters.settings_at(Path.cwd())
    given = ([Job(stdin_filename, data=sys.stdin.buffer.read(), linter=linters.index_at(Path.cwd()))]
             if Path("-") in paths else [])
    batch, passed_over = jobs_of((p for p in paths if p != Path("-")), linters.index_at, given)
    whole = output_format in WHOLE_REPORTS and not show_statistics
    cache = None if no_cache else Cache(cache_dir or Path.cwd() / DEFAULT_CACHE_FOLDER)
    specs = {r.spec.code: r.spec for linter in linters.all for r in linter.rules}
    streamed = None if show_statistics else pieces(output_format, specs)
    plan = Plan(tuple(linters.all), keep_reports=whole, budget=timeout, pieces=streamed[0] if streamed else None)
    with _progress(progress, len(batch)) as done, _rule_errors():
        checked = check_all(plan, batch, jobs or default_jobs(), done, cache)
    results = checked.results
    if not results:
        _fail("没有找到可检查的报告文件（支持 .txt .md .html .htm .docx .pdf）")

    if streamed is not None:
        made, assemble = streamed
        chunks: Iterable[str] = assemble(results.pieces(made), summary(results))
    else:
        from govlint.render import statistics

        chunks = [(statistics.render if show_statistics else renderer(output_format))(results, specs)]
    _emit(chunks, output_file)
    for path, reason in results.unreadable:
        click.echo(f"govlint：{path}：{reason}", err=True)
    skipped = passed_over + checked.skipped
    if skipped:
        click.echo(f"govlint：目录中有 {skipped} 个文件不是支持的报告格式，已跳过", err=True)
    if results.unreadable:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(results, settings.fail_on) and not exit_zero else EXIT_CLEAN)


class _Linters:
    """A linter per configuration file: each checked file gets the nearest configuration at or
    above its folder (as ruff does), else the working directory's, or the one given with --config
    for all; the command line's options lie over each, and every code is checked in each."""

    def __init__(self, config: Path | None, *selection: str | None, **overrides: Any) -> None:
        self.config, self.selection, self.overrides = config, selection, overrides
        self.all: list[Linter] = []
        self._by_config: dict[Path | None, int] = {}
        self._by_folder: dict[str, int] = {}
        self._configs: dict[str, Path | None] = {}

    def index_at(self, given: str | Path) -> int:
        """The place in `all` of the linter for files in the folder `given`."""
        folder = os.path.abspath(given)
        if folder not in self._by_folder:
            found = self.config or find_config(folder, self._configs) or find_config(Path.cwd(), self._configs)
            if found not in self._by_config:
                self._by_config[found] = len(self.all)
                self.all.append(_linter(found, *self.selection, **self.overrides)[0])
            self._by_folder[folder] = self._by_config[found]
        return self._by_folder[folder]

    def settings_at(self, folder: str | Path) -> Settings:
        """The settings of the run as a whole (its exit code): those for the working directory."""
        return self.all[self.index_at(folder)].settings


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
    import json  # only `govlint parse` writes JSON itself: a check does not load it

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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="路径…")
@click.option("-o", "--output-file", type=OutputFile(), metavar="文件",
              help="写入的汇总表：.xlsx（Excel，两张工作表：每份报告一行、每个问题一行）或 .csv（每份报告一行）。")
@click.option("--format", "output_format", type=Choice(EXPORTS), help="汇总表的格式，默认按 -o 的扩展名。")
@click.option("--expect", type=ExistingFile(), metavar="名单",
              help="应报送机关的名单（UTF-8 文本，每行一个机关名称）；名单上没有报告的机关也列入汇总表。")
@click.option("--config", type=ExistingFile(), help="配置文件（同 check）。")
@click.option("-j", "--jobs", type=Count(), default=0, metavar="N", help=JOBS_HELP)
def export(paths: tuple[Path, ...], output_file: Path | None, output_format: str | None, expect: Path | None,
           config: Path | None, jobs: int) -> None:
    """把多份报告的机关、年度、问题数和表二、表三、表四的全部数字汇总成一张表（供上级单位使用）。"""
    if output_file is None:
        _fail("请用 -o 指定要写入的汇总表，例如：govlint export 年报目录/ -o 汇总.xlsx")
    kind = output_format or output_file.suffix.lower().lstrip(".")
    if kind not in EXPORTS:
        _fail(f"无法从“{output_file.name}”看出要写哪种格式，请用 .xlsx 或 .csv 结尾，或加 --format xlsx")
    expected = _expected(expect) if expect is not None else []
    linters = _Linters(config)
    batch, _ = jobs_of(paths, linters.index_at)
    with _rule_errors():
        checked = check_all(Plan(tuple(linters.all), keep_reports=True), batch, jobs or default_jobs()).results
    results = list(checked)
    if not results:
        _fail("没有找到可汇总的报告文件（支持 .txt .md .html .htm .docx .pdf）")
    from govlint.render.figures import missing_agencies

    missing = missing_agencies(results, expected)
    _write(output_file, _export(kind, results, missing))
    if missing:
        click.echo(f"govlint：名单中有 {len(missing)} 个机关没有报告：{'、'.join(missing)}", err=True)
    for path, reason in checked.unreadable:
        click.echo(f"govlint：{path}：{reason}", err=True)
    sys.exit(EXIT_ERROR if checked.unreadable else EXIT_CLEAN)


def _export(kind: str, results: list[FileResult], missing: list[str]) -> bytes:
    """The export file's bytes; the CSV with a byte-order mark, which Excel needs to read UTF-8."""
    if kind == "csv":
        from govlint.render import csv

        return csv.reports(results, missing).encode("utf-8-sig")
    from govlint.render import xlsx  # openpyxl is loaded only when an Excel file is written

    return xlsx.workbook(results, missing)


def _expected(path: Path) -> list[str]:
    """The agency names of a list file, one a line, blank lines and duplicates dropped."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"名单 {path} 不是 UTF-8 文本，请另存为 UTF-8 编码")
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


@cli.command()
@click.option("--host", default="127.0.0.1", metavar="地址",
              help="监听的地址，默认 127.0.0.1（只有本机能打开）；0.0.0.0 使内网其他电脑也能打开。")
@click.option("--port", type=Count(minimum=1), default=8000, metavar="端口", help="端口号，默认 8000。")
@click.option("--max-size", type=Count(minimum=1), default=50, metavar="MB",
              help="一次上传的总大小上限（MB），默认 50；压缩包解开后的总大小上限为其 4 倍。")
@click.option("--max-files", type=Count(minimum=1), default=100, metavar="N", help="一次最多检查几个文件，默认 100。")
@click.option("--config", type=ExistingFile(), help="配置文件（同 check）。")
def serve(host: str, port: int, max_size: int, max_files: int, config: Path | None) -> None:
    """打开检查网页：经办人员在浏览器中选择或拖入报告文件，即可看到检查结果（需要安装 govlint[web]）。"""
    try:
        from govlint.web.server import run
    except ImportError:
        _fail("网页功能需要额外的组件，请运行：pip install \"govlint[web]\"")
    linter, rules = _linter(config)
    with _rule_errors():
        linter.prepare()
    try:
        run(linter, {r.spec.code: r.spec for r in rules}, host=host, port=port,
            max_bytes=max_size * 1024 * 1024, max_files=max_files)
    except OSError as error:
        _fail(f"无法在 {host} 的 {port} 端口上打开网页（{error.strerror or '地址不可用'}）："
              "该端口可能已被占用，请用 --port 换一个端口")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path), metavar="文件")
@click.option("--format", "output_format", type=Choice(["json", "text"]), default="json",
              help="json（结构化数据，默认）或 text（带行号的文本）。")
@click.option("--template", type=Choice(["auto", "2021", "2019"]), default="auto",
              help="按指定版本的格式读取，默认 auto（自动识别）。")
def parse(file: Path, output_format: str, template: str) -> None:
    """显示 govlint 对一个报告的理解（结构化数据或带行号的文本）。"""
    try:
        document = read_path(file)
    except ReadError as error:
        _fail(str(error))
    from govlint.report.builder import build_report

    report = build_report(document, None if template == "auto" else template)
    click.echo(_parse_json(report) if output_format == "json" else _parse_text(report), nl=False)


@cli.command(name="rules")
@click.option("--docs", type=Folder(), help="把规则参考文档（Markdown）写入该目录。")
def list_rules(docs: Path | None) -> None:
    """列出全部规则：代码、名称、级别、标题。"""
    specs = [rule.spec for rule in _rules(_settings(_config(None)))]
    if docs is not None:
        from govlint.render.ruledocs import rule_reference

        docs.mkdir(parents=True, exist_ok=True)
        for name, text in rule_reference(specs).items():
            (docs / name).write_text(text, encoding="utf-8")
        return
    for spec in specs:
        click.echo(f"{spec.code}\t{spec.name}\t{spec.severity.chinese}\t{spec.title}")


@cli.command()
@click.argument("code", metavar="代码")
def explain(code: str) -> None:
    """显示一条规则的说明。"""
    specs = {r.spec.code: r.spec for r in _rules(_settings(_config(None)))}
    spec = specs.get(code.strip().upper())
    if spec is None:
        _fail(f"没有代码为 {code} 的规则；运行 govlint rules 查看全部规则")
    from govlint.render.ruledocs import explain_text

    click.echo(explain_text(spec))


def main() -> None:
    """Entry point: never lets a traceback reach the user."""
    tune_gc()
    try:
        code = cli.main(prog_name="govlint", standalone_mode=False)  # Click would print "Aborted!" on Ctrl-C
    except SystemExit:
        raise
    except click.ClickException as error:  # a usage error: one Chinese sentence, exit 2
        cli_text.show(error)
        sys.exit(error.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _fail("已中断")
    except Exception as error:  # noqa: BLE001 - the last line of defence: a Chinese sentence, exit 2
        _fail(f"内部错误：{type(error).__name__}：{error}。请将输入文件反馈给 govlint 维护者")
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
