"""The header's unread-message count: one indexed COUNT, only on pages that show it."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from taizhang.notify.services import unread_count

    return {"unread_count": functools.cache(lambda: unread_count(user))}
