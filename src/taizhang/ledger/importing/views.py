"""Import screens. Thin: reading and checking live in ``plans`` / ``xlsx`` / ``taizhang.ledger.drafts``
(and ``suggest``), the waiting state in ``pending``, writes in ``taizhang.ledger.services`` (through
``plans.confirm``).

Every view checks the user: importing needs a supervisor (or admin) with units to import for
(403 otherwise); a pending import belongs to the session and user that started it (404 for anyone
else); the summary page needs the plan's owner unit in the user's charge (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.accounts.models import Unit, User, request_user
from taizhang.accounts.units import unit_labels
from taizhang.ledger import permissions
from taizhang.ledger.drafts import dates_in_year, draft_from_data
from taizhang.ledger.errors import DomainError
from taizhang.ledger.importing import pending as store
from taizhang.ledger.importing import plans, xlsx
from taizhang.ledger.importing.forms import (
    PlanFieldsForm,
    PlanUploadForm,
    TaskRowForm,
    XlsxUploadForm,
    unit_options,
)
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.ledger.spreadsheet import LABELS, XLSX_CONTENT_TYPE

# --- helpers ------------------------------------------------------------------------------------


def _owners(user: User) -> list[Unit]:
    """The units the user may import for; none → 403 (reporters, leaders, users without a unit)."""
    owners = list(plans.manageable_units(user).order_by("sort_order", "id"))
    if not owners:
        raise PermissionDenied("只有督查人员和管理员可以导入工作计划")
    return owners


def _pending(request: HttpRequest, key: str, user: User) -> store.PendingImport:
    found = store.get(request.session, key, user.pk)
    if found is None:
        raise Http404("没有这项待确认的导入（可能已过期或已放弃），请重新上传")
    return found


def _already_imported(plan: Plan, user: User) -> str:
    url = plans.plan_url(plan, user)
    if url:
        return format_html(
            '该文件已于 {} 导入为计划《{}》，不会重复导入。<a href="{}">查看该计划</a>',
            f"{timezone.localtime(plan.created_at):%Y年%m月%d日}",
            plan.title,
            url,
        )
    return "该文件已由其他单位导入为工作计划，不会重复导入；如需使用，请联系该计划的所属单位。"


def _finished(request: HttpRequest, plan: Plan, user: User, *, again: bool = False) -> HttpResponseRedirect:
    if again:
        messages.info(request, f"该导入已完成（计划《{plan.title}》），未重复导入")
    else:
        messages.success(request, f"已导入计划《{plan.title}》，共 {plan.tasks.count()} 项任务")
    return redirect(plans.plan_url(plan, user) or "import:plan")


def _plan_fields(form: PlanFieldsForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"].strip(),
        "year": data["year"],
        "owner_unit": data["owner_unit"].pk,
        "cadence": data["cadence"],
    }


def _confirm(
    request: HttpRequest, pending: store.PendingImport, user: User, form: PlanFieldsForm, drafts: list[Any]
) -> HttpResponse | None:
    """Create the plan; on refusal put the reason on ``form`` and return None."""
    data = store.read_bytes(pending)
    if data is None:
        store.discard(request.session, pending)
        messages.error(request, "上传的文件已过期，请重新上传")
        return redirect("import:xlsx" if pending.kind == "xlsx" else "import:plan")
    fields = form.cleaned_data
    try:
        plan = plans.confirm(
            user=user,
            data=data,
            text=store.read_text(pending),
            file_name=pending.file_name,
            content_type=pending.content_type,
            owner_unit=fields["owner_unit"],
            year=fields["year"],
            title=fields["title"],
            cadence=fields["cadence"],
            drafts=drafts,
        )
    except plans.AlreadyImported as err:  # imported meanwhile (another tab, another user)
        store.discard(request.session, pending)
        messages.error(request, _already_imported(err.plan, user))
        return redirect("import:xlsx" if pending.kind == "xlsx" else "import:plan")
    except DomainError as err:
        form.add_error(None, err.message)
        return None
    store.finish(request.session, pending, plan.pk)
    return _finished(request, plan, user)


# --- plan documents -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest) -> HttpResponse:
    """Upload a plan (.docx/.txt/.md) or paste its text → the preview."""
    user = request_user(request)
    owners = _owners(user)
    posted = request.method == "POST"
    form = PlanUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload is not None:
                document = plans.read_plan(data=upload.read(), file_name=upload.name or "")
            else:
                document = plans.read_plan(pasted=form.cleaned_data["text"])
            earlier = plans.existing_plan(document.sha256)
            if earlier is not None:
                raise plans.AlreadyImported(earlier)
        except plans.AlreadyImported as err:
            form.add_error(None, _already_imported(err.plan, user))
        except DomainError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            fields, rows = plans.prepare_plan(document, user, owners, today().year)
            pending = store.create(
                request.session,
                kind="plan",
                user_id=user.pk,
                data=document.data,
                text=document.text,
                file_name=document.file_name,
                content_type=document.content_type,
                sha256=document.sha256,
                plan=fields,
                rows=rows,
            )
            return redirect("import:preview", key=pending.key)
    context = {"form": form, "tab": "plan", "max_mb": settings.TAIZHANG_MAX_UPLOAD_MB}
    return render(request, "ledger/import/plan_upload.html", context)


@dataclass
class RowView:
    """A task row of the preview: what the engine read (code, headings, line) and its form."""

    index: int
    row: dict[str, Any]
    form: TaskRowForm

    @property
    def lead_missing(self) -> bool:
        value = self.form["lead_unit"].value()
        return value in (None, "")


def _row_initial(row: dict[str, Any], by_pk: dict[int, Unit], labels: dict[int, str]) -> dict[str, Any]:
    return {
        "include": row.get("include", True),
        "title": row["title"],
        "content": row["content"],
        "lead_unit": row["lead"],
        "co_units": TaskRowForm.co_text([by_pk[pk] for pk in row["co"] if pk in by_pk], labels),
        "leader_name": row["leader"],
        "deadline": dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
    }


def _remember_row(row: dict[str, Any], data: dict[str, Any]) -> None:
    """Keep a row's valid edits in the pending import."""
    row["include"] = bool(data.get("include"))
    if not row["include"]:
        return
    deadline: dt.date = data["deadline"]
    if deadline.isoformat() != row.get("deadline"):
        row["auto"] = False  # set by hand: a change of plan year leaves it alone
    row.update(
        title=data["title"].strip(),
        content=data.get("content", "").strip(),
        lead=data["lead_unit"].pk if data.get("lead_unit") else None,
        co=[u.pk for u in data.get("co_units", [])],
        leader=data.get("leader_name", "").strip(),
        deadline=deadline.isoformat(),
    )


