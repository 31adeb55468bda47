"""The rankings' part of the demo: last month's league table, published by the plan's 督查."""

from __future__ import annotations

import datetime as dt

from taizhang.accounts.models import Role, User
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import period_for
from taizhang.rankings import facts, services


def load_demo(as_of: dt.date) -> list[str]:
    """Publish last month's ranking of each demo plan (when last month is one of its months)."""
    lines = []
    month = facts.previous_month(period_for(as_of, "monthly"))
    for plan in Plan.objects.filter(year=as_of.year).order_by("id"):
        supervisor = User.objects.filter(role=Role.SUPERVISOR, unit=plan.owner_unit, is_active=True).first()
        if supervisor is None or month not in facts.plan_months(plan):
            continue
        try:
            snapshot = services.publish(plan, month, supervisor, as_of)
        except DomainError as err:
            lines.append(f"未发布 {plan.title} {month} 排名：{err}")
            continue
        lines.append(f"已发布 {plan.title} {month} 排名（{len(snapshot.rows)} 个单位）")
    return lines or ["本年度没有可发布排名的计划"]
