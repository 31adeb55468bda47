"""Supervision's pieces of other apps' pages: the task page's notices and 批示件 state."""

from __future__ import annotations

from typing import Any

from django import template

from taizhang.ledger.models import Comment, Task
from taizhang.ledger.periods import today
from taizhang.supervision import notices
from taizhang.supervision.models import NoticeItem

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.inclusion_tag("supervision/_task_notices.html", takes_context=True)
def task_notices(context: template.Context, task: Task) -> dict[str, Any]:
    """The notices listing ``task`` that the user may see."""
    user = context["request"].user
    visible = notices.notices_in_scope(user).values("pk")
    items = (
        NoticeItem.objects.filter(task=task, notice__in=visible)
        .select_related("notice", "notice__unit")
        .order_by("-notice__issued_at", "-notice_id")
    )
    return {"notices": [i.notice for i in items], "as_of": today()}


@register.inclusion_tag("supervision/_comment_instruction.html")
def comment_instruction(comment: Comment, caps: Any) -> dict[str, Any]:
    """A 批示's 批示件 state, with the action the user may take on it."""
    # read with the comment by the task page (select_related); a lone comment is read here
    item = getattr(comment, "instruction", None)
    return {"item": item, "comment": comment, "caps": caps, "as_of": today()}