def _row_data(
    index: int, row: dict[str, Any], by_pk: dict[int, Unit], labels: dict[int, str]
) -> dict[str, str]:
    """A kept row as the browser would post it (for confirming a bulk preview from the session)."""
    values = _row_initial(row, by_pk, labels)
    data = {
        f"t{index}-{name}": "" if value is None else str(value)
        for name, value in values.items()
        if name != "include"
    }
    if values["include"]:
        data[f"t{index}-include"] = "on"
    return data


def is_bulk(pending: store.PendingImport) -> bool:
    """Too many rows for one form post (Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields):
    rows are then saved one at a time and the confirmation takes them from the session."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return limit is not None and len(pending.rows) * len(TaskRowForm.base_fields) + 20 > limit


def _bind_to_row_form(index: int, form: TaskRowForm) -> None:
    """Bulk preview: the row's inputs belong to the row's own little form, not the big one."""
    for field in form.fields.values():
        field.widget.attrs["form"] = f"row-{index}"


def _shift_deadlines(data: QueryDict, rows: list[dict[str, Any]], year: int) -> None:
    """The plan year changed: deadlines still as suggested follow it."""
    for index, row in enumerate(rows):
        name = f"t{index}-deadline"
        if row.get("auto") and data.get(name) == row.get("deadline"):
            data[name] = dates_in_year(row, year)


def _posted_year(data: QueryDict, default: int) -> int:
    try:
        year = int(data.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _preview_plan(
    request: HttpRequest, pending: store.PendingImport, user: User, owners: list[Unit]
) -> HttpResponse:
    units = plans.assignable_units(user)
    by_pk = {u.pk: u for u in units}
    labels = unit_labels(units)
    options = unit_options(units, labels)
    year = pending.plan["year"]
    bulk = is_bulk(pending)
    if request.method == "POST":
        data = request.POST.copy()
        if bulk:  # the rows were saved one by one: take them from the session
            for index, row in enumerate(pending.rows):
                for name, value in _row_data(index, row, by_pk, labels).items():
                    data[name] = value
        year = _posted_year(data, year)
        if year != pending.plan["year"]:
            _shift_deadlines(data, pending.rows, year)
        plan_form = PlanFieldsForm(data, owners=owners)
        rows = [
            RowView(
                i,
                row,
                TaskRowForm(data, prefix=f"t{i}", units=units, year=year, labels=labels, options=options),
            )
            for i, row in enumerate(pending.rows)
        ]
        plan_ok = plan_form.is_valid()
        rows_ok = [r.form.is_valid() for r in rows]
        if plan_ok:
            pending.plan = _plan_fields(plan_form)
        for view, ok in zip(rows, rows_ok, strict=True):
            if ok:
                _remember_row(view.row, view.form.cleaned_data)
        store.save(request.session, pending)
        if plan_ok and all(rows_ok):
            if data.get("action") == "confirm":
                chosen = [draft_from_data(r, by_pk) for r in pending.rows if r.get("include", True)]
                if not chosen:
                    plan_form.add_error(None, "请至少勾选一项要导入的任务")
                else:
                    response = _confirm(request, pending, user, plan_form, chosen)
                    if response is not None:
                        return response
            else:
                messages.success(request, "修改已保存，尚未导入；核对无误后请点击“确认导入”")
                return redirect("import:preview", key=pending.key)
    else:
        plan_form = PlanFieldsForm(initial=pending.plan, owners=owners)
        rows = [
            RowView(
                i,
                row,
                TaskRowForm(
                    initial=_row_initial(row, by_pk, labels),
                    prefix=f"t{i}",
                    units=units,
                    year=year,
                    labels=labels,
                    options=options,
                ),
            )
            for i, row in enumerate(pending.rows)
        ]
    if bulk:
        for view in rows:
            _bind_to_row_form(view.index, view.form)
    included = [r for r in pending.rows if r.get("include", True)]
    context = {
        "pending": pending,
        "bulk": bulk,
        "plan_form": plan_form,
        "rows": rows,
        "total": len(pending.rows),
        "included": len(included),
        "with_lead": sum(1 for r in included if r.get("lead")),
        "row_errors": sum(1 for r in rows if r.form.is_bound and r.form.errors),
    }
    return render(request, "ledger/import/preview_plan.html", context)


@login_required
@require_POST
def preview_row(request: HttpRequest, key: str, index: int) -> HttpResponse:
    """Check and keep one edited row. htmx gets the row re-rendered (errors included); a plain post
    (the row's own "保存此行" button of a bulk preview) goes back to the preview with a message."""
    user = request_user(request)
    _owners(user)
    pending = _pending(request, key, user)
    if pending.kind != "plan" or pending.plan_id is not None or not 0 <= index < len(pending.rows):
        raise Http404
    units = plans.assignable_units(user)
    form = TaskRowForm(request.POST, prefix=f"t{index}", units=units, year=pending.plan["year"])
    row = pending.rows[index]
    saved = form.is_valid()
    if saved:
        _remember_row(row, form.cleaned_data)
        store.save(request.session, pending)
    if not getattr(request, "htmx", False):  # set by django-htmx's middleware
        if saved:
            messages.success(request, f"第 {index + 1} 项已保存")
        else:
            problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
            messages.error(request, f"第 {index + 1} 项未保存：{problems}")
        return redirect(reverse("import:preview", args=[pending.key]) + f"#row-{index}")
    bulk = is_bulk(pending)
    if bulk:
        _bind_to_row_form(index, form)
    view = RowView(index, row, form)
    context = {"r": view, "pending": pending, "saved": saved, "bulk": bulk}
    return render(request, "ledger/import/_row.html", context)


# --- Excel 台账 ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def xlsx_upload(request: HttpRequest) -> HttpResponse:
    """Upload an Excel 台账 → the preview with per-row errors."""
    user = request_user(request)
    owners = _owners(user)
    posted = request.method == "POST"
    form = XlsxUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = PurePath(upload.name or "台账.xlsx").name
        digest = hashlib.sha256(data).hexdigest()
        earlier = plans.existing_plan(digest)
        if earlier is not None:
            form.add_error(None, _already_imported(earlier, user))
        else:
            try:
                sheet = xlsx.read_sheet(data, name)
            except xlsx.XlsxError as err:
                form.add_error("file", str(err))
            else:
                owner = plans.default_owner(user, owners)
                fields = {
                    "title": (sheet.title or PurePath(name).stem)[:200],
                    "year": xlsx.guess_year(sheet, today().year),
                    "owner_unit": owner.pk if owner else None,
                    "cadence": "monthly",
                }
                pending = store.create(
                    request.session,
                    kind="xlsx",
                    user_id=user.pk,
                    data=data,
                    text=xlsx.sheet_text(sheet),
                    file_name=name,
                    content_type=XLSX_CONTENT_TYPE,
                    sha256=digest,
                    plan=fields,
                )
                return redirect("import:preview", key=pending.key)
    context = {"form": form, "tab": "xlsx", "max_mb": settings.TAIZHANG_MAX_UPLOAD_MB}
    return render(request, "ledger/import/xlsx_upload.html", context)


def _preview_xlsx(
    request: HttpRequest, pending: store.PendingImport, user: User, owners: list[Unit]
) -> HttpResponse:
    data = store.read_bytes(pending)
    if data is None:
        store.discard(request.session, pending)
        messages.error(request, "上传的文件已过期，请重新上传")
        return redirect("import:xlsx")
    try:
        sheet = xlsx.read_sheet(data, pending.file_name)
    except xlsx.XlsxError as err:  # it was read at upload: only a changed limit gets here
        store.discard(request.session, pending)
        messages.error(request, str(err))
        return redirect("import:xlsx")
    units = plans.assignable_units(user)
    year = pending.plan["year"]
    if request.method == "POST":
        plan_form = PlanFieldsForm(request.POST, owners=owners)
        if plan_form.is_valid():
            pending.plan = _plan_fields(plan_form)
            store.save(request.session, pending)
            year = pending.plan["year"]
    else:
        plan_form = PlanFieldsForm(initial=pending.plan, owners=owners)
    check = xlsx.check_rows(sheet, units, year)
    if request.method == "POST" and plan_form.is_valid():
        if request.POST.get("action") != "confirm":
            messages.success(request, "已按新的计划信息重新核对表格，尚未导入")
            return redirect("import:preview", key=pending.key)
        if check.errors:
            plan_form.add_error(
                None, f"表格中还有 {len(check.errors)} 处错误，未导入任何任务；请修改表格后重新上传"
            )
        elif not check.drafts:
            plan_form.add_error(None, "表格中没有可导入的任务")
        else:
            response = _confirm(request, pending, user, plan_form, check.drafts)
            if response is not None:
                return response
    columns = [
        (LABELS[f], sheet.column_label(f)) for f in sorted(sheet.columns, key=lambda f: sheet.columns[f])
    ]
    context = {
        "pending": pending,
        "plan_form": plan_form,
        "sheet": sheet,
        "check": check,
        "columns": columns,
    }
    return render(request, "ledger/import/preview_xlsx.html", context)


# --- shared -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, key: str) -> HttpResponse:
    """The preview of a pending import: GET shows it, POST saves the edits or confirms."""
    user = request_user(request)
    owners = _owners(user)
    pending = _pending(request, key, user)
    if pending.plan_id is not None:  # confirmed already: a second confirmation imports nothing
        plan = Plan.objects.filter(pk=pending.plan_id).first()
        if plan is None:
            store.discard(request.session, pending)
            raise Http404
        return _finished(request, plan, user, again=True)
    if pending.kind == "xlsx":
        return _preview_xlsx(request, pending, user, owners)
    return _preview_plan(request, pending, user, owners)


@login_required
@require_POST
def discard(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    _owners(user)
    pending = _pending(request, key, user)
    store.discard(request.session, pending)
    messages.info(request, "已放弃本次导入，未保存任何内容")
    return redirect("import:xlsx" if pending.kind == "xlsx" else "import:plan")


@login_required
@require_GET
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import created (and where to go next)."""
    user = request_user(request)
    plan, _ = permissions.get_plan_for_user(user, pk)
    if not permissions.may_create_plan_for(user, plan.owner_unit):
        raise Http404(permissions.NOT_FOUND_PLAN)
    tasks = list(plan.tasks.select_related("lead_unit").prefetch_related("co_units").order_by("seq", "id"))
    context = {
        "plan": plan,
        "tasks": tasks,
        "without_lead": sum(1 for t in tasks if t.lead_unit_id is None),
        "plan_url": plans.plan_url(plan, user),
    }
    return render(request, "ledger/import/done.html", context)
