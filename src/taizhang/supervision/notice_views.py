"""The supervision screens (namespace ``supervision``): 督办通知 (list, 建议发单, issue, detail with
reply and decision, print, reply files) and 批示件 (list, issue, answer).

Thin, like the ledger's views: objects come with what the user may do from ``notices`` /
``instructions`` (which ask ``ledger.permissions``), writes go through their services, whose
Chinese ``DomainError``s become form errors. Not visible → 404; visible but not allowed → 403.
Every action is a plain form post (POST → redirect → GET).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import Unit, User, request_user
from taizhang.ledger import permissions
from taizhang.ledger.downloads import send_file
from taizhang.ledger.errors import DomainError
from taizhang.ledger.forms import add_domain_error
from taizhang.ledger.models import CLOSED_STATUSES, Task
from taizhang.ledger.periods import today
from taizhang.supervision import instructions, notices
from taizhang.supervision.models import Colour, InstructionState, Notice, NoticeKind, NoticeReply
from taizhang.supervision.notice_forms import (
    AnswerForm,
    FollowUpForm,
    InstructionForm,
    NoticeDecisionForm,
    NoticeFilterForm,
    NoticeForm,
    ReplyForm,
)

NOTICES_PER_PAGE = 25
INSTRUCTIONS_PER_PAGE = 25
SORTS = {
    "number": ("year", "kind", "number", "id"),
    "-number": ("-year", "kind", "-number", "-id"),
    "reply_due": ("reply_due", "id"),
    "-reply_due": ("-reply_due", "-id"),
    "issued": ("issued_at", "id"),
    "-issued": ("-issued_at", "-id"),
}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _notice_url(notice: Notice, anchor: str = "") -> str:
    return reverse("supervision:notice_detail", args=[notice.pk]) + (f"#{anchor}" if anchor else "")


def _ids(raw: str) -> list[int]:
    found = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) < 2**31:
            found.append(int(part))
    return found[: notices.MAX_TASKS]


# --- notices ------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    as_of = today()
    scope = notices.notices_in_scope(user)
    units = Unit.objects.filter(pk__in=scope.order_by().values("unit_id")).order_by("sort_order", "id")
    # Every plan the user sees, not only those with notices: the cockpit and the homes link here
    # with their plan, which may have none yet (an empty list, not a form error).
    plans = permissions.plans_in_scope(user).order_by("-year", "id")
    form = NoticeFilterForm(request.GET, units=units, plans=plans)
    wanted = form.values()
    rows = notices.overdue_notices(user, as_of) if wanted.get("overdue") else scope
    if "plan" in wanted:
        rows = rows.filter(plan=wanted["plan"])
    if "state" in wanted:
        rows = rows.filter(state=wanted["state"])
    if "kind" in wanted:
        rows = rows.filter(kind=wanted["kind"])
    if "unit" in wanted:
        rows = rows.filter(unit=wanted["unit"])
    sort = request.GET.get("sort") or "-issued"
    if sort not in SORTS:
        sort = "-issued"
    rows = rows.select_related("unit", "plan").order_by(*SORTS[sort])
    page = Paginator(rows, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "as_of": as_of,
        "may_issue": permissions.actor(user).supervisor,
        "to_reply": notices.notices_to_reply(user).count(),
        "to_decide": notices.notices_to_decide(user).count(),
    }
    return render(request, "supervision/notice_list.html", context)


@login_required
@require_GET
def notice_suggestions(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _require(permissions.actor(user).supervisor, "只有督查人员可以发出督办通知")
    return render(
        request,
        "supervision/notice_suggestions.html",
        {"suggestions": notices.suggestions(user), "as_of": today()},
    )


def _issue_scope(request: HttpRequest, user: User) -> tuple[Any, Unit, list[int], str] | None:
    """The plan and unit a new notice is about, from ``?task=`` (the task page) or ``?plan=&unit=``
    (建议发单), with the tasks and kind to preselect; None without either."""
    source = request.POST if request.method == "POST" else request.GET
    task_id = source.get("task")
    if task_id:
        task, caps = permissions.get_task_for_user(user, task_id)
        _require(caps.can_manage, "只有该任务所属计划的督查人员可以发出督办通知")
        if task.lead_unit is None:
            raise Http404("该任务没有牵头单位")
        colour = getattr(getattr(task, "colour", None), "colour", "")
        kind = str(
            notices.SUGGESTED_KIND.get(Colour(colour), NoticeKind.PROMPT) if colour else NoticeKind.PROMPT
        )
        return task.plan, task.lead_unit, [task.pk], kind
    if source.get("plan") and source.get("unit"):
        plan, plan_caps = permissions.get_plan_for_user(user, source.get("plan"))
        _require(plan_caps.can_manage, "只有该计划的督查人员可以发出督办通知")
        unit = Unit.objects.filter(pk=permissions.object_id(source.get("unit"))).first()
        if unit is None:
            raise Http404("单位不存在")
        kind = source.get("kind") or NoticeKind.PROMPT
        return (
            plan,
            unit,
            _ids(source.get("tasks", "")),
            kind if kind in NoticeKind.values else NoticeKind.PROMPT,
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _require(permissions.actor(user).supervisor, "只有督查人员可以发出督办通知")
    scope = _issue_scope(request, user)
    if scope is None:
        return render(request, "supervision/notice_form.html", {"form": None})
    plan, unit, preselected, kind = scope
    choices: QuerySet[Task] = (
        permissions.tasks_managed(user)
        .filter(plan=plan, lead_unit=unit)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("colour")
        .order_by("seq", "id")
    )
    if request.method == "POST":
        form = NoticeForm(request.POST, tasks=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = notices.issue_notice(
                    user,
                    kind=data["kind"],
                    tasks=list(data["tasks"]),
                    subject=data["subject"],
                    reply_due=data["reply_due"],
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(
                    request, f"已向{unit.name}发出{notice.get_kind_display()}（{notice.doc_number}）。"
                )
                return redirect(_notice_url(notice))
    else:
        label = NoticeKind(kind).label
        form = NoticeForm(
            initial={
                "kind": kind,
                "tasks": [pk for pk in preselected if choices.filter(pk=pk).exists()],
                "subject": f"你单位牵头的下列任务进度滞后，现发{label}，请认真分析原因、落实整改措施，"
                "并于回复时限前书面回复。",
                "reply_due": notices.default_reply_due(kind, today()),
            },
            tasks=choices,
        )
    colours = {t.pk: getattr(t, "colour", None) for t in choices}
    context = {
        "form": form,
        "plan": plan,
        "unit": unit,
        "colours": colours,
        "hidden": {"plan": plan.pk, "unit": unit.pk},
    }
    return render(request, "supervision/notice_form.html", context)


def _reply_form(
    notice: Notice, caps: notices.NoticeCapabilities, replies: list[NoticeReply]
) -> ReplyForm | None:
    """A blank reply while one is owed; the last reply to correct while it waits for review."""
    if not caps.can_reply:
        return None
    if notice.awaits_reply:
        return ReplyForm(initial={"version": notice.version})
    if notice.is_replied and replies:
        last = replies[-1]
        return ReplyForm(initial={"version": notice.version, "text": last.text, "new_date": last.new_date})
    return None


def _notice_page(
    request: HttpRequest,
    notice: Notice,
    caps: notices.NoticeCapabilities,
    *,
    reply_form: ReplyForm | None = None,
    decision_form: NoticeDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    as_of = today()
    replies = list(notice.replies.select_related("replied_by").prefetch_related("attachments"))
    context = {
        "notice": notice,
        "caps": caps,
        "items": list(notice.items.select_related("task", "task__lead_unit")),
        "replies": replies,
        "later": Notice.objects.filter(previous=notice).first(),
        "as_of": as_of,
        "overdue": notice.is_overdue(as_of),
        "reply_form": reply_form or _reply_form(notice, caps, replies),
        "decision_form": decision_form
        or (
            NoticeDecisionForm(initial={"version": notice.version})
            if caps.can_decide and notice.is_replied
            else None
        ),
        "refusal": notices.refusal(notice) if caps.can_reply else "",
    }
    return render(request, "supervision/notice_detail.html", context, status=status)


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice, caps = notices.get_notice_for_user(request_user(request), pk)
    return _notice_page(request, notice, caps)


@login_required
@require_POST
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    notice, caps = notices.get_notice_for_user(user, pk)
    _require(caps.can_reply, "只有主送单位的填报员可以回复该通知")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        amend = notice.is_replied  # a reply waiting for review is corrected, not answered twice
        write = notices.amend_reply if amend else notices.reply_notice
        try:
            write(
                notice,
                user,
                text=data["text"],
                new_date=data["new_date"],
                files=data["files"],
                expected_version=data["version"],
            )
        except DomainError as err:
            add_domain_error(form, err)
        else:
            said = f"已修改对{notice.doc_number}的回复" if amend else f"已回复{notice.doc_number}"
            messages.success(request, f"{said}，等待督查人员审核。")
            return redirect(_notice_url(notice))
    return _notice_page(request, notice, caps, reply_form=form, status=400)


@login_required
@require_POST
def notice_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    notice, caps = notices.get_notice_for_user(user, pk)
    _require(caps.can_decide, "只有该计划的督查人员可以审核通知的回复")
    form = NoticeDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            notices.decide_notice(
                notice,
                user,
                accept=accept,
                comment=form.cleaned_data["comment"],
                reply_due=form.cleaned_data["reply_due"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            add_domain_error(form, err)
        else:
            messages.success(
                request, f"{notice.doc_number}{'已办结' if accept else '已退回，等待重新回复'}。"
            )
            return redirect(_notice_url(notice))
    return _notice_page(request, notice, caps, decision_form=form, status=400)


@login_required
@require_GET
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    notice, _ = notices.get_notice_for_user(request_user(request), pk)
    context = {
        "notice": notice,
        "items": list(notice.items.select_related("task")),
        "issuer": notice.plan.owner_unit,
        "printed_at": timezone.localtime(),
    }
    return render(request, "supervision/notice_print.html", context)


@login_required
@require_GET
def notice_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = notices.get_notice_attachment_for_user(request.user, pk)
    return send_file(attachment.file, attachment.original_name, attachment.content_type)


# --- 批示件 -------------------------------------------------------------------------------------


@login_required
@require_GET
def instruction_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    state = request.GET.get("state") or ""
    rows = instructions.instructions_in_scope(user)
    if state in InstructionState.values:
        rows = rows.filter(state=state)
    # ?plan= narrows the list to one plan (the cockpit's link); a plan outside the scope lists nothing
    wanted = _plan_id(request.GET.get("plan", ""))
    plan = permissions.plans_in_scope(user).filter(pk=wanted).first() if wanted else None
    if plan is not None:
        rows = rows.filter(task__plan=plan)
    rows = rows.select_related("task", "task__lead_unit", "comment", "comment__author").order_by(
        "-state", "due_on", "id"
    )
    page = Paginator(rows, INSTRUCTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": InstructionState.choices,
        "as_of": today(),
        "plan": plan,
        "plan_query": f"&plan={plan.pk}" if plan else "",
    }
    return render(request, "supervision/instruction_list.html", context)


def _plan_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@login_required
@require_http_methods(["GET", "POST"])
def instruction_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new 批示 that must be answered (批示件), from the task page."""
    user = request_user(request)
    task, caps = permissions.get_task_for_user(user, pk)
    _require(caps.can_comment, "只有领导和督查人员可以交办批示件")
    if request.method == "POST":
        form = InstructionForm(request.POST)
        if form.is_valid():
            try:
                instructions.issue_instruction(
                    task, user, text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"]
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "批示件已交办，等待牵头单位报告落实情况。")
                return redirect(reverse("ledger:task_detail", args=[task.pk]) + "#comments")
    else:
        form = InstructionForm(initial={"due_on": instructions.default_due(today())})
    return render(
        request, "supervision/instruction_form.html", {"form": form, "task": task, "plan": task.plan}
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an existing 批示 a 批示件."""
    user = request_user(request)
    comment, caps = permissions.get_comment_for_user(user, pk)
    _require(caps.can_comment, "只有领导和督查人员可以交办批示件")
    task = comment.task
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                instructions.require_follow_up(comment, user, due_on=form.cleaned_data["due_on"])
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "已列为批示件，等待牵头单位报告落实情况。")
                return redirect(reverse("ledger:task_detail", args=[task.pk]) + "#comments")
    else:
        form = FollowUpForm(initial={"due_on": instructions.default_due(today())})
    context = {"form": form, "task": task, "plan": task.plan, "comment": comment}
    return render(request, "supervision/instruction_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instruction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item, caps = instructions.get_instruction_for_user(user, pk)
    _require(caps.can_report, "只有牵头单位的填报员可以报告落实情况")
    task = item.task
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                instructions.answer_instruction(
                    item, user, text=form.cleaned_data["text"], expected_version=form.cleaned_data["version"]
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "落实情况已报告。")
                return redirect(reverse("ledger:task_detail", args=[task.pk]) + "#comments")
    else:
        form = AnswerForm(initial={"version": item.version})
    context = {"form": form, "item": item, "task": task, "plan": task.plan, "as_of": today()}
    return render(request, "supervision/instruction_answer.html", context)
