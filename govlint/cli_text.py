"""The command line in Chinese: click's help layout, parameter types and usage errors.

Click writes its own words ("Usage:", "Options:", "Error: Invalid value…"); the classes here
replace each of them where click builds it — the formatter's headings and usage prefix, the
help option, the parameter types' messages, and one sentence per kind of usage error.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数"}
"""Click's section headings (the words it passes to `HelpFormatter.section`)."""
HELP_TEXT = "显示本帮助并退出。"
USAGE_PREFIX = "用法："


class Formatter(click.HelpFormatter):
    """Click's help layout with Chinese headings and usage prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")


class Context(click.Context):
    """A context whose help pages use the Chinese formatter."""

    formatter_class = Formatter


class _Chinese(click.Command):
    """What commands and groups share: the Chinese context, usage metavar and help option."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class Command(_Chinese):
    """A command whose help, usage and extra-argument error are Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", {}).setdefault("allow_extra_args", True)
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            rest = super().parse_args(ctx, args)
        except click.BadOptionUsage as error:  # the parser raises it without the context
            error.ctx = ctx
            raise
        if ctx.args and not ctx.resilient_parsing:
            raise click.UsageError(f"多余的参数：{' '.join(ctx.args)}", ctx)
        return rest


class Group(_Chinese, click.Group):
    """A command group whose help and subcommands are Chinese."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            raise click.UsageError(f"没有命令“{name}”{_nearest(name, self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)


def _nearest(word: str, known: Sequence[str]) -> str:
    """"；您是不是要用“X”？" for the nearest known word, or nothing."""
    near = difflib.get_close_matches(word, list(known), n=1)
    return f"；您是不是要用“{near[0]}”？" if near else ""


class Choice(click.Choice):  # type: ignore[type-arg]
    """One of a fixed list of values; the error lists them in Chinese."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        choices = [str(choice) for choice in self.choices]
        return f"“{value}”不是可选的值，可选：{'、'.join(choices)}{_nearest(str(value), choices)}"


class Count(click.ParamType):  # type: ignore[type-arg]
    """A whole number not below `minimum`."""

    name = "整数"

    def __init__(self, minimum: int = 0) -> None:
        self.minimum = minimum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是整数", param, ctx)
        if number < self.minimum:
            self.fail(f"{number} 小于 {self.minimum}", param, ctx)
        return number


class _PathType(click.ParamType):  # type: ignore[type-arg]
    """A path checked before use; each kind says what would be wrong with one."""

    def problem(self, path: Path) -> str | None:
        """The Chinese sentence for a path that will not do, None for one that will."""
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        problem = self.problem(path)
        if problem is not None:
            self.fail(problem, param, ctx)
        return path


class ExistingFile(_PathType):
    """A file that exists (never a folder)."""

    name = "文件"

    def problem(self, path: Path) -> str | None:
        if path.is_file():
            return None
        return f"“{path}”{'是文件夹，不是文件' if path.is_dir() else '不存在'}"


class OutputFile(_PathType):
    """A file to write, in a folder that exists."""

    name = "文件"

    def problem(self, path: Path) -> str | None:
        if path.is_dir():
            return f"“{path}”是文件夹，请给出文件名"
        if not path.parent.is_dir():
            return f"文件夹“{path.parent}”不存在，请先创建它或换一个位置"
        return None


class Folder(_PathType):
    """A folder to write into (created when missing), never an existing file."""

    name = "文件夹"

    def problem(self, path: Path) -> str | None:
        return f"“{path}”是文件，不是文件夹" if path.exists() and not path.is_dir() else None


def _hint(error: click.BadParameter | click.MissingParameter) -> str:
    """The parameter as the user typed it: `--fail-on`, or an argument's metavar."""
    if error.param_hint is not None:
        return str(error.param_hint)
    if error.param is None:
        return "参数"
    if isinstance(error.param, click.Option):
        return " / ".join(error.param.opts)
    return error.param.human_readable_name


def message(error: click.ClickException) -> str:
    """One Chinese sentence for a usage error raised while click parsed the command line."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.NoSuchOption):
        return f"没有选项 {error.option_name}{_nearest(error.option_name, error.possibilities or [])}"
    if isinstance(error, click.BadOptionUsage):
        option = _option(ctx, error.option_name)
        if option is not None and option.is_flag:
            return f"选项 {error.option_name} 不带值"
        return f"选项 {error.option_name} 后面缺少值"
    if isinstance(error, click.MissingParameter):
        return f"缺少{'选项' if isinstance(error.param, click.Option) else '参数'} {_hint(error)}"
    if isinstance(error, click.BadParameter):
        return f"{_hint(error)} 的值无效：{error.message}"
    return error.message


def _option(ctx: click.Context | None, name: str) -> click.Option | None:
    if ctx is None:
        return None
    found = [p for p in ctx.command.params if isinstance(p, click.Option) and name in (*p.opts, *p.secondary_opts)]
    return found[0] if found else None


def show(error: click.ClickException) -> None:
    """Print a usage error as govlint does: usage line, the sentence, where to find help (stderr)."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        names = ctx.command.get_help_option_names(ctx)
        if names:
            click.echo(f"运行 {ctx.command_path} {names[0]} 查看帮助。", err=True)
    click.echo(f"govlint：{message(error)}", err=True)
