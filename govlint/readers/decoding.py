"""Bytes → text for the plain-text formats: BOMs, UTF-8, GB18030/GBK, detected otherwise."""

from __future__ import annotations

import codecs

from govlint import patterns
from govlint.errors import ReadError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_CONTROL = patterns.compile("[\x00-\x08\x0b\x0e-\x1f]")
"""Control characters other than tab, newline, carriage return and form feed."""
REPLACEMENT = "\ufffd"
MOSTLY_UTF8_RATIO = 100
"""See `_mostly_utf8`."""
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "ZIP 压缩包（可能是 .docx）"),
    (b"\xd0\xcf\x11\xe0", "Word 97-2003 文档"),
)


def decode(data: bytes, source_path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises ReadError for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "-bom")
            except UnicodeDecodeError as error:
                raise ReadError(source_path, f"文件以 {encoding} 标记开头，但内容无法按该编码解码") from error
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ReadError(source_path, f"文件内容是{kind}，不是文本，请检查扩展名")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8" and (mended := _mostly_utf8(data)) is not None:
                return mended, encoding
            continue
        if _looks_binary(text):
            break
        return text, encoding
    from charset_normalizer import from_bytes  # slow to import; rarely needed

    best = from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        raise ReadError(source_path, "文件不是可识别编码的文本（可能是二进制文件或已损坏）")
    return str(best), best.encoding


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken bytes (a cut download, a damaged sector), each shown as U+FFFD.

    The broken bytes must be at most one per MOSTLY_UTF8_RATIO well-formed non-ASCII characters:
    text in another encoding (GBK) breaks at nearly every non-ASCII character.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count(REPLACEMENT)
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - broken
    if broken * MOSTLY_UTF8_RATIO > well_formed or _looks_binary(text):
        return None
    return text


def _looks_binary(text: str) -> bool:
    """Control characters other than tab/newline/form feed mark binary data."""
    sample = text[:65536]
    if not sample:
        return False
    controls = len(_BINARY_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 200)
