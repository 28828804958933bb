"""Fuzzing: mutated real reports in every format, read, built and checked in-process.

Every input is a real report (samples/, tests/fixtures/corpus/) changed by a few random
mutations: bytes flipped, spans deleted, duplicated or cut, random bytes or hostile tokens
(huge digit runs, control characters, markup) inserted. Word files are mutated inside the
package (word/document.xml), PDFs byte by byte; now and then an input is given the suffix of
another format, or none (standard input). Each input must either read or be refused with a
`ReadError` (P001); an exception, a rule failure (P999) or an input that takes longer than the
time budget is a crash: its traceback goes to the log and the input to the crash folder.

Usage: nice -n 10 python benchmarks/fuzz.py [-n COUNT] [--seed SEED] [--crashes DIR] [--budget S]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import logging
import random
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import lxml.etree

from govlint.engine.config import Settings
from govlint.engine.loader import load_rules
from govlint.engine.runner import INTERNAL_ERROR_CODE, Linter
from govlint.errors import ReadError
from govlint.readers import read_bytes
from govlint.report.builder import build_report

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "samples").glob("*.txt"),
                  *(p for p in (ROOT / "tests" / "fixtures" / "corpus").iterdir()
                    if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))])
"""The real reports every input is made from."""

SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf", "")
"""Suffixes an input may be given ("" is standard input without a name)."""

TOKENS: tuple[bytes, ...] = (
    b"9" * 400, b"9" * 4301, b"9" * 20 + b".5",
    "共".encode() + b"9" * 400 + "条，其中主动公开3条、依申请公开4条。".encode(),
    b"0.5", b"-3", "１２".encode(), b"1,234", "（其中5件）".encode(), b"\t", b"\t\t", b"|", b"| --- |", b"\n", b"\r",
    b"\x00", b"\x0b", b"\x0c", b"\x1f", "\ufffe".encode(), b"\xff\xfe", b"\xef\xbb\xbf", b"<script></script>\x0b",
    b"<style>p{}</style>\x01", b"<table><tr><td>", b"</td></tr></table>", b'<td colspan="99999" rowspan="99999">',
    b"<br>", b"<p>", "一、总体情况".encode(), "三、收到和处理政府信息公开申请情况".encode(), "（七）总计".encode(),
    "四、结转下年度继续办理".encode(), "2023年1月1日至2023年12月31日".encode(), "二〇二三年十二月三十一日".encode(),
    "九万万万万万万万万".encode(), b"<w:p/>", b"</w:tc>", b"<w:tbl>", b'<w:gridSpan w:val="99999999"/>', b"</w:body>",
    b'<w:vMerge w:val="continue"/>', b"obj", b"endobj", b"stream", b"/Length 999999999", b"xref", b"%%EOF",
)
"""Inserted whole: the shapes that broke readers, claims and identities before."""

MAX_SPAN = 2000
"""Longest span deleted or duplicated by one mutation."""


Sources = dict[str, list[bytes]]
"""Suffix → the bytes of every source report of that format."""

WEIGHTS = {".txt": 0.4, ".md": 0.25, ".html": 0.3, ".docx": 0.03, ".pdf": 0.02}
"""Share of inputs made from each format: Word and PDF inputs take 10 to 50 times longer to check."""

WINDOWS = 0.85
"""Share of text inputs cut to a window of the report (an eighth to a half): cheaper to check,
and every part of the report gets its turn at the start and the end of an input."""


def mutate_bytes(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """`data` changed by `rounds` random mutations."""
    out = bytearray(data)
    for _ in range(rounds):
        at = rng.randrange(len(out) + 1)
        span = rng.randint(1, MAX_SPAN)
        operation = rng.randrange(6)
        if operation == 0 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif operation == 1:
            del out[at:at + span]
        elif operation == 2:
            out[at:at] = rng.randbytes(rng.randint(1, 40))
        elif operation == 3:
            out[at:at] = rng.choice(TOKENS)
        elif operation == 4:
            out[at:at] = out[at:at + span]
        elif rng.random() < 0.2:  # cut short (rarely: it ends most inputs early)
            del out[at:]
    return bytes(out)


def mutate_docx(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """A Word package whose document.xml is mutated: mostly its element tree (so that most mutants
    are still well-formed and reach the reader's layout code), sometimes its bytes; now and then
    the package's own bytes."""
    if rng.random() < 0.1:
        return mutate_bytes(data, rng, rounds)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                content = mutate_bytes(content, rng, rounds) if rng.random() < 0.2 else mutate_xml(content, rng, rounds)
            target.writestr(member.filename, content)
    return buffer.getvalue()


WORD_ATTRIBUTES = ("gridSpan", "vMerge", "hMerge", "gridBefore", "val")
"""Attributes of Word's table layout that a mutant sets to junk."""


def mutate_xml(content: bytes, rng: random.Random, rounds: int) -> bytes:
    """An XML part with elements deleted, duplicated or moved, texts replaced, attributes junked."""
    root = lxml.etree.fromstring(content)
    elements = list(root.iter())
    for _ in range(rounds):
        element = rng.choice(elements)
        parent = element.getparent()
        operation = rng.randrange(5)
        if operation == 0 and parent is not None:
            parent.remove(element)
        elif operation == 1 and parent is not None:
            parent.insert(parent.index(element), copy.deepcopy(element))
        elif operation == 2 and parent is not None:
            target = rng.choice(elements)
            if element not in target.iterancestors() and target is not element:
                target.append(element)
        elif operation == 3:
            element.text = rng.choice(TOKENS).decode("utf-8", "ignore").translate(XML_UNSAFE)
        else:
            name = f"{{{element.nsmap.get('w', '')}}}{rng.choice(WORD_ATTRIBUTES)}"
            element.set(name, rng.choice(("0", "-1", "99999999", "continue", "restart", "", "x")))
        elements = list(root.iter())
    return lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


XML_UNSAFE = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])
"""Characters lxml refuses in element text (a Word file cannot hold them either)."""


