"""Numbers drawn in a PDF's page content, read and rewritten in the bytes themselves.

A number here is a text object (BT … ET) whose whole text is ASCII digits, as a word processor
draws a table cell: the text of its show operators (Tj, TJ, ' and ") decoded through each
font's ToUnicode CMap. Rewriting one swaps glyph codes for the codes the same font maps to other
digits, never the number of digits: digits of one font share an advance width, so nothing on the
page moves, and the embedded (subset) fonts stay as they are. A digit missing from a font's
subset cannot be drawn; `Number.digits` says which can. Fonts without a ToUnicode CMap decode to
nothing, so what they draw is never taken for a number.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

import pikepdf
from pdfminer.cmapdb import CMapParser, FileUnicodeMap

DIGITS = "0123456789"
_SHOWS = {"Tj", "TJ", "'", '"'}
"""Text-showing operators; what they show is their last operand."""


@dataclass(frozen=True)
class Font:
    """How one font's glyph codes read: their width in bytes and the text each code stands for."""

    width: int
    text: Mapping[int, str]

    @cached_property
    def codes(self) -> dict[str, int]:
        """The code of each digit the font can draw (the first one, where several map to it)."""
        found: dict[str, int] = {}
        for code, text in sorted(self.text.items()):
            if text in DIGITS and text not in found:
                found[text] = code
        return found


@dataclass(frozen=True)
class Glyph:
    """One drawn digit: the content instruction, the string among its operands, the code's offset."""

    page: int
    instruction: int
    string: int | None
    """Index in a TJ array, `None` for the operand string of Tj, ' and "."""
    offset: int
    font: Font


@dataclass(frozen=True)
class Number:
    """A text object that draws nothing but a number."""

    text: str
    glyphs: tuple[Glyph, ...]

    @property
    def digits(self) -> str:
        """The digits every glyph of this number could be redrawn as."""
        return "".join(d for d in DIGITS if all(d in glyph.font.codes for glyph in self.glyphs))


def numbers(data: bytes) -> list[Number]:
    """Every number the PDF draws, in content-stream order page by page."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return _numbers(pdf, [pikepdf.parse_content_stream(page) for page in pdf.pages])


def rewritten(data: bytes, changes: Mapping[int, str]) -> bytes:
    """The PDF with number `i` (an index into `numbers(data)`) drawn as `changes[i]`, same length."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [pikepdf.parse_content_stream(page) for page in pdf.pages]
        found = _numbers(pdf, pages)
        touched: set[int] = set()
        for index, text in changes.items():
            number = found[index]
            assert len(text) == len(number.text), f"{number.text} → {text}: a number keeps its digits"
            for glyph, digit in zip(number.glyphs, text):
                _redraw(pages[glyph.page], glyph, glyph.font.codes[digit])
                touched.add(glyph.page)
        for index in touched:
            pdf.pages[index].Contents = pdf.make_stream(pikepdf.unparse_content_stream(pages[index]))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _numbers(pdf: pikepdf.Pdf, pages: list[list[pikepdf.ContentStreamInstruction]]) -> list[Number]:
    return [number for index, page in enumerate(pdf.pages) for number in _page_numbers(index, page, pages[index])]


def _redraw(instructions: list[pikepdf.ContentStreamInstruction], glyph: Glyph, code: int) -> None:
    """Put `code` in place of the glyph's code in its show operator."""
    instruction = instructions[glyph.instruction]
    operands = list(instruction.operands)
    shown = operands[-1]
    strings = list(shown) if glyph.string is not None else [shown]
    at = glyph.string or 0
    raw = bytearray(bytes(strings[at]))
    raw[glyph.offset:glyph.offset + glyph.font.width] = code.to_bytes(glyph.font.width, "big")
    strings[at] = pikepdf.String(bytes(raw))
    operands[-1] = pikepdf.Array(strings) if glyph.string is not None else strings[0]
    instructions[glyph.instruction] = pikepdf.ContentStreamInstruction(operands, instruction.operator)


def _page_numbers(page_index: int, page: pikepdf.Page,
                  instructions: list[pikepdf.ContentStreamInstruction]) -> Iterator[Number]:
    """The numbers among the text objects of one page's content stream."""
    fonts = page.Resources.get("/Font", pikepdf.Dictionary())
    font: Font | None = None
    saved: list[Font | None] = []
    text: list[tuple[str, Glyph]] = []
    for position, instruction in enumerate(instructions):
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(font)
        elif operator == "Q" and saved:
            font = saved.pop()
        elif operator == "Tf":
            font = _font(fonts.get(str(instruction.operands[0])))
        elif operator == "BT":
            text = []
        elif operator in _SHOWS and font is not None:
            text.extend(_shown(page_index, position, instruction.operands[-1], font))
        elif operator == "ET":
            number = "".join(t for t, _ in text).strip()
            if number.isascii() and number.isdigit():
                yield Number(text=number, glyphs=tuple(g for t, g in text if t in DIGITS))


def _shown(page: int, instruction: int, operand: pikepdf.Object, font: Font) -> Iterator[tuple[str, Glyph]]:
    """The text of one show operand, a glyph at a time (TJ's spacing numbers show nothing)."""
    strings = [(i, s) for i, s in enumerate(operand) if isinstance(s, pikepdf.String)] \
        if isinstance(operand, pikepdf.Array) else [(None, operand)]
    for string, value in strings:
        raw = bytes(value)
        for offset in range(0, len(raw) - font.width + 1, font.width):
            code = int.from_bytes(raw[offset:offset + font.width], "big")
            yield font.text.get(code, "\ufffd"), Glyph(page, instruction, string, offset, font)


@cache
def _parsed_cmap(data: bytes) -> dict[int, str]:
    cmap = FileUnicodeMap()
    CMapParser(cmap, io.BytesIO(data)).run()
    return dict(cmap.cid2unichr)


def _font(resource: pikepdf.Object | None) -> Font | None:
    """The font a Tf selects, read through its ToUnicode CMap (composite fonts: two-byte codes)."""
    if resource is None or "/ToUnicode" not in resource:
        return None
    width = 2 if resource.get("/Subtype") == "/Type0" else 1
    return Font(width=width, text=_parsed_cmap(resource.ToUnicode.read_bytes()))
