"""The 对账 screen. Thin: the plan and its tasks come through ``ledger.permissions`` (a plan out of
scope is a 404, a user sees only the tasks in their scope), documents through the engine, the
matching from ``matching``. Nothing is stored: the result is the answer to the upload."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from taizhang.accounts.models import User, request_user
from taizhang.ledger import permissions
from taizhang.ledger.models import Plan, Task

from .forms import ReconcileForm
from .from_ledger import plan_tasks
from .matching import PassageResult, Reconciliation, TaskResult, reconcile
from .reading import (
    ReadError,
    parse_upload,
    plan_years,
    require_passages,
    require_tasks,
    summary_years,
    year_warning,
)


@dataclass(frozen=True)
class Row:
    task: Task | None  # the ledger's task (None for a plan document's)
    result: TaskResult


@dataclass(frozen=True)
class Outcome:
    plan_name: str
    summary_name: str
    rows: list[Row]
    result: Reconciliation
    warning: str | None = None  # the two documents name other years

    def covered(self) -> list[tuple[PassageResult, list[Row]]]:
        """Each summary passage with the rows of the tasks it reports on (none: 计划外)."""
        return [(p, [self.rows[i] for i in p.tasks]) for p in self.result.passages]


class _Refused(Exception):
    """A document the engine cannot use: its Chinese message, for the form field it came from."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _read(user: User, form: ReconcileForm, plan: Plan | None) -> Outcome:
    summary = form.cleaned_data["summary_file"]
    try:
        parsed = parse_upload(summary.read(), summary.name or "")
        passages = require_passages(parsed)
    except ReadError as err:
        raise _Refused("summary_file", str(err)) from None
    tasks: list[Task | None]
    if plan is not None:
        pairs = plan_tasks(user, plan)
        if not pairs:
            raise _Refused(None, "该计划中没有您可查看的任务")
        tasks, texts, plan_name = [t for t, _ in pairs], [x for _, x in pairs], plan.title
        years = {plan.year}
    else:
        upload = form.cleaned_data["plan_file"]
        try:
            plan_document = parse_upload(upload.read(), upload.name or "")
            texts = require_tasks(plan_document)
        except ReadError as err:
            raise _Refused("plan_file", str(err)) from None
        tasks, plan_name = [None] * len(texts), upload.name or ""
        years = plan_years(plan_document)
    result = reconcile(texts, passages)
    rows = [Row(task, r) for task, r in zip(tasks, result.tasks, strict=True)]
    warning = year_warning(years, summary_years(parsed))
    return Outcome(plan_name, summary.name or "", rows, result, warning)


@login_required
@require_http_methods(["GET", "POST"])
def reconcile_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """对账 for a plan of the ledger (``pk``, or chosen in the form) or an uploaded plan document."""
    user = request_user(request)
    fixed = permissions.get_plan_for_user(user, pk)[0] if pk is not None else None
    plans = permissions.plans_in_scope(user).select_related("owner_unit").order_by("-year", "title", "id")
    posted = request.method == "POST"
    initial = {"plan": request.GET.get("plan")} if not posted else None
    form = ReconcileForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        plans=plans,
        fixed=fixed,
        initial=initial,
    )
    outcome = None
    if posted and form.is_valid():
        plan = fixed or form.cleaned_data.get("plan")
        try:
            outcome = _read(user, form, plan)
        except _Refused as refused:
            form.add_error(refused.field, refused.message)
    context = {
        "form": form,
        "plan": fixed,
        "outcome": outcome,
        "max_mb": settings.TAIZHANG_MAX_UPLOAD_MB,
    }
    return render(request, "reconcile/reconcile.html", context)