def draw_format(rng: random.Random) -> str:
    """The suffix of the format an input is made from, drawn by WEIGHTS."""
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


def mutant(sources: Sources, rng: random.Random, suffix: str | None = None) -> tuple[str, bytes]:
    """A name (which carries the suffix the input is read as) and the mutated bytes of one source
    of format `suffix` (by default one drawn by WEIGHTS)."""
    suffix = suffix or draw_format(rng)
    data = rng.choice(sources[suffix])
    rounds = rng.randint(1, 8)
    if suffix == ".docx":
        data = mutate_docx(data, rng, rounds)
    else:
        if suffix != ".pdf" and rng.random() < WINDOWS:
            size = rng.randint(len(data) // 8, len(data) // 2)
            start = rng.randrange(len(data) - size + 1)
            data = data[start:start + size]
        data = mutate_bytes(data, rng, rounds)
    if rng.random() < 0.15:
        suffix = rng.choice(SUFFIXES)
    return f"input{suffix}", data


def load_sources(paths: Sequence[Path] = SOURCES) -> Sources:
    """Every source report by suffix; each PDF is split into one-page PDFs (a page checks fast)."""
    sources: Sources = {suffix: [] for suffix in WEIGHTS}
    for path in paths:
        data = path.read_bytes()
        sources[path.suffix].extend(pdf_pages(data) if path.suffix == ".pdf" else [data])
    return sources


def pdf_pages(data: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own (written by pdfium, which pdfplumber depends on)."""
    import pypdfium2

    source = pypdfium2.PdfDocument(data)
    pages: list[bytes] = []
    for index in range(len(source)):
        single = pypdfium2.PdfDocument.new()
        single.import_pages(source, [index])
        buffer = io.BytesIO()
        single.save(buffer)
        pages.append(buffer.getvalue())
    return pages


class Crash(Exception):
    """An input that neither read nor was refused with a ReadError."""


class _Timeout(Exception):
    """An input took longer than the time budget."""


class _RuleFailures(logging.Handler):
    """Keeps the tracebacks the runner logs when a rule fails (it reports those as P999)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.texts.append("".join(traceback.format_exception(*record.exc_info)))


def check_input(linter: Linter, name: str, data: bytes, failures: _RuleFailures) -> bool:
    """Whether the input read (True) or was refused (False); raises Crash with the traceback."""
    failures.texts.clear()
    try:
        report = build_report(read_bytes(data, name, Path(name).suffix or ".txt"))
    except ReadError:
        return False
    except Exception as error:  # what the fuzzer is looking for
        raise Crash(traceback.format_exc()) from error
    result = linter.check(report)
    if any(f.code == INTERNAL_ERROR_CODE for f in result.findings):
        raise Crash("\n".join(failures.texts) or "P999 without a logged traceback")
    return True


def _signature(text: str) -> str:
    """The last frame and exception line of a traceback: one crash kind."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    frames = [line for line in lines if line.startswith("File ")]
    return f"{frames[-1] if frames else ''} | {lines[-1] if lines else ''}"


@dataclass
class Tally:
    """What a run found."""

    read: int = 0
    refused: int = 0
    crashes: int = 0
    hangs: int = 0


def run(count: int, seed: int, crashes: Path, budget: int, log: Callable[[str], None]) -> Tally:
    """Check `count` mutants; crashes and hangs are saved to `crashes` and logged once per kind."""
    failures = _RuleFailures()
    logging.getLogger("govlint").addHandler(failures)
    logging.getLogger("govlint").propagate = False
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on broken content streams
    linter = Linter(load_rules(), Settings())
    sources = load_sources()
    rng = random.Random(seed)
    tally, kinds, formats, read_as = Tally(), Counter[str](), Counter[str](), Counter[str]()

    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise _Timeout

    signal.signal(signal.SIGALRM, alarm)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a stopped run still reports its tally
    started = time.monotonic()
    index = 0
    slowest = (0.0, 0, "")
    try:
        for index in range(1, count + 1):
            source = draw_format(rng)
            name, data = mutant(sources, rng, source)
            formats[source] += 1
            read_as[Path(name).suffix or "stdin"] += 1
            signal.alarm(budget)
            begun = time.monotonic()
            try:
                if check_input(linter, name, data, failures):
                    tally.read += 1
                else:
                    tally.refused += 1
            except (Crash, _Timeout) as error:
                hang = isinstance(error, _Timeout)
                tally.hangs += hang
                tally.crashes += not hang
                text = f"hang: over {budget} s" if hang else str(error)
                saved = crashes / f"{hashlib.sha256(data).hexdigest()[:16]}{Path(name).suffix}"
                crashes.mkdir(parents=True, exist_ok=True)
                saved.write_bytes(data)
                kind = _signature(text)
                kinds[kind] += 1
                if kinds[kind] == 1:
                    log(f"CRASH #{index} {saved.name}\n{text}")
            finally:
                signal.alarm(0)
                slowest = max(slowest, (time.monotonic() - begun, index, f"{source} read as {name}"))
            if index % 1000 == 0:
                log(f"{index} inputs ({index / (time.monotonic() - started):.1f}/s): {tally}")
    except KeyboardInterrupt:
        log(f"stopped after input {index}")
    log(f"made from {dict(sorted(formats.items()))}")
    log(f"read as {dict(sorted(read_as.items()))}")
    log(f"slowest: input #{slowest[1]} ({slowest[2]}), {slowest[0]:.2f} s")
    for kind, seen in kinds.most_common():
        log(f"{seen:6d} × {kind}")
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=100_000, help="inputs to check (default 100000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"), help="folder for crashing inputs")
    parser.add_argument("--budget", type=int, default=30, help="seconds one input may take (default 30)")
    options = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, flush=True)

    tally = run(options.count, options.seed, options.crashes, options.budget, log)
    log(f"done: {tally.read + tally.refused + tally.crashes + tally.hangs} inputs, {tally.read} read, "
        f"{tally.refused} refused (P001), {tally.crashes} crashes, {tally.hangs} hangs")
    return 1 if tally.crashes or tally.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
