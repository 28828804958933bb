"""Tests of the PDF reader: the real corpus PDFs against their truth, hand-built PDFs, hostile files."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import random
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from govlint.document import Document, Paragraph, Table
from govlint.errors import ReadError
from govlint.readers import read_bytes
from govlint.readers.pdf import read
from tests.conftest import CORPUS, TABLE3_LABELS, assert_positions, truth_of

PDF_NAMES = ("hongze-2023", "hongze-2024", "huaian-2024")

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

TABLE3_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
    "total",
)
TABLE4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
TABLE4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
TABLE2_LABELS = {
    "rules": "规章",
    "normative_docs": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
}
TABLE2_COLUMNS = {
    "rules": ("issued", "repealed", "in_force"),
    "normative_docs": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
PAGE_NUMBER = re.compile(r"[-－—–]*\d+[-－—–]*|第\d+页(?:共\d+页)?|\d+/\d+")
LABEL_SIMILARITY = 0.8
"""Source typos (hongze: 2.其他法律行政止公开) are tolerated by fuzzy matching of the label tail."""


# --- helpers -------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace, with `1、` ordinals written `1.` as in the templates."""
    return re.sub(r"(\d)[、．]", r"\1.", "".join(text.split()))


def tables(doc: Document) -> list[Table]:
    """The table blocks of a document."""
    return [block for block in doc.blocks if isinstance(block, Table)]


def paragraphs(doc: Document) -> list[Paragraph]:
    """The paragraph blocks of a document."""
    return [block for block in doc.blocks if isinstance(block, Paragraph)]


def numbers(texts: list[str]) -> list[float]:
    """The cells that hold a plain number, as numbers, in order."""
    return [float(text.replace(",", "")) for text in texts if NUMBER.fullmatch(text)]


def label_of(texts: list[str]) -> str:
    """The squashed text of a row's non-number cells (group labels first)."""
    return squash("".join(text for text in texts if not NUMBER.fullmatch(text)))


def label_matches(label: str, row_label: str) -> bool:
    """The row carries the label, exactly or (for source typos) nearly, at its end."""
    label = squash(label)
    if label in row_label:
        return True
    tail = row_label[-len(label) :]
    return difflib.SequenceMatcher(None, label, tail).ratio() >= LABEL_SIMILARITY


def all_rows(doc: Document) -> list[list[str]]:
    """The cell texts of every table row in the document."""
    return [[cell.text for cell in row] for table in tables(doc) for row in table.rows]


# --- hand-built PDFs -----------------------------------------------------------------------

FONT = (
    (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
     b" /DescendantFonts [4 0 R] >>"),
    (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe)"
     b" /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>"),
    (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
     b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"),
)
"""A non-embedded Adobe-GB1 font: pdfminer maps its UCS-2 codes back to Unicode."""


def make_pdf(contents: list[bytes], trailer: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A minimal A4 PDF with one page per content stream; `extra` objects are numbered 6, 7, …"""
    objects: dict[int, bytes] = {3: FONT[0], 4: FONT[1], 5: FONT[2]}
    objects.update({6 + index: body for index, body in enumerate(extra)})
    kids = []
    first = 6 + len(extra)
    for index, content in enumerate(contents):
        page, stream = first + 2 * index, first + 2 * index + 1
        kids.append(b"%d 0 R" % page)
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % stream
        )
        objects[stream] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref, size = out.tell(), max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref))
    return out.getvalue()


def text(x: float, y: float, value: str) -> bytes:
    """Draw `value` at (x, y) in 12 pt (PDF coordinates: y grows upwards)."""
    return b"BT /F1 12 Tf %g %g Td <%s> Tj ET\n" % (x, y, value.encode("utf-16-be").hex().encode())


def rule(x0: float, y0: float, x1: float, y1: float) -> bytes:
    """Stroke one line segment."""
    return b"%g %g m %g %g l S\n" % (x0, y0, x1, y1)


def grid(xs: tuple[float, ...], ys: tuple[float, ...], top: float, bottom: float) -> bytes:
    """Vertical rules at `xs` from `top` to `bottom`, horizontal rules at `ys` across them."""
    return b"".join(rule(x, top, x, bottom) for x in xs) + b"".join(rule(xs[0], y, xs[-1], y) for y in ys)


RUNNING_HEADER = "某某县人民政府办公室"
COLUMNS = (72.0, 300.0, 520.0)


def furnished_pdf() -> bytes:
    """Three pages: a running header, page numbers in several forms, and a table cut by a page break.

    The table's bottom border is missing on page 1 and its top border on page 2 (as Word draws a
    table that runs off the page); page 2 repeats the header row and finishes the split row 乙.
    """
    page1 = (
        text(72, 815, RUNNING_HEADER)
        + text(72, 700, "一、总体情况 2023 年")
        + text(72, 670, "政府 信息")
        + grid(COLUMNS, (400, 370, 340), 400, 100)
        + text(80, 380, "项目")
        + text(310, 380, "数量")
        + text(80, 350, "甲")
        + text(310, 350, "1")
        + text(80, 320, "乙")
        + text(280, 30, "— 1 —")
    )
    page2 = (
        text(72, 815, RUNNING_HEADER)
        + grid(COLUMNS, (750, 720, 690), 780, 690)
        + text(80, 760, "项目")
        + text(310, 760, "数量")
        + text(310, 730, "2")
        + text(80, 700, "丙")
        + text(310, 700, "3")
        + text(72, 600, "二、其他情况")
        + text(250, 30, "第 2 页 共 3 页")
    )
    page3 = (
        text(72, 815, RUNNING_HEADER)
        + text(72, 700, "三、结尾")
        + text(72, 670, "95")
        + text(72, 640, "- 3 -")
        + text(290, 30, "3")
    )
    return make_pdf([page1, page2, page3])


PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4, for the standard security handler."""
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes, owner_password: bytes) -> bytes:
    """A one-page PDF encrypted with the 40-bit standard security handler (revision 2)."""
    file_id, permissions = hashlib.md5(b"govlint").digest(), -4
    padded_user, padded_owner = (user_password + PADDING)[:32], (owner_password + PADDING)[:32]
    owner = rc4(hashlib.md5(padded_owner).digest()[:5], padded_user)
    key = hashlib.md5(padded_user + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = rc4(key, PADDING)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        user.hex().encode(),
        permissions,
    )
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    return make_pdf([rule(72, 72, 300, 300)], trailer=trailer, extra=(encrypt,))


