"""The leader's cockpit (驾驶舱): what a county leader reads every morning about ONE plan, within
their scope — colours and their trend, the tasks turned red lately, indicators behind 序时进度, the
league table, notices overdue and 批示件 waiting — each figure with the list it comes from, and
four charts (``core.charts``).

Composition only: every figure is asked of the module that owns its rule (``ledger.permissions``
for scope, ``supervision.overview`` for colours, ``indicators.queries`` / ``figures`` for the
indicators, ``rankings.services`` for the tables, ``supervision.notices`` / ``instructions``); this
module picks, orders and turns them into chart data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet, prefetch_related_objects

from taizhang.accounts.models import User
from taizhang.core.charts import BarChart, LineChart, Reference, Series
from taizhang.core.colours import HEX, ORDER, Colour
from taizhang.front import dashboards
from taizhang.indicators import figures
from taizhang.indicators import permissions as indicator_rules
from taizhang.indicators import queries as indicator_queries
from taizhang.ledger import permissions
from taizhang.ledger.models import Plan
from taizhang.rankings import facts as ranking_facts
from taizhang.rankings import services as rankings
from taizhang.rankings.scores import Row
from taizhang.supervision import instructions, notices, overview
from taizhang.supervision.models import ColourChange, Instruction, Notice

WEEKS = 12  # the colour trend's span
LIST_LIMIT = 5  # rows of each list on the page (each has a link to the whole list)
LEAGUE_ROWS = 10
UNIT_BARS = 30  # more lead units than this: the chart shows the slowest
INDICATOR_BARS = 10
RANK_LINES = 5
BLUE = "#1d4ed8"
GREY = "#9ca3af"
# Lines of the ranks chart: told apart by dash and marker too (``charts.svg``).
PALETTE = ("#1d4ed8", "#b45309", "#7c3aed", "#0f766e", "#be185d")


@dataclass
class Cockpit:
    plan: Plan
    as_of: dt.date
    colours: list[tuple[Colour, int]]
    turned_red: list[ColourChange]
    turned_red_count: int
    indicator_count: int
    behind: list[indicator_queries.Row]
    league_month: str  # the latest published month ("" when none is)
    league: list[Row]
    overdue: list[Notice]
    overdue_count: int
    waiting: list[Instruction]
    waiting_count: int
    charts: dict[str, LineChart | BarChart] = field(default_factory=dict)

    @property
    def recent_days(self) -> int:
        return overview.RECENT_DAYS

    @property
    def behind_shown(self) -> list[indicator_queries.Row]:
        return self.behind[:LIST_LIMIT]

    @property
    def league_shown(self) -> list[Row]:
        return self.league[:LEAGUE_ROWS]


def cockpit(user: User, plan: Plan, as_of: dt.date, now: dt.datetime) -> Cockpit:
    a = permissions.actor(user)
    tasks = permissions.tasks_in_scope(a).filter(plan=plan)
    weeks = overview.weekly_counts(tasks, now, WEEKS)
    turned = overview.changes_since(tasks, now - dt.timedelta(days=overview.RECENT_DAYS)).filter(
        after=Colour.RED, task__colour__colour=Colour.RED
    )
    red_rows = _one_per_task(turned.select_related("task", "task__lead_unit").order_by("-at", "-id"))
    rows = indicator_queries.plan_summaries(indicator_rules.indicators_in_scope(a), plan, as_of)
    behind = sorted((r for r in rows if r.summary.behind), key=_gap)
    prefetch_related_objects([r.indicator for r in behind[:LIST_LIMIT]], "owner_unit")
    overdue = notices.overdue_notices(a, as_of).filter(plan=plan)
    waiting = instructions.waiting(a).filter(task__plan=plan)
    month, league = _league(user, plan)
    result = Cockpit(
        plan=plan,
        as_of=as_of,
        colours=weeks[-1].counts,  # the current week's: the stored colours
        turned_red=red_rows[:LIST_LIMIT],
        turned_red_count=turned.order_by().values("task_id").distinct().count(),
        indicator_count=len(rows),
        behind=behind,
        league_month=month,
        league=league,
        overdue=list(overdue.select_related("unit").order_by("reply_due", "id")[:LIST_LIMIT]),
        overdue_count=overdue.count(),
        waiting=list(
            waiting.select_related("task", "task__lead_unit", "comment").order_by("due_on", "id")[:LIST_LIMIT]
        ),
        waiting_count=waiting.count(),
    )
    result.charts = {
        "colour_trend": colour_trend(weeks),
        "by_category": progress_chart(
            "各类工作平均进度", "分类", dashboards.progress_by_category(tasks, as_of)
        ),
        "by_unit": unit_chart(dashboards.progress_by_unit(tasks, as_of)),
        "indicators": indicator_chart(behind[:INDICATOR_BARS]),
        "ranks": rank_chart(plan, league, a.unit_ids),
    }
    return result


def _one_per_task(changes: QuerySet[ColourChange]) -> list[ColourChange]:
    """The latest change of each task (a task may turn red twice in a week), newest first."""
    seen: set[int] = set()
    found = []
    for change in changes[: LIST_LIMIT * 4]:
        if change.task_id not in seen:
            seen.add(change.task_id)
            found.append(change)
    return found


def _gap(row: indicator_queries.Row) -> float:
    value = row.summary.gap.value
    return float(value) if value is not None else 0.0


def _league(user: User, plan: Plan) -> tuple[str, list[Row]]:
    """The latest published (frozen) table and its rows the user may see, as the league table page
    shows that month. Not the live table of a month not yet published: computing one reads every
    task's reports and every indicator's values of the month, too slow for a page opened every
    morning, and a published table is the one a leader quotes."""
    snapshot = rankings.latest_published(plan)
    if snapshot is None:
        return "", []
    visible = rankings.visible_unit_ids(user, plan)
    return snapshot.period, [r for r in rankings.rows_of(snapshot) if visible is None or r.unit_id in visible]


# --- charts -------------------------------------------------------------------------------------


def colour_trend(weeks: list[overview.WeekColours]) -> LineChart:
    """Tasks by colour week by week; a week before any task was coloured is a gap, not zeros."""

    def count(week: overview.WeekColours, colour: Colour) -> float | None:
        return float(dict(week.counts)[colour]) if any(n for _, n in week.counts) else None

    return LineChart(
        title=f"近{len(weeks)}周四色任务数",
        categories=tuple(f"{w.monday.month}/{w.monday.day}" for w in weeks),
        series=tuple(
            Series(colour.label, tuple(count(w, colour) for w in weeks), HEX[colour]) for colour in ORDER
        ),
        key_title="周（起始日）",
        unit="项",
        integer=True,
    )


def progress_chart(title: str, key_title: str, groups: list[dashboards.GroupProgress]) -> BarChart:
    return BarChart(
        title=title,
        labels=tuple(g.label for g in groups),
        series=(Series("平均进度", tuple(g.average for g in groups), BLUE),),
        key_title=key_title,
        unit="%",
    )


def unit_chart(groups: list[dashboards.GroupProgress]) -> BarChart:
    """Every lead unit, furthest ahead first; beyond ``UNIT_BARS`` units, the slowest of them."""
    if len(groups) <= UNIT_BARS:
        return progress_chart("各牵头单位平均进度", "牵头单位", groups)
    return progress_chart(f"平均进度最低的{UNIT_BARS}个牵头单位", "牵头单位", groups[-UNIT_BARS:])


def indicator_chart(rows: list[indicator_queries.Row]) -> BarChart:
    """Each indicator's 完成率 against the 序时进度 of its latest period (and the 100 % target)."""

    def elapsed(row: indicator_queries.Row) -> float | None:
        period = row.summary.period
        return float(figures.time_progress(period)) if period else None

    return BarChart(
        title="落后序时进度的指标",
        labels=tuple(r.indicator.name for r in rows),
        series=(
            Series(
                "完成率",
                tuple(_float(r.summary.completion) for r in rows),
                BLUE,
                texts=tuple(r.summary.completion.text() for r in rows),
            ),
            Series("序时进度", tuple(elapsed(r) for r in rows), GREY),
        ),
        key_title="指标",
        unit="%",
        references=(Reference(100.0, "年度目标"),),
    )


def _float(figure: figures.Figure) -> float | None:
    return float(figure.value) if figure.value is not None else None


def rank_chart(plan: Plan, league: list[Row], own_units: frozenset[int]) -> LineChart:
    """Ranks month by month (the published months): the viewer's own units when they are ranked,
    else the leaders of the latest table."""
    ranks = rankings.published_ranks(plan)
    months = [m for m in ranking_facts.plan_months(plan) if m in ranks]
    own = [r for r in league if r.unit_id in own_units]
    shown = (own or league)[:RANK_LINES]
    return LineChart(
        title="排名变化（已发布的月度排名）",
        categories=tuple(f"{int(m[5:])}月" for m in months),
        series=tuple(
            Series(
                r.unit,
                tuple(_rank(ranks[m].get(r.unit_id)) for m in months),
                PALETTE[i % len(PALETTE)],
                texts=tuple(_rank_text(ranks[m].get(r.unit_id)) for m in months),
            )
            for i, r in enumerate(shown)
        ),
        key_title="月份",
        integer=True,
        inverted=True,
        floor=1,
    )


def _rank(rank: int | None) -> float | None:
    return float(rank) if rank is not None else None


def _rank_text(rank: int | None) -> str:
    return f"第{rank}名" if rank is not None else "—"
