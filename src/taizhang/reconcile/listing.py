"""The human listing of a reconciliation (`taizhang reconcile` without --json). Pure Python."""

from __future__ import annotations

from .matching import Reconciliation

WIDTH = 48  # characters of a task or passage shown on its line


def short(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def counts_line(result: Reconciliation) -> str:
    return (
        f"已提及 {result.mentioned_count} 项 / 未提及 {result.not_mentioned_count} 项 / "
        f"计划外 {len(result.unplanned)} 段"
    )


def render(result: Reconciliation, plan_name: str, summary_name: str) -> str:
    rows = [
        f"对账：计划《{plan_name}》{len(result.tasks)} 项任务 × "
        f"总结《{summary_name}》{len(result.passages)} 段",
        counts_line(result),
        "",
        "计划任务（按计划顺序；“←”后为报告该任务的总结段落、相似度和共同词）：",
    ]
    for task in result.tasks:
        mark = "已提及" if task.mentioned else "未提及"
        rows.append(f"  第{task.line}行  【{mark}】{short(task.text)}")
        for m in task.matches:
            terms = "、".join(m.evidence)
            rows.append(
                f"      ← 第{m.line}行  {m.score:.2f}  {short(m.text, 36)}"
                + (f"  共同词：{terms}" if terms else "")
            )
    rows.append("")
    unplanned = result.unplanned
    rows.append(
        f"计划外段落（总结中未对应任何计划任务）：{len(unplanned)} 段" if unplanned else "计划外段落：无"
    )
    rows += [f"  第{p.line}行  {short(p.text)}" for p in unplanned]
    return "\n".join(rows) + "\n"
