"""The indicator rules one condition at a time (called through their module, so that each of
tools/mutate.py's mutants of ``indicators/permissions.py`` is what runs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import Http404

from taizhang.accounts.models import Role
from taizhang.indicators import permissions as rules
from taizhang.indicators import services
from taizhang.ledger.models import Plan

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("who", "period", "periodicity", "as_of", "refusal"),
    [
        ("reporter", "2026-03", "monthly", D(2026, 4, 10), None),
        ("reporter", "2026-Q1", "monthly", D(2026, 4, 10), "应为月份"),
        ("reporter", "2026-03", "quarterly", D(2026, 4, 10), "应为季度"),
        ("reporter", "2025-12", "monthly", D(2026, 4, 10), "不在本计划的报送年度"),
        ("supervisor", "2027-01", "monthly", D(2027, 2, 10), "不在本计划的报送年度"),
        ("reporter", "2026-04", "monthly", D(2026, 4, 1), None),  # begun today
        ("reporter", "2026-05", "monthly", D(2026, 4, 30), "尚未开始"),
        # March's window closes 5 April; a reporter may still correct it for 30 days after
        ("reporter", "2026-03", "monthly", D(2026, 5, 5), None),
        ("reporter", "2026-03", "monthly", D(2026, 5, 6), "截止超过30天"),
        ("supervisor", "2026-03", "monthly", D(2026, 11, 30), None),
    ],
)
def test_entry_refusal(
    ledger: SimpleNamespace,
    people: SimpleNamespace,
    who: str,
    period: str,
    periodicity: str,
    as_of: Any,
    refusal: Any,
) -> None:
    found = rules.entry_refusal(getattr(people, who), ledger.plan, period, periodicity, as_of)
    assert found == refusal if refusal is None else (found is not None and refusal in found)


def test_a_period_before_the_plans_reporting_start_is_refused(ledger: SimpleNamespace, people: Any) -> None:
    Plan.objects.filter(pk=ledger.plan.pk).update(reporting_starts=D(2026, 3, 31))  # March's last day
    plan = Plan.objects.get(pk=ledger.plan.pk)
    february = rules.entry_refusal(people.reporter, plan, "2026-02", "monthly", D(2026, 4, 10))
    assert february is not None and "不在本计划的报送年度" in february
    assert rules.entry_refusal(people.reporter, plan, "2026-03", "monthly", D(2026, 4, 10)) is None


@pytest.fixture
def town_indicator(org: SimpleNamespace, people: SimpleNamespace, bureau_plan: SimpleNamespace) -> Any:
    """An indicator of 青石镇 in 交通运输局's own plan."""
    [made] = services.create_indicators(
        bureau_plan.plan,
        people.supervisor,
        [services.IndicatorDraft(name="养护里程", owner_unit=org.town, target=Decimal("10"))],
    )
    return made


def test_who_sees_and_enters_an_indicator(
    town_indicator: Any, people: SimpleNamespace, make_user: Any, org: SimpleNamespace
) -> None:
    in_scope = {
        who: town_indicator in rules.indicators_in_scope(getattr(people, who))
        for who in ("bureau_supervisor", "town_reporter", "reporter", "housing_reporter")
    }
    assert in_scope == {
        "bureau_supervisor": True,
        "town_reporter": True,
        "reporter": False,
        "housing_reporter": False,
    }
    _, caps = rules.get_indicator_for_user(people.bureau_supervisor, town_indicator.pk)  # the owner side
    assert caps.can_view and caps.can_define and caps.can_enter
    _, caps = rules.get_indicator_for_user(people.town_reporter, town_indicator.pk)
    assert caps.can_enter and not caps.can_define
    town_leader = make_user("qs_leader", Role.LEADER, org.town)
    _, caps = rules.get_indicator_for_user(town_leader, town_indicator.pk)
    assert caps.can_view and not caps.can_enter  # holds the unit, but leaders do not enter values
    _, caps = rules.get_indicator_for_user(make_user("it_admin", Role.ADMIN, None), town_indicator.pk)
    assert caps.can_view  # sees everything without holding a unit
    for outsider in (people.reporter, people.housing_reporter):
        with pytest.raises(Http404):
            rules.get_indicator_for_user(outsider, town_indicator.pk)


def test_a_plan_opens_through_an_indicator_of_ones_unit(
    bureau_plan: SimpleNamespace, people: SimpleNamespace, org: SimpleNamespace
) -> None:
    with pytest.raises(Http404):  # 住建局 has nothing in 交通运输局's plan
        rules.get_plan_for_user(people.housing_reporter, bureau_plan.plan.pk)
    services.create_indicators(
        bureau_plan.plan,
        people.supervisor,
        [services.IndicatorDraft(name="配套管网", owner_unit=org.housing, target=Decimal("5"))],
    )
    assert rules.get_plan_for_user(people.housing_reporter, bureau_plan.plan.pk) == bureau_plan.plan
