"""Uploaded files, in memory only: the multipart body read within limits, .zip folders opened
within limits. An uploaded name is only ever a label (and its suffix picks the reader); it is
never used as a path, so a member called ../../x cannot reach the disk."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from govlint.readers import LEGACY_FORMATS, READERS, suffix_of

MEGABYTE = 1024 * 1024
FIELD = b"files"
"""The form field that carries the files."""
UTF8_NAMES = 0x800
"""Zip flag bit: member names are UTF-8 (otherwise they are in the packing system's code page)."""
ENCRYPTED = 0x1
DRAIN_FACTOR = 16
"""A body over the limit is still read (and dropped) up to this many times the limit, so that the
browser, still sending, gets the message instead of a broken connection."""


class UploadError(Exception):
    """An upload refused as a whole; the message is one Chinese sentence for the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold."""

    max_bytes: int
    max_files: int

    @property
    def max_unpacked(self) -> int:
        """Total size of a zip's members once unpacked (a small zip can unpack to gigabytes)."""
        return 4 * self.max_bytes

    def too_big(self) -> UploadError:
        return UploadError(f"上传的文件共超过 {self.max_bytes // MEGABYTE} MB，超出本网页的上限；"
                           "请分批上传，或在命令行用 govlint check 检查", 413)


@dataclass(frozen=True)
class Upload:
    """One file to check: a label for the page and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        """The name's suffix, lower case ("" when there is none)."""
        return suffix_of(self.name).lower()


@dataclass
class Received:
    """What one upload held: the files to check and how many zip members were passed over."""

    files: list[Upload] = field(default_factory=list)
    skipped: int = 0

    def add(self, upload: Upload, limits: Limits) -> None:
        """One more file to check; refused past the count limit (a zip may hold thousands)."""
        if len(self.files) >= limits.max_files:
            raise UploadError(f"一次最多检查 {limits.max_files} 个文件，这次收到的更多；请分批上传", 413)
        self.files.append(upload)


def _printable(name: str) -> str:
    """A name without control characters, with forward slashes."""
    return "".join(c for c in name if unicodedata.category(c)[0] != "C").replace("\\", "/")


def label(name: str) -> str:
    """A name fit to show: the last component of what the browser sent, printable."""
    return _printable(name).rsplit("/", 1)[-1].strip() or "未命名文件"


class _Parts:
    """python-multipart callbacks collecting the file parts of the body into memory."""

    def __init__(self) -> None:
        self.files: list[Upload] = []
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._data = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._begin, "on_part_data": self._part_data, "on_part_end": self._end,
            "on_header_field": self._field, "on_header_value": self._value, "on_header_end": self._header_end,
        }

    def _begin(self) -> None:
        self._headers, self._data = {}, bytearray()

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]

    def _end(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if options.get(b"name") == FIELD and options.get(b"filename"):
            name = label(options[b"filename"].decode("utf-8", errors="replace"))
            self.files.append(Upload(name, bytes(self._data)))


async def receive(content_type: str, body: AsyncIterator[bytes], limits: Limits) -> Received:
    """The files of a multipart/form-data body, zips opened; refused past the limits."""
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadError("请在网页上选择文件后再点“检查”")
    parts = _Parts()
    parser = MultipartParser(options[b"boundary"], parts.callbacks())  # type: ignore[arg-type]
    size = 0
    async for chunk in body:
        size += len(chunk)
        if size > DRAIN_FACTOR * limits.max_bytes:
            break
        if size <= limits.max_bytes:
            parser.write(chunk)
    if size > limits.max_bytes:
        raise limits.too_big()
    parser.finalize()
    received = Received()
    for upload in parts.files:
        if upload.suffix == ".zip":
            _unpack(upload, limits, received)
        else:
            received.add(upload, limits)
    if not received.files:
        raise UploadError("没有收到可检查的文件：请选择 .docx .pdf .html .txt .md 文件，或装有这些文件的 .zip 压缩包")
    return received


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its packer wrote it: names not flagged UTF-8 are in the packing
    system's code page (GBK on Chinese Windows), which zipfile reads as cp437."""
    if info.flag_bits & UTF8_NAMES:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unpack(upload: Upload, limits: Limits, received: Received) -> None:
    """The report files of a zip, each labelled 压缩包/路径; others counted as skipped."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadError(f"“{upload.name}”不是有效的 zip 压缩包，无法打开") from error
    budget = limits.max_unpacked
    for member in members:
        parts = [p for p in _printable(_member_name(member)).split("/") if p.strip() not in ("", ".", "..")]
        path = "/".join(parts)
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue  # the packer's own files (.DS_Store, __MACOSX/…), not the clerk's
        suffix = suffix_of(path).lower()
        if suffix not in READERS and suffix not in LEGACY_FORMATS:
            received.skipped += 1
            continue
        if member.flag_bits & ENCRYPTED:
            raise UploadError(f"压缩包“{upload.name}”中的“{path}”设有密码，请解压后直接上传该文件")
        if member.file_size > budget:
            raise _unpacked_too_big(upload, limits)
        with archive.open(member) as stream:
            data = stream.read(budget + 1)  # the header's size is not trusted
        if len(data) > budget:
            raise _unpacked_too_big(upload, limits)
        budget -= len(data)
        received.add(Upload(f"{upload.name}/{path}", data), limits)


def _unpacked_too_big(upload: Upload, limits: Limits) -> UploadError:
    return UploadError(f"压缩包“{upload.name}”解压后超过 {limits.max_unpacked // MEGABYTE} MB，超出本网页的上限；"
                       "请分批上传", 413)
