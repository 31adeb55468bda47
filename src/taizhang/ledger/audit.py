"""Read the audit trail (django-auditlog) for timelines.

Every model users change is registered with auditlog in its ``models.py``; the actor is set by
``AuditlogMiddleware`` in requests, and by ``auditlog.context.set_actor`` in services called
outside a request (commands, the demo). Each ``LogEntry`` has ``actor``, ``timestamp``, ``action``
(create/update/delete), and ``changes_dict`` ({field: [before, after]}).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from taizhang.ledger.models import Comment, Milestone, ProgressReport, Task


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record ``user`` as the actor of the audit entries written inside, for services.

    The context opened here keeps the client's address that the request's context (the
    middleware's, or the API's) holds, and the outer context is restored afterwards, so writes
    after the service call are still attributed. auditlog itself leaves a finished context in
    place, so an outer one is never trusted to be live: a fresh one is always opened.
    """
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = None
    remote_addr = outer.get("remote_addr") if outer else None
    remote_port = outer.get("remote_port") if outer else None
    try:
        with set_actor(user, remote_addr=remote_addr, remote_port=remote_port):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


def task_audit_entries(task: Task) -> QuerySet[LogEntry]:
    """Entries of the task and of its milestones, reports and comments, newest first (for its timeline)."""
    condition = Q(content_type=ContentType.objects.get_for_model(Task), object_id=task.pk)
    for model, ids in (
        (Milestone, task.milestones.values_list("pk", flat=True)),
        (ProgressReport, task.reports.values_list("pk", flat=True)),
        (Comment, task.comments.values_list("pk", flat=True)),
    ):
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
    entries: QuerySet[LogEntry] = (  # django-auditlog is untyped: name the type once here
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    return entries
