"""The indicator screens (namespace ``indicators``): a plan's 指标 list with its figures, an
indicator's page, defining indicators (by hand or from the plan's document), one entry screen for
all of a unit's indicators of a period, and the Excel upload of a period's values with its template.

Thin views: objects come from ``indicators.permissions`` (404 when missing or not visible, 403 when
visible but not allowed), writes from ``indicators.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.accounts.models import Unit, User, request_user
from taizhang.indicators import from_source, queries, services
from taizhang.indicators import permissions as rules
from taizhang.indicators.forms import CandidateForm, EntryRowForm, IndicatorForm, UploadForm
from taizhang.indicators.models import Indicator, IndicatorValue
from taizhang.indicators.xlsx import MAX_BYTES, check_rows, read_sheet, template
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError
from taizhang.ledger.forms import add_domain_error
from taizhang.ledger.importing.xlsx import XlsxError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import cadence_of, period_label, today
from taizhang.ledger.spreadsheet import XLSX_CONTENT_TYPE

NOT_ENTERER = "您不能填报本计划的指标（只有指标责任单位的填报员和计划的督查人员可以填报）"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _list_url(plan: Plan, **query: Any) -> str:
    url = reverse("indicators:plan", args=[plan.pk])
    given = {k: str(v) for k, v in query.items() if v}
    return f"{url}?{urlencode(given)}" if given else url


# --- lists --------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The plans whose indicators the user sees (the nav's 指标), with counts."""
    user = request_user(request)
    counts = dict(rules.indicators_in_scope(user).order_by().values_list("plan_id").annotate(n=Count("pk")))
    plans = [
        (plan, counts.get(plan.pk, 0), rules.may_define(user, plan))
        for plan in (Plan.objects.filter(pk__in=list(counts)) | permissions.plans_in_scope(user))
        .distinct()
        .select_related("owner_unit")
        .order_by("-year", "id")
    ]
    plans = [p for p in plans if p[1] or p[2]]
    return render(request, "indicators/index.html", {"plans": plans})


@login_required
@require_GET
def plan_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = rules.get_plan_for_user(user, pk)
    as_of = today()
    visible = rules.indicators_in_scope(user).filter(plan=plan).select_related("owner_unit", "plan")
    units = Unit.objects.filter(pk__in=visible.order_by().values("owner_unit_id")).order_by(
        "sort_order", "id"
    )
    wanted = request.GET.get("unit", "")
    unit = units.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 18 else None
    shown = visible.filter(owner_unit=unit) if unit else visible
    rows = queries.summaries(shown.order_by("sort_order", "id"), as_of)
    if request.GET.get("behind") == "1":
        rows = [r for r in rows if r.summary.behind]
    context = {
        "plan": plan,
        "rows": rows,
        "units": units,
        "unit": unit,
        "only_behind": request.GET.get("behind") == "1",
        "as_of": as_of,
        "may_define": rules.may_define(user, plan),
        "may_enter": rules.indicators_entered_by(user, plan).exists(),
        "behind_count": sum(1 for r in rows if r.summary.behind),
    }
    return render(request, "indicators/plan.html", context)


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    indicator, caps = rules.get_indicator_for_user(user, pk)
    as_of = today()
    [row] = queries.summaries([indicator], as_of)
    context = {
        "indicator": indicator,
        "plan": indicator.plan,
        "caps": caps,
        "row": row,
        "history": queries.history(indicator, as_of),
        "as_of": as_of,
    }
    return render(request, "indicators/detail.html", context)


# --- defining -----------------------------------------------------------------------------------


def _defined_plan(request: HttpRequest, pk: Any) -> tuple[User, Plan]:
    user = request_user(request)
    plan = rules.get_plan_for_user(user, pk)
    _require(rules.may_define(user, plan), services.NOT_DEFINER)
    return user, plan


