"""Colours on the screens: the plan list's filter and counts, the task page, the overview per unit
and leader, the Excel export, and the thresholds form (who may change it, and what it checks)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.core.colours import Colour
from taizhang.ledger.models import Task, TaskStatus
from taizhang.supervision.models import ColourRules, TaskColour
from taizhang.supervision.refresh import refresh

AS_OF = dt.date(2026, 11, 3)


@pytest.fixture
def coloured(ledger: SimpleNamespace) -> SimpleNamespace:
    """No reports at all: the open tasks have months missing in a row → red; housing is done → white."""
    Task.objects.filter(pk=ledger.housing.pk).update(status=TaskStatus.DONE, progress=100)
    refresh(Task.objects.filter(plan=ledger.plan), AS_OF)
    return ledger


def test_plan_page_counts_and_filters_by_colour(
    coloured: SimpleNamespace, people: Any, login: Callable
) -> None:
    client = login(people.supervisor)
    url = reverse("ledger:plan_detail", args=[coloured.plan.pk])
    page = client.get(url).content.decode()
    assert "红色</span> 2 项" in page and "白色</span> 1 项" in page and "绿色</span> 0 项" in page
    red = client.get(url, {"colour": Colour.RED}).content.decode()
    assert coloured.transport.title in red and coloured.town.title in red
    assert coloured.housing.title not in red
    white = client.get(url, {"colour": Colour.WHITE}).content.decode()
    assert coloured.housing.title in white and coloured.transport.title not in white


def test_task_page_shows_every_reason_and_the_history(
    coloured: SimpleNamespace, people: Any, login: Callable
) -> None:
    page = (
        login(people.reporter)
        .get(reverse("ledger:task_detail", args=[coloured.transport.pk]))
        .content.decode()
    )
    stored = TaskColour.objects.get(task=coloured.transport)
    assert stored.colour == Colour.RED
    for reason in stored.reasons:
        assert reason in page
    assert "颜色变化记录（1）" in page


def test_overview_by_unit_and_leader(coloured: SimpleNamespace, people: Any, login: Callable) -> None:
    Task.objects.filter(pk=coloured.town.pk).update(leader_name="王副县长")
    page = login(people.leader).get(reverse("supervision:overview")).content.decode()
    assert "县交通运输局" in page and "青石镇" in page and "县住房和城乡建设局" in page
    assert "王副县长" in page and "未指定责任领导" in page
    # each count links to the plan's list filtered by that unit and colour
    link = f"?unit={coloured.town.lead_unit_id}&amp;colour=red"
    assert link in page


def test_overview_of_a_plan_out_of_scope_is_404(
    coloured: SimpleNamespace, bureau_plan: Any, people: Any, login: Callable
) -> None:
    response = login(people.housing_reporter).get(
        reverse("supervision:overview"), {"plan": bureau_plan.plan.pk}
    )
    assert response.status_code == 404


def test_reporter_overview_counts_only_their_tasks(
    coloured: SimpleNamespace, people: Any, login: Callable
) -> None:
    page = login(people.town_reporter).get(reverse("supervision:overview")).content.decode()
    assert "青石镇" in page and "县住房和城乡建设局" not in page


def test_export_names_the_colour_and_reasons(coloured: SimpleNamespace, people: Any, login: Callable) -> None:
    body = login(people.supervisor).get(reverse("ledger:plan_export", args=[coloured.plan.pk])).content
    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[2]]
    assert header[-1] == "颜色"
    cells = {row[1].value: row[-1].value for row in sheet.iter_rows(min_row=3)}
    assert cells[coloured.housing.title] == "白色：已完成销号"
    assert cells[coloured.town.title].startswith("红色：")


# --- the thresholds form ----------------------------------------------------------------------


def _post(client: Any, plan: Any, **values: Any) -> Any:
    data = {"warn_days": 7, "yellow_behind": 10, "red_behind": 25, "red_missing": 2, "version": 1}
    data.update(values)
    return client.post(reverse("supervision:colour_rules", args=[plan.pk]), data)


def test_supervisor_sets_thresholds_and_the_plan_is_recoloured(
    coloured: SimpleNamespace,
    people: Any,
    login: Callable,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("taizhang.supervision.signals.today", lambda: AS_OF)
    assert TaskColour.objects.get(task=coloured.transport).colour == Colour.RED
    client = login(people.supervisor)
    assert client.get(reverse("supervision:colour_rules", args=[coloured.plan.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, coloured.plan, red_missing=12, yellow_behind=90, red_behind=100)
    assert response.status_code == 302
    rules = ColourRules.objects.get(plan=coloured.plan)
    assert (rules.red_missing, rules.yellow_behind, rules.red_behind) == (12, 90, 100)
    assert LogEntry.objects.get_for_object(rules).exists()
    # recoloured after the commit: nine months unreported are below 12 in a row, and 0 % against
    # 84 % 序时进度 is not more than 90 points behind
    transport = TaskColour.objects.get(task=coloured.transport)
    assert transport.colour == Colour.YELLOW, transport.reasons


def test_yellow_must_be_below_red(coloured: SimpleNamespace, people: Any, login: Callable) -> None:
    response = _post(login(people.supervisor), coloured.plan, yellow_behind=30, red_behind=25)
    assert response.status_code == 200
    assert "黄色的落后百分点应小于红色的落后百分点" in response.content.decode()
    assert not ColourRules.objects.exists()


def test_out_of_range_values_are_refused_in_chinese(
    coloured: SimpleNamespace, people: Any, login: Callable
) -> None:
    response = _post(login(people.supervisor), coloured.plan, red_missing=0, warn_days=999)
    page = response.content.decode()
    assert response.status_code == 200 and "确保该值大于或等于1" in page and "确保该值小于或等于60" in page
    assert not ColourRules.objects.exists()


def test_a_stale_form_does_not_overwrite(
    coloured: SimpleNamespace, people: Any, colleague: Any, login: Callable
) -> None:
    assert _post(login(colleague), coloured.plan, warn_days=3).status_code == 302
    response = _post(login(people.supervisor), coloured.plan, warn_days=14, version=1)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    assert ColourRules.objects.get(plan=coloured.plan).warn_days == 3


@pytest.mark.parametrize("who", ["bureau_supervisor", "leader", "reporter", "admin"])
def test_only_the_plans_supervisors_change_thresholds(
    coloured: SimpleNamespace, people: Any, login: Callable, who: str
) -> None:
    response = _post(login(getattr(people, who)), coloured.plan, warn_days=1)
    assert response.status_code in (403, 404)
    assert not ColourRules.objects.exists()


def test_homes_count_the_plans_problems_by_colour_in_scope(
    ledger: SimpleNamespace, problem: Any, people: Any, login: Callable
) -> None:
    # deadline 30 Sep 2026, not signed off: red on any day after it (the tests run later than that)
    page = login(people.supervisor).get(reverse("front:home")).content.decode()
    assert "problem-colours" in page and "红色</span> 1 条" in page
    assert f"?plan={ledger.plan.pk}&amp;colour=red" in page
    # 交通运输局's reporter sees no problem of 住建局, so no row of zeros either
    other = login(people.reporter).get(reverse("front:home")).content.decode()
    assert "problem-colours" not in other
