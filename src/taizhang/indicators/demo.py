"""The indicators' part of the demo: a dozen indicators of the demo county's plan with monthly
values up to the last ended month — most on pace, a few behind 序时进度, some lower-is-better
ceilings, one with the rank the city published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.context import set_actor
from django.utils import timezone

from taizhang.accounts.models import Role, Unit, User
from taizhang.indicators import figures, services
from taizhang.indicators.models import Indicator
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import period_bounds, periods_between

# (name, measure, unit code, target, last year, accumulation, direction, pace vs time, rank of 10)
DEMO_INDICATORS = [
    ("固定资产投资", "亿元", "SFX-FGJ", "86", "80", "cumulative", "higher", "1.05", 3),
    ("一般公共预算收入", "亿元", "SFX-CZJ", "12.5", "11.9", "cumulative", "higher", "0.82", None),
    ("社会消费品零售总额", "亿元", "SFX-SWJ", "64", "60.2", "cumulative", "higher", "1.03", None),
    ("实际利用外资", "万美元", "SFX-SWJ", "1800", "1650", "cumulative", "higher", "0.7", None),
    ("老旧小区改造投资", "亿元", "SFX-ZJJ", "3.2", "2.6", "cumulative", "higher", "1.1", None),
    ("县道改造完成投资", "亿元", "SFX-JTJ", "5.6", "4.8", "cumulative", "higher", "0.86", None),
    ("城镇新增就业", "人", "SFX-RSJ", "3600", "3500", "cumulative", "higher", "1.02", None),
    ("城镇调查失业率", "%", "SFX-RSJ", "5.5", "5.3", "level", "lower", "0.96", None),
    ("高频事项网上可办率", "%", "SFX-GGJ", "95", "90", "level", "higher", "1.01", None),
    ("生产安全事故起数", "起", "SFX-CGJ", "12", "15", "cumulative", "lower", "0.9", None),
    ("单位GDP能耗下降率", "%", "SFX-FGJ", "3", "2.8", "level", "higher", "0.9", None),
    ("新建高标准农田", "万亩", "SFX-NYJ", "2.4", "2.1", "period", "higher", "0.75", None),
]


def load_demo(as_of: dt.date) -> list[str]:
    plan = Plan.objects.filter(year=2026, owner_unit__parent__isnull=True).order_by("id").first()
    supervisor = User.objects.filter(username="duchashi").first()
    if plan is None or supervisor is None:
        return ["指标：无演示计划，未添加"]
    units = {u.code: u for u in Unit.objects.filter(code__startswith="SFX")}
    reporters = {u.unit_id: u for u in User.objects.filter(role=Role.REPORTER, is_active=True).order_by("pk")}
    with set_actor(supervisor):
        Indicator.objects.filter(plan=plan).delete()  # re-running replaces them
    drafts = [
        services.IndicatorDraft(
            name=name,
            owner_unit=units[code],
            measure=measure,
            target=Decimal(target),
            last_year=Decimal(last),
            accumulation=accumulation,
            direction=direction,
        )
        for name, measure, code, target, last, accumulation, direction, *_ in DEMO_INDICATORS
        if code in units
    ]
    made = services.create_indicators(plan, supervisor, drafts)
    months = [
        p for p in periods_between(plan.starts_on, plan.ends_on, "monthly") if period_bounds(p)[1] < as_of
    ]
    values = 0
    for indicator, row in zip(made, DEMO_INDICATORS, strict=False):
        pace, rank = Decimal(row[7]), row[8]
        who = reporters.get(indicator.owner_unit_id, supervisor)
        for number, period in enumerate(months, start=1):
            if indicator.name == "实际利用外资" and number == len(months) and number > 1:
                continue  # one missing report
            value = _value(indicator, period, pace)
            _, last = period_bounds(period)
            place = rank + (1 if number % 3 == 0 else 0) if rank else None
            entry = services.Entry(
                indicator,
                value,
                last_year_value=(value / Decimal("1.06")).quantize(Decimal("0.01")) if number % 2 else None,
                rank=place,
                rank_of=10 if place else None,
                note=f"居全市第{place}位" if place else "",
            )
            now = timezone.make_aware(
                dt.datetime.combine(min(last + dt.timedelta(days=3), as_of), dt.time(9, 30))
            )
            services.save_values(supervisor if who is supervisor else who, period, [entry], now=now)
            values += 1
    return [f"指标 {len(made)} 项，填报数值 {values} 个"]


def _value(indicator: Indicator, period: str, pace: Decimal) -> Decimal:
    target = indicator.target or Decimal(1)
    share = figures.time_progress(period) / 100
    if indicator.accumulation == "cumulative":
        if indicator.direction == "lower":
            return (target * share * pace).quantize(Decimal(1))  # whole events
        return (target * share * pace).quantize(Decimal("0.01"))
    if indicator.accumulation == "period":
        return (target / 12 * pace).quantize(Decimal("0.01"))
    return (target * pace).quantize(Decimal("0.01"))
