"""催报 by hand (POST only): for one task, or for a plan's tasks owing the current or last period
(all lead units, or one). Only those who manage / review the tasks may chase them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.accounts.models import request_user
from taizhang.core.redirects import next_url
from taizhang.ledger import permissions
from taizhang.ledger.periods import today
from taizhang.supervision import reminders

NOT_YOURS = "只有该任务所属计划的督查人员可以催报"


def _flash(request: HttpRequest, done: bool, text: str) -> None:
    (messages.success if done else messages.info)(request, text)


@login_required
@require_POST
def chase_task(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    if not caps.can_review:
        raise PermissionDenied(NOT_YOURS)
    as_of = today()
    owed = reminders.owed_by_task(task, as_of)
    sent = reminders.chase(owed, user, as_of)
    _flash(request, *reminders.chase_summary(sent, owed))
    return redirect(reverse("ledger:task_detail", args=[task.pk]) + "#periods")


@login_required
@require_POST
def chase_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone missing this period in the plan, or (``unit``) one lead unit's tasks."""
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, pk)
    if not caps.can_manage:
        raise PermissionDenied(NOT_YOURS)
    tasks = permissions.tasks_managed(user).filter(plan=plan)
    raw_unit = request.POST.get("unit", "")
    if raw_unit:
        if not raw_unit.isdigit():
            messages.error(request, "单位参数不正确。")
            return redirect(next_url(request, reverse("front:home")))
        tasks = tasks.filter(lead_unit_id=int(raw_unit))
    as_of = today()
    owed = reminders.owed_in_plan(tasks, plan, as_of)
    sent = reminders.chase(owed, user, as_of)
    _flash(request, *reminders.chase_summary(sent, owed))
    return redirect(next_url(request, reverse("front:home")))
