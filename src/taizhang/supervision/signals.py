"""Keep each task's stored colour current when the ledger's facts change (after the commit, so
a rolled-back write never colours anything)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from taizhang.ledger.models import Milestone, ProgressReport, Task
from taizhang.ledger.periods import today
from taizhang.supervision.models import ColourRules


def _refresh_later(task_ids: list[int]) -> None:
    def run() -> None:
        from taizhang.supervision.refresh import refresh

        refresh(Task.objects.filter(pk__in=task_ids), today())

    transaction.on_commit(run)


@receiver(post_save, sender=Task)
def _task_saved(sender: Any, instance: Task, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_later([instance.pk])


@receiver(post_save, sender=Milestone)
@receiver(post_delete, sender=Milestone)
@receiver(post_save, sender=ProgressReport)
@receiver(post_delete, sender=ProgressReport)
def _fact_changed(
    sender: Any, instance: Milestone | ProgressReport, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        _refresh_later([instance.task_id])


@receiver(post_save, sender=ColourRules)
def _rules_changed(sender: Any, instance: ColourRules, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh_later(list(Task.objects.filter(plan_id=instance.plan_id).values_list("pk", flat=True)))
