"""Read the audit trail (django-auditlog) for timelines.

Every model users change is registered with auditlog in its ``models.py``; the actor is set by
``AuditlogMiddleware`` in requests, and by ``auditlog.context.set_actor`` in services called
outside a request (commands, the demo). Each ``LogEntry`` has ``actor``, ``timestamp``, ``action``
(create/update/delete), and ``changes_dict`` ({field: [before, after]}).
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from taizhang.ledger.models import Comment, Milestone, ProgressReport, Task


def audit_entries(obj: Model) -> QuerySet[LogEntry]:
    """The audit entries of one object, newest first."""
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")


def task_audit_entries(task: Task) -> QuerySet[LogEntry]:
    """Entries of the task and of its milestones, reports and comments, newest first (for its timeline)."""
    condition = Q(content_type=ContentType.objects.get_for_model(Task), object_id=task.pk)
    for model, ids in (
        (Milestone, task.milestones.values_list("pk", flat=True)),
        (ProgressReport, task.reports.values_list("pk", flat=True)),
        (Comment, task.comments.values_list("pk", flat=True)),
    ):
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
    return (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
