"""The web page for clerks: choose or drop report files, see the report `--format html` gives,
download the findings (JSON) and the figures (Excel). Nothing is written to disk, no name the
browser sends is used as a path, and the page may load nothing from anywhere."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from govlint.engine.files import lint_bytes
from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult, Linter
from govlint.render import html, json, xlsx
from govlint.web.uploads import MEGABYTE, Limits, Received, UploadError, receive

ACCEPTED = (".docx", ".pdf", ".html", ".htm", ".txt", ".md", ".zip")
JSON_TYPE = "application/json;charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def policy(nonce: str) -> str:
    """The Content-Security-Policy: nothing but the page's own style element, no script, no
    resource from anywhere; the form posts back here only."""
    return (f"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")


def _page(body: str, nonce: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={
        "Content-Security-Policy": policy(nonce), "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
    })


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("govlint.web", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _notes(received: Received) -> list[str]:
    if not received.skipped:
        return []
    return [f"压缩包中有 {received.skipped} 个文件不是支持的报告格式（.docx .pdf .html .txt .md），已跳过"]


class Checker:
    """The page's two answers: the upload form, and the report for what was uploaded."""

    def __init__(self, linter: Linter, rules: dict[str, RuleSpec], limits: Limits) -> None:
        self.linter = linter
        self.rules = rules
        self.limits = limits

    def form(self, nonce: str, error: str | None = None, status: int = 200) -> HTMLResponse:
        page = _environment().get_template("upload.html").render(
            nonce=nonce, error=error, accepted=",".join(ACCEPTED),
            max_mb=self.limits.max_bytes // MEGABYTE, max_files=self.limits.max_files)
        return _page(page, nonce, status)

    async def index(self, request: Request) -> Response:
        return self.form(secrets.token_urlsafe(16))

    async def check(self, request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        try:
            received = await receive(request.headers.get("content-type", ""), request.stream(), self.limits)
        except UploadError as error:
            return self.form(nonce, error.message, error.status)
        results = await run_in_threadpool(self._lint, received)
        return _page(self._report(results, received, nonce), nonce)

    def _lint(self, received: Received) -> list[FileResult]:
        results = [lint_bytes(self.linter, f.data, f.name, None) for f in received.files]
        self.linter.check_pairs(results)
        return results

    def _report(self, results: Sequence[FileResult], received: Received, nonce: str) -> str:
        links = [
            html.Link("← 检查其他文件", "/"),
            html.Link("下载检查结果（JSON）", _data_uri(JSON_TYPE, json.render(results, self.rules).encode("utf-8")),
                      "govlint-检查结果.json"),
            html.Link("下载表格数字（Excel）", _data_uri(XLSX_TYPE, xlsx.workbook(results)), "govlint-汇总.xlsx"),
        ]
        return html.render(results, self.rules, links=links, notes=_notes(received), style_nonce=nonce)


def create_app(linter: Linter, rules: dict[str, RuleSpec], limits: Limits) -> Starlette:
    """The ASGI application."""
    checker = Checker(linter, rules, limits)
    return Starlette(routes=[
        Route("/", checker.index, methods=["GET"]),
        Route("/check", checker.check, methods=["POST"]),
    ])
