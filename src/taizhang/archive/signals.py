"""The archive listens to the ledger: a plan created from a document archives that document, and a
task's or a progress report's save re-indexes it (their deletion removes their entries by the
foreign key's cascade, and the database's full-text index follows the entries by itself)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from taizhang.archive import services
from taizhang.archive.models import EntryKind, SearchEntry
from taizhang.archive.search.index import index_report, index_task
from taizhang.ledger.models import Plan, ProgressReport, Task

# Saves that change none of these leave an entry as it is (a colour, a version, a progress figure).
TASK_FIELDS = frozenset({"title", "content", "lead_unit", "lead_unit_id", "plan", "plan_id", "source_line"})
REPORT_FIELDS = frozenset({"text", "zero_reason", "task", "task_id"})


def _touches(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


@receiver(post_save, sender=Plan, dispatch_uid="archive_plan_saved")
def plan_saved(sender: type[Plan], instance: Plan, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created and instance.source_id is not None:
        services.archive_plan(instance)
    elif not created:
        # A plan's year is its tasks' and reports' year in the index.
        SearchEntry.objects.filter(kind__in=[EntryKind.TASK, EntryKind.REPORT], task__plan=instance).exclude(
            year=instance.year
        ).update(year=instance.year)


@receiver(post_save, sender=Task, dispatch_uid="archive_task_saved")
def task_saved(sender: type[Task], instance: Task, **kwargs: Any) -> None:
    if not kwargs.get("raw") and _touches(kwargs.get("update_fields"), TASK_FIELDS):
        index_task(instance)


@receiver(post_save, sender=ProgressReport, dispatch_uid="archive_report_saved")
def report_saved(sender: type[ProgressReport], instance: ProgressReport, **kwargs: Any) -> None:
    if not kwargs.get("raw") and _touches(kwargs.get("update_fields"), REPORT_FIELDS):
        index_report(instance)
