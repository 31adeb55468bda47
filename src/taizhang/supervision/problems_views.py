"""The problem ledger's screens (namespace ``problems``): the list with colours and counts, a
problem's page with its history and the forms of its next step, the Excel 整改台账, registering by
hand and 从文件导入问题.

Thin views in the ledger's manner: objects come from ``problem_permissions`` (404 when missing or
not visible, 403 when visible but not allowed), writes from ``problems``, whose Chinese
``DomainError`` messages become form errors.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import Unit, User, request_user
from taizhang.accounts.units import unit_labels
from taizhang.core.colours import ORDER
from taizhang.ledger import permissions
from taizhang.ledger.downloads import send_file
from taizhang.ledger.errors import DomainError, StaleVersion
from taizhang.ledger.exporting import XLSX_CONTENT_TYPE
from taizhang.ledger.forms import add_domain_error
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today

# Rules through their module: one place, and tools/mutate.py's mutants are what runs.
from taizhang.supervision import problem_permissions, problems, problems_import
from taizhang.supervision.colours import Verdict
from taizhang.supervision.problem_models import Problem, ProblemEvent, ProblemEventKind, ProblemSource
from taizhang.supervision.problem_permissions import ProblemCapabilities
from taizhang.supervision.problems_forms import (
    ImportRowForm,
    ImportUploadForm,
    ProblemFilterForm,
    ProblemForm,
    RectifyForm,
    ReopenForm,
    VerifyForm,
)

PROBLEMS_PER_PAGE = 50
NOT_MANAGER = "只有该计划的督查人员可以登记、验收和回头看问题"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _url(problem: Problem, anchor: str = "") -> str:
    return reverse("problems:detail", args=[problem.pk]) + (f"#{anchor}" if anchor else "")


# --- the list -----------------------------------------------------------------------------------


def _listing(request: HttpRequest, user: User, as_of: dt.date) -> dict[str, Any]:
    """The problems in scope through the filters on screen, coloured, counted and sorted."""
    scope = problem_permissions.problems_in_scope(user)
    form = ProblemFilterForm(
        request.GET,
        plans=permissions.plans_in_scope(user).order_by("-year", "id"),
        units=Unit.objects.filter(pk__in=scope.order_by().values("unit_id")).select_related("parent"),
    )
    f = form.values()
    found = scope.select_related("plan", "unit", "signed_off_by")
    if f["plan"]:
        found = found.filter(plan=f["plan"])
    if f["unit"]:
        found = found.filter(unit=f["unit"])
    if f["state"]:
        found = found.filter(state=f["state"])
    if f["q"]:
        found = found.filter(
            Q(title__icontains=f["q"]) | Q(description__icontains=f["q"]) | Q(measures__icontains=f["q"])
        )
    rows = problems.coloured(found, as_of)
    counts = Counter(verdict.colour for _, verdict in rows)
    if f["colour"]:
        rows = [r for r in rows if r[1].colour == f["colour"]]
    sort = f["sort"]
    keys = {
        "deadline": lambda r: (r[0].deadline, r[0].pk),
        "colour": lambda r: (ORDER.index(r[1].colour), r[0].deadline, r[0].pk),
        "unit": lambda r: (r[0].unit.sort_order, r[0].unit_id, r[0].deadline, r[0].pk),
        "created": lambda r: (r[0].created_at, r[0].pk),
    }
    rows.sort(key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    return {
        "form": form,
        "filters": f,
        "rows": rows,
        "counts": [(c, counts.get(c, 0)) for c in ORDER],
        "total": sum(counts.values()),
        "sort": sort,
    }


@login_required
@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    as_of = today()
    context = _listing(request, user, as_of)
    page = Paginator(context.pop("rows"), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    plan = context["filters"]["plan"]
    params = request.GET.copy()
    params.pop("page", None)
    context.update(
        {
            "page": page,
            "as_of": as_of,
            "plan": plan,
            "may_manage": plan is not None and problem_permissions.may_manage_problems(user, plan),
            "filter_query": params.urlencode(),
        }
    )
    return render(request, "supervision/problems/list.html", context)


@login_required
@require_GET
def problem_export(request: HttpRequest) -> HttpResponse:
    """The 整改台账 as Excel: the problems on screen (same filters and sort), all pages."""
    from taizhang.supervision.problems_export import export_problems

    user = request_user(request)
    as_of = today()
    context = _listing(request, user, as_of)
    plan = context["filters"]["plan"]
    title = f"{plan.title}问题整改台账" if plan else "问题整改台账"
    rows: list[tuple[Problem, Verdict]] = context["rows"]
    labels = unit_labels(Unit.objects.filter(pk__in={p.unit_id for p, _ in rows}))
    body = export_problems(title, rows, labels, as_of)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in title)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


# --- one problem --------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    problem: Problem,
    caps: ProblemCapabilities,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    as_of = today()
    [(_, verdict)] = problems.coloured([problem], as_of)
    events = list(
        problem.events.select_related("actor").prefetch_related("attachments").order_by("-at", "-id")
    )
    forms = forms or {}
    version = {"version": problem.version}
    context = {
        "problem": problem,
        "plan": problem.plan,
        "caps": caps,
        "verdict": verdict,
        "events": events,
        "as_of": as_of,
        "may_see_source": permissions.plan_capabilities(
            request_user(request), problem.plan
        ).can_view_all_tasks,
        "rectify_form": forms.get("rectify")
        or (RectifyForm(initial=version) if caps.can_rectify and problem.is_open else None),
        "verify_form": forms.get("verify")
        or (VerifyForm(initial=version) if caps.can_manage and problem.is_submitted else None),
        "reopen_form": forms.get("reopen")
        or (ReopenForm(initial=version) if caps.can_manage and problem.is_closed else None),
    }
    return render(request, "supervision/problems/detail.html", context, status=status)


@login_required
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem, caps = problem_permissions.get_problem_for_user(request_user(request), pk)
    return _page(request, problem, caps)


def _posted_twice(problem: Problem, user: User, kind: str) -> bool:
    """A StaleVersion that is this user's own step a moment ago (double click, back button)."""
    last = ProblemEvent.objects.filter(problem=problem).order_by("-at", "-id").first()
    return (
        last is not None
        and last.kind == kind
        and last.actor_id == user.pk
        and timezone.now() - last.at < dt.timedelta(minutes=2)
    )


