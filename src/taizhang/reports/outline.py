"""The readable outline `taizhang parse FILE` prints: one block per document."""

from __future__ import annotations

from .model import Document, ParseResult, Section

ROLE_LABELS = {"summary": "总结", "highlight": "亮点", "problem": "问题", "plan": "计划", "other": "其他"}


def period_label(period: str | None) -> str:
    """`2023` -> `2023年`, `2023H1` -> `2023年上半年`, None -> `无`."""
    if not period:
        return "无"
    year, _, half = period.partition("H")
    return f"{year}年" + {"1": "上半年", "2": "下半年"}.get(half, "")


def _section_lines(section: Section, depth: int) -> list[str]:
    indent = "  " * (depth + 1)
    out = [f"{indent}{section.heading}  〔{ROLE_LABELS[section.role]}〕 第{section.line}行"]
    for child in section.children:
        out.extend(_section_lines(child, depth + 1))
    return out


def render_document(doc: Document, index: int) -> str:
    lines = [
        f"【{index}】{doc.title or '（无标题）'}  第{doc.line}行",
        f"  单位：{doc.unit or '未识别'}  总结期：{period_label(doc.summary_period)}  "
        f"计划期：{period_label(doc.plan_period)}",
    ]
    for section in doc.sections:
        lines.extend(_section_lines(section, 0))
    lines.append(
        f"  任务 {len(doc.tasks)} 项 · 问题 {len(doc.problems)} 项 · 指标 {len(doc.indicators)} 项"
        f" · 待填占位符 {doc.placeholders} 处"
    )
    return "\n".join(lines)


def render_outline(result: ParseResult) -> str:
    head = f"{result.source}：共 {len(result.documents)} 篇报告"
    blocks = [render_document(doc, i) for i, doc in enumerate(result.documents, 1)]
    return "\n\n".join([head, *blocks]) + "\n"
