"""The ledger's screens: plans, tasks with their timeline, reporting, 配合情况, review, 批示, task
edits and change requests (延期申请 / 调整申请).

Views stay thin: every object comes from ``taizhang.ledger.permissions`` (the object and what the
user may do with it), reads from ``taizhang.ledger.queries`` / ``timeline``, writes from
``taizhang.ledger.services``, whose ``DomainError`` messages (Chinese) become form errors — never a
500. An object the user may not see → 404, exactly like a missing one; an object they may see but
not act on → 403. Every action works as a plain form post (POST → redirect → GET); with htmx,
filters and the review queue update in place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import Unit, User, request_user
from taizhang.core.colours import MEANING, ORDER
from taizhang.core.dates import chinese_date
from taizhang.core.redirects import next_url
from taizhang.ledger import exporting, obligations, permissions, services
from taizhang.ledger.errors import AlreadyPosted, DomainError, StaleVersion
from taizhang.ledger.forms import (
    ChangeRequestForm,
    CommentForm,
    CoReportForm,
    DecisionForm,
    ReportForm,
    ReviewFilterForm,
    ReviewForm,
    TaskEditForm,
    TaskFilterForm,
    add_domain_error,
)
from taizhang.ledger.models import CoReport, Plan, ProgressReport, ReviewState, Task
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
    colour_counts,
    filter_tasks,
    leader_choices,
    page_tasks,
    pending_reports,
    plan_stats,
    reports_by_task,
    same_submission,
    unit_choices,
    with_attachments,
)
from taizhang.ledger.timeline import task_timeline

TASKS_PER_PAGE = 50
PLANS_PER_PAGE = 25
REVIEWS_PER_PAGE = 20
PRINT_LIMIT = 2000
TIMELINE_LIMIT = 60
COLOUR_HISTORY_LIMIT = 24


def _task_url(task: Task, anchor: str = "") -> str:
    return reverse("ledger:task_detail", args=[task.pk]) + (f"#{anchor}" if anchor else "")


# --- plans --------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    as_of = today()
    plans = permissions.plans_in_scope(user).select_related("owner_unit").order_by("-year", "id")
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    stats = plan_stats(user, [p.pk for p in page.object_list], as_of)
    rows = [(plan, stats.get(plan.pk, PlanStats()), due_period(plan, as_of)) for plan in page.object_list]
    return render(request, "ledger/plan_list.html", {"page": page, "rows": rows, "as_of": as_of})


def _plan_tasks(request: HttpRequest, user: User, plan: Plan) -> tuple[TaskFilterForm, TaskFilter, Any]:
    tasks = permissions.tasks_in_scope(user).filter(plan=plan)
    form = TaskFilterForm(
        request.GET,
        units=unit_choices(user, tasks),
        categories=category_choices(tasks),
        leaders=leader_choices(tasks),
    )
    spec = form.spec()
    return form, spec, filter_tasks(tasks, spec).select_related("lead_unit", "leader", "colour")


def _filter_query(request: HttpRequest) -> str:
    """The filters and sort on screen, without the page: what print and export must apply."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    as_of = today()
    plan, caps = permissions.get_plan_for_user(user, pk)
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
        "colours": colour_counts(permissions.tasks_in_scope(user).filter(plan=plan)),
        "legend": [(c, MEANING[c]) for c in ORDER],
        "may_manage": caps.can_manage,
        "as_of": as_of,
        "query": request.GET.urlencode(),
        "filter_query": _filter_query(request),
        # The source document is the owner's (the same right as on the task page): no dead link.
        "may_see_source": caps.can_view_all_tasks,
    }
    template = "ledger/_task_table.html" if getattr(request, "htmx", False) else "ledger/plan_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # a partial and a page share one URL
    return response


