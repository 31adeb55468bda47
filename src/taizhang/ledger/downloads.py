"""Permission-checked downloads of attachments and source documents (namespace ``ledger``).
Keep views thin: queries come from ``taizhang.ledger.scope``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from taizhang.ledger import scope
from taizhang.ledger.models import Attachment, Plan, SourceDocument


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("report__task__plan"), pk=pk)
    if not scope.can_view_task(request.user, attachment.report.task):
        raise PermissionDenied
    return _send(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_GET
def source_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(SourceDocument, pk=pk)
    user = request.user
    plans = Plan.objects.filter(source=document)
    allowed = (
        scope.sees_everything(user) or plans.filter(owner_unit_id__in=scope.scope_unit_ids(user)).exists()
    )
    if not allowed:
        raise PermissionDenied
    return _send(document.file, document.original_name, document.content_type or "application/octet-stream")


def _send(field_file: FieldFile, name: str, content_type: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
