"""X003 across a real series: sentences every report must say are no copy; a copied section is."""

from __future__ import annotations

from pathlib import Path

from govlint.engine.files import lint_path
from govlint.engine.runner import Linter
from tests.conftest import seed


def _sections_x003(linter: Linter, tmp_path: Path, last_source: str, last_year: str) -> set[str | None]:
    """Lint pingtan-2023.html with `last_source` re-dated to 2022 as last year's report; the
    sections X003 names."""
    last_text = seed(last_source).read_text(encoding="utf-8").replace(last_year, "2022")
    (tmp_path / "pingtan-2022.html").write_text(last_text, encoding="utf-8")
    (tmp_path / "pingtan-2023.html").write_bytes(seed("pingtan-2023.html").read_bytes())
    results = [lint_path(linter, tmp_path / name, None) for name in ("pingtan-2022.html", "pingtan-2023.html")]
    linter.check_pairs(results)
    assert results[1].report is not None and results[1].report.year == 2023
    assert results[0].report is not None and results[0].report.year == 2022
    return {f.section for f in results[1].findings if f.code == "X003"}


def test_a_fee_statement_and_page_furniture_are_no_copied_section(linter: Linter, tmp_path: Path) -> None:
    # 六 of both years is "20xx年，无收取信息处理费情况。" followed by the portal's footer links
    assert _sections_x003(linter, tmp_path, "pingtan-2021.html", "2021") == set()


def test_a_section_copied_from_last_year_is_found(linter: Linter, tmp_path: Path) -> None:
    # last year's report is this year's text with the year changed: 一 and 五 are copies, 六 says
    # only what every report must say
    assert _sections_x003(linter, tmp_path, "pingtan-2023.html", "2023") == {"overview", "problems"}
