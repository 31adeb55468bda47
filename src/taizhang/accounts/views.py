"""The person's own settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from taizhang.accounts.models import request_user
from taizhang.core.redirects import next_url


@login_required
@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """The header's 大字版 switch: a plain form (works without JavaScript) that sets the size and
    returns to the page it was pressed on. The form says which size it wants rather than "toggle",
    so pressing it twice by accident (or a second tab) does not flip it back."""
    user = request_user(request)
    large = request.POST.get("large") == "1"
    if user.large_text != large:
        user.large_text = large
        user.save(update_fields=["large_text"])
    return HttpResponseRedirect(next_url(request, reverse("front:home")))
