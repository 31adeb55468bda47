"""Request-wide rules: the size of a request, and no caching of signed-in pages."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from taizhang.core.client_ip import client_ip
from taizhang.core.sizes import human_size


def too_large_message() -> str:
    limit = settings.TAIZHANG_MAX_UPLOAD_MB
    return (
        f"提交的内容过大：单个文件不能超过 {limit} MB，一次提交合计不能超过 "
        f"{human_size(settings.TAIZHANG_MAX_REQUEST_BYTES)}（上限由 TAIZHANG_MAX_UPLOAD_MB 设置）。"
        "请压缩文件或分几次上传。"
    )


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A Chinese refusal: JSON for the API, a page for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "413.html", {"message": message, "status": status}, status=status)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds the upload limit before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.TAIZHANG_MAX_REQUEST_BYTES:
            return refuse(request, 413, too_large_message())
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's RequestDataTooBig (a body without or beyond its Content-Length) and
    TooManyFieldsSent get their own Chinese message; other bad requests the plain 400 page."""
    if isinstance(exception, RequestDataTooBig):
        return refuse(request, 413, too_large_message())
    if isinstance(exception, TooManyFieldsSent):
        return refuse(request, 400, f"提交的字段过多（上限 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个）。")
    return render(request, "400.html", status=400)


class NoStoreForSignedInMiddleware:
    """Pages of a signed-in user hold what only they may see: no browser or proxy keeps a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class AuditlogMiddleware(BaseAuditlogMiddleware):  # type: ignore[misc]
    """django-auditlog believes the first X-Forwarded-For entry, which any client can write: the
    audit log records the address the login throttle uses instead."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