# --- the corpus ----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=PDF_NAMES)
def corpus(request: pytest.FixtureRequest,
           document: Callable[[Path], Document]) -> tuple[str, Document, dict[str, Any]]:
    """(name, document, truth) for each corpus PDF, read once per session."""
    name: str = request.param
    path = CORPUS / f"{name}.pdf"
    return name, document(path), truth_of(path)


def test_headings_are_paragraphs_in_order(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, _ = corpus
    texts = [squash(p.text) for p in paragraphs(doc)]
    positions = [texts.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)


def test_no_page_number_paragraphs(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, _ = corpus
    assert not [p.text for p in paragraphs(doc) if PAGE_NUMBER.fullmatch(squash(p.text))]


def test_no_spaces_between_cjk(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, _ = corpus
    wide = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    assert not [line for line in doc.lines if re.search(rf"{wide} +{wide}", line)]


def test_table3_rows_carry_label_and_truth(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, truth = corpus
    rows = [(label_of(row), numbers(row)) for row in all_rows(doc)]
    missing = []
    for key, values in truth["table3"].items():
        expected = [float(values[column]) for column in TABLE3_COLUMNS]
        if not any(found == expected and label_matches(TABLE3_LABELS[key], label) for label, found in rows):
            missing.append(key)
    assert missing == []


def test_table4_numbers_in_order(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, truth = corpus
    expected = [float(truth["table4"][block][column]) for block in TABLE4_BLOCKS for column in TABLE4_COLUMNS]
    runs = [numbers([cell.text for row in table.rows for cell in row]) for table in tables(doc)]
    width = len(expected)
    assert any(run[i : i + width] == expected for run in runs for i in range(len(run) - width + 1))


def test_table2_rows_carry_label_and_truth(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, truth = corpus
    rows = [(label_of(row), numbers(row)) for row in all_rows(doc)]
    for key, values in truth["table2"].items():
        expected = [float(values[column]) for column in TABLE2_COLUMNS[key]]
        assert (TABLE2_LABELS[key], expected) in rows, key


def test_table3_is_one_table_across_pages(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, _ = corpus
    holding = [
        table
        for table in tables(doc)
        if {squash(TABLE3_LABELS["new_received"]), squash(TABLE3_LABELS["carried_forward"])}
        <= {squash(cell.text) for row in table.rows for cell in row}
    ]
    assert len(holding) == 1


def test_positions_point_at_text(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    _, doc, _ = corpus
    assert_positions(doc)
    assert all(doc.lines[b.line - 1] == b.text for b in doc.blocks if isinstance(b, Paragraph))


def test_source_is_pdf(corpus: tuple[str, Document, dict[str, Any]]) -> None:
    name, doc, _ = corpus
    assert (doc.source.path, doc.source.format) == (str(CORPUS / f"{name}.pdf"), "pdf")


# --- page furniture and tables across pages (hand-built) ------------------------------------


@pytest.fixture(scope="module")
def furnished() -> Document:
    """The hand-built three-page PDF, read through the reader registry."""
    return read_bytes(furnished_pdf(), "furnished.pdf", ".pdf")


def test_headers_and_page_numbers_dropped(furnished: Document) -> None:
    assert [p.text for p in paragraphs(furnished)] == [
        "一、总体情况 2023 年",
        "政府信息",
        "二、其他情况",
        "三、结尾",
        "95",
    ]


def test_table_cut_by_page_break_is_one_table(furnished: Document) -> None:
    assert [type(block).__name__ for block in furnished.blocks] == [
        "Paragraph",
        "Paragraph",
        "Table",
        "Paragraph",
        "Paragraph",
        "Paragraph",
    ]
    (table,) = tables(furnished)
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["项目", "数量"],
        ["甲", "1"],
        ["乙", ""],
        ["", "2"],
        ["丙", "3"],
    ]


# --- hostile files -------------------------------------------------------------------------

NOT_PDF = "文件不是有效的 PDF，可能已损坏"


def test_random_bytes() -> None:
    with pytest.raises(ReadError) as error:
        read(random.Random(0).randbytes(200_000), "random.pdf")
    assert error.value.message == NOT_PDF


def test_random_bytes_behind_a_pdf_header() -> None:
    with pytest.raises(ReadError) as error:
        read(b"%PDF-1.7\n" + random.Random(1).randbytes(200_000), "noise.pdf")
    assert error.value.message == NOT_PDF


def test_truncated_pdf() -> None:
    data = (CORPUS / "huaian-2024.pdf").read_bytes()[:20_000]
    with pytest.raises(ReadError) as error:
        read(data, "truncated.pdf")
    assert error.value.message == NOT_PDF


def test_png_renamed_pdf() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + random.Random(2).randbytes(5_000)
    with pytest.raises(ReadError) as error:
        read(png, "picture.pdf")
    assert error.value.message == NOT_PDF


def test_encrypted_pdf() -> None:
    data = encrypted_pdf(b"secret", b"owner")
    with pdfplumber.open(io.BytesIO(data), password="secret") as pdf:  # genuinely encrypted, not broken
        assert len(pdf.pages) == 1
    with pytest.raises(ReadError) as error:
        read(data, "locked.pdf")
    assert error.value.message == "PDF 已加密，需要密码才能读取"


def test_pdf_without_text() -> None:
    with pytest.raises(ReadError) as error:
        read(make_pdf([rule(72, 72, 300, 300) + b"0 0 100 100 re f\n"]), "scan.pdf")
    assert error.value.message.startswith("PDF 中没有可提取的文字")


SCANNED = "PDF 是扫描件，没有可读取的文字；请提供 Word 原件或可复制文字的 PDF"
INLINE_IMAGE = b"q 500 0 0 700 40 60 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n"
"""A full-page picture drawn inline, as scanners write their pages."""


def test_pages_of_pictures_are_a_scan() -> None:
    with pytest.raises(ReadError) as error:
        read(make_pdf([INLINE_IMAGE] * 3), "scan.pdf")
    assert error.value.message == SCANNED


def test_a_picture_with_a_stamp_is_still_a_scan() -> None:
    with pytest.raises(ReadError) as error:
        read(make_pdf([INLINE_IMAGE + text(380, 810, "由扫描应用创建")]), "scan.pdf")
    assert error.value.message == SCANNED


def test_text_beside_pictures_reads() -> None:
    body = b"".join(text(72, 700 - 20 * line, "本机关2023年政府信息公开工作年度报告总体情况") for line in range(3))
    document = read(make_pdf([INLINE_IMAGE + body]), "logo.pdf")
    assert [block.text for block in paragraphs(document)] == ["本机关2023年政府信息公开工作年度报告总体情况"] * 3


def test_too_many_pages() -> None:
    with pytest.raises(ReadError) as error:
        read(make_pdf([text(72, 700, "一")] * 501), "huge.pdf")
    assert "500" in error.value.message


def test_page_ruled_into_a_dense_grid() -> None:
    xs = tuple(50.0 + 5 * i for i in range(101))
    ys = tuple(50.0 + 7 * i for i in range(101))
    with pytest.raises(ReadError) as error:
        read(make_pdf([grid(xs, ys, ys[-1], ys[0]) + text(60, 60, "一")]), "dense.pdf")
    assert "第 1 页" in error.value.message


@pytest.mark.parametrize("seed", range(6))
def test_damaged_pdf_reads_or_refuses(seed: int) -> None:
    """Bytes overwritten at random: a Document or a ReadError, never another exception."""
    rng = random.Random(seed)
    data = bytearray((CORPUS / "hongze-2024.pdf").read_bytes())
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    with contextlib.suppress(ReadError):
        read(bytes(data), "damaged.pdf")
