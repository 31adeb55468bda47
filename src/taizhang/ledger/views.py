"""The ledger's screens: plans, tasks with their timeline, reporting, review, 批示 and task edits.

Views stay thin: reads come from ``taizhang.ledger.queries`` / ``timeline`` (all starting from
``scope.tasks_in_scope``), writes from ``taizhang.ledger.services``, whose ``DomainError`` messages
(Chinese) become form errors — never a 500. Object-level permission on every view: an object the
user may not see → 404; an object they may see but not act on → 403. Every action works as a plain
form post (POST → redirect → GET); with htmx, filters and the review queue update in place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import Role, User
from taizhang.ledger import exporting, obligations, scope, services
from taizhang.ledger.errors import AlreadyPosted, DomainError, StaleVersion
from taizhang.ledger.forms import (
    CommentForm,
    ReportForm,
    ReviewFilterForm,
    ReviewForm,
    TaskEditForm,
    TaskFilterForm,
    add_domain_error,
)
from taizhang.ledger.models import Milestone, Plan, ProgressReport, ReviewState, Task
from taizhang.ledger.periods import (
    cadence_of,
    due_period,
    period_label,
    plan_window,
    today,
)
from taizhang.ledger.queries import (
    PlanStats,
    TaskFilter,
    category_choices,
    filter_tasks,
    leader_choices,
    page_tasks,
    pending_reports,
    plan_stats,
    reports_by_task,
    same_submission,
    unit_choices,
    visible_plans,
    visible_task,
    with_attachments,
)
from taizhang.ledger.timeline import task_timeline

TASKS_PER_PAGE = 50
PLANS_PER_PAGE = 25
REVIEWS_PER_PAGE = 20
PRINT_LIMIT = 2000
TIMELINE_LIMIT = 60


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _task_or_404(user: User, pk: int) -> Task:
    task = visible_task(user, pk)
    if task is None:
        raise Http404("任务不存在或不在您的管辖范围内")
    return task


def _plan_or_404(user: User, pk: int) -> Plan:
    plan = visible_plans(user).select_related("owner_unit", "source").filter(pk=pk).first()
    if plan is None:
        raise Http404("计划不存在或不在您的管辖范围内")
    return plan


def _next_url(request: HttpRequest, default: str) -> str:
    """A same-site ``next`` from the form or query string, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _task_url(task: Task, anchor: str = "") -> str:
    return reverse("ledger:task_detail", args=[task.pk]) + (f"#{anchor}" if anchor else "")


# --- plans --------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    as_of = today()
    plans = visible_plans(user).select_related("owner_unit").order_by("-year", "id")
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    stats = plan_stats(user, [p.pk for p in page.object_list], as_of)
    rows = [(plan, stats.get(plan.pk, PlanStats()), due_period(plan, as_of)) for plan in page.object_list]
    return render(request, "ledger/plan_list.html", {"page": page, "rows": rows, "as_of": as_of})


def _plan_tasks(request: HttpRequest, user: User, plan: Plan) -> tuple[TaskFilterForm, TaskFilter, Any]:
    tasks = scope.tasks_in_scope(user).filter(plan=plan)
    form = TaskFilterForm(
        request.GET,
        units=unit_choices(user, tasks),
        categories=category_choices(tasks),
        leaders=leader_choices(tasks),
    )
    spec = form.spec()
    return form, spec, filter_tasks(tasks, spec).select_related("lead_unit", "leader")


def _filter_query(request: HttpRequest) -> str:
    """The filters and sort on screen, without the page: what print and export must apply."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    as_of = today()
    plan = _plan_or_404(user, pk)
    form, spec, filtered = _plan_tasks(request, user, plan)
    page = Paginator(filtered, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    tasks = page_tasks(page.object_list)
    period = due_period(plan, as_of)
    reports = reports_by_task([t.pk for t in tasks], period) if period else {}
    context = {
        "plan": plan,
        "form": form,
        "spec": spec,
        "sort": spec.sort,
        "page": page,
        "rows": [
            (t, reports.get(t.pk), period is not None and obligations.owes(t, plan, period)) for t in tasks
        ],
        "period": period,
        "stats": plan_stats(user, [plan.pk], as_of).get(plan.pk, PlanStats()),
        "as_of": as_of,
        "query": request.GET.urlencode(),
        "filter_query": _filter_query(request),
    }
    template = "ledger/_task_table.html" if getattr(request, "htmx", False) else "ledger/plan_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # a partial and a page share one URL
    return response


@login_required
@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The filtered list as a 台账 printout (all rows up to PRINT_LIMIT, no pagination)."""
    user = _user(request)
    as_of = today()
    plan = _plan_or_404(user, pk)
    form, spec, filtered = _plan_tasks(request, user, plan)
    tasks = page_tasks(filtered[: PRINT_LIMIT + 1])
    truncated = len(tasks) > PRINT_LIMIT
    tasks = tasks[:PRINT_LIMIT]
    reports = obligations.reported_reports([t.pk for t in tasks])
    context = {
        "plan": plan,
        "form": form,
        "spec": spec,
        "rows": [(t, reports.get(t.pk)) for t in tasks],
        "truncated": truncated,
        "limit": PRINT_LIMIT,
        "as_of": as_of,
        "printed_at": timezone.localtime(),
    }
    return render(request, "ledger/plan_print.html", context)


