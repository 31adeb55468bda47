"""Send the queued deliveries: claimed row by row, retried with backoff, each sent once.

A supervise process claims a row with a compare-and-swap UPDATE (``state = pending`` and no live
claim): of two processes only one moves it, and only that one sends. A claim older than ``LEASE``
belongs to a process that died while sending and may be taken over. A failure is retried after
1, 5 and 30 minutes; the fourth failure is final (``failed``, its reason kept).
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db.models import F, Q

from taizhang.notify import webhooks
from taizhang.notify.models import ChannelKind, Delivery, DeliveryState

BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = dt.timedelta(minutes=5)
BATCH = 200


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"消息推送：发送 {self.sent} 条，待重试 {self.retrying} 条，失败 {self.failed} 条"


def worker_name() -> str:
    return (
        f"{socket.gethostname()[:30]}:{os.getpid()}:{threading.get_ident() % 100000}:{uuid.uuid4().hex[:8]}"
    )


def _claimable(now: dt.datetime) -> Q:
    return Q(state=DeliveryState.PENDING) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))


def claim(pk: int, worker: str, now: dt.datetime) -> bool:
    """Take one delivery for ``worker``: true for exactly one of any number of callers."""
    return bool(Delivery.objects.filter(_claimable(now), pk=pk).update(claimed_by=worker, claimed_at=now))


def backoff(attempts: int) -> dt.timedelta | None:
    """The wait before the next try after ``attempts`` failures (``None``: give up)."""
    return BACKOFF[attempts - 1] if attempts < MAX_ATTEMPTS else None


def _send(delivery: Delivery) -> None:
    if delivery.kind == ChannelKind.EMAIL:
        text = delivery.body + (f"\n\n{delivery.link}" if delivery.link else "")
        try:
            send_mail(delivery.title, text, None, [delivery.target], fail_silently=False)
        except (smtplib.SMTPException, OSError) as err:
            raise webhooks.WebhookError(f"邮件发送失败：{err}") from None
        return
    channel = delivery.channel
    if channel is None or not channel.enabled:
        raise webhooks.WebhookError("推送渠道已停用或删除")
    item = webhooks.build(
        channel.kind,
        channel.url,
        channel.secret,
        delivery.title,
        delivery.body,
        delivery.link,
        time.time(),  # the platforms check the signature's time against their clock
    )
    webhooks.post(item)


def deliver_one(delivery: Delivery, worker: str, now: dt.datetime) -> DeliveryState | None:
    """Send a delivery this worker has claimed and record the result (``None`` for a retry)."""
    mine = Delivery.objects.filter(pk=delivery.pk, claimed_by=worker, state=DeliveryState.PENDING)
    try:
        _send(delivery)
    except webhooks.WebhookError as err:
        attempts = delivery.attempts + 1
        wait = backoff(attempts)
        mine.update(
            attempts=attempts,
            last_error=str(err)[:500],
            state=DeliveryState.PENDING if wait else DeliveryState.FAILED,
            next_attempt_at=now + wait if wait else delivery.next_attempt_at,
            claimed_by="",
            claimed_at=None,
        )
        return None if wait else DeliveryState.FAILED
    mine.update(
        attempts=F("attempts") + 1,
        state=DeliveryState.SENT,
        sent_at=now,
        last_error="",
        claimed_by="",
        claimed_at=None,
    )
    return DeliveryState.SENT


def deliver_due(now: dt.datetime, *, worker: str | None = None, limit: int = BATCH) -> Outcome:
    """Send up to ``limit`` deliveries that are due, each claimed first."""
    worker = worker or worker_name()
    outcome = Outcome()
    due = list(
        Delivery.objects.filter(_claimable(now), next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        if not claim(pk, worker, now):
            continue  # another process has it
        delivery = Delivery.objects.select_related("channel").get(pk=pk)
        result = deliver_one(delivery, worker, now)
        if result == DeliveryState.SENT:
            outcome.sent += 1
        elif result == DeliveryState.FAILED:
            outcome.failed += 1
        else:
            outcome.retrying += 1
    return outcome


def deliver_step(as_of: dt.date, now: dt.datetime) -> str:
    """The supervise step (``supervision.jobs.STEPS``)."""
    return deliver_due(now).line()
