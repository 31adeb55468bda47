"""The role home pages. Thin: what each role sees is composed in ``taizhang.front.dashboards``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from taizhang.accounts.models import Role, User, request_user
from taizhang.core.colours import Colour
from taizhang.front import cockpit as cockpit_figures
from taizhang.front import dashboards
from taizhang.ledger import permissions
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.ledger.queries import colour_counts
from taizhang.supervision import problems
from taizhang.supervision.problem_permissions import problems_in_scope

PLAN_SESSION_KEY = "home_plan"


def _wanted_plan(request: HttpRequest) -> int | None:
    """The plan asked for in the query string (then remembered), else the one remembered."""
    raw = request.GET.get("plan")
    if raw is not None:
        try:
            wanted = int(raw)
        except ValueError:
            return None
        return wanted if 0 < wanted < 2**31 else None
    remembered = request.session.get(PLAN_SESSION_KEY)
    return remembered if isinstance(remembered, int) else None


def _problem_counts(user: User, plan: Plan | None, as_of: dt.date) -> list[tuple[Colour, int]]:
    """The plan's problems in scope by colour; nothing when it has none (no row of zeros)."""
    if plan is None:
        return []
    counts = problems.colour_counts(problems_in_scope(user).filter(plan=plan), as_of)
    return counts if any(n for _, n in counts) else []


def _chosen_plan(request: HttpRequest, user: User, as_of: dt.date) -> tuple[Plan | None, list[Plan]]:
    """The plan the page counts (the home's and the cockpit's: one choice, remembered for both)
    and the plans offered beside it."""
    choices = dashboards.plan_choices(user)
    plan = dashboards.chosen_plan(user, as_of, _wanted_plan(request), choices)
    if plan is not None:
        if request.session.get(PLAN_SESSION_KEY) != plan.pk:  # no session write per visit
            request.session[PLAN_SESSION_KEY] = plan.pk
        if plan not in choices:
            choices.append(plan)
    return plan, choices


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One home per role, for one plan at a time (the user's choice, by default the current
    year's): reporter — what is due; supervisor — the plan at a glance; leader — overview."""
    user = request.user
    assert isinstance(user, User)
    as_of = today()
    plan, choices = _chosen_plan(request, user, as_of)
    tasks = (
        permissions.tasks_in_scope(user).filter(plan=plan)
        if plan is not None
        else permissions.tasks_in_scope(user).none()
    )
    counts = dashboards.task_counts(tasks, as_of)
    context: dict[str, object] = {
        "as_of": as_of,
        "plan": plan,
        "plan_choices": choices,
        "task_total": counts.total,
        "status_counts": counts.by_status,
        "lagging_total": counts.lagging,
        "colour_counts": colour_counts(tasks),
        "problem_counts": _problem_counts(user, plan, as_of),
        "may_open_cockpit": permissions.follows_plans(user),
    }
    context["todo"] = dashboards.supervision_todo(user, plan, as_of)
    if user.role == Role.REPORTER:
        context["reporter"] = dashboards.reporter_home(user, plan, as_of, tasks=tasks)
    elif user.role == Role.LEADER:
        context["leader"] = dashboards.leader_home(user, plan, as_of, tasks)
    elif user.role == Role.SUPERVISOR or permissions.actor(user).everything:
        context["supervisor"] = dashboards.supervisor_home(user, plan, as_of, tasks)
        context["may_chase"] = plan is not None and permissions.plan_capabilities(user, plan).can_manage
    return render(request, "front/home.html", context)


LAGGING_PER_PAGE = 50


@login_required
@require_GET
def lagging(request: HttpRequest) -> HttpResponse:
    """Every lagging task in the user's scope, paginated: the home lists only the first few."""
    user = request.user
    assert isinstance(user, User)
    as_of = today()
    page = Paginator(dashboards.lagging_list(user, as_of), LAGGING_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(task, dashboards.lagging_reason(task, as_of)) for task in page.object_list]
    return render(request, "front/lagging.html", {"page": page, "rows": rows, "as_of": as_of})


@login_required
@require_GET
def cockpit(request: HttpRequest) -> HttpResponse:
    """驾驶舱: one plan's colours, indicators, league table, notices and 批示件 with charts, for
    those who follow plans (leaders, supervisors, admins), within their scope."""
    user = request_user(request)
    if not permissions.follows_plans(user):
        raise PermissionDenied("驾驶舱供领导和督查人员查看")
    as_of = today()
    plan, choices = _chosen_plan(request, user, as_of)
    context: dict[str, object] = {"as_of": as_of, "plan": plan, "plan_choices": choices}
    if plan is not None:
        context["cockpit"] = cockpit_figures.cockpit(user, plan, as_of, timezone.now())
    return render(request, "front/cockpit.html", context)
