"""The indicators' demo: a dozen indicators of the demo plan, a few behind 序时进度, some lower is
better, one with a published rank, one missing report; re-running replaces them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from taizhang.accounts.models import User
from taizhang.indicators import demo
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.indicators.queries import summaries
from taizhang.ledger.demo import load_demo

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 27)


def test_demo_indicators(login: Callable[..., Any]) -> None:
    load_demo(AS_OF)
    assert demo.load_demo(AS_OF) == ["指标 12 项，填报数值 119 个"]  # 12 × 10 months, one missing
    rows = summaries(Indicator.objects.select_related("plan", "owner_unit"), AS_OF)
    assert len(rows) == 12
    behind = {r.indicator.name for r in rows if r.summary.behind}
    assert 2 <= len(behind) <= 6, behind
    assert any(r.indicator.direction == "lower" for r in rows)
    assert IndicatorValue.objects.filter(rank__isnull=False).exists()
    assert [r.summary.missing for r in rows if r.summary.missing] == [["2026-10"]]
    assert demo.load_demo(AS_OF)[0].startswith("指标 12 项")  # idempotent
    assert Indicator.objects.count() == 12
    leader = login(User.objects.get(username="xianzhang"))
    plan = Indicator.objects.first().plan  # type: ignore[union-attr]
    page = leader.get(reverse("indicators:plan", args=[plan.pk]))
    assert page.status_code == 200 and "落后序时进度" in page.content.decode()
