"""``send``: put a message in people's message centre and queue its e-mails and robot posts.

Nothing here talks to the network: a web request only queues (``Delivery`` rows), and the supervise
job sends them (``notify.delivery``), so a slow or broken webhook never holds a page up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from taizhang.accounts.models import User
from taizhang.notify.models import Channel, ChannelKind, Delivery, Kind, Message


def absolute(link: str) -> str:
    """A link for outside the app (e-mail, robot): the site's address first, when configured."""
    base = str(getattr(settings, "TAIZHANG_SITE_URL", "") or "").rstrip("/")
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{base}{link}" if base else ""


def email_enabled() -> bool:
    return bool(getattr(settings, "TAIZHANG_EMAIL_ENABLED", False))


def send(
    users: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    kind: str = Kind.INFO,
    *,
    sender: User | None = None,
    now: dt.datetime | None = None,
) -> list[Message]:
    """One message per (active, distinct) user; an e-mail to each who has an address (when e-mail
    is configured); one post to each enabled robot of the recipients' units. Returns the messages."""
    now = now or timezone.now()
    people = list({u.pk: u for u in users if u.is_active}.values())
    if not people:
        return []
    title = title[:200]
    outside = absolute(link)
    with transaction.atomic():
        created: list[Message] = []
        deliveries: list[Delivery] = []
        for user in people:
            # One by one, not bulk: each message is an audit entry (who chased whom).
            message = Message.objects.create(
                recipient=user, title=title, body=body, link=link, kind=kind, sender=sender, created_at=now
            )
            created.append(message)
            if email_enabled() and user.email:
                deliveries.append(
                    Delivery(
                        message=message,
                        kind=ChannelKind.EMAIL,
                        target=user.email,
                        title=title,
                        body=body,
                        link=outside,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        units = {u.unit_id for u in people if u.unit_id is not None}
        for channel in Channel.objects.filter(unit_id__in=units, enabled=True).select_related("unit"):
            deliveries.append(
                Delivery(
                    channel=channel,
                    kind=channel.kind,
                    target=str(channel),
                    title=title,
                    body=body,
                    link=outside,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        for delivery in deliveries:
            delivery.save()
    return created


def send_test(channel: Channel, sender: User, now: dt.datetime | None = None) -> Delivery:
    """Queue a test post to one robot (the channel page's 发送测试消息)."""
    now = now or timezone.now()
    return Delivery.objects.create(
        channel=channel,
        kind=channel.kind,
        target=str(channel),
        title="测试消息",
        body=f"这是来自重点工作台账的测试消息（{sender.display_name}发送）。收到即表示配置正确。",
        link=absolute("/"),
        next_attempt_at=now,
        created_at=now,
    )


def mark_read(user: User, pk: int | None = None, now: dt.datetime | None = None) -> int:
    """Mark one of the user's messages (or all of them) read; how many changed."""
    rows = Message.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=now or timezone.now())


def unread_count(user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
