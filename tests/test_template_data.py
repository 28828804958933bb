"""The template is data: a made-up variant of the 2021 template, loaded from a test folder, is
recognised, read and checked with no change to govlint's code (a renamed column, an extra row,
a changed identity), and the built-in templates say what the code relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlint.document import Document, Source
from govlint.engine.config import Settings
from govlint.engine.loader import load_rules
from govlint.engine.runner import FileResult, Linter
from govlint.readers.text import parse_text
from govlint.report.builder import build_report
from govlint.report.templates import Registry, TemplateError, templates
from tests.conftest import FIXTURES, seed

VARIANT = FIXTURES / "templates" / "variant"


def _variant_report(text: str) -> Document:
    return parse_text(text, Source(path="variant.txt", format="text", encoding="utf-8"))


def _written_in_the_variant(review: str = "1\t0\t0\t1\t1") -> str:
    """Seed 004 rewritten the way a report in the variant template reads: the renamed column,
    the extra row (1 application by a natural person, so 一 and （七）总计 are 14), and table 四
    with one pending review that the variant's total leaves out."""
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines)
    assert "本年废止件数" in text
    text = text.replace("本年废止件数", "本年废止和失效件数")
    extra = "\t\t6.要求提供他人个人信息\t1\t0\t0\t0\t0\t0\t1"
    anchor = "\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0"
    assert anchor in text
    text = text.replace(anchor, f"{anchor}\n{extra}")
    for label in ("一、本年新收政府信息公开申请数量", "(七) 总计"):
        row = f"{label}\t\t13\t0\t0\t0\t0\t0\t13\t"
        assert row in text, label
        text = text.replace(row, f"{label}\t\t14\t0\t0\t0\t0\t0\t14\t")
    zeros = "\t".join(["0"] * 15)
    assert zeros in text
    return text.replace(zeros, "\t".join([*review.split("\t"), *["0"] * 10]))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load([VARIANT])


def _check(registry: Registry, text: str) -> FileResult:
    report = build_report(_variant_report(text), registry=registry)
    return Linter(load_rules(), Settings()).check(report)


def test_a_variant_template_is_recognised_read_and_checked(registry: Registry) -> None:
    result = _check(registry, _written_in_the_variant())
    report = result.report
    assert report is not None
    assert report.template == "2021x"
    assert report.table3 is not None and report.table3["rejected_personal_info"]["natural_person"].value == 1
    assert report.table3["results_total"]["total"].value == 14
    assert report.table2 is not None and "repealed" in report.table2["rules"]
    assert report.table4 is not None and report.table4["review"]["pending"].value == 1
    codes = {f.code for f in result.findings}
    assert not codes & {"T001", "T002", "T003", "T004", "S004", "S005", "F003"}


def test_the_variant_identity_is_the_one_checked(registry: Registry) -> None:
    """Under the 2021 template 1+0+0+1 ≠ 1 would be wrong; the variant's total leaves 尚未审结
    out, so there 1 is right and 2 is the mistake."""
    result = _check(registry, _written_in_the_variant(review="1\t0\t0\t1\t2"))
    (t004,) = [f for f in result.findings if f.code == "T004"]
    assert "table4.review.total" in t004.cells and "table4.review.pending" not in t004.cells
    built_in = Linter(load_rules(), Settings()).check(build_report(_variant_report(_written_in_the_variant())))
    assert built_in.report is not None and built_in.report.template == "2021"
    assert any(f.code == "T004" for f in built_in.findings)


def test_the_built_in_registry(tmp_path: Path) -> None:
    registry = templates()
    assert set(registry.templates) == {"2021", "2019", "pre2019"}
    assert registry.fallback.name == "2021"
    assert [t.name for t in registry.with_tables] == ["2021", "2019"]
    assert registry.for_year(2020).name == "2019" and registry.for_year(2024).name == "2021"  # type: ignore[union-attr]
    (tmp_path / "broken.toml").write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.toml"):
        Registry.load([tmp_path])
