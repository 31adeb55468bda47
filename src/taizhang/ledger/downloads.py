"""Permission-checked downloads of attachments and source documents (namespace ``ledger``).
Objects come from ``taizhang.ledger.permissions`` (404 for missing and forbidden alike)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from taizhang.ledger import permissions


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """404 for a missing file and for another unit's file alike (no existence leak)."""
    attachment, _ = permissions.get_attachment_for_user(request.user, pk)
    return send_file(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_GET
def source_download(request: HttpRequest, pk: int) -> FileResponse:
    document = permissions.get_source_for_user(request.user, pk)
    return send_file(
        document.file, document.original_name, document.content_type or "application/octet-stream"
    )


def send_file(field_file: FieldFile, name: str, content_type: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
