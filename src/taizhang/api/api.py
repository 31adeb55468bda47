"""The JSON API under /api/ (django-ninja), for office messaging bots and other programs.

Endpoints (all need a session or a bearer token, see ``taizhang.api.auth``)::

    GET  /api/me                          who am I
    GET  /api/plans                       plans in scope (?year=, paginated)
    GET  /api/plans/{plan_id}             one plan, with task counts by status
    GET  /api/tasks                       tasks in scope (?plan= &unit= &status= &due=, paginated)
    GET  /api/tasks/{task_id}             one task, with milestones and the latest report
    GET  /api/tasks/{task_id}/reports     the task's progress reports, newest period first
    POST /api/tasks/{task_id}/reports     a reporter submits (or corrects) a period's report
    GET  /api/reports                     reports of tasks in scope (?state= &period= &plan= &task=)
    GET  /api/reports/{report_id}         one report
    POST /api/reports/{report_id}/review  a supervisor approves or returns a report
    GET  /api/openapi.json, /api/docs     the schema and its Swagger UI (served locally, no CDN)

Objects come from ``taizhang.ledger.permissions``: an object outside the caller's scope is a 404,
the same as one that does not exist. Writes go through ``taizhang.ledger.services`` (permission, validation,
one transaction, optimistic locking, audit). Every error is JSON ``{"detail": "<中文>"}``.
"""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.operation import Operation
from ninja.renderers import JSONRenderer
from pydantic import Field

from taizhang.accounts import units
from taizhang.accounts.models import Unit, User
from taizhang.api import schemas as s
from taizhang.api.auth import API_AUTH, audit_actor, current_user, docs_login_required
from taizhang.api.errors import chinese_validation_errors, http_error_detail
from taizhang.ledger import obligations, periods, permissions, services
from taizhang.ledger.errors import DomainError, PermissionDenied, StaleVersion
from taizhang.ledger.models import (
    Attachment,
    Milestone,
    Plan,
    ProgressReport,
    ReviewState,
    Task,
    TaskStatus,
)

logger = logging.getLogger(__name__)


class ReadableJSONRenderer(JSONRenderer):
    """Chinese text as is, not as \\u escapes (easier to read with curl and in bot logs)."""

    json_dumps_params = {"ensure_ascii": False}


class TaizhangAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``task_list`` rather than ``taizhang_api_api_task_list``."""
        return operation.view_func.__name__


api = TaizhangAPI(
    title="台账 API",
    version="1",
    description=(
        "重点工作台账的 JSON 接口：按权限范围读取计划、任务和进展，填报员报送进展，督查人员审核。"
        "认证：已登录的浏览器会话（非 GET 请求须带 X-CSRFToken），或每个用户的接口令牌"
        "（请求头 Authorization: Bearer <令牌>，由管理员用 `taizhang apitoken 用户名` 生成）。"
        '错误均以 JSON 返回：{"detail": "中文说明"}。'
    ),
    urls_namespace="api",
    auth=API_AUTH,
    renderer=ReadableJSONRenderer(),
    # Swagger UI from django-ninja's own static files ("ninja" is in INSTALLED_APPS); the online
    # validator badge is switched off so the page never contacts an outside host.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    docs_decorator=docs_login_required,
)

MAX_PAGE_SIZE = 200
# Bounds on numbers from the URL: beyond them the database driver overflows (a 500) instead of
# finding nothing; ids are the databases' 64-bit primary keys.
MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- errors -------------------------------------------------------------------------------------


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail, errors = chinese_validation_errors(exc.errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": http_error_detail(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    if not re.search(r"[\u4e00-\u9fff]", message):
        message = "未找到"
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(StaleVersion)
def _stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=409)


@api.exception_handler(DomainError)
def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never a traceback to the caller, DEBUG or not; the log keeps it.
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "服务器内部错误，请稍后重试或联系管理员"}, status=500)


ERRORS: dict[int, Any] = {
    400: s.ErrorOut,
    401: s.ErrorOut,
    403: s.ErrorOut,
    404: s.ErrorOut,
    409: s.ErrorOut,
    422: s.ValidationErrorOut,
}


def _errors(*codes: int) -> dict[int, Any]:
    return {code: ERRORS[code] for code in (401, 422, *codes)}


# --- serialisation ------------------------------------------------------------------------------


def _unit(unit: Unit | None) -> dict[str, Any] | None:
    return None if unit is None else {"id": unit.pk, "name": unit.name}


def _user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.display_name}


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "owner_unit": _unit(plan.owner_unit),
        "cadence": plan.cadence,
        "cadence_label": plan.get_cadence_display(),
        "report_window_days": plan.report_window_days,
        "starts_on": plan.starts_on,
        "source_name": plan.source.original_name if plan.source is not None else None,
    }


def _task(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "seq": task.seq,
        "code": task.code,
        "category_path": [str(p) for p in (task.category_path or [])],
        "title": task.title,
        "lead_unit": _unit(task.lead_unit),
        "co_units": [_unit(u) for u in task.co_units.all()],
        "leader_name": task.leader_name,
        "deadline": task.deadline,
        "status": task.status,
        "status_label": task.get_status_display(),
        "progress": task.progress,
        "version": task.version,
    }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": reverse("ledger:attachment_download", args=[attachment.pk]),
    }


def _report(report: ProgressReport, plan: Plan) -> dict[str, Any]:
    return {
        "id": report.pk,
        "task_id": report.task_id,
        "period": report.period,
        "period_label": periods.period_label(report.period),
        "text": report.text,
        "percent": report.percent,
        "is_zero_report": report.is_zero_report,
        "zero_reason": report.zero_reason,
        "lower_reason": report.lower_reason,
        "submitted_by": _user(report.submitted_by),
        "submitted_at": report.submitted_at,
        "late": obligations.report_is_late(report, plan),
        "state": report.state,
        "state_label": report.get_state_display(),
        "reviewer": _user(report.reviewer),
        "reviewed_at": report.reviewed_at,
        "review_comment": report.review_comment,
        "version": report.version,
        "attachments": [_attachment(a) for a in report.attachments.all()],
    }


def _reports(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return queryset.select_related("task__plan", "submitted_by", "reviewer").prefetch_related("attachments")


def _tasks(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.select_related("lead_unit").prefetch_related(
        Prefetch("co_units", queryset=Unit.objects.order_by("sort_order", "id"))
    )


# --- scope --------------------------------------------------------------------------------------


def _get_task(user: User, task_id: int) -> Task:
    task, _ = permissions.get_task_for_user(user, task_id)
    return task


def _get_report(user: User, report_id: int) -> ProgressReport:
    report, _ = permissions.get_report_for_user(user, report_id)
    fresh: ProgressReport = _reports(ProgressReport.objects.filter(pk=report.pk)).get()
    return fresh


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（最多 {MAX_PAGE_SIZE}）")


def _page(queryset: QuerySet[Any], query: PageQuery) -> tuple[int, list[Any]]:
    count = queryset.count()
    start = (query.page - 1) * query.page_size
    return count, list(queryset[start : start + query.page_size])


def _page_out(count: int, query: PageQuery, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": count, "page": query.page, "page_size": query.page_size, "items": items}


# --- who am I -----------------------------------------------------------------------------------


@api.get("/me", response={200: s.MeOut, **_errors()}, url_name="me", tags=["用户"], summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    return {
        **(_user(user) or {}),
        "role": user.role,
        "role_label": user.get_role_display(),
        "unit": _unit(user.unit),
    }


# --- plans --------------------------------------------------------------------------------------


class PlanFilters(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


@api.get(
    "/plans",
    response={200: s.Page[s.PlanOut], **_errors()},
    url_name="plan_list",
    tags=["计划"],
    summary="工作计划列表",
)
def plan_list(request: HttpRequest, filters: Query[PlanFilters]) -> dict[str, Any]:
    plans = permissions.plans_in_scope(current_user(request)).select_related("owner_unit", "source")
    if filters.year is not None:
        plans = plans.filter(year=filters.year)
    count, items = _page(plans, filters)
    return _page_out(count, filters, [_plan(p) for p in items])


@api.get(
    "/plans/{plan_id}",
    response={200: s.PlanDetailOut, **_errors(404)},
    url_name="plan_detail",
    tags=["计划"],
    summary="工作计划详情",
)
def plan_detail(request: HttpRequest, plan_id: ObjectId) -> dict[str, Any]:
    user = current_user(request)
    plan, _ = permissions.get_plan_for_user(user, plan_id)
    tasks = permissions.tasks_in_scope(user).filter(plan=plan)
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    return {
        **_plan(plan),
        "task_count": sum(by_status.values()),
        "status_counts": [
            {"status": value, "label": label, "count": by_status.get(value, 0)}
            for value, label in TaskStatus.choices
        ],
    }


# --- tasks --------------------------------------------------------------------------------------


class TaskFilters(PageQuery):
    plan: int | None = Field(None, ge=1, le=MAX_ID, description="计划 id")
    unit: int | None = Field(
        None, ge=1, le=MAX_ID, description="单位 id：牵头或配合该单位（含下级单位）的任务"
    )
    status: TaskStatus | None = Field(None, description="任务状态")
    due: str | None = Field(None, max_length=10, description="报送期（如 2026-03）：该期须报送进展的任务")


@api.get(
    "/tasks",
    response={200: s.Page[s.TaskOut], **_errors(400)},
    url_name="task_list",
    tags=["任务"],
    summary="任务列表（权限范围内）",
)
def task_list(request: HttpRequest, filters: Query[TaskFilters]) -> dict[str, Any]:
    tasks = permissions.tasks_in_scope(current_user(request))
    if filters.plan is not None:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.unit is not None:
        unit = Unit.objects.filter(pk=filters.unit).first()
        ids = units.unit_subtree_ids(unit)
        co = Task.co_units.through.objects.filter(unit_id__in=ids).values("task_id")
        tasks = tasks.filter(Q(lead_unit_id__in=ids) | Q(pk__in=co))
    if filters.status is not None:
        tasks = tasks.filter(status=filters.status)
    if filters.due:
        tasks = tasks.filter(obligations.owes_q(filters.due))
    count, items = _page(_tasks(tasks).order_by("plan", "seq", "id"), filters)
    return _page_out(count, filters, [_task(t) for t in items])


@api.get(
    "/tasks/{task_id}",
    response={200: s.TaskDetailOut, **_errors(404)},
    url_name="task_detail",
    tags=["任务"],
    summary="任务详情（含节点和最近一期进展）",
)
def task_detail(request: HttpRequest, task_id: ObjectId) -> dict[str, Any]:
    task = _get_task(current_user(request), task_id)
    latest = _reports(task.reports.order_by("-period")).first()
    milestones = Milestone.objects.filter(task=task).order_by("due_on", "id")
    return {
        **_task(task),
        "plan_title": task.plan.title,
        "content": task.content,
        "source_line": task.source_line,
        "milestones": list(milestones.values(*s.MilestoneOut.model_fields)),
        "latest_report": None if latest is None else _report(latest, task.plan),
    }


@api.get(
    "/tasks/{task_id}/reports",
    response={200: list[s.ReportOut], **_errors(404)},
    url_name="task_reports",
    tags=["进展"],
    summary="任务的各期进展",
)
def task_reports(request: HttpRequest, task_id: ObjectId) -> list[dict[str, Any]]:
    task = _get_task(current_user(request), task_id)
    return [_report(r, task.plan) for r in _reports(task.reports.order_by("-period"))]


@api.post(
    "/tasks/{task_id}/reports",
    response={200: s.ReportOut, 201: s.ReportOut, **_errors(400, 403, 404, 409)},
    url_name="report_submit",
    tags=["进展"],
    summary="报送进展（填报员）",
    description=(
        "报送本任务某一期的进展。新报告返回 201；"
        "修改本期待审核或被退回的报告须传 expected_version，返回 200。"
        "同一期已报送而未传 expected_version 时返回 409。"
    ),
)
def report_submit(request: HttpRequest, task_id: ObjectId, payload: s.ReportIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    task = _get_task(user, task_id)
    with audit_actor(request):
        report = services.submit_report(
            task,
            user,
            period=payload.period.strip(),
            text=payload.text,
            percent=payload.percent,
            is_zero_report=payload.is_zero_report,
            zero_reason=payload.zero_reason,
            lower_reason=payload.lower_reason,
            expected_version=payload.expected_version,
        )
    fresh = _reports(ProgressReport.objects.filter(pk=report.pk)).get()
    # version 1: this call created the report; a correction has bumped the version
    return Status(201 if fresh.version == 1 else 200, _report(fresh, task.plan))


# --- reports ------------------------------------------------------------------------------------


class ReportFilters(PageQuery):
    state: ReviewState | None = Field(None, description="审核状态")
    period: str | None = Field(None, max_length=10, description="报送期，如 2026-03")
    plan: int | None = Field(None, ge=1, le=MAX_ID, description="计划 id")
    task: int | None = Field(None, ge=1, le=MAX_ID, description="任务 id")


@api.get(
    "/reports",
    response={200: s.Page[s.ReportOut], **_errors()},
    url_name="report_list",
    tags=["进展"],
    summary="进展报告列表（如待审核）",
)
def report_list(request: HttpRequest, filters: Query[ReportFilters]) -> dict[str, Any]:
    tasks = permissions.tasks_in_scope(current_user(request))
    if filters.plan is not None:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.task is not None:
        tasks = tasks.filter(pk=filters.task)
    reports = ProgressReport.objects.filter(task_id__in=tasks.values("pk"))
    if filters.state is not None:
        reports = reports.filter(state=filters.state)
    if filters.period:
        reports = reports.filter(period=filters.period.strip())
    count, items = _page(_reports(reports).order_by("-submitted_at", "-id"), filters)
    return _page_out(count, filters, [_report(r, r.task.plan) for r in items])


@api.get(
    "/reports/{report_id}",
    response={200: s.ReportOut, **_errors(404)},
    url_name="report_detail",
    tags=["进展"],
    summary="进展报告详情",
)
def report_detail(request: HttpRequest, report_id: ObjectId) -> dict[str, Any]:
    report = _get_report(current_user(request), report_id)
    return _report(report, report.task.plan)


@api.post(
    "/reports/{report_id}/review",
    response={200: s.ReportOut, **_errors(400, 403, 404, 409)},
    url_name="report_review",
    tags=["进展"],
    summary="审核进展（督查人员）",
    description=(
        "approve=true 通过；false 退回（须填写 comment）。expected_version 与读到的不一致时返回 409。"
    ),
)
def report_review(request: HttpRequest, report_id: ObjectId, payload: s.ReviewIn) -> dict[str, Any]:
    user = current_user(request)
    report = _get_report(user, report_id)
    with audit_actor(request):
        reviewed = services.review_report(
            report,
            user,
            approve=payload.approve,
            comment=payload.comment,
            expected_version=payload.expected_version,
            confirm_lower=payload.confirm_lower,
        )
    fresh = _reports(ProgressReport.objects.filter(pk=reviewed.pk)).get()
    return _report(fresh, fresh.task.plan)
