"""What every page's navigation shows of the ledger: the supervisor's 待审核 count."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from taizhang.accounts.models import Role


def review_count(request: HttpRequest) -> dict[str, Any]:
    """``review_count``: reports waiting for this supervisor's review. A callable, so the query runs
    only on pages that show it, once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.SUPERVISOR:
        return {}
    from taizhang.ledger.queries import pending_reports

    return {"review_count": functools.cache(lambda: pending_reports(user).count())}
