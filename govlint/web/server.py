"""Running the page: uvicorn on the chosen address, until Ctrl+C."""

from __future__ import annotations

import click
import uvicorn

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import Linter
from govlint.web.app import create_app
from govlint.web.uploads import Limits

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def run(linter: Linter, rules: dict[str, RuleSpec], host: str, port: int, max_bytes: int, max_files: int) -> None:
    """Serve the page; say where, in Chinese, and warn when other computers can reach it."""
    app = create_app(linter, rules, Limits(max_bytes=max_bytes, max_files=max_files))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"govlint：检查网页已启动，请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）", err=True)
    if host not in LOCAL_HOSTS:
        click.echo("govlint：注意，网页监听在本机以外的地址上，同一网络中的其他电脑也能打开并上传文件", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
