"""Supervision's views: thin — permissions from ``ledger.permissions``, rules from their modules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.accounts.models import request_user
from taizhang.core.colours import MEANING, ORDER
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError, StaleVersion
from taizhang.ledger.forms import add_domain_error
from taizhang.ledger.periods import today
from taizhang.ledger.queries import colour_counts
from taizhang.supervision import overview as overview_rules
from taizhang.supervision import services
from taizhang.supervision.forms import ColourRulesForm


@login_required
@require_http_methods(["GET", "POST"])
def colour_rules(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, plan_id)
    if not caps.can_manage:
        raise PermissionDenied("只有该计划的督查人员可以修改四色规则")
    rules = services.rules_for(plan)
    stale = False
    if request.method == "POST":
        form = ColourRulesForm(request.POST, instance=services.rules_for(plan))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
            try:
                services.save_colour_rules(plan, values, form.cleaned_data["version"], user)
            except StaleVersion as err:
                stale = True
                add_domain_error(form, err)
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "四色规则已保存，任务颜色将按新规则重新计算。")
                return redirect("ledger:plan_detail", plan.pk)
    else:
        form = ColourRulesForm(instance=rules, initial={"version": rules.version})
    legend = [(c, MEANING[c]) for c in ORDER]
    return render(
        request,
        "supervision/colour_rules.html",
        {"plan": plan, "form": form, "stale": stale, "legend": legend},
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """四色总览: one plan's colours overall, per lead unit and per leader, and this week's changes."""
    user = request_user(request)
    plans = list(permissions.plans_in_scope(user).select_related("owner_unit").order_by("-year", "id")[:50])
    plan = None
    wanted = request.GET.get("plan", "")
    if wanted:
        plan, _ = permissions.get_plan_for_user(user, wanted)  # 404 when not visible
    elif plans:
        as_of = today()
        plan = next((p for p in plans if p.year == as_of.year), plans[0])
    if plan is not None and plan not in plans:
        plans.append(plan)
    context: dict[str, object] = {
        "plans": plans,
        "plan": plan,
        "legend": [(c, MEANING[c]) for c in ORDER],
    }
    if plan is not None:
        tasks = permissions.tasks_in_scope(user).filter(plan=plan)
        since = timezone.now() - dt.timedelta(days=overview_rules.RECENT_DAYS)
        context.update(
            colours=colour_counts(tasks),
            units=overview_rules.by_unit(tasks),
            leaders=overview_rules.by_leader(tasks),
            changes=overview_rules.recent_changes(tasks, since),
            recent_days=overview_rules.RECENT_DAYS,
            may_manage=permissions.plan_capabilities(user, plan).can_manage,
        )
    return render(request, "supervision/overview.html", context)
