"""The archive's screens (namespace ``archive``): search (results as you type with htmx, a plain GET
form without it), the documents list, a report's outline beside its text, its file, the upload, and
a theme across units.

Thin views: documents come from ``archive.permissions`` (404 when missing or not visible), writes
from ``archive.services``, searches from ``archive.search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.accounts.models import Unit, User, request_user
from taizhang.accounts.units import visible_units
from taizhang.archive import across, permissions, services
from taizhang.archive.forms import DocumentFilterForm, SearchForm, UploadForm
from taizhang.archive.models import ArchivedDocument, SectionRole
from taizhang.archive.search import QueryError, Results, search
from taizhang.ledger.downloads import send_file

DOCUMENTS_PER_PAGE = 30
EXAMPLES = ["营商环境", "农村公路", "垃圾分类", "招商引资", "医共体"]
NOT_ADDER = "您不能向档案添加文档（只有督查人员和管理员可以添加本单位范围内的文档）"


def _years(user: User) -> list[int]:
    years = permissions.documents_in_scope(user).exclude(year=None).values_list("year", flat=True)
    return sorted({y for y in years if y is not None}, reverse=True)


def _units(user: User) -> QuerySet[Unit]:
    return visible_units(user).order_by("sort_order", "id")


# --- search -------------------------------------------------------------------------------------


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = SearchForm(request.GET, units=_units(user), years=_years(user))
    results: Results | None = None
    error = ""
    if form.query.strip() or "q" in request.GET:
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        try:
            results = search(form.query, user=user, filters=form.filters(), page=max(1, min(page, 10_000)))
        except QueryError as err:
            error = str(err)
    context = {
        "form": form,
        "results": results,
        "error": error,
        "examples": EXAMPLES,
        "may_add": permissions.may_add(user),
        "query_string": _without_page(request),
    }
    template = "archive/_results.html" if getattr(request, "htmx", False) else "archive/search.html"
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- documents ----------------------------------------------------------------------------------


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DocumentFilterForm(request.GET, units=_units(user), years=_years(user))
    documents = permissions.documents_in_scope(user).filter(compilation=None, current=True)
    if form.is_valid():
        if form.cleaned_data["unit"] is not None:
            documents = documents.filter(unit=form.cleaned_data["unit"])
        if form.cleaned_data["year"] is not None:
            documents = documents.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["kind"]:
            documents = documents.filter(kind=form.cleaned_data["kind"])
    documents = (
        documents.select_related("unit", "unit__parent")
        .annotate(part_count=Count("parts"))
        .order_by("-year", "unit__sort_order", "unit_id", "-pk")
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "may_add": permissions.may_add(user),
        "query_string": _without_page(request),
    }
    return render(request, "archive/documents.html", context)


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    role: str


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    line: int
    role: str
    role_label: str
    children: list[OutlineSection]


def outline(sections: list[dict[str, Any]]) -> list[OutlineSection]:
    """The parse JSON's section tree, each with its role's label."""
    labels = dict(SectionRole.choices)
    return [
        OutlineSection(
            str(s.get("heading", "")),
            int(s.get("line", 0)),
            str(s.get("role", "")),
            labels.get(str(s.get("role", "")), ""),
            outline(list(s.get("children", []))),
        )
        for s in sections
    ]


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    document = permissions.get_document_for_user(user, pk)
    parsed = document.document_json
    holder = document.compilation or document
    lines = holder.text.split("\n")
    roles = dict(document.paragraphs.values_list("line", "role"))
    first = document.first_line if document.parse.get("documents") else 1
    last = document.last_line or len(lines)
    shown = [Line(n, lines[n - 1], roles.get(n, "")) for n in range(first, min(last, len(lines)) + 1)]
    parts = (
        permissions.documents_in_scope(user).filter(compilation=document).select_related("unit")
        if document.is_compilation
        else None
    )
    newer = ArchivedDocument.objects.filter(previous=document).first()
    context = {
        "document": document,
        "parsed": parsed,
        "sections": outline(list(parsed.get("sections", []))),
        "lines": shown,
        "parts": parts,
        "newer": newer if newer is not None and permissions.may_view(user, newer) else None,
        "older": document.previous
        if document.previous and permissions.may_view(user, document.previous)
        else None,
        "may_add": permissions.may_add(user),
        "sees_file": permissions.may_view(user, holder),
        "counts": {
            "tasks": len(parsed.get("tasks", [])),
            "problems": len(parsed.get("problems", [])),
            "indicators": len(parsed.get("indicators", [])),
        },
    }
    return render(request, "archive/document.html", context)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    user = request_user(request)
    document = permissions.get_document_for_user(user, pk)
    holder = document.compilation or document
    # A report of a compilation is the compilation's file: only for those who see the compilation
    # (a unit's reporter does not get the county's whole 汇编 through its own report).
    if not holder.file or not permissions.may_view(user, holder):
        raise Http404(permissions.NOT_FOUND_DOCUMENT)
    return send_file(holder.file, holder.original_name, holder.content_type or "application/octet-stream")


# --- adding -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.may_add(user):
        raise PermissionDenied(NOT_ADDER)
    units = permissions.units_to_add_for(user).order_by("sort_order", "id")
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        added, refused = _add_files(user, form, list(units))
        for line in refused:
            messages.warning(request, line)
        if added:
            reports = [d for a in added for d in a.reports]
            messages.success(request, f"已存档 {len(added)} 个文件，共 {len(reports)} 篇报告。")
            target = added[0].file_row if len(added) == 1 else None
            if target is not None:
                return redirect("archive:document", target.pk)
            return redirect("archive:documents")
    return render(request, "archive/upload.html", {"form": form, "may_add": True})


def _add_files(user: User, form: UploadForm, units: list[Unit]) -> tuple[list[services.Added], list[str]]:
    """Each file on its own (one bad file does not stop the others), each all-or-nothing."""
    unit = form.cleaned_data["unit"]
    fallback = user.unit if user.unit is not None and user.unit in units else None
    added: list[services.Added] = []
    refused: list[str] = []
    for upload_ in form.cleaned_data["files"]:
        name = upload_.name or "未命名"
        try:
            result = services.add_file(
                upload_.read(),
                name,
                user=user,
                unit=unit,
                default_unit=fallback,
                units=units,
                year=form.cleaned_data["year"],
                kind=form.cleaned_data["kind"] or None,
            )
        except services.ArchiveError as err:
            refused.append(f"{name}：{err}")
            continue
        added.append(result)
    return added, refused


# --- across units -------------------------------------------------------------------------------


@login_required
@require_GET
def across_units(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = SearchForm(request.GET, units=_units(user), years=_years(user))
    theme: across.Theme | None = None
    error = ""
    if form.query.strip() or "q" in request.GET:
        try:
            theme = across.theme(form.query, user=user, year=form.filters().year)
        except QueryError as err:
            error = str(err)
    context: dict[str, Any] = {
        "form": form,
        "theme": theme,
        "error": error,
        "examples": EXAMPLES,
        "may_add": permissions.may_add(user),
        "search_url": reverse("archive:search"),
    }
    return render(request, "archive/across.html", context)
