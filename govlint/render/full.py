"""`--format full` (the default): per file, findings grouped by section, in Chinese, for a clerk."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from govlint.engine.rule import RuleSpec
from govlint.engine.runner import FileResult
from govlint.findings import Severity
from govlint.render.common import section_heading, section_of, summary
from govlint.report.templates import templates

_TEMPLATE_NAMES = {"2021": "2021年版格式", "2019": "2019年版格式", "pre2019": "2019年以前的旧式格式", "unknown": "未识别格式"}


def _header(result: FileResult) -> str:
    report = result.report
    if report is None:
        return f"■ {result.path}"
    facts = [_TEMPLATE_NAMES[report.template]]
    if report.year is not None:
        facts.append(f"{report.year}年度")
    if report.agency:
        facts.append(report.agency)
    return f"■ {result.path}（{'，'.join(facts)}）"


def _counts(counts: dict[str, int]) -> str:
    return "，".join(f"{s.chinese} {counts[s.value]}" for s in Severity)


def _file(result: FileResult) -> list[str]:
    lines = [_header(result)]
    if not result.findings:
        return lines + ["  未发现问题。", ""]
    order = {s.key: i for i, s in enumerate(templates().sections)}
    keyed = [(section_of(f, result.report), f) for f in result.findings]
    keyed.sort(key=lambda kf: (-1 if kf[0] is None else order.get(kf[0], 99), kf[1].line or 0, kf[1].code))
    for key, group in groupby(keyed, key=lambda kf: kf[0]):
        lines.append(f"  【{section_heading(key, result.report)}】")
        for _, f in group:
            where = f"第{f.line}行" if f.line is not None else "全文"
            lines.append(f"    {where:<7} {f.severity.chinese} {f.code}  {f.message}")
    counts = {s.value: result.count(s) for s in Severity}
    lines += [f"  小计：{_counts(counts)}", ""]
    return lines


def render(results: Sequence[FileResult], rules: dict[str, RuleSpec]) -> str:
    lines: list[str] = []
    for result in results:
        lines += _file(result)
    total = summary(results)
    lines.append(f"共检查 {total['files']} 个文件：{_counts(total)}")
    return "\n".join(lines) + "\n"
