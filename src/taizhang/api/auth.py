"""How API callers authenticate.

Two ways, tried in this order:

1. ``Authorization: Bearer <token>`` — a per-user :class:`~taizhang.api.models.ApiToken` (bots).
   Only the SHA-256 of the secret is stored; lookup is by that digest. A request that presents a
   bearer token which is unknown, revoked, or belongs to an inactive user is refused with 401 at
   once (it does not fall back to the session). No CSRF check: a cross-site page cannot set the
   header.
2. The logged-in browser session, with Django's CSRF check on unsafe methods (the ``X-CSRFToken``
   header). An anonymous request gets 401 (not a CSRF error).

The authenticated user becomes ``request.auth`` and ``request.user``. Writes run inside
:func:`audit_actor`, which sets django-auditlog's actor explicitly: ``AuditlogMiddleware`` reads
``request.user`` *before* the view runs, when a token caller is still anonymous.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from taizhang.accounts.models import User
from taizhang.api.models import ApiToken, hash_token
from taizhang.core.client_ip import client_ip

# ``last_used`` is written at most this often per token (a bot polling every second must not turn
# every read into a write).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

BAD_TOKEN = "接口令牌无效、已吊销或所属用户已停用"
_READABLE = {"ensure_ascii": False}


def user_for_token(secret: str) -> User | None:
    """The active user the token belongs to, or None. Records the time of use."""
    secret = secret.strip()
    if not secret or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(secret)).first()
    if token is None or token.revoked or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        # A queryset update: no model signals, so the audit log is not filled with usage noise.
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    user: User = token.user
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tz_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(401, BAD_TOKEN)
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session, with the CSRF check on unsafe methods for logged-in users."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None  # → 401, rather than a CSRF failure for a caller who is not logged in
        return super().__call__(request)  # the CSRF check, then ``authenticate``

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if isinstance(user, User) and user.is_active else None


token_auth = TokenAuth()
session_auth = SessionAuth()
API_AUTH = [token_auth, session_auth]


def current_user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "endpoint reached without authentication"
    return user


def client_address(request: HttpRequest) -> str | None:
    return client_ip(request)


@contextlib.contextmanager
def audit_actor(request: HttpRequest) -> Iterator[None]:
    """Record the caller (session or token user) and address as the actor of every audit entry."""
    with set_actor(current_user(request), remote_addr=client_address(request)):
        yield


def docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI schema and the docs page are for signed-in users and token holders only.

    Anonymous callers get 401 JSON for the schema and the login page for the HTML docs.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() == "bearer":
            token_user = user_for_token(secret)
            if token_user is None:
                return JsonResponse({"detail": BAD_TOKEN}, status=401, json_dumps_params=_READABLE)
            user = token_user
        if user.is_authenticated and user.is_active:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "请先登录或提供接口令牌"}, status=401, json_dumps_params=_READABLE)
        return redirect_to_login(request.get_full_path())

    return wrapper
