"""Who may see, define and enter indicators: the one place that decides.

Built on ``ledger.permissions`` (its ``actor`` and plan rule are reused, not restated):

- **view** an indicator: those who see everything (admins, the root's supervisors and leaders);
  the owner side of its plan (the plan's supervisors and leaders, ``Actor.owns``); anyone whose
  scope holds the indicator's owner unit.
- **define** (create, edit, generate from the plan's document): the supervisors who manage the
  plan (``plan_capabilities(...).can_manage``).
- **enter** values: a reporter whose scope holds the owner unit, while the period's window is
  open or closed less than ``LATE_DAYS`` ago; the plan's supervisors at any time in the plan year
  (a closed period is corrected by them only). Periods not yet begun or outside the plan year are
  refused to everyone (``entry_refusal``).

An indicator (or a plan's indicator pages) the user may not see is a ``Http404`` exactly like a
missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from taizhang.indicators.models import Indicator
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import cadence_of, period_bounds, period_label, plan_window
from taizhang.ledger.permissions import Actor

if TYPE_CHECKING:
    from taizhang.ledger.permissions import AnyUser

NOT_FOUND_INDICATOR = "指标不存在或不在您的管辖范围内"
LATE_DAYS = 30  # a reporter may still enter a period this long after its window closed


@dataclass(frozen=True)
class IndicatorCapabilities:
    can_view: bool = False
    can_define: bool = False
    can_enter: bool = False  # subject to the period (``entry_refusal``)


NOTHING = IndicatorCapabilities()


def may_define(who: AnyUser | Actor, plan: Plan) -> bool:
    return permissions.plan_capabilities(who, plan).can_manage


def capabilities(who: AnyUser | Actor, *, plan: Plan, owner_unit_id: int) -> IndicatorCapabilities:
    a = permissions.actor(who)
    holds = a.holds(owner_unit_id)
    if not (a.everything or a.owns(plan.owner_unit_id) or holds):
        return NOTHING
    define = may_define(a, plan)
    return IndicatorCapabilities(can_view=True, can_define=define, can_enter=define or (a.reporter and holds))


def indicator_capabilities(who: AnyUser | Actor, indicator: Indicator) -> IndicatorCapabilities:
    return capabilities(who, plan=indicator.plan, owner_unit_id=indicator.owner_unit_id)


def indicators_in_scope(who: AnyUser | Actor) -> QuerySet[Indicator]:
    """Every indicator ``who`` may see (``can_view``)."""
    a = permissions.actor(who)
    if a.everything:
        return Indicator.objects.all()
    condition = Q(owner_unit_id__in=a.unit_ids)
    if not a.reporter:
        condition |= Q(plan__owner_unit_id__in=a.unit_ids)
    return Indicator.objects.filter(condition)


def indicators_entered_by(who: AnyUser | Actor, plan: Plan) -> QuerySet[Indicator]:
    """The indicators of ``plan`` whose values ``who`` may enter (``can_enter``)."""
    a = permissions.actor(who)
    if may_define(a, plan):
        return Indicator.objects.filter(plan=plan)
    if not a.reporter:
        return Indicator.objects.none()
    return Indicator.objects.filter(plan=plan, owner_unit_id__in=a.unit_ids)


def get_indicator_for_user(user: AnyUser, pk: Any) -> tuple[Indicator, IndicatorCapabilities]:
    indicator = (
        Indicator.objects.select_related("plan", "plan__owner_unit", "owner_unit", "source_document")
        .filter(pk=permissions.object_id(pk))
        .first()
    )
    if indicator is None:
        raise Http404(NOT_FOUND_INDICATOR)
    caps = indicator_capabilities(user, indicator)
    if not caps.can_view:
        raise Http404(NOT_FOUND_INDICATOR)
    return indicator, caps


def get_plan_for_user(user: AnyUser, pk: Any) -> Plan:
    """A plan whose indicator pages ``user`` may open: a plan they see, or one holding an indicator
    of their unit. ``Http404`` otherwise (as for a missing plan)."""
    plan = Plan.objects.select_related("owner_unit", "source").filter(pk=permissions.object_id(pk)).first()
    if plan is None:
        raise Http404(permissions.NOT_FOUND_PLAN)
    if permissions.plan_capabilities(user, plan).can_view:
        return plan
    if indicators_in_scope(user).filter(plan=plan).exists():
        found: Plan = plan
        return found
    raise Http404(permissions.NOT_FOUND_PLAN)


# --- the period of an entry ---------------------------------------------------------------------


def entry_refusal(
    who: AnyUser | Actor, plan: Plan, period: str, periodicity: str, as_of: dt.date
) -> str | None:
    """Why ``who`` may not enter values of ``plan`` for ``period`` on ``as_of`` (Chinese), or None.

    The user's right to enter the indicator itself is ``can_enter``; this is about the period."""
    try:
        cadence = cadence_of(period)
        first, last = period_bounds(period)
    except DomainError as err:
        return err.message
    if cadence != periodicity:
        wanted = "月份（如 2026-03）" if periodicity == "monthly" else "季度（如 2026-Q1）"
        return f"报送期“{period}”与指标的报送周期不符，应为{wanted}"
    label = period_label(period)
    if first.year != plan.year or last < plan.starts_on:
        return f"{label}不在本计划的报送年度（{plan.year}年，自{plan.starts_on:%Y年%m月%d日}起）内"
    if first > as_of:
        return f"{label}尚未开始，不能填报"
    if may_define(who, plan):
        return None
    closes = plan_window(plan, period).closes
    if as_of > closes + dt.timedelta(days=LATE_DAYS):
        return (
            f"{label}的报送期已于{closes:%Y年%m月%d日}截止超过{LATE_DAYS}天，"
            "不能再填报或修改；如需更正，请联系计划的督查人员"
        )
    return None
