"""The wording of a 月通报: its sentences and tables from a ``bulletin.Bulletin``, and the whole as
blocks (``document``) for the .docx and Markdown. The page shows the same sentences and tables, so
a bulletin reads the same on screen, on paper and in Word.

Only the bulletin's facts are stated; a part with nothing to report says so in one line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from taizhang.core.charts.model import number_text
from taizhang.core.colours import MEANING, Colour
from taizhang.core.dates import chinese_date
from taizhang.rankings.scores import Row
from taizhang.supervision.colours import periods_text
from taizhang.writing.bulletin import Bulletin
from taizhang.writing.document import (
    Addressee,
    Block,
    Document,
    Heading,
    Masthead,
    Paragraph,
    Signoff,
    Table,
    Title,
    enumerator,
)

ADDRESSEE = "各责任单位："
PARTS = ("总体情况", "各单位推进情况", "滞后任务", "进展报送情况", "单位排名", "督办通知发出情况")
LATE_PART, MISSING_PART = "逾期报送", "未报送"
# The parts as numbered in the document and on the page: 一、总体情况 …, （一）逾期报送, （二）未报送.
HEADINGS = tuple(f"{enumerator(1, i)}{part}" for i, part in enumerate(PARTS, start=1))
SUBHEADINGS = (f"{enumerator(2, 1)}{LATE_PART}", f"{enumerator(2, 2)}{MISSING_PART}")


_SPACED = re.compile(r"(?<=[^\x00-\x7f]) +(?=[\x00-\x7f])|(?<=[\x00-\x7f]) +(?=[^\x00-\x7f])")


def tight(text: str) -> str:
    """Chinese print sets no space between a character and a number: the screens' "已超过完成时限
    31 天" is "已超过完成时限31天" in a document."""
    return _SPACED.sub("", text)


def _date(day: dt.date | None) -> str:
    return chinese_date(day) if day else "—"


def _joined(parts: list[tuple[str, int]]) -> str:
    """ "已完成3项，推进中2项" — the parts that are not zero (all of them when every one is)."""
    shown = [(label, n) for label, n in parts if n] or parts
    return "，".join(f"{label}{n}项" for label, n in shown)


def _points(value: Decimal) -> str:
    text = number_text(float(value), 2)
    return text if text.startswith("-") else f"+{text}"


