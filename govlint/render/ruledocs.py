"""Rule documentation generated from the rule files: `govlint explain` and docs/rules/*.md."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from govlint.engine.rule import RuleSpec

FAMILIES = {
    "P": ("reading", "P — 读取输入"),
    "F": ("templates", "F — 使用哪一版格式"),
    "S": ("structure", "S — 结构"),
    "T": ("tables", "T — 统计表"),
    "N": ("narrative", "N — 正文与表格、必备内容"),
    "D": ("dates", "D — 年度与日期"),
    "X": ("across-reports", "X — 跨年度比对"),
    "W": ("wording", "W — 文字错漏"),
}


def explain_text(spec: RuleSpec) -> str:
    """A rule's doc as `govlint explain CODE` prints it."""
    return "\n".join([
        f"{spec.code}（{spec.name}）：{spec.title}",
        f"级别：{spec.severity.chinese}（{spec.severity.value}）",
        "",
        "检查什么", f"  {spec.doc.what}", "",
        "为什么重要", f"  {spec.doc.why}", "",
        "错误示例", f"  {spec.doc.example}", "",
        "如何修改", f"  {spec.doc.fix}",
    ])


def rule_markdown(spec: RuleSpec) -> str:
    """One rule's doc as a markdown section (rule reference pages, SARIF help)."""
    templates = "、".join(spec.templates)
    return "\n".join([
        f"## {spec.code} `{spec.name}` — {spec.title}",
        "",
        f"级别：**{spec.severity.chinese}**（`{spec.severity.value}`）　适用格式：{templates}",
        "",
        "**检查什么**", "", spec.doc.what, "",
        "**为什么重要**", "", spec.doc.why, "",
        "**错误示例**", "", f"> {spec.doc.example}", "",
        "**如何修改**", "", spec.doc.fix, "",
    ])


def rule_reference(specs: Iterable[RuleSpec]) -> dict[str, str]:
    """File name → markdown: one page per rule family and an index, all generated."""
    pages: dict[str, str] = {}
    index = [
        "# 规则参考", "",
        "本目录由 `govlint rules --docs docs/rules` 从 rules/ 中的规则文件生成，请勿手工修改。", "",
    ]
    ordered = sorted(specs, key=lambda s: s.code)
    for family, group in groupby(ordered, key=lambda s: s.code[0]):
        slug, heading = FAMILIES.get(family, (family.lower(), family))
        rules = list(group)
        pages[f"{slug}.md"] = "\n".join([f"# {heading}", "", *(rule_markdown(s) for s in rules)])
        index.append(f"- [{heading}]({slug}.md)：" + "、".join(f"{s.code} {s.title}" for s in rules))
    pages["README.md"] = "\n".join(index) + "\n"
    return pages
