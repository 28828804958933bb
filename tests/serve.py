"""`govlint serve` started for a test: a free port, the server as a subprocess, and multipart
bodies built by hand (what a browser's form sends)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

STARTUP_SECONDS = 120
"""How long the server may take to answer at all before the fixture gives up (not a speed check)."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(*args: str, cwd: Path, temp: Path) -> Iterator[str]:
    """The base URL of `govlint serve ARGS` on a free port of 127.0.0.1, stopped afterwards;
    run in `cwd`, with `temp` as its temporary folder (TMPDIR)."""
    port = free_port()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TMPDIR": str(temp)}
    process = subprocess.Popen([sys.executable, "-m", "govlint", "serve", "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while get(url) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"govlint serve did not start: {process.communicate()[1]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _answer(status: int, headers: Message, body: bytes) -> Answer:
    return Answer(status, {key.lower(): value for key, value in headers.items()}, body.decode("utf-8"))


def get(url: str) -> Answer | None:
    """The answer to a GET, None while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return _answer(response.status, response.headers, response.read())
    except (ConnectionError, urllib.error.URLError):
        return None


def multipart(files: Sequence[tuple[str, bytes]]) -> tuple[str, bytes]:
    """(content type, body) of a form posting `files` in the field `files`."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, data in files:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    return f"multipart/form-data; boundary={boundary}", body + f"--{boundary}--\r\n".encode()


def post(url: str, files: Sequence[tuple[str, bytes]]) -> Answer:
    """The answer to posting files to the page's form."""
    content_type, body = multipart(files)
    request = urllib.request.Request(url + "check", data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return _answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.headers, error.read())
