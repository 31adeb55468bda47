"""The role home pages. Thin: what each role sees is composed in ``taizhang.front.dashboards``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from taizhang.accounts.models import Role, User
from taizhang.front import dashboards
from taizhang.ledger import scope
from taizhang.ledger.periods import today


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One home per role: reporter — what is due; supervisor — the plan at a glance; leader — overview."""
    user = request.user
    assert isinstance(user, User)
    as_of = today()
    total, counts = dashboards.status_counts(scope.tasks_in_scope(user))
    context: dict[str, object] = {"as_of": as_of, "task_total": total, "status_counts": counts}
    if user.role == Role.REPORTER:
        context["reporter"] = dashboards.reporter_home(user, as_of)
    elif user.role == Role.LEADER:
        context["leader"] = dashboards.leader_home(user, as_of)
    elif user.role == Role.SUPERVISOR or scope.sees_everything(user):
        context["supervisor"] = dashboards.supervisor_home(user, as_of)
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