def _change(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"上升{change}位"
    if change < 0:
        return f"下降{-change}位"
    return "持平"


@dataclass(frozen=True)
class Sentences:
    opening: str
    tasks: str
    colours: str
    reports: str
    units: str
    lagging: str
    late: str
    missing: str
    league: str
    notices: str
    closing: str  # "" when nothing lags and nothing is missing
    scope: str  # "" for the whole plan


def sentences(b: Bulletin) -> Sentences:
    s = b.summary
    as_of = chinese_date(b.as_of)
    if s.total:
        statuses = _joined(
            [
                ("已完成", s.done),
                ("推进中", s.in_progress),
                ("未开始", s.not_started),
                ("标记滞后", s.marked_delayed),
                ("已暂停", s.paused),
            ]
        )
        tasks = (
            f"截至{as_of}，{b.plan_title}共有重点任务{s.total}项，其中{statuses}；"
            f"按完成时限和序时进度衡量，滞后任务{s.lagging}项；平均完成进度{number_text(s.average)}%。"
        )
    else:
        tasks = f"截至{as_of}，{b.plan_title}暂无任务。"
    colours = "按四色管理，" + "，".join(f"{_colour_word(c)}{n}项" for c, n in b.colours)
    colours += f"，尚未评定颜色{b.uncoloured}项。" if b.uncoloured else "。"
    if not b.periods:
        reports = f"{b.month_label}没有到期的报送期。"
    else:
        reports = (
            f"{periods_text(b.periods)}应报送进展{s.owed}项，按时报送{s.on_time}项，"
            f"逾期报送{s.late}项，未报送{s.missing}项"
        )
        if s.open:
            reports += f"，尚在报送期内{s.open}项（报送期限至{_date(b.window_closes)}）"
        reports += "。"
    lagging = (
        f"截至{as_of}，滞后任务共{len(b.lagging)}项，按牵头单位列示如下。"
        if b.lagging
        else f"截至{as_of}，没有滞后任务。"
    )
    late = (
        _flagged(b.month_label, "逾期报送进展", s.late, len(b.late)) or f"{b.month_label}没有逾期报送的进展。"
    )
    missing = (
        _flagged(b.month_label, "报送期限已过仍未报送进展", s.missing, len(b.missing))
        or f"{b.month_label}没有未报送的进展。"
    )
    if b.league:
        state = "该月排名已发布" if b.league_published else f"该月排名尚未发布，按截至{as_of}的数据计算"
        league = f"按本计划评分办法，{b.month_label}各单位得分及名次如下（{state}）。"
    else:
        league = f"{b.month_label}暂无可排名的单位。"
    if b.notices:
        kinds = "、".join(f"{label}{n}份" for label, n in b.notice_counts if n)
        notices = f"{b.month_label}共发出督办通知{len(b.notices)}份，其中{kinds}。"
    else:
        notices = f"{b.month_label}未发出督办通知。"
    closing = ""
    if b.lagging or b.missing:
        closing = "请有关责任单位对照本通报，认真分析原因，采取有效措施，加快推进，并按时报送进展。"
    return Sentences(
        opening=f"现将{b.plan_title}{b.month_number}月份推进情况通报如下。",
        tasks=tasks,
        colours=colours,
        reports=reports,
        units=f"各牵头单位任务推进情况如下（颜色为截至{as_of}的四色评定）。",
        lagging=lagging,
        late=late,
        missing=missing,
        league=league,
        notices=notices,
        closing=closing,
        scope="注：本通报仅含查阅人管辖范围内的任务、通知和单位。" if b.partial else "",
    )


def _flagged(month: str, what: str, reports: int, tasks: int) -> str:
    """ "2026年3月逾期报送进展2项。"; with several periods a task (weekly reporting)
    "…9期次，涉及任务3项。" """
    if not reports:
        return ""
    if reports == tasks:
        return f"{month}{what}{reports}项。"
    return f"{month}{what}{reports}期次，涉及任务{tasks}项。"


def _colour_word(colour: Colour) -> str:
    """红色督办, 黄色预警 …: the name the legend gives each colour."""
    return MEANING[colour].split("：")[0]


# --- tables -----------------------------------------------------------------------------------------


def unit_table(b: Bulletin) -> Table:
    rows = tuple(
        (
            u.unit,
            str(u.tasks),
            str(u.done),
            str(u.lagging),
            f"{number_text(u.average)}%",
            *(str(n) for _, n in u.colours),
            str(u.on_time),
            str(u.late),
            str(u.missing),
        )
        for u in b.units
    )
    header: tuple[str, ...] = ("牵头单位", "任务", "已完成", "滞后", "平均\n进度")
    header += ("红色", "黄色", "绿色", "白色", "按时\n报送", "逾期\n报送", "未报送")
    widths = (3.2, 1, 1, 1, 1.2, 0.9, 0.9, 0.9, 0.9, 1, 1, 1)
    return Table(header, rows, widths, centred=tuple(range(1, len(header))))


def lagging_table(b: Bulletin) -> Table:
    rows = tuple(
        (t.code, t.title, t.unit, _date(t.deadline), f"{t.progress}%", tight(t.reason)) for t in b.lagging
    )
    return Table(
        ("编号", "任务", "牵头单位", "完成时限", "进度", "滞后原因"),
        rows,
        (1, 3.6, 2.2, 2, 1, 3.4),
        (0, 3, 4),
    )


def _task(code: str, title: str) -> str:
    return f"{code} {title}".strip()


def _breakdown(row: Row) -> str:
    """The base and each rule that moved the score (as ``taizhang ranking`` prints it)."""
    return "；".join(
        f"{li.rule}{number_text(float(li.points), 2) if li.count is None else _points(li.points)}"
        for li in row.breakdown
        if li.points or li.count is None
    )


def late_table(b: Bulletin) -> Table:
    rows = tuple((r.unit, _task(r.code, r.title), periods_text(r.periods)) for r in b.late)
    return Table(("牵头单位", "任务", "逾期报送的报送期"), rows, (2.4, 5, 2.6), (2,))


def missing_table(b: Bulletin) -> Table:
    rows = tuple((r.unit, _task(r.code, r.title), periods_text(r.periods)) for r in b.missing)
    return Table(("牵头单位", "任务", "未报送的报送期"), rows, (2.4, 5, 2.6), (2,))


def league_table(b: Bulletin) -> Table:
    rows = tuple(
        (
            str(r.rank),
            r.unit,
            number_text(float(r.score), 2),
            _change(r.change),
            _breakdown(r),
        )
        for r in b.league
    )
    return Table(("名次", "单位", "得分", "较上月", "得分明细"), rows, (0.9, 2.6, 1.1, 1.3, 5), (0, 2, 3))


def notice_table(b: Bulletin) -> Table:
    rows = tuple((n.number, n.kind, n.unit, n.subject, _date(n.reply_due), n.state) for n in b.notices)
    return Table(
        ("文号", "类别", "主送单位", "事由", "回复时限", "状态"), rows, (2.2, 1.1, 2.2, 4, 2, 1.2), (1, 4, 5)
    )


# --- the document -----------------------------------------------------------------------------------


def document(b: Bulletin) -> Document:
    """The bulletin as blocks: 版头, title, 主送机关, six parts, the sign-off."""
    s = sentences(b)
    blocks: list[Block] = [
        Masthead(b.issuer, b.number),
        Title(b.title),
        Addressee(ADDRESSEE),
        Paragraph(s.opening),
        *([Paragraph(s.scope)] if s.scope else []),
        Heading(1, HEADINGS[0]),
        Paragraph(s.tasks),
        Paragraph(s.colours),
        Paragraph(s.reports),
        Heading(1, HEADINGS[1]),
        Paragraph(s.units),
        unit_table(b),
        Heading(1, HEADINGS[2]),
        Paragraph(s.lagging),
    ]
    if b.lagging:
        blocks.append(lagging_table(b))
    blocks += [Heading(1, HEADINGS[3]), Heading(2, SUBHEADINGS[0]), Paragraph(s.late)]
    if b.late:
        blocks.append(late_table(b))
    blocks += [Heading(2, SUBHEADINGS[1]), Paragraph(s.missing)]
    if b.missing:
        blocks.append(missing_table(b))
    blocks += [Heading(1, HEADINGS[4]), Paragraph(s.league)]
    if b.league:
        blocks.append(league_table(b))
    blocks += [Heading(1, HEADINGS[5]), Paragraph(s.notices)]
    if b.notices:
        blocks.append(notice_table(b))
    if s.closing:
        blocks.append(Paragraph(s.closing))
    blocks.append(Signoff(b.issuer, b.date))
    return Document(title=b.title, blocks=tuple(blocks), author=b.issuer)
