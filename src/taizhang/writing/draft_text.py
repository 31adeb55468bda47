"""The wording of a unit's year-end draft, in the genre's shape: 一、…年工作总结 (by work area,
indicator sentences first), 二、存在的问题, 三、…年工作计划 — from ``draft.Draft`` only.

A draft never invents a fact: each sentence states what the ledger holds (a task's title, its
approved reports, its status and progress, an indicator's figures, a problem, a notice), and where
the ledger holds nothing the draft leaves ``reports.lint.draft_hole`` — 【待补充：…】 — which
``taizhang lint`` reports until someone fills it in. The one thing it cannot know is what is new
next year: that part is a placeholder by design.
"""

from __future__ import annotations

from taizhang.core.dates import chinese_date
from taizhang.indicators import figures
from taizhang.ledger.periods import period_label
from taizhang.reports.lint import draft_hole
from taizhang.reports.numbering import chinese_numeral
from taizhang.writing.bulletin_text import tight
from taizhang.writing.document import Block, Document, Outline, Paragraph, Signoff, Title
from taizhang.writing.draft import Draft, IndicatorFacts, TaskFacts

INDICATORS = "主要指标完成情况"
CARRIED = "继续推进的任务"
RECTIFY = "问题整改"
NEW_WORK = "新的重点工作"


def title(d: Draft) -> str:
    return f"{d.unit}{d.year}年工作总结及{d.year + 1}年工作计划"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "】")) else f"{text}。"


def indicator_sentence(i: IndicatorFacts) -> str:
    """ "截至2026年10月，完成固定资产投资45.2亿元，同比增长8.3%，完成年度目标的87.5%。" — the
    genre's indicator sentence; a figure the ledger cannot give is a placeholder (no target set
    means no 完成率 to state, not a hole)."""
    if i.value is None or i.period is None:
        return f"{i.name}{draft_hole(f'{i.name}全年完成值')}。"
    # 完成县道改造投资8.5亿元 (the verb first, so the engine reads the metric's name whole);
    # 县道改造完成投资4.41亿元 (not 完成…完成…); a rate is 为 so much (城镇调查失业率为5.2%)
    if "完成" in i.name:
        figure = f"{i.name}{i.value}{i.measure}"
    elif i.measure in ("%", "％"):
        figure = f"{i.name}为{i.value}{i.measure}"
    else:
        figure = f"完成{i.name}{i.value}{i.measure}"
    out = f"截至{period_label(i.period)}，{figure}"
    if i.yoy.known:
        assert i.yoy.value is not None
        shown = figures.rounded(i.yoy.value, 1)
        if shown > 0:
            out += f"，同比增长{figures.number_text(shown, 1)}%"
        elif shown < 0:
            out += f"，同比下降{figures.number_text(-shown, 1)}%"
        else:
            out += "，与上年同期持平"
    else:
        out += f"，同比{draft_hole(f'{i.name}同比增速（{i.yoy.reason}）')}"
    if i.completion.known:
        assert i.completion.value is not None
        out += f"，完成年度目标的{figures.number_text(i.completion.value, 1)}%"
    return out + "。"


def task_paragraph(n: int, t: TaskFacts, as_of: str) -> str:
    """ "3.推进县道改造提升工程。<its latest approved report>截至…，完成进度77%，已超过完成时限31天。" """
    said = _sentence(t.reported[-1]) if t.reported else draft_hole(f"{t.title}全年推进情况")
    if t.done:
        state = "已完成。"
    elif not t.is_open:
        state = f"{t.status}。"
    elif t.behind:  # "完成进度 80%，落后于序时进度 94%" says the progress itself
        state = f"截至{as_of}，{tight(t.lag)}。"
    else:
        lag = f"，{tight(t.lag)}" if t.lag else ""
        state = f"截至{as_of}，完成进度{t.progress}%{lag}。"
    return f"{n}.{_sentence(t.title)}{said}{state}"


def _measures(text: str) -> str:
    return _sentence(text) if text.strip() else draft_hole("整改措施")


def problems_paragraph(d: Draft) -> str:
    """一是…；二是…。 — the genre's run-in list: tasks red now with supervision's reasons, problems
    not yet signed off, notices still owing a reply."""
    items = [
        f"{name}进度滞后，{'，'.join(reasons)}" if reasons else f"{name}进度滞后" for name, reasons in d.red
    ]
    items += [p.title.rstrip("。；;") for p in d.problems]
    if d.notices:
        items.append(f"督办通知{'、'.join(d.notices)}尚未回复")
    if not items:
        return f"{draft_hole('存在的问题')}。"  # a sentence: alone on its line it would read as a heading
    return "；".join(f"{chinese_numeral(k)}是{item}" for k, item in enumerate(items, start=1)) + "。"


def document(d: Draft) -> Document:
    as_of = chinese_date(d.as_of)
    outline = Outline()
    blocks: list[Block] = [
        Title(title(d)),
        Paragraph(f"{draft_hole(f'{d.year}年工作总体情况概述')}。"),
        outline.heading(1, f"{d.year}年工作总结"),
    ]
    if d.indicators:
        blocks.append(outline.heading(2, INDICATORS))
        blocks += [Paragraph(indicator_sentence(i)) for i in d.indicators]
    for category in d.categories:
        blocks.append(outline.heading(2, category.name))
        blocks += [Paragraph(task_paragraph(n, t, as_of)) for n, t in enumerate(category.tasks, start=1)]
    blocks += [outline.heading(1, "存在的问题"), Paragraph(problems_paragraph(d))]
    blocks.append(outline.heading(1, f"{d.year + 1}年工作计划"))
    if d.carried:
        blocks.append(outline.heading(2, CARRIED))
        blocks += [
            Paragraph(
                f"{n}.{_sentence(t.title)}截至{as_of}完成进度{t.progress}%，{d.year + 1}年继续推进，"
                f"{draft_hole('完成时限和年度目标')}。"
            )
            for n, t in enumerate(d.carried, start=1)
        ]
    if d.problems:
        blocks.append(outline.heading(2, RECTIFY))
        blocks += [
            Paragraph(f"{n}.{p.title.rstrip('。')}：{_measures(p.measures)}")
            for n, p in enumerate(d.problems, start=1)
        ]
    blocks += [outline.heading(2, NEW_WORK), Paragraph(draft_hole(f"{d.year + 1}年新的重点工作"))]
    blocks.append(Signoff(d.unit, d.as_of))
    return Document(title=title(d), blocks=tuple(blocks), author=d.unit)