def _act(
    request: HttpRequest,
    problem: Problem,
    caps: ProblemCapabilities,
    name: str,
    form: Any,
    kind: str,
    run: Any,
    done: str,
) -> HttpResponse:
    """Run one step of the state machine from a valid ``form``; errors go back on the page."""
    user = request_user(request)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except StaleVersion as err:
            if _posted_twice(problem, user, kind):
                messages.info(request, "该操作刚刚已完成，未重复保存。")
                return redirect(_url(problem))
            add_domain_error(form, err)
        except DomainError as err:
            add_domain_error(form, err)
        else:
            messages.success(request, done)
            return redirect(_url(problem))
    return _page(request, problem, caps, forms={name: form})


@login_required
@require_POST
def problem_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    problem, caps = problem_permissions.get_problem_for_user(user, pk)
    _require(caps.can_rectify, "只有责任单位的填报员可以提交整改情况")
    form = RectifyForm(request.POST, request.FILES)
    return _act(
        request,
        problem,
        caps,
        "rectify",
        form,
        ProblemEventKind.SUBMITTED,
        lambda d: problems.submit_rectification(
            problem, user, text=d["text"], files=d["files"], expected_version=d["version"]
        ),
        "整改情况已提交，等待督查室验收。",
    )


@login_required
@require_POST
def problem_verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    problem, caps = problem_permissions.get_problem_for_user(user, pk)
    _require(caps.can_manage, "只有该问题所属计划的督查人员可以验收销号")
    form = VerifyForm(request.POST)
    sign_off = request.POST.get("decision") == "sign_off"
    return _act(
        request,
        problem,
        caps,
        "verify",
        form,
        ProblemEventKind.SIGNED_OFF if sign_off else ProblemEventKind.RETURNED,
        lambda d: problems.verify(
            problem, user, sign_off=sign_off, comment=d["comment"], expected_version=d["version"]
        ),
        "问题已验收销号。" if sign_off else "已退回责任单位重新整改。",
    )