@login_required
@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The filtered list as a 台账 printout (all rows up to PRINT_LIMIT, no pagination)."""
    user = request_user(request)
    as_of = today()
    plan, _ = permissions.get_plan_for_user(user, pk)
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
    user = request_user(request)
    plan, _ = permissions.get_plan_for_user(user, pk)
    _form, _spec, tasks = _plan_tasks(request, user, plan)
    body = exporting.export_plan(plan, exporting.export_tasks(plan, tasks))
    response = HttpResponse(body, content_type=exporting.XLSX_CONTENT_TYPE)
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in plan.title) or "台账"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}（台账）.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


# --- task page ----------------------------------------------------------------------------------


def _task_page(
    request: HttpRequest,
    task: Task,
    caps: permissions.Capabilities,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    as_of = today()
    reports = list(
        task.reports.select_related("submitted_by", "reviewer")
        .prefetch_related("attachments")
        .order_by("-period")
    )
    for report in reports:
        report.task = task  # the plan is already loaded: no query per report
    # each 批示's 批示件 (supervision's, by relation name) in the same read: no query per 批示
    comments = list(task.comments.select_related("author", "instruction", "instruction__answered_by"))
    milestones = list(task.milestones.all())
    co_reports = list(
        task.co_reports.select_related("unit", "submitted_by").order_by("-period", "unit__sort_order")
    )
    change_requests = list(
        task.change_requests.select_related("new_lead_unit", "requested_by", "decided_by").order_by(
            "-requested_at", "-id"
        )
    )
    co_by_period: dict[str, list[Any]] = {}
    for co in co_reports:
        co_by_period.setdefault(co.period, []).append(co)
    periods = [
        (
            s,
            caps.can_report
            and s.window.opens <= as_of
            and (s.report is None or s.report.state != ReviewState.APPROVED),
            co_by_period.get(s.period, []),
        )
        for s in reversed(obligations.period_states(task, as_of, reports))
        if s.window.opens <= as_of
    ]
    context = {
        "task": task,
        "plan": task.plan,
        "caps": caps,
        "co_units": list(task.co_units.all()),
        "colour_changes": list(task.colour_changes.order_by("-at", "-id")[:COLOUR_HISTORY_LIMIT]),
        "reports": reports,
        "milestones": milestones,
        "periods": periods,
        "co_reports": co_reports,
        "change_requests": change_requests,
        "comments": sorted(comments, key=lambda c: (c.created_at, c.pk), reverse=True),
        "timeline": task_timeline(
            task,
            reports=reports,
            comments=comments,
            milestones=milestones,
            co_reports=co_reports,
            change_requests=change_requests,
            as_of=as_of,
            limit=None if request.GET.get("timeline") == "all" else TIMELINE_LIMIT,
        ),
        "may_report": caps.can_report,
        "may_review": caps.can_review,
        "may_edit": caps.can_manage,
        "may_comment": caps.can_comment,
        "may_mark_milestones": caps.can_mark_milestones,
        "may_see_source": permissions.plan_capabilities(request_user(request), task.plan).can_view_all_tasks,
        "comment_form": comment_form or CommentForm(),
        "as_of": as_of,
    }
    return render(request, "ledger/task_detail.html", context, status=status)


def _require(allowed: bool, message: str) -> None:
    """A visible object the user may not act on: 403 with a Chinese message."""
    if not allowed:
        raise PermissionDenied(message)


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task, caps = permissions.get_task_for_user(request_user(request), pk)
    return _task_page(request, task, caps)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_manage, "只有该任务所属计划的督查人员可以修改任务")
    units = permissions.assignable_units(user)
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
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_comment, "只有领导和督查人员可以作出批示")
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
    return _task_page(request, task, caps, comment_form=form)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    milestone, caps = permissions.get_milestone_for_user(user, pk)
    task = milestone.task
    _require(caps.can_mark_milestones, "只有牵头单位的填报员和该计划的督查人员可以标记节点")
    done = request.POST.get("done") == "1"
    if milestone.done != done:  # posting the same state twice changes nothing
        services.set_milestone_done(milestone.pk, user, done=done)
        messages.success(request, f"节点“{milestone.description}”已标记为{'已完成' if done else '未完成'}。")
    return redirect(_task_url(task, "milestones"))


# --- reporting ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_report, "您不是该任务牵头单位的填报员（配合单位请填写配合情况）")
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
    done_url = next_url(request, _task_url(task))
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
                    + (f"本次为逾期报送（截止日期 {chinese_date(window.closes)}）。" if late else ""),
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
        "next": next_url(request, ""),
        "max_upload_mb": settings.TAIZHANG_MAX_UPLOAD_MB,
    }
    return render(request, "ledger/report_form.html", context)


# --- review -------------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _require(permissions.actor(user).supervisor, "只有督查人员可以审核进展")
    form = ReviewFilterForm(
        request.GET,
        plans=permissions.plans_in_scope(user).order_by("-year", "id"),
        units=permissions.assignable_units(user),
    )
    spec = form.spec()
    reports = pending_reports(user, spec)
    page = Paginator(reports, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    items = [
        (report, ReviewForm(initial={"version": report.version}))
        for report in with_attachments(page.object_list)
    ]
    query = request.GET.urlencode()
    context: dict[str, object] = {"form": form, "page": page, "items": items, "query": query}
    if spec.plan is None and spec.unit is None:  # the nav's 待审核 is this very count: ask once
        context["review_count"] = page.paginator.count
    return render(request, "ledger/review_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report, caps = permissions.get_report_for_user(user, pk)
    task = report.task
    _require(caps.can_review, "您不是该任务所属计划的督查人员，不能审核")
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
            return HttpResponseRedirect(next_url(request, reverse("ledger:review_queue")))
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
        "next": next_url(request, ""),
    }
    return render(request, "ledger/report_review.html", context)


# --- 配合情况 ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def co_report_submit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """A co-operating unit's own note for ``period``; the lead unit's report stays untouched."""
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_co_report, "您不是该任务配合单位的填报员")
    try:
        if cadence_of(period) != task.plan.cadence or not obligations.in_span(task, task.plan, period):
            raise Http404("该任务在此报送期无需报送")
    except DomainError:
        raise Http404("报送期不存在") from None
    unit = services.co_report_unit(user, task)
    existing = CoReport.objects.filter(task=task, unit=unit, period=period).first()
    done_url = _task_url(task, "co-reports")
    if request.method == "POST":
        form = CoReportForm(request.POST)
        if form.is_valid():
            try:
                services.submit_co_report(
                    task,
                    user,
                    period=period,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, f"已填写{period_label(period)}配合情况。")
                return redirect(done_url)
    else:
        initial = {"text": existing.text, "version": existing.version} if existing else {}
        form = CoReportForm(initial=initial)
    lead_report = (
        ProgressReport.objects.filter(task=task, period=period).only("state", "submitted_at").first()
    )
    context = {
        "task": task,
        "plan": task.plan,
        "period": period,
        "unit": unit,
        "existing": existing,
        "lead_report": lead_report,
        "form": form,
        "window": plan_window(task.plan, period),
    }
    return render(request, "ledger/co_report_form.html", context)


# --- 延期申请 / 调整申请 -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_request_change, "只有牵头单位可以提出申请")
    units = (
        Unit.objects.filter(is_active=True).exclude(pk=task.lead_unit_id or 0).order_by("sort_order", "id")
    )
    if request.method == "POST":
        form = ChangeRequestForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_change(
                    task,
                    user,
                    kind=data["kind"],
                    reason=data["reason"],
                    new_deadline=data["new_deadline"],
                    new_lead_unit=data["new_lead_unit"],
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "申请已提交，等待计划督查人员审批。")
                return redirect(_task_url(task, "requests"))
    else:
        form = ChangeRequestForm(initial={"new_deadline": task.deadline}, units=units)
    return render(request, "ledger/change_request_form.html", {"task": task, "plan": task.plan, "form": form})


@login_required
@require_POST
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    change, caps = permissions.get_change_request_for_user(user, pk)
    _require(caps.can_manage, "只有该任务所属计划的督查人员可以审批申请")
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_change_request(
                change,
                user,
                approve=approve,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, f"{change.get_kind_display()}{'已同意' if approve else '未同意'}。")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_task_url(change.task, "requests"))