def _owner_units(user: User, keep: int | None = None) -> QuerySet[Unit]:
    units = permissions.assignable_units(user)
    if keep is not None:
        units = units | Unit.objects.filter(pk=keep)
    return units.distinct().order_by("sort_order", "id")


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, plan = _defined_plan(request, pk)
    units = _owner_units(user)
    if request.method == "POST":
        form = IndicatorForm(request.POST, units=units)
        if form.is_valid():
            d = form.cleaned_data
            draft = services.IndicatorDraft(
                name=d["name"],
                owner_unit=d["owner_unit"],
                measure=d["measure"],
                target=d["target"],
                last_year=d["last_year"],
                periodicity=d["periodicity"],
                accumulation=d["accumulation"],
                direction=d["direction"],
            )
            try:
                [made] = services.create_indicators(plan, user, [draft])
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, f"指标“{made.name}”已创建。")
                return redirect("indicators:detail", pk=made.pk)
    else:
        form = IndicatorForm(
            units=units,
            initial={
                "periodicity": services.default_periodicity(plan),
                "accumulation": "cumulative",
                "direction": "higher",
            },
        )
    return render(request, "indicators/form.html", {"form": form, "plan": plan, "indicator": None})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    indicator, caps = rules.get_indicator_for_user(user, pk)
    _require(caps.can_define, services.NOT_DEFINER)
    units = _owner_units(user, keep=indicator.owner_unit_id)
    if request.method == "POST":
        form = IndicatorForm(request.POST, units=units)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_indicator(
                    indicator,
                    user,
                    {name: d[name] for name in services.EDITABLE},
                    expected_version=d["version"] or 0,
                )
            except DomainError as err:
                add_domain_error(form, err)
            else:
                messages.success(request, "指标已保存。")
                return redirect("indicators:detail", pk=indicator.pk)
    else:
        initial = {name: getattr(indicator, name) for name in services.EDITABLE}
        for name in ("target", "last_year"):
            if initial[name] is not None:
                initial[name] = f"{initial[name].normalize():f}"
        form = IndicatorForm(units=units, initial={**initial, "version": indicator.version})
    context = {"form": form, "plan": indicator.plan, "indicator": indicator}
    return render(request, "indicators/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    """从计划文件生成指标: the document's targets as candidates; the chosen ones created at once."""
    user, plan = _defined_plan(request, pk)
    error = ""
    items: list[tuple[from_source.Candidate, CandidateForm]] = []
    try:
        found = from_source.candidates(plan, from_source.read_source(plan))
    except DomainError as err:
        found, error = [], err.message
    units = _owner_units(user, keep=plan.owner_unit_id)
    if request.method == "POST" and found:
        items = [(c, CandidateForm(request.POST, prefix=f"c{i}", units=units)) for i, c in enumerate(found)]
        if all(f.is_valid() for _, f in items):
            drafts = [
                services.IndicatorDraft(
                    name=f.cleaned_data["name"],
                    owner_unit=f.cleaned_data["owner_unit"],
                    measure=f.cleaned_data["measure"],
                    target=f.cleaned_data["target"],
                    periodicity=services.default_periodicity(plan),
                    accumulation=f.cleaned_data["accumulation"],
                    source_document=plan.source,
                    source_line=c.line,
                )
                for c, f in items
                if f.cleaned_data.get("include")
            ]
            try:
                made = services.create_indicators(plan, user, drafts)
            except DomainError as err:
                error = err.message
            else:
                messages.success(request, f"已从计划文件生成 {len(made)} 项指标。")
                return redirect(_list_url(plan))
        else:
            error = "请检查标出的错误，均未保存。"
    elif request.method == "POST":
        error = error or "计划文件中没有可生成的目标指标。"
    else:
        items = [
            (
                c,
                CandidateForm(
                    prefix=f"c{i}",
                    units=units,
                    initial={
                        "include": not c.exists,
                        "name": c.name,
                        "measure": c.measure,
                        "target": f"{c.target.normalize():f}" if c.target is not None else "",
                        "owner_unit": plan.owner_unit_id,
                        "accumulation": c.accumulation,
                    },
                ),
            )
            for i, c in enumerate(found)
        ]
    status = 400 if request.method == "POST" and error else 200
    return render(
        request, "indicators/generate.html", {"plan": plan, "items": items, "error": error}, status=status
    )


# --- entering values ----------------------------------------------------------------------------


def _entry_scope(request: HttpRequest, pk: Any) -> tuple[User, Plan, QuerySet[Indicator], list[Unit]]:
    """The plan, the indicators the user may enter in it, and their owner units; 403 if none."""
    user = request_user(request)
    plan = rules.get_plan_for_user(user, pk)
    enterable = rules.indicators_entered_by(user, plan).select_related("owner_unit", "plan")
    units = list(
        Unit.objects.filter(pk__in=enterable.order_by().values("owner_unit_id")).order_by("sort_order", "id")
    )
    _require(bool(units), NOT_ENTERER)
    return user, plan, enterable, units


def _choose(
    request: HttpRequest, plan: Plan, enterable: QuerySet[Indicator], units: list[Unit], as_of: dt.date
) -> tuple[Unit, list[Indicator], list[tuple[str, str]], str | None, str]:
    """The unit and period asked for (or their defaults): the unit's indicators of the period's
    periodicity, the periods to choose from, the period, and why it is not valid ("" if it is)."""
    params = request.POST if request.method == "POST" else request.GET
    wanted = params.get("unit", "")
    user_unit = request_user(request).unit_id
    unit = next((u for u in units if str(u.pk) == wanted), None) or next(
        (u for u in units if u.pk == user_unit), units[0]
    )
    own = [i for i in enterable if i.owner_unit_id == unit.pk]
    periodicities = sorted({i.periodicity for i in own}, key=lambda p: p != "monthly")
    choices = [
        (p, period_label(p))
        for kind in periodicities
        for p in reversed(queries.started_periods(plan, kind, as_of))
    ]
    period = params.get("period", "").strip() or queries.default_period(plan, periodicities[0], as_of)
    problem = ""
    if period is None:
        return unit, [], choices, None, f"本计划{plan.year}年的报送期尚未开始"
    try:
        kind = cadence_of(period)
    except DomainError as err:
        return unit, [], choices, None, err.message
    shown = [i for i in own if i.periodicity == kind]
    if not shown:
        every = {"monthly": "月", "quarterly": "季度"}.get(kind, "周")
        problem = f"{unit.name}没有按{every}报送的指标"
    else:
        problem = rules.entry_refusal(request_user(request), plan, period, kind, as_of) or ""
    return unit, shown, choices, period, problem


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen for all of a unit's indicators of a period: one form, saved all or nothing."""
    user, plan, enterable, units = _entry_scope(request, pk)
    as_of = today()
    unit, shown, choices, period, problem = _choose(request, plan, enterable, units, as_of)
    stored = (
        {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=shown, period=period)}
        if period
        else {}
    )
    error = ""
    status = 200
    if request.method == "POST" and not problem:
        forms = [(i, EntryRowForm(request.POST, prefix=f"i{i.pk}")) for i in shown]
        if all(f.is_valid() for _, f in forms):
            entries = [
                services.Entry(
                    indicator=i,
                    value=f.cleaned_data["value"],
                    expected_version=f.cleaned_data["version"] or 0,
                    last_year_value=f.cleaned_data["last_year_value"],
                    rank=f.cleaned_data["rank"],
                    rank_of=f.cleaned_data["rank_of"],
                    note=f.cleaned_data["note"],
                )
                for i, f in forms
                if f.cleaned_data["value"] is not None
            ]
            if not entries:
                error = "没有填写任何数值，未保存。"
            else:
                assert period is not None
                try:
                    saved = services.save_values(user, period, entries)
                except services.BatchError as err:
                    error = err.message
                    for key, found in err.rows.items():
                        target = next((f for i, f in forms if i.pk == key), None)
                        for message in found:
                            if target is not None:
                                target.add_error("value", message)
                            else:
                                error = f"{error}（{message}）"
                else:
                    done = len(saved.created) + len(saved.updated)
                    messages.success(
                        request,
                        f"{unit.name}{period_label(period)}的指标已保存：{done} 项"
                        + (f"，{saved.unchanged} 项未变动" if saved.unchanged else "")
                        + "。",
                    )
                    return redirect(
                        reverse("indicators:entry", args=[plan.pk])
                        + "?"
                        + urlencode({"unit": str(unit.pk), "period": str(period)})
                    )
        else:
            error = "请检查标出的错误，均未保存。"
        status = 400
    else:
        if request.method == "POST":
            error, status = problem, 400
        forms = [
            (
                i,
                EntryRowForm(
                    prefix=f"i{i.pk}",
                    initial=_initial(stored.get(i.pk)),
                ),
            )
            for i in shown
        ]
    context = {
        "plan": plan,
        "unit": unit,
        "units": units,
        "period": period,
        "choices": choices,
        "problem": problem,
        "error": error,
        "rows": [(i, f, stored.get(i.pk)) for i, f in forms],
    }
    return render(request, "indicators/entry.html", context, status=status)


