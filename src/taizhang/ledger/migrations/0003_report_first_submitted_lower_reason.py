"""Reports remember their first submission (lateness is judged on it) and a reason for a lower figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations, models


def backfill_first_submission(apps: Any, schema_editor: Any) -> None:
    """The first submission is the submitted_at of the report's creation, else its earliest
    recorded value in the audit log (a corrected report's earlier submissions), else the current one."""
    report_model = apps.get_model("ledger", "ProgressReport")
    content_type = apps.get_model("contenttypes", "ContentType")
    log_entry = apps.get_model("auditlog", "LogEntry")
    earliest: dict[int, dt.datetime] = {}
    kind = content_type.objects.filter(app_label="ledger", model="progressreport").first()
    if kind is not None:
        for object_id, changes in log_entry.objects.filter(content_type=kind).values_list("object_id", "changes"):
            values = (changes or {}).get("submitted_at") if isinstance(changes, dict) else None
            for value in values or []:
                try:
                    moment = dt.datetime.fromisoformat(str(value))
                except ValueError:
                    continue  # "None" for a newly created row, or an unreadable record
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=dt.UTC)
                if object_id is not None and (object_id not in earliest or moment < earliest[object_id]):
                    earliest[object_id] = moment
    for report in report_model.objects.only("pk", "submitted_at").iterator():
        found = earliest.get(report.pk)
        first = min(found, report.submitted_at) if found else report.submitted_at
        report_model.objects.filter(pk=report.pk).update(first_submitted_at=first)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_review_queue_order"),
        ("auditlog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressreport",
            name="first_submitted_at",
            field=models.DateTimeField(null=True, verbose_name="首次报送时间"),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="lower_reason",
            field=models.CharField(
                blank=True,
                help_text="完成进度低于上次审核通过的进度时须说明原因",
                max_length=300,
                verbose_name="进度下调原因",
            ),
        ),
        migrations.RunPython(backfill_first_submission, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="progressreport",
            name="first_submitted_at",
            field=models.DateTimeField(verbose_name="首次报送时间"),
        ),
    ]