@login_required
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as an Excel 台账: the tasks of the plan the user may see (all of them for its office),
    through the same filters and sort as the list on screen."""
    user = _user(request)
    plan = get_object_or_404(Plan.objects.select_related("owner_unit"), pk=pk)
    _form, _spec, tasks = _plan_tasks(request, user, plan)
    owns = not user.is_reporter and (
        scope.sees_everything(user) or plan.owner_unit_id in scope.scope_unit_ids(user)
    )
    if not owns and not tasks.exists():
        raise Http404
    body = exporting.export_plan(plan, exporting.export_tasks(plan, tasks))
    response = HttpResponse(body, content_type=exporting.XLSX_CONTENT_TYPE)
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in plan.title) or "台账"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}（台账）.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


# --- task page ----------------------------------------------------------------------------------


def _task_page(
    request: HttpRequest, task: Task, *, comment_form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    as_of = today()
    reports = list(
        task.reports.select_related("submitted_by", "reviewer")
        .prefetch_related("attachments")
        .order_by("-period")
    )
    for report in reports:
        report.task = task  # the plan is already loaded: no query per report
    comments = list(task.comments.select_related("author"))
    milestones = list(task.milestones.all())
    may_report = scope.can_report(user, task)
    may_review = scope.can_review(user, task)
    periods = [
        (
            s,
            may_report
            and s.window.opens <= as_of
            and (s.report is None or s.report.state != ReviewState.APPROVED),
        )
        for s in reversed(obligations.period_states(task, as_of, reports))
        if s.window.opens <= as_of
    ]
    context = {
        "task": task,
        "plan": task.plan,
        "co_units": list(task.co_units.all()),
        "reports": reports,
        "milestones": milestones,
        "periods": periods,
        "comments": sorted(comments, key=lambda c: (c.created_at, c.pk), reverse=True),
        "timeline": task_timeline(
            task,
            reports=reports,
            comments=comments,
            milestones=milestones,
            as_of=as_of,
            limit=None if request.GET.get("timeline") == "all" else TIMELINE_LIMIT,
        ),
        "may_report": may_report,
        "may_review": may_review,
        "may_edit": scope.can_edit_task(user, task),
        "may_comment": scope.can_comment(user, task),
        "may_mark_milestones": may_review or may_report,
        "comment_form": comment_form or CommentForm(),
        "as_of": as_of,
    }
    return render(request, "ledger/task_detail.html", context, status=status)


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task_or_404(_user(request), pk))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = _task_or_404(user, pk)
    if not scope.can_edit_task(user, task):
        raise PermissionDenied("只有该任务的督查人员可以修改任务")
    units = scope.visible_units(user)
    stale = False
    if request.method == "POST":
        form = TaskEditForm(request.POST, task=task, units=units)
        if form.is_valid():
            changes = form.changes(task)
            if not changes:
                messages.info(request, "未作任何修改。")
                return redirect(_task_url(task))
            try:
                services.update_task(task, changes, form.cleaned_data["version"], user)
            except StaleVersion as err:
                stale = True
                add_domain_error(form, err)
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "任务已保存。")
                return redirect(_task_url(task))
    else:
        form = TaskEditForm(initial=TaskEditForm.initial_for(task), task=task, units=units)
    return render(
        request,
        "ledger/task_edit.html",
        {
            "task": task,
            "plan": task.plan,
            "form": form,
            "stale": stale,
            "co_units": list(task.co_units.all()),
        },
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = _task_or_404(user, pk)
    if not scope.can_comment(user, task):
        raise PermissionDenied("只有领导和督查人员可以作出批示")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(task, user, form.cleaned_data["text"])
        except AlreadyPosted as err:
            messages.info(request, f"{err.message}。")
            return redirect(_task_url(task, "comments"))
        except DomainError as err:
            add_domain_error(form, err)
        else:
            messages.success(request, "批示已提交。")
            return redirect(_task_url(task, "comments"))
    return _task_page(request, task, comment_form=form)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    milestone = get_object_or_404(Milestone, pk=pk)
    task = _task_or_404(user, milestone.task_id)
    if not (scope.can_edit_task(user, task) or scope.can_report(user, task)):
        raise PermissionDenied("您不能修改该任务的节点")
    done = request.POST.get("done") == "1"
    if milestone.done != done:  # posting the same state twice changes nothing
        services.set_milestone_done(milestone.pk, user, done=done)
        messages.success(request, f"节点“{milestone.description}”已标记为{'已完成' if done else '未完成'}。")
    return redirect(_task_url(task, "milestones"))


# --- reporting ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    user = _user(request)
    task = _task_or_404(user, pk)
    if not scope.can_report(user, task):
        raise PermissionDenied("您不是该任务牵头或配合单位的填报员")
    try:
        if cadence_of(period) != task.plan.cadence or not obligations.in_span(task, task.plan, period):
            raise Http404("该任务在此报送期无需报送")
    except DomainError:
        raise Http404("报送期不存在") from None
    as_of = today()
    window = plan_window(task.plan, period)
    existing = (
        ProgressReport.objects.filter(task=task, period=period)
        .select_related("reviewer", "submitted_by")
        .prefetch_related("attachments")
        .first()
    )
    done_url = _next_url(request, _task_url(task))
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "text": data["text"],
                "percent": data["percent"],
                "is_zero_report": data["is_zero_report"],
                "zero_reason": data["zero_reason"],
                "lower_reason": data["lower_reason"],
            }
            try:
                report = services.submit_report(
                    task, user, period=period, files=data["files"], expected_version=data["version"], **fields
                )
            except StaleVersion as err:
                current = ProgressReport.objects.filter(task=task, period=period).first()
                if current is not None and same_submission(current, user, **fields):
                    messages.info(request, f"{period_label(period)}的进展已报送，重复提交未再次保存。")
                    return redirect(done_url)
                add_domain_error(form, err)
            except DomainError as err:
                add_domain_error(form, err)
            else:
                late = obligations.report_is_late(report, task.plan)
                messages.success(
                    request,
                    f"已报送{period_label(period)}进展，等待督查室审核。"
                    + (f"本次为逾期报送（截止日期 {_chinese_date(window.closes)}）。" if late else ""),
                )
                return redirect(done_url)
    else:
        initial: dict[str, Any] = {}
        if existing is not None:
            initial = {
                "text": existing.text,
                "percent": existing.percent,
                "is_zero_report": existing.is_zero_report,
                "zero_reason": existing.zero_reason,
                "lower_reason": existing.lower_reason,
                "version": existing.version,
            }
        else:
            initial = {"percent": task.progress}
        form = ReportForm(initial=initial)
    context = {
        "task": task,
        "plan": task.plan,
        "period": period,
        "window": window,
        "existing": existing,
        "form": form,
        "as_of": as_of,
        "not_open": as_of < window.opens,
        "closed": as_of > window.closes,
        "approved": existing is not None and existing.state == ReviewState.APPROVED,
        "next": _next_url(request, ""),
        "max_upload_mb": settings.TAIZHANG_MAX_UPLOAD_MB,
    }
    return render(request, "ledger/report_form.html", context)


# --- review -------------------------------------------------------------------------------------


def _require_supervisor(user: User) -> None:
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied("只有督查人员可以审核进展")


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_supervisor(user)
    form = ReviewFilterForm(
        request.GET, plans=visible_plans(user).order_by("-year", "id"), units=scope.visible_units(user)
    )
    reports = pending_reports(user, form.spec())
    page = Paginator(reports, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    items = [
        (report, ReviewForm(initial={"version": report.version}))
        for report in with_attachments(page.object_list)
    ]
    context = {"form": form, "page": page, "items": items, "query": request.GET.urlencode()}
    return render(request, "ledger/review_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = get_object_or_404(ProgressReport.objects.select_related("submitted_by", "reviewer"), pk=pk)
    task = _task_or_404(user, report.task_id)
    report.task = task
    if not scope.can_review(user, task):
        raise PermissionDenied("您不是该任务的督查人员，不能审核")
    htmx = bool(getattr(request, "htmx", False))
    done = False
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            comment = form.cleaned_data["comment"]
            try:
                report = services.review_report(
                    report,
                    user,
                    approve=approve,
                    comment=comment,
                    expected_version=form.cleaned_data["version"],
                    confirm_lower=form.cleaned_data["confirm_lower"],
                )
                done = True
            except StaleVersion as err:
                current = ProgressReport.objects.get(pk=report.pk)
                wanted = ReviewState.APPROVED if approve else ReviewState.RETURNED
                if (
                    current.reviewer_id == user.pk
                    and current.state == wanted
                    and current.review_comment == comment.strip()
                ):
                    report, done = current, True  # the same decision posted twice
                else:
                    add_domain_error(form, err)
            except DomainError as err:
                add_domain_error(form, err)
        if done:
            report.task = task
            verdict = "已通过" if report.state == ReviewState.APPROVED else "已退回"
            if htmx:
                return render(request, "ledger/_review_item.html", {"report": report, "done": True})
            messages.success(request, f"{task} · {period_label(report.period)}的进展{verdict}。")
            return HttpResponseRedirect(_next_url(request, reverse("ledger:review_queue")))
        if htmx:
            return render(request, "ledger/_review_item.html", {"report": report, "form": form})
    else:
        form = ReviewForm(initial={"version": report.version})
    attachments = list(report.attachments.all())
    context = {
        "report": report,
        "task": task,
        "plan": task.plan,
        "form": form,
        "attachments": attachments,
        "late": obligations.report_is_late(report, task.plan),
        "lower": not report.is_zero_report and obligations.lower_than_approved(task, report.percent),
        "window": plan_window(task.plan, report.period),
        "next": _next_url(request, ""),
    }
    return render(request, "ledger/report_review.html", context)
