"""League-table pages: thin — permissions from ``ledger.permissions``, tables from ``services``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import request_user
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError, StaleVersion
from taizhang.ledger.forms import add_domain_error
from taizhang.ledger.periods import today
from taizhang.rankings import facts, services
from taizhang.rankings.forms import ScoringSchemeForm
from taizhang.rankings.models import WEIGHT_FIELDS
from taizhang.rankings.scores import RULES


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """排名: the chosen plan's table (``?plan=``), else this year's first plan in scope."""
    user = request_user(request)
    wanted = request.GET.get("plan", "")
    if wanted:
        chosen, _ = permissions.get_plan_for_user(user, wanted)  # 404 when not visible
        return redirect("rankings:table", chosen.pk)
    plans = list(permissions.plans_in_scope(user).order_by("-year", "id")[:50])
    as_of = today()
    plan = next((p for p in plans if p.year == as_of.year), plans[0] if plans else None)
    if plan is not None:
        return redirect("rankings:table", plan.pk)
    return render(request, "rankings/table.html", {"plans": [], "plan": None})


@login_required
@require_GET
def table(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, plan_id)
    as_of = today()
    period = request.GET.get("period") or services.default_month(plan, as_of)
    ytd = request.GET.get("view") == "ytd"
    context: dict[str, object] = {
        "plan": plan,
        "plans": list(permissions.plans_in_scope(user).order_by("-year", "id")[:50]),
        "months": facts.plan_months(plan),
        "period": period,
        "ytd": ytd,
        "may_manage": caps.can_manage,
        "rules": RULES,
    }
    try:
        rows = (
            services.year_to_date(plan, period, as_of) if ytd else services.shown_table(plan, period, as_of)
        )
    except DomainError as err:
        context["error"] = str(err)
        return render(request, "rankings/table.html", context, status=400)
    visible = services.visible_unit_ids(user, plan)
    snapshot = services.published(plan, period)
    _, last = facts.month_bounds(period)
    context.update(
        rows=[r for r in rows if visible is None or r.unit_id in visible],
        snapshot=snapshot,
        may_publish=caps.can_manage and not ytd and snapshot is None and last < as_of,
        labels=[li.rule for li in rows[0].breakdown] if rows else [],
        plan_url=reverse("ledger:plan_detail", args=[plan.pk]),
    )
    return render(request, "rankings/table.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, plan_id)
    if not caps.can_manage:
        raise PermissionDenied("只有该计划的督查人员可以发布排名")
    period = request.POST.get("period", "")
    try:
        services.publish(plan, period, user, today())
    except DomainError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"{period} 排名已发布，此后不再变动。")
    url = reverse("rankings:table", args=[plan.pk])
    return redirect(f"{url}?{urlencode({'period': period})}" if period else url)


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest, plan_id: int) -> HttpResponse:
    """评分办法: every rule with its weight; those who manage the plan edit it."""
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, plan_id)
    current = services.scheme_for(plan)
    stale = False
    form = None
    if request.method == "POST":
        if not caps.can_manage:
            raise PermissionDenied("只有该计划的督查人员可以修改评分办法")
        form = ScoringSchemeForm(request.POST, instance=services.scheme_for(plan))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in WEIGHT_FIELDS}
            try:
                services.save_scheme(plan, values, form.cleaned_data["version"], user)
            except StaleVersion as err:
                stale = True
                add_domain_error(form, err)
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "评分办法已保存，未发布的排名将按新办法计算。")
                return redirect("rankings:scheme", plan.pk)
    elif caps.can_manage:
        form = ScoringSchemeForm(instance=current, initial={"version": current.version})
    weights = current.weights()
    shown = [("基础分", "每个单位每期的起始分", weights.base)]
    shown += [(r.label, r.help, weights.of(r.key)) for r in RULES]
    return render(
        request,
        "rankings/scheme.html",
        {"plan": plan, "form": form, "stale": stale, "weights": shown, "custom": current.pk is not None},
    )