@login_required
@require_POST
def problem_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    problem, caps = problem_permissions.get_problem_for_user(user, pk)
    _require(caps.can_manage, "只有该问题所属计划的督查人员可以回头看重新挂账")
    form = ReopenForm(request.POST)
    return _act(
        request,
        problem,
        caps,
        "reopen",
        form,
        ProblemEventKind.REOPENED,
        lambda d: problems.reopen(
            problem, user, reason=d["reason"], new_deadline=d["new_deadline"], expected_version=d["version"]
        ),
        "已重新挂账，责任单位须重新整改。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    problem, caps = problem_permissions.get_problem_for_user(user, pk)
    _require(caps.can_manage, NOT_MANAGER)
    if problem.is_closed:
        messages.info(request, "该问题已销号，不能修改；如需重新整改，请回头看重新挂账。")
        return redirect(_url(problem))
    units = permissions.assignable_units(user) | Unit.objects.filter(pk=problem.unit_id)
    tasks = problem.plan.tasks.order_by("seq", "id")
    if request.method == "POST":
        form = ProblemForm(request.POST, units=units.distinct(), tasks=tasks, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            changes = {name: data[name] for name in problems.EDITABLE}
            for name in ("title", "description", "measures"):
                changes[name] = (changes[name] or "").strip()
            try:
                problems.update_problem(problem, user, changes, expected_version=data["version"])
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "问题已保存。")
                return redirect(_url(problem))
    else:
        initial = {name: getattr(problem, name) for name in problems.EDITABLE}
        form = ProblemForm(
            initial={**initial, "version": problem.version}, units=units.distinct(), tasks=tasks, editing=True
        )
    return render(
        request, "supervision/problems/form.html", {"form": form, "plan": problem.plan, "problem": problem}
    )


@login_required
@require_GET
def problem_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = problem_permissions.get_problem_attachment_for_user(request.user, pk)
    return send_file(attachment.file, attachment.original_name, attachment.content_type)


# --- registering: by hand, from a file ----------------------------------------------------------


def _managed_plan(request: HttpRequest, pk: Any) -> tuple[User, Plan]:
    user = request_user(request)
    plan, _ = permissions.get_plan_for_user(user, pk)
    _require(problem_permissions.may_manage_problems(user, plan), NOT_MANAGER)
    return user, plan


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _managed_plan(request, pk)
    units = permissions.assignable_units(user)
    tasks = plan.tasks.order_by("seq", "id")
    if request.method == "POST":
        form = ProblemForm(request.POST, units=units, tasks=tasks)
        if form.is_valid():
            data = form.cleaned_data
            draft = problems.ProblemDraft(
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                measures=data["measures"],
                deadline=data["deadline"],
                task=data["task"],
                source=data["source"],
                source_note=data["source_note"] if data["source"] == ProblemSource.NOTICE else "",
            )
            try:
                problem = problems.create_problem(plan, user, draft)
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "问题已登记。")
                return redirect(_url(problem))
    else:
        form = ProblemForm(initial={"deadline": plan.ends_on}, units=units, tasks=tasks)
    return render(request, "supervision/problems/form.html", {"form": form, "plan": plan, "problem": None})


@login_required
@require_http_methods(["GET", "POST"])
def problem_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the file to read (an upload, or the plan's own source document)."""
    user, plan = _managed_plan(request, pk)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        use_source = "use_source" in request.POST
        if upload is None and not use_source:
            form.add_error("file", "请选择要导入的文件")
        else:
            try:
                key = problems_import.start(
                    request.session,
                    user=user,
                    plan=plan,
                    units=list(permissions.assignable_units(user).order_by("sort_order", "id")),
                    data=None if use_source else upload.read(),
                    file_name="" if use_source else (upload.name or ""),
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                return redirect("problems:import_preview", key=key)
    return render(request, "supervision/problems/import.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def problem_import_preview(request: HttpRequest, key: str) -> HttpResponse:
    """Step 2: the problems read, each with a suggested unit and deadline; confirm all at once."""
    user = request_user(request)
    entry = problems_import.get(request.session, key, user)
    if entry is None:
        raise Http404("没有这项待确认的导入（可能已过期或已放弃），请重新上传")
    _, plan = _managed_plan(request, entry["plan_id"])
    list_url = reverse("problems:list") + f"?plan={plan.pk}"
    if entry["done"]:
        messages.info(request, "该导入已完成，未重复导入。")
        return redirect(list_url)
    units = permissions.assignable_units(user).order_by("sort_order", "id")
    rows = entry["rows"]
    error = ""
    if request.method == "POST" and "discard" in request.POST:
        problems_import.discard(request.session, key)
        messages.info(request, "已放弃本次导入，未保存任何内容。")
        return redirect("problems:import", pk=plan.pk)
    if request.method == "POST":
        forms = [ImportRowForm(request.POST, prefix=f"r{i}", units=units) for i in range(len(rows))]
        if all(f.is_valid() for f in forms):
            drafts = [
                problems_import.draft_of(
                    row, f.cleaned_data["unit"], f.cleaned_data["deadline"], f.cleaned_data["measures"]
                )
                for row, f in zip(rows, forms, strict=True)
                if f.cleaned_data["include"]
            ]
            try:
                made = problems_import.confirm(
                    request.session, key, entry, user=user, plan=plan, drafts=drafts
                )
            except DomainError as err:
                error = err.message
            else:
                messages.success(request, f"已导入 {len(made)} 条问题。")
                return redirect(list_url)
        else:
            error = "请检查标出的错误。"
    else:
        forms = [
            ImportRowForm(
                prefix=f"r{i}",
                units=units,
                initial={"include": row["include"], "unit": row["unit"], "deadline": row["deadline"]},
            )
            for i, row in enumerate(rows)
        ]
    context = {
        "plan": plan,
        "entry": entry,
        "items": list(zip(rows, forms, strict=True)),
        "error": error,
        "without_unit": sum(1 for row in rows if row["unit"] is None),
    }
    return render(request, "supervision/problems/import_preview.html", context)