def _initial(value: IndicatorValue | None) -> dict[str, Any]:
    if value is None:
        return {"version": 0}
    return {
        "value": f"{value.value.normalize():f}",
        "last_year_value": f"{value.last_year_value.normalize():f}"
        if value.last_year_value is not None
        else "",
        "rank": value.rank,
        "rank_of": value.rank_of,
        "note": value.note,
        "version": value.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A period's values from Excel: every row checked; nothing saved unless all rows are valid."""
    user, plan, enterable, units = _entry_scope(request, pk)
    as_of = today()
    unit, shown, choices, period, problem = _choose(request, plan, enterable, units, as_of)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    row_errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if problem:
            form.add_error(None, problem)
        elif form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                data = upload_file.read(MAX_BYTES + 1)  # read_sheet refuses more than MAX_BYTES
                sheet = read_sheet(data, upload_file.name or "")
            except XlsxError as err:
                form.add_error("file", str(err))
            else:
                checked = check_rows(sheet, shown)
                row_errors = [str(e) for e in checked.errors]
                if not row_errors:
                    assert period is not None
                    stored = {
                        v.indicator_id: v.version
                        for v in IndicatorValue.objects.filter(indicator__in=shown, period=period)
                    }
                    entries = [
                        services.Entry(
                            indicator=r.indicator,
                            value=r.value,
                            # an upload replaces what is stored (the audit log keeps the earlier value)
                            expected_version=stored.get(r.indicator.pk, 0),
                            last_year_value=r.last_year,
                            rank=r.rank,
                            rank_of=r.rank_of,
                            note=r.note,
                            key=r.row,
                        )
                        for r in checked.rows
                    ]
                    try:
                        saved = services.save_values(user, period, entries)
                    except services.BatchError as err:
                        row_errors = [
                            f"第 {key} 行：{m}" if key is not None else m
                            for key, found in err.rows.items()
                            for m in found
                        ]
                    else:
                        messages.success(
                            request,
                            f"已从 Excel 导入{unit.name}{period_label(period)}的指标 "
                            f"{len(saved.created) + len(saved.updated)} 项"
                            + (f"（{saved.unchanged} 项未变动）" if saved.unchanged else "")
                            + "。",
                        )
                        return redirect(_list_url(plan, unit=unit.pk))
                if row_errors:
                    form.add_error("file", f"表格中有 {len(row_errors)} 处错误，均未导入，请修改后重新上传")
    context = {
        "plan": plan,
        "unit": unit,
        "units": units,
        "period": period,
        "choices": choices,
        "problem": problem,
        "form": form,
        "row_errors": row_errors,
        "shown": shown,
    }
    return render(request, "indicators/upload.html", context, status=status)


@login_required
@require_GET
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    _, plan, enterable, units = _entry_scope(request, pk)
    unit, shown, _, period, problem = _choose(request, plan, enterable, units, today())
    stored = (
        {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=shown, period=period)}
        if period and not problem
        else {}
    )
    label = period_label(period) if period and shown else ""
    title = f"{unit.name}{label}指标填报表"
    response = HttpResponse(template(title, shown, stored), content_type=XLSX_CONTENT_TYPE)
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in title)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
