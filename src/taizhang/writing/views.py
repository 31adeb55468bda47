"""The monthly bulletin as a printable page and as a .docx. Thin: who may see what comes from
``ledger.permissions`` (and its companions for notices and the league table), the facts from
``bulletin``, the words from ``bulletin_text``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from taizhang.accounts.models import User, request_user
from taizhang.core.charts import BarChart, Series
from taizhang.core.colours import HEX, ORDER
from taizhang.ledger import permissions
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import Plan
from taizhang.ledger.periods import today
from taizhang.rankings import services
from taizhang.supervision import notices
from taizhang.writing import bulletin, bulletin_text
from taizhang.writing.forms import BulletinForm
from taizhang.writing.render import DOCX_CONTENT_TYPE, to_docx

CHART_UNITS = 15  # the colour chart shows the units with most red, then yellow, tasks


def _form(request: HttpRequest, plan: Plan) -> BulletinForm:
    as_of = today()
    data = {
        "period": request.GET.get("period") or services.default_month(plan, as_of),
        "number": request.GET.get("number", ""),
        "issuer": request.GET.get("issuer", ""),
        "date": request.GET.get("date") or as_of.isoformat(),
    }
    return BulletinForm(plan, data)


def _build(user: User, plan: Plan, form: BulletinForm, *, whole: bool) -> bulletin.Bulletin:
    """The bulletin as ``user`` may read it: their tasks and notices of the plan, the league rows
    they may see (the plan's owner side sees the whole plan)."""
    data = form.cleaned_data
    return bulletin.build(
        plan,
        data["period"],
        today(),
        tasks=None if whole else permissions.tasks_in_scope(user),
        notices=None if whole else notices.notices_in_scope(user),
        visible_units=None if whole else services.visible_unit_ids(user, plan),
        partial=not whole,
        issuer=data["issuer"].strip(),
        number=data["number"].strip(),
        date=data["date"],
    )


def _chart(made: bulletin.Bulletin) -> BarChart:
    worst = sorted(made.units, key=lambda u: tuple(-n for _, n in u.colours))[:CHART_UNITS]
    return BarChart(
        title="各单位任务四色分布",
        labels=tuple(u.unit for u in worst),
        series=tuple(
            Series(str(colour.label), tuple(float(u.colours[i][1]) for u in worst), HEX[colour])
            for i, colour in enumerate(ORDER)
        ),
        key_title="牵头单位",
        unit="项",
        description=(
            "各牵头单位各颜色的任务数"
            if len(worst) == len(made.units)
            else f"红色、黄色任务最多的{len(worst)}个牵头单位，各颜色的任务数"
        ),
    )


def _bulletin(request: HttpRequest, plan_id: int) -> tuple[dict[str, object], bulletin.Bulletin | None]:
    """The page's context and the bulletin the request asks for (``None`` when the choices are
    wrong: the context then holds the form's or the rule's Chinese message)."""
    user = request_user(request)
    plan, caps = permissions.get_plan_for_user(user, plan_id)  # 404 when missing or out of sight
    form = _form(request, plan)
    context: dict[str, object] = {"plan": plan, "form": form}
    if not form.is_valid():
        return context, None
    try:
        return context, _build(user, plan, form, whole=caps.can_view_all_tasks)
    except DomainError as err:
        context["error"] = str(err)
        return context, None


@login_required
@require_GET
def bulletin_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """月通报 of a plan: the document on screen, printable (the browser's 打印 → PDF)."""
    context, made = _bulletin(request, plan_id)
    if made is None:
        return render(request, "writing/bulletin.html", context, status=400)
    form = context["form"]
    assert isinstance(form, BulletinForm)
    query = urlencode({k: v for k, v in form.cleaned_data.items() if v})
    context.update(
        bulletin=made,
        text=bulletin_text.sentences(made),
        headings=bulletin_text.HEADINGS,
        subheadings=bulletin_text.SUBHEADINGS,
        addressee=bulletin_text.ADDRESSEE,
        tables={
            "units": bulletin_text.unit_table(made),
            "lagging": bulletin_text.lagging_table(made),
            "late": bulletin_text.late_table(made),
            "missing": bulletin_text.missing_table(made),
            "league": bulletin_text.league_table(made),
            "notices": bulletin_text.notice_table(made),
        },
        chart=_chart(made) if made.units else None,
        docx_url=f"{reverse('writing:bulletin_docx', args=[plan_id])}?{query}",
    )
    return render(request, "writing/bulletin.html", context)


@login_required
@require_GET
def bulletin_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The same bulletin as a .docx laid out after GB/T 9704."""
    context, made = _bulletin(request, plan_id)
    if made is None:
        return render(request, "writing/bulletin.html", context, status=400)
    response = HttpResponse(to_docx(bulletin_text.document(made)), content_type=DOCX_CONTENT_TYPE)
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in made.title)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.docx")
    response["Cache-Control"] = "private, no-store"
    return response
