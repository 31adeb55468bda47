"""Tell the recipient unit's reporters when a notice reaches them (issued, escalated, returned):
a message in their centre, and the e-mail / robot posts ``notify.send`` queues."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from taizhang.core.dates import chinese_date
from taizhang.notify.models import Kind
from taizhang.notify.services import send
from taizhang.supervision import notices
from taizhang.supervision.models import Notice
from taizhang.supervision.reminders import reporters

TITLES = {
    "issued": "收到{kind}{number}，请于{due}前回复",
    "escalated": "逾期未回复，已升级为{kind}{number}，请于{due}前回复",
    "returned": "{number}的回复被退回，请于{due}前重新回复",
}


@receiver(notices.notice_event)
def _tell_the_unit(sender: Any, notice: Notice, event: str, **kwargs: Any) -> None:
    template = TITLES.get(event)
    if template is None:
        return
    title = template.format(
        kind=notice.get_kind_display(), number=notice.doc_number, due=chinese_date(notice.reply_due)
    )
    send(
        reporters([notice.unit_id]).get(notice.unit_id, []),
        title,
        body=notice.subject,
        link=reverse("supervision:notice_detail", args=[notice.pk]),
        kind=Kind.NOTICE,
        sender=notice.issued_by if event != "returned" else notice.decided_by,
    )
