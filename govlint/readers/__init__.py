"""Readers: bytes of one input file → `Document`. One module per input format.

Each reader module exposes `read(data: bytes, source_path: str) -> Document` and raises
`ReadError` (one Chinese sentence) for input it cannot read. Modules are imported lazily so
that a plain-text check never pays for the PDF or Word libraries.
"""

from __future__ import annotations

import codecs
import importlib
import os
import stat
from typing import TYPE_CHECKING

from govlint.errors import ReadError

if TYPE_CHECKING:
    from govlint.document import Document

READERS: dict[str, str] = {
    ".txt": "govlint.readers.text",
    ".md": "govlint.readers.markdown",
    ".markdown": "govlint.readers.markdown",
    ".html": "govlint.readers.html",
    ".htm": "govlint.readers.html",
    ".docx": "govlint.readers.docx",
    ".pdf": "govlint.readers.pdf",
}
"""File suffix → reader module."""

LEGACY_FORMATS: dict[str, str] = {
    ".doc": "Word 97-2003 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
}
"""Formats that are reports but must be re-saved; the message tells the clerk how."""

MAX_BYTES = 64 * 1024 * 1024
"""Larger inputs are refused: no annual report comes near this size."""


def read_bytes(data: bytes, source_path: str, suffix: str) -> Document:
    """Read already-loaded bytes with the reader for `suffix` (standard input uses this)."""
    suffix = suffix.lower()
    if suffix in LEGACY_FORMATS:
        raise ReadError(source_path, f"不支持{LEGACY_FORMATS[suffix]}，请在 Word 或 WPS 中另存为 .docx 后再检查")
    module_name = READERS.get(suffix)
    if module_name is None:
        raise ReadError(source_path, f"不支持的文件类型“{suffix or '无扩展名'}”，支持 .txt .md .html .htm .docx .pdf")
    if not data.strip():
        raise ReadError(source_path, "文件为空，没有可检查的内容")
    if len(data) > MAX_BYTES:
        raise ReadError(source_path, f"文件过大（{len(data) // 1048576} MB），超过 {MAX_BYTES // 1048576} MB 上限")
    module = importlib.import_module(sniff(data, suffix) or module_name)
    document: Document = module.read(data, source_path)
    return document


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", READERS[".pdf"]),
    (b"PK\x03\x04", READERS[".docx"]),  # a Word package is a ZIP file
    (b"\xd0\xcf\x11\xe0", READERS[".docx"]),  # OLE: legacy .doc or encrypted .docx, which that reader names
)
"""Leading bytes that identify a binary format whatever the file is called (standard input too)."""

_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_HTML_TAGS = ("!doctype html", "html", "head", "script", "iframe", "h1", "div", "font", "table", "a", "style",
              "title", "b", "body", "br", "p", "meta")
"""Tags whose opening marks a web page (the WHATWG MIME Sniffing standard's HTML signatures, plus
`<meta>`, which crawlers write first); comments and `<?xml …?>` before them are skipped."""
_HTML_START = rf"<(?:{'|'.join(_HTML_TAGS)})[\s>/]"
_SNIFF_BYTES = 1024


def sniff(data: bytes, suffix: str) -> str | None:
    """The reader module the content itself calls for, when it overrides the name: PDF, Word and
    ZIP files by their signature, and HTML pages saved or piped under a plain-text name."""
    head = data[:_SNIFF_BYTES].lstrip(b" \t\r\n\f\x00")
    for signature, module_name in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return module_name
    if suffix in _TEXT_SUFFIXES and _is_html(head):
        return READERS[".html"]
    return None


def _is_html(head: bytes) -> bool:
    """Whether the first bytes of a text file open a web page (in any ASCII-compatible encoding).
    (The patterns are imported here: a run whose every file is cached loads no regular expression.)"""
    from govlint import patterns

    encoding = "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "latin-1"
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff\u00ef\u00bb\u00bf \t\r\n\f").lower()
    while text.startswith(("<!--", "<?")):
        _, closed, text = text.partition("-->" if text.startswith("<!--") else "?>")
        if not closed:
            return False
        text = text.lstrip()
    return patterns.compile(_HTML_START).match(text) is not None


def suffix_of(name: str) -> str:
    """A file name's suffix as pathlib gives it (`.txt`; none for `.bashrc` or `report.`), found
    without making a Path: Python 3.11's pathlib interns every part of every path it parses for the
    rest of the process, which in a batch of a province's files is memory that never comes back."""
    base = os.path.basename(name)
    dot = base.rfind(".")
    return base[dot:] if 0 < dot < len(base) - 1 else ""


def read_path(path: str | os.PathLike[str]) -> Document:
    """Read one file from disk (never modified) into a `Document`."""
    name = os.fspath(path)
    return read_bytes(load_path(name), name, suffix_of(name))


def load_path(name: str) -> bytes:
    """The bytes of one file on disk, refused with a reason when it is no file or too large."""
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(name, "这是一个目录，不是文件")
        if info.st_size > MAX_BYTES:
            raise ReadError(name, f"文件过大（{info.st_size // 1048576} MB），超过 {MAX_BYTES // 1048576} MB 上限")
        with open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, NotADirectoryError) as error:
        raise ReadError(name, "文件不存在") from error
    except OSError as error:
        raise ReadError(name, f"无法读取文件（{error.strerror or error}）") from error
    return data
