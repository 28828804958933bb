"""Running the page: uvicorn on the chosen address, until Ctrl+C."""

from __future__ import annotations

import socket

import click
import uvicorn

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import Linter
from govlint.web.app import create_app
from govlint.web.uploads import Limits

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def run(linter: Linter, rules: dict[str, RuleSpec], host: str, port: int, max_bytes: int, max_files: int) -> None:
    """Serve the page; say where, in Chinese, and warn when other computers can reach it.
    OSError when the address cannot be listened on (the port is taken, say)."""
    _probe(host, port)
    app = create_app(linter, rules, Limits(max_bytes=max_bytes, max_files=max_files))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"govlint：检查网页已启动，请在浏览器中打开 http://{shown}:{port}/ （按 Ctrl+C 停止）", err=True)
    if host not in LOCAL_HOSTS:
        click.echo("govlint：注意，网页监听在本机以外的地址上，同一网络中的其他电脑也能打开并上传文件", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)


def _probe(host: str, port: int) -> None:
    """Bind the address once, as uvicorn will, so that a taken port is told before it starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
